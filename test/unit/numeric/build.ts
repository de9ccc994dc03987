// Hand-built typed terms for the numeric tests: terms as the elaborator would
// produce them, without going through the parser.

import type { Dim } from '../../../src/engine/shape/shape';
import type { Term, TermOp } from '../../../src/engine/shape/term';
import { allClose, fromNested, type Nested, type Tensor } from '../../../src/engine/numeric/tensor';
import { strict as assert } from 'node:assert';

const SPAN = { start: 0, end: 0 };

export function term(op: TermOp, dims: readonly Dim[], args: readonly Term[] = [], extra: Partial<Term> = {}, row = false): Term {
  return { op, shape: { dims: [...dims], row: dims.length === 1 ? row : false }, args, span: SPAN, ...extra };
}

export const v = (name: string, ...dims: Dim[]): Term => term('var', dims, [], { name });
export const c = (value: number): Term => term('const', [], [], { value });
export const call = (fn: string, x: Term, dims: readonly Dim[] = []): Term => term('call', dims, [x], { fn });
export const mm = (fn: 'mm' | 'mv' | 'vm' | 'dot' | 'outer', a: Term, b: Term, dims: readonly Dim[], row = false): Term =>
  term('matmul', dims, [a, b], { fn }, row);
export const tr = (x: Term): Term => term('transpose', x.shape.dims.length === 2 ? [x.shape.dims[1]!, x.shape.dims[0]!] : x.shape.dims, [x], {}, !x.shape.row);

export const T = (nested: Nested): Tensor => fromNested(nested);

/** Asserts dims and entries (within a tight tolerance) and prints both on failure. */
export function assertTensor(actual: Tensor, expected: Nested, rtol = 1e-12, atol = 1e-12): void {
  const want = fromNested(expected);
  assert.ok(
    allClose(actual, want, rtol, atol),
    `expected ${JSON.stringify(want.dims)} ${JSON.stringify([...want.data])}, got ${JSON.stringify(actual.dims)} ${JSON.stringify([...actual.data])}`,
  );
}
