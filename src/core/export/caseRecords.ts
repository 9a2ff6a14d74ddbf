/**
 * Case records in exports (issue 31): read from the cases folder before the walk, each piece of
 * evidence given the label of the annotation or relation it rests on, and written by the `cases`
 * format as two more files of its folder:
 *
 * `case_records.csv`, one row per case: `case_id, title`, one column per field named exactly as the
 * field (the configured fields in their order, then any other field the records hold, by name; cells
 * as in cases.csv), `n_articles` (distinct articles among its evidence) and `files` (those
 * articles, "; "-joined, in name order), then `first_published` and `last_published` (the earliest and
 * latest `source.published` of those articles, empty when none has one: a case told before and
 * after its hearing is put in order by them).
 *
 * `case_evidence.csv`, one row per piece of evidence:
 * `case_id, evidence_id, file, annotation_id, relation_id, field, label, quote`; `label` is the
 * annotation's or relation's label in the article's sidecar, empty when it is not there.
 *
 * Broken evidence (a missing article, annotation or relation) is reported as a warning naming the
 * case and evidence ids and still written: the row says what the record claims.
 */
import { EvidenceSource, evidenceProblem, listCases } from '../cases';
import type { CaseRecord } from '../cases';
import { FieldDefinition } from '../codebook';
import { csvRow } from '../csvCell';
import { FileSystem } from '../fileSystem';
import { FieldValue } from '../schema';
import { ExportCase, ExportWarning, FolderEntry } from './types';

export const CASE_RECORDS_FILE = 'case_records.csv';
export const CASE_EVIDENCE_FILE = 'case_evidence.csv';
export const CASE_EVIDENCE_HEADER = ['case_id', 'evidence_id', 'file', 'annotation_id', 'relation_id', 'field', 'label', 'quote'] as const;

/** The files a case's evidence names, each once, in name order. */
function filesOf(record: CaseRecord): string[] {
  return [...new Set(record.evidence.map((e) => e.file))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The case records of `folder`, ready for the writers; what cannot be read is a warning. */
export async function loadExportCases(fs: FileSystem, folder: string, corpus: string, warn: (w: ExportWarning) => void): Promise<ExportCase[]> {
  const listing = await listCases(fs, folder);
  for (const p of listing.problems) warn({ severity: 'warning', kind: 'case-record', file: folder, message: p });
  const source = new EvidenceSource(fs, corpus);
  const out: ExportCase[] = [];
  for (const { record } of listing.cases) {
    const labels = new Map<string, string>();
    const published = new Set<string>();
    for (const e of record.evidence) {
      const problem = await evidenceProblem(source, record, e);
      if (problem) warn({ severity: 'warning', kind: 'case-record', file: problem.file, message: problem.message });
      const state = await source.article(e.file);
      if (state.kind !== 'ok') continue;
      if (state.sidecar.source?.published) published.add(state.sidecar.source.published);
      const label = e.annotation !== undefined ? state.sidecar.annotations.find((a) => a.id === e.annotation)?.label : e.relation !== undefined ? state.sidecar.relations?.find((r) => r.id === e.relation)?.label : undefined;
      if (label !== undefined) labels.set(e.id, label);
    }
    out.push({ record, files: filesOf(record), labels, published: inTimeOrder(published) });
  }
  return out;
}

/** Publication dates (a date, or a date and time with its offset) earliest first. */
function inTimeOrder(dates: ReadonlySet<string>): string[] {
  return [...dates].sort((a, b) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The case ids whose evidence names each article (article id → ids in case order). */
export function casesByArticle(cases: readonly ExportCase[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of cases) for (const file of c.files) out.set(file, [...(out.get(file) ?? []), c.record.id]);
  return out;
}

function cell(value: FieldValue | undefined): string | number {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/**
 * The two case files of a `cases` export folder. `fields`: the configured coding form. `clash`:
 * told of a column name that appears twice (a field named like another column).
 */
export function caseRecordFiles(prefix: string, cases: readonly ExportCase[], fields: readonly FieldDefinition[], clash: (column: string) => void): FolderEntry[] {
  const configured = fields.map((f) => f.name);
  const others = new Set<string>();
  for (const c of cases) for (const name of Object.keys(c.record.fields)) if (!configured.includes(name)) others.add(name);
  const columns = [...configured, ...[...others].sort()];
  const header = ['case_id', 'title', ...columns, 'n_articles', 'files', 'first_published', 'last_published'];
  const twice = header.find((name, i) => header.indexOf(name) !== i);
  if (twice !== undefined) clash(twice);
  const records = [csvRow(header)];
  const evidence = [csvRow(CASE_EVIDENCE_HEADER)];
  for (const c of cases) {
    const fieldsOf = new Map(Object.entries(c.record.fields));
    records.push(csvRow([c.record.id, c.record.title, ...columns.map((f) => cell(fieldsOf.get(f))), c.files.length, c.files.join('; '), c.published[0] ?? '', c.published.at(-1) ?? '']));
    for (const e of [...c.record.evidence].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      evidence.push(csvRow([c.record.id, e.id, e.file, e.annotation ?? '', e.relation ?? '', e.field ?? '', c.labels.get(e.id) ?? '', e.quote]));
    }
  }
  return [
    { name: `${prefix}${CASE_RECORDS_FILE}`, text: records.join('') },
    { name: `${prefix}${CASE_EVIDENCE_FILE}`, text: evidence.join('') },
  ];
}
