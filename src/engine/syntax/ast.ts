// Surface syntax tree of the tensor-expression language.
//
// Invariants:
// - Every node carries `span`: UTF-16 offsets [start, end) into the parsed source.
// - The tree records what the user wrote, resolved only as far as the grammar
//   alone can tell. Meaning that depends on declarations (is `Ax` the product
//   A·x? is `|X|` a determinant or an absolute value? is `f(x)` a call or a
//   product?) is decided later, by the elaborator in engine/shape.
// - Nodes are plain readonly data (no classes), so they can cross worker and
//   webview boundaries unchanged.

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Binary operators. `mul` covers `*`, juxtaposition, `\cdot` and `\times`. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'hadamard' // .*  ⊙  \odot  ∘  \circ
  | 'hdiv' // ./  ⊘  \oslash
  | 'hpow' // .^  ^{\circ k}  ^{\odot k}  ∘²
  | 'frobenius' // A : B
  | 'kron'; // ⊗  \otimes

/** How a multiplication was written; kept so printers and hovers can echo the user. */
export type MulSpelling = 'star' | 'juxtaposition' | 'cdot' | 'times';

export interface NumberNode {
  readonly kind: 'number';
  readonly value: number;
  readonly text: string;
  readonly span: Span;
}

/**
 * A name. `name` is the canonical name: font wrappers removed (`\mathbf{x}` is
 * `x`), LaTeX Greek letters mapped to Unicode (`\alpha` is `α`).
 */
export interface IdentNode {
  readonly kind: 'ident';
  readonly name: string;
  readonly span: Span;
  /** True when the source spelled it as a LaTeX command or wrapper (affects only printing). */
  readonly latex?: boolean;
}

/** One subscript index: a 1-based integer, or a symbolic name (`i`, `max`). */
export type IndexArg =
  | { readonly kind: 'int'; readonly value: number; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span };

/**
 * A subscripted name or an element reference: `x_1`, `X_{12}`, `X_{1,2}`, `X[1,2]`,
 * `W_i`, `x_{max}`. Whether `W_1` is its own declared name or element 1 of `W`
 * is decided by the elaborator; `subscriptName` is the name the subscript would
 * form (`W_1`).
 */
export interface SubscriptNode {
  readonly kind: 'subscript';
  readonly base: IdentNode;
  /** Index groups as written: `X_{12}` has one group with digits "12"; `X_{1,2}` two groups. */
  readonly indices: readonly IndexArg[];
  /** The raw subscript text, e.g. "12", "1,2", "max". */
  readonly raw: string;
  /** True for `X[1,2]` (bracket indexing); false for `_` subscripts. */
  readonly brackets: boolean;
  /** Name formed by base and subscript, e.g. "x_1", "W_i". */
  readonly subscriptName: string;
  readonly span: Span;
}

export interface NegNode {
  readonly kind: 'neg';
  readonly operand: Expr;
  readonly span: Span;
}

export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  /** Span of the operator token (for juxtaposition: the gap between operands). */
  readonly opSpan: Span;
  readonly mul?: MulSpelling;
  /** For `hpow`: true when written as a Hadamard power `A^{\circ k}` (or `A∘²`), so diagnostics echo that notation. */
  readonly circ?: boolean;
  readonly span: Span;
}

/** `base ^ exponent`. `^{-1}` on a matrix means inverse; that is decided by shape. */
export interface PowerNode {
  readonly kind: 'power';
  readonly base: Expr;
  readonly exponent: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}

/** Postfix transpose: `'`, `^T`, `^\top`, `^{T}`, `ᵀ`. */
export interface TransposeNode {
  readonly kind: 'transpose';
  readonly operand: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}

/**
 * A call of a built-in function with a canonical name (see `BUILTIN_FUNCTIONS`),
 * or of a user name (`f(x)`), kept as written: `builtin` says which.
 * `bars` is `|X|`: determinant or absolute value, decided by shape.
 */
export interface CallNode {
  readonly kind: 'call';
  readonly fn: string;
  readonly builtin: boolean;
  readonly args: readonly Expr[];
  readonly nameSpan: Span;
  /** True when written without parentheses, e.g. `\sin x`. */
  readonly bare?: boolean;
  readonly span: Span;
}

/**
 * An array literal. Scalars stacked `column`-wise make a column vector, `row`-wise
 * a row vector; non-scalar entries stack along a new leading axis (so
 * `[[1,2],[3,4]]` is 2×2 and a 2×2 bmatrix of 1×3 rows is 2×2×3).
 */
export interface ArrayNode {
  readonly kind: 'array';
  readonly elements: readonly Expr[];
  readonly orientation: 'column' | 'row';
  readonly span: Span;
}

/** A variable a derivative is taken with respect to. */
export interface WrtNode {
  readonly name: string;
  /** True for `\partial x^T` in a Hessian denominator. */
  readonly transposed: boolean;
  readonly span: Span;
}

export type DerivativeNotation =
  | 'frac' // \frac{\partial f}{\partial x}
  | 'slash' // df/dx, ∂f/∂x, d/dx f, d(f)/dx
  | 'nabla' // \nabla_x f
  | 'diff' // diff(f, x)
  | 'grad' // grad(f, x)
  | 'hess' // hess(f, x)
  | 'jacobian'; // jacobian(f, x)

/**
 * A derivative request ∂F/∂X (order 1) or a second derivative (order 2). For
 * order 2, `wrt` has two entries (the same variable twice for a Hessian).
 * `explicitMatrix` marks `\partial x \partial y^T`: a matrix indexed
 * [i, j] = ∂²f/∂x_i∂y_j in every layout.
 */
export interface DerivativeNode {
  readonly kind: 'derivative';
  readonly of: Expr;
  readonly wrt: readonly WrtNode[];
  readonly order: 1 | 2;
  readonly notation: DerivativeNotation;
  readonly explicitMatrix: boolean;
  readonly span: Span;
}

/** A syntax error inside an expression; the parser recovered past it. */
export interface ErrorNode {
  readonly kind: 'error';
  readonly span: Span;
}

export type Expr =
  | NumberNode
  | IdentNode
  | SubscriptNode
  | NegNode
  | BinaryNode
  | PowerNode
  | TransposeNode
  | CallNode
  | ArrayNode
  | DerivativeNode
  | ErrorNode;

/** A dimension in a declaration: a number or a symbolic size name. */
export interface DimNode {
  readonly value: number | string;
  readonly span: Span;
}

export interface DeclaredName {
  readonly name: string;
  readonly span: Span;
}

/** Properties a declaration may state. `spd` implies `symmetric`. */
export type DeclModifier = 'symmetric' | 'spd' | 'diagonal' | 'constant';

/**
 * `x: R^n`, `A: R^{n×n} symmetric`, `a, v \in \mathbb{R}^n`,
 * `f: \mathbb{R}^N \rightarrow \mathbb{R}` (a function signature: `domain` holds
 * the input dims and `dims` the output dims).
 */
export interface DeclarationNode {
  readonly kind: 'declaration';
  readonly names: readonly DeclaredName[];
  readonly dims: readonly DimNode[];
  readonly modifiers: readonly DeclModifier[];
  readonly domain?: readonly DimNode[];
  readonly span: Span;
}

/**
 * `f = x' A x`, `a_1 = X_{11} + 2X_{12}` (element definition), `f(x) = ...`.
 * Further `= e` parts of a chain (`s = v^T a = a^T v`) are claims: each should
 * equal the defined value.
 */
export interface DefinitionNode {
  readonly kind: 'definition';
  readonly target: IdentNode | SubscriptNode;
  readonly params: readonly IdentNode[];
  readonly value: Expr;
  readonly claims: readonly Expr[];
  /** Trailing prose such as `\text{ if } A \text{ is symmetric}`. */
  readonly note?: string;
  readonly span: Span;
}

/**
 * A bare expression, possibly a chain of equalities:
 * `\frac{\partial (x^T A x)}{\partial x} = (A + A^T) x`. `claims` are the parts
 * after the first `=`, each asserted equal to `expr`.
 */
export interface ExpressionStatementNode {
  readonly kind: 'expression';
  readonly expr: Expr;
  readonly claims: readonly Expr[];
  readonly note?: string;
  readonly span: Span;
}

/**
 * A statement, possibly `joined` to the one before it by a comma (`a = [v_1, v_2], v \in \mathbb{R}^2`):
 * the elaborator lets declarations in such a sentence apply to the whole sentence.
 */
export type Statement = (DeclarationNode | DefinitionNode | ExpressionStatementNode) & { readonly joined?: boolean };

export interface Program {
  readonly statements: readonly Statement[];
}

/**
 * A lookup table keyed by user text, without a prototype: `constructor`,
 * `toString` or `__proto__` written in a note must not find Object.prototype's
 * members (`\\hasOwnProperty` used to crash the lexer, `constructor(x)` the parser).
 */
export function table<V>(entries: Record<string, V>): Readonly<Record<string, V>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, V>, entries));
}

/** Canonical names of built-in functions, and how many arguments each takes. */
export const BUILTIN_FUNCTIONS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = table({
  // elementwise
  sin: { min: 1, max: 1 },
  cos: { min: 1, max: 1 },
  tan: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  log: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  tanh: { min: 1, max: 1 },
  sigmoid: { min: 1, max: 1 },
  relu: { min: 1, max: 1 },
  softplus: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  sign: { min: 1, max: 1 },
  step: { min: 1, max: 1 },
  // reductions and matrix functions
  sum: { min: 1, max: 1 },
  tr: { min: 1, max: 1 },
  det: { min: 1, max: 1 },
  logdet: { min: 1, max: 1 },
  inv: { min: 1, max: 1 },
  norm2: { min: 1, max: 1 },
  norm1: { min: 1, max: 1 },
  diag: { min: 1, max: 1 },
  softmax: { min: 1, max: 1 },
  logsumexp: { min: 1, max: 1 },
  bars: { min: 1, max: 1 },
  // constructors
  eye: { min: 1, max: 1 },
  ones: { min: 1, max: 2 },
  zeros: { min: 1, max: 2 },
  vector: { min: 1, max: 1 },
});

/** Spellings users write for each canonical function. */
export const FUNCTION_ALIASES: Readonly<Record<string, string>> = table({
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  exp: 'exp',
  log: 'log',
  ln: 'log',
  sqrt: 'sqrt',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  sigm: 'sigmoid',
  relu: 'relu',
  ReLU: 'relu',
  softplus: 'softplus',
  abs: 'abs',
  sign: 'sign',
  sgn: 'sign',
  step: 'step',
  sum: 'sum',
  tr: 'tr',
  trace: 'tr',
  Tr: 'tr',
  Trace: 'tr',
  det: 'det',
  logdet: 'logdet',
  inv: 'inv',
  norm2: 'norm2',
  norm: 'norm2',
  norm1: 'norm1',
  diag: 'diag',
  softmax: 'softmax',
  logsumexp: 'logsumexp',
  LSE: 'logsumexp',
  eye: 'eye',
  ones: 'ones',
  zeros: 'zeros',
  vector: 'vector',
});

/** Names that mean a derivative request when called: `diff(f, x)` and friends. */
export const DERIVATIVE_CALLS: Readonly<Record<string, DerivativeNotation>> = table({
  diff: 'diff',
  grad: 'grad',
  hess: 'hess',
  hessian: 'hess',
  jacobian: 'jacobian',
  jac: 'jacobian',
});
