// The annotation engine as a person drives it, with VS Code for the web's default: auto-save on.
// Select all, Delete, Undo, Save must give every span back; typing in bursts while auto-save
// writes must keep every sidecar on disk true to its article; a tag made just before the window
// reloads must be on disk after it.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { useVSCode, WEB } from './fixture.mjs';
import { focusEditor, readDecorations, runCommand, screenshot, selectText, waitForWorkspaceFile } from './helpers.mjs';
import { openArticle } from './tagging.e2e.mjs';
import { waitFor } from '../harness/codeServer.mjs';

const ARTICLE = '002_15c05126c182eb79.txt';
const SIDECAR = `${ARTICLE}.annotations.json`;

/** The sidecar on disk describes the article on disk exactly (what `validate` checks). */
function consistent(workspace) {
  const bytes = fs.readFileSync(path.join(workspace, ARTICLE));
  const sidecar = JSON.parse(fs.readFileSync(path.join(workspace, SIDECAR), 'utf8'));
  const text = [...bytes.toString('utf8')];
  const ok =
    sidecar.article.sha256 === crypto.createHash('sha256').update(bytes).digest('hex') &&
    sidecar.article.length === text.length &&
    sidecar.annotations.every((a) => a.orphaned || text.slice(a.start, a.end).join('') === a.text);
  return ok ? sidecar : false;
}

const spans = (sidecar) => sidecar.annotations.map((a) => [a.id, a.start, a.end, a.text, !!a.orphaned]);

describe('engine in the workbench (auto-save after a delay)', function () {
  const vs = useVSCode({ settings: { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 300 } });

  it('select all, Delete, Undo, Save: every annotation is back, highlighted, and none orphaned', async function () {
    const before = JSON.parse(fs.readFileSync(path.join(vs.workspace, SIDECAR), 'utf8'));
    assert.ok(before.annotations.length >= 3, 'the sample has annotations');
    await openArticle(vs.page, ARTICLE);
    await focusEditor(vs.page);
    const overlays = async () => (await readDecorations(vs.page)).filter((d) => d.kind === 'overlay');
    await vs.page.keyboard.press('Control+A');
    await vs.page.keyboard.press('Delete');
    // the highlights go with the text (awaited: the sidecar on disk reads the same before the
    // deletion and after the undo, so it cannot tell whether the editor has followed the keys yet)
    await waitFor(async () => (await overlays()).length === 0, { what: 'the highlights to go with the deleted text', timeoutMs: 15_000 });
    await vs.page.keyboard.press('Control+Z');
    await vs.page.keyboard.press('Control+S');
    await waitFor(async () => (await overlays()).length > 0, { what: 'the highlights to come back with the undo', timeoutMs: 15_000 });
    const after = await waitFor(() => {
      const s = consistent(vs.workspace);
      return s && s.annotations.length === before.annotations.length ? s : false;
    }, { what: 'the sidecar to be written back whole', timeoutMs: 15_000 });
    assert.deepEqual(spans(after), spans(before));
    assert.equal(await vs.page.locator('.notifications-toasts', { hasText: 'orphaned' }).count(), 0, 'no orphan warning');
    assert.ok((await overlays()).length > 0, 'highlights are drawn');
    await screenshot(vs.page, 'engine-select-all-undo');
  });

  it('typing in bursts while auto-save writes: every sidecar on disk matches the article on disk', async function () {
    const before = JSON.parse(fs.readFileSync(path.join(vs.workspace, SIDECAR), 'utf8'));
    await openArticle(vs.page, ARTICLE);
    await focusEditor(vs.page);
    await vs.page.keyboard.press('Control+Home');
    for (let burst = 0; burst < 3; burst++) {
      await vs.page.keyboard.type('Update: ', { delay: 20 });
      // auto-save writes the article when typing pauses; then the sidecar follows it
      await vs.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
      await waitFor(() => consistent(vs.workspace), { what: `burst ${burst}: the sidecar matches the saved article`, timeoutMs: 15_000 });
    }
    const after = consistent(vs.workspace);
    assert.deepEqual(
      after.annotations.map((a) => a.text).sort(),
      before.annotations.map((a) => a.text).sort(),
      'every quote is the same; only the offsets moved',
    );
    assert.equal(await vs.page.locator('.notifications-toasts .notification-list-item', { hasText: /changed on disk|Could not save|cannot be loaded|was deleted/ }).count(), 0, 'no error or conflict message');
    await screenshot(vs.page, 'engine-autosave-typing');
  });

  // Known gap of the web build (issue 33, open): a page that unloads gives the web worker no time, so
  // a tag whose write (about 0.3 s after it here) has not landed is lost; the Node host waits for
  // `deactivate`. The test runs in the Node host only, and the user guide says so.
  (WEB ? it.skip : it)('a tag made just before the window reloads is on disk after the reload', async function () {
    await openArticle(vs.page, ARTICLE);
    const status = vs.page.locator('.statusbar-item [aria-label^="Misconduct annotations"], .statusbar-item[aria-label^="Misconduct annotations"]').first();
    const before = await status.getAttribute('aria-label');
    await selectText(vs.page, 'Hampshire');
    await vs.page.keyboard.press('Control+Alt+2');
    // the tag is made (the count in the status bar changed); its write may still be on its way
    await waitFor(async () => (await status.getAttribute('aria-label')) !== before, { what: 'the status bar to count the new tag', timeoutMs: 15_000 });
    await runCommand(vs.page, 'Developer: Reload Window');
    await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => JSON.parse(t).annotations.some((a) => a.label === 'allegation' && a.text === 'Hampshire'), 20_000);
  });
});
