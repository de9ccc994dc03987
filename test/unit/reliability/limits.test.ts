// Issue G: nesting, size and work caps produce clear diagnostics instead of
// stack overflows, hangs or out-of-memory crashes — and the minimal inputs the
// fuzzers found, kept as regression tests.

import { strict as assert } from 'node:assert';
import { analyze, report, type Analysis } from '../../../src/engine/analyze';
import { analyzeDocument } from '../../../src/documents/document-analysis';
import { deriveRequest } from '../../../src/engine/derive/derive';
import { MAX_NESTING, MAX_SOURCE_LENGTH, MAX_TREE_HEIGHT, parse } from '../../../src/engine/syntax/parser';
import { checkInput, INTERNAL_ERROR } from '../../support/fuzz/invariants';
import { EvaluationBudgetExceeded, IrEvaluator } from '../../../src/engine/ir/evaluate-ir';
import { delta, Space } from '../../../src/engine/ir/ir';

/** Runs `f`, returning its result and how long it took. */
function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

function codes(a: { diagnostics: readonly { code: string }[] }): string[] {
  return a.diagnostics.map((d) => d.code);
}

function noInternalErrors(a: { diagnostics: readonly { message: string }[] }): void {
  for (const d of a.diagnostics) assert.doesNotMatch(d.message, INTERNAL_ERROR);
}

/** Every entry point on `source`, with the fuzzers' properties. */
function allEntryPoints(source: string): void {
  const out = checkInput(source, { selfCheck: true });
  assert.deepEqual(out.failures, [], JSON.stringify(out.failures.slice(0, 5), null, 1));
}

describe('reliability: nesting and size caps', function () {
  this.timeout(60_000);

  const N = 10_000;
  const deep: [string, string][] = [
    ['parentheses', `${'('.repeat(N)}x${')'.repeat(N)}`],
    ['braces', `${'{'.repeat(N)}x${'}'.repeat(N)}`],
    ['brackets', `${'['.repeat(N)}x${']'.repeat(N)}`],
    ['unary minus', `${'-'.repeat(N)}x`],
    ['function calls', `${'sin('.repeat(N)}x${')'.repeat(N)}`],
    ['bare LaTeX functions', `${'\\sin '.repeat(N)}x`],
    ['fractions', `${'\\frac{'.repeat(N)}x${'}{2}'.repeat(N)}`],
    ['square roots', `${'\\sqrt{'.repeat(N)}x${'}'.repeat(N)}`],
    ['bars', `${'|'.repeat(N)}x${'|'.repeat(N)}`],
    ['matrix environments', `${'\\begin{bmatrix}'.repeat(N)}x${'\\end{bmatrix}'.repeat(N)}`],
    ['derivative operators', `${'d/dx '.repeat(N)}x`],
    ['unclosed parentheses', '('.repeat(N)],
  ];
  for (const [what, body] of deep) {
    it(`10,000-deep ${what}: a too-deep diagnostic, no stack overflow`, () => {
      const source = `x: R\n${body}`;
      for (const mode of ['block', 'math'] as const) {
        const { value: a, ms } = timed(() => analyze(source, { mode }));
        noInternalErrors(a);
        if (what !== 'unclosed parentheses') assert.ok(codes(a).includes('too-deep'), `${mode}: ${codes(a).join(', ')}`);
        assert.ok(ms < 2000, `${mode}: ${ms} ms`);
        noInternalErrors(report(a));
      }
      assert.match(
        analyze(source).diagnostics.find((d) => d.code === 'too-deep')?.message ?? 'nests more than',
        new RegExp(`nest more than ${MAX_NESTING}|nests more than ${MAX_TREE_HEIGHT}`),
      );
    });
  }

  // Operator chains are read in loops, so the parser's recursion guard does not see
  // them; every later stage recursed over the 10,000-level tree and overflowed.
  const chains: [string, string][] = [
    ['sum', `x: R\n${Array(N).fill('x').join(' + ')}`],
    ['product', `x: R\n${Array(N).fill('x').join(' * ')}`],
    ['juxtaposition', `x: R\n${Array(N).fill('x').join(' ')}`],
    ['transposes', `x: R^n\nx${"'".repeat(N)}`],
    ['powers', `x: R\n${Array(N).fill('x').join('^')}`],
    ['Frobenius products', `A: R^{n×n}\n${Array(N).fill('A').join(' : ')}`],
    // 150 nested groups, each continuing with a 150-term chain: every group is shallow, the tree is 22,500 deep.
    ['nested chains', `x: R\n${'('.repeat(150)}x${`${'+x'.repeat(150)})`.repeat(150)}`],
  ];
  for (const [what, source] of chains) {
    it(`a 10,000-operator ${what}: too-deep, not a stack overflow`, () => {
      const { value: a, ms } = timed(() => analyze(source));
      noInternalErrors(a);
      assert.ok(codes(a).includes('too-deep'), codes(a).join(', '));
      assert.ok(ms < 2000, `${ms} ms`);
    });
  }

  it(`an operator chain just under the cap still analyses (${MAX_TREE_HEIGHT - 10} terms)`, () => {
    const a = analyze(`x: R\nf = ${Array(MAX_TREE_HEIGHT - 10).fill('x').join(' + ')}\nd/dx f`);
    assert.deepEqual(codes(a), []);
    const r = report(a);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.derivatives[0]!.text, `${MAX_TREE_HEIGHT - 10}`);
  });

  it('a 2 MB input: one too-large diagnostic over the whole input, immediately', () => {
    const source = `x: R^n\n${'x + '.repeat(500_000)}x`;
    assert.ok(source.length > 2_000_000 && source.length > MAX_SOURCE_LENGTH);
    for (const mode of ['block', 'math'] as const) {
      const { value: p, ms } = timed(() => parse(source, { mode }));
      assert.deepEqual(p.diagnostics.map((d) => [d.code, d.span.start, d.span.end]), [['too-large', 0, source.length]]);
      assert.ok(ms < 100, `${ms} ms`);
      const a = analyze(source, { mode });
      assert.deepEqual(codes(a), ['too-large']);
      assert.deepEqual(report(a).diagnostics.map((d) => d.code), ['too-large']);
    }
  });

  it('huge numbers: invalid-number or bad-dimension, never Infinity in a shape', () => {
    const nines = '9'.repeat(400);
    allEntryPoints(`x: R\n${nines} x`);
    const a = analyze(`x: R^{${nines}}\nW: R^9012345678901234567890\ny: R^{9007199254740991}`);
    assert.deepEqual(codes(a), ['bad-dimension', 'bad-dimension']);
    assert.match(a.diagnostics[0]!.message, /too large/);
    const r = report(a);
    assert.doesNotMatch(JSON.stringify(r), /Infinity|null/);
  });
});

describe('reliability: work budgets', function () {
  this.timeout(60_000);

  const requestOf = (a: Analysis) => a.elaboration.derivatives[a.elaboration.derivatives.length - 1]!;

  it('deriveRequest has a node budget: exceeding it gives too-large ("Too large to differentiate symbolically")', () => {
    const a = analyze('x: R^n\nA: R^{n×n}\nd/dx sigmoid(A tanh(A x))');
    const small = deriveRequest(a, requestOf(a), { budget: 5 });
    assert.equal(small.ok, false);
    if (small.ok) return;
    assert.equal(small.diagnostic.code, 'too-large');
    assert.match(small.diagnostic.message, /Too large to differentiate symbolically/);
    assert.equal(deriveRequest(a, requestOf(a)).ok, true);
  });

  // Definitions that reuse the previous one twice double the written-out
  // derivative at every line: 30 lines ran out of memory (a crashed extension
  // host), 15 lines of y_k = sin(y_{k-1}) y_{k-1} took 15 s.
  const doubling: [string, (k: number) => string][] = [
    ['y_k = y_{k-1} y_{k-1}', (k) => `y${k} = y${k - 1} * y${k - 1}`],
    ['y_k = sin(y_{k-1}) y_{k-1}', (k) => `y${k} = sin(y${k - 1}) * y${k - 1}`],
    ['y_k = sin(y_{k-1}) + cos(y_{k-1})', (k) => `y${k} = sin(y${k - 1}) + cos(y${k - 1})`],
  ];
  for (const [what, line] of doubling) {
    it(`a derivative that doubles with every definition (${what}, 30 levels): too-large within a second`, () => {
      const lines = ['x: R', 'y0 = x'];
      for (let k = 1; k <= 30; k++) lines.push(line(k));
      lines.push('d/dx y30');
      const { value: r, ms } = timed(() => report(analyze(lines.join('\n'))));
      assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-large']);
      assert.match(r.diagnostics[0]!.message, /Too large to differentiate symbolically/);
      assert.ok(ms < 1000, `${ms} ms`);
    });
  }

  it('a vector definition used at two index lists (y_k = tanh(A y_{k-1}) + y_{k-1}, 40 levels): too-large, not out of memory', () => {
    // Lowering inlines a definition once per index list, and this one is used under a sum (A y)
    // and elementwise, so lowering itself doubled with every line (a 1 KB input ran out of memory).
    const lines = ['x: R^n; A: R^{n×n}', 'y0 = x'];
    for (let k = 1; k <= 40; k++) lines.push(`y${k} = tanh(A y${k - 1}) + y${k - 1}`);
    lines.push('d/dx sum(y40)');
    const r = report(analyze(lines.join('\n')));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-large']);
    assert.match(r.diagnostics[0]!.message, /Too large to differentiate symbolically/);
  });

  it('a long product chain (400 factors of sin x): too-large instead of seconds of work', () => {
    const source = `x: R\nf = ${Array(400).fill('sin(x)').join(' * ')}\nd/dx f`;
    const { value: r, ms } = timed(() => report(analyze(source)));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['too-large']);
    assert.ok(ms < 1500, `${ms} ms`);
  });

  it('matrix powers are capped (A^{9007199254740993} hung while lowering a chain of 9·10¹⁵ products)', () => {
    const { value: r, ms } = timed(() => report(analyze('X: R^{n×n}\nd/dX logdet(X) = (X^{-9007199254740993})^T')));
    assert.ok(r.diagnostics.some((d) => d.code === 'unsupported-operation' && /Matrix powers/.test(d.message)), JSON.stringify(r.diagnostics));
    assert.ok(ms < 1000, `${ms} ms`);
    assert.deepEqual(report(analyze('X: R^{n×n}\nd/dX tr(X^{32})')).diagnostics, []);
  });

  it('a chain of 13 matrix products is evaluated pairwise (the self-check took seconds)', () => {
    const source = `x: R^n\nA: R^{n×n}\nd/dx (x' ${Array(13).fill('A').join(' ')} x)`;
    const { value: r, ms } = timed(() => report(analyze(source), { check: true }));
    assert.equal(r.derivatives[0]!.check?.ok, true, JSON.stringify(r.diagnostics));
    assert.ok(ms < 1500, `${ms} ms`);
  });

  it('a long claim chain is checked in linear time (120 claims took over a second)', () => {
    const source = `x: R^n\nA: R^{n×n}\nd/dx (x' A x)${" = x' A".repeat(120)}`;
    const { value: a, ms } = timed(() => analyzeDocument(`\`\`\`tensor\n${source}\n\`\`\``, 'markdown', 'numerator'));
    assert.equal(a.diagnostics.filter((d) => d.code === 'claim-false').length, 120);
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('large concrete sizes: the self-check says it is too large instead of taking 16 s', () => {
    const { value: r, ms } = timed(() => report(analyze('A: R^{100 x 100}\nd/dA tr(A)'), { check: true }));
    assert.ok(r.diagnostics.some((d) => /too large to check numerically/.test(d.message)), JSON.stringify(r.diagnostics));
    assert.equal(r.derivatives[0]!.text, 'I');
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('a huge declared matrix elsewhere in the note does not break claims or checks (RangeError: Invalid typed array length)', () => {
    const source = 'W: R^{100000 x 100000}\nx: R^2\nd/dx x\'x = 2x\'';
    allEntryPoints(source);
    const r = report(analyze(source), { check: true });
    assert.equal(r.claims![0]!.holds, true);
    assert.equal(r.derivatives[0]!.check?.ok, true);
    const used = report(analyze('W: R^{100000 x 100000}\nd/dW sum(W) = ones(100000, 100000)'), { check: true });
    assert.ok(used.diagnostics.some((d) => /too many to evaluate numerically/.test(d.message)), JSON.stringify(used.diagnostics));
  });

  it('a claim about sizes written in the text (ones(1e9)) is left unchecked as too large, at once (it allocated 8 GB and took 35 s)', () => {
    const { value: r, ms } = timed(() => report(analyze("s = sum(ones(1e9)) = 1e9\nt = ones(1e9)' ones(1e9) = 2"), { check: true }));
    assert.equal(r.claims!.length, 2);
    for (const c of r.claims!) assert.match(c.unchecked ?? '', /too large to evaluate numerically/, JSON.stringify(c));
    assert.ok(ms < 1000, `${ms} ms`);
    // npm run fuzz -- --seed 4, input #81360 (34.6 s), as the fuzzer shrank it.
    allEntryPoints('\\alpha ∈ ℝ\nW_1^{(\\ell)}[1,1] = ones(1e9) = b * I\nx\nrelu([\\sqrt{t_≠3}, prototype, t])\\cancel{ = S2,2]\n\\frac{\\partial f}{\\partial W⁽¹⁾}');
  });

  it('the numeric evaluator stops at its work budget before allocating or looping', () => {
    const space = new Space();
    const [i, j] = [space.fresh('n'), space.fresh('n')];
    const huge = new IrEvaluator({ values: new Map(), size: () => 1e9 });
    assert.throws(() => huge.value(delta(i, j)), EvaluationBudgetExceeded);
    const small = new IrEvaluator({ values: new Map(), size: () => 10, maxWork: 50 });
    assert.throws(() => small.arrange(new Float64Array(100), [i, j], [j, i]), /too large to evaluate numerically \(about 100 steps; at most 50\)/);
  });
});

describe('reliability: inputs the fuzzers found', () => {
  // Tables keyed by user text were plain objects, so names that are
  // properties of every object found Object.prototype's members.
  const prototypeNames: [string, string][] = [
    ['\\hasOwnProperty (a LaTeX command)', '\\hasOwnProperty'],
    ['constructor followed by a line', 'constructor\na'],
    ['constructor(x) (a call)', 'x: R\nconstructor(x)'],
    ['\\toString', 'x^\\toString'],
    ['a size named constructor', "x: R^{constructor}\nd/dx x'x"],
    ['sizes named toString and valueOf', 'x: R^{toString}\nA: R^{toString x valueOf}\nd/dx A x'],
    ['a definition named toString', "x: R^n\ntoString = x'x\nd/dx toString"],
    ['a size named hasOwnProperty with a claim', 'x: R^{hasOwnProperty}\nd/dx sum(x) = ones(hasOwnProperty)\''],
    ['\\begin{constructor}', '\\begin{constructor} x \\end{constructor}'],
  ];
  for (const [what, source] of prototypeNames) {
    it(`${what}: ${JSON.stringify(source)}`, () => {
      allEntryPoints(source);
      const r = report(analyze(source), { check: true });
      assert.doesNotMatch(JSON.stringify(r), /native code|\[object /);
    });
  }

  // npm run fuzz -- --seed 2 (each minimal input as the fuzzer shrank it).
  it('a squared differential in slash form is the second derivative: d/dx^2 f (a Hessian with one variable crashed elaboration)', () => {
    const source = 'x:R^n\nd/dx^2sum(x)';
    allEntryPoints(source);
    const a = analyze(source);
    assert.deepEqual(codes(a), []);
    assert.deepEqual(a.elaboration.derivatives.map((d) => [d.node.order, d.term.wrt]), [[2, ['x', 'x']]]);
    const r = report(a, { check: true });
    assert.equal(r.derivatives[0]!.check?.ok, true);
    assert.deepEqual(report(analyze('x: R^n\n∂/∂x² sum(exp(x))')).derivatives.map((d) => d.matrixShape), ['n×n']);
  });

  it('a derivative by an intermediate that uses an abstract function: the check says why, report does not throw', () => {
    const source = 'f:\\mathbb{R}^k\\rightarrow\\mathbb{R}\nu=sigmoid(f)\nd(ones(n))/du';
    allEntryPoints(source);
    const r = report(analyze(source), { check: true });
    assert.equal(r.derivatives.length, 1);
    assert.equal(r.derivatives[0]!.check, undefined);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message]), [
      ['unsupported-operation', 'The self-check could not evaluate this derivative: f is an abstract function (declared by its signature only), so it cannot be differentiated or evaluated.'],
    ]);
  });

  it('an element defined from an earlier element of the same tensor (a_2 = 2 a_1) is that element, not a cycle (stack overflow)', () => {
    allEntryPoints('\\mathbf{A}\\in\\mathbb{R}^{2\\times2},\\mathcal{T}\\in\\mathbb{R}^{2\\times2\\times2}\nA_{12}=\\mathcal{T}_211\nA_{21}=\\begin{{{\nA_22{1\\a}\n\\frac{\\partial\\f{A}}{\\partial\\mathcal{T}}');
    const source = 'a: R^2\nx: R^2\na_1 = x_1\na_2 = 2 a_1\nd/dx a';
    allEntryPoints(source);
    const r = report(analyze(source), { check: true });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.derivatives[0]!.text, '[[1, 0], [2, 0]]');
    assert.equal(r.derivatives[0]!.check?.ok, true);
  });

  it('element definitions that would form a cycle read the elements written before each use: no cycle, no stack overflow', () => {
    // b_1 uses a_2 before it is written (a warning, taken as 0); a_2 then uses b_1, so a_2 = 0 too.
    const source = 'a: R^2\nb: R^2\nx: R^2\na_1 = x_1\nb_1 = a_2\nb_2 = x_2\na_2 = b_1\nd/dx a';
    allEntryPoints(source);
    const r = report(analyze(source), { check: true });
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message, source.slice(d.start, d.end)]), [
      // The warning covers the element reference a_2, not only its base.
      ['undeclared-symbol', '1 element(s) of a are not defined before this use and are taken as 0 (a_2).', 'a_2'],
    ]);
    assert.equal(r.derivatives[0]!.text, '[[1, 0], [0, 0]]');
    assert.equal(r.derivatives[0]!.check?.ok, true);
  });

  it('a size named constructor reports its shape by name', () => {
    const r = report(analyze("x: R^{constructor}\nd/dx x'x"));
    assert.deepEqual(r.symbols[0]!.shape, ['constructor']);
    assert.equal(r.derivatives[0]!.matrixShape, '1×constructor');
  });
});
