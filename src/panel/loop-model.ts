// The per-element loop visualisation model (issue D): the nested loops that
// fill ∂F/∂X entry by entry, in the layout's index order, like the seed
// notebook's "Iterative Process" and step sliders.
//
// Invariants:
// - Pure and lazy: the model knows sizes and loop order; entries (the symbolic
//   partial and its value at the sample point) are computed one at a time on
//   request, so a (64, 64, 64, 64) derivative opens instantly and each step
//   costs one small element, never the whole tensor.
// - Step s (0-based) visits the s-th entry in row-major order of the loops;
//   the loops are the result axes in the layout's order.

import type { Analysis } from '../engine/analyze';
import { concreteSizes, randomValues, type Derived } from '../engine/derive/derive';
import { elementOf } from '../engine/ir/element';
import { IrEvaluator, type DenseTensor } from '../engine/ir/evaluate-ir';
import { printIndex, displayName } from '../engine/print/render';
import { printTerm } from '../engine/print/term-print';
import { derivativeAxes, type Layout } from '../engine/shape/layout';
import type { Dim } from '../engine/shape/shape';
import { randomPoint } from '../engine/numeric/random';

export interface Loop {
  /** Loop variable shown to people: i, j, k, l, p, q, … */
  readonly letter: string;
  /** Which tensor this loop indexes, and which of its axes. */
  readonly from: 'F' | 'X';
  readonly axis: number;
  readonly size: number;
}

export interface LoopEntry {
  readonly step: number;
  /** 1-based value of each loop variable. */
  readonly indices: readonly number[];
  /** 1-based positions in F and in X. */
  readonly fPosition: readonly number[];
  readonly xPosition: readonly number[];
  readonly partial: { readonly latex: string; readonly text: string };
  readonly symbolic: { readonly latex: string; readonly text: string };
  /** The entry's value at the sample point. */
  readonly value: number;
}

export interface LoopModel {
  readonly layout: Layout;
  readonly loops: readonly Loop[];
  readonly steps: number;
  readonly fDims: readonly number[];
  readonly xDims: readonly number[];
  readonly fName: string;
  readonly xName: string;
  readonly seed: number;
  /** Sizes used for symbolic dims. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Pseudo-code lines: "for i = 1..m:", …, "compute ∂a_i/∂X_jk". */
  readonly pseudocode: readonly string[];
  entry(step: number): LoopEntry;
}

const LETTERS = ['i', 'j', 'k', 'l', 'p', 'q', 'r', 's'];

export interface LoopOptions {
  /** Sizes for symbolic dims (preview sizes); unset ones get small distinct defaults. */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly seed?: number;
}

export function buildLoopModel(analysis: Analysis, derived: Derived, options: LoopOptions = {}): LoopModel {
  const request = derived.request;
  const layout = analysis.layout;
  const seed = options.seed ?? 1;
  const sizes = concreteSizes(analysis, options.sizes);
  const concrete = (d: Dim) => (typeof d === 'number' ? d : sizes[d] ?? 3);
  const fDims = request.of.dims.map(concrete);
  const xShapes = request.node.order === 1 ? [request.wrtShapes[0]!] : [request.wrtShapes[0]!, request.wrtShapes[1]!];
  const xDims = xShapes.flatMap((s) => s.dims.map(concrete));
  const fRank = fDims.length;
  const xRank = xDims.length;
  // Result axis t indexes F's axis or X's axis per the layout.
  const origins = derivativeAxes(fRank, xRank, layout);
  const loops: Loop[] = origins.map((o, t) => ({
    letter: LETTERS[t] ?? `i${t + 1}`,
    from: o.from,
    axis: o.axis,
    size: o.from === 'F' ? fDims[o.axis]! : xDims[o.axis]!,
  }));
  const steps = loops.reduce((a, l) => a * l.size, 1);
  const of = request.term.args[0]!;
  const atomic = of.op === 'var' || of.op === 'ref';
  const fName = atomic ? displayName(of.name!) : printTerm(of, 'unicode');
  const fLatex = atomic ? displayName(of.name!) : `\\left(${printTerm(of, 'latex')}\\right)`;
  const xName = request.term.wrt!.map(displayName).join('');

  // The sample point: values for every variable (lazily, once).
  let values: Map<string, DenseTensor> | null = null;
  const pointValues = (): Map<string, DenseTensor> => {
    if (values) return values;
    const point = randomPoint({ terms: [request.term], variables: analysis.elaboration.variables, definitions: analysis.elaboration.definitions }, seed, sizes);
    const all = randomValues(analysis, sizes, seed);
    if (point.ok) for (const [name, t] of point.value.values) all.set(name, { dims: [...t.dims], data: t.data });
    values = all;
    return all;
  };
  const size = (i: string) => concrete(derived.space.dim(i));

  const sub = (xs: readonly number[], latex: boolean) => (xs.length === 0 ? '' : latex ? `_{${xs.join(xs.some((x) => x > 9) ? ',' : '')}}` : `[${xs.join(',')}]`);
  const letterSub = (from: 'F' | 'X', latex: boolean) => {
    const ls = loops.filter((l) => l.from === from).sort((a, b) => a.axis - b.axis).map((l) => l.letter);
    return ls.length === 0 ? '' : latex ? `_{${ls.join('')}}` : ls.join('');
  };
  const pseudocode = [
    ...loops.map((l, t) => `${'  '.repeat(t)}for ${l.letter} = 1..${l.size}:`),
    `${'  '.repeat(loops.length)}compute ∂${fName}${letterSub('F', false) ? `_${letterSub('F', false)}` : ''}/∂${xName}${letterSub('X', false) ? `_${letterSub('X', false)}` : ''}`,
  ];

  const entry = (step: number): LoopEntry => {
    const s = Math.max(0, Math.min(steps - 1, Math.floor(step)));
    const position: number[] = [];
    let rest = s;
    for (let t = loops.length - 1; t >= 0; t--) {
      position.unshift(rest % loops[t]!.size);
      rest = Math.floor(rest / loops[t]!.size);
    }
    const fPosition = range(fRank).map((a) => position[loops.findIndex((l) => l.from === 'F' && l.axis === a)]! + 1);
    const xPosition = range(xRank).map((a) => position[loops.findIndex((l) => l.from === 'X' && l.axis === a)]! + 1);
    const node = elementOf(derived.node, derived.axes, position, derived.space);
    let value: number;
    try {
      value = new IrEvaluator({ values: pointValues(), size }).value(node)[0] ?? Number.NaN;
    } catch {
      value = Number.NaN;
    }
    return {
      step: s,
      indices: position.map((p) => p + 1),
      fPosition,
      xPosition,
      partial: {
        latex: `\\frac{\\partial ${fLatex}${sub(fPosition, true)}}{\\partial ${xName}${sub(xPosition, true)}}`,
        text: `∂${fName}${sub(fPosition, false)}/∂${xName}${sub(xPosition, false)}`,
      },
      symbolic: { latex: printIndex(node, [], 'latex').text, text: printIndex(node, [], 'unicode').text },
      value,
    };
  };

  return { layout, loops, steps, fDims, xDims, fName, xName, seed, sizes, pseudocode, entry };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
