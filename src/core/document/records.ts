/**
 * The records an annotator makes: new spans and relations (id, time, author) and edits of one,
 * always with free text cleaned of lone surrogates (the schema would refuse the file).
 */
import { newAnnotationId, newRelationId, nowIso } from '../annotations';
import { Annotation, LABEL_PATTERN, Relation } from '../schema';
import { withoutLoneSurrogates } from '../surrogates';
import { Meta, Span, TextReader } from './span';

export interface NewSpan {
  start: number;
  end: number;
  label: string;
  source?: Annotation['source'];
  note?: string;
  attributes?: Record<string, string>;
  /** Keep an existing author (e.g. accepting another annotator's span). */
  author?: string;
}

/** A new link between two spans (its type is checked against `misconduct.relations` by the caller). */
export interface NewRelation {
  from: string;
  to: string;
  label: string;
  note?: string;
  author?: string;
}

/** A new span with its quote, source, time, and author (the given one, else `annotator`). */
export function newSpan(read: TextReader, n: NewSpan, annotator: string | undefined): Span {
  const { author, note, attributes } = cleaned(n, annotator);
  const meta: Meta = { source: n.source ?? 'manual', created: nowIso() };
  if (note) meta.note = note;
  if (attributes && Object.keys(attributes).length) meta.attributes = { ...attributes };
  if (author) meta.author = author;
  return { id: newAnnotationId(), label: n.label, start: n.start, end: n.end, text: read(n.start, n.end), meta };
}

/** A span changed by an edit of its label or metadata, stamped as modified now. */
export function stamped(s: Span): Span {
  return { ...s, meta: { ...s.meta, modified: nowIso() } };
}

/**
 * The span with a new label. `type` is the entity type for the new label (see normalise.ts): it
 * replaces the old `type` attribute, which named an entry of the old label's category.
 */
export function relabelled(old: Span, label: string, type: string | undefined): Span {
  return { ...withAttributes(old, (attributes) => (type ? (attributes.type = type) : delete attributes.type)), label };
}

export function withNote(old: Span, note: string | undefined): Span {
  const meta = { ...old.meta };
  if (note) meta.note = note;
  else delete meta.note;
  return { ...old, meta };
}

export function withAttribute(old: Span, key: string, value: string | undefined): Span {
  return withAttributes(old, (attributes) => (value === undefined ? delete attributes[key] : (attributes[key] = value)));
}

function withAttributes(old: Span, change: (attributes: Record<string, string>) => unknown): Span {
  const attributes = { ...(old.meta.attributes ?? {}) };
  change(attributes);
  const meta: Meta = { ...old.meta, attributes };
  if (!Object.keys(attributes).length) delete meta.attributes;
  return { ...old, meta };
}

export function checkRelationType(label: string, what: string): void {
  if (!LABEL_PATTERN.test(label)) throw new Error(`"${label}" is not a relation type name${what}.`);
}

export function newRelation(n: NewRelation, annotator: string | undefined): Relation {
  const { author, note } = cleaned(n, annotator);
  return { id: newRelationId(), label: n.label, from: n.from, to: n.to, ...(note ? { note } : {}), ...(author ? { author } : {}), created: nowIso() };
}

/** A relation with a new type or note (null or '' removes the note), stamped as modified now. */
export function updatedRelation(r: Relation, change: { label?: string; note?: string | null }): Relation {
  const next: Relation = { ...r, modified: nowIso() };
  if (change.label) {
    checkRelationType(change.label, '');
    next.label = change.label;
  }
  if (change.note === null || change.note === '') delete next.note;
  else if (change.note !== undefined) next.note = withoutLoneSurrogates(change.note);
  return next;
}

type FreeText = { note?: string; author?: string; attributes?: Record<string, string> };

/**
 * A new span's or relation's free text without lone surrogates (see `withoutLoneSurrogates`), and
 * its author: the one given, else the annotator.
 */
function cleaned(n: FreeText, annotator: string | undefined): FreeText {
  const out: FreeText = {};
  if (n.note !== undefined) out.note = withoutLoneSurrogates(n.note);
  const author = n.author === undefined ? annotator : withoutLoneSurrogates(n.author);
  if (author !== undefined) out.author = author;
  if (n.attributes) out.attributes = Object.fromEntries(Object.entries(n.attributes).map(([k, v]) => [withoutLoneSurrogates(k), withoutLoneSurrogates(v)]));
  return out;
}
