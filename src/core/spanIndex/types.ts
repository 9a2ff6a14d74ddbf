/** The shapes a `SpanIndex` takes and gives, shared by its parts. */

/** Why a change happened, as VS Code's `TextDocumentChangeEvent.reason` says (undefined: an ordinary edit). */
export type ChangeReason = 'undo' | 'redo' | undefined;

/** One text change as VS Code reports it (structurally `vscode.TextDocumentContentChangeEvent`). */
export interface ContentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** A span as the index reports it: the payload and its current offsets (the index owns the offsets). */
export interface SpanEntry<T> {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly value: T;
}

export interface EditResult<T> {
  /**
   * The event replaced (nearly) the whole document, e.g. a formatter. Nothing was applied: the
   * caller re-anchors by quote (`reanchorAnnotations`) against the new text and calls `reset`.
   */
  needsReanchor: boolean;
  /** Spans whose whole text was deleted, with their offsets just before the change that removed them. */
  removed: SpanEntry<T>[];
  /** Spans brought back because an inverse change (undo) re-inserted their text; final offsets. */
  restored: SpanEntry<T>[];
  /** Spans whose text changed (an edit inside or overlapping them), with final offsets: refresh their quotes. */
  edited: SpanEntry<T>[];
}

export interface SpanIndexOptions<T> {
  /**
   * The span's quote as last known. With it, an undo restores a removed span only when the
   * re-inserted text holds that quote at the span's place; without it the geometry alone decides.
   */
  quoteOf?: (value: T) => string | undefined;
  /** Length of the document, if known: then `applyChanges` can tell a whole-document replacement. */
  documentLength?: number;
  /** A change deleting at least this fraction of the document and inserting text means "re-anchor". Default 0.9. */
  wholeDocumentFraction?: number;
  /** Events remembered for undo (oldest dropped first). Default 1000; 0 turns undo recognition off. */
  stashLimit?: number;
}
