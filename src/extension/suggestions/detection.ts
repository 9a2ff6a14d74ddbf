/** The extension's view of the core suggestions: matches in a slice of text, in document offsets. */
import { entryName, Match } from '../../core/detect';
import { PhraseLearner } from '../../core/learn';
import { SuggestedSpan, suggestAll } from '../../core/suggest';

export interface Suggestion extends Omit<Match, 'category'> {
  /** The label it becomes: a detector category, or any label learned from the corpus. */
  category: string;
  /** Where it came from: the gazetteers, a rule (allegation clause, Standard), the corpus, or a language model. */
  source: SuggestedSpan['source'] | 'model';
  /** The language model that suggested it ("vendor/id"), for a model suggestion. */
  model?: string;
  /** Why, e.g. "gazetteer: Metropolitan Police Service", "learned: tagged 3× in 2 articles". */
  reason: string;
}

/** Suggests in `text`, which starts at document offset `base`. */
export function suggestionsIn(text: string, base: number, learner?: PhraseLearner): Suggestion[] {
  return suggestAll(text, learner).map((m) => ({ ...m, start: m.start + base, end: m.end + base }));
}

export function describeSuggestion(s: Suggestion): string {
  if (s.source === 'model') return `${s.category}: ${s.model ?? 'language model'}${s.reason ? `: ${s.reason}` : ''}`;
  if (s.source !== 'gazetteer') return `${s.category}: ${s.reason}`;
  const name = entryName(s.category as Match['category'], s.type);
  return name && name.toLowerCase() !== s.text.toLowerCase() ? `${s.category}: ${name}` : s.category;
}
