// The mutation corpus: real notes and real sources of the language, gathered
// from the repository (examples/*.md, the in-host test fixtures, the string
// literals of the syntax/shape/document unit tests — parse-table sources among
// them — and the derivative-identity corpus) and, when present, the seed
// documents in /work/shared/seeds/. Each document also contributes its tensor
// regions (```tensor blocks, math spans, @tensor comments) as separate
// entries, so mutations hit expressions more often than prose.
//
// The corpus is sorted and de-duplicated, so for a given checkout the fuzzers'
// inputs are a pure function of their seed.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { findRegions } from '../../../src/documents/regions';
import { IDENTITIES } from '../../unit/derive/corpus/identities';

/** The checkout: the nearest directory above the working directory with src/engine (mocha and npm scripts run from the root). */
function findRepoRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'engine'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const REPO_ROOT = findRepoRoot();
export const SEEDS_DIR = '/work/shared/seeds';

export interface CorpusEntry {
  /** Where it came from (file, or file#region). */
  readonly origin: string;
  readonly text: string;
  /** `markdown` or `typescript` for whole documents; `snippet` for language text. */
  readonly kind: 'markdown' | 'typescript' | 'snippet';
}

export interface Corpus {
  readonly entries: readonly CorpusEntry[];
  readonly documents: readonly CorpusEntry[];
  readonly snippets: readonly CorpusEntry[];
  /** Which seed documents were found (empty when /work/shared/seeds is absent). */
  readonly seeds: readonly string[];
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, test));
    else if (test(name)) out.push(path);
  }
  return out;
}

/** String literals (and template literals without substitutions) of a TypeScript file. */
export function stringLiterals(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Does a test string look like language text rather than a test title or an expected S-expression? */
function looksLikeSource(s: string): boolean {
  if (s.length < 2 || s.length > 4000) return false;
  if (s.startsWith('(') && /^\((decl|def|\*|\+|-|')\b/.test(s)) return false; // S-expressions
  if (/^[a-z][a-z -]+$/.test(s) && s.includes(' ') && !/[=:^\\]/.test(s)) return false; // prose titles
  return /[=:^\\'∂∇()\[\]]|\bd\/d|\bR\b/.test(s);
}

let cached: Corpus | null = null;

export function loadCorpus(): Corpus {
  if (cached) return cached;
  const documents: CorpusEntry[] = [];
  const snippets: CorpusEntry[] = [];
  const rel = (p: string) => {
    const r = relative(REPO_ROOT, p);
    return r === '' || r.startsWith('..') ? p : r;
  };

  const seeds = filesUnder(SEEDS_DIR, (n) => n.endsWith('.txt'));
  const docFiles = [
    ...seeds,
    ...filesUnder(join(REPO_ROOT, 'examples'), (n) => n.endsWith('.md')),
    ...filesUnder(join(REPO_ROOT, 'test', 'host', 'fixtures'), (n) => /\.(md|ts|js)$/.test(n)),
  ];
  for (const path of docFiles) {
    const text = readFileSync(path, 'utf8');
    const kind = /\.(ts|js)$/.test(path) ? 'typescript' : 'markdown';
    documents.push({ origin: rel(path), text, kind });
    for (const r of findRegions(text, kind)) {
      const body = text.slice(r.start, r.end);
      if (body.trim().length > 0) snippets.push({ origin: `${rel(path)}#${r.start}`, text: body, kind: 'snippet' });
    }
  }

  const testFiles = [
    ...filesUnder(join(REPO_ROOT, 'test', 'unit', 'syntax'), (n) => n.endsWith('.ts')),
    ...filesUnder(join(REPO_ROOT, 'test', 'unit', 'shape'), (n) => n.endsWith('.ts')),
    ...filesUnder(join(REPO_ROOT, 'test', 'unit', 'documents'), (n) => n.endsWith('.ts')),
    ...filesUnder(join(REPO_ROOT, 'test', 'unit', 'seeds'), (n) => n.endsWith('.ts')),
  ];
  for (const path of testFiles) {
    for (const s of stringLiterals(path)) if (looksLikeSource(s)) snippets.push({ origin: rel(path), text: s, kind: 'snippet' });
  }
  for (const id of IDENTITIES) snippets.push({ origin: `identities: ${id.name}`, text: id.source, kind: 'snippet' });

  const dedupe = (xs: CorpusEntry[]) => {
    const seen = new Set<string>();
    return xs
      .filter((x) => (seen.has(x.text) ? false : (seen.add(x.text), true)))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  };
  const d = dedupe(documents);
  const s = dedupe(snippets);
  cached = { entries: [...d, ...s], documents: d, snippets: s, seeds: seeds.map(rel) };
  return cached;
}
