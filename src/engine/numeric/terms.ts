// Reading typed terms for numeric work: which definitions a `ref` reaches,
// which variables a term uses (through its references), and which symbolic
// sizes appear in it.
//
// Invariants:
// - Definitions are looked up by their `id` (not by array position), so any
//   list of definitions with ids works, including a filtered one.
// - Each definition is visited once per walk, even when referenced many times,
//   and a reference cycle cannot loop forever.

import type { Dim } from '../shape/shape';
import type { Term } from '../shape/term';

/** What the numeric code needs of a definition (analysis.elaboration.definitions[i]). */
export interface DefinitionLike {
  readonly id: number;
  readonly name?: string;
  readonly value: Term;
}

/** Definitions by id: a list (any ids), or a table that looks them up itself (analysis.elaboration.definitions). */
export type DefinitionSource = Iterable<DefinitionLike> | DefinitionLookup;

export interface DefinitionLookup {
  get(id: number): DefinitionLike | undefined;
}

/** A lookup by id over `definitions` (a table is used as it is; a list is indexed once). */
export function definitionMap(definitions: DefinitionSource | undefined): DefinitionLookup {
  if (definitions && 'get' in definitions && typeof definitions.get === 'function') return definitions as DefinitionLookup;
  const byId = new Map<number, DefinitionLike>();
  for (const d of (definitions as Iterable<DefinitionLike> | undefined) ?? []) byId.set(d.id, d);
  return byId;
}

/** Calls `visit` on every sub-term of `term` and of the definitions it references (each once). */
export function walkReachable(term: Term, definitions: DefinitionLookup, visit: (t: Term) => void): void {
  const seen = new Set<number>();
  const go = (t: Term): void => {
    visit(t);
    for (const a of t.args) go(a);
    if (t.op === 'ref' && t.def !== undefined && !seen.has(t.def)) {
      seen.add(t.def);
      const d = definitions.get(t.def);
      if (d) go(d.value);
    }
  };
  go(term);
}

export interface VariableUse {
  readonly name: string;
  /** The declared dims, as the `var` term carries them. */
  readonly dims: readonly Dim[];
}

/**
 * The variables a term uses, in order of first use (through references too):
 * one entry per name, or more when a redeclared name is used with different dims.
 */
export function variableUses(term: Term, definitions: DefinitionLookup): VariableUse[] {
  const uses = new Map<string, VariableUse>();
  walkReachable(term, definitions, (t) => {
    if (t.op !== 'var' || t.name === undefined) return;
    const key = `${t.name}\u0000${t.shape.dims.join('×')}`;
    if (!uses.has(key)) uses.set(key, { name: t.name, dims: t.shape.dims });
  });
  return [...uses.values()];
}

/** Symbolic size names appearing anywhere in the shapes of a term (through references too). */
export function sizeSymbols(term: Term, definitions: DefinitionLookup): string[] {
  const names = new Set<string>();
  walkReachable(term, definitions, (t) => {
    for (const d of t.shape.dims) if (typeof d === 'string') names.add(d);
  });
  return [...names];
}
