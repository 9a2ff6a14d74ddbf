/**
 * Reading an article's files before VS Code hands the extension its text. When a long article is
 * opened, the workbench shows its tab at once but gives the extension host the document only once
 * it has read the whole file itself (seconds, for a report of megabytes in a remote window). The tab
 * event already carries the URI, so the article's bytes and its sidecar are read meanwhile, and the
 * load finds them ready instead of starting to read when the editor appears.
 *
 * Only files with a sidecar beside them are read (nothing else is ever an article with spans to
 * draw). What was read is used only when both files still have the size and modification time they
 * had when read (one stat each); anything else — a file changed since, an error other than "not
 * found" — and the load reads as it always does. A read is dropped when taken, when its document
 * never opens within a minute, and never holds more than a few articles.
 */
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as vscode from 'vscode';
import { isSidecarPath, sidecarPathFor } from '../../core/sidecar';
import { perfMark } from '../devProfile';
import { inWebWorker } from '../common/host';

/** One file as read: its bytes and what identified them, or `missing`. */
type ReadFile = { kind: 'read'; bytes: Uint8Array; size: number; mtimeMs: number } | { kind: 'missing' };

export interface PrefetchedFiles {
  article: Uint8Array;
  /** The article file's size and modification time when read (see ArticleSession.openedStamp). */
  articleStamp: FileStamp;
  sidecar: Uint8Array;
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

const KEEP_MS = 60_000;
const MAX_ENTRIES = 4;

export class FilePrefetch implements vscode.Disposable {
  private readonly entries = new Map<
    string,
    { files: Promise<{ article: ReadFile & { kind: 'read' }; sidecar: ReadFile & { kind: 'read' } } | undefined>; timer: NodeJS.Timeout; sidecar?: Uint8Array }
  >();
  private readonly disposable: vscode.Disposable;

  /** `isOpen`: whether the store already has (or is loading) the article, so no read is needed. */
  constructor(private readonly isOpen: (uri: vscode.Uri) => boolean) {
    this.disposable = vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of [...e.opened, ...e.changed]) if (tab.input instanceof vscode.TabInputText) void this.readAhead(tab.input.uri);
    });
  }

  /** Whether a read of the article's files is held (for tests). */
  holds(uri: vscode.Uri): boolean {
    return this.entries.has(uri.toString());
  }

  /** Reads an article's files ahead (what a tab opening does); resolves when read, true when there was something to hold. */
  async readAhead(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    if (uri.scheme !== 'file' || inWebWorker || isSidecarPath(uri.path) || this.entries.has(key) || this.isOpen(uri)) return false;
    if (this.entries.size >= MAX_ENTRIES) this.drop(this.entries.keys().next().value!);
    perfMark('prefetch: tab opened');
    const files = (async () => {
      // the sidecar first: without one there is nothing to prefetch (and no reason to read the file)
      const sidecar = await readIdentified(sidecarPathFor(uri.fsPath));
      if (sidecar?.kind !== 'read') return undefined;
      const article = await readIdentified(uri.fsPath);
      perfMark('prefetch: files read');
      return article?.kind === 'read' ? { article, sidecar } : undefined;
    })();
    const timer = setTimeout(() => this.drop(key), KEEP_MS);
    const entry: { files: typeof files; timer: NodeJS.Timeout; sidecar?: Uint8Array } = { files, timer };
    this.entries.set(key, entry);
    const read = await files;
    entry.sidecar = read?.sidecar.bytes;
    const held = !!read;
    if (!held && this.entries.get(key) === entry) this.drop(key);
    return held;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  /**
   * The sidecar's bytes as read ahead, if the read is done (not checked against the disk: for the
   * preview only, which places nothing whose quote is not in the live text, and which the load
   * replaces).
   */
  peekSidecar(uri: vscode.Uri): Uint8Array | undefined {
    return this.entries.get(uri.toString())?.sidecar;
  }

  /** The article's files as read ahead, if they were and are unchanged since; taken once. */
  async take(uri: vscode.Uri): Promise<PrefetchedFiles | undefined> {
    const key = uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.drop(key);
    const files = await entry.files;
    if (!files) return undefined;
    const [article, sidecar] = await Promise.all([sameAsRead(uri.fsPath, files.article), sameAsRead(sidecarPathFor(uri.fsPath), files.sidecar)]);
    const { bytes, size, mtimeMs } = files.article;
    return article && sidecar ? { article: bytes, articleStamp: { size, mtimeMs }, sidecar: files.sidecar.bytes } : undefined;
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
    this.disposable.dispose();
  }
}

/** A file's bytes with its size and modification time (taken before reading); undefined on any error but "not found". */
export async function readIdentified(path: string): Promise<ReadFile | undefined> {
  let handle: fsp.FileHandle | undefined;
  try {
    // non-blocking, so a FIFO in place of an article is refused by the stat below instead of waiting for a writer
    handle = await fsp.open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const bytes = new Uint8Array(await handle.readFile());
    return { kind: 'read', bytes, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (err) {
    return (err as { code?: string }).code === 'ENOENT' ? { kind: 'missing' } : undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Whether a file is still as it was read (the same size and modification time). */
export async function sameAsRead(path: string, read: FileStamp & { bytes?: Uint8Array }): Promise<boolean> {
  try {
    const stat = await fsp.stat(path);
    return stat.isFile() && stat.size === read.size && stat.mtimeMs === read.mtimeMs && (!read.bytes || read.bytes.length === read.size);
  } catch {
    return false;
  }
}
