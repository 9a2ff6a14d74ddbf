/**
 * One open article: its document, its annotations, and what is on disk. Knows nothing of
 * decorations or views; they listen to `doc.onDidChange`.
 */
import * as vscode from 'vscode';
import { AnnotationDocument } from '../../core/annotationDocument';
import { Sidecar } from '../../core/schema';
import { SidecarError } from '../../core/sidecar';

export type SessionState =
  | { kind: 'ok' }
  /** The sidecar on disk is not valid: nothing is written over it until it is fixed. */
  | { kind: 'invalid'; error: SidecarError }
  /** The article itself cannot be annotated (binary, not UTF-8). */
  | { kind: 'unreadable'; message: string };

export class ArticleSession {
  state: SessionState = { kind: 'ok' };
  /** The sidecar text as last read from or written to disk: our own writes are recognised by it. */
  diskText: string | undefined;
  /** The sidecar as last read or written: the base of a three-way merge. */
  base: Sidecar | undefined;
  /** Whether the article file starts with a BOM (kept when hashing the saved bytes). */
  hasBom = false;
  /** An unresolved merge conflict with the sidecar on disk: writing waits for the user. */
  conflicted = false;

  constructor(
    readonly document: vscode.TextDocument,
    readonly doc: AnnotationDocument,
  ) {}

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  get sidecarUri(): vscode.Uri {
    return this.uri.with({ path: this.uri.path + '.annotations.json' });
  }

  get writable(): boolean {
    return this.state.kind === 'ok' && !this.conflicted;
  }
}
