// The differentiation rules' index invariant — a derivative's free indices
// are exactly the function's and the variable's fresh ones — is checked for
// every node with list scans; this pins that check against the set equality
// it replaced, including overlaps and near misses.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { exactlyIndices } from '../../../src/engine/ir/diff';

const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();

describe('differentiation: the index invariant check', () => {
  it('accepts exactly the union of the free and the fresh indices', () => {
    assert.equal(exactlyIndices(['a', 'k'], ['a'], ['k']), true);
    assert.equal(exactlyIndices(['k'], [], ['k']), true);
    assert.equal(exactlyIndices([], [], []), true);
    assert.equal(exactlyIndices(['a', 'b', 'k', 'l'], ['a', 'b'], ['k', 'l']), true);
  });

  it('rejects a missing index, an extra index, and a swapped one', () => {
    assert.equal(exactlyIndices(['a'], ['a'], ['k']), false);
    assert.equal(exactlyIndices(['a', 'b', 'k'], ['a'], ['k']), false);
    assert.equal(exactlyIndices(['b', 'k'], ['a'], ['k']), false);
    assert.equal(exactlyIndices([], ['a'], []), false);
  });

  it('counts an index that is both free and fresh once', () => {
    assert.equal(exactlyIndices(['a', 'k'], ['a', 'k'], ['k']), true);
    assert.equal(exactlyIndices(['a', 'k', 'k'], ['a', 'k'], ['k']), false);
  });

  it('agrees with set equality on random index lists', () => {
    const names = fc.constantFrom('a', 'b', 'c', 'k', 'l', '_1', '_2');
    fc.assert(
      fc.property(fc.array(names, { maxLength: 4 }), fc.array(names, { maxLength: 3 }), fc.array(names, { maxLength: 5 }), (free, extra, got) => {
        const f = sortedUnique(free);
        const k = [...new Set(extra)];
        const g = sortedUnique(got);
        const expected = new Set([...f, ...k]);
        const same = expected.size === g.length && g.every((i) => expected.has(i));
        assert.equal(exactlyIndices(g, f, k), same);
      }),
      { numRuns: 2000 },
    );
  });
});
