/**
 * Span matching between two annotators, for span-level F1.
 *
 * - Exact: same start, end and label. Spans are a multiset: if A tagged the same span twice and B
 *   once, one pair matches.
 * - Overlap (relaxed): same label and at least one shared code point. Each span is matched at most
 *   once (one-to-one), greedily: all candidate pairs sorted by shared length (largest first), then
 *   by the length of their union (smallest first, so an exact match beats a longer span that
 *   merely contains it), then earliest (the smaller, then the larger of the two starts), then by
 *   position in the sidecar; each pair is taken when neither span is taken yet. The sort keys
 *   (apart from that last tie-break) do not depend on which set is A. Greedy can fall short of
 *   a maximum matching only in chains of partial overlaps (A1 overlaps B1 and B2, …); we prefer
 *   it because each match is then the closest one, which is what a reviewer expects to see.
 *   The candidates are found by a sweep over starts (`overlappingPairs`), so an article costs a
 *   sort plus the overlapping pairs (about the spans times how deeply they nest), not |A|·|B|.
 *
 * F1 = 2·matches / (|A| + |B|), the harmonic mean of precision and recall with either set taken as
 * the reference (it is symmetric, so no annotator has to be the gold standard).
 *
 * Offsets are code points, as in the sidecar.
 */

export interface Span {
  start: number;
  end: number;
  label: string;
}

function key(s: Span): string {
  return `${s.start}\u0000${s.end}\u0000${s.label}`;
}

/** Exact matches per label. */
export function exactMatches(a: readonly Span[], b: readonly Span[]): Map<string, number> {
  const pool = new Map<string, number>();
  for (const s of b) pool.set(key(s), (pool.get(key(s)) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const s of a) {
    const left = pool.get(key(s)) ?? 0;
    if (!left) continue;
    pool.set(key(s), left - 1);
    out.set(s.label, (out.get(s.label) ?? 0) + 1);
  }
  return out;
}

interface Candidate {
  i: number;
  j: number;
  shared: number;
  union: number;
  first: number;
  second: number;
}

/**
 * Every pair [i in a, j in b] of spans with the same label that may share a code point: one of the
 * two starts inside the other. Found by one sweep over both sets in order of start, each set
 * keeping the spans still open, so the cost is the sort plus the pairs found rather than |a|·|b|.
 */
function overlappingPairs(a: readonly Span[], b: readonly Span[]): Array<[number, number]> {
  // a's spans before b's at equal starts, so a pair starting together is found once (when b's arrives)
  const events: number[] = [];
  for (let i = 0; i < a.length; i++) events.push(i);
  for (let j = 0; j < b.length; j++) events.push(a.length + j);
  const spanAt = (e: number) => (e < a.length ? a[e] : b[e - a.length]);
  events.sort((p, q) => spanAt(p).start - spanAt(q).start || p - q);
  const open = [new Map<string, number[]>(), new Map<string, number[]>()];
  const out: Array<[number, number]> = [];
  for (const e of events) {
    const fromA = e < a.length;
    const span = spanAt(e);
    const others = open[fromA ? 1 : 0].get(span.label);
    if (others) {
      // drop the spans that ended at or before this start; each one left is open across it
      let kept = 0;
      for (const o of others) {
        if (spanAt(o).end <= span.start) continue;
        others[kept++] = o;
        out.push(fromA ? [e, o - a.length] : [o, e - a.length]);
      }
      others.length = kept;
    }
    const mine = open[fromA ? 0 : 1];
    const list = mine.get(span.label);
    if (list) list.push(e);
    else mine.set(span.label, [e]);
  }
  return out;
}

/** The one-to-one overlap matching described above, as index pairs [i in a, j in b]. */
export function overlapMatching(a: readonly Span[], b: readonly Span[]): Array<[number, number]> {
  const candidates: Candidate[] = [];
  for (const [i, j] of overlappingPairs(a, b)) {
    const x = a[i];
    const y = b[j];
    const shared = Math.min(x.end, y.end) - Math.max(x.start, y.start);
    if (shared <= 0) continue;
    const union = Math.max(x.end, y.end) - Math.min(x.start, y.start);
    candidates.push({ i, j, shared, union, first: Math.min(x.start, y.start), second: Math.max(x.start, y.start) });
  }
  candidates.sort(
    (p, q) =>
      q.shared - p.shared ||
      p.union - q.union ||
      p.first - q.first ||
      p.second - q.second ||
      p.i - q.i ||
      p.j - q.j,
  );
  const takenA = new Uint8Array(a.length);
  const takenB = new Uint8Array(b.length);
  const out: Array<[number, number]> = [];
  for (const c of candidates) {
    if (takenA[c.i] || takenB[c.j]) continue;
    takenA[c.i] = 1;
    takenB[c.j] = 1;
    out.push([c.i, c.j]);
  }
  return out;
}

/** Overlap matches per label. */
export function overlapMatches(a: readonly Span[], b: readonly Span[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [i] of overlapMatching(a, b)) out.set(a[i].label, (out.get(a[i].label) ?? 0) + 1);
  return out;
}

/** 2·matches / (|A| + |B|); null when neither side has a span (0/0: nothing to agree or disagree on). */
export function f1(matches: number, sizeA: number, sizeB: number): number | null {
  return sizeA + sizeB === 0 ? null : (2 * matches) / (sizeA + sizeB);
}
