/**
 * Compare Case Records (`misconduct.compareCaseRecords`): while comparing with another annotator's
 * set, their case records against mine, by the core's `computeCaseAgreement` (the one
 * `misconduct-annotate agree` runs): cases matched by the overlap of their evidence spans in the
 * same articles, agreement per field on matched cases, and the cases only one set has. Shown as a
 * read-only document; resolves with the report as `agree --json` gives it (`cases`).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { caseAgreementJson, caseAgreementLines, computeCaseAgreement } from '../../core/agreement';
import { nodeFileSystem } from '../../core/fileSystem';
import type { Later } from '../common/afterActivation';
import type { Command } from '../commands/command';
import type { Config } from '../config';
import type { CompareController } from './compareController';

const SCHEME = 'misconduct-case-agreement';

export class CompareCaseRecordsCommand implements Command {
  readonly id = 'misconduct.compareCaseRecords';
  private readonly reports = new Map<string, string>();
  private provider: vscode.Disposable | undefined;

  constructor(
    private readonly controller: Later<CompareController>,
    private readonly config: Config,
  ) {}

  async execute(arg?: { show?: boolean }): Promise<ReturnType<typeof caseAgreementJson> | undefined> {
    const theirs = this.controller().root;
    const uri = vscode.window.activeTextEditor?.document.uri;
    const mine = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!theirs || !mine || mine.uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Compare Case Records works while comparing with another annotator’s set (Compare with Annotation Set…) in a local folder.');
      return undefined;
    }
    const roots: [string, string] = [mine.uri.fsPath, theirs];
    const folders: [string, string] = [path.join(roots[0], ...this.config.casesFolder.split('/')), path.join(roots[1], ...this.config.casesFolder.split('/'))];
    const report = await computeCaseAgreement(nodeFileSystem, roots, folders, this.config.documentFields.map((f) => f.name));
    const name = path.basename(theirs);
    const text = [
      `Case records: mine (${roots[0]}) against ${name} (${theirs})`,
      '',
      ...(report.cases[0] || report.cases[1] ? caseAgreementLines(report, ['mine', name]) : ['Neither set has case records.']),
      ...(report.problems.length ? ['', 'Left out:', ...report.problems.map((p) => `  ${p}`)] : []),
      '',
    ].join('\n');
    if (arg?.show !== false) {
      this.provider ??= vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (u) => this.reports.get(u.path) ?? '' });
      const doc = vscode.Uri.from({ scheme: SCHEME, path: `/case agreement vs ${name}.txt` });
      this.reports.set(doc.path, text);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(doc), { preview: true });
    }
    return caseAgreementJson(report);
  }

  dispose(): void {
    this.provider?.dispose();
  }
}
