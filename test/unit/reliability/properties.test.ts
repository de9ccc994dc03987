// Issue G: property tests (fast-check) over well-typed random expressions
// (test/support/fuzz/typed-expressions.ts), checked numerically at random
// points:
//
//   1. print → parse round trip: the ASCII printer (test/support/fuzz/term-ascii.ts)
//      and the engine's own term printer (src/engine/print/term-print.ts, Unicode
//      and LaTeX) print a term that parses and elaborates to a term with the
//      same value;
//   2. simplification preserves value (IR before and after `simplify`, for
//      functions and for their raw derivatives);
//   3. the inferred shape of every sub-term equals the shape of its value;
//   4. derivatives equal central finite differences, in all three layouts;
//   5. Hessians of scalar functions are symmetric;
//   6. linearity: d(aF + bG) = a dF + b dG;
//   7. the product rule: d(F·G) = dF·G + F·dG for scalars F, G.
//
// Runs are seeded, so failures reproduce; fast-check prints the shrunk
// counterexample (an expression in the language).

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkDerivative } from '../../../src/engine/derive/derive';
import { differentiate } from '../../../src/engine/ir/diff';
import { Space } from '../../../src/engine/ir/ir';
import { freshIndices, lower } from '../../../src/engine/ir/lower';
import { simplify } from '../../../src/engine/ir/simplify';
import { printTerm } from '../../../src/engine/print/term-print';
import type { Layout } from '../../../src/engine/shape/layout';
import { walkTerm, type Term } from '../../../src/engine/shape/term';
import type { Dim } from '../../../src/engine/shape/shape';
import {
  analyzeClean,
  concreteDims,
  definition,
  derivativeValue,
  derive,
  evaluateTerm,
  irEvaluator,
  pointFor,
  relativeError,
} from '../../support/fuzz/numeric';
import { printAscii } from '../../support/fuzz/term-ascii';
import { DECLARATIONS, expressions, program, TYPES, VARIABLE_TYPES, type GenExpr, type TypeKey } from '../../support/fuzz/typed-expressions';

const LAYOUTS: readonly Layout[] = ['numerator', 'denominator', 'mixed'];
const EX = expressions({ maxDepth: 3 });
const anyExpression = fc.oneof(...TYPES.map((t) => EX[t]));
const scalar = EX['11'];
/** Variables whose values the property tests vary (all declared ones). */
const ALL_VARIABLES = [...VARIABLE_TYPES.keys()];

/** An expression and a variable to differentiate by (one it uses, most of the time). */
const withVariable = (arb: fc.Arbitrary<GenExpr>) =>
  arb.chain((e) => fc.tuple(fc.constant(e), e.vars.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...e.vars) }, { weight: 1, arbitrary: fc.constantFrom(...ALL_VARIABLES) }) : fc.constantFrom(...ALL_VARIABLES)));

const RUNS = Number(process.env.PROPERTY_RUNS ?? 120);
const params = (seed: number, numRuns = RUNS): fc.Parameters<unknown> => ({ seed, numRuns, endOnFailure: false });

const TOL = 1e-9;

function close(actual: { dims: readonly number[]; data: Float64Array }, expected: { dims: readonly number[]; data: Float64Array }, tol: number, what: string): void {
  const err = relativeError(actual, expected);
  assert.ok(err <= tol, `${what}: relative error ${err} > ${tol} (dims ${actual.dims} vs ${expected.dims})`);
}

describe('reliability: property tests (fast-check)', function () {
  this.timeout(120_000);

  describe('print → parse round trip', () => {
    const roundTrip = (print: (t: Term) => string, mode: 'block' | 'math') => (e: GenExpr) => {
      const a = analyzeClean(program(e));
      const t = definition(a, 'f');
      const point = pointFor(a, [t], 7);
      const printed = print(t);
      const source = mode === 'math' ? `${DECLARATIONS.split('\n').join(';\n')};\ng = ${printed}` : `${DECLARATIONS}\ng = ${printed}`;
      const back = analyzeClean(source, 'numerator', mode);
      const t2 = definition(back, 'g');
      assert.deepEqual(t2.shape.dims, t.shape.dims, `${printed}: shape`);
      close(evaluateTerm(back, t2, point), evaluateTerm(a, t, point), TOL, `${e.text} printed as ${printed}`);
    };

    it('ASCII printer (test/support/fuzz/term-ascii.ts)', () => {
      fc.assert(fc.property(anyExpression, roundTrip(printAscii, 'block')), params(1001, 2 * RUNS));
    });

    it('engine term printer, Unicode (term-print.ts)', () => {
      fc.assert(fc.property(anyExpression, roundTrip((t) => printTerm(t, 'unicode'), 'block')), params(1002, 2 * RUNS));
    });

    // Hadamard powers included: the LaTeX printer writes X^{\circ 2}, which the language reads.
    it('engine term printer, LaTeX (term-print.ts)', () => {
      fc.assert(fc.property(anyExpression, roundTrip((t) => printTerm(t, 'latex'), 'math')), params(1003, 2 * RUNS));
    });
  });

  it('simplification preserves value (functions and their raw derivatives)', () => {
    fc.assert(
      fc.property(withVariable(anyExpression), ([e, v]) => {
        const a = analyzeClean(program(e));
        const t = definition(a, 'f');
        const space = new Space();
        const variables = new Map<string, readonly Dim[]>();
        for (const x of a.elaboration.variables.values()) variables.set(x.id, x.shape.dims);
        const ctx = { space, definitions: a.elaboration.definitions, variables, cut: new Set<string>(), layout: 'mixed' as Layout };
        const idx = freshIndices(t, space);
        const node = lower(t, idx, ctx);
        const wrt = a.elaboration.variables.get(v)!.shape.dims.map((d) => space.fresh(d));
        const raw = differentiate(node, v, wrt, space);
        const point = pointFor(a, [t], 11);
        for (const [n, order] of [[node, idx], [raw, [...idx, ...wrt]]] as const) {
          const simplified = simplify(n, space);
          const ev = irEvaluator(space, point);
          close(ev.valueIn(simplified, order), ev.valueIn(n, order), TOL, `simplify(${n === node ? e.text : `∂(${e.text})/∂${v}`})`);
        }
      }),
      params(2001, 2 * RUNS),
    );
  });

  it('the inferred shape of every sub-term equals the shape of its value', () => {
    fc.assert(
      fc.property(anyExpression, (e) => {
        const a = analyzeClean(program(e));
        const t = definition(a, 'f');
        const point = pointFor(a, [t], 13);
        walkTerm(t, (sub) => {
          const value = evaluateTerm(a, sub, point);
          assert.deepEqual([...value.dims], concreteDims(sub.shape.dims, point.sizes), `${sub.op} in ${e.text}`);
        });
        assert.equal(t.shape.dims.length, e.type === '11' ? 0 : e.type.includes('1') ? 1 : 2, `${e.text}: rank`);
      }),
      params(3001, 2 * RUNS),
    );
  });

  it('derivatives equal central finite differences, in all layouts', () => {
    fc.assert(
      fc.property(withVariable(anyExpression), ([e, v]) => {
        for (const layout of LAYOUTS) {
          const a = analyzeClean(program(e, `diff(f, ${v})`), layout);
          const d = derive(a, a.elaboration.derivatives[0]!);
          const check = checkDerivative(a, d, { seed: 5 });
          if ('error' in check) assert.fail(`${layout}: ${check.error}`);
          assert.ok(check.ok, `${layout}: ∂(${e.text})/∂${v}: finite differences differ by ${check.maxRelError}`);
        }
      }),
      params(4001),
    );
  });

  it('Hessians of scalar functions are symmetric', () => {
    fc.assert(
      fc.property(withVariable(scalar), ([e, v]) => {
        for (const layout of LAYOUTS) {
          const a = analyzeClean(program(e, `hess(f, ${v})`), layout);
          const d = derive(a, a.elaboration.derivatives[0]!);
          const point = pointFor(a, [a.elaboration.derivatives[0]!.term], 17);
          const h = derivativeValue(d, point);
          // The axes are two blocks (one per differentiation) of the variable's size N: an N×N matrix.
          const n = Math.round(Math.sqrt(h.data.length));
          assert.equal(n * n, h.data.length);
          let scale = 1;
          for (const x of h.data) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < i; j++) {
              const [x, y] = [h.data[i * n + j]!, h.data[j * n + i]!];
              // Both undefined (NaN) is symmetric too: norm2(x − x) has no Hessian at 0.
              assert.ok(Math.abs(x - y) <= TOL * scale || (Number.isNaN(x) && Number.isNaN(y)), `${layout}: hess(${e.text}, ${v}) [${i},${j}] = ${x} but [${j},${i}] = ${y}`);
            }
          }
        }
      }),
      params(5001),
    );
  });

  const sameType = fc.constantFrom(...TYPES).chain((ty: TypeKey) => fc.tuple(EX[ty], EX[ty]));
  const coefficient = fc.constantFrom(2, -3, 0.5, 1.5, -1);

  it('linearity: d(aF + bG) = a dF + b dG', () => {
    fc.assert(
      fc.property(sameType, coefficient, coefficient, fc.constantFrom(...ALL_VARIABLES), fc.constantFrom(...LAYOUTS), ([F, G], ca, cb, v, layout) => {
        const source = [DECLARATIONS, `u = ${F.text}`, `w = ${G.text}`, `h = (${ca}) * u + (${cb}) * w`, `diff(h, ${v})`, `diff(u, ${v})`, `diff(w, ${v})`].join('\n');
        const a = analyzeClean(source, layout);
        const [dh, du, dw] = a.elaboration.derivatives.map((r) => derive(a, r));
        const point = pointFor(a, a.elaboration.derivatives.map((r) => r.term), 19);
        const [H, U, W] = [dh!, du!, dw!].map((d) => derivativeValue(d, point));
        const combined = { dims: U!.dims, data: U!.data.map((x, k) => ca * x + cb * W!.data[k]!) };
        close(H!, combined, 1e-8, `${layout}: d(${ca}·(${F.text}) + ${cb}·(${G.text}))/d${v}`);
      }),
      params(6001),
    );
  });

  it('product rule: d(F·G) = dF·G + F·dG for scalars F, G', () => {
    fc.assert(
      fc.property(scalar, scalar, fc.constantFrom(...ALL_VARIABLES), fc.constantFrom(...LAYOUTS), (F, G, v, layout) => {
        const source = [DECLARATIONS, `u = ${F.text}`, `w = ${G.text}`, 'h = u * w', `diff(h, ${v})`, `diff(u, ${v})`, `diff(w, ${v})`].join('\n');
        const a = analyzeClean(source, layout);
        const [dh, du, dw] = a.elaboration.derivatives.map((r) => derive(a, r));
        const point = pointFor(a, a.elaboration.derivatives.map((r) => r.term), 23);
        const [H, U, W] = [dh!, du!, dw!].map((d) => derivativeValue(d, point));
        const u = evaluateTerm(a, definition(a, 'u'), point).data[0]!;
        const w = evaluateTerm(a, definition(a, 'w'), point).data[0]!;
        const expected = { dims: U!.dims, data: U!.data.map((x, k) => x * w + u * W!.data[k]!) };
        close(H!, expected, 1e-8, `${layout}: d((${F.text})·(${G.text}))/d${v}`);
      }),
      params(7001),
    );
  });
});
