import * as assert from 'node:assert/strict';
import { alignQuotes, splitWindows } from '../../src/core/model';
import { OffsetMap } from '../../src/core/offsets';

const span = (quote: string, label = 'allegation', context?: string) => ({ label, quote, ...(context ? { context } : {}) });
const placed = (text: string, quotes: Array<ReturnType<typeof span>>) => alignQuotes(text, quotes).placed.map((p) => p && [text.slice(p.start, p.end), p.method]);

describe('aligning model quotes to the text', () => {
  it('finds a quote exactly, then normalised (white space, case, curly quotes, dashes), mapping back to the original', () => {
    const text = 'The officer\u2019s   conduct \u2014 \u201cgross misconduct\u201d \u2014 was\nproven.';
    assert.deepEqual(placed(text, [span('conduct'), span("THE OFFICER'S CONDUCT - \"GROSS"), span('was proven')]), [
      ['conduct', 'exact'],
      ['The officer\u2019s   conduct \u2014 \u201cgross', 'normalised'],
      ['was\nproven', 'normalised'],
    ]);
  });

  it('finds a misspelt quote fuzzily above the threshold, and drops a paraphrase as not found', () => {
    const text = 'He was found to have committed gross misconduct by the panel.';
    const r = alignQuotes(text, [span('grss misconduct'), span('behaved very badly indeed')]);
    const p = r.placed[0]!;
    assert.equal(text.slice(p.start, p.end), 'gross misconduct');
    assert.equal(p.method, 'fuzzy');
    assert.ok(p.similarity >= 0.8 && p.similarity < 1);
    assert.equal(r.placed[1], undefined);
    assert.deepEqual(r.dropped, [{ index: 1, label: 'allegation', quote: 'behaved very badly indeed', reason: 'not found in the text' }]);
  });

  it('places a quote that occurs twice by its context, else by answer order, and drops one repeated beyond its occurrences', () => {
    const text = 'PC Smith was dismissed. A colleague was not. PC Smith was dismissed, the panel said.';
    const second = text.lastIndexOf('PC Smith was dismissed');
    const byContext = alignQuotes(text, [span('PC Smith was dismissed', 'sanction', 'PC Smith was dismissed, the panel said')]);
    assert.equal(byContext.placed[0]!.start, second);
    const byOrder = alignQuotes(text, [span('dismissed', 'sanction'), span('dismissed', 'sanction'), span('dismissed', 'sanction')]);
    assert.deepEqual(byOrder.placed.map((p) => p?.start), [text.indexOf('dismissed'), text.lastIndexOf('dismissed'), undefined]);
    assert.equal(byOrder.dropped[0].reason, 'repeated');
  });

  it('leaves out the spaces a model put around a quote', () => {
    const text = 'said Kent Police on Friday';
    const p = alignQuotes(text, [span(' Kent Police ', 'force')]).placed[0]!;
    assert.equal(text.slice(p.start, p.end), 'Kent Police');
  });

  it('prefers a whole word to the same letters inside a longer one', () => {
    const text = 'The Metropolitan Police, or the Met, said.';
    const p = alignQuotes(text, [span('Met', 'force')]).placed[0]!;
    assert.equal(p.start, text.indexOf('Met,'));
  });

  it('drops a span of a label not configured, and counts it', () => {
    const r = alignQuotes('Kent Police', [span('Kent Police', 'weather')], { labels: new Set(['force']) });
    assert.deepEqual(r.dropped.map((d) => d.reason), ['unknown label']);
  });

  it('gives UTF-16 offsets that an OffsetMap turns into code points on emoji, CRLF and BOM texts', () => {
    for (const text of ['\ufeff👮 Police Scotland said PC 👩‍⚖️ Doe was dismissed.', 'Police Scotland\r\nsaid PC Doe\r\nwas dismissed.', '👮👮 Police Scotland: dismissed 😀']) {
      const map = new OffsetMap(text);
      const r = alignQuotes(text, [span('dismissed', 'sanction'), span('police scotland', 'force')]);
      for (const p of r.placed) {
        assert.ok(p);
        const [s, e] = [map.toCodePoint(p.start), map.toCodePoint(p.end)];
        assert.equal([...text].slice(s, e).join(''), text.slice(p.start, p.end));
      }
    }
    const crlf = 'said PC Doe\r\nwas dismissed';
    const p = alignQuotes(crlf, [span('PC Doe was dismissed')]).placed[0]!;
    assert.equal(crlf.slice(p.start, p.end), 'PC Doe\r\nwas dismissed');
  });
});

describe('windows of a long article', () => {
  const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something about the officer.`);
  const text = sentences.join(' ');

  it('keeps a short article whole', () => {
    assert.deepEqual(splitWindows('Short.', { maxTokens: 100 }), [{ start: 0, end: 6 }]);
  });

  it('cuts after sentences within the budget, each window overlapping the previous, covering the whole text', () => {
    const count = (s: string) => s.split(/\s+/).filter(Boolean).length;
    const ws = splitWindows(text, { maxTokens: 50, countTokens: count, overlapTokens: 10 });
    assert.ok(ws.length > 5);
    assert.equal(ws[0].start, 0);
    assert.equal(ws[ws.length - 1].end, text.length);
    for (let i = 0; i < ws.length; i++) {
      assert.ok(count(text.slice(ws[i].start, ws[i].end)) <= 50);
      assert.ok(/^Sentence/.test(text.slice(ws[i].start)), 'starts at a sentence');
      if (i) assert.ok(ws[i].start < ws[i - 1].end && ws[i].start > ws[i - 1].start, 'overlaps and advances');
    }
  });

  it('cuts a sentence longer than the budget at spaces, never inside a surrogate pair', () => {
    const long = Array.from({ length: 200 }, () => '👮 word').join(' ');
    const ws = splitWindows(long, { maxTokens: 30 });
    assert.equal(ws[ws.length - 1].end, long.length);
    for (const w of ws) {
      const c = long.charCodeAt(w.end - 1);
      assert.ok(!(c >= 0xd800 && c <= 0xdbff));
    }
  });
});
