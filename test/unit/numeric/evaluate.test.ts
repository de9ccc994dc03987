// The evaluator against hand-computed values, one op at a time, plus its error values.

import { strict as assert } from 'node:assert';
import { evaluate, resolveSizes, type EvalEnv } from '../../../src/engine/numeric/evaluate';
import type { Term } from '../../../src/engine/shape/term';
import type { Tensor } from '../../../src/engine/numeric/tensor';
import { assertTensor, c, call, mm, T, term, tr, v } from './build';

// A = [[2,1],[1,3]], B = [[1,2],[3,4]] (n×n); x = [1,2], y = [3,−1] (n); s = 2.
const VALUES: Record<string, Tensor> = {
  A: T([[2, 1], [1, 3]]),
  B: T([[1, 2], [3, 4]]),
  x: T([1, 2]),
  y: T([3, -1]),
  s: T(2),
  M: T([[4, 7, 2], [3, 6, 1], [2, 5, 3]]),
  P: T([[0, 1, 2], [1, 0, 3], [4, -3, 8]]),
  S: T([[1, 2], [2, 4]]),
};
const A = v('A', 'n', 'n');
const B = v('B', 'n', 'n');
const x = v('x', 'n');
const y = v('y', 'n');
const s = v('s');
const M = v('M', 3, 3);
const P = v('P', 3, 3);
const S = v('S', 'n', 'n');

function ev(t: Term, env: Partial<EvalEnv> = {}): Tensor {
  const r = evaluate(t, { values: VALUES, ...env });
  if (!r.ok) assert.fail(r.message);
  return r.value;
}

function evError(t: Term, env: Partial<EvalEnv> = {}): string {
  const r = evaluate(t, { values: VALUES, ...env });
  assert.ok(!r.ok, 'expected an error value');
  return r.message;
}

describe('numeric: evaluate, leaves and structure', () => {
  it('var, const, fill, eye', () => {
    assertTensor(ev(x), [1, 2]);
    assertTensor(ev(c(2.5)), 2.5);
    assertTensor(ev(term('add', ['n'], [x, term('fill', ['n'], [], { value: 1 })])), [2, 3]);
    assertTensor(ev(term('add', ['n', 'n'], [A, term('eye', ['n', 'n'])])), [[3, 1], [1, 4]]);
    assertTensor(ev(term('fill', [2, 3], [], { value: 0 })), [[0, 0, 0], [0, 0, 0]]);
  });

  it('unit is the standard basis vector e_{index+1} of its size', () => {
    assertTensor(ev(term('unit', ['n'], [], { index: [1] }), { sizes: { n: 2 } }), [0, 1]);
    assertTensor(ev(term('add', ['n'], [x, term('unit', ['n'], [], { index: [0] })])), [2, 2]);
    assertTensor(ev(term('unit', [3], [], { index: [2] })), [0, 0, 1]);
    assert.match(evError(term('unit', ['n'], [], { index: [2] }), { sizes: { n: 2 } }), /e_3 is outside a 2-vector/);
  });

  it('elem is 0-based', () => {
    assertTensor(ev(term('elem', [], [B], { index: [1, 0] })), 3);
    assertTensor(ev(term('elem', [], [y], { index: [1] })), -1);
    assert.match(evError(term('elem', [], [x], { index: [2] })), /outside/);
  });

  it('array stacks along a new leading axis', () => {
    assertTensor(ev(term('array', [2], [c(1), c(2)])), [1, 2]);
    assertTensor(ev(term('array', [2, 'n'], [x, y])), [[1, 2], [3, -1]]);
    assertTensor(ev(term('array', [2, 'n', 'n'], [A, B])), [[[2, 1], [1, 3]], [[1, 2], [3, 4]]]);
  });

  it('transpose: matrices swap axes, vectors keep their data', () => {
    assertTensor(ev(tr(B)), [[1, 3], [2, 4]]);
    assertTensor(ev(tr(x)), [1, 2]);
  });

  it('ref resolves through the definitions, once per evaluation', () => {
    let reads = 0;
    const sumXY = term('add', ['n'], [x, y]);
    const definitions = [
      { id: 0, get value(): Term { reads++; return sumXY; } },
      { id: 1, value: term('hadamard', ['n'], [term('ref', ['n'], [], { def: 0, name: 'z' }), term('ref', ['n'], [], { def: 0, name: 'z' })]) },
    ];
    assertTensor(ev(term('ref', ['n'], [], { def: 1, name: 'w' }), { definitions }), [16, 1]);
    // One read while fixing sizes, one while evaluating: the second use is memoized.
    assert.equal(reads, 2);
    assert.match(evError(term('ref', ['n'], [], { def: 7, name: 'q' }), { definitions }), /definition of q/);
  });
});

describe('numeric: evaluate, elementwise arithmetic', () => {
  it('neg, add, sub with scalar broadcasting', () => {
    assertTensor(ev(term('neg', ['n'], [x])), [-1, -2]);
    assertTensor(ev(term('add', ['n'], [x, y])), [4, 1]);
    assertTensor(ev(term('add', ['n'], [s, x])), [3, 4]);
    assertTensor(ev(term('add', ['n'], [x, s])), [3, 4]);
    assertTensor(ev(term('sub', ['n'], [x, y])), [-2, 3]);
    assertTensor(ev(term('sub', ['n'], [s, x])), [1, 0]);
    assertTensor(ev(term('sub', ['n', 'n'], [B, s])), [[-1, 0], [1, 2]]);
  });

  it('hadamard, hdiv, hpow', () => {
    assertTensor(ev(term('hadamard', ['n'], [x, y])), [3, -2]);
    assertTensor(ev(term('hadamard', ['n', 'n'], [A, B])), [[2, 2], [3, 12]]);
    assertTensor(ev(term('hdiv', ['n'], [x, y])), [1 / 3, -2]);
    assertTensor(ev(term('hdiv', ['n'], [x, s])), [0.5, 1]);
    assertTensor(ev(term('hdiv', ['n'], [s, x])), [2, 1]);
    assertTensor(ev(term('hpow', ['n'], [y, c(2)])), [9, 1]);
    assertTensor(ev(term('hpow', ['n'], [c(2), x])), [2, 4]);
    assertTensor(ev(term('hpow', ['n'], [x, y])), [1, 0.5]);
  });

  it('scale, pow', () => {
    assertTensor(ev(term('scale', ['n', 'n'], [s, B])), [[2, 4], [6, 8]]);
    assertTensor(ev(term('pow', [], [s, c(3)])), 8);
    assertTensor(ev(term('pow', [], [s, c(-1)])), 0.5);
  });

  it('rejects unequal shapes elementwise', () => {
    assert.match(evError(term('add', ['n'], [x, v('z', 3)]), { values: { ...VALUES, z: T([1, 2, 3]) } }), /n = 2|equal shapes/);
  });
});

describe('numeric: evaluate, products and matrix functions', () => {
  it('matmul: mm, mv, vm, dot, outer', () => {
    assertTensor(ev(mm('mm', A, B, ['n', 'n'])), [[5, 8], [10, 14]]);
    assertTensor(ev(mm('mv', B, x, ['n'])), [5, 11]);
    assertTensor(ev(mm('vm', tr(x), B, ['n'], true)), [7, 10]);
    assertTensor(ev(mm('dot', tr(x), y, [])), 1);
    assertTensor(ev(mm('outer', x, tr(y), ['n', 'n'])), [[3, -1], [6, -2]]);
  });

  it('matmul on non-square matrices', () => {
    const C = v('C', 2, 3);
    const values = { C: T([[1, 0, 2], [-1, 3, 1]]), u: T([1, 2, 3]) };
    assertTensor(ev(mm('mm', C, tr(C), [2, 2]), { values }), [[5, 1], [1, 11]]);
    assertTensor(ev(mm('mm', tr(C), C, [3, 3]), { values }), [[2, -3, 1], [-3, 9, 3], [1, 3, 5]]);
    assertTensor(ev(mm('mv', C, v('u', 3), [2]), { values }), [7, 8]);
  });

  it('frob is the sum of elementwise products', () => {
    assertTensor(ev(term('frob', [], [A, B])), 19);
    assertTensor(ev(term('frob', [], [x, y])), 1);
  });

  it('matpow', () => {
    assertTensor(ev(term('matpow', ['n', 'n'], [B], { value: 3 })), [[37, 54], [81, 118]]);
    assertTensor(ev(term('matpow', ['n', 'n'], [B], { value: 2 })), [[7, 10], [15, 22]]);
    assertTensor(ev(term('matpow', [3, 3], [M], { value: 1 })), [[4, 7, 2], [3, 6, 1], [2, 5, 3]]);
  });

  it('inv by Gauss–Jordan, with pivoting, and singular matrices as errors', () => {
    assertTensor(ev(term('inv', [3, 3], [M])), [[13 / 9, -11 / 9, -5 / 9], [-7 / 9, 8 / 9, 2 / 9], [3 / 9, -6 / 9, 3 / 9]], 1e-13, 1e-14);
    // P has a zero in the top-left corner: only pivoting can invert it.
    assertTensor(ev(term('inv', [3, 3], [P])), [[-4.5, 7, -1.5], [-2, 4, -1], [1.5, -2, 0.5]], 1e-13, 1e-14);
    assertTensor(ev(term('inv', ['n', 'n'], [A])), [[0.6, -0.2], [-0.2, 0.4]], 1e-14, 1e-15);
    assert.match(evError(term('inv', ['n', 'n'], [S])), /singular/);
    assert.match(evError(term('inv', ['n', 'n'], [term('fill', ['n', 'n'], [], { value: 0 })]), { sizes: { n: 2 } }), /singular/);
    // A well-conditioned matrix of tiny entries still inverts (the threshold is relative).
    assertTensor(ev(term('inv', [2, 2], [v('E', 2, 2)]), { values: { E: T([[1e-200, 0], [0, 2e-200]]) } }), [[1e200, 0], [0, 5e199]], 1e-14);
  });

  it('det and logdet by LU with partial pivoting', () => {
    assertTensor(ev(call('det', M)), 9, 1e-13);
    assertTensor(ev(call('det', P)), -2, 1e-13);
    assertTensor(ev(call('det', A)), 5, 1e-14);
    assertTensor(ev(call('det', S)), 0);
    assertTensor(ev(call('logdet', A)), Math.log(5), 1e-14);
    assertTensor(ev(call('logdet', v('Q', 2, 2)), { values: { Q: T([[4, 2], [2, 3]]) } }), 2.0794415416798357, 1e-14);
    // logdet is log(det X): NaN when det X ≤ 0.
    assert.ok(Number.isNaN(ev(call('logdet', P)).data[0]));
    assert.ok(Number.isNaN(ev(call('logdet', S)).data[0]));
    // Negative pivots whose signs cancel: det = (−1)(−2) = 2 > 0.
    assertTensor(ev(call('logdet', v('N', 2, 2)), { values: { N: T([[-1, 0], [0, -2]]) } }), Math.log(2), 1e-14);
  });

  it('sum, tr, norm2, norm1', () => {
    assertTensor(ev(call('sum', B)), 10);
    assertTensor(ev(call('sum', x)), 3);
    assertTensor(ev(call('tr', B)), 5);
    assertTensor(ev(call('norm2', B)), Math.sqrt(30), 1e-15);
    assertTensor(ev(call('norm2', y)), Math.sqrt(10), 1e-15);
    assertTensor(ev(call('norm2', c(-3))), 3);
    assertTensor(ev(call('norm1', y)), 4);
    assertTensor(ev(call('norm1', term('neg', ['n', 'n'], [B]))), 10);
  });

  it('softmax, logsumexp', () => {
    const u = v('u', 3);
    const values = { u: T([1, 2, 3]) };
    assertTensor(ev(call('softmax', u, [3]), { values }), [0.09003057317038046, 0.24472847105479764, 0.6652409557748218], 1e-14);
    assertTensor(ev(call('logsumexp', u), { values }), 3.40760596444438, 1e-14);
  });

  it('diag in both directions', () => {
    assertTensor(ev(call('diag', x, ['n', 'n'])), [[1, 0], [0, 2]]);
    assertTensor(ev(call('diag', B, ['n'])), [1, 4]);
  });

  it('elementwise functions', () => {
    const h = v('h');
    const at = (fn: string, value: number): number => ev(call(fn, h), { values: { h: T(value) } }).data[0]!;
    const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);
    close(at('sin', 0.5), 0.479425538604203);
    close(at('cos', 0.5), 0.8775825618903728);
    close(at('tan', 0.5), 0.5463024898437905);
    close(at('exp', 0.5), 1.6487212707001282);
    close(at('tanh', 0.5), 0.46211715726000974);
    close(at('log', 2), 0.6931471805599453);
    close(at('sqrt', 2), 1.4142135623730951);
    close(at('abs', -3), 3);
    close(at('relu', -1.5), 0);
    close(at('relu', 2.5), 2.5);
    // sign and step are what ∂|x| and ∂relu(x) print as; step(0) = 0, as the derivative of relu uses it.
    close(at('sign', -2.5), -1);
    close(at('sign', 0), 0);
    close(at('sign', 3), 1);
    close(at('step', -1), 0);
    close(at('step', 0), 0);
    close(at('step', 0.25), 1);
    close(at('sigmoid', -2), 0.11920292202211755);
    close(at('sigmoid', 0.5), 0.6224593312018546);
    close(at('softplus', -2), 0.1269280110429725);
    close(at('softplus', 0.5), 0.9740769841801067);
    assert.ok(Number.isNaN(at('log', -1)));
    assert.ok(Number.isNaN(at('sqrt', -1)));
    assertTensor(ev(call('relu', y, ['n'])), [3, 0]);
    assertTensor(ev(call('exp', term('fill', [2], [], { value: 0 }), [2])), [1, 1]);
  });
});

describe('numeric: evaluate, stability at large inputs', () => {
  const big = (fn: string, data: number[], dims: number[] = [data.length]): Tensor =>
    ev(call(fn, v('w', ...dims), fn === 'softmax' ? dims : []), { values: { w: T(data) } });

  it('softmax shifts by the maximum', () => {
    assertTensor(big('softmax', [1000, 1001, 1002]), [0.09003057317038046, 0.24472847105479764, 0.6652409557748218], 1e-14);
    assertTensor(big('softmax', [-1000, -1000]), [0.5, 0.5]);
  });

  it('logsumexp neither overflows nor underflows', () => {
    assertTensor(big('logsumexp', [1000, 1000]), 1000.6931471805599, 1e-15);
    assertTensor(big('logsumexp', [-1000, -1000]), -999.3068528194401, 1e-15);
  });

  it('sigmoid and softplus at large |x|', () => {
    const one = (fn: string, value: number): number => ev(call(fn, v('h')), { values: { h: T(value) } }).data[0]!;
    assert.equal(one('sigmoid', 1000), 1);
    assert.equal(one('sigmoid', -1000), 0);
    assert.ok(Math.abs(one('sigmoid', -40) / 4.24835425529159e-18 - 1) < 1e-14);
    assert.equal(one('softplus', 1000), 1000);
    assert.equal(one('softplus', -1000), 0);
    assert.ok(Math.abs(one('softplus', -40) / 4.248354255291589e-18 - 1) < 1e-14);
  });

  it('norm2 scales to avoid overflow and underflow', () => {
    assertTensor(big('norm2', [1e200, 1e200]), 1.4142135623730951e200, 1e-15);
    assertTensor(big('norm2', [3e-200, 4e-200]), 5e-200, 1e-15, 0);
  });
});

describe('numeric: evaluate, sizes and error values', () => {
  it('derives symbolic sizes from bound values', () => {
    const r = resolveSizes(mm('mv', A, x, ['n']), { values: VALUES });
    assert.ok(r.ok);
    assert.deepEqual([...r.value], [['n', 2]]);
  });

  it('reports inconsistent sizes as an error value', () => {
    const message = evError(mm('mv', A, x, ['n']), { values: { A: VALUES.A!, x: T([1, 2, 3]) } });
    assert.match(message, /Inconsistent sizes/);
    assert.match(message, /n = 2/);
    assert.match(message, /n = 3/);
    assert.match(evError(x, { sizes: { n: 5 } }), /given sizes fixes n = 5/);
  });

  it('reports rank and literal-dim mismatches, missing values and unknown sizes', () => {
    assert.match(evError(x, { values: { x: T([[1, 2]]) } }), /rank/);
    assert.match(evError(M, { values: { M: T([[1, 2], [3, 4]]) } }), /declared 3×3/);
    assert.match(evError(term('add', ['n'], [x, v('nope', 'n')])), /No value .* nope/);
    assert.match(evError(term('fill', ['k'], [], { value: 1 })), /size k is unknown/);
    assertTensor(ev(term('fill', ['k'], [], { value: 1 }), { sizes: { k: 3 } }), [1, 1, 1]);
    assert.match(evError(x, { sizes: { n: 1.5 } }), /not a whole number/);
    // Every use of a name is checked, even when a redeclared name carries other dims.
    assert.match(evError(term('frob', [], [x, v('x', 3)])), /declared 3/);
  });

  it('deriv and opaque terms have no numeric value', () => {
    assert.match(evError(term('deriv', [], [call('sum', x)], { wrt: ['x'], order: 1 })), /derivative/);
    assert.match(evError(term('opaque', [], [], { name: 'g' })), /g is declared by its signature only/);
  });

  it('returns fresh tensors', () => {
    const r = ev(x);
    r.data[0] = 99;
    assert.equal(VALUES.x!.data[0], 1);
  });

  it('never throws on malformed terms', () => {
    assert.match(evError(mm('mm', x, y, ['n', 'n'])), /cannot take/);
    assert.match(evError(term('matmul', [], [x, y], { fn: 'cross' })), /Unknown matrix product/);
    assert.match(evError(call('frobnicate', x)), /not a function/);
    assert.match(evError(term('add', [3], [x, y])), /Internal/);
  });
});
