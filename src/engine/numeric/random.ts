// Seeded random numbers and random evaluation points for numeric self-checks.
// `createRng` is the engine's only generator: derive.ts draws the values of
// variables a check does not use from it too, so one seed reproduces every draw.
//
// Invariants:
// - Everything is a pure function of the seed: the same seed, terms and sizes
//   give bit-identical points on every platform (mulberry32 uses only 32-bit
//   integer arithmetic; normals use Box–Muller on its output).
// - Each variable draws from its own stream, seeded by the point's seed and the
//   variable's name, so adding a variable never changes the others' values.
// - Distinct symbolic sizes get distinct default values (m = 3, n = 4, p = 2,
//   q = 5, … in alphabetical order, skipping sizes already taken by the given
//   sizes or by literal dims), so a transposition mistake changes a shape or a
//   value instead of slipping through on a square special case.
// - Values respect declared structure: `symmetric` gives a symmetric matrix,
//   `diagonal` a diagonal one, `spd` BBᵀ + n·I (eigenvalues ≥ n).
// - Values respect how a term uses them (through references too):
//   · a square matrix under inv, det or logdet is shifted by
//     (1 + its largest absolute row sum)·I. It becomes strictly diagonally
//     dominant with a positive diagonal, so by Gershgorin every eigenvalue has
//     real part ≥ 1: it is invertible, det > 0 (logdet is finite), and it
//     stays symmetric or diagonal if it was. spd matrices are left as they are.
//   · entries under log, sqrt or a non-integer power are positive (0.5 + |z|);
//   · entries in a denominator (./, /, a negative power, a scalar inverse) are
//     at least 0.5 away from zero.
//   These rules are about variables, not expressions: inv(A − B) can still be
//   singular; such points are rare and a caller can pick another seed.

import type { Dim } from '../shape/shape';
import type { Term } from '../shape/term';
import { fail, ok, type Result } from './result';
import { zeros, type Tensor } from './tensor';
import { definitionMap, sizeSymbols, type DefinitionLookup, type DefinitionSource } from './terms';

export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo?: number, hi?: number): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
}

/** mulberry32: a small, fast 32-bit generator with good statistical quality for its size. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: seed >>> 0,
    next,
    uniform: (lo = 0, hi = 1) => lo + (hi - lo) * next(),
    normal: () => {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      const u = 1 - next(); // (0, 1]: log(u) is finite
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A fresh seed to show to the user (a whole number in [0, 2³²)). */
export function newSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** FNV-1a hash of a name mixed into the seed: the per-variable stream. */
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Default sizes for symbols, in the order they are handed out (m=3, n=4, p=2, q=5, …). */
/**
 * Most entries a drawn value may have. Declared sizes are user text:
 * `W: R^{100000 x 100000}` must fail as a Result, not throw a RangeError (or
 * exhaust memory) while allocating.
 */
export const MAX_NUMERIC_ENTRIES = 1_000_000;

export const DEFAULT_SIZE_SEQUENCE: readonly number[] = [3, 4, 2, 5, 6, 7, 8, 9, 10, 11, 12];

export interface PointInputs {
  /** The terms to be evaluated at the point (a formula and its derivative, say). */
  readonly terms: readonly Term[];
  /** Declarations (analysis.elaboration.variables), for their modifiers. */
  readonly variables?: ReadonlyMap<string, { readonly modifiers?: readonly string[] }>;
  /** The definitions `ref` terms point to. */
  readonly definitions?: DefinitionSource;
}

export interface RandomPoint {
  readonly seed: number;
  /** Every symbolic size appearing in the terms. */
  readonly sizes: ReadonlyMap<string, number>;
  /** A value for every variable the terms use. */
  readonly values: ReadonlyMap<string, Tensor>;
}

type Need = 'conditioned' | 'positive' | 'nonzero';

/** Random values for every variable used by `inputs.terms`; `sizes` overrides default sizes. */
export function randomPoint(
  inputs: PointInputs,
  seed: number,
  sizes: ReadonlyMap<string, number> | Readonly<Record<string, number>> = {},
): Result<RandomPoint> {
  const defs = definitionMap(inputs.definitions);
  const given = sizes instanceof Map ? new Map(sizes) : new Map(Object.entries(sizes as Readonly<Record<string, number>>));
  for (const [name, n] of given) if (!Number.isInteger(n) || n < 1) return fail(`The size ${name} = ${n} must be a whole number ≥ 1.`);

  // Which variables are used, with which shapes and needs.
  const used = new Map<string, { dims: readonly Dim[]; needs: Set<Need> }>();
  collectNeeds(inputs.terms, defs, used);

  const symbols = new Set<string>();
  const literals = new Set<number>();
  for (const t of inputs.terms) {
    for (const s of sizeSymbols(t, defs)) symbols.add(s);
    walkDims(t, defs, (d) => typeof d === 'number' && literals.add(d));
  }
  if (symbols.has('?')) return fail('Some sizes in these terms could not be inferred, so no point can be drawn.');
  const resolved = assignSizes([...symbols], given, literals);

  const values = new Map<string, Tensor>();
  for (const name of [...used.keys()].sort()) {
    const { dims, needs } = used.get(name)!;
    const concrete = dims.map((d) => (typeof d === 'number' ? d : resolved.get(d)!));
    const entries = concrete.reduce((a, b) => a * b, 1);
    if (!(entries <= MAX_NUMERIC_ENTRIES)) {
      return fail(`${name} has ${entries} entries, too many to evaluate numerically (at most ${MAX_NUMERIC_ENTRIES})`);
    }
    const modifiers = inputs.variables?.get(name)?.modifiers ?? [];
    values.set(name, draw(createRng(streamSeed(seed, name)), concrete, modifiers, needs));
  }
  return ok({ seed: seed >>> 0, sizes: resolved, values });
}

/** Given sizes first; other symbols in alphabetical order take the next unused default size. */
function assignSizes(symbols: string[], given: Map<string, number>, literals: Set<number>): Map<string, number> {
  const out = new Map<string, number>();
  const taken = new Set<number>([...given.values(), ...literals]);
  const pool = DEFAULT_SIZE_SEQUENCE.filter((n) => !taken.has(n));
  let next = Math.max(...DEFAULT_SIZE_SEQUENCE, ...taken) + 1;
  for (const s of symbols.sort()) {
    const g = given.get(s);
    if (g !== undefined) out.set(s, g);
    else out.set(s, pool.shift() ?? next++);
  }
  return out;
}

function walkDims(term: Term, defs: DefinitionLookup, visit: (d: Dim) => void): void {
  const seen = new Set<number>();
  const go = (t: Term): void => {
    t.shape.dims.forEach(visit);
    t.args.forEach(go);
    if (t.op === 'ref' && t.def !== undefined && !seen.has(t.def)) {
      seen.add(t.def);
      const d = defs.get(t.def);
      if (d) go(d.value);
    }
  };
  go(term);
}

/** Walks the terms, recording for each variable the needs of the contexts it appears in. */
function collectNeeds(terms: readonly Term[], defs: DefinitionLookup, used: Map<string, { dims: readonly Dim[]; needs: Set<Need> }>): void {
  const seen = new Set<string>();
  const go = (t: Term, needs: ReadonlySet<Need>): void => {
    if (t.op === 'var' && t.name !== undefined) {
      const entry = used.get(t.name) ?? { dims: t.shape.dims, needs: new Set<Need>() };
      needs.forEach((n) => entry.needs.add(n));
      used.set(t.name, entry);
    }
    if (t.op === 'ref' && t.def !== undefined) {
      const key = `${t.def}:${[...needs].sort().join(',')}`;
      const d = defs.get(t.def);
      if (d && !seen.has(key)) {
        seen.add(key);
        go(d.value, needs);
      }
    }
    t.args.forEach((a, i) => go(a, childNeeds(t, i, needs)));
  };
  for (const t of terms) go(t, new Set());
}

function childNeeds(t: Term, i: number, inherited: ReadonlySet<Need>): ReadonlySet<Need> {
  const add = (n: Need): ReadonlySet<Need> => new Set([...inherited, n]);
  const exponent = (e: Term | undefined): number | null => (e?.op === 'const' ? e.value ?? null : null);
  switch (t.op) {
    case 'inv':
      return t.args[0]!.shape.dims.length === 0 ? add('nonzero') : add('conditioned');
    case 'call':
      if (t.fn === 'det' || t.fn === 'logdet') return add('conditioned');
      if (t.fn === 'log' || t.fn === 'sqrt') return add('positive');
      return inherited;
    case 'hdiv':
      return i === 1 ? add('nonzero') : inherited;
    case 'pow':
    case 'hpow': {
      if (i !== 0) return inherited;
      const k = exponent(t.args[1]);
      if (k === null || !Number.isInteger(k)) return add('positive');
      return k < 0 ? add('nonzero') : inherited;
    }
    default:
      return inherited;
  }
}

/** One variable's value: structure from its modifiers, then adjustments for its needs. */
function draw(rng: Rng, dims: number[], modifiers: readonly string[], needs: ReadonlySet<Need>): Tensor {
  const t = zeros(dims);
  const square = dims.length === 2 && dims[0] === dims[1];
  const n = square ? dims[0]! : 0;
  const at = (i: number, j: number): number => i * n + j;
  if (square && modifiers.includes('spd')) {
    const b = Array.from({ length: n * n }, () => rng.normal());
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += b[at(i, k)]! * b[at(j, k)]!;
        t.data[at(i, j)] = s;
      }
    }
    return t;
  }
  const adjust = (z: number): number => {
    if (needs.has('positive')) return 0.5 + Math.abs(z);
    if (needs.has('nonzero')) return (z < 0 ? -0.5 : 0.5) + z;
    return z;
  };
  if (square && modifiers.includes('diagonal')) {
    for (let i = 0; i < n; i++) t.data[at(i, i)] = adjust(rng.normal());
  } else if (square && modifiers.includes('symmetric')) {
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const z = adjust(rng.normal());
        t.data[at(i, j)] = z;
        t.data[at(j, i)] = z;
      }
    }
  } else {
    for (let k = 0; k < t.data.length; k++) t.data[k] = adjust(rng.normal());
  }
  if (square && needs.has('conditioned')) {
    let maxRow = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(t.data[at(i, j)]!);
      maxRow = Math.max(maxRow, s);
    }
    for (let i = 0; i < n; i++) t.data[at(i, i)] = t.data[at(i, i)]! + 1 + maxRow;
  }
  return t;
}
