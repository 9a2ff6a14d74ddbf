/**
 * The sidecar boundary: offsets are converted to and from the sidecar's code points only here
 * (`load` / `toSidecar`), so typing never pays for the conversion.
 */
import { OffsetMap } from '../offsets';
import { ArticleStatus, Conflict, DocumentForm, Rejection, Relation, SCHEMA_VERSION, Sidecar } from '../schema';
import { compareAnnotations } from '../sidecarEncoding';
import { fromAnnotation, Span, toAnnotation } from './span';

/** What a document holds, in UTF-16 offsets into the live text. */
export interface DocumentContent {
  spans: readonly Span[];
  rejected: Rejection[];
  status: ArticleStatus | undefined;
  relations: readonly Relation[];
  form: DocumentForm | undefined;
  conflicts: Conflict[] | undefined;
}

export function decodeSidecar(sidecar: Sidecar | undefined, map: OffsetMap): DocumentContent {
  return {
    spans: (sidecar?.annotations ?? []).map((a) => fromAnnotation(a, map)),
    rejected: (sidecar?.rejected ?? []).map((r) => ({ ...r, start: map.toUtf16(r.start), end: map.toUtf16(r.end) })),
    status: sidecar?.status,
    relations: sidecar?.relations ?? [],
    form: sidecar?.document,
    conflicts: sidecar?.conflicts,
  };
}

/** The sidecar of `content` (live relations, a form only when it has fields) for the live text. */
export function encodeSidecar(content: DocumentContent, map: OffsetMap, article: { file: string; sha256: string }, schemaRef?: string): Sidecar {
  const annotations = content.spans.map((s) => toAnnotation(s, map)).sort(compareAnnotations);
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
  if (content.rejected.length) {
    sidecar.rejected = content.rejected.map((r) => ({ ...r, start: map.toCodePoint(r.start), end: map.toCodePoint(r.end) }));
  }
  return sidecar;
}
