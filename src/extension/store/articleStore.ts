/**
 * Owns an `ArticleSession` per open article: loads sidecars, follows edits, writes sidecars on save
 * (and on annotation changes to a clean article), reloads or merges sidecars changed on disk, and
 * moves a sidecar when its article is renamed. Every rule about what may be written lives here.
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
import * as fsp from 'node:fs/promises';
import { PAINT_MS, windowHasMessages } from '../afterPaint';
import { perfMark } from '../devProfile';
import { FilePrefetch, FileStamp, readIdentified, sameAsRead } from './filePrefetch';
import * as vscode from 'vscode';
import { FileSystem } from '../../core/fileSystem';
import { AnnotationDocument, ChangeEvent, EditOutcome } from '../../core/annotationDocument';
import { ArticleDecodeError, checkArticle, decodeArticle, hasBom, sha256Hex } from '../../core/article';
import { mergeSidecars } from '../../core/merge';
import { ReanchorReport } from '../../core/reanchor';
import { PreviewSpan, previewSpans, sidecarHead } from '../../core/sidecarPreview';
import { Sidecar } from '../../core/schema';
import {
  decodeSidecar,
  isSidecarPath,
  parseSidecar,
  readSidecarBytes,
  readSidecarText,
  reconcileWithArticle,
  serializeSidecar,
  SidecarError,
  PreviousText,
  SidecarProtectedError,
  writeFileAtomic,
  writeSidecar,
} from '../../core/sidecar';
import { Config } from '../config';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleMatcher } from './articleMatcher';
import { ArticleSession } from './articleSession';
import { Notifier } from './notifier';
import { documentLength, readerOf } from '../editor/documentText';

/** Orphans are tried again this long after typing stops (and always before a write). */
const ORPHAN_RETRY_MS = 400;

/**
 * How long a write waits after the change that asked for it, so the window paints the change first:
 * writing a sidecar of 50,000 spans keeps the extension host busy for a few hundred milliseconds,
 * and on a two-core machine that competes with the window for the processor. A frame or two is not
 * enough under load (measured: the tag's paint came after the write started); 100 ms is.
 */
const WRITE_AFTER_PAINT_MS = 100;

/**
 * An article with this many spans waits longer before its sidecar is written: the write (read the
 * files, serialise 50,000 spans, write 15 MB) keeps the extension host busy for about half a second,
 * which on two cores slowed the typing that usually follows a tag (measured: keystroke paints 1.8×
 * the floor's while it ran). Typing makes the article unsaved, and then the save writes instead.
 */
const LARGE_SIDECAR_SPANS = 10_000;
const LARGE_WRITE_AFTER_MS = 1000;

export class ArticleStore implements vscode.Disposable {
  private readonly sessions = new Map<string, ArticleSession>();
  private readonly loading = new Map<string, Promise<ArticleSession | undefined>>();
  /** Sessions of renamed articles, waiting for the document under the new name to open. */
  private readonly renamed = new Map<string, ArticleSession>();
  private readonly orphanTimers = new Map<ArticleSession, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Reads articles' files while the workbench opens them (see FilePrefetch). */
  readonly prefetch: FilePrefetch;

  private readonly openedEmitter = new vscode.EventEmitter<ArticleSession>();
  /** A session was created (or reloaded from disk). */
  readonly onDidOpen = this.openedEmitter.event;
  private readonly closedEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidClose = this.closedEmitter.event;
  private readonly writtenEmitter = new vscode.EventEmitter<{ session: ArticleSession; outcome: string }>();
  /** A sidecar write finished (tests and views await this instead of sleeping). */
  readonly onDidWrite = this.writtenEmitter.event;
  private readonly annotationsEmitter = new vscode.EventEmitter<{ session: ArticleSession; change: ChangeEvent }>();
  /** A session's annotations changed (one subscription for all sessions: nothing piles up on reloads). */
  readonly onDidChangeAnnotations = this.annotationsEmitter.event;
  private readonly previewEmitter = new vscode.EventEmitter<SidecarPreview>();
  /**
   * An article with a long sidecar is loading: its first spans can be painted now (the full load,
   * which fires `onDidOpen`, follows in a later task and draws what it holds).
   */
  readonly onDidPreview = this.previewEmitter.event;
  private readonly stateEmitter = new vscode.EventEmitter<ArticleSession>();
  /** A session's state or annotations changed (for views that show every article). */
  readonly onDidChangeSession = this.stateEmitter.event;

  constructor(
    private readonly config: Config,
    readonly matcher: ArticleMatcher,
    private readonly notify: Notifier,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.open(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.close(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onTextChanged(e)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.onSaved(d)),
      // everything about a rename happens before it: pending writes land, the sidecar moves
      vscode.workspace.onWillRenameFiles((e) => e.waitUntil(this.beforeRename(e.files))),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('misconduct.author')) for (const s of this.sessions.values()) s.doc.setAuthor(config.author);
        if (e.affectsConfiguration('misconduct.articles')) for (const d of vscode.workspace.textDocuments) void this.open(d);
      }),
      this.openedEmitter,
      this.closedEmitter,
      this.writtenEmitter,
      this.annotationsEmitter,
      this.stateEmitter,
      this.previewEmitter,
    );
    this.prefetch = new FilePrefetch((uri) => this.sessions.has(uri.toString()) || this.loading.has(uri.toString()));
    this.disposables.push(this.prefetch);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.annotations.json');
    this.disposables.push(
      watcher,
      watcher.onDidChange((u) => void this.onSidecarChangedOnDisk(u)),
      watcher.onDidCreate((u) => void this.onSidecarChangedOnDisk(u)),
      watcher.onDidDelete((u) => void this.onSidecarDeleted(u)),
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
      if (session.doc.dirty && !session.document.isDirty) this.requestWrite(session);
    });
    // the sidecar read ahead while the workbench opened the article: its preview paints at once
    const ahead = this.prefetch.peekSidecar(document.uri);
    const previewed = !!ahead && this.preview(document, ahead);
    await session.queue.run(() => this.readFromDisk(session, true, previewed));
    perfMark('open: loaded');
    if (document.isClosed) return undefined;
    this.sessions.set(key, session);
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
    return session;
  }

  /** The sha256 of the bytes the live text (the document's text now) is, or will be, saved as. */
  private liveSha(session: ArticleSession, text: string): string {
    // every write after a tag hashes the same text again (5 MB: tens of milliseconds): a tag does
    // not change the document's version, so the hash is kept for it (text length and BOM checked too)
    const key = { document: session.document, version: session.document.version, length: text.length, bom: session.hasBom };
    const last = this.shas.get(session);
    if (last && last.document === key.document && last.version === key.version && last.length === key.length && last.bom === key.bom) return last.sha;
    const sha = sha256Hex(encode(text, session.hasBom));
    this.shas.set(session, { ...key, sha });
    return sha;
  }

  /** The last live-text hash per session, with the document version it is for. */
  private readonly shas = new WeakMap<ArticleSession, { document: vscode.TextDocument; version: number; length: number; bom: boolean; sha: string }>();

  /**
   * Loads (or reloads) the sidecar for a session from disk and reconciles it with the live text.
   * Runs in the session's queue.
   */
  /**
   * Paints the top of a long sidecar's article from the file's head (see sidecarPreview.ts); false
   * when the sidecar is short enough to load at once.
   */
  private preview(document: vscode.TextDocument, bytes: Uint8Array): boolean {
    if (bytes.length < PREVIEW_MIN_BYTES) return false;
    const head = sidecarHead(bytes);
    this.previewEmitter.fire({ uri: document.uri, spansUpTo: (upTo) => previewSpans(head, textPrefix(document, upTo + PREVIEW_SLACK), upTo) });
    perfMark('open: preview sent');
    return true;
  }

  private async readFromDisk(session: ArticleSession, preview = false, previewed = false): Promise<void> {
    const { document } = session;
    const untitled = document.uri.scheme === 'untitled';
    // the article's bytes (for its BOM and encoding) and the sidecar are read at the same time, from
    // the local disk when the extension host has it (no round trip through the workbench)
    // (or were read while the workbench was still reading the article: see FilePrefetch)
    const early = preview && !untitled ? await this.prefetch.take(document.uri) : undefined;
    const [read, sidecar]: [PromiseSettledResult<ArticleBytes | undefined>, PromiseSettledResult<Uint8Array | undefined>] = early
      ? [{ status: 'fulfilled', value: { bytes: early.article, stamp: early.articleStamp } }, { status: 'fulfilled', value: early.sidecar }]
      : await Promise.allSettled([
          untitled ? Promise.resolve(undefined) : readArticle(document.uri),
          untitled ? Promise.resolve(undefined) : readSidecarBytes(fastFileSystem, session.sidecarUri.toString()),
        ]);
    const article: PromiseSettledResult<Uint8Array | undefined> = read.status === 'fulfilled' ? { status: 'fulfilled', value: read.value?.bytes } : read;
    // (the first load only: see openedStamp)
    if (preview) session.openedStamp = read.status === 'fulfilled' && !document.isDirty ? read.value?.stamp : undefined;
    if (article.status === 'fulfilled' && article.value) {
      session.hasBom = hasBom(article.value);
      try {
        checkArticle(article.value);
      } catch (err) {
        if (!(err instanceof ArticleDecodeError)) throw err;
        session.state = { kind: 'unreadable', message: err.message };
        this.notify.unreadable(session, err.message);
        return;
      }
    } // else deleted or not yet saved: treat as new
    if (sidecar.status === 'rejected') {
      this.notify.error(`Could not read ${session.sidecarUri.fsPath}: ${(sidecar.reason as Error).message}`);
      return;
    }
    const bytes = sidecar.value;
    perfMark('open: files read');
    // a long sidecar takes hundreds of milliseconds to decode, parse, check and index: the top of
    // the article is painted from its first spans before that (from the file's head alone), and
    // the load runs once the window has the preview and time to paint it (see afterPaint.ts)
    if (preview && bytes !== undefined && (previewed || this.preview(document, bytes))) {
      await windowHasMessages(PAINT_MS);
      perfMark('open: window has the preview');
      if (document.isClosed) return;
    }
    let json: string | undefined;
    try {
      json = bytes && decodeSidecar(session.sidecarUri.fsPath, bytes);
    } catch (err) {
      this.notify.error(`Could not read ${session.sidecarUri.fsPath}: ${(err as Error).message}`);
      return;
    }
    // from here on synchronous: the text and the sidecar are taken at the same moment
    const text = document.getText();
    session.savedText = document.isDirty ? undefined : text;
    session.diskText = json;
    session.conflict = undefined;
    session.pendingDiskSync = false;
    if (json === undefined) {
      session.base = undefined;
      session.state = { kind: 'ok' };
      session.doc.load(undefined, text);
      return;
    }
    try {
      const parsed = parseSidecar(session.sidecarUri.fsPath, json);
      // offsets must match the live text (which may not be what is on disk yet): hash that text
      const sha = this.liveSha(session, text);
      // an unsaved edit made before the session was ready (Replace in Files opens a closed article
      // and edits it at once): the bytes on disk are still the text the sidecar was written for
      const disk = article.status === 'fulfilled' ? article.value : undefined;
      const previous = parsed.article.sha256 !== sha && disk ? previousText(disk) : undefined;
      const loaded = reconcileWithArticle(session.sidecarUri.fsPath, parsed, text, sha, previous);
      session.base = parsed;
      session.state = { kind: 'ok' };
      session.doc.load(loaded.sidecar, text);
      if (loaded.reanchored) this.reportReanchor(session, loaded.reanchored);
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      // what the editor holds stays (a reload of a file broken on disk must not take it away): the
      // message offers to write it back
      if (session.doc.size === 0) session.doc.load(undefined, text);
      this.notify.invalidSidecar(session, err);
    }
  }

  private reportReanchor(session: ArticleSession, report: ReanchorReport): void {
    if (report.orphaned.length) this.notify.orphans(session, report.orphaned.length);
    // re-anchored offsets differ from the file: write them back once the article is clean
    if (report.moved || report.orphaned.length) {
      session.doc.markDirty();
      if (!session.document.isDirty) this.requestWrite(session);
    }
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
    clearTimeout(this.orphanTimers.get(session));
    this.orphanTimers.delete(session);
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
        const external = document.version === version && !(openedStamp && (await sameAsRead(session.uri.fsPath, openedStamp))) && (await this.matchesDisk(session));
        if (!external) {
          if (done.outcome?.removed.length) this.notify.removedByEdit(session, done.outcome.removed.length);
          return;
        }
        const ticket = done.outcome?.ticket;
        const repaired = ticket && session.doc.repairAsExternal(ticket, readerOf(document), documentLength(document), session.savedText);
        // the reloaded text is the file on disk now
        if (document.version === version) session.savedText = document.getText();
        if (repaired?.reanchored) this.reportReanchor(session, repaired.reanchored);
        if (session.pendingDiskSync) await this.syncWithDisk(session);
      });
    }
    // a clean document's text before the change is the file as last saved (a reload is then followed through a diff)
    const previousText = maybeExternal ? () => session.savedText : undefined;
    const outcome = (done.outcome = session.doc.applyTextChanges(e.contentChanges, readerOf(document), documentLength(document), { reason, previousText }));
    if (outcome.removed.length && !maybeExternal) this.notify.removedByEdit(session, outcome.removed.length);
    if (outcome.reattached.length) this.notify.reattached(session, outcome.reattached.length);
    if (outcome.reanchored) this.reportReanchor(session, outcome.reanchored);
    if (session.doc.orphanCount) this.scheduleOrphanRetry(session);
    // an article reverted or reloaded from disk is clean again: write what changed
    if (!document.isDirty && session.doc.dirty) this.requestWrite(session);
  }

  /** Whether the live text is exactly the article's bytes on disk. */
  private async matchesDisk(session: ArticleSession): Promise<boolean> {
    const bytes = await readFast(session.uri).then(
      (b) => b,
      () => undefined,
    );
    return !!bytes && sha256Hex(bytes) === this.liveSha(session, session.document.getText());
  }

  private scheduleOrphanRetry(session: ArticleSession): void {
    clearTimeout(this.orphanTimers.get(session));
    this.orphanTimers.set(
      session,
      setTimeout(() => {
        this.orphanTimers.delete(session);
        this.retryOrphans(session);
      }, ORPHAN_RETRY_MS),
    );
  }

  private retryOrphans(session: ArticleSession): void {
    if (session.document.isClosed || !session.doc.orphanCount) return;
    const back = session.doc.retryOrphans(readerOf(session.document), documentLength(session.document));
    if (back.length) this.notify.reattached(session, back.length);
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
    if (session.document.isUntitled || session.state.kind === 'unreadable') return Promise.resolve();
    if (session.writeQueued) return session.queue.idle();
    session.writeQueued = true;
    return session.queue.run(async () => {
      // paint first: the change's decorations are sent to the window when this task ends, and the
      // write's snapshot (the whole sidecar, long for 50,000 spans) would hold them back; the write
      // starts on a later task instead (still in the queue, so flush and deactivate wait for it)
      await new Promise((resolve) => setTimeout(resolve, session.doc.size >= LARGE_SIDECAR_SPANS ? LARGE_WRITE_AFTER_MS : WRITE_AFTER_PAINT_MS));
      session.writeQueued = false;
      if (evenIfClean || session.doc.dirty) await this.writeNow(session);
    });
  }

  /** Lets every queued read and write of a session finish, then writes what is still pending. */
  async flush(session: ArticleSession): Promise<void> {
    await session.queue.idle();
    if (session.doc.dirty && session.writable && !session.document.isDirty) await this.requestWrite(session);
  }

  /** Flushes every open article (deactivate: VS Code waits for the promise). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.sessions.values(), ...this.renamed.values()].map((s) => this.flush(s)));
  }

  /** Kept for callers and tests: writes the sidecar now (after whatever is queued). */
  write(session: ArticleSession): Promise<void> {
    return this.requestWrite(session, true);
  }

  /**
   * The write job (runs in the session's queue). Writes the sidecar for the live text only when
   * the article on disk is that text; merges first when the sidecar changed on disk.
   */
  private async writeNow(session: ArticleSession): Promise<void> {
    perfMark('write: start');
    if (session.state.kind === 'invalid') {
      if (session.doc.dirty) this.notify.invalidSidecar(session, session.state.error);
      return;
    }
    if (!session.writable) return;
    const document = session.document;
    // unsaved text: the sidecar's offsets would not match the article on disk; its save writes
    if (document.isDirty) return;
    const sidecarPath = session.sidecarUri.toString();
    try {
      const bytes = await readFast(document.uri).then(
        (b) => b,
        () => undefined,
      );
      // the article was renamed or deleted: its sidecar moved with it (or goes with it)
      if (!bytes) return;
      const diskSha = sha256Hex(bytes);
      const onDisk = await readSidecarText(fastFileSystem, sidecarPath);
      // --- synchronous from here to the write: the snapshot is one moment of the live text
      const ours = onDisk !== undefined && session.isOurs(onDisk);
      if (onDisk !== undefined && !ours && !this.mergeFromDisk(session, onDisk)) return;
      if (onDisk === undefined && session.diskText !== undefined && session.base) {
        // deleted on disk since we read it: the watcher asks the user; do not write it back here
        return;
      }
      const text = document.getText();
      const version = document.version;
      const revision = session.doc.revision;
      if (this.liveSha(session, text) !== diskSha) {
        // not the text on disk, though nothing is unsaved: VS Code made the line endings of a file
        // that mixes CRLF and LF uniform (its save writes them so), or the file changed on disk and
        // its reload is on the way (the reload's change writes)
        if (sameButLineEndings(bytes, text)) {
          this.notify.mixedLineEndings(session);
          this.writtenEmitter.fire({ session, outcome: 'held: mixed line endings' });
        }
        return;
      }
      session.savedText = text;
      this.retryOrphans(session);
      // (merge conflicts recorded by the git driver are in the document until resolved)
      const sidecar = session.doc.toSidecar(text, diskSha, session.base?.$schema);
      const serialized = serializeSidecar(sidecar);
      // --- the write itself; refuses over a file that is not a valid sidecar. (Watcher events for
      // it are handled in this queue, after this job: by then it is known as our own.)
      // (what is on disk was checked when it was read, or written by this session: valid either way,
      // unless a merge just took it in, which parsed it)
      const outcome = await writeSidecar(vscodeFileSystem, sidecarPath, sidecar, { existing: onDisk, existingIsOurs: ours, serialized });
      if (outcome !== 'skipped-empty') {
        session.wrote(serialized);
        session.base = sidecar;
        session.doc.markSaved(sidecar);
      }
      // annotation changes or typing while the file was written still need a write
      if (document.version === version && session.doc.revision === revision) session.doc.markClean();
      this.writtenEmitter.fire({ session, outcome });
    } catch (err) {
      if (err instanceof SidecarProtectedError) {
        session.state = { kind: 'invalid', error: err.sidecarError };
        this.notify.invalidSidecar(session, err.sidecarError);
      } else {
        this.notify.writeFailed(session, err as Error);
      }
      this.writtenEmitter.fire({ session, outcome: 'failed' });
    }
  }

  /**
   * Takes in a sidecar that another writer changed on disk (synchronous). Without unsaved
   * annotation changes it is simply loaded; with them, it is merged by annotation id after all
   * three sides are re-anchored to the live text. Returns true when the live annotations now
   * include the disk's changes (and may be written); false when the file is invalid or conflicts.
   */
  private mergeFromDisk(session: ArticleSession, onDisk: string): boolean {
    const text = session.document.getText();
    const sha = this.liveSha(session, text);
    const file = session.sidecarUri.fsPath;
    let parsed: Sidecar;
    let theirs: Sidecar;
    let reanchored: ReanchorReport | undefined;
    try {
      parsed = parseSidecar(file, onDisk);
      const loaded = reconcileWithArticle(file, parsed, text, sha);
      theirs = loaded.sidecar;
      reanchored = loaded.reanchored;
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      session.diskText = onDisk;
      this.notify.invalidSidecar(session, err);
      this.stateEmitter.fire(session);
      return false;
    }
    if (!session.doc.dirty) {
      session.doc.load(theirs, text);
      session.diskText = onDisk;
      session.base = parsed;
      session.state = { kind: 'ok' };
      if (reanchored) this.reportReanchor(session, reanchored);
      this.openedEmitter.fire(session);
      this.stateEmitter.fire(session);
      return true;
    }
    const mine = session.doc.toSidecar(text, sha);
    let base: Sidecar | undefined;
    if (session.base) {
      try {
        base = reconcileWithArticle(file, session.base, text, sha).sidecar;
      } catch {
        base = undefined;
      }
    }
    const { merged, conflicts } = mergeSidecars(base, mine, theirs);
    if (conflicts.length) {
      session.conflict = { onDisk };
      this.stateEmitter.fire(session);
      void this.notify.mergeConflict(session, conflicts.length).then((choice) => session.queue.run(() => this.resolveConflict(session, choice)));
      return false;
    }
    session.doc.load(merged, text);
    session.doc.markDirty();
    session.diskText = onDisk;
    session.base = parsed;
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
    return true;
  }

  /** The user's answer to a merge conflict (runs in the queue). */
  private async resolveConflict(session: ArticleSession, choice: 'mine' | 'theirs' | undefined): Promise<void> {
    const conflict = session.conflict;
    if (!conflict || !choice) return;
    session.conflict = undefined;
    if (choice === 'theirs') {
      session.doc.markClean();
      if (!this.mergeFromDisk(session, conflict.onDisk)) return;
    } else {
      // keep mine: the file on disk is what we now write over, knowingly
      session.diskText = conflict.onDisk;
      session.doc.markDirty();
    }
    this.stateEmitter.fire(session);
    if (!session.document.isDirty) await this.writeNow(session);
  }

  /** A sidecar changed on disk (git, another annotator, a hand edit, or our own write). */
  private async onSidecarChangedOnDisk(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri).toString());
    if (!session) return;
    await session.queue.run(() => this.syncWithDisk(session));
  }

  /** Brings the session in line with its sidecar on disk (runs in the queue). */
  private async syncWithDisk(session: ArticleSession): Promise<void> {
    let onDisk: string | undefined;
    try {
      onDisk = await readSidecarText(fastFileSystem, session.sidecarUri.toString());
    } catch {
      return;
    }
    if (onDisk === undefined || session.isOurs(onDisk)) {
      session.pendingDiskSync = false;
      return;
    }
    // A pull changes the article and its sidecar together, and the two events come in either
    // order. When the article on disk is not the (clean) live text yet, VS Code is about to reload
    // it: take the sidecar after the reload, against the text it was written for.
    if (!session.document.isDirty) {
      const bytes = await readFast(session.uri).then(
        (b) => b,
        () => undefined,
      );
      if (bytes && sha256Hex(bytes) !== this.liveSha(session, session.document.getText())) {
        session.pendingDiskSync = true;
        return;
      }
    }
    session.pendingDiskSync = false;
    if (session.state.kind === 'invalid') {
      await this.readFromDisk(session);
      this.openedEmitter.fire(session);
      this.stateEmitter.fire(session);
      return;
    }
    if (this.mergeFromDisk(session, onDisk) && session.doc.dirty && !session.document.isDirty) await this.writeNow(session);
  }

  private async onSidecarDeleted(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri).toString());
    if (!session || session.diskText === undefined) return;
    // A rename of the article moves its sidecar too: not a deletion the user needs to hear about;
    // nor is a sidecar deleted together with its article.
    if (this.renaming.has(uri.toString())) return;
    if (!(await vscodeFileSystem.stat(articleUri(uri).toString()))) return;
    if (await vscodeFileSystem.stat(uri.toString())) return; // replaced (an atomic write): not gone
    session.diskText = undefined;
    session.base = undefined;
    if (session.state.kind === 'invalid') {
      session.state = { kind: 'ok' };
      this.stateEmitter.fire(session);
    }
    if (session.doc.size === 0) return;
    const choice = await this.notify.sidecarDeleted(session);
    if (choice === 'restore') {
      session.doc.markDirty();
      await this.requestWrite(session, true);
    } else if (choice === 'clear') {
      session.doc.load(undefined, session.document.getText());
      this.stateEmitter.fire(session);
    }
  }

  private readonly renaming = new Set<string>();

  /**
   * Before an article is renamed or moved: its queued writes land, its sidecar moves beside the new
   * name (article.file updated), and its live session is kept for the document under the new name.
   */
  private async beforeRename(files: ReadonlyArray<{ oldUri: vscode.Uri; newUri: vscode.Uri }>): Promise<void> {
    for (const { oldUri, newUri } of files) {
      if (isSidecarPath(oldUri.path)) continue;
      const prefix = oldUri.toString();
      // a renamed folder renames every article inside it
      const affected = this.all().filter((s) => s.uri.toString() === prefix || s.uri.toString().startsWith(prefix + '/'));
      await Promise.all(affected.map((s) => this.flush(s)));
      for (const s of affected) {
        const target = vscode.Uri.parse(newUri.toString() + s.uri.toString().slice(prefix.length));
        this.renamed.set(target.toString(), s);
        const fileName = target.path.split('/').pop();
        if (fileName) s.doc.rename(fileName);
        if (fileName && s.base) s.base = { ...s.base, article: { ...s.base.article, file: fileName } };
      }
      if (affected.length) await Promise.all(affected.map((s) => s.queue.run(() => this.moveSidecar(s.uri, vscode.Uri.parse(newUri.toString() + s.uri.toString().slice(prefix.length)), s))));
      else await this.moveSidecar(oldUri, newUri, undefined);
    }
  }

  private async moveSidecar(oldUri: vscode.Uri, newUri: vscode.Uri, session: ArticleSession | undefined): Promise<void> {
    const oldSidecar = oldUri.with({ path: oldUri.path + '.annotations.json' });
    const newSidecar = newUri.with({ path: newUri.path + '.annotations.json' });
    const exists = await vscodeFileSystem.stat(oldSidecar.toString());
    if (!exists || exists.type !== 'file') return;
    if (await vscodeFileSystem.stat(newSidecar.toString())) {
      this.notify.error(`${newSidecar.fsPath} already exists, so the annotations of the renamed article were left at ${oldSidecar.fsPath}.`);
      return;
    }
    this.renaming.add(oldSidecar.toString());
    try {
      const json = new TextDecoder().decode(await vscode.workspace.fs.readFile(oldSidecar));
      let moved = json;
      try {
        const parsed = parseSidecar(oldSidecar.fsPath, json);
        parsed.article.file = newUri.path.split('/').pop() ?? parsed.article.file;
        moved = serializeSidecar(parsed);
      } catch {
        // an invalid sidecar still moves with its article, byte for byte
      }
      session?.wrote(moved);
      await writeFileAtomic(vscodeFileSystem, newSidecar.toString(), new TextEncoder().encode(moved));
      await vscode.workspace.fs.delete(oldSidecar);
    } catch (err) {
      this.notify.error(`Could not move ${oldSidecar.fsPath} with its article: ${(err as Error).message}`);
    } finally {
      this.renaming.delete(oldSidecar.toString());
    }
  }

  /** Reloads the sidecar of an article from disk (e.g. after the user fixed an invalid file). */
  /**
   * Writes the annotations the editor holds over a sidecar that is not valid on disk: only when
   * the user asks (the invalid file is someone's work too), and only for a saved article, whose
   * bytes the offsets must match. Returns what happened, for the message and for tests.
   */
  async writeBack(session: ArticleSession): Promise<'written' | 'not invalid' | 'unsaved' | 'failed'> {
    return session.queue.run(async () => {
      if (session.state.kind !== 'invalid') return 'not invalid';
      const document = session.document;
      if (document.isDirty) return 'unsaved';
      try {
        const bytes = await readFast(document.uri);
        const text = document.getText();
        const sha = sha256Hex(bytes);
        if (this.liveSha(session, text) !== sha) return 'unsaved';
        const sidecar = session.doc.toSidecar(text, sha);
        const serialized = serializeSidecar(sidecar);
        await writeFileAtomic(vscodeFileSystem, session.sidecarUri.toString(), new TextEncoder().encode(serialized));
        session.wrote(serialized);
        session.base = sidecar;
        session.savedText = text;
        session.state = { kind: 'ok' };
        session.doc.markSaved(sidecar);
        session.doc.markClean();
        this.stateEmitter.fire(session);
        this.writtenEmitter.fire({ session, outcome: 'written' });
        return 'written';
      } catch (err) {
        this.notify.writeFailed(session, err as Error);
        return 'failed';
      }
    });
  }

  async reload(session: ArticleSession): Promise<void> {
    await session.queue.run(() => this.readFromDisk(session));
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
  }

  dispose(): void {
    void this.flushAll();
    for (const t of this.orphanTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Reads through Node's file system for `file:` URIs (the extension host's own disk: no round trip
 * through the workbench, which for a 10 MB sidecar in a remote window took most of a second), and
 * through VS Code's for any other scheme.
 */
/**
 * Sidecars shorter than this (about 800 annotations) load in a few milliseconds: a preview would only
 * add a drawing. From here on the preview paints first (a 200 KB report's 600 KB sidecar: opened at
 * the floor's time with it, 1.2–1.6× without).
 */
const PREVIEW_MIN_BYTES = 256 * 1024;
/** Text read past the preview's end, so spans that start inside and end a little beyond are checked. */
const PREVIEW_SLACK = 4096;

export interface SidecarPreview {
  uri: vscode.Uri;
  /** The sidecar's spans starting before `upTo` (UTF-16) whose quotes are in place; the first ones only. */
  spansUpTo(upTo: number): PreviewSpan[];
}

function textPrefix(document: vscode.TextDocument, length: number): string {
  return document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(length)));
}

interface ArticleBytes {
  bytes: Uint8Array;
  /** The file's size and modification time when read (local files only; see ArticleSession.openedStamp). */
  stamp?: FileStamp;
}

/** An article's bytes (`readFast`), with their stamp when the file is on the local disk. */
async function readArticle(uri: vscode.Uri): Promise<ArticleBytes> {
  if (uri.scheme === 'file') {
    const r = await readIdentified(uri.fsPath);
    if (r?.kind === 'read') return { bytes: r.bytes, stamp: { size: r.size, mtimeMs: r.mtimeMs } };
  }
  // (missing, or another error: readFast reports it as every other read does)
  return { bytes: await readFast(uri) };
}

async function readFast(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme === 'file') return new Uint8Array(await fsp.readFile(uri.fsPath));
  return vscode.workspace.fs.readFile(uri);
}

/** `vscodeFileSystem` with reads from the local disk for `file:` URIs (see `readFast`). */
const fastFileSystem: FileSystem = {
  ...vscodeFileSystem,
  // the core tells "not found" by Node's code and by VS Code's alike
  readFile: (p) => readFast(vscode.Uri.parse(p, true)),
};

export function articleUri(sidecar: vscode.Uri): vscode.Uri {
  return sidecar.with({ path: sidecar.path.slice(0, -'.annotations.json'.length) });
}

function encode(text: string, bom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

/** Whether the file's text and the editor's differ only in their line breaks (CRLF, LF or CR). */
function sameButLineEndings(bytes: Uint8Array, text: string): boolean {
  let disk: string;
  try {
    disk = decodeArticle(bytes); // (without a BOM, as VS Code shows it)
  } catch {
    return false;
  }
  const lf = (s: string) => s.replace(/\r\n?/g, '\n');
  return disk !== text && lf(disk) === lf(text);
}

/** An article's bytes as the text a sidecar may have been written for (undefined: not a text). */
function previousText(bytes: Uint8Array): PreviousText | undefined {
  try {
    return { text: decodeArticle(bytes), sha256: sha256Hex(bytes) };
  } catch {
    return undefined;
  }
}
