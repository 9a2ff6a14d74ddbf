/**
 * Suggestions from a language model, against the fake provider (test/fixtures/fake-lm-provider)
 * the harness installs: each test scripts its answers, then checks what the user would see (the
 * suggestions offered, their offsets and provenance, the sidecar after Accept All).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultPromptSpec, estimateTokens, splitWindows, systemPrompt } from '../../src/core/model';
import { article, FAKE_MODEL, offered, requests, script, Step, suggest } from './fakeLm';
import { api, nextWrite, readSidecar, workspaceDir } from './helpers';

const MODEL = FAKE_MODEL;
const TEXT = 'A Kent Police officer 👮 was dismissed without notice after the IOPC found he had abused his position.';

describe('model suggestions', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('misconduct').update('model', { vendor: 'misconduct-fake' }, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('misconduct').update('model', undefined, vscode.ConfigurationTarget.Workspace);
    await script([]);
  });

  it('suggests what the model quotes, in code points, with its reason and model, forcing the answer tool', async () => {
    await script([{ tool: { spans: [{ label: 'officer', quote: 'Kent Police officer', reason: 'the officer, <b>named</b>' }, { label: 'sanction', quote: 'dismissed without notice' }] } }]);
    const text = `👮 ${TEXT}`;
    const { session } = await article(text);
    const made = await suggest(session.uri);
    const at = (q: string) => [...text.slice(0, text.indexOf(q))].length;
    assert.deepEqual(
      made.map((m) => [m.label, m.text, m.start, m.end, m.source, m.model, m.reason]),
      [
        ['officer', 'Kent Police officer', at('Kent Police officer'), at('Kent Police officer') + 19, 'model', MODEL, 'the officer, <b>named</b>'],
        ['sanction', 'dismissed without notice', at('dismissed'), at('dismissed') + 24, 'model', MODEL, undefined],
      ],
    );
    // the same span from the rules and the model is offered once (the rule's, which carries its type)
    const shown = await offered(session);
    assert.deepEqual(shown.filter((s) => s.category === 'officer').map((s) => [s.text, s.model, s.reason]), [['Kent Police officer', MODEL, 'the officer, <b>named</b>']]);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', session.uri, session.document.positionAt(text.indexOf('officer') + 2));
    const markdown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(markdown.includes('\\<b\\>named\\</b\\>'), `the reason is escaped: ${markdown}`);
    // as the reader sees it, Markdown's escapes removed
    assert.ok(markdown.replace(/\\(.)/g, '$1').includes(`language model ${MODEL}: the officer, <b>named</b>`), markdown);
    const [request] = await requests();
    assert.deepEqual(request.tools, ['record_annotations']);
    assert.equal(request.toolMode, (vscode as unknown as { LanguageModelChatToolMode: { Required: unknown } }).LanguageModelChatToolMode.Required);
    assert.ok(request.messages.some((m) => m.includes('dismissed without notice after the IOPC')), 'the article is sent');
  });

  it('joins the other suggestions: Accept All writes them to the sidecar, a rejected one is not suggested again', async () => {
    // a name no other suite uses: what is accepted here is learned, and suggested in their articles too
    await script([{ tool: { spans: [{ label: 'officer', quote: 'PC Quillon Zarbey' }, { label: 'allegation', quote: 'had abused his position' }] } }]);
    const { session, file } = await article(`${TEXT} PC Quillon Zarbey said nothing.`);
    await suggest(session.uri);
    const written = nextWrite(session);
    const rejected = await vscode.commands.executeCommand<number>('misconduct.rejectSuggestion', { uri: session.uri, suggestion: (await offered(session)).filter((s) => s.category === 'allegation').map((s) => ({ start: s.start, end: s.end, category: s.category }))[0] });
    assert.equal(rejected, 1);
    await written;
    const accepted = nextWrite(session);
    const added = await vscode.commands.executeCommand<number>('misconduct.acceptAllSuggestions', { uri: session.uri, label: 'officer', confirm: false });
    assert.equal(added, 1);
    await accepted;
    const sidecar = readSidecar(file) as unknown as { annotations: Array<{ label: string; text: string; source: string }>; rejected: Array<{ label: string; text: string }> };
    assert.deepEqual(sidecar.annotations.map((a) => [a.label, a.text, a.source]), [['officer', 'PC Quillon Zarbey', 'suggestion']]);
    assert.deepEqual(sidecar.rejected.map((r) => [r.label, r.text]), [['allegation', 'had abused his position']]);
    await suggest(session.uri);
    assert.deepEqual(await offered(session), [], 'neither the accepted nor the rejected one is offered again');
  });

  it('drops a quote the article does not contain and places a repeated quote by its context', async () => {
    const body = 'Kent Police said little. Later the officer was dismissed by Kent Police after a hearing.';
    await script([{ tool: { spans: [{ label: 'force', quote: 'Essex Police' }, { label: 'force', quote: 'Kent Police', context: 'dismissed by Kent Police after' }] } }]);
    const { session } = await article(body);
    const made = await suggest(session.uri);
    assert.deepEqual(made.map((m) => [m.text, m.start]), [['Kent Police', body.lastIndexOf('Kent Police')]]);
  });

  it('accepts an answer given as JSON text', async () => {
    await script([{ text: 'Here you are:\n```json\n{"spans": [{"label": "force", "quote": "Kent Police"}]}\n```' }]);
    const { session } = await article(TEXT);
    assert.deepEqual((await suggest(session.uri)).map((m) => m.text), ['Kent Police']);
  });

  for (const [what, step] of [
    ['malformed JSON', { text: '{"spans": [{"label": "force", "quote": ' }],
    ['a refusal', { text: "I'm sorry, but I can't help with that." }],
    ['an error mid-stream', { text: '{"spans": [', error: 'the connection dropped' }],
  ] as Array<[string, Step]>) {
    it(`suggests nothing from ${what}, keeps the built-in suggestions, and asks again next time`, async () => {
      await script([step]);
      const { session } = await article(TEXT);
      assert.deepEqual(await suggest(session.uri), []);
      const { suggestions } = await api();
      assert.ok(suggestions.allSuggestions(session).some((s) => s.source !== 'model' && s.text === 'Kent Police'), 'the rules keep working');
      await script([{ tool: { spans: [{ label: 'force', quote: 'Kent Police' }] } }]);
      assert.deepEqual((await suggest(session.uri)).map((m) => m.text), ['Kent Police']);
      assert.equal((await requests()).length, 1, 'the failed answer was not cached');
    });
  }

  it('asks a long article in windows and suggests a mention in two windows once', async () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence ${i} tells how Kent Police handled case ${i} of many.`);
    const body = sentences.join(' ');
    const system = estimateTokens(systemPrompt(defaultPromptSpec()));
    const maxInputTokens = system + 64 + 250;
    const windows = splitWindows(body, { maxTokens: 250 });
    const occurrences = [...body.matchAll(/Kent Police/g)].map((m) => m.index!);
    assert.ok(occurrences.some((o) => windows.filter((w) => w.start <= o && o + 11 <= w.end).length > 1), 'a mention lies in the overlap of two windows');
    await script([{ quoting: [{ label: 'force', quote: 'Kent Police' }] }], { maxInputTokens });
    const { session } = await article(body);
    const made = await suggest(session.uri);
    assert.ok((await requests()).length > 1, 'asked in several windows');
    assert.deepEqual(made.map((m) => m.start), occurrences);
  });

  it('stops when cancelled, and a second run asks again; a third answers from the cache', async () => {
    await script([{ hang: true }]);
    const { session } = await article(TEXT);
    const asked = vscode.commands.executeCommand('misconductFakeLm.whenAsked');
    const cancel = new vscode.CancellationTokenSource();
    const running = suggest(session.uri, cancel.token);
    await asked;
    cancel.cancel();
    assert.deepEqual(await running, []);
    assert.deepEqual(await offered(session), []);
    await script([{ tool: { spans: [{ label: 'force', quote: 'Kent Police' }] } }]);
    assert.deepEqual((await suggest(session.uri)).map((m) => m.text), ['Kent Police']);
    await script([{ error: 'must not be asked' }]);
    assert.deepEqual((await suggest(session.uri)).map((m) => m.text), ['Kent Police']);
    assert.equal((await requests()).length, 0, 'the cached answer was used');
  });

  it('runs over every article of a folder', async () => {
    const folder = path.join(workspaceDir(), `model-folder-${process.pid}-${Date.now()}`);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.txt'), `${TEXT} (a)\n`);
    fs.writeFileSync(path.join(folder, 'b.txt'), `${TEXT} (b)\n`);
    await script([{ tool: { spans: [{ label: 'force', quote: 'Kent Police' }] } }]);
    const made = await suggest(vscode.Uri.file(folder));
    assert.deepEqual(made.map((m) => [path.basename(vscode.Uri.parse(m.uri).fsPath), m.text]), [['a.txt', 'Kent Police'], ['b.txt', 'Kent Police']]);
  });

  it('with no model installed, suggests nothing and the rules keep working', async () => {
    await script([], { models: [] });
    const { session } = await article(TEXT);
    const { suggestions } = await api();
    assert.deepEqual(await suggest(session.uri), []);
    assert.ok(suggestions.allSuggestions(session).some((s) => s.text === 'Kent Police'));
    await script([]);
  });
});
