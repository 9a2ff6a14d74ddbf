/**
 * Example-based tests of the span index: one per edge rule, multi-cursor events as VS Code sends
 * them, the whole-document fallback, undo restoring removed and trimmed spans, and the queries.
 * The generated (property) tests are in fuzzSpanIndex.test.ts.
 */
import * as assert from 'node:assert/strict';
import { ContentChange, SpanEntry, SpanIndex } from '../../src/core/spanIndex';
import { inverseOf } from './textEvents';

interface Tag {
  id: string;
  label: string;
  /** The quote as last known (what `quoteOf` reads). */
  text: string;
}

/** A document and its index, edited together the way the extension would. */
class Doc {
  index: SpanIndex<Tag>;
  constructor(
    public text: string,
    spans: Array<[string, number, number]>,
  ) {
    this.index = new SpanIndex<Tag>(
      spans.map(([id, start, end]) => ({ id, label: 'force', text: text.slice(start, end), start, end })),
      { quoteOf: (t) => t.text, documentLength: text.length },
    );
  }
  /** Applies one event (changes in VS Code's order: descending, original coordinates) to text and index. */
  edit(...changes: ContentChange[]) {
    return this.apply(changes, undefined);
  }
  /** An event VS Code marks as an undo (`TextDocumentChangeEvent.reason`). */
  undo(...changes: ContentChange[]) {
    return this.apply(changes, 'undo');
  }
  private apply(changes: ContentChange[], reason: 'undo' | undefined) {
    const inverse = inverseOf(this.text, changes);
    for (const c of changes) this.text = this.text.slice(0, c.rangeOffset) + c.text + this.text.slice(c.rangeOffset + c.rangeLength);
    const result = this.index.applyChanges(changes, { reason });
    // the caller keeps quotes fresh for edited spans (quoteOf reads them when a span is removed)
    for (const r of result.edited) r.value.text = this.text.slice(r.start, r.end);
    return { result, inverse };
  }
  spans(): Array<[string, number, number]> {
    return this.index.all().map((s) => [s.id, s.start, s.end]);
  }
  quotes(): Record<string, string> {
    return Object.fromEntries(this.index.all().map((s) => [s.id, this.text.slice(s.start, s.end)]));
  }
}


const ids = <T>(xs: SpanEntry<T>[]) => xs.map((x) => x.id);

describe('span index: edge rules', () => {
  //            0         1         2         3
  //            0123456789012345678901234567890123456
  const TEXT = 'PC Smith of Police Scotland resigned';
  const police = (): Doc => new Doc(TEXT, [['p', 12, 27]]); // "Police Scotland"

  it('an edit before a span shifts it', () => {
    const d = police();
    d.edit({ rangeOffset: 0, rangeLength: 2, text: 'Sergeant' });
    assert.deepEqual(d.spans(), [['p', 18, 33]]);
    assert.equal(d.quotes().p, 'Police Scotland');
  });

  it('an edit after a span leaves it alone', () => {
    const d = police();
    d.edit({ rangeOffset: 28, rangeLength: 8, text: 'was dismissed' });
    assert.deepEqual(d.spans(), [['p', 12, 27]]);
  });

  it('an insertion exactly at a span start goes before it (the span shifts, it does not stretch)', () => {
    const d = police();
    d.edit({ rangeOffset: 12, rangeLength: 0, text: 'the ' });
    assert.deepEqual(d.spans(), [['p', 16, 31]]);
    assert.equal(d.quotes().p, 'Police Scotland');
  });

  it('an insertion exactly at a span end goes after it', () => {
    const d = police();
    d.edit({ rangeOffset: 27, rangeLength: 0, text: ' officer' });
    assert.deepEqual(d.spans(), [['p', 12, 27]]);
  });

  it('an insertion strictly inside grows the span', () => {
    const d = police();
    d.edit({ rangeOffset: 18, rangeLength: 0, text: ' Service' });
    assert.equal(d.quotes().p, 'Police Service Scotland');
  });

  it('a deletion inside shrinks the span', () => {
    const d = police();
    d.edit({ rangeOffset: 18, rangeLength: 9, text: '' });
    assert.equal(d.quotes().p, 'Police');
  });

  it('a replacement overlapping the start trims the span to the surviving text', () => {
    const d = police();
    d.edit({ rangeOffset: 9, rangeLength: 5, text: 'XX' }); // "of Po" → "XX"
    assert.equal(d.text, 'PC Smith XXlice Scotland resigned');
    assert.equal(d.quotes().p, 'lice Scotland');
  });

  it('a replacement overlapping the end trims the span to the surviving text', () => {
    const d = police();
    d.edit({ rangeOffset: 25, rangeLength: 5, text: 'XX' }); // "nd re" → "XX"
    assert.equal(d.quotes().p, 'Police Scotla');
  });

  it('typing over the first word keeps the new word inside the span (the change starts at the span start)', () => {
    const d = police();
    d.edit({ rangeOffset: 12, rangeLength: 6, text: 'Polis' });
    assert.equal(d.quotes().p, 'Polis Scotland');
  });

  it('a deletion covering the whole span removes it and reports it with its old offsets', () => {
    const d = police();
    const { result } = d.edit({ rangeOffset: 8, rangeLength: 20, text: '' });
    assert.deepEqual(result.removed.map((r) => [r.id, r.start, r.end]), [['p', 12, 27]]);
    assert.equal(d.index.size, 0);
  });

  it('a replacement of exactly the span text removes it too', () => {
    const d = police();
    const { result } = d.edit({ rangeOffset: 12, rangeLength: 15, text: 'the Met' });
    assert.deepEqual(ids(result.removed), ['p']);
  });

  it('nested spans follow each edit independently', () => {
    const d = new Doc(TEXT, [['p', 12, 27], ['s', 19, 27], ['o', 0, 8]]);
    d.edit({ rangeOffset: 18, rangeLength: 1, text: ' Service ' }); // inside p, at s's start: s shifts
    assert.deepEqual(d.quotes(), { o: 'PC Smith', p: 'Police Service Scotland', s: 'Scotland' });
  });
});

describe('span index: multi-cursor events', () => {
  it('applies the changes of one event as VS Code sends them (descending, original coordinates)', () => {
    // three cursors, each typing "X" before a tagged word
    const d = new Doc('aa bb cc dd', [['b', 3, 5], ['c', 6, 8], ['d', 9, 11]]);
    d.edit({ rangeOffset: 9, rangeLength: 0, text: 'X' }, { rangeOffset: 6, rangeLength: 0, text: 'X' }, { rangeOffset: 3, rangeLength: 0, text: 'X' });
    assert.equal(d.text, 'aa Xbb Xcc Xdd');
    assert.deepEqual(d.quotes(), { b: 'bb', c: 'cc', d: 'dd' });
  });

  it('a multi-cursor deletion removes several spans and the undo event brings them all back', () => {
    const d = new Doc('aa bb cc dd ee', [['b', 3, 5], ['d', 9, 11], ['e', 12, 14]]);
    const { result, inverse } = d.edit({ rangeOffset: 9, rangeLength: 3, text: '' }, { rangeOffset: 3, rangeLength: 3, text: '' });
    assert.deepEqual(ids(result.removed).sort(), ['b', 'd']);
    assert.deepEqual(d.spans(), [['e', 6, 8]]);
    // the undo VS Code sends: the higher change first, its offset in the document after the event
    assert.deepEqual(inverse, [
      { rangeOffset: 6, rangeLength: 0, text: 'dd ' },
      { rangeOffset: 3, rangeLength: 0, text: 'bb ' },
    ]);
    const undo = d.undo(...inverse);
    assert.equal(d.text, 'aa bb cc dd ee');
    assert.deepEqual(ids(undo.result.restored).sort(), ['b', 'd']);
    assert.deepEqual(d.spans(), [['b', 3, 5], ['d', 9, 11], ['e', 12, 14]]);
  });
});

describe('span index: undo', () => {
  it('undoing a deletion restores the removed span with its old offsets', () => {
    const d = new Doc('PC Smith of Police Scotland resigned', [['p', 12, 27], ['r', 28, 36]]);
    const { result, inverse } = d.edit({ rangeOffset: 8, rangeLength: 20, text: '' });
    assert.deepEqual(ids(result.removed), ['p']);
    // VS Code's undo: re-insert the deleted text where it was
    assert.deepEqual(inverse, [{ rangeOffset: 8, rangeLength: 0, text: ' of Police Scotland ' }]);
    const undo = d.undo(...inverse);
    assert.deepEqual(ids(undo.result.restored), ['p']);
    assert.deepEqual(d.spans(), [['p', 12, 27], ['r', 28, 36]]);
    // and redo removes it again, and a second undo restores it again
    d.edit({ rangeOffset: 8, rangeLength: 20, text: '' });
    assert.deepEqual(d.spans(), [['r', 8, 16]]);
    d.undo(...inverse);
    assert.deepEqual(d.spans(), [['p', 12, 27], ['r', 28, 36]]);
  });

  it('undoing a trim restores the span to its old extent', () => {
    const d = new Doc('PC Smith of Police Scotland resigned', [['p', 12, 27]]);
    const { inverse } = d.edit({ rangeOffset: 9, rangeLength: 5, text: '' }); // "of Po"
    assert.equal(d.quotes().p, 'lice Scotland');
    d.undo(...inverse);
    assert.deepEqual(d.spans(), [['p', 12, 27]]);
  });

  it('undo works after later edits elsewhere were undone first', () => {
    const d = new Doc('one two three four', [['t', 4, 7]]);
    const del = d.edit({ rangeOffset: 3, rangeLength: 4, text: '' }); // " two"
    const typed = d.edit({ rangeOffset: 0, rangeLength: 0, text: 'zero ' });
    d.undo(...typed.inverse);
    d.undo(...del.inverse);
    assert.deepEqual(d.spans(), [['t', 4, 7]]);
    assert.equal(d.text, 'one two three four');
  });

  it('inserting different text at the same place does not restore a span', () => {
    const d = new Doc('one two three', [['t', 4, 7]]);
    d.edit({ rangeOffset: 4, rangeLength: 4, text: '' });
    const r = d.edit({ rangeOffset: 4, rangeLength: 0, text: 'six ' });
    assert.deepEqual(r.result.restored, []);
    assert.equal(d.index.size, 0);
  });

  it('deleting the same text twice at one place: each undo restores what its own edit removed', () => {
    const d = new Doc('ab ab cd', [['x', 0, 2]]);
    const first = d.edit({ rangeOffset: 0, rangeLength: 3, text: '' }); // removes x; text "ab cd"
    const second = d.edit({ rangeOffset: 0, rangeLength: 3, text: '' }); // same geometry, no span
    const u2 = d.undo(...second.inverse);
    assert.deepEqual(u2.result.restored, []); // not yet: this undo re-inserts the second "ab "
    d.undo(...first.inverse);
    assert.deepEqual(d.spans(), [['x', 0, 2]]);
  });
});

describe('span index: whole-document replacement', () => {
  it('asks for re-anchoring instead of shifting when a change replaces (nearly) the whole text', () => {
    const d = new Doc('PC Smith of Police Scotland resigned', [['p', 12, 27]]);
    const { result } = d.edit({ rangeOffset: 0, rangeLength: 36, text: 'PC  Smith of  Police Scotland  resigned.' });
    assert.equal(result.needsReanchor, true);
    // nothing was applied: the caller re-anchors by quote, then calls reset()
    assert.deepEqual(d.spans(), [['p', 12, 27]]);
    d.index.reset([{ value: d.index.get('p')!.value, start: 14, end: 29 }], d.text.length);
    assert.deepEqual(d.spans(), [['p', 14, 29]]);
  });

  it('deleting everything is a deletion, not a replacement: spans are removed and undo restores them', () => {
    const d = new Doc('PC Smith of Police Scotland', [['p', 12, 27]]);
    const { result, inverse } = d.edit({ rangeOffset: 0, rangeLength: 27, text: '' });
    assert.equal(result.needsReanchor, false);
    assert.deepEqual(ids(result.removed), ['p']);
    d.undo(...inverse);
    assert.deepEqual(d.spans(), [['p', 12, 27]]);
  });
});

describe('span index: queries and membership', () => {
  const make = () =>
    new SpanIndex<{ id: string }>([
      { id: 'a', start: 0, end: 10 },
      { id: 'b', start: 2, end: 4 },
      { id: 'c', start: 4, end: 6 },
      { id: 'd', start: 20, end: 30 },
    ]);

  it('inRange returns the spans intersecting [from, to), and touching ones for an empty range', () => {
    const index = make();
    assert.deepEqual(ids(index.inRange(4, 5)), ['a', 'c']);
    assert.deepEqual(ids(index.inRange(4, 4)), ['a', 'b', 'c']);
    assert.deepEqual(ids(index.inRange(10, 20)), []);
    assert.deepEqual(ids(index.inRange(0, 100)), ['a', 'b', 'c', 'd']);
  });

  it('at returns the spans under a cursor, innermost first', () => {
    assert.deepEqual(ids(make().at(3)), ['b', 'a']);
  });

  it('adds, removes and gets by id; orders by start then end', () => {
    const index = make();
    index.add({ id: 'e' }, 2, 3);
    assert.deepEqual(index.all().map((s) => s.id), ['a', 'e', 'b', 'c', 'd']);
    assert.deepEqual(index.remove('b'), { id: 'b', start: 2, end: 4, value: { id: 'b', start: 2, end: 4 } });
    assert.equal(index.get('b'), undefined);
    assert.equal(index.size, 4);
    index.applyChange(0, 0, 5);
    assert.deepEqual(index.get('d')?.start, 25);
    assert.deepEqual([...index].map((s) => s.id), ['a', 'e', 'c', 'd']);
  });

  it('the three-argument applyChange (lengths only) follows edits the same way', () => {
    const index = new SpanIndex([{ id: 'a', start: 5, end: 10 }, { id: 'b', start: 20, end: 25 }]);
    assert.deepEqual(index.applyChange(4, 7, 0).map((r) => [r.id, r.start, r.end]), [['a', 5, 10]]);
    assert.deepEqual(index.all().map((s) => [s.id, s.start, s.end]), [['b', 13, 18]]);
  });
});
