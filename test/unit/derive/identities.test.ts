// The identity corpus (./corpus/identities.ts): Matrix Cookbook §2.1–2.7
// derivatives, every derivative the three seeds state, neural-network layer
// derivatives, and second derivatives — each checked in all three layouts.
//
// For every identity and every layout this test
//   1. analyzes the source (no error diagnostics) and derives its one
//      derivative request;
//   2. checks it with `checkDerivative` against central finite differences
//      at a seeded random point (rtol 1e-6);
//   3. recomputes the derivative independently of the engine's derivative
//      code: finite differences of the derivand evaluated by the numeric term
//      evaluator (not the IR evaluator the check uses), in canonical order
//      (F's axes, then the variable's axes), permuted to the layout by the
//      rule in /work/shared/docs/layouts-and-anchors.md. This catches an
//      axis-order mistake that the engine's own check, which arranges both
//      sides by the same axes, cannot see;
//   4. when the identity has a closed form, evaluates it (written in our
//      language and appended to the source as `expected = …`) at the same
//      point and compares it with the symbolic result;
//   5. reads the printed matrix notation back as an expression of the
//      language (the LaTeX in math mode, as pasted into `$$ … $$`), in the
//      identity's declarations, and compares its value at the same point.
//
// An identity with a `knownIssue` still runs every assertion; its failure
// message starts with KNOWN ISSUE so it fails loudly, never silently.

import { strict as assert } from 'node:assert';
import { analyze, type Analysis } from '../../../src/engine/analyze';
import { checkDerivative, concreteSizes, deriveRequest, randomValues, type Derived } from '../../../src/engine/derive/derive';
import { present } from '../../../src/engine/derive/present';
import type { DenseTensor } from '../../../src/engine/ir/evaluate-ir';
import { evaluate } from '../../../src/engine/numeric/evaluate';
import { permuteAxes } from '../../../src/engine/numeric/finite-difference';
import { randomPoint } from '../../../src/engine/numeric/random';
import type { Tensor } from '../../../src/engine/numeric/tensor';
import type { DerivativeRequest } from '../../../src/engine/shape/elaborate';
import { LAYOUTS, type Layout } from '../../../src/engine/shape/layout';
import type { Term } from '../../../src/engine/shape/term';
import { roundTrip } from '../../support/derivative-harness';
import { IDENTITIES, type Identity } from './corpus/identities';

/** The engine's self-check tolerance, as the brief and the CLI use it. */
const RTOL = 1e-6;
/** A closed form and the symbolic derivative are both exact: they must agree to rounding. */
const CLOSED_FORM_RTOL = 1e-9;
/** The independent check of a second derivative uses a 4-point second difference (h ≈ ε^¼). */
const SECOND_ORDER_RTOL = 1e-5;
/** Printed constants carry 6 significant digits (0.0237129 for 0.5/(1 + e³)). */
const READBACK_RTOL = 1e-5;
const SEEDS = [1, 7, 42, 2024, 31337];

type Values = Map<string, DenseTensor>;

/** max |a − b| / max(1, max |b|): the engine's own error measure. */
function relError(a: Tensor, b: Tensor): number {
  let scale = 1;
  for (const v of b.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return Infinity;
    worst = Math.max(worst, Math.abs(x - y) / scale);
  }
  return worst;
}

function problems(a: Analysis): string {
  return a.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} '${a.source.slice(d.span.start, d.span.end)}': ${d.message}`)
    .join('\n');
}

function show(t: Tensor): string {
  const n = Math.min(t.data.length, 12);
  const head = Array.from(t.data.slice(0, n), (v) => +v.toPrecision(6)).join(', ');
  return `dims [${t.dims.join(',')}] data [${head}${t.data.length > n ? ', …' : ''}]`;
}

/**
 * For each result axis in `layout`, the canonical axis it indexes. Canonical
 * order is F's axes, then the first variable's, then the second's (the mixed
 * layout). numerator: F, X reversed (each variable's axes reversed in turn);
 * denominator: the full reverse of numerator; `∂x ∂y^T` forms: first, second.
 */
function layoutOrder(fRank: number, wrtRanks: readonly number[], layout: Layout, explicitMatrix = false): number[] {
  const f = Array.from({ length: fRank }, (_, k) => k);
  let next = fRank;
  const vars = wrtRanks.map((r) => {
    const axes = Array.from({ length: r }, (_, k) => next + k);
    next += r;
    return axes;
  });
  if (explicitMatrix) return [...f, ...vars.flat()];
  const numerator = [...f, ...vars.flatMap((v) => [...v].reverse())];
  switch (layout) {
    case 'numerator':
      return numerator;
    case 'denominator':
      return [...numerator].reverse();
    case 'mixed':
      return [...f, ...vars.flat()];
  }
}

/** The closed-form expression for a layout, and whether it is written in canonical order. */
function closedFormFor(entry: Identity, layout: Layout): { expr: string; canonical: boolean } | null {
  const cf = entry.closedForm;
  if (!cf) return null;
  if ('all' in cf) return { expr: cf.all, canonical: false };
  if ('tensor' in cf) return { expr: cf.tensor, canonical: true };
  return { expr: cf[layout], canonical: false };
}

interface Prepared {
  readonly analysis: Analysis;
  readonly request: DerivativeRequest;
  readonly derived: Derived;
  readonly sizes: Record<string, number>;
  readonly values: Values;
  /** The closed form's term and the analysis whose definitions it references. */
  readonly expected: { readonly term: Term; readonly analysis: Analysis; readonly canonical: boolean; readonly text: string } | null;
}

function prepare(entry: Identity, layout: Layout, seed: number): Prepared {
  const mode = entry.mode ?? 'block';
  const analysis = analyze(entry.source, { layout, mode });
  assert.equal(problems(analysis), '', `errors in ${layout} layout`);
  const requests = analysis.elaboration.derivatives;
  assert.equal(requests.length, 1, `expected exactly one derivative request, found ${requests.length}`);
  const request = requests[0]!;
  const outcome = deriveRequest(analysis, request);
  if (!outcome.ok) assert.fail(`derivation failed: ${outcome.diagnostic.code}: ${outcome.diagnostic.message}`);

  // The closed form is parsed in the same source, after it, as `expected = …`.
  const cf = closedFormFor(entry, layout);
  let expected: Prepared['expected'] = null;
  let pointTerms: Term[] = [request.term];
  let pointAnalysis = analysis;
  if (cf) {
    const sep = mode === 'math' ? ';\n' : '\n';
    const where = entry.closedForm && 'where' in entry.closedForm && entry.closedForm.where ? entry.closedForm.where + sep : '';
    const ext = analyze(`${entry.source}${sep}${where}expected = ${cf.expr}`, { layout, mode });
    assert.equal(problems(ext), '', `errors in the closed form '${cf.expr}' (${layout} layout)`);
    const defs = ext.elaboration.definitions.filter((d) => d.name === 'expected');
    assert.ok(defs.length > 0, `the closed form '${cf.expr}' did not define 'expected'`);
    const term = defs[defs.length - 1]!.value;
    expected = { term, analysis: ext, canonical: cf.canonical, text: cf.expr };
    pointTerms = [ext.elaboration.derivatives[0]!.term, term];
    pointAnalysis = ext;
  }

  // The point: what checkDerivative would draw (suited to every term that is
  // evaluated there: positive under log, conditioned under inv/det), made
  // explicit so the closed form is evaluated at exactly the same values.
  const point = randomPoint(
    { terms: pointTerms, variables: pointAnalysis.elaboration.variables, definitions: pointAnalysis.elaboration.definitions },
    seed,
    entry.sizes ?? {},
  );
  if (!point.ok) assert.fail(`no random point: ${point.message}`);
  const sizes = { ...concreteSizes(analysis, entry.sizes ?? {}), ...Object.fromEntries(point.value.sizes) };
  const values = randomValues(analysis, sizes, seed);
  for (const [name, t] of point.value.values) values.set(name, { dims: [...t.dims], data: Float64Array.from(t.data) });
  return { analysis, request, derived: outcome.derived, sizes, values, expected };
}

function env(p: Prepared, analysis: Analysis, values: Values = p.values) {
  return { values, sizes: p.sizes, definitions: analysis.elaboration.definitions };
}

/** The derivand as a function of the named variables, through the numeric term evaluator (cut definitions become variables). */
function derivand(p: Prepared): { f: (values: Values) => Tensor; base: Values } {
  const { analysis, request, derived } = p;
  const cut = new Set(derived.cut);
  const base: Values = new Map(p.values);
  const definitions = analysis.elaboration.definitions.map((d) => {
    if (!cut.has(d.name)) return d;
    const asVariable: Term = { op: 'var', name: d.name, shape: d.value.shape, args: [], span: d.value.span };
    return { ...d, value: asVariable };
  });
  for (const name of cut) {
    const defs = analysis.elaboration.definitions.filter((d) => d.name === name);
    const r = evaluate(defs[defs.length - 1]!.value, env(p, analysis));
    if (!r.ok) assert.fail(`cannot evaluate ${name}: ${r.message}`);
    base.set(name, { dims: [...r.value.dims], data: r.value.data });
  }
  const of = request.term.args[0]!;
  return {
    base,
    f: (values) => {
      const r = evaluate(of, { values, sizes: p.sizes, definitions });
      if (!r.ok) throw new Error(`cannot evaluate the derivand: ${r.message}`);
      return r.value;
    },
  };
}

function perturbed(base: Values, moves: readonly (readonly [string, number, number])[]): Values {
  const out = new Map(base);
  for (const [name, k, h] of moves) {
    const t = out.get(name)!;
    const data = Float64Array.from(t.data);
    data[k]! += h;
    out.set(name, { dims: t.dims, data });
  }
  return out;
}

/** The derivative by finite differences of the derivand, in canonical order (F's axes, then each variable's). */
function independentDerivative(p: Prepared): Tensor {
  const { f, base } = derivand(p);
  const wrt = p.request.term.wrt!;
  const f0 = f(base);
  const vars = wrt.map((name) => base.get(name) ?? assert.fail(`no value for ${name}`));
  const nf = f0.data.length;
  const step = (x: number, rel: number) => {
    const h = x + rel * Math.max(1, Math.abs(x)) - x;
    return h;
  };
  if (wrt.length === 1) {
    const x = vars[0]!;
    const nx = x.data.length;
    const out = new Float64Array(nf * nx);
    for (let j = 0; j < nx; j++) {
      const h = step(x.data[j]!, Math.cbrt(Number.EPSILON));
      const plus = f(perturbed(base, [[wrt[0]!, j, h]]));
      const minus = f(perturbed(base, [[wrt[0]!, j, -h]]));
      for (let i = 0; i < nf; i++) out[i * nx + j] = (plus.data[i]! - minus.data[i]!) / (2 * h);
    }
    return { dims: [...f0.dims, ...x.dims], data: out };
  }
  const [x, y] = vars as [DenseTensor, DenseTensor];
  const nx = x.data.length;
  const ny = y.data.length;
  const out = new Float64Array(nf * nx * ny);
  for (let a = 0; a < nx; a++) {
    const ha = step(x.data[a]!, 1e-4);
    for (let b = 0; b < ny; b++) {
      const hb = step(y.data[b]!, 1e-4);
      const at = (sa: number, sb: number) => f(perturbed(base, [[wrt[0]!, a, sa * ha], [wrt[1]!, b, sb * hb]])).data;
      const pp = at(1, 1);
      const pm = at(1, -1);
      const mp = at(-1, 1);
      const mm = at(-1, -1);
      for (let i = 0; i < nf; i++) out[(i * nx + a) * ny + b] = (pp[i]! - pm[i]! - mp[i]! + mm[i]!) / (4 * ha * hb);
    }
  }
  return { dims: [...f0.dims, ...x.dims, ...y.dims], data: out };
}

function toLayout(canonical: Tensor, p: Prepared, layout: Layout): Tensor {
  const r = p.request;
  const order = layoutOrder(r.of.dims.length, r.wrtShapes.map((s) => s.dims.length), layout, r.node.order === 2 && r.node.explicitMatrix);
  return permuteAxes(canonical, order);
}

function runCase(entry: Identity, layout: Layout, seed: number): void {
  const p = prepare(entry, layout, seed);
  const check = checkDerivative(p.analysis, p.derived, { seed, sizes: p.sizes, values: p.values });
  if ('error' in check) assert.fail(`check could not run: ${check.error}`);
  assert.ok(check.ok && check.maxRelError <= RTOL, `finite-difference check failed: maxRelError ${check.maxRelError.toExponential(2)} > ${RTOL}\n  symbolic ${show(check.symbolic)}\n  numeric  ${show(check.numeric)}`);

  // Shape: the layout's axis order applied to F's and the variables' dims.
  const r = p.request;
  const concrete = (d: string | number) => (typeof d === 'number' ? d : p.sizes[d]!);
  const canonicalDims = [...r.of.dims, ...r.wrtShapes.flatMap((s) => s.dims)].map(concrete);
  const order = layoutOrder(r.of.dims.length, r.wrtShapes.map((s) => s.dims.length), layout, r.node.order === 2 && r.node.explicitMatrix);
  assert.deepEqual([...check.symbolic.dims], order.map((k) => canonicalDims[k]!), 'result dims are not in the layout order');
  assert.deepEqual(r.shape.dims.map(concrete), [...check.symbolic.dims], 'the elaborated shape disagrees with the computed result');

  // Independent finite differences through the term evaluator, permuted by our own layout rule.
  const independent = toLayout(independentDerivative(p), p, layout);
  const tol = r.node.order === 2 ? SECOND_ORDER_RTOL : RTOL;
  const indErr = relError(check.symbolic, independent);
  assert.ok(indErr <= tol, `independent finite differences disagree: ${indErr.toExponential(2)} > ${tol}\n  symbolic    ${show(check.symbolic)}\n  independent ${show(independent)}`);

  // Presentation: always an index form; a matrix form only for results of rank ≤ 2.
  const shown = present(p.analysis, p.derived);
  assert.ok(shown.index.text.length > 0 && shown.index.latex.length > 0, 'no index notation');
  if (check.symbolic.dims.length > 2) assert.equal(shown.matrix, null, 'a rank ≥ 3 result has a matrix form');
  // The printed LaTeX reads back as one expression in math mode, to the derivative's value at the check's point.
  if (shown.matrix) {
    const point = { seed, sizes: p.sizes, values: p.values };
    const rt = roundTrip(entry.source, shown.matrix.latex, 'latex', r.shape, check.symbolic, point, READBACK_RTOL, entry.mode ?? 'block');
    assert.ok(rt.ok, `the printed LaTeX ${shown.matrix.latex} ${rt.message}`);
  }

  if (p.expected) {
    const v = evaluate(p.expected.term, env(p, p.expected.analysis));
    if (!v.ok) assert.fail(`the closed form '${p.expected.text}' could not be evaluated: ${v.message}`);
    const expected = p.expected.canonical ? toLayout(v.value, p, layout) : v.value;
    assert.deepEqual([...expected.dims], [...check.symbolic.dims], `the closed form '${p.expected.text}' has dims [${expected.dims}], the derivative [${check.symbolic.dims}]`);
    const err = relError(check.symbolic, expected);
    assert.ok(err <= CLOSED_FORM_RTOL, `closed form '${p.expected.text}' disagrees (${layout}): ${err.toExponential(2)}\n  symbolic    ${show(check.symbolic)}\n  closed form ${show(expected)}`);
  }
}

describe('derive: identity corpus (Matrix Cookbook, seeds, neural networks), all layouts', () => {
  it(`has at least 130 identities with unique names, each with one derivative request`, () => {
    assert.ok(IDENTITIES.length >= 130, `only ${IDENTITIES.length} identities`);
    const names = new Set<string>();
    for (const e of IDENTITIES) {
      assert.ok(!names.has(e.name), `duplicate name ${e.name}`);
      names.add(e.name);
    }
  });

  it('layoutOrder follows the documented axis orders', () => {
    // a ∈ ℝᵐ by X ∈ ℝⁿˣᵖ: numerator (m, p, n), denominator (p, n, m), mixed (m, n, p).
    assert.deepEqual(layoutOrder(1, [2], 'numerator'), [0, 2, 1]);
    assert.deepEqual(layoutOrder(1, [2], 'denominator'), [1, 2, 0]);
    assert.deepEqual(layoutOrder(1, [2], 'mixed'), [0, 1, 2]);
    // second derivative of a scalar by X then Y (both matrices).
    assert.deepEqual(layoutOrder(0, [2, 2], 'numerator'), [1, 0, 3, 2]);
    assert.deepEqual(layoutOrder(0, [2, 2], 'denominator'), [2, 3, 0, 1]);
    assert.deepEqual(layoutOrder(0, [1, 1], 'numerator', true), [0, 1]);
  });

  IDENTITIES.forEach((entry, k) => {
    const seed = entry.seed ?? SEEDS[k % SEEDS.length]!;
    for (const layout of LAYOUTS) {
      it(`${entry.name} [${layout}, seed ${seed}]${entry.knownIssue ? ' (KNOWN ISSUE)' : ''}`, () => {
        try {
          runCase(entry, layout, seed);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          const issue = entry.knownIssue ? `KNOWN ISSUE: ${entry.knownIssue}\n` : '';
          assert.fail(`${issue}${entry.name} [${layout}, seed ${seed}]\n${entry.source}\n→ ${why}`);
        }
      });
    }
  });
});
