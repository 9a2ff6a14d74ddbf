import * as vscode from 'vscode';

/** Reads ranges of a document by UTF-16 offsets: a span's quote, never a copy of the whole text. */
export function readerOf(doc: vscode.TextDocument): (start: number, end: number) => string {
  return (start, end) => doc.getText(new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
}

/** The document's length in UTF-16 units, without copying its text. */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}
