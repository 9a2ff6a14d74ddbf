/**
 * The messages between the Case record editor's webview (src/webview/caseRecord.ts) and the
 * extension (caseEditorPanel.ts), and the state they carry. Types only: imported by both sides.
 */
import type { FieldRow } from '../../../core/cases';

export type CaseEditorState =
  | { kind: 'none'; message: string }
  | {
      kind: 'case';
      id: string;
      title: string;
      /** The case's articles, in the order of the columns. */
      articles: string[];
      rows: FieldRow[];
      canUndo: boolean;
      canRedo: boolean;
      /** The last edit's outcome, or why it was refused, in one line. */
      status?: string;
    };

export type ToEditor = { type: 'state'; state: CaseEditorState };

export type FromEditor =
  | { type: 'ready' }
  | { type: 'take'; field: string; file: string }
  | { type: 'clear'; field: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'open'; file: string }
  | { type: 'cspViolation'; directive: string };
