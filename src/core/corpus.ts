/**
 * Corpus walking: every article under a folder, with its sidecar if there is one.
 * Skips `node_modules`, `.git`, hidden folders and the export folders Export Dataset… suggests
 * (`export-YYYY-MM-DD`, whose brat .txt files are not articles) and the cases folder (`cases` at the
 * root unless told otherwise: case records, not articles); follows no folder links (no cycles).
 *
 * Hostile entries (a cloned repository can carry any of them) are left out and reported through
 * `onLeftOut`: an article or sidecar that is a FIFO, device or socket (reading it would block or
 * never end), a link whose real path is outside the corpus (its text is not the corpus's to
 * export), and a folder named like an article that has a sidecar. Links to files inside the corpus
 * are followed: a researcher who links one article into two folders expects it read in both.
 */
import { EntryType, FileSystem, notRegularFile } from './fileSystem';
import { articlePathFor, isSidecarPath, SIDECAR_SUFFIX, sidecarPathFor } from './sidecar';

const DEFAULT_ARTICLE_EXTENSIONS = ['.txt', '.md'];

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
  /**
   * The cases folder, relative to the walked root with `/` separators (the `misconduct.casesFolder`
   * setting, the CLI's `--cases`): skipped. Default `cases`; null skips none.
   */
  casesFolder?: string | null;
  /** Told of each article or sidecar left out (see the module comment); without it they are left out silently. */
  onLeftOut?: (leftOut: LeftOut) => void;
}

/** An entry the walk leaves out, and why. */
export interface LeftOut {
  path: string;
  /** Why, after the path: "is not a regular file (a FIFO)". */
  reason: string;
}

/** One line for a left-out entry, as every "file: problem" line: "<path>: is not a regular file (a FIFO); left out". */
export function formatLeftOut(l: LeftOut): string {
  return `${l.path}: ${l.reason}; left out`;
}

/** Whether `child` (a real path) is `parent` or inside it; either separator, so URIs work too. */
function isInsideFolder(parent: string, child: string): boolean {
  if (child === parent) return true;
  const base = /[\\/]$/.test(parent) ? parent : parent + (parent.includes('\\') && !parent.includes('/') ? '\\' : '/');
  return child.startsWith(base);
}

/** Where case records live when nothing says otherwise: `cases` at the corpus root. */
export const DEFAULT_CASES_FOLDER = 'cases';
/** A case record's file name ends so (src/core/cases); here, outside that lazy module, for git-setup. */
export const CASE_SUFFIX = '.case.json';

/** A cases folder setting as a relative path: `/` separators, no leading `./` or trailing `/`. */
export function normaliseCasesFolder(folder: string): string {
  return folder.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
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
  const leaveOut = (path: string, reason: string) => options.onLeftOut?.({ path, reason });
  const realRoot = fs.realPath ? await fs.realPath(root) : undefined;
  const casesFolder = options.casesFolder === null ? undefined : normaliseCasesFolder(options.casesFolder ?? DEFAULT_CASES_FOLDER);

  /**
   * What a listed entry is once links are followed, or why it is left out: a link whose real path
   * is outside the corpus, or anything that is not a regular file or folder.
   */
  async function resolve(path: string, type: EntryType): Promise<{ kind: EntryType; refused?: string }> {
    if (type === 'file' || type === 'directory') return { kind: type };
    const stat = await fs.stat(path);
    const kind: EntryType = stat?.type ?? 'other';
    if (type === 'symlink' && kind === 'file' && realRoot !== undefined && !isInsideFolder(realRoot, await fs.realPath!(path))) {
      return { kind, refused: 'is a link to a file outside the corpus folder' };
    }
    if (kind === 'other') return { kind, refused: `is not a regular file (${stat?.special ?? 'a special file'})` };
    return { kind };
  }

  async function* walk(dir: string, rel: string): AsyncGenerator<CorpusEntry> {
    const entries = (await fs.readDirectory(dir)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const types = new Map(entries);
    for (const [name, type] of entries) {
      const path = fs.join(dir, name);
      const relativePath = rel ? `${rel}/${name}` : name;
      if (isSidecarPath(name) && type !== 'directory') {
        if (!options.sidecarsWithoutArticle || types.has(articlePathFor(name))) continue;
        const articleRel = articlePathFor(relativePath);
        if (options.include && !options.include(articleRel)) continue;
        const sidecar = await resolve(path, type);
        if (sidecar.refused) leaveOut(path, sidecar.refused);
        else if (sidecar.kind === 'file') yield { articlePath: articlePathFor(path), relativePath: articleRel, sidecarPath: path, hasSidecar: true, articleMissing: true };
        continue;
      }
      const isArticleName = !name.startsWith('.') && extensions.some((ext) => name.toLowerCase().endsWith(ext)) && (!options.include || options.include(relativePath));
      if (type === 'directory' || (type === 'symlink' && !isArticleName)) {
        if (type === 'directory' && !skipFolder(name) && relativePath !== casesFolder) {
          // a folder named like an article with a sidecar beside it: that sidecar has no article
          if (isArticleName && types.has(name + SIDECAR_SUFFIX)) leaveOut(path, 'is a folder, not an article');
          yield* walk(path, relativePath);
        }
        continue;
      }
      if (!isArticleName) continue;
      const article = await resolve(path, type);
      if (article.kind === 'directory') continue; // a link to a folder: folder links are not followed
      if (article.refused) {
        leaveOut(path, article.refused);
        continue;
      }
      const sidecarPath = sidecarPathFor(path);
      const sidecarType = types.get(name + SIDECAR_SUFFIX);
      if (sidecarType !== undefined && sidecarType !== 'directory') {
        // a sidecar that is a FIFO or leads outside is refused with its article, whose annotations it holds
        const sidecar = await resolve(sidecarPath, sidecarType);
        if (sidecar.refused) {
          leaveOut(sidecarPath, sidecar.refused);
          continue;
        }
      }
      yield { articlePath: path, relativePath, sidecarPath, hasSidecar: sidecarType !== undefined };
    }
  }
  yield* walk(root, '');
}

/**
 * Resolves CLI arguments that may be article files, sidecar files or folders into sidecar-bearing
 * entries. Used by `validate` and `stats`. A path named here that is missing, or (as its sidecar)
 * not a regular file or folder, throws: one line naming it (`InputFileError` for the latter).
 */
export async function expandPaths(fs: FileSystem, paths: readonly string[], options: WalkOptions = {}): Promise<CorpusEntry[]> {
  const out: CorpusEntry[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p);
    if (!stat) throw new Error(`${p}: no such file or folder`);
    if (stat.type === 'directory') {
      for await (const e of walkCorpus(fs, p, options)) out.push(e);
    } else {
      if (stat.type !== 'file') throw notRegularFile(p, stat.special);
      const articlePath = isSidecarPath(p) ? p.slice(0, -SIDECAR_SUFFIX.length) : p;
      const sidecarPath = sidecarPathFor(articlePath);
      const sidecar = sidecarPath === p ? stat : await fs.stat(sidecarPath);
      if (sidecar && sidecar.type !== 'file' && sidecar.type !== 'directory') throw notRegularFile(sidecarPath, sidecar.special);
      out.push({ articlePath, relativePath: articlePath, sidecarPath, hasSidecar: sidecar?.type === 'file' });
    }
  }
  return out;
}
