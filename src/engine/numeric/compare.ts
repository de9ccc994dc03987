// How far apart two evaluations of the same tensor are, relative to their size.
// Shared by the finite-difference check of a derivative and the check of
// claims, which differ only in the floor they put under the size.
//
// Invariant: the result is 0 for equal inputs, Infinity where exactly one
// side is NaN, and otherwise max |aᵢ − bᵢ| / max(floor, max |finite aᵢ|, max |finite bᵢ|).

/**
 * The largest entrywise difference of `a` and `b`, relative to the larger of
 * the two sides' largest finite entry, but never to less than `floor` (which
 * absorbs rounding noise where both sides are close to zero). Entries NaN on
 * both sides agree.
 */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let scale = floor;
  for (const data of [a, b]) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    }
  }
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const err = Number.isNaN(x) !== Number.isNaN(y) ? Infinity : Number.isNaN(x) ? 0 : Math.abs(x - y) / scale;
    worst = Math.max(worst, err);
  }
  return worst;
}
