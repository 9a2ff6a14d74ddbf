/**
 * The Case record editor: a webview panel over one case record. Per codebook field, the case's
 * value beside the value each of its articles' own forms gives (src/core/cases/edit.ts), the
 * disagreements marked; a click, or a row's number key, takes a value into the case (written at
 * once, with that article's form as evidence, undoable). The articles' forms are only read.
 */
import * as vscode from 'vscode';
import { caseArticles, caseEditorRows, CaseRecord, setCaseField, takeArticleValue } from '../../../core/cases';
import type { FieldDefinition } from '../../../core/codebook';
import type { DocumentForm } from '../../../core/schema';
import type { CaseFolders } from '../caseFolder';
import { caseEditorHtml } from './html';
import type { CaseEditorState, FromEditor } from './protocol';

const VIEW_TYPE = 'misconduct.caseRecord';

export interface CaseEditorDeps {
  extensionUri: vscode.Uri;
  folders: CaseFolders;
  fields: () => readonly FieldDefinition[];
  forms: (root: vscode.WorkspaceFolder, record: CaseRecord) => Promise<Map<string, DocumentForm>>;
  /** Whether the editor is the active panel (the `misconduct.caseEditorFocus` context key: Ctrl+Z undoes case edits). */
  setFocus: (focused: boolean) => void;
}

export class CaseEditorController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: { root: vscode.WorkspaceFolder; id: string } | undefined;
  private ready = false;
  private posted: CaseEditorState | undefined;
  private status: string | undefined;
  private readonly postedEmitter = new vscode.EventEmitter<CaseEditorState>();
  /** A new state was posted (tests await it instead of sleeping). */
  readonly onDidPost = this.postedEmitter.event;
  private readonly cspViolations: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: CaseEditorDeps) {
    // a write by any command, an undo, or a case file changed on disk redraws the case shown
    this.subscription = deps.folders.onDidChange(() => void this.update());
  }

  /** The case shown (undefined: no editor open). */
  current(): { root: vscode.WorkspaceFolder; id: string } | undefined {
    return this.panel && this.shown;
  }

  lastState(): CaseEditorState | undefined {
    return this.posted;
  }

  violations(): readonly string[] {
    return this.cspViolations;
  }

  /** Opens (or reveals) the editor on a case; resolves with the state shown. */
  async show(root: vscode.WorkspaceFolder, id: string): Promise<CaseEditorState> {
    this.shown = { root, id };
    this.status = undefined;
    if (this.panel) this.panel.reveal();
    else this.panel = this.createPanel();
    return this.update();
  }

  private createPanel(): vscode.WebviewPanel {
    const { extensionUri } = this.deps;
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Case record', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [webviewRoot, media] });
    panel.iconPath = vscode.Uri.joinPath(media, 'misconduct.svg');
    this.ready = false;
    panel.webview.html = caseEditorHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'caseRecord.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'caseRecord.css')).toString(),
    });
    this.deps.setFocus(true);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((m: FromEditor) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => this.deps.setFocus(e.webviewPanel.active)),
      panel.onDidDispose(() => {
        subscriptions.forEach((s) => s.dispose());
        if (this.panel === panel) {
          this.panel = undefined;
          this.deps.setFocus(false);
        }
      }),
    ];
    return panel;
  }

  /** Reads the case and its articles' forms again and posts them. */
  async update(): Promise<CaseEditorState> {
    if (!this.panel || !this.shown) return { kind: 'none', message: 'No case is open.' };
    const { root, id } = this.shown;
    let state: CaseEditorState;
    try {
      const record = await this.deps.folders.read(root, id);
      if (!record) state = { kind: 'none', message: `Case ${id} is not in the cases folder any more (removed or joined into another case).` };
      else {
        const history = this.deps.folders.history;
        state = {
          kind: 'case',
          id,
          title: record.title,
          articles: caseArticles(record),
          rows: caseEditorRows(record, await this.deps.forms(root, record), this.deps.fields()),
          canUndo: history.canUndo(id),
          canRedo: history.canRedo(id),
          ...(this.status ? { status: this.status } : {}),
        };
        this.panel.title = `Case: ${record.title}`;
      }
    } catch (err) {
      state = { kind: 'none', message: (err as Error).message.split('\n')[0] };
    }
    this.posted = state;
    if (this.ready) void this.panel?.webview.postMessage({ type: 'state', state });
    this.postedEmitter.fire(state);
    return state;
  }

  private async onMessage(m: FromEditor): Promise<void> {
    switch (m?.type) {
      case 'ready':
        this.ready = true;
        await this.update();
        return;
      case 'take':
        await this.take(m.field, m.file);
        return;
      case 'clear':
        await this.clear(m.field);
        return;
      case 'undo':
      case 'redo':
        await vscode.commands.executeCommand(m.type === 'undo' ? 'misconduct.undoCaseEdit' : 'misconduct.redoCaseEdit');
        return;
      case 'open':
        if (this.shown) await vscode.window.showTextDocument(vscode.Uri.joinPath(this.shown.root.uri, ...m.file.split('/')), { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
      case 'cspViolation':
        this.cspViolations.push(m.directive);
        return;
    }
  }

  /** Takes the value article `file`'s form gives for `field` into the case shown; resolves with the record written. */
  async take(field: string, file: string): Promise<CaseRecord | undefined> {
    return this.change(async (root, record) => {
      const value = new Map(Object.entries((await this.deps.forms(root, record)).get(file) ?? {})).get(field);
      if (value === undefined || value === null) return { message: `${file} gives no ${field} (its form changed?): nothing taken.` };
      return { record: takeArticleValue(record, field, file, value, new Date().toISOString()), what: `take ${field} from ${file}` };
    });
  }

  async clear(field: string): Promise<CaseRecord | undefined> {
    return this.change(async (_root, record) => ({ record: setCaseField(record, field, null, new Date().toISOString()), what: `clear ${field}` }));
  }

  /** An edit of the case shown, on the record as it is on disk now; every refusal is one line in the editor. */
  private async change(edit: (root: vscode.WorkspaceFolder, record: CaseRecord) => Promise<{ record: CaseRecord; what: string } | { message: string }>): Promise<CaseRecord | undefined> {
    if (!this.shown) return undefined;
    const { root, id } = this.shown;
    try {
      const before = await this.deps.folders.read(root, id);
      if (!before) throw new Error(`Case ${id} is not in the cases folder any more.`);
      const result = await edit(root, before);
      if ('message' in result) {
        this.status = result.message;
      } else {
        this.status = `Done: ${result.what}. Ctrl+Z undoes it.`;
        await this.deps.folders.edit(root, before, result.record, result.what);
        return result.record;
      }
    } catch (err) {
      this.status = `Not saved: ${(err as Error).message.split('\n')[0]}`;
    }
    await this.update();
    return undefined;
  }

  /** After an undo or redo: its outcome, shown in the editor. */
  note(message: string): void {
    this.status = message;
    void this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.postedEmitter.dispose();
    this.panel?.dispose();
  }
}
