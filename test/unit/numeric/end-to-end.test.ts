// From source text to numbers: analyze() a block, draw a random point with a
// shown seed, evaluate definitions there, and check derivative formulas
// against central differences.

import { strict as assert } from 'node:assert';
import { analyze, type Analysis } from '../../../src/engine/analyze';
import { evaluate, functionOf, type EvalEnv } from '../../../src/engine/numeric/evaluate';
import { compareTensors, finiteDifferenceJacobian } from '../../../src/engine/numeric/finite-difference';
import { randomPoint } from '../../../src/engine/numeric/random';
import type { Definition } from '../../../src/engine/shape/elaborate';
import type { Tensor } from '../../../src/engine/numeric/tensor';

const SEED = 20240611;

interface Setup {
  readonly analysis: Analysis;
  readonly env: EvalEnv;
  readonly sizes: ReadonlyMap<string, number>;
  def(name: string): Definition;
  value(name: string): Tensor;
}

function setup(source: string, seed = SEED): Setup {
  const analysis = analyze(source);
  assert.deepEqual(analysis.diagnostics.map((d) => d.message), []);
  const { variables, definitions } = analysis.elaboration;
  const p = randomPoint({ terms: definitions.map((d) => d.value), variables, definitions }, seed);
  if (!p.ok) assert.fail(p.message);
  const env: EvalEnv = { values: p.value.values, definitions };
  const def = (name: string): Definition => definitions.find((d) => d.name === name) ?? assert.fail(`no definition ${name}`);
  const value = (name: string): Tensor => {
    const r = evaluate(def(name).value, env);
    if (!r.ok) assert.fail(`${name}: ${r.message} (seed ${seed})`);
    return r.value;
  };
  return { analysis, env, sizes: p.value.sizes, def, value };
}

/** Finite-difference Jacobian of definition `f` with respect to variable `wrt` (mixed layout). */
function numericJacobian(s: Setup, f: string, wrt: string): Tensor {
  const fn = functionOf(s.def(f).value, s.env, wrt);
  if (!fn.ok) assert.fail(fn.message);
  return finiteDifferenceJacobian(fn.value, (s.env.values as ReadonlyMap<string, Tensor>).get(wrt)!);
}

function assertAgrees(actual: Tensor, expected: Tensor, rtol = 1e-7, atol = 1e-9): void {
  const cmp = compareTensors(actual, expected, rtol, atol);
  assert.ok(cmp.ok, `max relative error ${cmp.maxRelativeError} at [${cmp.worstIndex}] (seed ${SEED}); dims ${actual.dims} vs ${expected.dims}`);
}

describe('numeric: end to end', () => {
  it('evaluates f = xᵀAx at a random point, equal to a direct computation', () => {
    const s = setup('x: R^n\nA: R^{n×n}\nf = x^T A x');
    assert.equal(s.sizes.get('n'), 3);
    const values = s.env.values as ReadonlyMap<string, Tensor>;
    const x = values.get('x')!;
    const A = values.get('A')!;
    assert.deepEqual(x.dims, [3]);
    assert.deepEqual(A.dims, [3, 3]);
    let direct = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) direct += x.data[i]! * A.data[i * 3 + j]! * x.data[j]!;
    const f = s.value('f');
    assert.deepEqual(f.dims, []);
    assert.ok(Math.abs(f.data[0]! - direct) <= 1e-12 * Math.max(1, Math.abs(direct)), `${f.data[0]} vs ${direct}`);
  });

  it('checks ∇ₓ(xᵀAx) = (A + Aᵀ)x and ∇_A(xᵀAx) = xxᵀ against central differences', () => {
    const s = setup('x: R^n\nA: R^{n×n}\nf = x^T A x\ng = (A + A^T) x\nG = x x^T');
    assertAgrees(numericJacobian(s, 'f', 'x'), s.value('g'));
    assertAgrees(numericJacobian(s, 'f', 'A'), s.value('G'));
  });

  it('checks ∂(Ax)/∂x = A (F\'s axes, then x\'s)', () => {
    const s = setup('x: R^n\nA: R^{n×n}\nF = A x\nJ = A');
    assertAgrees(numericJacobian(s, 'F', 'x'), s.value('J'));
  });

  it('checks ∇ tr(XᵀX) = 2X with a non-square X (m = 3, n = 4)', () => {
    const s = setup('X: R^{m×n}\nf = tr(X^T X)\nG = 2 X');
    assert.deepEqual(s.value('G').dims, [3, 4]);
    assertAgrees(numericJacobian(s, 'f', 'X'), s.value('G'));
  });

  it('checks ∇ logdet X = X⁻ᵀ at a conditioned random X', () => {
    const s = setup('X: R^{n×n}\nf = logdet(X)\nG = inv(X)^T');
    assert.ok(Number.isFinite(s.value('f').data[0]!));
    assertAgrees(numericJacobian(s, 'f', 'X'), s.value('G'));
  });

  it('checks the softmax Jacobian diag(s) − ssᵀ through references', () => {
    const s = setup('z: R^n\ns = softmax(z)\nJ = diag(s) - s s^T');
    assertAgrees(numericJacobian(s, 's', 'z'), s.value('J'));
  });

  it('reports a size mismatch between bound values as an error value', () => {
    const s = setup('x: R^n\nA: R^{n×n}\nf = x^T A x');
    const values = new Map(s.env.values as ReadonlyMap<string, Tensor>);
    values.set('x', { dims: [4], data: new Float64Array(4) });
    const r = evaluate(s.def('f').value, { ...s.env, values });
    assert.ok(!r.ok);
    assert.match(r.message, /Inconsistent sizes/);
  });
});
