// A program split into regions and analysed region by region (each on the
// scope the one before handed on, as the editor does) means what the same
// program analysed in one piece means: the same derivatives, printed the same,
// the same diagnostics and the same verdicts on claims (in every layout).
// Random programs redeclare names, so definitions keep referring to variables
// their name no longer shows (Scope.variables holds only those; visible ones
// are found through the symbols).

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../../src/engine/analyze';
import { checkDerivative, deriveRequest } from '../../../src/engine/derive/derive';
import { present } from '../../../src/engine/derive/present';
import { checkClaims } from '../../../src/engine/derive/claims';
import { EMPTY_SCOPE, variableById, type Scope } from '../../../src/engine/shape/scope';

/** Declares and defines everything the lines below use (so most programs mean something). */
const PREAMBLE = ['x: R^n', 'y: R^n', 'A: R^{n×n}', 'B: R^{n×n}', "f = x' A x", 'g = sum(exp(x))', 'k = norm2(B y)^2 + f'];
const LINES = [
  'x: R^m', 'x: R^n', 'A: R^{m×m}', 'A: R^{n×n}', 'y: R^n',
  "f = x' A x", 'h = f + g', 'k = norm2(B y)^2 + f', 'g = sum(exp(x))',
  'd/dx f', "d/dx (f + x' x)", "d/dy (f + y' y)", 'd/dA f', 'd/dy k', 'd/dy (k * g)', 'd/dB k', 'd/dx g',
  // Claims, some of which hold only in another layout (claim-layout) or not at all (claim-false).
  "d/dB k = 2 B y y'", "d/dA (x' A y) = x y'", "d/dx f = x' (A + A')", 'd/dx g = exp(x)', "d/dB (y' B y) = y y'",
];

let checked = 0;

/** What a run of analyses means: per request its printed derivative and numeric check, or its failure; then every diagnostic code. */
function meaning(analyses: readonly Analysis[]): string[] {
  const out: string[] = [];
  for (const analysis of analyses) {
    for (const request of analysis.elaboration.derivatives) {
      const outcome = deriveRequest(analysis, request);
      if (!outcome.ok) {
        out.push(`! ${outcome.diagnostic.code}`);
        continue;
      }
      // The numeric check draws every variable the derivative reads, shadowed ones included.
      const check = checkDerivative(analysis, outcome.derived, { seed: 5 });
      if ('ok' in check && check.ok) checked++;
      out.push(`= ${present(analysis, outcome.derived).index.text} (${'error' in check ? check.error : check.ok})`);
    }
  }
  for (const analysis of analyses) for (const d of analysis.diagnostics) out.push(`${d.code}`);
  // Claims are checked in every layout, on the names the text inherited.
  for (const analysis of analyses) for (const d of checkClaims(analysis, 3).diagnostics) out.push(`${d.code}`);
  return out;
}

function chained(regions: readonly string[]): Analysis[] {
  let scope: Scope = EMPTY_SCOPE;
  return regions.map((source) => {
    const analysis = analyze(source, { layout: 'numerator', mode: 'block', scope });
    scope = analysis.elaboration.scope;
    return analysis;
  });
}

describe('scope chaining: region by region means what one piece means', function () {
  this.timeout(30_000);

  it('on 300 random programs with redeclarations, split at random lines', () => {
    checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 19, maxLength: 19 }),
        (rest, cuts) => {
          const lines = [...PREAMBLE, ...rest];
          const regions: string[] = [];
          let current: string[] = [];
          lines.forEach((line, i) => {
            current.push(line);
            if (cuts[i] || i === lines.length - 1) {
              regions.push(current.join('\n'));
              current = [];
            }
          });
          const whole = analyze(lines.join('\n'), { layout: 'numerator', mode: 'block' });
          assert.deepEqual(meaning(chained(regions)).sort(), meaning([whole]).sort());
        },
      ),
      { seed: 31, numRuns: 300 },
    );
    // Both sides check each derivative: most programs must have some that hold numerically.
    assert.ok(checked > 600, `only ${checked} derivatives checked`);
  });

  it('a shadowed variable stays reachable by id; a visible one is found through its name', () => {
    const [, second] = chained(["x: R^n\nf = x' x", 'x: R^{m×m}\ny: R^n\nd/dy (f + sum(y))']);
    const scope = second!.elaboration.scope;
    assert.deepEqual(variableById(scope, 'x')?.shape.dims, ['n']);
    assert.deepEqual(variableById(scope, 'x@2')?.shape.dims, ['m', 'm']);
    assert.equal(scope.variables.get('x@2'), undefined, 'a visible variable is not stored twice');
    assert.deepEqual(second!.elaboration.variables.get('x')?.shape.dims, ['n'], 'the definition f still reads the first x');
    const outcome = deriveRequest(second!, second!.elaboration.derivatives[0]!);
    assert.ok(outcome.ok);
  });

  it('a variable shadowed inside the region that declared it stays reachable by id', () => {
    const [first, second] = chained(["x: R^n\nf = x' x\nx: R^m", 'y: R^n\nd/dy (f * sum(y))']);
    assert.deepEqual(variableById(first!.elaboration.scope, 'x')?.shape.dims, ['n']);
    assert.deepEqual(variableById(first!.elaboration.scope, 'x@2')?.shape.dims, ['m']);
    assert.deepEqual(second!.elaboration.variables.get('x')?.shape.dims, ['n']);
  });
});
