// The IR evaluator's einsum on products of many factors: contracting pairwise
// (found through shared indices) gives the same values as multiplying step by
// step, for long chains, for factors that share no index (outer products), and
// for indices shared by more than two factors.

import { strict as assert } from 'node:assert';
import { IrEvaluator, type DenseTensor } from '../../../src/engine/ir/evaluate-ir';
import fc from 'fast-check';
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

  it('any product of up to four factors equals the sum over every index combination (random index patterns and sizes)', () => {
    const INDICES = ['a', 'b', 'c', 'd', 'e'];
    const pattern = fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 5, maxLength: 5 }),
      factors: fc.array(fc.subarray(INDICES, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      keep: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(pattern, ({ sizes, factors, keep, seed }) => {
        const size = (i: string) => sizes[INDICES.indexOf(i)]!;
        let state = seed;
        const random = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 2 - 1;
        const values = new Map<string, DenseTensor>();
        factors.forEach((idx, k) => {
          const dims = idx.map(size);
          values.set(`T${k}`, { dims, data: Float64Array.from({ length: dims.reduce((p, d) => p * d, 1) }, random) });
        });
        const used = INDICES.filter((i) => factors.some((f) => f.includes(i)));
        const free = used.filter((i) => keep[INDICES.indexOf(i)]);
        const node = mul(factors.map((idx, k) => tensor(`T${k}`, idx)), free);
        const actual = new IrEvaluator({ values, size }).valueIn(node, free).data;
        // Every assignment of the used indices, the product of the factors' entries, added at the free ones.
        const expected = new Array<number>(free.reduce((p, i) => p * size(i), 1)).fill(0);
        const at = new Map<string, number>(used.map((i) => [i, 0]));
        const flat = (idx: readonly string[]) => idx.reduce((o, i) => o * size(i) + at.get(i)!, 0);
        for (;;) {
          let product = 1;
          factors.forEach((idx, k) => (product *= values.get(`T${k}`)!.data[flat(idx)]!));
          expected[flat(free)]! += product;
          let k = used.length - 1;
          for (; k >= 0; k--) {
            const i = used[k]!;
            at.set(i, at.get(i)! + 1);
            if (at.get(i)! < size(i)) break;
            at.set(i, 0);
          }
          if (k < 0) break;
        }
        close(actual, expected);
      }),
      { seed: 77, numRuns: 500 },
    );
  });
});
