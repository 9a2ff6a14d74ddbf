/**
 * The few-shot examples the extension shows a model: taken verbatim from the team's finished
 * articles (status done) of the workspace folder, never from the article asked about. The folder is
 * read once per run (a small pool, in path order); each article then gets its examples from it.
 */
import { doneArticles, DoneArticle } from '../doneArticles';
import type { FileSystem } from '../fileSystem';
import type { WalkOptions } from '../corpus';
import { ExampleOptions, FewShotExample, fewShotExamples } from './prompt';

/** Finished articles read for examples: enough for two after leaving out the one asked about and any too sparse. */
export const EXAMPLE_POOL = 6;

export function examplePool(fs: FileSystem, root: string, walk?: WalkOptions): Promise<DoneArticle[]> {
  return doneArticles(fs, root, { limit: EXAMPLE_POOL, walk });
}

/** The examples for the article at `file` (a path of the same file system as the pool's). */
export function examplesFor(pool: readonly DoneArticle[], file: string, options?: ExampleOptions): FewShotExample[] {
  return fewShotExamples(
    pool.filter((a) => a.file !== file).map((a) => ({ file: a.relativePath, text: a.text, sidecar: a.sidecar })),
    options,
  );
}
