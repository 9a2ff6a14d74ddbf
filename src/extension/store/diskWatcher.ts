/**
 * Follows sidecars on disk: a sidecar changed by someone else (git, another annotator, a hand
 * edit) is reloaded or merged, a deleted one is asked about, and a renamed article takes its
 * sidecar and its live session along.
 */
import * as vscode from 'vscode';
import { sha256Hex } from '../../core/article';
import { isSidecarPath, parseSidecar, readSidecarBytes } from '../../core/sidecar';
import { serializeSidecar } from '../../core/sidecarEncoding';
import { writeFileAtomic } from '../../core/sidecarWrite';
import { Disposable } from '../common/dispose';
import { readBytes, vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleSession, SessionEvents } from './articleSession';
import { Notifier } from './notifier';
import { SidecarLoader } from './sidecarLoader';
import { SidecarWriter } from './sidecarWriter';

/** What the watcher needs of the store's registry of sessions. */
export interface Sessions {
  get(uri: vscode.Uri): ArticleSession | undefined;
  all(): ArticleSession[];
  flush(session: ArticleSession): Promise<void>;
  /** Keeps a renamed article's session for the document that will open under `target`. */
  renamed(target: vscode.Uri, session: ArticleSession): void;
}

export class DiskWatcher extends Disposable {
  /** Sidecars being moved with their article (their deletion is not the user's). */
  private readonly renaming = new Set<string>();

  constructor(
    private readonly sessions: Sessions,
    private readonly loader: SidecarLoader,
    private readonly writer: SidecarWriter,
    private readonly events: SessionEvents,
    private readonly notify: Notifier,
  ) {
    super();
    // everything about a rename happens before it: pending writes land, the sidecar moves
    this._register(vscode.workspace.onWillRenameFiles((e) => e.waitUntil(this.beforeRename(e.files))));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.annotations.json'));
    this._register(watcher.onDidChange((u) => void this.onSidecarChanged(u)));
    this._register(watcher.onDidCreate((u) => void this.onSidecarChanged(u)));
    this._register(watcher.onDidDelete((u) => void this.onSidecarDeleted(u)));
  }

  /** A sidecar changed on disk (git, another annotator, a hand edit, or our own write). */
  private async onSidecarChanged(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri));
    if (!session) return;
    await session.queue.run(() => this.syncWithDisk(session));
  }

  /** Brings the session in line with its sidecar on disk (runs in the queue). */
  async syncWithDisk(session: ArticleSession): Promise<void> {
    let onDisk: string | undefined;
    try {
      const bytes = await readSidecarBytes(vscodeFileSystem, session.sidecarUri.toString());
      onDisk = bytes && session.decodeSidecar(session.sidecarUri.fsPath, bytes);
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
      const bytes = await readBytes(session.uri).then(
        (b) => b,
        () => undefined,
      );
      if (bytes && sha256Hex(bytes) !== session.liveSha(session.document.getText())) {
        session.pendingDiskSync = true;
        return;
      }
    }
    session.pendingDiskSync = false;
    if (session.state.kind === 'invalid') {
      await this.loader.readFromDisk(session);
      this.events.opened(session);
      this.events.changed(session);
      return;
    }
    if (this.writer.mergeFromDisk(session, onDisk) && session.doc.dirty && !session.document.isDirty) await this.writer.writeNow(session);
  }

  private async onSidecarDeleted(uri: vscode.Uri): Promise<void> {
    const session = this.sessions.get(articleUri(uri));
    if (!session || session.diskText === undefined) return;
    // A rename of the article moves its sidecar too: not a deletion the user needs to hear about;
    // nor is a sidecar deleted together with its article.
    if (this.renaming.has(uri.toString())) return;
    if (!(await vscodeFileSystem.stat(articleUri(uri).toString()))) return;
    if (await vscodeFileSystem.stat(uri.toString())) return; // replaced (an atomic write): not gone
    session.setDisk(undefined);
    session.base = undefined;
    if (session.state.kind === 'invalid') {
      session.state = { kind: 'ok' };
      this.events.changed(session);
    }
    if (session.doc.size === 0) return;
    const choice = await this.notify.sidecarDeleted(session);
    if (choice === 'restore') {
      session.doc.markDirty();
      await this.writer.requestWrite(session, true);
    } else if (choice === 'clear') {
      session.doc.load(undefined, session.document.getText());
      this.events.changed(session);
    }
  }

  /**
   * Before an article is renamed or moved: its queued writes land, its sidecar moves beside the new
   * name (article.file updated), and its live session is kept for the document under the new name.
   */
  private async beforeRename(files: ReadonlyArray<{ oldUri: vscode.Uri; newUri: vscode.Uri }>): Promise<void> {
    for (const { oldUri, newUri } of files) {
      if (isSidecarPath(oldUri.path)) continue;
      const prefix = oldUri.toString();
      // a renamed folder renames every article inside it
      const affected = this.sessions.all().filter((s) => s.uri.toString() === prefix || s.uri.toString().startsWith(prefix + '/'));
      await Promise.all(affected.map((s) => this.sessions.flush(s)));
      for (const s of affected) {
        const target = vscode.Uri.parse(newUri.toString() + s.uri.toString().slice(prefix.length));
        this.sessions.renamed(target, s);
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
      const json = new TextDecoder().decode(await readBytes(oldSidecar));
      let moved = json;
      try {
        const parsed = parseSidecar(oldSidecar.fsPath, json);
        parsed.article.file = newUri.path.split('/').pop() ?? parsed.article.file;
        moved = serializeSidecar(parsed);
      } catch {
        // an invalid sidecar still moves with its article, byte for byte
      }
      const bytes = new TextEncoder().encode(moved);
      session?.wrote(moved, bytes);
      await writeFileAtomic(vscodeFileSystem, newSidecar.toString(), bytes);
      await vscode.workspace.fs.delete(oldSidecar);
    } catch (err) {
      this.notify.error(`Could not move ${oldSidecar.fsPath} with its article: ${(err as Error).message}`);
    } finally {
      this.renaming.delete(oldSidecar.toString());
    }
  }
}

/** The article a sidecar belongs to. */
export function articleUri(sidecar: vscode.Uri): vscode.Uri {
  return sidecar.with({ path: sidecar.path.slice(0, -'.annotations.json'.length) });
}
