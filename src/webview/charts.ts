/// <reference lib="dom" />
/**
 * The dashboard's charts, drawn as SVG: bars (vertical for a few categories, horizontal for long
 * names and cross tables, stacked by series) and a doughnut, with an HTML legend. Every bar and
 * slice is a focusable button with an accessible name and a tooltip (<title>). Built with
 * createElementNS and textContent only, so names from files are never parsed as markup, and
 * coloured through presentation attributes and the stylesheet, which the webview's CSP allows
 * (it forbids inline styles). Takes its document as a parameter so unit tests can use linkedom.
 */
import type { ChartData, Selection } from '../extension/dashboard/protocol';
import { distinctColours } from '../extension/dashboard/colours';

type Row = ChartData['rows'][number];

const SVG = 'http://www.w3.org/2000/svg';
/** Chart text is 12px (media/dashboard.css); an average character is about this wide. */
const CHAR = 6.6;
const LINE = 14;
const GAP = 8;

export interface Figure {
  /** The chart's box: the SVG plot and, for a doughnut or a cross table, its legend. */
  box: HTMLElement;
  plot: SVGSVGElement;
  /** (Re)draws the plot at this size, in CSS pixels. */
  draw(width: number, height: number): void;
}

/**
 * `rows`: the rows to draw (the table may have more). `palette`: the theme's chart colours.
 * `onSelect`: a bar or slice was clicked or activated from the keyboard.
 */
export function chartFigure(doc: Document, chart: ChartData, rows: Row[], palette: string[], onSelect: (s: Selection) => void): Figure {
  const fill = fills(chart, rows, palette);
  const horizontal = chart.kind === 'hbar' || chart.kind === 'stacked';
  const plot = svg(doc, 'svg', { class: 'plot', role: 'group', 'aria-label': `${chart.title} (the table beside it has the same numbers)` }) as SVGSVGElement;
  const box = doc.createElement('div');
  box.className = `canvas-box canvas-${chart.kind}`;
  box.append(plot);
  if (chart.kind === 'doughnut') box.append(legend(doc, rows.map((r, i) => [r.name, fill(i, 0)])));
  if (chart.kind === 'stacked') box.append(legend(doc, chart.series.map((s, i) => [s.name, fill(0, i)])));
  // horizontal bars grow with their rows (CSSOM, which the CSP allows; the others take the box's height)
  if (horizontal) plot.style.height = `${Math.max(160, rows.reduce((a, r) => a + band(wrap(r.name)), 0) + 30)}px`;
  const mark = (el: SVGElement, row: Row, series: number | undefined, value: number) => {
    const sel: Selection = chart.kind === 'stacked' ? { chart: chart.id, row: row.key, series: chart.series[series ?? 0].key } : { chart: chart.id, row: row.key };
    const name = `${row.name}${chart.kind === 'stacked' ? ` × ${chart.series[series ?? 0].name}` : `, ${chart.series[0].name}`}: ${value}`;
    el.setAttribute('class', 'mark');
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', name);
    el.append(svg(doc, 'title', {}, `${name} (open the articles)`));
    el.addEventListener('click', () => onSelect(sel));
    el.addEventListener('keydown', (e) => {
      const key = (e as KeyboardEvent).key;
      if (key !== 'Enter' && key !== ' ') return;
      e.preventDefault();
      onSelect(sel);
    });
    return el;
  };
  const draw = (width: number, h: number) => {
    plot.setAttribute('viewBox', `0 0 ${width} ${h}`);
    plot.replaceChildren();
    if (width <= 0 || h <= 0) return;
    if (chart.kind === 'doughnut') doughnut(doc, plot, rows, width, h, fill, mark);
    else bars(doc, plot, chart, rows, width, h, horizontal, fill, mark);
  };
  return { box, plot, draw };
}

type Fill = (row: number, series: number) => string;
type Mark = (el: SVGElement, row: Row, series: number | undefined, value: number) => SVGElement;

/** A doughnut's slices a colour each; a bar in its label's colour; a cross table's series a colour each. */
function fills(chart: ChartData, rows: Row[], palette: string[]): Fill {
  const safe = palette.filter(isColour);
  if (chart.kind === 'doughnut') {
    const c = distinctColours(rows.length, safe);
    return (r) => c[r];
  }
  if (chart.kind === 'stacked') {
    const c = distinctColours(chart.series.length, safe);
    return (_r, s) => c[s];
  }
  const first = safe[0] ?? '#3794ff';
  return (r) => (rows[r].color && isColour(rows[r].color) ? rows[r].color : first);
}

/** A colour a fill attribute can take, and nothing that could reference a resource (`url(…)`). */
export function isColour(c: string | undefined): c is string {
  return !!c && /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([-\d.,%\s/a-z]*\)|[a-z]+)$/i.test(c.trim()) && !/url/i.test(c);
}

function doughnut(doc: Document, plot: SVGSVGElement, rows: Row[], width: number, height: number, fill: Fill, mark: Mark): void {
  const total = rows.reduce((a, r) => a + r.values[0], 0);
  const outer = Math.max(10, Math.min(width, height) / 2 - 4);
  const inner = outer * 0.5;
  const cx = width / 2;
  const cy = height / 2;
  let angle = -Math.PI / 2;
  rows.forEach((row, i) => {
    const v = row.values[0];
    if (v <= 0) return;
    const end = angle + (v / total) * 2 * Math.PI;
    const mid = (angle + end) / 2;
    const p = (r: number, a: number) => `${round(cx + r * Math.cos(a))} ${round(cy + r * Math.sin(a))}`;
    // two arcs each way, so a slice of the whole ring (one status only) still draws
    const arc = (r: number, a: number, sweep: 0 | 1) => `A ${round(r)} ${round(r)} 0 0 ${sweep} ${p(r, a)}`;
    const d = `M ${p(outer, angle)} ${arc(outer, mid, 1)} ${arc(outer, end, 1)} L ${p(inner, end)} ${arc(inner, mid, 0)} ${arc(inner, angle, 0)} Z`;
    plot.append(mark(svg(doc, 'path', { d, fill: fill(i, 0) }), row, undefined, v));
    angle = end;
  });
}

function bars(doc: Document, plot: SVGSVGElement, chart: ChartData, rows: Row[], width: number, height: number, horizontal: boolean, fill: Fill, mark: Mark): void {
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  const lines = rows.map((r) => wrap(r.name));
  const axis = svg(doc, 'g', { class: 'axis', 'aria-hidden': 'true' });
  plot.append(axis);
  if (horizontal) {
    const labelWidth = Math.min(width * 0.4, Math.max(...lines.flat().map((l) => l.length)) * CHAR + GAP);
    const left = labelWidth + GAP;
    const right = width - 16;
    const bottom = height - 22;
    const ticks = scale(Math.max(...totals), (right - left) / 60);
    const x = (v: number) => left + (v / ticks[ticks.length - 1]) * (right - left);
    for (const t of ticks) {
      axis.append(svg(doc, 'line', { class: 'grid', x1: round(x(t)), x2: round(x(t)), y1: 4, y2: bottom }));
      axis.append(svg(doc, 'text', { x: round(x(t)), y: bottom + 16, 'text-anchor': 'middle' }, String(t)));
    }
    const bands = lines.map(band);
    const scaleY = (bottom - 4) / bands.reduce((a, b) => a + b, 0);
    let top = 4;
    rows.forEach((row, i) => {
      const h = bands[i] * scaleY;
      const thick = Math.min(22, h * 0.7);
      const y = top + (h - thick) / 2;
      axis.append(label(doc, lines[i], labelWidth, top + h / 2, 'end'));
      let from = 0;
      row.values.forEach((v, s) => {
        if (v <= 0) return;
        plot.append(mark(svg(doc, 'rect', { x: round(x(from)), y: round(y), width: round(x(from + v) - x(from)), height: round(thick), fill: fill(i, s) }), row, s, v));
        from += v;
      });
      top += h;
    });
    return;
  }
  const bottom = height - Math.max(...lines.map((l) => l.length)) * LINE - GAP;
  const ticks = scale(Math.max(...totals), (bottom - 8) / 40);
  const left = Math.max(...ticks.map((t) => String(t).length)) * CHAR + GAP * 2;
  const slot = (width - left - 8) / rows.length;
  const y = (v: number) => bottom - (v / ticks[ticks.length - 1]) * (bottom - 8);
  for (const t of ticks) {
    axis.append(svg(doc, 'line', { class: 'grid', x1: left, x2: width - 8, y1: round(y(t)), y2: round(y(t)) }));
    axis.append(svg(doc, 'text', { x: left - GAP, y: round(y(t)) + 4, 'text-anchor': 'end' }, String(t)));
  }
  const fit = Math.max(4, Math.floor(slot / CHAR));
  rows.forEach((row, i) => {
    const cx = left + slot * (i + 0.5);
    const thick = Math.min(60, slot * 0.7);
    axis.append(label(doc, lines[i].map((l) => (l.length > fit ? l.slice(0, fit - 1) + '…' : l)), cx, bottom + LINE, 'middle', true));
    let from = 0;
    row.values.forEach((v, s) => {
      if (v <= 0) return;
      plot.append(mark(svg(doc, 'rect', { x: round(cx - thick / 2), y: round(y(from + v)), width: round(thick), height: round(y(from) - y(from + v)), fill: fill(i, s) }), row, s, v));
      from += v;
    });
  });
}

/** Tick values from 0 past `max`, a step of 1, 2 or 5 × 10ⁿ (whole numbers: these are counts). */
export function scale(max: number, most: number): number[] {
  const raw = Math.max(max, 1) / Math.max(1, Math.floor(most));
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const ticks: number[] = [];
  for (let t = 0; ticks.length === 0 || ticks[ticks.length - 1] < max; t += step) ticks.push(t);
  if (ticks.length === 1) ticks.push(step);
  return ticks;
}

/** A long name as up to three lines of about 22 characters. */
export function wrap(name: string, width = 22): string[] {
  const lines: string[] = [];
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && (last + ' ' + word).length <= width) lines[lines.length - 1] = last + ' ' + word;
    else lines.push(word.length > width ? word.slice(0, width - 1) + '…' : word);
  }
  if (!lines.length) lines.push('');
  return lines.length > 3 ? [...lines.slice(0, 2), lines[2] + '…'] : lines;
}

/** A category's name, a line per tspan: centred on `y` beside horizontal bars, from `y` down under vertical ones. */
function label(doc: Document, lines: string[], x: number, y: number, anchor: 'end' | 'middle', below = false): SVGElement {
  const text = svg(doc, 'text', { 'text-anchor': anchor });
  const first = below ? y : y - ((lines.length - 1) * LINE) / 2 + 4;
  lines.forEach((l, i) => text.append(svg(doc, 'tspan', { x: round(x), y: round(first + i * LINE) }, l)));
  return text;
}

/** A horizontal bar's share of the height: room for its name's lines. */
const band = (lines: string[]) => Math.max(26, lines.length * LINE + 8);

function legend(doc: Document, entries: Array<[string, string]>): HTMLElement {
  const list = doc.createElement('ul');
  list.className = 'legend';
  list.setAttribute('aria-hidden', 'true');
  for (const [name, colour] of entries) {
    const item = doc.createElement('li');
    const swatch = svg(doc, 'svg', { class: 'swatch', width: 12, height: 12, viewBox: '0 0 12 12' });
    swatch.append(svg(doc, 'rect', { width: 12, height: 12, rx: 2, fill: colour }));
    item.append(swatch, doc.createTextNode(name));
    list.append(item);
  }
  return list;
}

function svg(doc: Document, tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = doc.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const round = (n: number) => Math.round(n * 10) / 10;
