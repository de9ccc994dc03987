// Token vocabulary shared by the lexer and the parser, and the tables that map
// LaTeX and Unicode spellings onto it.
//
// Invariant: the lexer resolves spelling (LaTeX command, Unicode symbol or ASCII)
// so the parser sees one token per meaning: `\cdot`, `·` and `*` all arrive as
// op `*`; `\mathbf{x}` arrives as ident `x`.

import { table, type Span } from './ast';

export type TokenKind =
  | 'number'
  | 'ident'
  | 'op'
  | 'text' // prose from \text{...}
  | 'supnum' // Unicode superscript number run: ² ³ ⁻¹
  | 'supident' // Unicode superscript letter: ⁿ ᵐ
  | 'subnum' // Unicode subscript digits: ₁₂
  | 'suplabel' // a raised label in Unicode superscript parentheses: ⁽¹⁾, ⁽ℓ⁻¹⁾; value is its ASCII reading, "(1)", "(ℓ-1)"
  | 'begin' // \begin{env}; value is the environment name
  | 'end' // \end{env}
  | 'newline' // a line break (separates statements in block mode)
  | 'sep' // a hard statement separator: `;`, or `\\` outside matrices
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Canonical value: the op symbol, the identifier name, the number text. */
  readonly value: string;
  readonly span: Span;
  /** True when whitespace (or a skipped spacing command) precedes the token. */
  readonly spaceBefore: boolean;
  /**
   * For op `*`: how it was spelled. For idents: `latex` if spelled with LaTeX.
   * For the bars `|` and `‖`: `left` or `right` when LaTeX says which side the
   * bar is on (`\lVert`, `\rvert`, `\left|`, `\right\|`), so nested norms read right.
   */
  readonly spelling?: 'star' | 'cdot' | 'times' | 'latex' | 'left' | 'right';
}

/** LaTeX Greek letter commands → Unicode. */
export const GREEK: Readonly<Record<string, string>> = table({
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ',
});

/** LaTeX commands that name a function and lex as an identifier. */
export const FUNCTION_COMMANDS: ReadonlySet<string> = new Set([
  'sin', 'cos', 'tan', 'exp', 'log', 'ln', 'det', 'tanh', 'tr', 'Tr', 'trace', 'diag', 'softmax',
]);

/** Font and decoration wrappers that do not change a name. */
export const FONT_WRAPPERS: ReadonlySet<string> = new Set([
  'mathbf', 'boldsymbol', 'bm', 'vec', 'mathcal', 'mathit', 'mathsf', 'pmb', 'mathbfit', 'mathscr',
  'mathfrak', 'mathnormal', 'bf', 'boldmath', 'symbf', 'symbfit', 'symcal', 'textbf', 'textit',
]);

/** Accents that do change a name: `\hat{y}` is ŷ, distinct from y. */
export const ACCENTS: Readonly<Record<string, string>> = table({
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0304', tilde: '\u0303',
  widetilde: '\u0303', dot: '\u0307', ddot: '\u0308', check: '\u030C', breve: '\u0306',
});

/** Commands whose braced argument is read as a word: `\operatorname{tr}`, `\text{Tr}`. */
export const WORD_COMMANDS: ReadonlySet<string> = new Set([
  'operatorname', 'mathrm', 'text', 'textrm', 'textup', 'mathup', 'rm', 'textnormal', 'operatorname*',
]);

/** Spacing, sizing and bookkeeping commands that carry no meaning here. */
export const IGNORED_COMMANDS: ReadonlySet<string> = new Set([
  ',', ';', ':', '!', ' ', 'quad', 'qquad', 'displaystyle', 'textstyle', 'scriptstyle', 'limits',
  'nolimits', 'nonumber', 'notag', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr',
  'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr', 'middle', 'therefore', 'because', 'enspace',
  'thinspace', 'medspace', 'thickspace', 'negthinspace', 'hfill', 'square', 'Box', 'blacksquare',
  'qed', 'iff',
]);

/** Commands with one braced argument that is dropped entirely. */
export const DROPPED_WITH_ARGUMENT: ReadonlySet<string> = new Set([
  'label', 'tag', 'tag*', 'color', 'vphantom', 'hphantom', 'phantom', 'hspace', 'vspace',
]);

/** Commands that wrap their argument without meaning: `\boxed{...}`. */
export const TRANSPARENT_GROUPS: ReadonlySet<string> = new Set(['boxed', 'underbrace', 'overbrace', 'cancel']);

/** LaTeX commands that lex to an operator token. */
export const COMMAND_OPS: Readonly<Record<string, { value: string; spelling?: Token['spelling'] }>> = table({
  cdot: { value: '*', spelling: 'cdot' },
  times: { value: '*', spelling: 'times' },
  ast: { value: '*', spelling: 'star' },
  odot: { value: '⊙' },
  circ: { value: '⊙' },
  oslash: { value: '⊘' },
  otimes: { value: '⊗' },
  partial: { value: '∂' },
  nabla: { value: '∇' },
  in: { value: '∈' },
  to: { value: '→' },
  rightarrow: { value: '→' },
  longrightarrow: { value: '→' },
  mapsto: { value: '→' },
  '|': { value: '‖' },
  Vert: { value: '‖' },
  lVert: { value: '‖', spelling: 'left' },
  rVert: { value: '‖', spelling: 'right' },
  vert: { value: '|' },
  lvert: { value: '|', spelling: 'left' },
  rvert: { value: '|', spelling: 'right' },
  '{': { value: '(' },
  '}': { value: ')' },
  lbrace: { value: '(' },
  rbrace: { value: ')' },
  lbrack: { value: '[' },
  rbrack: { value: ']' },
  langle: { value: '⟨' },
  rangle: { value: '⟩' },
  frac: { value: 'frac' },
  dfrac: { value: 'frac' },
  tfrac: { value: 'frac' },
  cfrac: { value: 'frac' },
  sqrt: { value: 'sqrt' },
  ldots: { value: '…' },
  cdots: { value: '…' },
  dots: { value: '…' },
  vdots: { value: '…' },
  ddots: { value: '…' },
  dotsc: { value: '…' },
  dotsb: { value: '…' },
  triangleq: { value: '=' },
  coloneqq: { value: '=' },
  eqqcolon: { value: '=' },
  doteq: { value: '=' },
  approx: { value: '≈' },
  top: { value: '⊤' },
  intercal: { value: '⊤' },
  transpose: { value: '⊤' },
  sum: { value: '∑' },
  prod: { value: '∏' },
  int: { value: '∫' },
  lim: { value: 'lim' },
  infty: { value: '∞' },
  pm: { value: '±' },
});

/** Unicode characters that lex to an operator token. */
export const UNICODE_OPS: Readonly<Record<string, { value: string; spelling?: Token['spelling'] }>> = table({
  '·': { value: '*', spelling: 'cdot' },
  '⋅': { value: '*', spelling: 'cdot' },
  '×': { value: '*', spelling: 'times' },
  '∗': { value: '*', spelling: 'star' },
  '⊙': { value: '⊙' },
  '∘': { value: '⊙' },
  '⊘': { value: '⊘' },
  '⊗': { value: '⊗' },
  '∂': { value: '∂' },
  '∇': { value: '∇' },
  '∈': { value: '∈' },
  'ℝ': { value: 'ℝ' },
  '→': { value: '→' },
  '↦': { value: '→' },
  '‖': { value: '‖' },
  '−': { value: '-' },
  '–': { value: '-' },
  '′': { value: "'" },
  '’': { value: "'" },
  'ᵀ': { value: 'ᵀ' },
  '⊤': { value: '⊤' },
  '≔': { value: '=' },
  '≜': { value: '=' },
  '≈': { value: '≈' },
  '…': { value: '…' },
  '⋯': { value: '…' },
  '⋮': { value: '…' },
  '⋱': { value: '…' },
  '∑': { value: '∑' },
  '√': { value: 'sqrt' },
  '⟨': { value: '⟨' },
  '⟩': { value: '⟩' },
});

/** Unicode superscript characters → their ASCII meaning. */
export const SUPERSCRIPT_DIGITS: Readonly<Record<string, string>> = table({
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-',
  // A superscript slash, as in x³ᐟ² (Unicode has no superscript solidus; ᐟ is the usual stand-in).
  'ᐟ': '/',
});

export const SUPERSCRIPT_LETTERS: Readonly<Record<string, string>> = table({
  'ⁿ': 'n', 'ᵐ': 'm', 'ᵖ': 'p', 'ᵏ': 'k', 'ᵈ': 'd', 'ˣ': 'x', 'ʳ': 'r', 'ᵗ': 't', 'ᴺ': 'N', 'ᴹ': 'M', 'ᴰ': 'D',
  'ᴷ': 'K', 'ᵍ': 'g', 'ʰ': 'h', 'ᶜ': 'c', 'ᵇ': 'b', 'ᵃ': 'a', 'ˡ': 'l', 'ⁱ': 'i', 'ʲ': 'j', 'ᵒ': 'o', 'ᵘ': 'u',
});

/**
 * What a superscript character means inside a raised label ⁽…⁾ (W⁽¹⁾ is the name
 * LaTeX writes W^{(1)}). Inside the parentheses nothing is an exponent or a
 * transpose, so every superscript letter Unicode has can stand for itself (ᵀ is T
 * here). Unicode has no superscript ℓ: a label writes ℓ as itself, W⁽ℓ⁻¹⁾.
 */
export const LABEL_SUPERSCRIPTS: Readonly<Record<string, string>> = table({
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
  '⁺': '+', '⁻': '-', '⁼': '=', 'ℓ': 'ℓ',
  'ᵃ': 'a', 'ᵇ': 'b', 'ᶜ': 'c', 'ᵈ': 'd', 'ᵉ': 'e', 'ᶠ': 'f', 'ᵍ': 'g', 'ʰ': 'h', 'ⁱ': 'i', 'ʲ': 'j', 'ᵏ': 'k', 'ˡ': 'l', 'ᵐ': 'm',
  'ⁿ': 'n', 'ᵒ': 'o', 'ᵖ': 'p', 'ʳ': 'r', 'ˢ': 's', 'ᵗ': 't', 'ᵘ': 'u', 'ᵛ': 'v', 'ʷ': 'w', 'ˣ': 'x', 'ʸ': 'y', 'ᶻ': 'z',
  'ᴬ': 'A', 'ᴮ': 'B', 'ᴰ': 'D', 'ᴱ': 'E', 'ᴳ': 'G', 'ᴴ': 'H', 'ᴵ': 'I', 'ᴶ': 'J', 'ᴷ': 'K', 'ᴸ': 'L', 'ᴹ': 'M', 'ᴺ': 'N', 'ᴼ': 'O',
  'ᴾ': 'P', 'ᴿ': 'R', 'ᵀ': 'T', 'ᵁ': 'U', 'ⱽ': 'V', 'ᵂ': 'W',
});

export const SUBSCRIPT_DIGITS: Readonly<Record<string, string>> = table({
  '₀': '0', '₁': '1', '₂': '2', '₃': '3', '₄': '4', '₅': '5', '₆': '6', '₇': '7', '₈': '8', '₉': '9',
});

/** Environments that build an array literal. */
export const MATRIX_ENVIRONMENTS: ReadonlySet<string> = new Set([
  'bmatrix', 'pmatrix', 'matrix', 'Bmatrix', 'vmatrix', 'Vmatrix', 'smallmatrix', 'bmatrix*', 'pmatrix*',
  'matrix*', 'array',
]);

/** Environments that only lay out equations: their `\\` separate statements and `&` is ignored. */
export const LAYOUT_ENVIRONMENTS: ReadonlySet<string> = new Set([
  'aligned', 'align', 'align*', 'equation', 'equation*', 'gather', 'gather*', 'gathered', 'split',
  'eqnarray', 'eqnarray*', 'multline', 'multline*', 'alignat', 'alignat*', 'alignedat', 'displaymath', 'math',
]);
