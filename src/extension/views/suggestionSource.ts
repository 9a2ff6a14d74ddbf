/**
 * The extension point through which suggestions appear in the Annotations view. The suggestion
 * engine implements `SuggestionSource` and hands it to `AnnotationsTreeProvider.setSuggestionSource`;
 * the view shows them in a collapsible "Suggestions (n)" group.
 *
 * Every suggestion item is a tree element `{ kind: 'suggestion', uri, id, suggestion }` with
 * `contextValue` `misconduct.suggestion`, so Accept / Reject commands contributed as inline actions
 * (`view/item/context`, `"when": "view == misconduct.annotations && viewItem == misconduct.suggestion"`,
 * `"group": "inline"`) receive the element: `{ uri, suggestion: { start, end, category } }` is what
 * `misconduct.acceptSuggestion` / `misconduct.rejectSuggestion` already accept.
 * The group itself has `contextValue` `misconduct.suggestions` (for an "Accept All" action).
 */
import * as vscode from 'vscode';

export interface SuggestionView {
  /** Stable within the article (selection and expansion survive refreshes by it). */
  id: string;
  /** What it was detected as (force, body, rank, allegation, sanction). */
  category: string;
  /** The configured label it becomes when accepted (see `labelForCategory`); absent: `category`. */
  label?: string;
  /** UTF-16 offsets into the live text of the article, like `Span`. */
  start: number;
  end: number;
  text: string;
  /** Why it was suggested (shown in the tooltip), e.g. "gazetteer: police forces". */
  reason?: string;
}

export interface SuggestionSource {
  /** Fires when the suggestions of an article (or of every article: undefined) changed. */
  readonly onDidChange: vscode.Event<vscode.Uri | undefined>;
  /** The suggestions for an open article, in any order (the view sorts them by position). */
  suggestions(uri: vscode.Uri): readonly SuggestionView[];
}
