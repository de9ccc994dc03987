// Printed Unicode reads back: for derivatives whose matrix notation uses a
// construct the random-program generator does not produce — names with a layer
// label (W⁽¹⁾, declared in LaTeX as W^{(1)}), explicit row vectors and matrices
// of symbolic entries, norms inside norms — the printed Unicode, parsed as an
// expression in the same declarations, evaluates to the derivative at the
// check's point, in the layout's orientation, in all three layouts; so does the
// printed LaTeX where it can say the shape (and it renders with KaTeX). Each case
// pins that some layout still prints its construct, so a case cannot silently
// stop testing it.

import { strict as assert } from 'node:assert';
import { contextOf, katexError, LAYOUTS, roundTrip, runCase, type DerivativeCase } from '../../support/derivative-harness';
import type { Layout } from '../../../src/engine/shape/layout';

interface Case {
  readonly source: string;
  /** What the printed Unicode must contain in at least one layout (the construct under test). */
  readonly uses: RegExp;
  /**
   * Also read back the LaTeX (default true). A bmatrix cannot tell a 1×n matrix
   * from a row vector, nor an n×1 matrix from a column.
   */
  readonly latex?: boolean;
}

const CASES: readonly Case[] = [
  // Layer labels: W^(1) printed as W^(1), which reads as a power of an undeclared W.
  { source: "x: R^n\nv: R^m\nW^{(1)}: R^{m×n}\nd/dx (v' W^{(1)} x)", uses: /W⁽¹⁾/ },
  { source: "x: R^n\nv: R^m\nW^{(\\ell)}: R^{m×n}\nd/dW^{(\\ell)} (v' tanh(W^{(\\ell)} x))", uses: /W⁽ℓ⁾/ },
  { source: "x: R^n\nv: R^m\nW^{(\\ell-1)}: R^{m×n}\nd/dx (v' W^{(\\ell-1)} x)", uses: /W⁽ℓ⁻¹⁾/ },
  { source: "x: R^n\nv: R^m\nW^{(L)}: R^{m×n}\nW^{(out)}: R^{m×m}\nd/dx (v' W^{(out)} W^{(L)} x)", uses: /W⁽ᵒᵘᵗ⁾ W⁽ᴸ⁾|W⁽ᴸ⁾ᵀ W⁽ᵒᵘᵗ⁾ᵀ/ },
  // A label without superscript letters (θ) keeps the language's spelling W^{(θ)}.
  { source: "x: R^n\nv: R^m\nW^{(\\theta)}: R^{m×n}\nd/dx (v' W^{(\\theta)} x)", uses: /W\^\{\(θ\)\}/ },
  { source: "x: R^n\nv: R^m\nW_1^{(2)}: R^{m×n}\nd/dx (v' W_1^{(2)} x)", uses: /W_1⁽²⁾/ },
  { source: "x: R^n\nv: R^m\nW_{in}^{(2)}: R^{m×n}\nd/dx (v' W_{in}^{(2)} x)", uses: /W_\{in\}⁽²⁾/ },
  // W_in read as W_i times n.
  { source: "x: R^n\nv: R^m\nW_{in}: R^{m×n}\nd/dx (v' W_{in} x)", uses: /W_\{in\}/ },
  { source: 'x: R^n\nA^{(0)}: R^n\nd/dx sum(exp(A^{(0)} .* x))', uses: /A⁽⁰⁾/ },
  { source: 'x: R^n\nA^\\ell: R^{n×n}\nd/dx (x\' A^\\ell x)', uses: /A\^ℓ/ },
  // Elements of labelled and subscripted names: W⁽¹⁾[1,2] and W_{in}[2,1] did not parse.
  { source: 'x: R^n\nW^{(1)}: R^{m×n}\nd/dx (W^{(1)}[1,2] * x)', uses: /W⁽¹⁾\[1,2\]/ },
  { source: 'x: R^n\nW_{in}: R^{m×n}\nd/dx (W_{in}[2,1] * x)', uses: /W_\{in\}\[2,1\]/ },
  { source: 'x: R^n\nW_1^{(2)}: R^{m×n}\nd/dx (sin(W_1^{(2)}[2,1]) * x)', uses: /W_1⁽²⁾\[2,1\]/ },
  // Explicit row vectors: [[a, b, c]] read back as a 1×3 matrix, not a row.
  { source: 's: R\na = [s^2, 3*s, sin(s)]\nd/ds a', uses: /^\[2 s, 3, cos\(s\)\]ᵀ$/ },
  { source: 'x: R^3\nd/dx (x[1] * x[2])', uses: /^\[x₂, x₁, 0\]ᵀ$/ },
  { source: 'x: R^3\nd/dx x[2]', uses: /^\[0, 1, 0\]ᵀ$/ },
  { source: 'x: R^2\nd/dx [x[1] * x[2], x[2]^2]', uses: /^\[\[x₂, x₁\], \[0, 2 x₂\]\]$/ },
  // Explicit matrices with a single column: [a, b] read back as a vector, not an n×1 matrix.
  { source: 'x: R^2\nd/dx [x[1]^2]', uses: /^\[\[2 x₁\], \[0\]\]$/, latex: false },
  { source: 'x: R^1\nd/dx [x[1]^2, x[1]]', uses: /^\[\[2 x₁\], \[1\]\]$/, latex: false },
  // Norms inside norms: ‖2 ‖x‖ y‖₁ read as ‖2‖ x ‖y‖₁ (a vector).
  { source: 'x: R^n\ny: R^n\ns: R\nd/ds (norm1(2 * norm2(x) * y) * s)', uses: /^‖2 ‖x‖ y‖₁$/ },
  { source: 'x: R^n\ny: R^n\ns: R\nd/ds (norm2(2 * norm1(x) * y) * s)', uses: /^‖2 ‖x‖₁ y‖$/ },
  { source: 'x: R^n\ny: R^n\nd/dy norm2(2 * norm2(y) * x)', uses: /‖2 ‖y‖ x‖⁻¹/ },
  { source: 'x: R^n\ny: R^n\ns: R\nd/ds (s * norm2(norm1(x) * y - norm2(y) * x))', uses: /^‖‖x‖₁ y - ‖y‖ x‖$/ },
  { source: 'x: R^n\ny: R^n\nd/dx norm2(norm2(x) * norm1(y) * x + y)', uses: /‖‖x‖ ‖y‖₁ x \+ y‖/ },
];

const SEED = 3;

describe('derive: printed Unicode reads back (layer labels, explicit rows, nested norms)', function () {
  this.timeout(60_000);

  for (const c of CASES) {
    describe(c.source.split('\n').pop()!, function () {
      const results = new Map<Layout, DerivativeCase>();
      const result = (layout: Layout): DerivativeCase => {
        let r = results.get(layout);
        if (!r) results.set(layout, (r = runCase(c.source, { layout, seed: SEED })));
        return r;
      };

      for (const layout of LAYOUTS) {
        it(`${layout}: the printed form reads back (and its LaTeX renders)`, function () {
          const r = result(layout);
          assert.equal(r.stage, 'ok', r.message);
          const matrix = r.presentation?.matrix ?? assert.fail('no matrix form');
          for (const latex of [matrix.latex, r.presentation!.index.latex]) assert.equal(katexError(latex), null, latex);
          const styles = c.latex === false ? (['unicode'] as const) : (['unicode', 'latex'] as const);
          for (const style of styles) {
            const printed = style === 'unicode' ? matrix.text : matrix.latex;
            const rt = roundTrip(contextOf(c.source), printed, style, r.request!.shape, r.check!.symbolic, r.point!, 1e-9);
            assert.ok(rt.ok, `${style} ${printed}: ${rt.message}`);
          }
        });
      }

      it(`prints the construct under test (${c.uses.source})`, function () {
        const printed = LAYOUTS.map((l) => result(l).presentation?.matrix?.text ?? '(none)');
        assert.ok(printed.some((t) => c.uses.test(t)), `no layout prints it: ${printed.join(' | ')}`);
      });
    });
  }
});
