/**
 * Example-based tests of re-anchoring: each rule of src/core/reanchor.ts on a small article, and
 * one large document for speed. The generated tests are in fuzzReanchor.test.ts.
 */
import * as assert from 'node:assert/strict';
import { makeAnnotation, quoteAt } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { reanchorAnnotations } from '../../src/core/reanchor';
import { Annotation } from '../../src/core/schema';

const CREATED = '2026-11-22T10:00:00Z';

/** Annotations on `text` for each quoted occurrence (the n-th when given), in code points. */
function annotate(text: string, ...quotes: Array<string | [string, number]>): Annotation[] {
  const map = new OffsetMap(text);
  return quotes.map((q, i) => {
    const [quote, nth] = typeof q === 'string' ? [q, 0] : q;
    let at = -1;
    for (let k = 0; k <= nth; k++) at = text.indexOf(quote, at + 1);
    assert.ok(at >= 0, `no ${quote} in the text`);
    const start = map.toCodePoint(at);
    return makeAnnotation(map, start, start + [...quote].length, 'force', { id: `a${i}`, created: CREATED });
  });
}

/** Where each annotation landed: its quote in the new text, or "orphan". */
function outcome(annotations: Annotation[], text: string): Array<string> {
  const map = new OffsetMap(text);
  const r = reanchorAnnotations(annotations, map);
  assert.equal(r.annotations.length, annotations.length, 'never dropped');
  return r.annotations.map((a) => {
    if (a.orphaned) return 'orphan';
    assert.equal(map.slice(a.start, a.end), a.text);
    return `${a.text}@${a.start}`;
  });
}

const ARTICLE =
  'PC Smith of Kent Police was dismissed without notice after a gross misconduct hearing.\n\n' +
  'The panel found that PC Smith had lied. A Kent Police spokesperson said the force accepted the outcome.\n';

describe('re-anchoring: examples', () => {
  it('keeps every annotation where it is when the text is unchanged', () => {
    const anns = annotate(ARTICLE, 'Kent Police', 'dismissed', ['PC Smith', 1]);
    const r = reanchorAnnotations(anns, new OffsetMap(ARTICLE));
    assert.equal(r.unchanged, 3);
    assert.deepEqual(
      r.annotations.map((a) => [a.start, a.end]),
      anns.map((a) => [a.start, a.end]),
    );
  });

  it('follows text inserted and deleted elsewhere, exactly', () => {
    const anns = annotate(ARTICLE, 'Kent Police', 'gross misconduct', 'lied');
    const next = 'UPDATED 3 May: ' + ARTICLE.replace(' without notice', '').replace('The panel', 'The three-member panel');
    assert.deepEqual(outcome(anns, next), [`Kent Police@${next.indexOf('Kent Police')}`, `gross misconduct@${next.indexOf('gross')}`, `lied@${next.indexOf('lied')}`]);
  });

  it('tells repeated quotes apart by their context', () => {
    const anns = annotate(ARTICLE, ['PC Smith', 1], ['Kent Police', 1]);
    const next = 'Correction appended.\n' + ARTICLE;
    assert.deepEqual(outcome(anns, next), [`PC Smith@${next.lastIndexOf('PC Smith')}`, `Kent Police@${next.lastIndexOf('Kent Police')}`]);
  });

  it('tells repeated quotes apart by position when edits blurred the context of the right one', () => {
    // the second "PC Smith" loses its context on both sides; the first keeps its own, so the
    // second is still the only occurrence between its neighbours
    const anns = annotate(ARTICLE, 'dismissed', ['PC Smith', 1], 'spokesperson');
    const next = ARTICLE.replace('The panel found that PC Smith had lied', 'It was found that PC Smith lied');
    assert.deepEqual(outcome(anns, next), [`dismissed@${next.indexOf('dismissed')}`, `PC Smith@${next.lastIndexOf('PC Smith')}`, `spokesperson@${next.indexOf('spokesperson')}`]);
  });

  it('orphans spans in a duplicated paragraph instead of guessing a copy', () => {
    const middle = 'The panel heard that the officer had misled colleagues about the incident on two separate occasions before the hearing in March.';
    const text = `${ARTICLE}\n${middle}\n\nThe officer has 28 days to appeal.\n`;
    const anns = annotate(text, 'dismissed', 'colleagues', 'incident', 'appeal');
    const next = text.replace(middle, `${middle}\n\n${middle}`);
    // "colleagues" and "incident" have their whole context in both copies, and both copies are consistent
    // with the neighbours (one moved with "dismissed", the other with "appeal"): ambiguous
    assert.deepEqual(outcome(anns, next), [`dismissed@${next.indexOf('dismissed')}`, 'orphan', 'orphan', `appeal@${next.indexOf('appeal')}`]);
  });

  it('places a span at the edge of a duplicated paragraph where its context survives', () => {
    // the copy went after the paragraph: only the first copy is still preceded by the old prefix
    const [first, second] = ARTICLE.trimEnd().split('\n\n');
    const anns = annotate(ARTICLE, 'panel');
    const next = `${first}\n\n${second}\n\n${second}\n`;
    assert.deepEqual(outcome(anns, next), [`panel@${next.indexOf('panel')}`]);
  });

  it('keeps an annotation whose quote was deleted, orphaned, with its quote and context, inside the text', () => {
    const anns = annotate(ARTICLE, 'gross misconduct', 'spokesperson');
    const next = ARTICLE.replace('after a gross misconduct hearing', 'after a hearing').slice(0, 120);
    const r = reanchorAnnotations(anns, new OffsetMap(next));
    assert.equal(r.orphaned.length, 2);
    for (const [i, a] of r.annotations.entries()) {
      assert.equal(a.orphaned, true);
      assert.equal(a.text, anns[i].text);
      assert.equal(a.prefix, anns[i].prefix);
      assert.ok(a.start <= a.end && a.end <= [...next].length, 'offsets clamped into the text');
    }
  });

  it('brings an orphan back when its text returns, and clears the flag', () => {
    const anns = annotate(ARTICLE, 'gross misconduct');
    const cut = ARTICLE.replace('gross misconduct ', '');
    const orphan = reanchorAnnotations(anns, new OffsetMap(cut)).annotations[0];
    assert.equal(orphan.orphaned, true);
    const back = reanchorAnnotations([orphan], new OffsetMap(ARTICLE)).annotations[0];
    assert.equal(back.orphaned, undefined);
    assert.deepEqual([back.start, back.end], [anns[0].start, anns[0].end]);
  });

  it('follows a paragraph that moved (complete context), and refreshes quote and context', () => {
    const [first, second] = ARTICLE.trimEnd().split('\n\n');
    const anns = annotate(ARTICLE, 'spokesperson', 'dismissed');
    const next = `${second}\n\n${first}\n`;
    const r = reanchorAnnotations(anns, new OffsetMap(next));
    const map = new OffsetMap(next);
    for (const a of r.annotations) {
      assert.equal(a.orphaned, undefined);
      assert.deepEqual({ text: a.text, prefix: a.prefix, suffix: a.suffix }, quoteAt(map, a.start, a.end));
    }
    assert.equal(r.moved, 2);
  });

  it('counts code points around emoji and astral characters', () => {
    const text = '🚓 PC Smith 👮 of Kent Police 🙂 was dismissed.';
    const anns = annotate(text, 'Kent Police', 'dismissed');
    const next = '📰📰 ' + text;
    const r = reanchorAnnotations(anns, new OffsetMap(next));
    assert.deepEqual(r.annotations.map((a) => [a.start, a.end]), anns.map((a) => [a.start + 3, a.end + 3]));
  });

  it('works without recorded context (hand-written sidecars): unique quotes by themselves, repeated ones by position', () => {
    const anns: Annotation[] = [
      { id: 'x', label: 'force', start: 12, end: 23, text: 'Kent Police', source: 'manual', created: CREATED },
      { id: 'y', label: 'sanction', start: 28, end: 37, text: 'dismissed', source: 'manual', created: CREATED },
    ];
    const next = 'UPDATE. ' + ARTICLE;
    // "dismissed" is unique; the first "Kent Police" is the only one between the text's start and
    // "dismissed", and moved by as much as "dismissed" did
    assert.deepEqual(outcome(anns, next), [`Kent Police@${next.indexOf('Kent Police')}`, `dismissed@${next.indexOf('dismissed')}`]);
    // with neither context nor offsets, a repeated quote is not guessed
    assert.deepEqual(outcome(anns.map((a) => ({ ...a, start: 0, end: 0 })), next), ['orphan', `dismissed@${next.indexOf('dismissed')}`]);
  });

  it('works without old offsets (a formatter replaced the whole document in the editor)', () => {
    const anns = annotate(ARTICLE, 'dismissed', 'lied', ['Kent Police', 1]).map((a) => ({ ...a, start: 0, end: 0 }));
    const next = ARTICLE.replace(/\n\n/g, '\r\n\r\n');
    assert.deepEqual(outcome(anns, next), [`dismissed@${next.indexOf('dismissed')}`, `lied@${next.indexOf('lied')}`, `Kent Police@${next.lastIndexOf('Kent Police')}`]);
  });

  it('re-anchors 10,000 spans in a large document after random edits exactly', function () {
    this.timeout(20_000);
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const words = ARTICLE.match(/\S+/g)!;
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++) parts.push(rand() < 0.3 ? words[Math.floor(rand() * words.length)] : `w${Math.floor(rand() * 1e6).toString(36)}`);
    const text = parts.join(' ');
    const map = new OffsetMap(text);
    const anns: Annotation[] = [];
    let at = 0;
    for (let i = 0; i < 10_000; i++) {
      at = text.indexOf(' ', at + 40 + Math.floor(rand() * 20)) + 1;
      const end = text.indexOf(' ', at);
      anns.push(makeAnnotation(map, at, end, 'force', { id: `s${i}`, created: CREATED }));
    }
    // 200 random insertions and deletions, right to left so old offsets stay valid while editing
    const edits = Array.from({ length: 200 }, () => [Math.floor(rand() * text.length), rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 30)]).sort((a, b) => b[0] - a[0]);
    let next = text;
    let prevAt = Infinity;
    const kept: number[][] = [];
    for (const [p, del] of edits) {
      if (p + del >= prevAt) continue;
      next = next.slice(0, p) + (del ? '' : 'inserted words ') + next.slice(p + del);
      kept.push([p, del]);
      prevAt = p;
    }
    // its speed is the bench's reanchor-vs-approx row: a time limit here would depend on the machine
    const r = reanchorAnnotations(anns, new OffsetMap(next), { oldLength: map.length });
    let found = 0;
    let intact = 0;
    anns.forEach((a, i) => {
      let shift = 0;
      for (const [p, del] of kept) {
        if (p >= a.end) continue;
        if (p + del <= a.start && !(del === 0 && p > a.start)) shift += del ? -del : 15;
        else return;
      }
      intact++;
      const b = r.annotations[i];
      if (b.orphaned) return;
      assert.deepEqual([b.start, b.end], [a.start + shift, a.end + shift], `span ${a.id} misplaced`);
      found++;
    });
    assert.ok(found >= intact * 0.99, `found ${found} of ${intact}`);
  });
});
