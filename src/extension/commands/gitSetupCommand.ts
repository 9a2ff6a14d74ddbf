/**
 * Set Up Git Merging for Annotations: what `misconduct-annotate git-setup` does, for a workspace
 * folder, with the driver bundled in this extension (dist/mergeDriver.js, the CLI's merge-driver verb alone).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { driverCommand, NotAGitRepository, setUpGitMerging } from '../../core/gitMerge';
import { Command } from './command';
import { inWebWorker, needsDesktopMessage } from '../common/host';

/**
 * The Node that runs the driver: this process when it is Node (code-server, remote hosts);
 * otherwise (the desktop app's Electron) `node` from the PATH git runs with.
 */
function nodeExecutable(): string {
  return /^node(\.exe)?$/i.test(path.basename(process.execPath)) ? process.execPath : 'node';
}

export class SetUpGitMergingCommand implements Command {
  readonly id = 'misconduct.setupGitMerging';

  constructor(private readonly extensionPath: string) {}

  async execute(arg?: unknown): Promise<string[] | undefined> {
    // the driver is a bundled Node program, run by git: a browser has neither
    if (inWebWorker) return void vscode.window.showInformationMessage(needsDesktopMessage('Git merging for annotations (a git merge driver run by Node)'));
    const folder = await this.folder(arg);
    if (!folder) return undefined;
    try {
      const report = await setUpGitMerging(folder, driverCommand(nodeExecutable(), path.join(this.extensionPath, 'dist', 'mergeDriver.js')));
      void vscode.window.showInformationMessage(`Git merging for annotations in ${report.root}: ${report.actions.join('; ')}.`);
      return report.actions;
    } catch (err) {
      const message = err instanceof NotAGitRepository ? err.message : `git setup failed: ${(err as Error).message}`;
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private async folder(arg: unknown): Promise<string | undefined> {
    if (arg instanceof vscode.Uri) return arg.fsPath;
    if (typeof arg === 'string') return arg;
    const local = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (local.length <= 1) {
      if (!local.length) void vscode.window.showErrorMessage('Set Up Git Merging needs a workspace folder on this computer.');
      return local[0]?.uri.fsPath;
    }
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Set up git merging for annotations in…' }))?.uri.fsPath;
  }
}
