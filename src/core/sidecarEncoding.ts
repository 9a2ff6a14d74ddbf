/**
 * The canonical form of a sidecar: the one text a given sidecar is written as (sorted, fixed key
 * order, 2-space indent, trailing newline), so that two annotators' files diff and merge cleanly in
 * git. The orders here are also the ones the editor and the exports keep their lists in.
 */
import type { Annotation, Conflict, DocumentForm, Rejection, Relation, Sidecar } from './schema';
import { SCHEMA_VERSION } from './schema';
import { canonicalSource } from './source';
import { runSteps, Steps } from './steps';

const ANNOTATION_KEYS = [
  'id', 'label', 'start', 'end', 'text', 'prefix', 'suffix', 'source', 'note', 'attributes', 'author', 'created', 'modified', 'orphaned',
] as const satisfies readonly (keyof Annotation)[];

export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.id, b.id);
}

function compareRejections(a: Rejection, b: Rejection): number {
  return a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.text, b.text);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonicalAnnotation(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ANNOTATION_KEYS) {
    const value = a[key];
    if (value === undefined) continue;
    if (key === 'attributes') {
      const attrs = value as Record<string, string>;
      const keys = Object.keys(attrs).sort();
      if (!keys.length) continue;
      out.attributes = Object.fromEntries(keys.map((k) => [k, attrs[k]]));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function conflictOrder(c: Conflict): string {
  if (c.kind === 'annotation') return `1:${c.id}`;
  if (c.kind === 'relation') return `2:${c.id}`;
  if (c.kind === 'field') return `3:${c.field}`;
  return `0:${c.kind}`;
}

/** Relations in the order they were made (then by id), so a new one is appended in a diff. */
export function compareRelations(a: Relation, b: Relation): number {
  return cmp(a.created, b.created) || cmp(a.id, b.id);
}

const RELATION_KEYS: ReadonlyArray<keyof Relation> = ['id', 'label', 'from', 'to', 'note', 'author', 'created', 'modified'];

function canonicalRelation(r: Relation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of RELATION_KEYS) if (r[key] !== undefined) out[key] = r[key];
  return out;
}

/** The form with its fields in name order (one line per field in a diff; merges by field). */
function canonicalForm(form: DocumentForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(form).sort()) {
    const value = form[key];
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

function compareConflicts(a: Conflict, b: Conflict): number {
  return cmp(conflictOrder(a), conflictOrder(b));
}

function canonicalConflict(c: Conflict): Record<string, unknown> {
  if (c.kind === 'annotation') return { kind: c.kind, id: c.id, theirs: c.theirs ? canonicalAnnotation(c.theirs) : null };
  if (c.kind === 'relation') return { kind: c.kind, id: c.id, theirs: c.theirs ? canonicalRelation(c.theirs) : null };
  if (c.kind === 'field') return c.theirs === undefined ? { kind: c.kind, field: c.field } : { kind: c.kind, field: c.field, theirs: c.theirs };
  return { kind: c.kind, theirs: c.theirs };
}

/** The canonical text of a sidecar. */
export function serializeSidecar(sidecar: Sidecar): string {
  return runSteps(serializeSidecarSteps(sidecar));
}

/** Annotations serialised between two yields of `serializeSidecarSteps` (a few milliseconds). */
const SERIALIZE_SLICE = 100;

/**
 * The canonical text of a sidecar in steps, yielding after each slice of annotations: each
 * annotation is written as `JSON.stringify` writes it inside the whole (indented two levels more),
 * so the text is the same as one `JSON.stringify` of the sidecar.
 */
export function* serializeSidecarSteps(sidecar: Sidecar): Steps<string> {
  const annotations = [...sidecar.annotations].sort(compareAnnotations);
  yield;
  const separator = ',\n    ';
  // each slice joined on its own: one join of a long sidecar's parts copies megabytes at once
  let body = '';
  for (let i = 0; i < annotations.length; i += SERIALIZE_SLICE) {
    // (JSON escapes every line break inside a string, so each one here is the layout's)
    const slice = annotations.slice(i, i + SERIALIZE_SLICE).map((a) => JSON.stringify(canonicalAnnotation(a), null, 2).replace(/\n/g, '\n    '));
    body = body ? body + separator + slice.join(separator) : slice.join(separator);
    yield;
  }
  const whole = JSON.stringify(canonicalSidecar(sidecar, []), null, 2) + '\n';
  if (!annotations.length) return whole;
  // top-level keys are the only ones at two spaces of indent, and no string holds a raw line break
  const at = whole.indexOf(EMPTY_ANNOTATIONS) + EMPTY_ANNOTATIONS.length - 1;
  return whole.slice(0, at) + '\n    ' + body + '\n  ' + whole.slice(at);
}

const EMPTY_ANNOTATIONS = '\n  "annotations": []';

/** UTF-16 code units encoded between two yields of `encodeUtf8Steps` (a few milliseconds). */
const ENCODE_SLICE = 1 << 19;

/** The UTF-8 of a text in steps, a slice at a time (a surrogate pair is never split). */
export function* encodeUtf8Steps(text: string): Steps<Uint8Array> {
  const encoder = new TextEncoder();
  if (text.length <= ENCODE_SLICE) return encoder.encode(text);
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + ENCODE_SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    const part = encoder.encode(text.slice(start, end));
    parts.push(part);
    size += part.length;
    start = end;
    yield;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The sidecar as the object its canonical text is, with `annotations` given in canonical form. */
function canonicalSidecar(sidecar: Sidecar, annotations: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sidecar.$schema !== undefined) out.$schema = sidecar.$schema;
  out.version = sidecar.version;
  out.article = { file: sidecar.article.file, sha256: sidecar.article.sha256, length: sidecar.article.length };
  if (sidecar.status !== undefined) out.status = sidecar.status;
  const source = canonicalSource(sidecar.source);
  if (source) out.source = source;
  if (sidecar.duplicateOf !== undefined) out.duplicateOf = sidecar.duplicateOf;
  out.annotations = annotations;
  if (sidecar.rejected && sidecar.rejected.length) {
    out.rejected = [...sidecar.rejected]
      .sort(compareRejections)
      .map((r) => ({ start: r.start, end: r.end, label: r.label, text: r.text }));
  }
  if (sidecar.relations && sidecar.relations.length) out.relations = [...sidecar.relations].sort(compareRelations).map(canonicalRelation);
  if (sidecar.document && Object.keys(sidecar.document).length) out.document = canonicalForm(sidecar.document);
  if (sidecar.conflicts && sidecar.conflicts.length) out.conflicts = [...sidecar.conflicts].sort(compareConflicts).map(canonicalConflict);
  return out;
}

/** A sidecar carries nothing worth a file: no annotations, relations, rejections, conflicts, status, coded fields, source or duplicate mark. */
export function isEmptySidecar(sidecar: Sidecar): boolean {
  return (
    sidecar.annotations.length === 0 &&
    !(sidecar.rejected && sidecar.rejected.length) &&
    sidecar.status === undefined &&
    !sidecar.conflicts?.length &&
    !sidecar.relations?.length &&
    !(sidecar.document && Object.keys(sidecar.document).length) &&
    !canonicalSource(sidecar.source) &&
    sidecar.duplicateOf === undefined
  );
}

/** An empty sidecar for an article. */
export function newSidecar(articleFileName: string, sha256: string, length: number): Sidecar {
  return { version: SCHEMA_VERSION, article: { file: articleFileName, sha256, length }, annotations: [] };
}
