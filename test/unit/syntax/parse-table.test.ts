// Golden parse table for the tensor-expression language (issue A).
//
// Each case is [source, expected] where `expected` is the S-expression of every
// statement (see src/engine/syntax/sexpr.ts), joined with ' ; '. Expectations
// were derived by hand from the spec and the precedence rules documented in
// src/engine/syntax/parser.ts, loosest first:
//   `=` chains < `+ -` < `:` (Frobenius) < `* / ⊙ ./ .*` and juxtaposition
//   < unary minus < postfix (`^`, `.^`, `'`, `ᵀ`, subscripts) < primary.
// Every case must also parse without any diagnostic.

import { strict as assert } from 'node:assert';
import { parse, type ParseOptions } from '../../../src/engine/syntax/parser';
import { statementToSexpr } from '../../../src/engine/syntax/sexpr';

type Case = readonly [source: string, expected: string, options?: ParseOptions];

const MATH: ParseOptions = { mode: 'math' };

/** x' A x and its spellings. */
const QUAD = "(* (* (' x) A) x)";

const DECLARATIONS_ASCII: Case[] = [
  ['x: R^n', '(decl x [n])'],
  ['s: R', '(decl s [])'],
  ['A: R^{n×n}', '(decl A [n n])'],
  ['A: R^{n x n}', '(decl A [n n])'],
  ['W: R^(m,n)', '(decl W [m n])'],
  ['T: R^{2×3×4}', '(decl T [2 3 4])'],
  ['A: R^{n×n} symmetric', '(decl A [n n] symmetric)'],
  ['x: R^n, y: R^m', '(decl x [n]) ; (decl y [m])'],
  ['x: R^3', '(decl x [3])'],
  ['A: R^{2x3}', '(decl A [2 3])'],
  ['X: R^{m*n}', '(decl X [m n])'],
  ['X: R^{m,n}', '(decl X [m n])'],
  ['S: R^{n×n} spd', '(decl S [n n] spd)'],
  ['S: R^{n x n} positive definite', '(decl S [n n] spd)'],
  ['D: R^{n×n} diagonal', '(decl D [n n] diagonal)'],
  ['c: R^n constant', '(decl c [n] constant)'],
  ['a, b: R^n', '(decl a b [n])'],
  ['W_1: R^{m×n}', '(decl W_1 [m n])'],
  ['W_{in}: R^{h x d}', '(decl W_in [h d])'],
  ['x: R^{n_1}', '(decl x [n_1])'],
  ['T: R^{m×n×p×q}', '(decl T [m n p q])'],
  ['f: R^n -> R', '(decl f [n] -> [])'],
  ['x: R^n; A: R^{n×n}', '(decl x [n]) ; (decl A [n n])'],
  ['x: R^n, f = x\' x', "(decl x [n]) ; (def f (* (' x) x))"],
];

const DECLARATIONS_LATEX: Case[] = [
  ['x \\in \\mathbb{R}^n', '(decl x [n])'],
  ['\\mathbf{X} \\in \\mathbb{R}^{m \\times n}', '(decl X [m n])'],
  ['\\mathcal{T} \\in \\mathbb{R}^{m \\times n \\times p}', '(decl T [m n p])'],
  ['s \\in \\mathbb{R}', '(decl s [])'],
  ['a, v \\in \\mathbb{R}^n', '(decl a v [n])'],
  ['\\boldsymbol{\\theta} \\in \\mathbb{R}^d', '(decl θ [d])'],
  ['\\bm{x} \\in \\mathbb{R}^{n}', '(decl x [n])'],
  ['\\vec{v} \\in \\mathbb{R}^3', '(decl v [3])'],
  ['\\vec x \\in \\mathbb R^n', '(decl x [n])'],
  ['A \\in \\mathbb{R}^{3 \\times 3}', '(decl A [3 3])'],
  ['x \\in \\R^n', '(decl x [n])'],
  ['A \\in \\mathbb{R}^{n \\times n} \\text{symmetric}', '(decl A [n n] symmetric)'],
  ['W^{(1)} \\in \\mathbb{R}^{m \\times n}', '(decl W^(1) [m n])'],
  ['f: \\mathbb{R}^N \\rightarrow \\mathbb{R}', '(decl f [N] -> [])'],
  ['g: \\mathbb{R}^n \\to \\mathbb{R}^m', '(decl g [n] -> [m])'],
  ['x \\in \\mathbb{R}^n, y \\in \\mathbb{R}^m', '(decl x [n]) ; (decl y [m])'],
  ['x \\in \\mathbb{R}^n.', '(decl x [n])'],
  ['\\mathbf{A} \\in \\mathbb{R}^{n \\times n}, \\mathbf{x} \\in \\mathbb{R}^{n}', '(decl A [n n]) ; (decl x [n])'],
];

const DEFINITIONS: Case[] = [
  ["f = x' A x", `(def f ${QUAD})`],
  ["z = W' a", "(def z (* (' W) a))"],
  ['a = sigmoid(z)', '(def a (sigmoid z))'],
  ['L = sum((a - y).^2)', '(def L (sum (.^ (- a y) 2)))'],
  ['f = x^T A x', `(def f ${QUAD})`],
  ["f(x) = x' x", "(def (x) f (* (' x) x))"],
  ['g(x, y) = x + y', '(def (x y) g (+ x y))'],
  ['y = W x + b', '(def y (+ (* W x) b))'],
  ['h = tanh(W_1 x + b_1)', '(def h (tanh (+ (* (sub W 1) x) (sub b 1))))'],
  ['f := x^T x', "(def f (* (' x) x))"],
  ['f \\coloneqq x^\\top x', "(def f (* (' x) x))"],
  ['a_1 = X_{11} + 2X_{12}', '(def (sub a 1) (+ (sub X 11) (* 2 (sub X 12))))'],
];

const ELEMENTS: Case[] = [
  ['a = [s^2, 3*s, sin(s)]', '(def a (col (^ s 2) (* 3 s) (sin s)))'],
  [
    'M = [[x_1^2 + x_2, sin(x_1)], [exp(x_2), x_1*x_2]]',
    '(def M (col (col (+ (^ (sub x 1) 2) (sub x 2)) (sin (sub x 1))) (col (exp (sub x 2)) (* (sub x 1) (sub x 2)))))',
  ],
  ['[1, 2; 3, 4]', '(col (row 1 2) (row 3 4))'],
  ['[1; 2; 3]', '(col 1 2 3)'],
  ['[x]', '(col x)'],
  ['X[1,2]', '(idx X 1 2)'],
  ['X[i, j]', '(idx X i j)'],
  ['X_{12}', '(sub X 12)'],
  ['X_{1,2}', '(sub X 1 2)'],
  ['T_{111}', '(sub T 111)'],
  ['s = T_{111} + 2 T_{122} + 3 T_{213}', '(def s (+ (+ (sub T 111) (* 2 (sub T 122))) (* 3 (sub T 213))))'],
  ['x_1', '(sub x 1)'],
  ['x_i', '(sub x i)'],
  ['x_{max}', '(sub x max)'],
  ['x_ij', '(* (sub x i) j)'],
  ['X[1,2] + X_{21}', '(+ (idx X 1 2) (sub X 21))'],
];

const OPERATORS: Case[] = [
  ['a + b * c', '(+ a (* b c))'],
  ['a - b - c', '(- (- a b) c)'],
  ['a / b / c', '(/ (/ a b) c)'],
  ['a / b c', '(* (/ a b) c)'],
  ['1/2 x', '(* (/ 1 2) x)'],
  ['-x^2', '(neg (^ x 2))'],
  ['-2^2', '(neg (^ 2 2))'],
  ['(-x)^2', '(^ (neg x) 2)'],
  ['-a b', '(* (neg a) b)'],
  ['--x', '(neg (neg x))'],
  ['+x', 'x'],
  ['a - -b', '(- a (neg b))'],
  ['a * -b', '(* a (neg b))'],
  ["-x'", "(neg (' x))"],
  ['a b + c', '(+ (* a b) c)'],
  ['a + b c', '(+ a (* b c))'],
  ['A B C', '(* (* A B) C)'],
  ['2 x', '(* 2 x)'],
  ['2x', '(* 2 x)'],
  ['A x', '(* A x)'],
  ["x'*y", "(* (' x) y)"],
  ["x y'", "(* x (' y))"],
  ["x' y", "(* (' x) y)"],
  ['a \\cdot b', '(* a b)'],
  ['A \\times B', '(* A B)'],
  ['a \\ast b', '(* a b)'],
  ['A @ x', '(* A x)'],
  ['A : B', '(: A B)'],
  ['x : A x', '(: x (* A x))'],
  ['a + b : c', '(+ a (: b c))'],
  ['A : B + C : D', '(+ (: A B) (: C D))'],
  ['a : b * c', '(: a (* b c))'],
  ['a * b : c', '(: (* a b) c)'],
  ['a : b : c', '(: (: a b) c)'],
  ["A : B'", "(: A (' B))"],
  ['-A : B', '(: (neg A) B)'],
  ['x .^ 2', '(.^ x 2)'],
  ['x.^2 + 1', '(+ (.^ x 2) 1)'],
  ['-x.^2', '(neg (.^ x 2))'],
  ['x.^-1', '(.^ x (neg 1))'],
  ['a .^ 2 .* b', '(.* (.^ a 2) b)'],
  ['a .* b', '(.* a b)'],
  ['a .* b + c', '(+ (.* a b) c)'],
  ['a ./ b', '(./ a b)'],
  ['a \\odot b', '(.* a b)'],
  ['a \\odot b \\odot c', '(.* (.* a b) c)'],
  ['x \\circ y', '(.* x y)'],
  // Hadamard powers as the LaTeX printer writes them, and as the Unicode printer does
  ['X^{\\circ 2}', '(.^ X 2)'],
  ['X^{\\circ2}', '(.^ X 2)'],
  ['X^{\\odot 2}', '(.^ X 2)'],
  ['X^{\\circ -1}', '(.^ X (neg 1))'],
  ['X^{\\circ 1/2}', '(.^ X (/ 1 2))'],
  ['X^{\\circ \\frac{1}{2}}', '(.^ X (/ 1 2))'],
  ['X^{\\circ s} + Y', '(+ (.^ X s) Y)'],
  ['-X^{\\circ 2}', '(neg (.^ X 2))'],
  ['a^{\\circ 2} \\circ b', '(.* (.^ a 2) b)'],
  ['x^{\\circ 2}^\\top y', "(* (' (.^ x 2)) y)"],
  ['\\left(x + y\\right)^{\\circ 2}', '(.^ (+ x y) 2)'],
  ['X∘²', '(.^ X 2)'],
  ['X∘⁻¹ y', '(* (.^ X -1) y)'],
  ['X ∘ Y', '(.* X Y)'],
  ['x³ᐟ²', '(^ x 1.5)'],
  ['x∘⁻¹ᐟ²', '(.^ x -0.5)'],
  ['a \\oslash b', '(./ a b)'],
  ['A \\otimes B', '(kron A B)'],
  ['x^2', '(^ x 2)'],
  ['x^{2}', '(^ x 2)'],
  ['x^2 y', '(* (^ x 2) y)'],
  ['a^{b+c}', '(^ a (+ b c))'],
  ['x^ab', '(* (^ x a) b)'],
  ['A^{-1}', '(^ A (neg 1))'],
  ['A^-1', '(^ A (neg 1))'],
  ['A^{-1} b', '(* (^ A (neg 1)) b)'],
  ['2^{-1}', '(^ 2 (neg 1))'],
  ["(a + b)'", "(' (+ a b))"],
  ['(A B)^T', "(' (* A B))"],
  ["A''", "(' (' A))"],
  ["x' * y'", "(* (' x) (' y))"],
  ['x^T', "(' x)"],
  ['x^\\top', "(' x)"],
  ['x^{T}', "(' x)"],
  ['x^{\\top}', "(' x)"],
  ['x^\\intercal', "(' x)"],
  ['x^T A x', QUAD],
  ['x^T (A + B) x', "(* (* (' x) (+ A B)) x)"],
  ["(x - y)' (x - y)", "(* (' (- x y)) (- x y))"],
  ['a (b + c)', '(* a (+ b c))'],
  ['(a)', 'a'],
  ['((a + b))', '(+ a b)'],
  ["((a + b) c)'", "(' (* (+ a b) c))"],
  ['{a + b} c', '(* (+ a b) c)'],
  ['\\left( a + b \\right) c', '(* (+ a b) c)'],
  ['\\left( \\frac{a}{b} \\right)^2', '(^ (/ a b) 2)'],
  ['\\Big( a + b \\Big)^T', "(' (+ a b))"],
  ['\\left( x^T A x \\right)\'', `(' ${QUAD})`],
  ['\\frac{a}{b}', '(/ a b)'],
  ['\\frac{a + b}{c}', '(/ (+ a b) c)'],
  ['\\frac{1}{2} x^T x', "(* (* (/ 1 2) (' x)) x)"],
  ['\\dfrac{1}{n} x', '(* (/ 1 n) x)'],
];

const FUNCTIONS: Case[] = [
  ['sin(x)', '(sin x)'],
  ['cos(x)', '(cos x)'],
  ['tan(x)', '(tan x)'],
  ['exp(x)', '(exp x)'],
  ['log(x)', '(log x)'],
  ['ln(x)', '(log x)'],
  ['sqrt(x)', '(sqrt x)'],
  ['tanh(z)', '(tanh z)'],
  ['sigmoid(z)', '(sigmoid z)'],
  ['relu(z)', '(relu z)'],
  ['softplus(z)', '(softplus z)'],
  ['abs(x)', '(abs x)'],
  ['sum(x)', '(sum x)'],
  ['tr(A)', '(tr A)'],
  ['trace(A)', '(tr A)'],
  ['Tr(A)', '(tr A)'],
  ["tr(A' B)", "(tr (* (' A) B))"],
  ['det(X)', '(det X)'],
  ['|X|', '(bars X)'],
  ['|a - b|', '(bars (- a b))'],
  ['logdet(X)', '(logdet X)'],
  ['inv(A)', '(inv A)'],
  ['norm2(x)', '(norm2 x)'],
  ['norm(x)', '(norm2 x)'],
  ['norm1(x)', '(norm1 x)'],
  ['\\|x\\|', '(norm2 x)'],
  ['\\|x\\|_2', '(norm2 x)'],
  ['\\|x\\|_1', '(norm1 x)'],
  ['\\|X\\|_F', '(norm2 X)'],
  ['||x||', '(norm2 x)'],
  ['diag(x)', '(diag x)'],
  ['softmax(z)', '(softmax z)'],
  ['logsumexp(z)', '(logsumexp z)'],
  ['I', 'I'],
  ['A + 2 I', '(+ A (* 2 I))'],
  ['eye(n)', '(eye n)'],
  ['ones(n)', '(ones n)'],
  ['ones(m, n)', '(ones m n)'],
  ['zeros(n)', '(zeros n)'],
  ['vector(1)', '(vector 1)'],
  ['f(x, y)', '(call f x y)'],
  ['sin x', '(sin x)'],
  ['exp(x)\' y', "(* (' (exp x)) y)"],
  ['\\operatorname{tr}(A)', '(tr A)'],
  ['\\operatorname{Tr}(A^T B)', "(tr (* (' A) B))"],
  ['\\mathrm{tr}(A)', '(tr A)'],
  ['\\operatorname{softmax}(z)', '(softmax z)'],
  ['\\operatorname{diag}(\\mathbf{x})', '(diag x)'],
  ['\\mathrm{sigmoid}(z)', '(sigmoid z)'],
  ['\\text{softmax}(z)', '(softmax z)'],
  ['\\operatorname{logdet}(X)', '(logdet X)'],
  ['\\log(x)', '(log x)'],
  ['\\ln(x)', '(log x)'],
  ['\\exp(x)', '(exp x)'],
  ['\\tanh(z)', '(tanh z)'],
  ['\\det(X)', '(det X)'],
  ['\\sin x + 1', '(+ (sin x) 1)'],
  ['\\sin x y', '(* (sin x) y)'],
  ['\\log x^2', '(log (^ x 2))'],
  ['\\sin^2 x', '(^ (sin x) 2)'],
  ['\\sin(x)^2', '(^ (sin x) 2)'],
  ['\\exp(-x^2)', '(exp (neg (^ x 2)))'],
  ['\\sqrt{x}', '(sqrt x)'],
  ['\\sqrt{x^T x}', "(sqrt (* (' x) x))"],
  ['\\sqrt[3]{x}', '(^ x (/ 1 3))'],
  ['\\sum x', '(sum x)'],
  ['\\left| X \\right|', '(bars X)'],
  ['\\left\\| A x - b \\right\\|_2^2', '(^ (norm2 (- (* A x) b)) 2)'],
  ['\\lVert x \\rVert', '(norm2 x)'],
  // LaTeX says which side a bar is on, so nested norms and absolute values read as written
  ['\\left\\lVert 2 \\left\\lVert x \\right\\rVert y \\right\\rVert_1', '(norm1 (* (* 2 (norm2 x)) y))'],
  ['\\lVert 2 \\lVert x \\rVert y \\rVert', '(norm2 (* (* 2 (norm2 x)) y))'],
  ['\\left\\| a \\left\\| x \\right\\| \\right\\|', '(norm2 (* a (norm2 x)))'],
  ['\\bigl\\| a \\bigl\\| x \\bigr\\| \\bigr\\|', '(norm2 (* a (norm2 x)))'],
  ['\\left| s \\left| t \\right| \\right|', '(bars (* s (bars t)))'],
  ['\\lvert s \\lvert t \\rvert \\rvert', '(bars (* s (bars t)))'],
  // Unmarked bars: spacing says which side a bar is on, as people write (and the
  // Unicode printer prints) nested norms — a bar after a space and glued to what
  // follows opens; one glued to what precedes it closes.
  ['\\|2 \\|x\\| y\\|', '(norm2 (* (* 2 (norm2 x)) y))'],
  ['‖2 ‖x‖ y‖₁', '(norm1 (* (* 2 (norm2 x)) y))'],
  ['||2 ||x|| y||_1', '(norm1 (* (* 2 (norm2 x)) y))'],
  ['4 ‖2 ‖y‖ x‖⁻¹ yᵀ', "(* (* 4 (^ (norm2 (* (* 2 (norm2 y)) x)) -1)) (' y))"],
  ['‖a ‖b‖ ‖c‖ d‖', '(norm2 (* (* (* a (norm2 b)) (norm2 c)) d))'],
  ['‖‖x‖₁ y - ‖y‖ x‖', '(norm2 (- (* (norm1 x) y) (* (norm2 y) x)))'],
  ['|2 |s| t|', '(bars (* (* 2 (bars s)) t))'],
  // … and a bar opens only when enough bars follow to close it: otherwise it closes.
  ['‖x ‖y', '(* (norm2 x) y)'],
  ['\\|2\\|x\\|y\\|', '(* (* (norm2 2) x) (norm2 y))'],
  ['\\vert x \\vert', '(bars x)'],
];

const DERIVATIVES: Case[] = [
  ['d/dx f', '(d f x)'],
  ["d/dx (x' A x)", `(d ${QUAD} x)`],
  ["d/dx x' x + 1", "(d (+ (* (' x) x) 1) x)"],
  ['d(f)/dx', '(d f x)'],
  ["d(x' A x)/dx", `(d ${QUAD} x)`],
  ['df/dx', '(d f x)'],
  ['dL/dW', '(d L W)'],
  ['dy/dx + 1', '(+ (d y x) 1)'],
  ['∂f/∂x', '(d f x)'],
  ['∂/∂x f', '(d f x)'],
  ['∂L/∂W_1', '(d L W_1)'],
  ['∂f/∂x + 1', '(+ (d f x) 1)'],
  ['diff(f, x)', '(d f x)'],
  ['grad(f, x)', '(d f x)'],
  ["grad(x' A x, x)", `(d ${QUAD} x)`],
  ['hess(f, x)', '(d2 f x)'],
  ['hessian(f, x)', '(d2 f x)'],
  ['jacobian(g, x)', '(d g x)'],
  ['diff(f, x, y)', '(d2 f x y)'],
  ['diff(f, x, x)', '(d2 f x)'],
  ['\\frac{\\partial f}{\\partial x}', '(d f x)'],
  ['\\frac{\\partial f}{\\partial \\mathbf{x}}', '(d f x)'],
  ['\\dfrac{\\partial f}{\\partial x}', '(d f x)'],
  ['\\frac{\\partial}{\\partial \\mathbf{x}} (x^T A x)', `(d ${QUAD} x)`],
  ['\\frac{\\partial}{\\partial x} x^T A x + b^T x', `(d (+ ${QUAD} (* (' b) x)) x)`],
  ['\\frac{\\partial (x^T A x)}{\\partial x}', `(d ${QUAD} x)`],
  ['\\frac{\\partial^2 f}{\\partial x \\partial x^T}', "(d2x f x x')"],
  ['\\frac{\\partial^{2} f}{\\partial x \\partial x^{T}}', "(d2x f x x')"],
  ['\\frac{\\partial^2 f}{\\partial x^2}', '(d2 f x)'],
  ['\\frac{\\partial^2 f}{\\partial \\mathbf{x}^2}', '(d2 f x)'],
  ['\\frac{\\partial^2 f}{\\partial x \\partial y}', '(d2 f x y)'],
  ['\\frac{\\partial^2 f}{\\partial x \\partial x}', '(d2 f x)'],
  ['\\frac{d f}{d x}', '(d f x)'],
  ['\\frac{df}{dx}', '(d f x)'],
  ['\\frac{dA\\vec{x}}{dx}', '(d (* A x) x)'],
  ['\\frac{\\partial L}{\\partial W^{(1)}}', '(d L W^(1))'],
  ['\\frac{\\partial L}{\\partial W_1}', '(d L W_1)'],
  ['\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{W}}', '(d L W)'],
  ['\\frac{\\partial \\ell}{\\partial \\boldsymbol{\\theta}}', '(d ℓ θ)'],
  ['2 \\frac{\\partial f}{\\partial x}', '(* 2 (d f x))'],
  ['\\nabla_x f', '(d f x)'],
  ['\\nabla_{\\mathbf{x}} f', '(d f x)'],
  ['\\nabla_xf', '(d f x)'],
  ['\\nabla_\\theta L', '(d L θ)'],
  ['\\nabla^2_x f', '(d2 f x)'],
  ['\\nabla_x^2 f', '(d2 f x)'],
  ['d/dx^2 f', '(d2 f x)'],
  ['∂/∂x² f', '(d2 f x)'],
  ['\\nabla_{x}^{2} f', '(d2 f x)'],
  ['\\nabla_x (x^T A x)', `(d ${QUAD} x)`],
  ['\\nabla_x f(x)', '(d (call f x) x)'],
  ['g = \\nabla_x f', '(def g (d f x))'],
  ['H = hess(f, x)', '(def H (d2 f x))'],
];

const CHAINS: Case[] = [
  ['a = b = c', '(def a b = c)'],
  ['s = v^T a = a^T v', "(def s (* (' v) a) = (* (' a) v))"],
  ['x^T A x = x : A x', `(eq ${QUAD} = (: x (* A x)))`],
  ['f(x) = x^T x = \\|x\\|^2', "(def (x) f (* (' x) x) = (^ (norm2 x) 2))"],
  ['\\frac{\\partial (x^T A x)}{\\partial x} = (A + A^T) x', `(eq (d ${QUAD} x) = (* (+ A (' A)) x))`],
  ['\\frac{\\partial f}{\\partial x} = 2 A x', '(eq (d f x) = (* (* 2 A) x))'],
  ['\\nabla_x (x^T A x) = (A + A^T) x', `(eq (d ${QUAD} x) = (* (+ A (' A)) x))`],
  [
    '\\frac{\\partial (x^T A x)}{\\partial x} = 2 A x \\text{ if } A \\text{ is symmetric}',
    `(eq (d ${QUAD} x) = (* (* 2 A) x))`,
  ],
  ['\\frac{\\partial \\log\\det X}{\\partial X} = X^{-T}', "(eq (d (log (det X)) X) = (' (^ X -1)))"],
  ['\\frac{\\partial |X|}{\\partial X} = |X| (X^{-1})^T', "(eq (d (bars X) X) = (* (bars X) (' (^ X (neg 1)))))"],
];

const SEPARATORS_AND_MODES: Case[] = [
  ["x: R^n; f = x' x", "(decl x [n]) ; (def f (* (' x) x))"],
  ["x: R^n\nA: R^{n×n}\nf = x' A x", `(decl x [n]) ; (decl A [n n]) ; (def f ${QUAD})`],
  ["x: R^n # a column vector\nf = x' x # inner product", "(decl x [n]) ; (def f (* (' x) x))"],
  ['% a LaTeX comment\nx \\in \\mathbb{R}^n', '(decl x [n])'],
  ['# only a comment', ''],
  ['x: R^n;;  ; y: R^n', '(decl x [n]) ; (decl y [n])'],
  ['a = 1, b = 2', '(def a 1) ; (def b 2)'],
  ['f = a +\nb', '(def f (+ a b))'],
  ['f = (a\n+ b)', '(def f (+ a b))'],
  ['f = x^T\nA x', "(def f (' x)) ; (* A x)"],
  ['f = x^T\nA x', `(def f ${QUAD})`, MATH],
  ['f = a\n+ b', '(def f (+ a b))', MATH],
  ['f = a\n  = b', '(def f a = b)'],
  ['\\frac{\\partial f}{\\partial x}\n= 2 A x', '(eq (d f x) = (* (* 2 A) x))', MATH],
  ['x \\in \\mathbb{R}^n \\\\ f = x^T x', "(decl x [n]) ; (def f (* (' x) x))", MATH],
  ['\\begin{aligned} f &= x^T x \\\\ g &= 2 x \\end{aligned}', "(def f (* (' x) x)) ; (def g (* 2 x))", MATH],
  [
    '\\begin{aligned}\n  f &= x^T A x \\\\\n    &= x : A x\n\\end{aligned}',
    `(def f ${QUAD} = (: x (* A x)))`,
    MATH,
  ],
  ['x \\in \\mathbb{R}^n % the input\n\\\\ y = 2 x', '(decl x [n]) ; (def y (* 2 x))', MATH],
];

const MATRICES: Case[] = [
  ['\\begin{bmatrix} a \\\\ b \\end{bmatrix}', '(col a b)'],
  ['\\begin{bmatrix} a & b \\end{bmatrix}', '(row a b)'],
  ['\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}', '(col (row 1 2) (row 3 4))'],
  ['\\begin{pmatrix} x_1 \\\\ x_2 \\end{pmatrix}', '(col (sub x 1) (sub x 2))'],
  ['\\begin{bmatrix} a \\\\ b \\\\ \\end{bmatrix}', '(col a b)'],
  ['\\begin{matrix} a & b \\\\ c & d \\end{matrix}', '(col (row a b) (row c d))'],
  ['\\begin{array}{cc} a & b \\\\ c & d \\end{array}', '(col (row a b) (row c d))'],
  ['\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}', '(bars (col (row a b) (row c d)))'],
  ['A \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}', '(* A (col 1 2))'],
  [
    '\\begin{bmatrix} \\begin{bmatrix} 1 & 2 \\end{bmatrix} & \\begin{bmatrix} 3 & 4 \\end{bmatrix} \\\\ \\begin{bmatrix} 5 & 6 \\end{bmatrix} & \\begin{bmatrix} 7 & 8 \\end{bmatrix} \\end{bmatrix}',
    '(col (row (row 1 2) (row 3 4)) (row (row 5 6) (row 7 8)))',
  ],
  [
    'M = \\begin{bmatrix} x_1^2 + x_2 & \\sin(x_1) \\\\ e^{x_2} & x_1 x_2 \\end{bmatrix}',
    '(def M (col (row (+ (^ (sub x 1) 2) (sub x 2)) (sin (sub x 1))) (row (^ e (sub x 2)) (* (sub x 1) (sub x 2)))))',
  ],
  ['A = \\begin{bmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{bmatrix}\nb = 1', '(def A (col (row 1 2) (row 3 4))) ; (def b 1)'],
  ['\\begin{bmatrix} a \\\\ b \\end{bmatrix}^T', "(' (col a b))"],
];

const UNICODE: Case[] = [
  ['x ∈ ℝⁿ', '(decl x [n])'],
  ['x: ℝⁿ', '(decl x [n])'],
  ['A ∈ ℝ^{n×n}', '(decl A [n n])'],
  ['A: ℝᵐˣⁿ', '(decl A [m n])'],
  ['X: ℝ²ˣ³', '(decl X [2 3])'],
  ['𝐱 ∈ ℝⁿ', '(decl x [n])'],
  ['𝐀 ∈ ℝ^{m×n}', '(decl A [m n])'],
  ['xᵀ A x', QUAD],
  ['𝐱ᵀ𝐀𝐱', QUAD],
  ["x′ y", "(* (' x) y)"],
  ['A⁻¹', '(^ A -1)'],
  ['A⁻¹ b', '(* (^ A -1) b)'],
  ['x²', '(^ x 2)'],
  ['x₁² + x₂', '(+ (^ (sub x 1) 2) (sub x 2))'],
  ['‖x‖', '(norm2 x)'],
  ['‖x‖²', '(^ (norm2 x) 2)'],
  ['‖x‖₂', '(norm2 x)'],
  ['‖x‖₁', '(norm1 x)'],
  ['‖x‖₂²', '(^ (norm2 x) 2)'],
  ['∂f/∂x', '(d f x)'],
  ['∇_x f', '(d f x)'],
  ['a ⊙ b', '(.* a b)'],
  ['a ∘ b', '(.* a b)'],
  ['a ⊘ b', '(./ a b)'],
  ['a − b', '(- a b)'],
  ['a · b', '(* a b)'],
  ['A × B', '(* A B)'],
  ['α x + β y', '(+ (* α x) (* β y))'],
  ['\\alpha x + \\beta y', '(+ (* α x) (* β y))'],
  ['∑(x)', '(sum x)'],
  ['x^⊤', "(' x)"],
  ['f ≔ xᵀx', "(def f (* (' x) x))"],
  // A raised label in superscript parentheses is part of the name, as W^{(1)} is (how the Unicode printer writes it).
  ['W⁽¹⁾ ∈ ℝᵐˣⁿ', '(decl W^(1) [m n])'],
  ['W⁽¹⁾ᵀ a⁽⁰⁾ + b⁽¹⁾', "(+ (* (' W^(1)) a^(0)) b^(1))"],
  ['W⁽ℓ⁻¹⁾ W⁽ᴸ⁾ W⁽ᵒᵘᵗ⁾ W⁽ᵀ⁾', '(* (* (* W^(ℓ-1) W^(L)) W^(out)) W^(T))'],
  ['W⁽¹⁾⁻¹', '(^ W^(1) -1)'],
  ['∂L/∂W⁽¹⁾', '(d L W^(1))'],
  ['d/dW⁽¹⁾ L', '(d L W^(1))'],
  // After a subscript, in both spellings: the name declared as W_1^{(2)}.
  ['W_1⁽²⁾ + W_{in}⁽²⁾ + W₁⁽²⁾', '(+ (+ W_1^(2) W_in^(2)) W_1^(2))'],
  ['W_1^{(2)} x', '(* W_1^(2) x)'],
  ['W_1⁽²⁾: R^{m×n}', '(decl W_1^(2) [m n])'],
];

const LATEX_SUBTLETIES: Case[] = [
  // A multi-letter run after a one-character superscript stays one name; the
  // elaborator splits `Ax` into A·x when A and x are declared.
  ['x^TAx', "(* (' x) Ax)"],
  ['2Ax', '(* 2 Ax)'],
  ['x^T\\!A\\,x', QUAD],
  ['\\mathbf{x}^\\top \\mathbf{A} \\mathbf{x}', QUAD],
  ['\\mathbf{A}\\mathbf{x}', '(* A x)'],
  ['\\mathbf{A}^{-1}\\mathbf{b}', '(* (^ A (neg 1)) b)'],
  ['\\boldsymbol{\\Sigma}^{-1}', '(^ Σ (neg 1))'],
  ['\\frac{dA\\vec{x}}{dx}', '(d (* A x) x)'],
  ['e^{x_2}', '(^ e (sub x 2))'],
  ['e^{-x}', '(^ e (neg x))'],
  ['\\sin x_1', '(sin (sub x 1))'],
  ['\\log\\det X', '(log (det X))'],
  ['\\ln|X|', '(log (bars X))'],
  ['|X| (X^{-1})^T', "(* (bars X) (' (^ X (neg 1))))"],
  ['\\det(X) X^{-T}', "(* (det X) (' (^ X -1)))"],
  ['X^{-T}', "(' (^ X -1))"],
  ['X^{-\\top}', "(' (^ X -1))"],
  ['X^-T', "(' (^ X -1))"],
  ['\\|x\\|_2^2', '(^ (norm2 x) 2)'],
  ['\\|x\\|^2', '(^ (norm2 x) 2)'],
  ['f = \\frac{1}{2} \\|A x - b\\|_2^2', '(def f (* (/ 1 2) (^ (norm2 (- (* A x) b)) 2)))'],
  ['\\exp\\left( -\\frac{1}{2} x^T x \\right)', "(exp (* (* (neg (/ 1 2)) (' x)) x))"],
  ['f: \\mathbb{R}^N \\rightarrow \\mathbb{R}', '(decl f [N] -> [])'],
  ['W^{(1)}', 'W^(1)'],
  ['W^{(1)} a^{(0)} + b^{(1)}', '(+ (* W^(1) a^(0)) b^(1))'],
  ['A^\\ell', 'A^ℓ'],
  ['\\hat{y} - y', '(- y\u0302 y)'],
  ['\\mathbb{1}', '𝟙'],
  ['\\vec{x}', 'x'],
  ['\\mathbf{W}^T \\mathbf{a}', "(* (' W) a)"],
  ['\\boxed{x + y}', '(+ x y)'],
  ['\\underbrace{A x}_{m} + b', '(+ (* A x) b)'],
];

const TABLE: readonly (readonly [string, Case[]])[] = [
  ['declarations (ASCII)', DECLARATIONS_ASCII],
  ['declarations (LaTeX)', DECLARATIONS_LATEX],
  ['definitions', DEFINITIONS],
  ['componentwise literals and element references', ELEMENTS],
  ['operators and precedence', OPERATORS],
  ['functions', FUNCTIONS],
  ['derivative requests', DERIVATIVES],
  ['chains and claims', CHAINS],
  ['separators, comments and modes', SEPARATORS_AND_MODES],
  ['matrix environments', MATRICES],
  ['Unicode', UNICODE],
  ['LaTeX subtleties', LATEX_SUBTLETIES],
];

function render(source: string, options?: ParseOptions): { sexpr: string; diagnostics: string[] } {
  const result = parse(source, options);
  return {
    sexpr: result.program.statements.map(statementToSexpr).join(' ; '),
    diagnostics: result.diagnostics.map((d) => `${d.code} [${d.span.start},${d.span.end}] ${d.message}`),
  };
}

describe('syntax: parse table', () => {
  it('has at least 170 cases', () => {
    const total = TABLE.reduce((n, [, cases]) => n + cases.length, 0);
    assert.ok(total >= 170, `only ${total} cases`);
  });

  for (const [group, cases] of TABLE) {
    describe(group, () => {
      for (const [source, expected, options] of cases) {
        const label = `${JSON.stringify(source)}${options?.mode === 'math' ? ' (math)' : ''}`;
        it(label, () => {
          const got = render(source, options);
          assert.deepEqual(got.diagnostics, [], `unexpected diagnostics for ${label}`);
          assert.equal(got.sexpr, expected);
        });
      }
    });
  }
});

describe('syntax: statement details beyond the S-expression', () => {
  it('keeps a trailing \\text note on a claim chain', () => {
    const { program, diagnostics } = parse('\\frac{\\partial (x^T A x)}{\\partial x} = 2 A x \\text{ if } A \\text{ is symmetric}');
    assert.deepEqual(diagnostics, []);
    const s = program.statements[0]!;
    assert.equal(s.kind, 'expression');
    assert.equal(s.kind === 'expression' ? s.note : undefined, 'if A is symmetric');
  });

  it('keeps a note on a definition', () => {
    const { program } = parse('f = x^T A x \\text{ where } A \\text{ is SPD}');
    const s = program.statements[0]!;
    assert.equal(s.kind, 'definition');
    assert.equal(s.kind === 'definition' ? s.note : undefined, 'where A is SPD');
  });

  it('distinguishes multiplication spellings', () => {
    const spelling = (src: string) => {
      const s = parse(src).program.statements[0]!;
      const e = s.kind === 'expression' ? s.expr : null;
      return e?.kind === 'binary' ? e.mul : undefined;
    };
    assert.equal(spelling('a * b'), 'star');
    assert.equal(spelling('a b'), 'juxtaposition');
    assert.equal(spelling('a \\cdot b'), 'cdot');
    assert.equal(spelling('a \\times b'), 'times');
    assert.equal(spelling('a · b'), 'cdot');
  });

  it('marks LaTeX-spelled names and bare calls', () => {
    const e = (src: string) => {
      const s = parse(src).program.statements[0]!;
      return s.kind === 'expression' ? s.expr : null;
    };
    const bold = e('\\mathbf{x}');
    assert.deepEqual(bold?.kind === 'ident' ? [bold.name, bold.latex] : null, ['x', true]);
    const plain = e('x');
    assert.deepEqual(plain?.kind === 'ident' ? [plain.name, plain.latex] : null, ['x', undefined]);
    const bare = e('\\sin x');
    assert.deepEqual(bare?.kind === 'call' ? [bare.fn, bare.bare] : null, ['sin', true]);
    const paren = e('\\sin(x)');
    assert.deepEqual(paren?.kind === 'call' ? [paren.fn, paren.bare] : null, ['sin', undefined]);
  });

  it('records the notation of each derivative spelling', () => {
    const notation = (src: string) => {
      const s = parse(src).program.statements[0]!;
      const e = s.kind === 'expression' ? s.expr : null;
      return e?.kind === 'derivative' ? e.notation : undefined;
    };
    assert.equal(notation('\\frac{\\partial f}{\\partial x}'), 'frac');
    assert.equal(notation('df/dx'), 'slash');
    assert.equal(notation('d/dx f'), 'slash');
    assert.equal(notation('d(f)/dx'), 'slash');
    assert.equal(notation('∂f/∂x'), 'slash');
    assert.equal(notation('\\nabla_x f'), 'nabla');
    assert.equal(notation('diff(f, x)'), 'diff');
    assert.equal(notation('grad(f, x)'), 'grad');
    assert.equal(notation('hess(f, x)'), 'hess');
    assert.equal(notation('jacobian(f, x)'), 'jacobian');
  });

  it('records subscript names and raw text', () => {
    const sub = (src: string) => {
      const s = parse(src).program.statements[0]!;
      const e = s.kind === 'expression' ? s.expr : null;
      return e?.kind === 'subscript' ? [e.subscriptName, e.raw, e.brackets] : null;
    };
    assert.deepEqual(sub('X_{12}'), ['X_12', '12', false]);
    assert.deepEqual(sub('X_{1,2}'), ['X_1,2', '1,2', false]);
    assert.deepEqual(sub('X[1,2]'), ['X_1,2', '1,2', true]);
    assert.deepEqual(sub('W_i'), ['W_i', 'i', false]);
    assert.deepEqual(sub('x₁₂'), ['x_12', '12', false]);
  });
});
