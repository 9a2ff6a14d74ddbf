/**
 * JSON Lines: one article per line,
 * `{"id", "text", "spans": [{"start", "end", "label", "text", "id", "source", "note"?, "author"?, "attributes"?}], "meta": {"file", "sha256", "status"}}`.
 *
 * Offsets are code points, i.e. Python `str` indices, which is what spaCy (`doc.char_span`),
 * doccano and Hugging Face `datasets` expect: `text[start:end] == span["text"]` in Python.
 */
import { Annotation } from '../schema';
import { ExportArticle, FormatDefinition } from './types';

/** One span as written; shared with the Label Studio writer's idea of a span. */
export function jsonSpan(a: Annotation): Record<string, unknown> {
  const span: Record<string, unknown> = { start: a.start, end: a.end, label: a.label, text: a.text, id: a.id, source: a.source };
  if (a.note !== undefined) span.note = a.note;
  if (a.author !== undefined) span.author = a.author;
  // nested rather than spread into the span, so an attribute named "start" or "label" cannot
  // overwrite the offsets
  if (a.attributes && Object.keys(a.attributes).length) span.attributes = a.attributes;
  return span;
}

export function jsonlLine(a: ExportArticle): string {
  return (
    JSON.stringify({
      id: a.id,
      text: a.text,
      spans: a.spans.map(jsonSpan),
      meta: { file: a.id, sha256: a.sha256, status: a.status },
    }) + '\n'
  );
}

export const jsonlFormat: FormatDefinition = {
  kind: 'file',
  name: 'jsonl',
  extension: '.jsonl',
  create: () => ({
    start: () => [],
    article: (a) => [jsonlLine(a)],
    finish: () => [],
  }),
};
