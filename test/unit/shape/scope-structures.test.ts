// The persistent structures a Scope is made of (src/engine/shape/scope.ts):
// DefinitionTable (a persistent vector) and LayeredMap, checked against plain
// arrays and maps on random histories, including tables extended from older
// versions (a region analysed again after an edit).

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DefinitionMemo, type Definition } from '../../../src/engine/shape/elaborate';
import { DefinitionTable, LayeredMap } from '../../../src/engine/shape/scope';

function definition(id: number): Definition {
  return { id, name: `d${id % 7}`, value: { op: 'const', value: id, shape: { dims: [] }, args: [] } as never, span: { start: id, end: id + 1 }, fromElements: false, memo: new DefinitionMemo() };
}

function same(table: DefinitionTable, expected: readonly Definition[]): void {
  assert.equal(table.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.equal(table.get(i), expected[i], `id ${i}`);
  assert.equal(table.get(expected.length), undefined);
  assert.equal(table.get(-1), undefined);
  assert.deepEqual([...table], expected);
  assert.deepEqual(table.toArray(), expected);
}

describe('scope structures', () => {
  it('DefinitionTable holds 40,000 appended definitions in order (three tree levels)', () => {
    const all = Array.from({ length: 40_000 }, (_, i) => definition(i));
    let table = DefinitionTable.EMPTY;
    // Batches of varying size cross every leaf and root boundary (32, 1,024 + 32, 32,768 + 32).
    for (let at = 0, k = 1; at < all.length; k = (k * 7 + 3) % 97 + 1) {
      table = table.with(all.slice(at, at + k));
      at = Math.min(all.length, at + k);
    }
    same(table, all);
    assert.equal(table.lastNamed('d3'), all[39_999 - ((39_999 - 3) % 7)]);
    assert.equal(table.find((d) => d.id === 31_000), all[31_000]);
    assert.deepEqual(table.filter((d) => d.id % 10_000 === 0).map((d) => d.id), [0, 10_000, 20_000, 30_000]);
  });

  it('DefinitionTable versions are independent: extending an old table changes no other', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 80 })), { minLength: 1, maxLength: 40 }), (steps) => {
        const versions: { table: DefinitionTable; list: Definition[] }[] = [{ table: DefinitionTable.EMPTY, list: [] }];
        let serial = 0;
        for (const [pick, count] of steps) {
          const base = versions[pick % versions.length]!;
          // Ids continue the base table; the objects are new, so a shared store would show through.
          const more = Array.from({ length: count }, (_, k) => ({ ...definition(base.list.length + k), name: `v${serial++}` }));
          versions.push({ table: base.table.with(more), list: [...base.list, ...more] });
        }
        for (const v of versions) same(v.table, v.list);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('LayeredMap stays shallow and copies each entry a logarithmic number of times (20,000 writes of 1–3 keys)', () => {
    let map = LayeredMap.empty<number>();
    let maxDepth = 0;
    for (let k = 0; k < 20_000; k++) {
      const changes = new Map<string, number>();
      for (let j = 0; j <= k % 3; j++) changes.set(`k${(k * 7 + j) % 5000}`, k);
      map = map.with(changes);
      maxDepth = Math.max(maxDepth, map.depth);
    }
    // Three layers per size class at most, log₄ of 20,000 entries ≈ 7 classes.
    assert.ok(maxDepth <= 24, `depth ${maxDepth}`);
    assert.ok(maxDepth >= 8, `depth ${maxDepth}: layers are merged too eagerly`);
    for (let key = 0; key < 5000; key += 97) assert.equal(typeof map.get(`k${key}`), 'number');
  });

  it('LayeredMap reads the newest value of every key across many versions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.nat()), { maxLength: 6 })), { minLength: 1, maxLength: 60 }), (steps) => {
        const versions: { map: LayeredMap<number>; plain: Map<string, number> }[] = [{ map: LayeredMap.empty<number>(), plain: new Map() }];
        for (const [pick, writes] of steps) {
          const base = versions[pick % versions.length]!;
          const changes = new Map(writes.map(([k, v]) => [`k${k}`, v]));
          const plain = new Map(base.plain);
          for (const [k, v] of changes) plain.set(k, v);
          versions.push({ map: base.map.with(changes), plain });
        }
        for (const v of versions) {
          for (let k = 0; k <= 30; k++) assert.equal(v.map.get(`k${k}`), v.plain.get(`k${k}`));
          assert.deepEqual(new Map([...v.map.entries()].sort()), new Map([...v.plain].sort()));
        }
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});
