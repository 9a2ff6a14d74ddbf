/**
 * Longer names around a term: an allegation or sanction inside "Anti-Corruption" or the
 * "Professional Standards Department" names a unit, not conduct or an outcome, so rules.ts drops it.
 */
import { tokenize } from './sentences';

/** Words that end a name of a unit, command, team or operation. */
const NAME_HEADS = /^(?:Command|Unit|Team|Squad|Department|Directorate|Branch|Group|Taskforce|Division|Service|Committee|Inquiry|Review|Panel|Board|Office|Agency|Centre|Network|Hub|Programme|Project|Campaign|Act|Bill|Commission)$/u;
const NAME_GLUE = /^(?:and|of|for|the|&|on|in)$/iu;

/**
 * Whether [start, end) lies inside a longer name: joined by a hyphen to a word ("Anti-Corruption",
 * "corruption-busting"), or a capitalised run of words that starts with "Operation" or ends in a
 * name word ("Anti-Corruption and Abuse Command", "Professional Standards Department").
 */
export function insideLongerName(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  if (/[\p{L}\p{N}][-\u2010\u2011]$/u.test(before) || /^[-\u2010\u2011][\p{L}\p{N}]/u.test(after)) return true;
  if (!/^\p{Lu}/u.test(text.slice(start, end))) return false;
  // the line around it, at most 200 characters either side (bounded work on a text without breaks)
  const from = Math.max(0, start - 200);
  const lineStart = from + text.slice(from, start).lastIndexOf('\n') + 1;
  const ahead = text.slice(end, end + 200);
  const lineEnd = ahead.includes('\n') ? end + ahead.indexOf('\n') : Math.min(text.length, end + 200);
  const words = tokenize(text, lineStart, lineEnd).filter((t) => t.word);
  const first = words.findIndex((w) => w.end > start);
  let last = first;
  while (last + 1 < words.length && words[last + 1].start < end) last++;
  if (first < 0) return false;
  let a = first;
  while (a > 0 && (/^\p{Lu}/u.test(words[a - 1].text) || (NAME_GLUE.test(words[a - 1].text) && a > 1 && /^\p{Lu}/u.test(words[a - 2].text)))) a--;
  let b = last;
  while (b + 1 < words.length && (/^\p{Lu}/u.test(words[b + 1].text) || (NAME_GLUE.test(words[b + 1].text) && b + 2 < words.length && /^\p{Lu}/u.test(words[b + 2].text)))) b++;
  // sentence case headlines capitalise their first word only: a run that is just the match is no name
  if (a === first && b === last) return false;
  const run = words.slice(a, b + 1).map((w) => w.text);
  return run[0] === 'Operation' || run[0] === 'Op' || NAME_HEADS.test(run[run.length - 1]) || run.some((w, i) => i > 0 && NAME_HEADS.test(w) && a + i > last);
}
