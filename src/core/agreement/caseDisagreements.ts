/**
 * Disagreements on the case level between my annotations and another annotator's, for compare
 * mode's adjudication: coding-form fields whose values differ, and relations one side has and the
 * other has not (or has with another type).
 *
 * Their relations are read in my terms: each of their spans is matched to one of mine the way the
 * overlap span F1 matches spans (same label, overlapping, one-to-one, largest overlap first; an
 * identical span always wins — see spanF1.ts `overlapMatching`). A relation of theirs whose end has
 * no matching span of mine cannot be taken as it is: the disagreement names that end (`unmatched`),
 * so the adjudicator can take the span too, or skip.
 *
 * Pure: offsets are whatever the caller uses for both sides (the extension uses editor offsets).
 */
import { DocumentForm, FieldValue } from '../schema';
import { valueKey } from './formAgreement';
import { IdSpan, matchSpanIds, RelationLink } from './relationF1';

/** A relation with its id (the sidecar's `Relation` fits). */
export interface IdRelation extends RelationLink {
  id: string;
  note?: string;
  author?: string;
}

export interface FieldDisagreement {
  kind: 'field';
  /** `field:<name>`. */
  id: string;
  field: string;
  /** My value (undefined: not coded). */
  mine: FieldValue | undefined;
  theirs: FieldValue | undefined;
}

/** One end of a disagreeing relation: my span where there is one, else theirs. */
export interface RelationEnd<S extends IdSpan = IdSpan> {
  /** My span at this end (undefined: I have no span matching theirs). */
  mine?: S;
  /** Their span at this end (undefined: a relation only I have, whose end they have no span for). */
  theirs?: S;
}

export interface RelationDisagreement<S extends IdSpan = IdSpan> {
  kind: 'relation';
  /**
   * Stable while the relations involved do not change: `relation:theirs:<their id>`,
   * `relation:mine:<my id>`, or `relation:type:<my relation ids>:<their relation ids>`.
   */
  id: string;
  /**
   * `theirs`: they have the relation, I do not; `mine`: I have it, they do not; `type`: both link
   * the same two spans, with different types.
   */
  side: 'theirs' | 'mine' | 'type';
  from: RelationEnd<S>;
  to: RelationEnd<S>;
  /** My relations involved (none for `theirs`). */
  mine: IdRelation[];
  /** Theirs (none for `mine`). */
  theirs: IdRelation[];
  /** Ends of their relation that have no matching span of mine (only for `theirs`). */
  unmatched: Array<'from' | 'to'>;
}

export type CaseDisagreement<S extends IdSpan = IdSpan> = FieldDisagreement | RelationDisagreement<S>;

/** Their span ids → my matching span ids (and the reverse), by the overlap matching. */
export function spanCorrespondence<S extends IdSpan>(mine: readonly S[], theirs: readonly S[]): { theirsToMine: Map<string, string>; mineToTheirs: Map<string, string> } {
  const mineToTheirs = matchSpanIds(mine, theirs, 'overlap');
  return { mineToTheirs, theirsToMine: new Map([...mineToTheirs].map(([m, t]) => [t, m])) };
}

/** Form fields where my value and theirs differ (lists compared as sets), by field name. */
export function formDisagreements(mine: Readonly<DocumentForm> | undefined, theirs: Readonly<DocumentForm> | undefined): FieldDisagreement[] {
  const get = (form: Readonly<DocumentForm> | undefined, name: string): FieldValue | undefined => (form && Object.hasOwn(form, name) && form[name] !== null ? form[name] : undefined);
  const names = new Set([...Object.keys(mine ?? {}), ...Object.keys(theirs ?? {})]);
  const out: FieldDisagreement[] = [];
  for (const field of [...names].sort()) {
    const m = get(mine, field);
    const t = get(theirs, field);
    if (key(m) === key(t)) continue;
    out.push({ kind: 'field', id: `field:${field}`, field, mine: m, theirs: t });
  }
  return out;
}

/** A value as a comparable string: lists as sorted sets (order and repeats do not matter). */
function key(v: FieldValue | undefined): string {
  return v === undefined ? '' : valueKey(v as Exclude<FieldValue, null>);
}

/**
 * Relations that differ. Only relations whose ends are spans in the lists given count (pass
 * non-orphaned spans). Between the same two (matched) spans, types both sides have agree; what is
 * left is a `type` disagreement when both sides have some, else `theirs`/`mine` ones, one per relation.
 */
export function relationDisagreements<S extends IdSpan>(
  mineSpans: readonly S[],
  mineRelations: readonly IdRelation[],
  theirSpans: readonly S[],
  theirRelations: readonly IdRelation[],
): RelationDisagreement<S>[] {
  // nothing to match (and compare mode calls this on every keystroke)
  if (!mineRelations.length && !theirRelations.length) return [];
  const mineById = new Map(mineSpans.map((s) => [s.id, s]));
  const theirById = new Map(theirSpans.map((s) => [s.id, s]));
  const { theirsToMine, mineToTheirs } = spanCorrespondence(mineSpans, theirSpans);
  const out: RelationDisagreement<S>[] = [];
  // end pairs in my ids: key → my and their relations between them
  const groups = new Map<string, { from: string; to: string; mine: IdRelation[]; theirs: IdRelation[] }>();
  const group = (from: string, to: string) => {
    const key = `${from}\u0000${to}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { from, to, mine: [], theirs: [] }));
    return g;
  };
  for (const r of mineRelations) if (mineById.has(r.from) && mineById.has(r.to)) group(r.from, r.to).mine.push(r);
  for (const r of theirRelations) {
    if (!theirById.has(r.from) || !theirById.has(r.to)) continue;
    const from = theirsToMine.get(r.from);
    const to = theirsToMine.get(r.to);
    if (from !== undefined && to !== undefined) {
      group(from, to).theirs.push(r);
      continue;
    }
    const unmatched: Array<'from' | 'to'> = [];
    if (from === undefined) unmatched.push('from');
    if (to === undefined) unmatched.push('to');
    out.push({
      kind: 'relation',
      id: `relation:theirs:${r.id}`,
      side: 'theirs',
      from: { mine: from === undefined ? undefined : mineById.get(from), theirs: theirById.get(r.from) },
      to: { mine: to === undefined ? undefined : mineById.get(to), theirs: theirById.get(r.to) },
      mine: [],
      theirs: [r],
      unmatched,
    });
  }
  for (const g of groups.values()) {
    const mineLeft = [...g.mine];
    const theirsLeft: IdRelation[] = [];
    for (const t of g.theirs) {
      const i = mineLeft.findIndex((m) => m.label === t.label);
      if (i >= 0) mineLeft.splice(i, 1);
      else theirsLeft.push(t);
    }
    const ends = (mineId: string) => ({ mine: mineById.get(mineId), theirs: theirById.get(mineToTheirs.get(mineId) ?? '') });
    const base = { kind: 'relation' as const, from: ends(g.from), to: ends(g.to), unmatched: [] };
    if (mineLeft.length && theirsLeft.length) {
      out.push({ ...base, id: `relation:type:${mineLeft.map((r) => r.id).join(',')}:${theirsLeft.map((r) => r.id).join(',')}`, side: 'type', mine: mineLeft, theirs: theirsLeft });
    } else {
      for (const t of theirsLeft) out.push({ ...base, id: `relation:theirs:${t.id}`, side: 'theirs', mine: [], theirs: [t] });
      for (const m of mineLeft) out.push({ ...base, id: `relation:mine:${m.id}`, side: 'mine', mine: [m], theirs: [] });
    }
  }
  const at = (d: RelationDisagreement<S>) => (d.from.mine ?? d.from.theirs)?.start ?? 0;
  return out.sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Form disagreements first (by field), then relation disagreements in reading order. */
export function caseDisagreements<S extends IdSpan>(
  mine: { spans: readonly S[]; relations: readonly IdRelation[]; form: Readonly<DocumentForm> | undefined },
  theirs: { spans: readonly S[]; relations: readonly IdRelation[]; form: Readonly<DocumentForm> | undefined },
): CaseDisagreement<S>[] {
  return [...formDisagreements(mine.form, theirs.form), ...relationDisagreements(mine.spans, mine.relations, theirs.spans, theirs.relations)];
}
