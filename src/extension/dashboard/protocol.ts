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

export type ToWebview = { type: 'loading' } | { type: 'stats'; model: DashboardModel } | { type: 'error'; message: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'open'; selection: Selection }
  | { type: 'copy'; chart: ChartId }
  | { type: 'cspViolation'; directive: string };
