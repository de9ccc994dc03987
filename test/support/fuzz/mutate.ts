// Mutations of real text: character insertions, deletions and swaps, bracket
// damage, random LaTeX commands (known and unknown), unterminated
// environments, huge and malformed numbers, deep nesting, long operator
// chains, unicode (math alphanumerics, super/subscripts, combining marks,
// emoji, lone surrogates, bidi and zero-width characters), line and fence
// damage, and splices of two texts. Each mutator is total: any string in,
// a string out.

import type { Rng } from './rng';

/** Characters the language gives meaning to, and some it does not. */
const ASCII_SPECIAL = [...'()[]{}|\\^_\'",.;:=+-*/&$%#@!?~`<>\n\t \r'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const DIGITS = [...'0123456789'];
const UNICODE = [
  'ℝ', '∈', '×', '⊙', '⊘', '⊗', '∘', '·', 'ᵀ', '⊤', '‖', '∂', '∇', '∑', '∏', '∫', '√', '…', '→', '−', '⁻', '¹', '²', '³',
  'ⁿ', 'ᵐ', '₁', '₂', '₀', 'α', 'β', 'σ', 'ℓ', 'π', 'Σ', 'Δ', '𝐱', '𝐀', '𝒯', '𝟙', '⟨', '⟩', '∥', '≤', '≠', '≈',
  '\u0302', '\u0304', '\u0308', // combining marks
  '\u200b', '\u200d', '\u2060', '\ufeff', // zero-width, BOM
  '\u202e', '\u200f', // bidi overrides
  '\ud835', '\udc31', '\ud800', '\udfff', // lone surrogates
  '😀', '🧮', 'ｘ', '（', '）', // emoji, full-width
  '\u0000', '\u0007', '\u00a0', '\u2028', '\u2029', '\u0085', // control, nbsp, line/paragraph separators
];

export const KNOWN_COMMANDS = [
  'frac', 'dfrac', 'partial', 'nabla', 'mathbf', 'boldsymbol', 'bm', 'vec', 'mathcal', 'hat', 'bar', 'tilde', 'mathbb',
  'in', 'times', 'cdot', 'odot', 'circ', 'oslash', 'otimes', 'top', 'intercal', 'sqrt', 'sum', 'prod', 'int', 'lim',
  'left', 'right', 'big', 'Bigg', 'middle', 'quad', ',', ';', '!', ' ', 'text', 'operatorname', 'mathrm', 'label',
  'tag', 'color', 'boxed', 'underbrace', 'overbrace', 'cancel', 'sin', 'cos', 'exp', 'log', 'ln', 'det', 'tr', 'Tr',
  'alpha', 'sigma', 'ell', 'lambda', 'Sigma', '|', 'Vert', 'lVert', 'rVert', 'vert', '{', '}', 'lbrace', 'ldots',
  'cdots', 'to', 'rightarrow', 'mapsto', 'langle', 'rangle', 'displaystyle', 'begin', 'end', 'over', 'choose',
  'newcommand', 'def', 'hline', '\\', 'T', 'R',
];
const UNKNOWN_COMMANDS = ['constructor', 'hasOwnProperty', 'toString', '__proto__', 'foo', 'xyz', 'mathbbm', 'tensor', 'undefinedcommand', 'a', 'Z', '@', '1', 'é', '∂'];
export const ENVIRONMENTS = ['bmatrix', 'pmatrix', 'matrix', 'vmatrix', 'Bmatrix', 'aligned', 'align', 'align*', 'equation', 'cases', 'array', 'split', 'gather', 'foo', ''];

const OPEN_CLOSE: readonly (readonly [string, string])[] = [
  ['(', ')'], ['[', ']'], ['{', '}'], ['|', '|'], ['\\|', '\\|'], ['\\left(', '\\right)'], ['\\{', '\\}'],
  ['\\sqrt{', '}'], ['sin(', ')'], ['\\frac{', '}{2}'], ['\\mathbf{', '}'], ['exp(', ')'], ['tr(', ')'],
  ['\\begin{bmatrix}', '\\end{bmatrix}'], ['\\begin{aligned}', '\\end{aligned}'], ['d/dx (', ')'], ['-', ''], ["", "'"],
  ['\\text{', '}'], ['$', '$'], ['$$', '$$'], ['\\(', '\\)'], ['\\[', '\\]'], ['‖', '‖'],
];

const NUMBERS = [
  '9'.repeat(400), '1e999', '1e-400', '-0', '0', '00', '0.', '.5', '1.2.3', '1e', '1e+', '0x1F', '1_000', 'NaN', 'Infinity',
  '123456789012345678901234567890', '4294967296', '9007199254740993', '2^{1024}', '10^{400}', '1/0', '0/0',
  '3.14159265358979323846264338327950288', '1' + '0'.repeat(30), '²⁰⁰⁰', '⁻⁹⁹⁹⁹⁹⁹⁹⁹⁹⁹', '₉₉₉₉₉₉₉₉₉₉',
  'R^{99999999999}', 'R^{0}', 'R^{-3}', 'R^{1.5}', 'R^{1e3}', 'R^{100000 x 100000}', 'X_{99999}', 'x[0]', 'x[-1]', 'x[1e9]',
  'eye(0)', 'eye(99999)', 'ones(1e9)', 'A^{99999}', 'A^{-99999}', 'A^{0}', 'x.^1e308',
];

function randomChar(rng: Rng): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(ASCII_SPECIAL)],
    [3, () => rng.pick(LETTERS)],
    [2, () => rng.pick(DIGITS)],
    [3, () => rng.pick(UNICODE)],
    [1, () => String.fromCharCode(rng.int(0, 0xffff))],
    [1, () => String.fromCodePoint(rng.int(0x10000, 0x10ffff))],
  ])();
}

function pos(rng: Rng, s: string): number {
  return rng.int(0, s.length);
}

function range(rng: Rng, s: string, maxLen = 12): [number, number] {
  const a = pos(rng, s);
  const b = Math.min(s.length, a + rng.int(0, maxLen));
  return [a, b];
}

function insert(s: string, at: number, x: string): string {
  return s.slice(0, at) + x + s.slice(at);
}

export function randomCommand(rng: Rng): string {
  const name = rng.chance(0.8) ? rng.pick(KNOWN_COMMANDS) : rng.pick(UNKNOWN_COMMANDS);
  const arg = rng.weighted<string>([
    [4, ''],
    [3, `{${rng.pick(['x', 'A', '\\mathbf{x}', '', 'x^T', '{', 'R', '2', 'bmatrix', '\\partial x'])}}`],
    [1, '{'],
    [1, '}'],
    [1, ' '],
    [1, '['],
  ]);
  if (name === 'begin' || name === 'end') return `\\${name}{${rng.pick(ENVIRONMENTS)}}`;
  return `\\${name}${arg}`;
}

type Mutator = (rng: Rng, s: string, donor: () => string) => string;

export const MUTATORS: Readonly<Record<string, Mutator>> = {
  insertChar: (rng, s) => insert(s, pos(rng, s), randomChar(rng)),
  insertChars: (rng, s) => {
    let out = s;
    for (let k = rng.int(2, 8); k > 0; k--) out = insert(out, pos(rng, out), randomChar(rng));
    return out;
  },
  deleteRange: (rng, s) => {
    const [a, b] = range(rng, s);
    return s.slice(0, a) + s.slice(b);
  },
  deleteCodeUnit: (rng, s) => {
    // Can split a surrogate pair, leaving a lone surrogate.
    const a = pos(rng, s);
    return s.slice(0, a) + s.slice(a + 1);
  },
  swapAdjacent: (rng, s) => {
    if (s.length < 2) return s;
    const a = rng.int(0, s.length - 2);
    return s.slice(0, a) + s[a + 1] + s[a] + s.slice(a + 2);
  },
  swapRanges: (rng, s) => {
    const [a, b] = range(rng, s);
    const [c, d] = range(rng, s);
    if (b <= c) return s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
    if (d <= a) return s.slice(0, c) + s.slice(a, b) + s.slice(d, a) + s.slice(c, d) + s.slice(b);
    return s;
  },
  duplicateRange: (rng, s) => {
    const [a, b] = range(rng, s, 40);
    return insert(s, pos(rng, s), s.slice(a, b));
  },
  bracketDamage: (rng, s) => {
    const brackets = [...s.matchAll(/[()[\]{}|]/g)].map((m) => m.index!);
    const choice = rng.int(0, 3);
    if (choice === 0 && brackets.length > 0) {
      const at = rng.pick(brackets);
      return s.slice(0, at) + s.slice(at + 1);
    }
    if (choice === 1 && brackets.length > 0) {
      const at = rng.pick(brackets);
      return s.slice(0, at) + rng.pick([...'()[]{}|']) + s.slice(at + 1);
    }
    if (choice === 2) return insert(s, pos(rng, s), rng.pick([...'()[]{}|', '\\{', '\\}', '\\left(', '\\right)', '\\|']));
    const [open, close] = rng.pick(OPEN_CLOSE);
    return insert(s, pos(rng, s), rng.chance(0.5) ? open : close);
  },
  latexCommand: (rng, s) => insert(s, pos(rng, s), randomCommand(rng)),
  replaceCommand: (rng, s) => {
    const cmds = [...s.matchAll(/\\[A-Za-z]+/g)];
    if (cmds.length === 0) return insert(s, pos(rng, s), randomCommand(rng));
    const m = rng.pick(cmds);
    return s.slice(0, m.index!) + randomCommand(rng) + s.slice(m.index! + m[0].length);
  },
  unterminatedEnvironment: (rng, s) => {
    const ends = [...s.matchAll(/\\end\{[^}]*\}/g)];
    if (ends.length > 0 && rng.chance(0.5)) {
      const m = rng.pick(ends);
      return s.slice(0, m.index!) + s.slice(m.index! + m[0].length);
    }
    const env = rng.pick(ENVIRONMENTS);
    return insert(s, pos(rng, s), rng.pick([`\\begin{${env}} a & b \\\\ c`, `\\begin{${env}}`, `\\end{${env}}`, `\\begin{${env}`, '\\begin', '\\end{']));
  },
  hugeNumber: (rng, s) => {
    const nums = [...s.matchAll(/\d+(\.\d+)?/g)];
    if (nums.length > 0 && rng.chance(0.5)) {
      const m = rng.pick(nums);
      return s.slice(0, m.index!) + rng.pick(NUMBERS) + s.slice(m.index! + m[0].length);
    }
    return insert(s, pos(rng, s), rng.pick(NUMBERS));
  },
  deepNesting: (rng, s) => {
    const [open, close] = rng.pick(OPEN_CLOSE);
    const depth = rng.weighted<number>([[6, rng.int(1, 20)], [3, rng.int(150, 260)], [1, rng.int(400, 1500)]]);
    const [a, b] = rng.chance(0.5) ? [0, s.length] : range(rng, s, 30);
    const damaged = rng.chance(0.2);
    return s.slice(0, a) + open.repeat(depth) + s.slice(a, b) + close.repeat(damaged ? Math.max(0, depth - rng.int(1, 3)) : depth) + s.slice(b);
  },
  longChain: (rng, s) => {
    const unit = rng.pick(['x + ', 'x * ', 'x ', "'", '^2', 'A ', '-', ' + sin(x)', '.* x', ': x', '_1', ', x', ' = x', ' \\\\ ', '; ']);
    const n = rng.weighted<number>([[5, rng.int(2, 60)], [3, rng.int(190, 600)], [1, rng.int(600, 3000)]]);
    return insert(s, pos(rng, s), unit.repeat(n) + 'x');
  },
  unicode: (rng, s) => {
    let out = s;
    for (let k = rng.int(1, 4); k > 0; k--) out = insert(out, pos(rng, out), rng.pick(UNICODE));
    return out;
  },
  toFancyUnicode: (rng, s) => {
    const map: Record<string, string> = { "'": 'ᵀ', '*': '·', '^2': '²', x: '𝐱', A: '𝐀', R: 'ℝ', in: '∈', '-1': '⁻¹', '1': '₁' };
    const key = rng.pick(Object.keys(map));
    return s.split(key).join(map[key]!);
  },
  lineDamage: (rng, s) => {
    const lines = s.split('\n');
    const k = rng.int(0, lines.length - 1);
    switch (rng.int(0, 5)) {
      case 0:
        lines.splice(k, 1);
        break;
      case 1:
        lines.splice(k, 0, lines[rng.int(0, lines.length - 1)]!);
        break;
      case 2:
        lines.splice(k, 0, rng.pick(['', '```tensor', '```', '$$', '$', '~~~', '// @tensor', '/** @tensor', '*/', ';', '\\\\', '=', '  ']));
        break;
      case 3: {
        const j = rng.int(0, lines.length - 1);
        [lines[k], lines[j]] = [lines[j]!, lines[k]!];
        break;
      }
      case 4:
        return lines.join(rng.pick(['\r\n', '\r', ' ', ';', '\\\\', '\n\n']));
      default:
        lines[k] = lines[k]!.trimStart();
    }
    return lines.join('\n');
  },
  truncate: (rng, s) => s.slice(0, pos(rng, s)),
  truncateStart: (rng, s) => s.slice(pos(rng, s)),
  splice: (rng, s, donor) => {
    const other = donor();
    return s.slice(0, pos(rng, s)) + other.slice(pos(rng, other));
  },
  insertDonor: (rng, s, donor) => {
    const other = donor();
    const [a, b] = range(rng, other, 80);
    return insert(s, pos(rng, s), other.slice(a, b));
  },
  replaceOperator: (rng, s) => {
    const ops = [...s.matchAll(/[+\-*/^:'=,;&]|\\cdot|\\times|\\odot|\.\*|\.\^/g)];
    if (ops.length === 0) return s;
    const m = rng.pick(ops);
    const by = rng.pick(['+', '-', '*', '/', '^', ':', "'", '=', ',', ';', '&', '\\cdot', '.*', '.^', '⊙', '', ' ', '^T', '^{-1}', '_', '|']);
    return s.slice(0, m.index!) + by + s.slice(m.index! + m[0].length);
  },
  replaceName: (rng, s) => {
    const names = [...s.matchAll(/\b[A-Za-z]\w*\b/g)];
    if (names.length === 0) return s;
    const m = rng.pick(names);
    const by = rng.pick(['x', 'A', 'd', 'dx', 'R', 'T', 'I', 'e', 'sin', 'tr', 'diff', 'hess', 'grad', 'sum', 'inv', 'f', 'x_1', 'ℓ', 'undefined', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype']);
    return s.slice(0, m.index!) + by + s.slice(m.index! + m[0].length);
  },
  markdownDamage: (rng, s) => insert(s, pos(rng, s), rng.pick(['```tensor\n', '\n```\n', '$', '$$', '\\$', '`', '\\(', '\\)', '\\[', '\\]', '<!-- ', ' -->', '\n# ', '\n> ', '\n- '])),
};

const NAMES = Object.keys(MUTATORS);

/** Applies 1–`max` random mutations. */
export function mutate(rng: Rng, s: string, donor: () => string, max = 4): { text: string; applied: string[] } {
  let text = s;
  const applied: string[] = [];
  for (let k = rng.int(1, max); k > 0; k--) {
    const name = rng.pick(NAMES);
    applied.push(name);
    text = MUTATORS[name]!(rng, text, donor);
  }
  return { text, applied };
}
