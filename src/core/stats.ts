/**
 * Corpus statistics: the numbers behind `stats` (and, later, the dashboard). One function, so the
 * CLI and the extension never disagree.
 */
import { FileSystem } from './fileSystem';
import { walkCorpus, WalkOptions } from './corpus';
import { loadArticleSidecar } from './sidecar';
import { ArticleStatus } from './schema';

export interface CorpusStats {
  articles: number;
  annotatedArticles: number;
  annotations: number;
  labels: Record<string, number>;
  status: Record<ArticleStatus, number>;
  invalid: Array<{ file: string; problem: string }>;
}

export async function computeCorpusStats(fs: FileSystem, root: string, options: WalkOptions = {}): Promise<CorpusStats> {
  const stats: CorpusStats = {
    articles: 0,
    annotatedArticles: 0,
    annotations: 0,
    labels: {},
    status: { not_started: 0, in_progress: 0, done: 0 },
    invalid: [],
  };
  for await (const entry of walkCorpus(fs, root, options)) {
    stats.articles++;
    if (!entry.hasSidecar) {
      stats.status.not_started++;
      continue;
    }
    let state;
    try {
      state = await loadArticleSidecar(fs, entry.articlePath);
    } catch (err) {
      stats.invalid.push({ file: entry.relativePath, problem: (err as Error).message });
      stats.status.not_started++;
      continue;
    }
    if (state.kind !== 'ok') {
      if (state.kind === 'invalid') stats.invalid.push({ file: entry.relativePath, problem: state.error.message });
      stats.status.not_started++;
      continue;
    }
    const annotations = state.sidecar.annotations;
    if (annotations.length) stats.annotatedArticles++;
    stats.annotations += annotations.length;
    for (const a of annotations) stats.labels[a.label] = (stats.labels[a.label] ?? 0) + 1;
    stats.status[state.sidecar.status ?? (annotations.length ? 'in_progress' : 'not_started')]++;
  }
  stats.labels = Object.fromEntries(Object.entries(stats.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  return stats;
}
