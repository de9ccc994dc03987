// Prints typed terms (expressions as the user wrote them, after elaboration) as
// LaTeX or Unicode: used to show a request's derivand and definitions.
//
// Invariant: precedence-correct parenthesisation; names print without their
// declaration version (x@2 is x).

import type { Term } from '../shape/term';
import { formatNumber, latexElement, nameOf, type Style } from './render';

// `:` (Frobenius) binds looser than products and tighter than sums, as in the parser.
const PREC = { add: 1, frob: 2, mul: 3, unary: 4, postfix: 5, atom: 6 } as const;

const LATEX_FN: Record<string, string> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', exp: '\\exp', log: '\\log', tanh: '\\tanh', sigmoid: '\\sigma',
  det: '\\det', logdet: '\\log\\det', tr: '\\operatorname{tr}', sum: '\\operatorname{sum}',
};

export function printTerm(t: Term, style: Style): string {
  return p(t, style).text;
}

function p(t: Term, style: Style): { text: string; prec: number } {
  const L = style === 'latex';
  const wrap = (x: { text: string; prec: number }, min: number) => (x.prec < min ? (L ? `\\left(${x.text}\\right)` : `(${x.text})`) : x.text);
  const a = t.args;
  const T = L ? '^\\top' : 'ᵀ';
  switch (t.op) {
    case 'var':
    case 'ref':
    case 'opaque':
      // Names print as in matrix notation (W⁽¹⁾, {W^{(1)}}), so that they read back.
      return { text: nameOf(t.name!, style), prec: PREC.atom };
    case 'const': {
      if (t.value === Math.E) return { text: 'e', prec: PREC.atom };
      if (t.value === Math.PI) return { text: L ? '\\pi' : 'π', prec: PREC.atom };
      // A fraction (3/2) is a quotient: (3/2)^2, not 3/2^2.
      const text = formatNumber(Math.abs(t.value!));
      if (t.value! < 0) return { text: `-${text}`, prec: PREC.unary };
      return { text, prec: text.includes('/') ? PREC.mul : PREC.atom };
    }
    case 'fill':
      return { text: t.value === 1 ? (L ? '\\mathbf{1}' : '𝟙') : t.value === 0 ? (L ? '\\mathbf{0}' : '𝟎') : `${formatNumber(t.value!)}${L ? '\\mathbf{1}' : '𝟙'}`, prec: PREC.atom };
    case 'eye':
      return { text: 'I', prec: PREC.atom };
    case 'unit':
      return { text: L ? `\\mathbf{e}_{${t.index![0]! + 1}}` : `e_${t.index![0]! + 1}`, prec: PREC.atom };
    case 'elem': {
      const base = a[0]!;
      const pos = t.index!.map((i) => i + 1);
      const b = wrap(p(base, style), PREC.atom);
      return { text: L ? latexElement(b, pos) : `${b}[${pos.join(',')}]`, prec: PREC.atom };
    }
    case 'array': {
      const items = a.map((x) => p(x, style).text);
      if (L) {
        const sep = t.shape.row ? ' & ' : ' \\\\ ';
        return { text: `\\begin{bmatrix} ${items.join(sep)} \\end{bmatrix}`, prec: PREC.atom };
      }
      return { text: `[${items.join(', ')}]`, prec: PREC.atom };
    }
    case 'neg': {
      // `-xᵀ A` is a product at the top: as the right operand of ⊙ it must keep its parentheses.
      const operand = p(a[0]!, style);
      return { text: `-${wrap(operand, PREC.mul)}`, prec: operand.prec >= PREC.unary ? PREC.unary : PREC.mul };
    }
    case 'add':
    case 'sub': {
      const right = p(a[1]!, style);
      const rhs = t.op === 'sub' ? wrap(right, PREC.mul) : right.text;
      return { text: `${p(a[0]!, style).text} ${t.op === 'add' ? '+' : '-'} ${rhs}`, prec: PREC.add };
    }
    case 'hadamard':
      return { text: `${wrap(p(a[0]!, style), PREC.mul + 1)} ${L ? '\\odot' : '⊙'} ${wrap(p(a[1]!, style), PREC.mul + 1)}`, prec: PREC.mul };
    case 'hdiv': {
      if (L) return { text: `\\frac{${p(a[0]!, style).text}}{${p(a[1]!, style).text}}`, prec: PREC.atom };
      const scalarDen = a[1]!.shape.dims.length === 0 || a[0]!.shape.dims.length === 0;
      return { text: `${wrap(p(a[0]!, style), PREC.mul)} ${scalarDen ? '/' : '⊘'} ${wrap(p(a[1]!, style), PREC.mul + 1)}`, prec: PREC.mul };
    }
    case 'hpow':
      return { text: L ? `${wrap(p(a[0]!, style), PREC.atom)}^{\\circ ${p(a[1]!, style).text}}` : `${wrap(p(a[0]!, style), PREC.atom)}.^${wrap(p(a[1]!, style), PREC.atom)}`, prec: PREC.postfix };
    case 'scale':
    case 'matmul':
      // Juxtaposition: a negated right factor needs parentheses (`A (-B)`; `A -B` reads as a difference).
      return { text: `${wrap(p(a[0]!, style), PREC.mul)} ${wrap(p(a[1]!, style), PREC.unary + 1)}`, prec: PREC.mul };
    case 'frob':
      return { text: `${wrap(p(a[0]!, style), PREC.frob + 1)} : ${wrap(p(a[1]!, style), PREC.frob + 1)}`, prec: PREC.frob };
    case 'pow':
      return { text: L ? `${wrap(p(a[0]!, style), PREC.atom)}^{${p(a[1]!, style).text}}` : `${wrap(p(a[0]!, style), PREC.atom)}^${wrap(p(a[1]!, style), PREC.atom)}`, prec: PREC.postfix };
    case 'matpow':
      return { text: L ? `${wrap(p(a[0]!, style), PREC.atom)}^{${t.value}}` : `${wrap(p(a[0]!, style), PREC.atom)}^${t.value}`, prec: PREC.postfix };
    case 'inv':
      return { text: `${wrap(p(a[0]!, style), PREC.atom)}${L ? '^{-1}' : '⁻¹'}`, prec: PREC.postfix };
    case 'transpose':
      return { text: `${wrap(p(a[0]!, style), PREC.atom)}${T}`, prec: PREC.postfix };
    case 'call': {
      const fn = t.fn!;
      const arg = p(a[0]!, style).text;
      if (fn === 'norm2') return { text: L ? `\\left\\lVert ${arg} \\right\\rVert` : `‖${arg}‖`, prec: PREC.atom };
      if (fn === 'norm1') return { text: L ? `\\left\\lVert ${arg} \\right\\rVert_1` : `‖${arg}‖₁`, prec: PREC.atom };
      if (fn === 'abs') return { text: L ? `\\left|${arg}\\right|` : `|${arg}|`, prec: PREC.atom };
      if (fn === 'sqrt') return { text: L ? `\\sqrt{${arg}}` : `√(${arg})`, prec: PREC.atom };
      const head = L ? LATEX_FN[fn] ?? `\\operatorname{${fn}}` : fn === 'sigmoid' ? 'σ' : fn;
      // `\log\det(X)^{2}` reads as log(det(X)²): a power of logdet needs parentheses.
      return { text: L ? `${head}\\left(${arg}\\right)` : `${head}(${arg})`, prec: L && fn === 'logdet' ? PREC.mul : PREC.atom };
    }
    case 'deriv': {
      const of = p(a[0]!, style);
      const wrt = t.wrt!.map((w) => nameOf(w, style));
      if (L) {
        const den = t.order === 2 ? (wrt[0] === wrt[1] ? `\\partial ${wrt[0]}^2` : `\\partial ${wrt[0]} \\partial ${wrt[1]}`) : `\\partial ${wrt[0]}`;
        const num = t.order === 2 ? '\\partial^2' : '\\partial';
        return { text: `\\frac{${num}}{${den}} ${wrap(of, PREC.atom)}`, prec: PREC.mul };
      }
      return { text: `∂${t.order === 2 ? '²' : ''}${wrap(of, PREC.atom)}/∂${wrt.join('∂')}`, prec: PREC.mul };
    }
  }
}
