// Hovers over tensor expressions in ```tensor fenced blocks of markdown notes.
//
// PENDING: the hover provider is not written yet, so the test below is declared with
// `it.skip`. This is the only skipped test of the host suites; turn `it.skip` into `it`
// when the provider lands.
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
});
