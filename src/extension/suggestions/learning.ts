/**
 * The corpus the suggestions learn from: every sidecar in the workspace (read once, in the
 * background, and again when one changes on disk) and the live annotations of open articles (as
 * the user tags, accepts or rejects). The learning itself is core (src/core/learn.ts).
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { inSlices, Pause } from '../common/scheduling';
import { perfMark } from '../devProfile';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { onlyMovedSpans } from '../../core/annotationDocument';
import { PhraseLearner } from '../../core/learn';
import { SIDECAR_SUFFIX, parseSidecar, readSidecarText } from '../../core/sidecar';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';

export class CorpusLearning extends Disposable {
  readonly learner = new PhraseLearner();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** What was learned changed (debounced): suggestions of open articles should be recomputed. */
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private loading = false;
  private readonly pending = new Map<string, ArticleSession>();
  /** Open articles whose live annotations the learner has (keys of `pending` once read). */
  private readonly read = new Set<string>();
  private started = false;

  constructor(private readonly store: ArticleStore) {
    super();
    this._register(vscode.Disposable.from(
      // what an article teaches is its spans' texts and labels: a keystroke that only moves spans
      // teaches nothing new (re-reading 50,000 spans after every pause in typing is not free)
      store.onDidChangeAnnotations(({ session, change }) => !onlyMovedSpans(change) && this.fromSession(session)),
      // a session not yet learned from under its address (loaded late, renamed)
      store.onDidChangeSession((s) => !this.read.has(s.uri.toString()) && this.fromSession(s)),
      store.onDidOpen((s) => this.fromSession(s)),
      store.onDidClose((uri) => this.read.delete(uri.toString())),
    ));
  }

  /** Starts reading the workspace's sidecars and watching them (after activation: see extension.ts). */
  start(): void {
    if (this.started || this.isDisposed) return;
    this.started = true;
    const watcher = vscode.workspace.createFileSystemWatcher(`**/*${SIDECAR_SUFFIX}`);
    this._register(vscode.Disposable.from(
      watcher,
      watcher.onDidCreate((u) => void this.readSidecar(u)),
      watcher.onDidChange((u) => void this.readSidecar(u)),
      watcher.onDidDelete((u) => this.forget(articleKey(u))),
    ));
    void this.readAll();
  }

  /**
   * Reads every sidecar once, in small batches that yield to the extension host between them (a
   * workspace of 10,000 articles must not stall the views), and recomputes suggestions once at the end.
   */
  private async readAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles(`**/*${SIDECAR_SUFFIX}`, '**/node_modules/**');
    this.loading = true;
    try {
      for (let i = 0; i < uris.length; i += 25) {
        await Promise.all(uris.slice(i, i + 25).map((u) => this.readSidecar(u)));
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.isDisposed) return;
      }
    } finally {
      this.loading = false;
    }
    this.fire(); // also reads the sessions that changed meanwhile
  }

  private async readSidecar(uri: vscode.Uri): Promise<void> {
    const key = articleKey(uri);
    if (this.store.all().some((s) => s.uri.toString() === key)) return; // open: its live annotations count
    try {
      const json = await readSidecarText(vscodeFileSystem, uri.toString());
      if (json === undefined) return this.forget(key);
      const sidecar = parseSidecar(uri.fsPath, json);
      this.set(key, { annotations: sidecar.annotations, rejected: sidecar.rejected });
    } catch {
      this.forget(key); // unreadable or invalid: nothing learned from it (the Corpus view reports it)
    }
  }

  /** Noted now, read when the debounce fires: never inside the annotation document's own change event. */
  private fromSession(session: ArticleSession): void {
    this.pending.set(session.uri.toString(), session);
    this.fire();
  }

  /** Reads the pending sessions' annotations, in slices (a long report has 50,000). */
  private async readPending(): Promise<void> {
    const sessions = [...this.pending];
    this.pending.clear();
    for (const [key, session] of sessions) {
      if (this.store.get(session.uri) !== session || session.state.kind !== 'ok') continue;
      // (copies of this moment's lists: the article may change while they are counted)
      await inSlices(this.learner.setArticleSteps(key, { annotations: session.doc.all(), rejected: [...session.doc.rejected] }));
      this.read.add(key);
    }
  }

  /** The reads in order, one at a time: a later read of an article always lands after an earlier one. */
  private reading: Promise<void> = Promise.resolve();

  private set(key: string, labels: Parameters<PhraseLearner['setArticle']>[1]): void {
    this.learner.setArticle(key, labels);
    this.fire();
  }

  private forget(key: string): void {
    this.learner.setArticle(key, undefined);
    this.fire();
  }

  private fire(): void {
    if (this.loading) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reading = this.reading.then(async () => {
        perfMark('learning: read');
        await this.readPending();
        if (this.isDisposed) return;
        this.changed.fire();
        perfMark('learning: done');
      });
    }, Pause.typing);
  }

  override dispose(): void {
    clearTimeout(this.timer);
    super.dispose();
  }
}

function articleKey(sidecar: vscode.Uri): string {
  return sidecar.with({ path: sidecar.path.slice(0, -SIDECAR_SUFFIX.length) }).toString();
}
