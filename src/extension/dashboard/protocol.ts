/**
 * The messages between the dashboard webview (src/webview/dashboard.ts) and the extension, and the
 * data they carry. Types only: imported by both sides.
 */

export type ChartId = 'status' | 'labels' | 'forces' | 'matrix' | 'outcomeStandard' | 'proceedingOutcome' | 'officers';

export interface ChartData {
  id: ChartId;
  title: string;
  /** doughnut: one series; bar / hbar: one series; stacked: one dataset per series. */
  kind: 'doughnut' | 'bar' | 'hbar' | 'stacked';
  /** Header of the first table column (the row names). */
  rowHeader: string;
  series: Array<{ key: string; name: string }>;
  /** In display order; `values[i]` belongs to `series[i]`. */
  rows: Array<{ key: string; name: string; values: number[]; /** The row's own colour (a label's). */ color?: string }>;
  /** When set, the chart draws only the first N rows (the table shows all). */
  chartRows?: number;
  /** What the card says when every value is 0. */
  empty?: string;
}

export interface DashboardModel {
  /** Name of the workspace folder counted. */
  folder: string;
  totals: { articles: number; annotatedArticles: number; annotations: number; invalid: number; /** Articles with a coding form. */ coded: number };
  charts: ChartData[];
}

/** A bar, doughnut slice, matrix cell or table row: `series` only for the matrix's cells. */
export interface Selection {
  chart: ChartId;
  row: string;
  series?: string;
}

/** One row of the evaluation table: a source's score for a label (or "all"). Numbers null: not defined (nothing to divide by). */
export interface EvaluationRow {
  source: string;
  label: string;
  gold: number;
  suggested: number;
  exact: [number | null, number | null, number | null];
  overlap: [number | null, number | null, number | null];
}

/** A miss or false positive, as listed (file relative to the folder; line and column from 1). */
export interface ListedView {
  place: string;
  label: string;
  text: string;
}

/** Evaluate Suggestions' result, as the dashboard shows it (every string from files: written as text). */
export interface EvaluationView {
  folder: string;
  articles: number;
  /** "model: fake/x, from remembered answers, on 3 of 5 articles". */
  note?: string;
  rows: EvaluationRow[];
  lists: Array<{ source: string; misses: ListedView[]; falsePositives: ListedView[]; missesTotal: number; falsePositivesTotal: number }>;
}

export type ToWebview =
  | { type: 'loading' }
  | { type: 'stats'; model: DashboardModel }
  | { type: 'error'; message: string }
  | { type: 'evaluation'; evaluation: EvaluationView };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  /** Runs Evaluate Suggestions (misconduct.evaluateSuggestions). */
  | { type: 'evaluate' }
  | { type: 'open'; selection: Selection }
  | { type: 'copy'; chart: ChartId }
  /** Opens a listed miss or false positive (by its place in the lists the extension sent). */
  | { type: 'openListed'; source: number; kind: 'miss' | 'falsePositive'; index: number }
  | { type: 'cspViolation'; directive: string };
