/**
 * The commands of the Case record editor (issue 31): `misconduct.openCaseRecord` `{ uri, caseId }`,
 * `misconduct.undoCaseEdit` and `misconduct.redoCaseEdit` `{ caseId }` (Ctrl+Z and Ctrl+Shift+Z
 * while the editor is focused; without a case: the case shown, else the one edited last), and
 * `misconduct.mergeCases` `{ uri, a, b, choices }`. A Cases view row passes its node `{ record, root }`.
 * The editor's code is the lazy `caseEditor` module (editor/), loaded on first use.
 */
import * as vscode from 'vscode';
import type { CaseRecord } from '../../core/cases';
import { Command, toUri } from '../commands/command';
import type { Config } from '../config';
import type { CaseFolders } from './caseFolder';
import type { CaseEditorController, CaseEditorState, MergeArgs } from './editor';
import { mergeCasesFlow } from './editor';

interface CaseCommandArgs {
  uri?: vscode.Uri | string;
  caseId?: string;
  /** A Cases view node. */
  record?: CaseRecord;
  root?: vscode.WorkspaceFolder;
}

/** The workspace folder and case an argument names: a Cases view node, `{ uri, caseId }`, or the active editor's folder. */
function target(folders: CaseFolders, arg: unknown): { root?: vscode.WorkspaceFolder; caseId?: string } {
  const a = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : { uri: arg }) as CaseCommandArgs;
  if (a.record && a.root) return { root: a.root, caseId: a.caseId ?? a.record.id };
  const uri = toUri(a.uri) ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return { root: uri && folders.rootOf(uri), caseId: a.caseId };
}

export class OpenCaseRecordCommand implements Command {
  readonly id = 'misconduct.openCaseRecord';
  constructor(
    private readonly folders: CaseFolders,
    private readonly editor: () => CaseEditorController,
  ) {}

  async execute(arg?: unknown): Promise<CaseEditorState | undefined> {
    const { root, caseId } = target(this.folders, arg);
    if (!root) {
      void vscode.window.showInformationMessage('Open the corpus as a workspace folder to edit its cases.');
      return undefined;
    }
    let id = caseId;
    if (id === undefined) {
      const { cases } = await this.folders.list(root);
      if (!cases.length) {
        void vscode.window.showInformationMessage('There are no case records yet: make one with New Case from Annotation….');
        return undefined;
      }
      id = (await vscode.window.showQuickPick(cases.map((c) => ({ label: c.record.title, description: c.record.id, id: c.record.id })), { title: 'Open Case Record', matchOnDescription: true }))?.id;
    }
    return id === undefined ? undefined : this.editor().show(root, id);
  }
}

export class CaseEditStepCommand implements Command {
  readonly id: string;
  constructor(
    private readonly kind: 'undo' | 'redo',
    private readonly folders: CaseFolders,
    private readonly editor: () => CaseEditorController | undefined,
  ) {
    this.id = kind === 'undo' ? 'misconduct.undoCaseEdit' : 'misconduct.redoCaseEdit';
  }

  /** Resolves with whether a step was written. */
  async execute(arg?: { caseId?: string }): Promise<boolean> {
    const editor = this.editor();
    const result = await this.folders.step(this.kind, arg?.caseId ?? editor?.current()?.id);
    if (editor?.current()) editor.note(result.message);
    else if (result.done) vscode.window.setStatusBarMessage(result.message, 4000);
    else void vscode.window.showInformationMessage(result.message);
    return result.done;
  }
}

export class MergeCasesCommand implements Command {
  readonly id = 'misconduct.mergeCases';
  constructor(
    private readonly config: Config,
    private readonly folders: CaseFolders,
  ) {}

  async execute(arg?: unknown): Promise<CaseRecord | undefined> {
    const { root, caseId } = target(this.folders, arg);
    if (!root) {
      void vscode.window.showInformationMessage('Open the corpus as a workspace folder to merge its cases.');
      return undefined;
    }
    const given = (arg && typeof arg === 'object' && !('record' in arg) ? arg : {}) as MergeArgs;
    return mergeCasesFlow(this.folders, root, this.config.documentFields, { ...given, a: given.a ?? caseId });
  }
}
