// A fuzzing campaign: `count` inputs generated from a seed (mutated corpus
// text, grammar programs, mutated programs, noise, stress inputs), each
// checked against ./invariants.ts, with the slowest call per input measured
// against a time budget. Failures are de-duplicated by property and message
// shape and shrunk to a small input that still fails the same way.
//
// Used by test/unit/reliability/fuzz.test.ts (CI: ≥ 10,000 inputs) and by
// bench/fuzz.mjs (`npm run fuzz`, long mode: ≥ 100,000 inputs).

import { loadCorpus, type Corpus } from './corpus';
import { ProgramGenerator, noise } from './grammar';
import { checkInput, LAYOUTS, type CheckOptions, type Failure } from './invariants';
import { mutate, MUTATORS } from './mutate';
import { Rng } from './rng';

export type InputKind = 'corpus' | 'corpus-mutated' | 'document-mutated' | 'grammar' | 'grammar-mutated' | 'noise' | 'stress';

export interface GeneratedInput {
  readonly index: number;
  readonly kind: InputKind;
  readonly text: string;
  /** Mutators applied, for the record. */
  readonly mutations: readonly string[];
}

const STRESS = ['deepNesting', 'longChain', 'hugeNumber', 'unterminatedEnvironment', 'unicode', 'bracketDamage'] as const;

/** Large documents are cut to a window so that one input stays interactive-sized. */
function window(rng: Rng, text: string, max: number): string {
  if (text.length <= max) return text;
  const len = rng.int(max >> 2, max);
  const start = rng.int(0, text.length - len);
  return text.slice(start, start + len);
}

/** The `index`-th input of the campaign with this seed (independent of the other inputs). */
export function generateInput(seed: number, index: number, corpus: Corpus = loadCorpus(), maxDocument = 4096): GeneratedInput {
  const rng = new Rng((seed * 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77));
  const snippet = () => rng.pick(corpus.snippets).text;
  const donor = () => (rng.chance(0.8) ? snippet() : new ProgramGenerator(rng).program());
  const kind = rng.weighted<InputKind>([
    [5, 'corpus'],
    [33, 'corpus-mutated'],
    [5, 'document-mutated'],
    [17, 'grammar'],
    [20, 'grammar-mutated'],
    [10, 'noise'],
    [10, 'stress'],
  ]);
  switch (kind) {
    case 'corpus':
      return { index, kind, text: window(rng, rng.pick(corpus.entries).text, maxDocument), mutations: [] };
    case 'corpus-mutated': {
      const m = mutate(rng, snippet(), donor);
      return { index, kind, text: m.text, mutations: m.applied };
    }
    case 'document-mutated': {
      const m = mutate(rng, window(rng, rng.pick(corpus.documents).text, maxDocument), donor, 6);
      return { index, kind, text: m.text, mutations: m.applied };
    }
    case 'grammar':
      return { index, kind, text: new ProgramGenerator(rng).program(), mutations: [] };
    case 'grammar-mutated': {
      const m = mutate(rng, new ProgramGenerator(rng).program(), donor);
      return { index, kind, text: m.text, mutations: m.applied };
    }
    case 'noise':
      return { index, kind, text: noise(rng, rng.small(400)), mutations: [] };
    case 'stress': {
      const base = rng.chance(0.5) ? snippet() : new ProgramGenerator(rng).program();
      const name = rng.pick(STRESS);
      return { index, kind, text: MUTATORS[name]!(rng, base, donor), mutations: [name] };
    }
  }
}

export interface FailureRecord extends Failure {
  readonly signature: string;
  readonly index: number;
  readonly kind: InputKind;
  readonly input: string;
  /** The smallest input found that fails the same way. */
  readonly minimal: string;
  count: number;
}

export interface CampaignOptions {
  readonly seed: number;
  readonly count: number;
  /** Per-call time budget (ms) for inputs up to `budgetLength` characters. */
  readonly budgetMs?: number;
  readonly budgetLength?: number;
  /** Analyse all layouts (default) or one per input, rotating. */
  readonly allLayouts?: boolean;
  /** Analyse both document kinds per input (long mode) or alternate markdown and TypeScript (default). */
  readonly bothDocuments?: boolean;
  readonly selfCheckEvery?: number;
  /** Windows of whole documents are cut to at most this many characters (default 4096). */
  readonly maxDocument?: number;
  readonly shrink?: boolean;
  readonly onProgress?: (done: number, result: CampaignResult) => void;
  readonly onFailure?: (failure: FailureRecord) => void;
  readonly progressEvery?: number;
}

export interface CampaignResult {
  tried: number;
  checks: number;
  calls: number;
  byKind: Record<string, number>;
  failures: FailureRecord[];
  /** Slowest single call on an input within the budget length, after re-measuring. */
  maxMs: number;
  maxCall: string;
  maxInput: string;
  maxIndex: number;
  /** Slowest single call on any input (including large ones). */
  maxMsAny: number;
  maxAnyLength: number;
  maxAnyIndex: number;
  maxAnyCall: string;
  maxLength: number;
  totalMs: number;
}

/** Normalises a message so that failures differing only in numbers or names group together. */
function signatureOf(f: Failure): string {
  return `${f.property} ${f.call.replace(/\(.*/, '')} ${f.message.replace(/\d+/g, 'N').replace(/'[^']*'|"[^"]*"/g, 'S').slice(0, 120)}`;
}

/** Greedy shrinking: drop lines, then chunks of characters, while `fails` still holds (within `maxSteps` tries and `maxMs`). */
export function shrink(input: string, fails: (s: string) => boolean, maxSteps = 400, maxMs = 20_000): string {
  let best = input;
  let steps = 0;
  const deadline = performance.now() + maxMs;
  const attempt = (candidate: string): boolean => {
    if (performance.now() > deadline) steps = maxSteps;
    if (steps++ >= maxSteps || candidate === best) return false;
    if (!fails(candidate)) return false;
    best = candidate;
    return true;
  };
  // Lines.
  for (let changed = true; changed && steps < maxSteps; ) {
    changed = false;
    const lines = best.split('\n');
    for (let k = 0; k < lines.length && lines.length > 1; k++) {
      if (attempt([...lines.slice(0, k), ...lines.slice(k + 1)].join('\n'))) {
        changed = true;
        break;
      }
    }
  }
  // Characters, halving chunk sizes.
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && steps < maxSteps; chunk = chunk >> 1) {
    for (let at = 0; at < best.length && steps < maxSteps; ) {
      if (!attempt(best.slice(0, at) + best.slice(at + chunk))) at += chunk;
    }
    if (chunk === 1) break;
  }
  return best;
}

function slowestCall(text: string, options: CheckOptions): { ms: number; call: string } {
  const out = checkInput(text, options);
  let worst = { ms: 0, call: '' };
  for (const t of out.timings) if (t.ms > worst.ms) worst = t;
  return worst;
}

export function runCampaign(options: CampaignOptions): CampaignResult {
  const corpus = loadCorpus();
  const budgetMs = options.budgetMs ?? 200;
  const budgetLength = options.budgetLength ?? 2048;
  const result: CampaignResult = {
    tried: 0,
    checks: 0,
    calls: 0,
    byKind: {},
    failures: [],
    maxMs: 0,
    maxCall: '',
    maxInput: '',
    maxIndex: -1,
    maxMsAny: 0,
    maxAnyLength: 0,
    maxAnyIndex: -1,
    maxAnyCall: '',
    maxLength: 0,
    totalMs: 0,
  };
  const bySignature = new Map<string, FailureRecord>();
  const t0 = performance.now();
  for (let i = 0; i < options.count; i++) {
    const input = generateInput(options.seed, i, corpus, options.maxDocument);
    const checkOptions: CheckOptions = {
      layouts: options.allLayouts === false ? [LAYOUTS[i % 3]!] : LAYOUTS,
      reportLayout: LAYOUTS[i % 3]!,
      documents: options.bothDocuments ? true : i % 2 === 0 ? 'markdown' : 'typescript',
      selfCheck: options.selfCheckEvery ? i % options.selfCheckEvery === 0 : false,
      rng: new Rng(options.seed ^ Math.imul(i + 7, 0x27d4eb2d)),
    };
    const outcome = checkInput(input.text, checkOptions);
    result.tried++;
    result.checks += outcome.checks;
    result.calls += outcome.timings.length;
    result.byKind[input.kind] = (result.byKind[input.kind] ?? 0) + 1;
    result.maxLength = Math.max(result.maxLength, input.text.length);

    let worst = { ms: 0, call: '' };
    for (const t of outcome.timings) if (t.ms > worst.ms) worst = t;
    if (worst.ms > result.maxMsAny) {
      result.maxMsAny = worst.ms;
      result.maxAnyLength = input.text.length;
      result.maxAnyIndex = i;
      result.maxAnyCall = worst.call;
    }
    if (input.text.length <= budgetLength) {
      // A slow call is measured twice more; the best of three counts (GC pauses and a busy machine are not the engine's).
      if (worst.ms > budgetMs && worst.ms < 5 * budgetMs) {
        for (let k = 0; k < 2 && worst.ms > budgetMs; k++) {
          const again = slowestCall(input.text, { ...checkOptions, rng: new Rng(options.seed ^ Math.imul(i + 7, 0x27d4eb2d)) });
          if (again.ms < worst.ms) worst = again;
        }
      }
      if (worst.ms > result.maxMs) {
        result.maxMs = worst.ms;
        result.maxCall = worst.call;
        result.maxInput = input.text;
        result.maxIndex = i;
      }
      if (worst.ms > budgetMs) {
        outcome.failures.push({ property: 'time-budget', call: worst.call, message: `${worst.call} took ${worst.ms.toFixed(0)} ms (budget ${budgetMs} ms) on ${input.text.length} characters` });
      }
    }

    for (const f of outcome.failures) {
      const signature = signatureOf(f);
      const known = bySignature.get(signature);
      if (known) {
        known.count++;
        continue;
      }
      const fails = (s: string) =>
        f.property === 'time-budget'
          ? slowestCall(s, { ...checkOptions, rng: undefined }).ms > budgetMs
          : checkInput(s, { ...checkOptions, rng: undefined }).failures.some((g) => signatureOf(g) === signature);
      const minimal = options.shrink === false ? input.text : shrink(input.text, fails, f.property === 'time-budget' ? 60 : 400);
      const record: FailureRecord = { ...f, signature, index: i, kind: input.kind, input: input.text, minimal, count: 1 };
      bySignature.set(signature, record);
      result.failures.push(record);
      options.onFailure?.(record);
    }
    if (options.onProgress && (i + 1) % (options.progressEvery ?? 1000) === 0) {
      result.totalMs = performance.now() - t0;
      options.onProgress(i + 1, result);
    }
  }
  result.totalMs = performance.now() - t0;
  return result;
}
