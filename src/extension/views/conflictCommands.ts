/**
 * Merge conflicts the git merge driver recorded in a sidecar (`conflicts`): Accept Theirs / Keep
 * Mine from the Annotations view (and its "Merge Conflicts" group, shown in compare mode too).
 *
 * A resolution is a change to the article's live annotations, like any other: one undo step
 * (Undo Annotation brings the conflict back with what it replaced), saved as annotation changes
 * are (at once for a clean article, with the article otherwise). The rules themselves are the
 * core's `resolveConflict`, applied here to the session's document through `settleConflicts`.
 */
import * as vscode from 'vscode';
import { sha256Hex } from '../../core/article';
import { conflictName, resolveConflict, settlementOf, UnresolvableConflict } from '../../core/merge';
import { Command, toUri } from '../commands/command';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../common/names';

/**
 * `{ uri, conflict }`: the article and the conflict's name (an annotation id, `relation:<id>`,
 * `field:<name>` or `status`); a Merge Conflicts tree item passes both.
 */
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
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    const session = await this.store.open(document);
    if (!session) return false;
    if (!session.writable) {
      const why = session.state.kind === 'invalid' ? 'its annotations file is not valid' : session.state.kind === 'unreadable' ? 'it cannot be read as text' : 'its annotations file changed on disk and waits for your answer';
      void vscode.window.showWarningMessage(`The merge conflict in ${basename(uri)} cannot be resolved now: ${why}.`);
      return false;
    }
    const conflict = session.doc.conflicts.find((c) => conflictName(c) === args.conflict);
    if (!conflict) return false;
    // the live annotations in the sidecar's shape (code points), with the live text's hash, so an
    // accepted annotation whose quote is elsewhere in this text is found again by quote
    const text = session.document.getText();
    const sha256 = sha256Hex(new TextEncoder().encode(text));
    const current = session.doc.toSidecar(text, sha256);
    try {
      const resolved = resolveConflict(current, conflict, this.accept, { text, sha256 });
      session.doc.settleConflicts(text, settlementOf(current, resolved));
    } catch (err) {
      if (!(err instanceof UnresolvableConflict)) throw err;
      void vscode.window.showWarningMessage(`Cannot accept theirs in ${basename(uri)} yet: ${err.message}`);
      return false;
    }
    // a clean article's annotations are written at once (the change asked for it): done when on disk
    if (!session.document.isDirty) await this.store.flush(session);
    return true;
  }
}
