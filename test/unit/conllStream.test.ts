/**
 * The CoNLL writer streams a long article a block of text at a time; what it writes (lines, tags,
 * warnings) must be exactly what tokenising the whole text at once gives.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkProperty, checkPropertyAsync } from './property';
import { conllChunks, conllStream, conllToken, DOCSTART } from '../../src/core/export/conll';
import { ExportArticle, ExportWarning, StreamedExportArticle } from '../../src/core/export/types';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation } from '../../src/core/schema';
import { bioTags, sentences } from '../../src/core/tokens';

/** The whole-text reference: every token at once (what the writer did before it streamed). */
function reference(a: ExportArticle): { text: string; kinds: string[] } {
  const sents = sentences(a.text);
  const tokens = sents.flatMap((s) => s.tokens);
  const spans = a.spans.map((s) => ({ start: a.map.toUtf16(s.start), end: a.map.toUtf16(s.end), label: s.label }));
  const { tags, dropped } = bioTags(tokens, spans);
  let out = DOCSTART;
  let i = 0;
  const kinds: string[] = dropped.map((d) => (tokens.some((t) => t.start < d.end && t.end > d.start) ? 'overlap' : 'no-token'));
  for (const s of sents) {
    if (tags[i]?.startsWith('I-')) kinds.push('crosses-sentence');
    for (const t of s.tokens) out += `${conllToken(t.text)} -X- _ ${tags[i++]}\n`;
    out += '\n';
  }
  return { text: out, kinds };
}

function article(text: string, ranges: Array<[number, number, string]>): ExportArticle {
  const map = new OffsetMap(text);
  const spans: Annotation[] = ranges
    .filter(([s, e]) => s < e && e <= map.length)
    .map(([start, end, label], n) => ({ id: `a${n}`, label, start, end, text: '', source: 'manual', created: '2026-01-01T00:00:00Z' }));
  spans.sort((x, y) => x.start - y.start || x.end - y.end);
  return { id: 'a.txt', text, map, sha256: '', status: 'done', spans, relations: [], document: {} };
}

function streamed(a: ExportArticle): { text: string; kinds: string[] } {
  const warnings: ExportWarning[] = [];
  const chunks = [...conllChunks(a, (w) => warnings.push(w))];
  return { text: chunks.join(''), kinds: warnings.map((w) => w.kind) };
}

/** `a` with its text read in pieces cut at `cuts` (as conllStream gets it from disk). */
async function fromPieces(a: ExportArticle, cuts: number[]): Promise<{ text: string; warnings: ExportWarning[] }> {
  const at = [...new Set(cuts.map((c) => c % (a.text.length + 1)))].sort((x, y) => x - y);
  const streamedArticle: StreamedExportArticle = {
    ...a,
    async *text() {
      let from = 0;
      for (const to of [...at, a.text.length]) {
        if (to > from) yield a.text.slice(from, to);
        from = to;
      }
    },
    toUtf16: (cp) => a.map.toUtf16(cp),
  };
  const warnings: ExportWarning[] = [];
  let text = '';
  for await (const chunk of conllStream(streamedArticle, (w) => warnings.push(w))) text += chunk;
  return { text, warnings };
}

const SENTENCE = ['Sgt. Smith of the Met was dismissed.', 'He said: "No!" (again)', 'Officers’ pay fell 1,500 £.', 'Mr. Jones? Yes.\n', 'It was 😀 a breach of Standards.', '\n\n'];

describe('CoNLL export of long articles (streamed)', () => {
  it('writes a long single-line article in many chunks, the same as the whole text at once', () => {
    const parts: string[] = [];
    for (let i = 0, length = 0; length < 400_000; i++) {
      parts.push(SENTENCE[i % 5].replace('\n', ''));
      length += parts[i].length + 1;
    }
    const text = parts.join(' ');
    const ranges: Array<[number, number, string]> = [];
    for (let s = 3; s < 390_000; s += 997) ranges.push([s, s + 40 + (s % 300), s % 2 ? 'force' : 'sanction']);
    const a = article(text, ranges);
    const chunks = [...conllChunks(a, () => undefined)];
    assert.ok(chunks.length > 5, `streamed in chunks (${chunks.length})`);
    const ref = reference(a);
    const got = streamed(a);
    assert.equal(got.text, ref.text);
    assert.deepEqual([...got.kinds].sort(), [...ref.kinds].sort());
  });

  it('agrees with the whole-text tokenisation on generated texts and spans', () => {
    checkProperty(
      fc.property(
        fc.array(fc.constantFrom(...SENTENCE, ' ', 'x'.repeat(70_000), '.'), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(200_000), fc.nat(80_000), fc.constantFrom('force', 'allegation')), { maxLength: 30 }),
        (pieces, raw) => {
          const text = pieces.join(' ');
          const a = article(text, raw.map(([s, len, l]) => [s % (text.length + 1), (s % (text.length + 1)) + len, l]));
          const ref = reference(a);
          const got = streamed(a);
          assert.equal(got.text, ref.text);
          assert.deepEqual([...got.kinds].sort(), [...ref.kinds].sort());
        },
      ),
      60,
    );
  });

  it('writes the same from a text read in pieces as from the whole text, lines and warnings', async function () {
    this.timeout(60_000);
    await checkPropertyAsync(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...SENTENCE, ' ', 'x'.repeat(20_000), '😀 '.repeat(3000), '.'), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(120_000), fc.nat(30_000), fc.constantFrom('force', 'allegation')), { maxLength: 30 }),
        fc.array(fc.nat(150_000), { maxLength: 40 }),
        async (pieces, raw, cuts) => {
          const text = pieces.join(' ');
          const a = article(text, raw.map(([s, len, l]) => [s % (text.length + 1), (s % (text.length + 1)) + len, l]));
          const whole: ExportWarning[] = [];
          const expected = [...conllChunks(a, (w) => whole.push(w))].join('');
          const got = await fromPieces(a, cuts);
          assert.equal(got.text, expected);
          assert.deepEqual(got.warnings, whole);
        },
      ),
      60,
    );
  });
});
