/**
 * Import Articles from Web Pages…: what `misconduct-annotate import` does, with a progress
 * notification and its report in the "Misconduct Annotator: Import" output channel. Readability and
 * linkedom live in the lazy import module, loaded on the first import, so activation never reads them.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/fileSystem';
import { describeResult, describeSummary, importPages, ImportSummary } from '../../core/import';
import { Command, toUri } from './command';
import { inWebWorker, needsDesktopMessage } from '../common/host';

/** Arguments for tests and keybindings: with both, nothing is asked. */
interface ImportArgs {
  /** Saved pages or folders of them. */
  uris?: Array<vscode.Uri | string>;
  /** The corpus folder the articles go into (default: the workspace folder, asked when there are several). */
  out?: vscode.Uri | string;
}

export class ImportArticlesCommand implements Command, vscode.Disposable {
  readonly id = 'misconduct.importArticles';
  private channel: vscode.OutputChannel | undefined;

  private get log(): vscode.OutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel('Misconduct Annotator: Import'));
  }

  async execute(arg?: unknown): Promise<ImportSummary | undefined> {
    // saved pages are files on this computer, parsed by a DOM library that is only in the Node build
    if (inWebWorker) return void vscode.window.showInformationMessage(needsDesktopMessage('Import Articles from Web Pages'));
    const args: ImportArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as ImportArgs) : {};
    const pages = args.uris?.length ? args.uris.map((u) => toUri(u)!) : await this.askPages();
    if (!pages?.length) return undefined;
    const out = args.out ? toUri(args.out) : await this.askFolder();
    if (!out) return undefined;
    const notLocal = [...pages, out].find((u) => u.scheme !== 'file');
    if (notLocal) {
      void vscode.window.showErrorMessage(`Import Articles reads and writes files on this computer; ${notLocal.toString(true)} is not one.`);
      return undefined;
    }
    await fs.promises.mkdir(out.fsPath, { recursive: true });
    this.log.appendLine(`Importing ${pages.length} page(s) or folder(s) into ${out.fsPath}`);
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Importing articles', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return importPages(
          nodeFileSystem,
          pages.map((p) => p.fsPath),
          out.fsPath,
          {
            signal: controller.signal,
            onResult: (r) => {
              this.log.appendLine(describeResult(r));
              progress.report({ message: r.kind === 'imported' ? r.article : undefined });
            },
          },
        ).catch((err: unknown) => {
          if (controller.signal.aborted) return undefined;
          throw err;
        });
      },
    );
    if (!summary) {
      this.log.appendLine('Import cancelled; the articles imported so far are kept.');
      return undefined;
    }
    const line = describeSummary(summary);
    this.log.appendLine(line);
    const show = summary.failed || summary.copies || summary.nearCopies ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`${line}.`, 'Show Details').then((pick) => pick && this.log.show(true));
    return summary;
  }

  private async askPages(): Promise<vscode.Uri[] | undefined> {
    return vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      filters: { 'Saved web pages': ['html', 'htm'] },
      openLabel: 'Import',
      title: 'Import Articles from Web Pages',
    });
  }

  private async askFolder(): Promise<vscode.Uri | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 1) return folders[0].uri;
    if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Import the articles into…' }))?.uri;
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Import Here', title: 'The corpus folder for the articles' });
    return picked?.[0];
  }

  dispose(): void {
    this.channel?.dispose();
  }
}
