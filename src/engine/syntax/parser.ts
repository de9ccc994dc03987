// Parser: tokens → statements (declarations, definitions, expressions with
// claims), with diagnostics.
//
// Why hand-written: the language mixes ASCII (MatrixCalculus.org-like) and the
// LaTeX people write in notes, where juxtaposition means product, `^T` means
// transpose, `\frac{\partial f}{\partial x}` means a derivative and `df/dx` is
// not a division. Those decisions need one or two tokens of context that a
// grammar generator expresses poorly, and the editor needs exact spans, error
// recovery at statement boundaries and zero runtime dependencies in the pure
// engine (hover latency and bundle size). A precedence-climbing parser gives all
// three in one readable file.
//
// Invariants:
// - `parse` never throws on any input. Internal ParseErrors are caught at the
//   statement (or claim) boundary and become diagnostics; parsing resumes at
//   the next statement.
// - Every node's span lies within the source and covers what it was parsed from.
// - Precedence, loosest first: `=` chains (statement level) < `+ -` < `:`
//   (Frobenius) < `* / ⊙ ⊘ .* ./` and juxtaposition < unary minus <
//   postfix (`^`, `.^`, `'`, `ᵀ`, subscripts) < primary.
// - Derivative operators (`d/dx`, `\frac{\partial}{\partial x}`, `\nabla_x`)
//   apply to the rest of the additive expression that follows them.

import {
  BUILTIN_FUNCTIONS,
  DERIVATIVE_CALLS,
  FUNCTION_ALIASES,
  table,
  type ArrayNode,
  type DeclarationNode,
  type DeclaredName,
  type DeclModifier,
  type DerivativeNode,
  type DerivativeNotation,
  type DimNode,
  type Expr,
  type IdentNode,
  type IndexArg,
  type Program,
  type Span,
  type Statement,
  type SubscriptNode,
  type WrtNode,
} from './ast';
import { error, warning, type Diagnostic, type DiagnosticCode } from '../diagnostics';
import { lex } from './lexer';
import { MATRIX_ENVIRONMENTS, type Token } from './tokens';

export interface ParseOptions {
  /**
   * `block` (default): newlines separate statements, as in a ```tensor block.
   * `math`: newlines are whitespace, as inside `$$ … $$`; only `;` and a
   * top-level `\\` separate statements.
   */
  readonly mode?: 'block' | 'math';
}

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/** Inputs longer than this are refused with a `too-large` diagnostic. */
export const MAX_SOURCE_LENGTH = 1_000_000;
/** Nesting deeper than this is refused with a `too-deep` diagnostic. */
export const MAX_NESTING = 200;
/**
 * Syntax trees taller than this are refused with a `too-deep` diagnostic. The
 * parser reads operator chains (`a + b + …`, `x'''…`) in loops, so MAX_NESTING
 * does not bound them, but every later stage (elaboration, lowering,
 * differentiation, printing) recurses over the tree: a 4,000-term sum used to
 * overflow the stack there.
 */
export const MAX_TREE_HEIGHT = 500;

export function parse(source: string, options: ParseOptions = {}): ParseResult {
  if (source.length > MAX_SOURCE_LENGTH) {
    return {
      program: { statements: [] },
      diagnostics: [
        error(
          'too-large',
          `The input has ${source.length} characters; at most ${MAX_SOURCE_LENGTH} are analysed at once.`,
          { start: 0, end: source.length },
        ),
      ],
    };
  }
  const lexed = lex(source);
  const parser = new Parser(lexed.tokens, options.mode ?? 'block');
  const statements = parser.program();
  const diagnostics = [...lexed.diagnostics, ...parser.diagnostics].sort((a, b) => a.span.start - b.span.start);
  return { program: { statements }, diagnostics };
}

/**
 * Height of a syntax tree (a leaf is 1), computed without recursion so that it cannot overflow itself.
 * (Parallel stacks and `for…in`: a pair per node and Object.values' array per node were most of what
 * parsing a long statement allocated.)
 */
function treeHeight(root: object): number {
  let max = 0;
  const nodes: object[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) max = depth;
    for (const key in node) {
      const value: unknown = (node as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const v of value) {
          if (isSyntaxNode(v)) {
            nodes.push(v);
            depths.push(depth + 1);
          }
        }
      } else if (isSyntaxNode(value)) {
        nodes.push(value);
        depths.push(depth + 1);
      }
    }
  }
  return max;
}

function isSyntaxNode(v: unknown): v is object {
  return typeof v === 'object' && v !== null && 'kind' in v;
}

class ParseError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const MODIFIER_WORDS: Readonly<Record<string, DeclModifier>> = table({
  symmetric: 'symmetric',
  sym: 'symmetric',
  spd: 'spd',
  SPD: 'spd',
  pd: 'spd',
  diagonal: 'diagonal',
  constant: 'constant',
  const: 'constant',
});

const MULTIPLICATIVE_OPS: Readonly<Record<string, 'mul' | 'div' | 'hadamard' | 'hdiv' | 'kron'>> = table({
  '*': 'mul',
  '/': 'div',
  '⊙': 'hadamard',
  '.*': 'hadamard',
  '⊘': 'hdiv',
  './': 'hdiv',
  '⊗': 'kron',
});

/** How many tokens ahead a bar inside a norm looks for the bars that would close it as a nested one. */
const NESTED_BAR_LOOKAHEAD = 512;

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the input';
    case 'newline':
      return 'the end of the line';
    case 'sep':
      return token.value === ';' ? "';'" : 'a line break (\\\\)';
    case 'text':
      return `the text "${token.value}"`;
    case 'suplabel':
      return `the raised label ^${token.value}`;
    case 'begin':
      return `\\begin{${token.value}}`;
    case 'end':
      return `\\end{${token.value}}`;
    default:
      return `'${token.value}'`;
  }
}

function spanOf(a: { span: Span } | Span, b: { span: Span } | Span): Span {
  const sa = 'span' in a ? a.span : a;
  const sb = 'span' in b ? b.span : b;
  return { start: Math.min(sa.start, sb.start), end: Math.max(sa.end, sb.end) };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  /** Bracket depth: newlines inside brackets never end a statement. */
  private depth = 0;
  /** Open `|…|` and `‖…‖` groups: their closing bar must not start a product. */
  private bars = 0;
  private norms = 0;
  private nesting = 0;
  private lastEnd = 0;
  /** The next statement follows a comma: it is part of the previous statement's sentence. */
  private joinNext = false;

  constructor(
    private readonly tokens: Token[],
    private readonly mode: 'block' | 'math',
  ) {}

  // ── token access ────────────────────────────────────────────────────────

  private newlinesVisible(): boolean {
    return this.mode === 'block' && this.depth === 0;
  }

  private significant(from: number): number {
    let i = from;
    while (i < this.tokens.length - 1 && this.tokens[i]!.kind === 'newline' && !this.newlinesVisible()) i++;
    return i;
  }

  private peek(ahead = 0): Token {
    let i = this.significant(this.i);
    for (let k = 0; k < ahead && i < this.tokens.length - 1; k++) i = this.significant(i + 1);
    return this.tokens[i]!;
  }

  private next(): Token {
    const i = this.significant(this.i);
    const token = this.tokens[i]!;
    if (token.kind !== 'eof') this.i = i + 1;
    else this.i = i;
    if (token.kind !== 'newline' && token.kind !== 'eof') this.lastEnd = token.span.end;
    return token;
  }

  private isOp(token: Token, value: string): boolean {
    return token.kind === 'op' && token.value === value;
  }

  private atOp(value: string): boolean {
    return this.isOp(this.peek(), value);
  }

  private skipNewlines(): void {
    while (this.tokens[this.i]!.kind === 'newline') this.i++;
  }

  private fail(code: DiagnosticCode, message: string, span: Span): never {
    // Unsupported-but-valid notation (ellipses, index sums) is a warning: the
    // user wrote correct math that this tool does not compute.
    const make = code === 'unsupported-syntax' ? warning : error;
    throw new ParseError(make(code, message, span));
  }

  private unexpected(token: Token, expected: string): never {
    if (token.kind === 'eof' || token.kind === 'newline' || token.kind === 'sep') {
      this.fail('unexpected-end', `Expected ${expected} before ${describe(token)}.`, token.span);
    }
    this.fail('unexpected-token', `Expected ${expected} but found ${describe(token)}.`, token.span);
  }

  private expectOp(value: string, expected: string): Token {
    const token = this.peek();
    if (!this.isOp(token, value)) this.unexpected(token, expected);
    return this.next();
  }

  private expectClose(open: Token, close: string): Token {
    const token = this.peek();
    if (this.isOp(token, close)) return this.next();
    this.unclosedAcrossLines(open, `This '${open.value}' is never closed with '${close}'.`);
    if (token.kind === 'eof' || token.kind === 'sep' || token.kind === 'newline' || token.kind === 'end') {
      this.fail('unclosed-bracket', `This '${open.value}' is never closed with '${close}'.`, open.span);
    }
    this.unexpected(token, `'${close}'`);
  }

  /**
   * Called where `open` expected its closing partner but found something else.
   * At the end of the input, the bracket is unclosed. In block mode newlines inside
   * brackets are invisible, so an unclosed bracket would swallow the lines after
   * it: if a line break lies between `open` and here, report the bracket and rewind
   * to that line break, so that recovery resumes with the next line.
   */
  private unclosedAcrossLines(open: Token, message: string): void {
    if (this.peek().kind === 'eof') this.fail('unclosed-bracket', message, open.span);
    if (this.mode !== 'block') return;
    const from = this.tokens.indexOf(open);
    if (from < 0) return;
    for (let k = from + 1; k < this.indexOfPeek(); k++) {
      if (this.tokens[k]!.kind === 'newline') {
        this.i = k;
        this.lastEnd = this.tokens[k - 1]!.span.end;
        this.fail('unclosed-bracket', message, open.span);
      }
    }
  }

  /** Splits an identifier token in place: `dA` → `d`, `A`; `TAx` → `T`, `Ax`. */
  private splitIdent(index: number, firstLength: number): void {
    const token = this.tokens[index]!;
    const first: Token = {
      kind: 'ident',
      value: token.value.slice(0, firstLength),
      span: { start: token.span.start, end: token.span.start + firstLength },
      spaceBefore: token.spaceBefore,
    };
    const rest: Token = {
      kind: 'ident',
      value: token.value.slice(firstLength),
      span: { start: token.span.start + firstLength, end: token.span.end },
      spaceBefore: false,
    };
    this.tokens.splice(index, 1, first, rest);
  }

  private indexOfPeek(): number {
    return this.significant(this.i);
  }

  private withDepth<T>(f: () => T): T {
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private guard(span: Span): void {
    if (this.nesting > MAX_NESTING) {
      this.fail('too-deep', `Expressions nest more than ${MAX_NESTING} levels deep here.`, span);
    }
  }

  // ── program and statements ──────────────────────────────────────────────

  program(): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.peek().kind === 'eof') break;
      const before = this.i;
      const joined = this.joinNext;
      this.joinNext = false;
      try {
        const parsed = this.statement();
        // A node has a token of its own or two children, except a few built from one token
        // (⁻¹ is a power of neg(1)), so a tree is at most about three times as high as its
        // token count: short statements need no walk.
        const tall = 3 * (this.i - before) + 1 > MAX_TREE_HEIGHT;
        for (const s of tall ? parsed : []) {
          if (treeHeight(s) > MAX_TREE_HEIGHT) {
            this.fail('too-deep', `This statement nests more than ${MAX_TREE_HEIGHT} operations deep (long chains of operators nest too); split it into definitions.`, s.span);
          }
        }
        // Statements after a comma belong to the same sentence as the one before.
        statements.push(...parsed.map((s, k) => (joined || k > 0 ? { ...s, joined: true } : s)));
        this.endOfStatement();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.diagnostics.push(e.diagnostic);
        this.recover();
      }
      if (this.i === before) this.next(); // always make progress
    }
    return statements;
  }

  private skipSeparators(): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'sep' || t.kind === 'newline' || this.isOp(t, ',')) this.next();
      else return;
    }
  }

  private atBoundary(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.kind === 'sep' || t.kind === 'newline';
  }

  private endOfStatement(): void {
    if (this.atBoundary()) return;
    const t = this.peek();
    if (this.isOp(t, ',') && this.statementStartsAt(1)) {
      this.next();
      this.joinNext = true;
      return;
    }
    if (this.isOp(t, ')') || this.isOp(t, ']') || this.isOp(t, '}')) {
      this.fail('unmatched-bracket', `This '${t.value}' has no opening partner.`, t.span);
    }
    this.unexpected(t, 'an operator or the end of the statement');
  }

  private recover(): void {
    this.depth = 0;
    this.bars = 0;
    this.norms = 0;
    this.nesting = 0;
    while (!this.atBoundary()) this.next();
  }

  /** Does a new statement (declaration or definition) start `ahead` tokens from here? */
  private statementStartsAt(ahead: number): boolean {
    const save = this.i;
    try {
      for (let k = 0; k < ahead; k++) this.next();
      if (this.declarationAhead()) return true;
      const t = this.peek();
      if (t.kind !== 'ident') return false;
      this.next();
      if (this.atOp('_')) {
        this.next();
        if (this.atOp('{')) this.skipBalanced('{', '}');
        else this.next();
      }
      return this.atOp('=');
    } catch {
      return false;
    } finally {
      this.i = save;
    }
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    this.depth++;
    try {
      for (;;) {
        const t = this.next();
        if (t.kind === 'eof') return;
        if (this.isOp(t, open)) depth++;
        else if (this.isOp(t, close)) {
          depth--;
          if (depth === 0) return;
        }
      }
    } finally {
      this.depth--;
    }
  }

  private statement(): Statement[] {
    if (this.declarationAhead()) return this.declarations();
    const start = this.peek().span.start;
    const first = this.expression();
    const claims: Expr[] = [];
    let note: string | undefined;
    while (this.chainContinues()) {
      this.next(); // '='
      this.skipNewlines();
      const claimStart = this.peek().span.start;
      try {
        claims.push(this.expression());
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        // Keep the statement and the claims read so far; only this claim is lost.
        this.diagnostics.push(e.diagnostic);
        this.recover();
        // A definition whose value cannot be read stays a definition with an error
        // value; as the bare expression `a`, `a = )` would also be reported undeclared.
        if (claims.length === 0 && this.definitionTarget(first)) {
          claims.push({ kind: 'error', span: { start: claimStart, end: Math.max(claimStart, this.lastEnd) } });
        }
        break;
      }
    }
    if (this.peek().kind === 'text') note = this.note();
    const span = { start, end: this.lastEnd };
    const target = this.definitionTarget(first);
    if (target && claims.length > 0) {
      const [value, ...rest] = claims;
      return [{
        kind: 'definition',
        target: target.target,
        params: target.params,
        value: value!,
        claims: rest,
        ...(note !== undefined ? { note } : {}),
        span,
      }];
    }
    return [{ kind: 'expression', expr: first, claims, ...(note !== undefined ? { note } : {}), span }];
  }

  /** `=` continues a chain, also across a line break or `\\` when the next line starts with `=`. */
  private chainContinues(): boolean {
    if (this.atOp('=')) return true;
    let i = this.i;
    while (this.tokens[i]!.kind === 'newline' || (this.tokens[i]!.kind === 'sep' && this.tokens[i]!.value === '\\\\')) i++;
    if (i !== this.i && this.isOp(this.tokens[i]!, '=')) {
      this.i = i;
      return true;
    }
    return false;
  }

  private definitionTarget(e: Expr): { target: IdentNode | SubscriptNode; params: IdentNode[] } | null {
    if (e.kind === 'ident' || e.kind === 'subscript') return { target: e, params: [] };
    if (e.kind === 'call' && !e.builtin && e.args.every((a) => a.kind === 'ident')) {
      return {
        target: { kind: 'ident', name: e.fn, span: e.nameSpan },
        params: e.args as IdentNode[],
      };
    }
    return null;
  }

  /** Trailing prose: `\text{ if } A \text{ is symmetric}` → "if A is symmetric". */
  private note(): string {
    const words: string[] = [];
    while (!this.atBoundary()) {
      const t = this.next();
      if (t.kind === 'text' || t.kind === 'ident' || t.kind === 'number') words.push(t.value);
    }
    return words.join(' ').replace(/\s+/g, ' ').trim();
  }

  // ── declarations ────────────────────────────────────────────────────────

  private declarationAhead(): boolean {
    const save = this.i;
    try {
      this.declaredName();
      while (this.atOp(',')) {
        this.next();
        this.declaredName();
      }
      const t = this.peek();
      if (this.isOp(t, '∈')) return true;
      if (!this.isOp(t, ':')) return false;
      this.next();
      const type = this.peek();
      if (this.isOp(type, 'ℝ')) return true;
      if (type.kind === 'ident' && (type.value === 'R' || type.value === 'Real')) {
        const after = this.peek(1);
        return (
          this.isOp(after, '^') || after.kind === 'supident' || after.kind === 'supnum' || after.kind === 'eof' ||
          after.kind === 'sep' || after.kind === 'newline' || this.isOp(after, ',') || this.isOp(after, '→') ||
          (after.kind === 'ident' && MODIFIER_WORDS[after.value] !== undefined)
        );
      }
      return false;
    } catch {
      return false;
    } finally {
      this.i = save;
    }
  }

  /** A declared name: `x`, `W_1`, `W_{in}`, `W^{(1)}`, `A^\ell`. */
  private declaredName(): DeclaredName {
    const t = this.peek();
    if (t.kind !== 'ident') this.unexpected(t, 'a name');
    this.next();
    let name = t.value;
    let end = t.span.end;
    if (this.atOp('_')) {
      this.next();
      const sub = this.rawGroup();
      name += `_${sub.text}`;
      end = sub.end;
    }
    const label = this.nameLabel();
    if (label) {
      name += label.text;
      end = label.end;
    }
    return { name, span: { start: t.span.start, end } };
  }

  /**
   * A label that is part of the name before it: `^{(1)}`, `^\ell`, `^{\ell-1}`, or
   * the Unicode spelling ⁽¹⁾ glued to the name (W⁽¹⁾ is W^{(1)}). Null when none follows.
   */
  private nameLabel(): { text: string; end: number } | null {
    if (this.atOp('^') && this.decorationAhead()) return this.decoration();
    const t = this.peek();
    if (t.kind !== 'suplabel' || t.spaceBefore) return null;
    this.next();
    return { text: `^${t.value}`, end: t.span.end };
  }

  /**
   * The subscript or bracket index after a name, if one follows: `W_{12}`,
   * `W₁₂`, `W[1,2]`; after a labelled name too (`W⁽¹⁾[1,2]`, `W^{(1)}_{12}`:
   * an element of the layer's matrix, as the printer writes it). Whether
   * `W_12` is a declared name or an element is the elaborator's call.
   */
  private elementOf(node: IdentNode): Expr {
    const after = this.peek();
    if (this.isOp(after, '_')) return this.subscript(node);
    if (after.kind === 'subnum' && !after.spaceBefore) {
      this.next();
      const indices: IndexArg[] = [{ kind: 'int', value: Number(after.value), span: after.span }];
      return { kind: 'subscript', base: node, indices, raw: after.value, brackets: false, subscriptName: `${node.name}_${after.value}`, span: spanOf(node.span, after.span) };
    }
    if (this.isOp(after, '[') && !after.spaceBefore) return this.bracketIndex(node);
    return node;
  }

  /**
   * A subscripted name followed by a label is one name, as declared: `W_1^{(2)}`,
   * `W₁⁽²⁾` (a label never decorates an element). Other expressions pass through.
   */
  private labelled(e: Expr): Expr {
    if (e.kind !== 'subscript' || e.brackets) return e;
    const label = this.nameLabel();
    if (!label) {
      // `W_{in}[1,2]`: indexing makes the subscripted name a name.
      const after = this.peek();
      if (this.isOp(after, '[') && !after.spaceBefore) return this.bracketIndex({ kind: 'ident', name: e.subscriptName, span: e.span });
      return e;
    }
    return this.elementOf({ kind: 'ident', name: e.subscriptName + label.text, span: { start: e.span.start, end: label.end } });
  }

  /** Reads a subscript group's text: a token, or `{…}` as written. */
  private rawGroup(): { text: string; end: number } {
    const t = this.peek();
    if (this.isOp(t, '{')) {
      const open = this.next();
      const parts: string[] = [];
      this.depth++;
      try {
        while (!this.atOp('}')) {
          const inner = this.next();
          if (inner.kind === 'eof') this.fail('unclosed-bracket', "This '{' is never closed with '}'.", open.span);
          parts.push(inner.value);
        }
      } finally {
        this.depth--;
      }
      const close = this.next();
      return { text: parts.join(''), end: close.span.end };
    }
    if (t.kind === 'ident' || t.kind === 'number' || t.kind === 'subnum') {
      this.next();
      return { text: t.value, end: t.span.end };
    }
    this.unexpected(t, 'a subscript');
  }

  /** `^{(1)}`, `^{(\ell)}`, `^\ell`, `^{\ell-1}`: a superscript that is part of a name. */
  private decorationAhead(): boolean {
    const a = this.peek(1);
    const b = this.peek(2);
    if (a.kind === 'ident' && a.value === 'ℓ') return true;
    return this.isOp(a, '{') && ((b.kind === 'ident' && b.value === 'ℓ') || this.isOp(b, '('));
  }

  private decoration(): { text: string; end: number } {
    this.next(); // '^'
    return this.decorationText(this.rawGroup());
  }

  /** Formats a name superscript: `(1)` → `^(1)`, `ℓ` → `^ℓ`, `ℓ-1` → `^{ℓ-1}`. */
  private decorationText(group: { text: string; end: number }): { text: string; end: number } {
    const text = group.text.startsWith('(') || group.text === 'ℓ' ? `^${group.text}` : `^{${group.text}}`;
    return { text, end: group.end };
  }

  private declarations(): DeclarationNode[] {
    const result: DeclarationNode[] = [];
    for (;;) {
      const names: DeclaredName[] = [this.declaredName()];
      while (this.atOp(',')) {
        this.next();
        names.push(this.declaredName());
      }
      this.next(); // ':' or '∈'
      let dims = this.type();
      let domain: DimNode[] | undefined;
      if (this.atOp('→')) {
        this.next();
        domain = dims;
        dims = this.type();
      }
      const modifiers = this.modifiers();
      const decl: DeclarationNode = {
        kind: 'declaration',
        names,
        dims,
        modifiers,
        ...(domain ? { domain } : {}),
        span: { start: names[0]!.span.start, end: this.lastEnd },
      };
      result.push(decl);
      if (this.atOp(',') && this.statementStartsAt(1)) {
        this.next();
        if (this.declarationAhead()) continue;
        // A definition follows the comma; let the statement loop read it.
        this.i--;
      }
      return result;
    }
  }

  private type(): DimNode[] {
    const t = this.peek();
    if (!(this.isOp(t, 'ℝ') || (t.kind === 'ident' && (t.value === 'R' || t.value === 'Real')))) {
      this.fail('bad-declaration', `Expected a type such as R^n or \\mathbb{R}^{m \\times n} but found ${describe(t)}.`, t.span);
    }
    this.next();
    const after = this.peek();
    if (after.kind === 'supident' || after.kind === 'supnum') {
      this.next();
      return after.value.split('×').map((v, k, all) => this.dim(v, after.span, k, all.length));
    }
    if (!this.atOp('^')) return [];
    this.next();
    const d = this.peek();
    if (this.isOp(d, '{') || this.isOp(d, '(')) {
      const open = this.next();
      const close = open.value === '{' ? '}' : ')';
      return this.withDepth(() => {
        const dims: DimNode[] = [];
        for (;;) {
          dims.push(...this.dimItem());
          const sep = this.peek();
          if (this.isOp(sep, close)) {
            this.next();
            return dims.slice(); // of its exact length (see argumentList)
          }
          if (this.isOp(sep, '*') || this.isOp(sep, ',')) {
            this.next();
            continue;
          }
          if (sep.kind === 'ident' && sep.value === 'x') {
            this.next();
            continue;
          }
          this.unclosedAcrossLines(open, `This '${open.value}' is never closed with '${close}'.`);
          if (sep.kind === 'eof' || sep.kind === 'sep') this.fail('unclosed-bracket', `This '${open.value}' is never closed with '${close}'.`, open.span);
          this.fail('bad-declaration', `Expected '×', ',' or '${close}' between dimensions but found ${describe(sep)}.`, sep.span);
        }
      });
    }
    return this.dimItem();
  }

  /** One dimension token; `2x3`-style runs (lexed as `2`, `x3`) yield several. */
  private dimItem(): DimNode[] {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      const dims = [this.dim(t.value, t.span, 0, 1)];
      const glued = this.peek();
      if (glued.kind === 'ident' && /^x(\d+x)*\d+$/.test(glued.value) && !glued.spaceBefore) {
        this.next();
        let offset = glued.span.start;
        for (const part of glued.value.split('x').slice(1)) {
          offset += 1;
          dims.push(this.dim(part, { start: offset, end: offset + part.length }, 0, 1));
          offset += part.length;
        }
      }
      return dims;
    }
    if (t.kind === 'ident') {
      this.next();
      let name = t.value;
      let end = t.span.end;
      if (this.atOp('_')) {
        this.next();
        const sub = this.rawGroup();
        name += `_${sub.text}`;
        end = sub.end;
      }
      return [{ value: name, span: { start: t.span.start, end } }];
    }
    this.fail('bad-declaration', `Expected a dimension (a number or a size name) but found ${describe(t)}.`, t.span);
  }

  private dim(text: string, span: Span, _index: number, _count: number): DimNode {
    if (/^\d+$/.test(text)) {
      const value = Number(text);
      if (value < 1) this.fail('bad-dimension', `A dimension must be a positive integer, not ${text}.`, span);
      // R^{999…9} used to become an Infinity dimension (shown as "Infinity×1", null in JSON).
      if (!Number.isSafeInteger(value)) this.fail('bad-dimension', `The dimension ${text.length > 20 ? `${text.slice(0, 12)}… (${text.length} digits)` : text} is too large.`, span);
      return { value, span };
    }
    if (/^[A-Za-z][A-Za-z0-9_]*$/.test(text)) return { value: text, span };
    this.fail('bad-dimension', `'${text}' is not a dimension.`, span);
  }

  private modifiers(): DeclModifier[] {
    const result: DeclModifier[] = [];
    for (;;) {
      const t = this.peek();
      const word = t.kind === 'ident' || t.kind === 'text' ? t.value.trim() : '';
      if (word === 'positive' && this.peek(1).kind === 'ident' && this.peek(1).value === 'definite') {
        this.next();
        this.next();
        result.push('spd');
        continue;
      }
      const mod = MODIFIER_WORDS[word] ?? (word === 'positive definite' ? 'spd' : undefined);
      if (!mod) return result;
      this.next();
      result.push(mod);
    }
  }

  // ── expressions ─────────────────────────────────────────────────────────

  expression(): Expr {
    return this.additive();
  }

  private additive(): Expr {
    let left = this.frobenius();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '+') && !this.isOp(t, '-')) return left;
      this.next();
      this.skipNewlines();
      const right = this.frobenius();
      left = { kind: 'binary', op: t.value === '+' ? 'add' : 'sub', left, right, opSpan: t.span, span: spanOf(left, right) };
    }
  }

  private frobenius(): Expr {
    let left = this.multiplicative();
    while (this.atOp(':')) {
      const t = this.next();
      this.skipNewlines();
      const right = this.multiplicative();
      left = { kind: 'binary', op: 'frobenius', left, right, opSpan: t.span, span: spanOf(left, right) };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const op = t.kind === 'op' ? MULTIPLICATIVE_OPS[t.value] : undefined;
      if (op) {
        this.next();
        this.skipNewlines();
        const right = this.unary();
        left = {
          kind: 'binary',
          op,
          left,
          right,
          opSpan: t.span,
          ...(op === 'mul' ? { mul: t.spelling === 'cdot' || t.spelling === 'times' ? t.spelling : 'star' } : {}),
          span: spanOf(left, right),
        } as Expr;
        continue;
      }
      if (this.startsJuxtaposedFactor(t)) {
        const right = this.postfix();
        left = {
          kind: 'binary',
          op: 'mul',
          left,
          right,
          opSpan: { start: left.span.end, end: right.span.start },
          mul: 'juxtaposition',
          span: spanOf(left, right),
        };
        continue;
      }
      return left;
    }
  }

  private startsJuxtaposedFactor(t: Token): boolean {
    switch (t.kind) {
      case 'number':
      case 'ident':
      case 'begin':
        return true;
      case 'op':
        switch (t.value) {
          case '(':
          case '{':
          case 'frac':
          case 'sqrt':
          case '∂':
          case '∇':
          case '∑':
            return true;
          case '[':
            return t.spaceBefore;
          // A bar LaTeX marks as opening (`\lVert`, `\left|`) starts a factor even inside
          // another norm (‖2 ‖x‖ y‖); one marked closing never does.
          case '|':
            return t.spelling === 'left' || (t.spelling !== 'right' && (this.bars === 0 || this.opensNestedBar(t, this.bars)));
          case '‖':
            return t.spelling === 'left' || (t.spelling !== 'right' && (this.norms === 0 || this.opensNestedBar(t, this.norms)));
          default:
            return false;
        }
      default:
        return false;
    }
  }

  /**
   * Whether an unmarked bar `t` (the next token) inside `open` groups of its kind
   * opens a nested one, as the second bar of ‖2 ‖x‖ y‖ does. Plain text cannot
   * say which side a bar is on, so spacing decides, as people write it: a bar
   * after a space and glued to what follows opens (a closing bar is glued to
   * what precedes it). It opens only if enough bars follow in the statement to
   * close it and every group around it; otherwise it closes, as before.
   */
  private opensNestedBar(t: Token, open: number): boolean {
    if (!t.spaceBefore) return false;
    const after = this.peek(1);
    if (after.spaceBefore || !this.startsOperand(after)) return false;
    let bars = 0;
    // Bounded, so a statement of thousands of bars is not read once per bar (quadratic):
    // past the bound the bar closes, as it did before nested bars were read.
    const last = Math.min(this.tokens.length, this.indexOfPeek() + 1 + NESTED_BAR_LOOKAHEAD);
    for (let k = this.indexOfPeek() + 1; k < last; k++) {
      const u = this.tokens[k]!;
      if (u.kind === 'eof' || u.kind === 'sep' || (u.kind === 'newline' && this.mode === 'block')) break;
      if (this.isOp(u, t.value) && ++bars > open) return true;
    }
    return false;
  }

  /** Whether `t` can begin an operand (what may follow an opening bar). */
  private startsOperand(t: Token): boolean {
    if (t.kind === 'number' || t.kind === 'ident' || t.kind === 'begin') return true;
    return t.kind === 'op' && ['(', '{', '[', '-', '|', '‖', 'frac', 'sqrt', '∑', '∂', '∇'].includes(t.value);
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      this.nesting++;
      try {
        this.guard(t.span);
        const operand = this.unary();
        if (t.value === '+') return operand;
        return { kind: 'neg', operand, span: spanOf(t.span, operand) };
      } finally {
        this.nesting--;
      }
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let base = this.primary();
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '^')) {
        base = this.superscript(base);
        continue;
      }
      if (this.isOp(t, '.^')) {
        this.next();
        const exponent = this.exponentOperand();
        base = { kind: 'binary', op: 'hpow', left: base, right: exponent, opSpan: t.span, span: spanOf(base, exponent) };
        continue;
      }
      if (this.isOp(t, "'") || this.isOp(t, 'ᵀ')) {
        this.next();
        base = { kind: 'transpose', operand: base, opSpan: t.span, span: spanOf(base, t.span) };
        continue;
      }
      if (this.isOp(t, '⊙') && this.peek(1).kind === 'supnum' && !this.peek(1).spaceBefore) {
        // A∘² (how the Unicode printer writes a Hadamard power): the superscript is glued to ∘.
        this.next();
        const sup = this.next();
        const exponent = this.superscriptNumber(sup);
        base = { kind: 'binary', op: 'hpow', left: base, right: exponent, opSpan: t.span, circ: true, span: spanOf(base, sup.span) };
        continue;
      }
      if (t.kind === 'supnum' && !t.spaceBefore) {
        this.next();
        const after = this.peek();
        if (t.value === '-' && this.isOp(after, 'ᵀ') && !after.spaceBefore) {
          // X⁻ᵀ (as X^{-T}): the transpose of the inverse.
          this.next();
          const opSpan = spanOf(t.span, after.span);
          const inverse: Expr = { kind: 'power', base, exponent: { kind: 'number', value: -1, text: '-1', span: opSpan }, opSpan, span: spanOf(base, after.span) };
          base = { kind: 'transpose', operand: inverse, opSpan, span: spanOf(base, after.span) };
          continue;
        }
        const exponent = this.superscriptNumber(t);
        base = { kind: 'power', base, exponent, opSpan: t.span, span: spanOf(base, t.span) };
        continue;
      }
      if (this.isOp(t, '_') && base.kind !== 'ident') {
        this.fail('unexpected-token', 'Subscripts apply to names, like x_1 or X_{12}.', t.span);
      }
      return base;
    }
  }

  /** The value of a Unicode superscript number: `²`, `⁻¹`, or a fraction `³ᐟ²` (as the Unicode printer writes x^{3/2}). */
  private superscriptNumber(t: Token): Expr {
    const fraction = /^(-?\d+)\/(\d+)$/.exec(t.value);
    const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(t.value);
    if (!Number.isFinite(value)) this.fail('invalid-number', `'${t.value}' is not a number.`, t.span);
    return { kind: 'number', value, text: t.value, span: t.span };
  }

  /** The operand of `.^`: a signed number, a name, or a group. */
  private exponentOperand(): Expr {
    const t = this.peek();
    if (this.isOp(t, '-')) {
      this.next();
      const operand = this.exponentOperand();
      return { kind: 'neg', operand, span: spanOf(t.span, operand) };
    }
    return this.primary();
  }

  /** After a base, `^…`: transpose, inverse, power, or a name decoration. */
  private superscript(base: Expr): Expr {
    const caret = this.next();
    let t = this.peek();
    // LaTeX reads one character after ^: `x^TAx` is x^T A x.
    if (t.kind === 'ident' && t.value.length > 1 && /^[A-Za-z]/.test(t.value) && !t.spaceBefore) {
      this.splitIdent(this.indexOfPeek(), 1);
      t = this.peek();
    }
    if (t.kind === 'ident' && (t.value === 'T' || t.value === '⊤')) {
      this.next();
      return { kind: 'transpose', operand: base, opSpan: spanOf(caret.span, t.span), span: spanOf(base, t.span) };
    }
    if (this.isOp(t, '⊤')) {
      this.next();
      return { kind: 'transpose', operand: base, opSpan: spanOf(caret.span, t.span), span: spanOf(base, t.span) };
    }
    if (t.kind === 'ident' && t.value === 'ℓ' && base.kind === 'ident') {
      this.next();
      return this.elementOf({ kind: 'ident', name: `${base.name}^ℓ`, span: spanOf(base, t.span) });
    }
    if (this.isOp(t, '{')) {
      const a = this.peek(1);
      const b = this.peek(2);
      const c = this.peek(3);
      const isT = (x: Token) => (x.kind === 'ident' && (x.value === 'T' || x.value === '⊤')) || this.isOp(x, '⊤');
      if (isT(a) && this.isOp(b, '}')) {
        this.next();
        this.next();
        const close = this.next();
        return { kind: 'transpose', operand: base, opSpan: spanOf(caret.span, close.span), span: spanOf(base, close.span) };
      }
      if (this.isOp(a, '-') && isT(b) && this.isOp(c, '}')) {
        // X^{-T}: the transpose of the inverse.
        this.next();
        const minus = this.next();
        const top = this.next();
        const close = this.next();
        const inverse: Expr = {
          kind: 'power',
          base,
          exponent: { kind: 'number', value: -1, text: '-1', span: spanOf(minus.span, top.span) },
          opSpan: spanOf(caret.span, close.span),
          span: spanOf(base, close.span),
        };
        return { kind: 'transpose', operand: inverse, opSpan: spanOf(caret.span, close.span), span: spanOf(base, close.span) };
      }
      if (this.isOp(a, '⊙')) return this.hadamardPower(base, caret);
      if (base.kind === 'ident' && (this.isOp(a, '(') || (a.kind === 'ident' && a.value === 'ℓ'))) {
        const deco = this.decorationText(this.rawGroup());
        return this.elementOf({ kind: 'ident', name: base.name + deco.text, span: { start: base.span.start, end: deco.end } });
      }
      const open = this.next();
      const exponent = this.withDepth(() => this.expression());
      const close = this.expectClose(open, '}');
      return { kind: 'power', base, exponent, opSpan: spanOf(caret.span, close.span), span: spanOf(base, close.span) };
    }
    if (this.isOp(t, '⊙')) {
      // LaTeX would put only `\circ` in the superscript and the exponent after it, on the baseline.
      this.fail('unexpected-token', 'Write an elementwise (Hadamard) power with braces, as in A^{\\circ 2}.', t.span);
    }
    if (this.isOp(t, '-')) {
      this.next();
      const u = this.peek();
      if (u.kind === 'ident' && (u.value === 'T' || u.value === '⊤')) {
        this.next();
        const inverse: Expr = {
          kind: 'power',
          base,
          exponent: { kind: 'number', value: -1, text: '-1', span: spanOf(t.span, u.span) },
          opSpan: spanOf(caret.span, u.span),
          span: spanOf(base, u.span),
        };
        return { kind: 'transpose', operand: inverse, opSpan: spanOf(caret.span, u.span), span: spanOf(base, u.span) };
      }
      const operand = this.primary();
      const exponent: Expr = { kind: 'neg', operand, span: spanOf(t.span, operand) };
      return { kind: 'power', base, exponent, opSpan: spanOf(caret.span, operand), span: spanOf(base, operand) };
    }
    const exponent = this.primary();
    return { kind: 'power', base, exponent, opSpan: spanOf(caret.span, exponent), span: spanOf(base, exponent) };
  }

  /**
   * `A^{\circ k}` (also `\odot`), after the caret: the elementwise (Hadamard)
   * power, the notation the LaTeX printer writes. The exponent is any scalar
   * expression, so `A^{\circ -1}` is the elementwise reciprocal (the Hadamard
   * inverse) and `A^{\circ 1/2}` the elementwise square root.
   */
  private hadamardPower(base: Expr, caret: Token): Expr {
    const open = this.next(); // '{'
    const circ = this.next();
    if (this.atOp('}')) this.fail('unexpected-token', 'Expected the exponent of the elementwise power after \\circ, as in A^{\\circ 2}.', this.peek().span);
    const exponent = this.withDepth(() => this.expression());
    const close = this.expectClose(open, '}');
    // The operator is `^{\circ`, between the operands, as for every binary node.
    const opSpan = spanOf(caret.span, circ.span);
    return { kind: 'binary', op: 'hpow', left: base, right: exponent, opSpan, circ: true, span: spanOf(base, close.span) };
  }

  private primary(): Expr {
    const t = this.peek();
    this.nesting++;
    try {
      this.guard(t.span);
      return this.primaryInner(t);
    } finally {
      this.nesting--;
    }
  }

  private primaryInner(t: Token): Expr {
    switch (t.kind) {
      case 'number': {
        this.next();
        const value = Number(t.value);
        if (!Number.isFinite(value)) this.fail('invalid-number', `'${t.value}' is not a finite number.`, t.span);
        return { kind: 'number', value, text: t.value, span: t.span };
      }
      case 'ident':
        return this.identifier();
      case 'begin':
        return this.matrixEnvironment();
      case 'text':
        this.fail('unexpected-token', `Expected an expression but found the text "${t.value}".`, t.span);
      // eslint-disable-next-line no-fallthrough
      case 'op':
        break;
      default:
        this.unexpected(t, 'an expression');
    }
    switch (t.value) {
      case '(':
      case '{': {
        const open = this.next();
        const close = open.value === '(' ? ')' : '}';
        if (this.isOp(this.peek(), close)) this.fail('unexpected-token', `Empty '${open.value}${close}' has no value.`, spanOf(open.span, this.peek().span));
        const inner = this.withDepth(() => this.expression());
        const end = this.expectClose(open, close);
        // `{W^{(1)}}_{12}`, `{W_{in}}_{21}`: LaTeX's spelling of an element of a decorated name.
        const sub = this.peek();
        if (open.value === '{' && !sub.spaceBefore && (this.isOp(sub, '_') || this.isOp(sub, '['))) {
          const name = inner.kind === 'ident' ? inner.name : inner.kind === 'subscript' && !inner.brackets ? inner.subscriptName : null;
          if (name !== null) return this.elementOf({ kind: 'ident', name, span: spanOf(open.span, end.span) });
        }
        return { ...inner, span: spanOf(open.span, end.span) } as Expr;
      }
      case '[':
        return this.bracketArray();
      case '|':
        return this.bars_();
      case '‖':
        return this.norm();
      case 'frac':
        return this.fraction();
      case 'sqrt':
        return this.squareRoot();
      case '∂':
        return this.partialSlash();
      case '∇':
        return this.nabla();
      case '∑':
        return this.sumSymbol();
      case '…':
        this.fail('unsupported-syntax', 'An ellipsis (…) describes a pattern that cannot be computed; write the elements out, or declare the variable with its size.', t.span);
      // eslint-disable-next-line no-fallthrough
      case '∏':
      case '∫':
      case 'lim':
        this.fail('unsupported-syntax', `'${t.value}' is not supported by the tensor language.`, t.span);
      // eslint-disable-next-line no-fallthrough
      case '⊤':
        this.fail('unexpected-token', 'A transpose sign must follow ^, as in x^\\top.', t.span);
      // eslint-disable-next-line no-fallthrough
      default:
        this.unexpected(t, 'an expression');
    }
  }

  private identifier(): Expr {
    const index = this.indexOfPeek();
    const t = this.tokens[index]!;
    // Derivative spellings built on `d`: d/dx f, d(f)/dx, df/dx.
    if (t.value.startsWith('d')) {
      const d = this.slashDerivative();
      if (d) return d;
    }
    this.next();
    const name = t.value;
    const notation = DERIVATIVE_CALLS[name];
    if (notation && this.atOp('(')) return this.derivativeCall(t, notation);
    const canonical = FUNCTION_ALIASES[name];
    if (canonical !== undefined) {
      const fn = this.builtinCall(t, canonical);
      if (fn) return fn;
    }
    let node: Expr = { kind: 'ident', name, span: t.span, ...(t.spelling === 'latex' ? { latex: true } : {}) };
    // W⁽¹⁾: a raised label glued to the name is part of it, and ends it, as `W^{(1)}`
    // (read in postfix) does: neither takes a subscript or an index.
    const label = this.peek().kind === 'suplabel' ? this.nameLabel() : null;
    if (label) return this.elementOf({ ...(node as IdentNode), name: name + label.text, span: { start: t.span.start, end: label.end } });
    const after = this.peek();
    if (this.isOp(after, '_') || (after.kind === 'subnum' && !after.spaceBefore)) return this.labelled(this.elementOf(node as IdentNode));
    if (this.isOp(after, '[') && !after.spaceBefore) return this.bracketIndex(node as IdentNode);
    if (this.isOp(after, '(') && !after.spaceBefore) {
      node = this.userCall(node as IdentNode);
    }
    return node;
  }

  private builtinCall(t: Token, fn: string): Expr | null {
    const info = BUILTIN_FUNCTIONS[fn]!;
    // `\sin^2 x` is (sin x)^2.
    let power: { exponent: Expr; caret: Token } | null = null;
    if (this.atOp('^') && t.spelling === 'latex') {
      const caret = this.next();
      const exponent = this.atOp('{')
        ? (() => {
            const open = this.next();
            const e = this.withDepth(() => this.expression());
            this.expectClose(open, '}');
            return e;
          })()
        : this.primary();
      power = { exponent, caret };
    }
    let call: Expr;
    if (this.atOp('(')) {
      const open = this.next();
      const args = this.withDepth(() => this.argumentList(open));
      call = { kind: 'call', fn, builtin: true, args, nameSpan: t.span, span: spanOf(t.span, this.lastEndSpan()) };
    } else if (this.startsJuxtaposedFactor(this.peek()) && info.min === 1) {
      const arg = this.postfix();
      call = { kind: 'call', fn, builtin: true, args: [arg], nameSpan: t.span, bare: true, span: spanOf(t.span, arg) };
    } else if (power) {
      this.unexpected(this.peek(), `the argument of ${t.value}`);
    } else {
      return null;
    }
    if (power) {
      return { kind: 'power', base: call, exponent: power.exponent, opSpan: power.caret.span, span: call.span };
    }
    return call;
  }

  private lastEndSpan(): Span {
    return { start: this.lastEnd, end: this.lastEnd };
  }

  private argumentList(open: Token): Expr[] {
    const args: Expr[] = [];
    if (this.atOp(')')) {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.expression());
      if (this.atOp(',')) {
        this.next();
        continue;
      }
      this.expectClose(open, ')');
      // Of its exact length: a list grown by `push` keeps room for 17 entries, and analyses keep their trees.
      return args.slice();
    }
  }

  private userCall(callee: IdentNode): Expr {
    const open = this.next();
    const args = this.withDepth(() => this.argumentList(open));
    return { kind: 'call', fn: callee.name, builtin: false, args, nameSpan: callee.span, span: spanOf(callee, this.lastEndSpan()) };
  }

  private subscript(base: IdentNode): Expr {
    this.next(); // '_'
    const t = this.peek();
    const indices: IndexArg[] = [];
    let raw = '';
    let end: number;
    if (this.isOp(t, '{')) {
      const open = this.next();
      this.depth++;
      try {
        const parts: string[] = [];
        while (!this.atOp('}')) {
          const inner = this.next();
          if (inner.kind === 'eof') this.fail('unclosed-bracket', "This '{' is never closed with '}'.", open.span);
          parts.push(inner.value);
          if (inner.kind === 'number' && /^\d+$/.test(inner.value)) indices.push({ kind: 'int', value: Number(inner.value), span: inner.span });
          else if (inner.kind === 'ident') indices.push({ kind: 'name', name: inner.value, span: inner.span });
          else if (!this.isOp(inner, ',')) indices.push({ kind: 'name', name: inner.value, span: inner.span });
        }
        raw = parts.join('');
      } finally {
        this.depth--;
      }
      end = this.next().span.end;
      if (raw === '') this.fail('bad-index', 'An empty subscript has no index.', spanOf(t.span, { start: end, end }));
    } else if (t.kind === 'number' && /^\d+$/.test(t.value)) {
      this.next();
      raw = t.value;
      indices.push({ kind: 'int', value: Number(t.value), span: t.span });
      end = t.span.end;
    } else if (t.kind === 'ident') {
      // LaTeX reads one character after _: `x_ij` is x_i j.
      if (t.value.length > 1 && /^[A-Za-z]/.test(t.value)) this.splitIdent(this.indexOfPeek(), 1);
      const one = this.next();
      raw = one.value;
      indices.push({ kind: 'name', name: one.value, span: one.span });
      end = one.span.end;
    } else {
      this.unexpected(t, 'a subscript such as _1 or _{12}');
    }
    const node: SubscriptNode = {
      kind: 'subscript',
      base,
      indices,
      raw,
      brackets: false,
      subscriptName: `${base.name}_${raw}`,
      span: { start: base.span.start, end },
    };
    return node;
  }

  private bracketIndex(base: IdentNode): Expr {
    const open = this.next();
    const indices: IndexArg[] = [];
    this.withDepth(() => {
      for (;;) {
        const t = this.next();
        if (t.kind === 'number' && /^\d+$/.test(t.value)) indices.push({ kind: 'int', value: Number(t.value), span: t.span });
        else if (t.kind === 'ident') indices.push({ kind: 'name', name: t.value, span: t.span });
        else if (t.kind === 'eof') this.fail('unclosed-bracket', "This '[' is never closed with ']'.", open.span);
        else this.fail('bad-index', `Element indices are whole numbers from 1, like X[1,2]; found ${describe(t)}.`, t.span);
        const sep = this.next();
        if (this.isOp(sep, ']')) return;
        if (!this.isOp(sep, ',')) {
          this.unclosedAcrossLines(open, "This '[' is never closed with ']'.");
          this.unexpected(sep, "',' or ']'");
        }
      }
    });
    const raw = indices.map((x) => (x.kind === 'int' ? String(x.value) : x.name)).join(',');
    return {
      kind: 'subscript',
      base,
      indices,
      raw,
      brackets: true,
      subscriptName: `${base.name}_${raw}`,
      span: { start: base.span.start, end: this.lastEnd },
    };
  }

  private bracketArray(): Expr {
    const open = this.next();
    const rows: Expr[][] = [[]];
    this.withDepth(() => {
      if (this.atOp(']')) this.fail('unexpected-token', 'An empty array [] has no value.', spanOf(open.span, this.peek().span));
      for (;;) {
        rows[rows.length - 1]!.push(this.expression());
        const t = this.peek();
        if (this.isOp(t, ',')) {
          this.next();
          continue;
        }
        if (t.kind === 'sep' && t.value === ';') {
          this.next();
          rows.push([]);
          continue;
        }
        this.expectClose(open, ']');
        return;
      }
    });
    return this.arrayFromRows(rows, spanOf(open.span, { start: this.lastEnd, end: this.lastEnd }), 'comma');
  }

  /**
   * Builds an array node from rows of cells. A single comma list is a column
   * vector (like a 1-D NumPy array); a single LaTeX row is a row vector.
   */
  private arrayFromRows(rows: Expr[][], span: Span, style: 'comma' | 'latex'): ArrayNode {
    const width = rows[0]!.length;
    for (const row of rows) {
      if (row.length !== width) {
        this.fail('shape-mismatch', `Every row of an array needs the same number of entries; found rows of ${width} and ${row.length}.`, span);
      }
    }
    if (rows.length === 1) {
      return { kind: 'array', elements: rows[0]!, orientation: style === 'latex' && width > 1 ? 'row' : 'column', span };
    }
    if (width === 1) return { kind: 'array', elements: rows.map((r) => r[0]!), orientation: 'column', span };
    const elements: ArrayNode[] = rows.map((r) => ({
      kind: 'array',
      elements: r,
      orientation: 'row',
      span: spanOf(r[0]!, r[r.length - 1]!),
    }));
    return { kind: 'array', elements, orientation: 'column', span };
  }

  private matrixEnvironment(): Expr {
    const begin = this.next();
    const env = begin.value;
    if (!MATRIX_ENVIRONMENTS.has(env)) {
      this.fail('unsupported-syntax', `The environment '${env}' is not supported here; use bmatrix, pmatrix or matrix for arrays.`, begin.span);
    }
    const rows: Expr[][] = [[]];
    this.withDepth(() => {
      for (;;) {
        const t = this.peek();
        if (t.kind === 'end') {
          this.next();
          return;
        }
        if (t.kind === 'eof') this.fail('unclosed-bracket', `\\begin{${env}} is never closed with \\end{${env}}.`, begin.span);
        rows[rows.length - 1]!.push(this.expression());
        const sep = this.peek();
        if (this.isOp(sep, '&')) {
          this.next();
          continue;
        }
        if (this.isOp(sep, '\\\\')) {
          this.next();
          if (this.peek().kind === 'end') continue;
          rows.push([]);
          continue;
        }
        if (sep.kind === 'end') continue;
        this.unclosedAcrossLines(begin, `\\begin{${env}} is never closed with \\end{${env}}.`);
        this.unexpected(sep, `'&', '\\\\' or \\end{${env}}`);
      }
    });
    const span = spanOf(begin.span, { start: this.lastEnd, end: this.lastEnd });
    if (rows[0]!.length === 0) this.fail('unexpected-token', `An empty ${env} has no value.`, span);
    const array = this.arrayFromRows(rows, span, 'latex');
    if (env === 'vmatrix') return { kind: 'call', fn: 'bars', builtin: true, args: [array], nameSpan: begin.span, span };
    if (env === 'Vmatrix') return { kind: 'call', fn: 'norm2', builtin: true, args: [array], nameSpan: begin.span, span };
    return array;
  }

  private bars_(): Expr {
    const open = this.next();
    this.bars++;
    try {
      const inner = this.withDepth(() => this.expression());
      const close = this.expectClose(open, '|');
      return { kind: 'call', fn: 'bars', builtin: true, args: [inner], nameSpan: open.span, span: spanOf(open.span, close.span) };
    } finally {
      this.bars--;
    }
  }

  private norm(): Expr {
    const open = this.next();
    this.norms++;
    let inner: Expr;
    let close: Token;
    try {
      inner = this.withDepth(() => this.expression());
      close = this.expectClose(open, '‖');
    } finally {
      this.norms--;
    }
    let fn = 'norm2';
    let end = close.span.end;
    // `‖x‖_2`, `‖x‖_{1}`, or a Unicode subscript glued to the bar: `‖x‖₂`.
    const glued = this.peek().kind === 'subnum' && !this.peek().spaceBefore;
    if (this.atOp('_') || glued) {
      if (!glued) this.next();
      const sub = this.rawGroup();
      end = sub.end;
      if (sub.text === '1') fn = 'norm1';
      else if (sub.text !== '2' && sub.text !== 'F') {
        this.fail('unsupported-syntax', `The ${sub.text}-norm is not supported; use ‖x‖₂, ‖X‖_F or ‖x‖₁.`, { start: close.span.end, end });
      }
    }
    return { kind: 'call', fn, builtin: true, args: [inner], nameSpan: open.span, span: { start: open.span.start, end } };
  }

  private squareRoot(): Expr {
    const t = this.next();
    let root: Expr | null = null;
    if (this.atOp('[')) {
      const open = this.next();
      root = this.withDepth(() => this.expression());
      this.expectClose(open, ']');
    }
    let arg: Expr;
    if (this.atOp('{')) {
      const open = this.next();
      arg = this.withDepth(() => this.expression());
      this.expectClose(open, '}');
    } else if (this.atOp('(')) {
      const open = this.next();
      arg = this.withDepth(() => this.expression());
      this.expectClose(open, ')');
    } else {
      arg = this.postfix();
    }
    const span = spanOf(t.span, { start: this.lastEnd, end: this.lastEnd });
    if (root) {
      const exponent: Expr = {
        kind: 'binary',
        op: 'div',
        left: { kind: 'number', value: 1, text: '1', span: root.span },
        right: root,
        opSpan: root.span,
        span: root.span,
      };
      return { kind: 'power', base: arg, exponent, opSpan: t.span, span };
    }
    return { kind: 'call', fn: 'sqrt', builtin: true, args: [arg], nameSpan: t.span, span };
  }

  private sumSymbol(): Expr {
    const t = this.next();
    if (this.atOp('_') || this.atOp('^')) {
      this.fail('unsupported-syntax', 'Index sums (∑ with limits) are not computed; write the sum in matrix form, e.g. v^T a or sum(x).', t.span);
    }
    if (this.atOp('(')) {
      const open = this.next();
      const args = this.withDepth(() => this.argumentList(open));
      return { kind: 'call', fn: 'sum', builtin: true, args, nameSpan: t.span, span: spanOf(t.span, this.lastEndSpan()) };
    }
    const arg = this.postfix();
    return { kind: 'call', fn: 'sum', builtin: true, args: [arg], nameSpan: t.span, bare: true, span: spanOf(t.span, arg) };
  }

  // ── derivative requests ────────────────────────────────────────────────

  /** A variable name after ∂ or d: `x`, `\mathbf{x}`, `W_1`, `W^{(1)}`, with optional `^T` or `^2`. */
  private wrtName(): { wrt: WrtNode; squared: boolean } {
    const t = this.peek();
    if (t.kind !== 'ident') this.unexpected(t, 'the variable to differentiate by');
    const name = this.declaredName();
    let transposed = false;
    let squared = false;
    let end = name.span.end;
    if (this.atOp('^')) {
      const a = this.peek(1);
      const b = this.peek(2);
      const isT = (x: Token) => (x.kind === 'ident' && (x.value === 'T' || x.value === '⊤')) || this.isOp(x, '⊤');
      if (isT(a)) {
        this.next();
        end = this.next().span.end;
        transposed = true;
      } else if (this.isOp(a, '{') && isT(b)) {
        this.next();
        this.next();
        this.next();
        end = this.expectOp('}', "'}'").span.end;
        transposed = true;
      } else if (a.kind === 'number' && a.value === '2') {
        this.next();
        end = this.next().span.end;
        squared = true;
      } else if (this.isOp(a, '{') && b.kind === 'number' && b.value === '2') {
        this.next();
        this.next();
        this.next();
        end = this.expectOp('}', "'}'").span.end;
        squared = true;
      }
    } else if (this.peek().kind === 'supnum' && this.peek().value === '2') {
      end = this.next().span.end;
      squared = true;
    } else if (this.atOp('ᵀ')) {
      end = this.next().span.end;
      transposed = true;
    }
    return { wrt: { name: name.name, transposed, span: { start: name.span.start, end } }, squared };
  }

  /** Reads `∂x`, `dx`, `d x`, `d\mathbf{x}` (one differential). Returns null if none is here. */
  private differential(): { wrt: WrtNode; squared: boolean } | null {
    const t = this.peek();
    if (this.isOp(t, '∂')) {
      this.next();
      return this.wrtName();
    }
    if (t.kind === 'ident' && t.value === 'd') {
      this.next();
      return this.wrtName();
    }
    if (t.kind === 'ident' && t.value.length > 1 && t.value.startsWith('d')) {
      this.splitIdent(this.indexOfPeek(), 1);
      this.next();
      return this.wrtName();
    }
    return null;
  }

  /** d/dx f, d(f)/dx, df/dx (ASCII). Returns null (consuming nothing) when this `d…` is not one. */
  private slashDerivative(): DerivativeNode | null {
    const start = this.indexOfPeek();
    const t = this.tokens[start]!;
    const save = this.i;
    const isDiff = (x: Token) => x.kind === 'ident' && x.value.startsWith('d');
    try {
      if (t.value === 'd' && this.isOp(this.peek(1), '/') && isDiff(this.peek(2))) {
        this.next();
        this.next();
        const dx = this.differential();
        if (!dx) return null;
        const of = this.operand(t.span);
        return this.makeDerivative(of, [dx.wrt], dx.squared ? 2 : 1, 'slash', false, spanOf(t.span, of));
      }
      if (t.value === 'd' && this.isOp(this.peek(1), '(') && !this.peek(1).spaceBefore) {
        this.next();
        const open = this.next();
        const of = this.withDepth(() => this.expression());
        this.expectClose(open, ')');
        if (!this.atOp('/') || !isDiff(this.peek(1))) {
          this.i = save;
          return null;
        }
        this.next();
        const dx = this.differential();
        if (!dx) {
          this.i = save;
          return null;
        }
        return this.makeDerivative(of, [dx.wrt], 1, 'slash', false, spanOf(t.span, dx.wrt.span));
      }
      if (t.value.length > 1 && this.isOp(this.peek(1), '/') && isDiff(this.peek(2)) && this.peek(2).value.length > 1) {
        this.splitIdent(start, 1);
        this.next(); // d
        const of = this.postfix();
        this.expectOp('/', "'/'");
        const dx = this.differential();
        if (!dx) this.fail('bad-derivative', 'Expected dx after the slash.', this.peek().span);
        return this.makeDerivative(of, [dx.wrt], 1, 'slash', false, spanOf(t.span, dx.wrt.span));
      }
    } catch (e) {
      if (e instanceof ParseError && this.i === save) return null;
      throw e;
    }
    return null;
  }

  /** ∂f/∂x, ∂/∂x f. */
  private partialSlash(): Expr {
    const partial = this.next();
    if (this.atOp('/')) {
      this.next();
      const dx = this.differential();
      if (!dx) this.fail('bad-derivative', 'Expected ∂x after ∂/.', this.peek().span);
      const of = this.operand(partial.span);
      return this.makeDerivative(of, [dx.wrt], dx.squared ? 2 : 1, 'slash', false, spanOf(partial.span, of));
    }
    const of = this.postfix();
    this.expectOp('/', "'/' and the variable, as in ∂f/∂x");
    const dx = this.differential();
    if (!dx) this.fail('bad-derivative', 'Expected ∂x after the slash, as in ∂f/∂x.', this.peek().span);
    return this.makeDerivative(of, [dx.wrt], dx.squared ? 2 : 1, 'slash', false, spanOf(partial.span, dx.wrt.span));
  }

  /** `\nabla_x f`, `\nabla^2_x f`, `\nabla_{\mathbf{x}}^2 f`. */
  private nabla(): Expr {
    const t = this.next();
    let order: 1 | 2 = 1;
    let wrt: WrtNode | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.atOp('^')) {
        this.next();
        const e = this.peek();
        if (this.isOp(e, '{')) {
          this.next();
          const n = this.next();
          if (n.value !== '2') this.fail('bad-derivative', 'Only \\nabla^2 (the Hessian) is supported.', n.span);
          this.expectOp('}', "'}'");
        } else {
          const n = this.next();
          if (n.value !== '2') this.fail('bad-derivative', 'Only \\nabla^2 (the Hessian) is supported.', n.span);
        }
        order = 2;
      } else if (this.peek().kind === 'supnum' && this.peek().value === '2') {
        this.next();
        order = 2;
      } else if (this.atOp('_')) {
        this.next();
        if (this.atOp('{')) {
          const open = this.next();
          wrt = this.withDepth(() => this.wrtName().wrt);
          this.expectClose(open, '}');
        } else {
          const name = this.peek();
          if (name.kind !== 'ident') this.unexpected(name, 'the variable after \\nabla_');
          if (name.value.length > 1 && /^[A-Za-z]/.test(name.value)) this.splitIdent(this.indexOfPeek(), 1);
          const one = this.next();
          wrt = { name: one.value, transposed: false, span: one.span };
        }
      }
    }
    if (!wrt) this.fail('bad-derivative', 'Say which variable the gradient is taken by, as in \\nabla_x f.', t.span);
    const of = this.operand(t.span);
    const wrts = order === 2 ? [wrt, wrt] : [wrt];
    return this.makeDerivative(of, wrts, order, 'nabla', false, spanOf(t.span, of));
  }

  /** The expression an operator-form derivative applies to: the rest of the additive expression. */
  private operand(opSpan: Span): Expr {
    const t = this.peek();
    if (t.kind === 'eof' || t.kind === 'sep' || t.kind === 'newline' || this.isOp(t, '=') || this.isOp(t, ')') || this.isOp(t, '}')) {
      this.fail('bad-derivative', 'A derivative operator needs an expression to differentiate after it.', opSpan);
    }
    return this.additive();
  }

  /** `\frac{N}{D}`: a derivative when both N and D start with ∂ or d, otherwise a division. */
  private fraction(): Expr {
    const frac = this.next();
    if (!this.atOp('{')) {
      this.fail('unexpected-token', '\\frac needs two arguments in braces, as in \\frac{a}{b}.', frac.span);
    }
    const numOpen = this.indexOfPeek();
    // Find the denominator's first token to decide what this fraction is.
    const save = this.i;
    this.skipBalanced('{', '}');
    const denOpen = this.peek();
    const denFirst = this.peek(1);
    this.i = save;
    const numFirst = this.tokens[this.significant(numOpen + 1)]!;
    const isDiffStart = (x: Token) => this.isOp(x, '∂') || (x.kind === 'ident' && x.value.startsWith('d'));
    if (this.isOp(denOpen, '{') && isDiffStart(denFirst) && isDiffStart(numFirst)) {
      const d = this.tryDerivativeFraction(frac);
      if (d) return d;
      this.i = save;
    }
    const numBrace = this.next();
    const num = this.withDepth(() => this.expression());
    this.expectClose(numBrace, '}');
    if (!this.atOp('{')) this.fail('unexpected-token', '\\frac needs a second argument in braces.', frac.span);
    const denBrace = this.next();
    const den = this.withDepth(() => this.expression());
    const close = this.expectClose(denBrace, '}');
    return { kind: 'binary', op: 'div', left: num, right: den, opSpan: frac.span, span: spanOf(frac.span, close.span) };
  }

  private tryDerivativeFraction(frac: Token): DerivativeNode | null {
    const numBrace = this.next();
    let numeratorOrder = 1;
    let of: Expr | null = null;
    this.depth++;
    try {
      const head = this.peek();
      if (this.isOp(head, '∂') || (head.kind === 'ident' && head.value === 'd')) {
        this.next();
      } else if (head.kind === 'ident' && head.value.startsWith('d')) {
        this.splitIdent(this.indexOfPeek(), 1);
        this.next();
      } else {
        return null;
      }
      if (this.atOp('^')) {
        this.next();
        let n: Token;
        if (this.atOp('{')) {
          this.next();
          n = this.next();
          this.expectOp('}', "'}'");
        } else {
          n = this.next();
        }
        if (n.value !== '2') this.fail('bad-derivative', 'Only first and second derivatives are supported.', n.span);
        numeratorOrder = 2;
      } else if (this.peek().kind === 'supnum') {
        const n = this.next();
        if (n.value !== '2') this.fail('bad-derivative', 'Only first and second derivatives are supported.', n.span);
        numeratorOrder = 2;
      }
      if (!this.atOp('}')) of = this.expression();
    } finally {
      this.depth--;
    }
    this.expectClose(numBrace, '}');
    const denBrace = this.expectOp('{', "the denominator in braces");
    const wrts: WrtNode[] = [];
    let squared = false;
    this.depth++;
    try {
      while (!this.atOp('}')) {
        const dx = this.differential();
        if (!dx) {
          if (wrts.length === 0) return null;
          this.unclosedAcrossLines(denBrace, "This '{' is never closed with '}'.");
          this.unexpected(this.peek(), "another ∂ or '}'");
        }
        wrts.push(dx.wrt);
        squared ||= dx.squared;
      }
    } finally {
      this.depth--;
    }
    const close = this.expectClose(denBrace, '}');
    let order: 1 | 2 = 1;
    let explicitMatrix = false;
    if (wrts.length === 1 && squared) {
      order = 2;
      wrts.push(wrts[0]!);
    } else if (wrts.length === 2) {
      order = 2;
      explicitMatrix = wrts[1]!.transposed || wrts[0]!.transposed;
    } else if (wrts.length > 2) {
      this.fail('bad-derivative', 'Only first and second derivatives are supported.', spanOf(denBrace.span, close.span));
    }
    if (order !== numeratorOrder) {
      this.fail(
        'bad-derivative',
        `The numerator says order ${numeratorOrder} but the denominator has ${order === 2 ? 'two differentials' : 'one differential'}.`,
        spanOf(frac.span, close.span),
      );
    }
    if (!of) of = this.operand(spanOf(frac.span, close.span));
    const end = of.span.end > close.span.end ? of.span.end : close.span.end;
    return this.makeDerivative(of, wrts, order, 'frac', explicitMatrix, { start: frac.span.start, end });
  }

  /** diff(f, x), grad(f, x), hess(f, x), jacobian(f, x), diff(f, x, y). */
  private derivativeCall(name: Token, notation: DerivativeNotation): Expr {
    const open = this.next();
    const args = this.withDepth(() => this.argumentList(open));
    const span = spanOf(name.span, this.lastEndSpan());
    if (args.length < 2) {
      this.fail('wrong-arity', `${name.value} needs the expression and the variable, as in ${name.value}(f, x).`, span);
    }
    const [of, ...vars] = args;
    const wrts = vars.map((v): WrtNode => {
      if (v.kind === 'ident') return { name: v.name, transposed: false, span: v.span };
      if (v.kind === 'subscript') return { name: v.subscriptName, transposed: false, span: v.span };
      if (v.kind === 'transpose' && v.operand.kind === 'ident') return { name: v.operand.name, transposed: true, span: v.span };
      this.fail('not-a-variable', 'Derivatives are taken with respect to a variable name.', v.span);
    });
    let order: 1 | 2 = 1;
    if (notation === 'hess') {
      if (wrts.length !== 1) this.fail('wrong-arity', 'hess takes the expression and one variable, as in hess(f, x).', span);
      wrts.push(wrts[0]!);
      order = 2;
    } else if (wrts.length === 2 && notation === 'diff') {
      order = 2;
    } else if (wrts.length !== 1) {
      this.fail('wrong-arity', `${name.value} takes the expression and one variable.`, span);
    }
    return this.makeDerivative(of!, wrts, order, notation, false, span);
  }

  private makeDerivative(
    of: Expr,
    wrt: WrtNode[],
    order: 1 | 2,
    notation: DerivativeNotation,
    explicitMatrix: boolean,
    span: Span,
  ): DerivativeNode {
    // A squared differential (d/dx^2 f, ∂/∂x² f) is the second derivative by that one variable.
    const vars = order === 2 && wrt.length === 1 ? [wrt[0]!, wrt[0]!] : wrt;
    return { kind: 'derivative', of, wrt: vars, order, notation, explicitMatrix, span };
  }
}

