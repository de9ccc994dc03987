// Named sub-expressions in printed derivatives ("where t₁ = …"): a deep network's
// derivative is a DAG whose shared parts would be written out again and again.
// These tests check that large repeated parts get names and small results get
// none; that the names never clash with the user's; that the printed result,
// read back with its bindings as definitions (or with the bindings substituted
// back in), evaluates to the derivative the finite-difference check accepted;
// that LaTeX renders; that the printed size grows linearly with depth; and that
// the JSON report and the CLI show the bindings.

import { strict as assert } from 'node:assert';
import { analyze, report } from '../../../src/engine/analyze';
import { deriveRequest } from '../../../src/engine/derive/derive';
import { present, type Presentation } from '../../../src/engine/derive/present';
import { add, constant, fn, mul, Space, tensor, type Node } from '../../../src/engine/ir/ir';
import { memberIndices, MIN_SHARED_SIZE, sharedSubexpressions } from '../../../src/engine/print/sharing';
import { run } from '../../../src/cli/main';
import { contextOf, type DerivativeCase, katexError, roundTrip, runCase, whereOf } from '../../support/derivative-harness';

const SEED = 20240611;

/** z₁ = W₁ x, a₁ = σ(z₁), …, L = sum((a_L − y)²), ∂L/∂W₁ (the benchmark's network). */
function mlp(layers: number, names = { x: 'x', y: 'y' }): string {
  const lines = [`${names.x}: R^n; ${names.y}: R^n`];
  for (let i = 1; i <= layers; i++) lines.push(`W${i}: R^{n×n}`);
  for (let i = 1; i <= layers; i++) lines.push(`a${i} = sigmoid(W${i} ${i === 1 ? names.x : `a${i - 1}`})`);
  lines.push(`L = sum((a${layers} - ${names.y}).^2)`);
  lines.push('d/dW1 L');
  return lines.join('\n');
}

/** 12 → "₁₂". */
const subscriptDigits = (k: number) => [...String(k)].map((d) => '₀₁₂₃₄₅₆₇₈₉'[+d]).join('');

function presentationOf(source: string, layout: 'numerator' | 'denominator' | 'mixed' = 'numerator'): Presentation {
  const a = analyze(source, { layout });
  const o = deriveRequest(a, a.elaboration.derivatives[0]!);
  assert.ok(o.ok);
  return present(a, o.derived);
}

/** The matrix form with every binding substituted back (latest first, each in parentheses). */
function substituted(p: Presentation, style: 'unicode' | 'latex'): string {
  let text = style === 'latex' ? p.matrix!.latex : p.matrix!.text;
  for (const w of [...p.where].reverse()) {
    if (!w.matrix) continue;
    const name = style === 'latex' ? w.latexName : w.name;
    const value = style === 'latex' ? `\\left(${w.matrix.latex}\\right)` : `(${w.matrix.text})`;
    // t₁ must not match the start of t₁₂.
    const pattern = new RegExp(`${name.replace(/[\\{}^_]/g, (c) => `\\${c}`)}(?![₀-₉0-9])`, 'g');
    text = text.replace(pattern, value);
  }
  return text;
}

describe('derive: named sub-expressions (where t₁ = …)', function () {
  this.timeout(120_000);

  describe('a 12-layer network', function () {
    for (const layout of ['numerator', 'denominator', 'mixed'] as const) {
      let memo: DerivativeCase | undefined;
      const result = () => (memo ??= runCase(mlp(12), { layout, seed: SEED }));

      it(`${layout}: names the repeated activations and still agrees with finite differences`, function () {
        const c = result();
        assert.equal(c.stage, 'ok', c.message);
        const p = c.presentation!;
        assert.ok(p.where.length >= 2, `expected bindings, got ${p.where.length}`);
        assert.deepEqual(p.where.map((w) => w.name), p.where.map((_, k) => `t${subscriptDigits(k + 1)}`));
        assert.deepEqual(p.where.map((w) => w.latexName), p.where.map((_, k) => `t_{${k + 1}}`));
        // Every name is used by the result or a later binding, in both notations.
        p.where.forEach((w, k) => {
          const later = p.where.slice(k + 1);
          assert.ok([p.matrix!.text, ...later.map((l) => l.matrix!.text)].some((t) => t.includes(w.name)), `${w.name} unused in matrix form`);
          assert.ok([p.index.text, ...later.map((l) => l.index.text)].some((t) => t.includes(`${w.name}[`)), `${w.name} unused in index form`);
          // A binding uses only names defined before it.
          for (const l of later) assert.ok(!w.matrix!.text.includes(l.name) && !w.index.text.includes(`${l.name}[`), `${w.name} uses the later ${l.name}`);
          assert.deepEqual(w.index.indices, ['i']);
        });
      });

      it(`${layout}: the matrix form reads back with its bindings as definitions (Unicode and LaTeX)`, function () {
        const c = result();
        assert.equal(c.stage, 'ok', c.message);
        const p = c.presentation!;
        for (const style of ['unicode', 'latex'] as const) {
          const printed = style === 'latex' ? p.matrix!.latex : p.matrix!.text;
          const rt = roundTrip(contextOf(mlp(12)), printed, style, c.request!.shape, c.check!.symbolic, c.point!, 1e-9, 'block', whereOf(p, style));
          assert.ok(rt.ok, `${style}: ${rt.message}\n${printed}`);
        }
      });

      it(`${layout}: with the bindings substituted back, the matrix form reads back too`, function () {
        const c = result();
        const p = c.presentation!;
        for (const style of ['unicode', 'latex'] as const) {
          const text = substituted(p, style);
          assert.ok(!/t₁|t_\{1\}/.test(text));
          const rt = roundTrip(contextOf(mlp(12)), text, style, c.request!.shape, c.check!.symbolic, c.point!, 1e-9);
          assert.ok(rt.ok, `${style}: ${rt.message}`);
        }
      });

      it(`${layout}: every LaTeX string renders with KaTeX`, function () {
        const p = result().presentation!;
        for (const s of [p.matrix!.latex, p.index.latex, ...p.where.flatMap((w) => [w.matrix!.latex, w.index.latex])]) assert.equal(katexError(s), null, s);
      });
    }
  });

  it('a Hessian of a deep network reads back with its bindings (names used under other index names)', function () {
    const source = mlp(10).replace('d/dW1 L', 'hess(L, x)');
    for (const layout of ['numerator', 'denominator'] as const) {
      const c = runCase(source, { layout, seed: SEED });
      assert.equal(c.stage, 'ok', c.message);
      const p = c.presentation!;
      assert.ok(p.where.length > 0);
      for (const style of ['unicode', 'latex'] as const) {
        const printed = style === 'latex' ? p.matrix!.latex : p.matrix!.text;
        const rt = roundTrip(contextOf(source), printed, style, c.request!.shape, c.check!.symbolic, c.point!, 1e-9, 'block', whereOf(p, style));
        assert.ok(rt.ok, `${layout} ${style}: ${rt.message}`);
      }
    }
  });

  it('a result without matrix notation still names its parts in index notation', function () {
    // ∂a₁₂/∂W₁ is a rank-3 tensor: index notation only.
    const source = mlp(12).replace('d/dW1 L', 'd/dW1 a12');
    const c = runCase(source, { layout: 'numerator', seed: SEED });
    assert.equal(c.stage, 'ok', c.message);
    const p = c.presentation!;
    assert.equal(p.matrix, null);
    assert.ok(p.where.length > 0);
    for (const w of p.where) {
      assert.equal(w.matrix, null);
      assert.ok(w.index.text.length > 0 && w.index.latex.length > 0);
    }
    assert.ok(p.index.text.includes(`${p.where[p.where.length - 1]!.name}[`));
  });

  it('prints in size linear in the depth of the network', function () {
    const size = (layers: number) => {
      const p = presentationOf(mlp(layers));
      return [p.matrix!.text, p.index.text, ...p.where.flatMap((w) => [w.matrix!.text, w.index.text])].join('').length;
    };
    const [s16, s32, s64] = [size(16), size(32), size(64)];
    // Written out as a tree, doubling the depth quadruples the text; with names it about doubles.
    assert.ok(s32 / s16 < 2.5, `32 vs 16 layers: ${s32} / ${s16}`);
    assert.ok(s64 / s32 < 2.5, `64 vs 32 layers: ${s64} / ${s32}`);
  });

  it('gives small results no names (they print as before)', function () {
    for (const source of ['x: R^n\nA: R^{n×n}\nd/dx (x\' A x)', mlp(1), mlp(2), mlp(4), 'X: R^{n×n}\nd/dX det(inv(X))']) {
      assert.deepEqual(presentationOf(source).where, [], source);
    }
  });

  it('picks names that cannot be read as the user\'s names', function () {
    // With t and t_1 taken by the user, bindings are u₁, u₂, …; with u taken too, v₁, ….
    const withT = mlp(12).replace('x: R^n; y: R^n', 'x: R^n; y: R^n; t: R; t_1: R');
    const p = presentationOf(withT);
    assert.ok(p.where.length > 0);
    assert.ok(p.where.every((w, k) => w.name === `u${subscriptDigits(k + 1)}` && w.latexName === `u_{${k + 1}}`), p.where.map((w) => w.name).join(' '));
    const withTU = presentationOf(mlp(12, { x: 't', y: 'u' }));
    assert.ok(withTU.where.every((w) => w.name.startsWith('v')), withTU.where.map((w) => w.name).join(' '));
    // Index letters avoid the binding letter: no Σₜ next to t₁.
    const plain = presentationOf(mlp(12));
    assert.ok(!/Σ[^ ]*t|\[t[,\]]/.test(plain.index.text), plain.index.text);
  });

  describe('which sub-expressions are named (print/sharing.ts)', function () {
    const space = new Space();
    const i = space.fresh('n');
    /** A chain σ(σ(…σ(x_i)…)) of `depth` nodes above x. */
    const chain = (depth: number, name = 'x'): Node => {
      let n: Node = tensor(name, [i]);
      for (let k = 0; k < depth; k++) n = fn('sigmoid', n);
      return n;
    };

    it('names a large node that is printed twice, not the root, not a small one', function () {
      const big = chain(MIN_SHARED_SIZE);
      const small = chain(3, 'y');
      const root = add([mul([big, small], [i]), mul([constant(2), big, small], [i])], [i]);
      const s = sharedSubexpressions(root);
      assert.deepEqual(s.named, [big]);
      assert.equal(s.group.get(big), big);
      assert.equal(sharedSubexpressions(add([mul([chain(MIN_SHARED_SIZE - 2), small], [i]), chain(MIN_SHARED_SIZE - 2)], [i])).named.length, 0);
    });

    it('counts a part of a named node once, however often the name is used', function () {
      const inner = chain(MIN_SHARED_SIZE);
      const outer = fn('exp', inner);
      // outer is used twice; inner only inside outer: only outer is named.
      const root = add([mul([outer, tensor('y', [i])], [i]), outer], [i]);
      assert.deepEqual(sharedSubexpressions(root).named, [outer]);
    });

    it('treats equal nodes built separately as one', function () {
      const a = chain(MIN_SHARED_SIZE);
      const b = chain(MIN_SHARED_SIZE); // equal to a, another object
      const c = fn('exp', chain(MIN_SHARED_SIZE + 5, 'z'));
      const root = add([mul([a, c, tensor('y', [i])], [i]), mul([b, c, tensor('w', [i])], [i])], [i]);
      const s = sharedSubexpressions(root);
      assert.equal(s.named.length, 2);
      assert.ok(s.named.includes(c));
      const rep = s.named.find((n) => n !== c)!;
      assert.ok(rep === a || rep === b);
      assert.equal(s.group.get(a), rep);
      assert.equal(s.group.get(b), rep);
    });
  });

  it('maps a group member\'s indices by position in its shape', function () {
    const space = new Space();
    const [a, b, c, d] = [space.fresh('n'), space.fresh('n'), space.fresh('n'), space.fresh('n')];
    // σ(X[c,d]) is σ(X[a,b]) with a → c, b → d, and σ(X[d,c]) with a → d, b → c: one group.
    // σ(Y[a,a]) (a diagonal) has another shape.
    const big = (name: string, p: string, q: string): Node => {
      let n: Node = tensor(name, [p, q]);
      for (let k = 0; k < MIN_SHARED_SIZE; k++) n = fn('sigmoid', n);
      return n;
    };
    const [r, m, t] = [big('X', a, b), big('X', c, d), big('X', d, c)];
    const diag = big('X', a, a);
    const root = add([mul([r, m, t, diag], []), mul([constant(2), r, m, t, diag], [])], []);
    const s = sharedSubexpressions(root);
    const rep = s.group.get(r)!;
    assert.equal(rep, r); // the first in post-order
    assert.equal(s.group.get(m), r);
    assert.equal(s.group.get(t), r);
    assert.notEqual(s.group.get(diag), r);
    assert.deepEqual(memberIndices(s, r, m, [b, a]), [d, c]);
    assert.deepEqual(memberIndices(s, r, t, [a, b]), [d, c]);
  });

  describe('report and CLI', function () {
    it('the JSON report has `where` for a deep network and none for a small result', function () {
      const r = report(analyze(mlp(12)));
      const d = r.derivatives[0]!;
      assert.ok(d.where && d.where.length > 0);
      for (const w of d.where) {
        assert.deepEqual(Object.keys(w).sort(), ['index', 'indexLatex', 'indices', 'latex', 'latexName', 'name', 'text']);
        assert.equal(typeof w.text, 'string');
        assert.equal(typeof w.latex, 'string');
      }
      assert.ok(d.text!.includes(d.where[0]!.name) || d.where.some((w) => w.text!.includes(d.where![0]!.name)));
      const small = report(analyze('x: R^n\nd/dx (x\' x)'));
      assert.equal('where' in small.derivatives[0]!, false);
    });

    it('the readable output lists the bindings under each form', function () {
      let out = '';
      const code = run([mlp(12)], { out: (s) => (out += s), err: () => undefined, stdin: () => '' });
      assert.equal(code, 0);
      assert.match(out, /\n {8}where t₁ = σ\(W\d+ /);
      assert.match(out, /\n {14}t₂ = /);
      assert.match(out, /\n {8}where t₁\[i\] = σ\(Σ/);
    });
  });
});
