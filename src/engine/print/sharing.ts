// Which sub-expressions of a derivative are printed once, under a name, and
// referred to by that name ("… where t₁ = σ(W₁ x)", as MatrixCalculus.org
// prints). Derivatives are DAGs: a deep network's derivative reuses each
// layer's activation many times, and written out as a tree it grows
// quadratically with depth (527 nodes, 13,191 as a tree, for 64 layers).
//
// Rule: a sub-expression is named when it would be printed at least twice and
// is large written out (MIN_SHARED_SIZE nodes or more); a result that gets
// names this way also names its smaller repeated parts (from
// MIN_SHARED_SIZE_WITH_NAMES nodes). Equal sub-expressions
// count as one even when they are distinct objects (the derivative of σ(z)
// builds its own σ(z)) or are indexed by other names (the same activation
// vector summed against two matrices): nodes are grouped by a shape key that
// numbers indices by first appearance (see shapes), so a group's members are
// its representative with its indices renamed position by position (see
// memberIndices). Occurrences
// are counted with the names already chosen above (a named sub-expression's
// definition is printed once, so its parts occur once more, not once per use).
// Then every sub-expression without a name is printed once or is small, so
// the printed size is linear in the number of distinct sub-expressions. Small
// results, whose repeated parts are short, print exactly as without names.
//
// Invariant: `named` lists one representative per named group in dependency
// order (after every named group inside it), never the root's group; `group`
// maps every node of a named group to its representative.

import { childrenOf, type Index, type Node } from '../ir/ir';

/**
 * Smallest written-out size (in IR nodes) worth a name. Below it repeating the
 * text is clearer than a definition; the derivatives in the golden tests and
 * the Matrix Cookbook identities stay well below it, a few layers of a network
 * do not.
 */
export const MIN_SHARED_SIZE = 24;

/**
 * Smallest size worth a name in a result that has names already (see
 * sharedSubexpressions): σ(W₂ σ(W₁ x)) is 7 nodes, σ(W₁ x) 4 stays inline.
 */
export const MIN_SHARED_SIZE_WITH_NAMES = 6;

export interface Sharing {
  /** Representatives of the named groups, innermost first. */
  readonly named: readonly Node[];
  /** Every node (in the printed DAG) of a named group → its group's representative. */
  readonly group: ReadonlyMap<Node, Node>;
  /** Free indices of every grouped node in its shape's order: the k-th of a member stands for the k-th of its representative. */
  readonly freeOrder: ReadonlyMap<Node, readonly Index[]>;
}

const NONE: Sharing = { named: [], group: new Map(), freeOrder: new Map() };

export function sharedSubexpressions(root: Node, minSize = MIN_SHARED_SIZE): Sharing {
  // A named node is printed twice and has minSize nodes, so smaller results have none (and need no keys).
  if (!treeSizeAtLeast(root, 2 * minSize + 1)) return NONE;
  const same = (n: Node) => n;
  const all = postOrder(root, same);
  if (!mayShare(all, root, minSize)) return NONE;
  const shape = shapes(all);
  const representative = new Map<string, Node>();
  const repOf = new Map<Node, Node>();
  for (const n of all) {
    const key = shape.get(n)!.id;
    if (!representative.has(key)) representative.set(key, n);
    repOf.set(n, representative.get(key)!);
  }
  const rep = (n: Node) => repOf.get(n)!;
  const order = postOrder(root, rep);
  const size = treeSizes(order, rep);
  // Printed occurrences of each group, parents before children (the root is last).
  // Whether a group's printed form states its own sizes: no unit vectors e_k and
  // no broadcast 𝟙 (a product with a free index none of its factors has), which
  // take their sizes from the text around them and so cannot be read alone, as
  // a definition.
  const broadcasts = (n: Node): boolean => n.k === 'mul' && n.free.some((i) => !n.factors.some((f) => f.free.includes(i)));
  const pinned = new Map<Node, boolean>();
  for (const n of order) {
    const own = n.k !== 'onehot' && !broadcasts(n);
    pinned.set(n, own && childrenOf(n).every((c) => pinned.get(rep(c)) ?? true));
  }
  const choose = (least: number, pinnedOnly: boolean): Set<Node> => {
    const occurrences = new Map<Node, number>([[root, 1]]);
    const chosen = new Set<Node>();
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k]!;
      const times = occurrences.get(n)!;
      const name = n !== root && times >= 2 && size.get(n)! >= least && (!pinnedOnly || pinned.get(n)!);
      if (name) chosen.add(n);
      const passed = name ? 1 : times;
      for (const c of childrenOf(n)) occurrences.set(rep(c), Math.min((occurrences.get(rep(c)) ?? 0) + passed, Number.MAX_SAFE_INTEGER));
    }
    return chosen;
  };
  let named = choose(minSize, false);
  if (named.size === 0) return NONE;
  // Once a result has names, the smaller repeated parts that state their own
  // sizes get them too: a chain of names (t₁ = σ(W₂ σ(W₁ x)), t₂ = σ(W₃ t₁), …)
  // reads better than names that start deep inside text still repeated around them.
  if (minSize > MIN_SHARED_SIZE_WITH_NAMES) {
    const large = named;
    named = choose(MIN_SHARED_SIZE_WITH_NAMES, true);
    // The large parts keep their names (one may not state its sizes: named only for its size).
    for (const n of large) named.add(n);
  }
  const group = new Map<Node, Node>();
  const freeOrder = new Map<Node, readonly Index[]>();
  for (const n of all) {
    if (!named.has(rep(n))) continue;
    group.set(n, rep(n));
    freeOrder.set(n, shape.get(n)!.free);
  }
  return { named: order.filter((n) => named.has(n)), group, freeOrder };
}

/** The indices of `member` that stand for `indices` of its group's `representative` (same position in the shapes' order). */
export function memberIndices(sharing: Sharing, representative: Node, member: Node, indices: readonly Index[]): Index[] {
  if (member === representative) return [...indices];
  const from = sharing.freeOrder.get(representative)!;
  const to = sharing.freeOrder.get(member)!;
  return indices.map((i) => to[from.indexOf(i)]!);
}

interface Shape {
  /** Equal for nodes equal up to a renaming of their indices (bound and free). */
  readonly id: string;
  /** The node's free indices in the order of their numbers in `id`. */
  readonly free: readonly Index[];
}

/**
 * Shape keys, children first (`nodes` in post-order). A node's key numbers its
 * indices by first appearance: its parts' keys with their free indices
 * numbered, then its own fields, then which numbers are free. Equal keys mean
 * one node is the other with index k renamed to index k (structure, factor
 * order and index pattern alike), which is all that naming needs; keys are
 * short (children appear by interned id) and built in one pass.
 */
function shapes(nodes: readonly Node[]): Map<Node, Shape> {
  const out = new Map<Node, Shape>();
  const interned = new Map<string, string>();
  for (const n of nodes) {
    const numbers = new Map<Index, number>();
    const no = (i: Index | number): string => {
      if (typeof i === 'number') return `@${i}`;
      let k = numbers.get(i);
      if (k === undefined) numbers.set(i, (k = numbers.size));
      return String(k);
    };
    let body: string;
    switch (n.k) {
      case 'tensor':
        body = `t${n.name}(${n.idx.map(no).join(',')})`;
        break;
      case 'const':
        body = `c${n.value}`;
        break;
      case 'delta':
        body = `d(${no(n.a)},${no(n.b)})`;
        break;
      case 'onehot':
        body = `e${n.at}(${no(n.i)})`;
        break;
      default: {
        const parts = childrenOf(n).map((c) => {
          const s = out.get(c)!;
          return `${s.id}(${s.free.map(no).join(',')})`;
        });
        const own = n.k === 'fn' ? n.fn : n.k === 'pow' ? `${n.exp}` : n.k === 'matfn' ? `${n.fn}<${n.argIdx.map(no).join(',')}>[${n.idx.map(no).join(',')}]` : '';
        body = `${n.k}${own}{${parts.join(';')}}`;
      }
    }
    // Free indices no part uses (a product broadcasting along them) are numbered last, by name.
    const free = [...n.free].sort((a, b) => (numbers.get(a) ?? Infinity) - (numbers.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
    const structure = `${body}>${free.map(no).join(',')}`;
    let id = interned.get(structure);
    if (id === undefined) interned.set(structure, (id = String(interned.size)));
    out.set(n, { id, free });
  }
  return out;
}

/**
 * Whether any node could be named, without shape keys (a long sum of distinct
 * terms has none): a node large enough is printed twice only if it, or a
 * larger node above it, has two parents, and two distinct nodes can be one
 * group only if they have the same kind, size and number of parts.
 */
function mayShare(all: readonly Node[], root: Node, minSize: number): boolean {
  const size = treeSizes(all, (n) => n);
  const parents = new Map<Node, number>();
  for (const n of all) for (const c of childrenOf(n)) parents.set(c, (parents.get(c) ?? 0) + 1);
  const alike = new Set<string>();
  for (const n of all) {
    if (n === root || size.get(n)! < minSize) continue;
    if (parents.get(n)! >= 2) return true;
    const key = `${n.k}|${size.get(n)}|${childrenOf(n).length}`;
    if (alike.has(key)) return true;
    alike.add(key);
  }
  return false;
}

/** Whether `root` written out has at least `limit` nodes; stops counting there (most results are small). */
function treeSizeAtLeast(root: Node, limit: number): boolean {
  let count = 0;
  const visit = (n: Node): boolean => {
    if (++count >= limit) return true;
    for (const c of childrenOf(n)) if (visit(c)) return true;
    return false;
  };
  return visit(root);
}

/** Written-out (tree) sizes of nodes listed children first (children through `rep`); capped so they stay finite. */
function treeSizes(order: readonly Node[], rep: (n: Node) => Node): Map<Node, number> {
  const size = new Map<Node, number>();
  for (const n of order) {
    let s = 1;
    for (const c of childrenOf(n)) s += size.get(rep(c))!;
    size.set(n, Math.min(s, Number.MAX_SAFE_INTEGER));
  }
  return size;
}

/**
 * Every node below `root` once, children before parents, each child replaced
 * by `rep(child)` (iterative: derivatives can be deep).
 */
function postOrder(root: Node, rep: (n: Node) => Node): Node[] {
  const out: Node[] = [];
  const done = new Set<Node>();
  const stack: { node: Node; next: number }[] = [{ node: rep(root), next: 0 }];
  done.add(rep(root));
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kids = childrenOf(top.node);
    if (top.next < kids.length) {
      const c = rep(kids[top.next++]!);
      if (!done.has(c)) {
        done.add(c);
        stack.push({ node: c, next: 0 });
      }
      continue;
    }
    stack.pop();
    out.push(top.node);
  }
  return out;
}
