/**
 * The case table: a folder with two RFC 4180 files (header row, CRLF, cells as csv.ts writes them),
 * the shape case datasets have (one row per case, one per link), ready for pandas or a spreadsheet.
 *
 * `cases.csv`, one row per exported article:
 * - `file`: the article id (path relative to the corpus, `/`-separated);
 * - one column per coding-form field, named exactly as the field: the configured fields in their
 *   configured order (the default codebook when none are given), then any other field found in the
 *   sidecars, by name. A list is joined with "; ", a boolean is `true`/`false`, a number is written
 *   as JavaScript writes it, an empty or unset field is an empty cell;
 * - `n_<label>`: how many exported spans have that label: the `--labels` when given, else the
 *   default labels (force, allegation, sanction, officer) then any other label used, by name;
 * - `force_ids`: the normalised force ids of the article's `force` spans (their `type` attribute,
 *   e.g. `met`), each once, in text order, joined with "; ";
 * - `url`, `outlet`, `published`: the article's source, as its sidecar's `source` holds it (empty
 *   when it has none); at the end, so the columns before keep their places.
 *
 * `relations.csv`, one row per exported relation (both ends exported):
 * `file, id, label, from_id, from_label, from_text, to_id, to_label, to_text` (ids are the sidecar's
 * annotation and relation ids, so a row can be traced back to the file).
 *
 * With case records in the cases folder, `case_records.csv` and `case_evidence.csv` too (see
 * caseRecords.ts).
 *
 * The column set of cases.csv is only known once every article is read (a field may first appear in
 * the last sidecar), so its rows are kept until the end: one short row per article.
 */
import { defaultDocumentFields } from '../codebook';
import { DEFAULT_LABEL_DEFINITIONS } from '../labels';
import { Annotation, FieldValue } from '../schema';
import { csvRow } from '../csvCell';
import { caseRecordFiles } from './caseRecords';
import { ExportArticle, FolderEntry, FormatDefinition } from './types';

const CASES_FILE = 'cases.csv';
const RELATIONS_FILE = 'relations.csv';
export const RELATIONS_HEADER = ['file', 'id', 'label', 'from_id', 'from_label', 'from_text', 'to_id', 'to_label', 'to_text'] as const;
/** The label whose spans' `type` attribute gives the `force_ids` column. */
const FORCE_LABEL = 'force';
const FORCE_IDS_COLUMN = 'force_ids';
/** The source fields cases.csv carries, after every other column. */
const SOURCE_COLUMNS = ['url', 'outlet', 'published'] as const;

function countColumn(label: string): string {
  return `n_${label}`;
}

/** A form value as one cell; a number field stays a number (never mistaken for a formula). */
function caseCell(value: FieldValue | undefined): string | number {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/** The normalised force ids of an article's force spans, each once, in text order. */
function forceIds(spans: readonly Annotation[]): string[] {
  const ids: string[] = [];
  for (const s of spans) {
    const type = s.label === FORCE_LABEL ? s.attributes?.type : undefined;
    if (type && !ids.includes(type)) ids.push(type);
  }
  return ids;
}

interface CaseRow {
  file: string;
  /** Field name → cell, keyed by data: a Map. */
  cells: Map<string, string | number>;
  counts: Map<string, number>;
  forces: string;
  source: string[];
}

export const casesFormat: FormatDefinition = {
  kind: 'folder',
  name: 'cases',
  create: (ctx) => {
    const prefix = ctx.part ? `${ctx.part}/` : '';
    const configured = (ctx.documentFields ?? defaultDocumentFields()).map((f) => f.name);
    const otherFields = new Set<string>();
    const usedLabels = new Set<string>();
    const rows: CaseRow[] = [];
    const relationRows: string[] = [csvRow(RELATIONS_HEADER)];
    const exported = new Set<string>();
    // split: a part's folder holds the cases with evidence in its articles; else every case
    const caseFiles = () =>
      caseRecordFiles(prefix, ctx.part ? ctx.cases.filter((c) => c.files.some((f) => exported.has(f))) : ctx.cases, ctx.documentFields ?? defaultDocumentFields(), (column) =>
        ctx.warn({ severity: 'warning', kind: 'name-collision', file: 'case_records.csv', message: `cases: the column "${column}" appears twice in case_records.csv (a field has the name of another column); rename the field` }),
      );
    return {
      start: () => [],
      article(a: ExportArticle): FolderEntry[] {
        const cells = new Map<string, string | number>();
        for (const [name, value] of Object.entries(a.document)) {
          cells.set(name, caseCell(value));
          if (!configured.includes(name)) otherFields.add(name);
        }
        const counts = new Map<string, number>();
        for (const s of a.spans) {
          counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
          usedLabels.add(s.label);
        }
        rows.push({ file: a.id, cells, counts, forces: forceIds(a.spans).join('; '), source: SOURCE_COLUMNS.map((k) => a.source?.[k] ?? '') });
        exported.add(a.id);
        const byId = new Map(a.spans.map((s) => [s.id, s]));
        for (const r of a.relations) {
          const from = byId.get(r.from)!;
          const to = byId.get(r.to)!;
          relationRows.push(csvRow([a.id, r.id, r.label, from.id, from.label, from.text, to.id, to.label, to.text]));
        }
        return [];
      },
      finish(): FolderEntry[] {
        const fields = [...configured, ...[...otherFields].sort()];
        const labels = ctx.labels
          ? [...ctx.labels]
          : [...new Set([...DEFAULT_LABEL_DEFINITIONS.map((l) => l.name), ...[...usedLabels].sort()])];
        const header = ['file', ...fields, ...labels.map(countColumn), FORCE_IDS_COLUMN, ...SOURCE_COLUMNS];
        const clash = header.find((name, i) => header.indexOf(name) !== i);
        if (clash !== undefined) {
          ctx.warn({
            severity: 'warning',
            kind: 'name-collision',
            file: CASES_FILE,
            message: `cases: the column "${clash}" appears twice (a form field has the name of another column); rename the field to tell them apart`,
          });
        }
        const lines = [csvRow(header)];
        for (const row of rows) {
          lines.push(
            csvRow([row.file, ...fields.map((f) => row.cells.get(f) ?? ''), ...labels.map((l) => row.counts.get(l) ?? 0), row.forces, ...row.source]),
          );
        }
        return [
          { name: `${prefix}${CASES_FILE}`, text: lines.join('') },
          { name: `${prefix}${RELATIONS_FILE}`, text: relationRows.join('') },
          ...caseFiles(),
        ];
      },
    };
  },
};
