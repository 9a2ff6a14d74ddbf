/** Moving between annotations, showing/hiding highlights, and the sidecar itself. */
import * as vscode from 'vscode';
import { Highlighter } from '../editor/highlighter';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../store/notifier';
import { Command, parseArgs } from './command';
import { shorten, Targets } from './target';
import { readerOf } from '../editor/documentText';

export class GoToAnnotationCommand implements Command {
  constructor(
    readonly id: string,
    private readonly targets: Targets,
    private readonly direction: 1 | -1,
  ) {}

  async execute(arg?: unknown): Promise<boolean> {
    const session = await this.targets.session(parseArgs(arg));
    if (!session) return false;
    const editor = this.targets.editor(session) ?? (await vscode.window.showTextDocument(session.document));
    const spans = session.doc.all().filter((s) => !s.orphaned);
    if (!spans.length) {
      void vscode.window.showInformationMessage(`${basename(session.uri)} has no annotations yet.`);
      return false;
    }
    const here = session.document.offsetAt(editor.selection.active);
    const next =
      this.direction > 0
        ? (spans.find((s) => s.start > here) ?? spans[0])
        : ([...spans].reverse().find((s) => s.start < here) ?? spans[spans.length - 1]);
    const doc = session.document;
    const range = new vscode.Range(doc.positionAt(next.start), doc.positionAt(next.end));
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }
}

export class RevealAnnotationCommand implements Command {
  readonly id = 'misconduct.revealAnnotation';
  constructor(private readonly targets: Targets) {}

  /** Opens the article and selects the annotation's text (sidebar clicks land here). */
  async execute(arg?: unknown): Promise<boolean> {
    const args = parseArgs(arg);
    const session = await this.targets.session(args);
    const span = session && args.id ? session.doc.get(args.id) : undefined;
    if (!session || !span) return false;
    const editor = await vscode.window.showTextDocument(session.document, { preserveFocus: false, preview: false });
    const doc = session.document;
    const range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }
}

export class ToggleHighlightsCommand implements Command {
  readonly id = 'misconduct.toggleHighlights';
  constructor(private readonly highlighter: Highlighter) {}

  execute(): boolean {
    this.highlighter.setVisible(!this.highlighter.highlightsVisible);
    return this.highlighter.highlightsVisible;
  }
}

export class OpenSidecarCommand implements Command {
  readonly id = 'misconduct.openSidecar';
  constructor(private readonly targets: Targets) {}

  async execute(arg?: unknown): Promise<void> {
    const session = await this.targets.session(parseArgs(arg));
    if (!session) return;
    try {
      await vscode.window.showTextDocument(session.sidecarUri, { viewColumn: vscode.ViewColumn.Beside });
    } catch {
      void vscode.window.showInformationMessage(`${basename(session.uri)} has no annotations file yet: it is written with the first annotation.`);
    }
  }
}

export class ReloadAnnotationsCommand implements Command {
  readonly id = 'misconduct.reloadAnnotations';
  constructor(
    private readonly targets: Targets,
    private readonly store: ArticleStore,
  ) {}

  async execute(arg?: unknown): Promise<void> {
    const session = await this.targets.session(parseArgs(arg));
    if (session) await this.store.reload(session);
  }
}

export class ListOrphansCommand implements Command {
  readonly id = 'misconduct.listOrphans';
  constructor(private readonly targets: Targets) {}

  async execute(arg?: unknown): Promise<number> {
    const session = await this.targets.session(parseArgs(arg));
    if (!session) return 0;
    const orphans = session.doc.orphans();
    if (!orphans.length) {
      void vscode.window.showInformationMessage(`${basename(session.uri)} has no orphaned annotations.`);
      return 0;
    }
    const pick = await vscode.window.showQuickPick(
      orphans.map((o) => ({ label: `${o.label}: ${shorten(o.text)}`, description: o.id, detail: 'Select the text where it belongs and choose it to re-attach; or remove it from the Annotations view.', span: o })),
      { placeHolder: `${orphans.length} orphaned annotation(s): their text was not found again after the article changed` },
    );
    if (!pick) return orphans.length;
    const editor = this.targets.editor(session);
    if (editor && !editor.selection.isEmpty) {
      const doc = session.document;
      // keeps the id (relations and merges hold it) and is one undo step
      session.doc.reattach(pick.span.id, readerOf(doc), doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end));
    }
    return orphans.length;
  }
}
