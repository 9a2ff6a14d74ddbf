/**
 * Where an export may write: checked before anything is opened, so that no output lands among the
 * articles it reads or replaces the corpus folder.
 */
import { realpathSync } from 'node:fs';
import * as nodePath from 'node:path';
import { EXPORT_FOLDER } from '../corpus';
import { ExportTargetError } from './sink';

/** The real path of `path`, or of its nearest existing folder with the rest appended. */
function realish(path: string): string {
  const rest: string[] = [];
  let p = nodePath.resolve(path);
  for (;;) {
    try {
      return nodePath.join(realpathSync(p), ...rest.reverse());
    } catch {
      const parent = nodePath.dirname(p);
      if (parent === p) return nodePath.resolve(path);
      rest.push(nodePath.basename(p));
      p = parent;
    }
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = nodePath.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}

/**
 * Outputs never go among the articles: a file there would replace a sidecar or an article, or be
 * read as one by the next export; and no output may replace the corpus folder or one holding it.
 * Links are followed, so a link into the corpus is caught too. Throws `ExportTargetError`.
 */
export function checkExportTarget(root: string, outputs: readonly string[]): void {
  const corpus = realish(root);
  for (const out of outputs) {
    const target = realish(out);
    if (isInside(corpus, target)) {
      // an export-<date> folder (what Export Dataset… suggests) is skipped by every corpus walk:
      // its files are never among the articles
      const first = nodePath.relative(corpus, target).split(nodePath.sep)[0];
      if (first && EXPORT_FOLDER.test(first)) continue;
      throw new ExportTargetError(
        `${out} is inside the corpus folder ${root}: the export must not add or replace files among the articles; choose a place outside it, or a folder export-YYYY-MM-DD in it`,
      );
    }
    if (isInside(target, corpus)) throw new ExportTargetError(`${out} would replace the corpus folder ${root} (or a folder holding it)`);
  }
}
