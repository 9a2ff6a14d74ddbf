import * as assert from 'node:assert/strict';
import { AnnotationDocument, TextChange } from '../../src/core/annotationDocument';
import { mergeSidecars } from '../../src/core/merge';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { sha256Hex } from '../../src/core/article';
import { Sidecar } from '../../src/core/schema';

const TEXT = 'Kent Police dismissed PC Jones 👮 for gross misconduct.';

function docWith(...spans: Array<[number, number, string]>): { doc: AnnotationDocument; text: () => string; edit: (c: TextChange) => void } {
  let text = TEXT;
  const doc = new AnnotationDocument('a.txt', 'tester');
  doc.add((s, e) => text.slice(s, e), spans.map(([start, end, label]) => ({ start, end, label })));
  return {
    doc,
    text: () => text,
    edit: (c) => {
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      doc.applyTextChanges([c], (s, e) => text.slice(s, e), text.length);
    },
  };
}

const quotes = (doc: AnnotationDocument, text: string) => doc.all().map((s) => text.slice(s.start, s.end));

describe('annotation document', () => {
  it('records the author and source of new annotations, and skips exact duplicates', () => {
    const { doc, text } = docWith([0, 11, 'force'], [0, 11, 'force'], [0, 11, 'allegation']);
    assert.equal(doc.size, 2);
    const sidecar = doc.toSidecar(text(), sha256Hex(text()));
    assert.deepEqual(sidecar.annotations.map((a) => [a.label, a.author, a.source]), [
      ['allegation', 'tester', 'manual'],
      ['force', 'tester', 'manual'],
    ]);
  });

  it('writes code point offsets after an emoji, and reads them back to the same text', () => {
    const { doc, text } = docWith([34, 54, 'allegation']);
    const sidecar = doc.toSidecar(text(), sha256Hex(text()));
    assert.deepEqual([sidecar.annotations[0].start, sidecar.annotations[0].end, sidecar.annotations[0].text], [33, 53, 'for gross misconduct']);
    const roundTrip = parseSidecar('x', serializeSidecar(sidecar));
    const again = new AnnotationDocument('a.txt');
    again.load(roundTrip, text());
    assert.deepEqual(quotes(again, text()), ['for gross misconduct']);
  });

  it('undoes and redoes annotation operations as single steps', () => {
    const { doc } = docWith([0, 11, 'force'], [12, 21, 'sanction']);
    const id = doc.all()[0].id;
    doc.relabel(id, 'allegation');
    doc.remove([id]);
    assert.equal(doc.size, 1);
    doc.undo();
    assert.equal(doc.get(id)?.label, 'allegation');
    doc.undo();
    assert.equal(doc.get(id)?.label, 'force');
    doc.undo();
    assert.equal(doc.size, 0, 'adding both was one step');
    doc.redo();
    assert.equal(doc.size, 2);
  });

  it('reports which labels changed, so only those are redrawn', () => {
    const { doc } = docWith([0, 11, 'force'], [12, 21, 'sanction']);
    const seen: string[][] = [];
    doc.onDidChange((e) => seen.push([...e.labels]));
    doc.setNote(doc.all()[1].id, 'dismissed at a hearing');
    assert.deepEqual(seen, [['sanction']]);
  });

  describe('following text edits', () => {
    it('shifts a span when text is inserted at its start, and leaves it when inserted at its end', () => {
      const { doc, text, edit } = docWith([12, 21, 'sanction']);
      edit({ rangeOffset: 12, rangeLength: 0, text: 'summarily ' });
      edit({ rangeOffset: 31, rangeLength: 0, text: '!' });
      assert.deepEqual(quotes(doc, text()), ['dismissed']);
    });

    it('grows a span when text is typed inside it', () => {
      const { doc, text, edit } = docWith([0, 11, 'force']);
      edit({ rangeOffset: 5, rangeLength: 0, text: 'County ' });
      assert.deepEqual(quotes(doc, text()), ['Kent County Police']);
    });

    it('trims a span to the text that survives a partial deletion', () => {
      const { doc, text, edit } = docWith([0, 11, 'force']);
      edit({ rangeOffset: 0, rangeLength: 5, text: '' });
      assert.deepEqual(quotes(doc, text()), ['Police']);
    });

    it('removes a span whose whole text is deleted and returns it', () => {
      const { doc, text } = docWith([12, 21, 'sanction']);
      const t = text();
      const next = t.slice(0, 12) + t.slice(22);
      const outcome = doc.applyTextChanges([{ rangeOffset: 12, rangeLength: 10, text: '' }], (s, e) => next.slice(s, e), next.length);
      assert.equal(outcome.removed.length, 1);
      assert.equal(doc.size, 0);
    });

    it('brings a removed span back when the deletion is undone', () => {
      const { doc, text, edit } = docWith([12, 21, 'sanction']);
      const before = text();
      edit({ rangeOffset: 12, rangeLength: 10, text: '' });
      assert.equal(doc.size, 0);
      edit({ rangeOffset: 12, rangeLength: 0, text: before.slice(12, 22) });
      assert.deepEqual(quotes(doc, text()), ['dismissed']);
    });

    it('re-anchors by quote when a formatter replaces the whole document', () => {
      const { doc, text } = docWith([0, 11, 'force'], [12, 21, 'sanction']);
      const old = text();
      const next = '  ' + old.replace('PC Jones', 'Police Constable Jones') + '\n';
      const outcome = doc.applyTextChanges([{ rangeOffset: 0, rangeLength: old.length, text: next }], (s, e) => next.slice(s, e), next.length);
      assert.ok(outcome.reanchored);
      assert.deepEqual(quotes(doc, next), ['Kent Police', 'dismissed']);
    });
  });
});

describe('merging sidecars changed on both sides', () => {
  const base: Sidecar = {
    version: 1,
    article: { file: 'a.txt', sha256: 'a'.repeat(64), length: 54 },
    annotations: [
      { id: 'a-1', label: 'force', start: 0, end: 11, text: 'Kent Police', source: 'manual', created: '2026-11-22T10:00:00Z' },
      { id: 'a-2', label: 'sanction', start: 12, end: 21, text: 'dismissed', source: 'manual', created: '2026-11-22T10:00:00Z' },
    ],
  };
  const clone = (): Sidecar => JSON.parse(JSON.stringify(base));

  it('merges changes to different annotations', () => {
    const mine = clone();
    mine.annotations[0].note = 'mine';
    const theirs = clone();
    theirs.annotations.splice(1, 1);
    const { merged, conflicts } = mergeSidecars(base, mine, theirs);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(merged.annotations.map((a) => [a.id, a.note]), [['a-1', 'mine']]);
  });

  it('reports a conflict when both sides changed the same annotation differently', () => {
    const mine = clone();
    mine.annotations[1].label = 'allegation';
    const theirs = clone();
    theirs.annotations[1].note = 'theirs';
    assert.deepEqual(mergeSidecars(base, mine, theirs).conflicts, ['a-2']);
  });

  it('keeps annotations added on both sides', () => {
    const mine = clone();
    mine.annotations.push({ ...base.annotations[0], id: 'a-3', start: 22, end: 30, text: 'PC Jones', label: 'rank' });
    const theirs = clone();
    theirs.annotations.push({ ...base.annotations[0], id: 'a-4', start: 35, end: 40, text: 'gross', label: 'allegation' });
    assert.deepEqual(mergeSidecars(base, mine, theirs).merged.annotations.map((a) => a.id).sort(), ['a-1', 'a-2', 'a-3', 'a-4']);
  });
});
