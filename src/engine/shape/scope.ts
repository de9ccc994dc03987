// What a piece of text inherits from the text before it: the names in scope
// (declared variables, definitions, element definitions still being collected)
// and every definition made so far. A document is elaborated region by region
// (a ```tensor block, a math span, an @tensor comment), each region starting
// from the scope the previous one ended with; so an edit re-elaborates only
// the edited region (and the regions after it, when the scope it hands on
// changed).
//
// Invariants:
// - A Scope is immutable. Elaborating a region never changes the scope it
//   started from; it builds a new one on top (LayeredMap shares the layers
//   below, so handing a scope on costs what the region changed, not what the
//   document declared).
// - Definition ids are dense: `definitions[id].id === id`. A region's
//   definitions get the ids after the ones it inherits.
// - Terms held in a scope (pending element definitions) are frozen; spans in
//   them refer to the source of the region that wrote them, never to the
//   region that reads them.

import type { Span } from '../syntax/ast';
import type { Term } from './term';
import type { Definition, Variable } from './elaborate';

/** Layers merged at a time (see LayeredMap). */
const MERGE_FANOUT = 4;

/** ⌊log₄ size⌋: layers of one class are merged MERGE_FANOUT at a time. */
function sizeClass(size: number): number {
  return Math.floor(Math.log2(Math.max(1, size)) / 2);
}

/**
 * A persistent string-keyed map: a stack of layers, newest first. Reads walk
 * the layers; a write adds a layer on top. Layers are merged like a base-4
 * counter: when the new top layer has MERGE_FANOUT - 1 layers of its size
 * class or smaller right below, the four become one; so reads walk O(log n)
 * layers (at most three per size class) and every entry is copied O(log₄ n)
 * times in all. Every copy stays alive as long as the scopes holding it (one
 * per region of a document), so the base matters: merging in pairs (a binary
 * counter) copied each entry twice as often (a 5 MB note's scope tables:
 * 28 → 25 MB). (Flattening every k layers instead made a 10,000-block note
 * quadratic.)
 */
export class LayeredMap<V> {
  private constructor(
    private readonly layer: ReadonlyMap<string, V>,
    private readonly below: LayeredMap<V> | null,
  ) {}

  static empty<V>(): LayeredMap<V> {
    return new LayeredMap<V>(new Map(), null);
  }

  get(key: string): V | undefined {
    for (let m: LayeredMap<V> | null = this; m; m = m.below) {
      const v = m.layer.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** This map with `changes` on top (the same map when there are none). */
  with(changes: ReadonlyMap<string, V>): LayeredMap<V> {
    if (changes.size === 0) return this;
    let top: ReadonlyMap<string, V> = changes;
    let below: LayeredMap<V> | null = this.layer.size === 0 && this.below === null ? null : this;
    for (;;) {
      // The layers right below the top whose size class (⌊log₄ size⌋) is no larger than its own.
      const run: ReadonlyMap<string, V>[] = [];
      const topClass = sizeClass(top.size);
      let rest = below;
      while (rest && run.length < MERGE_FANOUT - 1 && sizeClass(rest.layer.size) <= topClass) {
        run.push(rest.layer);
        rest = rest.below;
      }
      if (run.length < MERGE_FANOUT - 1) break;
      // Oldest first, so newer values overwrite older ones.
      const merged = new Map(run[run.length - 1]!);
      for (let k = run.length - 2; k >= 0; k--) for (const [key, v] of run[k]!) merged.set(key, v);
      for (const [key, v] of top) merged.set(key, v);
      top = merged;
      below = rest;
    }
    return new LayeredMap(top === changes ? new Map(changes) : top, below);
  }

  /** How many layers a read may walk (for tests and measurements). */
  get depth(): number {
    let d = 0;
    for (let m: LayeredMap<V> | null = this; m; m = m.below) d++;
    return d;
  }

  /** Every entry, newest value per key (O(size)). */
  entries(): Map<string, V> {
    const layers: ReadonlyMap<string, V>[] = [];
    for (let m: LayeredMap<V> | null = this; m; m = m.below) layers.push(m.layer);
    const out = new Map<string, V>();
    for (let k = layers.length - 1; k >= 0; k--) for (const [key, v] of layers[k]!) out.set(key, v);
    return out;
  }
}

/** A node of DefinitionTable's tree: leaves hold definitions, inner nodes hold nodes (32 slots each). */
type TableNode = readonly (Definition | TableNode)[];

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** A path of single-child nodes from `level` down to `leaf`. */
function newPath(level: number, leaf: TableNode): TableNode {
  return level === 0 ? leaf : [newPath(level - BITS, leaf)];
}

/** `parent` with the full `leaf` added as the leaf covering ids up to `count - 1` (path copying). */
function pushLeaf(count: number, level: number, parent: TableNode, leaf: TableNode): TableNode {
  const slot = ((count - 1) >>> level) & MASK;
  const copy = parent.slice();
  if (level === BITS) copy[slot] = leaf;
  else {
    const child = parent[slot] as TableNode | undefined;
    copy[slot] = child ? pushLeaf(count, level - BITS, child, leaf) : newPath(level - BITS, leaf);
  }
  return copy;
}

/**
 * The definitions visible at a point of a document, dense by id
 * (`get(id).id === id`): a persistent vector (a 32-way tree of full leaves
 * plus a tail of at most 32, as in Clojure's PersistentVector). Appending
 * copies the tail and, once per 32 definitions, one path of the tree; a table
 * holds exactly the definitions it sees. (Hand-written: the structure is
 * small, and a persistent-collections library would add tens of KB to the
 * host bundle for these few operations.) Earlier versions shared one growing
 * array between tables, so a table kept every later definition alive too: a
 * long note's region cache, holding tables from many edits, held one full
 * copy of the document's definitions per edit.
 */
export class DefinitionTable implements Iterable<Definition> {
  private constructor(
    private readonly root: TableNode,
    /** Bits of the id consumed above the leaves (the tree's height × 5). */
    private readonly shift: number,
    /** The last length − tailOffset definitions (1…32 of them unless the table is empty). */
    private readonly tail: readonly Definition[],
    /** How many definitions this table sees (ids 0 … length-1). */
    readonly length: number,
  ) {}

  static readonly EMPTY: DefinitionTable = new DefinitionTable([], BITS, [], 0);

  static of(definitions: readonly Definition[]): DefinitionTable {
    return DefinitionTable.EMPTY.with(definitions);
  }

  private get tailOffset(): number {
    return this.length - this.tail.length;
  }

  get(id: number): Definition | undefined {
    if (!(id >= 0 && id < this.length)) return undefined;
    const tailOffset = this.tailOffset;
    if (id >= tailOffset) return this.tail[id - tailOffset];
    let node = this.root;
    for (let level = this.shift; level > 0; level -= BITS) node = node[(id >>> level) & MASK] as TableNode;
    return node[id & MASK] as Definition;
  }

  /** The latest definition of `name` in this table. */
  lastNamed(name: string): Definition | undefined {
    for (let i = this.length - 1; i >= 0; i--) {
      const d = this.get(i)!;
      if (d.name === name) return d;
    }
    return undefined;
  }

  /** This table followed by `more` (whose ids must continue it). */
  with(more: readonly Definition[]): DefinitionTable {
    if (more.length === 0) return this;
    let root = this.root;
    let shift = this.shift;
    let tail = this.tail.slice();
    let length = this.length;
    for (const d of more) {
      if (tail.length === WIDTH) {
        // The tail is full: it becomes a leaf of the tree (a new root level when the tree is full).
        if (length >>> BITS > 1 << shift) {
          root = [root, newPath(shift, tail)];
          shift += BITS;
        } else root = pushLeaf(length, shift, root, tail);
        tail = [];
      }
      tail.push(d);
      length++;
    }
    return new DefinitionTable(root, shift, tail, length);
  }

  *[Symbol.iterator](): Iterator<Definition> {
    for (let i = 0; i < this.length; i++) yield this.get(i)!;
  }

  /** The definitions as an array (O(length)). */
  toArray(): Definition[] {
    return this.map((d) => d);
  }

  filter(keep: (d: Definition) => boolean): Definition[] {
    const out: Definition[] = [];
    for (let i = 0; i < this.length; i++) {
      const d = this.get(i)!;
      if (keep(d)) out.push(d);
    }
    return out;
  }

  map<T>(f: (d: Definition) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(f(this.get(i)!));
    return out;
  }

  find(match: (d: Definition) => boolean): Definition | undefined {
    for (let i = 0; i < this.length; i++) {
      const d = this.get(i)!;
      if (match(d)) return d;
    }
    return undefined;
  }
}

/** An element definition waiting to be assembled (`A_{12} = …` for a declared A). */
export interface PendingElement {
  readonly term: Term;
  readonly span: Span;
}

/** What a name means at the end of a region. */
export interface ScopeSymbol {
  readonly variable?: Variable;
  /** How many times the name has been declared (variable ids are `x`, `x@2`, …). */
  readonly declarations?: number;
  /** Id of the definition visible now, if any. */
  readonly def?: number;
  readonly poisoned?: boolean;
  readonly params?: readonly string[];
  /** Element definitions collected for the declared variable: key "i,j" (0-based). */
  readonly elements?: ReadonlyMap<string, PendingElement>;
  readonly failedElements?: ReadonlySet<string>;
  /** Bumped by every element definition, so an assembled value knows when it is stale. */
  readonly elementsVersion?: number;
  /** The definition last assembled from the elements, and the version it was assembled at. */
  readonly assembled?: { readonly def: number; readonly version: number };
  /** Element definitions were refused (symbolic size), already reported. */
  readonly elementsRefused?: boolean;
}

export interface Scope {
  readonly symbols: LayeredMap<ScopeSymbol>;
  /**
   * The variables declared so far that their name no longer shows (a later
   * declaration of the name shadowed them), by id: definitions still refer to
   * them. A visible variable is found through `symbols` (see variableById);
   * keeping every variable here as well doubled the largest part of a long
   * note's scopes.
   */
  readonly variables: LayeredMap<Variable>;
  /** Every definition made so far, dense by id. */
  readonly definitions: DefinitionTable;
}

/** The variable with this id (`x`, `x@2`, …) declared in `scope`, visible or shadowed. */
export function variableById(scope: Scope, id: string): Variable | undefined {
  const at = id.lastIndexOf('@');
  const visible = scope.symbols.get(at < 0 ? id : id.slice(0, at))?.variable;
  return visible?.id === id ? visible : scope.variables.get(id);
}

export const EMPTY_SCOPE: Scope = {
  symbols: LayeredMap.empty(),
  variables: LayeredMap.empty(),
  definitions: DefinitionTable.EMPTY,
};
