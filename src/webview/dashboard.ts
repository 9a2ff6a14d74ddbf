/// <reference lib="dom" />
/**
 * The dashboard webview's script (bundled by esbuild into dist/webview/dashboard.js; no network).
 * Draws each chart (charts.ts, SVG) with a table beside it, in the theme's colours; clicks on bars,
 * slices, cells and rows ask the extension to open the matching articles; "Copy as CSV" asks the
 * extension to copy the table. Shows "Loading…" until the extension posts the numbers.
 */
import type { ChartData, DashboardModel, EvaluationView, FromWebview, ListedView, Selection, ToWebview } from '../extension/dashboard/protocol';
import { chartFigure } from './charts';
import { $, reportCspViolations } from './page';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (m: FromWebview) => vscode.postMessage(m);

const statusEl = $('status');
const totalsEl = $('totals');
const chartsEl = $('charts');
// Each plot is drawn at its box's size, again whenever that changes (the panel resized).
const drawers = new WeakMap<Element, (width: number, height: number) => void>();
const sizes = new ResizeObserver((entries) => {
  for (const e of entries) drawers.get(e.target)?.(Math.round(e.contentRect.width), Math.round(e.contentRect.height));
});
let model: DashboardModel | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Theme colours from VS Code's CSS variables (re-read when the theme changes). */
function theme() {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    palette: [
      v('--vscode-charts-blue', '#3794ff'),
      v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-purple', '#b180d7'),
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-charts-yellow', '#cca700'),
    ],
  };
}

function setStatus(text: string, isError = false): void {
  statusEl.textContent = text;
  statusEl.hidden = !text;
  statusEl.classList.toggle('error', isError);
}

function render(m: DashboardModel): void {
  model = m;
  sizes.disconnect();
  chartsEl.replaceChildren();
  $('folder').textContent = `· ${m.folder}`;
  const t = m.totals;
  totalsEl.replaceChildren(
    total('articles', t.articles, 'Articles'),
    total('annotated', t.annotatedArticles, 'Annotated'),
    total('annotations', t.annotations, 'Annotations'),
    total('coded', t.coded, 'Case forms'),
    ...(t.invalid ? [total('invalid', t.invalid, 'Invalid sidecars')] : []),
  );
  totalsEl.hidden = false;
  setStatus('');
  const colours = theme();
  for (const chart of m.charts) chartsEl.append(section(chart, colours));
}

function total(id: string, n: number, caption: string): HTMLElement {
  return el('div', { className: 'total', id: `total-${id}` }, el('span', { className: 'number' }, String(n)), el('span', { className: 'caption' }, caption));
}

function section(chart: ChartData, colours: ReturnType<typeof theme>): HTMLElement {
  const copy = el('button', { type: 'button', className: 'secondary', textContent: 'Copy as CSV', title: `Copy the table "${chart.title}" as CSV` });
  copy.addEventListener('click', () => send({ type: 'copy', chart: chart.id }));
  const heading = el('div', { className: 'section-head' }, el('h2', { id: `h-${chart.id}` }, chart.title), copy);
  // a cross table (a column per series) takes the whole width, as the allegation × sanction matrix does
  const box = el('section', { className: `chart chart-${chart.id}${chart.kind === 'stacked' ? ' chart-cross' : ''}`, id: `chart-${chart.id}` }, heading);
  box.setAttribute('aria-labelledby', `h-${chart.id}`);
  const empty = chart.rows.every((r) => r.values.every((v) => v === 0));
  if (empty) {
    box.append(el('p', { className: 'empty' }, chart.empty ?? (chart.id === 'matrix' ? 'No article has both an allegation and a sanction yet.' : 'Nothing to count yet.')));
    return box;
  }
  const shown = chart.chartRows ? chart.rows.slice(0, chart.chartRows) : chart.rows;
  const figure = chartFigure(document, chart, shown, colours.palette, open);
  box.append(el('div', { className: 'body' }, figure.box, table(chart)));
  drawers.set(figure.plot, figure.draw);
  sizes.observe(figure.plot);
  return box;
}

function table(chart: ChartData): HTMLElement {
  const head = el('tr', {}, el('th', { scope: 'col' }, chart.rowHeader), ...chart.series.map((s) => el('th', { scope: 'col', className: 'num' }, s.name)));
  const rows = chart.rows.map((r) => {
    const name = el('button', { type: 'button', className: 'link', textContent: r.name, title: 'Open the matching articles' });
    name.addEventListener('click', () => open({ chart: chart.id, row: r.key }));
    const tr = el('tr', { className: 'row' }, el('th', { scope: 'row' }, name));
    tr.dataset.key = r.key;
    r.values.forEach((v, i) => {
      const td = el('td', { className: 'num' });
      if (chart.kind === 'stacked' && v > 0) {
        const cell = el('button', { type: 'button', className: 'link', textContent: String(v), title: `${r.name} × ${chart.series[i].name}: open the articles` });
        cell.addEventListener('click', () => open({ chart: chart.id, row: r.key, series: chart.series[i].key }));
        td.append(cell);
      } else td.textContent = v ? String(v) : chart.kind === 'stacked' ? '' : '0';
      tr.append(td);
    });
    return tr;
  });
  const t = el('table', {}, el('caption', { className: 'visually-hidden' }, chart.title), el('thead', {}, head), el('tbody', {}, ...rows));
  return el('div', { className: 'table-box' }, t);
}

const score = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));

/** Evaluate Suggestions' table, then per source its misses and false positives, each opening the article at the span. */
function renderEvaluation(e: EvaluationView): void {
  const box = $('evaluation');
  const head = el('tr', {}, ...['source', 'label', 'gold', 'suggested', 'exact P', 'exact R', 'exact F1', 'overlap P', 'overlap R', 'overlap F1'].map((h, i) => el('th', { scope: 'col', className: i > 1 ? 'num' : '' }, h)));
  const rows = e.rows.map((r) =>
    el(
      'tr',
      { className: r.label === 'all' ? 'row total-row' : 'row' },
      el('td', {}, r.source),
      el('td', {}, r.label),
      ...[String(r.gold), String(r.suggested), ...r.exact.map(score), ...r.overlap.map(score)].map((v) => el('td', { className: 'num' }, v)),
    ),
  );
  const table = el('table', { id: 'evaluation-table' }, el('caption', { className: 'visually-hidden' }, 'Suggestions scored'), el('thead', {}, head), el('tbody', {}, ...rows));
  const intro = `Against ${e.articles} article${e.articles === 1 ? '' : 's'} marked done in ${e.folder}. Exact: same start, end and label; overlap: same label and a shared character, one to one. Learned phrases: leave-one-article-out.`;
  const lists = e.lists.map((l, source) => {
    const item = (s: ListedView, kind: 'miss' | 'falsePositive', index: number) => {
      const b = el('button', { type: 'button', className: 'link', textContent: s.place, title: 'Open the article at this span' });
      b.addEventListener('click', () => send({ type: 'openListed', source, kind, index }));
      return el('li', {}, b, ` ${s.label} `, el('q', {}, s.text));
    };
    const part = (title: string, items: ListedView[], total: number, kind: 'miss' | 'falsePositive') =>
      el('div', { className: 'listed' }, el('h4', {}, `${title} (${total})`), el('ul', {}, ...items.map((s, i) => item(s, kind, i))), ...(total > items.length ? [el('p', { className: 'empty' }, `… and ${total - items.length} more: misconduct-annotate evaluate lists them all.`)] : []));
    return el('details', { className: 'source-lists' }, el('summary', {}, `${l.source}: ${l.missesTotal} missed, ${l.falsePositivesTotal} false positive${l.falsePositivesTotal === 1 ? '' : 's'}`), part('Missed', l.misses, l.missesTotal, 'miss'), part('False positives', l.falsePositives, l.falsePositivesTotal, 'falsePositive'));
  });
  box.replaceChildren(
    el('h2', { id: 'evaluation-heading' }, 'Suggestions scored'),
    el('p', { className: 'note' }, intro),
    ...(e.note ? [el('p', { className: 'note' }, e.note)] : []),
    el('div', { className: 'table-box' }, table),
    ...lists,
  );
  box.hidden = false;
}

function open(selection: Selection): void {
  send({ type: 'open', selection });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (m?.type === 'loading') {
    if (!model) setStatus('Loading…');
    else setStatus('Refreshing…');
  } else if (m?.type === 'stats') render(m.model);
  else if (m?.type === 'error') setStatus(m.message, true);
  else if (m?.type === 'evaluation') renderEvaluation(m.evaluation);
});

$('refresh').addEventListener('click', () => send({ type: 'refresh' }));
$('evaluate').addEventListener('click', () => send({ type: 'evaluate' }));

// Redraw in the new colours when the theme changes (VS Code swaps the body's class).
new MutationObserver(() => model && render(model)).observe(document.body, { attributes: true, attributeFilter: ['class'] });

reportCspViolations(send);

send({ type: 'ready' });
