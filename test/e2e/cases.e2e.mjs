// Coding a case as a researcher does it, with the keyboard and the mouse only: sample 004 with its
// spans but without its officer, relations, form and status is coded through the UI (Ctrl+Alt+4,
// Link Annotation… with its Quick Pick, Set Case Field…, Mark Article Done), and the sidecar that
// comes out has exactly the coding the shipped sample has (samples/corpus is the reference).
// test/e2e/caseView.e2e.mjs fills a form in the Case view with the keyboard.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SAMPLES_CORPUS, useVSCode } from './fixture.mjs';
import { goToLine, runCommand, screenshot, selectText, waitForWorkspaceFile } from './helpers.mjs';
import { openArticle } from './tagging.e2e.mjs';
import { waitFor } from '../harness/codeServer.mjs';

const ARTICLE = '004_5cda1f97e69ea7bc.txt';
const SIDECAR = `${ARTICLE}.annotations.json`;
const QUICK_INPUT = '.quick-input-widget';

const shipped = JSON.parse(fs.readFileSync(path.join(SAMPLES_CORPUS, SIDECAR), 'utf8'));
const text = fs.readFileSync(path.join(SAMPLES_CORPUS, ARTICLE), 'utf8');

/** The samples with 004's case coding taken out: its spans stay, officer, links and form go. */
function uncodedCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-uncoded-'));
  fs.cpSync(SAMPLES_CORPUS, dir, { recursive: true });
  const { relations, document, status, ...rest } = shipped; // eslint-disable-line no-unused-vars
  rest.annotations = shipped.annotations.filter((a) => a.label !== 'officer');
  fs.writeFileSync(path.join(dir, SIDECAR), JSON.stringify(rest, null, 2) + '\n');
  return dir;
}

/** 1-based line and column of a code-point offset (the article is in the BMP: code points = UTF-16). */
function place(offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const byId = (sidecar) => new Map(sidecar.annotations.map((a) => [a.id, a]));
/** A relation by what it links (ids differ between the shipped file and the one coded here). */
function relationKeys(sidecar) {
  const spans = byId(sidecar);
  const end = (id) => `${spans.get(id).label}:${spans.get(id).start}-${spans.get(id).end}`;
  return (sidecar.relations ?? []).map((r) => `${r.label} ${end(r.from)} → ${end(r.to)}`).sort();
}

describe('coding a case in the workbench', function () {
  const corpus = uncodedCorpus();
  const vs = useVSCode({ corpus });
  after(() => fs.rmSync(corpus, { recursive: true, force: true }));

  it('tags the officer and links the spans through the UI, as the shipped sample has them', async function () {
    await openArticle(vs.page, ARTICLE);
    const officer = shipped.annotations.find((a) => a.label === 'officer');
    await selectText(vs.page, officer.text, { occurrence: text.slice(0, officer.start).split(officer.text).length });
    await vs.page.keyboard.press('Control+Alt+4');
    await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => t.includes('"officer"'));

    const spans = byId(shipped);
    for (const [i, r] of shipped.relations.entries()) {
      const from = spans.get(r.from);
      const to = spans.get(r.to);
      const at = place(from.start + 1);
      await goToLine(vs.page, at.line, at.column);
      await vs.page.keyboard.press('Control+Alt+L');
      const input = vs.page.locator(`${QUICK_INPUT} input`);
      await input.waitFor({ state: 'visible' });
      await input.fill(to.text.slice(0, 30)); // the list shows quotes cut at 70 characters
      // the row of that quote on the right line: the description says "<label> · line N …"
      const row = vs.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: new RegExp(`${to.label} · line ${place(to.start).line}\\b`) }).first();
      await row.click();
      await vs.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
      await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => (JSON.parse(t).relations ?? []).length === i + 1);
    }
    const coded = await waitFor(() => {
      const s = JSON.parse(fs.readFileSync(path.join(vs.workspace, SIDECAR), 'utf8'));
      return (s.relations ?? []).length === shipped.relations.length ? s : false;
    }, { what: 'every relation written', timeoutMs: 10_000 });
    assert.deepEqual(relationKeys(coded), relationKeys(shipped));

    // the hover of the officer lists its links
    const at = place(officer.start + 1);
    await goToLine(vs.page, at.line, at.column);
    await vs.page.keyboard.press('Control+K');
    await vs.page.keyboard.press('Control+I');
    const hover = vs.page.locator('.monaco-hover:visible', { hasText: 'Change label' }).first();
    await hover.waitFor();
    const hoverText = await hover.textContent();
    assert.match(hoverText, /→ member: “Derbyshire Constabulary”/);
    assert.match(hoverText, /→ subject: “abused his position”/);
    await screenshot(vs.page, 'cases-hover-relations');
  });

  it('fills the form with Set Case Field… and marks the article done: the shipped coding, field for field', async function () {
    const input = vs.page.locator(`${QUICK_INPUT} input`);
    /** In the open Quick Pick: filter by `filter`, then click the row whose `part` reads exactly `text`. */
    const choose = async (filter, part, text) => {
      await input.fill(filter);
      const exact = vs.page.locator(`${QUICK_INPUT} .monaco-list-row`, { has: vs.page.locator(part, { hasText: new RegExp(`^\\s*${text}\\s*$`) }) }).first();
      await exact.click();
    };
    for (const [field, value] of Object.entries(shipped.document)) {
      // F1, the command, Enter: the palette gives way to the command's own Quick Pick of fields
      await vs.page.keyboard.press('F1');
      await input.fill('>Misconduct: Set Case Field…');
      await vs.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: 'Set Case Field…' }).waitFor();
      await vs.page.keyboard.press('Enter');
      await vs.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: `Case: ${ARTICLE}` }).waitFor();
      await choose(field, '.label-name', field);
      await vs.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: new RegExp(`^${field}`) }).waitFor(); // the value step
      if (typeof value === 'boolean') await choose(value ? 'yes' : 'no', '.label-description', String(value));
      else if (/^\d{4}-\d\d-\d\d$/.test(String(value))) {
        await input.fill(String(value));
        await vs.page.keyboard.press('Enter');
      } else await choose(String(value), '.label-description', String(value));
      await vs.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
      await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => JSON.stringify(JSON.parse(t).document?.[field]) === JSON.stringify(value));
    }
    await runCommand(vs.page, 'Misconduct: Mark Article Done');
    const coded = JSON.parse(await waitForWorkspaceFile(vs.workspace, SIDECAR, (t) => JSON.parse(t).status === 'done'));
    assert.deepEqual(coded.document, shipped.document);
    assert.deepEqual(relationKeys(coded), relationKeys(shipped));
    const spans = (s) => s.annotations.map((a) => `${a.label}:${a.start}-${a.end}`).sort();
    assert.deepEqual(spans(coded), spans(shipped), 'the same spans, the officer included');
  });
});
