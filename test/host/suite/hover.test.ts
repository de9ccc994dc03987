// Hovers over tensor expressions in ```tensor fenced blocks, math spans and @tensor
// comments, through the real hover machinery (vscode.executeHoverProvider).
import * as assert from 'node:assert/strict';
import { hoverTextAt, openFixture, ourExtension, positionOf } from '../lib/vscode';

describe('hover in markdown tensor blocks', () => {
  before(async () => {
    await ourExtension().activate();
  });

  it('shows the real shape of y = A x (mentions ℝ and m)', async () => {
    const { document } = await openFixture('hover.md');
    for (const [label, position] of [
      ['y', positionOf(document, 'y = A x')],
      ['A x', positionOf(document, 'y = A x', { offset: 4 })],
    ] as const) {
      const text = await hoverTextAt(document, position);
      assert.match(text, /ℝ/, `hover over ${label} should mention ℝ, got: ${text}`);
      assert.match(text, /m/, `hover over ${label} should mention m, got: ${text}`);
    }
  });

  it('shows a derivative request with its result, layout, numeric check and a Show derivative link', async () => {
    const { document } = await openFixture('derivatives.md');
    const text = await hoverTextAt(document, positionOf(document, 'd/dx (x^T A x)', { offset: 1 }));
    assert.match(text, /Derivative in numerator layout: shape \(n\), matrix 1×n\./);
    assert.match(text, /= xᵀ \(A \+ Aᵀ\)/);
    assert.match(text, /✓ Matches central finite differences/);
    assert.match(text, /command:tensorDerivatives\.showDerivative/);
  });

  it('works in markdown math spans and in @tensor comments of TypeScript', async () => {
    const md = (await openFixture('derivatives.md')).document;
    const inMath = await hoverTextAt(md, positionOf(md, '\\frac{\\partial s}', { offset: 1 }));
    assert.match(inMath, /Derivative in numerator layout/);
    const ts = (await openFixture('layer.ts')).document;
    const inComment = await hoverTextAt(ts, positionOf(ts, 'W x', { offset: 0 }));
    assert.match(inComment, /ℝᵐˣⁿ/);
  });
});

