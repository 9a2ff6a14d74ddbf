/// <reference lib="dom" />
/**
 * The Case record editor's script (bundled by esbuild into dist/webview/caseRecord.js; no
 * library, no network): one row per codebook field, the case's value, then each article's value
 * as a button that takes it into the case. Everything shown comes from files or settings, so it is
 * written with `textContent` only. Ctrl+Z and Ctrl+Shift+Z are VS Code keybindings (the workbench
 * gets the webview's keys), so this script does not handle them itself.
 */
import type { CaseEditorState, FromEditor, ToEditor } from '../extension/caseRecords/editor/protocol';
import { $, reportCspViolations } from './page';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (m: FromEditor) => vscode.postMessage(m);

const rowsEl = $<HTMLTableSectionElement>('rows');
const headEl = $<HTMLTableSectionElement>('head');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

let state: CaseEditorState | undefined;

function render(s: CaseEditorState): void {
  // the focused row (by field) and column keep the focus across a redraw
  const active = document.activeElement as HTMLElement | null;
  const focusField = active?.closest('tr')?.dataset.field;
  const focusCol = active?.dataset.col;
  state = s;
  const isCase = s.kind === 'case';
  $('top').hidden = !isCase;
  $('fields').hidden = !isCase;
  $('help').hidden = !isCase;
  $('message').hidden = isCase;
  if (s.kind === 'none') {
    $('message').textContent = s.message;
    return;
  }
  $('title').textContent = `${s.title} (${s.id})`;
  $<HTMLButtonElement>('undo').disabled = !s.canUndo;
  $<HTMLButtonElement>('redo').disabled = !s.canRedo;
  $('status').textContent = s.status ?? '';
  headEl.replaceChildren(
    el('tr', {}, el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Case'), ...s.articles.map((file, i) => el('th', { scope: 'col', title: file }, el('span', { className: 'key' }, `${i + 1}`), ' ', el('a', { href: '#', className: 'file', onclick: (e: Event) => (e.preventDefault(), send({ type: 'open', file })) }, file)))),
  );
  rowsEl.replaceChildren(
    ...s.rows.map((r) => {
      const mark = r.conflict !== undefined ? `merge conflict: the other side has ${r.conflict}` : r.disagree ? 'articles disagree' : r.differs ? 'not taken' : '';
      const name = el('th', { scope: 'row' }, el('span', { className: 'name' }, r.field), ...(mark ? [el('span', { className: `mark ${r.conflict !== undefined || r.disagree ? 'warn' : 'info'}` }, `⚠ ${mark}`)] : []));
      const caseCell = el('td', { className: `case-value${r.value === undefined ? ' empty' : ''}` }, r.display);
      const cells = r.articles.map((a, i) => {
        if (a.value === undefined) return el('td', { className: 'empty' }, '—');
        const take = el('button', { type: 'button', className: a.taken ? 'taken secondary' : 'take', disabled: a.taken, title: a.taken ? 'The case holds this value' : `Take ${a.display} from ${a.file} (${i + 1})` }, a.taken ? `✓ ${a.display}` : a.display);
        take.dataset.col = String(i);
        take.setAttribute('aria-label', `${r.field}: ${a.taken ? 'taken' : 'take'} “${a.display}” from ${a.file}`);
        take.addEventListener('click', () => send({ type: 'take', field: r.field, file: a.file }));
        return el('td', { className: a.taken ? 'taken' : '' }, take, ...a.quotes.map((q) => el('div', { className: 'quote' }, `“${q}”`)));
      });
      const row = el('tr', { tabIndex: 0, className: r.disagree || r.conflict !== undefined ? 'disagree' : '' }, name, caseCell, ...cells);
      row.dataset.field = r.field;
      row.setAttribute('aria-label', `${r.field}: case ${r.display}${mark ? `; ${mark}` : ''}`);
      return row;
    }),
  );
  if (focusField !== undefined) {
    const row = Array.from(rowsEl.rows).find((tr) => tr.dataset.field === focusField);
    const button = focusCol !== undefined ? row?.querySelector<HTMLButtonElement>(`button[data-col="${focusCol}"]:not(:disabled)`) : undefined;
    (button ?? row)?.focus();
  }
}

// a focused row: 1–9 takes that article's value, Delete or Backspace clears the case's, arrows move
rowsEl.addEventListener('keydown', (e) => {
  const row = (e.target as HTMLElement).closest('tr');
  if (!row || state?.kind !== 'case' || e.ctrlKey || e.metaKey || e.altKey) return;
  const field = row.dataset.field!;
  const r = state.rows.find((x) => x.field === field);
  if (/^[1-9]$/.test(e.key)) {
    const a = r?.articles[Number(e.key) - 1];
    if (a?.value !== undefined && !a.taken) send({ type: 'take', field, file: a.file });
    e.preventDefault();
  } else if ((e.key === 'Delete' || e.key === 'Backspace') && r?.value !== undefined) {
    send({ type: 'clear', field });
    e.preventDefault();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const next = (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
    next?.focus();
    e.preventDefault();
  }
});

$('undo').addEventListener('click', () => send({ type: 'undo' }));
$('redo').addEventListener('click', () => send({ type: 'redo' }));

window.addEventListener('message', (event: MessageEvent<ToEditor>) => {
  if (event.data?.type === 'state') render(event.data.state);
});

reportCspViolations(send);

send({ type: 'ready' });
