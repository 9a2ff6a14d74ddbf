/** The status bar item on articles: annotation count, per label in the tooltip; click to tag. */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { afterPaint, Pause } from '../common/scheduling';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';

export class AnnotationStatusBar extends Disposable {
  private readonly item = vscode.window.createStatusBarItem('misconduct.status', vscode.StatusBarAlignment.Right, 100);

  constructor(private readonly store: ArticleStore) {
    super();
    this.item.name = 'Misconduct Annotator';
    this.item.command = 'misconduct.tagSelection';
    this._register(vscode.Disposable.from(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // a change's count follows its highlight: sent with it, the item's update held back the
      // window's paint of the highlight (see common/scheduling.ts)
      store.onDidChangeSession((s) => {
        if (s.uri.toString() !== vscode.window.activeTextEditor?.document.uri.toString()) return;
        // (typing that only moves spans changes no count: updated at once, no round trip per key)
        if (s.doc.spanRevision !== this.drawnRevision.get(s)) this.updateSoon();
        else this.update();
      }),
    ));
    this.update();
  }

  /** Extra text other features add (e.g. agreement in compare mode). */
  suffix: ((session: ArticleSession) => string | undefined) | undefined;

  /** Extra Markdown for the tooltip from other features (e.g. what compare mode's κ means). */
  details: ((session: ArticleSession) => string | undefined) | undefined;

  /** Suggestions on offer for the article (the same number as the view's group and Accept All). */
  suggestionCount: ((session: ArticleSession) => number) | undefined;

  /** The session whose details (per-label counts, suggestions) are due, and when. */
  private detailsTimer: NodeJS.Timeout | undefined;

  /** The spans' revision each session's item was last updated for. */
  private readonly drawnRevision = new WeakMap<ArticleSession, number>();
  private updateDue = false;

  private updateSoon(): void {
    if (this.updateDue) return;
    this.updateDue = true;
    void afterPaint().then(() => {
      this.updateDue = false;
      if (!this.isDisposed) this.update();
    });
  }

  /**
   * Updates the item. The text (total and orphans) is O(1) and set at once; the tooltip's per-label
   * counts and the suggestions on offer cost a pass over the article's spans, so they follow once
   * the changes stop (Pause.details): a tag in an article of 50,000 spans is painted first.
   */
  update(): void {
    const editor = vscode.window.activeTextEditor;
    const session = editor && this.store.get(editor.document.uri);
    clearTimeout(this.detailsTimer);
    if (!session || session.state.kind === 'invalid') this.shown = { quick: '', full: '' };
    if (!session) {
      this.item.hide();
      return;
    }
    if (session.state.kind === 'invalid') {
      this.item.text = '$(error) Annotations';
      this.item.accessibilityInformation = { label: 'Misconduct annotations: invalid file' };
      this.item.tooltip = `The annotations file is not valid: ${session.state.error.problems[0]?.message ?? ''}\nClick to open it.`;
      this.item.command = { title: 'Open Sidecar', command: 'misconduct.openSidecar', arguments: [session.uri] };
      this.item.show();
      return;
    }
    this.drawnRevision.set(session, session.doc.spanRevision);
    this.render(session, this.suggested.get(session) ?? 0, undefined);
    this.detailsTimer = setTimeout(() => {
      this.detailsTimer = undefined;
      if (this.store.get(session.uri) !== session || vscode.window.activeTextEditor?.document !== session.document) return;
      const suggested = this.suggestionCount?.(session) ?? 0;
      this.suggested.set(session, suggested);
      this.render(session, suggested, session.doc.labelsInUse());
    }, Pause.details);
  }

  /** What the item shows now (text, per-label counts, details), to skip setting it again. */
  private shown = { quick: '', full: '' };

  /** The last suggestion count per session (shown until the next details pass). */
  private readonly suggested = new WeakMap<ArticleSession, number>();

  private render(session: ArticleSession, suggested: number, counts: Map<string, number> | undefined): void {
    const total = session.doc.size;
    const orphans = session.doc.orphanCount;
    const extra = this.suffix?.(session);
    const text = `$(tag) ${total}${orphans ? ` $(warning) ${orphans}` : ''}${suggested ? ` $(lightbulb) ${suggested}` : ''}${extra ? ` ${extra}` : ''}`;
    const details = counts && this.details?.(session);
    // a keystroke changes none of this, and setting the item anyway sends it to the workbench again:
    // the quick update is skipped while the text is the same, the details pass while nothing is new
    const quick = `${session.uri.toString()}\n${text}`;
    const full = JSON.stringify([quick, [...(counts ?? [])], details ?? null]);
    if (counts ? full === this.shown.full : quick === this.shown.quick) return;
    this.shown = { quick, full: counts ? full : '' };
    this.item.text = text;
    const md = new vscode.MarkdownString(`**${total} annotation${total === 1 ? '' : 's'}**${orphans ? ` (${orphans} orphaned)` : ''}\n\n`);
    if (counts) for (const [label, n] of [...counts].sort()) md.appendMarkdown(`- ${label}: ${n}\n`);
    if (suggested) md.appendMarkdown(`\n${suggested} suggestion${suggested === 1 ? '' : 's'} to review (Accept All Suggestions… adds them).\n`);
    if (details) md.appendMarkdown(`\n${details}\n`);
    md.appendMarkdown('\nClick to tag the selection.');
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `Misconduct annotations: ${total}${suggested ? `, ${suggested} suggestion${suggested === 1 ? '' : 's'}` : ''}` };
    this.item.command = 'misconduct.tagSelection';
    this.item.show();
  }

  override dispose(): void {
    clearTimeout(this.detailsTimer);
    super.dispose();
  }
}
