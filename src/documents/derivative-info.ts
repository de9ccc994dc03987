// Derivative results for one request of a document analysis, memoised per
// request object (an analysis is immutable and cached per document version),
// so hovers and CodeLenses after the first cost nothing.

import type { Analysis } from '../engine/analyze';
import { checkDerivative, deriveRequest } from '../engine/derive/derive';
import { present, type Presentation } from '../engine/derive/present';
import type { DerivativeRequest } from '../engine/shape/elaborate';
import { derivativeMatrixShape } from '../engine/shape/layout';

export interface DerivativeInfo {
  readonly presentation?: Presentation;
  readonly matrixShape: string | null;
  readonly check?: { readonly ok: boolean; readonly maxRelError: number; readonly seed: number };
  /** Why the derivative or its check could not be computed. */
  readonly problem?: string;
}

const memo = new WeakMap<DerivativeRequest, DerivativeInfo>();

export function derivativeInfo(analysis: Analysis, request: DerivativeRequest, options: { check?: boolean } = {}): DerivativeInfo {
  const hit = memo.get(request);
  if (hit) return hit;
  const m = request.node.order === 1 ? derivativeMatrixShape(request.of, request.wrtShapes[0]!, analysis.layout) : null;
  const matrixShape = m ? `${m[0]}×${m[1]}` : request.shape.dims.length === 2 ? request.shape.dims.join('×') : request.shape.dims.length === 0 ? '1×1' : null;
  let info: DerivativeInfo;
  try {
    const outcome = deriveRequest(analysis, request);
    if (!outcome.ok) info = { matrixShape, problem: outcome.diagnostic.message };
    else {
      const presentation = present(analysis, outcome.derived);
      if (options.check === false) info = { presentation, matrixShape };
      else {
        const check = checkDerivative(analysis, outcome.derived, { seed: 1 });
        info = 'error' in check
          ? { presentation, matrixShape, problem: `not checked numerically: ${check.error}` }
          : { presentation, matrixShape, check: { ok: check.ok, maxRelError: check.maxRelError, seed: check.seed } };
      }
    }
  } catch (e) {
    info = { matrixShape, problem: e instanceof Error ? e.message : String(e) };
  }
  memo.set(request, info);
  return info;
}
