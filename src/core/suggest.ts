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
  return withoutNesting(byStart(detected, learner.suggest(text)));
}

/**
 * Two lists that each come in order of start (the detector's and the learner's) as one in order
 * of start, the first list's spans first among those with the same start, as in `[...a, ...b]`.
 * withoutNesting sorts each label's spans by start (and the longer first), stably, so it gets
 * them nearly always in order and only checks it (sorting 100,000s again was a tenth of the time);
 * spans with the same start keep their order in `[...a, ...b]`, so a sort gives what it gave.
 */
function byStart<T extends { start: number }>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if (j >= b.length || (i < a.length && a[i].start <= b[j].start)) out[k] = a[i++];
    else out[k] = b[j++];
  }
  return out;
}
