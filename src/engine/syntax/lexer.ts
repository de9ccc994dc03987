// Lexer: source text → tokens with exact UTF-16 spans, plus diagnostics.
//
// Invariants:
// - Total: every input produces a token list ending in `eof`; it never throws.
// - Spelling is resolved here (LaTeX command, Unicode symbol, ASCII), so the
//   parser sees one token per meaning. Font wrappers collapse to the name they
//   wrap, with the span of the whole wrapper (`\mathbf{x}` is ident `x`).
// - Layout environments (aligned, equation, ...) vanish: their `&` is dropped
//   and their `\\` becomes a statement separator. Matrix environments keep `&`
//   and `\\` as cell and row separators.

import { FUNCTION_ALIASES } from './ast';
import { error, type Diagnostic } from '../diagnostics';
import {
  ACCENTS,
  COMMAND_OPS,
  DROPPED_WITH_ARGUMENT,
  FONT_WRAPPERS,
  FUNCTION_COMMANDS,
  GREEK,
  IGNORED_COMMANDS,
  LABEL_SUPERSCRIPTS,
  LAYOUT_ENVIRONMENTS,
  MATRIX_ENVIRONMENTS,
  SUBSCRIPT_DIGITS,
  SUPERSCRIPT_DIGITS,
  SUPERSCRIPT_LETTERS,
  TRANSPARENT_GROUPS,
  UNICODE_OPS,
  WORD_COMMANDS,
  type Token,
  type TokenKind,
} from './tokens';

export interface LexResult {
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

const ASCII_LETTER = /[A-Za-z]/;
const DIGIT = /[0-9]/;
const WORD = /^[A-Za-z][A-Za-z0-9]*$/;

/** Font wrappers that make a digit bold: `\mathbf{1}` is the ones vector. */
const BOLD_WRAPPERS: ReadonlySet<string> = new Set(['mathbf', 'boldsymbol', 'bm', 'pmb', 'mathbfit', 'bf', 'boldmath', 'symbf', 'symbfit', 'textbf']);

export function lex(source: string, start = 0, end = source.length): LexResult {
  const lexer = new Lexer(source, start, end);
  lexer.run();
  return { tokens: lexer.tokens, diagnostics: lexer.diagnostics };
}

class Lexer {
  readonly tokens: Token[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private pos: number;
  private space = false;
  /** Environments currently open; matrix ones keep `&` and `\\`. */
  private readonly envs: string[] = [];
  /** Positions of `}` after which an `_{...}`/`^{...}` annotation is dropped (\underbrace). */
  private readonly dropAnnotationAfter = new Set<number>();
  /** The side a `\left`/`\right` (or `\bigl`, `\Bigr`, …) just named, for the delimiter after it. */
  private side: 'left' | 'right' | null = null;

  constructor(
    private readonly src: string,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  run(): void {
    while (this.pos < this.end) this.step();
    this.push('eof', '', this.end, this.end);
  }

  private push(kind: TokenKind, value: string, start: number, end: number, spelling?: Token['spelling']): void {
    // `\left|` and `\right\|` say which side their bar is on; other delimiters need no side.
    if (this.side && kind === 'op' && (value === '|' || value === '‖')) spelling = this.side;
    this.side = null;
    const token: Token = spelling
      ? { kind, value, span: { start, end }, spaceBefore: this.space, spelling }
      : { kind, value, span: { start, end }, spaceBefore: this.space };
    this.tokens.push(token);
    this.space = false;
  }

  private peekChar(offset = 0): string {
    const i = this.pos + offset;
    return i < this.end ? this.src[i]! : '';
  }

  private inMatrix(): boolean {
    const top = this.envs[this.envs.length - 1];
    return top !== undefined && MATRIX_ENVIRONMENTS.has(top);
  }

  private step(): void {
    const c = this.src[this.pos]!;
    const start = this.pos;
    if (c === ' ' || c === '\t' || c === '\r' || c === '~' || c === '$') {
      this.pos++;
      this.space = true;
      return;
    }
    if (c === '\n') {
      this.pos++;
      this.push('newline', '\n', start, this.pos);
      this.space = true;
      return;
    }
    if (c === '#' || c === '%') {
      while (this.pos < this.end && this.src[this.pos] !== '\n') this.pos++;
      this.space = true;
      return;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(this.peekChar(1)))) {
      this.number();
      return;
    }
    if (ASCII_LETTER.test(c)) {
      let i = this.pos + 1;
      while (i < this.end && /[A-Za-z0-9]/.test(this.src[i]!)) i++;
      this.pos = i;
      this.push('ident', this.src.slice(start, i), start, i);
      return;
    }
    if (c === '\\') {
      this.command();
      return;
    }
    if (c === '}' && this.dropAnnotationAfter.has(start)) {
      this.pos++;
      this.push('op', '}', start, this.pos);
      this.skipAnnotation();
      return;
    }
    this.punctuation(c, start);
  }

  private punctuation(c: string, start: number): void {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === '.*' || two === './' || two === '.^') {
      this.pos += 2;
      this.push('op', two, start, this.pos);
      return;
    }
    if (two === '**') {
      this.pos += 2;
      this.push('op', '^', start, this.pos);
      return;
    }
    if (two === ':=') {
      this.pos += 2;
      this.push('op', '=', start, this.pos);
      return;
    }
    if (two === '||') {
      this.pos += 2;
      this.push('op', '‖', start, this.pos);
      return;
    }
    if (two === '->') {
      this.pos += 2;
      this.push('op', '→', start, this.pos);
      return;
    }
    this.pos++;
    switch (c) {
      case '.':
        // Sentence punctuation in prose math ("$x \in R^n.$"); carries no meaning.
        this.space = true;
        return;
      case ';':
        this.push('sep', ';', start, this.pos);
        return;
      case '&':
        if (this.inMatrix()) this.push('op', '&', start, this.pos);
        else this.space = true;
        return;
      case '@':
        this.push('op', '*', start, this.pos, 'star');
        return;
      case '*':
        this.push('op', '*', start, this.pos, 'star');
        return;
      case '+': case '-': case '/': case '^': case '_': case "'": case '(': case ')': case '[': case ']':
      case '{': case '}': case ',': case ':': case '=': case '|': case '<': case '>': case '!':
        this.push('op', c, start, this.pos);
        return;
      default:
        break;
    }
    this.pos = start;
    this.unicode(start);
  }

  private unicode(start: number): void {
    const cp = this.src.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    const width = ch.length;
    const op = UNICODE_OPS[ch];
    if (op) {
      this.pos += width;
      this.push('op', op.value, start, this.pos, op.spelling);
      return;
    }
    if (ch === '⁽') {
      this.label(start);
      return;
    }
    if (ch === '⁾') {
      this.pos += width;
      this.diagnostics.push(error('unmatched-bracket', "This '⁾' has no opening partner '⁽'.", { start, end: this.pos }));
      return;
    }
    if (ch in SUPERSCRIPT_DIGITS || ch in SUPERSCRIPT_LETTERS) {
      this.superscriptRun(start);
      return;
    }
    if (ch in SUBSCRIPT_DIGITS) {
      let digits = '';
      while (this.pos < this.end && SUBSCRIPT_DIGITS[this.src[this.pos]!] !== undefined) {
        digits += SUBSCRIPT_DIGITS[this.src[this.pos]!];
        this.pos++;
      }
      this.push('subnum', digits, start, this.pos);
      return;
    }
    if (ch === '𝟙' || ch === '𝟎') {
      this.pos += width;
      this.push('ident', ch, start, this.pos);
      return;
    }
    if (/\p{Script=Greek}/u.test(ch) || ch === 'ℓ') {
      this.pos += width;
      this.push('ident', ch, start, this.pos);
      return;
    }
    // Mathematical alphanumerics (𝐱, 𝑨, …) normalise to plain letters.
    const normal = ch.normalize('NFKC');
    if (normal.length === 1 && ASCII_LETTER.test(normal)) {
      this.pos += width;
      this.push('ident', normal, start, this.pos);
      return;
    }
    this.pos += width;
    this.diagnostics.push(
      error('invalid-character', `The character '${ch}' is not part of the tensor language.`, { start, end: this.pos }),
    );
  }

  private superscriptRun(start: number): void {
    let text = '';
    let letters = false;
    while (this.pos < this.end) {
      const ch = this.src[this.pos]!;
      const digit = SUPERSCRIPT_DIGITS[ch];
      const letter = SUPERSCRIPT_LETTERS[ch];
      if (digit !== undefined) text += digit;
      else if (letter !== undefined) {
        text += letter === 'x' && text.length > 0 ? '×' : letter;
        letters = true;
      } else break;
      this.pos++;
    }
    this.push(letters ? 'supident' : 'supnum', text, start, this.pos);
  }

  /**
   * A raised label in superscript parentheses, W⁽¹⁾ or W⁽ℓ⁻¹⁾: one `suplabel`
   * token whose value is the label's ASCII reading, "(1)" or "(ℓ-1)", so that the
   * name it decorates is the one LaTeX writes W^{(1)}. Without its `⁾` (or with a
   * character no label has) the `⁽` is reported and lexing resumes after it.
   */
  private label(start: number): void {
    let i = start + 1;
    let text = '';
    while (i < this.end && LABEL_SUPERSCRIPTS[this.src[i]!] !== undefined) text += LABEL_SUPERSCRIPTS[this.src[i++]!];
    if (i >= this.end || this.src[i] !== '⁾') {
      this.pos = start + 1;
      this.diagnostics.push(error('unclosed-bracket', "This '⁽' is never closed with '⁾'.", { start, end: this.pos }));
      return;
    }
    this.pos = i + 1;
    if (text === '') {
      this.diagnostics.push(error('unexpected-token', 'An empty label ⁽⁾ names nothing; write one, as in W⁽¹⁾.', { start, end: this.pos }));
      return;
    }
    this.push('suplabel', `(${text})`, start, this.pos);
  }

  private number(): void {
    const start = this.pos;
    const rest = this.src.slice(this.pos, this.end);
    const match = /^(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(rest)!;
    this.pos += match[0].length;
    this.push('number', match[0], start, this.pos);
  }

  /** Reads a command name after `\`. */
  private commandName(): string {
    const first = this.peekChar();
    if (first === '') return '';
    if (!ASCII_LETTER.test(first)) {
      this.pos++;
      return first;
    }
    let i = this.pos;
    while (i < this.end && ASCII_LETTER.test(this.src[i]!)) i++;
    let name = this.src.slice(this.pos, i);
    if (this.src[i] === '*' && (name === 'operatorname' || name === 'tag' || MATRIX_ENVIRONMENTS.has(`${name}*`))) {
      name += '*';
      i++;
    }
    this.pos = i;
    return name;
  }

  private skipSpaces(): void {
    while (this.pos < this.end && /[ \t\r\n]/.test(this.src[this.pos]!)) this.pos++;
  }

  /**
   * Where to resume after an unclosed `{`: the end of its line, so the statements
   * on later lines are still read.
   */
  private lineEnd(from: number): number {
    const newline = this.src.indexOf('\n', from);
    return newline < 0 || newline > this.end ? this.end : newline;
  }

  /** Returns the index of the `}` matching the `{` at `open`, or -1. */
  private matchingBrace(open: number): number {
    let depth = 0;
    for (let i = open; i < this.end; i++) {
      const ch = this.src[i];
      if (ch === '\\') {
        i++;
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }

  /** Reads a `{...}` argument as raw text; returns its content and span, or null. */
  private rawArgument(commandStart: number, command: string): { text: string; start: number; end: number } | null {
    this.skipSpaces();
    if (this.peekChar() !== '{') {
      // LaTeX allows one unbraced character as an argument: `\mathbb R`.
      const ch = this.peekChar();
      if (ch && ch !== '\\') {
        this.pos++;
        return { text: ch, start: this.pos - 1, end: this.pos };
      }
      this.diagnostics.push(
        error('unexpected-token', `\\${command} needs an argument in braces.`, { start: commandStart, end: this.pos }),
      );
      return null;
    }
    const open = this.pos;
    const close = this.matchingBrace(open);
    if (close < 0) {
      this.diagnostics.push(error('unclosed-bracket', `The '{' after \\${command} is never closed.`, { start: open, end: open + 1 }));
      this.pos = this.lineEnd(open);
      return null;
    }
    this.pos = close + 1;
    return { text: this.src.slice(open + 1, close), start: open + 1, end: close };
  }

  private command(): void {
    const start = this.pos;
    this.pos++; // the backslash
    const name = this.commandName();
    if (name === '') {
      this.diagnostics.push(error('unexpected-end', 'A backslash at the end of the input.', { start, end: this.pos }));
      return;
    }
    if (name === '\\') {
      if (this.inMatrix()) this.push('op', '\\\\', start, this.pos);
      else this.push('sep', '\\\\', start, this.pos);
      return;
    }
    const greek = GREEK[name];
    if (greek !== undefined) {
      this.push('ident', greek, start, this.pos, 'latex');
      return;
    }
    if (FUNCTION_COMMANDS.has(name)) {
      this.push('ident', name, start, this.pos, 'latex');
      return;
    }
    if (name === 'R' || name === 'Reals' || name === 'reals' || name === 'RR') {
      this.push('op', 'ℝ', start, this.pos);
      return;
    }
    if (name === 'mathbb' || name === 'Bbb' || name === 'mathbbm' || name === 'mathds') {
      const arg = this.rawArgument(start, name);
      if (!arg) return;
      const text = arg.text.trim();
      if (text === 'R') this.push('op', 'ℝ', start, this.pos);
      else if (text === '1') this.push('ident', '𝟙', start, this.pos, 'latex');
      else if (text === '0') this.push('ident', '𝟎', start, this.pos, 'latex');
      else if (WORD.test(text)) this.push('ident', text, start, this.pos, 'latex');
      else this.diagnostics.push(error('unexpected-token', `\\${name}{${text}} is not understood here.`, { start, end: this.pos }));
      return;
    }
    if (FONT_WRAPPERS.has(name) || name in ACCENTS) {
      this.wrapper(start, name);
      return;
    }
    if (WORD_COMMANDS.has(name)) {
      this.wordCommand(start, name);
      return;
    }
    if (name === 'begin' || name === 'end') {
      this.environment(start, name);
      return;
    }
    if (IGNORED_COMMANDS.has(name)) {
      const sizing = name.startsWith('left') || name.startsWith('right') || /^[bB]ig/.test(name) || name === 'middle';
      // A sizing command is glued to its delimiter and adds no space: `\sigma\left(z\right)` is a call, like `\sigma(z)`.
      if (!sizing) this.space = true;
      this.side = name === 'left' || /^[bB]igg?l$/.test(name) ? 'left' : name === 'right' || /^[bB]igg?r$/.test(name) ? 'right' : null;
      if (sizing && this.peekChar() === '.') {
        this.pos++;
        this.side = null;
      }
      return;
    }
    if (DROPPED_WITH_ARGUMENT.has(name) || name === 'textcolor') {
      this.rawArgument(start, name);
      this.space = true;
      return;
    }
    if (TRANSPARENT_GROUPS.has(name)) {
      this.skipSpaces();
      if (this.peekChar() === '{' && (name === 'underbrace' || name === 'overbrace')) {
        const close = this.matchingBrace(this.pos);
        if (close > 0) this.dropAnnotationAfter.add(close);
      }
      return;
    }
    const op = COMMAND_OPS[name];
    if (op !== undefined) {
      this.push('op', op.value, start, this.pos, op.spelling);
      return;
    }
    this.diagnostics.push(error('unknown-command', `Unknown LaTeX command \\${name}.`, { start, end: this.pos }));
  }

  /** After \underbrace{...}: drops the `_{label}` annotation. */
  private skipAnnotation(): void {
    const save = this.pos;
    this.skipSpaces();
    const ch = this.peekChar();
    if (ch !== '_' && ch !== '^') {
      this.pos = save;
      return;
    }
    this.pos++;
    this.skipSpaces();
    if (this.peekChar() === '{') {
      const close = this.matchingBrace(this.pos);
      this.pos = close < 0 ? this.end : close + 1;
    } else if (this.peekChar() === '\\') {
      this.pos++;
      this.commandName();
    } else {
      this.pos++;
    }
    this.space = true;
  }

  private wordCommand(start: number, name: string): void {
    const arg = this.rawArgument(start, name);
    if (!arg) return;
    const text = arg.text.trim();
    if (text === '') {
      this.space = true;
      return;
    }
    const isText = name.startsWith('text');
    if (WORD.test(text) && (!isText || FUNCTION_ALIASES[text] !== undefined || text.length === 1)) {
      this.push('ident', text, start, this.pos, 'latex');
      return;
    }
    if (!isText && /^[0-9]+$/.test(text)) {
      this.push('number', text, start, this.pos);
      return;
    }
    this.push('text', text, start, this.pos);
  }

  private wrapper(start: number, name: string): void {
    const accent = ACCENTS[name] ?? '';
    this.skipSpaces();
    if (this.peekChar() === '{') {
      const open = this.pos;
      const close = this.matchingBrace(open);
      if (close < 0) {
        this.diagnostics.push(error('unclosed-bracket', `The '{' after \\${name} is never closed.`, { start: open, end: open + 1 }));
        this.pos = this.lineEnd(open);
        return;
      }
      const inner = lex(this.src, open + 1, close);
      this.diagnostics.push(...inner.diagnostics);
      const body = inner.tokens.filter((t) => t.kind !== 'eof' && t.kind !== 'newline');
      this.pos = close + 1;
      if (body.length === 0) {
        this.space = true;
        return;
      }
      if (body.length === 1 && (body[0]!.kind === 'ident' || body[0]!.kind === 'number')) {
        const only = body[0]!;
        // A bold 1 or 0 is the ones or zeros vector (as \mathbb{1}), not a number: \mathbf{1}^\top x is a sum.
        if (only.kind === 'number' && (only.value === '1' || only.value === '0') && BOLD_WRAPPERS.has(name)) {
          this.push('ident', only.value === '1' ? '𝟙' : '𝟎', start, this.pos, 'latex');
          return;
        }
        const value = only.kind === 'ident' ? only.value + accent : only.value;
        this.push(only.kind, value, start, this.pos, only.kind === 'ident' ? 'latex' : undefined);
        return;
      }
      // A wrapper around a larger expression (`\mathbf{Ax}`) is a plain group.
      this.push('op', '(', open, open + 1);
      for (const t of body) this.tokens.push(t);
      this.push('op', ')', close, close + 1);
      return;
    }
    // Unbraced argument: one letter, or one command (`\vec x`, `\mathbf\Sigma`).
    const ch = this.peekChar();
    if (ASCII_LETTER.test(ch)) {
      this.pos++;
      this.push('ident', ch + accent, start, this.pos, 'latex');
      return;
    }
    if (ch === '\\') {
      const save = this.pos;
      this.pos++;
      const inner = this.commandName();
      const greek = GREEK[inner];
      if (greek !== undefined) {
        this.push('ident', greek + accent, start, this.pos, 'latex');
        return;
      }
      this.pos = save;
    }
    this.diagnostics.push(error('unexpected-token', `\\${name} needs a name to decorate.`, { start, end: this.pos }));
  }

  private environment(start: number, which: 'begin' | 'end'): void {
    const arg = this.rawArgument(start, which);
    if (!arg) return;
    const env = arg.text.trim();
    if (which === 'begin') {
      this.envs.push(env);
      if (env === 'array') this.rawArgument(start, 'begin{array}'); // column spec, e.g. {cc|c}
      if (LAYOUT_ENVIRONMENTS.has(env)) {
        this.space = true;
        return;
      }
      this.push('begin', env, start, this.pos);
      return;
    }
    const top = this.envs.pop();
    if (top !== undefined && top !== env) {
      this.diagnostics.push(
        error('unmatched-bracket', `\\end{${env}} closes \\begin{${top}}.`, { start, end: this.pos }),
      );
    }
    if (LAYOUT_ENVIRONMENTS.has(env)) {
      this.space = true;
      return;
    }
    this.push('end', env, start, this.pos);
  }
}
