// The extension host's adapter (src/extension) takes the analysis core's
// values only through core() (src/extension/core.ts), which loads it on first
// use: a value import of the core's modules anywhere in the adapter would put
// them back into dist/extension.js and make activation compile them again.
// Type imports are free (erased). A few small modules the adapter needs at
// activation are allowed; each is listed with the reason.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const adapterRoot = join(__dirname, '../../../src/extension');

/** Modules outside src/extension the adapter may take values from at activation. */
const ALLOWED = new Map([
  ['vscode', 'the host API'],
  ['../documents/regions', 'the supported languages, for the document selector'],
  ['../documents/lru-cache', 'a small cache class'],
  ['../engine/shape/layout', 'layout names, for settings and the panel'],
  ['../panel/protocol', "the webview messages' types and validation"],
]);

/** Value imports (not `import type`) with their module specifier. */
const VALUE_IMPORT = /^import\s+(?!type\s)[^;]*?from\s*['"]([^'"]+)['"]/gms;

describe('architecture: the extension loads the analysis core on first use', () => {
  const files = readdirSync(adapterRoot).filter((f) => f.endsWith('.ts'));

  it('has adapter sources to check', () => {
    assert.ok(files.includes('extension.ts') && files.includes('core.ts'), `found ${files.join(', ')}`);
  });

  for (const file of files) {
    it(`${file} takes values only from the adapter, core() and the allowed modules`, () => {
      const text = readFileSync(join(adapterRoot, file), 'utf8');
      for (const match of text.matchAll(VALUE_IMPORT)) {
        const spec = match[1]!;
        if (spec.startsWith('./')) continue;
        assert.ok(ALLOWED.has(spec), `${file} imports values from '${spec}': take them through core() (src/extension/core.ts), or import only types`);
      }
      if (file !== 'core.ts') assert.doesNotMatch(text, /require\(/, `${file} requires a module itself; the core is loaded only by core.ts`);
    });
  }

  it('core.ts loads the core with a require the build can map to dist/core.js', () => {
    const text = readFileSync(join(adapterRoot, 'core.ts'), 'utf8');
    assert.match(text, /require\('\.\.\/core\/index'\)/);
    assert.doesNotMatch(text, /^import\s+(?!type\s)[^;]*?from\s*['"]\.\.\/core/m, 'core.ts imports the core statically');
  });
});
