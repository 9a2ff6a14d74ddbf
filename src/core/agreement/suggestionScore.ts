/**
 * How good the suggestions are against gold annotations: per label precision, recall and F1 with
 * the overlap rule of spanF1.ts (same label, one shared code point, one-to-one), and with the exact
 * rule (same start, end and label). Used by the bench's development-set row and by `evaluate`;
 * the same measure the held-out figures use, mention by mention.
 */
import { Span, exactMatches, overlapMatching } from './spanF1';

export interface PRF {
  matched: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface LabelScore extends PRF {
  gold: number;
  predicted: number;
  /** The same counts with the exact rule (the top-level fields are the overlap rule's). */
  exact: PRF;
}

interface Counts {
  gold: number;
  predicted: number;
  matched: number;
  exact: number;
}

function prf(matched: number, gold: number, predicted: number): PRF {
  return {
    matched,
    precision: predicted ? matched / predicted : null,
    recall: gold ? matched / gold : null,
    f1: gold + predicted ? (2 * matched) / (gold + predicted) : null,
  };
}

export class SuggestionScore {
  private readonly counts = new Map<string, Counts>();

  constructor(readonly labels: readonly string[]) {
    for (const l of labels) this.counts.set(l, { gold: 0, predicted: 0, matched: 0, exact: 0 });
  }

  /**
   * Adds one article: gold and predicted spans (offsets in the same unit). Other labels are
   * ignored. Returns the overlap pairs as indexes into `gold` and `predicted`.
   */
  add(gold: readonly Span[], predicted: readonly Span[]): Array<[number, number]> {
    const gi = gold.map((_, i) => i).filter((i) => this.counts.has(gold[i].label));
    const pi = predicted.map((_, i) => i).filter((i) => this.counts.has(predicted[i].label));
    const g = gi.map((i) => gold[i]);
    const p = pi.map((i) => predicted[i]);
    for (const s of g) this.counts.get(s.label)!.gold++;
    for (const s of p) this.counts.get(s.label)!.predicted++;
    const pairs = overlapMatching(g, p);
    for (const [i] of pairs) this.counts.get(g[i].label)!.matched++;
    for (const [label, n] of exactMatches(g, p)) this.counts.get(label)!.exact += n;
    return pairs.map(([i, j]) => [gi[i], pi[j]]);
  }

  score(label: string): LabelScore {
    const c = this.counts.get(label) ?? { gold: 0, predicted: 0, matched: 0, exact: 0 };
    return { gold: c.gold, predicted: c.predicted, ...prf(c.matched, c.gold, c.predicted), exact: prf(c.exact, c.gold, c.predicted) };
  }

  /** All labels together (micro-averaged). */
  overall(): LabelScore {
    const t = { gold: 0, predicted: 0, matched: 0, exact: 0 };
    for (const c of this.counts.values()) {
      t.gold += c.gold;
      t.predicted += c.predicted;
      t.matched += c.matched;
      t.exact += c.exact;
    }
    return { gold: t.gold, predicted: t.predicted, ...prf(t.matched, t.gold, t.predicted), exact: prf(t.exact, t.gold, t.predicted) };
  }
}
