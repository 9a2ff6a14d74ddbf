/**
 * Spans kept sorted by start in blocks, each with a lazy offset: a text edit shifts every block
 * that lies wholly after it by changing one number, and only the spans in blocks the edit touches
 * are visited. One keystroke in a document with 10k spans costs O(blocks + block size), not O(n).
 *
 * The edit rules are the editor's (see AnnotationDocument.applyTextChanges):
 * - a span wholly after the edit shifts (an insertion exactly at its start goes before it);
 * - a span wholly before it stays (an insertion exactly at its end goes after it);
 * - a span whose whole text is replaced is removed (and returned);
 * - otherwise the span keeps the text that survives, plus text inserted strictly inside it.
 * Offsets are UTF-16 code units, as VS Code reports changes.
 */
export interface IndexedSpan {
  id: string;
  start: number;
  end: number;
}

interface Block {
  /** Spans with offsets relative to `delta` (true offset = stored + delta), sorted by start. */
  spans: IndexedSpan[];
  delta: number;
  /** Stored (not true) extremes, for deciding whether an edit can touch the block. */
  minStart: number;
  maxEnd: number;
}

const BLOCK = 64;

function bounds(b: Block): void {
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (const s of b.spans) {
    if (s.start < minStart) minStart = s.start;
    if (s.end > maxEnd) maxEnd = s.end;
  }
  b.minStart = minStart;
  b.maxEnd = maxEnd;
}

export class SpanIndex {
  private blocks: Block[] = [];
  private count = 0;

  constructor(spans: readonly IndexedSpan[] = []) {
    const sorted = spans.map((s) => ({ id: s.id, start: s.start, end: s.end })).sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 0; i < sorted.length; i += BLOCK) {
      const block: Block = { spans: sorted.slice(i, i + BLOCK), delta: 0, minStart: 0, maxEnd: 0 };
      bounds(block);
      this.blocks.push(block);
    }
    this.count = sorted.length;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Applies one change: `length` characters at `offset` replaced by `inserted` characters.
   * Returns the spans removed because their whole text was replaced (with their old offsets).
   */
  applyChange(offset: number, length: number, inserted: number): IndexedSpan[] {
    const end = offset + length;
    const delta = inserted - length;
    const removed: IndexedSpan[] = [];
    let emptied = false;
    for (const b of this.blocks) {
      if (b.minStart + b.delta >= end) {
        b.delta += delta; // wholly after the edit
        continue;
      }
      if (b.maxEnd + b.delta <= offset) continue; // wholly before it
      const kept: IndexedSpan[] = [];
      for (const s of b.spans) {
        const start = s.start + b.delta;
        const stop = s.end + b.delta;
        if (end <= start) {
          s.start = start + delta - b.delta;
          s.end = stop + delta - b.delta;
          kept.push(s);
        } else if (offset >= stop) {
          kept.push(s);
        } else if (offset <= start && end >= stop) {
          removed.push({ id: s.id, start, end: stop });
        } else {
          const ns = offset < start ? offset + inserted : start;
          const ne = end > stop ? offset : stop + delta;
          if (ns < ne) {
            s.start = ns - b.delta;
            s.end = ne - b.delta;
            kept.push(s);
          } else removed.push({ id: s.id, start, end: stop });
        }
      }
      b.spans = kept;
      if (!kept.length) emptied = true;
      else bounds(b);
    }
    if (emptied) this.blocks = this.blocks.filter((b) => b.spans.length);
    this.count -= removed.length;
    return removed;
  }

  /** Every span with its true offsets, in order of start. */
  all(): IndexedSpan[] {
    const out: IndexedSpan[] = [];
    for (const b of this.blocks) for (const s of b.spans) out.push({ id: s.id, start: s.start + b.delta, end: s.end + b.delta });
    return out;
  }

  /** Spans intersecting [from, to) (touching `from` when the range is empty). */
  inRange(from: number, to: number): IndexedSpan[] {
    const out: IndexedSpan[] = [];
    for (const b of this.blocks) {
      if (b.minStart + b.delta > to || b.maxEnd + b.delta < from) continue;
      for (const s of b.spans) {
        const start = s.start + b.delta;
        const end = s.end + b.delta;
        if (from === to ? start <= from && from <= end : start < to && end > from) out.push({ id: s.id, start, end });
      }
    }
    return out;
  }
}
