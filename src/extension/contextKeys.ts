/**
 * Context keys for `when` clauses, cached so an unchanged value never costs a command round trip.
 */
import * as vscode from 'vscode';

export const ContextKeys = {
  isArticle: 'misconduct.isArticle',
  highlightsVisible: 'misconduct.highlightsVisible',
  canUndoAnnotation: 'misconduct.canUndoAnnotation',
  canRedoAnnotation: 'misconduct.canRedoAnnotation',
  onAnnotation: 'misconduct.onAnnotation',
  onSuggestion: 'misconduct.onSuggestion',
  comparing: 'misconduct.comparing',
} as const;

type Key = (typeof ContextKeys)[keyof typeof ContextKeys];

export class ContextKeyCache {
  private readonly values = new Map<Key, unknown>();

  set(key: Key, value: unknown): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: Key): unknown {
    return this.values.get(key);
  }
}
