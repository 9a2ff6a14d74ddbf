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
 * boxes in a layer of their own (traced: a tag's frame in a 5 MB report, about 3 ms less).
 */
import * as vscode from 'vscode';
import { Config, ResolvedLabel } from '../config';

export const NEUTRAL = '\u0000neutral';
const FOREGROUND = new vscode.ThemeColor('editor.foreground');

/** A label's two decoration types: for coloured text, and for Plain Text. */
interface Variants {
  coloured: vscode.TextEditorDecorationType;
  plain: vscode.TextEditorDecorationType;
}

export class DecorationTypes implements vscode.Disposable {
  private types = new Map<string, Variants>();
  private neutral: Variants | undefined;

  constructor(private readonly config: Config) {
    this.rebuild();
  }

  /** Recreates the types; returns the old ones for the caller to dispose after redrawing. */
  rebuild(): vscode.TextEditorDecorationType[] {
    const old = [...this.types.values(), ...(this.neutral ? [this.neutral] : [])].flatMap((v) => [v.coloured, v.plain]);
    this.types = new Map(this.config.labels.map((l) => [l.name, variants((color) => labelOptions(l, color))]));
    this.neutral = variants((color) => ({
      backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
      ...(color ? { color } : {}),
      border: '1px dashed',
      borderColor: new vscode.ThemeColor('editorWarning.foreground'),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }));
    return old;
  }

  /** The type for a label; unconfigured labels share the neutral type. */
  typeKey(label: string): string {
    return this.types.has(label) ? label : NEUTRAL;
  }

  /** A type key's decoration type, for Plain Text (`plain`) or for coloured text. */
  get(key: string, plain: boolean): vscode.TextEditorDecorationType {
    const v = key === NEUTRAL ? this.neutral! : this.types.get(key)!;
    return plain ? v.plain : v.coloured;
  }

  keys(): string[] {
    return [...this.types.keys(), NEUTRAL];
  }

  dispose(): void {
    for (const v of [...this.types.values(), ...(this.neutral ? [this.neutral] : [])]) {
      v.coloured.dispose();
      v.plain.dispose();
    }
  }
}

/** Whether an editor's text is Plain Text, drawn in the editor's foreground (see the file's comment). */
export function isPlainText(document: vscode.TextDocument): boolean {
  return document.languageId === 'plaintext';
}

function variants(options: (color: vscode.ThemeColor | undefined) => vscode.DecorationRenderOptions): Variants {
  return {
    coloured: vscode.window.createTextEditorDecorationType(options(FOREGROUND)),
    plain: vscode.window.createTextEditorDecorationType(options(undefined)),
  };
}

function labelOptions(label: ResolvedLabel, color: vscode.ThemeColor | undefined): vscode.DecorationRenderOptions {
  const fill = label.themeColor ? new vscode.ThemeColor(label.themeColor) : `${label.color}33`;
  return {
    backgroundColor: fill,
    ...(color ? { color } : {}),
    borderWidth: '0 0 2px 0',
    borderStyle: 'solid',
    borderColor: label.color,
    overviewRulerColor: label.color,
    overviewRulerLane: vscode.OverviewRulerLane.Center,
    // typing at either edge must not stretch a highlight; our own offsets follow the same rule
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  };
}
