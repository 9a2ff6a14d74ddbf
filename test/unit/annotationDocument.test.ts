import * as assert from 'node:assert/strict';
import { AnnotationDocument, EditOutcome, TextChange } from '../../src/core/annotationDocument';
import { rehearseTag } from '../../src/extension/commands/rehearseTag';
import { mergeSidecars } from '../../src/core/merge';
import { parseSidecar } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { sha256Hex } from '../../src/core/article';
import { Sidecar } from '../../src/core/schema';

const TEXT = 'Kent Police dismissed PC Jones 👮 for gross misconduct.';

function docWith(...spans: Array<[number, number, string]>): {
  doc: AnnotationDocument;
  text: () => string;
  edit: (c: TextChange, reason?: 'undo' | 'redo', external?: boolean) => EditOutcome;
} {
  let text = TEXT;
  const doc = new AnnotationDocument('a.txt', 'tester');
  doc.add((s, e) => text.slice(s, e), spans.map(([start, end, label]) => ({ start, end, label })));
  return {
    doc,
    text: () => text,
    edit: (c, reason, external) => {
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      return doc.applyTextChanges([c], (s, e) => text.slice(s, e), text.length, { reason, external });
    },
  };
}

const quotes = (doc: AnnotationDocument, text: string) => doc.all().map((s) => text.slice(s.start, s.end));
const placedQuotes = (doc: AnnotationDocument, text: string) => doc.all().filter((s) => !s.orphaned).map((s) => text.slice(s.start, s.end));

describe('annotation document', () => {
  it('lists every span in reading order after several changes made without reading in between', () => {
    const { doc, text } = docWith([0, 11, 'force'], [22, 30, 'officer']);
    const read = (s: number, e: number) => text().slice(s, e);
    const earlier = doc.all();
    const gross = TEXT.indexOf('gross misconduct');
    doc.add(read, [{ start: gross, end: gross + 16, label: 'allegation' }]);
    doc.add(read, [{ start: 12, end: 21, label: 'sanction' }, { start: 0, end: 4, label: 'force' }]);
    doc.relabel(doc.inRange(22, 23)[0].id, 'rank');
    doc.add(read, [{ start: 25, end: 30, label: 'officer' }]);
    doc.remove([doc.inRange(0, 11).find((s) => s.end === 11)!.id]);
    doc.add(read, [{ start: 5, end: 11, label: 'force' }]);
    assert.deepEqual(
      doc.all().map((s) => [read(s.start, s.end), s.label]),
      [['Kent', 'force'], ['Police', 'force'], ['dismissed', 'sanction'], ['PC Jones', 'rank'], ['Jones', 'officer'], ['gross misconduct', 'allegation']],
    );
    assert.equal(earlier.length, 2, 'an array read before the changes stays as it was');
  });

  it('rehearses a tag (before the first one of a session) on a scratch document, leaving it empty', () => {
    const doc = rehearseTag();
    assert.equal(doc.size, 0);
    assert.equal(doc.canUndo, false);
  });

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

  it('counts span changes apart from typing that only moves spans (what caches of labels and quotes key on)', () => {
    const { doc, edit } = docWith([12, 21, 'sanction']);
    const r0 = doc.spanRevision;
    edit({ rangeOffset: 0, rangeLength: 0, text: 'The ' });
    assert.equal(doc.spanRevision, r0, 'typing before a span only moves it');
    edit({ rangeOffset: 20, rangeLength: 0, text: 'x' });
    assert.ok(doc.spanRevision > r0, 'typing inside a span changes its quote');
    const r1 = doc.spanRevision;
    doc.reject({ start: 0, end: 3, label: 'force', text: 'The' });
    assert.ok(doc.spanRevision > r1, 'a rejection changes what is offered');
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
      edit({ rangeOffset: 12, rangeLength: 0, text: before.slice(12, 22) }, 'undo');
      assert.deepEqual(quotes(doc, text()), ['dismissed']);
    });

    it('select all, delete, undo: every span is back where it was (not orphaned)', () => {
      const { doc, text, edit } = docWith([0, 11, 'force'], [12, 21, 'sanction'], [34, 54, 'allegation']);
      const before = doc.all().map((s) => [s.id, s.start, s.end]);
      const all = text();
      const removed = edit({ rangeOffset: 0, rangeLength: all.length, text: '' });
      assert.equal(removed.removed.length, 3);
      edit({ rangeOffset: 0, rangeLength: 0, text: all }, 'undo');
      assert.deepEqual(doc.all().map((s) => [s.id, s.start, s.end]), before);
      assert.equal(doc.orphans().length, 0);
    });

    it('select all, type, undo: the replacement re-anchors, and its undo puts every span back exactly', () => {
      const { doc, text, edit } = docWith([0, 11, 'force'], [12, 21, 'sanction']);
      const before = doc.all().map((s) => [s.id, s.start, s.end]);
      const all = text();
      edit({ rangeOffset: 0, rangeLength: all.length, text: 'x' });
      assert.equal(doc.orphans().length, 2, 'nothing to find in "x": kept as orphans, never deleted');
      edit({ rangeOffset: 0, rangeLength: 1, text: all }, 'undo');
      assert.deepEqual(doc.all().map((s) => [s.id, s.start, s.end]), before);
      assert.equal(doc.orphans().length, 0);
    });

    it('backspace held across a span, then one (merged) undo: the span is back whole', () => {
      // "Kent Police dismissed …": backspace from the end of "dismissed" over it and the space before
      const { doc, text, edit } = docWith([12, 21, 'sanction']);
      const before = text();
      for (let at = 21; at > 11; at--) edit({ rangeOffset: at - 1, rangeLength: 1, text: '' });
      assert.equal(doc.size, 0);
      // VS Code merges the run into one undo step: one insertion of everything it deleted
      edit({ rangeOffset: 11, rangeLength: 0, text: before.slice(11, 21) }, 'undo');
      assert.equal(text(), before);
      assert.deepEqual(quotes(doc, text()), ['dismissed']);
    });

    it('backspace into a span from its end, then one undo: the trimmed span regains its edge', () => {
      const { doc, text, edit } = docWith([0, 11, 'force']);
      const before = text();
      for (let at = 13; at > 8; at--) edit({ rangeOffset: at - 1, rangeLength: 1, text: '' });
      assert.deepEqual(quotes(doc, text()), ['Kent Pol']);
      edit({ rangeOffset: 8, rangeLength: 0, text: before.slice(8, 13) }, 'undo');
      assert.deepEqual(quotes(doc, text()), ['Kent Police']);
    });

    it('an ordinary edit that merely looks like an undo restores nothing', () => {
      const { doc, edit } = docWith([12, 21, 'sanction']);
      edit({ rangeOffset: 12, rangeLength: 10, text: '' });
      edit({ rangeOffset: 12, rangeLength: 0, text: 'sacked me ' });
      assert.equal(doc.size, 0);
    });

    it('pasting the same words over a span keeps it on them, and undo puts it back', () => {
      const { doc, text, edit } = docWith([12, 21, 'sanction']);
      // select "dismissed PC" and paste "dismissed PC" back: same words, the span stays
      edit({ rangeOffset: 12, rangeLength: 12, text: 'dismissed PC' });
      assert.deepEqual(quotes(doc, text()), ['dismissed']);
    });

    it('a file rewritten on disk (VS Code reloads it as one change) re-anchors what it touched, never deletes', () => {
      const { doc, text, edit } = docWith([0, 11, 'force'], [12, 21, 'sanction'], [34, 54, 'allegation']);
      // VS Code's line diff of "a new first line, one sentence removed": one change over both
      const old = text();
      const next = 'Breaking news.\n' + old.replace(' PC Jones 👮', '');
      let p = 0;
      while (p < old.length && old[p] === next[p]) p++;
      let q = 0;
      while (q < old.length - p && old[old.length - 1 - q] === next[next.length - 1 - q]) q++;
      const outcome = edit({ rangeOffset: p, rangeLength: old.length - p - q, text: next.slice(p, next.length - q) }, undefined, true);
      assert.equal(text(), next);
      assert.deepEqual(outcome.removed, []);
      assert.deepEqual(quotes(doc, text()), ['Kent Police', 'dismissed', 'for gross misconduct']);
    });

    it('an orphan is re-attached when an edit brings its words back', () => {
      const { doc, text, edit } = docWith([0, 11, 'force']);
      const all = text();
      edit({ rangeOffset: 0, rangeLength: all.length, text: 'nothing here' });
      assert.equal(doc.orphans().length, 1);
      const outcome = edit({ rangeOffset: 0, rangeLength: 0, text: 'Kent Police: ' });
      assert.equal(outcome.reattached.length, 1);
      assert.deepEqual(quotes(doc, text()), ['Kent Police']);
      assert.equal(doc.orphans().length, 0);
    });

    it('a span replaced by one other span keeps its links (accepting theirs for mine); replaced by two, its links go; undo brings each back', () => {
      const { doc, text } = docWith([0, 11, 'force'], [22, 30, 'person']);
      const read = (s: number, e: number) => text().slice(s, e);
      const [police, jones] = doc.all();
      const link = doc.link({ from: jones.id, to: police.id, label: 'member' })!;

      const [theirs] = doc.replace(read, [police.id], [{ start: 0, end: 11, label: 'force', author: 'other' }]);
      assert.deepEqual(doc.relations().map((r) => [r.id, r.from, r.to]), [[link.id, jones.id, theirs.id]], 'the link now ends at their span');
      doc.undo();
      assert.deepEqual(doc.relations().map((r) => [r.from, r.to]), [[jones.id, police.id]]);

      doc.replace(read, [police.id], [{ start: 0, end: 4, label: 'force' }, { start: 5, end: 11, label: 'force' }]);
      assert.deepEqual(doc.relations(), [], 'with two spans for one, no end is chosen');
      doc.undo();
      assert.deepEqual(doc.relations().map((r) => r.id), [link.id]);
    });

    it('an orphan re-attached to words just typed is an orphan again, with its links, when the typing is undone; redo puts it back', () => {
      const { doc, text, edit } = docWith([0, 11, 'force'], [22, 30, 'person']);
      const [police, jones] = doc.all();
      const link = doc.link({ from: jones.id, to: police.id, label: 'member' })!;
      edit({ rangeOffset: 0, rangeLength: text().length, text: 'nothing here' });
      assert.deepEqual(doc.orphans().map((o) => o.text), ['Kent Police', 'PC Jones']);

      const typed = edit({ rangeOffset: 0, rangeLength: 0, text: 'Kent Police: ' });
      assert.deepEqual(typed.reattached.map((s) => s.id), [police.id]);
      assert.deepEqual(placedQuotes(doc, text()), ['Kent Police']);

      const undone = edit({ rangeOffset: 0, rangeLength: 13, text: '' }, 'undo');
      assert.equal(text(), 'nothing here');
      assert.deepEqual(undone.removed, [], 'nothing is reported deleted');
      assert.deepEqual(undone.orphaned?.map((s) => s.id), [police.id]);
      const byId = (xs: string[][]) => xs.sort((x, y) => (x[0] < y[0] ? -1 : 1));
      assert.deepEqual(byId(doc.orphans().map((o) => [o.id, o.text])), byId([[police.id, 'Kent Police'], [jones.id, 'PC Jones']]), 'it is an orphan again, with its quote');
      assert.deepEqual(doc.relations().map((r) => r.id), [link.id], 'its link is kept');

      // the file written now keeps it, orphaned, with its quote and its link, and reads back the same
      const written = parseSidecar('a.txt.annotations.json', serializeSidecar(doc.toSidecar(text(), sha256Hex(text()))));
      const a = written.annotations.find((x) => x.id === police.id)!;
      assert.deepEqual([a.orphaned, a.text, a.label], [true, 'Kent Police', 'force']);
      assert.deepEqual(written.relations?.map((r) => [r.from, r.to]), [[jones.id, police.id]]);
      const reloaded = new AnnotationDocument('a.txt');
      reloaded.load(written, text());
      assert.deepEqual(reloaded.orphans().map((o) => o.id).sort(), [police.id, jones.id].sort());
      assert.equal(reloaded.relations().length, 1);

      const redone = edit({ rangeOffset: 0, rangeLength: 0, text: 'Kent Police: ' }, 'redo');
      assert.deepEqual(redone.restored.map((s) => [s.id, s.start, s.end]), [[police.id, 0, 11]], 'the redo puts it back where it was');
      assert.deepEqual(placedQuotes(doc, text()), ['Kent Police']);
      assert.deepEqual(doc.relations().map((r) => r.id), [link.id]);
    });

    it('a re-attached orphan whose words are deleted or typed into before it is taken up goes back to the orphans; once taken up, it is a span like any other', () => {
      const { doc, text, edit } = docWith([0, 11, 'force']);
      const [police] = doc.all();
      edit({ rangeOffset: 0, rangeLength: text().length, text: 'nothing here' });
      edit({ rangeOffset: 12, rangeLength: 0, text: ' Kent Police' });
      assert.deepEqual(placedQuotes(doc, text()), ['Kent Police']);

      const deleted = edit({ rangeOffset: 13, rangeLength: 11, text: '' });
      assert.deepEqual(deleted.removed, []);
      assert.deepEqual(doc.orphans().map((o) => [o.id, o.text]), [[police.id, 'Kent Police']]);

      edit({ rangeOffset: 13, rangeLength: 0, text: 'Kent Police' });
      assert.deepEqual(placedQuotes(doc, text()), ['Kent Police']);
      const typedInside = edit({ rangeOffset: 17, rangeLength: 0, text: ' County' });
      assert.equal(text(), 'nothing here Kent County Police');
      assert.deepEqual(typedInside.orphaned?.map((s) => s.id), [police.id]);
      assert.deepEqual(doc.orphans().map((o) => [o.id, o.text]), [[police.id, 'Kent Police']], 'its quote is not reshaped');

      // found again, and given a note: now typing inside grows it, and deleting its words removes it (undo brings it back)
      edit({ rangeOffset: 17, rangeLength: 7, text: '' });
      assert.deepEqual(placedQuotes(doc, text()), ['Kent Police']);
      doc.setNote(police.id, 'checked');
      edit({ rangeOffset: 17, rangeLength: 0, text: ' County' });
      assert.deepEqual(placedQuotes(doc, text()), ['Kent County Police']);
      const removed = edit({ rangeOffset: 13, rangeLength: 18, text: '' });
      assert.deepEqual(removed.removed.map((s) => s.id), [police.id]);
      assert.equal(doc.size, 0);
      edit({ rangeOffset: 13, rangeLength: 0, text: 'Kent County Police' }, 'undo');
      assert.deepEqual(doc.all().map((s) => [s.id, s.meta.note, text().slice(s.start, s.end)]), [[police.id, 'checked', 'Kent County Police']]);
    });

    it('undoing a whole-document replacement does not bring back a span removed after it', () => {
      const { doc, text, edit } = docWith([0, 11, 'force'], [12, 21, 'sanction']);
      const [police, dismissed] = doc.all();
      const old = text();
      edit({ rangeOffset: 0, rangeLength: old.length, text: '  ' + old });
      doc.remove([dismissed.id]);
      edit({ rangeOffset: 0, rangeLength: old.length + 2, text: old }, 'undo');
      assert.deepEqual(doc.all().map((s) => [s.id, s.start, s.end]), [[police.id, 0, 11]]);
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
