/**
 * The pure parts of the model's suggestions in VS Code (issue 32): which finished articles the
 * extension shows a model as examples, the model's coding-form values in the Case view, the
 * suggested relation in a hover, and Evaluate Suggestions' table in the dashboard.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDocumentFields } from '../../src/core/codebook';
import type { Span } from '../../src/core/annotationDocument';
import { doneArticles } from '../../src/core/doneArticles';
import { SourceEvaluation } from '../../src/core/evaluate';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { EXAMPLE_POOL, examplePool, examplesFor } from '../../src/core/model';
import type { DocumentForm, FieldValue } from '../../src/core/schema';
import { fieldViews, openModelSuggestions } from '../../src/extension/cases/caseModel';
import { evaluationView, MAX_LISTED } from '../../src/extension/dashboard/evaluation';
import { describeSuggestedRelation } from '../../src/extension/editor/hoverText';
import { copySamples } from './helpers';

const fields = defaultDocumentFields();
const form = (o: Record<string, FieldValue>): DocumentForm => Object.assign(Object.create(null) as DocumentForm, o);

function setStatus(dir: string, file: string, status: string | undefined): void {
  const p = path.join(dir, `${file}.annotations.json`);
  const json = JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;
  if (status === undefined) delete json.status;
  else json.status = status;
  fs.writeFileSync(p, JSON.stringify(json));
}

describe('model suggestions in VS Code: pure parts', () => {
  describe('few-shot examples from the done articles of the workspace', () => {
    it('takes the first done articles in path order, never the one asked about, and skips those not done', async () => {
      const dir = copySamples();
      setStatus(dir, '000_fafa6f8612fe896a.txt', 'in_progress');
      const pool = await examplePool(nodeFileSystem, dir);
      assert.deepEqual(
        pool.map((a) => a.relativePath),
        ['001_928ec815419fdbae.txt', '002_15c05126c182eb79.txt', '003_bb0ef3ef7eedfb27.txt', '004_5cda1f97e69ea7bc.txt', '005_8594d6f234e18683.txt', '006_c2d61154cc08cb3e.txt'].slice(0, EXAMPLE_POOL),
      );
      const asked = pool[0].file;
      const examples = examplesFor(pool, asked);
      assert.equal(examples.length, 2);
      assert.ok(!examples.some((e) => e.file === '001_928ec815419fdbae.txt'), 'not the article asked about');
      for (const e of examples) {
        const article = pool.find((a) => a.relativePath === e.file)!;
        // verbatim: the excerpt is the article's opening, each quote is its text
        assert.ok(article.text.startsWith(e.excerpt), `${e.file}: the excerpt is the article's opening`);
        assert.ok(e.excerpt.length <= 900);
        for (const s of e.answer.spans) assert.ok(e.excerpt.includes(s.quote), s.quote);
      }
      assert.deepEqual(examplesFor(pool, path.join(dir, 'another.txt')).map((e) => e.file), ['001_928ec815419fdbae.txt', '002_15c05126c182eb79.txt']);
    });

    it('reads no article whose sidecar is not done, and stops at the limit', async () => {
      const dir = copySamples();
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.txt'))) setStatus(dir, f, undefined);
      setStatus(dir, '004_5cda1f97e69ea7bc.txt', 'done');
      // an article that could not be read would be named: none is, as only the done one is read
      fs.writeFileSync(path.join(dir, '003_bb0ef3ef7eedfb27.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x00, 0xff]));
      const problems: string[] = [];
      const done = await doneArticles(nodeFileSystem, dir, { onProblem: (l) => problems.push(l) });
      assert.deepEqual(done.map((a) => [a.relativePath, a.sidecar.status]), [['004_5cda1f97e69ea7bc.txt', 'done']]);
      assert.deepEqual(problems, []);
      setStatus(dir, '005_8594d6f234e18683.txt', 'done');
      assert.deepEqual((await doneArticles(nodeFileSystem, dir, { limit: 1 })).map((a) => a.relativePath), ['004_5cda1f97e69ea7bc.txt']);
    });
  });

  describe("the model's coding-form values in the Case view", () => {
    const fromModel = [
      { field: 'outcome', value: 'dismissal_without_notice', model: 'fake/m', quote: 'dismissed <b>without</b> notice', start: 10, end: 34 },
      { field: 'standards', value: ['std_honesty_and_integrity'], model: 'fake/m' },
      { field: 'finding', value: 'not_an_option', model: 'fake/m' },
      { field: '__proto__', value: 'x', model: 'fake/m' },
    ];

    it('shows a value that would change the form, with its model and quote; not one already set, not one that is not an option', () => {
      const { fields: views } = fieldViews(fields, form({ standards: ['std_discreditable_conduct'] }), [], fromModel);
      const outcome = views.find((f) => f.name === 'outcome')!;
      assert.deepEqual(outcome.modelSuggestion, { value: 'dismissal_without_notice', display: outcome.modelSuggestion!.display, model: 'fake/m', quote: 'dismissed <b>without</b> notice', found: true });
      // a list keeps what is ticked and adds the model's
      assert.deepEqual(views.find((f) => f.name === 'standards')!.modelSuggestion?.value, ['std_discreditable_conduct', 'std_honesty_and_integrity']);
      assert.equal(views.find((f) => f.name === 'finding')!.modelSuggestion, undefined);
      assert.deepEqual([...openModelSuggestions(fields, form({ outcome: 'dismissal_without_notice' }), fromModel).keys()], ['standards']);
    });
  });

  it('a suggested relation in the hover is escaped and seen from the span hovered', () => {
    const span = (id: string, label: string, text: string) => ({ id, label, text, start: 0, end: text.length, meta: {} }) as unknown as Span;
    const from = span('a-1', 'allegation', 'abused [his](command:x) position');
    const to = span('a-2', 'sanction', 'dismissed');
    const r = { label: 'outcome', from, to, model: 'fake/<m>' };
    assert.equal(describeSuggestedRelation(to, r, 'LINK'), '$(lightbulb) suggested ← **outcome**: “abused \\[his\\]\\(command:x\\) position” (allegation), by fake/\\<m\\> LINK');
    assert.ok(describeSuggestedRelation(from, r, '').includes('→ **outcome**: “dismissed” (sanction)'));
  });

  it("Evaluate Suggestions' table: rows per source and label with all, the labels a source never suggests left out, the lists capped", () => {
    const text = 'Kent Police dismissed him. '.repeat(MAX_LISTED + 5);
    const starts = [...text.matchAll(/Kent Police/g)].map((m) => m.index!);
    const gold = { file: '/corpus/a.txt', text, annotations: starts.map((s) => ({ start: s, end: s + 11, label: 'force', text: 'Kent Police' })).concat([{ start: 12, end: 21, label: 'sanction', text: 'dismissed' }]) };
    const evaluation = new SourceEvaluation('gazetteer', ['force', 'sanction']);
    // every force suggested one character off (so none matches), no sanction suggested
    evaluation.add(gold, starts.map((s) => ({ start: s + 12, end: s + 20, label: 'force' })));
    const shown = evaluationView({ folder: 'file:///corpus', articles: 1, sources: [evaluation.report()], problems: [] }, 'corpus', (f) => path.basename(f));
    assert.deepEqual(shown.view.rows.map((r) => [r.source, r.label, r.gold, r.suggested]), [
      ['gazetteer', 'force', starts.length, starts.length],
      ['gazetteer', 'all', starts.length + 1, starts.length],
    ]);
    const [lists] = shown.view.lists;
    assert.equal(lists.missesTotal, starts.length, 'the sanction the source never suggests is not listed as missed');
    assert.equal(lists.misses.length, MAX_LISTED);
    assert.deepEqual(lists.misses[0], { place: 'a.txt:1:1', label: 'force', text: 'Kent Police' });
    assert.equal(shown.spans[0].misses[0].start, 0, 'a click opens the span listed');
  });
});
