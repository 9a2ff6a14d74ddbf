/**
 * The spans of an open article, following its text edit by edit (UTF-16 offsets, as VS Code's
 * `TextDocumentContentChangeEvent` reports them). The spans are stored in a `SlotTree` (one edit
 * costs O((k + 1) log n) for the k spans it touches; the spans after it are shifted lazily), and
 * an `UndoStash` recognises VS Code's undo of an edit that removed spans.
 *
 * Edge rules, for a change replacing [o, o + l) with m characters (owned here, not left to VS Code's
 * decoration range behaviour):
 * - a span ending at or before o is unchanged (an insertion exactly at its end goes after it);
 * - a span starting at or after o + l shifts (an insertion exactly at its start goes before it);
 * - a span whose whole text lies inside [o, o + l) is removed (and reported, and stashed for undo);
 * - otherwise the span keeps its surviving text and any text inserted strictly inside it: its start
 *   becomes o + m when the change began before it, its end becomes o when the change ran past it.
 *   A change that starts exactly at the span's start (or ends exactly at its end) and stays inside
 *   keeps the inserted text: typing over the first word of "Police Scotland" keeps the span whole.
 *
 * Multi-cursor events: VS Code sorts an event's changes by position descending and gives each one's
 * `rangeOffset` in the document before the event; applying them in order is then exact, because
 * each change lies before every change already applied (see PieceTreeTextBuffer._doApplyEdits).
 * `applyChanges` applies them in the given order, so "each change relative to the text after the
 * previous ones" (the sequential reading) is what it implements; for VS Code's events both agree.
 *
 * Undo: when an undo event matches a remembered one and every stashed span passes its check (still
 * where the event left it, and — when `quoteOf` is given — its deleted text re-inserted exactly),
 * the stashed spans get their old offsets back. Only undo events are matched, so an ordinary edit
 * that merely looks like an undo never restores anything; a redo is an ordinary edit (the rule
 * removes the same spans again) and is remembered like one.
 * The stash is per event, not per change: the undo applies its changes top-down too, not in reverse,
 * so a span touched by two changes of one event passes through intermediate states the forward
 * event never had; only the states before and after the whole event can be checked.
 * Stash offsets are not shifted by later edits: VS Code's undo restores exact earlier states, so by
 * the time an inverse arrives every later edit has been undone.
 * Not recognised here: a merged undo of several events that removed spans (typing-merged
 * backspacing); AnnotationDocument brings those spans back by quote and context.
 */

import { SlotTree } from './slotTree';
import type { ChangeReason, ContentChange, EditResult, SpanEntry, SpanIndexOptions } from './types';
import { UndoStash, type StashedSpan } from './undoStash';

export type { ChangeReason, ContentChange, EditResult, SpanEntry, SpanIndexOptions } from './types';

/**
 * The payload `T` is stored as given (for the constructor, the item itself); its own `start`/`end`
 * fields, if any, are not maintained: read offsets from the entries the index returns.
 */
export class SpanIndex<T extends { id: string } = { id: string }> {
  private readonly tree = new SlotTree<T>();
  private readonly undo: UndoStash<T>;
  private readonly quoteOf?: (value: T) => string | undefined;
  private readonly fraction: number;
  /** Current document length when known (kept up to date by every change). */
  documentLength: number | undefined;

  constructor(spans: Iterable<T & { start: number; end: number }> = [], options: SpanIndexOptions<T> = {}) {
    this.quoteOf = options.quoteOf;
    this.fraction = options.wholeDocumentFraction ?? 0.9;
    this.undo = new UndoStash(this.tree, options.stashLimit ?? 1000);
    this.documentLength = options.documentLength;
    const entries: SpanEntry<T>[] = [];
    for (const s of spans) entries.push({ id: s.id, start: s.start, end: s.end, value: s });
    this.tree.build(entries);
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  get size(): number {
    return this.tree.size;
  }

  has(id: string): boolean {
    return this.tree.has(id);
  }

  get(id: string): SpanEntry<T> | undefined {
    return this.tree.get(id);
  }

  /** Every span in order of start, then end. */
  all(): SpanEntry<T>[] {
    return this.tree.all();
  }

  [Symbol.iterator](): Iterator<SpanEntry<T>> {
    return this.all()[Symbol.iterator]();
  }

  /** Spans intersecting [from, to); for an empty range, the spans touching `from` (start ≤ from ≤ end). */
  inRange(from: number, to: number): SpanEntry<T>[] {
    return this.tree.inRange(from, to);
  }

  /** Spans under a cursor offset (touching it at either edge), innermost (shortest) first. */
  at(offset: number): SpanEntry<T>[] {
    return this.inRange(offset, offset).sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  }

  // ------------------------------------------------------------------------------------------
  // Changing the set of spans

  /** Adds (or, for a known id, moves) one span: O(log n) plus a short shift (see `SlotTree`). */
  add(value: T, start: number, end: number): void {
    this.addMany([{ value, start, end }]);
  }

  addMany(spans: Iterable<{ value: T; start: number; end: number }>): void {
    const list = [...spans];
    // a big batch (a reload, applying every suggestion) is cheaper as one rebuild than one by one
    if (list.length > Math.max(64, this.tree.size >> 3)) {
      const byId = new Map<string, SpanEntry<T>>();
      for (const e of this.tree.all()) byId.set(e.id, e);
      for (const s of list) byId.set(s.value.id, { id: s.value.id, start: s.start, end: s.end, value: s.value });
      this.tree.build([...byId.values()]);
      return;
    }
    for (const s of list) this.tree.put(s.value, s.start, s.end);
    this.tree.compactIfSparse();
  }

  /** Removes a span by id (a tombstone, O(log n)). Returns it with its offsets. */
  remove(id: string): SpanEntry<T> | undefined {
    const e = this.tree.delete(id);
    if (e) this.tree.compactIfSparse();
    return e;
  }

  /** Replaces every span (after re-anchoring, or a reload); forgets the undo stash, whose offsets no longer apply. */
  reset(spans: Iterable<{ value: T; start: number; end: number }>, documentLength?: number): void {
    const entries: SpanEntry<T>[] = [];
    for (const s of spans) entries.push({ id: s.value.id, start: s.start, end: s.end, value: s.value });
    this.clearStash();
    if (documentLength !== undefined) this.documentLength = documentLength;
    this.tree.build(entries);
  }

  // ------------------------------------------------------------------------------------------
  // Text edits

  /**
   * One change: `length` code units at `offset` replaced by the text `inserted`, or by `inserted`
   * code units (lengths only: then the change is neither remembered nor recognised as an undo).
   * Returns the spans removed.
   */
  applyChange(offset: number, length: number, inserted: number | string): SpanEntry<T>[] {
    if (typeof inserted === 'string') return this.applyChanges([{ rangeOffset: offset, rangeLength: length, text: inserted }]).removed;
    return this.follow([{ rangeOffset: offset, rangeLength: length, text: '' }], [inserted], undefined).removed;
  }

  /**
   * Follows one `onDidChangeTextDocument` event: its `contentChanges`, applied in the given order.
   * `documentLength` (the length after the event) enables the whole-document check when the index
   * was not told the length at construction.
   */
  applyChanges(changes: readonly ContentChange[], options: { documentLength?: number; reason?: ChangeReason } = {}): EditResult<T> {
    return this.follow(changes, undefined, options.documentLength, options.reason);
  }

  /**
   * The undo and redo stashes, to put back with `restoreHistory` when the text returns to the
   * state they were made for (the undo of a whole-document replacement, which `reset` forgot them for).
   */
  saveHistory(): unknown {
    return this.undo.save();
  }

  restoreHistory(saved: unknown): void {
    this.undo.restore(saved);
  }

  /** Forgets the undo stash (e.g. when the document is reloaded from disk). */
  clearStash(): void {
    this.undo.clear();
  }

  /** See `UndoStash.keptInLastEvent`. */
  keptInLastEvent(id: string): void {
    this.undo.keptInLastEvent(id);
  }

  /** See `UndoStash.forgetInLastEvent`. */
  forgetInLastEvent(id: string): void {
    this.undo.forgetInLastEvent(id);
  }

  /** `lengths`, when given, replace the changes' text lengths (and turn undo handling off). */
  private follow(changes: readonly ContentChange[], lengths: number[] | undefined, documentLength: number | undefined, reason?: ChangeReason): EditResult<T> {
    const insertedLength = (c: ContentChange, i: number) => lengths?.[i] ?? c.text.length;
    let growth = 0;
    changes.forEach((c, i) => (growth += insertedLength(c, i) - c.rangeLength));
    const after = documentLength ?? (this.documentLength === undefined ? undefined : this.documentLength + growth);
    const before = after === undefined ? undefined : after - growth;
    if (before !== undefined && before > 0) {
      // a formatter or "replace all": re-anchoring by quote beats shifting (every span would be removed)
      const whole = changes.some((c, i) => c.rangeLength > 0 && insertedLength(c, i) > 0 && c.rangeLength >= this.fraction * before);
      if (whole) {
        this.documentLength = after;
        return { needsReanchor: true, removed: [], restored: [], edited: [] };
      }
    }
    const removed: SpanEntry<T>[] = [];
    const edited = new Set<string>();
    const touched = new Map<string, StashedSpan<T>>();
    // Before applying: is this event the undo of a remembered one? (checks need the current offsets)
    const restore = (lengths ? undefined : this.undo.match(changes, reason)) ?? [];
    changes.forEach((c, i) => this.change(c.rangeOffset, c.rangeLength, insertedLength(c, i), removed, edited, touched));
    const restored = restore.map((sp) => sp.id);
    if (restore.length) {
      this.addMany(restore.map((sp) => ({ value: sp.value, start: sp.pre[0], end: sp.pre[1] })));
      for (const id of restored) edited.delete(id);
    }
    if (!lengths) this.undo.remember(changes, touched, reason);
    if (after !== undefined) this.documentLength = after;
    this.tree.compactIfSparse();
    const final = (ids: Iterable<string>) => {
      const out: SpanEntry<T>[] = [];
      for (const id of ids) {
        const e = this.get(id);
        if (e) out.push(e);
      }
      return out;
    };
    return { needsReanchor: false, removed: removed.filter((r) => !restored.includes(r.id)), restored: final(restored), edited: final(edited) };
  }

  /** The core of an edit; see the rules at the top of the file. */
  private change(
    offset: number,
    length: number,
    inserted: number,
    removed: SpanEntry<T>[],
    edited: Set<string>,
    touched: Map<string, StashedSpan<T>>,
  ): void {
    const changeEnd = offset + length;
    // Spans starting at or after the change's end shift: they form a suffix of the slots.
    const first = this.tree.firstStartAtLeast(changeEnd);
    // Spans overlapping the change start before its end (slots < first) and end after its start.
    const hit: Array<[number, number, number]> = [];
    this.tree.collect(first, offset, (slot, start, end) => hit.push([slot, start, end]));
    this.tree.shiftFrom(first, inserted - length);
    for (const [slot, start, end] of hit) {
      const { value } = this.tree.entryAt(slot, start, end);
      // Undo bookkeeping. The first touch in an event gives the pre-event offsets: in VS Code's
      // descending order, a span first touched by a later change lies below every earlier one.
      // A change strictly inside the span is undone by its inverse under the same rules; one that
      // reaches an edge is not (delete a span's first character: the undo re-inserts it at the
      // span's start, which goes before the span), so only those spans need restoring.
      let t = touched.get(value.id);
      if (!t) touched.set(value.id, (t = { id: value.id, value, pre: [start, end], post: undefined, quote: this.quoteOf?.(value), edge: false }));
      if (offset <= start || changeEnd >= end) t.edge = true;
      if (offset <= start && changeEnd >= end) {
        removed.push({ id: value.id, start, end, value });
        edited.delete(value.id);
        this.tree.kill(slot);
        continue;
      }
      // Order by start is preserved: a start inside the change moves to offset + inserted, which is
      // ≥ every untouched start before it and ≤ every shifted start after it.
      const newStart = offset < start ? offset + inserted : start;
      const newEnd = changeEnd > end ? offset : end + inserted - length;
      this.tree.setSlot(slot, newStart, newEnd); // never empty: that needs the whole span replaced (above)
      edited.add(value.id);
    }
  }
}
