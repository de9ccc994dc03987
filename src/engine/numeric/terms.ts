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

export function definitionMap(definitions: readonly DefinitionLike[] | undefined): Map<number, DefinitionLike> {
  const byId = new Map<number, DefinitionLike>();
  for (const d of definitions ?? []) byId.set(d.id, d);
  return byId;
}

/** Calls `visit` on every sub-term of `term` and of the definitions it references (each once). */
export function walkReachable(term: Term, definitions: ReadonlyMap<number, DefinitionLike>, visit: (t: Term) => void): void {
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
export function variableUses(term: Term, definitions: ReadonlyMap<number, DefinitionLike>): VariableUse[] {
  const uses = new Map<string, VariableUse>();
  walkReachable(term, definitions, (t) => {
    if (t.op !== 'var' || t.name === undefined) return;
    const key = `${t.name}\u0000${t.shape.dims.join('×')}`;
    if (!uses.has(key)) uses.set(key, { name: t.name, dims: t.shape.dims });
  });
  return [...uses.values()];
}

/** Symbolic size names appearing anywhere in the shapes of a term (through references too). */
export function sizeSymbols(term: Term, definitions: ReadonlyMap<number, DefinitionLike>): string[] {
  const names = new Set<string>();
  walkReachable(term, definitions, (t) => {
    for (const d of t.shape.dims) if (typeof d === 'string') names.add(d);
  });
  return [...names];
}
