/**
 * Following text edits with the spans, never losing one. `SpanIndex` applies each change by its
 * edit rule and gives spans back exactly on VS Code's undo and redo (also an undo that merged a run
 * of Backspace or Delete presses); this part adds the recoveries the index cannot do alone:
 * - **The same words re-inserted**: a change that deletes a span's text and inserts text holding
 *   that exact quote (a formatter's minimal edit, pasting over a selection with the same words)
 *   keeps the span, on its words in the inserted text.
 * - **External changes** (VS Code reloading a file changed on disk) never delete: the spans they
 *   touch are followed through a diff of the texts when the text before is known, else re-anchored
 *   by quote and context, or kept orphaned. The editor may learn only after the event that it came
 *   from outside (`repairAsExternal`).
 * - **Whole-document replacements** (wholeReplacement.ts).
 * - **Orphans are not final**: after a change that inserts text where an orphan's quote now occurs,
 *   and whenever the caller asks (`retryOrphans`), orphans are re-anchored and one found
 *   unambiguously is placed again, provisionally (spans.ts); an edit that reaches a provisional
 *   re-attachment makes it the orphan it was again.
 */
import { OffsetMap } from '../offsets';
import { SpanEntry } from '../spanIndex';
import { diffOfChanges, followEdits, narrowToQuote } from '../textDiff';
import { Placed, quotedAnnotation, reanchorAnnotations, Rec, Span, spanOf, TextChange, TextReader } from './span';
import { EditHost, EditOutcome, EditTicket, TextChangeOptions, withMoved } from './outcome';
import { Spans } from './spans';
import { WholeReplacements } from './wholeReplacement';

export class TextFollower {
  private readonly whole: WholeReplacements;

  constructor(private readonly spans: Spans, private readonly host: EditHost) {
    this.whole = new WholeReplacements(spans, host, this);
  }

  /** Forgets the whole-document snapshots (a loaded text has none). */
  reset(): void {
    this.whole.reset();
  }

  /**
   * Follows one text change event (VS Code's `contentChanges`, applied in order, as the index's
   * edit rule says). Returns what happened to spans, for the status bar.
   */
  apply(changes: readonly TextChange[], read: TextReader, newLength: number, options: TextChangeOptions & { external?: boolean }): EditOutcome {
    const { spans } = this;
    const index = spans.index;
    // an ordinary edit ends the redos (VS Code drops its redo stack): no replacement's redo is left
    if (!options.reason) this.whole.endRedos();
    spans.shiftOrphans(changes, newLength);
    // the sorted view holds offsets: any change moves some (orphans too, even when no event follows)
    spans.sorted.forget();
    const oldLength = index.documentLength;
    // where provisional re-attachments sit before the edit (should it reach them)
    const provisionalAt = new Map<string, SpanEntry<Rec>>();
    for (const id of spans.provisional.keys()) {
      const e = index.get(id);
      if (e) provisionalAt.set(id, e);
    }
    // where the spans this change reaches were before it: should it prove to come from outside,
    // they are followed through a diff from there (see repairAsExternal)
    const before = options.previousText ? this.spansBefore(changes) : undefined;
    const r = index.applyChanges(changes, { documentLength: newLength, reason: options.reason });
    // nothing was applied: the index still holds the spans as they were before the replacement
    if (r.needsReanchor) return this.whole.follow(changes, read, newLength, oldLength, options);

    if (options.external && (r.removed.length || r.edited.length)) return this.followExternal(r.removed, r.edited, read, newLength);

    const touchedBefore = r.removed.length || r.edited.length
      ? [
          ...r.removed.map((e) => ({ rec: e.value, quote: e.value.text, start: e.start, end: e.end, removed: true })),
          ...r.edited.map((e) => ({ rec: e.value, quote: e.value.text, start: e.start, end: e.end, removed: false })),
        ]
      : undefined;
    const labels = new Set<string>();
    const inserted = insertedRegions(changes);
    // a provisional re-attachment whose words this edit reached is the orphan it was again
    const orphaned: Span[] = [];
    const mine = r.removed.filter((e) => !spans.provisional.has(e.id));
    const kept = inserted.length && mine.length ? this.keepReplacedWords(mine, changes, read) : new Set<string>();
    const removed: Span[] = [];
    for (const e of r.removed) {
      labels.add(e.value.label);
      if (spans.provisional.has(e.id)) orphaned.push(spans.orphanAgain(e, newLength, provisionalAt.get(e.id)));
      else if (!kept.has(e.id)) removed.push(spanOf(e.value, e.start, e.end));
    }
    for (const e of r.edited) {
      labels.add(e.value.label);
      if (spans.provisional.has(e.id)) {
        index.remove(e.id);
        orphaned.push(spans.orphanAgain(e, newLength, provisionalAt.get(e.id)));
      } else e.value.text = read(e.start, e.end);
    }
    if (orphaned.length) spans.noteOrphans();
    const restored: Span[] = [];
    for (const e of r.restored) {
      e.value.text = read(e.start, e.end);
      restored.push(spanOf(e.value, e.start, e.end));
      labels.add(e.value.label);
    }
    if (options.reason && spans.anyReturned) {
      for (const s of spans.putBackReturned(read, newLength, new Set(orphaned.map((o) => o.id)))) {
        restored.push(s);
        labels.add(s.label);
      }
    }
    const reattached = inserted.length && spans.orphans.size && spans.orphanQuoteMayAppear(read, newLength, inserted) ? spans.retry(read, newLength, labels) : [];
    // Spans after a change that grew or shrank the text moved: the sidecar's offsets are stale, but
    // nothing needs redrawing for that (VS Code moves decorations with the text, by the same rule
    // for untouched spans), so a keystroke costs the index's O(log n) and no pass over the spans.
    const shifted = index.size > 0 && changes.some((c) => c.text.length !== c.rangeLength);
    const again = orphaned.length ? { orphaned } : {};
    if (!labels.size && !shifted) return { removed, restored, reattached, ...again };
    this.host.changed({ labels, shifted });
    const ticket = touchedBefore ? { touched: touchedBefore, revision: this.host.revision, ...(before ? { before } : {}) } : undefined;
    return { removed, restored, reattached, ...again, ...(ticket ? { ticket } : {}) };
  }

  /**
   * The edit behind `ticket` turned out to come from outside (VS Code reloaded a file changed on
   * disk: the editor learns that only after the event). Its spans are found again by their quotes
   * before it, as `external` would have done. Only while nothing changed since the edit.
   */
  repairAsExternal(ticket: EditTicket, read: TextReader, newLength: number, previousText?: string): EditOutcome | undefined {
    if (ticket.revision !== this.host.revision) return undefined;
    const { spans } = this;
    const touched = ticket.touched as Array<{ rec: Rec; quote: string; start: number; end: number; removed: boolean }>;
    const entries: SpanEntry<Rec>[] = [];
    for (const t of touched) {
      if (spans.orphans.has(t.rec.id)) continue;
      if (spans.index.has(t.rec.id)) {
        if (t.removed) continue; // put back already (its own words re-inserted)
        spans.index.remove(t.rec.id);
      } else if (!t.removed) continue;
      t.rec.text = t.quote;
      entries.push({ id: t.rec.id, start: t.start, end: t.end, value: t.rec });
    }
    if (!entries.length) return undefined;
    const edits = ticket.before && previousText !== undefined ? diffOfChanges(previousText, read(0, newLength), ticket.before.changes) : undefined;
    if (!edits || !ticket.before) return this.followExternal(entries, [], read, newLength);
    // followed through the diff from where they were before the change; the ones whose whole text
    // it deleted are looked for by quote
    const before = ticket.before.spans;
    const known = entries.filter((e) => before.has(e.id));
    const { placed, deleted } = followEdits(
      known.map((e) => ({ value: e.value, start: before.get(e.id)![0], end: before.get(e.id)![1] })),
      edits,
    );
    const labels = new Set<string>();
    for (const p of placed) {
      const [start, end] = narrowToQuote(read, p.start, p.end, p.value.text);
      p.value.text = read(start, end);
      spans.takenUp(p.id);
      spans.index.add(p.value, start, end);
      labels.add(p.value.label);
    }
    const rest = [...entries.filter((e) => !before.has(e.id)), ...deleted];
    if (rest.length) return withMoved(this.followExternal(rest, [], read, newLength), placed.length);
    this.host.changed({ labels, shifted: true });
    return { removed: [], restored: [], reattached: [], reanchored: { annotations: [], unchanged: 0, moved: placed.length, orphaned: [] } };
  }

  /** The placed spans an event's changes reach, with their offsets before it. */
  private spansBefore(changes: readonly TextChange[]): EditTicket['before'] {
    const spans = new Map<string, readonly [number, number]>();
    for (const c of changes) for (const e of this.spans.index.inRange(c.rangeOffset, c.rangeOffset + c.rangeLength)) spans.set(e.id, [e.start, e.end]);
    return { changes, spans };
  }

  /**
   * The text changed outside the editor (VS Code reloaded the file): no span was deleted by hand,
   * so every span the change touched is found again by its quote and context, or kept orphaned.
   */
  followExternal(removedEntries: SpanEntry<Rec>[], editedEntries: SpanEntry<Rec>[], read: TextReader, newLength: number): EditOutcome {
    const { spans } = this;
    const touched = [...removedEntries, ...editedEntries];
    for (const e of editedEntries) spans.index.remove(e.id);
    // found again by their quotes (or orphaned) like every span the change touched
    for (const e of touched) spans.takenUp(e.id);
    const map = new OffsetMap(read(0, newLength));
    // the quotes as they were before the change (refreshed only after an edit by hand)
    const report = reanchorAnnotations(
      touched.map((e) => quotedAnnotation(spanOf(e.value, map.toCodePoint(Math.min(e.start, newLength)), map.toCodePoint(Math.min(e.end, newLength))))),
      map,
    );
    spans.takeReanchored(report, map, new Map(touched.map((e) => [e.id, e.value])));
    const labels = new Set(touched.map((e) => e.value.label));
    const reattached = spans.orphans.size ? spans.retry(read, newLength, labels) : [];
    spans.noteOrphans();
    this.host.changed({ labels, shifted: true });
    return { removed: [], restored: [], reattached, reanchored: report };
  }

  /**
   * Tries every orphan again by quote and context against the live text; places the ones found
   * unambiguously, provisionally. Not an undo step: it follows the text, as edits do.
   */
  retryOrphans(read: TextReader, length: number): Span[] {
    if (!this.spans.orphans.size) return [];
    const labels = new Set<string>();
    const out = this.spans.retry(read, length, labels);
    if (out.length) this.host.changed({ labels });
    return out;
  }

  /**
   * Spans this event removed whose exact words it inserted again (a formatter's minimal edit,
   * pasting the same words over them) stay, on those words: the one occurrence inside the inserted
   * text, or, among several, the one at the span's old place in it. Returns their ids.
   */
  private keepReplacedWords(removedEntries: SpanEntry<Rec>[], changes: readonly TextChange[], read: TextReader): Set<string> {
    const index = this.spans.index;
    const kept = new Set<string>();
    const put: Placed[] = [];
    for (const e of removedEntries) {
      const q = e.value.text;
      if (!q) continue;
      // the change that removed it, and where its inserted text lies after the event
      let growthBelow = 0;
      let found: number | undefined;
      const sorted = [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset);
      for (const c of sorted) {
        const at = c.rangeOffset + growthBelow;
        if (c.rangeOffset <= e.start && e.end <= c.rangeOffset + c.rangeLength && c.text.includes(q)) {
          const hits: number[] = [];
          for (let i = c.text.indexOf(q); i >= 0; i = c.text.indexOf(q, i + 1)) hits.push(i);
          const same = hits.find((i) => i === e.start - c.rangeOffset);
          const pick = hits.length === 1 ? hits[0] : same;
          if (pick !== undefined) found = at + pick;
          break;
        }
        growthBelow += c.text.length - c.rangeLength;
      }
      if (found === undefined) continue;
      const start = found;
      const end = start + q.length;
      if (read(start, end) !== q) continue;
      if (index.inRange(start, end).some((x) => x.start === start && x.end === end && x.value.label === e.value.label)) continue;
      put.push({ value: e.value, start, end });
      kept.add(e.id);
    }
    if (put.length) {
      index.addMany(put);
      // for this event's undo the span moved rather than vanished
      for (const p of put) index.keptInLastEvent(p.value.id);
    }
    return kept;
  }
}

/** The regions [from, to) of the new text that an event inserted (offsets after the event). */
function insertedRegions(changes: readonly TextChange[]): Array<[number, number]> {
  // changes come in VS Code's descending order with offsets before the event: a change's offset
  // after the event moves by the growth of the changes before it (those later in the list)
  const out: Array<[number, number]> = [];
  const sorted = [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset);
  let shift = 0;
  for (const c of sorted) {
    const at = c.rangeOffset + shift;
    if (c.text.length) out.push([at, at + c.text.length]);
    else if (c.rangeLength) out.push([at, at]); // a deletion can join text into a quote
    shift += c.text.length - c.rangeLength;
  }
  return out;
}
