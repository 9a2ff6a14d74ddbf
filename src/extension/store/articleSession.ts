/**
 * One open article: its document, its annotations, and what is on disk. Knows nothing of
 * decorations or views; they listen to `doc.onDidChange`.
 */
import * as vscode from 'vscode';
import type { FileStamp } from './filePrefetch';
import { AnnotationDocument } from '../../core/annotationDocument';
import { sameBytes, sha256Hex } from '../../core/article';
import { Sidecar } from '../../core/schema';
import { decodeSidecar, SidecarError } from '../../core/sidecar';
import { WriteQueue } from './writeQueue';

export type SessionState =
  | { kind: 'ok' }
  /** The sidecar on disk is not valid: nothing is written over it until it is fixed. */
  | { kind: 'invalid'; error: SidecarError }
  /** The article itself cannot be annotated (binary, not UTF-8). */
  | { kind: 'unreadable'; message: string };

/** How many of our own recent writes are remembered, so their watcher events are recognised. */
const OWN_WRITES = 16;

export class ArticleSession {
  state: SessionState = { kind: 'ok' };
  /** The sidecar text as last read from or written to disk (set with `setDisk`). */
  diskText: string | undefined;
  /** Its bytes, when known: a read that finds them again is `diskText`, without decoding megabytes. */
  private diskBytes: Uint8Array | undefined;
  /** The sidecar as last read or written: the base of a three-way merge. */
  base: Sidecar | undefined;
  /** Whether the article file starts with a BOM (kept when hashing the saved bytes). */
  hasBom = false;
  /**
   * The article file's size and modification time when the session loaded a clean document, until
   * the first change: while the file still has them, that change cannot be VS Code reloading a file
   * rewritten on disk (it is the user's first keystroke), and comparing the whole file with the
   * disk is skipped. Any change clears it (after a revert, a reload looks exactly like a keystroke).
   */
  openedStamp: FileStamp | undefined;
  /**
   * The article's text when it was last the file on disk (loaded clean, or saved with its
   * sidecar): a reload of the file rewritten on disk is followed through a diff from it.
   */
  savedText: string | undefined;
  /** A sidecar on disk whose changes conflict with ours, waiting for the user: nothing is written meanwhile. */
  conflict: { onDisk: string } | undefined;
  /** Reads and writes of this article's sidecar run one at a time, in order. */
  readonly queue = new WriteQueue();
  /** A write is queued and has not started yet (further requests join it). */
  writeQueued = false;
  /** When a write was last asked for (Date.now()): a long write waits for them to pause. */
  writeRequested = 0;
  /** A sidecar change on disk seen while VS Code had not yet reloaded the changed article. */
  pendingDiskSync = false;
  private readonly ownWrites: string[] = [];

  constructor(
    public document: vscode.TextDocument,
    readonly doc: AnnotationDocument,
  ) {}

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  get sidecarUri(): vscode.Uri {
    return this.uri.with({ path: this.uri.path + '.annotations.json' });
  }

  get writable(): boolean {
    return this.state.kind === 'ok' && !this.conflict;
  }

  /** The sidecar as it is on disk now (undefined: there is none), with its bytes when they are at hand. */
  setDisk(text: string | undefined, bytes?: Uint8Array): void {
    this.diskText = text;
    this.diskBytes = text === undefined ? undefined : bytes;
  }

  /** The text of sidecar bytes read from disk: `diskText` itself when they are its bytes (decoding a long sidecar holds the extension host for a hundred milliseconds). */
  decodeSidecar(file: string, bytes: Uint8Array): string {
    return this.diskText !== undefined && this.diskBytes && sameBytes(bytes, this.diskBytes) ? this.diskText : decodeSidecar(file, bytes);
  }

  /** Remembers a sidecar we wrote (its text and UTF-8): a watcher event that shows it is our own. */
  wrote(text: string, bytes: Uint8Array): void {
    this.setDisk(text, bytes);
    this.ownWrites.push(text);
    if (this.ownWrites.length > OWN_WRITES) this.ownWrites.shift();
  }

  isOurs(text: string): boolean {
    return text === this.diskText || this.ownWrites.includes(text);
  }

  /** The sha256 of the bytes the live text (the document's text now) is, or will be, saved as. */
  liveSha(text: string): string {
    // every write after a tag hashes the same text again (tens of milliseconds for a long report):
    // a tag does not change the document's version, so the hash is kept for it (length and BOM checked too)
    const key = { document: this.document, version: this.document.version, length: text.length, bom: this.hasBom };
    const last = this.lastSha;
    if (last && last.document === key.document && last.version === key.version && last.length === key.length && last.bom === key.bom) return last.sha;
    const sha = sha256Hex(encode(text, this.hasBom));
    this.lastSha = { ...key, sha };
    return sha;
  }

  private lastSha: { document: vscode.TextDocument; version: number; length: number; bom: boolean; sha: string } | undefined;
}

/** What the store's parts tell the views about a session (the store's events). */
export interface SessionEvents {
  /** A session was loaded, or reloaded or merged from disk. */
  opened(session: ArticleSession): void;
  /** A session's state or annotations changed. */
  changed(session: ArticleSession): void;
  /** A sidecar write finished (or was held back, or failed). */
  written(session: ArticleSession, outcome: string): void;
}

function encode(text: string, bom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
