/**
 * What the dashboard shows, as plain data: built from `computeCorpusStats` (and the per-article
 * facts it reports), shared with the webview through `protocol.ts`. No `vscode` here, so the unit
 * tests exercise it directly.
 */
import { optionName } from '../../core/codebook';
import { entryName } from '../../core/detect';
import { csvRow } from '../../core/csvCell';
import type { Category } from '../../core/detect';
import { ArticleFacts, CorpusStats, FormFacts, NOT_RECORDED, OTHER_TYPE } from '../../core/stats';
import { ChartData, DashboardModel, Selection } from './protocol';

export { distinctColours } from './colours';

/** How many forces the "most often named" chart shows (the table and CSV carry them all). */
const TOP_FORCES = 15;

const STATUS_NAMES: Record<string, string> = { not_started: 'Not started', in_progress: 'In progress', done: 'Done' };

/** A readable name for a gazetteer id, else the id/text itself ("other" → "Other"). */
function displayName(category: Category, key: string): string {
  if (key === OTHER_TYPE && category !== 'force') return 'Other';
  return entryName(category, key) ?? key;
}

/** A count from a table keyed by data: own keys only, so "constructor" is not Object's. */
function count(table: Record<string, number> | undefined, key: string): number {
  return table && Object.hasOwn(table, key) ? table[key] : 0;
}

/** A label that is in the files but not in the setting (drawn neutral, as in the editor). */
const UNCONFIGURED = '#999999';

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `labelColors`: each configured label's colour, so its bar is drawn in it (others are grey). */
export function buildModel(stats: CorpusStats, folder: string, labelColors: ReadonlyMap<string, string> = new Map()): DashboardModel {
  const status: ChartData = {
    id: 'status',
    title: 'Progress',
    kind: 'doughnut',
    rowHeader: 'Progress',
    series: [{ key: 'articles', name: 'Articles' }],
    rows: Object.entries(stats.status).map(([key, n]) => ({ key, name: STATUS_NAMES[key] ?? key, values: [n] })),
  };
  const labels: ChartData = {
    id: 'labels',
    title: 'Annotations per label',
    kind: 'bar',
    rowHeader: 'Label',
    series: [{ key: 'annotations', name: 'Annotations' }],
    rows: Object.entries(stats.labels).map(([key, n]) => ({ key, name: capitalise(key), values: [n], color: labelColors.get(key) ?? UNCONFIGURED })),
  };
  const forces: ChartData = {
    id: 'forces',
    title: 'Forces most often named',
    kind: 'hbar',
    rowHeader: 'Force',
    series: [{ key: 'annotations', name: 'Annotations' }],
    rows: Object.entries(stats.forces).map(([key, n]) => ({ key, name: displayName('force', key), values: [n] })),
    chartRows: TOP_FORCES,
  };
  const sanctionKeys = [...new Set(Object.values(stats.allegationSanction).flatMap((row) => Object.keys(row)))].sort(otherLast);
  const matrix: ChartData = {
    id: 'matrix',
    title: 'Allegations × sanctions (articles)',
    kind: 'stacked',
    rowHeader: 'Allegation',
    series: sanctionKeys.map((key) => ({ key, name: displayName('sanction', key) })),
    rows: Object.keys(stats.allegationSanction)
      .sort(otherLast)
      .map((key) => ({ key, name: displayName('allegation', key), values: sanctionKeys.map((s) => count(stats.allegationSanction[key], s)) })),
  };
  const noForms = 'No case form has both yet (fill them in the Case view).';
  const outcomeStandard = crossChart('outcomeStandard', 'Outcomes × standards (case forms, articles)', 'Outcome', stats.outcomeStandard, 'outcome', 'standards', noForms);
  const proceedingOutcome = crossChart('proceedingOutcome', 'Proceedings × outcomes (case forms, articles)', 'Proceeding', stats.proceedingOutcome, 'proceeding', 'outcome', noForms);
  const officers = crossChart('officers', 'Officers by rank and status (case forms)', 'Rank', stats.officers, 'officer_rank', 'officer_status', 'No case form records an officer yet.');
  return {
    folder,
    totals: { articles: stats.articles, annotatedArticles: stats.annotatedArticles, annotations: stats.annotations, invalid: stats.invalid.length, coded: stats.codedArticles },
    charts: [status, labels, forces, matrix, outcomeStandard, proceedingOutcome, officers],
  };
}

/** A form value's name for a person: the gazetteer entry's name where the field's options are ids. */
function formValueName(field: string, key: string): string {
  if (key === NOT_RECORDED) return 'Not recorded';
  return capitalise(optionName({ name: field, type: 'choice' }, key));
}

/** A cross table of two form fields as a stacked chart: rows of one field, a series per value of the other. */
function crossChart(id: ChartData['id'], title: string, rowHeader: string, table: Record<string, Record<string, number>>, rowField: string, seriesField: string, empty: string): ChartData {
  const seriesKeys = [...new Set(Object.values(table).flatMap((row) => Object.keys(row)))].sort(notRecordedLast);
  return {
    id,
    title,
    kind: 'stacked',
    rowHeader,
    series: seriesKeys.map((key) => ({ key, name: formValueName(seriesField, key) })),
    rows: Object.keys(table)
      .sort(notRecordedLast)
      .map((key) => ({ key, name: formValueName(rowField, key), values: seriesKeys.map((s) => count(table[key], s)) })),
    empty,
  };
}

function notRecordedLast(a: string, b: string): number {
  if (a === NOT_RECORDED || b === NOT_RECORDED) return a === b ? 0 : a === NOT_RECORDED ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether an article's form has `key` for a field ("not_recorded": has none, while the form names an officer). */
function formHas(form: FormFacts | undefined, field: keyof FormFacts, key: string, other?: keyof FormFacts): boolean {
  if (!form) return false;
  if (key === NOT_RECORDED) return form[field].length === 0 && !!other && form[other].length > 0;
  return form[field].includes(key);
}

function otherLast(a: string, b: string): number {
  if (a === OTHER_TYPE || b === OTHER_TYPE) return a === b ? 0 : a === OTHER_TYPE ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The articles behind a clicked bar, cell or table row. */
export function articlesFor(selection: Selection, facts: readonly ArticleFacts[]): ArticleFacts[] {
  const { chart, row, series } = selection;
  switch (chart) {
    case 'status':
      return facts.filter((f) => f.status === row);
    case 'labels':
      return facts.filter((f) => count(f.labels, row) > 0);
    case 'forces':
      return facts.filter((f) => count(f.forces, row) > 0);
    case 'matrix':
      return facts.filter((f) => f.allegations.includes(row) && (series === undefined || f.sanctions.includes(series)));
    case 'outcomeStandard':
      return facts.filter((f) => formHas(f.form, 'outcome', row) && (series === undefined ? f.form.standards.length > 0 : formHas(f.form, 'standards', series)));
    case 'proceedingOutcome':
      return facts.filter((f) => formHas(f.form, 'proceeding', row) && (series === undefined ? f.form.outcome.length > 0 : formHas(f.form, 'outcome', series)));
    case 'officers':
      return facts.filter((f) => formHas(f.form, 'officerRank', row, 'officerStatus') && (series === undefined || formHas(f.form, 'officerStatus', series, 'officerRank')));
    default:
      return [];
  }
}

/** A chart's table as CSV, header row first, its cells written as every CSV export writes them. */
export function toCsv(chart: ChartData): string {
  const lines = [[chart.rowHeader, ...chart.series.map((s) => s.name)], ...chart.rows.map((r) => [r.name, ...r.values])];
  return lines.map(csvRow).join('');
}
