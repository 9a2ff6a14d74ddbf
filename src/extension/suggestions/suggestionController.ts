/**
 * Suggestions in the editor: detection off the keystroke path (debounced, over a window around the
 * visible ranges), dotted underlines per category, accept / accept all / reject, the lightbulb, and
 * the `misconduct.onSuggestion` context key for the keybindings.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { beforeLongWork, Pause } from '../common/scheduling';
import { perfMark } from '../devProfile';
import { onlyMovedSpans } from '../../core/annotationDocument';
import { Rejection } from '../../core/schema';
import { Config } from '../config';
import { ContextKeyService } from '../common/contextKeys';
import { readerOf } from '../common/documentText';
import { shorten } from '../common/names';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';
import { Suggestion } from './detection';
import { CorpusLearning } from './learning';
import { ModelField, ModelRelation, ModelResults } from './modelResults';
import { SuggestionModel } from './suggestionModel';

/** Lines detected beyond the visible ones (article lines are paragraphs: 40 lines is ~12 KB). */
const MARGIN_LINES = 40;
/** Colours for categories that are not labels (body, rank): neutral, theme-aware. */
const CATEGORY_COLORS: Record<string, string> = { body: '#CC79A7', rank: '#E69F00' };

export class SuggestionController extends Disposable implements vscode.CodeActionProvider {
  private readonly models = new Map<string, SuggestionModel>();
  /** A language model's suggestions by article (editor offsets); kept when it closes, as asking again costs the user. */
  private readonly fromModel = new Map<string, Suggestion[]>();
  /** A language model's relations and form values, offered once their ends are annotations (relations) or in the Case view (values). */
  readonly modelResults = this._register(new ModelResults());
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The underline types by category, made at the first draw (not while VS Code activates us). */
  private madeTypes: Map<string, vscode.TextEditorDecorationType> | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Suggestions of a document were recomputed or filtered (views and tests listen). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: ArticleStore,
    private readonly config: Config,
    private readonly keys: ContextKeyService,
    private readonly learning?: CorpusLearning,
  ) {
    super();
    this._register(vscode.Disposable.from(
      this.changed,
      // learned phrases change as the user tags (in any article): recompute the articles in view;
      // one out of view is recomputed when it is shown (its pass would cover its whole text)
      ...(learning ? [learning.onDidChange(() => this.store.all().forEach((s) => (this.shown(s) ? this.schedule(s, Pause.typing) : this.models.get(s.uri.toString())?.markStale())))] : []),
      store.onDidOpen((s) => this.schedule(s, Pause.opened)),
      store.onDidClose((uri) => this.forget(uri)),
      // a tag, a removal or a rejection hides or shows suggestions; a keystroke only moves them,
      // which VS Code does for the underlines already (and the pass after typing redraws them)
      // (a tag hides suggestions of its own label only: the other underlines are left as they are)
      // (on the next task: the change's own highlight goes to the window when this task ends, and
      // the underlines, a context key and the views' events would only hold it back)
      store.onDidChangeAnnotations(({ session, change }) => {
        if (onlyMovedSpans(change)) return;
        this.redrawSoon(session, change.labels.size ? change.labels : undefined);
        // a pass already due waits for the tagging to pause too: in a long report it holds the
        // extension host for longer than the gap between two tags
        if (this.timers.has(session.uri.toString())) this.schedule(session, Pause.typing);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const s = this.store.get(e.document.uri);
        if (s && e.contentChanges.length) this.schedule(s, Pause.typing);
      }),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.onVisible(e))),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.onVisible(e.textEditor)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.updateKey(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => this.updateKey(e)),
      config.onDidChange((e) => {
        if (!e.affectsConfiguration('misconduct.suggestions') && !e.affectsConfiguration('misconduct.labels')) return;
        const old = this.madeTypes;
        this.madeTypes = undefined;
        for (const s of this.store.all()) this.schedule(s, 0);
        old?.forEach((t) => t.dispose());
      }),
    ));
    for (const s of store.all()) this.schedule(s, 0);
  }

  private get types(): Map<string, vscode.TextEditorDecorationType> {
    return (this.madeTypes ??= this.makeTypes());
  }

  private makeTypes(): Map<string, vscode.TextEditorDecorationType> {
    const types = new Map<string, vscode.TextEditorDecorationType>();
    // learned suggestions carry a configured label as their category
    const kinds = new Set(['force', 'body', 'rank', 'allegation', 'sanction', ...this.config.labels.map((l) => l.name)]);
    for (const category of kinds) {
      // the colour of the label that takes the category; a highlight-only category keeps its own
      const color = this.config.labelForCategory(category)?.color ?? this.config.label(category)?.color ?? CATEGORY_COLORS[category] ?? '#999999';
      types.set(
        category,
        vscode.window.createTextEditorDecorationType({
          textDecoration: `underline dotted ${color} 2px`,
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    return types;
  }

  private labelNames(): Set<string> {
    return new Set(this.config.labels.map((l) => l.name));
  }

  private categories(): Set<string> {
    return this.config.suggestionsEnabled ? new Set(this.config.suggestionCategories) : new Set();
  }

  /** The suggestion model of a session (computing it now if it was never computed, or is stale). */
  model(session: ArticleSession): SuggestionModel {
    const key = session.uri.toString();
    let model = this.models.get(key);
    if (!model) {
      model = new SuggestionModel(session);
      this.models.set(key, model);
      this.compute(session);
    } else if (model.stale) {
      this.compute(session);
    }
    return model;
  }

  private schedule(session: ArticleSession, delay: number): void {
    const key = session.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.store.get(session.uri) === session) this.compute(session);
      }, delay),
    );
  }

  /** Whether an editor shows the session's article. */
  private shown(session: ArticleSession): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document === session.document);
  }

  /** Window of document offsets around what the editors show (the whole text when none shows it). */
  private windowFor(session: ArticleSession): [number, number] {
    const doc = session.document;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
    const ranges = editors.flatMap((e) => e.visibleRanges);
    if (!ranges.length) return [0, doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end)];
    const first = Math.max(0, Math.min(...ranges.map((r) => r.start.line)) - MARGIN_LINES);
    const last = Math.min(doc.lineCount - 1, Math.max(...ranges.map((r) => r.end.line)) + MARGIN_LINES);
    return [doc.offsetAt(new vscode.Position(first, 0)), doc.offsetAt(doc.lineAt(last).range.end)];
  }

  private compute(session: ArticleSession): void {
    perfMark('suggestions: compute');
    let model = this.models.get(session.uri.toString());
    if (!model) this.models.set(session.uri.toString(), (model = new SuggestionModel(session)));
    model.compute(this.windowFor(session), this.categories(), this.learning?.learner, this.labelNames(), this.fromModel.get(session.uri.toString()));
    this.redraw(session);
    perfMark(() => `suggestions: computed (window ${model!.window[1] - model!.window[0]} chars, ${model!.items.length} items)`);
  }

  private onVisible(editor: vscode.TextEditor): void {
    const session = this.store.get(editor.document.uri);
    if (!session) return;
    const model = this.models.get(session.uri.toString());
    const visible = editor.visibleRanges;
    if (!model || model.stale || !visible.length) return this.schedule(session, 0);
    const from = editor.document.offsetAt(visible[0].start);
    const to = editor.document.offsetAt(visible[visible.length - 1].end);
    if (from < model.window[0] || to > model.window[1]) this.schedule(session, 0);
    else this.draw(editor, model);
  }

  /** `redraw` soon after the change; the categories of several changes before it are drawn together. */
  private redrawSoon(session: ArticleSession, categories?: ReadonlySet<string>): void {
    const pending = this.pendingRedraws.get(session);
    if (pending) {
      // undefined (everything) wins; otherwise the union
      pending.categories = pending.categories && categories ? new Set([...pending.categories, ...categories]) : undefined;
      return;
    }
    const entry: { categories?: ReadonlySet<string> } = { categories };
    this.pendingRedraws.set(session, entry);
    // once the window has painted the change's own highlight: a window of a long report can hold
    // a thousand underlines, and the window handles what arrives before its next frame in that frame
    void beforeLongWork().then(() => {
      this.pendingRedraws.delete(session);
      perfMark('suggestions: redraw');
      if (!this.isDisposed && this.store.get(session.uri) === session) this.redraw(session, entry.categories);
      perfMark('suggestions: redrawn');
    });
  }

  private readonly pendingRedraws = new Map<ArticleSession, { categories?: ReadonlySet<string> }>();

  /** Draws the session's suggestions (only those of `categories`, when given) in its editors. */
  private redraw(session: ArticleSession, categories?: ReadonlySet<string>): void {
    const model = this.models.get(session.uri.toString());
    // a model computed for an older text has stale offsets: drawing it would move the underlines
    // VS Code has already moved; the debounced pass after the edit draws the new ones
    if (!model || model.version !== session.document.version) return;
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === session.document) this.draw(editor, model, categories);
    this.updateKey(vscode.window.activeTextEditor);
    this.changed.fire(session.uri);
  }

  private draw(editor: vscode.TextEditor, model: SuggestionModel, categories?: ReadonlySet<string>): void {
    const byCategory = new Map<string, vscode.Range[]>([...this.types.keys()].filter((k) => !categories || categories.has(k)).map((k) => [k, []]));
    const doc = editor.document;
    for (const s of model.visible()) byCategory.get(s.category)?.push(new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end)));
    let drawn = this.drawn.get(editor);
    if (!drawn) this.drawn.set(editor, (drawn = new Map()));
    for (const [category, ranges] of byCategory) {
      // a tag usually leaves the underlines of its label as they were: sending them again costs the
      // workbench a re-render for nothing
      const key = ranges.map((r) => `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`).join();
      if (categories && drawn.get(category) === key) continue;
      drawn.set(category, key);
      editor.setDecorations(this.types.get(category)!, ranges);
    }
  }

  /** What each editor shows per category (offsets as a key), to skip sending the same again. */
  private readonly drawn = new WeakMap<vscode.TextEditor, Map<string, string>>();

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.models.delete(key);
  }

  private updateKey(editor: vscode.TextEditor | undefined): void {
    const session = editor && this.store.get(editor.document.uri);
    const model = session && this.models.get(session.uri.toString());
    const offset = editor && model ? editor.document.offsetAt(editor.selection.active) : -1;
    this.keys.set('onSuggestion', !!model && model.at(offset).some((s) => this.labelFor(s)));
  }

  /** Suggestions under the cursor(s) or overlapping the selection(s). */
  underCursor(session: ArticleSession, editor: vscode.TextEditor | undefined): Suggestion[] {
    const model = this.model(session);
    if (!editor) return [];
    const doc = editor.document;
    const seen = new Map<string, Suggestion>();
    for (const sel of editor.selections) {
      for (const s of model.at(doc.offsetAt(sel.start), doc.offsetAt(sel.end))) seen.set(`${s.start}:${s.end}:${s.category}`, s);
    }
    return [...seen.values()];
  }

  /**
   * The suggestions a configured label takes, which the view lists, the status bar counts and Accept
   * All adds (one filter, so the three agree); the others are highlights only.
   */
  offered(suggestions: readonly Suggestion[]): Suggestion[] {
    return suggestions.filter((s) => this.labelFor(s));
  }

  /** How many suggestions are on offer, from the last pass (0 before the first; never starts one). */
  offeredCount(session: ArticleSession): number {
    const model = this.models.get(session.uri.toString());
    return model ? this.offered(model.visible()).length : 0;
  }

  /** Every suggestion of the whole document (not only the window), for Accept All. */
  allSuggestions(session: ArticleSession): Suggestion[] {
    const doc = session.document;
    const model = new SuggestionModel(session);
    model.compute([0, doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end)], this.categories(), this.learning?.learner, this.labelNames(), this.fromModel.get(session.uri.toString()));
    return model.visible();
  }

  /**
   * Adds a language model's suggestions for an article (replacing that model's earlier ones) and
   * draws them; its relations and form values wait in `modelResults`.
   */
  addModelSuggestions(session: ArticleSession, model: string, suggestions: readonly Suggestion[], relations: readonly ModelRelation[] = [], fields: readonly ModelField[] = []): void {
    const key = session.uri.toString();
    const others = (this.fromModel.get(key) ?? []).filter((s) => s.model !== model);
    this.fromModel.set(key, [...others, ...suggestions]);
    this.modelResults.set(session.uri, model, relations, fields);
    this.compute(session);
  }

  /** The label a suggestion becomes (see `labelForCategory`); undefined: a highlight only. */
  labelFor(s: Pick<Suggestion, 'category'> & { source?: Suggestion['source'] }): string | undefined {
    // a model answers with label names, never categories
    if (s.source === 'model') return this.config.label(s.category)?.name;
    return this.config.labelForCategory(s.category)?.name;
  }

  accept(session: ArticleSession, suggestions: readonly Suggestion[], label?: string): number {
    const spans = suggestions
      .map((s) => ({ s, label: label ?? this.labelFor(s) }))
      .filter((x): x is { s: Suggestion; label: string } => !!x.label)
      .map(({ s, label }) => ({ start: s.start, end: s.end, label, source: 'suggestion' as const, attributes: s.type ? { type: s.type } : undefined }));
    return session.doc.add(readerOf(session.document), spans).length;
  }

  reject(session: ArticleSession, s: Suggestion): void {
    const rejection: Rejection = { start: s.start, end: s.end, label: s.category, text: s.text };
    session.doc.reject(rejection);
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const session = this.store.get(document.uri);
    if (!session || session.state.kind !== 'ok') return [];
    const model = this.models.get(session.uri.toString());
    if (!model) return [];
    const actions: vscode.CodeAction[] = [];
    for (const s of this.offered(model.at(document.offsetAt(range.start), document.offsetAt(range.end)))) {
      // `suggestion` carries editor (UTF-16) offsets: converting to code points here would cost a
      // pass over the text on every cursor move
      const args = { uri: document.uri.toString(), suggestion: { start: s.start, end: s.end, category: s.category } };
      const accept = new vscode.CodeAction(`Accept suggestion: ${this.labelFor(s)} "${s.text}"`, vscode.CodeActionKind.QuickFix);
      accept.command = { title: accept.title, command: 'misconduct.acceptSuggestion', arguments: [args] };
      accept.isPreferred = true;
      const reject = new vscode.CodeAction(`Reject suggestion: ${s.category} "${s.text}"`, vscode.CodeActionKind.QuickFix);
      reject.command = { title: reject.title, command: 'misconduct.rejectSuggestion', arguments: [args] };
      actions.push(accept, reject);
    }
    // a model's relation is offered at either end once both are annotations
    const relations = this.modelResults.offeredRelations(session);
    const here = new Set(relations.length ? session.doc.inRange(document.offsetAt(range.start), document.offsetAt(range.end)).map((s) => s.id) : []);
    for (const r of relations) {
      if (!here.has(r.from.id) && !here.has(r.to.id)) continue;
      const link = new vscode.CodeAction(`Link (suggested by ${r.model}): “${shorten(r.from.text, 30)}” → ${r.label} → “${shorten(r.to.text, 30)}”`, vscode.CodeActionKind.QuickFix);
      link.command = { title: link.title, command: 'misconduct.linkAnnotations', arguments: [{ uri: document.uri.toString(), from: r.from.id, to: r.to.id, label: r.label }] };
      actions.push(link);
    }
    return actions;
  }


  override dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.madeTypes?.forEach((t) => t.dispose());
    super.dispose();
  }
}
