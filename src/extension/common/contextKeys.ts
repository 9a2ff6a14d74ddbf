/**
 * The context keys that `when` clauses in package.json read (keybindings, menus, welcome views), in
 * one typed service: each key has one value type, and an unchanged value costs no command round trip.
 */
import * as vscode from 'vscode';

/** Each key's name in package.json, and the type of its value. */
const KEYS = {
  /** The active editor is an article. */
  isArticle: 'misconduct.isArticle',
  highlightsVisible: 'misconduct.highlightsVisible',
  canUndoAnnotation: 'misconduct.canUndoAnnotation',
  canRedoAnnotation: 'misconduct.canRedoAnnotation',
  /** The cursor is on a suggestion a label takes. */
  onSuggestion: 'misconduct.onSuggestion',
  comparing: 'misconduct.comparing',
  /** The workspace was searched and holds no article. */
  corpusEmpty: 'misconduct.corpus.empty',
  /** The Annotations view has a filter. */
  annotationsFiltered: 'misconduct.annotations.filtered',
  /** Which grouping button the Annotations view's title shows. */
  annotationsGroupBy: 'misconduct.annotations.groupBy',
  /** The Case record editor is the active panel: Ctrl+Z undoes case edits. */
  caseEditorFocus: 'misconduct.caseEditorFocus',
} as const;

interface ContextValues {
  isArticle: boolean;
  highlightsVisible: boolean;
  canUndoAnnotation: boolean;
  canRedoAnnotation: boolean;
  onSuggestion: boolean;
  comparing: boolean;
  corpusEmpty: boolean;
  annotationsFiltered: boolean;
  annotationsGroupBy: 'label' | 'position';
  caseEditorFocus: boolean;
}

type ContextKey = keyof ContextValues & keyof typeof KEYS;

export class ContextKeyService {
  private readonly values = new Map<ContextKey, unknown>();

  set<K extends ContextKey>(key: K, value: ContextValues[K]): void {
    if (this.values.has(key) && this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', KEYS[key], value);
  }
}
