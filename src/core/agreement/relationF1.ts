/**
 * Relation agreement between annotators: a relation of set A matches one of set B when both its
 * ends are spans matched to the ends of B's relation and the type (label) is the same.
 *
 * Ends are matched the way span F1 matches spans (spanF1.ts): exactly (same start, end and label,
 * first unmatched one in sidecar order, as `exactMatches` counts them), or relaxed (same label and
 * overlapping, the one-to-one greedy `overlapMatching`). Both give one score each, like span F1.
 * Span matching is one-to-one, so mapping A's relations onto B's spans and then matching them as a
 * multiset (the same link twice in A and once in B: one match) is one-to-one too.
 *
 * Per pair of sets, with the earlier set of the pair as the reference: precision = matches / |B|,
 * recall = matches / |A|, F1 = 2·matches / (|A| + |B|) (symmetric, as span F1). With three or more
 * sets each is the mean over the pairs where it is defined.
 *
 * Relations count only when both ends are non-orphaned spans of the sidecar (an orphaned end has no
 * place in the text to match); such relations are left out and counted. The `--labels` filter of
 * `agree` does not apply: a relation's ends are matched among all of the article's spans.
 */
import { f1, overlapMatching, Span } from './spanF1';

/** A span with its id, as relation ends name it. */
export interface IdSpan extends Span {
  id: string;
  orphaned?: boolean;
}

/** What relation agreement needs of a relation; `Relation` from the sidecar schema fits. */
export interface RelationLink {
  label: string;
  from: string;
  to: string;
}

export type SpanMatching = 'exact' | 'overlap';

function spanKey(s: Span): string {
  return `${s.start}\u0000${s.end}\u0000${s.label}`;
}

/** Exact one-to-one matching as index pairs [i in a, j in b]: same start, end and label, first unmatched in order. */
export function exactMatching(a: readonly Span[], b: readonly Span[]): Array<[number, number]> {
  // per key, b's indices in order and how many of them are taken (shift() would make many copies quadratic)
  const pool = new Map<string, { js: number[]; taken: number }>();
  b.forEach((s, j) => {
    const k = spanKey(s);
    const entry = pool.get(k);
    if (entry) entry.js.push(j);
    else pool.set(k, { js: [j], taken: 0 });
  });
  const out: Array<[number, number]> = [];
  a.forEach((s, i) => {
    const entry = pool.get(spanKey(s));
    if (entry && entry.taken < entry.js.length) out.push([i, entry.js[entry.taken++]]);
  });
  return out;
}

/** A's span ids → the ids of the B spans they are matched to. */
export function matchSpanIds(a: readonly IdSpan[], b: readonly IdSpan[], mode: SpanMatching): Map<string, string> {
  const pairs = mode === 'exact' ? exactMatching(a, b) : overlapMatching(a, b);
  return new Map(pairs.map(([i, j]) => [a[i].id, b[j].id]));
}

function linkKey(from: string, to: string, label: string): string {
  return `${from}\u0000${to}\u0000${label}`;
}

/**
 * Matched relations per type between A and B on one article, given A's span ids mapped to B's.
 * Relations are counted as a multiset: each B relation matches at most one A relation.
 */
export function relationMatches(aRelations: readonly RelationLink[], bRelations: readonly RelationLink[], aToB: ReadonlyMap<string, string>): Map<string, number> {
  const pool = new Map<string, number>();
  for (const r of bRelations) {
    const k = linkKey(r.from, r.to, r.label);
    pool.set(k, (pool.get(k) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const r of aRelations) {
    const from = aToB.get(r.from);
    const to = aToB.get(r.to);
    if (from === undefined || to === undefined) continue;
    const k = linkKey(from, to, r.label);
    const left = pool.get(k) ?? 0;
    if (!left) continue;
    pool.set(k, left - 1);
    out.set(r.label, (out.get(r.label) ?? 0) + 1);
  }
  return out;
}

/** Precision, recall and F1 of one matching; null where the denominator is 0. */
export interface PRF {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface RelationScores {
  /** Relations counted, per set in set order. */
  relations: number[];
  /** Ends matched exactly. */
  exact: PRF;
  /** Ends matched by overlap (same label, one-to-one). */
  overlap: PRF;
}

export interface RelationPairScores {
  sets: [number, number];
  types: Record<string, { exact: PRF; overlap: PRF }>;
  overall: { exact: PRF; overlap: PRF };
}

export interface RelationResult {
  /** Per relation type, sorted by name: every type any set used. */
  types: Record<string, RelationScores>;
  overall: RelationScores;
  pairs: RelationPairScores[];
  /** Relations left out per set because an end is orphaned or missing. */
  leftOut: number[];
}

interface PairTally {
  a: number;
  b: number;
  exact: Map<string, number>;
  overlap: Map<string, number>;
}

function add(map: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) map.set(k, (map.get(k) ?? 0) + v);
}

function mean(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}

export function prf(matches: number, sizeA: number, sizeB: number): PRF {
  return { precision: sizeB ? matches / sizeB : null, recall: sizeA ? matches / sizeA : null, f1: f1(matches, sizeA, sizeB) };
}

function meanPrf(xs: readonly PRF[]): PRF {
  return { precision: mean(xs.map((x) => x.precision)), recall: mean(xs.map((x) => x.recall)), f1: mean(xs.map((x) => x.f1)) };
}

/** Running relation-agreement totals, added one article at a time (like `AgreementTally`). */
export class RelationTally {
  private readonly pairs: PairTally[] = [];
  private readonly counts = new Map<string, number[]>();
  private readonly leftOut: number[];

  constructor(readonly setCount: number) {
    if (!Number.isInteger(setCount) || setCount < 2) throw new RangeError('agreement needs at least two annotation sets');
    for (let a = 0; a < setCount; a++) for (let b = a + 1; b < setCount; b++) this.pairs.push({ a, b, exact: new Map(), overlap: new Map() });
    this.leftOut = new Array(setCount).fill(0);
  }

  /** Adds one article: per set, its spans (orphaned ones are ignored) and its relations. */
  addArticle(spans: readonly (readonly IdSpan[])[], relations: readonly (readonly RelationLink[])[]): void {
    if (spans.length !== this.setCount || relations.length !== this.setCount) throw new RangeError(`expected spans and relations from ${this.setCount} sets`);
    const live = spans.map((set) => set.filter((s) => !s.orphaned));
    const kept = relations.map((set, s) => {
      const ids = new Set(live[s].map((x) => x.id));
      const out = set.filter((r) => ids.has(r.from) && ids.has(r.to));
      this.leftOut[s] += set.length - out.length;
      for (const r of out) {
        let c = this.counts.get(r.label);
        if (!c) this.counts.set(r.label, (c = new Array(this.setCount).fill(0)));
        c[s]++;
      }
      return out;
    });
    for (const p of this.pairs) {
      if (!kept[p.a].length && !kept[p.b].length) continue;
      add(p.exact, relationMatches(kept[p.a], kept[p.b], matchSpanIds(live[p.a], live[p.b], 'exact')));
      add(p.overlap, relationMatches(kept[p.a], kept[p.b], matchSpanIds(live[p.a], live[p.b], 'overlap')));
    }
  }

  result(): RelationResult {
    const types = [...this.counts.keys()].sort();
    const zero = () => new Array<number>(this.setCount).fill(0);
    const countOf = (t: string) => this.counts.get(t) ?? zero();
    const pairScore = (p: PairTally, only: string | undefined) => {
      const ts = only === undefined ? types : [only];
      let exact = 0;
      let overlap = 0;
      let sizeA = 0;
      let sizeB = 0;
      for (const t of ts) {
        exact += p.exact.get(t) ?? 0;
        overlap += p.overlap.get(t) ?? 0;
        sizeA += countOf(t)[p.a];
        sizeB += countOf(t)[p.b];
      }
      return { exact: prf(exact, sizeA, sizeB), overlap: prf(overlap, sizeA, sizeB) };
    };
    const scores = (only: string | undefined): RelationScores => {
      const perPair = this.pairs.map((p) => pairScore(p, only));
      const relations = only === undefined ? types.reduce((sum, t) => sum.map((v, s) => v + countOf(t)[s]), zero()) : [...countOf(only)];
      return { relations, exact: meanPrf(perPair.map((p) => p.exact)), overlap: meanPrf(perPair.map((p) => p.overlap)) };
    };
    return {
      types: Object.fromEntries(types.map((t) => [t, scores(t)])),
      overall: scores(undefined),
      pairs: this.pairs.map((p) => ({
        sets: [p.a, p.b],
        types: Object.fromEntries(types.map((t) => [t, pairScore(p, t)])),
        overall: pairScore(p, undefined),
      })),
      leftOut: [...this.leftOut],
    };
  }
}
