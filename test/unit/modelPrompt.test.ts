import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPromptSpec, estimateTokens, fewShotExamples, ModelQuery, PROMPT_VERSION, splitWindows, suggestWithModel, systemPrompt, userPrompt } from '../../src/core/model';
import { GUIDELINES_MARKDOWN } from '../../src/core/model/guidelines.generated';
import { parseSidecar } from '../../src/core/sidecar';
import { REPO, SAMPLES } from './helpers';

function samples() {
  return fs
    .readdirSync(SAMPLES)
    .filter((n) => n.endsWith('.txt'))
    .map((n) => ({ file: n, text: fs.readFileSync(path.join(SAMPLES, n), 'utf8'), sidecar: parseSidecar(n, fs.readFileSync(path.join(SAMPLES, `${n}.annotations.json`), 'utf8')) }));
}

describe('the prompt', () => {
  it('carries docs/guidelines.md as it is (the generated module is in step with it)', () => {
    assert.equal(GUIDELINES_MARKDOWN, fs.readFileSync(path.join(REPO, 'docs', 'guidelines.md'), 'utf8').replace(/\r\n/g, '\n'));
  });

  it('takes examples verbatim from finished articles, in path order, with their spans as quotes and their relations', () => {
    const articles = samples();
    const examples = fewShotExamples(articles, { count: 2 });
    assert.deepEqual(examples.map((e) => e.file), ['000_fafa6f8612fe896a.txt', '001_928ec815419fdbae.txt']);
    for (const e of examples) {
      const source = articles.find((a) => a.file === e.file)!;
      assert.ok(source.text.startsWith(e.excerpt));
      assert.ok(e.answer.spans.length >= 3);
      for (const s of e.answer.spans) {
        assert.ok(e.excerpt.includes(s.quote), s.quote);
        assert.ok(s.context!.includes(s.quote.replace(/\s+/g, ' ')));
      }
      for (const r of e.answer.relations) assert.ok(r.from < e.answer.spans.length && r.to < e.answer.spans.length);
    }
    // not done: not an example
    const undone = articles.map((a) => ({ ...a, sidecar: { ...a.sidecar, status: 'in_progress' as const } }));
    assert.deepEqual(fewShotExamples(undone), []);
  });

  it('is deterministic and has its parts in order: how to answer, labels, relations, fields, guidelines, examples', () => {
    const spec = defaultPromptSpec(fewShotExamples(samples()));
    const a = systemPrompt(spec);
    assert.equal(a, systemPrompt(defaultPromptSpec(fewShotExamples(samples().reverse()))));
    const order = ['record_annotations', '## Labels', '- force: ', '## Relation types', '- outcome (allegation → sanction)', '## Coding-form fields', '- outcome (one of ', '## Guidelines', '# Annotation guidelines', '## Example 1 (an excerpt of 000_', '## Example 2'];
    let at = -1;
    for (const part of order) {
      const next = a.indexOf(part, at + 1);
      assert.ok(next > at, `${part} after the previous part`);
      at = next;
    }
    assert.match(PROMPT_VERSION, /\S/);
    assert.equal(userPrompt('Text.', { index: 0, count: 1 }), 'Annotate this article:\n"""\nText.\n"""');
    assert.match(userPrompt('Text.', { index: 1, count: 3 }), /part 2 of 3/);
  });
});

describe('suggestions from a model, window by window', () => {
  const spec = defaultPromptSpec();

  it('aligns each answer to its window, carries offsets back in code points, and counts what it drops', async () => {
    const text = '👮 Kent Police said PC Jane Doe was dismissed without notice for gross misconduct.';
    const queries: ModelQuery[] = [];
    const s = await suggestWithModel(text, {
      spec,
      ask: async (q) => {
        queries.push(q);
        return {
          spans: [
            { label: 'force', quote: 'Kent Police' },
            { label: 'sanction', quote: 'dismissed without notice', reason: 'the outcome' },
            { label: 'allegation', quote: 'gross misconduct' },
            { label: 'allegation', quote: 'stole a car' },
          ],
          relations: [
            { label: 'outcome', from: 2, to: 1 },
            { label: 'outcome', from: 3, to: 1 },
            { label: 'member', from: 2, to: 0 },
            { label: 'outcome', from: 2, to: 9 },
          ],
          fields: { outcome: { value: 'dismissal_without_notice', quote: 'dismissed without notice' }, force: { value: 'atlantis' }, weather: { value: 'rain' } },
        };
      },
    });
    assert.equal(queries.length, 1);
    assert.equal(queries[0].tool.name, 'record_annotations');
    const cps = [...text];
    assert.deepEqual(s.spans.map((x) => [x.label, cps.slice(x.start, x.end).join('')]), [
      ['force', 'Kent Police'],
      ['sanction', 'dismissed without notice'],
      ['allegation', 'gross misconduct'],
    ]);
    assert.equal(s.spans[0].start, 2);
    assert.equal(s.spans[1].reason, 'the outcome');
    assert.deepEqual(s.relations, [{ label: 'outcome', from: 2, to: 1 }]);
    assert.deepEqual(s.fields, [{ field: 'outcome', value: 'dismissal_without_notice', quote: 'dismissed without notice', start: s.spans[1].start, end: s.spans[1].end }]);
    assert.deepEqual(s.dropped.map((d) => `${d.kind} ${d.name}: ${d.reason}`).sort(), [
      'field force: "atlantis" is not one of the options',
      'field weather: not a field of the coding form',
      'relation member: does not link allegation to force',
      'relation outcome: an end is not a span of the answer',
      'relation outcome: an end was dropped',
      'span allegation: not found in the text',
    ]);
    assert.deepEqual(s.errors, []);
  });

  it('asks a long article in windows, merges a mention found in the overlap, and goes on past a failed window', async () => {
    const tight = { ...spec, guidelines: 'Tag.', fields: [] };
    const refused = await suggestWithModel('Some text.', { spec: tight, maxInputTokens: 100, ask: async () => ({ spans: [] }) });
    assert.match(refused.errors[0], /instructions alone take \d+ of the model's 100 input tokens/);

    const budget = 200;
    const maxInputTokens = estimateTokens(systemPrompt(tight)) + 64 + budget;
    const filler = Array.from({ length: 200 }, (_, i) => `Paragraph ${String(i).padStart(3, '0')} text.`);
    // a sentence repeated at the start of the next window: the same length as the fillers, so the windows stay where they are
    const ws = splitWindows(filler.join(' '), { maxTokens: budget });
    const shared = filler.findIndex((_, i) => i > 0 && ws.filter((w) => filler.join(' ').slice(w.start, w.end).includes(filler[i])).length === 2);
    assert.ok(shared > 0);
    filler[shared] = 'Then PC Doe sacked.';
    const text = filler.join(' ');
    const asked: ModelQuery[] = [];
    const r = await suggestWithModel(text, {
      spec: tight,
      maxInputTokens,
      ask: async (q) => {
        asked.push(q);
        if (q.window.index === q.window.count - 1) throw new Error('HTTP 500 from stub');
        const part = text.slice(q.window.start, q.window.end);
        // the first window to see the mention quotes less of it than the second
        const seen = asked.filter((a) => text.slice(a.window.start, a.window.end).includes('PC Doe')).length;
        const spans = part.includes('PC Doe') ? [{ label: 'sanction', quote: seen === 1 ? 'PC Doe' : 'PC Doe sacked' }] : [];
        return JSON.stringify({ spans });
      },
    });
    assert.equal(r.windows, ws.length);
    assert.equal(asked.filter((q) => q.user.includes('PC Doe')).length, 2);
    assert.deepEqual(r.spans.map((x) => text.slice(x.start, x.end)), ['PC Doe sacked']);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /^part \d+ of \d+: HTTP 500 from stub$/);
  });
});
