/**
 * The registry of sessions: an `ArticleSession` per open article, and the store's events. It
 * follows the user's edits; the parts do the rest: `SidecarLoader` loads a session's sidecar,
 * `SidecarWriter` writes it (queue, merge, conflict questions), and `DiskWatcher` follows sidecars
 * changed on disk and renamed articles. Every rule about what may be written is kept by them.
 *
 * The rules that keep a span from being lost or misplaced on disk:
 * - **One queue per article.** Every read, merge and write of a sidecar runs in the session's
 *   `WriteQueue`, one at a time; `flush`, renames and `deactivate` wait for it.
 * - **A write matches the saved text exactly.** A write job takes its snapshot (text, spans)
 *   synchronously when it starts, and writes only if the article's bytes on disk hash to that text.
 *   Otherwise (typing went on while auto-save wrote the file, or the file changed on disk) it writes
 *   nothing: the next save, or the reload, brings the next write. So a sidecar on disk always
 *   describes the article bytes its `sha256` names.
 * - **Never over another writer's change.** Just before writing, the job compares the sidecar on
 *   disk with the last text it read or wrote (our own recent writes are remembered, so their
 *   watcher events are never taken for someone else's). A change by someone else is merged by
 *   annotation id, all three sides re-anchored to the same text first; a real conflict waits for
 *   the user in a notification (never a modal: typing goes on), and nothing is written meanwhile.
 * - **External text changes re-anchor, never delete.** When the article changes on disk and
 *   VS Code reloads it, spans the reload touches are found again by quote and context, or kept
 *   orphaned; only the user deleting a span's text by hand removes it.
 */
import * as vscode from 'vscode';
import { AnnotationDocument, ChangeEvent, EditOutcome } from '../../core/annotationDocument';
import { Disposable } from '../common/dispose';
import { AfterPause, Pause } from '../common/scheduling';
import { Config } from '../config';
import { perfMark } from '../devProfile';
import { documentLength, readerOf } from '../common/documentText';
import { ArticleMatcher } from './articleMatcher';
import { ArticleSession, SessionEvents } from './articleSession';
import { DiskWatcher } from './diskWatcher';
import { FilePrefetch, sameAsRead } from './filePrefetch';
import { Notifier } from './notifier';
import { SidecarLoader, textMatchingDisk } from './sidecarLoader';
import { SidecarWriter } from './sidecarWriter';

export { articleUri } from './diskWatcher';
export type { SidecarPreview } from './sidecarLoader';

export class ArticleStore extends Disposable {
  private readonly sessions = new Map<string, ArticleSession>();
  private readonly loading = new Map<string, Promise<ArticleSession | undefined>>();
  /** Sessions of renamed articles, waiting for the document under the new name to open. */
  private readonly renamed = new Map<string, ArticleSession>();
  private readonly orphanRetry = this._register(new AfterPause<ArticleSession>(Pause.orphans));

  private readonly openedEmitter = this._register(new vscode.EventEmitter<ArticleSession>());
  /** A session was created (or reloaded from disk). */
  readonly onDidOpen = this.openedEmitter.event;
  private readonly closedEmitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidClose = this.closedEmitter.event;
  private readonly writtenEmitter = this._register(new vscode.EventEmitter<{ session: ArticleSession; outcome: string }>());
  /** A sidecar write finished (tests and views await this instead of sleeping). */
  readonly onDidWrite = this.writtenEmitter.event;
  private readonly annotationsEmitter = this._register(new vscode.EventEmitter<{ session: ArticleSession; change: ChangeEvent }>());
  /** A session's annotations changed (one subscription for all sessions: nothing piles up on reloads). */
  readonly onDidChangeAnnotations = this.annotationsEmitter.event;
  private readonly stateEmitter = this._register(new vscode.EventEmitter<ArticleSession>());
  /** A session's state or annotations changed (for views that show every article). */
  readonly onDidChangeSession = this.stateEmitter.event;

  /** Reads articles' files while the workbench opens them (see FilePrefetch). */
  readonly prefetch: FilePrefetch;
  private readonly writer: SidecarWriter;
  private readonly loader: SidecarLoader;
  private readonly watcher: DiskWatcher;
  /**
   * An article with a long sidecar is loading: its first spans can be painted now (the full load,
   * which fires `onDidOpen`, follows in a later task and draws what it holds).
   */
  readonly onDidPreview: SidecarLoader['onDidPreview'];

  constructor(
    private readonly config: Config,
    readonly matcher: ArticleMatcher,
    private readonly notify: Notifier,
  ) {
    super();
    const events: SessionEvents = {
      opened: (s) => this.openedEmitter.fire(s),
      changed: (s) => this.stateEmitter.fire(s),
      written: (session, outcome) => this.writtenEmitter.fire({ session, outcome }),
    };
    this.prefetch = this._register(new FilePrefetch((uri) => this.sessions.has(uri.toString()) || this.loading.has(uri.toString())));
    this.writer = new SidecarWriter(notify, events);
    this.loader = this._register(new SidecarLoader(notify, this.prefetch, this.writer));
    this.onDidPreview = this.loader.onDidPreview;
    this.watcher = this._register(
      new DiskWatcher(
        { get: (uri) => this.get(uri), all: () => this.all(), flush: (s) => this.flush(s), renamed: (target, s) => this.renamed.set(target.toString(), s) },
        this.loader,
        this.writer,
        events,
        notify,
      ),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((d) => void this.open(d)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.close(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onTextChanged(e)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => void this.onSaved(d)));
    this._register(
      config.onDidChange((e) => {
        if (e.affectsConfiguration('misconduct.author')) for (const s of this.sessions.values()) s.doc.setAuthor(config.author);
        if (e.affectsConfiguration('misconduct.articles')) for (const d of vscode.workspace.textDocuments) void this.open(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) void this.open(d);
  }

  get(uri: vscode.Uri): ArticleSession | undefined {
    return this.sessions.get(uri.toString());
  }

  all(): ArticleSession[] {
    return [...this.sessions.values()];
  }

  /** The session for a document, loading it if it is an article; undefined for other documents. */
  async open(document: vscode.TextDocument): Promise<ArticleSession | undefined> {
    const key = document.uri.toString();
    const existing = this.sessions.get(key);
    if (existing) return existing;
    if (!this.matcher.isArticle(document)) return undefined;
    let pending = this.loading.get(key);
    if (!pending) {
      perfMark('open: document seen');
      pending = this.load(document).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(document: vscode.TextDocument): Promise<ArticleSession | undefined> {
    const key = document.uri.toString();
    const moved = this.renamed.get(key);
    if (moved) {
      // a renamed article keeps its live session: no re-read, nothing lost in between
      this.renamed.delete(key);
      moved.document = document;
      this.sessions.set(key, moved);
      this.openedEmitter.fire(moved);
      this.stateEmitter.fire(moved);
      return moved;
    }
    const fileName = document.uri.path.split('/').pop() ?? 'article.txt';
    const session = new ArticleSession(document, new AnnotationDocument(fileName, this.config.author));
    // one listener per session, for its lifetime (reloads reuse it)
    session.doc.onDidChange((e) => {
      this.annotationsEmitter.fire({ session, change: e });
      if (!e.labels.size && !session.doc.dirty) return;
      this.stateEmitter.fire(session);
      if (session.doc.dirty && !session.document.isDirty) void this.requestWrite(session);
    });
    // the sidecar read ahead while the workbench opened the article: its preview paints at once
    const ahead = this.prefetch.peekSidecar(document.uri);
    const previewed = !!ahead && this.loader.preview(document, ahead);
    await session.queue.run(() => this.loader.readFromDisk(session, true, previewed));
    perfMark('open: loaded');
    if (document.isClosed) return undefined;
    this.sessions.set(key, session);
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
    return session;
  }

  private close(document: vscode.TextDocument): void {
    // a language change also "closes" and reopens a document; its annotations stay
    if (!document.isClosed) return;
    const key = document.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    if (session.document !== document) {
      // renamed: the session lives on under the new name
      this.closedEmitter.fire(document.uri);
      return;
    }
    void this.flush(session);
    this.orphanRetry.cancel(session);
    this.closedEmitter.fire(document.uri);
  }

  private onTextChanged(e: vscode.TextDocumentChangeEvent): void {
    const session = this.sessions.get(e.document.uri.toString());
    if (!session || !e.contentChanges.length) return;
    const document = e.document;
    const reason = e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : e.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : undefined;
    // VS Code reloading a file changed on disk (git checkout, pull, another program) looks, at this
    // moment, like the first keystroke after a save: the document says it is clean for both (it
    // learns it is dirty only after the event). So the change is followed as an edit by hand, and
    // remembered; the queue then compares the text with the file on disk, and when they are the
    // same it was a reload: the spans it touched are found again by quote instead (before any write).
    const maybeExternal = !document.isDirty && reason === undefined;
    const openedStamp = session.openedStamp;
    session.openedStamp = undefined;
    // filled in below, read by the job (which runs after this handler returns)
    const done: { outcome?: EditOutcome } = {};
    if (maybeExternal) {
      // queued before the change is applied, so it runs before any write the change asks for
      const version = document.version;
      void session.queue.run(async () => {
        // one copy of the text serves the comparison, the repair and the saved text (reports run to megabytes)
        const unchanged = document.version === version && !(openedStamp && (await sameAsRead(session.uri.fsPath, openedStamp)));
        const reloaded = unchanged ? await textMatchingDisk(session) : undefined;
        if (reloaded === undefined) {
          if (done.outcome?.removed.length) this.notify.removedByEdit(session, done.outcome.removed.length);
          return;
        }
        const ticket = done.outcome?.ticket;
        const repaired = ticket && session.doc.repairAsExternal(ticket, (s, e) => reloaded.slice(s, e), reloaded.length, session.savedText);
        // the reloaded text is the file on disk now
        session.savedText = reloaded;
        if (repaired?.reanchored) this.writer.reportReanchor(session, repaired.reanchored);
        if (session.pendingDiskSync) await this.watcher.syncWithDisk(session);
      });
    }
    // a clean document's text before the change is the file as last saved (a reload is then followed through a diff)
    const previousText = maybeExternal ? () => session.savedText : undefined;
    const outcome = (done.outcome = session.doc.applyTextChanges(e.contentChanges, readerOf(document), documentLength(document), { reason, previousText }));
    if (outcome.removed.length && !maybeExternal) this.notify.removedByEdit(session, outcome.removed.length);
    if (outcome.reattached.length) this.notify.reattached(session, outcome.reattached.length);
    if (outcome.reanchored) this.writer.reportReanchor(session, outcome.reanchored);
    if (session.doc.orphanCount) this.orphanRetry.run(session, () => this.writer.retryOrphans(session));
    // an article reverted or reloaded from disk is clean again: write what changed
    if (!document.isDirty && session.doc.dirty) void this.requestWrite(session);
  }

  private async onSaved(document: vscode.TextDocument): Promise<void> {
    const session = this.sessions.get(document.uri.toString()) ?? (await this.open(document));
    if (session) await this.requestWrite(session, true);
  }

  /**
   * Queues a write of the session's sidecar. Requests made while one is queued and not started
   * join it (its snapshot is taken when it starts, so it includes them).
   */
  requestWrite(session: ArticleSession, evenIfClean = false): Promise<void> {
    return this.writer.requestWrite(session, evenIfClean);
  }

  /** Lets every queued read and write of a session finish, then writes what is still pending. */
  flush(session: ArticleSession): Promise<void> {
    return this.writer.flush(session);
  }

  /** Flushes every open article (deactivate: VS Code waits for the promise). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.sessions.values(), ...this.renamed.values()].map((s) => this.flush(s)));
  }

  /** Writes the sidecar now (after whatever is queued), even when nothing changed. */
  write(session: ArticleSession): Promise<void> {
    return this.requestWrite(session, true);
  }

  /**
   * Writes the annotations the editor holds over a sidecar that is not valid on disk, when the
   * user asks (see SidecarWriter.writeBack).
   */
  writeBack(session: ArticleSession): Promise<'written' | 'not invalid' | 'unsaved' | 'failed'> {
    return this.writer.writeBack(session);
  }

  /** Reloads the sidecar of an article from disk (e.g. after the user fixed an invalid file). */
  async reload(session: ArticleSession): Promise<void> {
    await session.queue.run(() => this.loader.readFromDisk(session));
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
  }

  override dispose(): void {
    void this.flushAll();
    super.dispose();
  }
}
