// The Case view as a person uses it, with the keyboard only: open an article, focus the Case view
// from the command palette, Tab to each control and set it with keys (a select by typing, a list
// of checkboxes with Space, the yes/no/unset radios with the arrows, a date by its digits),
// accept a pre-fill suggestion with Enter and the rest with "Accept all suggestions", then read
// the sidecar on disk. A field the settings do not know, with markup in it, stays as text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useVSCode } from './fixture.mjs';
import { openFileFromExplorer, readSelection, runCommand, screenshot, waitForWorkspaceFile } from './helpers.mjs';
import { RESULTS_DIR, waitFor } from '../harness/codeServer.mjs';

const ARTICLE = '002_15c05126c182eb79.txt';
const SIDECAR = `${ARTICLE}.annotations.json`;
const HOSTILE = '<img src=x onerror="document.title=1">';

/** The Case view's document: VS Code nests a webview's page in two iframes. */
function caseFrame(page) {
  return page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
}

const focused = (frame) => frame.locator('body').evaluate(() => document.activeElement?.id ?? '');

/** Presses Tab (or Shift+Tab) until the element with `id` has the focus, as a person would. */
async function tabTo(page, frame, id, key = 'Tab') {
  for (let i = 0; i < 80; i++) {
    if ((await focused(frame)) === id) return;
    await page.keyboard.press(key);
  }
  assert.fail(`could not Tab to #${id} (focus on #${await focused(frame)})`);
}

/** Waits until the sidecar's form satisfies `predicate`; returns it. */
async function formOnDisk(vs, predicate, what) {
  const text = await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => predicate(JSON.parse(t).document ?? {}), 15_000).catch(() => undefined);
  assert.ok(text, `the sidecar shows ${what}: ${fs.readFileSync(path.join(vs.workspace, SIDECAR), 'utf8').match(/"document"[\s\S]*?\}/)?.[0] ?? 'no form'}`);
  return JSON.parse(text).document;
}

describe('case view', function () {
  const vs = useVSCode();

  it('fills the form with the keyboard only, accepts a suggestion, and the sidecar on disk has it', async function () {
    // a field the settings do not know, with markup in its name and value: shown as text, kept
    const file = path.join(vs.workspace, SIDECAR);
    const sidecar = JSON.parse(fs.readFileSync(file, 'utf8'));
    sidecar.document = { [HOSTILE]: '<b>kept</b>' };
    fs.writeFileSync(file, JSON.stringify(sidecar, null, 2) + '\n');

    await openFileFromExplorer(vs.page, ARTICLE);
    await runCommand(vs.page, 'Misconduct Annotator: Focus on Case View');
    const frame = caseFrame(vs.page);
    await frame.locator('#file', { hasText: `Case: ${ARTICLE}` }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#unknown .name').textContent(), HOSTILE);
    assert.equal(await frame.locator('#unknown .value').textContent(), '<b>kept</b>');
    assert.equal(await frame.locator('img, b').count(), 0, 'markup from the file is never HTML');
    // the pre-fill: force from the force spans, with where it came from
    const forceHint = frame.locator('#f0-s');
    assert.match(await forceHint.textContent(), /Accept: Hampshire and Isle of Wight Constabulary\s+from 3 force spans: “/);
    assert.ok(await frame.locator('#accept-all').isVisible());
    // for the pictures: collapse the other views so the Case view has the sidebar
    for (const name of ['Annotations', 'Corpus']) {
      const header = vs.page.locator('[id="workbench.view.extension.misconduct"] .pane-header', { hasText: new RegExp(`^\\s*${name}`) }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const casePane = vs.page.locator('[id="workbench.view.extension.misconduct"] .pane-header', { hasText: /^\s*Case/ }).first();
    await waitFor(async () => ((await casePane.boundingBox())?.y ?? 999) < 160 || false, { what: 'the Case view at the top of the sidebar', timeoutMs: 10_000 });
    await screenshot(vs.page, 'case-view');

    // keyboard only from here: the palette puts the focus in the view
    await runCommand(vs.page, 'Misconduct Annotator: Focus on Case View');
    await tabTo(vs.page, frame, 'f0-accept');
    await vs.page.keyboard.press('Enter');
    await formOnDisk(vs, (d) => d.force === 'hampshire_and_isle_of_wight', 'the accepted force');
    await waitFor(async () => (await focused(frame)) === 'f0', { what: 'the focus on the field whose suggestion was accepted', timeoutMs: 10_000 });
    assert.equal(await frame.locator('#f0').inputValue(), 'hampshire_and_isle_of_wight');

    await tabTo(vs.page, frame, 'f1'); // officer_status: type to choose
    await vs.page.keyboard.type('s');
    await formOnDisk(vs, (d) => d.officer_status === 'serving', 'officer_status');

    await tabTo(vs.page, frame, 'f3'); // proceeding: arrows
    await vs.page.keyboard.press('ArrowDown');
    await vs.page.keyboard.press('ArrowDown');
    await formOnDisk(vs, (d) => d.proceeding === 'misconduct_hearing', 'proceeding');

    // standards: Space ticks the checkbox of "Use of force"
    const useOfForce = await frame.locator('#f6 label', { hasText: /^Use of force$/ }).getAttribute('for');
    await tabTo(vs.page, frame, useOfForce);
    await vs.page.keyboard.press('Space');
    await formOnDisk(vs, (d) => Array.isArray(d.standards) && d.standards.includes('std_use_of_force'), 'the ticked standard');

    // barred_list: the radios are one Tab stop; the arrow moves from "Not set" round to "Yes"
    await tabTo(vs.page, frame, 'f7-unset');
    await vs.page.keyboard.press('ArrowRight');
    await formOnDisk(vs, (d) => d.barred_list === true, 'barred_list');

    // hearing_date: digits in the order the browser's locale shows the parts, then Enter
    await tabTo(vs.page, frame, 'f8');
    const order = await frame.locator('body').evaluate(() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2024, 2, 5)).filter((p) => p.type !== 'literal').map((p) => p.type));
    const parts = { year: '2024', month: '03', day: '05' };
    for (const part of order) await vs.page.keyboard.type(parts[part]);
    await vs.page.keyboard.press('Enter');
    await formOnDisk(vs, (d) => d.hearing_date === '2024-03-05', 'the hearing date');

    // where a suggestion came from: Enter on "Source 1" selects that span in the article
    await tabTo(vs.page, frame, 'f5-src0', 'Shift+Tab');
    const source = await frame.locator('#f5-src0').getAttribute('title');
    await vs.page.keyboard.press('Enter');
    await vs.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    assert.equal(await readSelection(vs.page), source);

    // back to the view, up to "Accept all suggestions" (Shift+Tab), and take the rest
    await runCommand(vs.page, 'Misconduct Annotator: Focus on Case View');
    const open = await frame.locator('#accept-all').textContent();
    await tabTo(vs.page, frame, 'accept-all', 'Shift+Tab');
    await vs.page.keyboard.press('Enter');
    const form = await formOnDisk(vs, (d) => d.outcome === 'dismissal_without_notice', `the accepted suggestions (${open})`);
    await waitFor(async () => (await frame.locator('#accept-all').isHidden()) || false, { what: 'no suggestion left', timeoutMs: 10_000 });
    assert.match(await frame.locator('#status').textContent(), /Accepted \d suggestions?\. Undo/);

    assert.deepEqual(Object.keys(form).sort(), [HOSTILE, 'barred_list', 'finding', 'force', 'hearing_date', 'officer_status', 'outcome', 'proceeding', 'standards'].sort());
    assert.equal(form[HOSTILE], '<b>kept</b>');
    assert.ok(['gross_misconduct_proven', 'case_to_answer_gross_misconduct'].includes(form.finding), form.finding);
    assert.deepEqual([...form.standards].sort(), ['std_authority_respect_and_courtesy', 'std_confidentiality', 'std_discreditable_conduct', 'std_use_of_force']);
    assert.equal(form.hearing_date, '2024-03-05');
    assert.ok(await frame.locator('#csp').isHidden(), `no CSP violation: ${await frame.locator('#csp').textContent()}`);

    await frame.locator('#f0-field').scrollIntoViewIfNeeded();
    await screenshot(vs.page, 'case-view-filled');
    await vs.page.locator('.part.sidebar').screenshot({ path: path.join(RESULTS_DIR, 'case-view-sidebar.png') });
  });

  it('the dashboard counts the form just filled: proceeding × outcome, outcome × standard, officers', async function () {
    await runCommand(vs.page, 'Misconduct: Show Dashboard');
    // two webviews now (the Case view and the dashboard): find the dashboard's page by its content
    const frame = await waitFor(async () => {
      for (const f of vs.page.frames()) if (await f.locator('#total-coded').count().catch(() => 0)) return f;
      return false;
    }, { what: 'the dashboard page', timeoutMs: 30_000 });
    assert.equal((await frame.locator('#total-coded .number').textContent()).trim(), '1');
    for (const id of ['outcomeStandard', 'proceedingOutcome', 'officers']) {
      const box = await frame.locator(`#chart-${id} svg.plot`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} chart drawn: ${JSON.stringify(box)}`);
    }
    const cells = async (id, row) => (await frame.locator(`#chart-${id} tbody tr`, { hasText: row }).first().locator('td').allTextContents()).map((t) => t.trim());
    const heads = async (id) => (await frame.locator(`#chart-${id} thead th`).allTextContents()).map((t) => t.trim());
    assert.deepEqual(await heads('proceedingOutcome'), ['Proceeding', 'Dismissal without notice']);
    assert.deepEqual(await cells('proceedingOutcome', 'Misconduct hearing'), ['1']);
    assert.deepEqual(await heads('officers'), ['Rank', 'Serving']);
    assert.deepEqual(await cells('officers', 'Not recorded'), ['1']);
    assert.equal((await heads('outcomeStandard')).length, 5, 'the four standards of the form');
    assert.ok(await frame.locator('#csp').isHidden());
    // no text editor is active now: the Case view says so, and nothing else
    const view = caseFrame(vs.page);
    await view.locator('#message', { hasText: 'Open an article' }).waitFor();
    assert.ok(await view.locator('#top').isHidden(), 'no article header');
    assert.equal(await view.locator('#status').textContent(), '', 'no status about the other article');
    await frame.locator('#chart-outcomeStandard').scrollIntoViewIfNeeded();
    await screenshot(vs.page, 'dashboard-forms');
  });
});
