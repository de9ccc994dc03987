// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive
// time per function, heaviest first.
import { readFileSync } from 'node:fs';

export function summariseProfile(path, top = 15) {
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfSamples = new Map();
  for (const id of prof.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = prof.samples.length || 1;
  const ms = (prof.endTime - prof.startTime) / 1000;
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const incl = new Map();
  for (const [id, count] of selfSamples) {
    const n = byId.get(id);
    self.set(key(n), (self.get(key(n)) ?? 0) + count);
    // Inclusive: every distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + count);
    }
  }
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, c]) => ({ fn, pct: +(100 * c / total).toFixed(1), ms: +(ms * c / total).toFixed(1) }));
  return { totalMs: +ms.toFixed(1), self: rows(self), inclusive: rows(incl) };
}

function shortUrl(url) {
  if (!url) return '';
  const i = url.indexOf('/src/');
  return i >= 0 ? url.slice(i + 1) : url.replace(/^.*\//, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summariseProfile(process.argv[2], Number(process.argv[3] ?? 20));
  console.log(`total ${s.totalMs} ms`);
  console.log('self:');
  for (const r of s.self) console.log(`  ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(8)} ms  ${r.fn}`);
  console.log('inclusive:');
  for (const r of s.inclusive) console.log(`  ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(8)} ms  ${r.fn}`);
}
