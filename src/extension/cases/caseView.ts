/**
 * The Case view: a webview view in the Misconduct Annotator sidebar that edits the active
 * article's coding form (`session.doc.setField`), one control per configured field, with the
 * pre-fill from the article's annotations beside each. Nothing is built or subscribed until VS Code
 * first shows the view (`resolveWebviewView`), so activation pays nothing for it.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { Pause } from '../common/scheduling';
import { onlyMovedSpans } from '../../core/annotationDocument';
import type { PrefillSpan } from '../../core/codebook';
import type { FieldValue } from '../../core/schema';
import { isSourceKey, SOURCE_KEYS, SOURCE_LABELS, withSourceField } from '../../core/source';
import type { Config } from '../config';
import type { ArticleSession } from '../store/articleSession';
import type { ArticleStore } from '../store/articleStore';
import { basename } from '../common/names';
import { fieldViews, isFieldValue, ModelFieldValue, openModelSuggestions, openSuggestions } from './caseModel';
import { caseHtml } from './html';
import type { CaseState, FromWebview, ToWebview } from './protocol';

export const CASE_VIEW_ID = 'misconduct.case';

/** The spans the pre-fill reads: placed ones, with their `type` attribute. */
export function prefillSpans(session: ArticleSession): PrefillSpan[] {
  return session.doc
    .all()
    .filter((s) => !s.orphaned)
    .map((s) => ({ id: s.id, label: s.label, text: s.text, ...(s.meta.attributes?.type ? { type: s.meta.attributes.type } : {}) }));
}

/** Why a session's form cannot be changed now (undefined: it can). */
export function notEditable(session: ArticleSession): string | undefined {
  if (session.state.kind === 'invalid') return `The annotations file is not valid: ${session.state.error.problems[0]?.message ?? ''} Fix it first (Misconduct: Open Annotations File).`;
  if (session.state.kind === 'unreadable') return `This article cannot be annotated: ${session.state.message}`;
  if (session.conflict) return 'The annotations file changed on disk: resolve that first (see the notification).';
  return undefined;
}

export class CaseViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private lastPosted: string | undefined;
  private pending: NodeJS.Timeout | undefined;
  /** The listeners of the view VS Code resolved last (it may resolve the view again after disposing it). */
  private viewSubscriptions: vscode.Disposable | undefined;
  private readonly postedEmitter = this._register(new vscode.EventEmitter<CaseState>());
  /** The view received a new state (tests await it instead of sleeping). */
  readonly onDidPost = this.postedEmitter.event;
  private readonly cspViolations: string[] = [];
  private posted: CaseState | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ArticleStore,
    private readonly config: Config,
    /** A language model's form values for an article, and when they change (Suggest with Language Model…). */
    private readonly fromModel?: { fieldsOf(uri: vscode.Uri): readonly ModelFieldValue[]; onDidChange: vscode.Event<vscode.Uri> },
  ) {
    super();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.lastPosted = undefined;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot, media] };
    view.webview.html = caseHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'case.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'case.css')).toString(),
    });
    this.viewSubscriptions?.dispose();
    const isCurrent = (uri: vscode.Uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString();
    this.viewSubscriptions = vscode.Disposable.from(
      view.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m)),
      view.onDidChangeVisibility(() => view.visible && this.schedule()),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.viewSubscriptions?.dispose();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      // the form (setField, undo, a reload) and the spans (the pre-fill reads them)
      this.store.onDidChangeAnnotations(({ session, change }) => isCurrent(session.uri) && !onlyMovedSpans(change) && this.schedule()),
      this.store.onDidOpen((s) => isCurrent(s.uri) && this.schedule()),
      this.store.onDidChangeSession((s) => isCurrent(s.uri) && this.schedule()),
      this.store.onDidClose((uri) => isCurrent(uri) && this.schedule()),
      this.config.onDidChange((e) => e.affectsConfiguration('misconduct.documentFields') && this.schedule()),
      ...(this.fromModel ? [this.fromModel.onDidChange((uri) => isCurrent(uri) && this.schedule())] : []),
    );
  }

  /** The webview view, once VS Code has shown it. */
  webviewView(): vscode.WebviewView | undefined {
    return this.view;
  }

  /** The state last posted to the webview. */
  lastState(): CaseState | undefined {
    return this.posted;
  }

  violations(): readonly string[] {
    return this.cspViolations;
  }

  /** The article the view edits: the active editor's, when it is an article. */
  currentSession(): ArticleSession | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri && this.store.get(uri);
  }

  /** What the view shows for the active editor now. */
  state(): CaseState {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return { kind: 'none', message: 'Open an article to code its case.' };
    const session = this.store.get(editor.document.uri);
    if (!session) return { kind: 'none', message: `${basename(editor.document.uri)} is not an article (see the "misconduct.articles" setting).` };
    const reason = notEditable(session);
    const { fields, unknown } = fieldViews(this.config.documentFields, session.doc.documentForm(), prefillSpans(session), this.fromModel?.fieldsOf(session.uri));
    const stored = session.doc.source;
    const source = SOURCE_KEYS.map((key) => ({ key, label: SOURCE_LABELS[key], value: stored?.[key] ?? '' }));
    const duplicateOf = session.doc.duplicateOf;
    return { kind: 'article', uri: session.uri.toString(), file: basename(session.uri), editable: !reason, ...(reason ? { reason } : {}), fields, unknown, source, ...(duplicateOf ? { duplicateOf } : {}) };
  }

  /** Posts the state soon, once for a burst of changes (typing, a reload), and only when it changed. */
  private schedule(): void {
    if (this.pending || !this.view) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.postState();
    }, Pause.views);
  }

  private postState(): void {
    if (!this.view || !this.ready) return;
    const state = this.state();
    const json = JSON.stringify(state);
    if (json === this.lastPosted) return;
    this.lastPosted = json;
    this.posted = state;
    void this.post({ type: 'state', state });
    this.postedEmitter.fire(state);
  }

  private post(m: ToWebview): Thenable<boolean> | undefined {
    return this.view?.webview.postMessage(m);
  }

  private session(uri: string): ArticleSession | undefined {
    const session = this.store.all().find((s) => s.uri.toString() === uri);
    if (!session) return undefined;
    const reason = notEditable(session);
    if (reason) {
      void this.post({ type: 'status', message: reason });
      return undefined;
    }
    return session;
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m?.type) {
      case 'ready':
        // also after the view was hidden and shown again: the page reloads
        this.ready = true;
        this.lastPosted = undefined;
        this.postState();
        return;
      case 'set': {
        const session = this.session(m.uri);
        if (!session || typeof m.field !== 'string') return;
        const value = m.clear ? undefined : m.value;
        if (value !== undefined && !isFieldValue(value)) return;
        this.apply(session, new Map([[m.field, value]]));
        return;
      }
      case 'setSource': {
        const session = this.session(m.uri);
        if (!session || typeof m.key !== 'string' || typeof m.value !== 'string') return;
        try {
          if (!session.doc.setSource(withSourceField(session.doc.source, m.key, m.value))) return;
        } catch (err) {
          void this.post({ type: 'status', message: (err as Error).message });
          return;
        }
        const label = isSourceKey(m.key) ? SOURCE_LABELS[m.key] : m.key;
        void this.post({ type: 'status', message: `${m.value.trim() ? 'Set' : 'Cleared'} ${label}. Undo: Misconduct: Undo Annotation Change (Ctrl+Z in the article).` });
        this.schedule();
        return;
      }
      case 'accept':
      case 'acceptAll': {
        const session = this.session(m.uri);
        if (!session) return;
        const open = openSuggestions(this.config.documentFields, session.doc.documentForm(), prefillSpans(session));
        const values = new Map<string, FieldValue | undefined>();
        for (const [field, { value }] of open) if (m.type === 'acceptAll' || field === m.field) values.set(field, value);
        this.apply(session, values, m.type === 'acceptAll' ? `Accepted ${values.size} suggestion${values.size === 1 ? '' : 's'}.` : undefined);
        return;
      }
      case 'acceptModel': {
        const session = this.session(m.uri);
        if (!session || typeof m.field !== 'string') return;
        const open = openModelSuggestions(this.config.documentFields, session.doc.documentForm(), this.fromModel?.fieldsOf(session.uri) ?? []).get(m.field);
        if (open) this.apply(session, new Map([[m.field, open.value]]), `Set ${m.field} as ${open.suggestion.model} suggested.`);
        return;
      }
      case 'showQuote':
        await this.showQuote(m.uri, m.field);
        return;
      case 'reveal':
        await vscode.commands.executeCommand('misconduct.revealAnnotation', { uri: m.uri, id: m.id });
        return;
      case 'cspViolation':
        this.cspViolations.push(m.directive);
        return;
    }
  }

  /** Selects the words a model read a field's value from (where it found them when it answered). */
  private async showQuote(uri: string, field: string): Promise<void> {
    const session = this.store.all().find((s) => s.uri.toString() === uri);
    const found = session && this.fromModel?.fieldsOf(session.uri).find((f) => f.field === field && f.start !== undefined);
    if (!session || found?.start === undefined) return;
    const doc = session.document;
    const range = new vscode.Range(doc.positionAt(found.start), doc.positionAt(found.end ?? found.start));
    const editor = await vscode.window.showTextDocument(doc, { selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Sets the fields as one undo step and says so in the view's status line (read by screen readers). */
  private apply(session: ArticleSession, values: ReadonlyMap<string, FieldValue | undefined>, summary?: string): void {
    if (!values.size) return;
    let changed: boolean;
    try {
      changed = session.doc.setFields(values);
    } catch (err) {
      void this.post({ type: 'status', message: (err as Error).message });
      return;
    }
    if (!changed) return;
    const [[field, value]] = values;
    const message = summary ?? (value === undefined ? `Cleared ${field}.` : `Set ${field}.`);
    void this.post({ type: 'status', message: `${message} Undo: Misconduct: Undo Annotation Change (Ctrl+Z in the article).` });
    this.schedule();
  }

  override dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.viewSubscriptions?.dispose();
    super.dispose();
  }
}
