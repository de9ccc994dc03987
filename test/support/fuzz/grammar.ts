// Random programs from the language's grammar (README "The tensor-expression
// language"): declarations, definitions, claims, element definitions,
// expressions over every operator and function in both spellings (ASCII and
// LaTeX, freely mixed), literals and LaTeX environments, and derivative
// requests in every notation. Names and shapes are drawn from a small pool so
// that many programs are well-typed and reach the derivative engine; the rest
// exercise the shape diagnostics. Syntax is valid by construction; the
// mutators (./mutate.ts) take care of invalid text.

import type { Rng } from './rng';

const SCALARS = ['s', 't', '\\alpha', 'λ'];
const VECTORS = ['x', 'y', 'z', '\\mathbf{x}', '\\mathbf{y}', 'b', 'a_1'];
const MATRICES = ['A', 'B', 'X', 'W', '\\mathbf{A}', 'S', 'W_1', 'W^{(1)}', 'W⁽¹⁾', 'W_1^{(\\ell)}'];
const TENSORS = ['T', '\\mathcal{T}'];
const DIMS = ['n', 'm', 'p', '2', '3', 'k', 'n_1'];
/** Names that are also properties of every JavaScript object: tables keyed by user text must not see them. */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'prototype', 'isPrototypeOf'];

const ELEMENTWISE = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'softplus', 'abs'];
const LATEX_ELEMENTWISE = ['\\sin', '\\cos', '\\exp', '\\log', '\\ln', '\\tanh', '\\sigma'];
const REDUCTIONS = ['sum', 'tr', 'trace', 'Tr', 'det', 'logdet', 'inv', 'norm2', 'norm1', 'diag', 'softmax', 'logsumexp'];
const LATEX_REDUCTIONS = ['\\operatorname{tr}', '\\det', '\\log\\det', '\\operatorname{diag}', '\\text{Tr}'];

export class ProgramGenerator {
  constructor(private readonly rng: Rng) {}

  private dim(): string {
    return this.rng.chance(0.02) ? this.rng.pick(PROTOTYPE_NAMES) : this.rng.pick(DIMS);
  }

  private dims(rank: number): string {
    const ds = Array.from({ length: rank }, () => this.dim());
    if (rank === 0) return '';
    if (rank === 1) return this.rng.chance(0.5) ? `^${ds[0]}` : `^{${ds[0]}}`;
    const sep = this.rng.pick(['×', ' x ', ',', '*', ' \\times ']);
    return this.rng.chance(0.8) ? `^{${ds.join(sep)}}` : `^(${ds.join(',')})`;
  }

  declaration(): string {
    const rank = this.rng.weighted<number>([[2, 0], [4, 1], [4, 2], [1, 3]]);
    const pool = rank === 0 ? SCALARS : rank === 1 ? VECTORS : rank === 2 ? MATRICES : TENSORS;
    const names = Array.from({ length: this.rng.int(1, 2) }, () => this.rng.pick(pool));
    const modifier = rank === 2 && this.rng.chance(0.2) ? ` ${this.rng.pick(['symmetric', 'spd', 'positive definite', 'diagonal', 'constant'])}` : '';
    if (this.rng.chance(0.5)) return `${names.join(', ')}: R${this.dims(rank)}${modifier}`;
    const set = this.rng.pick(['\\mathbb{R}', 'ℝ']);
    const inn = this.rng.pick([' \\in ', ' ∈ ']);
    if (this.rng.chance(0.1)) return `f: \\mathbb{R}^${this.dim()} \\rightarrow \\mathbb{R}`;
    return `${names.join(', ')}${inn}${set}${this.dims(rank).replace(/×/g, ' \\times ')}${modifier}`;
  }

  private name(): string {
    if (this.rng.chance(0.01)) return this.rng.pick(PROTOTYPE_NAMES);
    return this.rng.pick([...SCALARS, ...VECTORS, ...VECTORS, ...MATRICES, ...MATRICES, ...TENSORS, 'f', 'g', 'u', 'L', 'I', 'e', 'π']);
  }

  private atom(depth: number): string {
    return this.rng.weighted<() => string>([
      [8, () => this.name()],
      [3, () => String(this.rng.pick([0, 1, 2, 3, 0.5, 1.5, 10, 1e-3]))],
      [1, () => `${this.name()}_${this.rng.int(1, 3)}`],
      [1, () => `${this.rng.pick(MATRICES)}_{${this.rng.int(1, 3)}${this.rng.int(1, 3)}}`],
      [1, () => `${this.rng.pick(MATRICES)}[${this.rng.int(1, 3)},${this.rng.int(1, 3)}]`],
      [1, () => this.rng.pick(['eye(n)', 'ones(n)', 'ones(m, n)', 'zeros(n)', 'vector(1)', '\\mathbf{1}', 'I'])],
      [1, () => this.literal(depth)],
    ])();
  }

  private literal(depth: number): string {
    const n = this.rng.int(1, 3);
    const items = () => Array.from({ length: n }, () => this.expr(depth + 2));
    return this.rng.weighted<() => string>([
      [2, () => `[${items().join(', ')}]`],
      [1, () => `[${items().join(', ')}; ${items().join(', ')}]`],
      [1, () => `[[${items().join(', ')}], [${items().join(', ')}]]`],
      [2, () => `\\begin{${this.rng.pick(['bmatrix', 'pmatrix', 'matrix'])}} ${items().join(' & ')}${this.rng.chance(0.6) ? ` \\\\ ${items().join(' & ')}` : ''} \\end{bmatrix}`],
    ])();
  }

  expr(depth = 0): string {
    if (depth > 5 || this.rng.chance(0.25 + depth * 0.1)) return this.atom(depth);
    const e = () => this.expr(depth + 1);
    const p = (s: string) => (this.rng.chance(0.5) ? `(${s})` : `{${s}}`);
    return this.rng.weighted<() => string>([
      [4, () => `${e()} ${this.rng.pick(['+', '-'])} ${e()}`],
      [4, () => `${e()} ${this.rng.pick(['*', '', '\\cdot', '\\times', '·'])} ${e()}`],
      [2, () => `${e()} ${this.rng.pick(['.*', '⊙', '\\odot', '∘', './', '⊘', '/', ':'])} ${e()}`],
      [2, () => `${p(e())}${this.rng.pick(["'", '^T', '^\\top', '^{T}', 'ᵀ', '^{-1}', '^{-T}', '^2', '.^2', '^{\\top}', '⁻¹', '²', '^{\\circ 2}', '^{\\circ -1}', '∘²', '³ᐟ²'])}`],
      [1, () => `-${e()}`],
      [3, () => `${this.rng.pick(ELEMENTWISE)}(${e()})`],
      [2, () => `${this.rng.pick(LATEX_ELEMENTWISE)}${this.rng.chance(0.5) ? ` ${this.atom(depth)}` : `\\left(${e()}\\right)`}`],
      [3, () => `${this.rng.pick(REDUCTIONS)}(${e()})`],
      [1, () => `${this.rng.pick(LATEX_REDUCTIONS)}(${e()})`],
      [1, () => `\\frac{${e()}}{${e()}}`],
      [1, () => `\\sqrt{${e()}}`],
      [1, () => `e^{${e()}}`],
      [1, () => this.rng.pick([`\\|${e()}\\|`, `\\|${e()}\\|_2`, `\\|${e()}\\|_F`, `\\|${e()}\\|_1`, `|${e()}|`, `\\ln|${e()}|`])],
      [1, () => `${this.rng.pick(['f', 'g'])}(${e()})`],
      [2, () => p(e())],
      [1, () => this.derivative(depth + 1)],
    ])();
  }

  private wrt(): string {
    return this.rng.pick([...SCALARS, ...VECTORS, ...MATRICES, 'T', 'f', 'u', 'z']);
  }

  derivative(depth = 0): string {
    const f = this.rng.chance(0.4) ? this.rng.pick(['f', 'g', 'u', 'L']) : this.expr(depth + 1);
    const v = this.wrt();
    const w = this.wrt();
    return this.rng.pick([
      `d/d${v} ${f}`,
      `d(${f})/d${v}`,
      `df/d${v}`,
      `∂f/∂${v}`,
      `∂/∂${v} ${f}`,
      `diff(${f}, ${v})`,
      `grad(${f}, ${v})`,
      `jacobian(${f}, ${v})`,
      `hess(${f}, ${v})`,
      `diff(${f}, ${v}, ${w})`,
      `\\frac{\\partial ${f}}{\\partial ${v}}`,
      `\\frac{\\partial}{\\partial ${v}} ${f}`,
      `\\frac{d ${f}}{d${v}}`,
      `\\nabla_${v.startsWith('\\') ? `{${v}}` : v} ${f}`,
      `\\nabla^2_{${v}} ${f}`,
      `\\frac{\\partial^2 ${f}}{\\partial ${v} \\partial ${v}^T}`,
      `\\frac{\\partial^2 ${f}}{\\partial ${v}^2}`,
      `\\frac{\\partial^2 ${f}}{\\partial ${v} \\partial ${w}}`,
    ]);
  }

  statement(): string {
    return this.rng.weighted<() => string>([
      [5, () => this.declaration()],
      [4, () => `${this.rng.pick(['f', 'g', 'u', 'L', 'z', 'a', 'h'])} = ${this.expr()}`],
      [1, () => `${this.rng.pick(['f', 'g'])}(${this.rng.pick(['x', 'X', 's'])}) = ${this.expr()}`],
      [2, () => `${this.expr()} = ${this.expr()}${this.rng.chance(0.3) ? ` = ${this.expr()}` : ''}`],
      [1, () => `${this.rng.pick(['a', 'x', 'A'])}_${this.rng.chance(0.5) ? this.rng.int(1, 3) : `{${this.rng.int(1, 3)}${this.rng.int(1, 3)}}`} = ${this.expr(2)}`],
      [4, () => this.expr()],
      [5, () => this.derivative()],
      [1, () => `${this.derivative()} = ${this.expr(2)}${this.rng.chance(0.3) ? ' \\text{ if } A \\text{ is symmetric}' : ''}`],
      [1, () => `\\begin{aligned} ${this.expr()} &= ${this.expr()} \\\\ &= ${this.expr()} \\end{aligned}`],
    ])();
  }

  /** A program of a few statements, separated by newlines, `;` or `\\`. */
  program(): string {
    const n = this.rng.int(1, 8);
    const parts: string[] = [];
    // Declarations first more often than not, so that programs elaborate.
    for (let k = this.rng.int(0, 3); k > 0; k--) parts.push(this.declaration());
    for (let k = 0; k < n; k++) parts.push(this.statement());
    const sep = this.rng.weighted<string>([[6, '\n'], [2, '; '], [1, ' \\\\ '], [1, ',\n']]);
    return parts.join(sep);
  }
}

/** Random text from an alphabet of the language's own characters and commands (no grammar at all). */
export function noise(rng: Rng, length: number): string {
  const pieces = [
    'x', 'A', 'd', 'f', '1', '2', ' ', ' ', '\n', '(', ')', '[', ']', '{', '}', '|', '^', '_', "'", '+', '-', '*', '/', '=', ':', ',', ';', '&',
    '\\\\', '.*', '.^', 'R', 'ℝ', '∈', '∂', '∇', 'ᵀ', '⊙', '\\frac', '\\partial', '\\mathbf', '\\begin{bmatrix}', '\\end{bmatrix}', '\\left(',
    '\\right)', '\\sum', '\\text{ if }', 'sin', 'tr', 'd/dx', 'hess', '$', '```', '\\in', '\\mathbb{R}', '^{n \\times n}', 'e^', '\\|',
    '^{\\circ', '∘', 'ᐟ', '\\mathbf{e}_', 'e_1',
  ];
  let out = '';
  while (out.length < length) out += rng.pick(pieces);
  return out;
}
