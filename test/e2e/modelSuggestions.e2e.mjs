// Suggest with Language Model… as a person runs it, against the scripted model of the integration
// tests (test/fixtures/fake-lm-provider, its answer set in the settings): the command from the
// palette, the model's suggestions underlined, Accept All for their label (its Quick Pick and
// confirmation), and the sidecar on disk holds them; its coding-form values in the Case view, with
// the words they were read from, accepted with a click.
import assert from 'node:assert/strict';
import { useVSCode } from './fixture.mjs';
import { focusEditor, openFileFromExplorer, readDecorations, runCommand, screenshot, waitForNotification, waitForWorkspaceFile } from './helpers.mjs';
import { waitFor } from '../harness/codeServer.mjs';

const ARTICLE = '003_bb0ef3ef7eedfb27.txt';
const SIDECAR = `${ARTICLE}.annotations.json`;
const ANSWER = {
  spans: [
    { label: 'officer', quote: 'The two officers', reason: 'the officers under <b>investigation</b>' },
    { label: 'officer', quote: 'six Met officers' },
  ],
  fields: {
    outcome: { value: 'reflective_practice', quote: 'reflective practice and management action' },
    // markup from a model is text, never HTML
    force: { value: 'metropolitan', quote: '<img src=x onerror=alert(1)>Met Police' },
  },
};
const HOSTILE_QUOTE = ANSWER.fields.force.quote;

/** The Case view's document: VS Code nests a webview's page in two iframes. */
const caseFrame = (page) => page.frameLocator('iframe.webview').first().frameLocator('#active-frame');

// (in the web run the scripted provider is packed with a `browser` entry too, so its model is in the
// web-worker host beside ours: fixture.mjs)
describe('suggestions from a language model in the workbench', function () {
  const vs = useVSCode({
    fakeLanguageModel: true,
    settings: { 'misconduct.model': { vendor: 'misconduct-fake' }, 'misconductFakeLm.steps': [{ tool: ANSWER }] },
  });

  it('draws the model suggestions, and Accept All writes them to the sidecar', async function () {
    await openFileFromExplorer(vs.page, ARTICLE);
    await vs.page.locator('.statusbar-item [aria-label^="Misconduct annotations"], .statusbar-item[aria-label^="Misconduct annotations"]').first().waitFor();
    await runCommand(vs.page, 'Misconduct: Suggest with Language Model…');
    await waitForNotification(vs.page, '2 suggestions from the language model in 1 of 1 article');
    // the dotted underlines (one decoration per label): the model's two officers among them
    const underlined = await waitFor(async () => {
      // (a decoration is split where the syntax colouring changes: "six ", "Met", " officers")
      const text = (await readDecorations(vs.page)).filter((d) => d.kind === 'inline').map((d) => d.text).join('');
      return text.includes('The two officers') && text.includes('six Met officers') ? text : false;
    }, { what: 'the model suggestions underlined', timeoutMs: 15_000 });
    assert.ok(underlined);
    await screenshot(vs.page, 'model-suggestions-drawn');

    // Accept All opens a Quick Pick of its own (not through runCommand, which waits for it to close)
    await focusEditor(vs.page);
    await vs.page.keyboard.press('F1');
    await vs.page.locator('.quick-input-widget input').fill('>Misconduct: Accept All Suggestions');
    await vs.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Accept All Suggestions' }).waitFor();
    await vs.page.keyboard.press('Enter');
    const officer = vs.page.locator('.quick-input-widget .monaco-list-row', { has: vs.page.locator('.label-name', { hasText: /^officer$/ }) });
    await officer.waitFor();
    assert.match(await officer.textContent(), /2 suggestions/);
    await officer.click();
    const add = vs.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Add$/ });
    await add.waitFor();
    assert.match(await vs.page.locator('.monaco-dialog-box').textContent(), /Add 2 annotations from suggestions\?/);
    await add.click();

    const sidecar = JSON.parse(await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => (t.match(/"officer"/g) ?? []).length >= 2));
    assert.deepEqual(
      sidecar.annotations.filter((a) => a.label === 'officer').map((a) => [a.text, a.source]),
      [['The two officers', 'suggestion'], ['six Met officers', 'suggestion']],
    );
    await screenshot(vs.page, 'model-suggestions-accepted');
  });

  it("shows the model's form values in the Case view with their quote, and Accept sets the field", async function () {
    await openFileFromExplorer(vs.page, ARTICLE);
    await runCommand(vs.page, 'Misconduct Annotator: Focus on Case View');
    const frame = caseFrame(vs.page);
    await frame.locator('#file', { hasText: `Case: ${ARTICLE}` }).waitFor({ timeout: 30_000 });
    const outcome = frame.locator('[data-field="outcome"] .model-suggestion');
    await outcome.waitFor();
    assert.match(await outcome.textContent(), /^Language model suggests Accept: .+ \(misconduct-fake\/fake-model\)reflective practice and management action Show in the article$/);
    assert.equal(await frame.locator('[data-field="force"] .model-suggestion q').textContent(), HOSTILE_QUOTE);
    assert.equal(await frame.locator('img').count(), 0, "a model's markup is never HTML");
    await frame.locator('[data-field="force"] .model-suggestion').scrollIntoViewIfNeeded();
    await screenshot(vs.page, 'model-form-suggestions');
    await outcome.locator('button.accept').click();
    const sidecar = JSON.parse(await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => t.includes('"reflective_practice"')));
    assert.equal(sidecar.document.outcome, 'reflective_practice');
    await outcome.waitFor({ state: 'detached' });
  });
});
