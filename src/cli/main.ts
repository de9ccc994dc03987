// `tensor-deriv`: the engine on the command line. A thin adapter: it reads the
// source (argument, file or stdin), calls the pure engine and prints either
// readable text or one JSON object.
//
// Exit codes: 0 without error diagnostics, 1 with, 2 on usage errors.

import { readFileSync } from 'node:fs';
import { formatCliText, parseArguments, USAGE, type CliOptions } from './args';
import { analyze, hasErrors, report } from '../engine/analyze';

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

export function run(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void; stdin: () => string }): number {
  const parsed = parseArguments(argv);
  if (parsed.kind === 'error') {
    io.err(`tensor-deriv: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'version') {
    io.out(`${typeof __VERSION__ === 'string' ? __VERSION__ : 'development'}\n`);
    return 0;
  }
  const options: CliOptions = parsed.options;
  let source: string;
  if (options.file !== undefined) {
    try {
      source = readFileSync(options.file, 'utf8');
    } catch (e) {
      io.err(`tensor-deriv: cannot read ${options.file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  } else if (options.source === undefined || options.source === '-') {
    source = io.stdin();
  } else {
    source = options.source;
  }
  let at: Record<string, unknown> | undefined;
  if (options.at !== undefined) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(options.at, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the file must hold one JSON object: name → value');
      at = parsed as Record<string, unknown>;
    } catch (e) {
      io.err(`tensor-deriv: cannot use --at ${options.at}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const analysis = analyze(source, { layout: options.layout, mode: options.mode });
  const result = report(analysis, {
    ...(at ? { at } : {}),
    ...(options.check ? { check: true } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  if (options.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(formatCliText(source, result));
  return hasErrors(analysis) || result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

declare const __VERSION__: string;

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdin: readStdin,
  });
}
