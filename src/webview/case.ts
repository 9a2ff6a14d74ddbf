/// <reference lib="dom" />
/**
 * The Case view's script (bundled by esbuild into dist/webview/case.js; no library, no network).
 * Draws one control per field of the coding form from the state the extension posts, and sends
 * every change back; the extension sets the field (one undo step) and posts the new state.
 * Everything shown comes from files or settings, so it is written with `textContent` only.
 */
import type { CaseState, FieldView, FromWebview, ToWebview } from '../extension/cases/protocol';
import type { FieldValue } from '../core/schema';
import { $, reportCspViolations } from './page';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (m: FromWebview) => vscode.postMessage(m);

const form = $<HTMLFormElement>('form');
const messageEl = $('message');
const statusEl = $('status');
const acceptAll = $<HTMLButtonElement>('accept-all');
let state: CaseState | undefined;

/** The value a select shows for a stored value that is not a string (a list, a number …). */
const STORED = '\u0000stored';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** The controls drawn, by field position: kept while their field's structure stays the same. */
const drawn = new Map<string, { key: string; box: HTMLElement; control: HTMLElement }>();

/**
 * Draws a state. A field whose name, type, options and description are unchanged keeps its
 * control (and the focus, the caret, a half-typed date); only its value, note, problem and
 * suggestion are redrawn. A control that has the focus keeps what the person is typing.
 */
function render(s: CaseState): void {
  const active = document.activeElement;
  const focusId = active && active !== document.body ? active.id : '';
  // the status line speaks of the article it was about
  if (s.kind !== 'article' || state?.kind !== 'article' || state.uri !== s.uri) statusEl.textContent = '';
  state = s;
  if (s.kind === 'none') {
    $('top').hidden = true;
    form.hidden = true;
    form.replaceChildren();
    drawn.clear();
    messageEl.hidden = false;
    messageEl.textContent = s.message;
    return;
  }
  $('top').hidden = false;
  $('file').textContent = `Case: ${s.file}`;
  $('file').title = s.uri;
  const open = s.fields.filter((f) => f.suggestion).length;
  acceptAll.hidden = !open || !s.editable;
  acceptAll.textContent = `Accept all suggestions (${open})`;
  messageEl.hidden = s.editable;
  messageEl.textContent = s.reason ?? '';

  const boxes: HTMLElement[] = s.fields.map((f, i) => {
    const id = `f${i}`;
    const key = JSON.stringify([f.name, f.type, f.options, s.editable, f.type === 'choice' && f.value !== undefined && f.value !== null && typeof f.value !== 'string' && f.display]);
    let d = drawn.get(id);
    if (!d || d.key !== key) {
      const control = makeControl(f, id, s.editable);
      d = { key, box: el('div', { className: `field field-${f.type}`, id: `${id}-field` }, control), control };
      d.box.dataset.field = f.name;
      drawn.set(id, d);
    }
    if (!d.control.contains(document.activeElement)) showValue(d.control, f);
    d.control.querySelectorAll('[aria-describedby]').forEach((c) => c.setAttribute('aria-describedby', describedBy(id, f)));
    if (d.control.hasAttribute('aria-describedby')) d.control.setAttribute('aria-describedby', describedBy(id, f));
    while (d.control.nextSibling) d.control.nextSibling.remove();
    d.box.append(...extras(f, id, s.editable));
    return d.box;
  });
  for (const id of [...drawn.keys()]) if (Number(id.slice(1)) >= s.fields.length) drawn.delete(id);
  boxes.push(sourceSection(s));
  if (s.unknown.length) {
    const heading = el('h3', { id: 'unknown-heading' }, 'Fields not in the codebook');
    boxes.push(el('section', { className: 'unknown', id: 'unknown' }, heading, ...s.unknown.map((f, i) => unknownField(f, `u${i}`, s.editable))));
  }
  // re-attach only when the list of boxes changed: moving a node takes the focus from it
  const current = Array.from(form.children);
  if (current.length !== boxes.length || current.some((c, i) => c !== boxes[i])) form.replaceChildren(...boxes);
  form.hidden = false;

  if (focusId && document.activeElement !== document.getElementById(focusId)) {
    // a button that went away (an accepted suggestion) hands the focus to its field's control
    const base = focusId.split('-')[0];
    const again = [focusId, base, `${base}-0`, `${base}-unset`]
      .map((c) => document.getElementById(c))
      .find((e) => e && !e.hidden && !(e instanceof HTMLFieldSetElement));
    again?.focus();
  }
}

/** The Source section (where the article came from), drawn once per article and editable state. */
let source: { key: string; box: HTMLElement; inputs: Map<string, HTMLInputElement> } | undefined;

function sourceSection(s: Extract<CaseState, { kind: 'article' }>): HTMLElement {
  const key = JSON.stringify([s.uri, s.editable, s.duplicateOf ?? '', s.source.map((f) => f.key)]);
  if (!source || source.key !== key) {
    const inputs = new Map<string, HTMLInputElement>();
    const rows = s.source.map((f) => {
      const id = `src-${f.key}`;
      const box = el('input', { id, type: 'text', disabled: !s.editable, spellcheck: false });
      box.addEventListener('change', () => state?.kind === 'article' && send({ type: 'setSource', uri: state.uri, key: f.key, value: box.value }));
      inputs.set(f.key, box);
      return el('div', { className: 'field field-source' }, el('div', { className: 'control' }, el('label', { htmlFor: id }, f.label), box));
    });
    const copy = s.duplicateOf ? [el('p', { className: 'note', id: 'src-duplicate' }, `A near copy of ${s.duplicateOf}: left out of counts and exports unless asked for.`)] : [];
    source = { key, inputs, box: el('section', { className: 'source', id: 'source' }, el('h3', { id: 'source-heading' }, 'Source'), ...copy, ...rows) };
  }
  for (const f of s.source) {
    const box = source.inputs.get(f.key)!;
    if (box !== document.activeElement) box.value = f.value;
  }
  return source.box;
}

function describedBy(id: string, f: FieldView): string {
  return [f.description ? `${id}-d` : '', f.problem ? `${id}-p` : '', f.suggestion ? `${id}-s` : '', f.modelSuggestion ? `${id}-m` : ''].filter(Boolean).join(' ');
}

function set(f: FieldView, value: FieldValue | undefined): void {
  if (state?.kind !== 'article') return;
  send(value === undefined ? { type: 'set', uri: state.uri, field: f.name, clear: true } : { type: 'set', uri: state.uri, field: f.name, value });
}

function makeControl(f: FieldView, id: string, editable: boolean): HTMLElement {
  const control = f.type === 'choice' ? choice(f, id) : f.type === 'multi' ? multi(f, id) : f.type === 'boolean' ? boolean(f, id) : input(f, id);
  control.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select').forEach((c) => {
    c.disabled = !editable;
  });
  return control;
}

/** Puts a field's stored value into its control. */
function showValue(control: HTMLElement, f: FieldView): void {
  const v = f.value;
  const select = control.querySelector('select');
  if (select) {
    select.value = v === undefined || v === null ? '' : typeof v === 'string' ? v : STORED;
    return;
  }
  if (f.type === 'multi') {
    const held = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    control.querySelectorAll<HTMLInputElement>('input[type=checkbox]').forEach((b) => (b.checked = held.includes(b.value)));
    return;
  }
  if (f.type === 'boolean') {
    control.querySelectorAll<HTMLInputElement>('input[type=radio]').forEach((r) => {
      r.checked = r.value === 'yes' ? v === true : r.value === 'no' ? v === false : v === undefined || v === null;
    });
    return;
  }
  const box = control.querySelector('input');
  if (box) {
    box.value = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('; ') : String(v);
    // what the box shows (a date box shows "" for a stored "March 2020"): leaving it untouched changes nothing
    box.dataset.original = box.value;
  }
}

/** What is drawn under a control: the null note, the description, the problem and the suggestion. */
function extras(f: FieldView, id: string, editable: boolean): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (f.value === null) out.push(el('p', { className: 'note' }, 'Stored as null (explicitly unknown).'));
  if (f.description) out.push(el('p', { className: 'description', id: `${id}-d` }, f.description));
  if (f.problem) out.push(el('p', { className: 'problem', id: `${id}-p` }, `⚠ ${f.problem} (stored: ${JSON.stringify(f.value)})`));
  if (f.suggestion && editable) out.push(suggestion(f, id));
  if (f.modelSuggestion && editable) out.push(modelSuggestion(f, id));
  return out;
}

function labelFor(id: string, f: FieldView): HTMLLabelElement {
  return el('label', { htmlFor: id, className: 'name' }, f.name);
}

function choice(f: FieldView, id: string): HTMLElement {
  const select = el('select', { id });
  select.setAttribute('aria-describedby', describedBy(id, f));
  select.append(el('option', { value: '', textContent: '— not set —' }));
  for (const o of f.options) {
    const option = el('option', { value: o.value, textContent: o.unknown ? `${o.name} (not an option)` : o.name, title: o.value });
    select.append(option);
  }
  if (f.value !== undefined && f.value !== null && typeof f.value !== 'string') select.append(el('option', { value: STORED, textContent: `${f.display} (stored, not an option)` }));
  select.addEventListener('change', () => {
    if (select.value !== STORED) set(f, select.value === '' ? undefined : select.value);
  });
  return el('div', { className: 'control' }, labelFor(id, f), select);
}

function multi(f: FieldView, id: string): HTMLElement {
  const set_ = el('fieldset', { id });
  set_.setAttribute('aria-describedby', describedBy(id, f));
  set_.append(el('legend', { className: 'name' }, f.name));
  const boxes = f.options.map((o, j) => {
    const box = el('input', { type: 'checkbox', id: `${id}-${j}`, value: o.value });
    box.addEventListener('change', () => {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
      set(f, ticked.length ? ticked : undefined);
    });
    set_.append(el('div', { className: 'check' }, box, el('label', { htmlFor: box.id, title: o.value }, o.unknown ? `${o.name} (not an option)` : o.name)));
    return box;
  });
  return set_;
}

function boolean(f: FieldView, id: string): HTMLElement {
  const set_ = el('fieldset', { id, className: 'tri' });
  set_.setAttribute('aria-describedby', describedBy(id, f));
  set_.append(el('legend', { className: 'name' }, f.name));
  const choices: Array<[string, string, boolean | undefined]> = [
    ['yes', 'Yes', true],
    ['no', 'No', false],
    ['unset', 'Not set', undefined],
  ];
  for (const [key, text, value] of choices) {
    const radio = el('input', { type: 'radio', name: id, id: `${id}-${key}`, value: key });
    radio.addEventListener('change', () => radio.checked && set(f, value));
    set_.append(el('span', { className: 'radio' }, radio, el('label', { htmlFor: radio.id }, text)));
  }
  return set_;
}

function input(f: FieldView, id: string): HTMLElement {
  const type = f.type === 'date' ? 'date' : f.type === 'number' ? 'number' : 'text';
  const box = el('input', { id, type });
  if (type === 'number') box.step = 'any';
  box.setAttribute('aria-describedby', describedBy(id, f));
  if (type === 'date') {
    // a date is saved when the person leaves the box or presses Enter, not at every keystroke
    // ("2" typed into the year is already a valid date, year 0002)
    box.addEventListener('blur', () => commit(f, box));
    box.addEventListener('keydown', (e) => e.key === 'Enter' && commit(f, box));
  } else box.addEventListener('change', () => commit(f, box));
  return el('div', { className: 'control' }, labelFor(id, f), box);
}

function commit(f: FieldView, box: HTMLInputElement): void {
  if (box.value === box.dataset.original) return;
  const text = box.value.trim();
  if (!text) return set(f, undefined);
  if (box.type === 'number') {
    const n = Number(text);
    if (Number.isFinite(n)) set(f, n);
    return;
  }
  set(f, text);
}

function unknownField(f: FieldView, id: string, editable: boolean): HTMLElement {
  const remove = el('button', { type: 'button', className: 'secondary', id: `${id}-remove`, textContent: 'Remove', disabled: !editable });
  remove.setAttribute('aria-label', `Remove the field ${f.name} from this article's form`);
  remove.addEventListener('click', () => set(f, undefined));
  return el(
    'div',
    { className: 'field field-unknown', id: `${id}-field` },
    el('div', { className: 'control' }, el('span', { className: 'name' }, f.name), el('span', { className: 'value' }, f.display), remove),
    el('p', { className: 'problem', id: `${id}-p` }, `⚠ ${f.problem ?? 'not a field of the configured codebook'} (stored: ${JSON.stringify(f.value)})`),
  );
}

function suggestion(f: FieldView, id: string): HTMLElement {
  const s = f.suggestion!;
  const accept = el('button', { type: 'button', className: 'accept', id: `${id}-accept` }, `Accept: ${s.display}`);
  accept.setAttribute('aria-label', `Accept suggestion for ${f.name}: ${s.display}`);
  accept.addEventListener('click', () => state?.kind === 'article' && send({ type: 'accept', uri: state.uri, field: f.name }));
  const sources = s.from.map((span, k) => {
    const b = el('button', { type: 'button', className: 'link', id: `${id}-src${k}`, textContent: s.from.length === 1 ? 'Show source' : `Source ${k + 1}` });
    b.setAttribute('aria-label', `Show the source span${s.from.length === 1 ? '' : ` ${k + 1} of ${s.from.length}`} in the article: ${span.text}`);
    b.title = span.text;
    b.addEventListener('click', () => state?.kind === 'article' && send({ type: 'reveal', uri: state.uri, id: span.id }));
    return b;
  });
  return el('div', { className: 'suggestion', id: `${id}-s` }, el('span', { className: 'hint' }, 'Suggested '), accept, el('span', { className: 'reason' }, ` ${s.reason} `), ...sources);
}

/** A language model's value: Accept, the model, and the words it read the value from (Show selects them). */
function modelSuggestion(f: FieldView, id: string): HTMLElement {
  const m = f.modelSuggestion!;
  const accept = el('button', { type: 'button', className: 'accept', id: `${id}-model-accept` }, `Accept: ${m.display}`);
  accept.setAttribute('aria-label', `Accept the language model's value for ${f.name}: ${m.display}`);
  accept.addEventListener('click', () => state?.kind === 'article' && send({ type: 'acceptModel', uri: state.uri, field: f.name }));
  const parts: Array<Node | string> = [el('span', { className: 'hint' }, 'Language model suggests '), accept, el('span', { className: 'reason' }, ` (${m.model})`)];
  if (m.quote) parts.push(el('q', { className: 'quote', id: `${id}-model-quote` }, m.quote));
  if (m.found) {
    const show = el('button', { type: 'button', className: 'link', id: `${id}-model-show`, textContent: 'Show in the article' });
    show.setAttribute('aria-label', `Show in the article the words the value of ${f.name} was read from`);
    show.addEventListener('click', () => state?.kind === 'article' && send({ type: 'showQuote', uri: state.uri, field: f.name }));
    parts.push(' ', show);
  }
  return el('div', { className: 'suggestion model-suggestion', id: `${id}-m` }, ...parts);
}

acceptAll.addEventListener('click', () => state?.kind === 'article' && send({ type: 'acceptAll', uri: state.uri }));
// Enter in a text box commits it (the change event), never submits the page
form.addEventListener('submit', (e) => e.preventDefault());

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (m?.type === 'state') render(m.state);
  else if (m?.type === 'status') statusEl.textContent = m.message;
});

reportCspViolations(send);

send({ type: 'ready' });
