/**
 * Merge Cases…: two case records found to be one case joined into one. Evidence is united (the same
 * article and annotation, relation and field once); a field both set differently is resolved per
 * field: A's, B's, or both (A's in `fields`, B's in the record's `conflicts`, as the git merge driver
 * records what is left to settle). Not the git driver's three-way merge (merge.ts): there is no base.
 */
import { sameFieldValue } from '../codebook';
import type { FieldValue } from '../schema';
import { newEvidenceId } from './caseFile';
import type { CaseConflict, CaseRecord, Evidence } from './schema';

export type JoinChoice = 'a' | 'b' | 'both';

export interface FieldClash {
  field: string;
  a: FieldValue;
  b: FieldValue;
}

const get = (o: Readonly<Record<string, FieldValue>>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
const has = (v: FieldValue | undefined): v is FieldValue => v !== undefined && v !== null;

/** The fields both records set, to different values (by name). */
export function fieldClashes(a: CaseRecord, b: CaseRecord): FieldClash[] {
  return Object.keys(a.fields)
    .sort()
    .flatMap((field) => {
      const va = get(a.fields, field);
      const vb = get(b.fields, field);
      return has(va) && has(vb) && !sameFieldValue(va, vb) ? [{ field, a: va, b: vb }] : [];
    });
}

const evidenceKey = (e: Evidence) => JSON.stringify([e.file, e.annotation ?? '', e.relation ?? '', e.field ?? '']);

/**
 * A and B as one record, with A's id and title (B's title, when it differs, goes into the note).
 * `choices`: per clashing field (fieldClashes); a clash without a choice keeps both.
 */
export function joinCases(a: CaseRecord, b: CaseRecord, choices: ReadonlyMap<string, JoinChoice>, modified: string): CaseRecord {
  const fields: Record<string, FieldValue> = { ...b.fields, ...a.fields };
  const conflicts = new Map<string, CaseConflict>();
  const key = (c: CaseConflict) => (c.kind === 'field' ? `field:${c.field}` : c.kind === 'evidence' ? `evidence:${c.id}` : c.name);
  for (const c of [...(b.conflicts ?? []), ...(a.conflicts ?? [])]) conflicts.set(key(c), c);
  for (const clash of fieldClashes(a, b)) {
    const choice = choices.get(clash.field) ?? 'both';
    fields[clash.field] = choice === 'b' ? clash.b : clash.a;
    if (choice === 'both') conflicts.set(`field:${clash.field}`, { kind: 'field', field: clash.field, theirs: clash.b });
    else conflicts.delete(`field:${clash.field}`);
  }

  const evidence = [...a.evidence];
  const seen = new Set(evidence.map(evidenceKey));
  const ids = new Set(evidence.map((e) => e.id));
  for (const e of b.evidence) {
    if (seen.has(evidenceKey(e))) continue;
    seen.add(evidenceKey(e));
    let id = e.id;
    while (ids.has(id)) id = newEvidenceId();
    ids.add(id);
    evidence.push({ ...e, id });
  }

  const notes = [a.note, b.title !== a.title ? `Joined with ${b.id} (“${b.title}”).` : `Joined with ${b.id}.`, b.note].filter((n): n is string => !!n);
  const out: CaseRecord = {
    version: a.version,
    id: a.id,
    title: a.title,
    fields,
    evidence,
    ...(a.author ?? b.author ? { author: a.author ?? b.author } : {}),
    created: a.created < b.created ? a.created : b.created,
    modified,
    note: notes.join('\n'),
  };
  if (conflicts.size) out.conflicts = [...conflicts.values()];
  return out;
}
