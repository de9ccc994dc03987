// The fast region scanner (regions.ts: jumps between candidate lines and
// characters) finds exactly the regions the straightforward character-by-
// character scanner finds, on random documents built from the fragments that
// matter to it: fences of both kinds and lengths, indentation, math delimiters,
// code spans, escapes, blank lines and CRLF.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { findRegions } from '../../../src/documents/regions';
import { referenceMarkdownRegions } from '../../support/reference-regions';

const FRAGMENTS = [
  '```tensor\n', '```\n', '````\n', '~~~ tensor\n', '~~~\n', '   ```tensor\n', '    ```\n', '```python\n', '``` \n',
  '$', '$$', ' $', '$ ', '$1', '\\$', '\\(', '\\)', '\\[', '\\]', '`', '``', '\\',
  'x', 'x^2', ' ', '\n', '\n\n', '\r\n', 'd/dx (x^T A x)', 'a: R^n', '\t',
];

const documentArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));

describe('documents: the fast region scanner agrees with the reference scanner', () => {
  it('on 5,000 random markdown documents', () => {
    fc.assert(
      fc.property(documentArb, (text) => {
        assert.deepEqual(findRegions(text, 'markdown'), referenceMarkdownRegions(text));
      }),
      { seed: 4242, numRuns: 5000 },
    );
  });
});
