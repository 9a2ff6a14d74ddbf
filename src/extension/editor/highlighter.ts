/**
 * Draws annotations. Work is proportional to the change: an annotation operation redraws only the
 * labels it touched, and only the spans inside a window around the visible ranges are turned into
 * ranges; scrolling past the window redraws once for the new window.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { Span } from '../../core/annotationDocument';
import { Config } from '../config';
import { perfMark } from '../devProfile';
import { ContextKeyService } from '../common/contextKeys';
import { ArticleStore, SidecarPreview } from '../store/articleStore';
import { DecorationTypes, isPlainText } from './decorationTypes';

/**
 * Lines drawn beyond the visible ones, so ordinary scrolling needs no redraw. Every tag sends the
 * window's spans of its label again (VS Code replaces a decoration type's ranges as a whole), so
 * the window, not the article, sets what a tag costs the workbench: the margin is kept small.
 */
const MARGIN_LINES = 60;

interface EditorState {
  /** Offsets [from, to) the current decorations cover. */
  window: [number, number];
  /** Whether they were drawn with the Plain Text variant of the types (see decorationTypes.ts). */
  plain: boolean;
  /** Ranges last set per type key (also what tests read). */
  drawn: Map<string, vscode.Range[]>;
}

export class Highlighter extends Disposable {
  private readonly types: DecorationTypes;
  private readonly states = new WeakMap<vscode.TextEditor, EditorState>();
  private visible = true;
  /** Previews of articles still loading, by URI (dropped when the load lands). */
  private readonly previews = new Map<string, SidecarPreview>();

  constructor(
    private readonly store: ArticleStore,
    config: Config,
    private readonly keys: ContextKeyService,
  ) {
    super();
    this.types = new DecorationTypes(config);
    this.keys.set('highlightsVisible', true);
    this._register(vscode.Disposable.from(
      this.types,
      vscode.window.onDidChangeVisibleTextEditors((editors) => (perfMark('visible editors changed'), editors.forEach((e) => this.drawAll(e) || this.drawPreview(e)))),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.onScroll(e.textEditor)),
      store.onDidPreview((p) => this.preview(p)),
      store.onDidOpen((session) => {
        this.previews.delete(session.uri.toString());
        this.editorsOf(session.uri).forEach((e) => this.drawAll(e));
      }),
      store.onDidClose((uri) => this.previews.delete(uri.toString())),
      // a language change (VS Code reports it as the document opening again, in the same editors):
      // Plain Text and coloured text take different variants of the types
      vscode.workspace.onDidOpenTextDocument((document) => {
        for (const e of this.editorsOf(document.uri)) if (this.states.get(e)?.plain === !isPlainText(document)) this.drawAll(e);
      }),
      // only the labels whose spans changed; a pure shift is drawn by VS Code moving the decorations
      store.onDidChangeAnnotations(({ session, change }) => {
        if (change.labels.size) this.editorsOf(session.uri).forEach((e) => this.draw(e, change.labels));
      }),
      config.onDidChange((e) => {
        if (!e.affectsConfiguration('misconduct.labels')) return;
        const old = this.types.rebuild();
        vscode.window.visibleTextEditors.forEach((ed) => this.drawAll(ed));
        old.forEach((t) => t.dispose());
      }),
    ));
    vscode.window.visibleTextEditors.forEach((e) => this.drawAll(e));
  }

  private editorsOf(uri: vscode.Uri): vscode.TextEditor[] {
    const key = uri.toString();
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key);
  }

  get highlightsVisible(): boolean {
    return this.visible;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.keys.set('highlightsVisible', visible);
    vscode.window.visibleTextEditors.forEach((e) => this.drawAll(e));
  }

  /** The ranges drawn for a label in an editor (for tests and the e2e harness). */
  drawnRanges(editor: vscode.TextEditor, label: string): vscode.Range[] {
    return this.states.get(editor)?.drawn.get(this.types.typeKey(label)) ?? [];
  }

  /** How many ranges an editor shows of each variant of the types (for tests: a language change leaves none of the other). */
  shownRanges(editor: vscode.TextEditor): { plain: number; coloured: number } {
    const shown = this.shown.get(editor);
    const count = (plain: boolean) => this.types.keys().reduce((n, key) => n + (shown?.get(this.types.get(key, plain)) ?? 0), 0);
    return { plain: count(true), coloured: count(false) };
  }

  private windowFor(editor: vscode.TextEditor): [number, number] {
    const doc = editor.document;
    const ranges = editor.visibleRanges.length ? editor.visibleRanges : [new vscode.Range(0, 0, 0, 0)];
    const first = Math.max(0, Math.min(...ranges.map((r) => r.start.line)) - MARGIN_LINES);
    const last = Math.min(doc.lineCount - 1, Math.max(...ranges.map((r) => r.end.line)) + MARGIN_LINES);
    return [doc.offsetAt(new vscode.Position(first, 0)), doc.offsetAt(doc.lineAt(last).range.end) + 1];
  }

  private onScroll(editor: vscode.TextEditor): void {
    const state = this.states.get(editor);
    if (!state || this.covers(editor, state.window)) return;
    this.drawAll(editor);
  }

  /** Whether a drawn window still holds everything the editor shows. */
  private covers(editor: vscode.TextEditor, window: [number, number]): boolean {
    const doc = editor.document;
    const visible = editor.visibleRanges;
    if (!visible.length) return true;
    const from = doc.offsetAt(visible[0].start);
    const to = doc.offsetAt(visible[visible.length - 1].end);
    return from >= window[0] && to <= window[1];
  }

  /** Draws every label in the editor's window; false when its article is not loaded (yet). */
  drawAll(editor: vscode.TextEditor): boolean {
    if (!this.store.get(editor.document.uri)) return false;
    this.draw(editor, undefined);
    return true;
  }

  /** A loading article's first spans, painted in the editors that show it (or will, see drawPreview). */
  private preview(p: SidecarPreview): void {
    if (!this.visible) return;
    this.previews.set(p.uri.toString(), p);
    this.editorsOf(p.uri).forEach((e) => this.drawPreview(e));
  }

  private drawPreview(editor: vscode.TextEditor): void {
    const p = this.previews.get(editor.document.uri.toString());
    if (!p || this.store.get(editor.document.uri)) return;
    const [from, to] = this.windowFor(editor);
    const doc = editor.document;
    const byKey = new Map<string, Drawing>();
    const plain = isPlainText(doc);
    for (const span of p.spansUpTo(to)) {
      if (span.end <= from) continue;
      const key = this.types.typeKey(span.label);
      let d = byKey.get(key);
      if (!d) byKey.set(key, (d = { ranges: [], offsets: [] }));
      d.ranges.push(toRange(doc, span));
      d.offsets.push(span.start, span.end);
    }
    // (not recorded as drawn: the load's drawAll sets every type, and sends only what differs)
    for (const [key, d] of byKey) this.send(editor, this.types.get(key, plain), d);
    this.previewedPlain.set(editor, plain);
    perfMark(`highlighter: preview drawn (${byKey.size} types)`);
  }

  /**
   * One setDecorations, unless the editor already has exactly these ranges of this type for this
   * version of the text (the load's drawing after a preview: the same spans again would cost the
   * window a second render while it paints the article for the first time). A new version is never
   * compared with an old one: VS Code moves decorations with edits by its own rules.
   */
  private send(editor: vscode.TextEditor, type: vscode.TextEditorDecorationType, d: Drawing): void {
    const version = editor.document.version;
    let sent = this.sent.get(editor);
    if (!sent || sent.version !== version) this.sent.set(editor, (sent = { version, keys: new Map() }));
    const key = d.offsets.join();
    if (sent.keys.get(type) === key) return;
    sent.keys.set(type, key);
    editor.setDecorations(type, d.ranges);
    let shown = this.shown.get(editor);
    if (!shown) this.shown.set(editor, (shown = new Map()));
    shown.set(type, d.ranges.length);
  }

  /** Editors given a preview and not drawn since: whether in the Plain Text variant. */
  private readonly previewedPlain = new WeakMap<vscode.TextEditor, boolean>();

  /** How many ranges each decoration type was last given, per editor. */
  private readonly shown = new WeakMap<vscode.TextEditor, Map<vscode.TextEditorDecorationType, number>>();

  /** What each editor was last sent per decoration type (offsets as a key), for the text version it was sent for. */
  private readonly sent = new WeakMap<vscode.TextEditor, { version: number; keys: Map<vscode.TextEditorDecorationType, string> }>();

  /** Redraws the given labels (all when undefined) in one editor: one setDecorations per type. */
  private draw(editor: vscode.TextEditor, labels: Set<string> | undefined): void {
    const session = this.store.get(editor.document.uri);
    if (!session) return;
    let state = this.states.get(editor);
    const plain = isPlainText(editor.document);
    const drawnPlain = state ? state.plain : this.previewedPlain.get(editor);
    if (drawnPlain !== undefined && drawnPlain !== plain) {
      // the language changed (since the last drawing, or since the preview): the other variant's
      // decorations go, and every label is drawn anew
      for (const key of this.types.keys()) this.send(editor, this.types.get(key, drawnPlain), { ranges: [], offsets: [] });
      if (state) state.plain = plain;
      labels = undefined;
    }
    this.previewedPlain.delete(editor);
    // a tag redraws its label in the window already drawn while that still covers what is visible
    // (after scrolling within it, a new window would mean sending every label again)
    const window = labels !== undefined && state && this.covers(editor, state.window) ? state.window : this.windowFor(editor);
    const moved = !state || state.window[0] !== window[0] || state.window[1] !== window[1];
    if (!state) this.states.set(editor, (state = { window, plain, drawn: new Map() }));
    state.window = window;
    const keys = labels === undefined || moved ? this.types.keys() : [...new Set([...labels].map((l) => this.types.typeKey(l)))];
    const byKey = new Map<string, Drawing>(keys.map((k) => [k, { ranges: [], offsets: [] }]));
    if (this.visible) {
      const doc = editor.document;
      for (const span of session.doc.inRange(window[0], window[1])) {
        const d = byKey.get(this.types.typeKey(span.label));
        if (!d) continue;
        d.ranges.push(toRange(doc, span));
        d.offsets.push(span.start, span.end);
      }
    }
    for (const [key, d] of byKey) {
      this.send(editor, this.types.get(key, plain), d);
      state.drawn.set(key, d.ranges);
    }
    perfMark(() => `highlighter: drawn (${byKey.size} types, ${[...byKey.values()].reduce((n, d) => n + d.ranges.length, 0)} ranges)`);
  }
}

/** The ranges of one decoration type, with their offsets (start, end, start, end…) to compare drawings by. */
interface Drawing {
  ranges: vscode.Range[];
  offsets: number[];
}

function toRange(doc: vscode.TextDocument, span: Pick<Span, 'start' | 'end'>): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}
