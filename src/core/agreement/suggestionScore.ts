/**
 * How good the suggestions are against gold annotations: per label precision, recall and F1 with
 * the overlap rule of spanF1.ts (same label, one shared code point, one-to-one). Used by the bench's
 * development-set row; the same measure the held-out figures use, mention by mention.
 */
import { Span, overlapMatching } from './spanF1';

export interface LabelScore {
  gold: number;
  predicted: number;
  matched: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export class SuggestionScore {
  private readonly counts = new Map<string, { gold: number; predicted: number; matched: number }>();

  constructor(readonly labels: readonly string[]) {
    for (const l of labels) this.counts.set(l, { gold: 0, predicted: 0, matched: 0 });
  }

  /** Adds one article: gold and predicted spans (offsets in the same unit). Other labels are ignored. */
  add(gold: readonly Span[], predicted: readonly Span[]): Array<[number, number]> {
    const g = gold.filter((s) => this.counts.has(s.label));
    const p = predicted.filter((s) => this.counts.has(s.label));
    for (const s of g) this.counts.get(s.label)!.gold++;
    for (const s of p) this.counts.get(s.label)!.predicted++;
    const pairs = overlapMatching(g, p);
    for (const [i] of pairs) this.counts.get(g[i].label)!.matched++;
    return pairs;
  }

  score(label: string): LabelScore {
    const c = this.counts.get(label) ?? { gold: 0, predicted: 0, matched: 0 };
    const precision = c.predicted ? c.matched / c.predicted : null;
    const recall = c.gold ? c.matched / c.gold : null;
    const f1 = c.gold + c.predicted ? (2 * c.matched) / (c.gold + c.predicted) : null;
    return { ...c, precision, recall, f1 };
  }
}
