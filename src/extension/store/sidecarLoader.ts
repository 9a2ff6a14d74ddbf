/**
 * Loads an article's sidecar into its session: reads the article's bytes and the sidecar together
 * (or takes what FilePrefetch read while the workbench opened the article), paints a long
 * sidecar's first spans before the full load, and reconciles the sidecar with the live text.
 */
import * as vscode from 'vscode';
import { ArticleDecodeError, checkArticle, decodeArticle, hasBom, sha256Hex } from '../../core/article';
import { PreviewSpan, previewSpans, sidecarHead } from '../../core/sidecarPreview';
import { decodeSidecar, parseSidecar, PreviousText, readSidecarBytes, reconcileWithArticle, SidecarError } from '../../core/sidecar';
import { Disposable } from '../common/dispose';
import { beforeLongWork } from '../common/scheduling';
import { perfMark } from '../devProfile';
import { readBytes, vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleSession } from './articleSession';
import { FilePrefetch, FileStamp, readIdentified } from './filePrefetch';
import { Notifier } from './notifier';
import { SidecarWriter } from './sidecarWriter';
import { inWebWorker } from '../common/host';

/**
 * Sidecars shorter than this (about 800 annotations) load in a few milliseconds: a preview would
 * only add a drawing.
 */
const PREVIEW_MIN_BYTES = 256 * 1024;
/** Text read past the preview's end, so spans that start inside and end a little beyond are checked. */
const PREVIEW_SLACK = 4096;

export interface SidecarPreview {
  uri: vscode.Uri;
  /** The sidecar's spans starting before `upTo` (UTF-16) whose quotes are in place; the first ones only. */
  spansUpTo(upTo: number): PreviewSpan[];
}

export class SidecarLoader extends Disposable {
  private readonly previewEmitter = this._register(new vscode.EventEmitter<SidecarPreview>());
  /**
   * An article with a long sidecar is loading: its first spans can be painted now (the full load,
   * which fires `onDidOpen`, follows in a later task and draws what it holds).
   */
  readonly onDidPreview = this.previewEmitter.event;

  constructor(
    private readonly notify: Notifier,
    private readonly prefetch: FilePrefetch,
    private readonly writer: SidecarWriter,
  ) {
    super();
  }

  /**
   * Paints the top of a long sidecar's article from the file's head (see sidecarPreview.ts); false
   * when the sidecar is short enough to load at once.
   */
  preview(document: vscode.TextDocument, bytes: Uint8Array): boolean {
    if (bytes.length < PREVIEW_MIN_BYTES) return false;
    const head = sidecarHead(bytes);
    this.previewEmitter.fire({ uri: document.uri, spansUpTo: (upTo) => previewSpans(head, textPrefix(document, upTo + PREVIEW_SLACK), upTo) });
    perfMark('open: preview sent');
    return true;
  }

  /**
   * Loads (or reloads) the sidecar for a session from disk and reconciles it with the live text.
   * Runs in the session's queue. `preview`: the first load, which may paint a preview first
   * (`previewed`: one was already painted from the prefetched sidecar).
   */
  async readFromDisk(session: ArticleSession, preview = false, previewed = false): Promise<void> {
    const { document } = session;
    const untitled = document.uri.scheme === 'untitled';
    // the article's bytes (for its BOM and encoding) and the sidecar are read at the same time (or
    // were read while the workbench was still reading the article: see FilePrefetch)
    const early = preview && !untitled ? await this.prefetch.take(document.uri) : undefined;
    const [read, sidecar]: [PromiseSettledResult<ArticleBytes | undefined>, PromiseSettledResult<Uint8Array | undefined>] = early
      ? [{ status: 'fulfilled', value: { bytes: early.article, stamp: early.articleStamp } }, { status: 'fulfilled', value: early.sidecar }]
      : await Promise.allSettled([
          untitled ? Promise.resolve(undefined) : readArticle(document.uri),
          untitled ? Promise.resolve(undefined) : readSidecarBytes(vscodeFileSystem, session.sidecarUri.toString()),
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
    // the article is painted from its first spans before that, and the load waits for that paint
    if (preview && bytes !== undefined && (previewed || this.preview(document, bytes))) {
      await beforeLongWork();
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
    session.setDisk(json, bytes);
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
      const sha = session.liveSha(text);
      // an unsaved edit made before the session was ready (Replace in Files opens a closed article
      // and edits it at once): the bytes on disk are still the text the sidecar was written for
      const disk = article.status === 'fulfilled' ? article.value : undefined;
      const previous = parsed.article.sha256 !== sha && disk ? previousText(disk) : undefined;
      const loaded = reconcileWithArticle(session.sidecarUri.fsPath, parsed, text, sha, previous);
      session.base = parsed;
      session.state = { kind: 'ok' };
      session.doc.load(loaded.sidecar, text);
      if (loaded.reanchored) this.writer.reportReanchor(session, loaded.reanchored);
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      // what the editor holds stays (a reload of a file broken on disk must not take it away): the
      // message offers to write it back
      if (session.doc.size === 0) session.doc.load(undefined, text);
      this.notify.invalidSidecar(session, err);
    }
  }
}

/** Whether the live text is exactly the article's bytes on disk. */
/** The document's text when it is the file on disk (a reload, not an edit), else undefined. */
export async function textMatchingDisk(session: ArticleSession): Promise<string | undefined> {
  const bytes = await readBytes(session.uri).then(
    (b) => b,
    () => undefined,
  );
  if (!bytes) return undefined;
  const text = session.document.getText();
  return sha256Hex(bytes) === session.liveSha(text) ? text : undefined;
}

function textPrefix(document: vscode.TextDocument, length: number): string {
  return document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(length)));
}

interface ArticleBytes {
  bytes: Uint8Array;
  /** The file's size and modification time when read (local files only; see ArticleSession.openedStamp). */
  stamp?: FileStamp;
}

/** An article's bytes, with their stamp when the file is on the local disk. */
async function readArticle(uri: vscode.Uri): Promise<ArticleBytes> {
  // (a web worker's file: URIs are the browser's, read through workspace.fs alone)
  if (uri.scheme === 'file' && !inWebWorker) {
    const r = await readIdentified(uri.fsPath);
    if (r?.kind === 'read') return { bytes: r.bytes, stamp: { size: r.size, mtimeMs: r.mtimeMs } };
  }
  // (missing, or another error: reported as every other read reports it)
  return { bytes: await readBytes(uri) };
}

/** An article's bytes as the text a sidecar may have been written for (undefined: not a text). */
function previousText(bytes: Uint8Array): PreviousText | undefined {
  try {
    return { text: decodeArticle(bytes), sha256: sha256Hex(bytes) };
  } catch {
    return undefined;
  }
}
