/**
 * Case records in the editor (issue 31): the commands New Case from Annotation…, Add to Case…,
 * Edit Case Field…, Find Articles About the Same Case…, Refresh Cases, and the Cases view. The
 * article's own Case view (src/extension/cases/) is separate and unchanged: it edits the article's form.
 */
import * as vscode from 'vscode';
import { registerCommands } from '../commands/command';
import type { AfterActivation } from '../common/afterActivation';
import type { Targets } from '../commands/target';
import type { Config } from '../config';
import type { ArticleStore } from '../store/articleStore';
import { CaseFolders } from './caseFolder';
import { CASES_TREE_ID, CasesTreeProvider } from './casesTree';
import { AddToCaseCommand, EditCaseFieldCommand, NewCaseFromAnnotationCommand } from './commands';
import { FindSameCaseArticlesCommand } from './findSameCase';

export function registerCaseRecords(context: vscode.ExtensionContext, deps: { store: ArticleStore; config: Config; targets: Targets }, later: AfterActivation): void {
  const folders = new CaseFolders(deps.config);
  const tree = new CasesTreeProvider(folders);
  context.subscriptions.push(
    folders,
    tree,
    registerCommands([
      new NewCaseFromAnnotationCommand(deps.targets, deps.config, folders),
      new AddToCaseCommand(deps.targets, deps.config, folders),
      new EditCaseFieldCommand(deps.config, folders, deps.store),
      new FindSameCaseArticlesCommand(deps.targets, deps.config, folders),
      { id: 'misconduct.refreshCases', execute: () => folders.refresh() },
    ]),
  );
  // the view reads nothing until it is expanded; a case file changed on disk (git, another window) refreshes it
  later.defer(() => {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.case.json');
    context.subscriptions.push(
      vscode.window.createTreeView(CASES_TREE_ID, { treeDataProvider: tree, showCollapseAll: true }),
      watcher,
      watcher.onDidChange(() => tree.refresh()),
      watcher.onDidCreate(() => tree.refresh()),
      watcher.onDidDelete(() => tree.refresh()),
    );
  });
}
