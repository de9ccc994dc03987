// Central-difference Jacobians in mixed layout (F's axes, then X's axes),
// axis permutation, and tensor comparison.

import { strict as assert } from 'node:assert';
import { compareTensors, finiteDifferenceJacobian, permuteAxes } from '../../../src/engine/numeric/finite-difference';
import { matmul, transpose2 } from '../../../src/engine/numeric/linalg';
import { fromNested, get, scalar, toNested, zeros, type Tensor } from '../../../src/engine/numeric/tensor';
import { assertTensor, T } from './build';

/** A (3×3, not symmetric) and a point x. */
const A = T([[1, 2, 0], [-1, 3, 4], [2, 0.5, -2]]);
const x0 = T([0.3, -1.2, 2]);

const quad = (x: Tensor): Tensor => {
  let s = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += x.data[i]! * A.data[i * 3 + j]! * x.data[j]!;
  return scalar(s);
};

describe('numeric: finite differences', () => {
  it('∇(xᵀAx) = (A + Aᵀ)x', () => {
    const J = finiteDifferenceJacobian(quad, x0);
    assert.deepEqual(J.dims, [3]);
    // (A + Aᵀ)x by hand: A + Aᵀ = [[2,1,2],[1,6,4.5],[2,4.5,−4]].
    const expected = [2 * 0.3 + 1 * -1.2 + 2 * 2, 1 * 0.3 + 6 * -1.2 + 4.5 * 2, 2 * 0.3 + 4.5 * -1.2 - 4 * 2];
    const cmp = compareTensors(J, T(expected), 1e-8, 1e-10);
    assert.ok(cmp.ok, `max relative error ${cmp.maxRelativeError}`);
  });

  it('∂tr(AX)/∂X = Aᵀ in mixed layout (shaped like X)', () => {
    const Am = T([[1, 2, 3], [4, 5, 6]]); // 2×3, so X is 3×2
    const X0 = T([[0.5, -1], [2, 0], [1, 1.5]]);
    const f = (X: Tensor): Tensor => {
      const P = matmul(Am, X);
      return scalar(P.data[0]! + P.data[3]!);
    };
    const J = finiteDifferenceJacobian(f, X0);
    assert.deepEqual(J.dims, [3, 2]);
    assertTensor(J, [[1, 4], [2, 5], [3, 6]], 1e-8, 1e-9);
  });

  it('∂(Bx)/∂x = B: F\'s axes first, then x\'s', () => {
    const B = T([[1, -2, 0.5], [3, 0, 1]]);
    const f = (x: Tensor): Tensor => ({ dims: [2], data: matmul(B, { dims: [3, 1], data: x.data }).data });
    const J = finiteDifferenceJacobian(f, x0);
    assertTensor(J, toNested(B), 1e-9, 1e-9);
  });

  it('∂(X²)/∂X[i,j,k,l] = δᵢₖXₗⱼ + Xᵢₖδⱼₗ', () => {
    const X0 = T([[1, 2], [-0.5, 3]]);
    const J = finiteDifferenceJacobian((X) => matmul(X, X), X0);
    assert.deepEqual(J.dims, [2, 2, 2, 2]);
    const want = zeros([2, 2, 2, 2]);
    const X = (i: number, j: number): number => get(X0, [i, j]);
    let p = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
      want.data[p++] = (i === k ? X(l, j) : 0) + (j === l ? X(i, k) : 0);
    }
    assert.ok(compareTensors(J, want, 1e-8, 1e-9).ok);
  });

  it('is accurate to about 10 digits on a smooth nonlinear function', () => {
    const f = (x: Tensor): Tensor => ({ dims: [3], data: x.data.map((v) => Math.exp(v) * Math.sin(v)) });
    const J = finiteDifferenceJacobian(f, x0);
    const cmp = compareTensors(J, fromNested([0, 1, 2].map((i) => [0, 1, 2].map((j) => {
      const v = x0.data[j]!;
      return i === j ? Math.exp(v) * (Math.sin(v) + Math.cos(v)) : 0;
    }))), 1e-9, 1e-12);
    assert.ok(cmp.ok, `max relative error ${cmp.maxRelativeError}`);
    assert.ok(cmp.maxRelativeError < 1e-9);
  });

  it('handles scalars and leaves x untouched', () => {
    const before = [...x0.data];
    finiteDifferenceJacobian(quad, x0);
    assert.deepEqual([...x0.data], before);
    const J = finiteDifferenceJacobian((t) => scalar(t.data[0]! ** 3), scalar(2));
    assert.deepEqual(J.dims, []);
    assert.ok(Math.abs(J.data[0]! - 12) < 1e-8);
  });
});

describe('numeric: permuteAxes', () => {
  it('is a transpose for matrices', () => {
    const M = T([[1, 2, 3], [4, 5, 6]]);
    assertTensor(permuteAxes(M, [1, 0]), toNested(transpose2(M)));
    assertTensor(permuteAxes(M, [0, 1]), [[1, 2, 3], [4, 5, 6]]);
  });

  it('follows numpy transpose on a 3-tensor', () => {
    const t = fromNested([[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]); // arange(12).reshape(2,3,2)
    assertTensor(permuteAxes(t, [2, 0, 1]), [[[0, 2, 4], [6, 8, 10]], [[1, 3, 5], [7, 9, 11]]]);
  });

  it('rejects non-permutations', () => {
    assert.throws(() => permuteAxes(zeros([2, 2]), [0, 0]), RangeError);
    assert.throws(() => permuteAxes(zeros([2, 2]), [0]), RangeError);
  });
});

describe('numeric: compareTensors', () => {
  it('reports relative and absolute errors and where the worst entry is', () => {
    const a = T([[1, 2], [3, 4]]);
    const same = compareTensors(a, T([[1, 2], [3, 4]]));
    assert.deepEqual([same.ok, same.maxRelativeError, same.maxAbsoluteError, same.worstIndex], [true, 0, 0, null]);
    const off = compareTensors(a, T([[1, 2], [3.003, 4]]), 1e-6, 1e-8);
    assert.ok(!off.ok);
    assert.ok(Math.abs(off.maxRelativeError - 0.003 / 3.003) < 1e-12);
    assert.ok(Math.abs(off.maxAbsoluteError - 0.003) < 1e-12);
    assert.deepEqual(off.worstIndex, [1, 0]);
    assert.ok(compareTensors(a, T([[1, 2], [3.003, 4]]), 1e-2, 0).ok);
  });

  it('uses atol near zero', () => {
    assert.ok(compareTensors(T([0, 1]), T([1e-10, 1]), 1e-6, 1e-8).ok);
    assert.ok(!compareTensors(T([0, 1]), T([1e-10, 1]), 1e-6, 0).ok);
  });

  it('never passes on NaN or mismatched dims', () => {
    const nan = compareTensors(T([NaN, 1]), T([NaN, 1]));
    assert.ok(!nan.ok);
    assert.equal(nan.maxRelativeError, Infinity);
    assert.deepEqual(nan.worstIndex, [0]);
    assert.ok(!compareTensors(T([1, 2]), T([[1, 2]])).ok);
    assert.equal(compareTensors(T([1, 2]), T([[1, 2]])).dimsMatch, false);
    assert.ok(compareTensors(T([Infinity]), T([Infinity])).ok);
    assert.ok(!compareTensors(T([Infinity]), T([1])).ok);
  });
});
