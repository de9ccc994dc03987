// Dense tensors: construction, indexing, nested conversion, equality.

import { strict as assert } from 'node:assert';
import {
  allClose, clone, fromNested, full, get, identity, indexOf, map, offsetOf, scalar, set, sizeOf, strides, tensor, toNested, zeros,
} from '../../../src/engine/numeric/tensor';

describe('numeric: tensors', () => {
  it('builds from nested arrays in row-major order', () => {
    const t = fromNested([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.dims, [2, 3]);
    assert.deepEqual([...t.data], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(fromNested([7, 8]).dims, [2]);
    assert.deepEqual(fromNested(5).dims, []);
    assert.equal(fromNested(5).data[0], 5);
    assert.deepEqual(fromNested([[[1], [2]], [[3], [4]]]).dims, [2, 2, 1]);
  });

  it('round-trips through toNested', () => {
    for (const n of [3, [1, 2], [[1, 2], [3, 4]], [[[1, 2, 3]], [[4, 5, 6]]]]) assert.deepEqual(toNested(fromNested(n)), n);
  });

  it('rejects ragged input', () => {
    assert.throws(() => fromNested([[1, 2], [3]]), /Ragged/);
    assert.throws(() => fromNested([[1, 2], 3]), /Ragged/);
    assert.throws(() => fromNested([1, [2]]), /Ragged/);
  });

  it('computes strides, offsets and indices', () => {
    assert.deepEqual(strides([2, 3, 4]), [12, 4, 1]);
    assert.deepEqual(strides([]), []);
    assert.equal(sizeOf([2, 3, 4]), 24);
    assert.equal(sizeOf([]), 1);
    assert.equal(offsetOf([2, 3, 4], [1, 2, 3]), 23);
    assert.deepEqual(indexOf([2, 3, 4], 23), [1, 2, 3]);
    for (let p = 0; p < 24; p++) assert.equal(offsetOf([2, 3, 4], indexOf([2, 3, 4], p)), p);
    assert.throws(() => offsetOf([2, 3], [2, 0]), RangeError);
    assert.throws(() => offsetOf([2, 3], [0]), RangeError);
  });

  it('gets and sets by multi-index', () => {
    const t = zeros([2, 3]);
    set(t, [1, 2], 9);
    assert.equal(get(t, [1, 2]), 9);
    assert.equal(t.data[5], 9);
    assert.equal(get(scalar(4), []), 4);
  });

  it('has constructors and map', () => {
    assert.deepEqual(toNested(identity(2)), [[1, 0], [0, 1]]);
    assert.deepEqual(toNested(full([2], 7)), [7, 7]);
    assert.deepEqual(toNested(map(fromNested([1, 2]), (x, i) => x * 10 + i)), [10, 21]);
    assert.throws(() => tensor([2, 2], [1, 2, 3]), RangeError);
    const a = fromNested([1, 2]);
    const b = clone(a);
    b.data[0] = 5;
    assert.equal(a.data[0], 1);
  });

  it('compares within tolerance', () => {
    const a = fromNested([1, 2]);
    assert.ok(allClose(a, fromNested([1 + 1e-14, 2])));
    assert.ok(!allClose(a, fromNested([1.001, 2])));
    assert.ok(allClose(a, fromNested([1.001, 2]), 1e-2));
    assert.ok(!allClose(a, fromNested([[1, 2]])));
    assert.ok(!allClose(fromNested([NaN]), fromNested([NaN])));
    assert.ok(allClose(fromNested([Infinity]), fromNested([Infinity])));
  });
});
