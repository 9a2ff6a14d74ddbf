import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SuggestionScore } from '../../src/core/agreement';
import { evaluateOfflineSources, GoldArticle, lineAndColumn, SourceEvaluation, SourceReport } from '../../src/core/evaluate';
import { OffsetMap } from '../../src/core/offsets';
import { cli, copySamples, REPO, SAMPLES, tempDir } from './helpers';
import { buildGold } from './evaluateGold';
import { articleOf, Stub, toolCall } from './modelStub';

const gold = (file: string, text: string, spans: Array<[string, string]>): GoldArticle => ({
  file,
  text,
  annotations: spans.map(([label, quote]) => {
    const start = [...text.slice(0, text.indexOf(quote))].length;
    return { label, start, end: start + [...quote].length, text: quote };
  }),
});

describe('evaluating suggestion sources (core)', () => {
  it('scores exact and overlap precision, recall and F1 per label', () => {
    const s = new SuggestionScore(['force', 'sanction']);
    s.add(
      [
        { start: 0, end: 10, label: 'force' },
        { start: 20, end: 30, label: 'sanction' },
        { start: 40, end: 50, label: 'sanction' },
      ],
      [
        { start: 0, end: 10, label: 'force' },
        { start: 22, end: 30, label: 'sanction' },
        { start: 60, end: 70, label: 'sanction' },
      ],
    );
    const sanction = s.score('sanction');
    assert.deepEqual([sanction.gold, sanction.predicted, sanction.matched, sanction.exact.matched], [2, 2, 1, 0]);
    assert.equal(sanction.f1, 0.5);
    assert.equal(sanction.exact.f1, 0);
    assert.equal(s.score('force').exact.f1, 1);
    assert.equal(s.overall().exact.precision, 1 / 3);
  });

  it('places misses and false positives by line and column in code points (emoji, CRLF)', () => {
    const text = '👮 line one\r\nKent Police 👮 dismissed him';
    const map = new OffsetMap(text);
    const at = [...text].indexOf('d');
    assert.deepEqual(lineAndColumn(map, at), { line: 2, col: 15 });
    const e = new SourceEvaluation('model', ['force', 'sanction']);
    e.add(gold('a.txt', text, [['force', 'Kent Police'], ['sanction', 'dismissed']]), [{ start: 0, end: 1, label: 'force' }]);
    const r: SourceReport = e.report();
    assert.deepEqual(r.misses.map((m) => `${m.file}:${m.line}:${m.col} ${m.label} ${m.text}`), ['a.txt:2:1 force Kent Police', 'a.txt:2:15 sanction dismissed']);
    assert.deepEqual(r.falsePositives.map((m) => `${m.line}:${m.col} ${m.text}`), ['1:1 👮']);
  });

  it('scores learned phrases leave-one-article-out: a phrase tagged in one article only is not credited there', () => {
    const a = gold('a.txt', 'He was accused of misusing the police computer.', [['allegation', 'misusing the police computer']]);
    const b = gold('b.txt', 'She admitted misusing the police computer too.', [['allegation', 'misusing the police computer']]);
    const c = gold('c.txt', 'A third officer was accused of fiddling expenses.', [['allegation', 'fiddling expenses']]);
    const [learned] = evaluateOfflineSources([a, b, c], ['learned'], ['allegation']);
    const r = learned.report();
    assert.deepEqual([r.labels.allegation.gold, r.labels.allegation.predicted, r.labels.allegation.matched], [3, 2, 2]);
    assert.deepEqual(r.misses.map((m) => m.file), ['c.txt']);
  });
});

describe('misconduct-annotate evaluate', function () {
  this.timeout(60000);

  it('scores every offline source on the samples (articles marked done), per label, exact and overlap', async () => {
    const run = await cli('evaluate', SAMPLES);
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split('\n');
    assert.match(lines[0], /against the team's annotations \(articles marked done\): 7 articles\./);
    assert.match(lines[2], /^source\s+label\s+gold\s+suggested\s+exact P\s+exact R\s+exact F1\s+overlap P\s+overlap R\s+overlap F1$/);
    for (const source of ['gazetteer', 'rule', 'gazetteer+rule', 'learned']) assert.ok(lines.some((l) => l.startsWith(`${source} `) && /\ballegation\b/.test(l)), source);
    assert.ok(run.out.includes('  false positive  '));
    assert.match(run.out, /missed {10}.*000_fafa6f8612fe896a\.txt:\d+:\d+ {2}allegation {2}"/);
    const json = JSON.parse((await cli('evaluate', SAMPLES, '--json', '--sources', 'gazetteer')).out);
    assert.equal(json.articles, 7);
    assert.deepEqual(json.sources.map((s: SourceReport) => s.source), ['gazetteer']);
    assert.equal(json.sources[0].labels.force.f1, 1);
    assert.equal(typeof json.sources[0].labels.allegation.exact.f1, 'number');
  });

  it('takes the gold from another folder with the same articles, and skips an article whose text differs', async () => {
    const dir = copySamples();
    for (const n of fs.readdirSync(dir).filter((n) => n.endsWith('.annotations.json'))) fs.rmSync(path.join(dir, n));
    const notDone = await cli('evaluate', dir);
    assert.equal(notDone.code, 1);
    assert.match(notDone.err, /no article of .* has gold annotations: mark finished articles done, or name a --gold folder$/);
    fs.appendFileSync(path.join(dir, '004_5cda1f97e69ea7bc.txt'), '\nAn added line.\n');
    const run = await cli('evaluate', dir, '--gold', SAMPLES, '--json', '--sources', 'gazetteer,rule');
    assert.equal(run.code, 0, run.err);
    const json = JSON.parse(run.out);
    assert.equal(json.articles, 6);
    assert.deepEqual(json.skipped.map((s: { reason: string }) => s.reason), [`${path.join(SAMPLES, '004_5cda1f97e69ea7bc.txt.annotations.json')} was written for another text`]);
    assert.deepEqual(json.sources.map((s: SourceReport) => s.source), ['gazetteer', 'rule', 'gazetteer+rule']);
  });

  it('scores the development set against itself as gold', async () => {
    const devset = path.join(REPO, 'test', 'fixtures', 'devset');
    const run = await cli('evaluate', devset, '--gold', devset, '--json');
    assert.equal(run.code, 0, run.err);
    assert.equal(JSON.parse(run.out).articles, 29);
  });

  it('refuses unknown sources, model without --model, and more than one folder', async () => {
    for (const args of [['--sources', 'gazetteer,oracle'], ['--sources', 'model'], [SAMPLES]]) {
      const run = await cli('evaluate', SAMPLES, ...args);
      assert.equal(run.code, 2, args.join(' '));
    }
  });

  describe('with a model (a local stub endpoint)', () => {
    const stub = new Stub();
    before(() => stub.start());
    after(() => stub.stop());

    it("scores the model's suggestions, with examples from the other gold articles only", async () => {
      const dir = tempDir();
      const texts: Record<string, string> = {
        'a.txt': 'Kent Police dismissed PC Doe for gross misconduct.',
        'b.txt': 'Essex Police gave PC Roe a final written warning.',
      };
      for (const [name, text] of Object.entries(texts)) fs.writeFileSync(path.join(dir, name), text);
      // the gold: written as sidecars through the core, marked done
      buildGold(dir, {
        'a.txt': [['force', 'Kent Police'], ['sanction', 'dismissed'], ['allegation', 'gross misconduct']],
        'b.txt': [['force', 'Essex Police'], ['officer', 'PC Roe'], ['sanction', 'final written warning']],
      });
      stub.reply = (body) => {
        const text = articleOf(body);
        // right on a, a hallucination and a wrong label on b
        return toolCall(
          text.startsWith('Kent')
            ? { spans: [{ label: 'force', quote: 'Kent Police' }, { label: 'sanction', quote: 'dismissed' }, { label: 'allegation', quote: 'gross misconduct' }] }
            : { spans: [{ label: 'force', quote: 'Essex Police' }, { label: 'officer', quote: 'PC Roe' }, { label: 'allegation', quote: 'final written warning' }, { label: 'sanction', quote: 'sacked on the spot' }] },
        );
      };
      const run = await cli('evaluate', dir, '--sources', 'model', '--model', stub.base, '--model-name', 'stub', '--json');
      assert.equal(run.code, 0, run.err);
      assert.match(run.err, /b\.txt: dropped 1 span \(not found in the text\)$/);
      const [model] = JSON.parse(run.out).sources as SourceReport[];
      assert.equal(model.source, 'model');
      assert.deepEqual([model.overall.gold, model.overall.predicted, model.overall.matched, model.overall.exact.matched], [6, 6, 5, 5]);
      assert.deepEqual(model.falsePositives.map((f) => `${f.label} ${f.text}`), ['allegation final written warning']);
      assert.deepEqual(model.misses.map((f) => `${f.label} ${f.text}`), ['sanction final written warning']);
      // each article's examples come from the other one (the only other done article), never itself
      for (const body of stub.bodies) {
        const asked = articleOf(body);
        const other = asked.startsWith('Kent') ? 'b.txt' : 'a.txt';
        assert.match(body.messages[0].content, new RegExp(`## Example 1 \\(an excerpt of ${other.replace('.', '\\.')}`));
        assert.ok(!body.messages[0].content.includes(`an excerpt of ${other === 'a.txt' ? 'b.txt' : 'a.txt'}`));
      }
    });
  });
});
