/**
 * Property tests of the span index (fast-check): random texts (emoji, CRLF), random spans (nested,
 * overlapping, duplicated), random edit events (single changes, multi-cursor events as VS Code
 * sends them, whole-document replacements).
 *
 * The reference is a model that knows nothing about offsets: every character of the document is a
 * cell carrying the set of spans that cover it. A change deletes cells and inserts new ones, and
 * the new cells belong to span X exactly when
 *   - (an insertion) the cells on both sides of the insertion point belong to X, or
 *   - (a replacement) every replaced cell belonged to X and X keeps at least one cell.
 * That is the contract "a span covers the text it covered, with the edits that fell inside it
 * applied": a span's text after an edit is its surviving characters plus the characters inserted
 * strictly inside it (or typed over its own text). A span left with no cell has had its whole text
 * deleted: the index must report it removed in that event. Nothing else may disappear.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ContentChange, SpanIndex } from '../../src/core/spanIndex';
import { checkProperty } from './property';
import { applyText, boundary, inverseOf } from './textEvents';

interface Tag {
  id: string;
  text: string;
}

// --- the cell model -------------------------------------------------------------------------

interface Cell {
  ch: string;
  spans: Set<string>;
}

class Model {
  cells: Cell[];
  constructor(text: string, spans: Array<[string, number, number]>) {
    // one cell per UTF-16 unit, as VS Code counts
    this.cells = text.split('').map((ch) => ({ ch, spans: new Set<string>() }));
    for (const [id, s, e] of spans) for (let i = s; i < e; i++) this.cells[i].spans.add(id);
  }
  get text(): string {
    return this.cells.map((c) => c.ch).join('');
  }
  ids(): Set<string> {
    const out = new Set<string>();
    for (const c of this.cells) for (const id of c.spans) out.add(id);
    return out;
  }
  /** One change; returns the ids that lost their last cell. */
  apply(c: ContentChange): string[] {
    const before = this.ids();
    const deleted = this.cells.slice(c.rangeOffset, c.rangeOffset + c.rangeLength);
    const rest = [...this.cells.slice(0, c.rangeOffset), ...this.cells.slice(c.rangeOffset + c.rangeLength)];
    let owners: Set<string>;
    if (c.rangeLength === 0) {
      const left = this.cells[c.rangeOffset - 1]?.spans ?? new Set<string>();
      const right = this.cells[c.rangeOffset]?.spans ?? new Set<string>();
      owners = new Set([...left].filter((id) => right.has(id)));
    } else {
      const survivors = new Set<string>();
      for (const cell of rest) for (const id of cell.spans) survivors.add(id);
      owners = new Set([...deleted[0].spans].filter((id) => survivors.has(id) && deleted.every((d) => d.spans.has(id))));
    }
    const inserted = c.text.split('').map((ch) => ({ ch, spans: new Set(owners) }));
    this.cells = [...rest.slice(0, c.rangeOffset), ...inserted, ...rest.slice(c.rangeOffset)];
    const after = this.ids();
    return [...before].filter((id) => !after.has(id));
  }
  /** Each span's [start, end), checking that its cells are contiguous. */
  spans(): Map<string, [number, number]> {
    const out = new Map<string, [number, number]>();
    this.cells.forEach((c, i) => {
      for (const id of c.spans) {
        const r = out.get(id);
        if (!r) out.set(id, [i, i + 1]);
        else {
          assert.equal(r[1], i, `model: span ${id} is not contiguous`);
          r[1] = i + 1;
        }
      }
    });
    return out;
  }
}

// --- generators -----------------------------------------------------------------------------

const TOKENS = ['a', 'b', 'c', ' ', 'Police', 'PC', '\n', '\r\n', '😀', 'é', '—'];
const textArb = fc.array(fc.constantFrom(...TOKENS), { minLength: 3, maxLength: 24 }).map((xs) => xs.join(''));
const insertArb = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom('x', 'y', ' ', '😀', '\r\n', 'a'), { maxLength: 5 }).map((xs) => xs.join('')) },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Raw numbers, fitted to the current document when the sequence runs. */
type RawChange = [number, number, string];
type RawEvent = { kind: 'single'; change: RawChange } | { kind: 'multi'; changes: RawChange[] } | { kind: 'whole'; text: string };

const rawChange: fc.Arbitrary<RawChange> = fc.tuple(fc.nat(), fc.nat(12), insertArb);
const eventArb: fc.Arbitrary<RawEvent> = fc.oneof(
  { weight: 6, arbitrary: rawChange.map((change) => ({ kind: 'single' as const, change })) },
  { weight: 3, arbitrary: fc.array(rawChange, { minLength: 2, maxLength: 4 }).map((changes) => ({ kind: 'multi' as const, changes })) },
  { weight: 1, arbitrary: textArb.map((text) => ({ kind: 'whole' as const, text })) },
);
const spansArb = fc.array(fc.tuple(fc.nat(), fc.nat(10)), { minLength: 1, maxLength: 8 });


function fitSpans(text: string, raw: Array<[number, number]>): Array<[string, number, number]> {
  return raw.map(([s, l], i) => {
    const start = boundary(text, s % text.length);
    let end = boundary(text, Math.min(text.length, start + 1 + l));
    if (end <= start) end = Math.min(text.length, start + 2);
    return [`s${i}`, start, end];
  });
}

/**
 * An event as VS Code sends it for the current text: one change, or several non-overlapping changes
 * sorted by position descending with offsets in the text before the event. Never a no-op change.
 */
function fitEvent(text: string, raw: RawEvent): ContentChange[] {
  const fit = ([o, l, ins]: RawChange, lo: number, hi: number): ContentChange | undefined => {
    if (hi < lo) return undefined;
    // (snapped up off a surrogate pair's middle, so it stays inside its slice)
    const raw = lo + (o % (hi - lo + 1));
    const offset = boundary(text, raw) < raw ? raw + 1 : raw;
    if (offset > hi) return undefined;
    const length = Math.max(0, boundary(text, Math.min(hi, offset + l)) - offset);
    if (!length && !ins) return undefined;
    return { rangeOffset: offset, rangeLength: length, text: ins };
  };
  if (raw.kind === 'whole') return [{ rangeOffset: 0, rangeLength: text.length, text: raw.text }];
  if (raw.kind === 'single') {
    const c = fit(raw.change, 0, text.length);
    return c ? [c] : [];
  }
  // multi-cursor: cut the text into as many slices as cursors, one change per slice (left to
  // right), so changes never overlap; then sort descending, as VS Code orders an event
  const out: ContentChange[] = [];
  const n = raw.changes.length;
  const width = Math.floor(text.length / n);
  let prevEnd = -1;
  raw.changes.forEach((rc, k) => {
    const lo = Math.max(k * width, prevEnd + 1);
    const hi = k === n - 1 ? text.length : (k + 1) * width - 1;
    const c = fit(rc, lo, hi);
    if (!c) return;
    out.push(c);
    prevEnd = c.rangeOffset + c.rangeLength;
  });
  return out.sort((a, b) => b.rangeOffset - a.rangeOffset);
}



function positions(index: SpanIndex<Tag>): Map<string, [number, number]> {
  return new Map(index.all().map((s) => [s.id, [s.start, s.end] as [number, number]]));
}

const sorted = (m: Map<string, [number, number]>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

// --- properties -----------------------------------------------------------------------------

describe('span index: generated edit sequences', function () {
  this.timeout(60_000);

  it('every span covers exactly the text the cell model says, or was reported removed in that event; queries agree with a scan', () => {
    checkProperty(
      fc.property(textArb, spansArb, fc.array(eventArb, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat(8)), { minLength: 3, maxLength: 3 }), (text0, rawSpans, rawEvents, probes) => {
        const spans = fitSpans(text0, rawSpans);
        const model = new Model(text0, spans);
        // stashLimit 0: no undo matching here (a random re-insertion could legitimately restore a
        // span, which the model does not know); undo has its own property below
        const index = new SpanIndex<Tag>(
          spans.map(([id, start, end]) => ({ id, text: '', start, end })),
          { documentLength: text0.length, stashLimit: 0 },
        );
        let text = text0;
        const live = new Set(spans.map((s) => s[0]));
        for (const raw of rawEvents) {
          const changes = fitEvent(text, raw);
          if (!changes.length) continue;
          const before = positions(index);
          const result = index.applyChanges(changes);
          const whole = changes.some((c) => c.rangeLength > 0 && c.text.length > 0 && c.rangeLength >= 0.9 * text.length);
          assert.equal(result.needsReanchor, whole);
          text = applyText(text, changes);
          const lost = changes.flatMap((c) => model.apply(c));
          if (result.needsReanchor) {
            // nothing applied; the caller re-anchors and resets (here: from the model, which followed the text)
            assert.deepEqual(sorted(positions(index)), sorted(before));
            for (const id of lost) live.delete(id);
            index.reset([...model.spans()].map(([id, [start, end]]) => ({ value: { id, text: '' }, start, end })), text.length);
            continue;
          }
          assert.deepEqual(result.removed.map((r) => r.id).sort(), lost.sort(), 'removed spans reported');
          for (const id of lost) live.delete(id);
          assert.equal(model.text, text);
          const expected = model.spans();
          assert.deepEqual(sorted(positions(index)), sorted(expected));
          assert.deepEqual(new Set(expected.keys()), live, 'no span silently lost');
          // ordered iteration, and range queries against a scan of all spans
          const all = index.all();
          for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].start < all[i].start || (all[i - 1].start === all[i].start && all[i - 1].end <= all[i].end));
          for (const [a, w] of probes) {
            const from = a % (text.length + 1);
            const to = Math.min(text.length, from + w);
            const want = all.filter((s) => (from === to ? s.start <= from && from <= s.end : s.start < to && s.end > from)).map((s) => s.id);
            assert.deepEqual(index.inRange(from, to).map((s) => s.id), want);
          }
        }
      }),
      3000,
    );
  });

  it('undoing every event (the inverse events VS Code sends, newest first) restores every span exactly; redo repeats the edits', () => {
    const undoableEvent = eventArb.filter((e) => e.kind !== 'whole');
    checkProperty(
      fc.property(textArb, spansArb, fc.array(undoableEvent, { minLength: 1, maxLength: 8 }), (text0, rawSpans, rawEvents) => {
        const spans = fitSpans(text0, rawSpans);
        const index = new SpanIndex<Tag>(
          spans.map(([id, start, end]) => ({ id, text: text0.slice(start, end), start, end })),
          { quoteOf: (t) => t.text },
        );
        let text = text0;
        // every span is live, or was reported removed (and not reported restored since)
        const live = new Set(spans.map((s) => s[0]));
        const apply = (changes: ContentChange[], reason?: 'undo') => {
          text = applyText(text, changes);
          const r = index.applyChanges(changes, { reason });
          // the caller's duty: keep quotes fresh
          for (const e of [...r.edited, ...r.restored]) e.value.text = text.slice(e.start, e.end);
          for (const e of r.removed) live.delete(e.id);
          for (const e of r.restored) live.add(e.id);
          assert.deepEqual(new Set(index.all().map((e) => e.id)), live, 'no span silently lost or duplicated');
          for (const e of index.all()) assert.equal(e.value.text, text.slice(e.start, e.end));
          return r;
        };
        const history: Array<{ changes: ContentChange[]; inverse: ContentChange[]; before: Map<string, [number, number]>; after: Map<string, [number, number]> }> = [];
        for (const raw of rawEvents) {
          const changes = fitEvent(text, raw);
          if (!changes.length) continue;
          const before = positions(index);
          const inverse = inverseOf(text, changes);
          apply(changes);
          history.push({ changes, inverse, before, after: positions(index) });
        }
        for (const h of [...history].reverse()) {
          apply(h.inverse, 'undo');
          assert.deepEqual(sorted(positions(index)), sorted(h.before), 'after undo');
        }
        assert.equal(text, text0);
        for (const h of history) {
          apply(h.changes);
          assert.deepEqual(sorted(positions(index)), sorted(h.after), 'after redo');
        }
        // and once more: undo half, then type something new (VS Code drops the redo stack)
        const half = history.slice(Math.floor(history.length / 2)).reverse();
        for (const h of half) apply(h.inverse, 'undo');
        assert.deepEqual(sorted(positions(index)), sorted(half.length ? half[half.length - 1].before : positions(index)), 'after partial undo');
        apply([{ rangeOffset: 0, rangeLength: 0, text: 'new ' }]);
      }),
      2000,
    );
  });


  it('spans added and removed between edits (many at one place: shifted runs, rebuilds) stay where the cell model says', () => {
    // ops: add a span near a spot (few spots, so additions crowd one place and exhaust the free
    // slots there), remove one, or apply an edit event
    type Op = { kind: 'add'; spot: number; at: number; length: number; count: number } | { kind: 'remove'; pick: number } | { kind: 'edit'; event: RawEvent };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), spot: fc.nat(3), at: fc.nat(4), length: fc.nat(6), count: fc.integer({ min: 1, max: 90 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: eventArb.filter((e) => e.kind !== 'whole').map((event) => ({ kind: 'edit' as const, event })) },
    );
    checkProperty(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 40, maxLength: 80 }), fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.nat(), (tokens, ops, probe) => {
        let text = tokens.join('');
        const model = new Model(text, []);
        const index = new SpanIndex<Tag>([], { documentLength: text.length, stashLimit: 0 });
        let next = 0;
        const check = (what: string) => {
          const expected = model.spans();
          assert.deepEqual(sorted(positions(index)), sorted(expected), what);
          const all = index.all();
          for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].start < all[i].start || (all[i - 1].start === all[i].start && all[i - 1].end <= all[i].end), `${what}: ordered`);
          // a range, and a point (the cursor): an empty range gives the spans touching it
          const from = probe % (text.length + 1);
          const to = Math.min(text.length, from + 5);
          const want = all.filter((s) => (from < to ? s.start < to && s.end > from : s.start <= from && s.end >= from)).map((s) => s.id).sort();
          assert.deepEqual(index.inRange(from, to).map((s) => s.id).sort(), want, `${what}: inRange`);
          const touching = all.filter((s) => s.start <= from && s.end >= from).map((s) => s.id).sort();
          assert.deepEqual(index.inRange(from, from).map((s) => s.id).sort(), touching, `${what}: inRange at a point`);
          for (const e of all) assert.deepEqual(index.get(e.id), e, `${what}: get`);
        };
        for (const op of ops) {
          if (op.kind === 'add') {
            // one call per span (the tag path), each a little to the side of the last
            for (let k = 0; k < op.count; k++) {
              const start = boundary(text, Math.min(text.length - 1, Math.floor((op.spot * text.length) / 4) + ((op.at + k) % 5)));
              let end = boundary(text, Math.min(text.length, start + 1 + ((op.length + k) % 7)));
              if (end <= start) end = Math.min(text.length, start + 2);
              const id = `n${next++}`;
              index.add({ id, text: '' }, start, end);
              for (let i = start; i < end; i++) model.cells[i].spans.add(id);
            }
            check('after adding');
          } else if (op.kind === 'remove') {
            const ids = [...model.ids()];
            if (!ids.length) continue;
            const id = ids[op.pick % ids.length];
            assert.equal(index.remove(id)?.id, id);
            for (const c of model.cells) c.spans.delete(id);
            check('after removing');
          } else {
            const changes = fitEvent(text, op.event);
            if (!changes.length) continue;
            const r = index.applyChanges(changes);
            if (r.needsReanchor) continue; // (whole replacements are excluded above; a short text can still trip it)
            text = applyText(text, changes);
            const lost = changes.flatMap((c) => model.apply(c));
            assert.deepEqual(r.removed.map((x) => x.id).sort(), lost.sort(), 'removed spans reported');
            check('after an edit');
          }
        }
      }),
      400,
    );
  });
});

describe('span index: regressions from generated sequences', () => {
  it('seed 1706439252: at the end of the text (an empty range) inRange gives the spans that end there', () => {
    // the probe fell on text.length, where the range [from, min(len, from + 5)) is empty
    const text = 'a'.repeat(37);
    const index = new SpanIndex<Tag>([], { documentLength: text.length, stashLimit: 0 });
    index.add({ id: 'end', text: '' }, 33, 37);
    index.add({ id: 'before', text: '' }, 30, 33);
    assert.deepEqual(index.inRange(37, 37).map((s) => s.id), ['end']);
    assert.deepEqual(index.inRange(33, 33).map((s) => s.id).sort(), ['before', 'end']);
    assert.deepEqual(index.inRange(33, 37).map((s) => s.id), ['end']);
  });

  it('seed -300463189: undoing five edits of "aaa" (one span over it all) gives the span its whole text back', () => {
    // text "aaa", span [0,3]; edits: delete at 2; "xx\r\n" over 0; "x" at 2; delete 0..3; delete at 2
    const events: ContentChange[] = [
      { rangeOffset: 2, rangeLength: 1, text: '' },
      { rangeOffset: 0, rangeLength: 1, text: 'xx\r\n' },
      { rangeOffset: 2, rangeLength: 0, text: 'x' },
      { rangeOffset: 0, rangeLength: 3, text: '' },
      { rangeOffset: 2, rangeLength: 1, text: '' },
    ];
    let text = 'aaa';
    const index = new SpanIndex<Tag>([{ id: 's0', text, start: 0, end: 3 }], { quoteOf: (t) => t.text });
    const apply = (c: ContentChange, reason?: 'undo') => {
      text = applyText(text, [c]);
      const r = index.applyChanges([c], { reason });
      for (const e of [...r.edited, ...r.restored]) e.value.text = text.slice(e.start, e.end);
    };
    const undos: ContentChange[][] = [];
    for (const c of events) {
      undos.push(inverseOf(text, [c]));
      apply(c);
    }
    for (const u of undos.reverse()) apply(u[0], 'undo');
    assert.equal(text, 'aaa');
    assert.deepEqual(sorted(positions(index)), [['s0', [0, 3]]]);
  });
});
