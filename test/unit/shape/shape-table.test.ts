// Shape inference (issue A), as a table: for each source, the shape of the LAST
// statement's expression (a bare expression, or a definition's value), written
// as formatShape text: 'scalar', 'n' (a column), '1×n' (a row), 'm×n', '2×3×4'.
//
// Expectations come from the spec: vectors are columns and a transposed vector
// is a row; symbolic sizes unify; a derivative ∂F/∂X has F's axes and X's axes
// ordered by the layout (numerator: F then X reversed; denominator: X then F
// reversed; mixed: F then X) — see /work/shared/docs/layouts-and-anchors.md.
// Every case must also analyse without any error diagnostic.

import { strict as assert } from 'node:assert';
import { report } from '../../../src/engine/analyze';
import type { Layout } from '../../../src/engine/shape/layout';
import { formatShape } from '../../../src/engine/shape/shape';
import type { Term } from '../../../src/engine/shape/term';
import { describeDiagnostics, errors, findExpr, lastShape, run, type Options } from './helpers';

type Case = readonly [source: string, expected: string, options?: Options];

const OPERATORS: readonly Case[] = [
  // scaling: a scalar times anything keeps the other operand's shape
  ['a: R; x: R^n\na x', 'n'],
  ['x: R^n\n2 x', 'n'],
  ['A: R^{m×n}\n3 * A', 'm×n'],
  ['A: R^{m×n}; a: R\nA a', 'm×n'],
  ['x: R^n; a: R\nx^T a', '1×n'],
  // matrix-vector, vector-matrix, dot, outer, matrix-matrix
  ['A: R^{m×n}; x: R^n\nA x', 'm'],
  ['A: R^{m×n}; x: R^n\nA * x', 'm'],
  ['A: R^{m×n}; x: R^n\nA \\cdot x', 'm'],
  ['A: R^{m×n}; y: R^m\ny^T A', '1×n'],
  ['A: R^{m×n}; x: R^n\nx^T A^T', '1×m'],
  ['a: R^n; b: R^n\na^T b', 'scalar'],
  ['a: R^m; b: R^n\na b^T', 'm×n'],
  ['A: R^{m×n}; B: R^{n×p}\nA B', 'm×p'],
  ['A: R^{m×n}; B: R^{n×p}; C: R^{p×q}\nA B C', 'm×q'],
  ['x: R^n; A: R^{n×n}\nx^T A x', 'scalar'],
  ['A: R^{m×n}; B: R^{n×p}; x: R^p\nA (B x)', 'm'],
  // Hadamard product, quotient and power, with a scalar broadcasting
  ['A: R^{m×n}; B: R^{m×n}\nA ⊙ B', 'm×n'],
  ['A: R^{m×n}; B: R^{m×n}\nA .* B', 'm×n'],
  ['A: R^{m×n}; B: R^{m×n}\nA \\odot B', 'm×n'],
  ['x: R^n\n2 .* x', 'n'],
  ['x: R^n; s: R\nx ⊙ s', 'n'],
  ['A: R^{m×n}; B: R^{m×n}\nA ./ B', 'm×n'],
  ['A: R^{m×n}; B: R^{m×n}\nA \\oslash B', 'm×n'],
  ['x: R^n\nx ./ 2', 'n'],
  ['x: R^n\n1 ./ x', 'n'],
  ['A: R^{m×n}\nA .^ 2', 'm×n'],
  ['x: R^n; y: R^n\nx .^ y', 'n'],
  ['A: R^{m×n}\nA^{\\circ 2}', 'm×n'],
  ['x: R^n\nx^{\\circ -1}', 'n'],
  ['x: R^n\n\\left(x^\\top\\right)^{\\circ 1/2}', '1×n'],
  ['A: R^{m×n}; B: R^{m×n}\nA^{\\circ B}', 'm×n'],
  ['A: R^{m×n}\nA∘²', 'm×n'],
  ['s: R\ns^{\\circ 2}', 'scalar'],
  ['x: R^n; s: R\nx / s', 'n'],
  // sums and differences
  ['A: R^{m×n}; B: R^{m×n}\nA + B - A', 'm×n'],
  ['x: R^n\nx^T + x^T', '1×n'],
  ['x: R^n\nx + 1', 'n'],
  ['x: R^n\n-x', 'n'],
  // Frobenius product; \cdot between vectors is the dot product
  ['A: R^{m×n}; B: R^{m×n}\nA : B', 'scalar'],
  ['x: R^n; A: R^{n×n}\nx : A x', 'scalar'],
  ['a: R^n; b: R^n\na \\cdot b', 'scalar'],
  ['a: R^n; b: R^n\na^T \\cdot b', 'scalar'],
  // transposes
  ['x: R^n\nx^T', '1×n'],
  ["x: R^n\nx'", '1×n'],
  ['x: R^n\nxᵀ', '1×n'],
  ['x: R^n\n(x^T)^T', 'n'],
  ['A: R^{m×n}\nA^T', 'n×m'],
  ['A: R^{m×n}\nA^\\top', 'n×m'],
  ['s: R\ns^T', 'scalar'],
  // matrix powers and inverse
  ['A: R^{n×n}\nA^2', 'n×n'],
  ['A: R^{n×n}\nA^3 A', 'n×n'],
  ['A: R^{n×n}\nA^{-1}', 'n×n'],
  ['A: R^{m×n}\n(A^T A)^{-1} A^T', 'n×m'],
  ['s: R\ns^2', 'scalar'],
  // element references
  ['A: R^{2×3}\nA_{12}', 'scalar'],
  ['A: R^{2×3}\nA[2,3]', 'scalar'],
  ['A: R^{2×3}\nA_{2,3}', 'scalar'],
  ['x: R^3\nx_2', 'scalar'],
  ['T: R^{2×2×3}\nT_{213}', 'scalar'],
  // array literals: comma lists are columns, LaTeX rows are rows, nesting adds axes
  ['[1, 2, 3]', '3'],
  ['x: R; y: R\n[x, y]', '2'],
  ['[[1, 2], [3, 4], [5, 6]]', '3×2'],
  ['[[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]', '2×2×3'],
  ['x: R^n; y: R^n\n[x, y]', '2×n'],
  ['\\begin{bmatrix} 1 & 2 & 3 \\end{bmatrix}', '1×3'],
  ['\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}', '2'],
  ['\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\\\ 5 & 6 \\end{bmatrix}', '3×2'],
];

const FUNCTIONS: readonly Case[] = [
  // elementwise functions keep the shape (and a row stays a row)
  ['x: R^n\nsin(x)', 'n'],
  ['A: R^{m×n}\nexp(A)', 'm×n'],
  ['x: R^n\nlog(x) + sqrt(x) + tanh(x) + cos(x)', 'n'],
  ['x: R^n\nrelu(x^T)', '1×n'],
  ['A: R^{m×n}\nsoftplus(A) ⊙ abs(A)', 'm×n'],
  ['x: R^n\nsign(x^T) + step(x^T) + sgn(x^T)', '1×n'],
  ['A: R^{m×n}\n\\operatorname{sign}(A) \\odot \\operatorname{step}(A)', 'm×n'],
  ['x: R^n\n\\sin x', 'n'],
  // reductions and matrix functions
  ['A: R^{m×n}\nsum(A)', 'scalar'],
  ['x: R^n\nsum(x)', 'scalar'],
  ['X: R^{n×n}\ntr(X)', 'scalar'],
  ['A: R^{m×n}; B: R^{n×m}\ntr(A B)', 'scalar'],
  ['X: R^{n×n}\ndet(X)', 'scalar'],
  ['X: R^{n×n}\n|X|', 'scalar'],
  ['s: R\n|s|', 'scalar'],
  ['X: R^{n×n}\nlogdet(X)', 'scalar'],
  ['X: R^{n×n}\ninv(X)', 'n×n'],
  ['x: R^n\nnorm2(x)', 'scalar'],
  ['x: R^n\n\\|x\\|', 'scalar'],
  ['x: R^n\nnorm1(x)', 'scalar'],
  ['x: R^n\ndiag(x)', 'n×n'],
  ['X: R^{n×n}\ndiag(X)', 'n'],
  ['x: R^n\nsoftmax(x)', 'n'],
  ['x: R^n\nlogsumexp(x)', 'scalar'],
  // constructors and inferred sizes
  ['eye(3)', '3×3'],
  ['eye(n)', 'n×n'],
  ['ones(m, n)', 'm×n'],
  ['ones(4)', '4'],
  ['zeros(2, 3)', '2×3'],
  ['A: R^{n×n}\nA + I', 'n×n'],
  ['A: R^{m×n}\nA I', 'm×n'],
  ['x: R^n\nx + vector(1)', 'n'],
  ['x: R^n\nx^T vector(1)', 'scalar'],
  ['A: R^{m×n}\nA^T vector(1)', 'n'],
  ['A: R^{m×n}\nones(m)^T A', '1×n'],
  // e_k, when e is neither declared nor defined, is a standard basis vector of inferred size
  ['x: R^n\nx + e_2', 'n'],
  ['x: R^n\n\\mathbf{e}_{2}^\\top x', 'scalar'],
  ['A: R^{m×n}\nA \\mathbf{e}_{1}', 'm'],
  ['A: R^{m×n}\nA + e_2 e_1^T', 'm×n'],
  ['x: R^3\nx + e₃', '3'],
  ['e: R^3\ne_2', 'scalar'],
];

const NAMES: readonly Case[] = [
  // definitions chain in document order
  ["W: R^{m×n}; a: R^m\nz = W' a\na2 = sigmoid(z)\nL = sum(a2)", 'scalar'],
  ["W: R^{m×n}; a: R^m\nz = W' a\nz", 'n'],
  ["W: R^{m×n}; a: R^m\nz = W' a\na2 = sigmoid(z)\na2", 'n'],
  ['x: R^n; A: R^{n×n}\nf = x^T A x\nf', 'scalar'],
  ['x: R^n\ny = 2 x\ny = y^T\ny', '1×n'],
  // `Ax` without a space is A·x when A and x are declared (and Ax is not)
  ['A: R^{m×n}; x: R^n\nAx', 'm'],
  ['A: R^{m×n}; B: R^{n×p}; x: R^p\nABx', 'm'],
  ['A: R^{m×n}; x: R^n\n(Ax)', 'm'],
  ['Ax: R^k; A: R^{m×n}; x: R^n\nAx', 'k'],
  // e^x is exp(x)
  ['s: R\ne^s', 'scalar'],
  ['x: R^n\ne^x', 'n'],
  ['x: R^n\ne^{-x^T x}', 'scalar'],
  // f(x) refers to a defined f
  ['x: R^n\nf(x) = x^T x\nf(x)', 'scalar'],
  ['A: R^{m×n}; x: R^n\ng = A x\ng(x)', 'm'],
  ['f: R^n -> R^m; x: R^n\nf(x)', 'm'],
  // σ(z) is the sigmoid
  ['z: R^n\nσ(z)', 'n'],
  ['z: R^n\n\\sigma(z)', 'n'],
  ['W: R^{m×n}; a: R^m\nσ(W^T a)', 'n'],
];

/** Derivative requests: [source, numerator, denominator, mixed]. */
const DERIVATIVES: readonly (readonly [string, string, string, string])[] = [
  // vector by vector: F (m), X (n)
  ['A: R^{m×n}; x: R^n\nd/dx (A x)', 'm×n', 'n×m', 'm×n'],
  ['A: R^{m×n}; x: R^n\njacobian(A x, x)', 'm×n', 'n×m', 'm×n'],
  ['A: R^{m×n}; x: R^n\ndiff(A x, x)', 'm×n', 'n×m', 'm×n'],
  // scalar by vector: a row in numerator, a column in denominator and mixed
  ['x: R^n\nf = x^T x\nd/dx f', '1×n', 'n', 'n'],
  ['x: R^n\nf = x^T x\ndf/dx', '1×n', 'n', 'n'],
  ['x: R^n\nf = x^T x\n\\frac{\\partial f}{\\partial x}', '1×n', 'n', 'n'],
  ['x: R^n\nf = x^T x\n\\nabla_x f', '1×n', 'n', 'n'],
  ['x: R^n\nf = x^T x\ngrad(f, x)', '1×n', 'n', 'n'],
  // vector by scalar: F's shape in numerator and mixed, a row in denominator
  ['s: R; a: R^m\nd/ds (s a)', 'm', '1×m', 'm'],
  // matrix by scalar
  ['M: R^{r×k}; s: R\nd/ds (s M)', 'r×k', 'k×r', 'r×k'],
  // scalar by scalar
  ['s: R\nd/ds s^2', 'scalar', 'scalar', 'scalar'],
  // scalar by matrix X (m×n)
  ['X: R^{m×n}\nd/dX sum(X)', 'n×m', 'm×n', 'm×n'],
  ['X: R^{n×n}\nd/dX det(X)', 'n×n', 'n×n', 'n×n'],
  // vector (m) by matrix (n×p): rank 3
  ['A: R^{m×n}; X: R^{n×p}; c: R^p\nd/dX (A X c)', 'm×p×n', 'n×p×m', 'm×n×p'],
  // matrix (m×n) by matrix (p×q): rank 4
  ['B: R^{m×p}; X: R^{p×q}; C: R^{q×n}\nd/dX (B X C)', 'm×n×q×p', 'p×q×n×m', 'm×n×p×q'],
  // Hessians of a scalar by a vector are n×n in every layout
  ['x: R^n; A: R^{n×n}\nhess(x^T A x, x)', 'n×n', 'n×n', 'n×n'],
  ['x: R^n; A: R^{n×n}\nf = x^T A x\n\\frac{\\partial^2 f}{\\partial x \\partial x^T}', 'n×n', 'n×n', 'n×n'],
  ['x: R^n; A: R^{n×n}\nf = x^T A x\n\\frac{\\partial^2 f}{\\partial x^2}', 'n×n', 'n×n', 'n×n'],
  ['x: R^n; A: R^{n×n}\nd/dx d/dx (x^T A x)', 'n×n', 'n×n', 'n×n'],
  // ∂²f/∂x∂yᵀ is indexed [i, j] = ∂²f/∂x_i∂y_j in every layout
  ['x: R^n; y: R^p; B: R^{n×p}\nf = x^T B y\n\\frac{\\partial^2 f}{\\partial x \\partial y^T}', 'n×p', 'n×p', 'n×p'],
  // second derivatives of tensors: numerator (F, X reversed, X reversed), denominator its full transpose, mixed (F, X, X)
  ['X: R^{m×n}\nhess(sum(X), X)', 'n×m×n×m', 'm×n×m×n', 'm×n×m×n'],
  ['A: R^{m×n}; x: R^n\n\\frac{\\partial^2 (A x)}{\\partial x^2}', 'm×n×n', 'n×n×m', 'm×n×n'],
];

function check(source: string, expected: string, options: Options = {}): void {
  const analysis = run(source, options);
  assert.deepEqual(errors(analysis).length, 0, `unexpected errors for ${JSON.stringify(source)}:\n${describeDiagnostics(analysis).join('\n')}`);
  assert.equal(lastShape(analysis), expected, `shape of the last statement of ${JSON.stringify(source)}`);
}

describe('shape table: operators', () => {
  for (const [source, expected, options] of OPERATORS) it(`${JSON.stringify(source)} → ${expected}`, () => check(source, expected, options));
});

describe('shape table: functions', () => {
  for (const [source, expected, options] of FUNCTIONS) it(`${JSON.stringify(source)} → ${expected}`, () => check(source, expected, options));
});

describe('shape table: names, definitions, splitting and sugar', () => {
  for (const [source, expected, options] of NAMES) it(`${JSON.stringify(source)} → ${expected}`, () => check(source, expected, options));
});

describe('shape table: derivative requests in all three layouts', () => {
  const layouts: readonly Layout[] = ['numerator', 'denominator', 'mixed'];
  for (const [source, ...expected] of DERIVATIVES) {
    layouts.forEach((layout, k) => {
      it(`[${layout}] ${JSON.stringify(source)} → ${expected[k]}`, () => check(source, expected[k]!, { layout }));
    });
  }
});

describe('shape table: size', () => {
  it('has at least 80 cases', () => {
    const total = OPERATORS.length + FUNCTIONS.length + NAMES.length + DERIVATIVES.length * 3;
    assert.ok(total >= 80, `only ${total} cases`);
  });
});

// ── sub-expressions, desugaring and the report's matrixShape ──────────────

function lastTerm(source: string, options: Options = {}): Term {
  const analysis = run(source, options);
  assert.equal(errors(analysis).length, 0, describeDiagnostics(analysis).join('\n'));
  const statements = analysis.elaboration.statements;
  const term = statements[statements.length - 1]!.term;
  assert.ok(term, 'the last statement has a term');
  return term;
}

describe('shape table: sub-expressions have shapes too', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    // [source, sub-expression text, its shape]
    ['A: R^{m×n}\nA I', 'I', 'n×n'],
    ['A: R^{m×n}\nI A', 'I', 'm×m'],
    ['x: R^n\nx + vector(1)', 'vector(1)', 'n'],
    ['A: R^{m×n}\nA^T vector(1)', 'vector(1)', 'm'],
    ['A: R^{m×n}; x: R^n\nx^T A^T A x', 'x^T A^T', '1×m'],
    ['A: R^{m×n}; x: R^n\nx^T A^T A x', 'x^T', '1×n'],
    ["W: R^{m×n}; a: R^m\nz = W' a\na2 = sigmoid(z)", "W'", 'n×m'],
    ["W: R^{m×n}; a: R^m\nz = W' a\na2 = sigmoid(z)", 'z', 'n'],
    ['x: R^n\nf = x^T x\nd/dx f', 'f', 'scalar'],
    ['[[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]', '[[1, 2, 3], [4, 5, 6]]', '2×3'],
  ];
  for (const [source, sub, expected] of cases) {
    it(`${JSON.stringify(sub)} in ${JSON.stringify(source)} is ${expected}`, () => {
      const analysis = run(source);
      assert.equal(errors(analysis).length, 0, describeDiagnostics(analysis).join('\n'));
      const node = findExpr(analysis, sub);
      assert.ok(node, `no shaped node ${sub}`);
      assert.equal(formatShape(analysis.elaboration.shapes.get(node)!), expected);
    });
  }
});

describe('shape table: notation is decided by shape', () => {
  it('|X| of a square matrix is det, |s| of a scalar is abs', () => {
    assert.deepEqual([lastTerm('X: R^{n×n}\n|X|').op, lastTerm('X: R^{n×n}\n|X|').fn], ['call', 'det']);
    assert.deepEqual([lastTerm('s: R\n|s|').op, lastTerm('s: R\n|s|').fn], ['call', 'abs']);
  });
  it('e^x is exp(x), for a scalar and elementwise for a vector', () => {
    assert.equal(lastTerm('s: R\ne^s').fn, 'exp');
    const v = lastTerm('x: R^n\ne^x');
    assert.deepEqual([v.op, v.fn, formatShape(v.shape)], ['call', 'exp', 'n']);
  });
  it('σ(z) is the sigmoid', () => {
    assert.equal(lastTerm('z: R^n\nσ(z)').fn, 'sigmoid');
  });
  it('Ax is the product A·x; A^{-1} is the inverse; a·b of vectors is a dot product', () => {
    const ax = lastTerm('A: R^{m×n}; x: R^n\nAx');
    assert.deepEqual([ax.op, ax.fn, ax.args.map((a) => a.name)], ['matmul', 'mv', ['A', 'x']]);
    assert.equal(lastTerm('A: R^{n×n}\nA^{-1}').op, 'inv');
    assert.equal(lastTerm('a: R^n; b: R^n\na \\cdot b').op, 'frob');
  });
  it('juxtaposition with a scalar is a scaling, not a matrix product', () => {
    assert.equal(lastTerm('x: R^n; a: R\na x').op, 'scale');
    assert.equal(lastTerm('A: R^{m×n}; a: R\nA a').op, 'scale');
  });
  it('f(x) refers to the defined f', () => {
    const t = lastTerm('x: R^n\nf(x) = x^T x\nf(x)');
    assert.deepEqual([t.op, t.name], ['ref', 'f']);
  });
});

describe("shape table: the report's matrixShape for derivatives", () => {
  // [source, numerator, denominator, mixed] matrix shapes (rows×columns), null above rank 2
  const cases: readonly (readonly [string, string | null, string | null, string | null])[] = [
    // scalar by vector: 1×n numerator, n×1 denominator and mixed
    ['x: R^n\nd/dx (x^T x)', '1×n', 'n×1', 'n×1'],
    // vector by scalar: m×1 numerator and mixed, 1×m denominator
    ['s: R; a: R^m\nd/ds (s a)', 'm×1', '1×m', 'm×1'],
    // scalar by matrix X (m×n): n×m numerator, m×n denominator and mixed
    ['X: R^{m×n}\nd/dX sum(X)', 'n×m', 'm×n', 'm×n'],
    // vector by vector
    ['A: R^{m×n}; x: R^n\nd/dx (A x)', 'm×n', 'n×m', 'm×n'],
    // matrix by scalar
    ['M: R^{r×k}; s: R\nd/ds (s M)', 'r×k', 'k×r', 'r×k'],
    // scalar by scalar
    ['s: R\nd/ds s^2', '1×1', '1×1', '1×1'],
    // Hessian
    ['x: R^n\nhess(x^T x, x)', 'n×n', 'n×n', 'n×n'],
    // rank 3 and 4 have no matrix shape
    ['A: R^{m×n}; X: R^{n×p}; c: R^p\nd/dX (A X c)', null, null, null],
    ['B: R^{m×p}; X: R^{p×q}; C: R^{q×n}\nd/dX (B X C)', null, null, null],
  ];
  for (const [source, ...expected] of cases) {
    (['numerator', 'denominator', 'mixed'] as const).forEach((layout, k) => {
      it(`[${layout}] ${JSON.stringify(source)} → ${expected[k]}`, () => {
        const analysis = run(source, { layout });
        assert.equal(errors(analysis).length, 0, describeDiagnostics(analysis).join('\n'));
        const r = report(analysis, { derive: false });
        assert.equal(r.derivatives.length, 1);
        assert.equal(r.derivatives[0]!.layout, layout);
        assert.equal(r.derivatives[0]!.matrixShape, expected[k]);
      });
    });
  }
});
