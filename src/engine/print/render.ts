// Printers: matrix expressions and index notation, each as LaTeX (for KaTeX in
// the panel) and as plain Unicode (for hovers and terminals).
//
// Invariants: output is deterministic (golden tests pin it); parenthesisation
// follows precedence (sum < product < power/transpose < atom), so the printed
// form reads back to the same value; index letters never collide with the
// names of tensors in the expression. Printing is memoised per node (inputs
// are DAGs); named sub-expressions print as their names (t₁, t_{1}), and
// their definitions are printed separately (derive/present.ts).

import { childrenOf, summedIndices, type Index, type Node } from '../ir/ir';
import { orientation, type MExpr } from './matrix-expr';
import { LABEL_SUPERSCRIPTS } from '../syntax/tokens';

export type Style = 'latex' | 'unicode';

const PREC = { add: 1, mul: 2, unary: 3, atom: 4 } as const;

/** Strips a declaration version (`x@2` is shown as `x`). */
export function displayName(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/** The superscript character of each character a raised label ⁽…⁾ can hold (the lexer's table, inverted). */
const LABEL_CHARS: ReadonlyMap<string, string> = new Map(Object.entries(LABEL_SUPERSCRIPTS).map(([sup, plain]) => [plain, sup]));

/**
 * A name in Unicode, spelled so that it reads back as the same name. A layer
 * label is raised, W^(1) prints as W⁽¹⁾, when Unicode has a superscript for each
 * of its characters; otherwise it keeps the language's spelling W^{(…)} (W^(1)
 * would read as a power). A subscript of several characters keeps its braces:
 * W_in would read as W_i n (one character after _, as in LaTeX).
 */
function unicodeName(name: string): string {
  const m = /^([^_^]+)(?:_([^^]+))?(\^.*)?$/.exec(name);
  if (!m) return name;
  const [, base, sub, sup] = m;
  const out = base! + (sub === undefined ? '' : [...sub].length === 1 || /^\d+$/.test(sub) ? `_${sub}` : `_{${sub}}`);
  const label = sup === undefined ? null : /^\^\((.*)\)$/.exec(sup);
  if (!label) return out + (sup ?? '');
  const chars = [...label[1]!];
  if (chars.length > 0 && chars.every((c) => LABEL_CHARS.has(c))) return `${out}⁽${chars.map((c) => LABEL_CHARS.get(c)).join('')}⁾`;
  return `${out}^{(${label[1]})}`;
}

/** A name as printed in `style`: the spelling reads back as the same name. */
export function nameOf(id: string, style: Style): string {
  // A pure function of its arguments, asked for every occurrence of every name in every printed form:
  // memoised (a few names per document; the table is emptied if a session somehow fills it).
  const memo = style === 'unicode' ? UNICODE_NAMES : LATEX_NAMES;
  let printed = memo.get(id);
  if (printed === undefined) {
    if (memo.size >= MAX_MEMOISED_NAMES) memo.clear();
    printed = style === 'unicode' ? unicodeName(displayName(id)) : latexName(displayName(id));
    memo.set(id, printed);
  }
  return printed;
}

const MAX_MEMOISED_NAMES = 10_000;
const UNICODE_NAMES = new Map<string, string>();
const LATEX_NAMES = new Map<string, string>();

/** Greek letters (and ℓ) as LaTeX commands. */
const GREEK: Readonly<Record<string, string>> = {
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\epsilon', ζ: '\\zeta', η: '\\eta', θ: '\\theta',
  λ: '\\lambda', μ: '\\mu', ν: '\\nu', ξ: '\\xi', π: '\\pi', ρ: '\\rho', σ: '\\sigma', τ: '\\tau', φ: '\\phi',
  χ: '\\chi', ψ: '\\psi', ω: '\\omega', Γ: '\\Gamma', Δ: '\\Delta', Θ: '\\Theta', Λ: '\\Lambda', Σ: '\\Sigma',
  Φ: '\\Phi', Ψ: '\\Psi', Ω: '\\Omega', ℓ: '\\ell',
};

/** A name in LaTeX: Greek letters and decorated names back to LaTeX. */
function latexName(name: string): string {
  let out = '';
  for (const ch of name) out += GREEK[ch] ?? ch;
  // A layer superscript is part of the name: W^(1) prints as {W^{(1)}} (W_1^(2) as
  // {W_{1}^{(2)}}), so a following ^\top or subscript applies to the whole name.
  const sup = /^([^_^]+)(?:_([^^]+))?\^(\(.*\)|\{.*\}|\\[A-Za-z]+|.)$/.exec(out);
  if (sup) return `{${sup[1]}${sup[2] === undefined ? '' : `_{${sup[2]}}`}^{${sup[3]!.replace(/^\{|\}$/g, '')}}}`;
  const m = /^([^_^]+)_(.+)$/.exec(out);
  if (m) return `${m[1]}_{${m[2]}}`;
  return out;
}

/**
 * An element in LaTeX: `X_{12}`, `X_{1,12}` (commas once a position has two
 * digits), and `{W_{in}}_{21}` or `{W^{(1)}}_{12}` for a name that already
 * has a subscript or superscript (`W_{in}_{21}` is a double subscript, which
 * LaTeX rejects).
 */
export function latexElement(base: string, positions: readonly number[]): string {
  const decorated = /[_^]/.test(base) && !isOneGroup(base);
  return `${decorated ? `{${base}}` : base}_{${positions.join(positions.some((x) => x > 9) ? ',' : '')}}`;
}

/** Whether `latex` is one brace group `{…}` (its first brace closes at the end). */
function isOneGroup(latex: string): boolean {
  if (!latex.startsWith('{')) return false;
  let depth = 0;
  for (let k = 0; k < latex.length; k++) {
    if (latex[k] === '\\') k++;
    else if (latex[k] === '{') depth++;
    else if (latex[k] === '}' && --depth === 0) return k === latex.length - 1;
  }
  return false;
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  for (const d of [2, 3, 4, 5, 6, 8, 10, 12]) {
    const n = v * d;
    if (Math.abs(n - Math.round(n)) < 1e-12) return `${Math.round(n)}/${d}`;
  }
  return String(Number(v.toPrecision(6)));
}

const FN_LATEX: Record<string, string> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', exp: '\\exp', log: '\\log', tanh: '\\tanh', sigmoid: '\\sigma',
  relu: '\\operatorname{relu}', softplus: '\\operatorname{softplus}', abs: '\\operatorname{abs}',
  sign: '\\operatorname{sign}', step: '\\operatorname{step}', sqrt: '\\operatorname{sqrt}',
};
const FN_UNICODE: Record<string, string> = { sigmoid: 'σ' };

function fnName(fn: string, style: Style): string {
  return style === 'latex' ? FN_LATEX[fn] ?? `\\operatorname{${fn}}` : FN_UNICODE[fn] ?? fn;
}

// ── matrix notation ───────────────────────────────────────────────────────

export interface MatrixPrintOptions {
  readonly style: Style;
  /** Names of symmetric variables: their transposes print as the name. */
  readonly symmetric?: ReadonlySet<string>;
}

interface Printed {
  readonly text: string;
  readonly prec: number;
}

export function printMatrix(e: MExpr, options: MatrixPrintOptions): string {
  // One memo per call: the same sub-expression prints the same way everywhere.
  const memo = new Map<MExpr, Printed>();
  const o: MatrixPrintOptions & { memo: Map<MExpr, Printed> } = { ...options, memo };
  return pm(e, o).text;
}

function pm(e: MExpr, o: MatrixPrintOptions & { memo: Map<MExpr, Printed> }): Printed {
  // Leaves are printed directly: cheaper than a lookup, and they are most of a small result.
  if (e.t === 'var' || e.t === 'ref' || e.t === 'num' || e.t === 'eye' || e.t === 'ones' || e.t === 'unit' || e.t === 'elem') return pmOf(e, o);
  let hit = o.memo.get(e);
  if (!hit) o.memo.set(e, (hit = pmOf(e, o)));
  return hit;
}

function pmOf(e: MExpr, o: MatrixPrintOptions & { memo: Map<MExpr, Printed> }): Printed {
  const L = o.style === 'latex';
  switch (e.t) {
    case 'var':
      return { text: L && e.o !== 'scalar' && e.o !== 'matrix' ? `\\mathbf{${nameOf(e.name, o.style)}}` : nameOf(e.name, o.style), prec: PREC.atom };
    case 'ref':
      return { text: L ? e.latex : e.name, prec: PREC.atom };
    case 'elem':
      return { text: L ? latexElement(nameOf(e.name, o.style), e.pos.map((p) => p + 1)) : `${nameOf(e.name, o.style)}[${e.pos.map((p) => p + 1).join(',')}]`, prec: PREC.atom };
    case 'num':
      return e.value < 0 ? { text: `-${formatNumber(-e.value)}`, prec: PREC.unary } : { text: L && !Number.isInteger(e.value) ? latexFraction(e.value) : formatNumber(e.value), prec: PREC.atom };
    case 'eye':
      return { text: 'I', prec: PREC.atom };
    case 'ones':
      return { text: L ? (e.o === 'row' ? '\\mathbf{1}^\\top' : '\\mathbf{1}') : e.o === 'row' ? '𝟙ᵀ' : '𝟙', prec: PREC.atom };
    case 'unit':
      return { text: `${L ? `\\mathbf{e}_{${e.at + 1}}` : `e${subscript(String(e.at + 1))}`}${e.o === 'row' ? (L ? '^\\top' : 'ᵀ') : ''}`, prec: PREC.atom };
    case 'T': {
      if (e.e.t === 'var' && o.symmetric?.has(e.e.name)) return pm(e.e, o);
      if (e.e.t === 'var' || e.e.t === 'ref' || e.e.t === 'fn' || e.e.t === 'softmax' || e.e.t === 'diag') {
        return { text: `${pm(e.e, o).text}${L ? '^\\top' : 'ᵀ'}`, prec: PREC.unary };
      }
      if (e.e.t === 'inv') return { text: L ? `${parenthesised(L, pm(e.e.e, o), PREC.atom)}^{-\\top}` : `${parenthesised(L, pm(e.e.e, o), PREC.atom)}⁻ᵀ`, prec: PREC.unary };
      const inner = pm(e.e, o);
      return { text: `${parenthesised(L, inner, PREC.atom)}${L ? '^\\top' : 'ᵀ'}`, prec: PREC.unary };
    }
    case 'mm': {
      const a = parenthesised(L, pm(e.a, o), PREC.mul);
      const bp = pm(e.b, o);
      // A negative right factor would read as a subtraction: parenthesise it. A
      // product on the right prints without parentheses (A (B C) is A B C: the
      // matrix product is associative, and the Matrix Cookbook writes it so);
      // anything else of product precedence (a scaled factor) keeps them.
      const b = bp.text.startsWith('-') ? (L ? `\\left(${bp.text}\\right)` : `(${bp.text})`) : parenthesised(L, bp, e.b.t === 'mm' ? PREC.mul : PREC.mul + 0.5);
      return { text: `${a} ${b}`, prec: PREC.mul };
    }
    case 'had': {
      const a = parenthesised(L, pm(e.a, o), PREC.mul + 0.5);
      const b = parenthesised(L, pm(e.b, o), PREC.mul + 0.5);
      // Just below a product, so `(a ⊙ b) xᵀ` keeps its parentheses.
      return { text: `${a} ${L ? '\\odot' : '⊙'} ${b}`, prec: PREC.mul - 0.5 };
    }
    case 'scale': {
      const c = pm(e.c, o);
      const ip = pm(e.e, o);
      const inner = ip.text.startsWith('-') && !(e.c.t === 'num') ? (L ? `\\left(${ip.text}\\right)` : `(${ip.text})`) : parenthesised(L, ip, PREC.mul);
      if (e.c.t === 'num' && e.c.value === -1) return { text: `-${parenthesised(L, pm(e.e, o), PREC.mul)}`, prec: PREC.unary };
      if (e.c.t === 'pow' && e.c.p === -1 && orientation(e.c.e) === 'scalar') {
        // x ‖x‖⁻¹ reads as x / ‖x‖.
        const den = pm(e.c.e, o);
        if (L) return { text: `\\frac{${pm(e.e, o).text}}{${den.text}}`, prec: PREC.atom };
        return { text: `${parenthesised(L, pm(e.e, o), PREC.mul)} / ${parenthesised(L, den, PREC.atom)}`, prec: PREC.mul };
      }
      if (e.c.t === 'num' && e.c.value < 0) return { text: `-${formatNumber(-e.c.value)}${L ? ' ' : ' '}${inner}`, prec: PREC.unary };
      return { text: `${parenthesised(L, c, PREC.mul)} ${inner}`, prec: PREC.mul };
    }
    case 'add': {
      let text = '';
      e.terms.forEach((t, k) => {
        const s = pm(t, o);
        const body = s.prec < PREC.add ? `(${s.text})` : s.text;
        if (k === 0) text = body;
        else if (body.startsWith('-')) text += ` - ${body.slice(1)}`;
        else text += ` + ${body}`;
      });
      return { text, prec: PREC.add };
    }
    case 'fn': {
      const arg = pm(e.e, o);
      return { text: `${fnName(e.fn, o.style)}${L ? '\\left(' : '('}${arg.text}${L ? '\\right)' : ')'}`, prec: PREC.atom };
    }
    case 'pow': {
      const base = parenthesised(L, pm(e.e, o), PREC.atom);
      const scalar = orientation(e.e) === 'scalar';
      const p = formatNumber(e.p);
      if (L) return { text: `${base}^{${scalar ? '' : '\\circ '}${p}}`, prec: PREC.unary };
      return { text: `${base}${scalar ? '' : '∘'}${superscript(p)}`, prec: PREC.unary };
    }
    case 'inv':
      return { text: `${parenthesised(L, pm(e.e, o), PREC.atom)}${L ? '^{-1}' : '⁻¹'}`, prec: PREC.unary };
    case 'diag':
      return { text: `${L ? '\\operatorname{diag}' : 'diag'}(${pm(e.e, o).text})`, prec: PREC.atom };
    case 'softmax':
      return { text: `${L ? '\\operatorname{softmax}' : 'softmax'}(${pm(e.e, o).text})`, prec: PREC.atom };
    case 'scalarfn': {
      const arg = pm(e.e, o).text;
      switch (e.fn) {
        case 'det':
          return { text: L ? `\\det\\left(${arg}\\right)` : `det(${arg})`, prec: PREC.atom };
        case 'logdet':
          // "log det(X)" is not an atom: (log det(X))² needs its parentheses.
          return { text: L ? `\\log\\det\\left(${arg}\\right)` : `log det(${arg})`, prec: PREC.mul };
        case 'norm2':
          // Nested norms print as written, ‖2 ‖y‖ x‖: the parser tells an opening bar
          // (after a space, glued to what follows) from a closing one, and LaTeX says
          // which is which with \left and \right.
          return { text: L ? `\\left\\lVert ${arg} \\right\\rVert` : `‖${arg}‖`, prec: PREC.atom };
        case 'norm1':
          return { text: L ? `\\left\\lVert ${arg} \\right\\rVert_1` : `‖${arg}‖₁`, prec: PREC.atom };
        default:
          return { text: `${L ? '\\operatorname{logsumexp}' : 'logsumexp'}(${arg})`, prec: PREC.atom };
      }
    }
  }
}

/** `x`'s text, in parentheses when its precedence is below `min` (a function, not a closure per printed node). */
function parenthesised(L: boolean, x: Printed, min: number): string {
  return x.prec < min ? (L ? `\\left(${x.text}\\right)` : `(${x.text})`) : x.text;
}

function latexFraction(v: number): string {
  const f = formatNumber(v);
  const m = /^(\d+)\/(\d+)$/.exec(f);
  return m ? `\\frac{${m[1]}}{${m[2]}}` : f;
}

const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '/': 'ᐟ', '.': '·' };
const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉' };

function superscript(s: string): string {
  return [...s].map((c) => SUP[c] ?? c).join('');
}

export function subscript(s: string): string {
  return [...s].map((c) => SUB[c] ?? c).join('');
}

// ── index notation ────────────────────────────────────────────────────────

// Letters with Unicode subscript forms come first, so plain-text output stays compact.
const FREE_LETTERS = ['i', 'j', 'k', 'l', 'p', 'r', 's', 't'];
const BOUND_LETTERS = ['a', 'u', 'v', 'h', 'o', 'm', 'n', 'x', 'e', 'b', 'c', 'd', 'g', 'w'];

/** Display names of the tensors in `root` (each shared node visited once). */
export function tensorNames(root: Node): Set<string> {
  const out = new Set<string>();
  const seen = new Set<Node>();
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.k === 'tensor') out.add(displayName(n.name));
    else childrenOf(n).forEach(visit);
  };
  visit(root);
  return out;
}

/** Named sub-expressions for index notation: each node's name and the order of its indices. */
export interface IndexRefs {
  readonly names: ReadonlyMap<Node, { readonly name: string; readonly latex: string; readonly axes: readonly Index[] }>;
  /** Names that index letters must avoid: the names' base letter and every tensor name of the whole result. */
  readonly reserved: ReadonlySet<string>;
}

/**
 * Index notation of `node` with result axes `axes` named i, j, k, … in order.
 * Sums are explicit (Σ), so the text is unambiguous without a convention.
 */
/** `_{ij}`, or `_{i,64}` when an index has more than one character (X₆₄,₆₄ would be ambiguous). */
function latexSubscript(parts: readonly string[]): string {
  return parts.length === 0 ? '' : `_{${parts.join(parts.some((x) => x.length > 1) ? ',' : '')}}`;
}

/**
 * How index notation writes entry `indices` of a named sub-expression: t₁[a,b],
 * LaTeX [t_{1}]_{ab}. The name ends in a subscript, so its indices are
 * bracketed, as in X[i,64] (typeset, `{t_{1}}_{a}` reads as t with subscript "1a").
 */
export function namedEntry(name: { readonly name: string; readonly latex: string }, indices: readonly string[], style: Style): string {
  if (indices.length === 0) return style === 'latex' ? name.latex : name.name;
  return style === 'latex' ? `[${name.latex}]${latexSubscript(indices)}` : `${name.name}[${indices.join(',')}]`;
}

export function printIndex(node: Node, axes: readonly Index[], style: Style, refs?: IndexRefs): { lhsIndices: string[]; text: string } {
  // With names, `reserved` holds every tensor name of the whole result (so every line avoids the same letters).
  const used = refs ? refs.reserved : tensorNames(node);
  const free = FREE_LETTERS.filter((l) => !used.has(l));
  const bound = [...BOUND_LETTERS, ...FREE_LETTERS].filter((l) => !used.has(l) && !free.slice(0, axes.length).includes(l));
  const names = new Map<Index, string>();
  axes.forEach((a, k) => names.set(a, free[k] ?? `i${k + 1}`));
  let next = 0;
  const boundName = (i: Index): string => {
    let n = names.get(i);
    if (!n) {
      n = bound[next] ?? `a${next}`;
      next++;
      names.set(i, n);
    }
    return n;
  };
  const L = style === 'latex';
  const sub = (parts: string[]): string => {
    if (parts.length === 0) return '';
    if (L) return latexSubscript(parts);
    // Multi-character indices (X₆₄,₆₄ would be ambiguous) are separated by commas.
    if (parts.some((x) => x.length > 1)) return `[${parts.join(',')}]`;
    // Single characters: subscript letters when every one has one.
    let out = '';
    for (const c of parts) {
      const s = SUBSCRIPT_LETTERS[c];
      if (s === undefined) return `[${parts.join(',')}]`;
      out += s;
    }
    return out;
  };
  const idx = (i: Index | number): string => (typeof i === 'number' ? String(i + 1) : boundName(i));

  // Memoised per node: index letters are fixed per index name, so a shared node prints the same everywhere.
  const memo = new Map<Node, Printed>();
  const p = (n: Node): Printed => {
    if (n.k === 'tensor' || n.k === 'const' || n.k === 'delta' || n.k === 'onehot') return pOf(n);
    let hit = memo.get(n);
    if (!hit) memo.set(n, (hit = pOf(n)));
    return hit;
  };
  const pOf = (n: Node): Printed => {
    const ref = n === node ? undefined : refs?.names.get(n);
    if (ref) {
      return { text: namedEntry(ref, ref.axes.map(idx), style), prec: PREC.atom };
    }
    switch (n.k) {
      case 'const':
        return n.value < 0 ? { text: `-${formatNumber(-n.value)}`, prec: PREC.unary } : { text: formatNumber(n.value), prec: PREC.atom };
      case 'tensor': {
        const base = nameOf(n.name, style);
        // W_1 indexed by ja is {W_{1}}_{ja} in LaTeX (a double subscript is an error).
        const safe = L && n.idx.length > 0 && /_/.test(base) && !base.startsWith('{') ? `{${base}}` : base;
        return { text: `${safe}${sub(n.idx.map(idx))}`, prec: PREC.atom };
      }
      case 'delta':
        return { text: `${L ? '\\delta' : 'δ'}${sub([idx(n.a), idx(n.b)])}`, prec: PREC.atom };
      case 'onehot':
        return { text: `${L ? '\\delta' : 'δ'}${sub([idx(n.i), String(n.at + 1)])}`, prec: PREC.atom };
      case 'fn':
        return { text: `${fnName(n.fn, style)}${L ? '\\left(' : '('}${p(n.arg).text}${L ? '\\right)' : ')'}`, prec: PREC.atom };
      case 'pow': {
        const base = p(n.base);
        const b = base.prec < PREC.atom ? `(${base.text})` : base.text;
        return { text: L ? `${b}^{${formatNumber(n.exp)}}` : `${b}${superscript(formatNumber(n.exp))}`, prec: PREC.unary };
      }
      case 'matfn': {
        const out = sub(n.idx.map(idx));
        // A plain variable as the argument prints as its name: det(X), (X⁻¹)ᵢⱼ, softmax(z)ᵢ.
        const plain = n.arg.k === 'tensor' && n.arg.idx.length === n.argIdx.length && n.arg.idx.every((x, k) => x === n.argIdx[k]);
        let of: string;
        if (plain) of = `(${nameOf((n.arg as { name: string }).name, style)})`;
        else {
          const argNames = n.argIdx.map(boundName);
          of = `[${p(n.arg).text}]${argNames.length ? sub(argNames) : ''}`;
        }
        switch (n.fn) {
          case 'inv':
            return { text: `(${plain ? of.slice(1, -1) : of}${L ? '^{-1}' : '⁻¹'})${out}`, prec: PREC.atom };
          case 'det':
            return { text: `${L ? '\\det' : 'det'}${of}`, prec: PREC.atom };
          case 'logdet':
            return { text: `${L ? '\\log\\det' : 'log det'}${of}`, prec: PREC.atom };
          case 'softmax':
            return { text: `softmax${of}${out}`, prec: PREC.atom };
          case 'logsumexp':
            return { text: `logsumexp${of}`, prec: PREC.atom };
          case 'norm2':
            return { text: L ? `\\lVert ${plain ? of.slice(1, -1) : of} \\rVert` : `‖${plain ? of.slice(1, -1) : of}‖`, prec: PREC.atom };
          case 'norm1':
            return { text: L ? `\\lVert ${plain ? of.slice(1, -1) : of} \\rVert_1` : `‖${plain ? of.slice(1, -1) : of}‖₁`, prec: PREC.atom };
        }
        break;
      }
      case 'add': {
        let text = '';
        n.terms.forEach((t, k) => {
          const s = p(t);
          const body = s.text;
          if (k === 0) text = body;
          else if (body.startsWith('-')) text += ` - ${body.slice(1)}`;
          else text += ` + ${body}`;
        });
        return { text, prec: PREC.add };
      }
      case 'mul': {
        const summed = summedIndices(n).map(boundName);
        const parts = n.factors.map((f) => {
          const s = p(f);
          return s.prec <= PREC.add ? (L ? `\\left(${s.text}\\right)` : `(${s.text})`) : s.text;
        });
        let body = parts.join(L ? ' ' : ' ');
        if (parts.length > 1 && parts[0] === '-1') body = `-${parts.slice(1).join(' ')}`;
        if (summed.length === 0) return { text: body, prec: body.startsWith('-') ? PREC.unary : PREC.mul };
        const sigma = L ? `\\sum_{${summed.join('')}}` : `Σ${sub(summed)}`;
        return { text: `${sigma} ${body}`, prec: PREC.add };
      }
    }
    return { text: '?', prec: PREC.atom };
  };
  const lhsIndices = axes.map((a) => names.get(a)!);
  return { lhsIndices, text: p(node).text };
}

const SUBSCRIPT_LETTERS: Record<string, string> = {
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ',
  t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇',
  '8': '₈', '9': '₉',
};
