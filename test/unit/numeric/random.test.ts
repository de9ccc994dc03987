// Seeded random numbers and random points: reproducibility, default sizes,
// declared structure (symmetric, spd, diagonal) and conditioning by use.

import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/engine/analyze';
import { randomValues } from '../../../src/engine/derive/derive';
import { determinant } from '../../../src/engine/numeric/linalg';
import { createRng, randomPoint, type RandomPoint } from '../../../src/engine/numeric/random';
import type { Tensor } from '../../../src/engine/numeric/tensor';

/** A random point for every definition of `source`. */
function point(source: string, seed: number, sizes: Record<string, number> = {}): RandomPoint {
  const a = analyze(source);
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  const { variables, definitions } = a.elaboration;
  const r = randomPoint({ terms: definitions.map((d) => d.value), variables, definitions }, seed, sizes);
  if (!r.ok) assert.fail(r.message);
  return r.value;
}

const value = (p: RandomPoint, name: string): Tensor => p.values.get(name) ?? assert.fail(`no value for ${name}`);
const entry = (t: Tensor, i: number, j: number): number => t.data[i * t.dims[1]! + j]!;

describe('numeric: seeded PRNG', () => {
  it('matches the reference mulberry32 stream', () => {
    // Reference values from the canonical JavaScript mulberry32 with seed 42.
    const r = createRng(42);
    assert.deepEqual([r.next(), r.next(), r.next(), r.next()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]);
    assert.equal(createRng(0).next(), 0.26642920868471265);
  });

  it('is reproducible per seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const r = createRng(seed);
      return Array.from({ length: 50 }, (_, i) => (i % 2 ? r.normal() : r.uniform(-2, 5)));
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    assert.equal(createRng(-1).seed, 4294967295);
  });

  it('draws uniforms in range and standard normals', () => {
    const r = createRng(123);
    let sum = 0;
    let sq = 0;
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const u = r.next();
      assert.ok(u >= 0 && u < 1);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    assert.ok(Math.abs(sum / N) < 0.03, `mean ${sum / N}`);
    assert.ok(Math.abs(sq / N - 1) < 0.05, `variance ${sq / N}`);
  });

  it('is the one generator: the values of unused variables (randomValues) are its normal stream too', () => {
    // Declared variables in sorted order, each entry one normal draw (square matrices then shifted by n·I).
    const a = analyze('y: R^2\nx: R^3\nA: R^{2×2}');
    for (const seed of [0, 1, 42]) {
      const r = createRng(seed);
      const normals = Array.from({ length: 9 }, () => r.normal());
      const values = randomValues(a, {}, seed);
      assert.deepEqual(Array.from(values.get('A')!.data), [normals[0]! + 2, normals[1]!, normals[2]!, normals[3]! + 2]);
      assert.deepEqual(Array.from(values.get('x')!.data), normals.slice(4, 7));
      assert.deepEqual(Array.from(values.get('y')!.data), normals.slice(7, 9));
    }
  });
});

describe('numeric: random points', () => {
  it('is reproducible: same seed, same values', () => {
    const src = 'x: R^n\nA: R^{n×n}\nf = x^T A x';
    const a = point(src, 99);
    const b = point(src, 99);
    assert.deepEqual([...value(a, 'A').data], [...value(b, 'A').data]);
    assert.deepEqual([...value(a, 'x').data], [...value(b, 'x').data]);
    assert.notDeepEqual([...value(point(src, 100), 'x').data], [...value(a, 'x').data]);
    assert.equal(a.seed, 99);
  });

  it('gives each variable its own stream', () => {
    const one = point('x: R^n\nf = sum(x)', 5);
    const two = point('x: R^n\nw: R^n\nf = sum(x) + sum(w)', 5);
    assert.deepEqual([...value(one, 'x').data], [...value(two, 'x').data]);
    assert.notDeepEqual([...value(two, 'w').data], [...value(two, 'x').data]);
  });

  it('values only the variables the terms use', () => {
    const p = point('x: R^n\ny: R^n\nf = sum(x)', 1);
    assert.deepEqual([...p.values.keys()], ['x']);
  });

  it('gives distinct symbols distinct default sizes: m=3, n=4, p=2, q=5', () => {
    const p = point('X: R^{p×q}\nY: R^{m×n}\nf = sum(X) + sum(Y)', 1);
    assert.deepEqual(Object.fromEntries(p.sizes), { m: 3, n: 4, p: 2, q: 5 });
    assert.deepEqual(value(p, 'X').dims, [2, 5]);
    assert.deepEqual(value(p, 'Y').dims, [3, 4]);
    assert.deepEqual(Object.fromEntries(point('x: R^n\nf = sum(x)', 1).sizes), { n: 3 });
  });

  it('honours given sizes and keeps the others distinct from them and from literal dims', () => {
    assert.deepEqual(Object.fromEntries(point('X: R^{m×n}\nf = sum(X)', 1, { n: 3 }).sizes), { m: 4, n: 3 });
    assert.deepEqual(Object.fromEntries(point('X: R^{m×n}\nf = sum(X)', 1, { m: 7 }).sizes), { m: 7, n: 3 });
    assert.deepEqual(Object.fromEntries(point('x: R^3\nA: R^{n×n}\nf = sum(x) + tr(A)', 1).sizes), { n: 4 });
  });

  it('rejects sizes that are not whole numbers ≥ 1', () => {
    const a = analyze('x: R^n\nf = sum(x)');
    const r = randomPoint({ terms: [a.elaboration.definitions.get(0)!.value] }, 1, { n: 0 });
    assert.ok(!r.ok && /n = 0/.test(r.message));
  });

  it('makes symmetric, spd and diagonal matrices', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = point('A: R^{n×n} symmetric\nS: R^{n×n} spd\nD: R^{n×n} diagonal\nf = tr(A) + tr(S) + tr(D)', seed, { n: 4 });
      const [A, S, D] = [value(p, 'A'), value(p, 'S'), value(p, 'D')];
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          assert.equal(entry(A, i, j), entry(A, j, i));
          assert.equal(entry(S, i, j), entry(S, j, i));
          if (i !== j) assert.equal(entry(D, i, j), 0);
        }
      }
      // spd = BBᵀ + nI: every leading principal minor is positive, and zᵀSz ≥ n‖z‖².
      for (let k = 1; k <= 4; k++) {
        const minor = { dims: [k, k], data: Float64Array.from({ length: k * k }, (_, q) => entry(S, Math.floor(q / k), q % k)) };
        assert.ok(determinant(minor) > 0);
      }
      const r = createRng(seed + 1000);
      const z = Array.from({ length: 4 }, () => r.normal());
      let quad = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) quad += z[i]! * entry(S, i, j) * z[j]!;
      assert.ok(quad >= 4 * z.reduce((s, t) => s + t * t, 0) - 1e-9);
    }
  });

  it('conditions square matrices used under inv, det and logdet (through references too)', () => {
    for (let seed = 0; seed < 50; seed++) {
      const p = point('A: R^{n×n}\nB: R^{n×n} symmetric\nC: R^{n×n}\nG = inv(C)\nf = logdet(A) + det(B) + tr(G)', seed);
      for (const name of ['A', 'B', 'C']) {
        const X = value(p, name);
        const n = X.dims[0]!;
        for (let i = 0; i < n; i++) {
          let off = 0;
          for (let j = 0; j < n; j++) if (j !== i) off += Math.abs(entry(X, i, j));
          assert.ok(entry(X, i, i) - off >= 1 - 1e-12, `${name} is not diagonally dominant with margin 1 (seed ${seed})`);
        }
        assert.ok(determinant(X) > 0);
      }
      const B = value(p, 'B');
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(entry(B, i, j), entry(B, j, i));
    }
  });

  it('shifts only the diagonal when conditioning', () => {
    const plain = value(point('A: R^{n×n}\nf = tr(A)', 3), 'A');
    const conditioned = value(point('A: R^{n×n}\nf = logdet(A)', 3), 'A');
    const shift = entry(conditioned, 0, 0) - entry(plain, 0, 0);
    assert.ok(shift >= 1);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        assert.ok(Math.abs(entry(conditioned, i, j) - entry(plain, i, j) - (i === j ? shift : 0)) < 1e-12);
      }
    }
  });

  it('keeps entries positive under log and sqrt, and away from zero in denominators', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = point('x: R^n\nt: R\nu: R^n\nf = sum(log(x)) + sum(u ./ t)', seed);
      for (const v of value(p, 'x').data) assert.ok(v >= 0.5);
      assert.ok(Math.abs(value(p, 't').data[0]!) >= 0.5);
    }
  });
});
