/**
 * Where a workspace folder's case records live (`misconduct.casesFolder` under the folder) and
 * their reads and writes, through the core (src/core/cases) over the extension's file system.
 * The core module is loaded the first time a case is read or written, never at activation.
 */
import * as vscode from 'vscode';
import { caseFileName, checkEvidence, CaseRecord, EvidenceProblem, listCases, LoadedCase, writeCase } from '../../core/cases';
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

  constructor(private readonly config: Config) {}

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

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
