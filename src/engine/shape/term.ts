// Typed terms: the elaborated, name-resolved form of expressions that the
// derivative engine consumes.
//
// Invariants:
// - Every term has a fully resolved shape (no inference variables remain).
// - Names are resolved: `var` is a declared variable, `ref` points at one
//   specific definition (by id, so later redefinitions do not change it).
// - Operators are explicit: juxtaposition has become `matmul` or `scale`, `|X|`
//   has become `det` or `abs`, `e^x` has become `exp`, `A^{-1}` `inv`.
// - Terms are plain data; `span` points at the source the term came from.

import type { Span } from '../syntax/ast';
import type { Shape } from './shape';

export type TermOp =
  | 'var' // a declared variable: name
  | 'ref' // a defined name: name, def
  | 'const' // a scalar constant: value
  | 'fill' // a tensor with every entry = value (ones, zeros, vector(c) with c constant)
  | 'eye' // identity matrix
  | 'unit' // standard basis vector e_k (a column): index [k − 1]
  | 'elem' // one element of args[0]: index (0-based)
  | 'array' // stack of args along a new leading axis
  | 'neg'
  | 'add' // args[0] + args[1]; a scalar operand broadcasts
  | 'sub'
  | 'hadamard' // elementwise product; a scalar operand broadcasts
  | 'hdiv' // elementwise quotient; a scalar operand broadcasts
  | 'hpow' // elementwise power; a scalar exponent broadcasts
  | 'scale' // args[0] scalar times args[1] tensor
  | 'matmul' // matrix/vector product: mm, mv, vm, dot (row·column), outer (column·row)
  | 'frob' // Frobenius inner product, a scalar
  | 'pow' // scalar power: args[0] ^ args[1], both scalars
  | 'matpow' // integer power of a square matrix: value (≥ 2)
  | 'inv' // matrix inverse
  | 'transpose'
  | 'call' // built-in function: fn (elementwise or matrix function)
  | 'deriv' // a derivative request inside an expression: args[0] = F; wrt; order
  | 'opaque'; // an abstract function (declared by signature only): cannot be differentiated

export interface Term {
  readonly op: TermOp;
  readonly shape: Shape;
  readonly args: readonly Term[];
  readonly span: Span;
  readonly name?: string;
  readonly def?: number;
  readonly value?: number;
  readonly fn?: string;
  readonly index?: readonly number[];
  readonly wrt?: readonly string[];
  readonly order?: 1 | 2;
  readonly explicit?: boolean;
}

/** Built-ins applied entry by entry. */
export const ELEMENTWISE_FUNCTIONS: ReadonlySet<string> = new Set([
  'sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'softplus', 'abs', 'sign', 'step',
]);

/** Calls every sub-term once, depth first (children before parents). */
export function walkTerm(term: Term, visit: (t: Term) => void): void {
  for (const a of term.args) walkTerm(a, visit);
  visit(term);
}
