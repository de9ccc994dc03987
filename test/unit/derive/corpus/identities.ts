// A corpus of derivative identities, each one source text in our language
// with exactly one derivative request, and — where the identity has a known
// closed form — that closed form, also in our language.
//
// Sources:
//   MC      The Matrix Cookbook (Petersen & Pedersen, 2012), §2.1–2.7; the
//           number in parentheses is the Cookbook's equation number.
//   seed000 /work/shared/seeds/000… (notebook, mixed layout)
//   seed001 /work/shared/seeds/001… (lecture, numerator layout)
//   seed002 /work/shared/seeds/002… (course notes, denominator layout): the
//           neural-network layer derivatives, Z = Wᵀ A, A = f(Z), losses.
//   NN      layer chains and losses in the seed-002 style.
//   H       second derivatives.
//
// Closed forms (see ../identities.test.ts for how they are checked):
//   { all }          the same data in every layout (scalar results, gradients
//                    by a vector, symmetric Jacobians and Hessians);
//   { numerator, denominator, mixed }   one matrix-notation form per layout;
//   { tensor }       the result in canonical order — F's axes, then the
//                    variable's axes (then the second variable's): the mixed
//                    layout. The test permutes it into each layout. Used for
//                    rank ≥ 3 results, written as literals over concrete sizes.
//   `where` adds helper definitions (Y = inv(X)) before `expected = …`.
// `gradient(G)` (scalar by matrix: Gᵀ in numerator, G otherwise) and
// `jacobian(J)` (vector by vector: Jᵀ in denominator, J otherwise) spell the
// per-layout forms out.

export type ClosedForm =
  | { readonly all: string }
  | { readonly numerator: string; readonly denominator: string; readonly mixed: string }
  | { readonly tensor: string; readonly where?: string };

export interface Identity {
  readonly name: string;
  readonly source: string;
  /** `math` for seed-style LaTeX math (`;` separates statements). Default `block`. */
  readonly mode?: 'block' | 'math';
  readonly closedForm?: ClosedForm;
  /** Sizes for symbolic dims (else m = 3, n = 4, p = 2, … alphabetically). */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly seed?: number;
  readonly note?: string;
  /** A known engine bug: the case still runs and fails loudly with this text. */
  readonly knownIssue?: string;
}

const same = (all: string): ClosedForm => ({ all });
/** ∂(scalar)/∂X = G (shaped like X) in denominator and mixed; Gᵀ in numerator. */
const gradient = (g: string): ClosedForm => ({ numerator: `(${g})^T`, denominator: g, mixed: g });
/** ∂F/∂x = J (|F|×|x|) in numerator and mixed; Jᵀ in denominator. */
const jacobian = (j: string): ClosedForm => ({ numerator: j, denominator: `(${j})^T`, mixed: j });
const tensor = (t: string, where?: string): ClosedForm => (where ? { tensor: t, where } : { tensor: t });

/** A nested literal of the given dims; `entry` gets 1-based indices. */
function literal(dims: readonly number[], entry: (i: readonly number[]) => string): string {
  const go = (prefix: number[]): string =>
    prefix.length === dims.length
      ? entry(prefix)
      : `[${Array.from({ length: dims[prefix.length]! }, (_, k) => go([...prefix, k + 1])).join(', ')}]`;
  return go([]);
}

/** A sum of the terms that are present, or 0. */
function terms(...parts: (string | false | null)[]): string {
  const present = parts.filter((p): p is string => typeof p === 'string');
  return present.length === 0 ? '0' : present.join(' + ');
}

// ── Matrix Cookbook §2.1: determinants ──────────────────────────────────────

const determinants: Identity[] = [
  { name: 'MC (49) ∂det(X)/∂X = det(X) X⁻ᵀ', source: 'X: R^{n×n}\nd/dX det(X)', closedForm: gradient('det(X) inv(X)^T') },
  {
    name: 'MC (49) LaTeX \\frac{\\partial \\det(\\mathbf{X})}{\\partial \\mathbf{X}}',
    source: '\\mathbf{X} \\in \\mathbb{R}^{n \\times n}\n\\frac{\\partial \\det(\\mathbf{X})}{\\partial \\mathbf{X}}',
    closedForm: gradient('det(X) inv(X)^T'),
  },
  {
    name: 'MC (50) ∂det(AXB)/∂X = det(AXB) X⁻ᵀ',
    source: 'A: R^{n×n}\nX: R^{n×n}\nB: R^{n×n}\nd/dX det(A X B)',
    closedForm: gradient('det(A X B) inv(X)^T'),
  },
  { name: 'MC (57) ∂ln det(X)/∂X = X⁻ᵀ', source: 'X: R^{n×n}\nd/dX logdet(X)', closedForm: gradient('inv(X)^T') },
  { name: 'MC (57) ∂log(det X)/∂X', source: 'X: R^{n×n}\ngrad(log(det(X)), X)', closedForm: gradient('inv(X)^T') },
  {
    name: 'MC (57) LaTeX \\log\\det X',
    source: 'X \\in \\mathbb{R}^{n \\times n}\n\\frac{\\partial}{\\partial X} \\log\\det X',
    closedForm: gradient('inv(X)^T'),
  },
  { name: 'MC (57) ∂ln|det X|/∂X', source: 'X: R^{n×n}\nd/dX log(abs(det(X)))', closedForm: gradient('inv(X)^T') },
  {
    name: 'MC (53) ∂ln det(XᵀX)/∂X = 2 X (XᵀX)⁻¹ = 2 (X⁺)ᵀ',
    source: 'X: R^{m×n}\nd/dX logdet(X^T X)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('2 X inv(X^T X)'),
  },
  {
    name: 'MC (52) ∂det(XᵀX)/∂X = 2 det(XᵀX) X (XᵀX)⁻¹',
    source: 'X: R^{m×n}\nd/dX det(X^T X)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('2 det(X^T X) X inv(X^T X)'),
  },
  {
    name: 'MC (51) ∂det(XᵀAX)/∂X, general A',
    source: 'X: R^{m×n}\nA: R^{m×m}\nd/dX det(X^T A X)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('det(X^T A X) (A X inv(X^T A X) + A^T X inv(X^T A^T X))'),
  },
  {
    name: 'MC (51) ∂det(XᵀAX)/∂X = 2 det(XᵀAX) A X (XᵀAX)⁻¹ for symmetric A',
    source: 'X: R^{m×n}\nA: R^{m×m} symmetric\nd/dX det(X^T A X)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('2 det(X^T A X) A X inv(X^T A X)'),
  },
  { name: 'MC (55) ∂det(X²)/∂X = 2 det(X²) X⁻ᵀ', source: 'X: R^{n×n}\nd/dX det(X^2)', closedForm: gradient('2 det(X^2) inv(X)^T') },
  { name: 'MC (55) ∂det(X³)/∂X = 3 det(X³) X⁻ᵀ', source: 'X: R^{n×n}\nd/dX det(X^3)', closedForm: gradient('3 det(X^3) inv(X)^T') },
  { name: 'MC (62) ∂det(X⁻¹)/∂X = −det(X⁻¹) X⁻ᵀ', source: 'X: R^{n×n}\nd/dX det(inv(X))', closedForm: gradient('-det(inv(X)) inv(X)^T') },
  {
    name: 'MC (46) ∂det(A + xB)/∂x = det(A + xB) tr((A + xB)⁻¹ B)',
    source: 'x: R\nA: R^{n×n}\nB: R^{n×n}\nd/dx det(A + x B)',
    closedForm: same('det(A + x B) tr(inv(A + x B) B)'),
  },
  {
    name: 'MC (47) ∂ln det(A + x²B)/∂x = 2x tr((A + x²B)⁻¹ B)',
    source: 'x: R\nA: R^{n×n}\nB: R^{n×n}\nd/dx logdet(A + x^2 B)',
    closedForm: same('2 x tr(inv(A + x^2 B) B)'),
    note: 'x² keeps A + x²B diagonally dominant, so its determinant is positive',
  },
  { name: 'MC (57) ∂ln det(X)/∂X for spd X = X⁻¹', source: 'X: R^{n×n} spd\nd/dX logdet(X)', closedForm: gradient('inv(X)') },
];

// ── Matrix Cookbook §2.2: inverses ──────────────────────────────────────────

const inverses: Identity[] = [
  {
    name: 'MC (61) ∂aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ',
    source: 'a: R^n\nb: R^n\nX: R^{n×n}\nd/dX (a^T inv(X) b)',
    closedForm: gradient('-(inv(X)^T a b^T inv(X)^T)'),
  },
  {
    name: 'MC (61) LaTeX \\mathbf{a}^T \\mathbf{X}^{-1} \\mathbf{b}',
    source: '\\mathbf{a}, \\mathbf{b} \\in \\mathbb{R}^n, \\mathbf{X} \\in \\mathbb{R}^{n \\times n}\n\\frac{\\partial \\mathbf{a}^T \\mathbf{X}^{-1} \\mathbf{b}}{\\partial \\mathbf{X}}',
    closedForm: gradient('-(inv(X)^T a b^T inv(X)^T)'),
  },
  {
    name: 'MC (61′) ∂aᵀX⁻ᵀb/∂X = −X⁻ᵀbaᵀX⁻ᵀ',
    source: 'a: R^n\nb: R^n\nX: R^{n×n}\nd/dX (a^T X^{-T} b)',
    closedForm: gradient('-(inv(X)^T b a^T inv(X)^T)'),
  },
  {
    name: 'MC (63) ∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ',
    source: 'A: R^{m×n}\nX: R^{n×n}\nB: R^{n×m}\nd/dX tr(A inv(X) B)',
    closedForm: gradient('-(inv(X) B A inv(X))^T'),
  },
  {
    name: 'MC (124) LaTeX \\operatorname{tr}(A X^{-1} B) = −X⁻ᵀAᵀBᵀX⁻ᵀ',
    source: 'A \\in \\mathbb{R}^{m \\times n}, X \\in \\mathbb{R}^{n \\times n}, B \\in \\mathbb{R}^{n \\times m}\n\\frac{\\partial \\operatorname{tr}(A X^{-1} B)}{\\partial X}',
    closedForm: gradient('-(inv(X)^T A^T B^T inv(X)^T)'),
  },
  {
    name: 'MC (64) ∂tr((X + A)⁻¹)/∂X = −((X + A)⁻¹(X + A)⁻¹)ᵀ',
    source: 'X: R^{n×n}\nA: R^{n×n}\nd/dX tr(inv(X + A))',
    closedForm: gradient('-(inv(X + A) inv(X + A))^T'),
  },
  { name: 'MC (64) ∂tr(X⁻¹)/∂X = −(X⁻²)ᵀ', source: 'X: R^{n×n}\nd/dX tr(X^{-1})', closedForm: gradient('-(inv(X) inv(X))^T') },
  {
    name: 'MC ∂(xᵀA⁻¹x)/∂x = (A⁻¹ + A⁻ᵀ)x',
    source: 'x: R^n\nA: R^{n×n}\nd/dx (x^T inv(A) x)',
    closedForm: same('(inv(A) + inv(A)^T) x'),
  },
  {
    name: 'MC (59) ∂X⁻¹/∂X (rank 4) = −(X⁻¹)ᵢₖ(X⁻¹)ₗⱼ',
    source: 'X: R^{3×3}\nd/dX inv(X)',
    closedForm: tensor(literal([3, 3, 3, 3], ([i, j, k, l]) => `-Y[${i},${k}]*Y[${l},${j}]`), 'Y = inv(X)'),
  },
  {
    name: 'MC (59) ∂(A + xB)⁻¹/∂x = −(A + xB)⁻¹ B (A + xB)⁻¹',
    source: 'x: R\nA: R^{n×n}\nB: R^{n×n}\nd/dx inv(A + x B)',
    closedForm: tensor('-inv(A + x B) B inv(A + x B)'),
  },
  {
    name: 'MC ∂(X⁻¹a)/∂X (rank 3) = −(X⁻¹)ᵢₖ(X⁻¹a)ₗ',
    source: 'X: R^{3×3}\na: R^3\nd/dX (inv(X) a)',
    closedForm: tensor(literal([3, 3, 3], ([i, k, l]) => `-Y[${i},${k}]*u[${l}]`), 'Y = inv(X)\nu = inv(X) a'),
  },
];

// ── Matrix Cookbook §2.4.1: first order ─────────────────────────────────────

const firstOrder: Identity[] = [
  { name: 'MC (69) ∂xᵀa/∂x = a', source: 'x: R^n\na: R^n\nd/dx (x^T a)', closedForm: same('a') },
  { name: 'MC (69) ∂aᵀx/∂x = a', source: "x: R^n\na: R^n\nd/dx (a' x)", closedForm: same('a') },
  { name: 'MC (70) ∂aᵀXb/∂X = abᵀ', source: 'a: R^m\nX: R^{m×n}\nb: R^n\nd/dX (a^T X b)', closedForm: gradient('a b^T') },
  {
    name: 'MC (70) LaTeX \\mathbf{a}^\\top \\mathbf{X} \\mathbf{b}',
    source: '\\mathbf{a} \\in \\mathbb{R}^m, \\mathbf{b} \\in \\mathbb{R}^n, \\mathbf{X} \\in \\mathbb{R}^{m \\times n}\n\\frac{\\partial}{\\partial \\mathbf{X}} \\mathbf{a}^\\top \\mathbf{X} \\mathbf{b}',
    closedForm: gradient('a b^T'),
  },
  { name: 'MC (71) ∂aᵀXᵀb/∂X = baᵀ', source: 'a: R^n\nX: R^{m×n}\nb: R^m\nd/dX (a^T X^T b)', closedForm: gradient('b a^T') },
  { name: 'MC (72) ∂aᵀXa/∂X = aaᵀ', source: 'a: R^n\nX: R^{n×n}\nd/dX (a^T X a)', closedForm: gradient('a a^T') },
  {
    name: 'MC (73) ∂X/∂X (rank 4) = δᵢₖδⱼₗ',
    source: 'X: R^{2×3}\njacobian(X, X)',
    closedForm: tensor(literal([2, 3, 2, 3], ([i, j, k, l]) => (i === k && j === l ? '1' : '0'))),
  },
  {
    name: '∂(Ax)/∂x = A (numerator, mixed), Aᵀ (denominator)',
    source: 'x: R^n\nA: R^{m×n}\nd/dx (A x)',
    closedForm: { numerator: 'A', denominator: 'A^T', mixed: 'A' },
  },
  { name: '∂(xᵀA)/∂x = Aᵀ (as a Jacobian of the row xᵀA)', source: 'x: R^m\nA: R^{m×n}\nd/dx (x^T A)', closedForm: jacobian('A^T') },
  { name: '∂(Ax + b)/∂x = A', source: 'x: R^n\nA: R^{m×n}\nb: R^m\n∂(A x + b)/∂x', closedForm: jacobian('A') },
  { name: 'seed001 sum rule ∂(Ax + Bx)/∂x = A + B', source: 'x: R^n\nA: R^{m×n}\nB: R^{m×n}\nd/dx (A x + B x)', closedForm: jacobian('A + B') },
  { name: '∂x/∂x = I', source: 'x: R^n\njacobian(x, x)', closedForm: same('eye(n)') },
  { name: '∂(3x − 2a)/∂x = 3I', source: 'x: R^n\na: R^n\nd/dx (3 x - 2 a)', closedForm: same('3 eye(n)') },
  { name: '∂(sx)/∂s = x (vector by scalar)', source: 's: R\nx: R^n\nd/ds (s x)', closedForm: same('x') },
  { name: '∂(sA)/∂s = A (matrix by scalar)', source: 's: R\nA: R^{m×n}\nd/ds (s A)', closedForm: tensor('A') },
  { name: '∂(sx)/∂x = sI', source: 's: R\nx: R^n\nd/dx (s x)', closedForm: same('s eye(n)') },
  { name: '∂(aᵀXb)/∂a = Xb', source: 'a: R^m\nX: R^{m×n}\nb: R^n\nd/da (a^T X b)', closedForm: same('X b') },
  { name: '∂(aᵀXb)/∂b = Xᵀa', source: 'a: R^m\nX: R^{m×n}\nb: R^n\nd/db (a^T X b)', closedForm: same('X^T a') },
  {
    name: 'MC ∂(Xa)/∂X (rank 3) = δᵢₖ aₗ',
    source: 'X: R^{2×3}\na: R^3\nd/dX (X a)',
    closedForm: tensor(literal([2, 2, 3], ([i, k, l]) => (i === k ? `a[${l}]` : '0'))),
  },
  {
    name: 'MC ∂(aᵀX)/∂X (rank 3) = aₖ δⱼₗ',
    source: 'X: R^{3×2}\na: R^3\nd/dX (a^T X)',
    closedForm: tensor(literal([2, 3, 2], ([j, k, l]) => (j === l ? `a[${k}]` : '0'))),
  },
  {
    name: '∂(xyᵀ)/∂y (rank 3) = xᵢ δⱼₖ',
    source: 'x: R^2\ny: R^3\nd/dy (x y^T)',
    closedForm: tensor(literal([2, 3, 3], ([i, j, k]) => (j === k ? `x[${i}]` : '0'))),
  },
];

// ── Matrix Cookbook §2.4.2–2.4.4: second order forms ────────────────────────

const secondOrderForms: Identity[] = [
  { name: 'MC (81) ∂xᵀBx/∂x = (B + Bᵀ)x', source: 'x: R^n\nB: R^{n×n}\nd/dx (x^T B x)', closedForm: same('(B + B^T) x') },
  { name: 'MC (81) ∂xᵀBx/∂x = 2Bx, B symmetric', source: 'x: R^n\nB: R^{n×n} symmetric\nd/dx (x^T B x)', closedForm: same('2 B x') },
  { name: '∂xᵀx/∂x = 2x', source: 'x: R^n\nd/dx (x^T x)', closedForm: same('2 x') },
  {
    name: 'MC (78) ∂(Ax + b)ᵀC(Dx + e)/∂x = AᵀC(Dx + e) + DᵀCᵀ(Ax + b)',
    source: 'x: R^n\nA: R^{m×n}\nb: R^m\nC: R^{m×p}\nD: R^{p×n}\ne: R^p\nd/dx ((A x + b)^T C (D x + e))',
    closedForm: same('A^T C (D x + e) + D^T C^T (A x + b)'),
  },
  {
    name: 'MC (77) ∂bᵀXᵀXc/∂X = X(bcᵀ + cbᵀ)',
    source: 'X: R^{m×n}\nb: R^n\nc: R^n\nd/dX (b^T X^T X c)',
    closedForm: gradient('X (b c^T + c b^T)'),
  },
  {
    name: 'MC (77) LaTeX \\mathbf{a}^T \\mathbf{X}^T \\mathbf{X} \\mathbf{b}',
    source: '\\mathbf{X} \\in \\mathbb{R}^{m \\times n}, \\mathbf{a}, \\mathbf{b} \\in \\mathbb{R}^n\n\\frac{\\partial (\\mathbf{a}^T \\mathbf{X}^T \\mathbf{X} \\mathbf{b})}{\\partial \\mathbf{X}}',
    closedForm: gradient('X (a b^T + b a^T)'),
  },
  {
    name: 'MC (82) ∂bᵀXᵀDXc/∂X = DᵀXbcᵀ + DXcbᵀ',
    source: 'X: R^{m×n}\nD: R^{m×m}\nb: R^n\nc: R^n\nd/dX (b^T X^T D X c)',
    closedForm: gradient('D^T X b c^T + D X c b^T'),
  },
  {
    name: 'MC (83) ∂(Xb + c)ᵀD(Xb + c)/∂X = (D + Dᵀ)(Xb + c)bᵀ',
    source: 'X: R^{m×n}\nD: R^{m×m}\nb: R^n\nc: R^m\nd/dX ((X b + c)^T D (X b + c))',
    closedForm: gradient('(D + D^T) (X b + c) b^T'),
  },
  {
    name: 'MC (89) ∂(aᵀX²b)/∂X = abᵀXᵀ + Xᵀabᵀ',
    source: 'X: R^{n×n}\na: R^n\nb: R^n\nd/dX (a^T X^2 b)',
    closedForm: gradient('a b^T X^T + X^T a b^T'),
  },
  {
    name: 'MC (90) ∂(aᵀX³b)/∂X = Σᵣ (Xʳ)ᵀabᵀ(X²⁻ʳ)ᵀ',
    source: 'X: R^{n×n}\na: R^n\nb: R^n\nd/dX (a^T X^3 b)',
    closedForm: gradient('a b^T (X^2)^T + X^T a b^T X^T + (X^2)^T a b^T'),
  },
  {
    name: 'MC (94) ∂(xᵀAx + bᵀx)/∂x = (A + Aᵀ)x + b',
    source: 'x: R^n\nA: R^{n×n}\nb: R^n\nf = x^T A x + b^T x\ngrad(f, x)',
    closedForm: same('(A + A^T) x + b'),
  },
  { name: '∂(xᵀAx)/∂A = xxᵀ', source: 'x: R^n\nA: R^{n×n}\nd/dA (x^T A x)', closedForm: gradient('x x^T') },
  { name: '∂(xᵀAy)/∂A = xyᵀ', source: 'x: R^m\ny: R^n\nA: R^{m×n}\nd/dA (x^T A y)', closedForm: gradient('x y^T') },
  { name: '∂(aᵀx)²/∂x = 2(aᵀx)a', source: 'x: R^n\na: R^n\nd/dx (a^T x)^2', closedForm: same('2 (a^T x) a') },
  { name: '∂(aᵀx)(bᵀx)/∂x = (bᵀx)a + (aᵀx)b', source: 'x: R^n\na: R^n\nb: R^n\nd/dx ((a^T x) (b^T x))', closedForm: same('(b^T x) a + (a^T x) b') },
  { name: 'MC (86) ∂(x − a)ᵀA(x − a)/∂x = (A + Aᵀ)(x − a)', source: 'x: R^n\na: R^n\nA: R^{n×n}\nd/dx ((x - a)^T A (x - a))', closedForm: same('(A + A^T) (x - a)') },
  {
    name: '∂(xxᵀ)/∂x (rank 3) = δᵢₖxⱼ + xᵢδⱼₖ',
    source: 'x: R^3\nd/dx (x x^T)',
    closedForm: tensor(literal([3, 3, 3], ([i, j, k]) => terms(i === k && `x[${j}]`, j === k && `x[${i}]`))),
  },
  {
    name: '∂(AX)/∂X (rank 4) = Aᵢₖδⱼₗ',
    source: 'A: R^{2×3}\nX: R^{3×2}\nd/dX (A X)',
    closedForm: tensor(literal([2, 2, 3, 2], ([i, j, k, l]) => (j === l ? `A[${i},${k}]` : '0'))),
  },
  {
    name: '∂(XA)/∂X (rank 4) = δᵢₖAₗⱼ',
    source: 'X: R^{2×3}\nA: R^{3×2}\nd/dX (X A)',
    closedForm: tensor(literal([2, 2, 2, 3], ([i, j, k, l]) => (i === k ? `A[${l},${j}]` : '0'))),
  },
  {
    name: '∂(AXB)/∂X (rank 4) = AᵢₖBₗⱼ',
    source: 'A: R^{2×2}\nX: R^{2×3}\nB: R^{3×2}\nd/dX (A X B)',
    closedForm: tensor(literal([2, 2, 2, 3], ([i, j, k, l]) => `A[${i},${k}]*B[${l},${j}]`)),
  },
  {
    name: '∂Xᵀ/∂X (rank 4) = δⱼₖδᵢₗ',
    source: 'X: R^{2×3}\nd/dX X^T',
    closedForm: tensor(literal([3, 2, 2, 3], ([i, j, k, l]) => (j === k && i === l ? '1' : '0'))),
  },
  {
    name: '∂(XᵀX)/∂X (rank 4) = δᵢₗXₖⱼ + Xₖᵢδⱼₗ',
    source: 'X: R^{3×2}\nd/dX (X^T X)',
    closedForm: tensor(literal([2, 2, 3, 2], ([i, j, k, l]) => terms(i === l && `X[${k},${j}]`, j === l && `X[${k},${i}]`))),
  },
];

// ── Matrix Cookbook §2.5: traces ────────────────────────────────────────────

const traces: Identity[] = [
  { name: 'MC (99) ∂tr(X)/∂X = I', source: 'X: R^{n×n}\nd/dX tr(X)', closedForm: gradient('eye(n)') },
  { name: 'MC (99) LaTeX \\operatorname{Tr}(X)', source: 'X \\in \\mathbb{R}^{n \\times n}\n\\frac{\\partial \\operatorname{Tr}(X)}{\\partial X}', closedForm: gradient('eye(n)') },
  {
    name: 'MC (100) ∂tr(AX)/∂X = A (numerator), Aᵀ (denominator, mixed)',
    source: 'A: R^{n×m}\nX: R^{m×n}\nd/dX tr(A X)',
    closedForm: { numerator: 'A', denominator: 'A^T', mixed: 'A^T' },
  },
  {
    name: 'MC (100) LaTeX \\frac{\\partial \\operatorname{tr}(\\mathbf{A}\\mathbf{X})}{\\partial \\mathbf{X}}',
    source: '\\mathbf{A} \\in \\mathbb{R}^{n \\times m}, \\mathbf{X} \\in \\mathbb{R}^{m \\times n}\n\\frac{\\partial \\operatorname{tr}(\\mathbf{A}\\mathbf{X})}{\\partial \\mathbf{X}}',
    closedForm: gradient('A^T'),
  },
  { name: 'MC (100) ∂tr(XA)/∂X = Aᵀ', source: 'X: R^{m×n}\nA: R^{n×m}\nd/dX tr(X A)', closedForm: gradient('A^T') },
  { name: 'MC (101) ∂tr(AXB)/∂X = AᵀBᵀ', source: 'A: R^{p×m}\nX: R^{m×n}\nB: R^{n×p}\nd/dX tr(A X B)', closedForm: gradient('A^T B^T') },
  { name: 'MC (102) ∂tr(AXᵀB)/∂X = BA', source: 'A: R^{p×n}\nX: R^{m×n}\nB: R^{m×p}\nd/dX tr(A X^T B)', closedForm: gradient('B A') },
  { name: 'MC (103) ∂tr(XᵀA)/∂X = A', source: 'X: R^{m×n}\nA: R^{m×n}\nd/dX trace(X^T A)', closedForm: gradient('A') },
  { name: 'MC (104) ∂tr(AXᵀ)/∂X = A', source: 'X: R^{m×n}\nA: R^{m×n}\nd/dX Tr(A X^T)', closedForm: gradient('A') },
  { name: 'MC Frobenius ∂(X : A)/∂X = A', source: 'X: R^{m×n}\nA: R^{m×n}\nd/dX (X : A)', closedForm: gradient('A') },
  { name: 'MC (106) ∂tr(X²)/∂X = 2Xᵀ', source: 'X: R^{n×n}\nd/dX tr(X^2)', closedForm: gradient('2 X^T') },
  { name: 'MC (107) ∂tr(X²B)/∂X = (XB + BX)ᵀ', source: 'X: R^{n×n}\nB: R^{n×n}\nd/dX tr(X^2 B)', closedForm: gradient('(X B + B X)^T') },
  { name: 'MC (108) ∂tr(XᵀBX)/∂X = BX + BᵀX', source: 'X: R^{m×n}\nB: R^{m×m}\nd/dX tr(X^T B X)', closedForm: gradient('B X + B^T X') },
  {
    name: 'MC (108) LaTeX \\mathrm{tr}(\\mathbf{X}^\\top \\mathbf{B} \\mathbf{X})',
    source: '\\mathbf{X} \\in \\mathbb{R}^{m \\times n}, \\mathbf{B} \\in \\mathbb{R}^{m \\times m}\n\\frac{\\partial}{\\partial \\mathbf{X}} \\operatorname{tr}(\\mathbf{X}^\\top \\mathbf{B} \\mathbf{X})',
    closedForm: gradient('B X + B^T X'),
  },
  { name: 'MC (109) ∂tr(BXXᵀ)/∂X = BX + BᵀX', source: 'X: R^{m×n}\nB: R^{m×m}\nd/dX tr(B X X^T)', closedForm: gradient('B X + B^T X') },
  { name: 'MC (110) ∂tr(XXᵀB)/∂X = BX + BᵀX', source: 'X: R^{m×n}\nB: R^{m×m}\nd/dX tr(X X^T B)', closedForm: gradient('B X + B^T X') },
  { name: 'MC (111) ∂tr(XBXᵀ)/∂X = XBᵀ + XB', source: 'X: R^{m×n}\nB: R^{n×n}\nd/dX tr(X B X^T)', closedForm: gradient('X B^T + X B') },
  { name: 'MC (112) ∂tr(BXᵀX)/∂X = XBᵀ + XB', source: 'X: R^{m×n}\nB: R^{n×n}\nd/dX tr(B X^T X)', closedForm: gradient('X B^T + X B') },
  { name: 'MC (113) ∂tr(XᵀXB)/∂X = XBᵀ + XB', source: 'X: R^{m×n}\nB: R^{n×n}\nd/dX tr(X^T X B)', closedForm: gradient('X B^T + X B') },
  {
    name: 'MC (114) ∂tr(AXBX)/∂X = AᵀXᵀBᵀ + BᵀXᵀAᵀ',
    source: 'X: R^{n×n}\nA: R^{n×n}\nB: R^{n×n}\nd/dX tr(A X B X)',
    closedForm: gradient('A^T X^T B^T + B^T X^T A^T'),
  },
  { name: 'MC (115) ∂tr(XᵀX)/∂X = 2X', source: 'X: R^{m×n}\nd/dX tr(X^T X)', closedForm: gradient('2 X') },
  {
    name: 'MC (115) LaTeX \\operatorname{tr}(X^\\top X)',
    source: 'X \\in \\mathbb{R}^{m \\times n}\n\\nabla_X \\operatorname{tr}(X^\\top X)',
    closedForm: gradient('2 X'),
  },
  {
    name: 'MC (117) ∂tr(BᵀXᵀCXB)/∂X = CᵀXBBᵀ + CXBBᵀ',
    source: 'X: R^{m×n}\nC: R^{m×m}\nB: R^{n×p}\nd/dX tr(B^T X^T C X B)',
    closedForm: gradient('C^T X B B^T + C X B B^T'),
  },
  {
    name: 'MC (118) ∂tr(XᵀBXC)/∂X = BXC + BᵀXCᵀ',
    source: 'X: R^{m×n}\nB: R^{m×m}\nC: R^{n×n}\nd/dX tr(X^T B X C)',
    closedForm: gradient('B X C + B^T X C^T'),
  },
  {
    name: 'MC (119) ∂tr(AXBXᵀC)/∂X = AᵀCᵀXBᵀ + CAXB',
    source: 'X: R^{m×n}\nA: R^{p×m}\nB: R^{n×n}\nC: R^{m×p}\nd/dX tr(A X B X^T C)',
    closedForm: gradient('A^T C^T X B^T + C A X B'),
  },
  {
    name: 'MC (120) ∂tr((AXB + C)(AXB + C)ᵀ)/∂X = 2Aᵀ(AXB + C)Bᵀ',
    source: 'X: R^{m×n}\nA: R^{p×m}\nB: R^{n×q}\nC: R^{p×q}\nd/dX tr((A X B + C) (A X B + C)^T)',
    closedForm: gradient('2 A^T (A X B + C) B^T'),
  },
  { name: 'MC (121) ∂tr(X³)/∂X = 3(X²)ᵀ', source: 'X: R^{n×n}\nd/dX tr(X^3)', closedForm: gradient('3 (X^2)^T') },
  { name: 'MC (121) ∂tr(X⁴)/∂X = 4(X³)ᵀ', source: 'X: R^{n×n}\nd/dX tr(X^4)', closedForm: gradient('4 (X^3)^T') },
  { name: 'MC (122) ∂tr(AX²)/∂X = (AX + XA)ᵀ', source: 'X: R^{n×n}\nA: R^{n×n}\nd/dX tr(A X^2)', closedForm: gradient('(A X + X A)^T') },
  {
    name: 'MC (122) ∂tr(AX³)/∂X = (AX² + XAX + X²A)ᵀ',
    source: 'X: R^{n×n}\nA: R^{n×n}\nd/dX tr(A X^3)',
    closedForm: gradient('(A X^2 + X A X + X^2 A)^T'),
  },
  {
    name: 'MC (125) ∂tr((XᵀCX)⁻¹A)/∂X, general C',
    source: 'X: R^{m×n}\nC: R^{m×m}\nA: R^{n×n}\nd/dX tr(inv(X^T C X) A)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('-(C X inv(X^T C X) A inv(X^T C X) + C^T X inv(X^T C X)^T A^T inv(X^T C X)^T)'),
  },
  {
    name: 'MC (125) ∂tr((XᵀCX)⁻¹A)/∂X = −CX(XᵀCX)⁻¹(A + Aᵀ)(XᵀCX)⁻¹, C symmetric',
    source: 'X: R^{m×n}\nC: R^{m×m} symmetric\nA: R^{n×n}\nd/dX tr(inv(X^T C X) A)',
    sizes: { m: 5, n: 3 },
    closedForm: gradient('-(C X inv(X^T C X)) (A + A^T) inv(X^T C X)'),
  },
  { name: '∂sum(X)/∂X = 1 1ᵀ', source: 'X: R^{m×n}\nd/dX sum(X)', closedForm: gradient('ones(m, n)') },
  { name: 'MC (76) ∂(Σ Xₖₗ)²/∂X = 2 (Σ Xₖₗ) J', source: 'X: R^{m×n}\nd/dX sum(X)^2', closedForm: gradient('2 sum(X) ones(m, n)') },
  { name: '∂tr(exp(X))/∂X (elementwise exp) = diag of exp(Xᵢᵢ)', source: 'X: R^{n×n}\nd/dX tr(exp(X))', closedForm: gradient('diag(diag(exp(X)))') },
];

// ── Matrix Cookbook §2.6–2.7: norms ─────────────────────────────────────────

const norms: Identity[] = [
  { name: 'MC ∂‖x‖₂/∂x = x/‖x‖₂', source: 'x: R^n\nd/dx norm2(x)', closedForm: same('x / norm2(x)') },
  {
    name: 'MC (129) LaTeX ∂‖x − a‖₂/∂x = (x − a)/‖x − a‖₂',
    source: '\\mathbf{x}, \\mathbf{a} \\in \\mathbb{R}^n\n\\frac{\\partial \\|\\mathbf{x} - \\mathbf{a}\\|_2}{\\partial \\mathbf{x}}',
    closedForm: same('(x - a) / norm2(x - a)'),
  },
  {
    name: 'MC (130) ∂((x − a)/‖x − a‖)/∂x = I/‖x − a‖ − (x − a)(x − a)ᵀ/‖x − a‖³',
    source: 'x: R^n\na: R^n\nd/dx ((x - a) / norm2(x - a))',
    closedForm: same('eye(n) / norm2(x - a) - (x - a) (x - a)^T / norm2(x - a)^3'),
  },
  { name: 'MC (131) ∂‖x‖₂²/∂x = 2x', source: 'x: R^n\nd/dx norm2(x)^2', closedForm: same('2 x') },
  { name: 'MC (131) LaTeX \\|x\\|_2^2', source: 'x \\in \\mathbb{R}^n\n\\frac{\\partial \\|x\\|_2^2}{\\partial x}', closedForm: same('2 x') },
  { name: 'MC (133) ∂‖X‖_F²/∂X = 2X', source: 'X: R^{m×n}\nd/dX norm2(X)^2', closedForm: gradient('2 X') },
  { name: 'MC ∂‖X‖_F/∂X = X/‖X‖_F (LaTeX \\|X\\|_F)', source: 'X \\in \\mathbb{R}^{m \\times n}\n\\frac{\\partial \\|X\\|_F}{\\partial X}', closedForm: gradient('X / norm2(X)') },
  { name: '∂‖Ax − b‖²/∂x = 2Aᵀ(Ax − b)', source: 'x: R^n\nA: R^{m×n}\nb: R^m\nd/dx norm2(A x - b)^2', closedForm: same('2 A^T (A x - b)') },
  { name: '∂(Ax − b)ᵀ(Ax − b)/∂x = 2Aᵀ(Ax − b)', source: 'x: R^n\nA: R^{m×n}\nb: R^m\nd/dx ((A x - b)^T (A x - b))', closedForm: same('2 A^T (A x - b)') },
  { name: '∂‖x‖₁/∂x = sign(x)', source: 'x: R^n\nd/dx norm1(x)', closedForm: same('abs(x) ./ x') },
  { name: '∂‖X − A‖_F²/∂X = 2(X − A)', source: 'X: R^{m×n}\nA: R^{m×n}\nd/dX norm2(X - A)^2', closedForm: gradient('2 (X - A)') },
  { name: '∂‖Ax‖/∂x = AᵀAx/‖Ax‖', source: 'x: R^n\nA: R^{m×n}\nd/dx norm2(A x)', closedForm: same('A^T A x / norm2(A x)') },
  { name: '∂‖Xa‖²/∂X = 2Xaaᵀ', source: 'X: R^{m×n}\na: R^n\nd/dX norm2(X a)^2', closedForm: gradient('2 X a a^T') },
];

// ── elementwise functions ───────────────────────────────────────────────────

const elementwise: Identity[] = [
  { name: '∂sum(exp(x))/∂x = exp(x)', source: 'x: R^n\nd/dx sum(exp(x))', closedForm: same('exp(x)') },
  { name: '∂aᵀlog(x)/∂x = a ⊘ x (x > 0)', source: 'x: R^n\na: R^n\nd/dx (a^T log(x))', closedForm: same('a ./ x') },
  { name: 'LaTeX ∂ \\mathbf{a}^T \\ln \\mathbf{x}', source: '\\mathbf{x}, \\mathbf{a} \\in \\mathbb{R}^n\n\\frac{\\partial}{\\partial \\mathbf{x}} \\mathbf{a}^T \\ln(\\mathbf{x})', closedForm: same('a ./ x') },
  { name: '∂sum(log(x))/∂x = 1 ⊘ x', source: 'x: R^n\nd/dx sum(log(x))', closedForm: same('1 ./ x') },
  { name: '∂sum(x.^2)/∂x = 2x', source: 'x: R^n\nd/dx sum(x.^2)', closedForm: same('2 x') },
  { name: '∂sum(x.^3)/∂x = 3x.^2', source: 'x: R^n\nd/dx sum(x.^3)', closedForm: same('3 x.^2') },
  { name: '∂sum(√x)/∂x = 1/(2√x)', source: 'x: R^n\nd/dx sum(sqrt(x))', closedForm: same('0.5 ./ sqrt(x)') },
  { name: '∂sum(sin(x))/∂x = cos(x)', source: 'x: R^n\nd/dx sum(sin(x))', closedForm: same('cos(x)') },
  { name: '∂sum(tanh(x))/∂x = 1 − tanh²(x)', source: 'x: R^n\nd/dx sum(tanh(x))', closedForm: same('1 - tanh(x).^2') },
  { name: '∂exp(x)/∂x = diag(exp(x))', source: 'x: R^n\nd/dx exp(x)', closedForm: same('diag(exp(x))') },
  { name: '∂log(x)/∂x = diag(1 ⊘ x)', source: 'x: R^n\nd/dx log(x)', closedForm: same('diag(1 ./ x)') },
  { name: '∂sin(x)/∂x = diag(cos(x))', source: 'x: R^n\njacobian(sin(x), x)', closedForm: same('diag(cos(x))') },
  { name: '∂(x ⊙ y)/∂x = diag(y)', source: 'x: R^n\ny: R^n\nd/dx (x .* y)', closedForm: same('diag(y)') },
  { name: 'LaTeX ∂(\\mathbf{a} \\odot \\mathbf{x})/∂x = diag(a)', source: '\\mathbf{a}, \\mathbf{x} \\in \\mathbb{R}^n\n\\frac{\\partial (\\mathbf{a} \\odot \\mathbf{x})}{\\partial \\mathbf{x}}', closedForm: same('diag(a)') },
  { name: '∂(x ⊘ y)/∂y = −diag(x ⊘ y²)', source: 'x: R^n\ny: R^n\nd/dy (x ./ y)', closedForm: same('-diag(x ./ y.^2)') },
  { name: '∂(x.^2)/∂x = diag(2x)', source: 'x: R^n\nd/dx x.^2', closedForm: same('diag(2 x)') },
  { name: '∂sum(x ⊙ y)/∂x = y', source: 'x: R^n\ny: R^n\nd/dx sum(x .* y)', closedForm: same('y') },
  { name: '∂xᵀ(y ⊙ x)/∂x = 2 y ⊙ x', source: 'x: R^n\ny: R^n\nd/dx (x^T (y .* x))', closedForm: same('2 y .* x') },
  { name: '∂sum(x ⊘ y)/∂x = 1 ⊘ y', source: 'x: R^n\ny: R^n\nd/dx sum(x ./ y)', closedForm: same('1 ./ y') },
  { name: '∂sum(exp(Ax))/∂x = Aᵀexp(Ax)', source: 'x: R^n\nA: R^{m×n}\nd/dx sum(exp(A x))', closedForm: same('A^T exp(A x)') },
  { name: '∂sum(softplus(x))/∂x = σ(x)', source: 'x: R^n\nd/dx sum(softplus(x))', closedForm: same('sigmoid(x)') },
  { name: '∂sum(σ(x))/∂x = σ(x)(1 − σ(x))', source: 'x: R^n\nd/dx sum(sigmoid(x))', closedForm: same('sigmoid(x) .* (1 - sigmoid(x))') },
  { name: '∂exp(aᵀx)/∂x = exp(aᵀx) a', source: 'x: R^n\na: R^n\nd/dx exp(a^T x)', closedForm: same('exp(a^T x) a') },
  { name: '∂log(xᵀx)/∂x = 2x/(xᵀx)', source: 'x: R^n\nd/dx log(x^T x)', closedForm: same('2 x / (x^T x)') },
  { name: '∂(1/(xᵀx))/∂x = −2x/(xᵀx)²', source: 'x: R^n\nd/dx (1 / (x^T x))', closedForm: same('-2 x / (x^T x)^2') },
  { name: '∂sum(|x|)/∂x = sign(x)', source: 'x: R^n\nd/dx sum(abs(x))', closedForm: same('abs(x) ./ x') },
  { name: '∂sum(exp(X))/∂X = exp(X)', source: 'X: R^{m×n}\nd/dX sum(exp(X))', closedForm: gradient('exp(X)') },
  { name: '∂sum(X ⊙ X)/∂X = 2X', source: 'X: R^{m×n}\nd/dX sum(X .* X)', closedForm: gradient('2 X') },
  { name: '∂softplus(aᵀx)/∂x = σ(aᵀx) a (logistic loss)', source: 'x: R^n\na: R^n\nd/dx softplus(a^T x)', closedForm: same('sigmoid(a^T x) a') },
  { name: '∂(s² + sin s)/∂s = 2s + cos s', source: 's: R\nd/ds (s^2 + sin(s))', closedForm: same('2 s + cos(s)') },
];

// ── softmax and logsumexp ───────────────────────────────────────────────────

const softmaxes: Identity[] = [
  { name: '∂logsumexp(z)/∂z = softmax(z)', source: 'z: R^n\nd/dz logsumexp(z)', closedForm: same('softmax(z)') },
  { name: '∂log(sum(exp(z)))/∂z = exp(z)/sum(exp(z))', source: 'z: R^n\nd/dz log(sum(exp(z)))', closedForm: same('exp(z) / sum(exp(z))') },
  {
    name: '∂softmax(z)/∂z = diag(s) − ssᵀ',
    source: 'z: R^n\nd/dz softmax(z)',
    closedForm: same('diag(softmax(z)) - softmax(z) softmax(z)^T'),
  },
  {
    name: '∂log(softmax(z))/∂z = I − 1 softmax(z)ᵀ',
    source: 'z: R^n\nd/dz log(softmax(z))',
    closedForm: jacobian('eye(n) - ones(n) softmax(z)^T'),
  },
  {
    name: 'seed002 cross-entropy ∂(−yᵀlog softmax(z))/∂z = (Σy) softmax(z) − y',
    source: 'z: R^n\ny: R^n\nL = -y^T log(softmax(z))\nd/dz L',
    closedForm: same('sum(y) softmax(z) - y'),
  },
  { name: 'seed002 ∂(logsumexp(z) − yᵀz)/∂z = softmax(z) − y', source: 'z: R^n\ny: R^n\nL = logsumexp(z) - y^T z\nd/dz L', closedForm: same('softmax(z) - y') },
  {
    name: '∂softmax(Wx)/∂x = (diag(s) − ssᵀ)W',
    source: 'x: R^n\nW: R^{m×n}\nd/dx softmax(W x)',
    closedForm: jacobian('(diag(softmax(W x)) - softmax(W x) softmax(W x)^T) W'),
  },
  { name: '∂logsumexp(Wx)/∂W = softmax(Wx) xᵀ', source: 'x: R^n\nW: R^{m×n}\nd/dW logsumexp(W x)', closedForm: gradient('softmax(W x) x^T') },
  {
    name: 'softmax regression ∂(logsumexp(Wx) − yᵀWx)/∂W = (softmax(Wx) − y)xᵀ',
    source: 'x: R^n\ny: R^m\nW: R^{m×n}\nd/dW (logsumexp(W x) - y^T W x)',
    closedForm: gradient('(softmax(W x) - y) x^T'),
  },
];

// ── seed 002: neural-network layers (Z = Wᵀ A, A = f(Z), losses) ────────────

const network: Identity[] = [
  {
    name: 'seed002 (A.78) ∂Z/∂A for Z = WᵀA: W (denominator), Wᵀ (numerator, mixed)',
    source: 'A \\in \\mathbb{R}^m, W \\in \\mathbb{R}^{m \\times n}\nZ = W^T A\n\\frac{\\partial Z}{\\partial A}',
    closedForm: { numerator: 'W^T', denominator: 'W', mixed: 'W^T' },
  },
  {
    name: 'seed002 layer superscripts ∂Z^{(1)}/∂A^{(0)}',
    source: 'A^{(0)} \\in \\mathbb{R}^m, W^{(1)} \\in \\mathbb{R}^{m \\times n}\nZ^{(1)} = (W^{(1)})^T A^{(0)}\n\\frac{\\partial Z^{(1)}}{\\partial A^{(0)}}',
    closedForm: jacobian('(W^{(1)})^T'),
  },
  {
    name: 'seed002 (A.74) ∂Z/∂W (rank 3) = Aⱼ δᵢₖ',
    source: 'A: R^2\nW: R^{2×3}\nZ = W^T A\nd/dW Z',
    closedForm: tensor(literal([3, 2, 3], ([i, j, k]) => (i === k ? `A[${j}]` : '0'))),
  },
  { name: 'seed002 (A.89) ∂σ(Z)/∂Z = diag(σ′(Z))', source: 'Z: R^n\nA = sigmoid(Z)\nd/dZ A', closedForm: same('diag(sigmoid(Z) .* (1 - sigmoid(Z)))') },
  { name: 'seed002 (A.89) LaTeX ∂\\sigma(z)/∂z', source: 'z \\in \\mathbb{R}^n\n\\frac{\\partial \\sigma(z)}{\\partial z}', closedForm: same('diag(sigmoid(z) .* (1 - sigmoid(z)))') },
  { name: 'seed002 (A.89) ∂tanh(Z)/∂Z = diag(1 − tanh²(Z))', source: 'Z: R^n\nA = tanh(Z)\nd/dZ A', closedForm: same('diag(1 - tanh(Z).^2)') },
  {
    name: 'seed002 (A.89) ∂relu(Z)/∂Z = diag(step(Z))',
    source: 'Z: R^n\nA = relu(Z)\nd/dZ A',
    closedForm: same('diag(relu(Z) ./ Z)'),
    note: 'random normal points avoid the kink at 0 with probability 1; relu(z)/z is the step function there',
  },
  { name: 'seed002 (A.89) ∂softplus(Z)/∂Z = diag(σ(Z))', source: 'Z: R^n\nA = softplus(Z)\nd/dZ A', closedForm: same('diag(sigmoid(Z))') },
  { name: 'seed002 ∂L/∂A for L = sum((A − y).^2) = 2(A − y)', source: 'A: R^n\ny: R^n\nL = sum((A - y).^2)\nd/dA L', closedForm: same('2 (A - y)') },
  {
    name: 'seed002 (A.59) ∂L/∂A^L held independent (A = σ(Z) defined)',
    source: 'Z: R^n\ny: R^n\nA = sigmoid(Z)\nL = sum((A - y).^2)\n\\frac{\\partial L}{\\partial A}',
    closedForm: same('2 (A - y)'),
  },
  {
    name: 'NN ∂L/∂Z = 2(A − y) ⊙ σ′(Z) (chain through σ)',
    source: 'Z: R^n\ny: R^n\nA = sigmoid(Z)\nL = sum((A - y).^2)\nd/dZ L',
    closedForm: same('2 (A - y) .* A .* (1 - A)'),
  },
  {
    name: 'NN one layer ∂L/∂W = a δᵀ, δ = 2(A − y) ⊙ σ′(Z)',
    source: 'a: R^m\nW: R^{m×n}\ny: R^n\nZ = W^T a\nA = sigmoid(Z)\nL = sum((A - y).^2)\nd/dW L',
    closedForm: gradient('a (2 (A - y) .* A .* (1 - A))^T'),
  },
  {
    name: 'NN one layer ∂L/∂a = W δ',
    source: 'a: R^m\nW: R^{m×n}\ny: R^n\nZ = W^T a\nA = sigmoid(Z)\nL = sum((A - y).^2)\nd/da L',
    closedForm: same('W (2 (A - y) .* A .* (1 - A))'),
  },
  {
    name: 'NN ∂L/∂Z held independent through tanh (cut at Z)',
    source: 'x: R^m\nW: R^{m×n}\ny: R^n\nZ = W^T x\nA = tanh(Z)\nL = sum((A - y).^2) / 2\nd/dZ L',
    closedForm: same('(A - y) .* (1 - A.^2)'),
  },
  {
    name: 'NN two layers ∂L/∂W₂ = A₁(softmax(Z₂) − y)ᵀ',
    source: 'x: R^m\nW_1: R^{m×n}\nW_2: R^{n×p}\ny: R^p\nZ_1 = W_1^T x\nA_1 = tanh(Z_1)\nZ_2 = W_2^T A_1\nL = logsumexp(Z_2) - y^T Z_2\nd/dW_2 L',
    closedForm: gradient('A_1 (softmax(Z_2) - y)^T'),
  },
  {
    name: 'NN two layers ∂L/∂W₁ = x((W₂(softmax(Z₂) − y)) ⊙ (1 − A₁²))ᵀ',
    source: 'x: R^m\nW_1: R^{m×n}\nW_2: R^{n×p}\ny: R^p\nZ_1 = W_1^T x\nA_1 = tanh(Z_1)\nZ_2 = W_2^T A_1\nL = logsumexp(Z_2) - y^T Z_2\nd/dW_1 L',
    closedForm: gradient('x ((W_2 (softmax(Z_2) - y)) .* (1 - A_1.^2))^T'),
  },
  {
    name: 'NN two layers ∂L/∂x = W₁((W₂(softmax(Z₂) − y)) ⊙ (1 − A₁²))',
    source: 'x: R^m\nW_1: R^{m×n}\nW_2: R^{n×p}\ny: R^p\nZ_1 = W_1^T x\nA_1 = tanh(Z_1)\nZ_2 = W_2^T A_1\nL = logsumexp(Z_2) - y^T Z_2\nd/dx L',
    closedForm: same('W_1 ((W_2 (softmax(Z_2) - y)) .* (1 - A_1.^2))'),
  },
  {
    name: 'NN two layers ∂L/∂A₁ held independent = W₂(softmax(Z₂) − y)',
    source: 'x: R^m\nW_1: R^{m×n}\nW_2: R^{n×p}\ny: R^p\nZ_1 = W_1^T x\nA_1 = tanh(Z_1)\nZ_2 = W_2^T A_1\nL = logsumexp(Z_2) - y^T Z_2\nd/dA_1 L',
    closedForm: same('W_2 (softmax(Z_2) - y)'),
  },
  {
    name: 'NN ∂Z₂/∂Z₁ = W₂ᵀ diag(1 − A₁²)',
    source: 'x: R^m\nW_1: R^{m×n}\nW_2: R^{n×p}\nZ_1 = W_1^T x\nA_1 = tanh(Z_1)\nZ_2 = W_2^T A_1\nd/dZ_1 Z_2',
    closedForm: jacobian('W_2^T diag(1 - A_1.^2)'),
  },
  {
    name: 'NN three layers (relu, sigmoid, softmax) LaTeX ∂L/∂W^{(1)}',
    source:
      'x \\in \\mathbb{R}^m, W^{(1)} \\in \\mathbb{R}^{m \\times n}, W^{(2)} \\in \\mathbb{R}^{n \\times p}, W^{(3)} \\in \\mathbb{R}^{p \\times q}, y \\in \\mathbb{R}^q\n' +
      'Z^{(1)} = (W^{(1)})^T x\nA^{(1)} = relu(Z^{(1)})\nZ^{(2)} = (W^{(2)})^T A^{(1)}\nA^{(2)} = \\sigma(Z^{(2)})\nZ^{(3)} = (W^{(3)})^T A^{(2)}\n' +
      'L = -y^T \\log(softmax(Z^{(3)}))\n\\frac{\\partial L}{\\partial W^{(1)}}',
    closedForm: gradient('x (((W^{(2)} ((W^{(3)} (sum(y) softmax(Z^{(3)}) - y)) .* A^{(2)} .* (1 - A^{(2)}))) .* (relu(Z^{(1)}) ./ Z^{(1)})))^T'),
  },
  { name: 'NN bias ∂(Wᵀa + b)/∂b = I', source: 'a: R^m\nW: R^{m×n}\nb: R^n\nZ = W^T a + b\nd/db Z', closedForm: same('eye(n)') },
  {
    name: 'NN bias ∂L/∂b = δ for a sigmoid layer',
    source: 'a: R^m\nW: R^{m×n}\nb: R^n\ny: R^n\nZ = W^T a + b\nA = sigmoid(Z)\nL = sum((A - y).^2)\nd/db L',
    closedForm: same('2 (A - y) .* A .* (1 - A)'),
  },
  { name: 'NN linear regression ∂½‖Wᵀx − y‖²/∂W = x(Wᵀx − y)ᵀ', source: 'x: R^m\nW: R^{m×n}\ny: R^n\nd/dW sum((W^T x - y).^2) / 2', closedForm: gradient('x (W^T x - y)^T') },
  {
    name: 'NN batch ∂‖XW − Y‖_F²/∂W = 2Xᵀ(XW − Y)',
    source: 'X: R^{p×m}\nW: R^{m×n}\nY: R^{p×n}\nd/dW norm2(X W - Y)^2',
    closedForm: gradient('2 X^T (X W - Y)'),
  },
  {
    name: 'NN ∂σ(Wx)/∂W (rank 3) = σ′ᵢ δᵢₖ xₗ',
    source: 'x: R^3\nW: R^{2×3}\nd/dW sigmoid(W x)',
    closedForm: tensor(literal([2, 2, 3], ([i, k, l]) => (i === k ? `g[${i}]*x[${l}]` : '0')), 'g = sigmoid(W x) .* (1 - sigmoid(W x))'),
  },
];

// ── second derivatives ──────────────────────────────────────────────────────

const second: Identity[] = [
  { name: 'H (96) hess(xᵀAx) = A + Aᵀ', source: 'x: R^n\nA: R^{n×n}\nhess(x^T A x, x)', closedForm: same('A + A^T') },
  {
    name: 'H \\frac{\\partial^2 f}{\\partial x \\partial x^T} of xᵀAx = A + Aᵀ',
    source: 'x: R^n\nA: R^{n×n}\nf = x^T A x\n\\frac{\\partial^2 f}{\\partial x \\partial x^T}',
    closedForm: same('A + A^T'),
  },
  { name: 'H hess(sum(exp(x))) = diag(exp(x))', source: 'x: R^n\nhess(sum(exp(x)), x)', closedForm: same('diag(exp(x))') },
  { name: 'H hess(‖x‖²) = 2I', source: 'x: R^n\nhess(norm2(x)^2, x)', closedForm: same('2 eye(n)') },
  { name: 'H \\nabla^2_x (xᵀAx + bᵀx) = A + Aᵀ', source: 'x: R^n\nA: R^{n×n}\nb: R^n\nf = x^T A x + b^T x\n\\nabla^2_x f', closedForm: same('A + A^T') },
  { name: 'H \\frac{\\partial^2 f}{\\partial x^2} of sum(x.^3) = diag(6x)', source: 'x: R^n\nf = sum(x.^3)\n\\frac{\\partial^2 f}{\\partial x^2}', closedForm: same('diag(6 x)') },
  {
    name: 'H hess(logsumexp(z)) = diag(s) − ssᵀ',
    source: 'z: R^n\nhess(logsumexp(z), z)',
    closedForm: same('diag(softmax(z)) - softmax(z) softmax(z)^T'),
  },
  { name: 'H hess(‖Ax − b‖²) = 2AᵀA', source: 'x: R^n\nA: R^{m×n}\nb: R^m\nhess(norm2(A x - b)^2, x)', closedForm: same('2 A^T A') },
  { name: 'H hess((aᵀx)²) = 2aaᵀ', source: 'x: R^n\na: R^n\nhess((a^T x)^2, x)', closedForm: same('2 a a^T') },
  { name: 'H hess(sum(log x)) = −diag(1 ⊘ x²)', source: 'x: R^n\nhess(sum(log(x)), x)', closedForm: same('-diag(1 ./ x.^2)') },
  {
    name: 'H hess(‖x‖) = (I − xxᵀ/‖x‖²)/‖x‖',
    source: 'x: R^n\nhess(norm2(x), x)',
    closedForm: same('(eye(n) - x x^T / norm2(x)^2) / norm2(x)'),
  },
  { name: 'H d²(s³)/ds² = 6s', source: 's: R\nf = s^3\nhess(f, s)', closedForm: same('6 s') },
  {
    name: 'H mixed partial diff(xᵀAy, x, y) = A (numerator, mixed), Aᵀ (denominator)',
    source: 'x: R^m\ny: R^n\nA: R^{m×n}\ndiff(x^T A y, x, y)',
    closedForm: tensor('A'),
  },
  {
    name: 'H \\frac{\\partial^2 f}{\\partial x \\partial y^T} of xᵀAy = A in every layout',
    source: 'x: R^m\ny: R^n\nA: R^{m×n}\nf = x^T A y\n\\frac{\\partial^2 f}{\\partial x \\partial y^T}',
    closedForm: same('A'),
  },
  {
    name: 'H ∂²ln det X/∂X∂X (rank 4) = −(X⁻¹)ⱼₖ(X⁻¹)ₗᵢ',
    source: 'X: R^{3×3}\nhess(logdet(X), X)',
    closedForm: tensor(literal([3, 3, 3, 3], ([i, j, k, l]) => `-Y[${j},${k}]*Y[${l},${i}]`), 'Y = inv(X)'),
  },
  {
    name: 'H ∂²tr(XᵀAX)/∂X∂X (rank 4) = (A + Aᵀ)ᵢₖ δⱼₗ',
    source: 'X: R^{2×3}\nA: R^{2×2}\nhess(tr(X^T A X), X)',
    closedForm: tensor(literal([2, 3, 2, 3], ([i, j, k, l]) => (j === l ? `A[${i},${k}] + A[${k},${i}]` : '0'))),
  },
  {
    name: 'H hess of the logistic loss softplus(aᵀx) = σ′(aᵀx) aaᵀ',
    source: 'x: R^n\na: R^n\nhess(softplus(a^T x), x)',
    closedForm: same('sigmoid(a^T x) (1 - sigmoid(a^T x)) a a^T'),
  },
];

// ── seed 000 (notebook): every derivative example ──────────────────────────

const seed000: Identity[] = [
  {
    name: 'seed000 scalar w.r.t. vector: s = vᵀa, ∂s/∂v = a',
    source: '\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n\ns = \\mathbf{v}^T \\mathbf{a}\n\\frac{\\partial s}{\\partial \\mathbf{v}}',
    closedForm: same('a'),
  },
  {
    name: 'seed000 vector w.r.t. scalar: a = [s², 3s, sin s]',
    source: 's \\in \\mathbb{R}\na = \\begin{bmatrix} s^2 \\\\ 3s \\\\ \\sin(s) \\end{bmatrix}\n\\frac{\\partial a}{\\partial s}',
    closedForm: same('[2 s, 3, cos(s)]'),
  },
  {
    name: 'seed000 Jacobian: a = [v₁², v₁ + v₂, sin v₂], v ∈ ℝ²',
    source: 'v \\in \\mathbb{R}^2\na = \\begin{bmatrix} v_1^2 \\\\ v_1 + v_2 \\\\ \\sin(v_2) \\end{bmatrix}\n\\frac{\\partial a}{\\partial v}',
    closedForm: jacobian('[[2 v_1, 0], [1, 1], [0, cos(v_2)]]'),
  },
  {
    name: 'seed000 RGB: s = T₁₁₁ + 2T₁₂₂ + 3T₂₁₃, ∂s/∂T (2×2×3)',
    source: 'T \\in \\mathbb{R}^{2 \\times 2 \\times 3}\ns = T_{111} + 2T_{122} + 3T_{213}\n\\frac{\\partial s}{\\partial T}',
    closedForm: tensor('[[[1, 0, 0], [0, 2, 0]], [[0, 0, 3], [0, 0, 0]]]'),
  },
  {
    name: 'seed000 vector w.r.t. matrix: a₁ = X₁₁ + 2X₁₂, a₂ = 3X₂₁ + 4X₂₂ (rank 3)',
    source: '\\mathbf{a} \\in \\mathbb{R}^2, \\mathbf{X} \\in \\mathbb{R}^{2 \\times 2}\na_1 = X_{11} + 2X_{12}\na_2 = 3X_{21} + 4X_{22}\n\\frac{\\partial \\mathbf{a}}{\\partial \\mathbf{X}}',
    closedForm: tensor('[[[1, 2], [0, 0]], [[0, 0], [3, 4]]]'),
  },
  {
    name: 'seed000 vector w.r.t. tensor: a₁ = 𝒯₁₁₁ + 2𝒯₁₂₂, a₂ = 3𝒯₂₁₁ − 𝒯₂₂₂ (rank 4)',
    source: '\\mathbf{a} \\in \\mathbb{R}^2, \\mathcal{T} \\in \\mathbb{R}^{2 \\times 2 \\times 2}\na_1 = \\mathcal{T}_{111} + 2\\mathcal{T}_{122}\na_2 = 3\\mathcal{T}_{211} - \\mathcal{T}_{222}\n\\frac{\\partial \\mathbf{a}}{\\partial \\mathcal{T}}',
    closedForm: tensor(
      literal([2, 2, 2, 2], ([i, j, k, l]) => {
        const at = `${j}${k}${l}`;
        if (i === 1) return at === '111' ? '1' : at === '122' ? '2' : '0';
        return at === '211' ? '3' : at === '222' ? '-1' : '0';
      }),
    ),
  },
  {
    name: 'seed000 matrix w.r.t. scalar: A₁₁ = x², A₁₂ = sin x, A₂₁ = eˣ, A₂₂ = 3x',
    source: '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}, x \\in \\mathbb{R}\nA_{11} = x^2\nA_{12} = \\sin x\nA_{21} = e^x\nA_{22} = 3x\n\\frac{\\partial \\mathbf{A}}{\\partial x}',
    closedForm: tensor('[[2 x, cos(x)], [exp(x), 3]]'),
  },
  {
    name: 'seed000 matrix w.r.t. vector: A₁₁ = x₁² + x₂, A₁₂ = sin x₁, A₂₁ = e^{x₂}, A₂₂ = x₁x₂ (rank 3)',
    source: '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}, \\mathbf{x} \\in \\mathbb{R}^2\nA_{11} = x_1^2 + x_2\nA_{12} = \\sin x_1\nA_{21} = e^{x_2}\nA_{22} = x_1 x_2\n\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{x}}',
    closedForm: tensor('[[[2 x_1, 1], [cos(x_1), 0]], [[0, exp(x_2)], [x_2, x_1]]]'),
  },
  {
    name: 'seed000 matrix w.r.t. matrix: A₁₁ = X₁₁² + X₁₂, A₁₂ = sin X₂₁, A₂₁ = e^{X₂₂}, A₂₂ = X₁₁X₂₂ (rank 4)',
    source: '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}, \\mathbf{X} \\in \\mathbb{R}^{2 \\times 2}\nA_{11} = X_{11}^2 + X_{12}\nA_{12} = \\sin X_{21}\nA_{21} = e^{X_{22}}\nA_{22} = X_{11} X_{22}\n\\frac{\\partial \\mathbf{A}}{\\partial \\mathbf{X}}',
    closedForm: tensor(
      literal([2, 2, 2, 2], ([i, j, k, l]) => {
        const e = `${i}${j}${k}${l}`;
        const table: Record<string, string> = {
          '1111': '2 X_{11}', '1112': '1', '1221': 'cos(X_{21})', '2122': 'exp(X_{22})', '2211': 'X_{22}', '2222': 'X_{11}',
        };
        return table[e] ?? '0';
      }),
    ),
  },
  {
    name: 'seed000 matrix w.r.t. tensor: A₁₁ = 𝒯₁₁₁ + 2𝒯₁₂₂, A₁₂ = sin 𝒯₂₁₁, A₂₁ = e^{𝒯₂₂₂}, A₂₂ = 𝒯₁₁₁𝒯₂₂₂ (rank 5)',
    source: '\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}, \\mathcal{T} \\in \\mathbb{R}^{2 \\times 2 \\times 2}\nA_{11} = \\mathcal{T}_{111} + 2\\mathcal{T}_{122}\nA_{12} = \\sin \\mathcal{T}_{211}\nA_{21} = e^{\\mathcal{T}_{222}}\nA_{22} = \\mathcal{T}_{111} \\mathcal{T}_{222}\n\\frac{\\partial \\mathbf{A}}{\\partial \\mathcal{T}}',
    closedForm: tensor(
      literal([2, 2, 2, 2, 2], ([i, j, k, l, s]) => {
        const e = `${i}${j}|${k}${l}${s}`;
        const table: Record<string, string> = {
          '11|111': '1', '11|122': '2', '12|211': 'cos(T_{211})', '21|222': 'exp(T_{222})', '22|111': 'T_{222}', '22|222': 'T_{111}',
        };
        return table[e] ?? '0';
      }),
    ),
  },
  {
    name: 'seed000 (math mode) ∂s/∂v for s = vᵀa = aᵀv',
    mode: 'math',
    source: '\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n; s = \\mathbf{v}^T \\mathbf{a} = \\mathbf{a}^T \\mathbf{v}; \\frac{\\partial s}{\\partial \\mathbf{v}} = \\mathbf{a}',
    closedForm: same('a'),
  },
];

// ── seed 001 (lecture): the stated results, as written ─────────────────────

const seed001: Identity[] = [
  {
    name: 'seed001 \\frac{\\partial(Ax)}{\\partial x} = A',
    mode: 'math',
    source: 'x \\in \\mathbb{R}^n, A \\in \\mathbb{R}^{n \\times n}; \\frac{\\partial(Ax)}{\\partial x} = A',
    note: 'A square as in the seed\'s 2×2 example: with A ∈ ℝ^{m×n} the claim `= A` is a shape-mismatch error in denominator layout (it is Aᵀ there)',
    closedForm: jacobian('A'),
  },
  {
    name: 'seed001 \\frac{dA\\vec{x}}{dx} = A (2×2)',
    source: 'A \\in \\mathbb{R}^{2 \\times 2}, \\vec{x} \\in \\mathbb{R}^2\n\\frac{dA\\vec{x}}{dx}',
    closedForm: jacobian('A'),
  },
  {
    name: 'seed001 \\frac{\\partial(x^T a)}{\\partial x} = a',
    mode: 'math',
    source: 'x, a \\in \\mathbb{R}^n; \\frac{\\partial(x^T a)}{\\partial x} = a',
    closedForm: same('a'),
  },
  {
    name: 'seed001 \\frac{\\partial}{\\partial \\vec{x}} \\vec{a} \\cdot \\vec{x} = \\vec{a}',
    source: '\\vec{a}, \\vec{x} \\in \\mathbb{R}^n\n\\frac{\\partial}{\\partial \\vec{x}} \\vec{a} \\cdot \\vec{x}',
    closedForm: same('a'),
  },
  {
    name: 'seed001 \\frac{\\partial}{\\partial \\vec{x}} \\vec{a}^T \\vec{x} = \\vec{a}',
    source: '\\vec{a}, \\vec{x} \\in \\mathbb{R}^n\n\\frac{\\partial}{\\partial \\vec{x}} \\vec{a}^T \\vec{x}',
    closedForm: same('a'),
  },
  {
    name: 'seed001 \\frac{\\partial}{\\partial \\vec{x}} \\vec{x}^T \\vec{a} = \\vec{a}',
    source: '\\vec{a}, \\vec{x} \\in \\mathbb{R}^n\n\\frac{\\partial}{\\partial \\vec{x}} \\vec{x}^T \\vec{a}',
    closedForm: same('a'),
  },
  {
    name: 'seed001 \\frac{\\partial(x^T A x)}{\\partial x} = (A + A^T)x',
    mode: 'math',
    source: 'x \\in \\mathbb{R}^n, A \\in \\mathbb{R}^{n \\times n}; \\frac{\\partial(x^T A x)}{\\partial x} = (A + A^T)x',
    closedForm: same('(A + A^T) x'),
  },
  {
    name: 'seed001 \\frac{\\partial(x^T A x)}{\\partial x} = 2Ax if A is symmetric',
    source: 'x \\in \\mathbb{R}^n, A \\in \\mathbb{R}^{n \\times n} symmetric\n\\frac{\\partial}{\\partial x} \\vec{x}^T A \\vec{x}',
    closedForm: same('2 A x'),
  },
  {
    name: 'seed001 Frobenius d(x : Ax) ⇒ (A + Aᵀ)x',
    source: 'x: R^n\nA: R^{n×n}\nd/dx (x : A x)',
    closedForm: same('(A + A^T) x'),
  },
  {
    name: 'seed001 \\frac{\\partial |X|}{\\partial X} = |X| (X^{-1})^T',
    mode: 'math',
    source: 'X \\in \\mathbb{R}^{n \\times n}; \\frac{\\partial |X|}{\\partial X} = |X| (X^{-1})^T',
    closedForm: gradient('det(X) inv(X)^T'),
  },
  {
    name: 'seed001 \\frac{\\partial(\\ln(|X|))}{\\partial X} = (X^{-1})^T',
    mode: 'math',
    source: 'X \\in \\mathbb{R}^{n \\times n}; \\frac{\\partial(\\ln(|X|))}{\\partial X} = (X^{-1})^T',
    closedForm: gradient('inv(X)^T'),
  },
  {
    name: 'seed001 \\frac{\\partial(y^T A X)}{\\partial A} = y X^T (X a vector)',
    source: 'y \\in \\mathbb{R}^m, A \\in \\mathbb{R}^{m \\times n}, X \\in \\mathbb{R}^n\n\\frac{\\partial(y^T A X)}{\\partial A}',
    closedForm: gradient('y X^T'),
  },
  {
    name: 'seed001 \\frac{\\partial(X^T A X)}{\\partial A} = X X^T (X a vector)',
    source: 'A \\in \\mathbb{R}^{n \\times n}, X \\in \\mathbb{R}^n\n\\frac{\\partial(X^T A X)}{\\partial A}',
    closedForm: gradient('X X^T'),
  },
  {
    name: 'seed001 \\frac{\\partial f(\\mathbf{x})}{\\partial \\mathbf{x}} as a row (numerator): f = sum(sin x)',
    source: '\\mathbf{x} \\in \\mathbb{R}^N\nf = sum(\\sin(\\mathbf{x}))\n\\frac{\\partial f}{\\partial \\mathbf{x}}',
    closedForm: same('cos(x)'),
  },
  {
    name: 'seed001 vector function Jacobian f: ℝᴺ → ℝᴹ, f = tanh(Ax)',
    source: '\\mathbf{x} \\in \\mathbb{R}^N, A \\in \\mathbb{R}^{M \\times N}\nf = \\tanh(A \\mathbf{x})\n\\frac{\\partial f}{\\partial \\mathbf{x}}',
    closedForm: jacobian('diag(1 - tanh(A x).^2) A'),
  },
  {
    name: 'seed001 scalar by matrix f: ℝ^{M×N} → ℝ (N×M in numerator): f = sum(X ⊙ X)/2',
    source: '\\mathbf{X} \\in \\mathbb{R}^{M \\times N}\nf = sum(\\mathbf{X} \\odot \\mathbf{X}) / 2\n\\frac{\\partial f}{\\partial \\mathbf{X}}',
    closedForm: { numerator: 'X^T', denominator: 'X', mixed: 'X' },
  },
  {
    name: 'seed001 chain rule ∂g(u)/∂x, u = h(x) = Bx, g = exp(u)',
    source: 'x: R^n\nB: R^{m×n}\nu = B x\ng = exp(u)\nd/dx g',
    closedForm: jacobian('diag(exp(B x)) B'),
  },
  {
    name: 'seed002 (A.2) ∂f/∂x₁ of the linear model θᵀx + θ₀',
    source: 'x: R^n\n\\theta: R^n\n\\theta_0: R\nf = \\theta^T x + \\theta_0\nd/dx f',
    closedForm: same('θ'),
  },
  {
    name: 'seed002 (A.4) ∂(2x²y)/∂x = 4xy',
    source: 'x: R\ny: R\nf = 2 x^2 y\n\\frac{\\partial f}{\\partial x}',
    closedForm: same('4 x y'),
  },
];

// ── language and engine corners: higher-rank variables, powers, diag, zero
//    derivatives, mixed partials, second derivatives of vector functions ────

const corners: Identity[] = [
  { name: 'rank-3 variable ∂sum(T ⊙ T)/∂T = 2T', source: 'T: R^{2×3×4}\nd/dT sum(T .* T)', closedForm: tensor('2 T') },
  { name: 'rank-3 variable ∂sum(exp(T))/∂T = exp(T)', source: 'T: R^{2×3×4}\nd/dT sum(exp(T))', closedForm: tensor('exp(T)') },
  {
    name: 'rank-6 result ∂exp(T)/∂T = δ δ δ exp(T)',
    source: 'T: R^{2×3×2}\nd/dT exp(T)',
    closedForm: tensor(literal([2, 3, 2, 2, 3, 2], ([i, j, k, l, m, n]) => (i === l && j === m && k === n ? `exp(T[${i},${j},${k}])` : '0'))),
  },
  { name: '∂sˢ/∂s = sˢ(ln s + 1)', source: 's: R\nd/ds s^s', closedForm: same('s^s (log(s) + 1)') },
  { name: '∂2ˢ/∂s = 2ˢ ln 2', source: 's: R\nd/ds 2^s', closedForm: same('2^s log(2)') },
  { name: '∂s⁻²/∂s = −2s⁻³', source: 's: R\nd/ds s^{-2}', closedForm: same('-2 s^{-3}') },
  { name: '∂|s|/∂s = sign(s)', source: 's: R\nd/ds |s|', closedForm: same('abs(s) / s') },
  { name: '∂sum(x.^2.5)/∂x = 2.5 x.^1.5', source: 'x: R^n\nd/dx sum(x.^2.5)', closedForm: same('2.5 x.^1.5') },
  { name: '∂‖x‖³/∂x = 3‖x‖x', source: 'x: R^n\nd/dx norm2(x)^3', closedForm: same('3 norm2(x) x') },
  { name: 'LaTeX ∂\\sqrt{x^T x}/∂x = x/‖x‖', source: 'x \\in \\mathbb{R}^n\n\\frac{\\partial \\sqrt{x^T x}}{\\partial x}', closedForm: same('x / norm2(x)') },
  { name: 'LaTeX ∂e^{a^T x}/∂x = e^{aᵀx} a', source: 'a, x \\in \\mathbb{R}^n\n\\frac{\\partial e^{a^T x}}{\\partial x}', closedForm: same('exp(a^T x) a') },
  { name: '∂(a ⊘ (x ⊙ x))/∂x = −2 diag(a ⊘ x³)', source: 'x: R^n\na: R^n\nd/dx (a ./ (x .* x))', closedForm: same('-2 diag(a ./ x.^3)') },
  {
    name: '∂diag(x)/∂x (rank 3) = δᵢⱼδⱼₖ',
    source: 'x: R^3\nd/dx diag(x)',
    closedForm: tensor(literal([3, 3, 3], ([i, j, k]) => (i === j && j === k ? '1' : '0'))),
  },
  {
    name: '∂diag(X)/∂X (rank 3) = δᵢₖδᵢₗ',
    source: 'X: R^{3×3}\nd/dX diag(X)',
    closedForm: tensor(literal([3, 3, 3], ([i, k, l]) => (i === k && i === l ? '1' : '0'))),
  },
  { name: '∂tr(diag(x)A)/∂x = diag(A)', source: 'x: R^n\nA: R^{n×n}\nd/dx tr(diag(x) A)', closedForm: same('diag(A)') },
  { name: '∂xᵀdiag(a)x/∂x = 2a ⊙ x', source: 'x: R^n\na: R^n\nd/dx (x^T diag(a) x)', closedForm: same('2 a .* x') },
  { name: 'LaTeX ∂\\mathbf{1}^T x/∂x = 1', source: 'x \\in \\mathbb{R}^n\n\\frac{\\partial (\\mathbf{1}^T x)}{\\partial x}', closedForm: same('ones(n)') },
  { name: '∂vector(1)ᵀexp(x)/∂x = exp(x)', source: 'x: R^n\nd/dx (vector(1)^T exp(x))', closedForm: same('exp(x)') },
  { name: '∂((AX) : (AX))/∂X = 2AᵀAX', source: 'A: R^{m×n}\nX: R^{n×p}\nd/dX ((A X) : (A X))', closedForm: gradient('2 A^T A X') },
  { name: 'seed001 ∂Tr(xᵀAx)/∂x = (A + Aᵀ)x (trace of a scalar)', source: 'x: R^n\nA: R^{n×n}\nd/dx Tr(x^T A x)', closedForm: same('(A + A^T) x') },
  { name: 'MC ∂tr(X⁻²)/∂X = −2(X⁻³)ᵀ', source: 'X: R^{n×n}\nd/dX tr(X^{-1} X^{-1})', closedForm: gradient('-2 (inv(X) inv(X) inv(X))^T') },
  { name: 'zero derivative ∂(aᵀa)/∂x = 0', source: 'x: R^n\na: R^n\nd/dx (a^T a)', closedForm: same('zeros(n)') },
  {
    name: 'zero second derivative diff(Ax, x, x) (rank 3) = 0',
    source: 'x: R^3\nA: R^{2×3}\ndiff(A x, x, x)',
    closedForm: tensor(literal([2, 3, 3], () => '0')),
  },
  {
    name: 'mixed partial diff(xᵀAy, A, x) (rank 3) = δᵢₖ yⱼ',
    source: 'x: R^2\ny: R^3\nA: R^{2×3}\ndiff(x^T A y, A, x)',
    closedForm: tensor(literal([2, 3, 2], ([i, j, k]) => (i === k ? `y[${j}]` : '0'))),
  },
  {
    name: 'mixed partial diff(aᵀXb, X, b) (rank 3) = aᵢ δⱼₖ',
    source: 'a: R^2\nb: R^3\nX: R^{2×3}\ndiff(a^T X b, X, b)',
    closedForm: tensor(literal([2, 3, 3], ([i, j, k]) => (j === k ? `a[${i}]` : '0'))),
  },
  {
    name: 'second derivative of a vector function diff(x ⊙ x, x, x) (rank 3) = 2δᵢⱼδᵢₖ',
    source: 'x: R^3\ndiff(x .* x, x, x)',
    closedForm: tensor(literal([3, 3, 3], ([i, j, k]) => (i === j && i === k ? '2' : '0'))),
  },
  {
    name: 'second derivative of softmax (rank 3)',
    source: 'z: R^3\ndiff(softmax(z), z, z)',
    closedForm: tensor(
      literal([3, 3, 3], ([i, j, k]) => {
        const d = (a: number, b: number) => (a === b ? '1' : '0');
        return `s[${i}]*(${d(i, k)} - s[${k}])*(${d(i, j)} - s[${j}]) - s[${i}]*s[${j}]*(${d(j, k)} - s[${k}])`;
      }),
      's = softmax(z)',
    ),
  },
  {
    name: 'second derivative of a matrix function of a scalar d²A(s)/ds²',
    source: 's: R\nA = [[s^2, s^3], [sin(s), 1]]\ndiff(A, s, s)',
    closedForm: tensor('[[2, 6 s], [-sin(s), 0]]'),
  },
  {
    name: '∂(X ⊙ X)/∂X (rank 4) = 2Xᵢⱼδᵢₖδⱼₗ',
    source: 'X: R^{2×3}\nd/dX (X .* X)',
    closedForm: tensor(literal([2, 3, 2, 3], ([i, j, k, l]) => (i === k && j === l ? `2 X[${i},${j}]` : '0'))),
  },
  {
    name: '∂X²/∂X (rank 4) = δᵢₖXₗⱼ + Xᵢₖδⱼₗ',
    source: 'X: R^{3×3}\nd/dX X^2',
    closedForm: tensor(literal([3, 3, 3, 3], ([i, j, k, l]) => terms(i === k && `X[${l},${j}]`, j === l && `X[${i},${k}]`))),
  },
  {
    name: 'diamond: ∂(uᵀu + sum(u))/∂u = 2u + 1 with u = Ax held independent',
    source: 'x: R^n\nA: R^{m×n}\nu = A x\nf = u^T u + sum(u)\nd/du f',
    closedForm: same('2 u + ones(m)'),
  },
  { name: 'defined matrix held independent: ∂tr(MB)/∂M = Bᵀ, M = XᵀX', source: 'X: R^{m×n}\nB: R^{n×n}\nM = X^T X\nf = tr(M B)\nd/dM f', closedForm: gradient('B^T') },
  { name: 'function definition f(x) = xᵀAx, grad(f, x) = (A + Aᵀ)x', source: 'x: R^n\nA: R^{n×n}\nf(x) = x^T A x\ngrad(f, x)', closedForm: same('(A + A^T) x') },
];

export const IDENTITIES: readonly Identity[] = [
  ...determinants,
  ...inverses,
  ...firstOrder,
  ...secondOrderForms,
  ...traces,
  ...norms,
  ...elementwise,
  ...softmaxes,
  ...network,
  ...second,
  ...seed000,
  ...seed001,
  ...corners,
];
