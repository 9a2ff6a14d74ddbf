/**
 * Owns an `ArticleSession` per open article: loads sidecars, follows edits, writes sidecars on save
 * (and on annotation changes to a clean article), reloads or merges sidecars changed on disk, and
 * moves a sidecar when its article is renamed. Every rule about what may be written lives here.
 */
import * as vscode from 'vscode';
import { AnnotationDocument } from '../../core/annotationDocument';
import { ArticleDecodeError, decodeArticle, hasBom, sha256Hex } from '../../core/article';
import { mergeSidecars } from '../../core/merge';
import { ReanchorReport } from '../../core/reanchor';
import { Sidecar } from '../../core/schema';
import {
  isSidecarPath,
  parseSidecar,
  readSidecarText,
  reconcileWithArticle,
  serializeSidecar,
  SidecarError,
  SidecarProtectedError,
  writeSidecar,
} from '../../core/sidecar';
import { Config } from '../config';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleMatcher } from './articleMatcher';
import { ArticleSession } from './articleSession';
import { Notifier } from './notifier';
import { documentLength, readerOf } from '../editor/documentText';

const WRITE_DELAY_MS = 150;

export class ArticleStore implements vscode.Disposable {
  private readonly sessions = new Map<string, ArticleSession>();
  private readonly loading = new Map<string, Promise<ArticleSession | undefined>>();
  private readonly pendingWrites = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  private readonly openedEmitter = new vscode.EventEmitter<ArticleSession>();
  /** A session was created (or reloaded from disk). */
  readonly onDidOpen = this.openedEmitter.event;
  private readonly closedEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidClose = this.closedEmitter.event;
  private readonly writtenEmitter = new vscode.EventEmitter<{ session: ArticleSession; outcome: string }>();
  /** A sidecar write finished (tests and views await this instead of sleeping). */
  readonly onDidWrite = this.writtenEmitter.event;
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
      // a write still pending for the old name must land before the sidecar is moved
      vscode.workspace.onWillRenameFiles((e) => e.waitUntil(this.flushRenamed(e.files.map((f) => f.oldUri)))),
      vscode.workspace.onDidRenameFiles((e) => void this.onRenamed(e)),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('misconduct.author')) for (const s of this.sessions.values()) s.doc.setAuthor(config.author);
        if (e.affectsConfiguration('misconduct.articles')) for (const d of vscode.workspace.textDocuments) void this.open(d);
      }),
      this.openedEmitter,
      this.closedEmitter,
      this.writtenEmitter,
      this.stateEmitter,
    );
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
      pending = this.load(document).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(document: vscode.TextDocument): Promise<ArticleSession | undefined> {
    const fileName = document.uri.path.split('/').pop() ?? 'article.txt';
    const session = new ArticleSession(document, new AnnotationDocument(fileName, this.config.author));
    session.doc.onDidChange((e) => {
      if (!e.labels.size && !session.doc.dirty) return;
      this.stateEmitter.fire(session);
      if (session.doc.dirty && !session.document.isDirty) this.scheduleWrite(session);
    });
    await this.readFromDisk(session);
    if (document.isClosed) return undefined;
    this.sessions.set(document.uri.toString(), session);
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
    return session;
  }

  /** Loads (or reloads) the sidecar for a session from disk and reconciles it with the text. */
  private async readFromDisk(session: ArticleSession): Promise<void> {
    const { document } = session;
    const text = document.getText();
    let diskSha: string | undefined;
    if (document.uri.scheme !== 'untitled') {
      try {
        const bytes = await vscode.workspace.fs.readFile(document.uri);
        session.hasBom = hasBom(bytes);
        decodeArticle(bytes);
        diskSha = sha256Hex(bytes);
      } catch (err) {
        if (err instanceof ArticleDecodeError) {
          session.state = { kind: 'unreadable', message: err.message };
          this.notify.unreadable(session, err.message);
          return;
        }
        diskSha = undefined; // deleted or not yet saved: treat as new
      }
    }
    let json: string | undefined;
    try {
      json = document.uri.scheme === 'untitled' ? undefined : await readSidecarText(vscodeFileSystem, session.sidecarUri.toString());
    } catch (err) {
      this.notify.error(`Could not read ${session.sidecarUri.fsPath}: ${(err as Error).message}`);
      return;
    }
    session.diskText = json;
    if (json === undefined) {
      session.base = undefined;
      session.state = { kind: 'ok' };
      session.doc.load(undefined, text);
      return;
    }
    try {
      const parsed = parseSidecar(session.sidecarUri.fsPath, json);
      // the live text is what offsets must match; when it differs from disk (unsaved edits), re-anchor
      const liveSha = document.isDirty ? sha256Hex(text) : (diskSha ?? sha256Hex(text));
      const loaded = reconcileWithArticle(session.sidecarUri.fsPath, parsed, text, liveSha);
      session.base = parsed;
      session.state = { kind: 'ok' };
      session.doc.load(loaded.sidecar, text);
      if (loaded.reanchored) this.reportReanchor(session, loaded.reanchored);
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      session.doc.load(undefined, text);
      this.notify.invalidSidecar(session, err);
    }
  }

  private reportReanchor(session: ArticleSession, report: ReanchorReport): void {
    if (report.orphaned.length) this.notify.orphans(session, report.orphaned.length);
    // re-anchored offsets differ from the file: write them back once the article is clean
    if (report.moved || report.orphaned.length) session.doc.dirty = true;
  }

  private close(document: vscode.TextDocument): void {
    // a language change also "closes" and reopens a document; its annotations stay
    if (!document.isClosed) return;
    const key = document.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    void this.flush(session);
    this.sessions.delete(key);
    this.closedEmitter.fire(document.uri);
  }

  private onTextChanged(e: vscode.TextDocumentChangeEvent): void {
    const session = this.sessions.get(e.document.uri.toString());
    if (!session || !e.contentChanges.length) return;
    const document = e.document;
    const outcome = session.doc.applyTextChanges(e.contentChanges, readerOf(document), documentLength(document));
    if (outcome.removed.length) this.notify.removedByEdit(session, outcome.removed.length);
    if (outcome.reanchored) this.reportReanchor(session, outcome.reanchored);
    // an article reverted or reloaded from disk is clean again: write what changed
    if (!document.isDirty && session.doc.dirty) this.scheduleWrite(session);
  }

  private async onSaved(document: vscode.TextDocument): Promise<void> {
    const session = this.sessions.get(document.uri.toString()) ?? (await this.open(document));
    if (session) await this.write(session);
  }

  private scheduleWrite(session: ArticleSession): void {
    if (session.document.uri.scheme === 'untitled' || !session.writable) return;
    const key = session.uri.toString();
    clearTimeout(this.pendingWrites.get(key));
    this.pendingWrites.set(
      key,
      setTimeout(() => {
        this.pendingWrites.delete(key);
        void this.write(session);
      }, WRITE_DELAY_MS),
    );
  }

  /** Writes a pending change now (on close, rename, deactivate). */
  private flush(session: ArticleSession): Promise<void> {
    const key = session.uri.toString();
    const timer = this.pendingWrites.get(key);
    if (!timer && !(session.doc.dirty && !session.document.isDirty && session.writable)) return Promise.resolve();
    clearTimeout(timer);
    this.pendingWrites.delete(key);
    return this.write(session);
  }

  private async flushRenamed(uris: readonly vscode.Uri[]): Promise<void> {
    const prefixes = uris.map((u) => u.toString());
    // a renamed folder renames every article inside it
    const affected = this.all().filter((s) => prefixes.some((p) => s.uri.toString() === p || s.uri.toString().startsWith(p + '/')));
    await Promise.all(affected.map((s) => this.flush(s)));
  }

  /**
   * Writes the sidecar for the text as saved. Refuses over an invalid sidecar; merges first when
   * the sidecar changed on disk since it was read.
   */
  async write(session: ArticleSession): Promise<void> {
    if (session.document.isUntitled || session.state.kind === 'unreadable') return;
    if (session.state.kind === 'invalid') {
      if (session.doc.dirty) this.notify.invalidSidecar(session, session.state.error);
      return;
    }
    if (session.conflicted) return;
    const document = session.document;
    const text = document.getText();
    const sidecarPath = session.sidecarUri.toString();
    try {
      // Changed on disk since we read it and not yet seen by the watcher: merge rather than overwrite
      const onDisk = await readSidecarText(vscodeFileSystem, sidecarPath);
      if (onDisk !== session.diskText && onDisk !== undefined) {
        const merged = await this.mergeWithDisk(session, onDisk);
        if (!merged) return;
      }
      const bytes = await vscode.workspace.fs.readFile(document.uri).then(
        (b) => b,
        () => undefined,
      );
      // the article was renamed or deleted: its sidecar moved with it (or goes with it)
      if (!bytes && !document.isDirty) return;
      // hash what is on disk when the document is saved; otherwise what it will be saved as
      const sha = bytes && !document.isDirty ? sha256Hex(bytes) : sha256Hex(encode(text, session.hasBom));
      const sidecar = session.doc.toSidecar(text, sha, session.base?.$schema);
      // merge conflicts recorded by the git driver stay until resolved (the document does not hold them)
      if (session.base?.conflicts?.length) sidecar.conflicts = session.base.conflicts;
      // remember the text before writing, so the watcher's event for our own write is ignored
      const previous = session.diskText;
      session.diskText = serializeSidecar(sidecar);
      let outcome;
      try {
        outcome = await writeSidecar(vscodeFileSystem, sidecarPath, sidecar);
      } catch (err) {
        session.diskText = previous;
        throw err;
      }
      if (outcome === 'skipped-empty') session.diskText = previous;
      else session.base = sidecar;
      session.doc.dirty = false;
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

  /** Returns true when the in-memory annotations now include the disk's changes and may be written. */
  private async mergeWithDisk(session: ArticleSession, onDisk: string): Promise<boolean> {
    const text = session.document.getText();
    let theirs: Sidecar;
    try {
      const parsed = parseSidecar(session.sidecarUri.fsPath, onDisk);
      theirs = reconcileWithArticle(session.sidecarUri.fsPath, parsed, text, sha256Hex(encode(text, session.hasBom))).sidecar;
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      session.diskText = onDisk;
      this.notify.invalidSidecar(session, err);
      return false;
    }
    const mine = session.doc.toSidecar(text, theirs.article.sha256);
    const { merged, conflicts } = mergeSidecars(session.base, mine, theirs);
    if (conflicts.length) {
      session.conflicted = true;
      const choice = await this.notify.mergeConflict(session, conflicts.length);
      session.conflicted = false;
      if (choice === 'theirs') {
        session.diskText = onDisk;
        session.base = theirs;
        session.doc.load(theirs, text);
        return false;
      }
      if (choice !== 'mine') {
        session.conflicted = true;
        return false;
      }
      session.doc.load(mine, text);
    } else {
      session.doc.load(merged, text);
    }
    session.doc.dirty = true;
    session.diskText = onDisk;
    session.base = theirs;
    return true;
  }

  private async onSidecarChangedOnDisk(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri).toString());
    if (!session) return;
    let onDisk: string | undefined;
    try {
      onDisk = await readSidecarText(vscodeFileSystem, uri.toString());
    } catch {
      return;
    }
    if (onDisk === undefined || onDisk === session.diskText) return; // our own write, or nothing new
    if (session.doc.dirty && session.state.kind === 'ok') {
      if (await this.mergeWithDisk(session, onDisk)) await this.write(session);
      return;
    }
    await this.readFromDisk(session);
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
  }

  private async onSidecarDeleted(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri).toString());
    if (!session || session.diskText === undefined) return;
    // A rename of the article moves its sidecar too: not a deletion the user needs to hear about;
    // nor is a sidecar deleted together with its article.
    if (this.renaming.has(uri.toString())) return;
    if (!(await vscodeFileSystem.stat(articleUri(uri).toString()))) return;
    session.diskText = undefined;
    session.base = undefined;
    if (session.state.kind === 'invalid') {
      session.state = { kind: 'ok' };
      this.stateEmitter.fire(session);
    }
    if (session.doc.size === 0) return;
    const choice = await this.notify.sidecarDeleted(session);
    if (choice === 'restore') {
      session.doc.dirty = true;
      await this.write(session);
    } else if (choice === 'clear') {
      session.doc.load(undefined, session.document.getText());
      this.stateEmitter.fire(session);
    }
  }

  private readonly renaming = new Set<string>();

  /** The sidecar follows its article when the article is renamed or moved in VS Code. */
  private async onRenamed(e: vscode.FileRenameEvent): Promise<void> {
    for (const { oldUri, newUri } of e.files) {
      if (isSidecarPath(oldUri.path)) continue;
      const oldSidecar = oldUri.with({ path: oldUri.path + '.annotations.json' });
      const newSidecar = newUri.with({ path: newUri.path + '.annotations.json' });
      const exists = await vscodeFileSystem.stat(oldSidecar.toString());
      if (!exists || exists.type !== 'file') continue;
      if (await vscodeFileSystem.stat(newSidecar.toString())) {
        this.notify.error(`${newSidecar.fsPath} already exists, so the annotations of the renamed article were left at ${oldSidecar.fsPath}.`);
        continue;
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
        await vscode.workspace.fs.writeFile(newSidecar, new TextEncoder().encode(moved));
        await vscode.workspace.fs.delete(oldSidecar);
      } catch (err) {
        this.notify.error(`Could not move ${oldSidecar.fsPath} with its article: ${(err as Error).message}`);
      } finally {
        this.renaming.delete(oldSidecar.toString());
      }
    }
  }

  /** Reloads the sidecar of an article from disk (e.g. after the user fixed an invalid file). */
  async reload(session: ArticleSession): Promise<void> {
    await this.readFromDisk(session);
    this.openedEmitter.fire(session);
    this.stateEmitter.fire(session);
  }

  dispose(): void {
    for (const session of this.sessions.values()) void this.flush(session);
    for (const d of this.disposables) d.dispose();
  }
}

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
