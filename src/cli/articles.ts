/**
 * The articles named on a command line (files, sidecars or folders walked), each read with its
 * sidecar when it has a valid one. Shared by the verbs that read a corpus whole before working on
 * it (`suggest --model`, `evaluate`); a problem is one line through `onProblem`, and the others go on.
 */
import { ArticleDecodeError } from '../core/article';
import { formatLeftOut, walkCorpus } from '../core/corpus';
import { describeReadError, FileSystem, notRegularFile } from '../core/fileSystem';
import { Sidecar } from '../core/schema';
import { isSidecarPath, loadArticleSidecar, SIDECAR_SUFFIX } from '../core/sidecar';
import { UsageError } from './verb';

/** Told of each problem in one line; `failed`: the article is left out (else only its sidecar is). */
export type Problem = (line: string, failed: boolean) => void;

export interface LoadedArticle {
  /** The path as named or walked. */
  file: string;
  /** Relative to the folder walked (the path itself for a file named). */
  relativePath: string;
  text: string;
  /** The valid sidecar, reconciled with the text (absent: none, or invalid and said so). */
  sidecar?: Sidecar;
}

/** Paths of the articles named: folders walked; a sidecar stands for its article. Throws UsageError for a path that is neither. */
export async function articlePaths(fs: FileSystem, paths: readonly string[], onProblem: Problem): Promise<Array<{ file: string; relativePath: string }>> {
  const out: Array<{ file: string; relativePath: string }> = [];
  for (const p of paths) {
    const stat = await fs.stat(p);
    if (stat?.type === 'directory') {
      for await (const e of walkCorpus(fs, p, { onLeftOut: (l) => onProblem(formatLeftOut(l), true) })) out.push({ file: e.articlePath, relativePath: e.relativePath });
    } else if (stat && stat.type !== 'file') throw new UsageError(notRegularFile(p, stat.special).message, false);
    else {
      const file = isSidecarPath(p) ? p.slice(0, -SIDECAR_SUFFIX.length) : p;
      out.push({ file, relativePath: file });
    }
  }
  return out;
}

/** Reads one article and its sidecar; undefined (and a line through `onProblem`) when the article cannot be read. */
export async function loadArticle(fs: FileSystem, file: string, relativePath: string, onProblem: Problem): Promise<LoadedArticle | undefined> {
  try {
    const state = await loadArticleSidecar(fs, file);
    if (state.kind === 'invalid') onProblem(`${state.error.file}: sidecar not used (${state.error.problems[0]?.message ?? 'invalid'})`, false);
    return { file, relativePath, text: state.articleText, ...(state.kind === 'ok' ? { sidecar: state.sidecar } : {}) };
  } catch (err) {
    onProblem(err instanceof ArticleDecodeError ? `${file}: ${err.message}` : describeReadError(file, err), true);
    return undefined;
  }
}
