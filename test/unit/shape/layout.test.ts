// Layout rules (src/engine/shape/layout.ts) against the spec in
// /work/shared/docs/layouts-and-anchors.md, for every rank combination 0..3 × 0..3:
//   numerator   (m1..mh, nk..n1)   F's axes, then X's axes reversed
//   denominator (n1..nk, mh..m1)   X's axes, then F's axes reversed = the full transpose of numerator
//   mixed       (m1..mh, n1..nk)   F's axes, then X's axes
// Dims are distinct names (f1, f2, … for F; x1, x2, … for X) so any axis
// permutation is visible.

import { strict as assert } from 'node:assert';
import {
  derivativeAxes,
  derivativeMatrixShape,
  derivativeShape,
  LAYOUTS,
  secondDerivativeAxes,
  secondDerivativeShape,
  type Layout,
} from '../../../src/engine/shape/layout';
import { formatShape, shape, type Dim, type Shape } from '../../../src/engine/shape/shape';

const RANKS = [0, 1, 2, 3] as const;

function dims(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, i) => `${prefix}${i + 1}`);
}

function reversed<T>(xs: readonly T[]): T[] {
  return [...xs].reverse();
}

/** The spec's axis order, written out independently of the implementation. */
function expectedDims(f: readonly Dim[], x: readonly Dim[], layout: Layout): Dim[] {
  switch (layout) {
    case 'numerator':
      return [...f, ...reversed(x)];
    case 'denominator':
      return [...x, ...reversed(f)];
    case 'mixed':
      return [...f, ...x];
  }
}

describe('layout: derivativeShape for every rank pair 0..3 × 0..3', () => {
  for (const fr of RANKS) {
    for (const xr of RANKS) {
      const F = shape(dims('f', fr));
      const X = shape(dims('x', xr));
      it(`F rank ${fr}, X rank ${xr}`, () => {
        const num = derivativeShape(F, X, 'numerator');
        const den = derivativeShape(F, X, 'denominator');
        const mix = derivativeShape(F, X, 'mixed');
        for (const [layout, got] of [['numerator', num], ['denominator', den], ['mixed', mix]] as const) {
          assert.deepEqual([...got.dims], expectedDims(F.dims, X.dims, layout), layout);
          assert.equal(got.dims.length, fr + xr, `${layout}: rank is rank(F) + rank(X)`);
        }
        // numerator and denominator are full transposes of each other
        assert.deepEqual([...den.dims], reversed(num.dims));
        // mixed is F then X
        assert.deepEqual([...mix.dims], [...F.dims, ...X.dims]);
        // orientation is only meaningful for rank 1
        for (const s of [num, den, mix]) if (s.dims.length !== 1) assert.equal(s.row, false);
      });
    }
  }
});

describe('layout: derivativeAxes names the source of every result axis', () => {
  for (const fr of RANKS) {
    for (const xr of RANKS) {
      for (const layout of LAYOUTS) {
        it(`${layout}, F rank ${fr}, X rank ${xr}`, () => {
          const F = dims('f', fr);
          const X = dims('x', xr);
          const got = derivativeAxes(fr, xr, layout).map((o) => (o.from === 'F' ? F[o.axis] : X[o.axis]));
          assert.deepEqual(got, expectedDims(F, X, layout));
        });
      }
    }
  }
});

describe('layout: derivativeMatrixShape (rows × columns, rank ≤ 2)', () => {
  const S = shape([]);
  const col = (n: Dim): Shape => shape([n]);
  const row = (n: Dim): Shape => shape([n], true);
  const mat = (m: Dim, n: Dim): Shape => shape([m, n]);
  // [description, F, X, numerator, denominator, mixed], from the spec
  const cases: readonly (readonly [string, Shape, Shape, [Dim, Dim], [Dim, Dim], [Dim, Dim]])[] = [
    ['scalar by scalar', S, S, [1, 1], [1, 1], [1, 1]],
    ['scalar by vector: 1×n numerator, n×1 denominator and mixed', S, col('n'), [1, 'n'], ['n', 1], ['n', 1]],
    ['vector by scalar: m×1 numerator and mixed, 1×m denominator', col('m'), S, ['m', 1], [1, 'm'], ['m', 1]],
    ['scalar by matrix X (m×n): n×m numerator, m×n denominator and mixed', S, mat('m', 'n'), ['n', 'm'], ['m', 'n'], ['m', 'n']],
    ['matrix (m×n) by scalar: F shape numerator and mixed, Fᵀ shape denominator', mat('m', 'n'), S, ['m', 'n'], ['n', 'm'], ['m', 'n']],
    ['vector (m) by vector (n): m×n numerator and mixed, n×m denominator', col('m'), col('n'), ['m', 'n'], ['n', 'm'], ['m', 'n']],
    ['row vector (1×n) by scalar', row('n'), S, [1, 'n'], ['n', 1], [1, 'n']],
    ['scalar by a row vector (1×n)', S, row('n'), ['n', 1], [1, 'n'], [1, 'n']],
  ];
  for (const [what, F, X, num, den, mix] of cases) {
    it(what, () => {
      assert.deepEqual(derivativeMatrixShape(F, X, 'numerator'), num);
      assert.deepEqual(derivativeMatrixShape(F, X, 'denominator'), den);
      assert.deepEqual(derivativeMatrixShape(F, X, 'mixed'), mix);
      // the numerator and denominator matrices are transposes of each other
      assert.deepEqual(derivativeMatrixShape(F, X, 'denominator'), reversed(derivativeMatrixShape(F, X, 'numerator')!));
    });
  }

  it('agrees with derivativeShape: rank-2 results are the matrix, rank-1 results carry the orientation', () => {
    for (const fr of [0, 1, 2]) {
      for (const xr of [0, 1, 2]) {
        if (fr + xr > 2) continue;
        const F = shape(dims('f', fr));
        const X = shape(dims('x', xr));
        for (const layout of LAYOUTS) {
          const m = derivativeMatrixShape(F, X, layout)!;
          const s = derivativeShape(F, X, layout);
          if (s.dims.length === 2) assert.deepEqual([...s.dims], m, `${layout} ${fr}/${xr}`);
          if (s.dims.length === 1) {
            const text = formatShape(s);
            assert.equal(text, m[0] === 1 ? `1×${m[1]}` : `${m[0]}`, `${layout} ${fr}/${xr}: ${text} vs ${m.join('×')}`);
          }
          if (s.dims.length === 0) assert.deepEqual(m, [1, 1]);
        }
      }
    }
  });

  it('is null when F and X together have rank above 2', () => {
    for (const fr of RANKS) {
      for (const xr of RANKS) {
        if (fr + xr <= 2) continue;
        for (const layout of LAYOUTS) assert.equal(derivativeMatrixShape(shape(dims('f', fr)), shape(dims('x', xr)), layout), null);
      }
    }
  });

  it('scalar-by-vector results are rows in numerator and columns in denominator and mixed', () => {
    const g = (layout: Layout) => formatShape(derivativeShape(shape([]), shape(['n']), layout));
    assert.deepEqual([g('numerator'), g('denominator'), g('mixed')], ['1×n', 'n', 'n']);
    const v = (layout: Layout) => formatShape(derivativeShape(shape(['m']), shape([]), layout));
    assert.deepEqual([v('numerator'), v('denominator'), v('mixed')], ['m', '1×m', 'm']);
  });
});

describe('layout: secondDerivativeShape for every rank triple', () => {
  // numerator: (F, first reversed, second reversed); denominator: its full
  // transpose; mixed: (F, first, second).
  for (const fr of RANKS) {
    for (const ar of RANKS) {
      for (const br of [0, 1, 2, 3]) {
        it(`F rank ${fr}, first rank ${ar}, second rank ${br}`, () => {
          const F = shape(dims('f', fr));
          const A = shape(dims('a', ar));
          const B = shape(dims('b', br));
          const num = secondDerivativeShape(F, A, B, 'numerator');
          const den = secondDerivativeShape(F, A, B, 'denominator');
          const mix = secondDerivativeShape(F, A, B, 'mixed');
          assert.deepEqual([...num.dims], [...F.dims, ...reversed(A.dims), ...reversed(B.dims)]);
          assert.deepEqual([...den.dims], reversed(num.dims), 'denominator is the full transpose of numerator');
          assert.deepEqual([...mix.dims], [...F.dims, ...A.dims, ...B.dims]);
          // numerator and mixed are the first-derivative rule applied twice
          for (const layout of ['numerator', 'mixed'] as const) {
            const twice = derivativeShape(derivativeShape(F, A, layout), B, layout);
            assert.deepEqual([...secondDerivativeShape(F, A, B, layout).dims], [...twice.dims], layout);
          }
        });
      }
    }
  }

  it('the Hessian of a scalar by a vector is n×n in every layout', () => {
    for (const layout of LAYOUTS) {
      assert.equal(formatShape(secondDerivativeShape(shape([]), shape(['n']), shape(['n']), layout)), 'n×n');
    }
  });

  it('the Hessian of a scalar by a matrix (m×n) is (n,m,n,m) numerator, (m,n,m,n) denominator and mixed', () => {
    const X = shape(['m', 'n']);
    assert.deepEqual([...secondDerivativeShape(shape([]), X, X, 'numerator').dims], ['n', 'm', 'n', 'm']);
    assert.deepEqual([...secondDerivativeShape(shape([]), X, X, 'denominator').dims], ['m', 'n', 'm', 'n']);
    assert.deepEqual([...secondDerivativeShape(shape([]), X, X, 'mixed').dims], ['m', 'n', 'm', 'n']);
  });
});

describe('layout: secondDerivativeAxes names the source of every result axis', () => {
  /** The axes as names: F's f1…, the first variable's a1…, the second's b1…. */
  const named = (fr: number, ar: number, br: number, layout: Layout, explicit = false): string[] => {
    const source = { F: dims('f', fr), first: dims('a', ar), second: dims('b', br) };
    return secondDerivativeAxes(fr, ar, br, layout, explicit).map((o) => source[o.from][o.axis]!);
  };

  for (const fr of RANKS) {
    for (const ar of RANKS) {
      for (const br of RANKS) {
        it(`F rank ${fr}, first rank ${ar}, second rank ${br}`, () => {
          const [F, A, B] = [dims('f', fr), dims('a', ar), dims('b', br)];
          // The spec, written out: numerator (F, first reversed, second reversed),
          // denominator its full transpose, mixed (F, first, second).
          assert.deepEqual(named(fr, ar, br, 'numerator'), [...F, ...reversed(A), ...reversed(B)]);
          assert.deepEqual(named(fr, ar, br, 'denominator'), [...B, ...A, ...reversed(F)]);
          assert.deepEqual(named(fr, ar, br, 'mixed'), [...F, ...A, ...B]);
          for (const layout of LAYOUTS) {
            // Every axis exactly once, and the same order as secondDerivativeShape.
            assert.deepEqual([...named(fr, ar, br, layout)].sort(), [...F, ...A, ...B].sort(), layout);
            assert.deepEqual(named(fr, ar, br, layout), [...secondDerivativeShape(shape(F), shape(A), shape(B), layout).dims], layout);
          }
          // numerator and mixed are the first-derivative rule applied twice.
          for (const layout of ['numerator', 'mixed'] as const) {
            const once = derivativeAxes(fr, ar, layout).map((o) => (o.from === 'F' ? F[o.axis]! : A[o.axis]!));
            const twice = derivativeAxes(once.length, br, layout).map((o) => (o.from === 'F' ? once[o.axis]! : B[o.axis]!));
            assert.deepEqual(named(fr, ar, br, layout), twice, layout);
          }
        });
      }
    }
  }

  it('the Hessian of a scalar by a matrix X (m×n): numerator (n,m,n,m), denominator and mixed (m,n,m,n)', () => {
    const [m, n] = ['m', 'n'];
    const of = (layout: Layout) => secondDerivativeAxes(0, 2, 2, layout).map((o) => [m, n][o.axis]!);
    assert.deepEqual(of('numerator'), [n, m, n, m]);
    assert.deepEqual(of('denominator'), [m, n, m, n]);
    assert.deepEqual(of('mixed'), [m, n, m, n]);
    // Which variable each axis belongs to: numerator and mixed first then second; denominator second then first.
    assert.deepEqual(secondDerivativeAxes(0, 2, 2, 'denominator').map((o) => o.from), ['second', 'second', 'first', 'first']);
  });

  it('∂²f/∂x∂yᵀ written out is (first, second) in every layout', () => {
    for (const layout of LAYOUTS) {
      assert.deepEqual(named(0, 1, 1, layout, true), ['a1', 'b1'], layout);
      assert.deepEqual(secondDerivativeAxes(0, 1, 1, layout, true), [{ from: 'first', axis: 0 }, { from: 'second', axis: 0 }], layout);
    }
    // Without the explicit form, denominator puts the second variable first.
    assert.deepEqual(named(0, 1, 1, 'denominator'), ['b1', 'a1']);
  });
});
