/**
 * Evaluate Suggestions: each source of suggestions scored against the team's annotations, per
 * label, exact and overlap precision, recall and F1 (agreement/suggestionScore.ts), with every
 * miss and false positive (overlap rule) listed with its place. The offline sources are run here:
 * gazetteer terms and rules (detect/, split by the source each suggestion names) and learned
 * phrases, scored leave-one-article-out (learned from every other gold article, so a phrase is
 * not credited for finding itself). A model's suggestions are added by the caller (`add`).
 */
import { SuggestionScore, LabelScore } from './agreement';
import { suggestTerms } from './detect';
import { labelForCategory, LabelDefinition, DEFAULT_LABEL_DEFINITIONS } from './labels';
import { PhraseLearner } from './learn';
import { OffsetMap } from './offsets';

export const EVALUATED_SOURCES = ['gazetteer', 'rule', 'learned', 'model'] as const;
/** A source, or the gazetteer and rules together: what the editor suggests without a corpus (the bench's devset rows). */
export type EvaluatedSource = (typeof EVALUATED_SOURCES)[number] | 'gazetteer+rule';

/** An article with its gold annotations (code points). */
export interface GoldArticle {
  /** How the article is named in the listing (a path). */
  file: string;
  text: string;
  annotations: ReadonlyArray<{ start: number; end: number; label: string; text: string }>;
}

export interface PredictedSpan {
  /** Code points. */
  start: number;
  end: number;
  label: string;
}

/** A miss or a false positive: where it is (line and column from 1, columns in code points) and what. */
export interface ListedSpan {
  file: string;
  line: number;
  col: number;
  start: number;
  end: number;
  label: string;
  text: string;
}

export interface SourceReport {
  source: EvaluatedSource;
  labels: Record<string, LabelScore>;
  overall: LabelScore;
  misses: ListedSpan[];
  falsePositives: ListedSpan[];
}

/** Line and column (from 1; the column in code points) of a code point offset. */
export function lineAndColumn(map: OffsetMap, offset: number): { line: number; col: number } {
  const u = map.toUtf16(offset);
  const before = map.text.slice(0, u);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line, col: map.toCodePoint(u) - map.toCodePoint(lineStart) + 1 };
}

/** The score of one source over a corpus, with what it missed and what it suggested wrongly. */
export class SourceEvaluation {
  private readonly score: SuggestionScore;
  readonly misses: ListedSpan[] = [];
  readonly falsePositives: ListedSpan[] = [];

  constructor(
    readonly source: EvaluatedSource,
    readonly labels: readonly string[],
  ) {
    this.score = new SuggestionScore(labels);
  }

  add(article: GoldArticle, predicted: readonly PredictedSpan[], map = new OffsetMap(article.text)): void {
    const gold = article.annotations.filter((a) => this.labels.includes(a.label));
    const pred = predicted.filter((p) => this.labels.includes(p.label));
    const pairs = this.score.add(gold, pred);
    const goldMatched = new Set(pairs.map(([i]) => i));
    const predMatched = new Set(pairs.map(([, j]) => j));
    const listed = (s: PredictedSpan, text: string): ListedSpan => ({ file: article.file, ...lineAndColumn(map, s.start), start: s.start, end: s.end, label: s.label, text });
    gold.forEach((g, i) => goldMatched.has(i) || this.misses.push(listed(g, g.text)));
    pred.forEach((p, j) => predMatched.has(j) || this.falsePositives.push(listed(p, map.slice(p.start, p.end))));
  }

  report(): SourceReport {
    const labels: Record<string, LabelScore> = {};
    for (const l of this.labels) labels[l] = this.score.score(l);
    return { source: this.source, labels, overall: this.score.overall(), misses: this.misses, falsePositives: this.falsePositives };
  }
}

/** The labels scored: those the gold annotations use, in the order of the label definitions, then by name. */
export function evaluatedLabels(articles: readonly GoldArticle[], definitions: readonly LabelDefinition[] = DEFAULT_LABEL_DEFINITIONS): string[] {
  const used = new Set(articles.flatMap((a) => a.annotations.map((s) => s.label)));
  const ordered = definitions.map((d) => d.name).filter((n) => used.has(n));
  return [...ordered, ...[...used].filter((n) => !ordered.includes(n)).sort()];
}

/**
 * Scores the offline sources asked for over the gold articles. Suggestion categories become labels
 * as in the editor (`labelForCategory`); one no label takes (body, rank) is not scored.
 */
export function evaluateOfflineSources(
  articles: readonly GoldArticle[],
  sources: readonly EvaluatedSource[],
  labels: readonly string[],
  definitions: readonly LabelDefinition[] = DEFAULT_LABEL_DEFINITIONS,
): SourceEvaluation[] {
  const wanted: EvaluatedSource[] = sources.filter((s) => s !== 'model');
  if (wanted.includes('gazetteer') && wanted.includes('rule')) wanted.splice(wanted.indexOf('rule') + 1, 0, 'gazetteer+rule');
  const evaluations = new Map(wanted.map((s) => [s, new SourceEvaluation(s, labels)]));
  const label = (category: string) => labelForCategory(definitions, category);
  const learner = evaluations.has('learned') ? new PhraseLearner() : undefined;
  for (const a of articles) learner?.setArticle(a.file, { annotations: a.annotations });
  for (const a of articles) {
    const map = new OffsetMap(a.text);
    const spans = (ms: ReadonlyArray<{ start: number; end: number; category: string }>): PredictedSpan[] =>
      ms.flatMap((m) => {
        const l = label(m.category);
        return l ? [{ start: map.toCodePoint(m.start), end: map.toCodePoint(m.end), label: l }] : [];
      });
    if (evaluations.has('gazetteer') || evaluations.has('rule')) {
      const terms = suggestTerms(a.text);
      evaluations.get('gazetteer')?.add(a, spans(terms.filter((t) => t.source === 'gazetteer')), map);
      evaluations.get('rule')?.add(a, spans(terms.filter((t) => t.source === 'rule')), map);
      evaluations.get('gazetteer+rule')?.add(a, spans(terms), map);
    }
    if (learner) {
      // leave one out: what the other articles teach, without this one's own annotations
      learner.setArticle(a.file, undefined);
      evaluations.get('learned')!.add(a, spans(learner.suggest(a.text)), map);
      learner.setArticle(a.file, { annotations: a.annotations });
    }
  }
  return wanted.map((s) => evaluations.get(s)!);
}
