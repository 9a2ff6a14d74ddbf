/**
 * Re-anchoring: finding each annotation again by its quote and context after the article changed
 * outside the editor (or a formatter replaced the whole document).
 *
 * PLACEHOLDER: exact-quote search with context disambiguation. To be replaced by the full
 * implementation.
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

export function reanchorAnnotations(annotations: readonly Annotation[], map: OffsetMap): ReanchorReport {
  const text = map.text;
  const out: Annotation[] = [];
  const orphaned: Annotation[] = [];
  let unchanged = 0;
  let moved = 0;
  for (const a of annotations) {
    if (!a.orphaned && a.end <= map.length && map.slice(a.start, a.end) === a.text) {
      unchanged++;
      out.push(requote(map, a));
      continue;
    }
    const hits: number[] = [];
    for (let i = text.indexOf(a.text); i >= 0 && a.text; i = text.indexOf(a.text, i + 1)) hits.push(i);
    const withContext = hits.filter(
      (i) => text.slice(0, i).endsWith(a.prefix ?? '') && text.slice(i + a.text.length).startsWith(a.suffix ?? ''),
    );
    const pick = hits.length === 1 ? hits[0] : withContext.length === 1 ? withContext[0] : undefined;
    if (pick === undefined) {
      const clampedStart = Math.min(a.start, map.length);
      const o: Annotation = { ...a, start: clampedStart, end: Math.min(Math.max(a.end, clampedStart), map.length), orphaned: true };
      out.push(o);
      orphaned.push(o);
      continue;
    }
    const start = map.toCodePoint(pick);
    const end = map.toCodePoint(pick + a.text.length);
    const { orphaned: _drop, ...rest } = a;
    out.push(requote(map, { ...rest, start, end }));
    moved++;
  }
  return { annotations: out, unchanged, moved, orphaned };
}
