// Shared helpers for the shape tests: analyse a source, read the shape of its
// last statement, and summarise diagnostics.

import { analyze, type Analysis, type AnalyzeOptions } from '../../../src/engine/analyze';
import type { Expr, Statement } from '../../../src/engine/syntax/ast';
import { formatShape } from '../../../src/engine/shape/shape';

export type Options = AnalyzeOptions;

/** The expression a statement carries: a bare expression, or a definition's value. */
export function statementExpr(s: Statement): Expr | null {
  if (s.kind === 'expression') return s.expr;
  if (s.kind === 'definition') return s.value;
  return null;
}

/** The shape text (formatShape) of the last statement's expression, or null when it has none. */
export function lastShape(analysis: Analysis): string | null {
  const statements = analysis.program.statements;
  const last = statements[statements.length - 1];
  if (!last) return null;
  const e = statementExpr(last);
  if (!e) return null;
  const s = analysis.elaboration.shapes.get(e);
  return s ? formatShape(s) : null;
}

/** Every diagnostic as `code [start,end] 'text': message`, for readable assertion failures. */
export function describeDiagnostics(analysis: Analysis): string[] {
  return analysis.diagnostics.map(
    (d) => `${d.severity} ${d.code} [${d.span.start},${d.span.end}] '${analysis.source.slice(d.span.start, d.span.end)}': ${d.message}`,
  );
}

export function errors(analysis: Analysis): readonly Analysis['diagnostics'][number][] {
  return analysis.diagnostics.filter((d) => d.severity === 'error');
}

export function run(source: string, options: Options = {}): Analysis {
  return analyze(source, options);
}

/** Finds the first expression node (depth first) whose source text is exactly `text`. */
export function findExpr(analysis: Analysis, text: string, occurrence = 0): Expr | null {
  let seen = 0;
  let found: Expr | null = null;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as { kind?: string; span?: { start: number; end: number } };
    if (n.kind && n.span && analysis.elaboration.shapes.has(n as Expr) && analysis.source.slice(n.span.start, n.span.end) === text) {
      if (seen === occurrence) {
        found = n as Expr;
        return;
      }
      seen++;
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'span' && k !== 'opSpan' && k !== 'nameSpan') visit(v);
  };
  visit(analysis.program.statements);
  return found;
}
