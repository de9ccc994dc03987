// Source spans: every AST node carries UTF-16 offsets [start, end) into the
// parsed source. This walks whole trees and checks that spans nest (a child
// lies within its parent, a statement within the source), that names and
// numbers cover exactly what was written, and pins exact spans for operators,
// derivatives and declarations.

import { strict as assert } from 'node:assert';
import type { Expr, Span, Statement } from '../../../src/engine/syntax/ast';
import { parse, type ParseOptions } from '../../../src/engine/syntax/parser';
import { SUPERSCRIPT_DIGITS, SUBSCRIPT_DIGITS } from '../../../src/engine/syntax/tokens';

const INPUTS: readonly (readonly [string, ParseOptions?])[] = [
  ["x: R^n\nA: R^{n×n} symmetric\nf = x' A x"],
  ['\\mathbf{X} \\in \\mathbb{R}^{m \\times n}, \\mathbf{x} \\in \\mathbb{R}^{n}'],
  ['a, v \\in \\mathbb{R}^n; f: \\mathbb{R}^N \\rightarrow \\mathbb{R}'],
  ['A: R^{2x3}\nX: ℝ²ˣ³\nx ∈ ℝⁿ'],
  ['L = sum((a - y).^2)'],
  ['M = [[x_1^2 + x_2, sin(x_1)], [exp(x_2), x_1*x_2]]'],
  ['s = T_{111} + 2 T_{122} + 3 T_{213} + X[1,2] + X_{1,2}'],
  ['\\frac{\\partial (x^T A x)}{\\partial x} = (A + A^T) x \\text{ if } A \\text{ is symmetric}'],
  ['\\frac{\\partial}{\\partial \\mathbf{x}} (x^T A x)'],
  ['\\frac{\\partial^2 f}{\\partial x \\partial x^T} + \\nabla^2_x f + hess(f, x)'],
  ['d/dx f + d(f)/dx + df/dx + ∂f/∂x + diff(f, x, y) + grad(f, x)'],
  ['\\frac{dA\\vec{x}}{dx}'],
  ['|X| (X^{-1})^T + X^{-T} + X^-T + A⁻¹ + \\log\\det X + \\ln|X|'],
  ['f = \\frac{1}{2} \\|A x - b\\|_2^2 + ‖x‖₂ + \\sqrt[3]{x} + \\sqrt{y}'],
  ['W^{(1)} a^{(0)} + b^{(1)} + A^\\ell + \\hat{y}'],
  ['W⁽¹⁾ᵀ a⁽⁰⁾ + W_1⁽ℓ⁻¹⁾ x + W₁⁽²⁾ b + W_1^{(2)} b'],
  ['‖2 ‖x‖ y‖₁ + ‖a ‖b‖ ‖c‖ d‖ + |s |t| u|'],
  ['𝐱ᵀ𝐀𝐱 + x₁² + α x ⊙ y'],
  ['X^{\\circ 2} + \\left(x \\circ y\\right)^{\\odot -1} + x∘² + x³ᐟ² + \\mathbf{e}_{2}^\\top x'],
  ['\\begin{bmatrix} \\begin{bmatrix} 1 & 2 \\end{bmatrix} & \\begin{bmatrix} 3 & 4 \\end{bmatrix} \\\\ \\begin{bmatrix} 5 & 6 \\end{bmatrix} & \\begin{bmatrix} 7 & 8 \\end{bmatrix} \\end{bmatrix}'],
  ['\\begin{aligned}\n  f &= x^T A x \\\\\n    &= x : A x\n\\end{aligned}', { mode: 'math' }],
  ['\\exp\\left( -\\frac{1}{2} x^T x \\right) + \\sin^2 x + \\sin x_1 + e^{x_2}'],
  ['x^TAx + 2Ax + x^ab + x_ij + \\nabla_xf'],
  ['f(x) = x^T x = \\|x\\|^2\ng(x, y) = x + y'],
  ['f = (a + b\nz = 1\nw = \\begin{bmatrix} 1 & 2\nv = 2'],
];

interface Ctx {
  readonly source: string;
  readonly problems: string[];
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end && inner.start <= inner.end;
}

function check(ctx: Ctx, what: string, span: Span, parent: Span): void {
  if (!within(span, parent)) {
    ctx.problems.push(`${what} [${span.start},${span.end}] ${JSON.stringify(ctx.source.slice(span.start, span.end))} is not within [${parent.start},${parent.end}]`);
  }
}

/** The ASCII meaning of a slice written with Unicode super- or subscript digits. */
function plainDigits(text: string): string {
  return [...text].map((c) => SUPERSCRIPT_DIGITS[c] ?? SUBSCRIPT_DIGITS[c] ?? c).join('');
}

function walk(ctx: Ctx, e: Expr, parent: Span, synthesized = false): void {
  check(ctx, e.kind, e.span, parent);
  const slice = ctx.source.slice(e.span.start, e.span.end);
  switch (e.kind) {
    case 'number':
      if (!synthesized && plainDigits(slice) !== e.text) ctx.problems.push(`number ${e.text} spans ${JSON.stringify(slice)}`);
      return;
    case 'ident': {
      // Plain names cover exactly their text (up to NFKC for 𝐱); LaTeX-spelled
      // names cover the whole command or wrapper; decorated names cover `W^{(1)}` or `W⁽¹⁾`.
      const ok = e.latex
        ? slice.startsWith('\\')
        : e.name.includes('^')
          ? slice.startsWith(e.name.slice(0, e.name.indexOf('^') + 1)) || (slice.startsWith(e.name[0]!) && slice.endsWith('⁾'))
          : slice.normalize('NFKC') === e.name;
      if (!ok) ctx.problems.push(`ident ${e.name} spans ${JSON.stringify(slice)}`);
      return;
    }
    case 'subscript':
      walk(ctx, e.base, e.span);
      for (const i of e.indices) {
        check(ctx, 'index', i.span, e.span);
        const text = plainDigits(ctx.source.slice(i.span.start, i.span.end));
        const want = i.kind === 'int' ? String(i.value) : i.name;
        if (text !== want) ctx.problems.push(`index ${want} spans ${JSON.stringify(text)}`);
      }
      return;
    case 'neg':
      walk(ctx, e.operand, e.span);
      return;
    case 'binary':
      check(ctx, `${e.op} operator`, e.opSpan, e.span);
      walk(ctx, e.left, e.span);
      walk(ctx, e.right, e.span);
      // `\frac{a}{b}` is the one binary node whose operator comes first.
      if (!/^\\[dtc]?frac$/.test(ctx.source.slice(e.opSpan.start, e.opSpan.end)) && (e.left.span.end > e.opSpan.start || e.opSpan.end > e.right.span.start)) {
        ctx.problems.push(`${e.op} operator [${e.opSpan.start},${e.opSpan.end}] is not between its operands`);
      }
      return;
    case 'power': {
      check(ctx, 'power operator', e.opSpan, e.span);
      walk(ctx, e.base, e.span);
      // `\sqrt[3]{x}` is x^(1/3): its `1 /` is implied and spans the root `3`.
      if (ctx.source.startsWith('\\sqrt', e.opSpan.start) && e.exponent.kind === 'binary') {
        check(ctx, 'root', e.exponent.span, e.span);
        walk(ctx, e.exponent.left, e.exponent.span, true);
        walk(ctx, e.exponent.right, e.exponent.span);
        return;
      }
      // `X^{-T}` implies the exponent -1, spanning `-T`.
      const impliedInverse = e.exponent.kind === 'number' && /T|top|⊤/.test(ctx.source.slice(e.exponent.span.start, e.exponent.span.end));
      walk(ctx, e.exponent, e.span, impliedInverse);
      return;
    }
    case 'transpose':
      check(ctx, 'transpose operator', e.opSpan, e.span);
      walk(ctx, e.operand, e.span);
      return;
    case 'call':
      check(ctx, 'function name', e.nameSpan, e.span);
      for (const a of e.args) walk(ctx, a, e.span);
      return;
    case 'array':
      for (const a of e.elements) walk(ctx, a, e.span);
      return;
    case 'derivative':
      walk(ctx, e.of, e.span);
      for (const w of e.wrt) check(ctx, `variable ${w.name}`, w.span, e.span);
      return;
    case 'error':
      return;
  }
}

function walkStatement(ctx: Ctx, s: Statement): void {
  check(ctx, `${s.kind} statement`, s.span, { start: 0, end: ctx.source.length });
  switch (s.kind) {
    case 'declaration':
      for (const n of s.names) check(ctx, `declared name ${n.name}`, n.span, s.span);
      for (const d of [...s.dims, ...(s.domain ?? [])]) check(ctx, `dimension ${d.value}`, d.span, s.span);
      return;
    case 'definition':
      walk(ctx, s.target, s.span);
      for (const p of s.params) walk(ctx, p, s.span);
      walk(ctx, s.value, s.span);
      for (const c of s.claims) walk(ctx, c, s.span);
      return;
    case 'expression':
      walk(ctx, s.expr, s.span);
      for (const c of s.claims) walk(ctx, c, s.span);
      return;
  }
}

function only(source: string): Expr {
  const { program, diagnostics } = parse(source);
  assert.deepEqual(diagnostics, []);
  assert.equal(program.statements.length, 1);
  const s = program.statements[0]!;
  assert.equal(s.kind, 'expression');
  return s.kind === 'expression' ? s.expr : (undefined as never);
}

const range = (s: Span): [number, number] => [s.start, s.end];

describe('syntax: spans', () => {
  describe('every node lies within its parent and covers what was written', () => {
    for (const [source, options] of INPUTS) {
      it(JSON.stringify(source), () => {
        const { program } = parse(source, options);
        assert.ok(program.statements.length > 0);
        const ctx: Ctx = { source, problems: [] };
        for (const s of program.statements) walkStatement(ctx, s);
        assert.deepEqual(ctx.problems, []);
      });
    }
  });

  it('statements do not overlap and come in source order', () => {
    for (const [source, options] of INPUTS) {
      const { program } = parse(source, options);
      for (let k = 1; k < program.statements.length; k++) {
        assert.ok(program.statements[k - 1]!.span.end <= program.statements[k]!.span.start, JSON.stringify(source));
      }
    }
  });

  it('a wrapped name spans its whole wrapper', () => {
    const source = '\\mathbf{x}^T \\mathbf{A} \\mathbf{x}';
    const e = only(source);
    assert.equal(e.kind, 'binary');
    if (e.kind !== 'binary' || e.left.kind !== 'binary' || e.left.left.kind !== 'transpose') assert.fail('shape');
    const x1 = e.left.left.operand;
    const a = e.left.right;
    const x2 = e.right;
    assert.deepEqual([x1, a, x2].map((n) => range(n.span)), [[0, 10], [13, 23], [24, 34]]);
    assert.deepEqual([x1, a, x2].map((n) => source.slice(n.span.start, n.span.end)), ['\\mathbf{x}', '\\mathbf{A}', '\\mathbf{x}']);
  });

  it('Unicode names use UTF-16 offsets', () => {
    const source = '𝐱ᵀ𝐀𝐱';
    const e = only(source);
    if (e.kind !== 'binary' || e.left.kind !== 'binary' || e.left.left.kind !== 'transpose') assert.fail('shape');
    assert.deepEqual(range(e.left.left.operand.span), [0, 2]);
    assert.deepEqual(range(e.left.left.opSpan), [2, 3]);
    assert.deepEqual(range(e.left.right.span), [3, 5]);
    assert.deepEqual(range(e.right.span), [5, 7]);
    assert.deepEqual(range(e.span), [0, 7]);
  });

  it('binary operators: operator and operand spans', () => {
    const add = only('a + b * c');
    if (add.kind !== 'binary' || add.right.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([range(add.span), range(add.opSpan)], [[0, 9], [2, 3]]);
    assert.deepEqual([range(add.right.span), range(add.right.opSpan)], [[4, 9], [6, 7]]);

    // Juxtaposition: the operator span is the gap between the operands.
    const quad = only('x^T A x');
    if (quad.kind !== 'binary' || quad.left.kind !== 'binary' || quad.left.left.kind !== 'transpose') assert.fail('shape');
    assert.deepEqual([range(quad.span), range(quad.opSpan)], [[0, 7], [5, 6]]);
    assert.deepEqual([range(quad.left.span), range(quad.left.opSpan)], [[0, 5], [3, 4]]);
    assert.deepEqual([range(quad.left.left.span), range(quad.left.left.opSpan)], [[0, 3], [1, 3]]);

    const frob = only('x : A x');
    if (frob.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([frob.op, range(frob.span), range(frob.opSpan)], ['frobenius', [0, 7], [2, 3]]);

    const had = only('a \\odot b');
    if (had.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([had.op, range(had.opSpan)], ['hadamard', [2, 7]]);

    const hpow = only('(a - y).^2');
    if (hpow.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([hpow.op, range(hpow.span), range(hpow.opSpan), range(hpow.left.span)], ['hpow', [0, 10], [7, 9], [0, 7]]);

    // A Hadamard power's operator is `^{\circ` (or `∘`), between its operands; the node covers the closing brace.
    const circ = only('(a - y)^{\\circ -1}');
    if (circ.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([circ.op, circ.circ, range(circ.span), range(circ.opSpan), range(circ.left.span), range(circ.right.span)], ['hpow', true, [0, 18], [7, 14], [0, 7], [15, 17]]);
    const glued = only('x∘⁻¹');
    if (glued.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([glued.op, glued.circ, range(glued.span), range(glued.opSpan), range(glued.right.span)], ['hpow', true, [0, 4], [1, 2], [2, 4]]);

    const div = only('\\frac{a}{b}');
    if (div.kind !== 'binary') assert.fail('shape');
    assert.deepEqual([div.op, range(div.span), range(div.opSpan), range(div.left.span), range(div.right.span)], ['div', [0, 11], [0, 5], [6, 7], [9, 10]]);
  });

  it('unary minus, powers and transposes', () => {
    const neg = only('-x^2');
    if (neg.kind !== 'neg' || neg.operand.kind !== 'power') assert.fail('shape');
    // A power's operator span runs from the caret through the exponent.
    assert.deepEqual([range(neg.span), range(neg.operand.span), range(neg.operand.opSpan)], [[0, 4], [1, 4], [2, 4]]);

    const inv = only('A^{-1}');
    if (inv.kind !== 'power') assert.fail('shape');
    assert.deepEqual([range(inv.span), range(inv.opSpan), range(inv.exponent.span)], [[0, 6], [1, 6], [3, 5]]);

    for (const source of ['X^{-T}', 'X^-T']) {
      const t = only(source);
      if (t.kind !== 'transpose' || t.operand.kind !== 'power') assert.fail('shape');
      const minus = source.indexOf('-');
      assert.deepEqual(range(t.span), [0, source.length], source);
      assert.deepEqual(range(t.operand.exponent.span), [minus, minus + 2], source);
    }

    const prime = only("(a + b)'");
    if (prime.kind !== 'transpose') assert.fail('shape');
    assert.deepEqual([range(prime.span), range(prime.opSpan), range(prime.operand.span)], [[0, 8], [7, 8], [0, 7]]);
  });

  it('derivative requests', () => {
    const frac = only('\\frac{\\partial f}{\\partial x}');
    if (frac.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(frac.span), range(frac.of.span), frac.wrt.map((w) => range(w.span))], [[0, 29], [15, 16], [[27, 28]]]);

    const op = only('\\frac{\\partial}{\\partial \\mathbf{x}} (x^T A x)');
    if (op.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(op.span), range(op.of.span), op.wrt.map((w) => range(w.span))], [[0, 46], [37, 46], [[25, 35]]]);

    const hess = only('\\frac{\\partial^2 f}{\\partial x \\partial x^T}');
    if (hess.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(hess.span), hess.wrt.map((w) => [w.name, w.transposed, ...range(w.span)])], [[0, 44], [['x', false, 29, 30], ['x', true, 40, 43]]]);

    const slash = only('d/dx f');
    if (slash.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(slash.span), range(slash.of.span), slash.wrt.map((w) => range(w.span))], [[0, 6], [5, 6], [[3, 4]]]);

    const ratio = only('df/dx');
    if (ratio.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(ratio.span), range(ratio.of.span), ratio.wrt.map((w) => range(w.span))], [[0, 5], [1, 2], [[4, 5]]]);

    const nabla = only('\\nabla_x f');
    if (nabla.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(nabla.span), nabla.wrt.map((w) => range(w.span))], [[0, 10], [[7, 8]]]);

    const call = only('hess(f, x)');
    if (call.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(call.span), call.wrt.map((w) => range(w.span))], [[0, 10], [[8, 9], [8, 9]]]);

    const sum = only('∂f/∂x + 1');
    if (sum.kind !== 'binary' || sum.left.kind !== 'derivative') assert.fail('shape');
    assert.deepEqual([range(sum.span), range(sum.left.span)], [[0, 9], [0, 5]]);
  });

  it('declarations: names, dimensions and the whole statement', () => {
    const source = 'x \\in \\mathbb{R}^n';
    const s = parse(source).program.statements[0]!;
    if (s.kind !== 'declaration') assert.fail('shape');
    assert.deepEqual([range(s.span), range(s.names[0]!.span), range(s.dims[0]!.span)], [[0, 18], [0, 1], [17, 18]]);

    const glued = parse('A: R^{2x3}').program.statements[0]!;
    if (glued.kind !== 'declaration') assert.fail('shape');
    assert.deepEqual(glued.dims.map((d) => [d.value, ...range(d.span)]), [[2, 6, 7], [3, 8, 9]]);

    const deco = parse('W^{(1)} \\in \\mathbb{R}^{m \\times n}').program.statements[0]!;
    if (deco.kind !== 'declaration') assert.fail('shape');
    assert.deepEqual([deco.names[0]!.name, ...range(deco.names[0]!.span)], ['W^(1)', 0, 7]);

    const raised = parse('W_1⁽ℓ⁾ ∈ ℝᵐˣⁿ').program.statements[0]!;
    if (raised.kind !== 'declaration') assert.fail('shape');
    assert.deepEqual([raised.names[0]!.name, ...range(raised.names[0]!.span)], ['W_1^(ℓ)', 0, 6]);
  });

  it('element references', () => {
    const sub = only('X_{12}');
    if (sub.kind !== 'subscript') assert.fail('shape');
    assert.deepEqual([range(sub.span), sub.indices.map((i) => range(i.span))], [[0, 6], [[3, 5]]]);
    const idx = only('X[1,2]');
    if (idx.kind !== 'subscript') assert.fail('shape');
    assert.deepEqual([range(idx.span), idx.indices.map((i) => range(i.span))], [[0, 6], [[2, 3], [4, 5]]]);
  });

  it('a definition whose value failed keeps its span on its own line', () => {
    const source = 'f = (a + b\nz = 1';
    const { program } = parse(source);
    const [f, z] = program.statements;
    if (f?.kind !== 'definition' || z?.kind !== 'definition') assert.fail('shape');
    assert.deepEqual([range(f.span), f.value.kind, range(f.value.span)], [[0, 10], 'error', [4, 10]]);
    assert.deepEqual(range(z.span), [11, 16]);
  });
});
