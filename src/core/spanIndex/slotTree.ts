/**
 * Where the spans of a `SpanIndex` are stored: slots ordered by start (ties in any order), the
 * leaves of a segment tree whose internal nodes carry a lazy offset and the subtree's largest start
 * and end. A span's true offset is its leaf value plus the lazy offsets of its ancestors, so:
 * - shifting every span after an edit is O(log n) lazy adds (those spans are never visited);
 * - finding the k spans that overlap an edit is O((k + 1) log n), a descent pruned by the largest
 *   end, so a long span far before the edit is found without scanning its neighbours.
 * Adding a span is O(log n) plus a short shift: a build leaves every other slot free, so a new span
 * usually drops into the free slot just before the first span starting at or after it; when that
 * slot is taken, the run of spans up to the nearest free slot (at most `SHIFT_WINDOW` away) moves one
 * slot over, and only when none is that near is the tree rebuilt with gaps again. Removing leaves a
 * tombstone (a free slot), compacted when tombstones outnumber live spans.
 */

import type { SpanEntry } from './types';

const DEAD = -Infinity;
/** How far `insert` looks for a free slot before it rebuilds the tree (a run this long moves by one). */
const SHIFT_WINDOW = 64;

/** A visitor of live slots, given each slot's true offsets. */
export type SlotVisitor = (slot: number, start: number, end: number) => void;

export class SlotTree<T extends { id: string }> {
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
    this.walk(1, 0, (slot, start, end) => out.push(this.entryAt(slot, start, end)));
    return sortTies(out);
  }

  /** Spans intersecting [from, to); for an empty range, the spans touching `from` (start ≤ from ≤ end). */
  inRange(from: number, to: number): SpanEntry<T>[] {
    const empty = from >= to;
    // candidates start before `to` (or at it, for an empty range); of those, keep the ones ending after `from`
    const limit = this.firstStartAtLeast(empty ? from + 1 : to);
    const out: SpanEntry<T>[] = [];
    this.collect(limit, empty ? from - 1 : from, (slot, start, end) => out.push(this.entryAt(slot, start, end)));
    return sortTies(out);
  }

  /** The span in a live slot, with the offsets a visitor was given for it. */
  entryAt(slot: number, start: number, end: number): SpanEntry<T> {
    const value = this.values[slot]!;
    return { id: value.id, start, end, value };
  }

  /** Lays the spans out in order of start, each followed by a free slot (for `insert`). */
  build(entries: SpanEntry<T>[]): void {
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

  /** Adds a span, or moves it when its id is already here. */
  put(value: T, start: number, end: number): void {
    const old = this.slotOf.get(value.id);
    if (old !== undefined) this.kill(old);
    this.insert(value, start, end);
  }

  /** Removes a span by id (a tombstone). Returns it with its offsets. */
  delete(id: string): SpanEntry<T> | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const e = this.entry(slot);
    this.kill(slot);
    return e;
  }

  /** Rebuilds when tombstones outnumber live spans, so reads stay proportional to what is live. */
  compactIfSparse(): void {
    if (this.dead > 64 && this.dead > this.slotOf.size) this.build(this.all());
  }

  // ------------------------------------------------------------------------------------------
  // Slot operations, for following an edit

  /** The first live slot whose start is ≥ x (starts are ordered), or past the last slot when there is none. */
  firstStartAtLeast(x: number): number {
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
  collect(limit: number, minEnd: number, visit: SlotVisitor): void {
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

  /** Adds `delta` to every slot from `from` on: O(log n) lazy adds. */
  shiftFrom(from: number, delta: number): void {
    if (delta === 0 || from >= this.used) return;
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

  /** New offsets for a live slot; the caller keeps order by start (see `SpanIndex.change`). */
  setSlot(slot: number, start: number, end: number): void {
    const leaf = this.cap + slot;
    const acc = this.above(leaf);
    this.maxStart[leaf] = start - acc;
    this.maxEnd[leaf] = end - acc;
    this.pullAbove(leaf);
  }

  kill(slot: number): void {
    const leaf = this.cap + slot;
    this.slotOf.delete(this.values[slot]!.id);
    this.values[slot] = undefined;
    this.maxStart[leaf] = DEAD;
    this.maxEnd[leaf] = DEAD;
    this.pullAbove(leaf);
    this.dead++;
  }

  // ------------------------------------------------------------------------------------------
  // Inside the tree

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
    return this.entryAt(slot, this.maxStart[leaf] + acc, this.maxEnd[leaf] + acc);
  }

  private addTo(v: number, delta: number): void {
    if (v < this.cap) this.lazy[v] += delta;
    this.maxStart[v] += delta; // a tombstone stays -Infinity
    this.maxEnd[v] += delta;
  }

  /** Every live slot in order, with true offsets. */
  private walk(v: number, acc: number, visit: SlotVisitor): void {
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
