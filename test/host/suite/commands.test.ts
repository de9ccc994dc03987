// Every command in package.json is registered, and the document analysis runs cleanly.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { contributedCommands, openFixture, ourExtension } from '../lib/vscode';

describe('commands', () => {
  before(async () => {
    await ourExtension().activate();
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = contributedCommands();
    assert.ok(contributed.includes('tensorDerivatives.analyzeDocument'));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
      'contributed commands that no code registers',
    );
  });

  it('runs tensorDerivatives.analyzeDocument on a markdown note without throwing', async () => {
    await openFixture('notes.md');
    await vscode.commands.executeCommand('tensorDerivatives.analyzeDocument');
  });
});
