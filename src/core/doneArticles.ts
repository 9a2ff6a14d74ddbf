/**
 * The team's finished articles (sidecar status `done`) under a folder, in path order, each with its
 * text and its sidecar reconciled with that text: the gold annotations the extension scores the
 * suggestion sources against, and the examples it shows a language model. Only a sidecar that
 * says done has its article read, so a corpus mostly in progress costs a sidecar read per article.
 */
import { walkCorpus, WalkOptions } from './corpus';
import { describeReadError, FileSystem } from './fileSystem';
import type { Sidecar } from './schema';
import { loadArticleSidecar, readSidecarText } from './sidecar';

export interface DoneArticle {
  /** The article's path as the file system names it. */
  file: string;
  /** Relative to the folder, `/` separators. */
  relativePath: string;
  text: string;
  sidecar: Sidecar;
}

export interface DoneArticleOptions {
  walk?: WalkOptions;
  /** Stop after this many (the examples need only a few). */
  limit?: number;
  /** Left out: the article asked about (relative path). */
  exclude?: (relativePath: string) => boolean;
  /** Told of an article or sidecar that cannot be read (it is left out). */
  onProblem?: (line: string) => void;
}

/** A cheap look at a sidecar's status before the article is read and the sidecar validated. */
function saysDone(json: string): boolean {
  try {
    return (JSON.parse(json) as { status?: unknown } | null)?.status === 'done';
  } catch {
    return false;
  }
}

export async function doneArticles(fs: FileSystem, root: string, options: DoneArticleOptions = {}): Promise<DoneArticle[]> {
  const out: DoneArticle[] = [];
  for await (const entry of walkCorpus(fs, root, options.walk)) {
    if (options.limit !== undefined && out.length >= options.limit) break;
    if (!entry.hasSidecar || options.exclude?.(entry.relativePath)) continue;
    try {
      const json = await readSidecarText(fs, entry.sidecarPath);
      if (json === undefined || !saysDone(json)) continue;
      const state = await loadArticleSidecar(fs, entry.articlePath);
      if (state.kind === 'invalid') options.onProblem?.(`${entry.relativePath}: sidecar not used (${state.error.problems[0]?.message ?? 'invalid'})`);
      if (state.kind !== 'ok') continue;
      out.push({ file: entry.articlePath, relativePath: entry.relativePath, text: state.articleText, sidecar: state.sidecar });
    } catch (err) {
      options.onProblem?.(describeReadError(entry.relativePath, err));
    }
  }
  return out;
}
