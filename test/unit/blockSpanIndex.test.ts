import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { IndexedSpan, SpanIndex } from '../../src/core/blockSpanIndex';
import { AnnotationDocument } from '../../src/core/annotationDocument';

/** The reference: AnnotationDocument's own (linear) edit following. */
function reference(text: string, spans: IndexedSpan[], edits: Array<[number, number, string]>): Array<[string, number, number]> {
  const doc = new AnnotationDocument('a.txt');
  let live = text;
  doc.load(
    { version: 1, article: { file: 'a.txt', sha256: '0'.repeat(64), length: text.length }, annotations: spans.map((s) => ({ id: s.id, label: 'force', start: s.start, end: s.end, text: text.slice(s.start, s.end), source: 'manual' as const, created: '2026-11-22T10:00:00Z' })) },
    text,
  );
  for (const [offset, length, inserted] of edits) {
    live = live.slice(0, offset) + inserted + live.slice(offset + length);
    doc.applyTextChanges([{ rangeOffset: offset, rangeLength: length, text: inserted }], (s, e) => live.slice(s, e), live.length);
  }
  return doc.all().map((s) => [s.id, s.start, s.end] as [string, number, number]).sort();
}

describe('block span index', () => {
  it('shifts, resizes and removes spans like the editor, for random edit sequences', () => {
    const textArb = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n'), minLength: 20, maxLength: 200 });
    fc.assert(
      fc.property(textArb, fc.array(fc.tuple(fc.nat(), fc.nat(12)), { minLength: 1, maxLength: 80 }), // inserted text never re-creates a deleted span's text, which the editor treats as an undo
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ unit: fc.constantFrom('x', 'y'), maxLength: 4 })), { maxLength: 20 }), (text, rawSpans, rawEdits) => {
        const spans = rawSpans.map(([s, l], i) => {
          const start = s % (text.length - 1);
          return { id: `s${i}`, start, end: Math.min(text.length, start + 1 + l) };
        });
        let length = text.length;
        const edits: Array<[number, number, string]> = rawEdits.map(([o, l, ins]) => {
          const offset = o % (length + 1);
          // (an edit replacing nearly the whole text makes the editor re-anchor by quote instead)
          const len = Math.min(l, length - offset, Math.floor(length * 0.5));
          length += ins.length - len;
          return [offset, len, ins];
        });
        const index = new SpanIndex(spans);
        for (const [offset, len, ins] of edits) index.applyChange(offset, len, ins.length);
        const got = index.all().map((s) => [s.id, s.start, s.end] as [string, number, number]).sort();
        assert.deepEqual(got, reference(text, spans, edits));
      }),
      { numRuns: 10000 },
    );
  });

  it('returns the spans whose whole text was deleted', () => {
    const index = new SpanIndex([{ id: 'a', start: 5, end: 10 }, { id: 'b', start: 20, end: 25 }]);
    assert.deepEqual(index.applyChange(4, 7, 0), [{ id: 'a', start: 5, end: 10 }]);
    assert.deepEqual(index.all(), [{ id: 'b', start: 13, end: 18 }]);
    assert.deepEqual(index.inRange(14, 15), [{ id: 'b', start: 13, end: 18 }]);
  });
});
