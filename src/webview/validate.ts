// Stricter validation of messages from the extension. `parseToWebview` (the
// shared protocol) checks the fields every view needs; this also checks the
// parts the panel reads that it does not (source, check, elements), so a
// malformed model is dropped whole instead of half-rendered. Loop messages are
// checked in full by the protocol (`parseLoopSpec`, `parseLoopEntries`).

import { parseToWebview, type PanelModel, type ToWebview } from '../panel/protocol';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isMathText(x: unknown): boolean {
  return isRecord(x) && typeof x.latex === 'string' && typeof x.text === 'string';
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Upper bound on what the panel accepts at all (the model promises "a few hundred"). */
export const MAX_ENTRIES = 10_000;

function validSource(s: unknown): boolean {
  return isRecord(s) && typeof s.uri === 'string' && isCount(s.start) && isCount(s.end) && typeof s.version === 'number';
}

function validCheck(c: unknown): boolean {
  if (c === null) return true;
  if (!isRecord(c)) return false;
  if ('error' in c) return typeof c.error === 'string';
  return typeof c.ok === 'boolean' && typeof c.maxRelError === 'number' && typeof c.seed === 'number';
}

function validElements(e: unknown): boolean {
  if (e === null) return true;
  if (!isRecord(e) || !Array.isArray(e.dims) || !Array.isArray(e.entries) || typeof e.truncated !== 'boolean') return false;
  const dims = e.dims as unknown[];
  if (dims.length > 8 || !dims.every((d) => isCount(d) && d >= 1)) return false;
  if (e.entries.length > MAX_ENTRIES) return false;
  return e.entries.every(
    (x) =>
      isRecord(x) &&
      Array.isArray(x.position) &&
      x.position.length === dims.length &&
      x.position.every((p, k) => isCount(p) && p >= 1 && p <= (dims[k] as number)) &&
      isMathText(x.partial) &&
      isMathText(x.value),
  );
}

/** A validated message for the panel, or null (then it is ignored). */
export function parseMessage(x: unknown): ToWebview | null {
  const msg = parseToWebview(x);
  if (!msg || msg.type !== 'update') return msg;
  const m = msg.model as unknown as Record<string, unknown>;
  if (!validSource(m.source) || !validCheck(m.check) || !validElements(m.elements)) return null;
  return { type: 'update', model: msg.model as PanelModel };
}
