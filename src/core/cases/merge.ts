/**
 * Three-way merge of case records for git's merge driver, by the rules sidecars merge by
 * (src/core/merge.ts's `mergeKeyed`): fields by name, evidence by id, the title, note and author as
 * single values. Added on either side: kept; removed on one side and unchanged on the other:
 * removed; changed on one side: that change; changed differently on both: ours stays and theirs is
 * recorded in the file's `conflicts`, so the result is always a valid case record.
 */
import { sameFieldValue } from '../codebook';
import { mergeKeyed } from '../merge';
import type { FieldValue } from '../schema';
import { CaseConflict, CaseRecord, Evidence } from './schema';

export interface CaseMergeResult {
  record: CaseRecord;
  /** The conflicts this merge found (the driver exits 1 when there are any). */
  fresh: CaseConflict[];
}

function conflictKey(c: CaseConflict): string {
  return c.kind === 'property' ? `property:${c.name}` : c.kind === 'field' ? `field:${c.field}` : `evidence:${c.id}`;
}

/** How a conflict is named for a person: `field:outcome`, `evidence:e-2`, `title`. */
export function caseConflictName(c: CaseConflict): string {
  return c.kind === 'property' ? c.name : conflictKey(c);
}

function sameEvidence(a: Evidence, b: Evidence): boolean {
  return a.file === b.file && a.annotation === b.annotation && a.relation === b.relation && a.field === b.field && a.quote === b.quote;
}

function mergeText(base: string | undefined, ours: string | undefined, theirs: string | undefined): { value: string | undefined; conflict: boolean } {
  if (ours === theirs || theirs === base) return { value: ours, conflict: false };
  if (ours === base) return { value: theirs, conflict: false };
  return { value: ours, conflict: true };
}

const laterOf = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a >= b ? a : b);

/** Merges theirs into ours, base their common ancestor (undefined when there was none). */
export function mergeCases(base: CaseRecord | undefined, ours: CaseRecord, theirs: CaseRecord): CaseMergeResult {
  const fresh: CaseConflict[] = [];
  type Entry = [string, FieldValue];
  const entries = (r: CaseRecord | undefined) => (r ? (Object.entries(r.fields) as Entry[]) : undefined);
  const fields = mergeKeyed<Entry>(entries(base), entries(ours)!, entries(theirs)!, (e) => e[0], (a, b) => sameFieldValue(a[1], b[1]));
  for (const c of fields.conflicts) fresh.push(c.theirs === undefined ? { kind: 'field', field: c.key } : { kind: 'field', field: c.key, theirs: c.theirs[1] });
  const evidence = mergeKeyed(base?.evidence, ours.evidence, theirs.evidence, (e) => e.id, sameEvidence);
  for (const c of evidence.conflicts) fresh.push({ kind: 'evidence', id: c.key, theirs: c.theirs ?? null });

  const record: CaseRecord = {
    version: ours.version,
    id: ours.id,
    title: ours.title,
    fields: Object.fromEntries(fields.merged.map((m) => m.value)),
    evidence: evidence.merged.map((m) => m.value),
    created: ours.created < theirs.created ? ours.created : theirs.created,
  };
  const title = mergeText(base?.title, ours.title, theirs.title);
  record.title = title.value ?? ours.title;
  if (title.conflict) fresh.push({ kind: 'property', name: 'title', theirs: theirs.title });
  for (const name of ['note', 'author'] as const) {
    const merged = mergeText(base?.[name], ours[name], theirs[name]);
    if (merged.value !== undefined) record[name] = merged.value;
    if (merged.conflict) fresh.push(theirs[name] === undefined ? { kind: 'property', name } : { kind: 'property', name, theirs: theirs[name] });
  }
  const modified = laterOf(ours.modified, theirs.modified);
  if (modified !== undefined) record.modified = modified;

  // conflicts of earlier merges merge like records (one resolved on one side stays resolved); this
  // merge's replace any of the same key
  const earlier = mergeKeyed(base?.conflicts, ours.conflicts ?? [], theirs.conflicts ?? [], conflictKey, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  const recorded = new Map<string, CaseConflict>(earlier.merged.map((m) => [conflictKey(m.value), m.value]));
  for (const c of fresh) recorded.set(conflictKey(c), c);
  if (recorded.size) record.conflicts = [...recorded.values()];
  return { record, fresh };
}
