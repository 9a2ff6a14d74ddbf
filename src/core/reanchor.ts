/**
 * Re-anchoring: finding each annotation again by its quote and context after the article changed
 * outside the editor (or a formatter replaced the whole document).
 *
 * For each annotation, every exact occurrence of its quote is a candidate, scored by how much of
 * its recorded context still surrounds it: the common suffix with `prefix` plus the common prefix
 * with `suffix` (up to 32 + 32 code units). The best candidate wins only when
 * - its context agrees enough (at least half of the recorded context, or 8 characters, whichever
 *   is less; a quote at the very start or end of the text counts its missing side as agreeing), and
 * - no other candidate scores as well, since two equally good places are ambiguous. Nearness to
 *   the old offsets breaks near-ties between copies of a repeated passage.
 * Otherwise the annotation is kept, marked `orphaned: true`, at its last known offsets (clamped):
 * never dropped, never moved to a place that is only a guess.
 */
import { requote } from './annotations';
import { OffsetMap } from './offsets';
import { Annotation } from './schema';

export interface ReanchorReport {
  /** Every annotation, re-anchored or marked `orphaned: true` (never dropped). */
  annotations: Annotation[];
  /** Found again at the same offsets. */
  unchanged: number;
  /** Found again elsewhere. */
  moved: number;
  /** Not found unambiguously; kept with `orphaned: true`. */
  orphaned: Annotation[];
}

/** Occurrences examined per quote: a very common short quote ("the") is ambiguous anyway. */
const MAX_CANDIDATES = 2000;
/** Code units of distance from the old place that cost as much as one character of context/4. */
const DISTANCE_UNIT = 32;

function commonSuffix(text: string, end: number, prefix: string): number {
  let n = 0;
  while (n < prefix.length && end - n - 1 >= 0 && text.charCodeAt(end - n - 1) === prefix.charCodeAt(prefix.length - n - 1)) n++;
  return n;
}

function commonPrefix(text: string, start: number, suffix: string): number {
  let n = 0;
  while (n < suffix.length && start + n < text.length && text.charCodeAt(start + n) === suffix.charCodeAt(n)) n++;
  return n;
}

/** How well the context around [at, at + quote) agrees with the recorded prefix and suffix. */
function contextScore(text: string, at: number, length: number, prefix: string, suffix: string): number {
  // at the edge of the text, a prefix/suffix that was recorded as short or empty agrees fully
  const before = at === 0 && prefix.length === 0 ? 0 : commonSuffix(text, at, prefix);
  const after = commonPrefix(text, at + length, suffix);
  return before + after;
}

export function reanchorAnnotations(annotations: readonly Annotation[], map: OffsetMap): ReanchorReport {
  const text = map.text;
  const out: Annotation[] = [];
  const orphaned: Annotation[] = [];
  let unchanged = 0;
  let moved = 0;
  for (const a of annotations) {
    const prefix = a.prefix ?? '';
    const suffix = a.suffix ?? '';
    const needed = Math.min(8, Math.ceil((prefix.length + suffix.length) / 2));
    const oldAt = map.toUtf16(Math.min(a.start, map.length));
    let best = -Infinity;
    let bestAt = -1;
    let ties = 0;
    if (a.text) {
      let seen = 0;
      for (let i = text.indexOf(a.text); i >= 0 && seen < MAX_CANDIDATES; i = text.indexOf(a.text, i + 1), seen++) {
        const context = contextScore(text, i, a.text.length, prefix, suffix);
        if (context < needed) continue;
        // context first; then nearness to the old place, which tells apart copies of one passage
        // (a repeated paragraph has the same context) when edits blurred the context of the right one
        const score = context * 4 - Math.min(4 * 64, Math.floor(Math.abs(i - oldAt) / DISTANCE_UNIT));
        if (score > best) {
          best = score;
          bestAt = i;
          ties = 0;
        } else if (score === best) ties++;
      }
    }
    if (bestAt < 0 || ties > 0) {
      const { orphaned: _was, ...rest } = a;
      const start = Math.min(a.start, map.length);
      const o: Annotation = { ...rest, start, end: Math.min(Math.max(a.end, start), map.length), orphaned: true };
      out.push(o);
      orphaned.push(o);
      continue;
    }
    const start = map.toCodePoint(bestAt);
    const end = map.toCodePoint(bestAt + a.text.length);
    const { orphaned: _was, ...rest } = a;
    out.push(requote(map, { ...rest, start, end }));
    if (start === a.start && end === a.end && !a.orphaned) unchanged++;
    else moved++;
  }
  return { annotations: out, unchanged, moved, orphaned };
}
