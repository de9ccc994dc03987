// Loads the analysis core (src/core) when it is first asked for.
//
// Activation then compiles only the adapter: the core is three quarters of
// the host's code, and the Node bundle keeps it in dist/core.js, which this
// `require` reaches (scripts/build.mjs maps it there and leaves it out of
// dist/extension.js). The web bundle holds the core inline, as esbuild does
// with any bundled `require`. Invariant: modules under src/extension take the
// core's values only through `core()`; they may import its types directly
// (test/unit/architecture checks both).

import type * as Core from '../core/index';

export type { Core };

let loaded: typeof Core | undefined;

/** The analysis core, loaded (compiled and run) on the first call. */
export function core(): typeof Core {
  loaded ??= require('../core/index') as typeof Core;
  return loaded;
}

/** Whether the core has been loaded (the first analysis loads it in a task of its own). */
export function coreLoaded(): boolean {
  return loaded !== undefined;
}
