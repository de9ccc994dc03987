// Claims: the right-hand sides of `=` chains that notes state as results
// (`\frac{\partial (x^T A x)}{\partial x} = (A + A^T) x`, `s = v^T a = a^T v`).
// Each is checked numerically against the left side at a seeded random point,
// in the current layout and — when it fails there — in the other layouts,
// since notes state results in their own convention.
//
// Invariants: never throws; a claim that cannot be evaluated is reported as
// unchecked, never as true. A vector claim may differ from a derivative in
// orientation only (notes write gradients as columns).

import type { Analysis } from '../analyze';
import { analyze } from '../analyze';
import { error, warning, type Diagnostic } from '../diagnostics';
import type { Span, Statement } from '../syntax/ast';
import { LAYOUTS, type Layout } from '../shape/layout';
import type { ElaboratedStatement } from '../shape/elaborate';
import type { Term } from '../shape/term';
import { IrEvaluator, type DenseTensor } from '../ir/evaluate-ir';
import { Space } from '../ir/ir';
import { freshIndices, lower } from '../ir/lower';
import { randomPoint } from '../numeric/random';
import { relativeDifference } from '../numeric/compare';
import { concreteSizes, randomValues, variableDims } from './derive';

export interface ClaimResult {
  readonly span: Span;
  /** The claim holds in the analysis' layout. */
  readonly holds: boolean;
  /** Layouts in which it holds (for claims about derivatives these can differ). */
  readonly layouts: readonly Layout[];
  /** Holds only under an assumption the note states (e.g. "if A is symmetric"). */
  readonly assumption?: string;
  readonly maxRelError: number;
  readonly seed: number;
  /** Why the claim could not be checked, if it could not. */
  readonly unchecked?: string;
}

interface Evaluated {
  readonly lhs: DenseTensor;
  readonly claims: readonly (DenseTensor | string)[];
}

export function evaluateStatement(analysis: Analysis, index: number, seed: number, symmetrize: readonly string[]): Evaluated | string {
  const s = analysis.elaboration.statements[index]!;
  if (!s.term) return 'the left side has errors';
  const terms: Term[] = [s.term, ...s.claims.filter((c): c is Term => c !== null)];
  const point = randomPoint({ terms, variables: analysis.elaboration.variables, definitions: analysis.elaboration.definitions }, seed);
  if (!point.ok) return point.message;
  const sizes = { ...concreteSizes(analysis), ...Object.fromEntries(point.value.sizes) };
  const values = randomValues(analysis, sizes, seed);
  for (const [name, t] of point.value.values) values.set(name, { dims: [...t.dims], data: t.data });
  for (const name of symmetrize) {
    const v = values.get(name);
    if (!v || v.dims.length !== 2 || v.dims[0] !== v.dims[1]) continue;
    const n = v.dims[0]!;
    const data = Float64Array.from(v.data);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = (v.data[i * n + j]! + v.data[j * n + i]!) / 2;
    values.set(name, { dims: v.dims, data });
  }
  const variables = variableDims(analysis);
  const evaluate = (term: Term): DenseTensor | string => {
    try {
      const space = new Space();
      const idx = freshIndices(term, space);
      const node = lower(term, idx, { space, definitions: analysis.elaboration.definitions, variables, cut: new Set(), layout: analysis.layout });
      const size = (i: string) => {
        const d = space.dim(i);
        return typeof d === 'number' ? d : (Object.hasOwn(sizes, d) ? sizes[d] : undefined) ?? 3;
      };
      return new IrEvaluator({ values, size }).valueIn(node, idx);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  const lhs = evaluate(s.term);
  if (typeof lhs === 'string') return lhs;
  return { lhs, claims: s.claims.map((c) => (c ? evaluate(c) : 'this side has errors')) };
}

/**
 * Both sides are exact evaluations at the same point, so they are compared
 * relative to their own size: a claim about a small result (the gradient of a
 * deep sigmoid network is ~1e-8 at a random point) is checked as strictly as
 * one about a large result. The floor only absorbs rounding noise where a
 * side cancels to zero (xᵀ(A − Aᵀ)x = 0 evaluates to ~1e-16): differences
 * below TOLERANCE × SCALE_FLOOR = 1e-12 count as equal.
 */
const SCALE_FLOOR = 1e-6;

function relativeError(a: DenseTensor, b: DenseTensor): number {
  return a.data.length === b.data.length ? relativeDifference(a.data, b.data, SCALE_FLOOR) : Infinity;
}

/** "if A is symmetric" → ["A"]. */
function symmetricAssumptions(note: string | undefined): string[] {
  if (!note) return [];
  const names: string[] = [];
  for (const m of note.matchAll(/([A-Za-zα-ωΑ-Ω][A-Za-z0-9_]*)\s+(?:is\s+)?symmetric/g)) names.push(m[1]!);
  return names;
}

const TOLERANCE = 1e-6;

/** Whether a statement states claims that can be checked (`= …` after a value that elaborated). */
export function statesClaims(s: ElaboratedStatement): boolean {
  return s.claims.length > 0 && s.term !== null;
}

/**
 * Whether `terms` use, directly or through definitions, a definition the text
 * inherited whose value is a derivative: its shape was fixed in the layout the
 * earlier text was analysed in, so analysing this text again in another layout
 * on top of the same scope would not be that layout's reading.
 */
function usesInheritedDerivative(terms: readonly Term[], analysis: Analysis): boolean {
  const inherited = analysis.inherited.definitions.length;
  const definitions = analysis.elaboration.definitions;
  const seen = new Set<number>();
  const visit = (t: Term, fromInherited: boolean): boolean => {
    if (t.op === 'deriv' && fromInherited) return true;
    if (t.op === 'ref' && t.def !== undefined && !seen.has(t.def)) {
      seen.add(t.def);
      const d = definitions.get(t.def);
      if (d && visit(d.value, fromInherited || t.def < inherited)) return true;
    }
    return t.args.some((a) => visit(a, fromInherited));
  };
  return terms.some((t) => visit(t, false));
}

/** Checks every claim of every statement. */
export function checkClaims(analysis: Analysis, seed = 1): { results: ClaimResult[]; diagnostics: Diagnostic[] } {
  const results: ClaimResult[] = [];
  const diagnostics: Diagnostic[] = [];
  const others = new Map<Layout, Analysis>();
  // The text again in another layout, on the names it inherited (a claim in a note's second block
  // about names its first block declared was never found to hold in another layout).
  const inLayout = (l: Layout): Analysis => {
    if (l === analysis.layout) return analysis;
    let a = others.get(l);
    if (!a) {
      a = analyze(analysis.source, { layout: l, mode: analysis.mode, scope: analysis.inherited });
      others.set(l, a);
    }
    return a;
  };
  analysis.elaboration.statements.forEach((s, index) => {
    if (!statesClaims(s)) return;
    const node: Statement = s.node;
    const note = node.kind === 'declaration' ? undefined : node.note;
    const here = evaluateStatement(analysis, index, seed, []);
    const otherLayoutsRead = !usesInheritedDerivative([s.term!, ...s.claims.filter((c): c is Term => c !== null)], analysis);
    // One evaluation per other layout for the whole chain (per claim, a chain of n claims cost n² evaluations).
    const elsewhere = new Map<Layout, Evaluated | string>();
    const evaluatedIn = (l: Layout): Evaluated | string => {
      let e = elsewhere.get(l);
      if (e === undefined) elsewhere.set(l, (e = evaluateStatement(inLayout(l), index, seed, [])));
      return e;
    };
    // Likewise the evaluations under symmetry assumptions (the same for every claim of the statement).
    let assumedEvaluation: Evaluated | string | undefined;
    let symmetricEvaluation: Evaluated | string | undefined;
    s.claims.forEach((c, k) => {
      if (!c) return;
      const span = c.span;
      if (typeof here === 'string' || typeof here.claims[k] === 'string') {
        const why = typeof here === 'string' ? here : (here.claims[k] as string);
        results.push({ span, holds: false, layouts: [], maxRelError: Infinity, seed, unchecked: why });
        return;
      }
      const err = relativeError(here.lhs, here.claims[k] as DenseTensor);
      const layouts: Layout[] = [];
      for (const l of LAYOUTS) {
        if (l === analysis.layout) {
          if (err <= TOLERANCE) layouts.push(l);
          continue;
        }
        if (!otherLayoutsRead) continue;
        const other = evaluatedIn(l);
        if (typeof other !== 'string' && typeof other.claims[k] !== 'string' && relativeError(other.lhs, other.claims[k] as DenseTensor) <= TOLERANCE) layouts.push(l);
      }
      if (err <= TOLERANCE) {
        results.push({ span, holds: true, layouts, maxRelError: err, seed });
        return;
      }
      // Assumptions name variables as people write them; apply them to every declaration of that name.
      const assumedNames = symmetricAssumptions(note);
      const assumed = [...analysis.elaboration.variables.values()].filter((v) => assumedNames.includes(v.name)).map((v) => v.id);
      if (assumed.length > 0) {
        const sym = (assumedEvaluation ??= evaluateStatement(analysis, index, seed, assumed));
        if (typeof sym !== 'string' && typeof sym.claims[k] !== 'string') {
          const e2 = relativeError(sym.lhs, sym.claims[k] as DenseTensor);
          if (e2 <= TOLERANCE) {
            const assumption = `${assumedNames.join(', ')} symmetric`;
            results.push({ span, holds: true, layouts, assumption, maxRelError: e2, seed });
            return;
          }
        }
      }
      // Does it hold when every square matrix is symmetric? Then say so.
      const squares = [...analysis.elaboration.variables.values()]
        .filter((v) => v.shape.dims.length === 2 && v.shape.dims[0] === v.shape.dims[1] && !v.modifiers.includes('symmetric') && !v.modifiers.includes('spd'))
        .map((v) => v.id);
      const shown = [...new Set(squares.map((id) => analysis.elaboration.variables.get(id)!.name))];
      const symmetricOnly = squares.length > 0 && (() => {
        const sym = (symmetricEvaluation ??= evaluateStatement(analysis, index, seed, squares));
        return typeof sym !== 'string' && typeof sym.claims[k] !== 'string' && relativeError(sym.lhs, sym.claims[k] as DenseTensor) <= TOLERANCE;
      })();
      results.push({ span, holds: false, layouts, maxRelError: err, seed });
      if (symmetricOnly) {
        diagnostics.push(
          warning('claim-false', `This holds only if ${shown.join(', ')} ${shown.length === 1 ? 'is' : 'are'} symmetric; declare it with \`symmetric\` or add "\\text{ if } ${shown[0]} \\text{ is symmetric}" (checked at a random point, seed ${seed}).`, span),
        );
      } else if (layouts.length > 0) {
        diagnostics.push(
          warning('claim-layout', `This holds in ${layouts.join(' and ')} layout, not in ${analysis.layout} layout (checked at a random point, seed ${seed}).`, span),
        );
      } else {
        diagnostics.push(
          error('claim-false', `This does not equal the left side: at a random point (seed ${seed}) they differ by ${(err * 100).toPrecision(3)}% of the largest entry.`, span),
        );
      }
    });
  });
  return { results, diagnostics };
}
