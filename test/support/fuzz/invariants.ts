// The reliability properties every input must satisfy, checked against every
// entry point the editor and the CLI use:
//
// - `parse` (both modes), `analyze` (both modes × all layouts), `report`, and
//   `analyzeDocument` (markdown and TypeScript) never throw;
// - no analysis reports an internal error (the engine's catch-alls turn
//   exceptions into diagnostics; those are bugs too);
// - every diagnostic has a known code (DIAGNOSTIC_CODES), a severity, a
//   message, and a valid span 0 ≤ start ≤ end ≤ length of the text it is about;
// - every span in a report (expressions, derivatives, claims) is valid;
// - a document analysis masks to the document's length and its regions lie
//   inside the document; hovers at any offset never throw;
// - every call finishes within a time budget (measured; see ./campaign.ts).

import { analyze, report, type Analysis } from '../../../src/engine/analyze';
import { DIAGNOSTIC_CODES } from '../../../src/engine/diagnostics';
import { parse } from '../../../src/engine/syntax/parser';
import type { Layout } from '../../../src/engine/shape/layout';
import { analyzeDocument, hoverAt } from '../../../src/documents/document-analysis';
import type { Rng } from './rng';

export const LAYOUTS: readonly Layout[] = ['numerator', 'denominator', 'mixed'];
export const MODES = ['block', 'math'] as const;

/** Messages that only an engine bug produces (caught exceptions turned into diagnostics). */
export const INTERNAL_ERROR =
  /Internal error|Maximum call stack|Invalid string length|Invalid array length|Cannot read prop|Cannot set prop|is not a function|is not iterable|invariant broken|native code|\[object |unknown index|out of memory|could not be printed/i;

export interface Failure {
  /** Which property failed, e.g. `analyze:no-throw` or `report:span`. */
  readonly property: string;
  readonly message: string;
  /** The call that failed, e.g. `analyze(math, denominator)`. */
  readonly call: string;
}

export interface Timing {
  readonly call: string;
  readonly ms: number;
}

export interface CheckOptions {
  /** Layouts to analyse in (default: all three). */
  readonly layouts?: readonly Layout[];
  /** Run `report` (derivatives, printing, claims) — default true. */
  readonly report?: boolean;
  /** The layout whose analyses are also reported (default: the first of `layouts`). */
  readonly reportLayout?: Layout;
  /** Run the numeric self-check in `report` — default false. */
  readonly selfCheck?: boolean;
  /** Wrap the input into markdown and/or TypeScript documents and analyse them — default both. */
  readonly documents?: boolean | 'markdown' | 'typescript';
  /** Source of choices (document wrappers, hover offsets); fixed choices without it. */
  readonly rng?: Rng;
}

export interface CheckOutcome {
  readonly failures: Failure[];
  readonly timings: Timing[];
  /** Number of property checks made (one per call and per diagnostic/span checked). */
  readonly checks: number;
}

type Span = { readonly start: number; readonly end: number };

class Checker {
  readonly failures: Failure[] = [];
  readonly timings: Timing[] = [];
  checks = 0;

  run<T>(call: string, property: string, f: () => T): T | undefined {
    const t0 = performance.now();
    try {
      return f();
    } catch (e) {
      this.fail(`${property}:no-throw`, call, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      return undefined;
    } finally {
      this.timings.push({ call, ms: performance.now() - t0 });
      this.checks++;
    }
  }

  fail(property: string, call: string, message: string): void {
    this.failures.push({ property, call, message });
  }

  span(call: string, what: string, s: Span, length: number): void {
    this.checks++;
    const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= length;
    if (!ok) this.fail(`${what}:span`, call, `span ${s.start}..${s.end} is not within 0..${length}`);
  }

  diagnostics(call: string, ds: readonly { code: string; severity: string; message: string; span?: Span; start?: number; end?: number }[], length: number): void {
    for (const d of ds) {
      this.checks++;
      if (!Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, d.code)) this.fail('diagnostic:code', call, `unknown code ${JSON.stringify(d.code)}`);
      if (!['error', 'warning', 'info'].includes(d.severity)) this.fail('diagnostic:severity', call, `unknown severity ${JSON.stringify(d.severity)}`);
      if (typeof d.message !== 'string' || d.message.trim() === '') this.fail('diagnostic:message', call, `empty message (${d.code})`);
      else if (INTERNAL_ERROR.test(d.message)) this.fail('diagnostic:internal-error', call, `${d.code}: ${d.message}`);
      this.span(call, 'diagnostic', d.span ?? { start: d.start!, end: d.end! }, length);
    }
  }

  analysis(call: string, a: Analysis, length: number): void {
    this.checks++;
    if (a.source.length !== length) this.fail('analysis:source', call, `analysed ${a.source.length} characters of ${length}`);
    this.diagnostics(call, a.diagnostics, length);
    for (const s of a.program.statements) this.span(call, 'statement', s.span, length);
  }
}

/** Markdown documents that embed `text` the ways notes do. */
export function markdownWrappers(text: string): string[] {
  return [
    text,
    `# Notes\n\nSome prose.\n\n\`\`\`tensor\n${text}\n\`\`\`\n\nMore prose.\n`,
    `Inline $${text}$ and display:\n\n$$\n${text}\n$$\n`,
    `\\[\n${text}\n\\]\n\n\`\`\`tensor\n${text}`,
  ];
}

/** TypeScript documents that embed `text` in @tensor comments. */
export function typescriptWrappers(text: string): string[] {
  const lines = text.split('\n');
  return [
    text,
    `// @tensor ${lines.join('\n// ')}\nexport const f = (x: number) => x;\n`,
    `/**\n * @tensor\n * ${lines.join('\n * ')}\n */\nfunction g() {}\n`,
    `/* @tensor ${text} */`,
  ];
}

export function checkInput(text: string, options: CheckOptions = {}): CheckOutcome {
  const c = new Checker();
  const layouts = options.layouts ?? LAYOUTS;
  const rng = options.rng;
  const choose = <T>(xs: readonly T[], fallback: number): T => (rng ? rng.pick(xs) : xs[fallback % xs.length]!);

  for (const mode of MODES) {
    const call = `parse(${mode})`;
    const parsed = c.run(call, 'parse', () => parse(text, { mode }));
    if (parsed) {
      c.diagnostics(call, parsed.diagnostics, text.length);
      for (const s of parsed.program.statements) c.span(call, 'statement', s.span, text.length);
    }
  }

  for (const mode of MODES) {
    for (const layout of layouts) {
      const call = `analyze(${mode}, ${layout})`;
      const a = c.run(call, 'analyze', () => analyze(text, { mode, layout }));
      if (!a) continue;
      c.analysis(call, a, text.length);
      // One report per mode (derivatives and claims are the expensive part).
      if (options.report !== false && layout === (options.reportLayout ?? layouts[0])) {
        const rcall = `report(${mode}, ${layout})`;
        const r = c.run(rcall, 'report', () => report(a, options.selfCheck ? { check: true } : {}));
        if (r) {
          c.diagnostics(rcall, r.diagnostics, text.length);
          for (const e of r.expressions) c.span(rcall, 'report-expression', e, text.length);
          for (const d of r.derivatives) c.span(rcall, 'report-derivative', d, text.length);
          for (const cl of r.claims ?? []) c.span(rcall, 'report-claim', cl, text.length);
          const json = c.run(rcall, 'report-json', () => JSON.stringify(r));
          // Values that leak from Object.prototype through a table lookup show up in the JSON.
          if (json !== undefined && /native code|\[object |"shape":\[[^\]]*null/.test(json)) {
            c.fail('report:json-values', rcall, `the report holds a non-data value: ${json.match(/.{0,60}(native code|\[object |"shape":\[[^\]]*null).{0,20}/)?.[0]}`);
          }
        }
      }
    }
  }

  if (options.documents !== false) {
    const docs: [string, string][] = [];
    if (options.documents !== 'typescript') docs.push(['markdown', choose(markdownWrappers(text), text.length)]);
    if (options.documents !== 'markdown') docs.push(['typescript', choose(typescriptWrappers(text), text.length + 1)]);
    for (const [languageId, doc] of docs) {
      const layout = choose(layouts, text.length + 2);
      const call = `analyzeDocument(${languageId}, ${layout})`;
      const d = c.run(call, 'analyzeDocument', () => analyzeDocument(doc, languageId, layout));
      if (!d) continue;
      for (const { region, entry } of d.parts) c.analysis(call, entry.analysis, region.end - region.start);
      c.diagnostics(call, d.diagnostics, doc.length);
      for (const r of d.regions) c.span(call, 'region', r, doc.length);
      const offsets = [0, doc.length, rng ? rng.int(0, doc.length) : doc.length >> 1, ...d.regions.slice(0, 3).map((r) => r.start + ((r.end - r.start) >> 1))];
      for (const offset of offsets) {
        const h = c.run(`hoverAt(${languageId}, ${offset})`, 'hover', () => hoverAt(d, offset));
        if (h) c.span(`hoverAt(${languageId}, ${offset})`, 'hover', h, doc.length);
      }
    }
  }
  return { failures: c.failures, timings: c.timings, checks: c.checks };
}
