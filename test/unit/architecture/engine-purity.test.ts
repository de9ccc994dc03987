// The engine is pure: no `vscode`, no DOM, no Node built-ins. This test reads
// every engine source file and fails on a forbidden import, so the layering
// cannot erode silently. (src/engine/tsconfig.json, with an ES-only lib and no
// ambient types, enforces the same for globals at type-check time.)

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const engineRoot = join(__dirname, '../../../src/engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('architecture: the engine is pure', () => {
  const files = sources(engineRoot);

  it('has engine sources to check', () => {
    assert.ok(files.length >= 8, `found only ${files.length} files`);
  });

  for (const file of files) {
    it(`${relative(engineRoot, file)} imports only engine modules`, () => {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? match[3]!;
        assert.ok(spec.startsWith('.'), `${relative(engineRoot, file)} imports '${spec}'; the engine may import only its own modules`);
        const target = join(file, '..', spec);
        assert.ok(target.startsWith(engineRoot), `${relative(engineRoot, file)} reaches outside src/engine via '${spec}'`);
      }
      assert.doesNotMatch(text, /\b(window|document|process|Buffer)\./, 'uses a DOM or Node global');
    });
  }
});
