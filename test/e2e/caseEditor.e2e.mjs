// The Case record editor as a researcher uses it, on the sample corpus: Open Case Record… from the
// palette, pick the Hampshire case (three reports: 005 "case to answer", 002 and 006 "gross
// misconduct proven"), see the finding marked as a disagreement in words, click 005's value to take it (the
// case file changes on disk, with 005's form as evidence), then Ctrl+Z in the editor undoes it
// and Ctrl+Shift+Z redoes it. Screenshot: test-results/case-record-editor.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES_CORPUS, useVSCode } from './fixture.mjs';
import { runCommand, screenshot, waitForWorkspaceFile } from './helpers.mjs';

const CASE = 'cases/c-hampshire-pc.case.json';
const BEFORE = '005_8594d6f234e18683.txt';
const QUICK_INPUT = '.quick-input-widget';

/** The editor's document: VS Code nests the page in two iframes. */
function editorFrame(page) {
  return page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
}

describe('case record editor', function () {
  const vs = useVSCode({ corpus: SAMPLES_CORPUS });

  it('shows each article’s value, takes one with a click, and Ctrl+Z / Ctrl+Shift+Z undo and redo it', async function () {
    const original = fs.readFileSync(path.join(vs.workspace, CASE), 'utf8');
    assert.equal(JSON.parse(original).fields.finding, 'gross_misconduct_proven');
    await vs.page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().waitFor({ timeout: 30_000 });
    await runCommand(vs.page, 'Misconduct: Open Case Record…', { opensQuickPick: true });
    const input = vs.page.locator(`${QUICK_INPUT} input`);
    await input.fill('Hampshire');
    await vs.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'c-hampshire-pc' }).first().click();

    const frame = editorFrame(vs.page);
    // on a timeout, what the editor said and where the focus was: a lost key and a refused undo fail alike
    const waitForCase = (predicate) => waitForWorkspaceFile(vs.workspace, CASE, predicate).catch(async (err) => {
      const focus = await vs.page.evaluate(() => document.activeElement?.className ?? 'nothing');
      throw new Error(`${err.message}; the editor says “${await frame.locator('#status').textContent()}”, focus on ${focus}`);
    });
    const row = frame.locator('tr[data-field="finding"]');
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.locator('th').textContent(), /articles disagree/, 'the disagreement is said in words');
    assert.match(await frame.locator('#title').textContent(), /Hampshire PC/);
    const take = row.locator('button.take');
    assert.equal(await take.count(), 1, 'one article gives another value');
    await screenshot(vs.page, 'case-record-editor');

    await take.click();
    const taken = JSON.parse(await waitForCase((t) => JSON.parse(t).fields.finding === 'case_to_answer_gross_misconduct'));
    assert.ok(taken.evidence.some((e) => e.file === BEFORE && e.field === 'finding'), 'the article is the evidence for the value taken');
    await row.locator('button.taken', { hasText: 'Case to answer' }).first().waitFor();
    assert.match(await frame.locator('#status').textContent(), /take finding from 005/);
    await screenshot(vs.page, 'case-record-editor-taken');

    // the focus is in the editor's webview: VS Code's keybinding (misconduct.caseEditorFocus) undoes the case edit
    await frame.locator('#undo:not([disabled])').waitFor();
    await row.focus();
    await vs.page.keyboard.press('Control+z');
    await waitForCase((t) => t === original);
    await vs.page.keyboard.press('Control+Shift+z');
    await waitForCase((t) => JSON.parse(t).fields.finding === 'case_to_answer_gross_misconduct');

    // a row's number key takes that article's value: 1 is 002 (the columns go by file name), the case's first value again
    assert.match(await frame.locator('thead th').nth(2).textContent(), /^1 002_/);
    await row.focus();
    await vs.page.keyboard.press('1');
    await waitForCase((t) => JSON.parse(t).fields.finding === 'gross_misconduct_proven');
    assert.ok(await frame.locator('#csp').isHidden(), `no CSP violation: ${await frame.locator('#csp').textContent()}`);
  });
});
