// Types of bench/corpus.mjs (plain JavaScript, shared by run.mjs and the bundled TypeScript benches).

export interface CorpusCase {
  readonly id: string;
  /** Source in the tensor language. */
  readonly src: string;
  /** The same work in SymPy (Python), or null when SymPy cannot do it. */
  readonly sympy: string | null;
  readonly layers?: number;
}

export const COOKBOOK: readonly CorpusCase[];
export const HESSIANS: readonly CorpusCase[];
export const MLPS: readonly CorpusCase[];
export const CORPUS: readonly CorpusCase[];
export const MLP_DEPTHS: readonly number[];
export const SUM_SIZES: readonly number[];
export function mlpSource(layers: number): string;
export function mlpSympy(layers: number): string;
export function sumSource(k: number): string;
