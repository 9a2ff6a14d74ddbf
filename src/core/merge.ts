/**
 * Three-way merge of sidecars, used in two places:
 * - the editor, when a sidecar changed on disk while it held unsaved annotation changes
 *   (`mergeSidecars`: the conflict ids are for the user to decide there and then);
 * - git, through `misconduct-annotate merge-driver` (`mergeForGit`: conflicts are recorded in the
 *   file's `conflicts` list, so the result is always a valid sidecar).
 *
 * Every part of a sidecar merges by one of two rules:
 * - `mergeKeyed`: a list of records with a stable key (annotations by id). Added on either side:
 *   kept. Removed on one side and unchanged on the other: removed. Changed on one side: that
 *   change. Changed differently on both: ours stays, theirs is a conflict.
 * - `mergeValue`: a single value (the article's `status`), by the same rule.
 * Relations merge by relation id and the coding form by field name, with `mergeKeyed` too.
 * A relation must keep both ends: when one side removed an annotation the other side linked,
 * ours stays as it is and the other side's link (and annotation) are recorded as conflicts.
 * Rejected suggestions are a set: `mergeSet`, which never conflicts.
 * The article's `source` merges field by field and `duplicateOf` as one value, by `mergeValue`;
 * when both sides changed one differently ours is kept and no conflict is recorded: provenance is
 * not coding, and a recorded conflict would need a kind older builds cannot read.
 *
 * Offsets belong to one text. When the sides annotated different texts (the article changed on a
 * branch), the merged sidecar names ours' text and every span in it is placed on ours' text: its
 * own when ours has the same annotation, else theirs' re-anchored onto ours by quote and context
 * (orphaned when not found); one side's hash never goes with another side's offsets. Across texts
 * annotations compare without their offsets, so a span that moved only because the text did is
 * unchanged, not a conflict. (Only when theirs alone changed the text and the merge keeps nothing of
 * ours' does it name theirs' text, the one git leaves, with theirs' offsets.)
 */
import type { ConflictSettlement } from './annotationDocument';
import { OffsetMap } from './offsets';
import { reanchorAnnotations } from './reanchor';
import { Annotation, ArticleStatus, Conflict, FieldValue, Rejection, Relation, Sidecar } from './schema';
import { sameFieldValue } from './codebook';
import { ArticleSource, canonicalSource, SOURCE_KEYS } from './source';

export interface MergeResult {
  merged: Sidecar;
  /**
   * What both sides changed differently, by `conflictName` (an annotation id, `relation:<id>`,
   * `field:<name>`, `status`); ours is in `merged`. The editor asks the user when there are any:
   * a form field or relation both changed is as much a conflict as an annotation.
   */
  conflicts: string[];
  /** Every conflict, in the shape the sidecar's `conflicts` list records. */
  recorded: Conflict[];
}

/** Where a merged record came from: which side's article its offsets refer to. */
export type Origin = 'ours' | 'theirs' | 'both';

export interface KeyedConflict<T> {
  key: string;
  /** Theirs; undefined when theirs removed it. */
  theirs: T | undefined;
}

export interface KeyedMergeResult<T> {
  merged: Array<{ value: T; origin: Origin }>;
  conflicts: KeyedConflict<T>[];
}

/**
 * The three-way merge of keyed records. `same` decides whether two versions carry the same
 * meaning (so cosmetic differences are not conflicts). Keys come from files: a Map, never an object.
 */
export function mergeKeyed<T>(
  base: readonly T[] | undefined,
  ours: readonly T[],
  theirs: readonly T[],
  key: (x: T) => string,
  same: (a: T, b: T) => boolean,
): KeyedMergeResult<T> {
  const index = (xs: readonly T[] | undefined) => new Map((xs ?? []).map((x) => [key(x), x]));
  const b = index(base);
  const o = index(ours);
  const t = index(theirs);
  const eq = (x: T | undefined, y: T | undefined) => (x === undefined || y === undefined ? x === y : same(x, y));
  const merged: KeyedMergeResult<T>['merged'] = [];
  const conflicts: KeyedConflict<T>[] = [];
  for (const k of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
    const [bx, ox, tx] = [b.get(k), o.get(k), t.get(k)];
    if (eq(ox, tx)) {
      if (ox !== undefined) merged.push({ value: ox, origin: 'both' });
    } else if (eq(ox, bx)) {
      if (tx !== undefined) merged.push({ value: tx, origin: 'theirs' });
    } else if (eq(tx, bx)) {
      if (ox !== undefined) merged.push({ value: ox, origin: 'ours' });
    } else {
      conflicts.push({ key: k, theirs: tx });
      if (ox !== undefined) merged.push({ value: ox, origin: 'ours' });
    }
  }
  return { merged, conflicts };
}

/** The three-way merge of one value; `conflict` holds theirs when both changed it differently. */
function mergeValue<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined): { value: T | undefined; conflict?: { theirs: T | undefined } } {
  if (ours === theirs || theirs === base) return { value: ours };
  if (ours === base) return { value: theirs };
  return { value: ours, conflict: { theirs } };
}

/** The source merged field by field (ours where both changed a field differently). */
function mergeSource(base: ArticleSource | undefined, ours: ArticleSource | undefined, theirs: ArticleSource | undefined): ArticleSource | undefined {
  const out: ArticleSource = {};
  for (const key of SOURCE_KEYS) {
    const value = mergeValue(base?.[key], ours?.[key], theirs?.[key]).value;
    if (value !== undefined) out[key] = value;
  }
  return canonicalSource(out);
}

/** A set merged three ways: in the result when both have it, or one side added it. */
function mergeSet<T>(base: readonly T[] | undefined, ours: readonly T[], theirs: readonly T[], key: (x: T) => string): T[] {
  const inBase = new Set((base ?? []).map(key));
  const inOurs = new Set(ours.map(key));
  const inTheirs = new Set(theirs.map(key));
  const out = new Map<string, T>();
  for (const x of ours) if (inTheirs.has(key(x)) || !inBase.has(key(x))) out.set(key(x), x);
  for (const x of theirs) if (!out.has(key(x)) && !inBase.has(key(x)) && !inOurs.has(key(x))) out.set(key(x), x);
  return [...out.values()];
}

/** Whether two annotations mean the same: prefix/suffix follow from the text, times are bookkeeping. */
function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return JSON.stringify(meaning(a)) === JSON.stringify(meaning(b));
}

/**
 * Whether two annotations of different texts mean the same: their offsets (and whether re-anchoring
 * could place them) say where the text put them, not what anyone changed.
 */
export function sameAnnotationAnywhere(a: Annotation, b: Annotation): boolean {
  return JSON.stringify(meaning(a, false)) === JSON.stringify(meaning(b, false));
}

function meaning(a: Annotation, placed = true): unknown {
  const attributes = Object.entries(a.attributes ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const place = placed ? [a.start, a.end, a.orphaned ?? false] : [];
  return [a.label, a.text, a.source, a.note ?? '', a.author ?? '', attributes, ...place];
}

/** Whether two relations mean the same (times are bookkeeping). */
function sameRelation(a: Relation, b: Relation): boolean {
  return a.label === b.label && a.from === b.from && a.to === b.to && (a.note ?? '') === (b.note ?? '') && (a.author ?? '') === (b.author ?? '');
}

function rejectionKey(r: Rejection): string {
  return `${r.start}:${r.end}:${r.label}:${r.text}`;
}

function conflictKey(c: Conflict): string {
  if (c.kind === 'annotation' || c.kind === 'relation') return `${c.kind}:${c.id}`;
  if (c.kind === 'field') return `field:${c.field}`;
  return c.kind;
}

interface Merged {
  merged: Sidecar;
  /** Conflicts left from earlier merges, then this merge's (which replace earlier ones on the same thing). */
  recorded: Conflict[];
  /** This merge's conflicts. */
  fresh: Conflict[];
  origins: Map<string, Origin>;
}

function mergeParts(base: Sidecar | undefined, ours: Sidecar, theirs: Sidecar, same: (a: Annotation, b: Annotation) => boolean = sameAnnotation): Merged {
  const annotations = mergeKeyed(base?.annotations, ours.annotations, theirs.annotations, (a) => a.id, same);
  const status = mergeValue<ArticleStatus>(base?.status, ours.status, theirs.status);
  const rejected = mergeSet(base?.rejected, ours.rejected ?? [], theirs.rejected ?? [], rejectionKey);

  const relations = mergeKeyed(base?.relations, ours.relations ?? [], theirs.relations ?? [], (r) => r.id, sameRelation);
  type Entry = [string, FieldValue];
  const entries = (s: Sidecar | undefined): Entry[] => Object.entries(s?.document ?? {});
  const fields = mergeKeyed<Entry>(base && entries(base), entries(ours), entries(theirs), ([k]) => k, ([, a], [, b]) => sameFieldValue(a, b));

  const fresh: Conflict[] = annotations.conflicts.map((c) => ({ kind: 'annotation', id: c.key, theirs: c.theirs ?? null }));
  if (status.conflict) fresh.push({ kind: 'status', theirs: status.conflict.theirs ?? null });
  for (const c of relations.conflicts) fresh.push({ kind: 'relation', id: c.key, theirs: c.theirs ?? null });
  for (const c of fields.conflicts) fresh.push(c.theirs === undefined ? { kind: 'field', field: c.key } : { kind: 'field', field: c.key, theirs: c.theirs[1] });

  // a relation keeps both ends: ours' annotation stays when ours linked it; theirs' link waits as a conflict
  const mergedAnnotations = new Map(annotations.merged.map((m) => [m.value.id, m]));
  const oursById = new Map(ours.annotations.map((a) => [a.id, a]));
  const theirsById = new Map(theirs.annotations.map((a) => [a.id, a]));
  const annotationConflict = (id: string) => fresh.some((c) => c.kind === 'annotation' && c.id === id);
  // their version of a conflicting relation may link an annotation ours removed: it waits too, so
  // Accept Theirs can bring both back (nothing of theirs is lost)
  for (const c of relations.conflicts) {
    for (const id of c.theirs ? [c.theirs.from, c.theirs.to] : []) {
      const t = theirsById.get(id);
      if (t && !mergedAnnotations.has(id) && !annotationConflict(id)) fresh.push({ kind: 'annotation', id, theirs: t });
    }
  }
  const keptRelations: Relation[] = [];
  for (const { value: r, origin } of relations.merged) {
    const missing = [r.from, r.to].filter((id) => !mergedAnnotations.has(id));
    if (!missing.length) {
      keptRelations.push(r);
      continue;
    }
    if (origin !== 'theirs' && missing.every((id) => oursById.has(id))) {
      for (const id of missing) {
        mergedAnnotations.set(id, { value: oursById.get(id)!, origin: 'ours' });
        if (!annotationConflict(id)) fresh.push({ kind: 'annotation', id, theirs: theirsById.get(id) ?? null });
      }
      keptRelations.push(r);
      continue;
    }
    fresh.push({ kind: 'relation', id: r.id, theirs: origin === 'ours' ? null : r });
    for (const id of missing) {
      const t = theirsById.get(id);
      if (t && !annotationConflict(id)) fresh.push({ kind: 'annotation', id, theirs: t });
    }
  }
  // conflicts left unresolved by earlier merges merge like records (one resolved on one side stays
  // resolved); a new one on the same thing replaces them
  const earlier = mergeKeyed(base?.conflicts, ours.conflicts ?? [], theirs.conflicts ?? [], conflictKey, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  const recorded = new Map<string, Conflict>();
  for (const { value } of earlier.merged) recorded.set(conflictKey(value), value);
  // both sides changed the same recorded conflict (each merged again): theirs' version, when ours resolved it
  for (const c of earlier.conflicts) if (c.theirs && !recorded.has(c.key)) recorded.set(c.key, c.theirs);
  for (const c of fresh) {
    recorded.delete(conflictKey(c));
    recorded.set(conflictKey(c), c);
  }

  const merged: Sidecar = { ...ours, annotations: [...mergedAnnotations.values()].map((m) => m.value) };
  if (keptRelations.length) merged.relations = keptRelations;
  else delete merged.relations;
  if (fields.merged.length) merged.document = Object.fromEntries(fields.merged.map((m) => m.value));
  else delete merged.document;
  if (status.value === undefined) delete merged.status;
  else merged.status = status.value;
  if (rejected.length) merged.rejected = rejected;
  else delete merged.rejected;
  const source = mergeSource(base?.source, ours.source, theirs.source);
  if (source) merged.source = source;
  else delete merged.source;
  const duplicateOf = mergeValue(base?.duplicateOf, ours.duplicateOf, theirs.duplicateOf).value;
  if (duplicateOf === undefined) delete merged.duplicateOf;
  else merged.duplicateOf = duplicateOf;
  delete merged.conflicts;
  return { merged, recorded: [...recorded.values()], fresh, origins: new Map([...mergedAnnotations.values()].map((m) => [m.value.id, m.origin])) };
}

/**
 * For the editor: `base` is what both sides started from (undefined when there was no sidecar).
 * Conflicts are returned for the user to decide, not written into `merged`.
 */
export function mergeSidecars(base: Sidecar | undefined, mine: Sidecar, theirs: Sidecar): MergeResult {
  const { merged, recorded, fresh } = mergeParts(base, mine, theirs);
  const earlier = recorded.filter((c) => !fresh.includes(c));
  if (earlier.length) merged.conflicts = earlier;
  return { merged, conflicts: fresh.map(conflictName), recorded };
}

/** Ours' article: its text and the sha256 of its bytes. */
export interface ArticleOnDisk {
  text: string;
  sha256: string;
}

export interface GitMergeResult {
  sidecar: Sidecar;
  /** The conflicts recorded in `sidecar.conflicts` (including ones left from earlier merges). */
  conflicts: Conflict[];
  /** New conflicts of this merge: the driver exits 1 when there are any. */
  fresh: number;
  /** Those new conflicts. */
  freshConflicts: Conflict[];
  /** Annotations from the other side re-anchored onto ours' text by quote. */
  reanchored: number;
  /** Of those, how many were not found there (kept with `orphaned: true`). */
  orphaned: number;
}

/** The sides annotated different texts and ours' text, which their spans must be placed on, was not given. */
export class OurTextMissing extends Error {}

/**
 * For git: the merge, with conflicts recorded in the sidecar. The sidecar names the article text
 * its offsets are on (see the module comment): theirs' when theirs alone changed the text and
 * nothing of ours' is kept, else ours', with theirs' spans placed on `oursText`. Throws
 * `OurTextMissing` when that placing needs ours' text and it is not given (or not ours).
 */
export function mergeForGit(base: Sidecar | undefined, ours: Sidecar, theirs: Sidecar, oursText?: ArticleOnDisk): GitMergeResult {
  const hash = ours.article.sha256;
  if (theirs.article.sha256 === hash && (!base || base.article.sha256 === hash)) return recordConflicts(mergeParts(base, ours, theirs), 0, 0);
  if (base?.article.sha256 === hash && theirs.article.sha256 !== hash) {
    // git leaves theirs' text (only theirs changed it): exact on it when every span kept is theirs'
    const onTheirs = mergeParts(base, ours, theirs);
    if (![...onTheirs.origins.values()].includes('ours')) {
      onTheirs.merged.article = { ...onTheirs.merged.article, sha256: theirs.article.sha256, length: theirs.article.length };
      return recordConflicts(onTheirs, 0, 0);
    }
  }
  const m = mergeParts(base, ours, theirs, sameAnnotationAnywhere);
  if (theirs.article.sha256 === hash) return recordConflicts(m, 0, 0); // theirs' offsets are on ours' text already
  const placed = placeOnOurs(ours, theirs, oursText);
  m.merged.annotations = m.merged.annotations.map((a) => (m.origins.get(a.id) === 'theirs' ? placed.place(a) : a));
  // their side of a conflict too, so Accept Theirs puts it where it belongs (earlier merges' stay as they were)
  const placedConflicts = new Map(m.fresh.map((c) => [c, c.kind === 'annotation' && c.theirs ? { ...c, theirs: placed.place(c.theirs) } : c]));
  m.fresh = m.fresh.map((c) => placedConflicts.get(c)!);
  m.recorded = m.recorded.map((c) => placedConflicts.get(c) ?? c);
  return recordConflicts(m, placed.reanchored.size, [...placed.reanchored].filter((id) => placed.orphans.has(id)).length);
}

/**
 * Places theirs' annotations on ours' text: where ours has the same annotation with the same quote,
 * at ours' place (the same words, found already); otherwise re-anchored by quote and context.
 */
function placeOnOurs(ours: Sidecar, theirs: Sidecar, oursText: ArticleOnDisk | undefined) {
  const oursById = new Map(ours.annotations.map((a) => [a.id, a]));
  let moved: Map<string, Annotation> | undefined;
  const orphans = new Set<string>();
  const reanchored = new Set<string>();
  const place = (t: Annotation): Annotation => {
    const o = oursById.get(t.id);
    if (o && o.text === t.text) return withPlace(t, o);
    if (!oursText || oursText.sha256 !== ours.article.sha256) {
      throw new OurTextMissing(`the branches annotated different texts and ours (sha256 ${ours.article.sha256.slice(0, 12)}…) is not at hand to place their annotation ${t.id} on`);
    }
    if (!moved) {
      // all of theirs at once: each placed span is evidence for its neighbours' places
      const report = reanchorAnnotations(theirs.annotations, new OffsetMap(oursText.text), { oldLength: theirs.article.length });
      moved = new Map(report.annotations.map((a) => [a.id, a]));
      for (const a of report.orphaned) orphans.add(a.id);
    }
    reanchored.add(t.id);
    return withPlace(t, moved.get(t.id) ?? t);
  };
  return { place, reanchored, orphans };
}

/** `a` at `at`'s place on the text (offsets, context, orphaned or not). */
function withPlace(a: Annotation, at: Annotation): Annotation {
  const { orphaned: _orphaned, prefix: _prefix, suffix: _suffix, ...rest } = a;
  const out: Annotation = { ...rest, start: at.start, end: at.end };
  if (at.prefix !== undefined) out.prefix = at.prefix;
  if (at.suffix !== undefined) out.suffix = at.suffix;
  if (at.orphaned) out.orphaned = true;
  return out;
}

function recordConflicts({ merged, recorded, fresh }: Merged, reanchored: number, orphaned: number): GitMergeResult {
  if (recorded.length) merged.conflicts = recorded;
  return { sidecar: merged, conflicts: recorded, fresh: fresh.length, freshConflicts: fresh, reanchored, orphaned };
}

/**
 * Removes one recorded conflict from a sidecar, applying theirs when `accept` is 'theirs'. With the
 * article's current text, an accepted annotation whose quote is not at its offsets (the branches
 * annotated different texts) is found again by quote first, as opening the file would.
 */
export function resolveConflict(sidecar: Sidecar, conflict: Conflict, accept: 'theirs' | 'mine', article?: ArticleOnDisk): Sidecar {
  const key = conflictKey(conflict);
  const out: Sidecar = { ...sidecar, conflicts: (sidecar.conflicts ?? []).filter((c) => conflictKey(c) !== key) };
  if (!out.conflicts!.length) delete out.conflicts;
  if (accept === 'mine') return out;
  if (conflict.kind === 'status') {
    if (conflict.theirs === null) delete out.status;
    else out.status = conflict.theirs;
    return out;
  }
  if (conflict.kind === 'field') {
    const form: Record<string, FieldValue> = Object.fromEntries(Object.entries(out.document ?? {}).filter(([k]) => k !== conflict.field));
    if (conflict.theirs !== undefined) form[conflict.field] = conflict.theirs;
    if (Object.keys(form).length) out.document = form;
    else delete out.document;
    return out;
  }
  if (conflict.kind === 'relation') {
    const rest = (out.relations ?? []).filter((r) => r.id !== conflict.id);
    const theirs = conflict.theirs;
    if (theirs) {
      const ids = new Set(out.annotations.map((a) => a.id));
      const missing = [theirs.from, theirs.to].filter((id) => !ids.has(id));
      if (missing.length) throw new UnresolvableConflict(missingEndsMessage(theirs, missing, sidecar.conflicts ?? []));
    }
    out.relations = theirs ? [...rest, theirs] : rest;
    if (!out.relations.length) delete out.relations;
    return out;
  }
  const rest = out.annotations.filter((a) => a.id !== conflict.id);
  let theirs = conflict.theirs;
  if (theirs && article && article.sha256 === sidecar.article.sha256) {
    const map = new OffsetMap(article.text);
    const fits = theirs.orphaned || (theirs.end <= map.length && theirs.start < theirs.end && map.slice(theirs.start, theirs.end) === theirs.text);
    if (!fits) theirs = reanchorAnnotations([theirs], map).annotations[0];
  }
  out.annotations = theirs ? [...rest, theirs] : rest;
  if (!theirs && out.relations?.length) {
    // their removal takes the links that held the annotation with it
    out.relations = out.relations.filter((r) => r.from !== conflict.id && r.to !== conflict.id);
    if (!out.relations.length) delete out.relations;
  }
  return out;
}

/** Accept Theirs cannot be applied as things stand (the message says what to do first). */
export class UnresolvableConflict extends Error {}

function missingEndsMessage(relation: Relation, missing: string[], conflicts: readonly Conflict[]): string {
  const name = (id: string) => {
    const pending = conflicts.find((c) => c.kind === 'annotation' && c.id === id);
    const quote = pending?.kind === 'annotation' && pending.theirs ? `“${pending.theirs.text.length > 40 ? pending.theirs.text.slice(0, 39) + '…' : pending.theirs.text}” (${id})` : id;
    return { quote, pending: !!(pending?.kind === 'annotation' && pending.theirs) };
  };
  const ends = missing.map(name);
  const which = ends.map((e) => e.quote).join(' and ');
  if (ends.every((e) => e.pending)) {
    return `their "${relation.label}" relation links ${which}, which this file does not have: that annotation is itself a merge conflict, so accept their annotation first, then this relation.`;
  }
  return `their "${relation.label}" relation links ${which}, which this file no longer has (your side removed it and that was kept). Keep Mine on this relation, or tag the annotation again and link it.`;
}

/** The key a conflict is named by in commands: the annotation id, or `status`. */
export function conflictName(c: Conflict): string {
  if (c.kind === 'annotation') return c.id;
  if (c.kind === 'relation') return `relation:${c.id}`;
  if (c.kind === 'field') return `field:${c.field}`;
  return c.kind;
}

/**
 * What a resolution changed, record by record (`before` → `resolveConflict` → `after`), so the
 * editor applies it to the live annotations as one undo step instead of rewriting the file.
 */
export function settlementOf(before: Sidecar, after: Sidecar): ConflictSettlement {
  const changed = <T>(xs: readonly T[], ys: readonly T[], key: (x: T) => string, same: (a: T, b: T) => boolean) => {
    const was = new Map(xs.map((x) => [key(x), x]));
    const now = new Map(ys.map((y) => [key(y), y]));
    const out = new Map<string, T | undefined>();
    for (const k of new Set([...was.keys(), ...now.keys()])) {
      const [a, b] = [was.get(k), now.get(k)];
      if (a === undefined || b === undefined ? a !== b : !same(a, b)) out.set(k, b);
    }
    return out;
  };
  const json = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);
  type Entry = [string, FieldValue];
  const fields = changed<Entry>(Object.entries(before.document ?? {}), Object.entries(after.document ?? {}), ([k]) => k, ([, a], [, b]) => sameFieldValue(a, b));
  const out: ConflictSettlement = {
    annotations: changed(before.annotations, after.annotations, (a) => a.id, json),
    relations: changed(before.relations ?? [], after.relations ?? [], (r) => r.id, json),
    fields: new Map([...fields].map(([k, e]) => [k, e?.[1]])),
    conflicts: after.conflicts ?? [],
  };
  if (before.status !== after.status) out.status = after.status;
  return out;
}
