/**
 * Corpus walking: every article under a folder, with its sidecar if there is one.
 * Skips `node_modules`, `.git`, hidden folders and the export folders Export Dataset… suggests
 * (`export-YYYY-MM-DD`, whose brat .txt files are not articles); follows no folder links (no cycles).
 */
import { FileSystem } from './fileSystem';
import { articlePathFor, isSidecarPath, sidecarPathFor } from './sidecar';

export const DEFAULT_ARTICLE_EXTENSIONS = ['.txt', '.md'];

export interface CorpusEntry {
  articlePath: string;
  /** Path relative to the walked root, with `/` separators: the article's id in exports. */
  relativePath: string;
  sidecarPath: string;
  hasSidecar: boolean;
  /** Set (with `sidecarsWithoutArticle`) on a sidecar whose article is not there. */
  articleMissing?: boolean;
}

export interface WalkOptions {
  extensions?: readonly string[];
  /** Optional extra filter on the relative path. */
  include?: (relativePath: string) => boolean;
  /** Also yield sidecars whose article is missing (renamed or deleted), marked `articleMissing`. */
  sidecarsWithoutArticle?: boolean;
}

/** The folders Export Dataset… suggests inside a corpus: `export-2026-11-29`, `export-2026-11-29-2`. */
export const EXPORT_FOLDER = /^export-\d{4}-\d{2}-\d{2}(-\d+)?$/;

/** The name of a new export folder for `date` (local time), not clashing with `taken`. */
export function exportFolderName(date: Date, taken: (name: string) => boolean): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const base = `export-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  let name = base;
  for (let i = 2; taken(name); i++) name = `${base}-${i}`;
  return name;
}

function skipFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.') || EXPORT_FOLDER.test(name);
}

/** Yields articles in a stable order (names sorted at each level), one folder read at a time. */
export async function* walkCorpus(fs: FileSystem, root: string, options: WalkOptions = {}): AsyncGenerator<CorpusEntry> {
  const extensions = options.extensions ?? DEFAULT_ARTICLE_EXTENSIONS;
  async function* walk(dir: string, rel: string): AsyncGenerator<CorpusEntry> {
    const entries = (await fs.readDirectory(dir)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const names = new Set(entries.map(([n]) => n));
    for (const [name, type] of entries) {
      const path = fs.join(dir, name);
      const relativePath = rel ? `${rel}/${name}` : name;
      let kind = type;
      if (kind === 'symlink') kind = (await fs.stat(path))?.type ?? 'other';
      if (kind === 'directory') {
        if (type === 'symlink' || skipFolder(name)) continue;
        yield* walk(path, relativePath);
      } else if (kind === 'file') {
        if (isSidecarPath(name) && options.sidecarsWithoutArticle && !names.has(articlePathFor(name))) {
          const articleRel = articlePathFor(relativePath);
          if (!options.include || options.include(articleRel)) {
            yield { articlePath: articlePathFor(path), relativePath: articleRel, sidecarPath: path, hasSidecar: true, articleMissing: true };
          }
          continue;
        }
        if (isSidecarPath(name) || name.startsWith('.')) continue;
        if (!extensions.some((ext) => name.toLowerCase().endsWith(ext))) continue;
        if (options.include && !options.include(relativePath)) continue;
        yield { articlePath: path, relativePath, sidecarPath: sidecarPathFor(path), hasSidecar: names.has(name + '.annotations.json') };
      }
    }
  }
  yield* walk(root, '');
}

/**
 * Resolves CLI arguments that may be article files, sidecar files or folders into sidecar-bearing
 * entries. Used by `validate` and `stats`.
 */
export async function expandPaths(fs: FileSystem, paths: readonly string[], options: WalkOptions = {}): Promise<CorpusEntry[]> {
  const out: CorpusEntry[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p);
    if (!stat) throw new Error(`${p}: no such file or folder`);
    if (stat.type === 'directory') {
      for await (const e of walkCorpus(fs, p, options)) out.push(e);
    } else {
      const articlePath = isSidecarPath(p) ? p.slice(0, -'.annotations.json'.length) : p;
      const sidecarPath = sidecarPathFor(articlePath);
      out.push({
        articlePath,
        relativePath: articlePath,
        sidecarPath,
        hasSidecar: (await fs.stat(sidecarPath))?.type === 'file',
      });
    }
  }
  return out;
}
