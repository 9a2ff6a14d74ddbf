/**
 * The sidecar boundary: offsets are converted to and from the sidecar's code points only here
 * (`load` / `toSidecar`), so typing never pays for the conversion.
 */
import { OffsetMap } from '../offsets';
import { Annotation, ArticleStatus, Conflict, DocumentForm, Rejection, Relation, SCHEMA_VERSION, Sidecar } from '../schema';
import { compareAnnotations } from '../sidecarEncoding';
import { ArticleSource, canonicalSource } from '../source';
import { runSteps, Steps } from '../steps';
import { fromAnnotation, Span, toAnnotation } from './span';

/** What a document holds, in UTF-16 offsets into the live text. */
export interface DocumentContent {
  spans: readonly Span[];
  rejected: Rejection[];
  status: ArticleStatus | undefined;
  relations: readonly Relation[];
  form: DocumentForm | undefined;
  conflicts: Conflict[] | undefined;
  source?: ArticleSource;
  duplicateOf?: string;
}

export function decodeSidecar(sidecar: Sidecar | undefined, map: OffsetMap): DocumentContent {
  return {
    spans: (sidecar?.annotations ?? []).map((a) => fromAnnotation(a, map)),
    rejected: (sidecar?.rejected ?? []).map((r) => ({ ...r, start: map.toUtf16(r.start), end: map.toUtf16(r.end) })),
    status: sidecar?.status,
    relations: sidecar?.relations ?? [],
    form: sidecar?.document,
    conflicts: sidecar?.conflicts,
    source: sidecar?.source,
    duplicateOf: sidecar?.duplicateOf,
  };
}

/** The sidecar of `content` (live relations, a form only when it has fields) for the live text. */
export function encodeSidecar(content: DocumentContent, map: OffsetMap, article: { file: string; sha256: string }, schemaRef?: string): Sidecar {
  return runSteps(encodeSidecarSteps(content, map, article, schemaRef));
}

/** Spans converted between two yields of `encodeSidecarSteps` (a few milliseconds). */
const ENCODE_SLICE = 250;

/** `encodeSidecar` in steps, yielding after each slice of spans. */
export function* encodeSidecarSteps(content: DocumentContent, map: OffsetMap, article: { file: string; sha256: string }, schemaRef?: string): Steps<Sidecar> {
  const annotations: Annotation[] = [];
  for (let i = 0; i < content.spans.length; i++) {
    annotations.push(toAnnotation(content.spans[i], map));
    if ((i + 1) % ENCODE_SLICE === 0) yield;
  }
  annotations.sort(compareAnnotations);
  const sidecar: Sidecar = {
    ...(schemaRef ? { $schema: schemaRef } : {}),
    version: SCHEMA_VERSION,
    article: { file: article.file, sha256: article.sha256, length: map.length },
    annotations,
  };
  if (content.status) sidecar.status = content.status;
  if (content.relations.length) sidecar.relations = [...content.relations];
  if (content.form) sidecar.document = content.form;
  if (content.conflicts?.length) sidecar.conflicts = content.conflicts;
  const source = canonicalSource(content.source);
  if (source) sidecar.source = source;
  if (content.duplicateOf !== undefined) sidecar.duplicateOf = content.duplicateOf;
  if (content.rejected.length) {
    sidecar.rejected = content.rejected.map((r) => ({ ...r, start: map.toCodePoint(r.start), end: map.toCodePoint(r.end) }));
  }
  return sidecar;
}
