/**
 * Case records in the editor (issue 31): the commands New Case from Annotation…, Add to Case…,
 * Edit Case Field…, Find Articles About the Same Case…, Refresh Cases, the Cases view, the Case
 * record editor (Open Case Record…, Undo/Redo Case Edit) and Merge Cases…. The
 * article's own Case view (src/extension/cases/) is separate and unchanged: it edits the article's form.
 */
import * as vscode from 'vscode';
import { registerCommands } from '../commands/command';
import type { AfterActivation } from '../common/afterActivation';
import type { Targets } from '../commands/target';
import type { ContextKeyService } from '../common/contextKeys';
import type { Config } from '../config';
import type { ArticleStore } from '../store/articleStore';
import { CaseFolders } from './caseFolder';
import { CASES_TREE_ID, CasesTreeProvider } from './casesTree';
import { AddToCaseCommand, EditCaseFieldCommand, NewCaseFromAnnotationCommand } from './commands';
import { articleForms } from './articleForms';
import { CaseEditorController, CaseEditorState } from './editor';
import { CaseEditStepCommand, MergeCasesCommand, OpenCaseRecordCommand } from './editorCommands';
import { FindSameCaseArticlesCommand } from './findSameCase';

/** On `MisconductApi.caseRecords` (the integration tests read the editor through it). */
export interface CaseRecordsApi {
  /** The Case record editor, once opened. */
  editor(): CaseEditorController | undefined;
  lastState(): CaseEditorState | undefined;
}

export function registerCaseRecords(context: vscode.ExtensionContext, deps: { store: ArticleStore; config: Config; targets: Targets; keys: ContextKeyService }, later: AfterActivation): CaseRecordsApi {
  const folders = new CaseFolders(deps.config);
  const tree = new CasesTreeProvider(folders);
  let editor: CaseEditorController | undefined;
  // made when first opened, so activation does not load the editor's code
  const openEditor = () => {
    if (editor) return editor;
    editor = new CaseEditorController({
      extensionUri: context.extensionUri,
      folders,
      fields: () => deps.config.documentFields,
      forms: (root, record) => articleForms(deps.store, root, record),
      setFocus: (focused) => deps.keys.set('caseEditorFocus', focused),
    });
    context.subscriptions.push(editor);
    return editor;
  };
  context.subscriptions.push(
    folders,
    tree,
    registerCommands([
      new OpenCaseRecordCommand(folders, openEditor),
      new CaseEditStepCommand('undo', folders, () => editor),
      new CaseEditStepCommand('redo', folders, () => editor),
      new MergeCasesCommand(deps.config, folders),
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
      watcher.onDidChange(() => folders.refresh()),
      watcher.onDidCreate(() => folders.refresh()),
      watcher.onDidDelete(() => folders.refresh()),
    );
  });
  return { editor: () => editor, lastState: () => editor?.lastState() };
}
