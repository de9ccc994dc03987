// Our extension is installed in the host and activates when a markdown document opens.
import * as assert from 'node:assert/strict';
import { openFixture, ourExtension, waitFor } from '../lib/vscode';

describe('activation', () => {
  it('is installed in the extension host', () => {
    assert.equal(ourExtension().packageJSON.name, 'tensor-derivatives');
  });

  it('activates when a markdown document is opened', async () => {
    const editor = await openFixture('notes.md');
    assert.equal(editor.document.languageId, 'markdown');
    const extension = ourExtension();
    await waitFor('the extension to activate', () => extension.isActive);
  });
});
