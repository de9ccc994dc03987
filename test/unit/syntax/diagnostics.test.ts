// Malformed input: every case must yield exactly the expected diagnostics (stable
// code, severity and exact UTF-16 span), and the parser must recover at the
// statement boundary: the line after the error line is still parsed.
//
// Spans were counted by hand on the source of each case; the case is then
// followed by "\nz = 1", which must come out as the last statement.

import { strict as assert } from 'node:assert';
import type { DiagnosticCode } from '../../../src/engine/diagnostics';
import { parse } from '../../../src/engine/syntax/parser';
import { statementToSexpr } from '../../../src/engine/syntax/sexpr';

interface Expected {
  readonly code: DiagnosticCode;
  readonly span: readonly [number, number];
  /** Defaults to 'error'. */
  readonly severity?: 'error' | 'warning';
}

interface Case {
  readonly source: string;
  readonly diagnostics: readonly Expected[];
  /** What the error line itself still yields, if anything (S-expressions). */
  readonly statements?: readonly string[];
}

const e = (code: DiagnosticCode, start: number, end: number): Expected => ({ code, span: [start, end] });
const w = (code: DiagnosticCode, start: number, end: number): Expected => ({ code, span: [start, end], severity: 'warning' });

const CASES: Case[] = [
  // brackets
  { source: 'f = (a + b', diagnostics: [e('unclosed-bracket', 4, 5)], statements: ['(def f (error))'] },
  { source: 'f = sin(a', diagnostics: [e('unclosed-bracket', 7, 8)], statements: ['(def f (error))'] },
  { source: 'f = [a, b', diagnostics: [e('unclosed-bracket', 4, 5)], statements: ['(def f (error))'] },
  { source: 'X[1,2', diagnostics: [e('unclosed-bracket', 1, 2)] },
  { source: '|x', diagnostics: [e('unclosed-bracket', 0, 1)] },
  { source: 'f = \\frac{1}{2', diagnostics: [e('unclosed-bracket', 12, 13)], statements: ['(def f (error))'] },
  { source: '\\begin{bmatrix} 1 & 2', diagnostics: [e('unclosed-bracket', 0, 15)] },
  { source: '\\mathbf{x', diagnostics: [e('unclosed-bracket', 7, 8)] },
  { source: '\\hat{', diagnostics: [e('unclosed-bracket', 4, 5)] },
  { source: 'f = ()', diagnostics: [e('unexpected-token', 4, 6)], statements: ['(def f (error))'] },
  { source: 'x + )', diagnostics: [e('unexpected-token', 4, 5)] },
  { source: 'a = b ]', diagnostics: [e('unmatched-bracket', 6, 7)], statements: ['(def a b)'] },
  { source: 'x: R^{n×n}}', diagnostics: [e('unmatched-bracket', 10, 11)], statements: ['(decl x [n n])'] },
  { source: '\\end{bmatrix}', diagnostics: [e('unexpected-token', 0, 13)] },
  { source: '\\begin{bmatrix} 1 \\end{pmatrix}', diagnostics: [e('unmatched-bracket', 18, 31)], statements: ['(col 1)'] },
  // declarations
  { source: 'x: R^{n×}', diagnostics: [e('bad-declaration', 8, 9)] },
  { source: 'x: R^{n,}', diagnostics: [e('bad-declaration', 8, 9)] },
  { source: 'x: R^{n m}', diagnostics: [e('bad-declaration', 8, 9)] },
  { source: 'x: R^{-1}', diagnostics: [e('bad-declaration', 6, 7)] },
  { source: 'x: R^{n×n', diagnostics: [e('unclosed-bracket', 5, 6)] },
  { source: 'x ∈ Q^n', diagnostics: [e('bad-declaration', 4, 5)] },
  { source: 'x \\in \\mathbb{Q}^n', diagnostics: [e('bad-declaration', 6, 16)] },
  { source: 'x: R^{0}', diagnostics: [e('bad-dimension', 6, 7)] },
  { source: 'x ∈ ℝ^{2×0}', diagnostics: [e('bad-dimension', 9, 10)] },
  { source: 'x: R^n symmetric positive', diagnostics: [e('unexpected-token', 17, 25)], statements: ['(decl x [n] symmetric)'] },
  // lexical problems
  { source: 'y = \\foo x', diagnostics: [e('unknown-command', 4, 8)], statements: ['(def y x)'] },
  { source: 'y = x ? 2', diagnostics: [e('invalid-character', 6, 7)], statements: ['(def y (* x 2))'] },
  // raised labels ⁽…⁾: unclosed (or holding a character no label has), unmatched, empty, detached from the name
  { source: 'y = W⁽¹ + 1', diagnostics: [e('unclosed-bracket', 5, 6)], statements: ['(def y (+ (^ W 1) 1))'] },
  { source: 'y = W⁽α⁾', diagnostics: [e('unclosed-bracket', 5, 6), e('unmatched-bracket', 7, 8)], statements: ['(def y (* W α))'] },
  { source: 'y = W⁾', diagnostics: [e('unmatched-bracket', 5, 6)], statements: ['(def y W)'] },
  { source: 'y = W⁽⁾', diagnostics: [e('unexpected-token', 5, 7)], statements: ['(def y W)'] },
  { source: 'y = W ⁽¹⁾', diagnostics: [e('unexpected-token', 6, 9)], statements: ['(def y W)'] },
  { source: 'x = 1e999', diagnostics: [e('invalid-number', 4, 9)], statements: ['(def x (error))'] },
  // unsupported notation (warnings)
  { source: '\\sum_{i=1}^n x_i', diagnostics: [w('unsupported-syntax', 0, 4)] },
  { source: 'a = [x_1, \\ldots, x_n]', diagnostics: [w('unsupported-syntax', 10, 16)], statements: ['(def a (error))'] },
  { source: 'x_1 + \\cdots + x_n', diagnostics: [w('unsupported-syntax', 6, 12)] },
  { source: '\\int f', diagnostics: [w('unsupported-syntax', 0, 4)] },
  { source: '\\lim x', diagnostics: [w('unsupported-syntax', 0, 4)] },
  { source: '\\begin{cases} a \\end{cases}', diagnostics: [w('unsupported-syntax', 0, 13)] },
  { source: '‖x‖_3', diagnostics: [w('unsupported-syntax', 3, 5)] },
  // expressions
  { source: '\\frac{1}', diagnostics: [e('unexpected-token', 0, 5)] },
  { source: 'x \\approx y', diagnostics: [e('unexpected-token', 2, 9)], statements: ['x'] },
  { source: 'x^', diagnostics: [e('unexpected-end', 2, 3)] },
  { source: 'x_', diagnostics: [e('unexpected-end', 2, 3)] },
  { source: 'x = \\sqrt', diagnostics: [e('unexpected-end', 9, 10)], statements: ['(def x (error))'] },
  { source: 'a = b = )', diagnostics: [e('unexpected-token', 8, 9)], statements: ['(def a b)'] },
  { source: '(x + y)_1', diagnostics: [e('unexpected-token', 7, 8)] },
  { source: 'X_{}', diagnostics: [e('bad-index', 2, 4)] },
  { source: 'X^\\circ 2', diagnostics: [e('unexpected-token', 2, 7)] },
  { source: 'X^{\\circ}', diagnostics: [e('unexpected-token', 8, 9)] },
  { source: 'f = X^{\\circ 2', diagnostics: [e('unclosed-bracket', 6, 7)], statements: ['(def f (error))'] },
  { source: 'X^{\\circ 2 y', diagnostics: [e('unclosed-bracket', 2, 3)] },
  { source: 'X[1.5]', diagnostics: [e('bad-index', 2, 5)] },
  { source: '[1, 2; 3]', diagnostics: [e('shape-mismatch', 0, 9)] },
  // derivatives
  { source: 'hess(f)', diagnostics: [e('wrong-arity', 0, 7)] },
  { source: 'hess(f, x, y)', diagnostics: [e('wrong-arity', 0, 13)] },
  { source: 'diff(f)', diagnostics: [e('wrong-arity', 0, 7)] },
  { source: 'grad(f, x + y)', diagnostics: [e('not-a-variable', 8, 13)] },
  { source: 'diff(f, 2)', diagnostics: [e('not-a-variable', 8, 9)] },
  { source: '\\nabla f', diagnostics: [e('bad-derivative', 0, 6)] },
  { source: '\\nabla_x', diagnostics: [e('bad-derivative', 0, 6)] },
  { source: '\\nabla^3_x f', diagnostics: [e('bad-derivative', 7, 8)] },
  { source: 'd/dx', diagnostics: [e('bad-derivative', 0, 1)] },
  { source: '∂f/', diagnostics: [e('bad-derivative', 3, 4)] },
  { source: '\\frac{\\partial^3 f}{\\partial x^3}', diagnostics: [e('bad-derivative', 15, 16)] },
  { source: '\\frac{\\partial f}{\\partial x \\partial y \\partial z}', diagnostics: [e('bad-derivative', 17, 51)] },
  { source: '\\frac{\\partial f}{\\partial 2}', diagnostics: [e('unexpected-token', 27, 28)] },
  { source: '\\frac{\\partial f}{\\partial x', diagnostics: [e('unclosed-bracket', 17, 18)] },
];

function summary(source: string) {
  const { program, diagnostics } = parse(source);
  return {
    diagnostics: diagnostics.map((d) => ({ code: d.code, span: [d.span.start, d.span.end], severity: d.severity })),
    messages: diagnostics.map((d) => d.message),
    statements: program.statements.map(statementToSexpr),
  };
}

describe('syntax: diagnostics', () => {
  it('has at least 30 cases', () => {
    assert.ok(CASES.length >= 30, `only ${CASES.length} cases`);
  });

  for (const c of CASES) {
    const codes = c.diagnostics.map((d) => d.code).join(', ');
    it(`${JSON.stringify(c.source)} → ${codes}, and the next line still parses`, () => {
      const source = `${c.source}\nz = 1`;
      const got = summary(source);
      const want = c.diagnostics.map((d) => ({ code: d.code, span: [...d.span], severity: d.severity ?? 'error' }));
      assert.deepEqual(got.diagnostics, want, `diagnostics: ${got.messages.join(' | ')}`);
      assert.deepEqual(got.statements, [...(c.statements ?? []), '(def z 1)']);
      for (const m of got.messages) assert.ok(m.length > 10 && /[.)]$/.test(m), `message is not a sentence: ${m}`);
    });
  }

  it('the same cases report the same diagnostics without a following line', () => {
    // Only spans that point at the end of the line move to the end of the input.
    for (const c of CASES) {
      const got = summary(c.source);
      const want = c.diagnostics.map((d) => {
        const atEnd = d.span[0] === c.source.length;
        return {
          code: d.code,
          span: atEnd ? [c.source.length, c.source.length] : [...d.span],
          severity: d.severity ?? 'error',
        };
      });
      assert.deepEqual(got.diagnostics, want, JSON.stringify(c.source));
    }
  });
});

describe('syntax: recovery', () => {
  const GARBAGE = [') ] + *', '= = =', '\\frac{1}', 'x + )', '\\begin{bmatrix} 1 &', 'x: R^{n×', '\\mathbf{y', '\\end{bmatrix} ]'];

  for (const garbage of GARBAGE) {
    it(`three lines with ${JSON.stringify(garbage)} in the middle yield the two good statements`, () => {
      const source = `x: R^n\n${garbage}\nf = x' x`;
      const { program, diagnostics } = parse(source);
      const statements = program.statements.map(statementToSexpr);
      assert.deepEqual(statements, ['(decl x [n])', "(def f (* (' x) x))"]);
      assert.ok(diagnostics.length >= 1, 'the garbage line must be reported');
      const lineStart = 'x: R^n\n'.length;
      for (const d of diagnostics) {
        assert.ok(d.span.start >= lineStart && d.span.end <= lineStart + garbage.length + 1, `diagnostic outside the garbage line: ${JSON.stringify(d)}`);
      }
    });
  }

  it('reports every bad line, not only the first', () => {
    const { program, diagnostics } = parse('x: R^{n×}\ny = )\nz = 1\nhess(f)');
    assert.deepEqual(program.statements.map(statementToSexpr), ['(def y (error))', '(def z 1)']);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span.start, d.span.end]),
      [
        ['bad-declaration', 8, 9],
        ['unexpected-token', 14, 15],
        ['wrong-arity', 22, 29],
      ],
    );
  });

  it('recovers at `;` within a line', () => {
    const { program, diagnostics } = parse('a = ) ; b = 2');
    assert.deepEqual(program.statements.map(statementToSexpr), ['(def a (error))', '(def b 2)']);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start, d.span.end]), [['unexpected-token', 4, 5]]);
  });

  it('recovers at a top-level \\\\ in math mode', () => {
    const { program, diagnostics } = parse('a = ) \\\\ b = 2', { mode: 'math' });
    assert.deepEqual(program.statements.map(statementToSexpr), ['(def a (error))', '(def b 2)']);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.span.start, d.span.end]), [['unexpected-token', 4, 5]]);
  });

  it('never throws on hostile input', () => {
    const inputs = ['', '\\', '{', '}', '((((', '\\frac', '\\begin{', '^^^', '___', '\\left(', 'x'.repeat(1000), '('.repeat(500) + 'x' + ')'.repeat(500)];
    for (const input of inputs) {
      assert.doesNotThrow(() => parse(input));
      assert.doesNotThrow(() => parse(input, { mode: 'math' }));
    }
  });

  it('refuses nesting deeper than the parser allows with too-deep', () => {
    const { diagnostics } = parse('('.repeat(500) + 'x' + ')'.repeat(500));
    assert.equal(diagnostics[0]?.code, 'too-deep');
  });
});
