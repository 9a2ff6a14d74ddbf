/** The status bar item on articles: annotation count, per label in the tooltip; click to tag. */
import * as vscode from 'vscode';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';

export class AnnotationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('misconduct.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: ArticleStore) {
    this.item.name = 'Misconduct Annotator';
    this.item.command = 'misconduct.tagSelection';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      store.onDidChangeSession((s) => {
        if (s.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) this.update();
      }),
    );
    this.update();
  }

  /** Extra text other features add (e.g. agreement in compare mode). */
  suffix: ((session: ArticleSession) => string | undefined) | undefined;

  /** Extra Markdown for the tooltip from other features (e.g. what compare mode's κ means). */
  details: ((session: ArticleSession) => string | undefined) | undefined;

  /** Suggestions on offer for the article (the same number as the view's group and Accept All). */
  suggestionCount: ((session: ArticleSession) => number) | undefined;

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const session = editor && this.store.get(editor.document.uri);
    if (!session) {
      this.item.hide();
      return;
    }
    if (session.state.kind === 'invalid') {
      this.item.text = '$(error) Annotations';
      this.item.accessibilityInformation = { label: 'Misconduct annotations: invalid file' };
      this.item.tooltip = `The annotations file is not valid: ${session.state.error.problems[0]?.message ?? ''}\nClick to open it.`;
      this.item.command = { title: 'Open Sidecar', command: 'misconduct.openSidecar', arguments: [session.uri] };
    } else {
      const counts = session.doc.labelsInUse();
      const total = session.doc.size;
      const orphans = session.doc.orphans().length;
      const extra = this.suffix?.(session);
      const suggested = this.suggestionCount?.(session) ?? 0;
      this.item.text = `$(tag) ${total}${orphans ? ` $(warning) ${orphans}` : ''}${suggested ? ` $(lightbulb) ${suggested}` : ''}${extra ? ` ${extra}` : ''}`;
      const md = new vscode.MarkdownString(`**${total} annotation${total === 1 ? '' : 's'}**${orphans ? ` (${orphans} orphaned)` : ''}\n\n`);
      for (const [label, n] of [...counts].sort()) md.appendMarkdown(`- ${label}: ${n}\n`);
      if (suggested) md.appendMarkdown(`\n${suggested} suggestion${suggested === 1 ? '' : 's'} to review (Accept All Suggestions… adds them).\n`);
      const details = this.details?.(session);
      if (details) md.appendMarkdown(`\n${details}\n`);
      md.appendMarkdown('\nClick to tag the selection.');
      this.item.tooltip = md;
      this.item.accessibilityInformation = { label: `Misconduct annotations: ${total}${suggested ? `, ${suggested} suggestion${suggested === 1 ? '' : 's'}` : ''}` };
      this.item.command = 'misconduct.tagSelection';
    }
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
