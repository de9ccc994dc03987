// Property tests over randomly generated programs (test/support/expression-generator.ts):
// for at least 1000 well-typed programs, in all three layouts,
//   - the program analyzes without diagnostics and its derivative request derives;
//   - the derivative agrees with central finite differences (max relative error ≤ 1e-6),
//     at a seeded random point; a point where the check cannot evaluate (a singular
//     matrix, say) is retried with another seed, at most twice, and counted;
//   - a derivative by a variable F does not use is exactly zero;
//   - the LaTeX spelling of the same program derives the same values;
//   - the printed matrix notation (Unicode and LaTeX), read back as an expression of
//     the language in the same declarations, evaluates to the derivative, in the
//     layout's orientation (a gradient row stays a row). Nothing is rewritten first
//     (the language reads `X^{\circ 2}`, `\mathbf{e}_{k}`, `\operatorname{sign}`, …),
//     and the LaTeX must read as one expression in math mode, as pasted into `$$ … $$`.
//
// Deterministic by default. TENSOR_FUZZ_SEED=<n> varies the programs, TENSOR_FUZZ_COUNT=<n>
// scales the run. A failure message lists the first cases with everything needed to
// reproduce them: the source, the layout and the seed.

import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/engine/analyze';
import { deriveRequest } from '../../../src/engine/derive/derive';
import type { Layout } from '../../../src/engine/shape/layout';
import { generateProgram, programSeed, type GeneratedProgram } from '../../support/expression-generator';
import { LAYOUTS, roundTrip, runCase, symbolicValue, whereOf, type DerivativeCase, type RoundTrip } from '../../support/derivative-harness';

const BASE_SEED = Number(process.env.TENSOR_FUZZ_SEED ?? 20240611);
const COUNT = Number(process.env.TENSOR_FUZZ_COUNT ?? 1000);
/** Finite-difference tolerance (the engine's own default). */
const RTOL = 1e-6;
/** Printed constants carry 6 significant digits (0.0237129 for 0.5/(1 + e³)). */
const READBACK_TOLERANCE = 1e-5;
/**
 * The IR evaluator visits every index combination of a product, so a deep enough
 * product chain costs exponentially much. Checks above this many multiply-adds
 * (a few seconds) are not run; they are reported by their own test below.
 */
const MAX_COST = 1e9;
const SHOW = 6;

interface Outcome {
  readonly k: number;
  readonly program: GeneratedProgram;
  readonly layout: Layout;
  readonly result: DerivativeCase;
  readonly unicode?: RoundTrip;
  readonly latex?: RoundTrip;
}

interface SpellingOutcome {
  readonly k: number;
  readonly program: GeneratedProgram;
  readonly layout: Layout;
  readonly problem: string | null;
}

function repro(o: { k: number; program: GeneratedProgram; layout: Layout }, spelling: 'ascii' | 'latex' = 'ascii'): string {
  return `program #${o.k} (generator seed ${o.program.seed}), layout ${o.layout}:\n${o.program.source(spelling).replace(/^/gm, '    ')}`;
}

/**
 * A failure message: the number of cases, grouped by the kind of problem (the
 * first line of each case with numbers and names blurred), then one example of
 * each kind before further examples.
 */
function report(title: string, lines: string[]): string {
  const kind = (line: string) => line.split('\n')[0]!.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#').replace(/`[^`]*`/g, '`…`').slice(0, 90);
  const groups = new Map<string, string[]>();
  for (const l of lines) groups.set(kind(l), [...(groups.get(kind(l)) ?? []), l]);
  const summary = [...groups].map(([k, ls]) => `  ${String(ls.length).padStart(4)} × ${k}`).join('\n');
  const examples = [...[...groups.values()].map((ls) => ls[0]!), ...lines.filter((l) => ![...groups.values()].some((ls) => ls[0] === l))].slice(0, Math.max(SHOW, groups.size));
  return `${lines.length} ${title}, by kind:\n${summary}\n\n${examples.join('\n\n')}${lines.length > examples.length ? `\n\n… and ${lines.length - examples.length} more` : ''}`;
}

describe('derive: random expressions (property tests)', function () {
  this.timeout(600_000);

  const outcomes: Outcome[] = [];
  const spellings: SpellingOutcome[] = [];
  let started = 0;

  before(function () {
    started = Date.now();
    for (let k = 0; k < COUNT; k++) {
      const seed = programSeed(BASE_SEED, k);
      const program = generateProgram(seed);
      const source = program.source('ascii');
      for (const layout of LAYOUTS) {
        const result = runCase(source, { layout, seed, rtol: RTOL, expectZero: !program.request.dependent, maxCost: MAX_COST });
        let unicode: RoundTrip | undefined;
        let latex: RoundTrip | undefined;
        const matrix = result.presentation?.matrix;
        if (result.stage === 'ok' && matrix) {
          const expected = result.check!.symbolic;
          const presentation = result.presentation!;
          unicode = roundTrip(program.context('ascii'), matrix.text, 'unicode', result.request!.shape, expected, result.point!, READBACK_TOLERANCE, 'block', whereOf(presentation, 'unicode'));
          latex = roundTrip(program.context('ascii'), matrix.latex, 'latex', result.request!.shape, expected, result.point!, READBACK_TOLERANCE, 'block', whereOf(presentation, 'latex'));
        }
        outcomes.push({ k, program, layout, result, ...(unicode ? { unicode } : {}), ...(latex ? { latex } : {}) });
      }
      // The LaTeX spelling, in one layout per program (rotating), at the ASCII spelling's point.
      const layout = LAYOUTS[k % LAYOUTS.length]!;
      const ascii = outcomes[outcomes.length - LAYOUTS.length + (k % LAYOUTS.length)]!.result;
      spellings.push({ k, program, layout, problem: ascii.stage === 'ok' ? compareLatex(program, layout, ascii) : null });
    }
  });

  after(function () {
    const checked = outcomes.filter((o) => o.result.check);
    const retried = outcomes.filter((o) => o.result.retries > 0).length;
    const borderline = outcomes.filter((o) => (o.result.borderline ?? 0) > 0).length;
    const notDifferentiable = outcomes.filter((o) => o.result.stage === 'not-differentiable').length;
    const maxError = Math.max(0, ...checked.map((o) => o.result.check!.maxRelError));
    const printed = outcomes.filter((o) => o.unicode);
    const readBack = printed.filter((o) => o.unicode!.ok && o.latex!.ok).length;
    const costly = outcomes.filter((o) => o.result.stage === 'too-costly').length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `    random expressions (seed ${BASE_SEED}): generated ${COUNT} programs, checked ${checked.length} derivatives in ${LAYOUTS.length} layouts ` +
        `(${outcomes.filter((o) => o.result.stage === 'ok').length} passed), retried ${retried} (${borderline} for rounding), too costly ${costly}, ` +
        `not differentiable ${notDifferentiable}, ` +
        `max rel. error ${maxError.toExponential(2)}, LaTeX spellings ${spellings.filter((s) => s.problem === null).length}/${spellings.length}, ` +
        `printed forms read back ${readBack}/${printed.length}, ${seconds} s`,
    );
  });

  it(`generates ${COUNT} programs (at least 1000 by default) and checks every one in all three layouts`, function () {
    assert.equal(outcomes.length, COUNT * LAYOUTS.length);
    if (process.env.TENSOR_FUZZ_COUNT === undefined) assert.ok(COUNT >= 1000);
    // The generator covers what it is meant to: Hessians, zero derivatives, intermediates held independent, all ranks.
    if (COUNT < 200) return;
    const programs = outcomes.filter((o) => o.layout === 'numerator').map((o) => o.program);
    assert.ok(programs.some((p) => p.request.kind === 'hess'));
    assert.ok(programs.some((p) => !p.request.dependent));
    assert.ok(programs.some((p) => p.request.wrtIsDefinition));
    assert.ok(programs.some((p) => p.definitions.length === 2 && p.definitions[1]!.expr.refs.has('u')));
    const ranks = new Set(outcomes.flatMap((o) => (o.result.request ? [o.result.request.shape.dims.length] : [])));
    assert.deepEqual([...ranks].sort(), [0, 1, 2, 3, 4]);
  });

  it('analyzes every program without diagnostics', function () {
    const bad = outcomes.filter((o) => o.result.stage === 'diagnostics' || o.result.stage === 'request');
    assert.ok(bad.length === 0, report('programs with diagnostics', bad.map((o) => `${o.result.message}\n${repro(o)}`)));
  });

  it('derives and presents every request', function () {
    const bad = outcomes.filter((o) => o.result.stage === 'derive' || o.result.stage === 'present');
    assert.ok(bad.length === 0, report('derivations failed', bad.map((o) => `${o.result.stage}: ${o.result.message}\n${repro(o)}`)));
  });

  it(`agrees with central finite differences (max relative error ≤ ${RTOL})`, function () {
    const bad = outcomes.filter((o) => o.result.stage === 'check' || o.result.stage === 'check-error');
    assert.ok(bad.length === 0, report('derivatives disagree with finite differences', bad.map((o) => `${o.result.message}\n${repro(o)}`)));
  });

  it('generates functions that are differentiable at the check points', function () {
    // A generator defect, not an engine one: e.g. norm2(x - u) with u = x.
    const bad = outcomes.filter((o) => o.result.stage === 'not-differentiable');
    assert.ok(bad.length <= Math.ceil(COUNT / 200), report('programs not differentiable anywhere (more than 0.5%)', bad.map((o) => `${o.result.message}\n${repro(o)}`)));
  });

  it('gives exactly zero for a variable F does not depend on', function () {
    const bad = outcomes.filter((o) => o.result.stage === 'zero');
    assert.ok(bad.length === 0, report('nonzero derivatives of independent variables', bad.map((o) => `${o.result.message}\n${repro(o)}`)));
  });

  it('evaluates every derivative at a bounded cost (no exponential products)', function () {
    // Known engine limitation: the einsum evaluator sums a flattened product over all its
    // indices at once; e.g. hess(norm2(A*A*A*A*x), x) takes about 100 s to check.
    const bad = outcomes.filter((o) => o.result.stage === 'too-costly');
    assert.ok(bad.length === 0, report('derivatives too costly to check', bad.map((o) => `${o.result.message}\n${repro(o)}`)));
  });

  it('derives the same values from the LaTeX spelling of each program', function () {
    const bad = spellings.filter((s) => s.problem !== null);
    assert.ok(bad.length === 0, report('LaTeX spellings disagree', bad.map((s) => `${s.problem}\n${repro(s, 'latex')}`)));
  });

  for (const style of ['unicode', 'latex'] as const) {
    it(`prints matrix notation (${style}) that reads back to the derivative's value, in the layout's orientation`, function () {
      const bad = outcomes.filter((o) => o[style] && !o[style]!.ok);
      assert.ok(
        bad.length === 0,
        report(
          `printed forms do not read back`,
          bad.map((o) => {
            const p = o.result.presentation!;
            return `${o[style]!.message}\n  printed: ${style === 'unicode' ? p.matrix!.text : p.matrix!.latex}\n  index:   ${p.index.text}\n${repro(o)}`;
          }),
        ),
      );
    });
  }
});

/** Derives the LaTeX spelling at the ASCII case's point; null when the values agree. */
function compareLatex(program: GeneratedProgram, layout: Layout, ascii: DerivativeCase): string | null {
  const source = program.source('latex');
  const analysis = analyze(source, { layout });
  if (analysis.diagnostics.length > 0) {
    return `diagnostics: ${analysis.diagnostics.map((d) => `${d.code}: ${d.message} [${source.slice(d.span.start, d.span.end)}]`).join('; ')}`;
  }
  const request = analysis.elaboration.derivatives[0];
  if (!request || analysis.elaboration.derivatives.length !== 1) return `expected one derivative request, found ${analysis.elaboration.derivatives.length}`;
  const outcome = deriveRequest(analysis, request);
  if (!outcome.ok) return `${outcome.diagnostic.code}: ${outcome.diagnostic.message}`;
  const expected = ascii.check!.symbolic;
  let got;
  try {
    got = symbolicValue(outcome.derived, ascii.point!);
  } catch (e) {
    return `does not evaluate: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (got.dims.join('×') !== expected.dims.join('×')) return `dims ${got.dims.join('×')} (LaTeX) vs ${expected.dims.join('×')} (ASCII)`;
  let scale = 1;
  for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(got.data[i]! - expected.data[i]!) / scale;
    if (!(d <= 1e-9)) return `entry ${i}: ${got.data[i]} (LaTeX) vs ${expected.data[i]} (ASCII)`;
  }
  return null;
}
