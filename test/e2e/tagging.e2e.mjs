// Tagging as a person does it: open an article from the explorer, select text, tag it from the
// command palette and with the keybinding, see the highlight and the hover, find the sidecar.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useVSCode } from './fixture.mjs';
import { focusEditor, openFileFromExplorer, readDecorations, runCommand, screenshot, selectText, waitForWorkspaceFile } from './helpers.mjs';

/** Opens an article and waits until the extension has loaded it (its status bar item shows). */
export async function openArticle(page, name) {
  await openFileFromExplorer(page, name);
  await page.locator('.statusbar-item [aria-label^="Misconduct annotations"], .statusbar-item[aria-label^="Misconduct annotations"]').first().waitFor();
}

const ARTICLE = '004_5cda1f97e69ea7bc.txt';
const SIDECAR = `${ARTICLE}.annotations.json`;

describe('tagging in the workbench', function () {
  const vs = useVSCode();

  it('tags a selection from the command palette and highlights it', async function () {
    await openArticle(vs.page, ARTICLE);
    await selectText(vs.page, 'Derbyshire Constabulary');
    await runCommand(vs.page, 'Misconduct: Tag Selection as Force');
    const sidecar = JSON.parse(await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => t.includes('"force"')));
    assert.deepEqual(
      sidecar.annotations.map((a) => [a.label, a.start, a.end, a.text]),
      [['force', 41, 64, 'Derbyshire Constabulary']],
    );
    const overlays = (await readDecorations(vs.page)).filter((d) => d.kind === 'overlay');
    assert.ok(overlays.some((d) => d.text === 'Derbyshire Constabulary'), `highlight drawn over the span: ${JSON.stringify(overlays)}`);
    await screenshot(vs.page, 'tagging-palette');
  });

  it('tags with the keybinding and shows the label in the hover', async function () {
    await openArticle(vs.page, ARTICLE);
    await selectText(vs.page, 'would have been dismissed');
    await vs.page.keyboard.press('Control+Alt+3');
    await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => t.includes('"sanction"'));
    await focusEditor(vs.page);
    // Show Hover (Ctrl+K Ctrl+I) at the cursor, which sits on the tagged span; the mouse leaves the
    // explorer first, whose row hover (the file's path) would otherwise be the visible one
    const box = await vs.page.locator('.editor-group-container.active .monaco-editor').first().boundingBox();
    if (box) await vs.page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
    await vs.page.keyboard.press('ArrowLeft');
    await vs.page.keyboard.press('Control+K');
    await vs.page.keyboard.press('Control+I');
    // the editor's hover (the workbench may also hold a tab or explorer hover, with a file path):
    // a suggestion over the same words has a hover part of its own, so the whole hover is read
    const hover = vs.page.locator('.monaco-hover:visible', { hasText: 'Change label' }).first();
    await hover.waitFor();
    const text = await hover.textContent();
    assert.match(text, /sanction/);
    assert.match(text, /Change label/);
    await screenshot(vs.page, 'tagging-keybinding-hover');
  });

  it('Tag All Occurrences… tags the phrase in every article, open or closed, after a preview of the counts', async function () {
    const PHRASE = 'gross misconduct';
    const articles = fs.readdirSync(vs.workspace).filter((f) => f.endsWith('.txt') && fs.readFileSync(path.join(vs.workspace, f), 'utf8').includes(PHRASE));
    assert.ok(articles.length >= 3, `the phrase is in several articles: ${articles}`);
    await openArticle(vs.page, ARTICLE);
    await selectText(vs.page, PHRASE, { occurrence: 2 }); // (the first is the headline's "Gross misconduct", which tags only capitalised occurrences)
    await runCommand(vs.page, 'Misconduct: Tag All Occurrences…', { opensQuickPick: true });
    const input = vs.page.locator('.quick-input-widget input');
    await input.fill('allegation');
    await input.press('Enter');
    // the preview: one row per article with its count, all chosen
    await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'occurrence' }).first().waitFor();
    await screenshot(vs.page, 'tag-all-occurrences-preview');
    await vs.page.locator('.quick-input-widget input').press('Enter');
    for (const file of articles) {
      const text = [...fs.readFileSync(path.join(vs.workspace, file), 'utf8')];
      const occurrences = text.join('').split(PHRASE).length - 1;
      await waitForWorkspaceFile(vs.workspace, `${file}.annotations.json`, (t) => {
        const spans = JSON.parse(t).annotations.filter((a) => a.label === 'allegation' && a.text.toLowerCase() === PHRASE);
        // every span on its text (offsets in code points), and every occurrence tagged
        return spans.length >= occurrences && spans.every((a) => text.slice(a.start, a.end).join('') === a.text);
      });
    }
  });
});

