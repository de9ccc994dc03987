// CLI behaviour: argument parsing, exit codes and the JSON contract of issue A.
// `run` is called in-process with captured streams; one test also spawns the
// built bundle to prove the shipped `dist/cli.js` works end to end.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import { parseArguments, position } from '../../../src/cli/args';

function cli(args: string[], stdin = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => stdin });
  return { code, out, err };
}

function json(args: string[], stdin = ''): { code: number; body: any } {
  const r = cli(['--json', ...args], stdin);
  return { code: r.code, body: JSON.parse(r.out) };
}

describe('cli: arguments', () => {
  it('defaults to numerator layout, text output, block mode', () => {
    assert.deepEqual(parseArguments([]), { kind: 'run', options: { layout: 'numerator', json: false, mode: 'block' } });
  });
  it('accepts --layout VALUE and --layout=VALUE', () => {
    const a = parseArguments(['--layout', 'mixed', 'x: R']);
    const b = parseArguments(['--layout=denominator']);
    assert.equal(a.kind === 'run' && a.options.layout, 'mixed');
    assert.equal(a.kind === 'run' && a.options.source, 'x: R');
    assert.equal(b.kind === 'run' && b.options.layout, 'denominator');
  });
  it('rejects unknown layouts and options with exit code 2', () => {
    const r = cli(['--layout', 'sideways', 'x: R']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown layout 'sideways'/);
    assert.equal(cli(['--frobnicate']).code, 2);
    assert.equal(cli(['a', 'b']).code, 2);
    assert.equal(cli(['--layout']).code, 2);
  });
  it('prints usage for --help with exit code 0', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: tensor-deriv/);
  });
  it('computes 1-based line:column positions', () => {
    assert.equal(position('ab\ncd', 0), '1:1');
    assert.equal(position('ab\ncd', 4), '2:2');
  });
});

describe('cli: JSON contract', () => {
  const source = 'x: R^n; A: R^{m×n}\nf = x^T x\nA x\nd/dx f';

  it('lists symbols with shapes (a scalar is [])', () => {
    const { code, body } = json([source]);
    assert.equal(code, 0);
    assert.deepEqual(
      body.symbols.map((s: any) => [s.name, s.shape]),
      [['x', ['n']], ['A', ['m', 'n']], ['f', []]],
    );
  });

  it('lists bare expressions and definitions with exact UTF-16 offsets', () => {
    const { body } = json([source]);
    const ax = body.expressions.find((e: any) => e.text === 'A x');
    assert.deepEqual(ax.shape, ['m']);
    assert.equal(source.slice(ax.start, ax.end), 'A x');
    const def = body.expressions.find((e: any) => e.text === 'x^T x');
    assert.deepEqual(def.shape, []);
  });

  it('reports derivatives with of, wrt, layout, shape and matrixShape', () => {
    for (const [layout, matrixShape] of [['numerator', '1×n'], ['denominator', 'n×1'], ['mixed', 'n×1']] as const) {
      const { body } = json(['--layout', layout, source]);
      assert.equal(body.derivatives.length, 1);
      const d = body.derivatives[0];
      assert.equal(d.request, 'd/dx f');
      assert.equal(d.of, 'f');
      assert.equal(d.wrt, 'x');
      assert.equal(d.layout, layout);
      assert.deepEqual(d.shape, ['n']);
      assert.equal(d.matrixShape, matrixShape);
    }
  });

  it('gives matrixShape null for results of rank > 2', () => {
    const { body } = json(['a: R^n; X: R^{n×p}; b = X^T a\nd/dX b']);
    assert.deepEqual(body.derivatives[0].shape, ['p', 'p', 'n']);
    assert.equal(body.derivatives[0].matrixShape, null);
  });

  it('orders derivative axes per layout for matrix-by-matrix', () => {
    const src = 'A: R^{m×n}; X: R^{p×q}; B: R^{m×p}; C: R^{q×n}\nF = B X C\nd/dX F';
    const shapes = (['numerator', 'denominator', 'mixed'] as const).map((l) => json(['--layout', l, src]).body.derivatives[0].shape);
    assert.deepEqual(shapes, [['m', 'n', 'q', 'p'], ['p', 'q', 'n', 'm'], ['m', 'n', 'p', 'q']]);
  });

  it('reports a shape mismatch with code, severity, message and the operator span; exit code 1', () => {
    const src = 'A: R^{m×n}; y: R^p\nA y';
    const { code, body } = json([src]);
    assert.equal(code, 1);
    assert.equal(body.diagnostics.length, 1);
    const d = body.diagnostics[0];
    assert.equal(d.code, 'shape-mismatch');
    assert.equal(d.severity, 'error');
    assert.equal(d.message, 'A (m×n) · y (p): inner dimensions n ≠ p.');
    assert.equal(src.slice(d.start - 1, d.end + 1), 'A y');
  });

  it('uses UTF-16 offsets (astral characters count as two units)', () => {
    const src = '𝐱: R^n\nq = 𝐱 + y';
    const { body } = json([src]);
    const d = body.diagnostics.find((x: any) => x.code === 'undeclared-symbol');
    assert.equal(src.slice(d.start, d.end), 'y');
  });

  it('reads stdin when SOURCE is absent or "-"', () => {
    assert.deepEqual(json([], 'x: R^3').body.symbols[0].shape, [3]);
    assert.deepEqual(json(['-'], 's: R').body.symbols[0].shape, []);
  });

  it('parses LaTeX with --math (newlines are spaces)', () => {
    const { body } = json(['--math', 'x \\in \\mathbb{R}^n,\n A \\in \\mathbb{R}^{n \\times n} \\\\\n\\frac{\\partial}{\\partial \\mathbf{x}}\n(x^T A x)']);
    assert.deepEqual(body.derivatives[0].shape, ['n']);
    assert.equal(body.derivatives[0].matrixShape, '1×n');
  });
});

describe('cli: readable output', () => {
  it('shows symbols, derivatives and positioned diagnostics', () => {
    const r = cli(['x: R^n\nf = x^T y']);
    assert.equal(r.code, 1);
    assert.match(r.out, /Symbols:\n {2}x +\(n\)/);
    assert.match(r.out, /2:9: error \[undeclared-symbol\] y is not declared/);
  });
  it('lists names as results print them (W⁽¹⁾, not the internal W^(1)), and elements of labelled names work', () => {
    const r = cli(['W^{(1)}: R^{m×n}\nW_{in}: R^{m×n}\nz = W⁽¹⁾[1,2] + {W_{in}}_{21}\nd/dW^{(1)} z']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Symbols:\n {2}W⁽¹⁾ +\(m, n\) +variable\n {2}W_\{in\} +\(m, n\)/);
    assert.match(r.out, /= e₂ e₁ᵀ/);
  });
});

describe('cli: the built bundle', function () {
  const bundle = join(__dirname, '../../../dist/cli.js');
  before(function () {
    if (!existsSync(bundle)) execFileSync('node', [join(__dirname, '../../../scripts/build.mjs')]);
  });
  it('runs dist/cli.js with stdin and exit codes', () => {
    const ok = spawnSync('node', [bundle, '--json'], { input: 'x: R^n\nd/dx (x^T x)', encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).derivatives[0].shape, ['n']);
    const bad = spawnSync('node', [bundle, 'x: R^n; x x'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    const usage = spawnSync('node', [bundle, '--nope'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    const version = spawnSync('node', [bundle, '--version'], { encoding: 'utf8' });
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });
});
