/**
 * JSON Lines: one article per line,
 * `{"id", "text", "spans": [{"start", "end", "label", "text", "id", "source", "note"?, "author"?, "attributes"?}],
 *   "relations": [{"from", "to", "label", "id", "note"?, "author"?}], "document": {"<field>": value},
 *   "meta": {"file", "sha256", "status", "source"?: {"url"?, "outlet"?, "title"?, "published"?, "retrieved"?, "byline"?}, "duplicateOf"?}}`.
 *
 * A relation's `from` and `to` are indexes into the line's `spans` (so `spans[r.from]` is its start
 * without a lookup); `id` is the sidecar's relation id. `document` is the coding form as the sidecar
 * holds it, `{}` when there is none. `cases` are the ids of the case records whose evidence names
 * the article (caseRecords.ts), `[]` when none does.
 *
 * Offsets are code points, i.e. Python `str` indices, which is what spaCy (`doc.char_span`),
 * doccano and Hugging Face `datasets` expect: `text[start:end] == span["text"]` in Python.
 */
import { Annotation, Relation } from '../schema';
import { casesByArticle } from './caseRecords';
import { ExportArticle, FormatDefinition } from './types';

/** One span as written; shared with the Label Studio writer's idea of a span. */
function jsonSpan(a: Annotation): Record<string, unknown> {
  const span: Record<string, unknown> = { start: a.start, end: a.end, label: a.label, text: a.text, id: a.id, source: a.source };
  if (a.note !== undefined) span.note = a.note;
  if (a.author !== undefined) span.author = a.author;
  // nested rather than spread into the span, so an attribute named "start" or "label" cannot
  // overwrite the offsets
  if (a.attributes && Object.keys(a.attributes).length) span.attributes = a.attributes;
  return span;
}

/** The relations with their ends as indexes into `spans` (both ends are exported: see ExportArticle). */
function jsonRelations(spans: readonly Annotation[], relations: readonly Relation[]): Array<Record<string, unknown>> {
  const index = new Map(spans.map((s, i) => [s.id, i]));
  return relations.map((r) => {
    const out: Record<string, unknown> = { from: index.get(r.from), to: index.get(r.to), label: r.label, id: r.id };
    if (r.note !== undefined) out.note = r.note;
    if (r.author !== undefined) out.author = r.author;
    return out;
  });
}

function jsonlLine(a: ExportArticle, cases: readonly string[]): string {
  return (
    JSON.stringify({
      id: a.id,
      text: a.text,
      spans: a.spans.map(jsonSpan),
      relations: jsonRelations(a.spans, a.relations),
      document: a.document,
      cases,
      meta: { file: a.id, sha256: a.sha256, status: a.status, ...(a.source ? { source: a.source } : {}), ...(a.duplicateOf !== undefined ? { duplicateOf: a.duplicateOf } : {}) },
    }) + '\n'
  );
}

export const jsonlFormat: FormatDefinition = {
  kind: 'file',
  name: 'jsonl',
  extension: '.jsonl',
  create: (ctx) => {
    const byArticle = casesByArticle(ctx.cases);
    return {
      start: () => [],
      article: (a) => [jsonlLine(a, byArticle.get(a.id) ?? [])],
      finish: () => [],
    };
  },
};
