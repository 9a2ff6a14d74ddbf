// Tagging as a person does it: open an article from the explorer, select text, tag it from the
// command palette and with the keybinding, see the highlight and the hover, find the sidecar.
import assert from 'node:assert/strict';
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
});
