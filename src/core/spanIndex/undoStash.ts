/**
 * Recognising VS Code's undo and redo of an edit that removed spans or cut their edges, so the
 * spans come back exactly where they were (see "Undo" at the top of `index.ts`).
 *
 * Every event leaves an entry on an undo stack, holding the spans it removed or changed at an edge
 * with their offsets before the event. An event VS Code marks as an undo is matched against that
 * stack, newest first, by geometry: VS Code's undo is the inverse event (every change inverted, its
 * inserted text replaced by the text it deleted, offsets in the document after the event, the same
 * descending order). A redo is matched against the undone entries the same way.
 */

import type { ContentChange, SpanEntry } from './types';

/** A span one event touched, as its undo must give it back. */
export interface StashedSpan<T> {
  id: string;
  value: T;
  /** Offsets before the event (what its undo must give back). */
  pre: [number, number];
  /** Offsets after the event, or undefined when the event removed the span. */
  post: [number, number] | undefined;
  /** Its quote before the event (if known): the undo must re-insert the parts the event deleted. */
  quote: string | undefined;
  /** Whether some change reached one of the span's edges (only those need the stash, see `SpanIndex.change`). */
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

/** What the stash needs to know of the spans now. */
export interface SpanLookup<T> {
  get(id: string): SpanEntry<T> | undefined;
  has(id: string): boolean;
}

export class UndoStash<T> {
  /** Remembered events, oldest first: the undo stack. */
  private stash: StashEntry<T>[] = [];
  /** Undone events, oldest first: a redo is matched here as an undo is matched in `stash`. */
  private redoStash: StashEntry<T>[] = [];
  /** The entry of the last event applied (for `keptInLastEvent`). */
  private lastEntry: StashEntry<T> | undefined;

  constructor(
    private readonly spans: SpanLookup<T>,
    /** Events remembered (oldest dropped first); 0 turns recognition off. */
    readonly limit: number,
  ) {}

  /**
   * For an undo or redo event, before it is applied: the spans it gives back, taking the matched
   * entry and every newer one off their stack (newer ones were undone with it: VS Code merges
   * consecutive typing into one undo step, whose inverse matches no single entry). Undefined for an
   * ordinary edit, or when nothing matches (the stack is left as it is).
   */
  match(changes: readonly ContentChange[], reason: 'undo' | 'redo' | undefined): StashedSpan<T>[] | undefined {
    if (!this.limit || !reason) return undefined;
    return this.findInverse(changes, reason === 'undo' ? this.stash : this.redoStash);
  }

  /**
   * Remembers an applied event for its undo: the spans it removed, and those it changed at an edge,
   * with their pre-event offsets. Every event is remembered, even one that touched no span: its undo
   * must consume its own entry, not an older one with the same geometry (delete the same text twice
   * at one place, then undo twice). An undo is remembered for its redo, a redo for its undo, and an
   * ordinary edit ends the redos.
   */
  remember(changes: readonly ContentChange[], touched: Map<string, StashedSpan<T>>, reason: 'undo' | 'redo' | undefined): void {
    if (!this.limit) return;
    this.record(changes, touched, reason === 'undo' ? this.redoStash : this.stash);
    if (!reason) this.redoStash = [];
  }

  /**
   * The caller put back, at once, a span the last event removed (that event re-inserted the span's
   * own words: a formatter, pasting over it): its undo must move it back to where it was, not
   * expect it absent.
   */
  keptInLastEvent(id: string): void {
    const sp = this.lastEntry?.spans.find((s) => s.id === id && !s.post);
    const now = this.spans.get(id);
    if (sp && now) sp.post = [now.start, now.end];
  }

  /**
   * The caller keeps, elsewhere, a span the last event removed (as an orphan): that event's undo or
   * redo must neither bring it back nor wait for it to be absent.
   */
  forgetInLastEvent(id: string): void {
    if (this.lastEntry) this.lastEntry.spans = this.lastEntry.spans.filter((s) => s.id !== id);
  }

  save(): unknown {
    return { stash: this.stash, redo: this.redoStash };
  }

  restore(saved: unknown): void {
    const h = saved as { stash: StashEntry<T>[]; redo: StashEntry<T>[] };
    this.stash = h.stash;
    this.redoStash = h.redo;
    this.lastEntry = undefined;
  }

  clear(): void {
    this.stash = [];
    this.redoStash = [];
    this.lastEntry = undefined;
  }

  /**
   * The undo's geometry is VS Code's inverse event: each change i becomes (offset + the deltas of
   * the changes after it, which lie below it; inserted length → deleted length), in the same
   * descending order.
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
      const now = this.spans.get(t.id);
      if (!now) spans.push(t);
      else spans.push({ ...t, post: [now.start, now.end] }); // (a merged undo needs inner edits too)
    }
    const entry = { inverse: parts.join(','), regions, inserted: changes.reduce((n, c) => n + c.text.length, 0), spans };
    stack.push(entry);
    if (stack.length > this.limit) stack.shift();
    this.lastEntry = entry;
  }

  /**
   * The newest remembered entry whose undo geometry the event has and whose spans it gives back.
   * Checked before the event is applied: a span the event changed must still be where it left it; a
   * removed one must still be absent; and, when quotes are known, the text the undo re-inserts must
   * be exactly the span's.
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
    // deletion of the same length at the same place)
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
        if (this.spans.has(id)) return undefined;
      } else {
        let [a, b] = end.post;
        for (let i = lastAt + 1; i < run.length; i++) {
          const [o, l] = run[i].regions[0];
          a = a >= o + l ? a - l : Math.min(a, o);
          b = b >= o + l ? b - l : Math.min(b, o);
        }
        const now = this.spans.get(id);
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
      if (this.spans.has(sp.id)) return false;
    } else {
      const now = this.spans.get(sp.id);
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
}
