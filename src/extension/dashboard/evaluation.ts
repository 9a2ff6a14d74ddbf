/**
 * Evaluate Suggestions' result as the dashboard shows it: the table (per source and label, exact
 * and overlap precision, recall and F1) and the misses and false positives, each kept beside the
 * span it opens. No `vscode` here (unit-tested).
 */
import type { ListedSpan } from '../../core/evaluate';
import type { EvaluationResult } from '../model/evaluateSuggestionsCommand';
import type { EvaluationRow, EvaluationView, ListedView } from './protocol';

/** Listed per source and kind: a long corpus lists thousands (the CLI's `evaluate` lists them all). */
export const MAX_LISTED = 200;

export interface EvaluationShown {
  view: EvaluationView;
  /** The spans behind the view's lists, by source and kind (what a click opens). */
  spans: Array<{ misses: ListedSpan[]; falsePositives: ListedSpan[] }>;
}

export function evaluationView(result: EvaluationResult, folderName: string, relative: (file: string) => string): EvaluationShown {
  const rows: EvaluationRow[] = [];
  const lists: EvaluationView['lists'] = [];
  const spans: EvaluationShown['spans'] = [];
  const listed = (s: ListedSpan): ListedView => ({ place: `${relative(s.file)}:${s.line}:${s.col}`, label: s.label, text: s.text.replace(/\s+/g, ' ') });
  for (const r of result.sources) {
    // a label the source never suggests is left out of its rows and its misses (as in docs/suggestions.md)
    const silent = new Set(Object.keys(r.labels).filter((l) => !r.labels[l].predicted));
    for (const [label, s] of [...Object.entries(r.labels).filter(([l]) => !silent.has(l)), ['all', r.overall] as const]) {
      rows.push({ source: r.source, label, gold: s.gold, suggested: s.predicted, exact: [s.exact.precision, s.exact.recall, s.exact.f1], overlap: [s.precision, s.recall, s.f1] });
    }
    const misses = r.misses.filter((m) => !silent.has(m.label));
    spans.push({ misses: misses.slice(0, MAX_LISTED), falsePositives: r.falsePositives.slice(0, MAX_LISTED) });
    lists.push({
      source: r.source,
      misses: misses.slice(0, MAX_LISTED).map(listed),
      falsePositives: r.falsePositives.slice(0, MAX_LISTED).map(listed),
      missesTotal: misses.length,
      falsePositivesTotal: r.falsePositives.length,
    });
  }
  const m = result.model;
  const note = m ? `Language model ${m.name}, ${m.mode === 'cached' ? 'from remembered answers' : 'asked'}, scored on ${m.scored} of ${result.articles} articles.` : undefined;
  return { view: { folder: folderName, articles: result.articles, ...(note ? { note } : {}), rows, lists }, spans };
}
