// Diagnostics: the engine's way of reporting problems in user text. User text
// never throws; every problem becomes a Diagnostic with a stable code, a
// sentence a person can act on, and the exact span it concerns.
//
// Invariant: codes are part of the public contract (CLI JSON, editor squiggles,
// tests). Add new codes; never rename or reuse old ones.

import type { Span } from './syntax/ast';

export type Severity = 'error' | 'warning' | 'info';

export const DIAGNOSTIC_CODES = {
  // syntax
  'unexpected-token': 'A token that cannot appear here.',
  'unexpected-end': 'The statement ended before it was complete.',
  'unclosed-bracket': 'An opening bracket, brace or environment without its closing partner.',
  'unmatched-bracket': 'A closing bracket without an opening partner.',
  'unknown-command': 'A LaTeX command the language does not know.',
  'invalid-number': 'A malformed number.',
  'invalid-character': 'A character that is not part of the language.',
  'bad-declaration': 'A declaration whose type is not ℝ with dimensions.',
  'bad-derivative': 'A derivative request in a form that cannot be read.',
  'unsupported-syntax': 'Valid notation that the language does not compute (ellipses, index sums).',
  'too-deep': 'Nesting deeper than the parser allows.',
  'too-large': 'Input larger than the analyser allows.',
  // names and shapes
  'undeclared-symbol': 'A name used before it is declared or defined.',
  'redeclared-symbol': 'A name declared twice with different shapes.',
  'cyclic-definition': 'A definition that depends on itself.',
  'shape-mismatch': 'Operands whose shapes do not fit the operator.',
  'not-square': 'A square matrix is required (inverse, determinant, trace, matrix power).',
  'wrong-arity': 'A function called with the wrong number of arguments.',
  'bad-index': 'An element reference with the wrong number of indices or an index out of range.',
  'unknown-function': 'A call of a name that is neither a built-in nor a defined function.',
  'bad-dimension': 'A dimension that cannot be inferred or is not a positive integer.',
  'not-a-variable': 'A derivative taken with respect to something that is not a variable.',
  'unsupported-operation': 'An operation the engine does not support for these shapes.',
  // claims (results stated after `=`), checked numerically
  'claim-false': 'A stated result that does not equal the left side.',
  'claim-layout': 'A stated result that holds in another layout convention than the current one.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
}

export function error(code: DiagnosticCode, message: string, span: Span): Diagnostic {
  return { code, severity: 'error', message, span: { start: span.start, end: span.end } };
}

export function warning(code: DiagnosticCode, message: string, span: Span): Diagnostic {
  return { code, severity: 'warning', message, span: { start: span.start, end: span.end } };
}
