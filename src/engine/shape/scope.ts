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

/**
 * A persistent string-keyed map: a stack of layers, newest first. Reads walk
 * the layers; a write adds a layer. The stack is flattened into one layer
 * every MAX_DEPTH layers, so reads stay O(MAX_DEPTH) and a document of R
 * regions and N names costs O(R·N / MAX_DEPTH) copying in all.
 */
export class LayeredMap<V> {
  private static readonly MAX_DEPTH = 16;

  private constructor(
    private readonly layer: ReadonlyMap<string, V>,
    private readonly below: LayeredMap<V> | null,
    private readonly depth: number,
  ) {}

  static empty<V>(): LayeredMap<V> {
    return new LayeredMap<V>(new Map(), null, 0);
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
    if (this.depth + 1 < LayeredMap.MAX_DEPTH) return new LayeredMap(new Map(changes), this, this.depth + 1);
    const flat = new Map<string, V>();
    const layers: ReadonlyMap<string, V>[] = [changes];
    for (let m: LayeredMap<V> | null = this; m; m = m.below) layers.push(m.layer);
    // Oldest first, so newer layers overwrite.
    for (let k = layers.length - 1; k >= 0; k--) for (const [key, v] of layers[k]!) flat.set(key, v);
    return new LayeredMap(flat, null, 0);
  }

  /** Every entry, newest value per key (for tests and small maps; O(size)). */
  entries(): Map<string, V> {
    const layers: ReadonlyMap<string, V>[] = [];
    for (let m: LayeredMap<V> | null = this; m; m = m.below) layers.push(m.layer);
    const out = new Map<string, V>();
    for (let k = layers.length - 1; k >= 0; k--) for (const [key, v] of layers[k]!) out.set(key, v);
    return out;
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
  /** Every variable declared so far, by id (also the shadowed ones definitions still refer to). */
  readonly variables: LayeredMap<Variable>;
  /** Every definition made so far, dense by id. */
  readonly definitions: readonly Definition[];
}

export const EMPTY_SCOPE: Scope = {
  symbols: LayeredMap.empty(),
  variables: LayeredMap.empty(),
  definitions: [],
};
