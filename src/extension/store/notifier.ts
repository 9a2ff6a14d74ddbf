/**
 * Every message the store shows the user, in one place: the words, the buttons, and the commands
 * behind them. Messages about the same article are not repeated while one is still open.
 */
import * as vscode from 'vscode';
import { SidecarError } from '../../core/sidecar';
import { basename } from '../common/names';
import { ArticleSession } from './articleSession';

export class Notifier {
  /** Keys of messages on screen now. */
  private readonly showing = new Set<string>();
  /** Keys of messages shown once for as long as VS Code stays open. */
  private readonly told = new Set<string>();

  /**
   * Shows a message unless the one under the same key is still on screen; with `ever`, unless it
   * was ever shown (a message every tag would otherwise bring back).
   */
  private once(key: string, show: () => Thenable<unknown>, ever = false): void {
    if (this.showing.has(key) || (ever && this.told.has(key))) return;
    this.showing.add(key);
    if (ever) this.told.add(key);
    void Promise.resolve(show()).finally(() => this.showing.delete(key));
  }

  error(message: string): void {
    void vscode.window.showErrorMessage(message);
  }

  invalidSidecar(session: ArticleSession, error: SidecarError): void {
    const first = error.problems[0]?.message ?? error.message;
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more problem${error.problems.length > 2 ? 's' : ''})` : '';
    // the editor may still hold the annotations the file had before it broke (a workspace-wide
    // replace, a bad merge): they can be written back, over the broken file, when the user says so
    const held = session.doc.size;
    const writeBack = held ? [`Write Back ${held} Annotation${held > 1 ? 's' : ''}`] : [];
    this.once(`invalid:${session.uri}`, async () => {
      const choice = await vscode.window.showErrorMessage(
        `The annotations of ${basename(session.uri)} cannot be loaded, and nothing will be written over them until they are fixed${held ? ' or you write back the ones the editor holds' : ''}: ${first}${more}`,
        ...writeBack,
        'Open Sidecar',
        'Reload',
      );
      if (choice === 'Open Sidecar') await vscode.commands.executeCommand('misconduct.openSidecar', session.uri);
      if (choice === 'Reload') await vscode.commands.executeCommand('misconduct.reloadAnnotations', session.uri);
      if (choice && writeBack.includes(choice)) await vscode.commands.executeCommand('misconduct.writeBackAnnotations', { uri: session.uri.toString() });
    });
  }

  unreadable(session: ArticleSession, message: string): void {
    this.once(`unreadable:${session.uri}`, () => vscode.window.showWarningMessage(`${basename(session.uri)} cannot be annotated: ${message}`));
  }

  orphans(session: ArticleSession, count: number): void {
    this.once(`orphans:${session.uri}`, async () => {
      const choice = await vscode.window.showWarningMessage(
        `${basename(session.uri)} changed: ${count} annotation${count > 1 ? 's' : ''} could not be found again and ${count > 1 ? 'are' : 'is'} kept as orphaned.`,
        'List Orphans',
      );
      if (choice) await vscode.commands.executeCommand('misconduct.listOrphans', session.uri);
    });
  }

  removedByEdit(session: ArticleSession, count: number): void {
    vscode.window.setStatusBarMessage(`$(trash) ${count} annotation${count > 1 ? 's' : ''} removed with the deleted text (undo brings ${count > 1 ? 'them' : 'it'} back)`, 5000);
    void session;
  }

  reattached(session: ArticleSession, count: number): void {
    vscode.window.setStatusBarMessage(`$(pass) ${count} orphaned annotation${count > 1 ? 's' : ''} found again and re-attached in ${basename(session.uri)}`, 5000);
  }

  /** Once per article while VS Code stays open: every tag would ask again. */
  mixedLineEndings(session: ArticleSession): void {
    this.once(
      `eol:${session.uri}`,
      async () => {
        const choice = await vscode.window.showWarningMessage(
          `${basename(session.uri)} mixes line endings (CRLF and LF), and VS Code shows them all as one kind, so its annotations cannot be saved against the file as it is on disk. They are kept while VS Code stays open: save the article to write it as it is shown, and its annotations with it.`,
          'Save Article',
        );
        if (!choice) return;
        await vscode.window.showTextDocument(session.document);
        await vscode.commands.executeCommand('workbench.action.files.save');
      },
      true,
    );
  }

  writeFailed(session: ArticleSession, err: Error): void {
    const code = (err as { code?: string }).code ?? '';
    const readOnly = /EACCES|EPERM|EROFS|NoPermissions/.test(code + err.message);
    const why = readOnly ? 'the folder is read-only' : err.message;
    this.once(`write:${session.uri}`, () =>
      vscode.window.showErrorMessage(
        `Could not save the annotations of ${basename(session.uri)} (${why}). They are kept while VS Code stays open; the next save tries again.`,
      ),
    );
  }

  async mergeConflict(session: ArticleSession, count: number): Promise<'mine' | 'theirs' | undefined> {
    // not modal: a modal would take the keyboard from someone typing (auto-save writes while they do)
    const choice = await vscode.window.showWarningMessage(
      `The annotations of ${basename(session.uri)} changed on disk while you had unsaved changes, and both changed the same ${count === 1 ? 'thing' : `${count} things`} (annotations, relations, form fields or status) differently. Nothing is written until you choose.`,
      'Keep Mine',
      'Take Theirs',
    );
    return choice === 'Keep Mine' ? 'mine' : choice === 'Take Theirs' ? 'theirs' : undefined;
  }

  async sidecarDeleted(session: ArticleSession): Promise<'restore' | 'clear' | undefined> {
    const choice = await vscode.window.showWarningMessage(
      `The annotations file of ${basename(session.uri)} was deleted. Its ${session.doc.size} annotation${session.doc.size > 1 ? 's are' : ' is'} still open here.`,
      'Write Them Back',
      'Clear Them',
    );
    return choice === 'Write Them Back' ? 'restore' : choice === 'Clear Them' ? 'clear' : undefined;
  }
}
