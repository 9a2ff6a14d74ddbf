/**
 * Disagreements between my spans and another annotator's on the same text (pure; editor offsets).
 *
 * A span agrees when the other side has one with the same start, end and label. Every other span
 * disagrees; disagreeing spans (from either side) that overlap form one cluster, which is what the
 * adjudication commands act on. Overlap is strict ([a, b) and [b, c) do not overlap).
 */

export interface KeyedSpan {
  id: string;
  start: number;
  end: number;
  label: string;
}

export interface Cluster<M extends KeyedSpan = KeyedSpan, T extends KeyedSpan = KeyedSpan> {
  /** `start:end` of the cluster: unique within one computation (clusters never overlap). */
  id: string;
  start: number;
  end: number;
  mine: M[];
  theirs: T[];
}

export interface Comparison<M extends KeyedSpan, T extends KeyedSpan> {
  /** Their spans that I have too (same start, end, label). */
  agreed: T[];
  clusters: Cluster<M, T>[];
}

export function spanKey(s: { start: number; end: number; label: string }): string {
  return `${s.start}:${s.end}:${s.label}`;
}

export function compareSpans<M extends KeyedSpan, T extends KeyedSpan>(mine: readonly M[], theirs: readonly T[]): Comparison<M, T> {
  const mineKeys = new Set(mine.map(spanKey));
  const theirKeys = new Set(theirs.map(spanKey));
  const agreed = theirs.filter((t) => mineKeys.has(spanKey(t)));
  type Item = { side: 'mine'; span: M } | { side: 'theirs'; span: T };
  const items: Item[] = [
    ...mine.filter((m) => !theirKeys.has(spanKey(m))).map((span) => ({ side: 'mine' as const, span })),
    ...theirs.filter((t) => !mineKeys.has(spanKey(t))).map((span) => ({ side: 'theirs' as const, span })),
  ].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const clusters: Cluster<M, T>[] = [];
  let current: Cluster<M, T> | undefined;
  for (const item of items) {
    if (!current || item.span.start >= current.end) {
      current = { id: '', start: item.span.start, end: item.span.end, mine: [], theirs: [] };
      clusters.push(current);
    }
    current.end = Math.max(current.end, item.span.end);
    if (item.side === 'mine') current.mine.push(item.span);
    else current.theirs.push(item.span);
  }
  for (const c of clusters) c.id = `${c.start}:${c.end}`;
  return { agreed, clusters };
}

/**
 * Clusters an offset range touches: for an empty range, those containing the offset (or ending
 * exactly there when none contains it); otherwise those overlapping the range.
 */
export function clustersAt<C extends { start: number; end: number }>(clusters: readonly C[], from: number, to: number): C[] {
  if (from === to) {
    const inside = clusters.filter((c) => c.start <= from && from < c.end);
    return inside.length ? inside : clusters.filter((c) => c.end === from);
  }
  return clusters.filter((c) => c.start < to && from < c.end);
}

/** The cluster after (direction 1) or before (-1) an offset, wrapping around. */
export function neighbourCluster<C extends { start: number }>(clusters: readonly C[], offset: number, direction: 1 | -1): C | undefined {
  if (!clusters.length) return undefined;
  const sorted = [...clusters].sort((a, b) => a.start - b.start);
  if (direction === 1) return sorted.find((c) => c.start > offset) ?? sorted[0];
  return [...sorted].reverse().find((c) => c.start < offset) ?? sorted[sorted.length - 1];
}
