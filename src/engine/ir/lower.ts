// Lowering: typed terms (shape/term.ts) → index-notation IR (ir.ts).
//
// `lower(term, idx)` returns a node whose free indices are exactly `idx`, one
// per axis of the term, in the term's axis order (a transposed vector keeps its
// single index: orientation is presentation, not data).
//
// Invariants:
// - Definitions are inlined (this is what makes the chain rule automatic), once
//   per (definition, indices) pair, so a deep network lowers to a DAG that is
//   linear in its depth.
// - Names in `cut` lower to tensor variables instead of their definitions: a
//   derivative with respect to an intermediate (∂L/∂a) holds it independent.
// - Derivative requests inside expressions (`deriv` terms) are differentiated
//   here and arranged in the layout's axis order.
// - Lowering declines (DerivativeBudgetExceeded) instead of running away: a
//   definition used at two index lists is lowered twice, so `y_k = tanh(A
//   y_{k-1}) + y_{k-1}` doubles with every k (40 lines ran out of memory).
//   `maxExpanded` bounds the written-out size of what is built, and a budget
//   bounds the work in any case.

import type { DefinitionTable } from '../shape/scope';
import type { Dim } from '../shape/shape';
import { derivativeAxes, secondDerivativeAxes, type Layout } from '../shape/layout';
import type { Term } from '../shape/term';
import {
  add,
  childrenOf,
  constant,
  delta,
  fn,
  matfn,
  mul,
  onehot,
  pow,
  rename,
  tensor,
  type ElementwiseFn,
  type Index,
  type Node,
  type Space,
} from './ir';
import { DerivativeBudgetExceeded, differentiate, type DiffOptions } from './diff';

export class LoweringError extends Error {}

export interface LowerContext {
  readonly space: Space;
  readonly definitions: DefinitionTable;
  /** Declared variables and their dims (a derivative by one of these differentiates through definitions). */
  readonly variables: ReadonlyMap<string, readonly Dim[]>;
  /** Defined names held as independent variables. */
  readonly cut: ReadonlySet<string>;
  readonly layout: Layout;
  readonly diff?: DiffOptions;
  /** Most nodes a lowered term may have written out as a tree (derive rejects larger ones anyway). */
  readonly maxExpanded?: number;
}

/** Most lowering steps (definitions inlined, one per index list) before declining, whatever the size limit. */
const LOWERING_BUDGET = 10_000;

/** Definitions expand past a budget (a derivative request reports it as too large; a claim stays unchecked). */
export class ExpansionBudgetExceeded extends DerivativeBudgetExceeded {
  constructor(budget: number) {
    super(budget);
    this.message = `its definitions expand to more than ${budget} nodes`;
  }
}

export function lower(term: Term, idx: readonly Index[], ctx: LowerContext): Node {
  return new Lowerer(ctx).lower(term, idx);
}

/** Fresh indices for each axis of a term. */
export function freshIndices(term: Term, space: Space): Index[] {
  return term.shape.dims.map((d) => space.fresh(d));
}

class Lowerer {
  private readonly refMemo = new Map<string, Node>();
  /** Written-out sizes of the nodes built (when maxExpanded is set). */
  private readonly sizes = new Map<Node, number>();
  private steps = 0;
  /** Definitions being inlined right now: meeting one again is a cycle, which would recurse without end. */
  private readonly inlining = new Set<number>();

  constructor(private readonly ctx: LowerContext) {}

  private fresh(term: Term): Index[] {
    return freshIndices(term, this.ctx.space);
  }

  lower(t: Term, idx: readonly Index[]): Node {
    if (++this.steps > LOWERING_BUDGET) throw new ExpansionBudgetExceeded(LOWERING_BUDGET);
    const node = this.lowerTerm(t, idx);
    if (this.ctx.maxExpanded !== undefined && this.sizeOf(node) > this.ctx.maxExpanded) throw new ExpansionBudgetExceeded(this.ctx.maxExpanded);
    return node;
  }

  /** Written-out size (capped just above the limit, so it stays finite), each node sized once. */
  private sizeOf(n: Node): number {
    let size = this.sizes.get(n);
    if (size !== undefined) return size;
    size = 1;
    for (const c of childrenOf(n)) size = Math.min(size + this.sizeOf(c), this.ctx.maxExpanded! + 1);
    this.sizes.set(n, size);
    return size;
  }

  private lowerTerm(t: Term, idx: readonly Index[]): Node {
    const a = t.args;
    switch (t.op) {
      case 'var':
        return tensor(t.name!, idx);
      case 'ref': {
        if (this.ctx.cut.has(t.name!)) return tensor(t.name!, idx);
        const key = `${t.def}|${idx.join(',')}`;
        const hit = this.refMemo.get(key);
        if (hit) return hit;
        const def = this.ctx.definitions.get(t.def!);
        if (!def) throw new LoweringError(`unknown definition of ${t.name}`);
        // Definitions refer only to earlier ones (element definitions too: each use sees the elements
        // written before it), so this cannot recur; the guard turns a broken invariant into a
        // diagnostic instead of a stack overflow.
        if (this.inlining.has(t.def!)) throw new LoweringError(`${t.name} is defined in terms of itself (through its elements), so it has no value.`);
        this.inlining.add(t.def!);
        let node: Node;
        try {
          node = this.lower(def.value, idx);
        } finally {
          this.inlining.delete(t.def!);
        }
        this.refMemo.set(key, node);
        return node;
      }
      case 'const':
        return constant(t.value!);
      case 'fill':
        return mul([constant(t.value!)], idx);
      case 'eye':
        return delta(idx[0]!, idx[1]!);
      case 'unit':
        return onehot(idx[0]!, t.index![0]!);
      case 'elem': {
        const base = a[0]!;
        const inner = this.fresh(base);
        const node = this.lower(base, inner);
        // Selecting from a variable keeps fixed positions in the tensor itself.
        if (node.k === 'tensor' && node.idx.every((x, i) => x === inner[i])) return tensor(node.name, t.index!);
        return mul([node, ...inner.map((i, axis) => onehot(i, t.index![axis]!))], []);
      }
      case 'array': {
        const [lead, ...rest] = idx;
        const terms = a.map((item, k) => mul([onehot(lead!, k), this.lower(item, rest)], idx));
        return add(terms, idx);
      }
      case 'neg':
        return mul([constant(-1), this.lower(a[0]!, idx)], idx);
      case 'add':
      case 'sub': {
        const terms: Node[] = [];
        this.summands(t, idx, terms);
        return add(terms, idx);
      }
      case 'hadamard':
        return mul([this.operand(a[0]!, idx), this.operand(a[1]!, idx)], idx);
      case 'hdiv':
        return mul([this.operand(a[0]!, idx), pow(this.operand(a[1]!, idx), -1)], idx);
      case 'hpow': {
        const base = this.operand(a[0]!, idx);
        const exponent = this.operand(a[1]!, idx);
        if (exponent.k === 'const') return pow(base, exponent.value);
        // x^y = exp(y log x) for a variable exponent (defined where x > 0).
        return fn('exp', mul([exponent, fn('log', base)], idx));
      }
      case 'scale':
        return mul([this.lower(a[0]!, []), this.lower(a[1]!, idx)], idx);
      case 'matmul':
        return this.matmul(t, idx);
      case 'frob': {
        const shared = this.fresh(a[0]!);
        return mul([this.lower(a[0]!, shared), this.lower(a[1]!, shared)], []);
      }
      case 'pow': {
        const base = this.lower(a[0]!, []);
        const exponent = this.lower(a[1]!, []);
        if (exponent.k === 'const') return pow(base, exponent.value);
        return fn('exp', mul([exponent, fn('log', base)], []));
      }
      case 'matpow': {
        // M^k as a chain of k products.
        const base = a[0]!;
        let indices = [idx[0]!];
        for (let p = 1; p < t.value!; p++) indices.push(this.ctx.space.fresh(t.shape.dims[0]!));
        indices.push(idx[1]!);
        const factors = Array.from({ length: t.value! }, (_, p) => this.lower(base, [indices[p]!, indices[p + 1]!]));
        return mul(factors, idx);
      }
      case 'inv': {
        const inner = this.fresh(a[0]!);
        return matfn('inv', this.lower(a[0]!, inner), inner, idx);
      }
      case 'transpose':
        if (idx.length === 2) return this.lower(a[0]!, [idx[1]!, idx[0]!]);
        return this.lower(a[0]!, idx);
      case 'call':
        return this.call(t, idx);
      case 'deriv':
        return this.derivative(t, idx);
      case 'opaque':
        throw new LoweringError(`${t.name} is an abstract function (declared by its signature only), so it cannot be differentiated or evaluated.`);
    }
  }

  /** An operand of a broadcasting elementwise operation: scalars lower with no indices. */
  /**
   * The lowered operands of a chain `a + b − c + …`, in order. The parser
   * nests a chain as binary nodes; summing each node's operands separately
   * would copy the terms lowered so far into a new sum at every node
   * (quadratic in the chain's length: 33,000 term copies for 256 terms), so
   * the chain is walked and summed once. A nested sum is walked only when it
   * would be lowered with the same indices (a scalar sum inside a tensor sum
   * is broadcast as a whole), and the right operand of a subtraction is
   * negated as a whole, so the result is the node the binary lowering built.
   */
  private summands(t: Term, idx: readonly Index[], out: Node[]): void {
    const [left, right] = t.args as [Term, Term];
    const walks = (x: Term): boolean => (x.op === 'add' || x.op === 'sub') && (x.shape.dims.length > 0 || idx.length === 0);
    if (walks(left)) {
      if (++this.steps > LOWERING_BUDGET) throw new ExpansionBudgetExceeded(LOWERING_BUDGET);
      this.summands(left, idx, out);
    } else out.push(this.operand(left, idx));
    if (t.op === 'sub') out.push(mul([constant(-1), this.operand(right, idx)], idx));
    else if (walks(right)) {
      if (++this.steps > LOWERING_BUDGET) throw new ExpansionBudgetExceeded(LOWERING_BUDGET);
      this.summands(right, idx, out);
    } else out.push(this.operand(right, idx));
  }

  private operand(t: Term, idx: readonly Index[]): Node {
    return t.shape.dims.length === 0 ? this.lower(t, []) : this.lower(t, idx);
  }

  private matmul(t: Term, idx: readonly Index[]): Node {
    const [x, y] = t.args as [Term, Term];
    const space = this.ctx.space;
    switch (t.fn) {
      case 'mm': {
        const s = space.fresh(x.shape.dims[1]!);
        return mul([this.lower(x, [idx[0]!, s]), this.lower(y, [s, idx[1]!])], idx);
      }
      case 'mv': {
        const s = space.fresh(x.shape.dims[1]!);
        return mul([this.lower(x, [idx[0]!, s]), this.lower(y, [s])], idx);
      }
      case 'vm': {
        const s = space.fresh(y.shape.dims[0]!);
        return mul([this.lower(x, [s]), this.lower(y, [s, idx[0]!])], idx);
      }
      case 'dot': {
        const s = space.fresh(x.shape.dims[0]!);
        return mul([this.lower(x, [s]), this.lower(y, [s])], []);
      }
      case 'outer':
        return mul([this.lower(x, [idx[0]!]), this.lower(y, [idx[1]!])], idx);
      default:
        throw new LoweringError(`unknown product kind ${t.fn}`);
    }
  }

  private call(t: Term, idx: readonly Index[]): Node {
    const x = t.args[0]!;
    const name = t.fn!;
    switch (name) {
      case 'sum': {
        const inner = this.fresh(x);
        return mul([this.lower(x, inner)], []);
      }
      case 'tr': {
        const [r, c] = this.fresh(x);
        return mul([this.lower(x, [r!, c!]), delta(r!, c!)], []);
      }
      case 'det':
      case 'logdet':
      case 'norm2':
      case 'norm1':
      case 'logsumexp': {
        const inner = this.fresh(x);
        return matfn(name, this.lower(x, inner), inner, []);
      }
      case 'softmax': {
        const inner = this.fresh(x);
        return matfn('softmax', this.lower(x, inner), inner, idx);
      }
      case 'diag': {
        if (x.shape.dims.length === 1) return mul([this.lower(x, [idx[0]!]), delta(idx[0]!, idx[1]!)], idx);
        const j = this.ctx.space.fresh(x.shape.dims[1]!);
        return mul([this.lower(x, [idx[0]!, j]), delta(idx[0]!, j)], idx);
      }
      default:
        return fn(name as ElementwiseFn, this.lower(x, idx));
    }
  }

  /** A derivative inside an expression: differentiate, then order the axes by layout. */
  private derivative(t: Term, idx: readonly Index[]): Node {
    const of = t.args[0]!;
    const space = this.ctx.space;
    const wrt = t.wrt!;
    const wrtDims = (name: string): readonly Dim[] => this.variableDims(name);
    if (t.order === 1 || t.order === undefined) {
      const fIdx = this.fresh(of);
      const kIdx = wrtDims(wrt[0]!).map((d) => space.fresh(d));
      const node = this.differentiateBy(this.lowerFor(of, fIdx, wrt[0]!), wrt[0]!, kIdx);
      const axes = derivativeAxes(fIdx.length, kIdx.length, this.ctx.layout);
      const map = new Map<Index, Index>();
      axes.forEach((o, pos) => map.set(o.from === 'F' ? fIdx[o.axis]! : kIdx[o.axis]!, idx[pos]!));
      return rename(node, map);
    }
    const fIdx = this.fresh(of);
    const aIdx = wrtDims(wrt[0]!).map((d) => space.fresh(d));
    const bIdx = wrtDims(wrt[1]!).map((d) => space.fresh(d));
    const first = this.differentiateBy(this.lowerFor(of, fIdx, wrt[0]!, wrt[1]!), wrt[0]!, aIdx);
    const second = this.differentiateBy(first, wrt[1]!, bIdx);
    const source = { F: fIdx, first: aIdx, second: bIdx };
    const order = secondDerivativeAxes(fIdx.length, aIdx.length, bIdx.length, this.ctx.layout, t.explicit).map((o) => source[o.from][o.axis]!);
    return rename(second, new Map(order.map((i, pos) => [i, idx[pos]!] as const)));
  }

  private variableDims(name: string): readonly Dim[] {
    const declared = this.ctx.variables.get(name);
    if (declared) return declared;
    const d = this.ctx.definitions.lastNamed(name);
    if (d) return d.value.shape.dims;
    throw new LoweringError(`${name} has no known shape`);
  }

  /** Lowers F for a derivative by `names`: defined names among them are held independent. */
  private lowerFor(of: Term, idx: readonly Index[], ...names: string[]): Node {
    const cut = names.filter((n) => !this.ctx.variables.has(n));
    if (cut.length === 0) return this.lower(of, idx);
    return new Lowerer({ ...this.ctx, cut: new Set([...this.ctx.cut, ...cut]) }).lower(of, idx);
  }

  private differentiateBy(node: Node, name: string, k: readonly Index[]): Node {
    return differentiate(node, name, k, this.ctx.space, this.ctx.diff);
  }
}

