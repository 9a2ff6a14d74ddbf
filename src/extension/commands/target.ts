/**
 * Finding what a command acts on: the article (from arguments or the active editor) and its
 * session, spans from selections (trimmed; the word under an empty cursor), and annotations under
 * the cursor.
 */
import * as vscode from 'vscode';
import { Span } from '../../core/annotationDocument';
import { trimRange, wordAt } from '../../core/annotations';
import { OffsetMap } from '../../core/offsets';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';
import { basename, shorten } from '../common/names';
import { AnnotationArgs, toUri } from './command';

export class Targets {
  constructor(private readonly store: ArticleStore) {}

  /** The article session the command is for, opening the document when only a uri is given. */
  async session(args: AnnotationArgs, quiet = false): Promise<ArticleSession | undefined> {
    const uri = toUri(args.uri) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      if (!quiet) void vscode.window.showInformationMessage('Open an article to annotate it.');
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    const session = await this.store.open(document);
    if (!session && !quiet) {
      void vscode.window.showInformationMessage(`${basename(uri)} is not an article (see the "misconduct.articles" setting).`);
    }
    return session;
  }

  /** The editor showing a session's document, if one is visible. */
  editor(session: ArticleSession): vscode.TextEditor | undefined {
    const key = session.uri.toString();
    const active = vscode.window.activeTextEditor;
    if (active?.document.uri.toString() === key) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  }

  /** UTF-16 ranges to tag: from code-point arguments, or every selection of the editor. */
  ranges(session: ArticleSession, args: AnnotationArgs): Array<[number, number]> {
    const doc = session.document;
    if (typeof args.start === 'number' && typeof args.end === 'number') {
      const map = new OffsetMap(doc.getText());
      const start = map.toUtf16(Math.max(0, Math.min(args.start, map.length)));
      const end = map.toUtf16(Math.max(0, Math.min(args.end, map.length)));
      return start < end ? [[start, end]] : [];
    }
    const editor = this.editor(session);
    if (!editor) return [];
    const out: Array<[number, number]> = [];
    for (const sel of editor.selections) {
      const start = doc.offsetAt(sel.start);
      const end = doc.offsetAt(sel.end);
      if (start === end) {
        // read only the line around the cursor: enough for a word, cheap on huge articles
        const line = doc.lineAt(sel.start.line);
        const lineStart = doc.offsetAt(line.range.start);
        const w = wordAt(line.text, start - lineStart);
        if (w) out.push([w[0] + lineStart, w[1] + lineStart]);
      } else {
        const text = doc.getText(new vscode.Range(sel.start, sel.end));
        const t = trimRange(text, 0, text.length);
        if (t) out.push([start + t[0], start + t[1]]);
      }
    }
    return out;
  }

  /** Annotations the command acts on: by id, at code-point args, or under the cursors/selections. */
  spans(session: ArticleSession, args: AnnotationArgs): Span[] {
    if (args.id) {
      const s = session.doc.get(args.id);
      return s ? [s] : [];
    }
    const doc = session.document;
    if (typeof args.start === 'number') {
      const map = new OffsetMap(doc.getText());
      const start = map.toUtf16(args.start);
      const end = typeof args.end === 'number' ? map.toUtf16(args.end) : start;
      return start === end ? session.doc.at(start) : session.doc.inRange(start, end);
    }
    const editor = this.editor(session);
    if (!editor) return [];
    const seen = new Map<string, Span>();
    for (const sel of editor.selections) {
      const start = doc.offsetAt(sel.start);
      const end = doc.offsetAt(sel.end);
      const hits = start === end ? session.doc.at(start) : session.doc.inRange(start, end);
      for (const s of hits) seen.set(s.id, s);
    }
    return [...seen.values()];
  }

  /** The one annotation under the cursor (innermost), asking when several overlap there. */
  async one(session: ArticleSession, args: AnnotationArgs, verb: string): Promise<Span | undefined> {
    const spans = this.spans(session, args);
    if (spans.length <= 1) {
      if (!spans.length) void vscode.window.showInformationMessage(`Put the cursor on an annotation to ${verb} it.`);
      return spans[0];
    }
    const pick = await vscode.window.showQuickPick(
      spans.map((s) => ({ label: s.label, description: shorten(s.text), span: s })),
      { placeHolder: `Several annotations overlap here: which one to ${verb}?` },
    );
    return pick?.span;
  }

  /** Whether the session accepts new annotations; says why not. */
  canEdit(session: ArticleSession): boolean {
    if (session.state.kind === 'invalid') {
      void vscode.window
        .showErrorMessage(`Fix the annotations file of ${basename(session.uri)} first: ${session.state.error.problems[0]?.message ?? ''}`, 'Open Sidecar')
        .then((c) => c && vscode.commands.executeCommand('misconduct.openSidecar', session.uri));
      return false;
    }
    if (session.state.kind === 'unreadable') {
      void vscode.window.showErrorMessage(`${basename(session.uri)} cannot be annotated: ${session.state.message}`);
      return false;
    }
    return true;
  }
}
