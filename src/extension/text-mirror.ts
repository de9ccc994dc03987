// The text of each analysed document's current version, kept up to date from
// change events instead of read with document.getText() after every edit.
//
// Why: the extension host keeps a document as an array of lines and joins
// them on every getText(): 8–10 ms for a 5 MB note, paid inside whichever
// task first reads a new version — usually the hover right after typing.
// Applying the event's edits to the previous text costs two slices and a
// concatenation (V8 flattens the result once, about 1 ms, when the scanner
// first reads it).
//
// Invariants: `textOf(document)` always returns the text of the document's
// current version. A mirrored text is used only when it was built from the
// text of the version just before, by that version's change event; anything
// else (a missed event, an event with no edits but a new version, overlapping
// edits) drops it and the next read calls getText(). Edits are applied from the
// last to the first, offsets into the text before the event (what VS Code
// sends), and a length check against the document catches a mismatch.

import type * as vscode from 'vscode';

interface Mirrored {
  readonly version: number;
  readonly text: string;
}

/** The parts of a TextDocument the mirror reads. */
export type MirroredDocument = Pick<vscode.TextDocument, 'uri' | 'version' | 'getText' | 'positionAt' | 'offsetAt'>;

export class TextMirror {
  private readonly texts = new Map<string, Mirrored>();
  /** How often a version's text came from the mirror and from getText() (for tests and the benchmark). */
  readonly counts = { mirrored: 0, read: 0 };

  /** The text of the document's current version. */
  textOf(document: MirroredDocument): string {
    const key = document.uri.toString();
    const held = this.texts.get(key);
    if (held && held.version === document.version) {
      this.counts.mirrored++;
      return held.text;
    }
    const text = document.getText();
    this.counts.read++;
    this.texts.set(key, { version: document.version, text });
    return text;
  }

  /** Applies a change event to the mirrored text of its document (if one is held). */
  changed(event: { readonly document: MirroredDocument; readonly contentChanges: readonly vscode.TextDocumentContentChangeEvent[] }): void {
    const { document } = event;
    const key = document.uri.toString();
    const held = this.texts.get(key);
    if (!held || held.version === document.version) return;
    if (document.version !== held.version + 1 || event.contentChanges.length === 0) {
      this.texts.delete(key);
      return;
    }
    // VS Code lists an event's edits from the last to the first (offsets into the text before
    // the event, so applying them in that order is also applying them one after the other).
    // Sorted again, because the event object is shared with other extensions; overlapping
    // edits cannot be applied this way and drop the mirror.
    const changes = [...event.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    let text = held.text;
    let limit = text.length;
    for (const c of changes) {
      if (c.rangeOffset < 0 || c.rangeOffset + c.rangeLength > limit) {
        this.texts.delete(key);
        return;
      }
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      limit = c.rangeOffset;
    }
    // The document's length, from its line index (positionAt clamps to the end): a cheap check
    // that catches edits applied at the wrong offsets in most cases.
    const length = document.offsetAt(document.positionAt(Number.MAX_SAFE_INTEGER));
    if (length !== text.length) {
      this.texts.delete(key);
      return;
    }
    this.texts.set(key, { version: document.version, text });
  }

  forget(document: Pick<vscode.TextDocument, 'uri'>): void {
    this.texts.delete(document.uri.toString());
  }
}
