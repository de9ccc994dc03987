// Answers every derivative request of an analysis: symbolic result, printed
// forms, and optionally its value at given points and a numeric self-check.
// This is what the CLI, the hover and the panel share.

import type { Analysis } from '../analyze';
import type { Diagnostic } from '../diagnostics';
import { error } from '../diagnostics';
import type { DerivativeRequest } from '../shape/elaborate';
import type { DenseTensor } from '../ir/evaluate-ir';
import { bindValues, toNested, type JsonValue } from './bindings';
import { checkDerivative, concreteSizes, deriveRequest, type Derived } from './derive';
import { present, type Presentation } from './present';

export interface ComputeOptions {
  /** Values for variables (`--at`); they also fix concrete sizes. */
  readonly at?: Readonly<Record<string, unknown>>;
  /** Run the finite-difference self-check. */
  readonly check?: boolean;
  readonly seed?: number;
}

export interface ComputedDerivative {
  readonly request: DerivativeRequest;
  readonly derived?: Derived;
  readonly presentation?: Presentation;
  readonly value?: JsonValue;
  readonly check?: { readonly maxRelError: number; readonly ok: boolean; readonly seed: number };
  readonly diagnostic?: Diagnostic;
}

export interface Computation {
  readonly derivatives: readonly ComputedDerivative[];
  /** Problems with the given values, as diagnostics over the whole input. */
  readonly diagnostics: readonly Diagnostic[];
  /** Concrete sizes from the given values (empty without --at). */
  readonly sizes: Readonly<Record<string, number>>;
}

export function computeDerivatives(analysis: Analysis, options: ComputeOptions = {}): Computation {
  const diagnostics: Diagnostic[] = [];
  const whole = { start: 0, end: analysis.source.length };
  let bound: { values: Map<string, DenseTensor>; sizes: Record<string, number> } | null = null;
  if (options.at) {
    const b = bindValues(analysis, options.at);
    for (const message of b.errors) diagnostics.push(error('bad-dimension', message, whole));
    if (b.errors.length === 0) bound = { values: b.values, sizes: b.sizes };
  }
  const seed = options.seed ?? 1;
  const derivatives = analysis.elaboration.derivatives.map((request): ComputedDerivative => {
    const outcome = deriveRequest(analysis, request);
    if (!outcome.ok) return { request, diagnostic: outcome.diagnostic };
    const derived = outcome.derived;
    let presentation: Presentation;
    try {
      presentation = present(analysis, derived);
    } catch (e) {
      return { request, derived, diagnostic: error('unsupported-operation', `The derivative could not be printed: ${e instanceof Error ? e.message : String(e)}`, request.node.span) };
    }
    const result: { -readonly [K in keyof ComputedDerivative]: ComputedDerivative[K] } = { request, derived, presentation };
    if (bound) {
      try {
        const sizes = concreteSizes(analysis, bound.sizes);
        const values = new Map(bound.values);
        const check = checkDerivative(analysis, derived, { seed, sizes, values });
        if ('error' in check) {
          result.diagnostic = error('unsupported-operation', `The derivative cannot be evaluated at the given point: ${check.error}.`, request.node.span);
        } else {
          result.value = toNested(check.symbolic);
          if (options.check) result.check = { maxRelError: check.maxRelError, ok: check.ok, seed };
        }
      } catch (e) {
        result.diagnostic = error('unsupported-operation', `The derivative cannot be evaluated at the given point: ${e instanceof Error ? e.message : String(e)}`, request.node.span);
      }
    } else if (options.check) {
      const check = checkDerivative(analysis, derived, { seed });
      if ('error' in check) result.diagnostic = error('unsupported-operation', `The self-check could not evaluate this derivative: ${check.error.replace(/\.$/, '')}.`, request.node.span);
      else result.check = { maxRelError: check.maxRelError, ok: check.ok, seed };
    }
    return result;
  });
  return { derivatives, diagnostics, sizes: bound?.sizes ?? {} };
}
