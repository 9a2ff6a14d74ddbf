/// <reference lib="dom" />
/**
 * The dashboard webview's script (bundled with chart.js by esbuild into dist/webview/dashboard.js;
 * no network). Draws each chart with a table beside it, in the theme's colours; clicks on bars,
 * slices, cells and rows ask the extension to open the matching articles; "Copy as CSV" asks the
 * extension to copy the table. Shows "Loading…" until the extension posts the numbers.
 */
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ChartData, DashboardModel, FromWebview, Selection, ToWebview } from '../extension/dashboard/protocol';
import { distinctColours } from '../extension/dashboard/colours';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (m: FromWebview) => vscode.postMessage(m);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusEl = $('status');
const totalsEl = $('totals');
const chartsEl = $('charts');
let charts: Chart[] = [];
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
    foreground: v('--vscode-foreground', '#cccccc'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    font: v('--vscode-font-family', 'sans-serif'),
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
  charts.forEach((c) => c.destroy());
  charts = [];
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
  const canvasBox = el('div', { className: `canvas-box canvas-${chart.kind}` });
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${chart.title} (the table beside it has the same numbers)`);
  canvasBox.append(canvas);
  const shown = chart.chartRows ? chart.rows.slice(0, chart.chartRows) : chart.rows;
  if (chart.kind === 'hbar') canvasBox.style.height = `${Math.max(160, shown.length * 26 + 40)}px`; // CSSOM, allowed by the CSP
  box.append(el('div', { className: 'body' }, canvasBox, table(chart)));
  charts.push(draw(canvas, chart, shown, colours));
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

function open(selection: Selection): void {
  send({ type: 'open', selection });
}

function draw(canvas: HTMLCanvasElement, chart: ChartData, rows: ChartData['rows'], colours: ReturnType<typeof theme>): Chart {
  const { palette, foreground, grid } = colours;
  Chart.defaults.color = foreground;
  Chart.defaults.borderColor = grid;
  Chart.defaults.font.family = colours.font;
  const labels = rows.map((r) => wrap(r.name));
  const single = chart.series.length === 1 && chart.kind !== 'stacked';
  const datasets = single
    ? [{ label: chart.series[0].name, data: rows.map((r) => r.values[0]), backgroundColor: single && chart.kind === 'doughnut' ? distinctColours(rows.length, palette) : rows.map((r) => r.color ?? palette[0]), borderColor: chart.kind === 'doughnut' ? grid : undefined, borderWidth: chart.kind === 'doughnut' ? 1 : 0 }]
    : (() => {
        const colours = distinctColours(chart.series.length, palette);
        return chart.series.map((s, i) => ({ label: s.name, data: rows.map((r) => r.values[i]), backgroundColor: colours[i] }));
      })();
  const onClick = (_e: unknown, elements: Array<{ datasetIndex: number; index: number }>) => {
    const hit = elements[0];
    if (!hit) return;
    const row = rows[hit.index];
    open(chart.kind === 'stacked' ? { chart: chart.id, row: row.key, series: chart.series[hit.datasetIndex].key } : { chart: chart.id, row: row.key });
  };
  const onHover = (e: { native: Event | null }, elements: unknown[]) => {
    const target = e.native?.target as HTMLElement | undefined;
    if (target) target.classList.toggle('clickable', elements.length > 0);
  };
  if (chart.kind === 'doughnut') {
    return new Chart(canvas, {
      type: 'doughnut',
      data: { labels, datasets: datasets as never },
      options: { responsive: true, maintainAspectRatio: false, animation: false, onClick: onClick as never, onHover: onHover as never, plugins: { legend: { position: 'right' } } },
    });
  }
  const horizontal = chart.kind === 'hbar';
  const stacked = chart.kind === 'stacked';
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: datasets as never },
    plugins: [barPositions],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      onClick: onClick as never,
      onHover: onHover as never,
      plugins: { legend: { display: stacked, position: 'bottom' } },
      scales: {
        x: { stacked, grid: { color: grid }, ticks: horizontal ? { precision: 0 } : { autoSkip: false, maxRotation: rows.length > 8 ? 60 : 0 }, beginAtZero: true },
        y: { stacked, grid: { color: grid }, ticks: horizontal ? { autoSkip: false } : { precision: 0 }, beginAtZero: true },
      },
    },
  });
}

/**
 * Records the middle of each bar of the first dataset on the canvas (`data-bars`, CSS pixels), so
 * the end-to-end test can click a bar where it is drawn.
 */
const barPositions = {
  id: 'barPositions',
  afterRender(c: Chart) {
    const points = c.getDatasetMeta(0).data.map((e) => {
      const { x, y, base } = e.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base: number };
      return c.options.indexAxis === 'y' ? [Math.round((x + base) / 2), Math.round(y)] : [Math.round(x), Math.round((y + base) / 2)];
    });
    c.canvas.dataset.bars = JSON.stringify(points);
  },
};

/** A long name as up to three lines of about 22 characters (chart.js draws an array as lines). */
function wrap(name: string, width = 22): string | string[] {
  if (name.length <= width) return name;
  const lines: string[] = [];
  for (const word of name.split(/\s+/)) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && (last + ' ' + word).length <= width) lines[lines.length - 1] = last + ' ' + word;
    else lines.push(word);
  }
  return lines.length > 3 ? [...lines.slice(0, 2), lines[2] + '…'] : lines;
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (m?.type === 'loading') {
    if (!model) setStatus('Loading…');
    else setStatus('Refreshing…');
  } else if (m?.type === 'stats') render(m.model);
  else if (m?.type === 'error') setStatus(m.message, true);
});

$('refresh').addEventListener('click', () => send({ type: 'refresh' }));

// Redraw in the new colours when the theme changes (VS Code swaps the body's class).
new MutationObserver(() => model && render(model)).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// Report CSP violations: the policy allows no inline style, so chart.js must not need one.
document.addEventListener('securitypolicyviolation', (e) => {
  const p = $('csp');
  p.hidden = false;
  p.textContent = `Blocked by the content security policy: ${e.violatedDirective}`;
  send({ type: 'cspViolation', directive: e.violatedDirective });
});

send({ type: 'ready' });
