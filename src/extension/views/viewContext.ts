/**
 * Context keys the sidebar sets for its `when` clauses (welcome views, title-bar buttons), cached
 * so an unchanged value costs no command round trip.
 */
import * as vscode from 'vscode';

export const ViewKeys = {
  /** The workspace was searched and holds no article. */
  corpusEmpty: 'misconduct.corpus.empty',
  /** The Annotations view has a filter. */
  annotationsFiltered: 'misconduct.annotations.filtered',
  /** "label" or "position": which grouping button the Annotations view title shows. */
  annotationsGroupBy: 'misconduct.annotations.groupBy',
} as const;

type Key = (typeof ViewKeys)[keyof typeof ViewKeys];

const values = new Map<Key, unknown>();

export function setViewContext(key: Key, value: unknown): void {
  if (values.has(key) && values.get(key) === value) return;
  values.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}
