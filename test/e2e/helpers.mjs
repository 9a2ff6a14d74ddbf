// Helpers for driving the VS Code workbench in e2e tests. Keyboard first (what
// a user would press), waiting on DOM state, never on fixed sleeps.
// All take the Playwright `page` from the fixture.
//
// Note: the editor is virtualised: only lines scrolled into view exist in the
// DOM, so DOM readers (editorText, readDecorations) see the visible part only.
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, waitFor } from '../harness/codeServer.mjs';

const EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';
const QUICK_INPUT = '.quick-input-widget';
// Ctrl on Linux (the harness only runs there).
const MOD = 'Control';

/** Click a file's name in the explorer (top level of the workspace, or a visible row) and wait for its editor. */
export async function openFileFromExplorer(page, fileName) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(fileName)}$`) }),
  });
  // The explorer recycles its row elements: when a file appears (a sidecar just written) a click
  // can land on a row re-rendered for its neighbour. Click again until the right editor is active.
  const tab = page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`);
  for (let attempt = 0; attempt < 3; attempt++) {
    await row.first().click();
    if (await tab.waitFor({ timeout: 5000 }).then(() => true, () => false)) break;
  }
  await waitForActiveEditor(page, fileName);
}

/** Open a file by workspace-relative path with Quick Open (Ctrl+P), for files in sub-folders. */
export async function openFileQuick(page, relPath) {
  await focusWorkbench(page);
  await page.keyboard.press(`${MOD}+P`);
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  // Wait until the top result is the file we asked for, then open it.
  const base = path.basename(relPath);
  await page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: base }).first().waitFor();
  await page.keyboard.press('Enter');
  await waitForActiveEditor(page, base);
}

/** Wait until the active editor tab is `fileName` and its text is rendered. */
export async function waitForActiveEditor(page, fileName) {
  // data-resource-name is the file's base name (the visible label splits off the extension).
  await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`).waitFor();
  await page.locator(`${EDITOR} .view-lines .view-line`).first().waitFor();
}

/**
 * Run a command by its title from the command palette (F1, type, Enter), e.g.
 * runCommand(page, 'Misconduct: Tag Selection'). The title must match a palette
 * entry exactly (category prefix included), so the wrong command never runs.
 * `opensQuickPick`: the command asks at once; resolves when its pick has replaced the palette.
 */
export async function runCommand(page, title, { opensQuickPick = false } = {}) {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, {
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }),
  }).first();
  await row.waitFor();
  // Make sure the exact match is the focused row before pressing Enter.
  if (!(await row.evaluate((el) => el.classList.contains('focused')))) await row.click();
  else await page.keyboard.press('Enter');
  // a command that asks at once reuses the widget: its own pick replaces the palette's `>` text
  if (opensQuickPick) await page.waitForFunction((sel) => !document.querySelector(sel)?.value.startsWith('>'), `${QUICK_INPUT} input`);
  else await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
}

/** Put the cursor at 1-based line/column with Go to Line (Ctrl+G). */
export async function goToLine(page, line, column = 1) {
  await focusEditor(page);
  await page.keyboard.press(`${MOD}+G`);
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
}

/** Select `length` characters starting at line/column (Go to Line, then Shift+Right). */
export async function selectRange(page, line, column, length) {
  await goToLine(page, line, column);
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
}

/**
 * Select the `occurrence`-th (1-based) match of `text` in the active editor,
 * using the Find widget: VS Code selects the current match, and closing the
 * widget with Escape leaves that selection in the editor. Plain-text,
 * case-insensitive search (VS Code's default).
 */
export async function selectText(page, text, { occurrence = 1 } = {}) {
  await focusEditor(page);
  await page.keyboard.press(`${MOD}+Home`); // search from the top, deterministically
  await page.keyboard.press(`${MOD}+F`);
  const input = page.locator(`${EDITOR} .find-widget textarea, ${EDITOR} .find-widget input`).first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  const count = page.locator(`${EDITOR} .find-widget .matchesCount`);
  await waitFor(async () => /^1 of \d+/.test((await count.textContent()) ?? ''), { what: `a match for ${JSON.stringify(text)}`, timeoutMs: 10_000 });
  for (let i = 1; i < occurrence; i++) {
    await page.keyboard.press('Enter');
    await waitFor(async () => ((await count.textContent()) ?? '').startsWith(`${i + 1} of`), { what: `match #${i + 1}`, timeoutMs: 10_000 });
  }
  // Escape hides notification toasts before it reaches the find widget (VS Code's keybinding):
  // press it again while the widget is still open
  const widget = page.locator(`${EDITOR} .find-widget.visible`);
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Escape');
    if (await widget.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false)) return;
  }
  await widget.waitFor({ state: 'hidden' });
}

/** The text currently selected in the editor (copied via the clipboard). */
export async function readSelection(page) {
  await focusEditor(page);
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press(`${MOD}+C`);
  return waitFor(() => page.evaluate(() => navigator.clipboard.readText()), { what: 'the clipboard', timeoutMs: 5000 });
}

/** Text of the rendered (visible) lines of the active editor, joined with \n. */
export async function editorText(page) {
  return page.locator(`${EDITOR} .view-lines`).evaluate((el) => [...el.querySelectorAll('.view-line')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    .map((l) => l.textContent.replace(/\u00a0/g, ' '))
    .join('\n'));
}

/**
 * Decorations rendered in the active editor's visible lines. Extension
 * decorations (TextEditorDecorationType) get generated CSS classes starting
 * with "ced-". Returns [{ kind, className, line, text, content }]:
 *  - kind 'inline': styled text spans (color/fontWeight/textDecoration…); text = the decorated text
 *  - kind 'overlay': background/border boxes; text = the characters under the box
 *  - content: before/after injected text (contentText), if any
 * Filter with `classPrefix` (e.g. a class your extension sets in `className`).
 */
export async function readDecorations(page, { classPrefix = 'ced-' } = {}) {
  return page.locator(EDITOR).first().evaluate((editor, prefix) => {
    const hasCls = (el) => [...el.classList].some((c) => c.startsWith(prefix));
    const cls = (el) => [...el.classList].filter((c) => c.startsWith(prefix)).join(' ');
    const lineNumberAt = (top) => {
      for (const n of editor.querySelectorAll('.margin-view-overlays > div')) {
        if (Math.abs(n.getBoundingClientRect().top - top) < 2) return Number(n.textContent.trim()) || undefined;
      }
      return undefined;
    };
    const out = [];
    for (const span of editor.querySelectorAll('.view-lines .view-line span span')) {
      if (!hasCls(span)) continue;
      const after = getComputedStyle(span, '::after').content;
      const before = getComputedStyle(span, '::before').content;
      const content = [before, after].filter((c) => c && c !== 'none' && c !== 'normal').map((c) => c.replace(/^"|"$/g, '')).join('');
      out.push({ kind: 'inline', className: cls(span), line: lineNumberAt(span.getBoundingClientRect().top), text: span.textContent.replace(/\u00a0/g, ' '), content: content || undefined });
    }
    // Overlay boxes: find the characters of the same visual line under each box.
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    for (const box of editor.querySelectorAll('.view-overlays .cdr')) {
      if (!hasCls(box)) continue;
      const r = box.getBoundingClientRect();
      const line = lines.find((l) => Math.abs(l.getBoundingClientRect().top - r.top) < 2);
      let text = '';
      if (line) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          for (let i = 0; i < n.length; i++) {
            range.setStart(n, i); range.setEnd(n, i + 1);
            const c = range.getBoundingClientRect();
            const mid = c.left + c.width / 2;
            if (c.width > 0 && mid >= r.left && mid <= r.right) text += n.data[i];
          }
        }
      }
      out.push({ kind: 'overlay', className: cls(box), line: lineNumberAt(r.top), text: text.replace(/\u00a0/g, ' ') });
    }
    return out;
  }, classPrefix);
}

/** Save a PNG of the whole window to test-results/<name>.png; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // the web-worker run (MISCONDUCT_WEB) keeps its own screenshots beside the Node run's
  const file = path.join(RESULTS_DIR, `${process.env.MISCONDUCT_WEB ? 'web-' : ''}${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Read a workspace file from disk (e.g. a sidecar the extension wrote). */
export function readWorkspaceFile(workspace, relPath) {
  return fs.readFileSync(path.join(workspace, relPath), 'utf8');
}

/**
 * Wait until a workspace file exists and `predicate(content)` holds (the
 * extension writes asynchronously); returns the content.
 */
export async function waitForWorkspaceFile(workspace, relPath, predicate = () => true, timeoutMs = 10_000) {
  const file = path.join(workspace, relPath);
  return waitFor(() => {
    if (!fs.existsSync(file)) return false;
    const text = fs.readFileSync(file, 'utf8');
    return predicate(text) ? text : false;
  }, { what: `${relPath} to satisfy the predicate`, timeoutMs });
}

/** Wait for a notification toast containing `text`; returns its message. */
export async function waitForNotification(page, text) {
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  await toast.waitFor();
  return toast.textContent();
}

/** Close all editors (between tests sharing a window). */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

/** Save the active editor (Ctrl+S). */
export async function save(page) {
  await focusEditor(page);
  await page.keyboard.press(`${MOD}+S`);
  await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
}

// Keyboard shortcuts go to whatever has focus; make sure it is the editor.
export async function focusEditor(page) {
  // VS Code 1.139 uses an EditContext div; older versions a textarea.
  const textarea = page.locator(`${EDITOR} .native-edit-context, ${EDITOR} textarea.inputarea`).first();
  await textarea.waitFor({ state: 'attached' });
  await textarea.focus();
}
async function focusWorkbench(page) {
  // Escape closes any open quick input / find widget so F1 / Ctrl+P start clean.
  if (await page.locator(`${QUICK_INPUT}:visible`).count()) await page.keyboard.press('Escape');
}

function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
