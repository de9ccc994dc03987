// Printed LaTeX reads back: for derivatives whose matrix notation uses a
// construct the random-program generator does not produce (Hadamard powers with
// negative exponents, sign and step, unit vectors, explicit matrices, nested
// norms), the printed LaTeX parses as one expression in math mode, without
// rewriting, and evaluates to the derivative at the check's point, in all three
// layouts. Each case also pins that the printed form still uses its construct,
// so a case cannot silently stop testing what it is here for.

import { strict as assert } from 'node:assert';
import { LAYOUTS, roundTrip, runCase } from '../../support/derivative-harness';

interface Case {
  readonly source: string;
  /** What the printed LaTeX must contain (the construct under test). */
  readonly uses: RegExp;
}

const CASES: readonly Case[] = [
  { source: 'x: R^n\nd/dx sum(1 ./ x)', uses: /\^\{\\circ -2\}/ },
  { source: 'x: R^n\nd/dx sum(x.^3)', uses: /\^\{\\circ 2\}/ },
  { source: 'x: R^n\nd/dx sum(sqrt(exp(x)))', uses: /\^\{\\circ -1\}/ },
  { source: 'x: R^n\nd/dx sum(abs(x))', uses: /\\operatorname\{sign\}/ },
  { source: 'x: R^n\nd/dx sum(relu(x))', uses: /\\operatorname\{step\}/ },
  { source: 'X: R^{n×n}\nd/dX log(abs(det(X)))', uses: /\\operatorname\{sign\}/ },
  { source: 'x: R^n\nd/dx x[2]', uses: /\\mathbf\{e\}_\{2\}/ },
  { source: 'A: R^{m×n}\nd/dA A[1,2]', uses: /\\mathbf\{e\}_\{1\}/ },
  { source: 's: R\na = [s^2, 3*s, sin(s)]\nd/ds a', uses: /\\begin\{bmatrix\}/ },
  { source: 'x: R^3\nd/dx (x[1] * x[2])', uses: /\\begin\{bmatrix\}/ },
  // ‖2 ‖x‖ y‖₁ read as ‖2‖ x ‖y‖₁ (a vector) before \lVert and \rVert were told apart.
  { source: 'x: R^n\ny: R^n\ns: R\nd/ds (norm1(2 * norm2(x) * y) * s)', uses: /\\lVert 2 \\left\\lVert/ },
];

const SEED = 3;

describe('derive: printed LaTeX reads back in math mode (constructs beyond the random programs)', function () {
  this.timeout(60_000);

  for (const c of CASES) {
    for (const layout of LAYOUTS) {
      it(`${c.source.split('\n').pop()} [${layout}]`, function () {
        const result = runCase(c.source, { layout, seed: SEED });
        assert.equal(result.stage, 'ok', result.message);
        const latex = result.presentation?.matrix?.latex ?? assert.fail('no matrix form');
        assert.match(latex, c.uses, `the printed form no longer uses the construct under test: ${latex}`);
        const context = c.source.split('\n').slice(0, -1).join('\n');
        const rt = roundTrip(context, latex, 'latex', result.request!.shape, result.check!.symbolic, result.point!, 1e-9);
        assert.ok(rt.ok, `${latex}: ${rt.message}`);
      });
    }
  }
});
