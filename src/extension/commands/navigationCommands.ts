/** Moving between annotations, showing/hiding highlights, and the sidecar itself. */
import * as vscode from 'vscode';
import { Highlighter } from '../editor/highlighter';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../common/names';
import { ArticleSession } from '../store/articleSession';
import { ArticleCommand } from './articleCommand';
import { AnnotationArgs, Command } from './command';
import { shorten } from '../common/names';
import { Targets } from './target';
import { readerOf } from '../common/documentText';

export class GoToAnnotationCommand extends ArticleCommand<AnnotationArgs, boolean> {
  protected readonly none = false;
  protected override readonly edits = false;
  constructor(
    readonly id: string,
    targets: Targets,
    private readonly direction: 1 | -1,
  ) {
    super(targets);
  }

  protected async run(session: ArticleSession): Promise<boolean> {
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

export class RevealAnnotationCommand extends ArticleCommand<AnnotationArgs, boolean> {
  readonly id = 'misconduct.revealAnnotation';
  protected readonly none = false;
  protected override readonly edits = false;

  /** Opens the article and selects the annotation's text (sidebar clicks land here). */
  protected async run(session: ArticleSession, args: AnnotationArgs): Promise<boolean> {
    const span = args.id ? session.doc.get(args.id) : undefined;
    if (!span) return false;
    const editor = await vscode.window.showTextDocument(session.document, { preserveFocus: false, preview: false });
    const doc = session.document;
    const range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    // the editor, not the view that was clicked, takes the keys that follow (Ctrl+Alt+2 to relabel,
    // typing): showTextDocument focuses it, but in a full e2e run the clicked tree sometimes kept
    // the focus (2 runs of 3), so it is asked once more
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
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

export class OpenSidecarCommand extends ArticleCommand<AnnotationArgs, void> {
  readonly id = 'misconduct.openSidecar';
  protected readonly none = undefined;
  // opening the file is how an invalid one gets fixed
  protected override readonly edits = false;

  protected async run(session: ArticleSession): Promise<void> {
    try {
      await vscode.window.showTextDocument(session.sidecarUri, { viewColumn: vscode.ViewColumn.Beside });
    } catch {
      void vscode.window.showInformationMessage(`${basename(session.uri)} has no annotations file yet: it is written with the first annotation.`);
    }
  }
}

/** A command on an article's sidecar file itself: it runs while the sidecar is invalid, being how one is fixed. */
abstract class SidecarFileCommand<R> extends ArticleCommand<AnnotationArgs, R> {
  protected override readonly edits = false;
  constructor(
    targets: Targets,
    protected readonly store: ArticleStore,
  ) {
    super(targets);
  }
}

export class ReloadAnnotationsCommand extends SidecarFileCommand<void> {
  readonly id = 'misconduct.reloadAnnotations';
  protected readonly none = undefined;

  protected async run(session: ArticleSession): Promise<void> {
    await this.store.reload(session);
  }
}

/** Writes the annotations the editor holds over a sidecar that became invalid on disk (asked for). */
export class WriteBackAnnotationsCommand extends SidecarFileCommand<string> {
  readonly id = 'misconduct.writeBackAnnotations';
  protected readonly none = 'no article';

  protected async run(session: ArticleSession): Promise<string> {
    const outcome = await this.store.writeBack(session);
    if (outcome === 'unsaved') void vscode.window.showWarningMessage(`Save ${basename(session.uri)} first: the annotations are written for the article as saved.`);
    if (outcome === 'not invalid') void vscode.window.showInformationMessage(`The annotations of ${basename(session.uri)} on disk are valid: nothing to write back.`);
    return outcome;
  }
}

export class ListOrphansCommand extends ArticleCommand<AnnotationArgs, number> {
  readonly id = 'misconduct.listOrphans';
  protected readonly none = 0;
  protected override readonly edits = false;

  protected async run(session: ArticleSession): Promise<number> {
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
    // listing reads; re-attaching edits, so it asks what every editing command asks first
    if (editor && !editor.selection.isEmpty && this.targets.canEdit(session)) {
      const doc = session.document;
      // keeps the id (relations and merges hold it) and is one undo step
      session.doc.reattach(pick.span.id, readerOf(doc), doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end));
    }
    return orphans.length;
  }
}
