// The IR evaluator's einsum on products of many factors: contracting pairwise
// (found through shared indices) gives the same values as multiplying step by
// step, for long chains, for factors that share no index (outer products), and
// for indices shared by more than two factors.

import { strict as assert } from 'node:assert';
import { IrEvaluator, type DenseTensor } from '../../../src/engine/ir/evaluate-ir';
import { mul, tensor } from '../../../src/engine/ir/ir';

// A rotation: its powers neither vanish nor blow up, so a wrong contraction cannot hide in tiny values.
const A: DenseTensor = { dims: [2, 2], data: Float64Array.from([0.6, -0.8, 0.8, 0.6]) };
const x: DenseTensor = { dims: [2], data: Float64Array.from([1, -2]) };
const y: DenseTensor = { dims: [3], data: Float64Array.from([3, 1, -1]) };

function evaluator(): IrEvaluator {
  return new IrEvaluator({ values: new Map([['A', A], ['x', x], ['y', y]]), size: (i) => (i.startsWith('j') ? 3 : 2) });
}

/** A^k x, multiplied out step by step. */
function powerTimes(k: number): number[] {
  let v = Array.from(x.data);
  for (let s = 0; s < k; s++) v = [A.data[0]! * v[0]! + A.data[1]! * v[1]!, A.data[2]! * v[0]! + A.data[3]! * v[1]!];
  return v;
}

function close(actual: Float64Array, expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, k) => assert.ok(Math.abs(actual[k]! - e) <= 1e-12, `entry ${k}: ${actual[k]} vs ${e}`));
}

describe('numeric: IR evaluator, products of many factors', () => {
  for (const k of [1, 2, 13, 400]) {
    it(`a flattened chain of ${k} matrix factors times x equals A^${k} x`, () => {
      const idx = Array.from({ length: k + 1 }, (_, n) => `i${String(n).padStart(3, '0')}`);
      const factors = [...Array.from({ length: k }, (_, n) => tensor('A', [idx[n]!, idx[n + 1]!])), tensor('x', [idx[k]!])];
      close(evaluator().valueIn(mul(factors, [idx[0]!]), [idx[0]!]).data, powerTimes(k));
    });
  }

  it('factors that share no index form an outer product', () => {
    const v = evaluator().valueIn(mul([tensor('x', ['i1']), tensor('y', ['j1']), tensor('x', ['i2'])], ['i1', 'i2', 'j1']), ['i1', 'j1', 'i2']);
    const expected: number[] = [];
    for (const a of x.data) for (const b of y.data) for (const c of x.data) expected.push(a * b * c);
    close(v.data, expected);
  });

  it('an index shared by several factors (a Hadamard product inside a chain) is summed once', () => {
    // Σ_i x_i x_i (A x)_i
    const v = evaluator().valueIn(mul([tensor('x', ['i1']), tensor('x', ['i1']), tensor('A', ['i1', 'i2']), tensor('x', ['i2'])], []), []);
    const ax = powerTimes(1);
    close(v.data, [x.data[0]! ** 2 * ax[0]! + x.data[1]! ** 2 * ax[1]!]);
  });
});
