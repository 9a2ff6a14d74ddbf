/**
 * Tag All Occurrences: every place a phrase occurs in an article (matched as learned phrases are:
 * normalised, with the capitals given, on word boundaries), minus the places already annotated
 * with the label; and the same applied to a sidecar on disk for an article that is not open.
 */
import { makeAnnotation } from './annotations';
import { PhraseLearner } from './learn';
import { OffsetMap } from './offsets';
import { Annotation, Sidecar } from './schema';
import { compareAnnotations } from './sidecarEncoding';

/** UTF-16 ranges of `phrase` in `text` not overlapping a span of `label` in `annotated` (UTF-16). */
export function untaggedOccurrences(text: string, phrase: string, label: string, annotated: ReadonlyArray<{ start: number; end: number; label: string }>): Array<[number, number]> {
  const learner = new PhraseLearner();
  learner.setArticle('phrase', { annotations: [{ text: phrase, label }] });
  return learner
    .suggest(text)
    .filter((s) => !annotated.some((a) => a.label === label && a.start < s.end && s.start < a.end))
    .map((s) => [s.start, s.end]);
}

/**
 * The sidecar with `label` annotations added at every untagged occurrence of `phrase` in `text`
 * (sidecar offsets are code points), and how many were added.
 */
export function tagOccurrencesInSidecar(
  text: string,
  sidecar: Sidecar,
  phrase: string,
  label: string,
  options: { author?: string; type?: string } = {},
): { sidecar: Sidecar; added: number } {
  const map = new OffsetMap(text);
  const live = sidecar.annotations.filter((a) => !a.orphaned).map((a) => ({ start: map.toUtf16(a.start), end: map.toUtf16(a.end), label: a.label }));
  const ranges = untaggedOccurrences(text, phrase, label, live);
  const added: Annotation[] = ranges.map(([s, e]) =>
    makeAnnotation(map, map.toCodePoint(s), map.toCodePoint(e), label, { author: options.author, attributes: options.type ? { type: options.type } : undefined }),
  );
  return { sidecar: { ...sidecar, annotations: [...sidecar.annotations, ...added].sort(compareAnnotations) }, added: added.length };
}
