/**
 * Where a workspace folder's case records live (`misconduct.casesFolder` under the folder) and
 * their reads and writes, through the core (src/core/cases) over the extension's file system.
 * The core module is loaded the first time a case is read or written, never at activation.
 */
import * as vscode from 'vscode';
import { caseFileName, CaseHistory, checkEvidence, CaseRecord, CaseStep, EvidenceProblem, isUnchanged, listCases, LoadedCase, parseCase, readCaseText, removeCase, writeCase } from '../../core/cases';
import type { Config } from '../config';
import { vscodeFileSystem } from '../vscodeFileSystem';

export interface FolderCases {
  root: vscode.WorkspaceFolder;
  folder: vscode.Uri;
  cases: LoadedCase[];
  /** One line per case file left out. */
  problems: string[];
}

export class CaseFolders {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired after a case record is written here (the Cases view refreshes). */
  readonly onDidChange = this.changed.event;

  /** Made on the first case edit: the core's case module loads on first use, never at activation. */
  private edits: CaseHistory | undefined;
  /** The workspace folder of each case edited (undo writes there). */
  private readonly rootOfCase = new Map<string, vscode.WorkspaceFolder>();

  constructor(private readonly config: Config) {}

  get history(): CaseHistory {
    return (this.edits ??= new CaseHistory());
  }

  /** The workspace folder holding `uri` (the corpus its case records belong to). */
  rootOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.getWorkspaceFolder(uri);
  }

  folderOf(root: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(root.uri, ...this.config.casesFolder.split('/'));
  }

  /** The article's path relative to its workspace folder, with `/`: its name in evidence. */
  articlePath(root: vscode.WorkspaceFolder, uri: vscode.Uri): string {
    const base = root.uri.path.endsWith('/') ? root.uri.path : `${root.uri.path}/`;
    return uri.path.startsWith(base) ? uri.path.slice(base.length) : vscode.workspace.asRelativePath(uri, false);
  }

  async list(root: vscode.WorkspaceFolder): Promise<FolderCases> {
    const folder = this.folderOf(root);
    const listing = await listCases(vscodeFileSystem, folder.toString());
    return { root, folder, cases: listing.cases, problems: listing.problems };
  }

  async problems(root: vscode.WorkspaceFolder, records: readonly CaseRecord[]): Promise<EvidenceProblem[]> {
    return checkEvidence(vscodeFileSystem, root.uri.toString(), records);
  }

  /** Writes a record (creating the cases folder); refuses to replace a file that is not a valid case record. */
  async write(root: vscode.WorkspaceFolder, record: CaseRecord): Promise<vscode.Uri> {
    const folder = this.folderOf(root);
    await vscode.workspace.fs.createDirectory(folder);
    const file = vscode.Uri.joinPath(folder, caseFileName(record.id));
    await writeCase(vscodeFileSystem, file.toString(), record);
    this.changed.fire();
    return file;
  }

  /** Writes an edit of a case (`before` as read; undefined: a new case) and keeps it for undo. */
  async edit(root: vscode.WorkspaceFolder, before: CaseRecord | undefined, after: CaseRecord, what: string): Promise<vscode.Uri> {
    const file = await this.write(root, after);
    this.history.push({ caseId: after.id, what, before, after });
    this.rootOfCase.set(after.id, root);
    return file;
  }

  /** The case file as it is on disk now (undefined: none; a `CaseFileError` when it is not a valid case record). */
  async read(root: vscode.WorkspaceFolder, id: string): Promise<CaseRecord | undefined> {
    const file = vscode.Uri.joinPath(this.folderOf(root), caseFileName(id));
    const text = await readCaseText(vscodeFileSystem, file.toString());
    return text === undefined ? undefined : parseCase(vscode.workspace.asRelativePath(file), text);
  }

  /**
   * Undoes (or redoes) the newest edit of `caseId` (else of the case edited last), only when the file
   * still holds what that edit wrote: an edit made elsewhere since (git, another window, by hand) is
   * never overwritten. Returns what was done, or why not, in one line.
   */
  async step(kind: 'undo' | 'redo', caseId?: string): Promise<{ done: boolean; message: string; caseId?: string }> {
    const step: CaseStep | undefined = kind === 'undo' ? this.history.undo(caseId) : this.history.redo(caseId);
    if (!step) return { done: false, message: `There is no case edit to ${kind}${caseId ? ` for ${caseId}` : ''}.` };
    const id = step.change.caseId;
    const root = this.rootOfCase.get(id);
    let onDisk: CaseRecord | undefined;
    try {
      onDisk = root && (await this.read(root, id));
    } catch {
      onDisk = undefined;
    }
    if (!root || !isUnchanged(onDisk, step.expect)) {
      this.history.forget(id);
      return { done: false, caseId: id, message: `Case ${id} changed on disk since “${step.change.what}”: not ${kind === 'undo' ? 'undone' : 'redone'}, and its edit history is cleared.` };
    }
    if (step.record) await this.write(root, step.record);
    else await this.remove(root, step.expect!, false);
    this.history.done(step, kind);
    return { done: true, caseId: id, message: `${kind === 'undo' ? 'Undid' : 'Redid'} “${step.change.what}” (case ${id}).` };
  }

  /** Removes a case file we read as `record` (Merge Cases…, undoing a new case), only while it is still that record. */
  async remove(root: vscode.WorkspaceFolder, record: CaseRecord, forget = true): Promise<void> {
    const file = vscode.Uri.joinPath(this.folderOf(root), caseFileName(record.id));
    await removeCase(vscodeFileSystem, file.toString(), record);
    if (forget) this.history.forget(record.id);
    this.changed.fire();
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
