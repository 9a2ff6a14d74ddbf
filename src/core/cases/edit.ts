/**
 * Editing a case record from the articles that report it (the Case record editor): per codebook
 * field, the case's value beside the value each article's own form gives, disagreements marked;
 * taking one article's value into the case with that article's form as its evidence; and the
 * per-case history that lets each edit be undone and redone.
 */
import { displayValue, FieldDefinition, sameFieldValue } from '../codebook';
import type { DocumentForm, FieldValue } from '../schema';
import { newEvidenceId, serializeCase } from './caseFile';
import type { CaseRecord, Evidence } from './schema';

export interface ArticleValue {
  file: string;
  /** What the article's form gives (undefined: the form leaves the field empty, or the article has no form). */
  value?: FieldValue;
  display: string;
  /** The quotes of this article's evidence for the field. */
  quotes: string[];
  /** The case holds this value. */
  taken: boolean;
}

export interface FieldRow {
  field: string;
  type: FieldDefinition['type'] | 'unknown';
  value?: FieldValue;
  display: string;
  articles: ArticleValue[];
  /** Two articles give different values. */
  disagree: boolean;
  /** Some article gives a value the case does not hold. */
  differs: boolean;
  /** An unresolved conflict of a git merge or a Merge Cases… on this field, with the other value. */
  conflict?: string;
}

const has = (v: FieldValue | undefined): v is FieldValue => v !== undefined && v !== null;
const get = (o: Readonly<Record<string, FieldValue>>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);

/** The case's articles, in order of their names. */
export function caseArticles(record: CaseRecord): string[] {
  return [...new Set(record.evidence.map((e) => e.file))].sort();
}

/**
 * One row per codebook field, then the case's fields the codebook lacks. `forms`: each article's
 * form (an article without one is listed with no value).
 */
export function caseEditorRows(record: CaseRecord, forms: ReadonlyMap<string, Readonly<DocumentForm>>, defs: readonly FieldDefinition[]): FieldRow[] {
  const files = caseArticles(record);
  const known = new Set(defs.map((d) => d.name));
  const all: Array<FieldDefinition | { name: string; type: 'unknown' }> = [...defs, ...Object.keys(record.fields).filter((k) => !known.has(k)).sort().map((name) => ({ name, type: 'unknown' as const }))];
  return all.map((def) => {
    const field = def.name;
    const fieldDef = def.type === 'unknown' ? undefined : def;
    const value = get(record.fields, field);
    const articles = files.map((file): ArticleValue => {
      const given = get(forms.get(file) ?? {}, field);
      const quotes = record.evidence.filter((e) => e.file === file && e.field === field && e.quote).map((e) => e.quote);
      return { file, ...(has(given) ? { value: given } : {}), display: displayValue(given ?? undefined, fieldDef), quotes, taken: has(given) && sameFieldValue(given, value ?? undefined) };
    });
    const given = articles.filter((a) => has(a.value));
    const conflict = record.conflicts?.find((c) => c.kind === 'field' && c.field === field);
    return {
      field,
      type: def.type,
      ...(has(value) ? { value } : {}),
      display: displayValue(value ?? undefined, fieldDef),
      articles,
      disagree: given.some((a) => !sameFieldValue(a.value, given[0].value)),
      differs: given.some((a) => !a.taken),
      ...(conflict?.kind === 'field' ? { conflict: conflict.theirs === undefined ? 'removed on the other side' : displayValue(conflict.theirs, fieldDef) } : {}),
    };
  });
}

/** The evidence that a value came from an article's form: no span, the field, no quote. */
const formEvidence = (e: Evidence) => e.annotation === undefined && e.relation === undefined;

/**
 * The case with `field` set to the value article `file`'s form gives, that form as its evidence.
 * Other articles' form evidence for the field goes (their forms no longer support it); span and
 * relation evidence stays.
 */
export function takeArticleValue(record: CaseRecord, field: string, file: string, value: FieldValue, modified: string): CaseRecord {
  const evidence = record.evidence.filter((e) => !(e.field === field && formEvidence(e) && e.file !== file));
  if (!evidence.some((e) => e.field === field && e.file === file)) evidence.push({ id: newEvidenceId(), file, field, quote: '' });
  return { ...setCaseField({ ...record, evidence }, field, value, modified) };
}

/** The case with `field` set (null or undefined: removed), and its merge conflict on that field settled. */
export function setCaseField(record: CaseRecord, field: string, value: FieldValue | undefined, modified: string): CaseRecord {
  const fields = { ...record.fields };
  if (has(value)) fields[field] = value;
  else delete fields[field];
  const out: CaseRecord = { ...record, fields, modified };
  const conflicts = record.conflicts?.filter((c) => !(c.kind === 'field' && c.field === field));
  if (conflicts?.length) out.conflicts = conflicts;
  else delete out.conflicts;
  return out;
}

// ---- undo and redo ----

export interface CaseChange {
  caseId: string;
  /** What the edit is, for a person: "take outcome from 003.txt". */
  what: string;
  /** undefined: the edit made the case (undoing it removes the file). */
  before: CaseRecord | undefined;
  after: CaseRecord;
}

/**
 * What an undo or redo writes: `record` (undefined: remove the file), when the file still holds
 * `expect` (undefined: when there is no file), else it was changed elsewhere.
 */
export interface CaseStep {
  change: CaseChange;
  record: CaseRecord | undefined;
  expect: CaseRecord | undefined;
}

/**
 * The reversible case edits of a session, a stack per case (in memory: git keeps the longer
 * history). A new edit of a case clears that case's redo.
 */
export class CaseHistory {
  private readonly undos = new Map<string, CaseChange[]>();
  private readonly redos = new Map<string, CaseChange[]>();
  /** The cases by their last edit, newest last: undo without a case undoes the newest edit. */
  private order: string[] = [];

  constructor(private readonly limit = 200) {}

  push(change: CaseChange): void {
    if (change.before && serializeCase(change.before) === serializeCase(change.after)) return;
    const stack = this.undos.get(change.caseId) ?? [];
    stack.push(change);
    if (stack.length > this.limit) stack.shift();
    this.undos.set(change.caseId, stack);
    this.redos.delete(change.caseId);
    this.touch(change.caseId);
  }

  /** The step an undo of `caseId` (else of the case edited last) takes; `done` moves it to redo. */
  undo(caseId?: string): CaseStep | undefined {
    const id = caseId ?? [...this.order].reverse().find((c) => this.undos.get(c)?.length);
    const change = id === undefined ? undefined : this.undos.get(id)?.at(-1);
    return change && { change, record: change.before, expect: change.after };
  }

  redo(caseId?: string): CaseStep | undefined {
    const id = caseId ?? [...this.order].reverse().find((c) => this.redos.get(c)?.length);
    const change = id === undefined ? undefined : this.redos.get(id)?.at(-1);
    return change && { change, record: change.after, expect: change.before };
  }

  /** Records that an undo (or redo) step was written. */
  done(step: CaseStep, kind: 'undo' | 'redo'): void {
    const [from, to] = kind === 'undo' ? [this.undos, this.redos] : [this.redos, this.undos];
    const id = step.change.caseId;
    from.get(id)?.pop();
    to.set(id, [...(to.get(id) ?? []), step.change]);
    this.touch(id);
  }

  /** Forgets a case (removed, or joined into another). */
  forget(caseId: string): void {
    this.undos.delete(caseId);
    this.redos.delete(caseId);
    this.order = this.order.filter((c) => c !== caseId);
  }

  canUndo(caseId: string): boolean {
    return !!this.undos.get(caseId)?.length;
  }

  canRedo(caseId: string): boolean {
    return !!this.redos.get(caseId)?.length;
  }

  private touch(caseId: string): void {
    this.order = [...this.order.filter((c) => c !== caseId), caseId];
  }
}

/** Whether the record on disk is still the one an undo or redo step expects (undefined: no file). */
export function isUnchanged(onDisk: CaseRecord | undefined, expect: CaseRecord | undefined): boolean {
  return onDisk === undefined || expect === undefined ? onDisk === expect : serializeCase(onDisk) === serializeCase(expect);
}
