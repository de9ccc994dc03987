// Symbolic differentiation in index notation: one rule per node kind.
//
// Invariant (checked at every node in `differentiate`): the derivative of a
// node with free indices F with respect to a variable whose axes get the fresh
// indices K has free indices exactly F ∪ K. Rules never inspect layouts;
// layouts only order the result axes afterwards.
//
// Results are memoised per node, so shared sub-expressions (a DAG, as produced
// by inlined definitions) are differentiated once: the derivative of a deep
// network stays linear in its depth.

import {
  add,
  applyElementwise,
  constant,
  delta,
  fn,
  matfn,
  mul,
  pow,
  rename,
  zeros,
  type ElementwiseFn,
  type Index,
  type MatFnNode,
  type Node,
  type Space,
} from './ir';

export class DerivativeBudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`the derivative needs more than ${budget} symbolic nodes`);
  }
}

export interface DiffOptions {
  /** Maximum number of derivative nodes to create before giving up. */
  readonly budget?: number;
}

/** ∂node/∂name, where `wrt` gives one fresh index per axis of the variable. */
export function differentiate(root: Node, name: string, wrt: readonly Index[], space: Space, options: DiffOptions = {}): Node {
  const budget = options.budget ?? 200_000;
  const memo = new Map<Node, Node>();
  let created = 0;
  const K = [...wrt];

  const d = (n: Node): Node => {
    const hit = memo.get(n);
    if (hit) return hit;
    if (++created > budget) throw new DerivativeBudgetExceeded(budget);
    const result = rule(n);
    if (!exactlyIndices(result.free, n.free, K)) {
      throw new Error(`derivative invariant broken at ${n.k}: expected indices {${[...new Set([...n.free, ...K])]}} but got {${[...result.free]}}`);
    }
    memo.set(n, result);
    return result;
  };

  const freeWithK = (n: Node): Index[] => [...n.free, ...K];

  const rule = (n: Node): Node => {
    switch (n.k) {
      case 'tensor': {
        if (n.name !== name) return zeros(freeWithK(n));
        // ∂X[a,b]/∂X[k,l] = δ_ak δ_bl (a fixed position becomes a one-hot in k).
        const factors: Node[] = n.idx.map((a, axis) =>
          typeof a === 'string' ? delta(a, K[axis]!) : { k: 'onehot', i: K[axis]!, at: a, free: [K[axis]!] } as Node,
        );
        return mul(factors, freeWithK(n));
      }
      case 'const':
      case 'delta':
      case 'onehot':
        return zeros(freeWithK(n));
      case 'add':
        return add(n.terms.map(d), freeWithK(n));
      case 'mul': {
        // Product rule. Summed indices of the product stay summed: K is fresh.
        const terms: Node[] = [];
        const out = freeWithK(n);
        n.factors.forEach((f, i) => {
          const df = d(f);
          if (df.k === 'const' && df.value === 0) return;
          if (df.k === 'mul' && df.factors.length === 1 && df.factors[0]!.k === 'const' && df.factors[0]!.value === 0) return;
          const factors = n.factors.map((g, j) => (j === i ? df : g));
          terms.push(mul(factors, out));
        });
        return add(terms, out);
      }
      case 'fn':
        return mul([derivativeOf(n.fn, n.arg), d(n.arg)], freeWithK(n));
      case 'pow':
        return mul([constant(n.exp), pow(n.base, n.exp - 1), d(n.base)], freeWithK(n));
      case 'matfn':
        return matrixRule(n);
    }
  };

  /** d of a whole-tensor function: its argument's derivative, contracted with the function's Jacobian. */
  const matrixRule = (n: MatFnNode): Node => {
    const dArg = d(n.arg); // free: argIdx ∪ K (argIdx bound in n)
    const out = freeWithK(n);
    switch (n.fn) {
      case 'inv': {
        // d(M⁻¹)_ij = −(M⁻¹)_ia dM_ab (M⁻¹)_bj
        const [r, c] = n.argIdx as [Index, Index];
        const [i, j] = n.idx as [Index, Index];
        const a = space.like(r);
        const b = space.like(c);
        const left = matfn('inv', n.arg, n.argIdx, [i, a]);
        const right = matfn('inv', n.arg, n.argIdx, [b, j]);
        const dm = rename(dArg, new Map([[r, a], [c, b]]));
        return mul([constant(-1), left, dm, right], out);
      }
      case 'det': {
        // d det M = det M · (M⁻¹)_ba dM_ab
        const [r, c] = n.argIdx as [Index, Index];
        const a = space.like(r);
        const b = space.like(c);
        const inv = matfn('inv', n.arg, n.argIdx, [b, a]);
        const dm = rename(dArg, new Map([[r, a], [c, b]]));
        return mul([n, inv, dm], out);
      }
      case 'logdet': {
        // d log det M = (M⁻¹)_ba dM_ab
        const [r, c] = n.argIdx as [Index, Index];
        const a = space.like(r);
        const b = space.like(c);
        const inv = matfn('inv', n.arg, n.argIdx, [b, a]);
        const dm = rename(dArg, new Map([[r, a], [c, b]]));
        return mul([inv, dm], out);
      }
      case 'softmax': {
        // ds_i = s_i dz_i − s_i Σ_j s_j dz_j
        const [r] = n.argIdx as [Index];
        const [i] = n.idx as [Index];
        const j = space.like(r);
        const si = n;
        const sj = matfn('softmax', n.arg, n.argIdx, [j]);
        const dzi = rename(dArg, new Map([[r, i]]));
        const dzj = rename(dArg, new Map([[r, j]]));
        return add([mul([si, dzi], out), mul([constant(-1), si, sj, dzj], out)], out);
      }
      case 'logsumexp': {
        // d lse(z) = Σ_j softmax(z)_j dz_j
        const [r] = n.argIdx as [Index];
        const j = space.like(r);
        const sj = matfn('softmax', n.arg, n.argIdx, [j]);
        return mul([sj, rename(dArg, new Map([[r, j]]))], out);
      }
      case 'norm2': {
        // d‖X‖ = Σ X_a dX_a / ‖X‖
        const fresh = n.argIdx.map((x) => space.like(x));
        const map = new Map(n.argIdx.map((x, t) => [x, fresh[t]!] as const));
        return mul([rename(n.arg, map), rename(dArg, map), pow(n, -1)], out);
      }
      case 'norm1': {
        // d Σ|X_a| = Σ sign(X_a) dX_a
        const fresh = n.argIdx.map((x) => space.like(x));
        const map = new Map(n.argIdx.map((x, t) => [x, fresh[t]!] as const));
        return mul([fn('sign', rename(n.arg, map)), rename(dArg, map)], out);
      }
    }
  };

  return d(root);
}

/**
 * Whether `got` (a node's free indices: sorted, each once) holds exactly the indices of `free` and
 * `extra`: the invariant every rule keeps, checked for every node of every derivative, so with
 * list scans (the lists are a node's few indices) rather than two sets per node. Exported for tests.
 */
export function exactlyIndices(got: readonly Index[], free: readonly Index[], extra: readonly Index[]): boolean {
  let union = free.length;
  for (const i of extra) if (!free.includes(i)) union++;
  if (got.length !== union) return false;
  for (const i of free) if (!got.includes(i)) return false;
  for (const i of extra) if (!got.includes(i)) return false;
  return true;
}

/** f'(u) for each elementwise function, as a node over u's indices. */
export function derivativeOf(name: ElementwiseFn, u: Node): Node {
  switch (name) {
    case 'sin':
      return fn('cos', u);
    case 'cos':
      return mul([constant(-1), fn('sin', u)], u.free);
    case 'tan':
      return pow(fn('cos', u), -2);
    case 'exp':
      return fn('exp', u);
    case 'log':
      return pow(u, -1);
    case 'sqrt':
      return mul([constant(0.5), pow(fn('sqrt', u), -1)], u.free);
    case 'tanh':
      return add([mul([constant(1)], u.free), mul([constant(-1), pow(fn('tanh', u), 2)], u.free)], u.free);
    case 'sigmoid': {
      const s = fn('sigmoid', u);
      return mul([s, add([mul([constant(1)], u.free), mul([constant(-1), s], u.free)], u.free)], u.free);
    }
    case 'relu':
      return fn('step', u);
    case 'softplus':
      return fn('sigmoid', u);
    case 'abs':
      return fn('sign', u);
    case 'sign':
    case 'step':
      // Piecewise constant: derivative 0 away from the jump (where it is undefined).
      return zeros(u.free);
  }
}

/** Exposed for tests: the numeric derivative of each elementwise function at x. */
export function elementwiseDerivativeValue(name: ElementwiseFn, x: number): number {
  const h = 1e-6;
  return (applyElementwise(name, x + h) - applyElementwise(name, x - h)) / (2 * h);
}
