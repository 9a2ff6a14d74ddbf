/** Adapts the suggestion controller to the Annotations view's suggestion group. */
import * as vscode from 'vscode';
import { ArticleStore } from '../store/articleStore';
import { SuggestionSource, SuggestionView } from '../views';
import { describeSuggestion } from './detection';
import { SuggestionController } from './suggestionController';

export function suggestionSource(controller: SuggestionController, store: ArticleStore): SuggestionSource {
  return {
    onDidChange: controller.onDidChange as vscode.Event<vscode.Uri | undefined>,
    suggestions(uri): SuggestionView[] {
      const session = store.get(uri);
      if (!session) return [];
      // only what a configured label takes: the rest are highlights only (counts agree with Accept All)
      return controller
        .offered(controller.model(session).visible())
        .map((s) => ({ id: `${s.start}:${s.end}:${s.category}`, category: s.category, label: controller.labelFor(s), start: s.start, end: s.end, text: s.text, reason: describeSuggestion(s) }));
    },
  };
}
