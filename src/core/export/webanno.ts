/**
 * W3C Web Annotation (JSON-LD): one `AnnotationCollection` whose embedded first page holds every
 * annotation. Each annotation targets its article with a `TextQuoteSelector` (exact, and up to 32
 * code points of prefix/suffix) and a `TextPositionSelector`; the model counts positions in code
 * points, as the sidecars do. The label is a `TextualBody` with purpose `tagging`, the note one
 * with purpose `commenting`, each attribute one with purpose `describing` ("key: value").
 *
 * Relations: each an Annotation with motivation `linking` whose `target` is the two span
 * annotations' ids, the relation's start first (`[from, to]`), its type a `TextualBody` with purpose
 * `tagging`, its note one with purpose `commenting`. They follow their article's span annotations.
 * The coding form is not exported here (a form answer is not a statement about a text segment).
 *
 * Streaming: `total` is written after `first`, once the count is known (JSON key order carries
 * no meaning). Embedded annotations take the collection's `@context`.
 *
 * An article imported from a web page (its sidecar's `source.url`) is the target's source as an
 * object, `{ id, type: "Text", via: <the page's address> }`.
 *
 * IRIs: the article is `<baseIri><id, each segment percent-encoded>`; the collection, page and
 * annotations get `urn:misconduct-annotator:…` names (opaque, but stable across exports).
 */
import { CONTEXT_LENGTH, Annotation, Relation } from '../schema';
import { ExportArticle, FormatDefinition } from './types';

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const DEFAULT_BASE_IRI = 'urn:misconduct-annotator:article:';
const URN = 'urn:misconduct-annotator';

function encodeId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

function articleIri(baseIri: string, id: string): string {
  return baseIri + encodeId(id);
}

/** The IRI of a span's annotation in the export (the target of the relations that join it). */
function annotationIri(articleId: string, spanId: string): string {
  return `${URN}:annotation:${encodeId(articleId)}/${encodeURIComponent(spanId)}`;
}

/** A relation as a `linking` annotation between the two span annotations. */
function webLink(a: ExportArticle, r: Relation): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [{ type: 'TextualBody', purpose: 'tagging', value: r.label }];
  if (r.note) body.push({ type: 'TextualBody', purpose: 'commenting', value: r.note });
  const out: Record<string, unknown> = {
    id: `${URN}:relation:${encodeId(a.id)}/${encodeURIComponent(r.id)}`,
    type: 'Annotation',
    motivation: 'linking',
    created: r.created,
  };
  if (r.modified) out.modified = r.modified;
  if (r.author) out.creator = { type: 'Person', name: r.author };
  out.body = body;
  out.target = [annotationIri(a.id, r.from), annotationIri(a.id, r.to)];
  return out;
}

function webAnnotation(a: ExportArticle, span: Annotation, baseIri: string): Record<string, unknown> {
  const length = a.map.length;
  const prefix = a.map.slice(Math.max(0, span.start - CONTEXT_LENGTH), span.start);
  const suffix = a.map.slice(span.end, Math.min(length, span.end + CONTEXT_LENGTH));
  const quote: Record<string, unknown> = { type: 'TextQuoteSelector', exact: span.text };
  if (prefix) quote.prefix = prefix;
  if (suffix) quote.suffix = suffix;
  const body: Array<Record<string, unknown>> = [{ type: 'TextualBody', purpose: 'tagging', value: span.label }];
  if (span.note) body.push({ type: 'TextualBody', purpose: 'commenting', value: span.note });
  for (const [k, v] of Object.entries(span.attributes ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    body.push({ type: 'TextualBody', purpose: 'describing', value: `${k}: ${v}` });
  }
  const out: Record<string, unknown> = {
    id: annotationIri(a.id, span.id),
    type: 'Annotation',
    motivation: 'tagging',
    created: span.created,
  };
  if (span.modified) out.modified = span.modified;
  if (span.author) out.creator = { type: 'Person', name: span.author };
  out.body = body;
  out.target = {
    // the page the article was taken from is the source's `via` (the model's term for a copy's origin)
    source: a.source?.url ? { id: articleIri(baseIri, a.id), type: 'Text', via: a.source.url } : articleIri(baseIri, a.id),
    selector: [quote, { type: 'TextPositionSelector', start: span.start, end: span.end }],
  };
  return out;
}

export const webannoFormat: FormatDefinition = {
  kind: 'file',
  name: 'webanno',
  extension: '.jsonld',
  create: (ctx) => {
    const collection = ctx.part ? `${URN}:export:${ctx.part}` : `${URN}:export`;
    let total = 0;
    return {
      start: () => [
        '{\n' +
          `"@context": ${JSON.stringify(ANNO_CONTEXT)},\n` +
          `"id": ${JSON.stringify(collection)},\n` +
          '"type": "AnnotationCollection",\n' +
          `"label": ${JSON.stringify(ctx.part ? `Misconduct Annotator export (${ctx.part})` : 'Misconduct Annotator export')},\n` +
          `"first": {"id": ${JSON.stringify(`${collection}:page1`)}, "type": "AnnotationPage", "startIndex": 0, "items": [\n`,
      ],
      article: (a) => [
        ...a.spans.map((span) => (total++ ? ',\n' : '') + JSON.stringify(webAnnotation(a, span, ctx.baseIri))),
        ...a.relations.map((r) => (total++ ? ',\n' : '') + JSON.stringify(webLink(a, r))),
      ],
      finish: () => [`\n]},\n"last": ${JSON.stringify(`${collection}:page1`)},\n"total": ${total}\n}\n`],
    };
  },
};
