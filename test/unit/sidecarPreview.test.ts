import * as assert from 'node:assert/strict';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Sidecar } from '../../src/core/schema';
import { parseSidecar } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { previewSpans, sidecarHead } from '../../src/core/sidecarPreview';

// emoji and CRLF before the spans: code point offsets in the file, UTF-16 in the editor
const TEXT = '😀 Met Police\r\nPC Jones of Kent Police was 👮 dismissed.\r\nThe IOPC found gross misconduct.';

function sidecarFor(text: string, spans: Array<[string, string]>, extra: Partial<Sidecar> = {}): string {
  const map = new OffsetMap(text);
  const annotations = spans.map(([quote, label]) => {
    const at = text.indexOf(quote);
    return makeAnnotation(map, map.toCodePoint(at), map.toCodePoint(at + quote.length), label);
  });
  return serializeSidecar({ version: 1, article: { file: 'a.txt', sha256: '0'.repeat(64), length: map.length }, annotations, ...extra });
}

const SPANS: Array<[string, string]> = [
  ['Met Police', 'force'],
  ['PC Jones', 'officer'],
  ['Kent Police', 'force'],
  ['dismissed', 'sanction'],
  ['IOPC', 'body'],
  ['gross misconduct', 'allegation'],
];

const quotes = (text: string, spans: Array<{ start: number; end: number; label: string }>) => spans.map((s) => [text.slice(s.start, s.end), s.label]);

describe('sidecar preview (the first spans of a long sidecar, before the full load)', () => {
  it('gives the spans before a point with UTF-16 offsets, the same the full load gives', () => {
    const json = sidecarFor(TEXT, SPANS);
    assert.deepEqual(quotes(TEXT, previewSpans(json, TEXT, TEXT.length)), SPANS);
    const map = new OffsetMap(TEXT);
    const full = parseSidecar('a.txt.annotations.json', json).annotations.map((a) => ({ label: a.label, start: map.toUtf16(a.start), end: map.toUtf16(a.end) }));
    assert.deepEqual(previewSpans(json, TEXT, TEXT.length), full);
    // only what starts before the point
    assert.deepEqual(quotes(TEXT, previewSpans(json, TEXT, TEXT.indexOf('dismissed'))), SPANS.slice(0, 3));
    // at most `limit` annotations read
    assert.equal(previewSpans(json, TEXT, TEXT.length, 2).length, 2);
  });

  it('works on a prefix of the text: a span running past it is left to the full load', () => {
    const json = sidecarFor(TEXT, SPANS);
    const prefix = TEXT.slice(0, TEXT.indexOf('Kent Police') + 4);
    assert.deepEqual(quotes(TEXT, previewSpans(json, prefix, prefix.length)), SPANS.slice(0, 2));
  });

  it('shows nothing misplaced when the article changed since the sidecar was written', () => {
    const json = sidecarFor(TEXT, SPANS);
    const edited = 'Breaking: ' + TEXT;
    assert.deepEqual(previewSpans(json, edited, edited.length), []);
    // a change after some spans: those before it still match, the ones after are left out
    const later = TEXT.replace('IOPC', 'I.O.P.C.');
    assert.deepEqual(quotes(later, previewSpans(json, later, later.length)), SPANS.slice(0, 4));
  });

  it('leaves out orphans and gives nothing for a layout it does not know (another tool, minified, broken)', () => {
    const json = sidecarFor(TEXT, SPANS);
    const parsed = JSON.parse(json);
    parsed.annotations[0].orphaned = true;
    assert.deepEqual(quotes(TEXT, previewSpans(JSON.stringify(parsed, null, 2) + '\n', TEXT, TEXT.length)), SPANS.slice(1));
    assert.deepEqual(previewSpans(JSON.stringify(JSON.parse(json)), TEXT, TEXT.length), []);
    assert.deepEqual(previewSpans('{\n  "annotations": [\n    {\n      "start": oops\n    }\n  ]\n}', TEXT, TEXT.length), []);
    assert.deepEqual(previewSpans('<<<<<<< ours\n', TEXT, TEXT.length), []);
  });

  it('works from the head of the file’s bytes, cut anywhere (even inside a character): a prefix of the spans', () => {
    const json = sidecarFor(TEXT, SPANS.map(([q, l]) => [q, `${l}-é😀`] as [string, string]));
    const bytes = new TextEncoder().encode(json);
    const all = previewSpans(json, TEXT, TEXT.length);
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      const some = previewSpans(sidecarHead(bytes, cut), TEXT, TEXT.length);
      assert.deepEqual(some, all.slice(0, some.length), `cut at ${cut}`);
    }
    assert.deepEqual(previewSpans(sidecarHead(bytes, bytes.length), TEXT, TEXT.length), all);
  });

  it('takes labels as data (a label named __proto__ is just a label)', () => {
    const json = sidecarFor(TEXT, [['Met Police', '__proto__']]);
    assert.deepEqual(quotes(TEXT, previewSpans(json, TEXT, TEXT.length)), [['Met Police', '__proto__']]);
  });
});
