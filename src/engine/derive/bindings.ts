// Binding user-given values (`--at FILE`: name → number or nested arrays) to
// declared variables, which also fixes concrete sizes for symbolic dims.
//
// Invariants: values are validated against declarations (rank, concrete
// sizes, one consistent size per symbolic name); problems are returned as
// messages, never thrown. A vector is a flat list; nesting is row-major.

import type { Analysis } from '../analyze';
import type { DenseTensor } from '../ir/evaluate-ir';

export type JsonValue = number | JsonValue[];

export interface Bindings {
  readonly values: Map<string, DenseTensor>;
  readonly sizes: Record<string, number>;
  readonly errors: string[];
}

/** Dims and data of nested arrays, or an error message. */
export function fromNested(value: unknown): DenseTensor | string {
  if (typeof value === 'number') return Number.isFinite(value) ? { dims: [], data: Float64Array.of(value) } : 'is not a finite number';
  if (!Array.isArray(value)) return 'must be a number or nested arrays of numbers';
  const dims: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    if (level.length === 0) return 'has an empty array';
    dims.push(level.length);
    level = level[0];
  }
  const data: number[] = [];
  const walk = (v: unknown, depth: number): string | null => {
    if (depth === dims.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'has an entry that is not a finite number';
      data.push(v);
      return null;
    }
    if (!Array.isArray(v) || v.length !== dims[depth]) return 'is ragged: rows of different lengths';
    for (const x of v) {
      const e = walk(x, depth + 1);
      if (e) return e;
    }
    return null;
  };
  const problem = walk(value, 0);
  return problem ?? { dims, data: Float64Array.from(data) };
}

/** Nested arrays of a dense tensor (a number for a scalar). */
export function toNested(t: DenseTensor): JsonValue {
  if (t.dims.length === 0) return t.data[0]!;
  const build = (depth: number, offset: number): JsonValue[] => {
    const n = t.dims[depth]!;
    const stride = t.dims.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, k) => (depth === t.dims.length - 1 ? t.data[offset + k]! : build(depth + 1, offset + k * stride)));
  };
  return build(0, 0);
}

export function bindValues(analysis: Analysis, given: Readonly<Record<string, unknown>>): Bindings {
  const values = new Map<string, DenseTensor>();
  const sizes: Record<string, number> = Object.create(null); // keyed by size names (user text)
  const errors: string[] = [];
  // Values bind to the latest declaration of each name.
  const latest = new Map<string, (typeof analysis.elaboration.variables extends ReadonlyMap<string, infer V> ? V : never)>();
  for (const v of analysis.elaboration.variables.values()) latest.set(v.name, v);
  for (const [name, raw] of Object.entries(given)) {
    const v = latest.get(name);
    if (!v) {
      errors.push(`${name} is not a declared variable, so it cannot be given a value.`);
      continue;
    }
    const t = fromNested(raw);
    if (typeof t === 'string') {
      errors.push(`The value of ${name} ${t}.`);
      continue;
    }
    const declared = v.shape.dims;
    if (t.dims.length !== declared.length) {
      errors.push(`${name} is declared with ${declared.length} ax${declared.length === 1 ? 'is' : 'es'} but its value has ${t.dims.length}.`);
      continue;
    }
    let ok = true;
    declared.forEach((d, k) => {
      const actual = t.dims[k]!;
      if (typeof d === 'number') {
        if (d !== actual) {
          errors.push(`Axis ${k + 1} of ${name} has size ${d} but its value has ${actual}.`);
          ok = false;
        }
      } else if (sizes[d] !== undefined && sizes[d] !== actual) {
        errors.push(`${d} is ${sizes[d]} from an earlier value but ${actual} from ${name}.`);
        ok = false;
      } else sizes[d] = actual;
    });
    if (ok) values.set(v.id, t);
  }
  for (const v of latest.values()) {
    if (!v.domain && !values.has(v.id) && Object.keys(given).length > 0) {
      errors.push(`No value is given for ${v.name}.`);
    }
  }
  return { values, sizes, errors };
}
