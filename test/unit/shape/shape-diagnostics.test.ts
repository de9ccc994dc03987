// Shape diagnostics (issue A): each case is [source, code, exact span, message
// substring]. Spans follow the spec: a product mismatch spans the operator (for
// juxtaposition, the gap between the operands), an unknown name spans the name,
// a wrong call spans the call, a bad element reference spans the reference,
// a non-square argument of inv/det/tr spans the argument and a bad matrix power
// its `^k`. Each source holds exactly one mistake, and the analysis must report
// exactly one diagnostic for it: no cascades from a poisoned sub-expression or
// from a definition that failed.

import { strict as assert } from 'node:assert';
import { describeDiagnostics, run } from './helpers';

type Case = readonly [source: string, code: string, span: readonly [number, number], message: string];

const ERRORS: readonly Case[] = [
  ["A: R^{m×n}; y: R^p; A y", "shape-mismatch", [21, 22], "A (m×n) · y (p): inner dimensions n ≠ p"],
  ["A: R^{m×n}; y: R^p; A * y", "shape-mismatch", [22, 23], "A (m×n) · y (p): inner dimensions n ≠ p"],
  ["A: R^{m×n}; y: R^p; A \\cdot y", "shape-mismatch", [22, 27], "A (m×n) · y (p): inner dimensions n ≠ p"],
  ["x: R^n; y: R^m; x^T y", "shape-mismatch", [19, 20], "x^T (1×n) · y (m): inner dimensions n ≠ m"],
  ["A: R^{m×n}; B: R^{m×n}; A B", "shape-mismatch", [25, 26], "A (m×n) · B (m×n): inner dimensions n ≠ m"],
  ["x: R^n; x + y", "undeclared-symbol", [12, 13], "y is not declared"],
  ["f: R^n -> R; f(q)", "undeclared-symbol", [15, 16], "q is not declared"],
  ["x: R^n; d/dy (x^T x)", "undeclared-symbol", [11, 12], "y is not declared, so nothing can be differentiated with respect to it"],
  ["x: R^n; foo(x)", "unknown-function", [8, 11], "foo is not a known function"],
  ["x: R^n; sin(x, x)", "wrong-arity", [8, 17], "sin takes 1 argument, not 2"],
  ["ones(1, 2, 3)", "wrong-arity", [0, 13], "ones takes 1 or 2 arguments, not 3"],
  ["x: R^n; f(x) = x^T x; f(x, x)", "wrong-arity", [22, 29], "f is defined as f(x), so it takes 1 argument, not 2"],
  ["f: R^n -> R; x: R^n; f(x, x)", "wrong-arity", [21, 28], "so it takes 1 argument, not 2"],
  ["A: R^{2×3}; A_{31}", "bad-index", [12, 18], "Index 3 is out of range for axis 1 of A, which has size 2"],
  ["A: R^{2×3}; A[1,4]", "bad-index", [12, 18], "Index 4 is out of range for axis 2 of A, which has size 3"],
  ["x: R^3; x_0", "bad-index", [8, 11], "Indices start at 1"],
  ["A: R^{2×3}; A_{1}", "bad-index", [12, 17], "A has 2 axes, so A_{1} needs 2 indices"],
  ["A: R^{2×3}; A[1,2,3]", "bad-index", [12, 20], "A has 2 axes but A[1,2,3] gives 3 indices"],
  ["A: R^{2×3}; A_{ij}", "bad-index", [12, 18], "'ij' is symbolic"],
  ["s: R; s_1", "bad-index", [6, 9], "s is a scalar; it has no elements to index"],
  ["A: R^{m×n}; inv(A)", "not-square", [16, 17], "The inverse needs a square matrix, but A (m×n) is not square"],
  ["A: R^{m×n}; det(A)", "not-square", [16, 17], "The determinant needs a square matrix, but A (m×n) is not square"],
  ["A: R^{m×n}; tr(A)", "not-square", [15, 16], "The trace needs a square matrix, but A (m×n) is not square"],
  ["A: R^{m×n}; logdet(A)", "not-square", [19, 20], "logdet needs a square matrix"],
  ["A: R^{m×n}; |A|", "not-square", [13, 14], "(the determinant) needs a square matrix"],
  ["A: R^{m×n}; A^2", "not-square", [13, 15], "A (m×n) is not square, so it has no matrix power or inverse"],
  ["A: R^{m×n}; A^{-1}", "not-square", [13, 18], "A (m×n) is not square, so it has no matrix power or inverse"],
  ["x: R^n; x^2", "shape-mismatch", [9, 11], "a vector has no power"],
  ["x: R^n; x^T + x", "shape-mismatch", [12, 13], "x^T (1×n) + x (n): a row and a column vector cannot be combined elementwise"],
  ["A: R^{m×n}; B: R^{n×m}; A ⊙ B", "shape-mismatch", [26, 27], "A (m×n) ⊙ B (n×m): elementwise operations need equal shapes"],
  ["A: R^{m×n}; B: R^{n×m}; A : B", "shape-mismatch", [26, 27], "the Frobenius product needs equal shapes"],
  ["x: R^n; 1 / x", "shape-mismatch", [10, 11], "division is by a scalar"],
  ["x: R^n; A: R^{m×n}; grad(A x, x)", "shape-mismatch", [25, 28], "grad needs a scalar function, but A x (m) is not a scalar"],
  ["x: R^n; hess(x, x)", "shape-mismatch", [13, 14], "hess needs a scalar function, but x (n) is not a scalar"],
  ["x: R^n; d/dx_1 (x^T x)", "not-a-variable", [11, 14], "x_1 is an element of x"],
  ["f: R^n -> R; x: R^n; d/df f(x)", "not-a-variable", [24, 25], "f is a function, not a variable"],
  ["I", "bad-dimension", [0, 1], "The size of the identity I cannot be inferred here"],
  ["s: R; I s", "bad-dimension", [6, 7], "The size of the identity I cannot be inferred here"],
  ["B = I", "bad-dimension", [4, 5], "The size of the identity I cannot be inferred here"],
  ["x: R^n; x = x^T", "shape-mismatch", [12, 15], "x is declared n but defined as x^T (1×n)"],
  ["z: R^m; A: R^{n×n}; x: R^n; z = A x", "shape-mismatch", [32, 35], "z is declared m but defined as A x (n)"],
  ["f: R^n -> R; x: R^m; f(x)", "shape-mismatch", [23, 24], "f takes a point of ℝⁿ, but its argument x (m) is not one"],
  ["x: R^n; A: R^{m×n}; A x = x", "shape-mismatch", [26, 27], "The two sides have different shapes: m and x (n)"],
  ["X: R^{2×2×2}; X^T", "unsupported-operation", [14, 17], "Transpose is not defined for the 3-tensor X (2×2×2)"],
  ["x: R^n; y: R^m; [x, y]", "shape-mismatch", [20, 21], "Array entries must have equal shapes: x (n) and y (m)"],
  ["x: R^n; softmax(x^T x)", "shape-mismatch", [16, 21], "softmax needs a vector"],
  ["X: R^{n×n}; e^X", "unsupported-operation", [12, 15], "matrix exponential"],
  ["A: R^{m×n}; B: R^{n×m}; A^{\\circ B}", "shape-mismatch", [25, 32], "A (m×n) ^∘ B (n×m): elementwise operations need equal shapes"],
  ["x: R^n; x^T + x^{\\circ 2}", "shape-mismatch", [12, 13], "x^T (1×n) + x^{\\circ 2} (n): a row and a column vector cannot be combined elementwise"],
  ["x: R^3; x + e_5", "bad-index", [12, 15], "The unit vector e_5 needs at least 5 entries, but it has 3 here"],
  ["x: R^n; e_2^T e_1", "bad-dimension", [8, 11], "The size of the unit vector e_2 cannot be inferred here"],
  ["x: R^n; y: R^m; x + e_1 + y", "shape-mismatch", [24, 25], "elementwise operations need equal shapes"],
];

/** One mistake whose consequences (later uses, inferred sizes, element assembly) must stay silent. */
const NO_CASCADES: readonly Case[] = [
  ["x: R^n; y = x + z; y + 1", "undeclared-symbol", [16, 17], "z is not declared"],
  ["A: R^{m×n}; B = A^2; x: R^n; B x", "not-square", [17, 19], "A (m×n) is not square"],
  ["x: R^n; f = x^2; d/dx f", "shape-mismatch", [13, 15], "a vector has no power"],
  ["x: R^n; g = x^2; g(x) + g_1", "shape-mismatch", [13, 15], "a vector has no power"],
  ["x: R^n; h = x^2; y = h(x); d/dh y", "shape-mismatch", [13, 15], "a vector has no power"],
  ["x: R^n; y: R^m; x + I", "shape-mismatch", [18, 19], "elementwise operations need equal shapes"],
  ["a: R^2; a_1 = q; a_2 = 1; a", "undeclared-symbol", [14, 15], "q is not declared"],
  ["a: R^2; a_1 = [1, 2]; a_2 = 1; a", "shape-mismatch", [14, 20], "An element of a is a scalar"],
  ["A: R^{m×n}; B: R^{p×q}; x: R^n; (A + B) x", "shape-mismatch", [35, 36], "A (m×n) + B (p×q)"],
  ["A: R^{m×n}; y: R^p; sin(A y)^T + 1", "shape-mismatch", [25, 26], "inner dimensions n ≠ p"],
];

function check([source, code, [start, end], message]: Case): void {
  const analysis = run(source);
  const all = describeDiagnostics(analysis);
  assert.equal(analysis.diagnostics.length, 1, `expected exactly one diagnostic for ${JSON.stringify(source)}, got:\n${all.join('\n')}`);
  const d = analysis.diagnostics[0]!;
  assert.equal(d.severity, 'error', all[0]);
  assert.equal(d.code, code, all[0]);
  assert.deepEqual([d.span.start, d.span.end], [start, end], `span of ${all[0]}; expected '${source.slice(start, end)}'`);
  assert.ok(d.message.includes(message), `message ${JSON.stringify(d.message)} should include ${JSON.stringify(message)}`);
}

describe('shape diagnostics: code, exact span and message', () => {
  for (const c of ERRORS) it(`${JSON.stringify(c[0])} → ${c[1]} '${c[0].slice(c[2][0], c[2][1])}'`, () => check(c));
});

describe('shape diagnostics: each mistake is reported exactly once', () => {
  for (const c of NO_CASCADES) it(`${JSON.stringify(c[0])} → only ${c[1]} '${c[0].slice(c[2][0], c[2][1])}'`, () => check(c));

  it('reports the spec message exactly for A (m×n) · y (p)', () => {
    const source = 'A: R^{m×n}; y: R^p; A y';
    const [d] = run(source).diagnostics;
    assert.equal(d!.message.replace(/\.$/, ''), 'A (m×n) · y (p): inner dimensions n ≠ p');
    assert.equal(source.slice(d!.span.start - 1, d!.span.end + 1), 'A y');
  });

  it('two separate mistakes are two diagnostics, each at its own place', () => {
    const source = 'A: R^{m×n}; y: R^p\nA y + A y\nx + 1';
    const analysis = run(source);
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.code, d.span.start, d.span.end]),
      [['shape-mismatch', 20, 21], ['shape-mismatch', 26, 27], ['undeclared-symbol', 29, 30]],
      describeDiagnostics(analysis).join('\n'),
    );
  });

  it('a later statement that only uses a failed definition adds nothing; a fresh mistake there still counts', () => {
    const analysis = run('x: R^n\ny = x^2\nz = y + 1\nw = z + q');
    assert.deepEqual(analysis.diagnostics.map((d) => d.code), ['shape-mismatch', 'undeclared-symbol'], describeDiagnostics(analysis).join('\n'));
  });

  it('a redefinition after a failed one works again', () => {
    const analysis = run('x: R^n\ny = x^2\ny = x + 1\ny');
    assert.equal(analysis.diagnostics.length, 1, describeDiagnostics(analysis).join('\n'));
  });
});

describe('shape diagnostics: size', () => {
  it('has at least 30 cases', () => assert.ok(ERRORS.length + NO_CASCADES.length >= 30));
});
