/**
 * The running totals behind every agreement number, added one article at a time, so a corpus is
 * never held in memory and one article (the status bar) uses the same code as the whole corpus.
 *
 * Two families of statistics, on two different units:
 * - span F1 (exact and overlap, see spanF1.ts) on the annotations as written, pairwise;
 * - κ and α on tokens: the tokens of the CoNLL export (tokens.ts `tokenize`), each given the label
 *   of the span that covers it after the export's overlap rule (`bioTags`: longest span first; B-/I-
 *   stripped), or "O". Per label the token is "label" or "not label"; overall it is one of
 *   O + all labels. Exporting each set to CoNLL and computing κ/α from the tag columns gives the
 *   same numbers.
 */
import { OffsetMap } from '../offsets';
import { bioTags, tokenize } from '../tokens';
import { CoincidenceTally } from './coincidence';
import { cohenKappa, ConfusionTally } from './cohen';
import { fleissKappa } from './fleiss';
import { krippendorffAlpha } from './krippendorff';
import { exactMatches, f1, overlapMatches, Span } from './spanF1';

/** The category of a token no span covers (CoNLL's "O"; labels are lower case, so never a label). */
export const OUTSIDE = 'O';

/** What the tally needs of an annotation; `Annotation` from the sidecar schema fits. */
export interface AnnotatedSpan extends Span {
  /** Orphaned annotations (quote not found after the article changed) are excluded and counted. */
  orphaned?: boolean;
}

export type ScoreName = 'exactF1' | 'overlapF1' | 'kappa' | 'alpha';

/** Agreement on one label, or overall. null = undefined for this data; `undefinedBecause` says why. */
export interface Scores {
  /** Pairwise exact-match span F1, averaged over the pairs of sets where it is defined. */
  exactF1: number | null;
  /** Pairwise overlap span F1 (same label, one-to-one greedy matching), averaged likewise. */
  overlapF1: number | null;
  /** Token-level Cohen's κ for two sets, Fleiss' κ for three or more (see `kappaKind`). */
  kappa: number | null;
  /** Token-level Krippendorff's α, nominal. */
  alpha: number | null;
  /** Spans counted, per set in set order (orphaned and filtered-out labels excluded). */
  spans: number[];
  undefinedBecause: Partial<Record<ScoreName, string>>;
}

export interface PairScore {
  exactF1: number | null;
  overlapF1: number | null;
  /** Cohen's κ between just these two sets. */
  kappa: number | null;
}

export interface PairScores {
  /** Indices of the two sets. */
  sets: [number, number];
  labels: Record<string, PairScore>;
  overall: PairScore;
}

export interface AgreementResult {
  setCount: number;
  kappaKind: 'cohen' | 'fleiss';
  /** Articles added. */
  articles: number;
  /** Tokens compared (each is one unit rated once by every set). */
  tokens: number;
  labels: Record<string, Scores>;
  overall: Scores;
  /** Every pair of sets, for finding the annotator who differs. */
  pairs: PairScores[];
  /** Orphaned annotations excluded, per set. */
  orphaned: number[];
  /** Spans per set that count for F1 but not for κ/α: covering no token, or losing their tokens to a longer span. */
  dropped: number[];
}

/** A span (start, end, label) that not every set has. */
export interface SpanDisagreement {
  start: number;
  end: number;
  label: string;
  /** The quoted text. */
  text: string;
  /** Indices of the sets that have it. */
  sets: number[];
}

interface PairTally {
  a: number;
  b: number;
  exact: Map<string, number>;
  overlap: Map<string, number>;
  confusion: ConfusionTally;
}

const NO_VARIATION = 'no variation: every token has the same category in every set, so chance agreement is 1 and the statistic is 0/0';
const NO_TOKENS = 'no tokens to compare';

function add(map: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) map.set(k, (map.get(k) ?? 0) + v);
}

function mean(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}

export class AgreementTally {
  private readonly fixedLabels: readonly string[] | undefined;
  private readonly seenLabels = new Set<string>();
  private readonly spanCounts = new Map<string, number[]>();
  private readonly pairs: PairTally[] = [];
  private readonly coincidence = new CoincidenceTally();
  private articles = 0;
  private tokens = 0;
  private readonly orphaned: number[];
  private readonly dropped: number[];

  /**
   * @param labels when given, only these labels count, in this order; spans with other labels are
   *   ignored entirely (their tokens are O), as in an export restricted to these labels. When
   *   omitted, every label seen counts, sorted by name.
   */
  constructor(
    readonly setCount: number,
    labels?: readonly string[],
  ) {
    if (!Number.isInteger(setCount) || setCount < 2) throw new RangeError('agreement needs at least two annotation sets');
    this.fixedLabels = labels ? [...new Set(labels)] : undefined;
    for (let a = 0; a < setCount; a++) {
      for (let b = a + 1; b < setCount; b++) this.pairs.push({ a, b, exact: new Map(), overlap: new Map(), confusion: new ConfusionTally() });
    }
    this.orphaned = new Array(setCount).fill(0);
    this.dropped = new Array(setCount).fill(0);
  }

  /**
   * Adds one article: its text and, per set, that set's annotations on this same text (offsets in
   * code points). Returns the spans not every set has. Throws RangeError for a non-orphaned span
   * outside the text, which a validated sidecar never has.
   */
  addArticle(text: string, sets: readonly (readonly AnnotatedSpan[])[]): SpanDisagreement[] {
    if (sets.length !== this.setCount) throw new RangeError(`expected annotations from ${this.setCount} sets, got ${sets.length}`);
    const map = new OffsetMap(text);
    const allowed = this.fixedLabels && new Set(this.fixedLabels);
    const kept = sets.map((spans, s) => {
      const out: Span[] = [];
      for (const span of spans) {
        if (span.orphaned) {
          this.orphaned[s]++;
          continue;
        }
        if (allowed && !allowed.has(span.label)) continue;
        if (!(span.start >= 0 && span.start < span.end && span.end <= map.length)) {
          throw new RangeError(`span ${span.start}–${span.end} (${span.label}) lies outside the article (length ${map.length})`);
        }
        out.push({ start: span.start, end: span.end, label: span.label });
        this.seenLabels.add(span.label);
        let counts = this.spanCounts.get(span.label);
        if (!counts) this.spanCounts.set(span.label, (counts = new Array(this.setCount).fill(0)));
        counts[s]++;
      }
      return out;
    });

    for (const p of this.pairs) {
      add(p.exact, exactMatches(kept[p.a], kept[p.b]));
      add(p.overlap, overlapMatches(kept[p.a], kept[p.b]));
    }

    // κ and α: one unit per token, rated once by every set
    const tokens = tokenize(text);
    const categories = kept.map((spans, s) => {
      const { tags, dropped } = bioTags(
        tokens,
        spans.map((x) => ({ start: map.toUtf16(x.start), end: map.toUtf16(x.end), label: x.label })),
      );
      this.dropped[s] += dropped.length;
      return tags.map((t) => (t === 'O' ? OUTSIDE : t.slice(2)));
    });
    for (let i = 0; i < tokens.length; i++) {
      this.coincidence.addUnit(categories.map((c) => c[i]));
      for (const p of this.pairs) p.confusion.add(categories[p.a][i], categories[p.b][i]);
    }
    this.tokens += tokens.length;
    this.articles++;

    return disagreements(kept, map);
  }

  result(): AgreementResult {
    const labels = this.fixedLabels ?? [...this.seenLabels].sort();
    const zero = () => new Array<number>(this.setCount).fill(0);
    const spansOf = (label: string) => this.spanCounts.get(label) ?? zero();
    const kappaKind = this.setCount === 2 ? 'cohen' : 'fleiss';

    const pairScore = (p: PairTally, only: string | undefined): PairScore => {
      const ls = only === undefined ? labels : [only];
      let exact = 0;
      let overlap = 0;
      let sizeA = 0;
      let sizeB = 0;
      for (const l of ls) {
        exact += p.exact.get(l) ?? 0;
        overlap += p.overlap.get(l) ?? 0;
        sizeA += spansOf(l)[p.a];
        sizeB += spansOf(l)[p.b];
      }
      return {
        exactF1: f1(exact, sizeA, sizeB),
        overlapF1: f1(overlap, sizeA, sizeB),
        kappa: cohenKappa(only === undefined ? p.confusion : p.confusion.binary(only)),
      };
    };

    const scores = (only: string | undefined): Scores => {
      const perPair = this.pairs.map((p) => pairScore(p, only));
      const spans = only === undefined ? labels.reduce((sum, l) => sum.map((v, s) => v + spansOf(l)[s]), zero()) : [...spansOf(only)];
      const tally = only === undefined ? this.coincidence : this.coincidence.binary(only);
      const out: Scores = {
        exactF1: mean(perPair.map((p) => p.exactF1)),
        overlapF1: mean(perPair.map((p) => p.overlapF1)),
        kappa: kappaKind === 'cohen' ? perPair[0].kappa : fleissKappa(tally),
        alpha: krippendorffAlpha(tally),
        spans,
        undefinedBecause: {},
      };
      const noSpans = only === undefined ? 'no spans in any set' : `no "${only}" spans in any set`;
      if (out.exactF1 === null) out.undefinedBecause.exactF1 = noSpans;
      if (out.overlapF1 === null) out.undefinedBecause.overlapF1 = noSpans;
      if (out.kappa === null) out.undefinedBecause.kappa = this.tokens ? NO_VARIATION : NO_TOKENS;
      if (out.alpha === null) out.undefinedBecause.alpha = this.tokens ? NO_VARIATION : NO_TOKENS;
      return out;
    };

    return {
      setCount: this.setCount,
      kappaKind,
      articles: this.articles,
      tokens: this.tokens,
      labels: Object.fromEntries(labels.map((l) => [l, scores(l)])),
      overall: scores(undefined),
      pairs: this.pairs.map((p) => ({
        sets: [p.a, p.b],
        labels: Object.fromEntries(labels.map((l) => [l, pairScore(p, l)])),
        overall: pairScore(p, undefined),
      })),
      orphaned: [...this.orphaned],
      dropped: [...this.dropped],
    };
  }
}

/** Spans (by start, end and label) missing from at least one set, in text order. */
function disagreements(sets: readonly Span[][], map: OffsetMap): SpanDisagreement[] {
  const found = new Map<string, { span: Span; sets: Set<number> }>();
  sets.forEach((spans, s) => {
    for (const span of spans) {
      const k = `${span.start}\u0000${span.end}\u0000${span.label}`;
      let entry = found.get(k);
      if (!entry) found.set(k, (entry = { span, sets: new Set() }));
      entry.sets.add(s);
    }
  });
  return [...found.values()]
    .filter((e) => e.sets.size < sets.length)
    .map((e) => ({ start: e.span.start, end: e.span.end, label: e.span.label, text: map.slice(e.span.start, e.span.end), sets: [...e.sets].sort((a, b) => a - b) }))
    .sort((x, y) => x.start - y.start || x.end - y.end || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
}
