// Command-line argument parsing and the readable (non-JSON) output of the CLI.
// Pure functions, so they are tested without spawning processes.

import { isLayout, type Layout } from '../engine/shape/layout';
import type { Report } from '../engine/analyze';
import { nameOf } from '../engine/print/render';

export const USAGE = `Usage: tensor-deriv [options] [SOURCE]

Analyses tensor expressions: declarations, definitions and derivative requests.
SOURCE is the text itself; without it (or with "-") the text is read from stdin.

Options:
  --layout L     numerator (default) | denominator | mixed
  --json         print one JSON object (symbols, expressions, derivatives, diagnostics)
  --math         read SOURCE as LaTeX math: newlines are spaces, not statement breaks
  --file PATH    read the text from a file
  --at FILE      JSON object binding variables to values (numbers or nested arrays, row-major);
                 fixes concrete sizes and adds each derivative's "value"
  --check        compare each derivative with central finite differences at a random point
  --seed N       seed of the random point for --check (default 1)
  -h, --help     show this help
  --version      print the version

Exit status: 0 without errors, 1 when the text has errors, 2 on usage errors.

Example:
  tensor-deriv --json 'x: R^n; A: R^{n×n}; f = x^T A x; d/dx f'
`;

export interface CliOptions {
  readonly layout: Layout;
  readonly json: boolean;
  readonly mode: 'block' | 'math';
  readonly source?: string;
  readonly file?: string;
  readonly at?: string;
  readonly check?: boolean;
  readonly seed?: number;
}

export type ParsedArguments =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

export function parseArguments(argv: readonly string[]): ParsedArguments {
  let layout: Layout = 'numerator';
  let json = false;
  let mode: 'block' | 'math' = 'block';
  let source: string | undefined;
  let file: string | undefined;
  let at: string | undefined;
  let check = false;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string): string | null => {
      const eq = arg.indexOf('=');
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined) return null;
      i++;
      void name;
      return next;
    };
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--version') return { kind: 'version' };
    if (arg === '--json') json = true;
    else if (arg === '--math') mode = 'math';
    else if (arg === '--layout' || arg.startsWith('--layout=')) {
      const v = value('--layout');
      if (v === null) return { kind: 'error', message: '--layout needs a value: numerator, denominator or mixed.' };
      if (!isLayout(v)) return { kind: 'error', message: `unknown layout '${v}'; use numerator, denominator or mixed.` };
      layout = v;
    } else if (arg === '--file' || arg.startsWith('--file=')) {
      const v = value('--file');
      if (v === null) return { kind: 'error', message: '--file needs a path.' };
      file = v;
    } else if (arg === '--at' || arg.startsWith('--at=')) {
      const v = value('--at');
      if (v === null) return { kind: 'error', message: '--at needs a JSON file.' };
      at = v;
    } else if (arg === '--check') {
      check = true;
    } else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const v = value('--seed');
      if (v === null || !/^\d+$/.test(v)) return { kind: 'error', message: '--seed needs a whole number.' };
      seed = Number(v);
    } else if (arg.startsWith('--')) {
      return { kind: 'error', message: `unknown option ${arg}` };
    } else if (source === undefined) {
      source = arg;
    } else {
      return { kind: 'error', message: 'give the source as one argument (quote it), or pipe it on stdin.' };
    }
  }
  if (file !== undefined && source !== undefined) return { kind: 'error', message: 'give either SOURCE or --file, not both.' };
  return {
    kind: 'run',
    options: {
      layout,
      json,
      mode,
      ...(source !== undefined ? { source } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(at !== undefined ? { at } : {}),
      ...(check ? { check } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}

function dims(shape: readonly (number | string)[]): string {
  return shape.length === 0 ? 'scalar' : `(${shape.join(', ')})`;
}

/** 1-based line:column of a UTF-16 offset. */
export function position(source: string, offset: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return `${line}:${column}`;
}

export function formatCliText(source: string, r: Report): string {
  const lines: string[] = [];
  if (r.symbols.length > 0) {
    lines.push('Symbols:');
    // Names as the results print them (W⁽¹⁾, not the internal W^(1), which would read back as a power).
    for (const s of r.symbols) lines.push(`  ${nameOf(s.name, 'unicode').padEnd(10)} ${dims(s.shape).padEnd(16)} ${s.kind}`);
  }
  if (r.expressions.length > 0) {
    lines.push('Expressions:');
    for (const e of r.expressions) lines.push(`  ${e.text}  :  ${dims(e.shape)}${e.matrixShape ? `  [${e.matrixShape}]` : ''}`);
  }
  if (r.derivatives.length > 0) {
    lines.push('Derivatives:');
    for (const d of r.derivatives) {
      lines.push(`  ${d.request}  :  ${dims(d.shape)}${d.matrixShape ? `  [${d.matrixShape}]` : ''}  (${d.layout} layout)`);
      // Named sub-expressions follow the form that uses them: "where t₁ = …", then one per line.
      const where = (entries: string[]) => entries.forEach((e, k) => lines.push(`${k === 0 ? '        where ' : '              '}${e}`));
      if (d.text) {
        lines.push(`      = ${d.text}`);
        where((d.where ?? []).flatMap((w) => (w.text === null ? [] : [`${w.name} = ${w.text}`])));
      }
      if (d.index) {
        lines.push(`      ${d.index}`);
        where((d.where ?? []).map((w) => `${w.name}${w.indices.length ? `[${w.indices.join(',')}]` : ''} = ${w.index}`));
      }
      if (d.value !== undefined) lines.push(`      value ${JSON.stringify(d.value)}`);
      if (d.check) lines.push(`      check ${d.check.ok ? 'ok' : 'FAILED'}: max relative error ${d.check.maxRelError.toExponential(2)} (seed ${d.check.seed})`);
    }
  }
  if (r.claims && r.claims.length > 0) {
    lines.push('Claims:');
    for (const c of r.claims) {
      const verdict = c.unchecked
        ? `not checked: ${c.unchecked}`
        : c.holds
          ? `holds${c.assumption ? ` when ${c.assumption}` : ''}${c.layouts.length < 3 ? ` (in ${c.layouts.join(', ')} layout)` : ''}`
          : c.layouts.length > 0
            ? `holds only in ${c.layouts.join(' and ')} layout`
            : 'does NOT hold';
      lines.push(`  = ${c.text}  :  ${verdict}`);
    }
  }
  for (const d of r.diagnostics) {
    lines.push(`${position(source, d.start)}: ${d.severity} [${d.code}] ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}
