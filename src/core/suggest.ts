/**
 * Everything offered to the annotator for one text: the detector's gazetteer terms and rules
 * (detect/) and the phrases learned from the corpus (learn.ts), with no two spans of one label
 * overlapping (the longer wins; on a tie a rule, then a gazetteer term, then a learned phrase).
 * Shared by the `suggest` CLI verb and the extension. Offsets are UTF-16.
 */
import { suggestTerms, withoutNesting } from './detect';
import { LearnedSuggestion, PhraseLearner } from './learn';

/**
 * A suggestion from the detector or the learner: UTF-16 offsets, the label (or detector category:
 * body, rank) it would be tagged with, and why ("gazetteer: …", "rule: …", "learned: tagged 3× in
 * 2 articles") for hovers and the sidebar. One shape for both sources (learn.ts defines it).
 */
export type SuggestedSpan = LearnedSuggestion;

export function suggestAll(text: string, learner?: PhraseLearner): SuggestedSpan[] {
  const detected: SuggestedSpan[] = suggestTerms(text);
  if (!learner) return detected;
  return withoutNesting([...detected, ...learner.suggest(text)]);
}
