// Numeric helpers for the property tests: analysing a generated program,
// drawing one random point for several terms, evaluating typed terms, IR nodes
// and derivatives at that point, and comparing tensors.

import { analyze, type Analysis } from '../../../src/engine/analyze';
import { deriveRequest, type Derived } from '../../../src/engine/derive/derive';
import { IrEvaluator, type DenseTensor } from '../../../src/engine/ir/evaluate-ir';
import type { Index } from '../../../src/engine/ir/ir';
import { evaluate, randomPoint, type Tensor } from '../../../src/engine/numeric/index';
import type { DerivativeRequest } from '../../../src/engine/shape/elaborate';
import type { Layout } from '../../../src/engine/shape/layout';
import type { Dim } from '../../../src/engine/shape/shape';
import type { Term } from '../../../src/engine/shape/term';

export class PropertyError extends Error {}

/** Analyses `source`; throws (with the diagnostics) if it has any error. */
export function analyzeClean(source: string, layout: Layout = 'numerator', mode: 'block' | 'math' = 'block'): Analysis {
  const a = analyze(source, { layout, mode });
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new PropertyError(`${source}\n→ ${errors.map((d) => `${d.code}: ${d.message} '${source.slice(d.span.start, d.span.end)}'`).join('; ')}`);
  }
  return a;
}

/** The value term of the latest definition of `name`. */
export function definition(a: Analysis, name: string): Term {
  const defs = a.elaboration.definitions.filter((d) => d.name === name);
  const d = defs[defs.length - 1];
  if (!d) throw new PropertyError(`no definition of ${name}`);
  return d.value;
}

export interface Point {
  readonly sizes: Map<string, number>;
  readonly values: Map<string, Tensor>;
}

/** One random point (sizes and values) suitable for all `terms` (positive under log, conditioned under inv). */
export function pointFor(a: Analysis, terms: readonly Term[], seed: number): Point {
  const p = randomPoint({ terms, variables: a.elaboration.variables, definitions: a.elaboration.definitions }, seed);
  if (!p.ok) throw new PropertyError(p.message);
  return { sizes: new Map(p.value.sizes), values: new Map(p.value.values) };
}

export function evaluateTerm(a: Analysis, t: Term, point: Point): Tensor {
  const r = evaluate(t, { values: point.values, sizes: point.sizes, definitions: a.elaboration.definitions });
  if (!r.ok) throw new PropertyError(`evaluate: ${r.message}`);
  return r.value;
}

export function concreteDims(dims: readonly Dim[], sizes: ReadonlyMap<string, number>): number[] {
  return dims.map((d) => (typeof d === 'number' ? d : sizes.get(d) ?? Number.NaN));
}

/** An evaluator of IR nodes at `point` (index sizes from the derivation's index space). */
export function irEvaluator(space: { dim(i: Index): Dim }, point: Point): IrEvaluator {
  const values = new Map<string, DenseTensor>();
  for (const [k, v] of point.values) values.set(k, { dims: [...v.dims], data: v.data });
  return new IrEvaluator({ values, size: (i) => {
    const d = space.dim(i);
    return typeof d === 'number' ? d : point.sizes.get(d) ?? 3;
  } });
}

export function derive(a: Analysis, request: DerivativeRequest): Derived {
  const o = deriveRequest(a, request);
  if (!o.ok) throw new PropertyError(`derive: ${o.diagnostic.code}: ${o.diagnostic.message}`);
  return o.derived;
}

/** The derivative's value at `point`, axes in the layout's order. */
export function derivativeValue(d: Derived, point: Point): DenseTensor {
  return irEvaluator(d.space, point).valueIn(d.node, d.axes);
}

/** max |a − b| / max(1, max |b|); Infinity when dims differ or only one side is NaN. */
export function relativeError(a: { dims: readonly number[]; data: Float64Array }, b: { dims: readonly number[]; data: Float64Array }): number {
  if (a.dims.length !== b.dims.length || a.dims.some((d, k) => d !== b.dims[k]) || a.data.length !== b.data.length) return Infinity;
  let scale = 1;
  for (const v of b.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (x !== y) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(x - y) / scale);
  }
  return worst;
}

export function allFinite(t: { data: Float64Array }): boolean {
  return t.data.every((v) => Number.isFinite(v));
}
