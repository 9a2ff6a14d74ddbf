/**
 * The spans of an open article, following its text edit by edit (UTF-16 offsets, as VS Code's
 * `TextDocumentContentChangeEvent` reports them).
 *
 * Structure: the spans sit in slots ordered by start (ties in any order), the leaves of a segment
 * tree whose internal nodes carry a lazy offset and the subtree's largest start and end.
 * A span's true offset is its leaf value plus the lazy offsets of its ancestors. One edit then costs:
 * - O(log n) to find the first span at or after the edit and shift that whole suffix (one lazy
 *   add per O(log n) nodes: the spans after an edit are never visited);
 * - O((k + 1) log n) to find and update the k spans that overlap the edit (a descent pruned by
 *   the largest end, so a long span far before the edit is found without scanning its neighbours).
 * Order by start survives every edit (see `change`), so the tree never needs re-sorting for edits.
 * Adding a span is O(log n) plus a short shift: a build leaves every other slot free, so a new span
 * usually drops into the free slot just before the first span starting at or after it; when that
 * slot is taken, the run of spans up to the nearest free slot (at most `SHIFT_WINDOW` away) moves one
 * slot over. Only when no free slot is that near (many additions at one place) is the tree rebuilt
 * (O(n log n)), with gaps again. A tag in an article of 50,000 spans then costs microseconds, not
 * the tens of milliseconds a rebuild takes.
 * Removing is a tombstone (a free slot again), compacted when tombstones outnumber live spans.
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
 * Undo: every event leaves an entry on an undo stack (the last `stashLimit`), holding the spans it
 * removed or changed at an edge, with their offsets before the event. An event that VS Code marks
 * as an undo (`reason: 'undo'`, from `TextDocumentChangeEvent.reason`) is matched against that
 * stack, newest first, by geometry: VS Code's undo is the inverse event (every change inverted, its
 * inserted text replaced by the text it deleted, offsets in the document after the event, the same
 * descending order). When the geometry matches and every stashed span passes its check (still where
 * the event left it, and — when `quoteOf` is given — its deleted text re-inserted exactly), the
 * stashed spans get their old offsets back and that entry and every newer one leave the stack (newer
 * ones were undone with it: VS Code merges consecutive typing into one undo step, whose inverse
 * matches no single entry). Only undo events are matched, so an ordinary edit that merely looks
 * like an undo never restores anything; a redo is an ordinary edit (the rule removes the same spans
 * again) and is remembered like one.
 * The stash is per event, not per change: the undo applies its changes top-down too, not in reverse,
 * so a span touched by two changes of one event passes through intermediate states the forward
 * event never had; only the states before and after the whole event can be checked.
 * Stash offsets are not shifted by later edits: VS Code's undo restores exact earlier states, so by
 * the time an inverse arrives every later edit has been undone.
 * Not recognised here: a merged undo of several events that removed spans (typing-merged
 * backspacing); AnnotationDocument brings those spans back by quote and context.
 */

/** Why a change happened, as VS Code's `TextDocumentChangeEvent.reason` says (undefined: an ordinary edit). */
export type ChangeReason = 'undo' | 'redo' | undefined;

/** One text change as VS Code reports it (structurally `vscode.TextDocumentContentChangeEvent`). */
export interface ContentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** A span as the index reports it: the payload and its current offsets (the index owns the offsets). */
export interface SpanEntry<T> {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly value: T;
}

export interface EditResult<T> {
  /**
   * The event replaced (nearly) the whole document, e.g. a formatter. Nothing was applied: the
   * caller re-anchors by quote (`reanchorAnnotations`) against the new text and calls `reset`.
   */
  needsReanchor: boolean;
  /** Spans whose whole text was deleted, with their offsets just before the change that removed them. */
  removed: SpanEntry<T>[];
  /** Spans brought back because an inverse change (undo) re-inserted their text; final offsets. */
  restored: SpanEntry<T>[];
  /** Spans whose text changed (an edit inside or overlapping them), with final offsets: refresh their quotes. */
  edited: SpanEntry<T>[];
}

export interface SpanIndexOptions<T> {
  /**
   * The span's quote as last known. With it, an undo restores a removed span only when the
   * re-inserted text holds that quote at the span's place; without it the geometry alone decides.
   */
  quoteOf?: (value: T) => string | undefined;
  /** Length of the document, if known: then `applyChanges` can tell a whole-document replacement. */
  documentLength?: number;
  /** A change deleting at least this fraction of the document and inserting text means "re-anchor". Default 0.9. */
  wholeDocumentFraction?: number;
  /** Events remembered for undo (oldest dropped first). Default 1000; 0 turns undo recognition off. */
  stashLimit?: number;
}

interface StashedSpan<T> {
  id: string;
  value: T;
  /** Offsets before the event (what its undo must give back). */
  pre: [number, number];
  /** Offsets after the event, or undefined when the event removed the span. */
  post: [number, number] | undefined;
  /** Its quote before the event (if known): the undo must re-insert the parts the event deleted. */
  quote: string | undefined;
  /** Whether some change reached one of the span's edges (only those need the stash, see `change`). */
  edge: boolean;
}

interface StashEntry<T> {
  /** The undo event's geometry, "offset:deleted:inserted" per change in VS Code's order. */
  inverse: string;
  /** The regions the event's changes deleted, [offset, length] before the event: its undo re-inserts them. */
  regions: Array<[number, number]>;
  /** How much text the event inserted (0: a pure deletion, such as one Backspace). */
  inserted: number;
  spans: StashedSpan<T>[];
}

const DEAD = -Infinity;
/** How far `insert` looks for a free slot before it rebuilds the tree (a run this long moves by one). */
const SHIFT_WINDOW = 64;

/**
 * The payload `T` is stored as given (for the constructor, the item itself); its own `start`/`end`
 * fields, if any, are not maintained: read offsets from the entries the index returns.
 */
export class SpanIndex<T extends { id: string } = { id: string }> {
  /** Number of leaves, a power of two ≥ 2 (so the root is always an internal node). */
  private cap = 2;
  /** Per internal node: offset added to its whole subtree. */
  private lazy = new Float64Array(2);
  /** Per node: largest live start / end in the subtree, including the node's own lazy offset (leaves: the stored value). */
  private maxStart = new Float64Array(4).fill(DEAD);
  private maxEnd = new Float64Array(4).fill(DEAD);
  private values: (T | undefined)[] = [];
  private slotOf = new Map<string, number>();
  /** Slots [0, used) have been filled (live or tombstone). */
  private used = 0;
  private dead = 0;
  /** Remembered events, oldest first: the undo stack. */
  private stash: StashEntry<T>[] = [];
  /** Undone events, oldest first: a redo is matched here as an undo is matched in `stash`. */
  private redoStash: StashEntry<T>[] = [];
  private readonly quoteOf?: (value: T) => string | undefined;
  private readonly fraction: number;
  private readonly stashLimit: number;
  /** Current document length when known (kept up to date by every change). */
  documentLength: number | undefined;

  constructor(spans: Iterable<T & { start: number; end: number }> = [], options: SpanIndexOptions<T> = {}) {
    this.quoteOf = options.quoteOf;
    this.fraction = options.wholeDocumentFraction ?? 0.9;
    this.stashLimit = options.stashLimit ?? 1000;
    this.documentLength = options.documentLength;
    const entries: SpanEntry<T>[] = [];
    for (const s of spans) entries.push({ id: s.id, start: s.start, end: s.end, value: s });
    this.build(entries);
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): SpanEntry<T> | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.entry(slot);
  }

  /** Every span in order of start, then end. */
  all(): SpanEntry<T>[] {
    const out: SpanEntry<T>[] = [];
    this.walk(1, 0, (slot, start, end) => out.push({ id: this.values[slot]!.id, start, end, value: this.values[slot]! }));
    return sortTies(out);
  }

  [Symbol.iterator](): Iterator<SpanEntry<T>> {
    return this.all()[Symbol.iterator]();
  }

  /** Spans intersecting [from, to); for an empty range, the spans touching `from` (start ≤ from ≤ end). */
  inRange(from: number, to: number): SpanEntry<T>[] {
    const empty = from >= to;
    // candidates start before `to` (or at it, for an empty range); of those, keep the ones ending after `from`
    const limit = this.firstStartAtLeast(empty ? from + 1 : to);
    const out: SpanEntry<T>[] = [];
    this.collect(limit, empty ? from - 1 : from, (slot, start, end) => out.push({ id: this.values[slot]!.id, start, end, value: this.values[slot]! }));
    return sortTies(out);
  }

  /** Spans under a cursor offset (touching it at either edge), innermost (shortest) first. */
  at(offset: number): SpanEntry<T>[] {
    return this.inRange(offset, offset).sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  }

  // ------------------------------------------------------------------------------------------
  // Changing the set of spans

  /** Adds (or, for a known id, moves) one span: O(log n) plus a short shift, see the top of the file. */
  add(value: T, start: number, end: number): void {
    this.addMany([{ value, start, end }]);
  }

  addMany(spans: Iterable<{ value: T; start: number; end: number }>): void {
    const list = [...spans];
    // a big batch (a reload, applying every suggestion) is cheaper as one rebuild than one by one
    if (list.length > Math.max(64, this.slotOf.size >> 3)) {
      const byId = new Map<string, SpanEntry<T>>();
      for (const e of this.all()) byId.set(e.id, e);
      for (const s of list) byId.set(s.value.id, { id: s.value.id, start: s.start, end: s.end, value: s.value });
      this.build([...byId.values()]);
      return;
    }
    for (const s of list) {
      const old = this.slotOf.get(s.value.id);
      if (old !== undefined) this.kill(old);
      this.insert(s.value, s.start, s.end);
    }
    this.compactIfSparse();
  }

  /** Removes a span by id (a tombstone, O(log n)). Returns it with its offsets. */
  remove(id: string): SpanEntry<T> | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const e = this.entry(slot);
    this.kill(slot);
    this.compactIfSparse();
    return e;
  }

  /** Replaces every span (after re-anchoring, or a reload); forgets the undo stash, whose offsets no longer apply. */
  reset(spans: Iterable<{ value: T; start: number; end: number }>, documentLength?: number): void {
    const entries: SpanEntry<T>[] = [];
    for (const s of spans) entries.push({ id: s.value.id, start: s.start, end: s.end, value: s.value });
    this.clearStash();
    if (documentLength !== undefined) this.documentLength = documentLength;
    this.build(entries);
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
    const history = reason === 'undo' ? this.stash : reason === 'redo' ? this.redoStash : undefined;
    const undo = lengths || !this.stashLimit || !history ? undefined : this.findInverse(changes, history);
    const restore = undo ?? [];
    changes.forEach((c, i) => this.change(c.rangeOffset, c.rangeLength, insertedLength(c, i), removed, edited, touched));
    const restored = restore.map((sp) => sp.id);
    if (restore.length) {
      this.addMany(restore.map((sp) => ({ value: sp.value, start: sp.pre[0], end: sp.pre[1] })));
      for (const id of restored) edited.delete(id);
    }
    // Every other event is remembered, even one that touched no span: its undo must consume its
    // own entry, not an older one with the same geometry (delete the same text twice, undo twice).
    // An undo is remembered for its redo; a redo for its undo; an ordinary edit ends the redos.
    if (!lengths && this.stashLimit) {
      this.record(changes, touched, reason === 'undo' ? this.redoStash : this.stash);
      if (!reason) this.redoStash = [];
    }
    if (after !== undefined) this.documentLength = after;
    this.compactIfSparse();
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

  /**
   * The undo and redo stashes, to put back with `restoreHistory` when the text returns to the
   * state they were made for (the undo of a whole-document replacement, which `reset` forgot them for).
   */
  saveHistory(): unknown {
    return { stash: this.stash, redo: this.redoStash };
  }

  restoreHistory(saved: unknown): void {
    const h = saved as { stash: StashEntry<T>[]; redo: StashEntry<T>[] };
    this.stash = h.stash;
    this.redoStash = h.redo;
    this.lastEntry = undefined;
  }

  /** Forgets the undo stash (e.g. when the document is reloaded from disk). */
  clearStash(): void {
    this.stash = [];
    this.redoStash = [];
    this.lastEntry = undefined;
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
    const delta = inserted - length;
    // Spans starting at or after the change's end shift: they form a suffix of the slots.
    const first = this.firstStartAtLeast(changeEnd);
    // Spans overlapping the change start before its end (slots < first) and end after its start.
    const hit: Array<[number, number, number]> = [];
    this.collect(first, offset, (slot, start, end) => hit.push([slot, start, end]));
    if (delta !== 0 && first < this.used) this.shiftSuffix(first, delta);
    for (const [slot, start, end] of hit) {
      const value = this.values[slot]!;
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
        this.kill(slot);
        continue;
      }
      // Order by start is preserved: a start inside the change moves to offset + inserted, which is
      // ≥ every untouched start before it and ≤ every shifted start after it.
      const newStart = offset < start ? offset + inserted : start;
      const newEnd = changeEnd > end ? offset : end + delta;
      this.setSlot(slot, newStart, newEnd); // never empty: that needs the whole span replaced (above)
      edited.add(value.id);
    }
  }

  /**
   * Remembers an event for its undo: the spans it removed, and those it changed at an edge, with
   * their pre-event offsets. The undo's geometry is VS Code's inverse event: each change i becomes
   * (offset + the deltas of the changes after it, which lie below it; inserted length → deleted
   * length), in the same descending order. Every event is remembered, even one that touched no
   * span: its undo must consume its own entry, not an older one with the same geometry (delete the
   * same text twice at one place, then undo twice).
   */
  private record(changes: readonly ContentChange[], touched: Map<string, StashedSpan<T>>, stack: StashEntry<T>[]): void {
    const parts: string[] = [];
    const regions: Array<[number, number]> = [];
    let below = 0;
    for (let i = changes.length - 1; i >= 0; i--) {
      const c = changes[i];
      regions[i] = [c.rangeOffset, c.rangeLength];
      parts[i] = `${c.rangeOffset + below}:${c.text.length}:${c.rangeLength}`;
      below += c.text.length - c.rangeLength;
    }
    const spans: StashedSpan<T>[] = [];
    for (const t of touched.values()) {
      const now = this.get(t.id);
      if (!now) spans.push(t);
      else spans.push({ ...t, post: [now.start, now.end] }); // (a merged undo needs inner edits too)
    }
    const entry = { inverse: parts.join(','), regions, inserted: changes.reduce((n, c) => n + c.text.length, 0), spans };
    stack.push(entry);
    if (stack.length > this.stashLimit) stack.shift();
    this.lastEntry = entry;
  }

  /** The entry of the last event applied (for `keptInLastEvent`). */
  private lastEntry: StashEntry<T> | undefined;

  /**
   * The caller put back, at once, a span the last event removed (that event re-inserted the span's
   * own words: a formatter, pasting over it): its undo must move it back to where it was, not
   * expect it absent.
   */
  keptInLastEvent(id: string): void {
    const sp = this.lastEntry?.spans.find((s) => s.id === id && !s.post);
    const now = this.get(id);
    if (sp && now) sp.post = [now.start, now.end];
  }

  /**
   * The caller keeps, elsewhere, a span the last event removed (as an orphan): that event's undo or
   * redo must neither bring it back nor wait for it to be absent.
   */
  forgetInLastEvent(id: string): void {
    if (this.lastEntry) this.lastEntry.spans = this.lastEntry.spans.filter((s) => s.id !== id);
  }

  /**
   * For an undo event: the newest remembered entry whose undo geometry it has and whose spans it
   * gives back; that entry and the newer ones leave the stack. Undefined when none matches (the
   * stack is left as it is). Checked before the event is applied: a span the event changed must
   * still be where it left it; a removed one must still be absent; and, when quotes are known, the
   * text the undo re-inserts must be exactly the span's.
   */
  private findInverse(changes: readonly ContentChange[], stack: StashEntry<T>[]): StashedSpan<T>[] | undefined {
    const geometry = changes.map((c) => `${c.rangeOffset}:${c.rangeLength}:${c.text.length}`).join(',');
    const matches = (k: number) => stack[k].inverse === geometry && stack[k].spans.every((sp) => this.restores(sp, stack[k], changes));
    const take = (k: number) => {
      const spans = stack[k].spans;
      stack.length = k;
      return spans;
    };
    // VS Code undoes its newest undo step: the newest entry, or the newest entries merged (a run of
    // Backspace presses) — both before any older entry that merely has the same geometry (an older
    // deletion of the same length at the same place, seed 24858252)
    if (stack.length && matches(stack.length - 1)) return take(stack.length - 1);
    const merged = stack === this.stash ? this.findMergedDeletions(changes) : undefined;
    if (merged) return merged;
    for (let k = stack.length - 2; k >= 0; k--) if (matches(k)) return take(k);
    return undefined;
  }

  /**
   * VS Code merges a run of Backspace or Delete presses into one undo step, whose undo is one
   * insertion of everything the run deleted, at the point where the run ended. When the newest
   * entries are such a run (single pure deletions, each next to where the previous one left the
   * cursor) and this undo event re-inserts exactly their text, the spans of the whole run are given
   * back: each to its place before the run, if it is still where the run left it and the re-inserted
   * text holds its quote.
   */
  private findMergedDeletions(changes: readonly ContentChange[]): StashedSpan<T>[] | undefined {
    if (changes.length !== 1 || changes[0].rangeLength !== 0 || !changes[0].text.length) return undefined;
    const u = changes[0];
    const stack = this.stash;
    // the run's deletions composed, in the coordinates before its oldest entry so far
    let start = 0;
    let length = 0;
    let k = stack.length - 1;
    for (; k >= 0; k--) {
      const e = stack[k];
      if (e.regions.length !== 1 || e.inserted !== 0) return undefined;
      const [o, l] = e.regions[0];
      if (k === stack.length - 1) {
        start = o;
        length = l;
      } else {
        // the newer deletions lie next to the point this one left (backspace: before it; delete: after)
        if (!(start <= o && o <= start + length)) return undefined;
        length += l;
      }
      if (start === u.rangeOffset && length === u.text.length) break;
      if (length > u.text.length) return undefined;
    }
    if (k < 0 || k === stack.length - 1) return undefined; // a single entry would have matched exactly
    const run = stack.slice(k);
    // each span: its place before its first touch, carried back to before the run's first deletion
    const first = new Map<string, { sp: StashedSpan<T>; at: number }>();
    const last = new Map<string, { sp: StashedSpan<T>; at: number }>();
    run.forEach((e, i) => {
      for (const sp of e.spans) {
        if (!first.has(sp.id)) first.set(sp.id, { sp, at: i });
        last.set(sp.id, { sp, at: i });
      }
    });
    const out: StashedSpan<T>[] = [];
    for (const [id, { sp, at }] of first) {
      const { sp: end, at: lastAt } = last.get(id)!;
      // still as the run left it: where its last touch left it, moved by the later deletions
      if (!end.post) {
        if (this.slotOf.has(id)) return undefined;
      } else {
        let [a, b] = end.post;
        for (let i = lastAt + 1; i < run.length; i++) {
          const [o, l] = run[i].regions[0];
          a = a >= o + l ? a - l : Math.min(a, o);
          b = b >= o + l ? b - l : Math.min(b, o);
        }
        const now = this.get(id);
        if (!now || now.start !== a || now.end !== b) return undefined;
      }
      let [s, t] = sp.pre;
      for (let i = at - 1; i >= 0; i--) {
        const [o, l] = run[i].regions[0];
        // text deleted at a span's start was before it; at its end, after it
        if (s >= o) s += l;
        if (t > o) t += l;
      }
      // the re-inserted text must hold the quote where the two overlap
      if (sp.quote !== undefined) {
        const from = Math.max(s, u.rangeOffset);
        const to = Math.min(t, u.rangeOffset + u.text.length);
        if (from < to && u.text.slice(from - u.rangeOffset, to - u.rangeOffset) !== sp.quote.slice(from - s, to - s)) return undefined;
      }
      out.push({ ...sp, pre: [s, t] });
    }
    stack.length = k;
    return out;
  }

  /** Whether `changes`, as the undo of entry `e`, gives `sp` back exactly (see findInverse). */
  private restores(sp: StashedSpan<T>, e: StashEntry<T>, changes: readonly ContentChange[]): boolean {
    if (!sp.post) {
      if (this.slotOf.has(sp.id)) return false;
    } else {
      const now = this.get(sp.id);
      if (!now || now.start !== sp.post[0] || now.end !== sp.post[1]) return false;
    }
    if (sp.quote === undefined) return true;
    // every part of the span the event deleted must come back as it was
    const [s, t] = sp.pre;
    return e.regions.every(([o, l], i) => {
      const from = Math.max(s, o);
      const to = Math.min(t, o + l);
      return from >= to || changes[i].text.slice(from - o, to - o) === sp.quote!.slice(from - s, to - s);
    });
  }

  // ------------------------------------------------------------------------------------------
  // The tree

  /** Lays the spans out in order of start, each followed by a free slot (for `insert`). */
  private build(entries: SpanEntry<T>[]): void {
    entries.sort((a, b) => a.start - b.start || a.end - b.end);
    let cap = 2;
    while (cap < 2 * entries.length) cap *= 2;
    this.cap = cap;
    this.lazy = new Float64Array(cap);
    this.maxStart = new Float64Array(2 * cap).fill(DEAD);
    this.maxEnd = new Float64Array(2 * cap).fill(DEAD);
    this.values = new Array(cap);
    this.slotOf = new Map();
    entries.forEach((e, i) => {
      const slot = 2 * i;
      this.maxStart[cap + slot] = e.start;
      this.maxEnd[cap + slot] = e.end;
      this.values[slot] = e.value;
      this.slotOf.set(e.id, slot);
    });
    for (let v = cap - 1; v >= 1; v--) this.pull(v);
    this.used = 2 * entries.length;
    this.dead = 0;
  }

  private isFree(slot: number): boolean {
    return this.values[slot] === undefined;
  }

  /**
   * Puts a new span into the slot order: just before the first live slot whose start is ≥ its
   * start (every live slot before that one starts earlier). Uses the free slot there, or shifts the
   * run of live slots between there and the nearest free slot by one; rebuilds when none is near.
   */
  private insert(value: T, start: number, end: number): void {
    const p = this.firstStartAtLeast(start);
    let target: number;
    if (p > 0 && this.isFree(p - 1)) target = p - 1;
    else if (p === this.used && p < this.cap) target = p; // after every span: the slots from `used` on are free
    else {
      let left = -1;
      for (let j = p - 1; j >= 0 && j >= p - SHIFT_WINDOW; j--) {
        if (this.isFree(j)) {
          left = j;
          break;
        }
      }
      let right = -1;
      for (let j = p; j < this.cap && j < p + SHIFT_WINDOW; j++) {
        if (this.isFree(j)) {
          right = j;
          break;
        }
      }
      if (left < 0 && right < 0) {
        const entries = this.all();
        entries.push({ id: value.id, start, end, value });
        this.build(entries);
        return;
      }
      if (left >= 0 && (right < 0 || p - left <= right - p)) {
        this.moveRun(left + 1, p - 1, -1); // slots left+1 … p-1 move down one
        target = p - 1;
      } else {
        this.moveRun(p, right - 1, +1); // slots p … right-1 move up one
        if (right >= this.used) this.used = right + 1;
        target = p;
      }
    }
    this.values[target] = value;
    this.slotOf.set(value.id, target);
    this.setSlot(target, start, end);
    if (target >= this.used) this.used = target + 1;
  }

  /** Moves the live slots [from, to] by `by` (±1) into the free slot beside them; `from` or `to` is left free. */
  private moveRun(from: number, to: number, by: 1 | -1): void {
    if (from > to) return;
    const entries: SpanEntry<T>[] = [];
    for (let j = from; j <= to; j++) entries.push(this.entry(j));
    const vacated = by > 0 ? from : to;
    const leafOf = (slot: number) => this.cap + slot;
    this.values[vacated] = undefined;
    this.maxStart[leafOf(vacated)] = DEAD;
    this.maxEnd[leafOf(vacated)] = DEAD;
    entries.forEach((e, i) => {
      const slot = from + i + by;
      const acc = this.above(leafOf(slot));
      this.values[slot] = e.value;
      this.slotOf.set(e.id, slot);
      this.maxStart[leafOf(slot)] = e.start - acc;
      this.maxEnd[leafOf(slot)] = e.end - acc;
    });
    // every ancestor of the changed leaves, level by level: O(run + log n)
    let lo = leafOf(Math.min(from, from + by)) >> 1;
    let hi = leafOf(Math.max(to, to + by)) >> 1;
    while (lo >= 1) {
      for (let v = lo; v <= hi; v++) this.pull(v);
      lo >>= 1;
      hi >>= 1;
    }
  }

  private pull(v: number): void {
    const a = this.lazy[v];
    const l = 2 * v;
    this.maxStart[v] = a + Math.max(this.maxStart[l], this.maxStart[l + 1]);
    this.maxEnd[v] = a + Math.max(this.maxEnd[l], this.maxEnd[l + 1]);
  }

  private pullAbove(leaf: number): void {
    for (let v = leaf >> 1; v >= 1; v >>= 1) this.pull(v);
  }

  /** Sum of the adds of a leaf's ancestors. */
  private above(leaf: number): number {
    let acc = 0;
    for (let v = leaf >> 1; v >= 1; v >>= 1) acc += this.lazy[v];
    return acc;
  }

  private entry(slot: number): SpanEntry<T> {
    const leaf = this.cap + slot;
    const acc = this.above(leaf);
    const value = this.values[slot]!;
    return { id: value.id, start: this.maxStart[leaf] + acc, end: this.maxEnd[leaf] + acc, value };
  }

  private setSlot(slot: number, start: number, end: number): void {
    const leaf = this.cap + slot;
    const acc = this.above(leaf);
    this.maxStart[leaf] = start - acc;
    this.maxEnd[leaf] = end - acc;
    this.pullAbove(leaf);
  }

  private kill(slot: number): void {
    const leaf = this.cap + slot;
    this.slotOf.delete(this.values[slot]!.id);
    this.values[slot] = undefined;
    this.maxStart[leaf] = DEAD;
    this.maxEnd[leaf] = DEAD;
    this.pullAbove(leaf);
    this.dead++;
  }

  private compactIfSparse(): void {
    if (this.dead > 64 && this.dead > this.slotOf.size) this.build(this.all());
  }

  /** Adds `delta` to every slot from `from` on: O(log n) lazy adds. */
  private shiftSuffix(from: number, delta: number): void {
    const cap = this.cap;
    let l = from + cap;
    let r = 2 * cap;
    const first = l;
    while (l < r) {
      if (l & 1) this.addTo(l++, delta);
      if (r & 1) this.addTo(--r, delta);
      l >>= 1;
      r >>= 1;
    }
    this.pullAbove(first);
    this.pullAbove(2 * cap - 1);
  }

  private addTo(v: number, delta: number): void {
    if (v < this.cap) this.lazy[v] += delta;
    this.maxStart[v] += delta; // a tombstone stays -Infinity
    this.maxEnd[v] += delta;
  }

  /** The first live slot whose start is ≥ x (starts are ordered), or `used` when there is none. */
  private firstStartAtLeast(x: number): number {
    if (!(this.maxStart[1] >= x)) return this.used;
    let v = 1;
    let acc = 0;
    while (v < this.cap) {
      acc += this.lazy[v];
      const l = 2 * v;
      v = this.maxStart[l] + acc >= x ? l : l + 1;
    }
    return v - this.cap;
  }

  /** Live slots before `limit` whose end is > `minEnd`, in slot order, with their true offsets. */
  private collect(limit: number, minEnd: number, visit: (slot: number, start: number, end: number) => void): void {
    if (limit <= 0) return;
    const rec = (v: number, lo: number, width: number, acc: number): void => {
      if (lo >= limit || !(this.maxEnd[v] + acc > minEnd)) return;
      if (v >= this.cap) {
        visit(v - this.cap, this.maxStart[v] + acc, this.maxEnd[v] + acc);
        return;
      }
      const a = acc + this.lazy[v];
      const half = width >> 1;
      rec(2 * v, lo, half, a);
      rec(2 * v + 1, lo + half, half, a);
    };
    rec(1, 0, this.cap, 0);
  }

  /** Every live slot in order, with true offsets. */
  private walk(v: number, acc: number, visit: (slot: number, start: number, end: number) => void): void {
    if (this.maxStart[v] === DEAD) return;
    if (v >= this.cap) {
      visit(v - this.cap, this.maxStart[v] + acc, this.maxEnd[v] + acc);
      return;
    }
    const a = acc + this.lazy[v];
    this.walk(2 * v, a, visit);
    this.walk(2 * v + 1, a, visit);
  }
}

/** Entries come ordered by start; orders equal starts by end (runs of equal starts are short). */
function sortTies<E extends { start: number; end: number }>(xs: E[]): E[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    if (xs[j].start !== x.start || xs[j].end <= x.end) continue;
    while (j >= 0 && xs[j].start === x.start && xs[j].end > x.end) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}
