/**
 * One decoration type per label, created once per label configuration (never per redraw), plus a
 * neutral one for labels that are in a file but no longer configured.
 */
import * as vscode from 'vscode';
import { Config, ResolvedLabel } from '../config';

export const NEUTRAL = '\u0000neutral';
const FOREGROUND = new vscode.ThemeColor('editor.foreground');

export class DecorationTypes implements vscode.Disposable {
  private types = new Map<string, vscode.TextEditorDecorationType>();
  private neutral: vscode.TextEditorDecorationType | undefined;

  constructor(private readonly config: Config) {
    this.rebuild();
  }

  /** Recreates the types; returns the old ones for the caller to dispose after redrawing. */
  rebuild(): vscode.TextEditorDecorationType[] {
    const old = [...this.types.values(), ...(this.neutral ? [this.neutral] : [])];
    this.types = new Map(this.config.labels.map((l) => [l.name, create(l)]));
    this.neutral = vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
      color: FOREGROUND,
      border: '1px dashed',
      borderColor: new vscode.ThemeColor('editorWarning.foreground'),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    return old;
  }

  /** The type for a label; unconfigured labels share the neutral type. */
  typeKey(label: string): string {
    return this.types.has(label) ? label : NEUTRAL;
  }

  get(key: string): vscode.TextEditorDecorationType {
    return key === NEUTRAL ? this.neutral! : this.types.get(key)!;
  }

  keys(): string[] {
    return [...this.types.keys(), NEUTRAL];
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    this.neutral?.dispose();
  }
}

function create(label: ResolvedLabel): vscode.TextEditorDecorationType {
  const fill = label.themeColor ? new vscode.ThemeColor(label.themeColor) : `${label.color}33`;
  return vscode.window.createTextEditorDecorationType({
    backgroundColor: fill,
    // the grammar's colours (teal forces, red outcomes) fall under WCAG AA over a highlight; the
    // editor's own foreground reads on every fill in every theme (test/unit/contrast.test.ts)
    color: FOREGROUND,
    borderWidth: '0 0 2px 0',
    borderStyle: 'solid',
    borderColor: label.color,
    overviewRulerColor: label.color,
    overviewRulerLane: vscode.OverviewRulerLane.Center,
    // typing at either edge must not stretch a highlight; our own offsets follow the same rule
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}
