// Smoke test: the workbench comes up on a copy of samples/corpus with our
// extension installed, and a sample article opens from the explorer.
import assert from 'node:assert/strict';
import { SAMPLES_CORPUS, useVSCode } from './fixture.mjs';
import { openFileFromExplorer, editorText, readWorkspaceFile, screenshot } from './helpers.mjs';

const ARTICLE = '000_fafa6f8612fe896a.txt';

describe('smoke', function () {
  const vs = useVSCode({ corpus: SAMPLES_CORPUS });

  it('opens a sample article from the explorer and shows its text', async function () {
    await openFileFromExplorer(vs.page, ARTICLE);
    const firstLine = readWorkspaceFile(vs.workspace, ARTICLE).split('\n')[0];
    const shown = await editorText(vs.page);
    assert.equal(shown.split('\n')[0], firstLine);
    await screenshot(vs.page, 'smoke-article-open');
  });
});
