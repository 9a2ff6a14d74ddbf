/**
 * Merge conflicts the git merge driver recorded in a sidecar (`conflicts`): Accept Theirs / Keep
 * Mine from the Annotations view. They resolve in the file on disk (the store reloads it), so an
 * article with unsaved changes is saved first.
 */
import * as vscode from 'vscode';
import { decodeArticle, sha256Hex } from '../../core/article';
import { conflictName, resolveConflict } from '../../core/merge';
import { parseSidecar, readSidecarText, SIDECAR_SUFFIX, SidecarError, SidecarProtectedError, writeSidecar } from '../../core/sidecar';
import { Command, toUri } from '../commands/command';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../store/notifier';
import { vscodeFileSystem } from '../vscodeFileSystem';

/** `{ uri, conflict }`: the article and the conflict's name (an annotation id, or `status`); a tree item passes both. */
interface ConflictArgs {
  uri?: vscode.Uri | string;
  conflict?: string;
}

export class ResolveMergeConflictCommand implements Command {
  constructor(
    readonly id: string,
    private readonly store: ArticleStore,
    private readonly accept: 'theirs' | 'mine',
  ) {}

  async execute(arg?: unknown): Promise<boolean> {
    const args = (arg && typeof arg === 'object' ? arg : {}) as ConflictArgs;
    const uri = toUri(args.uri) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri || typeof args.conflict !== 'string') return false;
    const session = this.store.get(uri);
    if (session && (session.document.isDirty || session.doc.dirty)) {
      void vscode.window.showWarningMessage(`Save ${basename(uri)} first: a merge conflict is resolved in its annotations file.`);
      return false;
    }
    const sidecarUri = uri.with({ path: uri.path + SIDECAR_SUFFIX });
    try {
      const json = await readSidecarText(vscodeFileSystem, sidecarUri.toString());
      if (json === undefined) return false;
      const sidecar = parseSidecar(sidecarUri.fsPath, json);
      const conflict = sidecar.conflicts?.find((c) => conflictName(c) === args.conflict);
      if (!conflict) return false;
      const bytes = await vscode.workspace.fs.readFile(uri);
      const resolved = resolveConflict(sidecar, conflict, this.accept, { text: decodeArticle(bytes), sha256: sha256Hex(bytes) });
      await writeSidecar(vscodeFileSystem, sidecarUri.toString(), resolved);
      if (session) await this.store.reload(session);
      return true;
    } catch (err) {
      const why = err instanceof SidecarError || err instanceof SidecarProtectedError ? err.message : (err as Error).message;
      void vscode.window.showErrorMessage(`The merge conflict in ${basename(uri)} was not resolved: ${why}`);
      return false;
    }
  }
}
