// Numeric checks judge errors relative to the result's own size. Claim checks
// compare two exact evaluations: a wrong claim about a tiny result is still
// wrong, and a side that cancels to zero up to rounding still holds. The
// finite-difference check of a derivative likewise catches a wrong factor in a
// deep network's gradient (~1e-8), while tolerating the differences' noise.

import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/engine/analyze';
import { checkClaims } from '../../../src/engine/derive/claims';
import { checkDerivative, deriveRequest } from '../../../src/engine/derive/derive';
import { constant, mul } from '../../../src/engine/ir/ir';
import { relativeDifference } from '../../../src/engine/numeric/compare';

function results(source: string) {
  return checkClaims(analyze(source)).results.map((r) => ({ holds: r.holds, maxRelError: r.maxRelError }));
}

describe('claim checks: tolerance relative to the size of the result', () => {
  it('a claim off by 50% about a result of size ~1e-8 is false', () => {
    assert.equal(results('x: R^3\nf = 1e-8 x = 1e-8 x')[0]!.holds, true);
    const [wrong] = results('x: R^3\nf = 1e-8 x = 1.5e-8 x');
    assert.equal(wrong!.holds, false);
    assert.ok(wrong!.maxRelError > 1e-3, `${wrong!.maxRelError}`);
    // Above the floor the error is relative to the larger side: |1 − 1.5| / 1.5.
    const [ratio] = results('x: R^3\nf = 1e-3 x = 1.5e-3 x');
    assert.ok(Math.abs(ratio!.maxRelError - 1 / 3) < 1e-9, `${ratio!.maxRelError}`);
  });

  it('a side that cancels to zero up to rounding holds', () => {
    const [zero] = results('x: R^4; A: R^{4×4}\nx^T (A - A^T) x = 0');
    assert.equal(zero!.holds, true);
    assert.ok(zero!.maxRelError > 0, 'rounding left a trace, absorbed by the floor');
    const [derivative] = results('x: R^4; A: R^{4×4}\ng = (d/dx (x^T A x)) - x^T (A + A^T) = 0 x^T');
    assert.equal(derivative!.holds, true);
  });

  const network = (() => {
    const lines = ['x: R^n; y: R^n'];
    for (let i = 1; i <= 12; i++) lines.push(`W${i}: R^{n×n}`);
    for (let i = 1; i <= 12; i++) lines.push(`a${i} = sigmoid(W${i} ${i === 1 ? 'x' : `a${i - 1}`})`);
    lines.push('L = sum((a12 - y).^2)');
    return lines;
  })();

  it('the gradient of a deep sigmoid network (~1e-8 at a random point): right holds, doubled is false', () => {
    const lines = network;
    const twice = [...lines, 'd/dx L = 2 (d/dx L)'].join('\n');
    const same = [...lines, 'd/dx L = d/dx L'].join('\n');
    assert.equal(results(same)[0]!.holds, true);
    assert.equal(results(twice)[0]!.holds, false);
  });

  it('the finite-difference check passes that gradient and fails it scaled by 1.5', () => {
    const analysis = analyze([...network, 'd/dx L'].join('\n'));
    const outcome = deriveRequest(analysis, analysis.elaboration.derivatives[0]!);
    assert.ok(outcome.ok);
    const right = checkDerivative(analysis, outcome.derived);
    assert.ok(!('error' in right) && right.ok, JSON.stringify(right));
    const largest = Math.max(...right.symbolic.data.map(Math.abs));
    assert.ok(largest < 1e-5, `the gradient is tiny (${largest}), so an absolute tolerance would pass anything`);
    const d = outcome.derived;
    const wrong = checkDerivative(analysis, { ...d, node: mul([constant(1.5), d.node], d.axes) });
    assert.ok(!('error' in wrong) && !wrong.ok && wrong.maxRelError > 1e-5, JSON.stringify('error' in wrong ? wrong : wrong.maxRelError));
  });
});

describe('relativeDifference (shared by claim checks and the finite-difference check)', () => {
  it('is relative to the larger side, above the floor', () => {
    assert.equal(relativeDifference([1, 2], [1, 3], 1e-6), 1 / 3);
    assert.equal(relativeDifference([1e-8], [2e-8], 1e-6), 1e-8 / 1e-6, 'below the floor: relative to the floor');
    assert.equal(relativeDifference([0, 0], [0, 0], 1e-6), 0);
  });

  it('agrees where both sides are NaN and keeps comparing the other entries', () => {
    assert.equal(relativeDifference([NaN, 1], [NaN, 2], 1e-6), 0.5);
    assert.equal(relativeDifference([NaN, 1], [0, 1], 1e-6), Infinity);
    assert.equal(relativeDifference([1, 2], [1, Infinity], 1e-6), Infinity, 'an infinite side is never close');
  });
});
