// Edits from outside the editor, as a researcher makes them: Replace in Files from the Search view
// over closed articles, then Save All. Every annotation follows its text (the change reaches the
// extension as a whole new text, followed through a diff), and the sidecars themselves are out of
// the search's reach and nested under their articles in the Explorer.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES_CORPUS, useVSCode } from './fixture.mjs';
import { runCommand, screenshot } from './helpers.mjs';
import { waitFor } from '../harness/codeServer.mjs';

const articles = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const readSidecar = (dir, name) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.annotations.json`), 'utf8'));

/** The sidecar describes the article on disk exactly (what `validate` checks), or false. */
function consistent(dir, name) {
  const bytes = fs.readFileSync(path.join(dir, name));
  let sidecar;
  try {
    sidecar = readSidecar(dir, name);
  } catch {
    return false;
  }
  const text = [...bytes.toString('utf8')];
  const ok =
    sidecar.article.sha256 === crypto.createHash('sha256').update(bytes).digest('hex') &&
    sidecar.annotations.every((a) => a.orphaned || text.slice(a.start, a.end).join('') === a.text);
  return ok ? sidecar : false;
}

/** The extension's contributions (its defaults among them) are in the workbench once its icon is. */
async function extensionRegistered(page) {
  await page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().waitFor({ timeout: 30_000 });
}

describe('Replace in Files over closed articles', function () {
  const vs = useVSCode({ corpus: SAMPLES_CORPUS });
  beforeEach(async () => extensionRegistered(vs.page));

  it('the Explorer nests each sidecar under its article', async function () {
    const rows = vs.page.locator('.explorer-folders-view .monaco-list-row .label-name');
    await rows.filter({ hasText: articles(vs.workspace)[0] }).first().waitFor();
    // (the Explorer redraws with the nesting default once the extension is registered)
    const names = await waitFor(async () => {
      const shown = await rows.allTextContents();
      return shown.some((n) => n.endsWith('.annotations.json')) ? false : shown;
    }, { what: 'the sidecar rows to nest under their articles', timeoutMs: 15_000 }).catch(() => rows.allTextContents());
    assert.ok(names.some((n) => n.endsWith('.txt')), `articles are listed: ${names.join(', ')}`);
    assert.equal(names.filter((n) => n.endsWith('.annotations.json')).length, 0, `no sidecar row of its own: ${names.join(', ')}`);
    // the article's row can be expanded to show its sidecar
    assert.ok(await vs.page.locator('.explorer-folders-view .monaco-list-row[aria-expanded="false"]').count(), 'articles with sidecars expand');
    await screenshot(vs.page, 'replace-in-files-explorer-nesting');
  });

  it('"officer" → "police officer", then Save All: all 122 annotations on their new text, sidecars untouched by the search', async function () {
    this.timeout(120_000);
    const names = articles(vs.workspace);
    const before = new Map(names.map((n) => [n, readSidecar(vs.workspace, n)]));
    const total = [...before.values()].reduce((n, s) => n + s.annotations.length, 0);
    assert.equal(total, 122, 'the sample corpus has 122 annotations');

    // the researcher has the corpus open in the sidebar (the extension is running, as it is a few
    // seconds after a window opens: a replace made before it starts, and saved before it reads
    // the files, leaves it only the quotes to go by)
    await vs.page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().click();
    const corpusHeader = vs.page.locator('[id="workbench.view.extension.misconduct"] .pane-header', { hasText: /Corpus/i }).first();
    await waitFor(async () => /\d+ \/ \d+ done/.test((await corpusHeader.textContent()) ?? ''), { what: 'the Corpus view to list the articles', timeoutMs: 30_000 });
    await runCommand(vs.page, 'Search: Replace in Files');
    const find = vs.page.locator('.search-view .search-widget .input-box textarea, .search-view .search-widget .input-box input').first();
    await find.waitFor();
    await find.fill('officer');
    const replace = vs.page.locator('.search-view .replace-input textarea, .search-view .replace-input input').first();
    await replace.fill('police officer');
    // every article has the word; no sidecar is among the results (excluded by default)
    await vs.page.locator('.search-view', { hasText: new RegExp(`results in ${names.length} files`) }).waitFor({ timeout: 30_000 });
    await replace.focus();
    await vs.page.keyboard.press('Control+Alt+Enter');
    // the workbench asks before replacing across files
    const confirm = vs.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Replace$/ });
    await confirm.click();
    await confirm.waitFor({ state: 'detached' });
    await runCommand(vs.page, 'File: Save All Files');

    const saved = () => {
      const out = new Map();
      for (const n of names) {
        const text = fs.readFileSync(path.join(vs.workspace, n), 'utf8');
        if (text.includes('police officer') === false) return false;
        const s = consistent(vs.workspace, n);
        if (!s) return false;
        out.set(n, s);
      }
      return out;
    };
    // the sidecars settle once every article is saved and followed (the assertions below say what is
    // wrong if they never settle with every annotation placed)
    const settled = () => {
      const out = saved();
      return out && [...out.values()].every((s) => s.annotations.every((a) => !a.orphaned)) ? out : false;
    };
    const after = await waitFor(settled, { what: 'every article saved with its sidecar, every annotation placed', timeoutMs: 60_000 }).catch(() =>
      waitFor(saved, { what: 'every article saved with the replacement and its sidecar written for it', timeoutMs: 1000 }),
    );
    let placed = 0;
    for (const n of names) {
      const old = before.get(n);
      const now = after.get(n);
      assert.deepEqual(now.annotations.map((a) => [a.id, a.label]).sort(), old.annotations.map((a) => [a.id, a.label]).sort(), `${n}: the same annotations and labels`);
      const byId = new Map(old.annotations.map((a) => [a.id, a]));
      for (const a of now.annotations) {
        assert.ok(!a.orphaned, `${n}: "${byId.get(a.id).text}" was orphaned`);
        const was = byId.get(a.id).text;
        assert.ok(a.text === was || a.text === was.replace(/officer/gi, 'police officer'), `${n}: "${was}" became "${a.text}"`);
        placed++;
      }
      assert.deepEqual(now.relations ?? [], old.relations ?? [], `${n}: relations kept`);
    }
    assert.equal(placed, 122);
    await screenshot(vs.page, 'replace-in-files-after');
  });
});
