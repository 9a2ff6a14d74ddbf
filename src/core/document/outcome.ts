/** What following a text edit reports, to the document and to its caller. */
import { ReanchorReport } from '../reanchor';
import { ChangeReason } from '../spanIndex';
import { Span, TextChange } from './span';

/**
 * What an edit did to the spans it touched, kept so that the edit can be re-read as a change from
 * outside (see `repairAsExternal`): their records and their quotes before it.
 */
export interface EditTicket {
  readonly touched: ReadonlyArray<{ rec: unknown; quote: string; start: number; end: number; removed: boolean }>;
  readonly revision: number;
  /** The edit's changes and the touched spans' offsets before them (when the caller knew the text before). */
  readonly before?: { changes: readonly TextChange[]; spans: ReadonlyMap<string, readonly [number, number]> };
}

export interface TextChangeOptions {
  reason?: ChangeReason;
  /**
   * The text before this change, when the caller knows it (the file as saved, for a document that
   * was clean): a change from outside is then followed through a diff of the two texts.
   */
  previousText?: () => string | undefined;
}

export interface EditOutcome {
  /** Set when the edit touched spans (removed or changed them): see `repairAsExternal`. */
  ticket?: EditTicket;
  /** Spans whose whole text was deleted. */
  removed: Span[];
  /** Spans brought back because their deleted text was re-inserted (undo, paste back). */
  restored: Span[];
  /** Orphans placed again because their quote is found again. */
  reattached: Span[];
  /** Set when the change replaced the whole document and spans were re-anchored by quote. */
  reanchored?: ReanchorReport;
  /** Provisional re-attachments whose words the change reached: orphans again. */
  orphaned?: Span[];
}

/** What following an edit tells the document: the spans changed (or, `shifted`, only moved). */
export interface EditHost {
  changed(e: { labels: Set<string>; shifted?: boolean }): void;
  /** The document's revision (a ticket is good while it stays). */
  readonly revision: number;
}

/** An outcome whose report also counts spans moved before it was made. */
export function withMoved(outcome: EditOutcome, moved: number): EditOutcome {
  const report = outcome.reanchored;
  return report ? { ...outcome, reanchored: { ...report, moved: report.moved + moved } } : outcome;
}

