/**
 * Annotations carried from one version of an article's text to the next when both texts are
 * known (the article on disk before Replace in Files edited it, an open article before a reload):
 * through the character diff of the two texts, by the same rule as typed edits, so a span whose
 * words were edited keeps its place. Only spans whose whole text the diff deletes, and orphans,
 * are looked for by quote and context (reanchor.ts).
 */
import { quoteAt } from './annotations';
import { OffsetMap } from './offsets';
import { reanchorAnnotations, ReanchorReport } from './reanchor';
import { Annotation } from './schema';
import { diffTexts, followEdits, narrowToQuote } from './textDiff';

/**
 * Re-places `annotations` (code points in `before`) in `after`; undefined when the two texts are too
 * different for a diff to say anything (the caller re-anchors by quote alone).
 */
export function followTextChange(annotations: readonly Annotation[], before: string, after: OffsetMap): ReanchorReport | undefined {
  const edits = diffTexts(before, after.text);
  if (!edits) return undefined;
  const old = new OffsetMap(before);
  // only spans that really are their quote in the old text can be followed by position
  const spans: Array<{ value: { id: string; i: number }; start: number; end: number }> = [];
  const byQuote: number[] = [];
  annotations.forEach((a, i) => {
    const start = old.toUtf16(a.start);
    const end = old.toUtf16(a.end);
    if (!a.orphaned && a.end > a.start && a.end <= old.length && before.slice(start, end) === a.text) spans.push({ value: { id: `${i}`, i }, start, end });
    else byQuote.push(i);
  });
  const { placed, deleted } = followEdits(spans, edits);
  for (const d of deleted) byQuote.push(d.value.i);

  const out: Annotation[] = new Array(annotations.length);
  let unchanged = 0;
  let moved = 0;
  for (const p of placed) {
    const a = annotations[p.value.i];
    const [from, to] = narrowToQuote((s, e) => after.text.slice(s, e), p.start, p.end, a.text);
    const start = after.toCodePoint(from);
    const end = after.toCodePoint(to);
    out[p.value.i] = { ...a, start, end, ...quoteAt(after, start, end) };
    if (start === a.start && end === a.end && out[p.value.i].text === a.text) unchanged++;
    else moved++;
  }
  const orphaned: Annotation[] = [];
  if (byQuote.length) {
    byQuote.sort((x, y) => x - y);
    const report = reanchorAnnotations(
      byQuote.map((i) => annotations[i]),
      after,
      { oldLength: old.length },
    );
    byQuote.forEach((i, k) => (out[i] = report.annotations[k]));
    unchanged += report.unchanged;
    moved += report.moved;
    orphaned.push(...report.orphaned);
  }
  return { annotations: out, unchanged, moved, orphaned };
}

