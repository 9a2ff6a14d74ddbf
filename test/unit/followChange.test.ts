/**
 * A change that arrives as a whole new text (Replace in Files on a closed article, a file rewritten
 * on disk and reloaded) is followed as an edit through a diff of the two texts when the text before
 * is known; only spans whose whole text went are looked for by quote.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationDocument, TextChange } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { followTextChange } from '../../src/core/followChange';
import { OffsetMap } from '../../src/core/offsets';
import { parseSidecar, reconcileWithArticle } from '../../src/core/sidecar';
import { diffTexts } from '../../src/core/textDiff';
import fc from 'fast-check';
import { checkProperty } from './property';
import { applyText } from './textEvents';

const SAMPLES = path.resolve(__dirname, '../../../samples/corpus');
const samples = () => fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.txt')).sort();
const readSample = (name: string) => ({
  bytes: fs.readFileSync(path.join(SAMPLES, name)),
  sidecar: parseSidecar(name, fs.readFileSync(path.join(SAMPLES, `${name}.annotations.json`), 'utf8')),
});

/** What the Search view's Replace All does to a file: every match, case-insensitive, replaced. */
const replaceInFiles = (text: string) => text.replace(/officer/gi, 'police officer');

/** The one change VS Code reports when it reloads a file: the lines between the common head and tail. */
function reloadChange(before: string, after: string): TextChange {
  const a = before.split(/(?<=\n)/);
  const b = after.split(/(?<=\n)/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const offset = a.slice(0, head).join('').length;
  const removed = a.slice(head, a.length - tail).join('');
  return { rangeOffset: offset, rangeLength: removed.length, text: b.slice(head, b.length - tail).join('') };
}

describe('following a whole new text through a diff', () => {
  it('finds the words that changed, not the lines', () => {
    assert.deepEqual(diffTexts('The officer said.\nNext line.', 'The police officer said.\nNext line.'), [{ offset: 4, length: 0, text: 'police ' }]);
    assert.deepEqual(diffTexts('same', 'same'), []);
    assert.deepEqual(diffTexts('a\nb\nc\n', 'a\nc\n'), [{ offset: 2, length: 2, text: '' }]);
  });

  it('gives edits that turn the old text into the new one (generated texts)', () => {
    const word = fc.constantFrom('PC', 'Smith', 'officer', 'police', 'the', 'a', '👮', 'é', '\n', ' ', '.', 's');
    const text = fc.array(word, { maxLength: 40 }).map((w) => w.join(''));
    checkProperty(
      fc.property(text, text, (before, after) => {
        const edits = diffTexts(before, after)!;
        const changes = [...edits].reverse().map((e) => ({ rangeOffset: e.offset, rangeLength: e.length, text: e.text }));
        assert.equal(applyText(before, changes), after);
        for (let i = 1; i < edits.length; i++) assert.ok(edits[i - 1].offset + edits[i - 1].length <= edits[i].offset, 'ascending, not overlapping');
      }),
      500,
    );
  });

  it('never cuts a surrogate pair', () => {
    const edits = diffTexts('PC 👮 Jones', 'PC 👩 Jones')!;
    for (const e of edits) {
      assert.ok(e.text.length % 2 === 0 && e.length % 2 === 0, JSON.stringify(edits));
    }
    assert.equal(applyText('PC 👮 Jones', [...edits].reverse().map((e) => ({ rangeOffset: e.offset, rangeLength: e.length, text: e.text }))), 'PC 👩 Jones');
  });

  it('gives up on two unrelated long texts (then spans are found by quote alone)', () => {
    const lines = (seed: number) => Array.from({ length: 6000 }, (_, i) => `line ${(i * seed) % 7919} of ${seed}\n`).join('');
    assert.equal(diffTexts(lines(3), lines(5)), undefined);
  });

  it('Replace in Files of "officer" over the closed sample articles keeps all 122 annotations on their new text', () => {
    let total = 0;
    for (const name of samples()) {
      const { bytes, sidecar } = readSample(name);
      const before = bytes.toString('utf8');
      const after = replaceInFiles(before);
      const loaded = reconcileWithArticle(name, sidecar, after, sha256Hex(after), { text: before, sha256: sha256Hex(bytes) });
      const map = new OffsetMap(after);
      sidecar.annotations.forEach((a, i) => {
        const b = loaded.sidecar.annotations[i];
        total++;
        assert.ok(!b.orphaned, `${name}: "${a.text}" was orphaned`);
        assert.equal(map.slice(b.start, b.end), b.text);
        // its own words, with the replacement made inside it when the word is its own
        assert.ok(b.text === a.text || b.text === replaceInFiles(a.text), `${name}: "${a.text}" became "${b.text}"`);
      });
    }
    assert.equal(total, 122, 'the sample corpus has 122 annotations');
  });

  it('a previous text that is not the one the sidecar was written for is not used', () => {
    const name = samples()[0];
    const { bytes, sidecar } = readSample(name);
    const before = bytes.toString('utf8');
    const after = replaceInFiles(before);
    const stale = { text: `${before}!`, sha256: sha256Hex(`${before}!`) };
    const loaded = reconcileWithArticle(name, sidecar, after, sha256Hex(after), stale);
    const byQuote = reconcileWithArticle(name, sidecar, after, sha256Hex(after));
    assert.deepEqual(loaded.sidecar.annotations, byQuote.sidecar.annotations);
  });

  it('a span whose whole text was deleted is found again by quote where it moved, or kept orphaned', () => {
    const before = 'Kent Police dismissed PC Jones.\nLater, PC Smith resigned.\n';
    const after = 'Later, PC Smith resigned.\nKent Police dismissed someone.\n';
    const map = new OffsetMap(before);
    const jones = makeAnnotation(map, 22, 30, 'officer', { id: 'a-jones' });
    const smith = makeAnnotation(map, 39, 47, 'officer', { id: 'a-smith' });
    const report = followTextChange([jones, smith], before, new OffsetMap(after))!;
    const [j, s] = report.annotations;
    assert.equal(j.orphaned, true);
    assert.equal(s.orphaned, undefined);
    assert.equal(after.slice(s.start, s.end), 'PC Smith');
  });

  it('a span the diff grew around its old words keeps just those words', () => {
    const before = 'Today PC Smith resigned.';
    const after = 'Today PC Jones and PC Smith resigned.';
    const smith = makeAnnotation(new OffsetMap(before), 6, 14, 'officer', { id: 'a-smith' });
    const [s] = followTextChange([smith], before, new OffsetMap(after))!.annotations;
    assert.equal(after.slice(s.start, s.end), 'PC Smith');
  });

  it('a Replace in Files event (one change per match) taken for a change from outside keeps every annotation', () => {
    // Save All can reach the disk before the session checks whether the event came from outside
    for (const name of samples()) {
      const { bytes, sidecar } = readSample(name);
      const before = bytes.toString('utf8');
      let text = before;
      const doc = new AnnotationDocument(name, 'tester');
      doc.load(sidecar, text);
      const read = (s: number, e: number) => text.slice(s, e);
      // VS Code's order: descending, offsets in the text before the event
      const changes: TextChange[] = [...before.matchAll(/officer/gi)].reverse().map((m) => ({ rangeOffset: m.index!, rangeLength: m[0].length, text: 'police officer' }));
      text = applyText(text, changes);
      assert.equal(text, replaceInFiles(before));
      const outcome = doc.applyTextChanges(changes, read, text.length, { previousText: () => before });
      if (outcome.ticket) doc.repairAsExternal(outcome.ticket, read, text.length, before);
      for (const s of doc.all()) {
        const was = sidecar.annotations.find((a) => a.id === s.id)!.text;
        assert.ok(!s.orphaned, `${name}: "${was}" was orphaned`);
        assert.ok([was, replaceInFiles(was)].includes(text.slice(s.start, s.end)), `${name}: "${was}" became "${text.slice(s.start, s.end)}"`);
      }
      assert.equal(doc.all().length, sidecar.annotations.length);
    }
  });

  describe('an open article reloaded after a rewrite on disk (a new first line, one sentence removed)', () => {
    for (const where of ['middle', 'end'] as const) {
      it(`every annotation whose text is still there stays on it (sentence removed near the ${where})`, () => {
        const name = '002_15c05126c182eb79.txt';
        const { bytes, sidecar } = readSample(name);
        const before = bytes.toString('utf8');
        // a sentence no annotation touches, near the middle or at the end of the article
        const map = new OffsetMap(before);
        const free = (s: number, e: number) => sidecar.annotations.every((a) => map.toUtf16(a.end) <= s || map.toUtf16(a.start) >= e);
        const sentences = [...before.matchAll(/[^.\n]+\.\s/g)].filter((m) => free(m.index!, m.index! + m[0].length));
        const sentence = where === 'end' ? sentences[sentences.length - 1] : sentences[Math.floor(sentences.length / 2)];
        const after = `Updated: this report was corrected.\n${before.slice(0, sentence.index!)}${before.slice(sentence.index! + sentence[0].length)}`;
        let text = before;
        const doc = new AnnotationDocument(name, 'tester');
        doc.load(sidecar, text);
        const read = (s: number, e: number) => text.slice(s, e);
        const change = reloadChange(before, after);
        text = applyText(text, [change]);
        const outcome = doc.applyTextChanges([change], read, text.length, { previousText: () => before });
        // a change that was not a whole replacement is known to come from outside only afterwards
        if (outcome.ticket) doc.repairAsExternal(outcome.ticket, read, text.length, before);
        const quotes = doc.all().map((s) => [s.id, s.orphaned ? 'orphan' : text.slice(s.start, s.end)]);
        assert.deepEqual(quotes.sort(), sidecar.annotations.map((a) => [a.id, a.text]).sort());
      });
    }
  });
});
