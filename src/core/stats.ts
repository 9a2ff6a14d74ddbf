/**
 * Corpus statistics: the numbers behind `stats` and the dashboard. One function, so the CLI and
 * the extension never disagree.
 */
import { FileSystem } from './fileSystem';
import { walkCorpus, WalkOptions } from './corpus';
import { loadArticleSidecar } from './sidecar';
import { Annotation, ArticleStatus } from './schema';
import { entityType } from './normalise';

/** The type an allegation or sanction with no recognisable type is counted under. */
export const OTHER_TYPE = 'other';

export interface CorpusStats {
  articles: number;
  annotatedArticles: number;
  annotations: number;
  labels: Record<string, number>;
  status: Record<ArticleStatus, number>;
  invalid: Array<{ file: string; problem: string }>;
  /**
   * Force annotations per force: the gazetteer id (`attributes.type`, else derived from the text),
   * else the annotated text itself. Sorted most named first.
   */
  forces: Record<string, number>;
  /**
   * allegation type → sanction type → number of articles having both (an article counts once per
   * pair). Types as for forces, but an unrecognised one is "other".
   */
  allegationSanction: Record<string, Record<string, number>>;
}

/** What one article contributed, for callers that need to go from a figure back to its articles. */
export interface ArticleFacts {
  articlePath: string;
  relativePath: string;
  status: ArticleStatus;
  labels: Record<string, number>;
  forces: Record<string, number>;
  allegations: string[];
  sanctions: string[];
}

export interface StatsOptions extends WalkOptions {
  /** Called once per article, in walk order. */
  onArticle?: (facts: ArticleFacts) => void;
  /** Checked between articles; an aborted signal makes the function throw an AbortError. */
  signal?: AbortSignal;
}

/** The key a force annotation is counted under. */
export function forceKey(a: Pick<Annotation, 'label' | 'text' | 'attributes' | 'suffix'>): string {
  return a.attributes?.type || entityType('force', a.text, a.suffix) || a.text.trim();
}

/** The type an allegation or sanction annotation is counted under ("other" when none). */
export function typeKey(a: Pick<Annotation, 'label' | 'text' | 'attributes' | 'suffix'>): string {
  return a.attributes?.type || entityType(a.label, a.text, a.suffix) || OTHER_TYPE;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** Adds one to a count in a table keyed by data (a Map: no key can reach a prototype). */
function bump(table: Map<string, number>, key: string): void {
  table.set(key, (table.get(key) ?? 0) + 1);
}

/** A Map as a plain object for JSON; `Object.fromEntries` defines own properties, so `__proto__` stays a key. */
function toRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries(entries);
}

export async function computeCorpusStats(fs: FileSystem, root: string, options: StatsOptions = {}): Promise<CorpusStats> {
  const stats: CorpusStats = {
    articles: 0,
    annotatedArticles: 0,
    annotations: 0,
    labels: {},
    status: { not_started: 0, in_progress: 0, done: 0 },
    invalid: [],
    forces: {},
    allegationSanction: {},
  };
  // every table keyed by values from the files is a Map until the end
  const labels = new Map<string, number>();
  const forces = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  const report = (entry: { articlePath: string; relativePath: string }, status: ArticleStatus, annotations: readonly Annotation[] = []) => {
    stats.status[status]++;
    const articleLabels = new Map<string, number>();
    const articleForces = new Map<string, number>();
    const allegations = new Set<string>();
    const sanctions = new Set<string>();
    for (const a of annotations) {
      bump(labels, a.label);
      bump(articleLabels, a.label);
      if (a.label === 'force') {
        const key = forceKey(a);
        if (!key) continue;
        bump(forces, key);
        bump(articleForces, key);
      } else if (a.label === 'allegation') allegations.add(typeKey(a));
      else if (a.label === 'sanction') sanctions.add(typeKey(a));
    }
    for (const al of allegations) {
      let row = pairs.get(al);
      if (!row) pairs.set(al, (row = new Map()));
      for (const sa of sanctions) bump(row, sa);
    }
    options.onArticle?.({
      articlePath: entry.articlePath,
      relativePath: entry.relativePath,
      status,
      labels: toRecord(articleLabels),
      forces: toRecord(articleForces),
      allegations: [...allegations].sort(),
      sanctions: [...sanctions].sort(),
    });
  };
  for await (const entry of walkCorpus(fs, root, options)) {
    options.signal?.throwIfAborted();
    stats.articles++;
    if (!entry.hasSidecar) {
      report(entry, 'not_started');
      continue;
    }
    let state;
    try {
      state = await loadArticleSidecar(fs, entry.articlePath);
    } catch (err) {
      stats.invalid.push({ file: entry.relativePath, problem: (err as Error).message });
      report(entry, 'not_started');
      continue;
    }
    if (state.kind !== 'ok') {
      if (state.kind === 'invalid') stats.invalid.push({ file: entry.relativePath, problem: state.error.message });
      report(entry, 'not_started');
      continue;
    }
    const annotations = state.sidecar.annotations;
    if (annotations.length) stats.annotatedArticles++;
    stats.annotations += annotations.length;
    report(entry, state.sidecar.status ?? (annotations.length ? 'in_progress' : 'not_started'), annotations);
  }
  stats.labels = toRecord([...labels].sort(byKey));
  stats.forces = toRecord([...forces].sort(([a, x], [b, y]) => y - x || byKey([a, 0], [b, 0])));
  stats.allegationSanction = toRecord([...pairs].sort(byKey).map(([al, row]) => [al, toRecord([...row].sort(byKey))]));
  return stats;
}
