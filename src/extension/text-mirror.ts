// The text of each analysed document's current version, kept up to date from
// change events instead of read with document.getText() after every edit.
//
// Why: the extension host keeps a document as an array of lines and joins
// them on every getText(): 8–10 ms for a 5 MB note, paid inside whichever
// task first reads a new version — usually the hover right after typing.
// Applying the event's edits to the previous text costs two slices and a
// concatenation. The result is a rope, which V8 copies into one string the
// first time anything reads it: 15–20 ms for a 5 MB note on a slow machine.
// For long texts that copy is made in a timer task of its own right after the
// edit (`flattenSoon`), so that a hover right after typing does not pay it.
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

/**
 * Reads lines [fromLine, toLine) of a document, each with its line break; a `toLine` past the last
 * line reads to the end. (The extension passes `document.getText(new vscode.Range(fromLine, 0,
 * toLine, 0))`, which VS Code clamps to the end of the document and builds from those lines only.)
 */
export type LineReader = (document: MirroredDocument, fromLine: number, toLine: number) => string;

/** Texts of at least this many characters are flattened in a task of their own after an edit (see `flattenSoon`). */
export const FLATTEN_AHEAD_MIN_CHARS = 1_000_000;

/** Documents of at least this many lines are read a range at a time the first time (see `readJob`). */
export const SLICED_READ_MIN_LINES = 20_000;
/** Lines per range of a sliced read (a few hundred kilobytes of a typical note). */
const READ_LINES = 5_000;

/**
 * The first read of a long document, a range of lines at a time: one getText() joins all of its
 * lines in a single task (33 ms for a 5 MB note on a slow machine), which blocked the extension
 * host longer than any analysis slice. `step` reads ranges until the deadline and, when it has
 * read the last, hands the text to the mirror. A job whose document changed version stops
 * without a result (the next version starts over).
 */
export class TextReadJob {
  private readonly chunks: string[] = [];
  private line = 0;
  private readonly version: number;

  constructor(
    private readonly mirror: TextMirror,
    private readonly document: MirroredDocument,
    private readonly lineCount: number,
    private readonly read: LineReader,
  ) {
    this.version = document.version;
  }

  /** Reads ranges until `deadline`; true when the text is in the mirror (or the document changed, so there is nothing left to read). */
  step(deadline: number, now: () => number): boolean {
    if (this.document.version !== this.version) return true;
    do {
      const to = this.line + READ_LINES;
      this.chunks.push(this.read(this.document, this.line, to));
      this.line = to;
      if (this.line >= this.lineCount) {
        this.mirror.adopt(this.document, this.version, this.chunks.join(''));
        return true;
      }
    } while (now() < deadline);
    return false;
  }
}

export class TextMirror {
  private readonly texts = new Map<string, Mirrored>();
  /** Pending `flattenSoon` tasks, by document. */
  private readonly flattening = new Map<string, ReturnType<typeof setTimeout>>();
  /** A character read to flatten a text (kept so the read is not an unused expression). */
  private flattenedProbe = 0;
  /** How often a version's text came from the mirror and from getText() (for tests and the benchmark). */
  readonly counts = { mirrored: 0, read: 0, flattened: 0 };

  /**
   * A job reading the document's text a range of lines at a time, when the mirror does not hold
   * its current version and it is long enough to be worth it; otherwise null (`textOf` reads it).
   */
  readJob(document: MirroredDocument & { readonly lineCount?: number }, read: LineReader | undefined): TextReadJob | null {
    const held = this.texts.get(document.uri.toString());
    if (!read || (held && held.version === document.version)) return null;
    const lineCount = document.lineCount;
    if (lineCount === undefined || lineCount < SLICED_READ_MIN_LINES) return null;
    return new TextReadJob(this, document, lineCount, read);
  }

  /** Holds `text` as the document's text at `version` (a finished TextReadJob), if that is still its version. */
  adopt(document: MirroredDocument, version: number, text: string): void {
    if (document.version !== version) return;
    this.counts.read++;
    this.texts.set(document.uri.toString(), { version, text });
  }

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
    if (text.length >= FLATTEN_AHEAD_MIN_CHARS) this.flattenSoon(key, document.version);
  }

  forget(document: Pick<vscode.TextDocument, 'uri'>): void {
    const key = document.uri.toString();
    this.texts.delete(key);
    clearTimeout(this.flattening.get(key));
    this.flattening.delete(key);
  }

  /**
   * Reads one character of the version's text in a timer task, if it is still the held version: the
   * read makes V8 copy the rope the edit built into one string (in place), which every later reader
   * then finds done. A newer version before the task drops it (its own edit schedules another).
   */
  private flattenSoon(key: string, version: number): void {
    clearTimeout(this.flattening.get(key));
    this.flattening.set(
      key,
      setTimeout(() => {
        this.flattening.delete(key);
        const held = this.texts.get(key);
        if (held && held.version === version) {
          this.flattenedProbe ^= held.text.charCodeAt(0);
          this.counts.flattened++;
        }
      }, 0),
    );
  }
}
