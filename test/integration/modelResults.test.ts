/**
 * What a language model suggests beyond spans, and how good it is (issue 32), against the fake
 * provider: its relations offered once both ends are accepted, its coding-form values in the Case
 * view with their quote, examples from the finished articles of the workspace, and Evaluate
 * Suggestions over a folder of them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaseState } from '../../src/extension/cases';
import type { EvaluationResult } from '../../src/extension/model/evaluateSuggestionsCommand';
import { article, FAKE_MODEL, requests, script, suggest } from './fakeLm';
import { api, closeAll, nextWrite, openArticle, readSidecar, waitFor, workspaceDir } from './helpers';

const TEXT = 'A Kent Police officer 👮 was dismissed without notice after the IOPC found he had abused his position.';
const UNIQUE = 'Sergeant Olwyn Tarrasque was handed a Brennick reprimand after she had falsified the Brennick logbook.';
const SAMPLES = path.resolve(__dirname, '..', '..', '..', 'samples', 'corpus');
const DONE = ['000_fafa6f8612fe896a.txt', '001_928ec815419fdbae.txt'];

type Session = Awaited<ReturnType<typeof article>>['session'];

async function linkActions(session: Session, quote: string): Promise<vscode.CodeAction[]> {
  const text = session.document.getText();
  const at = text.indexOf(quote);
  const range = new vscode.Range(session.document.positionAt(at), session.document.positionAt(at + 1));
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', session.uri, range);
  return actions.filter((a): a is vscode.CodeAction => 'title' in a && a.title.startsWith('Link (suggested'));
}

/** Accepts the suggestion of `quote` (the gazetteer's, when it suggests the same span: offered once). */
async function acceptSuggestionOf(session: Session, label: string, quote: string): Promise<void> {
  const { suggestions } = await api();
  const s = suggestions.model(session).visible().find((x) => x.category === label && x.text === quote);
  assert.ok(s, `a ${label} suggestion of “${quote}”`);
  const written = nextWrite(session);
  assert.equal(await vscode.commands.executeCommand('misconduct.acceptSuggestion', { uri: session.uri, suggestion: { start: s.start, end: s.end, category: s.category } }), 1);
  await written;
}

async function hoverText(session: Session, quote: string): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', session.uri, session.document.positionAt(session.document.getText().indexOf(quote) + 2));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

async function caseState(predicate: (s: Extract<CaseState, { kind: 'article' }>) => boolean, what: string): Promise<Extract<CaseState, { kind: 'article' }>> {
  const { cases } = await api();
  const now = cases.state();
  if (now.kind === 'article' && predicate(now) && cases.webviewView()) return now;
  const next = waitFor(cases.onDidPost, (s) => s.kind === 'article' && predicate(s), what);
  if (!cases.webviewView()) await vscode.commands.executeCommand('misconduct.case.focus');
  return (await next) as Extract<CaseState, { kind: 'article' }>;
}

describe('model relations, form values, examples and evaluation', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('misconduct').update('model', { vendor: 'misconduct-fake' }, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('misconduct').update('model', undefined, vscode.ConfigurationTarget.Workspace);
    await script([]);
    await closeAll();
  });

  it("offers the model's relation once both ends are accepted; Link writes it to the sidecar", async () => {
    await script([
      {
        tool: {
          spans: [
            { label: 'allegation', quote: 'had falsified the Brennick logbook' },
            { label: 'sanction', quote: 'handed a Brennick reprimand' },
          ],
          relations: [{ label: 'outcome', from: 0, to: 1 }],
        },
      },
    ]);
    // words no other suite uses: what is accepted here is learned, and suggested in their articles too
    const { session, file } = await article(UNIQUE);
    await suggest(session.uri);
    assert.deepEqual(await linkActions(session, 'had falsified'), [], 'no end is an annotation yet');
    await acceptSuggestionOf(session, 'allegation', 'had falsified the Brennick logbook');
    assert.deepEqual(await linkActions(session, 'had falsified'), [], 'one end only');
    await acceptSuggestionOf(session, 'sanction', 'handed a Brennick reprimand');
    const [link, ...more] = await linkActions(session, 'had falsified');
    assert.equal(more.length, 0);
    assert.equal(link.title, `Link (suggested by ${FAKE_MODEL}): “had falsified the Brennick lo…” → outcome → “handed a Brennick reprimand”`);
    assert.deepEqual((await linkActions(session, 'handed a')).map((a) => a.title), [link.title], 'offered at either end');
    const hover = (await hoverText(session, 'had falsified')).replace(/\\(.)/g, '$1');
    assert.ok(hover.includes(`suggested → **outcome**: “handed a Brennick reprimand” (sanction), by ${FAKE_MODEL}`), hover);

    const written = nextWrite(session);
    await vscode.commands.executeCommand(link.command!.command, ...(link.command!.arguments ?? []));
    await written;
    const sidecar = readSidecar(file) as unknown as { annotations: Array<{ id: string; label: string }>; relations: Array<{ label: string; from: string; to: string }> };
    const id = (label: string) => sidecar.annotations.find((a) => a.label === label)!.id;
    assert.deepEqual(sidecar.relations.map((r) => [r.label, r.from, r.to]), [['outcome', id('allegation'), id('sanction')]]);
    assert.deepEqual(await linkActions(session, 'had falsified'), [], 'made: no longer offered');
  });

  it("shows the model's coding-form values in the Case view with the quote they came from", async () => {
    await script([{ tool: { spans: [], fields: { outcome: { value: 'dismissal_without_notice', quote: 'dismissed without notice' }, finding: { value: 'no_such_finding' } } } }]);
    const { session } = await article(TEXT);
    await suggest(session.uri);
    const state = await caseState((s) => s.uri === session.uri.toString() && s.fields.some((f) => f.modelSuggestion), 'the model value in the Case view');
    const outcome = state.fields.find((f) => f.name === 'outcome')!;
    assert.deepEqual(
      { ...outcome.modelSuggestion, display: undefined },
      { value: 'dismissal_without_notice', display: undefined, model: FAKE_MODEL, quote: 'dismissed without notice', found: true },
    );
    assert.equal(state.fields.find((f) => f.name === 'finding')!.modelSuggestion, undefined, 'not an option of the field: dropped');
    // once the form holds the value, nothing is left to suggest
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: session.uri.toString(), field: 'outcome', value: 'dismissal_without_notice' }), true);
    await caseState((s) => s.uri === session.uri.toString() && !s.fields.find((f) => f.name === 'outcome')!.modelSuggestion, 'the accepted value no longer suggested');
  });

  describe('over finished articles', () => {
    let folder: string;
    before(() => {
      // first in path order, so its articles are the workspace's examples
      folder = path.join(workspaceDir(), `0-model-done-${process.pid}`);
      fs.mkdirSync(folder);
      for (const f of DONE) for (const name of [f, `${f}.annotations.json`]) fs.copyFileSync(path.join(SAMPLES, name), path.join(folder, name));
    });
    after(async () => {
      await closeAll();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('shows the model examples from the done articles, never the article asked about', async () => {
      const system = async (uri: vscode.Uri) => {
        await script([{ tool: { spans: [] } }]);
        await suggest(uri);
        const [request] = await requests();
        return request.messages[0];
      };
      const { session } = await article(TEXT);
      const base = path.basename(folder);
      const examples = (text: string) => [...text.matchAll(/^## Example \d+ \(an excerpt of ([^;]+);/gm)].map((m) => m[1]);
      assert.deepEqual(examples(await system(session.uri)), DONE.map((f) => `${base}/${f}`));
      // (another suite may have left a finished article after these in path order)
      const asked = await openArticle(path.join(folder, DONE[0]));
      const forAsked = examples(await system(asked.session.uri));
      assert.equal(forAsked[0], `${base}/${DONE[1]}`);
      assert.ok(!forAsked.includes(`${base}/${DONE[0]}`), 'never the article asked about');
    });

    it('Evaluate Suggestions scores each source against the done articles, the model from remembered answers only', async () => {
      await script([{ error: 'must not be asked' }]);
      const result = await vscode.commands.executeCommand<EvaluationResult>('misconduct.evaluateSuggestions', { uri: vscode.Uri.file(folder).toString(), model: 'cached', show: true });
      assert.equal((await requests()).length, 0, 'nothing sent');
      assert.equal(result.articles, 2);
      assert.deepEqual(result.sources.map((s) => s.source), ['gazetteer', 'rule', 'gazetteer+rule', 'learned', 'model']);
      // the first article's answer was remembered by the test before; the second was never asked
      assert.deepEqual(result.model, { name: FAKE_MODEL, mode: 'cached', scored: 1 });
      assert.equal(result.problems.length, 1);
      assert.ok(result.problems[0].startsWith(`${DONE[1]}: `), result.problems[0]);
      const gold = DONE.map((f) => readSidecar(path.join(folder, f)).annotations.length).reduce((a, b) => a + b);
      const gazetteer = result.sources[0];
      assert.equal(gazetteer.overall.gold, gold);
      assert.equal(gazetteer.labels.force.exact.f1, 1);
      assert.ok(gazetteer.misses.every((m) => DONE.includes(path.basename(m.file))));
      const shown = (await api()).dashboard.lastEvaluation();
      assert.ok(shown, 'the dashboard shows it');
      assert.deepEqual([...new Set(shown.rows.map((r) => r.source))], ['gazetteer', 'rule', 'gazetteer+rule', 'learned', 'model']);
      assert.ok(shown.lists[0].misses.every((m) => m.place.startsWith('000_') || m.place.startsWith('001_')));
    });
  });
});
