/**
 * One decoration type per label, created once per label configuration (never per redraw), plus a
 * neutral one for labels that are in a file but no longer configured.
 *
 * Each comes in two variants. Over a highlight the grammar's colours (teal forces, red outcomes)
 * fall under WCAG AA, so in a coloured article the highlighted words are drawn in the editor's own
 * foreground, which reads on every fill in every theme (test/unit/contrast.test.ts). A Plain Text
 * article (a report too long for the grammar, or any article in its first moments, before its
 * language is set) is drawn in that foreground already, and there the variant without a text colour
 * is used: a text colour is an inline decoration, which makes the workbench cut every highlighted
 * line into more pieces and write it again on each redraw, where a fill and an underline only move
 * boxes in a layer of their own: a tag's frame costs the window less without the text colour.
 */
import * as vscode from 'vscode';
import { Config, ResolvedLabel } from '../config';
import { whenIdle } from '../common/scheduling';

const NEUTRAL = '\u0000neutral';
const FOREGROUND = new vscode.ThemeColor('editor.foreground');

type Options = (color: vscode.ThemeColor | undefined) => vscode.DecorationRenderOptions;

export class DecorationTypes implements vscode.Disposable {
  /** Each type key's options, given a text colour or none. */
  private options = new Map<string, Options>();
  /** The types made so far, for Plain Text and for coloured text. */
  private made = { plain: new Map<string, vscode.TextEditorDecorationType>(), coloured: new Map<string, vscode.TextEditorDecorationType>() };
  private prepare: vscode.Disposable | undefined;

  constructor(private readonly config: Config) {
    this.rebuild();
  }

  /** Recreates the types; returns the old ones for the caller to dispose after redrawing. */
  rebuild(): vscode.TextEditorDecorationType[] {
    const old = [...this.made.plain.values(), ...this.made.coloured.values()];
    this.made = { plain: new Map(), coloured: new Map() };
    this.options = new Map<string, Options>(this.config.labels.map((l) => [l.name, (color) => labelOptions(l, color)]));
    this.options.set(NEUTRAL, (color) => ({
      backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
      ...(color ? { color } : {}),
      border: '1px dashed',
      borderColor: new vscode.ThemeColor('editorWarning.foreground'),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }));
    // made on the task after this one (not while the extension activates), well before an article
    // is drawn; a draw before that makes what it needs
    this.prepare?.dispose();
    this.prepare = whenIdle(() => this.keys().forEach((key) => (this.get(key, true), this.get(key, false))));
    return old;
  }

  /** The type for a label; unconfigured labels share the neutral type. */
  typeKey(label: string): string {
    return this.options.has(label) && label !== NEUTRAL ? label : NEUTRAL;
  }

  /** A type key's decoration type, for Plain Text (`plain`) or for coloured text. */
  get(key: string, plain: boolean): vscode.TextEditorDecorationType {
    const made = plain ? this.made.plain : this.made.coloured;
    let type = made.get(key);
    if (!type) made.set(key, (type = vscode.window.createTextEditorDecorationType(this.options.get(key)!(plain ? undefined : FOREGROUND))));
    return type;
  }

  keys(): string[] {
    return [...this.options.keys()];
  }

  dispose(): void {
    this.prepare?.dispose();
    for (const type of [...this.made.plain.values(), ...this.made.coloured.values()]) type.dispose();
  }
}

/** Whether an editor's text is Plain Text, drawn in the editor's foreground (see the file's comment). */
export function isPlainText(document: vscode.TextDocument): boolean {
  return document.languageId === 'plaintext';
}

function labelOptions(label: ResolvedLabel, color: vscode.ThemeColor | undefined): vscode.DecorationRenderOptions {
  const fill = label.themeColor ? new vscode.ThemeColor(label.themeColor) : `${label.color}33`;
  return {
    backgroundColor: fill,
    ...(color ? { color } : {}),
    borderWidth: '0 0 2px 0',
    borderStyle: 'solid',
    borderColor: label.color,
    // no mark in the scroll bar's overview ruler: only the spans around the visible lines are
    // drawn (see highlighter.ts), so it would mark those and show the rest of a long article as
    // bare; and every change of a type with marks makes the workbench gather and compare every
    // mark in the document again, on the first paint and on every tag
    // typing at either edge must not stretch a highlight; our own offsets follow the same rule
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  };
}
