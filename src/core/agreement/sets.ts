/**
 * Annotation sets: the same corpus cloned by several annotators, each folder with its own
 * sidecars. Articles are matched by their path relative to each set's root, then checked to be the
 * same text (sha256 of the article bytes) before any offsets are compared: offsets into different
 * texts mean nothing, so such an article is skipped and reported, never compared.
 *
 * Each set's sidecar is first reconciled with that set's own copy of the article by
 * `loadArticleSidecar` (re-anchored by quote if the article changed since it was annotated), so
 * an annotator whose sidecar predates a correction still counts once their article matches the
 * others'.
 */
import { ArticleDecodeError, sha256Hex } from '../article';
import { CorpusEntry, walkCorpus, WalkOptions } from '../corpus';
import { FileSystem, readInputFile } from '../fileSystem';
import { Annotation, DocumentForm, Relation } from '../schema';
import { loadArticleSidecar } from '../sidecar';

export interface MatchOptions extends WalkOptions {
  /**
   * An article with no sidecar in some set counts as annotated with nothing there. Off by default:
   * a missing sidecar usually means the annotator has not reached that article yet, and counting
   * it as "no spans" would pull agreement down for work not done.
   */
  missingSidecarAsEmpty?: boolean;
  /** Compare near copies (sidecars with `duplicateOf`) too; by default they are skipped. */
  includeDuplicates?: boolean;
}

export type MatchedArticle =
  | {
      kind: 'article';
      /** Path relative to each root, `/`-separated. */
      file: string;
      text: string;
      /** Per set, in root order: its annotations on `text` (orphaned ones included, flagged). */
      annotations: Annotation[][];
      /** Per set: its relations (ids of its own annotations). */
      relations: Relation[][];
      /** Per set: its coding form, undefined when it has none (or no sidecar). */
      documents: Array<DocumentForm | undefined>;
      /** Per set: whether the sidecar was re-anchored because its article changed since. */
      reanchored: boolean[];
    }
  | { kind: 'skipped'; file: string; reason: string };

export const TEXT_DIFFERS = 'article text differs between sets';

/** Orders relative paths the way `walkCorpus` visits them: component by component. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

function list(names: readonly string[]): string {
  return names.join(', ');
}

/**
 * Yields every article found in any set, in path order, either loaded from all sets or skipped
 * with a reason. Only the list of paths is held in memory; articles are read one at a time.
 */
export async function* matchArticles(fs: FileSystem, roots: readonly string[], options: MatchOptions = {}): AsyncGenerator<MatchedArticle> {
  const entries: Array<Map<string, CorpusEntry>> = [];
  for (const root of roots) {
    const byPath = new Map<string, CorpusEntry>();
    for await (const e of walkCorpus(fs, root, options)) byPath.set(e.relativePath, e);
    entries.push(byPath);
  }
  const all = [...new Set(entries.flatMap((m) => [...m.keys()]))].sort(comparePaths);

  for (const file of all) {
    const found = entries.map((m) => m.get(file));
    const absent = roots.filter((_, s) => !found[s]);
    if (absent.length) {
      yield { kind: 'skipped', file, reason: `not in every set (missing from ${list(absent)})` };
      continue;
    }
    const here = found as CorpusEntry[];
    if (!here.some((e) => e.hasSidecar)) {
      yield { kind: 'skipped', file, reason: 'not annotated in any set (no sidecar)' };
      continue;
    }
    const unannotated = roots.filter((_, s) => !here[s].hasSidecar);
    if (unannotated.length && !options.missingSidecarAsEmpty) {
      yield { kind: 'skipped', file, reason: `not annotated in ${list(unannotated)} (no sidecar)` };
      continue;
    }
    yield await loadOne(fs, roots, file, here, options.includeDuplicates === true);
  }
}

async function loadOne(fs: FileSystem, roots: readonly string[], file: string, here: readonly CorpusEntry[], includeDuplicates: boolean): Promise<MatchedArticle> {
  const annotations: Annotation[][] = [];
  const relations: Relation[][] = [];
  const documents: Array<DocumentForm | undefined> = [];
  const reanchored: boolean[] = [];
  const hashes: string[] = [];
  let text = '';
  for (let s = 0; s < roots.length; s++) {
    let state;
    try {
      state = await loadArticleSidecar(fs, here[s].articlePath);
    } catch (err) {
      const why = err instanceof ArticleDecodeError ? err.message : (err as Error).message;
      return { kind: 'skipped', file, reason: `cannot read the article in ${roots[s]}: ${why}` };
    }
    if (state.kind === 'invalid') {
      const problems = state.error.problems;
      const first = problems[0]?.message ?? state.error.message;
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
      return { kind: 'skipped', file, reason: `invalid sidecar in ${roots[s]}: ${first}${more}` };
    }
    if (state.kind === 'ok' && state.sidecar.duplicateOf !== undefined && !includeDuplicates) {
      return { kind: 'skipped', file, reason: `a near copy of ${state.sidecar.duplicateOf} in ${roots[s]} (--include-duplicates compares it)` };
    }
    if (state.kind === 'ok') {
      // reconcileWithArticle records the hash of the bytes it was given, re-anchored or not
      hashes.push(state.sidecar.article.sha256);
      annotations.push(state.sidecar.annotations);
      relations.push(state.sidecar.relations ?? []);
      documents.push(state.sidecar.document);
      reanchored.push(state.reanchored !== undefined);
    } else {
      hashes.push(sha256Hex(await readInputFile(fs, here[s].articlePath, 'article')));
      annotations.push([]);
      relations.push([]);
      documents.push(undefined);
      reanchored.push(false);
    }
    if (s === 0) text = state.articleText;
  }
  if (hashes.some((h) => h !== hashes[0])) return { kind: 'skipped', file, reason: TEXT_DIFFERS };
  return { kind: 'article', file, text, annotations, relations, documents, reanchored };
}
