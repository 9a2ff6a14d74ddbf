// The review sidebar as a person uses it: open an article, open the Misconduct Annotator
// container from the activity bar, see the article's tagged spans grouped by label, click one and
// find its text selected in the editor; see every article and the progress in the Corpus view.
import assert from 'node:assert/strict';
import { useVSCode } from './fixture.mjs';
import { closeAllEditors, openFileFromExplorer, readSelection, screenshot } from './helpers.mjs';
import { waitFor } from '../harness/codeServer.mjs';

const ARTICLE = '002_15c05126c182eb79.txt';
const CONTAINER = '[id="workbench.view.extension.misconduct"]';

/** The activity bar entry of our container (VS Code labels it with the container's title). */
function activityBarItem(page) {
  return page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first();
}

/** A view's pane in our container, by its name. */
function pane(page, name) {
  return page.locator(`${CONTAINER} .pane`, { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${name}`, 'i') }) }).first();
}

async function openSidebar(page) {
  // a click on the entry of the open container would close it
  if (await page.locator(CONTAINER).isVisible()) return;
  await activityBarItem(page).click();
  await page.locator(CONTAINER).waitFor();
}

describe('review sidebar', function () {
  const vs = useVSCode();

  it('shows the tagged spans of the active article, and clicking one selects it in the editor', async function () {
    await openFileFromExplorer(vs.page, ARTICLE);
    await openSidebar(vs.page);
    const annotations = pane(vs.page, 'Annotations');
    // grouped by label, in the configured order, with the count
    // (the suggestions of the detector have a group of their own)
    const groups = annotations.locator('.monaco-list-row[aria-level="1"]:not(:has-text("Suggestions"))');
    // the sample has 11 allegations: collapse that group so the sanction group is in view (rows
    // out of view are not rendered)
    const allegations = annotations.locator('.monaco-list-row[aria-level="1"]', { hasText: 'allegation' });
    await allegations.waitFor({ timeout: 20_000 });
    if ((await allegations.getAttribute('aria-expanded')) === 'true') await allegations.locator('.monaco-tl-twistie').click();
    await waitFor(async () => (await groups.count()) === 3, { what: 'three label groups', timeoutMs: 20_000 });
    const groupText = await groups.evaluateAll((rows) => rows.map((r) => r.textContent.replace(/\s+/g, '')));
    assert.deepEqual(groupText, ['force3', 'allegation11', 'sanction7']);

    const row = annotations.locator('.monaco-list-row[aria-level="2"]', { hasText: 'sacked' }).first();
    await row.waitFor();
    assert.match(await row.textContent(), /line 1/);
    await screenshot(vs.page, 'sidebar-annotations');

    await row.click();
    // revealAnnotation selects the span and focuses the editor
    // (the editor can take focus a frame before the selection is set: wait until it is drawn)
    await vs.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await vs.page.locator('.editor-group-container.active .monaco-editor .selected-text').first().waitFor();
    assert.equal(await readSelection(vs.page), 'sacked');
    await screenshot(vs.page, 'sidebar-reveal');
  });

  it('lists every article of the corpus with its progress', async function () {
    await openSidebar(vs.page);
    const corpus = pane(vs.page, 'Corpus');
    const header = corpus.locator('.pane-header');
    await waitFor(async () => /\d+ \/ \d+ done/.test((await header.textContent()) ?? ''), { what: 'the progress in the Corpus header', timeoutMs: 20_000 });
    assert.match(await header.textContent(), /0 \/ 5 done/);
    const row = corpus.locator('.monaco-list-row', { hasText: ARTICLE }).first();
    await row.waitFor();
    assert.match(await row.getAttribute('aria-label'), /In progress, 21 annotations/);
    await screenshot(vs.page, 'sidebar-corpus');
  });

  it('invites to open an article when no article is active', async function () {
    await closeAllEditors(vs.page);
    await openSidebar(vs.page);
    const welcome = pane(vs.page, 'Annotations').locator('.welcome-view-content');
    await welcome.waitFor();
    assert.match(await welcome.textContent(), /Open an article/);
    await screenshot(vs.page, 'sidebar-welcome');
  });
});
