/**
 * `suggest --model` against a local stub of an OpenAI-compatible endpoint (node:http on 127.0.0.1),
 * scripted per test: right answers, hallucinated quotes, a repeated quote, a long article in
 * windows, malformed JSON, a refusal, an HTTP error, an endpoint without tools, one that never answers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPromptSpec, estimateTokens, systemPrompt } from '../../src/core/model';
import { cli, tempDir } from './helpers';
import { articleOf, content, Reply, Stub, toolCall } from './modelStub';

interface Item {
  file: string;
  kind: string;
  id?: string;
  start?: number;
  end?: number;
  label?: string;
  text?: string;
  source: string;
  model: string;
  from?: string;
  to?: string;
  field?: string;
  value?: unknown;
}

describe('suggest --model (a local OpenAI-compatible endpoint)', function () {
  this.timeout(20000);
  const stub = new Stub();
  let dir: string;
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  before(() => stub.start());
  after(() => stub.stop());
  beforeEach(() => {
    dir = tempDir();
    stub.bodies.length = 0;
  });

  it('asks with the forced tool at temperature 0 and prints each suggestion with source "model" and the model', async () => {
    const text = '👮 Kent Police said PC Jane Doe was dismissed without notice for gross misconduct.';
    const file = write('a.txt', text);
    stub.reply = () =>
      toolCall({
        spans: [
          { label: 'force', quote: 'Kent Police', reason: 'the force' },
          { label: 'sanction', quote: 'dismissed without notice' },
          { label: 'allegation', quote: 'gross misconduct' },
          { label: 'officer', quote: 'PC Jane Doe' },
        ],
        relations: [{ label: 'outcome', from: 2, to: 1 }],
        fields: { outcome: { value: 'dismissal_without_notice', quote: 'dismissed without notice' } },
      });
    const run = await cli('suggest', file, '--model', stub.base, '--model-name', 'llama3', '--json');
    assert.equal(run.code, 0, run.err);
    assert.equal(run.err, '');
    const body = stub.bodies[0];
    assert.equal(body.model, 'llama3');
    assert.equal(body.temperature, 0);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'record_annotations' } });
    assert.match(body.messages[0].content, /# Annotation guidelines/);
    assert.equal(articleOf(body), text);
    const items = JSON.parse(run.out) as Item[];
    assert.ok(items.every((i) => i.source === 'model' && i.model === 'llama3' && i.file === file));
    const spans = items.filter((i) => i.kind === 'span');
    const cps = [...text];
    assert.deepEqual(spans.map((s) => [s.label, cps.slice(s.start!, s.end!).join(''), s.text]), [
      ['force', 'Kent Police', 'Kent Police'],
      ['officer', 'PC Jane Doe', 'PC Jane Doe'],
      ['sanction', 'dismissed without notice', 'dismissed without notice'],
      ['allegation', 'gross misconduct', 'gross misconduct'],
    ]);
    const rel = items.find((i) => i.kind === 'relation')!;
    assert.deepEqual([rel.from, rel.to], [spans[3].id, spans[2].id]);
    assert.deepEqual(items.find((i) => i.kind === 'field')!.value, 'dismissal_without_notice');

    // without --json: the verb's columns, source "model"; the name from the endpoint when not given
    const tsv = await cli('suggest', file, '--model', stub.base);
    assert.equal(tsv.code, 0, tsv.err);
    assert.equal(stub.bodies[1].model, 'stub-7b');
    assert.equal(tsv.out.split('\n')[0], `${file}\t2\t13\tforce\t\tKent Police\tmodel`);
  });

  it('drops hallucinated quotes and says how many, and places a quote that occurs twice by its context', async () => {
    const text = 'PC Smith was dismissed. A colleague was cleared. PC Smith was dismissed, the panel said.';
    const file = write('b.txt', text);
    stub.reply = () =>
      content(
        '```json\n' +
          JSON.stringify({
            spans: [
              { label: 'sanction', quote: 'was dismissed', context: 'PC Smith was dismissed, the panel said' },
              { label: 'allegation', quote: 'stole the crown jewels' },
              { label: 'allegation', quote: 'assaulted a prisoner' },
            ],
          }) +
          '\n```',
      );
    const run = await cli('suggest', file, '--model', stub.base, '--model-name', 'm', '--json');
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /b\.txt: dropped 2 spans \(not found in the text\)$/);
    const spans = (JSON.parse(run.out) as Item[]).filter((i) => i.kind === 'span');
    assert.deepEqual(spans.map((s) => s.start), [text.lastIndexOf('was dismissed')]);
  });

  it('asks a long article in parts within --max-input-tokens; a quote from another part is dropped, the mention placed once', async () => {
    const sentences = Array.from({ length: 120 }, (_, i) => `Paragraph ${String(i).padStart(3, '0')} of the hearing.`);
    sentences[60] = 'The panel found that PC Doe had lied to investigators about it.';
    const text = sentences.join(' ');
    const file = write('long.txt', text);
    // every part answers with the mention, as a model that guesses beyond what it was shown
    stub.reply = () => toolCall({ spans: [{ label: 'allegation', quote: 'lied to investigators' }] });
    const max = estimateTokens(systemPrompt(defaultPromptSpec())) + 64 + 250;
    const run = await cli('suggest', file, '--model', stub.base, '--model-name', 'm', '--json', '--max-input-tokens', String(max));
    assert.equal(run.code, 0, run.err);
    assert.ok(stub.bodies.length > 3, `${stub.bodies.length} parts`);
    const holding = stub.bodies.filter((b) => articleOf(b).includes('lied to investigators')).length;
    assert.match(run.err, new RegExp(`long\\.txt: dropped ${stub.bodies.length - holding} spans \\(not found in the text\\)$`));
    assert.ok(stub.bodies.every((b) => /part \d+ of \d+/.test(b.messages[1].content)));
    const spans = (JSON.parse(run.out) as Item[]).filter((i) => i.kind === 'span');
    assert.deepEqual(spans.map((s) => [s.start, s.text]), [[text.indexOf('lied to'), 'lied to investigators']]);
  });

  it('names the article and the problem in one line for malformed JSON, a refusal, an HTTP error and a slow answer, and exits 1', async () => {
    const cases: Array<[Reply, RegExp, string[]]> = [
      [content('{"spans": [{"label": "force", "quote": '), /c\.txt: the answer is not valid JSON/, []],
      [{ json: { choices: [{ message: { role: 'assistant', content: null, refusal: 'I cannot help with that request.' } }] } }, /c\.txt: the model refused: "I cannot help/, []],
      [content("I'm sorry, I can't annotate this."), /c\.txt: the model did not answer with JSON: "I'm sorry/, []],
      [{ status: 500, text: 'model crashed\nstack trace' }, /c\.txt: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: model crashed stack trace$/, ['--timeout', '5']],
      ['hang', /c\.txt: no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions within 0\.2 s \(--timeout\)$/, ['--timeout', '0.2']],
    ];
    const file = write('c.txt', 'Kent Police dismissed him.');
    for (const [reply, message, extra] of cases) {
      stub.reply = () => reply;
      const run = await cli('suggest', file, '--model', stub.base, '--model-name', 'm', '--json', ...extra);
      assert.equal(run.code, 1, run.err);
      assert.match(run.err, message);
      assert.equal(run.err.split('\n').length, 1, run.err);
      assert.deepEqual(JSON.parse(run.out), []);
    }
  });

  it('falls back to a JSON-schema response_format, then to JSON text, when the endpoint refuses tools', async () => {
    const file = write('d.txt', 'Kent Police dismissed him.');
    stub.reply = (body) => (body.tools ? { status: 400, text: '{"error": "tools not supported"}' } : body.response_format ? { status: 422, text: 'no' } : content('{"spans": [{"label": "force", "quote": "Kent Police"}]}'));
    const run = await cli('suggest', file, '--model', stub.base, '--model-name', 'm', '--json');
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(stub.bodies.map((b) => (b.tools ? 'tool' : b.response_format ? b.response_format.type : 'text')), ['tool', 'json_schema', 'text']);
    assert.equal(stub.bodies[1].response_format!.json_schema!.name, 'record_annotations');
    assert.equal((JSON.parse(run.out) as Item[])[0].text, 'Kent Police');
  });

  it('refuses a --model that is not an http URL, before reading anything', async () => {
    const run = await cli('suggest', write('e.txt', 'x'), '--model', 'file:///etc/passwd');
    assert.equal(run.code, 2);
    assert.match(run.err, /not an http or https URL/);
    assert.equal(stub.bodies.length, 0);
  });
});
