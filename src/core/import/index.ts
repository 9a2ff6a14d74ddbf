/**
 * Importing saved web pages (`.html`, `.htm`) into a corpus folder: each page becomes an article
 * (the headline, then the body's paragraphs) and a sidecar holding where it came from (`source`),
 * named from the headline and never written over a file. An exact copy of an article already in
 * the corpus is not imported; a near copy is, marked `duplicateOf` its original. Shared by
 * `misconduct-annotate import` and "Import Articles from Web Pages…"; built as a lazy module, so
 * Readability and linkedom are loaded only when an import runs.
 *
 * Pages are untrusted: linkedom runs no script and fetches nothing, and the importer reads nothing
 * but the files named. A page that is too large, binary or without article text is reported in one
 * line and the import goes on with the others.
 */
import { decodeArticle, sha256Hex } from '../article';
import { walkCorpus } from '../corpus';
import { describeReadError, FileSystem } from '../fileSystem';
import { codePointLength } from '../offsets';
import { sidecarPathFor } from '../sidecar';
import { newSidecar } from '../sidecarEncoding';
import { writeSidecar } from '../sidecarWrite';
import { ArticleSource, canonicalSource } from '../source';
import { decodePage, PageDecodeError } from './charset';
import { parsePage } from './dom';
import { bodyOf, CopyIndex, NEAR_COPY_THRESHOLD } from './duplicates';
import { articleText, extractArticle } from './extract';
import { cleanDate, readMetadata } from './metadata';
import { articleName } from './naming';

export { NEAR_COPY_THRESHOLD } from './duplicates';

/** The largest page read (20 MiB): more than any saved article page, and a bound on what a page can cost. */
export const MAX_PAGE_BYTES = 20 * 1024 * 1024;

const PAGE_EXTENSIONS = ['.html', '.htm'];

export type PageResult =
  | { kind: 'imported'; page: string; article: string; nearCopyOf?: { id: string; similarity: number } }
  | { kind: 'copy'; page: string; copyOf: string }
  | { kind: 'failed'; page: string; reason: string };

export interface ImportSummary {
  imported: number;
  /** Imported pages marked as near copies. */
  nearCopies: number;
  /** Pages not imported because the corpus holds their text already. */
  copies: number;
  /** Pages that could not be imported (each reported with its reason). */
  failed: number;
  results: PageResult[];
}

export interface ImportOptions {
  /** Told of each page as it is handled. */
  onResult?(result: PageResult): void;
  signal?: AbortSignal;
}

/** One page turned into an article and its source, without touching the disk. */
export interface ConvertedPage {
  text: string;
  source: ArticleSource;
}

/**
 * A page's bytes as an article. `saved` is when the page was saved (its file's modification time),
 * the `retrieved` date unless the page records its own. Throws `PageDecodeError` with a one-line reason.
 */
export function convertPage(bytes: Uint8Array, saved?: Date): ConvertedPage {
  const { text: html } = decodePage(bytes);
  const doc = parsePage(html);
  const metadata = readMetadata(doc);
  const article = extractArticle(doc, metadata.headline);
  if (!article || !article.paragraphs.length) throw new PageDecodeError('no article text was found in it');
  const source: ArticleSource = { ...metadata.source, title: metadata.headline ?? article.headline };
  const retrieved = savedDate(html) ?? (saved && !Number.isNaN(saved.getTime()) ? saved.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
  if (retrieved) source.retrieved = retrieved;
  return { text: articleText(article), source: canonicalSource(source) ?? {} };
}

/** The date a page-saving tool wrote into the page (SingleFile's "saved date:"), if any. */
function savedDate(html: string): string | undefined {
  const m = /<!--[^]{0,2000}?saved date:\s*([^\n(]+?)\s*(?:\(|\n|-->)/i.exec(html.slice(0, 4096));
  if (!m) return undefined;
  const time = Date.parse(m[1]);
  return Number.isNaN(time) ? undefined : cleanDate(new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

function isPageName(name: string): boolean {
  const lower = name.toLowerCase();
  return PAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The pages named: files as given, folders walked for `.html`/`.htm` (hidden folders and node_modules skipped, folder links not followed). */
async function* pagesOf(fs: FileSystem, inputs: readonly string[], report: (r: PageResult) => void): AsyncGenerator<string> {
  async function* walk(dir: string): AsyncGenerator<string> {
    const entries = (await fs.readDirectory(dir)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, type] of entries) {
      if (name.startsWith('.')) continue;
      const path = fs.join(dir, name);
      if (type === 'directory') {
        if (name !== 'node_modules') yield* walk(path);
      } else if (isPageName(name)) {
        yield path;
      }
    }
  }
  for (const input of inputs) {
    const stat = await fs.stat(input);
    if (!stat) report({ kind: 'failed', page: input, reason: 'no such file or folder' });
    else if (stat.type === 'directory') yield* walk(input);
    else if (!isPageName(input)) report({ kind: 'failed', page: input, reason: 'is not a saved web page (.html or .htm)' });
    else yield input;
  }
}

/** The corpus's articles in a copy index: whole text for exact copies, body for near ones. */
async function indexCorpus(fs: FileSystem, out: string, index: CopyIndex): Promise<void> {
  for await (const entry of walkCorpus(fs, out)) {
    try {
      const text = decodeArticle(await fs.readFile(entry.articlePath));
      index.add(entry.relativePath, text, bodyOf(text), entry.hasSidecar ? await recordedOriginal(fs, entry.sidecarPath) : undefined);
    } catch {
      // an article that cannot be read cannot be copied either; validate reports it
    }
  }
}

/** The `duplicateOf` a sidecar records, read without validating the rest (only a string is taken). */
async function recordedOriginal(fs: FileSystem, sidecarPath: string): Promise<string | undefined> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(await fs.readFile(sidecarPath)));
    const original = value && typeof value === 'object' && Object.hasOwn(value, 'duplicateOf') ? (value as { duplicateOf: unknown }).duplicateOf : undefined;
    return typeof original === 'string' ? original : undefined;
  } catch {
    return undefined;
  }
}

/** Imports the pages under `inputs` into the corpus folder `out` (which must exist). */
export async function importPages(fs: FileSystem, inputs: readonly string[], out: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, nearCopies: 0, copies: 0, failed: 0, results: [] };
  const report = (r: PageResult) => {
    if (r.kind === 'imported') {
      summary.imported++;
      if (r.nearCopyOf) summary.nearCopies++;
    } else if (r.kind === 'copy') summary.copies++;
    else summary.failed++;
    summary.results.push(r);
    options.onResult?.(r);
  };
  const index = new CopyIndex();
  await indexCorpus(fs, out, index);
  for await (const page of pagesOf(fs, inputs, report)) {
    options.signal?.throwIfAborted();
    let converted: ConvertedPage;
    try {
      const stat = await fs.stat(page);
      if (stat && stat.type !== 'file') throw new PageDecodeError(`is not a regular file (${stat.special ?? 'a special file'})`);
      if (stat && stat.size > MAX_PAGE_BYTES) throw new PageDecodeError(`is larger than ${MAX_PAGE_BYTES / 1024 / 1024} MiB, the most a saved page may hold`);
      converted = convertPage(await fs.readFile(page), stat ? new Date(stat.mtime) : undefined);
    } catch (err) {
      report({ kind: 'failed', page, reason: err instanceof PageDecodeError ? err.message : describeReadError(page, err).slice(page.length + 2) });
      continue;
    }
    const copyOf = index.exactCopyOf(converted.text);
    if (copyOf !== undefined) {
      report({ kind: 'copy', page, copyOf });
      continue;
    }
    const body = bodyOf(converted.text);
    const near = index.nearCopyOf(body, NEAR_COPY_THRESHOLD);
    const name = await articleName(fs, out, converted.text.slice(0, converted.text.indexOf('\n')));
    const articlePath = fs.join(out, name);
    const bytes = new TextEncoder().encode(converted.text);
    const sidecar = newSidecar(name, sha256Hex(bytes), codePointLength(converted.text));
    if (Object.keys(converted.source).length) sidecar.source = converted.source;
    if (near) sidecar.duplicateOf = near.id;
    try {
      // both names were free a moment ago (articleName): the article is a new file, and the
      // sidecar is written atomically, as every sidecar is
      await fs.writeFile(articlePath, bytes);
      await writeSidecar(fs, sidecarPathFor(articlePath), sidecar, { existing: undefined });
    } catch (err) {
      report({ kind: 'failed', page, reason: `could not be written to ${articlePath} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      continue;
    }
    index.add(name, converted.text, body, near?.id);
    report(near ? { kind: 'imported', page, article: name, nearCopyOf: near } : { kind: 'imported', page, article: name });
  }
  return summary;
}

/** One line per page, then the totals: what the CLI prints and the extension shows. */
export function describeResult(r: PageResult): string {
  if (r.kind === 'imported') {
    const near = r.nearCopyOf ? ` (a near copy of ${r.nearCopyOf.id}, ${Math.round(r.nearCopyOf.similarity * 100)}% of its text shared: marked duplicateOf)` : '';
    return `${r.page}: imported as ${r.article}${near}`;
  }
  if (r.kind === 'copy') return `${r.page}: skipped, an exact copy of ${r.copyOf}`;
  return `${r.page}: ${r.reason}; skipped`;
}

export function describeSummary(s: ImportSummary): string {
  const parts = [`${s.imported} page(s) imported`];
  if (s.nearCopies) parts.push(`${s.nearCopies} of them near copies`);
  parts.push(`${s.copies} exact cop${s.copies === 1 ? 'y' : 'ies'} skipped`);
  parts.push(`${s.failed} page(s) could not be imported`);
  return parts.join(', ');
}
