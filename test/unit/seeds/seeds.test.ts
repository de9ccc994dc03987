// The three seed documents (/work/shared/seeds/), written in our language and
// analysed in `math` mode (LaTeX as in the seeds; `;` separates what the seeds
// write as separate formulas or sentences). The seeds' own text is used
// wherever it parses as-is; every deviation is commented. Expected shapes are
// the ones the seeds state, each in the layout the seed uses:
//   000 notebook         mixed layout       (∂a/∂X for a ∈ ℝᵐ, X ∈ ℝⁿˣᵖ is (m, n, p))
//   001 lecture          numerator layout   (∂f/∂X is N×M for X M×N; ∂(Ax)/∂x = A), but it
//                                            writes gradients of scalars as columns, so those
//                                            claims are checked in denominator and mixed
//   002 course notes     denominator layout (∂w/∂v is m×n for v ∈ ℝᵐ, w ∈ ℝⁿ)

import { strict as assert } from 'node:assert';
import { checkClaims } from '../../../src/engine/derive/claims';
import { analyze, report, type Analysis } from '../../../src/engine/analyze';
import type { Layout } from '../../../src/engine/shape/layout';

/** Formulas and sentences of a seed, one statement each. */
function doc(...parts: string[]): string {
  return parts.join(';\n');
}

function math(source: string, layout: Layout): Analysis {
  return analyze(source, { layout, mode: 'math' });
}

function describe_(a: Analysis): string {
  return a.diagnostics.map((d) => `${d.severity} ${d.code} '${a.source.slice(d.span.start, d.span.end)}': ${d.message}`).join('\n');
}

/** The seeds' tuple notation: '(n,)' → ['n'], '(m, n, p)' → ['m', 'n', 'p'], '(2,2,2)' → [2, 2, 2]. */
function tuple(text: string): (string | number)[] {
  return text
    .replace(/[()]/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

interface Derivative {
  readonly request: string;
  readonly shape: (string | number)[];
  readonly matrixShape: string | null;
}

/** Analyses and returns the LAST derivative request, asserting there are no diagnostics at all. */
function lastDerivative(source: string, layout: Layout): Derivative {
  const a = math(source, layout);
  assert.equal(a.diagnostics.length, 0, `diagnostics in ${layout} layout for\n${source}\n${describe_(a)}`);
  const ds = shapes(a);
  assert.ok(ds.length > 0, 'no derivative request');
  return ds[ds.length - 1]!;
}

/** The report's derivative requests: shapes only (the derivative engine is not under test here). */
function shapes(a: Analysis): readonly Derivative[] {
  return report(a, { derive: false }).derivatives;
}

/** The derivative request written exactly as `text`. */
function derivative(a: Analysis, text: string): Derivative {
  const d = shapes(a).find((x) => x.request === text);
  assert.ok(d, `no derivative ${text}`);
  return d;
}

function reversed<T>(xs: readonly T[]): T[] {
  return [...xs].reverse();
}

// ── seed 000: tensor derivatives notebook (mixed layout) ─────────────────

describe('seed 000 (notebook): the summary table, in mixed layout', () => {
  // [output type, input type, declarations as the table writes them, derivative, stated shape, F dims, X dims]
  const rows: readonly (readonly [string, string, string, string, string, number])[] = [
    ['Scalar ($s$)', 'Vector', 's \\in \\mathbb{R}; \\mathbf{x} \\in \\mathbb{R}^n', '\\frac{\\partial s}{\\partial \\mathbf{x}}', '(n,)', 0],
    ['Scalar ($s$)', 'Matrix', 's \\in \\mathbb{R}; \\mathbf{X} \\in \\mathbb{R}^{m \\times n}', '\\frac{\\partial s}{\\partial \\mathbf{X}}', '(m, n)', 0],
    ['Scalar ($s$)', '3D Tensor', 's \\in \\mathbb{R}; \\mathcal{T} \\in \\mathbb{R}^{m \\times n \\times p}', '\\frac{\\partial s}{\\partial \\mathcal{T}}', '(m, n, p)', 0],
    ['Vector', 'Scalar ($x$)', '\\mathbf{a} \\in \\mathbb{R}^m; x \\in \\mathbb{R}', '\\frac{\\partial \\mathbf{a}}{\\partial x}', '(m,)', 1],
    ['Vector', 'Vector', '\\mathbf{a} \\in \\mathbb{R}^m; \\mathbf{x} \\in \\mathbb{R}^n', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{x}}', '(m, n)', 1],
    ['Vector', 'Matrix', '\\mathbf{a} \\in \\mathbb{R}^m; \\mathbf{X} \\in \\mathbb{R}^{n \\times p}', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{X}}', '(m, n, p)', 1],
    ['Vector', '3D Tensor', '\\mathbf{a} \\in \\mathbb{R}^m; \\mathcal{T} \\in \\mathbb{R}^{n \\times p \\times q}', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathcal{T}}', '(m, n, p, q)', 1],
    ['Matrix', 'Scalar ($x$)', '\\mathbf{A} \\in \\mathbb{R}^{m \\times n}; x \\in \\mathbb{R}', '\\frac{\\partial \\mathbf{A}}{\\partial x}', '(m, n)', 2],
    ['Matrix', 'Vector', '\\mathbf{A} \\in \\mathbb{R}^{m \\times n}; \\mathbf{x} \\in \\mathbb{R}^p', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{x}}', '(m, n, p)', 2],
    ['Matrix', 'Matrix', '\\mathbf{A} \\in \\mathbb{R}^{m \\times n}; \\mathbf{X} \\in \\mathbb{R}^{p \\times q}', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{X}}', '(m, n, p, q)', 2],
    ['Matrix', '3D Tensor', '\\mathbf{A} \\in \\mathbb{R}^{m \\times n}; \\mathcal{T} \\in \\mathbb{R}^{p \\times q \\times r}', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathcal{T}}', '(m, n, p, q, r)', 2],
  ];

  it('has all 11 rows', () => assert.equal(rows.length, 11));

  for (const [out, input, decls, d, stated, fRank] of rows) {
    it(`${out} w.r.t. ${input}: ${stated}`, () => {
      const source = doc(decls, d);
      const mixed = lastDerivative(source, 'mixed');
      assert.deepEqual(mixed.shape, tuple(stated));
      // The same partials in the other layouts: numerator (F, X reversed), denominator its full transpose.
      const F = tuple(stated).slice(0, fRank);
      const X = tuple(stated).slice(fRank);
      assert.deepEqual(lastDerivative(source, 'numerator').shape, [...F, ...reversed(X)]);
      assert.deepEqual(lastDerivative(source, 'denominator').shape, [...X, ...reversed(F)]);
    });
  }
});

describe("seed 000 (notebook): each section's definition, in mixed layout", () => {
  // Each section says "Suppose … is a function of …: y = f(x) where f : … → …".
  // Deviation: the signature of f is declared before f is used.
  const sections: readonly (readonly [string, string, string])[] = [
    [
      'Scalar w.r.t. Vector',
      doc(
        '\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n',
        's = \\mathbf{v}^T \\mathbf{a}', // the seed continues "= \sum_{i=1}^n v_i a_i" (index sums are not computed)
        // the seed boxes this claim, \\boxed{… = …}; a claim inside \\boxed does not parse (see the report)
        '\\frac{\\partial s}{\\partial \\mathbf{v}} = \\mathbf{a}',
      ),
      '(n,)',
    ],
    [
      'Scalar w.r.t. Matrix',
      doc('\\mathbf{A} \\in \\mathbb{R}^{m \\times n}', 'f : \\mathbb{R}^{m \\times n} \\to \\mathbb{R}', 's = f(\\mathbf{A})', '\\frac{\\partial s}{\\partial \\mathbf{A}}'),
      '(m, n)',
    ],
    [
      'Scalar w.r.t. 3D Tensor',
      doc('\\mathcal{T} \\in \\mathbb{R}^{m \\times n \\times p}', 'f : \\mathbb{R}^{m \\times n \\times p} \\to \\mathbb{R}', 's = f(\\mathcal{T})', '\\frac{\\partial s}{\\partial \\mathcal{T}}'),
      '(m, n, p)',
    ],
    [
      'Vector w.r.t. Scalar',
      doc('s \\in \\mathbb{R}', '\\mathbf{a} \\in \\mathbb{R}^n', 'f : \\mathbb{R} \\to \\mathbb{R}^n', '\\mathbf{a} = f(s)', '\\frac{\\partial \\mathbf{a}}{\\partial s}'),
      '(n,)',
    ],
    [
      'Vector w.r.t. Vector (Jacobian)',
      doc('\\mathbf{a} \\in \\mathbb{R}^m', '\\mathbf{v} \\in \\mathbb{R}^n', 'f : \\mathbb{R}^n \\to \\mathbb{R}^m', '\\mathbf{a} = f(\\mathbf{v})', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{v}}'),
      '(m, n)',
    ],
    [
      'Vector w.r.t. Matrix',
      doc('\\mathbf{a} \\in \\mathbb{R}^m', '\\mathbf{X} \\in \\mathbb{R}^{n \\times p}', 'f : \\mathbb{R}^{n \\times p} \\to \\mathbb{R}^m', '\\mathbf{a} = f(\\mathbf{X})', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{X}}'),
      '(m, n, p)',
    ],
    [
      'Vector w.r.t. Tensor',
      doc('\\mathbf{a} \\in \\mathbb{R}^m', '\\mathcal{T} \\in \\mathbb{R}^{n \\times p \\times q}', 'f : \\mathbb{R}^{n \\times p \\times q} \\to \\mathbb{R}^m', '\\mathbf{a} = f(\\mathcal{T})', '\\frac{\\partial \\mathbf{a}}{\\partial \\mathcal{T}}'),
      '(m, n, p, q)',
    ],
    [
      'Matrix w.r.t. Scalar',
      doc('\\mathbf{A} \\in \\mathbb{R}^{m \\times n}', 'x \\in \\mathbb{R}', 'f : \\mathbb{R} \\to \\mathbb{R}^{m \\times n}', '\\mathbf{A} = f(x)', '\\frac{\\partial \\mathbf{A}}{\\partial x}'),
      '(m, n)',
    ],
    [
      'Matrix w.r.t. Vector',
      doc('\\mathbf{A} \\in \\mathbb{R}^{m \\times n}', '\\mathbf{x} \\in \\mathbb{R}^p', 'f : \\mathbb{R}^p \\to \\mathbb{R}^{m \\times n}', '\\mathbf{A} = f(\\mathbf{x})', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{x}}'),
      '(m, n, p)',
    ],
    [
      'Matrix w.r.t. Matrix',
      doc('\\mathbf{A} \\in \\mathbb{R}^{m \\times n}', '\\mathbf{X} \\in \\mathbb{R}^{p \\times q}', 'f : \\mathbb{R}^{p \\times q} \\to \\mathbb{R}^{m \\times n}', '\\mathbf{A} = f(\\mathbf{X})', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{X}}'),
      '(m, n, p, q)',
    ],
    [
      'Matrix w.r.t. Tensor',
      doc('\\mathbf{A} \\in \\mathbb{R}^{m \\times n}', '\\mathcal{T} \\in \\mathbb{R}^{p \\times q \\times r}', 'f : \\mathbb{R}^{p \\times q \\times r} \\to \\mathbb{R}^{m \\times n}', '\\mathbf{A} = f(\\mathcal{T})', '\\frac{\\partial \\mathbf{A}}{\\partial \\mathcal{T}}'),
      '(m, n, p, q, r)',
    ],
  ];
  for (const [title, source, stated] of sections) {
    it(`${title}: ${stated}`, () => assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple(stated)));
  }

  it('the scalar-by-vector gradient is a column, like the boxed claim ∂s/∂v = a', () => {
    const d = lastDerivative(sections[0]![1], 'mixed');
    assert.equal(d.matrixShape, 'n×1');
  });
});

describe('seed 000 (notebook): worked examples, in mixed layout', () => {
  it('a = [s², 3s, sin(s)] by the scalar s: a vector of length 3, as the seed computes it', () => {
    const source = doc(
      's \\in \\mathbb{R}', // "Suppose s ∈ ℝ is a scalar"
      'a = \\begin{bmatrix} s^2 \\\\ 3s \\\\ \\sin(s) \\end{bmatrix}',
      '\\frac{\\partial a}{\\partial s} = \\begin{bmatrix} \\frac{\\partial}{\\partial s}(s^2) \\\\ \\frac{\\partial}{\\partial s}(3s) \\\\ \\frac{\\partial}{\\partial s}(\\sin(s)) \\end{bmatrix} = \\begin{bmatrix} 2s \\\\ 3 \\\\ \\cos(s) \\end{bmatrix}',
    );
    const a = math(source, 'mixed');
    assert.equal(a.diagnostics.length, 0, describe_(a));
    const d = derivative(a, '\\frac{\\partial a}{\\partial s}');
    assert.deepEqual(d.shape, [3]);
    assert.equal(d.matrixShape, '3×1');
  });

  it('the Jacobian of [v₁², v₁ + v₂, sin v₂] with v ∈ ℝ² is 3×2', () => {
    const source = doc(
      'v \\in \\mathbb{R}^2', // the seed writes ", \quad v \in \mathbb{R}^2" after the definition
      'a = \\begin{bmatrix} v_1^2 \\\\ v_1 + v_2 \\\\ \\sin(v_2) \\end{bmatrix}',
      // "Compute the Jacobian": the elements restate the definition (checked as claims)
      'a_1 = v_1^2',
      'a_2 = v_1 + v_2',
      'a_3 = \\sin(v_2)',
      // the seed's middle matrix of ∂a_i/∂v_j is omitted: derivatives with respect to an element are not requests
      '\\frac{\\partial a}{\\partial v} = \\begin{bmatrix} 2v_1 & 0 \\\\ 1 & 1 \\\\ 0 & \\cos(v_2) \\end{bmatrix}',
    );
    const d = lastDerivative(source, 'mixed');
    assert.deepEqual(d.shape, [3, 2]);
    assert.equal(d.matrixShape, '3×2');
  });

  it('RGB: s = T₁₁₁ + 2T₁₂₂ + 3T₂₁₃ with T ∈ ℝ^{2×2×3} has a 2×2×3 gradient (the seed’s nested bmatrix too)', () => {
    const source = doc(
      'T \\in \\mathbb{R}^{2 \\times 2 \\times 3}',
      // the seed writes "s = f(T) = T_{111} + …" with f never defined; the defining expression is used
      's = T_{111} + 2T_{122} + 3T_{213}',
      '\\frac{\\partial s}{\\partial T} = \\begin{bmatrix} \\begin{bmatrix} 1 & 0 & 0 \\end{bmatrix} & \\begin{bmatrix} 0 & 2 & 0 \\end{bmatrix} \\\\ \\begin{bmatrix} 0 & 0 & 3 \\end{bmatrix} & \\begin{bmatrix} 0 & 0 & 0 \\end{bmatrix} \\end{bmatrix}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2, 2, 3)'));
  });

  it('a₁ = X₁₁ + 2X₁₂, a₂ = 3X₂₁ + 4X₂₂ with a ∈ ℝ², X ∈ ℝ^{2×2}: ∂a/∂X is (2, 2, 2)', () => {
    const source = doc(
      '\\mathbf{a} \\in \\mathbb{R}^2',
      '\\mathbf{X} \\in \\mathbb{R}^{2 \\times 2}',
      'a_1 = X_{11} + 2X_{12}',
      'a_2 = 3X_{21} + 4X_{22}',
      '\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{X}} = \\begin{bmatrix} \\begin{bmatrix} 1 & 2 \\\\ 0 & 0 \\end{bmatrix} \\\\ \\begin{bmatrix} 0 & 0 \\\\ 3 & 4 \\end{bmatrix} \\end{bmatrix}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2,2,2)'));
  });

  it('A₁₁ = x², A₁₂ = sin x, A₂₁ = eˣ, A₂₂ = 3x with x scalar: ∂A/∂x is (2, 2), and each ∂A_ij/∂x a scalar', () => {
    const source = doc(
      '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}',
      'x \\in \\mathbb{R}',
      'A_{11} = x^2',
      'A_{12} = \\sin x',
      'A_{21} = e^x',
      'A_{22} = 3x',
      '\\frac{\\partial A_{11}}{\\partial x} = 2x',
      '\\frac{\\partial A_{12}}{\\partial x} = \\cos x',
      '\\frac{\\partial A_{21}}{\\partial x} = e^x',
      '\\frac{\\partial A_{22}}{\\partial x} = 3',
      '\\therefore \\frac{\\partial \\mathbf{A}}{\\partial x} = \\begin{bmatrix} 2x & \\cos x \\\\ e^x & 3 \\end{bmatrix}',
    );
    const a = math(source, 'mixed');
    assert.equal(a.diagnostics.length, 0, describe_(a));
    const ds = shapes(a);
    assert.deepEqual(
      ds.map((d) => d.shape),
      [[], [], [], [], [2, 2]],
    );
  });

  it('A₁₁ = x₁² + x₂, … with x ∈ ℝ²: ∂A/∂x is (2,2,2)', () => {
    const source = doc(
      '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}',
      '\\mathbf{x} \\in \\mathbb{R}^2',
      'A_{11} = x_1^2 + x_2',
      'A_{12} = \\sin x_1',
      'A_{21} = e^{x_2}',
      'A_{22} = x_1 x_2',
      '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{x}}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2,2,2)'));
  });

  it('A₁₁ = X₁₁² + X₁₂, … with X ∈ ℝ^{2×2}: ∂A/∂X is (2,2,2,2)', () => {
    const source = doc(
      '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}',
      '\\mathbf{X} \\in \\mathbb{R}^{2 \\times 2}',
      'A_{11} = X_{11}^2 + X_{12}',
      'A_{12} = \\sin X_{21}',
      'A_{21} = e^{X_{22}}',
      'A_{22} = X_{11} X_{22}',
      '\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{X}}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2,2,2,2)'));
  });

  it('a₁ = 𝒯₁₁₁ + 2𝒯₁₂₂, a₂ = 3𝒯₂₁₁ − 𝒯₂₂₂ with 𝒯 ∈ ℝ^{2×2×2}: ∂a/∂𝒯 is (2, 2, 2, 2)', () => {
    const source = doc(
      '\\mathbf{a} \\in \\mathbb{R}^2',
      '\\mathcal{T} \\in \\mathbb{R}^{2 \\times 2 \\times 2}',
      'a_1 = \\mathcal{T}_{111} + 2\\mathcal{T}_{122}',
      'a_2 = 3\\mathcal{T}_{211} - \\mathcal{T}_{222}',
      '\\frac{\\partial \\mathbf{a}}{\\partial \\mathcal{T}}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2, 2, 2, 2)'));
  });

  it('A₁₁ = 𝒯₁₁₁ + 2𝒯₁₂₂, … with A ∈ ℝ^{2×2}, 𝒯 ∈ ℝ^{2×2×2}: ∂A/∂𝒯 is (2,2,2,2,2)', () => {
    const source = doc(
      '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}',
      '\\mathcal{T} \\in \\mathbb{R}^{2 \\times 2 \\times 2}',
      'A_{11} = \\mathcal{T}_{111} + 2\\mathcal{T}_{122}',
      'A_{12} = \\sin \\mathcal{T}_{211}',
      'A_{21} = e^{\\mathcal{T}_{222}}',
      'A_{22} = \\mathcal{T}_{111} \\mathcal{T}_{222}',
      '\\frac{\\partial \\mathbf{A}}{\\partial \\mathcal{T}}',
    );
    assert.deepEqual(lastDerivative(source, 'mixed').shape, tuple('(2,2,2,2,2)'));
  });
});

// ── seed 001: lecture (numerator layout; gradients of scalars written as columns) ──

describe('seed 001 (lecture): definitions, in numerator layout', () => {
  it('∂f(x)/∂x for f: ℝᴺ → ℝ is a 1×N row', () => {
    const d = lastDerivative(
      doc('f: \\mathbb{R}^N \\rightarrow \\mathbb{R}', '\\mathbf{x} \\in \\mathbb{R}^N', '\\frac{\\partial f(\\mathbf{x})}{\\partial \\mathbf{x}}'),
      'numerator',
    );
    assert.deepEqual([d.shape, d.matrixShape], [['N'], '1×N']);
  });

  it('∂f(x)/∂x for f: ℝᴺ → ℝᴹ is M×N', () => {
    const d = lastDerivative(
      doc('f: \\mathbb{R}^N \\rightarrow \\mathbb{R}^M', '\\mathbf{x} \\in \\mathbb{R}^N', '\\frac{\\partial f(\\mathbf{x})}{\\partial \\mathbf{x}}'),
      'numerator',
    );
    assert.deepEqual([d.shape, d.matrixShape], [['M', 'N'], 'M×N']);
  });

  it('∂f(X)/∂X for f: ℝ^{M×N} → ℝ is N×M', () => {
    const d = lastDerivative(
      doc('f: \\mathbb{R}^{M \\times N} \\rightarrow \\mathbb{R}', '\\mathbf{X} \\in \\mathbb{R}^{M \\times N}', '\\frac{\\partial f(\\mathbf{X})}{\\partial \\mathbf{X}}'),
      'numerator',
    );
    assert.deepEqual([d.shape, d.matrixShape], [['N', 'M'], 'N×M']);
  });
});

describe('seed 001 (lecture): results', () => {
  const decls = {
    // "For a column vector x ∈ ℝⁿ, and a matrix A ∈ ℝ^{n×n}"
    quadratic: 'x \\in \\mathbb{R}^n; A \\in \\mathbb{R}^{n \\times n}',
    linear: 'x, a \\in \\mathbb{R}^n',
    // ∂(Ax)/∂x = A with a non-square A, so that the two matrix layouts differ
    affine: 'A \\in \\mathbb{R}^{m \\times n}; x \\in \\mathbb{R}^n',
    det: 'X \\in \\mathbb{R}^{n \\times n}',
  };

  it('∂(Ax)/∂x = A is m×n in numerator layout, where the seed states it', () => {
    const d = lastDerivative(doc(decls.affine, '\\frac{\\partial(Ax)}{\\partial x} = A'), 'numerator');
    assert.deepEqual([d.shape, d.matrixShape], [['m', 'n'], 'm×n']);
  });

  it('…and the claim = A is reported as a layout difference in denominator layout (there it is Aᵀ)', () => {
    const a = math(doc(decls.affine, '\\frac{\\partial(Ax)}{\\partial x} = A'), 'denominator');
    assert.deepEqual(a.diagnostics, [], 'a claim in another layout is not a shape error');
    const claims = checkClaims(a).diagnostics;
    assert.deepEqual(claims.map((d) => [d.code, a.source.slice(d.span.start, d.span.end)]), [['claim-layout', 'A']]);
    assert.match(claims[0]!.message, /holds in numerator and mixed layout, not in denominator layout/);
  });

  it('∂(u(x) + v(x))/∂x = ∂u(x)/∂x + ∂v(x)/∂x is m×n for u, v: ℝⁿ → ℝᵐ', () => {
    const source = doc(
      'x \\in \\mathbb{R}^n',
      'u, v: \\mathbb{R}^n \\rightarrow \\mathbb{R}^m', // the seed leaves u and v unspecified
      '\\frac{\\partial(u(x) + v(x))}{\\partial x} = \\frac{\\partial u(x)}{\\partial x} + \\frac{\\partial v(x)}{\\partial x}',
    );
    const a = math(source, 'numerator');
    assert.equal(a.diagnostics.length, 0, describe_(a));
    assert.deepEqual(shapes(a).map((d) => d.matrixShape), ['m×n', 'm×n', 'm×n']);
  });

  // Gradients of scalars, which the seed writes as columns: their claims shape-check in
  // denominator and mixed layout (the seed's own numerator definition makes them 1×n rows).
  const gradientClaims: readonly (readonly [string, string, string, string])[] = [
    ['∂(xᵀa)/∂x = a', decls.linear, '\\frac{\\partial(x^T a)}{\\partial x} = a', 'n×1'],
    ['∂(xᵀAx)/∂x = (A + Aᵀ)x', decls.quadratic, '\\frac{\\partial(x^T A x)}{\\partial x} = (A + A^T)x', 'n×1'],
    ['∂(xᵀAx)/∂x = 2Ax if A is symmetric', decls.quadratic, '\\frac{\\partial(x^T A x)}{\\partial x} = 2Ax \\text{ if } A \\text{ is symmetric}', 'n×1'],
    ['∂|X|/∂X = |X| (X⁻¹)ᵀ', decls.det, '\\frac{\\partial |X|}{\\partial X} = |X| (X^{-1})^T', 'n×n'],
    ['∂ln|X|/∂X = (X⁻¹)ᵀ', decls.det, '\\frac{\\partial(\\ln(|X|))}{\\partial X} = (X^{-1})^T', 'n×n'],
    [
      '∂(yᵀAX)/∂A = yXᵀ',
      'y \\in \\mathbb{R}^m; A \\in \\mathbb{R}^{m \\times n}; X \\in \\mathbb{R}^n', // yᵀAX is a scalar: X is a vector
      '\\frac{\\partial(y^T A X)}{\\partial A} = y X^T',
      'm×n',
    ],
    ['∂(XᵀAX)/∂A = XXᵀ', 'X \\in \\mathbb{R}^n; A \\in \\mathbb{R}^{n \\times n}', '\\frac{\\partial(X^T A X)}{\\partial A} = X X^T', 'n×n'],
    ['the Frobenius-product derivation', decls.quadratic, '\\frac{\\partial (x^T A x)}{\\partial x} = (A x + A^T x) = (A + A^T) x', 'n×1'],
    [
      'derivative of a linear function (all four spellings)',
      decls.linear,
      '\\frac{\\partial}{\\partial \\vec{x}} \\vec{a} \\cdot \\vec{x} = \\frac{\\partial}{\\partial \\vec{x}} \\vec{a}^T \\vec{x} = \\frac{\\partial}{\\partial \\vec{x}} \\vec{x}^T \\vec{a} = \\vec{a}',
      'n×1',
    ],
    ['derivative of a quadratic function', decls.quadratic, '\\frac{\\partial}{\\partial x} \\vec{x}^T A \\vec{x} = 2A \\vec{x}', 'n×1'],
    ['the general rule for non-symmetric A', decls.quadratic, '\\frac{\\partial}{\\partial x} \\vec{x}^T A \\vec{x} = (A + A^T) \\vec{x}', 'n×1'],
  ];
  for (const [what, d, formula, matrixShape] of gradientClaims) {
    for (const layout of ['denominator', 'mixed'] as const) {
      it(`[${layout}] ${what}: ${matrixShape}, and the claim shape-checks`, () => {
        assert.equal(lastDerivative(doc(d, formula), layout).matrixShape, matrixShape);
      });
    }
  }

  it('∂|X|/∂X, ∂ln|X|/∂X and ∂(XᵀAX)/∂A are n×n in numerator layout as well (square, so the claims check there too)', () => {
    for (const [d, formula] of [
      [decls.det, '\\frac{\\partial |X|}{\\partial X} = |X| (X^{-1})^T'],
      [decls.det, '\\frac{\\partial(\\ln(|X|))}{\\partial X} = (X^{-1})^T'],
      ['X \\in \\mathbb{R}^n; A \\in \\mathbb{R}^{n \\times n}', '\\frac{\\partial(X^T A X)}{\\partial A} = X X^T'],
    ] as const) {
      assert.equal(lastDerivative(doc(d, formula), 'numerator').matrixShape, 'n×n');
    }
  });

  it('in numerator layout the gradients are rows, as the seed’s own definition says', () => {
    const d = lastDerivative(doc(decls.quadratic, '\\frac{\\partial(x^T A x)}{\\partial x} = (A + A^T)x'), 'numerator');
    assert.equal(d.matrixShape, '1×n');
    // (a claim may differ from a vector derivative in orientation only, so this still checks)
  });

  it('reported: ∂(yᵀAX)/∂A = yXᵀ holds in denominator and mixed layout, not in numerator (n×m against m×n)', () => {
    const a = math(doc('y \\in \\mathbb{R}^m; A \\in \\mathbb{R}^{m \\times n}; X \\in \\mathbb{R}^n', '\\frac{\\partial(y^T A X)}{\\partial A} = y X^T'), 'numerator');
    assert.deepEqual(a.diagnostics, []);
    const claims = checkClaims(a).diagnostics;
    assert.deepEqual(claims.map((d) => [d.code, a.source.slice(d.span.start, d.span.end)]), [['claim-layout', 'y X^T']]);
    assert.match(claims[0]!.message, /holds in denominator and mixed layout, not in numerator layout/);
  });

  it('reported: the seed’s chain rule ∂g(u)/∂x = ∂u/∂x · ∂g(u)/∂u is the denominator-layout order', () => {
    const source = doc(
      'x \\in \\mathbb{R}^n',
      'h: \\mathbb{R}^n \\rightarrow \\mathbb{R}^p', // "u = h(x) (i.e. u is a function of x)"
      '\\mathbf{u} = \\mathbf{h}(\\mathbf{x})',
      '\\mathbf{g}: \\mathbb{R}^p \\rightarrow \\mathbb{R}^q', // "g is a vector function of u"
      '\\frac{\\partial \\mathbf{g}(\\mathbf{u})}{\\partial \\mathbf{x}} = \\frac{\\partial \\mathbf{u}}{\\partial \\mathbf{x}} \\frac{\\partial \\mathbf{g}(\\mathbf{u})}{\\partial \\mathbf{u}}',
    );
    // denominator: (n×p)(p×q) = n×q, the left side's shape
    lastDerivative(source, 'denominator'); // no diagnostics
    const den = math(source, 'denominator');
    const lhs = '\\frac{\\partial \\mathbf{g}(\\mathbf{u})}{\\partial \\mathbf{x}}';
    assert.deepEqual(
      [lhs, '\\frac{\\partial \\mathbf{u}}{\\partial \\mathbf{x}}', '\\frac{\\partial \\mathbf{g}(\\mathbf{u})}{\\partial \\mathbf{u}}'].map((t) => derivative(den, t).matrixShape),
      ['n×q', 'n×p', 'p×q'],
    );
    // numerator: (p×n)(q×p) does not multiply
    for (const layout of ['numerator', 'mixed'] as const) {
      const a = math(source, layout);
      assert.deepEqual(a.diagnostics.map((d) => d.code), ['shape-mismatch'], describe_(a));
      assert.match(a.diagnostics[0]!.message, /\(p×n\) · .*\(q×p\): inner dimensions n ≠ q/);
    }
  });

  it('the quadratic form three ways is a scalar: xᵀAx = Tr(xᵀAx) = x : Ax', () => {
    const a = math(doc(decls.quadratic, 'x^T A x = \\text{Tr}(x^T A x) = x : A x'), 'numerator');
    assert.equal(a.diagnostics.length, 0, describe_(a));
    assert.deepEqual(report(a, { derive: false }).expressions.map((e) => e.shape), [[]]);
  });

  it('A x⃗ for a 2×2 A: the product, its expansion, and d(Ax⃗)/dx = A (2×2)', () => {
    const source = doc(
      'A \\in \\mathbb{R}^{2 \\times 2}',
      'a \\in \\mathbb{R}^4', // the entries a_1 … a_4
      '\\vec{x} \\in \\mathbb{R}^2',
      'A\\vec{x} = \\begin{bmatrix} a_1 & a_2 \\\\ a_3 & a_4 \\end{bmatrix} \\begin{bmatrix} x_1 \\\\ x_2 \\end{bmatrix} = \\begin{bmatrix} a_1x_1 + a_2x_2 \\\\ a_3x_1 + a_4x_2 \\end{bmatrix}',
      // the seed's middle matrix of ∂(…)/∂x_j is omitted: derivatives with respect to an element are not requests
      '\\frac{dA\\vec{x}}{dx} = \\begin{bmatrix} a_1 & a_2 \\\\ a_3 & a_4 \\end{bmatrix} = A',
    );
    const d = lastDerivative(source, 'numerator');
    assert.deepEqual([d.shape, d.matrixShape], [[2, 2], '2×2']);
  });
});

// ── seed 002: course notes (denominator layout) ───────────────────────────

describe('seed 002 (course notes): definitions, in denominator layout', () => {
  // The seed's approximation rules use increments Δs, Δv. Our language has no
  // Δ-prefixed names, so Δ is declared as a scalar: Δ v then has v's shape,
  // which is all these shape checks need.
  const delta = '\\Delta \\in \\mathbb{R}';

  it('Definition 9: ∂s/∂v for v (m×1) is m×1, and Δs = (∂s/∂v)ᵀ Δv shape-checks', () => {
    const source = doc(delta, 's \\in \\mathbb{R}', '\\mathbf{v} \\in \\mathbb{R}^m', '\\Delta s = \\left( \\frac{\\partial s}{\\partial \\mathbf{v}} \\right)^T \\Delta \\mathbf{v}');
    const d = lastDerivative(source, 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['m'], 'm×1']);
    // In numerator layout the gradient is a row and (∂s/∂v)ᵀ Δv no longer multiplies.
    assert.deepEqual(math(source, 'numerator').diagnostics.map((x) => x.code), ['shape-mismatch']);
  });

  it('Definition 11: ∂w/∂s for w (n×1) is 1×n, and Δw = (∂w/∂s)ᵀ Δs shape-checks', () => {
    const source = doc(delta, 's \\in \\mathbb{R}', 'w \\in \\mathbb{R}^n', '\\Delta w = \\left( \\frac{\\partial w}{\\partial s} \\right)^T \\Delta s');
    const d = lastDerivative(source, 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['n'], '1×n']);
    assert.deepEqual(math(source, 'numerator').diagnostics.map((x) => x.code), ['shape-mismatch']);
  });

  it('Definition 13: ∂w/∂v for v ∈ ℝᵐ, w ∈ ℝⁿ is m×n, and Δw = (∂w/∂v)ᵀ Δv shape-checks', () => {
    const source = doc(
      delta,
      '\\mathbf{v} \\in \\mathbb{R}^m',
      '\\mathbf{w} \\in \\mathbb{R}^n',
      '\\Delta \\mathbf{w} = \\left( \\frac{\\partial \\mathbf{w}}{\\partial \\mathbf{v}} \\right)^T \\Delta \\mathbf{v}',
    );
    const d = lastDerivative(source, 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['m', 'n'], 'm×n']);
    assert.deepEqual(math(source, 'numerator').diagnostics.map((x) => x.code), ['shape-mismatch']);
  });

  it('A.5.1: w (3×1) by v (2×1) is 2×3', () => {
    const d = lastDerivative(doc('\\mathbf{w} \\in \\mathbb{R}^3', '\\mathbf{v} \\in \\mathbb{R}^2', '\\frac{\\partial \\mathbf{w}}{\\partial \\mathbf{v}}'), 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [[2, 3], '2×3']);
  });

  it('Definition 17: ∂M/∂s for M (r×k) is k×r, the shape of Mᵀ', () => {
    const d = lastDerivative(doc('\\mathbf{M} \\in \\mathbb{R}^{r \\times k}', '\\mathbf{s} \\in \\mathbb{R}', '\\frac{\\partial \\mathbf{M}}{\\partial \\mathbf{s}}'), 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['k', 'r'], 'k×r']);
  });

  it('Definition 18: ∂s/∂M for M (r×k) is r×k, the shape of M', () => {
    const d = lastDerivative(doc('\\mathbf{M} \\in \\mathbb{R}^{r \\times k}', 's \\in \\mathbb{R}', '\\frac{\\partial s}{\\partial \\mathbf{M}}'), 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['r', 'k'], 'r×k']);
  });
});

describe('seed 002 (course notes): neural-network derivatives, in denominator layout', () => {
  it('A.9.1: ∂𝓛/∂A^L has shape (n^L × 1)', () => {
    // Deviation: `\partial \mathbf{A}^L` does not parse (see the report) and sizes like n^L
    // cannot be declared; the layer index is dropped.
    const d = lastDerivative(doc('\\mathcal{L} \\in \\mathbb{R}', '\\mathbf{A} \\in \\mathbb{R}^{n}', '\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{A}}'), 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['n'], 'n×1']);
  });

  const layer = doc(
    '\\mathbf{W} \\in \\mathbb{R}^{m \\times n}', // n neurons with m weights each (W = [W_1 … W_n], W_i ∈ ℝᵐ)
    '\\mathbf{A} \\in \\mathbb{R}^m',
    '\\mathbf{Z} = \\mathbf{W}^T \\mathbf{A}', // (A.78)
  );

  it('A.9.3: Z = WᵀA with W ∈ ℝ^{m×n}, A ∈ ℝᵐ: ∂Z/∂A is m×n, and = W shape-checks', () => {
    const d = lastDerivative(doc(layer, '\\frac{\\partial \\mathbf{Z}}{\\partial \\mathbf{A}} = \\mathbf{W}'), 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['m', 'n'], 'm×n']);
  });

  it('Notation 31 verbatim, with the layer superscripts: ∂Z^ℓ/∂A^{ℓ−1} = W^ℓ is (m^ℓ × n^ℓ)', () => {
    const source = doc(
      '\\mathbf{W}^\\ell \\in \\mathbb{R}^{m \\times n}',
      '\\mathbf{A}^{\\ell-1} \\in \\mathbb{R}^m',
      '\\mathbf{Z}^\\ell = (\\mathbf{W}^\\ell)^T \\mathbf{A}^{\\ell-1}',
      '\\frac{\\partial \\mathbf{Z}^\\ell}{\\partial \\mathbf{A}^{\\ell-1}} = \\mathbf{W}^\\ell',
    );
    const d = lastDerivative(source, 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['m', 'n'], 'm×n']);
    // In numerator layout it would be Wᵀ (n×m), and the claim = W^ℓ is reported as a layout difference.
    const a = math(source, 'numerator');
    assert.deepEqual(a.diagnostics, [], describe_(a));
    assert.deepEqual(checkClaims(a).diagnostics.map((x) => x.code), ['claim-layout']);
  });

  it('A.9.4: ∂A/∂Z for A = f(Z) elementwise is n×n (an abstract f and the sigmoid alike)', () => {
    const abstract = doc('f: \\mathbb{R}^n \\to \\mathbb{R}^n', '\\mathbf{Z}^\\ell \\in \\mathbb{R}^n', '\\mathbf{A}^\\ell = f(\\mathbf{Z}^\\ell)', '\\frac{\\partial \\mathbf{A}^\\ell}{\\partial \\mathbf{Z}^\\ell}');
    const sigmoid = doc('\\mathbf{Z}^\\ell \\in \\mathbb{R}^n', '\\mathbf{A}^\\ell = \\sigma(\\mathbf{Z}^\\ell)', '\\frac{\\partial \\mathbf{A}^\\ell}{\\partial \\mathbf{Z}^\\ell}');
    for (const source of [abstract, sigmoid]) {
      const d = lastDerivative(source, 'denominator');
      assert.deepEqual([d.shape, d.matrixShape], [['n', 'n'], 'n×n']);
    }
  });

  it('a whole layer: ∂𝓛/∂W^ℓ is shaped like W^ℓ (m×n)', () => {
    const source = doc(
      '\\mathbf{W}^\\ell \\in \\mathbb{R}^{m \\times n}',
      '\\mathbf{A}^{\\ell-1} \\in \\mathbb{R}^m',
      '\\mathbf{y} \\in \\mathbb{R}^n',
      '\\mathbf{Z}^\\ell = (\\mathbf{W}^\\ell)^T \\mathbf{A}^{\\ell-1}',
      '\\mathbf{A}^\\ell = \\sigma(\\mathbf{Z}^\\ell)',
      '\\mathcal{L} = \\sum((\\mathbf{A}^\\ell - \\mathbf{y}).^2)',
      '\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{W}^\\ell}',
    );
    const d = lastDerivative(source, 'denominator');
    assert.deepEqual([d.shape, d.matrixShape], [['m', 'n'], 'm×n']);
  });

  it('reported: Notation 30’s ∂Z/∂W = A is the seed’s compressed form; the full derivative is a 3-tensor (m×n×n)', () => {
    const a = math(doc(layer, '\\frac{\\partial \\mathbf{Z}}{\\partial \\mathbf{W}} = \\mathbf{A}'), 'denominator');
    assert.deepEqual(a.diagnostics.map((x) => x.code), ['shape-mismatch'], describe_(a));
    assert.deepEqual(derivative(a, '\\frac{\\partial \\mathbf{Z}}{\\partial \\mathbf{W}}').shape, ['m', 'n', 'n']);
  });
});
