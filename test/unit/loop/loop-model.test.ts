// The loop visualisation model: loop order per layout (the seed notebook's
// "Iterative Process"), lazily computed entries, and entry values equal to
// central finite differences.

import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/engine/analyze';
import { checkDerivative, deriveRequest } from '../../../src/engine/derive/derive';
import type { Layout } from '../../../src/engine/shape/layout';
import { buildLoopModel } from '../../../src/panel/loop-model';

function model(source: string, layout: Layout, sizes: Record<string, number> = {}) {
  const analysis = analyze(source, { layout });
  const request = analysis.elaboration.derivatives[0];
  assert.ok(request, `no derivative in ${source}`);
  const outcome = deriveRequest(analysis, request);
  assert.ok(outcome.ok);
  return { analysis, derived: outcome.derived, loops: buildLoopModel(analysis, outcome.derived, { sizes, seed: 3 }) };
}

describe('loop model: loop order per layout', () => {
  const source = 'a: R^n; X: R^{n×p}; b = X^T a\nd/dX b';
  const sizes = { n: 2, p: 3 };

  it('mixed: F axes then X axes, like the notebook (for i, for j, for k: ∂b_i/∂X_jk)', () => {
    const { loops } = model(source, 'mixed', sizes);
    assert.deepEqual(loops.loops.map((l) => [l.letter, l.from, l.axis, l.size]), [['i', 'F', 0, 3], ['j', 'X', 0, 2], ['k', 'X', 1, 3]]);
    assert.deepEqual(loops.pseudocode, ['for i = 1..3:', '  for j = 1..2:', '    for k = 1..3:', '      compute ∂b_i/∂X_jk']);
    assert.equal(loops.steps, 18);
  });

  it("numerator: F axes then X axes reversed", () => {
    const { loops } = model(source, 'numerator', sizes);
    assert.deepEqual(loops.loops.map((l) => [l.from, l.axis]), [['F', 0], ['X', 1], ['X', 0]]);
    assert.equal(loops.pseudocode.at(-1), '      compute ∂b_i/∂X_kj');
  });

  it('denominator: X axes then F axes reversed', () => {
    const { loops } = model(source, 'denominator', sizes);
    assert.deepEqual(loops.loops.map((l) => [l.from, l.axis]), [['X', 0], ['X', 1], ['F', 0]]);
    assert.equal(loops.pseudocode.at(-1), '      compute ∂b_k/∂X_ij');
  });

  it('scalar by vector has one loop; the seed example s = vᵀa fills ∂s/∂v_i = a_i', () => {
    const { loops } = model('v: R^3; a: R^3; s = v^T a\nds/dv', 'mixed');
    assert.equal(loops.steps, 3);
    const e = loops.entry(1);
    assert.deepEqual(e.indices, [2]);
    assert.equal(e.partial.text, '∂s/∂v[2]');
    assert.equal(e.symbolic.text, 'a₂');
  });
});

describe('loop model: entries', () => {
  for (const layout of ['numerator', 'denominator', 'mixed'] as const) {
    it(`entry values equal the finite-difference derivative at the same point (${layout})`, () => {
      const { analysis, derived, loops } = model('A: R^{2×3}; X: R^{3×2}; F = sin(A X)\nd/dX F', layout);
      const check = checkDerivative(analysis, derived, { seed: 3, sizes: loops.sizes });
      assert.ok(!('error' in check));
      assert.equal(loops.steps, check.numeric.data.length);
      for (let s = 0; s < loops.steps; s++) {
        const e = loops.entry(s);
        assert.ok(Math.abs(e.value - check.numeric.data[s]!) < 1e-6, `step ${s}: ${e.value} vs ${check.numeric.data[s]}`);
      }
    });
  }

  for (const layout of ['numerator', 'denominator', 'mixed'] as const) {
    it(`a layer's Jacobian entries pick the row in every factor (no δ, no sum left) and equal finite differences (${layout})`, () => {
      const { analysis, derived, loops } = model('x: R^3; A: R^{3×3}\nd/dx sigmoid(A x)', layout);
      const check = checkDerivative(analysis, derived, { seed: 3, sizes: loops.sizes });
      assert.ok(!('error' in check));
      for (let s = 0; s < loops.steps; s++) {
        const e = loops.entry(s);
        assert.ok(Math.abs(e.value - check.numeric.data[s]!) < 1e-6, `step ${s}: ${e.value} vs ${check.numeric.data[s]}`);
        assert.doesNotMatch(e.symbolic.text, /δ|^Σ/, `step ${s}: ${e.symbolic.text}`);
      }
      // ∂σ(A x)₂/∂x₃ = σ(Σₐ A₂ₐ xₐ) A₂₃ − σ(Σₐ A₂ₐ xₐ)² A₂₃ (σ' = σ − σ²).
      const at = loops.entry(layout === 'denominator' ? 3 * 2 + 1 : 1 * 3 + 2);
      assert.match(at.symbolic.text, /^σ\(Σₐ A₂ₐ xₐ\) (A₂₃ - σ\(Σₐ A₂ₐ xₐ\)² A₂₃|\(1 - σ\(Σₐ A₂ₐ xₐ\)\) A₂₃)$/);
    });
  }

  it('gives the seed notebook’s symbolic partials for matrix by matrix', () => {
    const { loops } = model('X: R^{2×2}\nA = [[X_{11}^2 + X_{12}, sin(X_{21})], [exp(X_{22}), X_{11} X_{22}]]\ndA/dX', 'mixed');
    const texts = Array.from({ length: loops.steps }, (_, s) => loops.entry(s).symbolic.text);
    assert.equal(texts[0], '2 X₁₁'); // ∂A₁₁/∂X₁₁
    assert.equal(texts[1], '1'); // ∂A₁₁/∂X₁₂
    assert.equal(texts[6], 'cos(X₂₁)'); // ∂A₁₂/∂X₂₁
    assert.equal(texts[11], 'exp(X₂₂)'); // ∂A₂₁/∂X₂₂
    assert.equal(texts[12], 'X₂₂'); // ∂A₂₂/∂X₁₁
    assert.equal(texts[15], 'X₁₁'); // ∂A₂₂/∂X₂₂
    assert.equal(texts.filter((t) => t === '0').length, 10);
  });

  it('opens a (64, 64, 64, 64) derivative without materialising it, and clamps steps', () => {
    const { loops } = model('X: R^{64×64}; A: R^{64×64}\nd/dX (A X)', 'mixed');
    assert.equal(loops.steps, 64 ** 4);
    const last = loops.entry(loops.steps + 10);
    assert.deepEqual(last.indices, [64, 64, 64, 64]);
    // ∂(AX)_{ij}/∂X_{kl} = A_ik δ_jl: on the diagonal j = l it is A_ik.
    assert.equal(last.symbolic.text, 'A[64,64]');
  });
});
