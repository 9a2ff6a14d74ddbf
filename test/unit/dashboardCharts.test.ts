import * as assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import type { ChartData, Selection } from '../../src/extension/dashboard/protocol';
import { chartFigure, isColour, scale, wrap } from '../../src/webview/charts';

const PALETTE = ['#3794ff', '#d18616', '#89d185'];

/** A chart drawn at 600 × 240 in a linkedom document, and the selections its marks send. */
function drawn(chart: ChartData) {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const sent: Selection[] = [];
  const figure = chartFigure(document as unknown as Document, chart, chart.rows, PALETTE, (s) => sent.push(s));
  document.body.append(figure.box as never);
  figure.draw(600, 240);
  const marks = Array.from(figure.plot.querySelectorAll('.mark')) as SVGElement[];
  return { document, figure, marks, sent };
}

const labels: ChartData = {
  id: 'labels',
  title: 'Annotations per label',
  kind: 'bar',
  rowHeader: 'Label',
  series: [{ key: 'annotations', name: 'Annotations' }],
  rows: [
    { key: 'force', name: 'Force', values: [12], color: '#0072B2' },
    { key: 'allegation', name: 'Allegation', values: [7], color: '#D55E00' },
    { key: 'odd', name: '<img src=x onerror=alert(1)>', values: [3], color: 'url(https://example.invalid/x.svg#a)' },
    { key: 'none', name: 'None', values: [0] },
  ],
};

describe('dashboard charts (SVG)', () => {
  it('draws a bar per non-zero row in its label colour, names from files as text only', () => {
    const { marks, figure } = drawn(labels);
    assert.deepEqual(marks.map((m) => m.getAttribute('fill')), ['#0072B2', '#D55E00', '#3794ff'], 'a colour that is not one (url(…)) falls back to the theme');
    assert.equal(figure.plot.querySelector('img'), null, 'a name is never parsed as markup');
    assert.ok(Array.from(figure.plot.querySelectorAll('tspan')).some((t) => t.textContent === '<img src=x'), 'it is drawn as text');
    assert.equal(figure.plot.querySelectorAll('[style]').length, 0, 'no inline style (the CSP forbids them)');
    const heights = marks.map((m) => Number(m.getAttribute('height')));
    assert.ok(heights[0] > heights[1] && heights[1] > heights[2] && heights[2] > 0, `taller for more: ${heights}`);
  });

  it('makes each bar a focusable button with a name, a tooltip, and the click or key opening its articles', () => {
    const { document, marks, sent } = drawn(labels);
    assert.deepEqual(marks.map((m) => [m.getAttribute('role'), m.getAttribute('tabindex')]), [['button', '0'], ['button', '0'], ['button', '0']]);
    assert.equal(marks[0].getAttribute('aria-label'), 'Force, Annotations: 12');
    assert.equal(marks[0].querySelector('title')?.textContent, 'Force, Annotations: 12 (open the articles)');
    const window = document.defaultView as unknown as { Event: typeof Event };
    marks[1].dispatchEvent(new window.Event('click'));
    const enter = Object.assign(new window.Event('keydown'), { key: 'Enter' });
    marks[0].dispatchEvent(enter);
    const other = Object.assign(new window.Event('keydown'), { key: 'a' });
    marks[0].dispatchEvent(other);
    assert.deepEqual(sent, [{ chart: 'labels', row: 'allegation' }, { chart: 'labels', row: 'force' }]);
  });

  it('draws a cross table as stacked horizontal bars, a colour per series, each segment opening its cell', () => {
    const matrix: ChartData = {
      id: 'matrix',
      title: 'Allegations × sanctions (articles)',
      kind: 'stacked',
      rowHeader: 'Allegation',
      series: [{ key: 'dismissed', name: 'Dismissed' }, { key: 'warning', name: 'Final written warning' }],
      rows: [
        { key: 'data_misuse', name: 'Data misuse', values: [2, 1] },
        { key: 'assault', name: 'Assault on a member of the public while off duty', values: [0, 4] },
      ],
    };
    const { document, marks, sent, figure } = drawn(matrix);
    assert.deepEqual(marks.map((m) => m.getAttribute('aria-label')), ['Data misuse × Dismissed: 2', 'Data misuse × Final written warning: 1', 'Assault on a member of the public while off duty × Final written warning: 4']);
    assert.deepEqual(marks.map((m) => m.getAttribute('fill')), ['#3794ff', '#d18616', '#d18616']);
    const widths = marks.map((m) => Number(m.getAttribute('width')));
    assert.ok(Math.abs(widths[0] - 2 * widths[1]) < 0.5 && Math.abs(widths[2] - 4 * widths[1]) < 0.5, `widths in proportion: ${widths}`);
    assert.deepEqual(Array.from(figure.box.querySelectorAll('.legend li')).map((li) => li.textContent), ['Dismissed', 'Final written warning']);
    marks[2].dispatchEvent(new (document.defaultView as unknown as { Event: typeof Event }).Event('click'));
    assert.deepEqual(sent, [{ chart: 'matrix', row: 'assault', series: 'warning' }]);
  });

  it('draws a doughnut slice per non-zero row, the whole ring for one row', () => {
    const status: ChartData = {
      id: 'status',
      title: 'Progress',
      kind: 'doughnut',
      rowHeader: 'Progress',
      series: [{ key: 'articles', name: 'Articles' }],
      rows: [
        { key: 'not_started', name: 'Not started', values: [0] },
        { key: 'done', name: 'Done', values: [5] },
      ],
    };
    const { marks } = drawn(status);
    assert.equal(marks.length, 1);
    assert.equal(marks[0].getAttribute('aria-label'), 'Done, Articles: 5');
    // two arcs out and two back: a ring, not a zero-length arc
    assert.equal(marks[0].getAttribute('d')?.match(/A /g)?.length, 4);
  });

  it('ticks whole numbers 1, 2 or 5 × 10ⁿ apart, wraps long names', () => {
    assert.deepEqual(scale(4, 5), [0, 1, 2, 3, 4]);
    assert.deepEqual(scale(16, 5), [0, 5, 10, 15, 20]);
    assert.deepEqual(scale(1, 10), [0, 1]);
    assert.deepEqual(scale(230, 4), [0, 100, 200, 300]);
    assert.deepEqual(wrap('Hampshire and Isle of Wight Constabulary'), ['Hampshire and Isle of', 'Wight Constabulary']);
    assert.equal(wrap('a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(3)).length, 3);
    assert.ok(isColour('#0072B2') && isColour('rgb(1, 2, 3)') && isColour('hsl(15, 65%, 55%)'));
    assert.ok(!isColour('url(#x)') && !isColour('red; x') && !isColour(''));
  });
});
