/**
 * Loading one article and its sidecar for export, and choosing what of it is exported. An article
 * is either read whole and reconciled with its sidecar, or, for a writer that takes the text as a
 * stream, checked in one pass and read again as the writer writes (`loadStreamed`).
 */
import { withEntityType } from '../normalise';
import { ArticleDecodeError, decodeArticle, sha256Hex } from '../article';
import { articleText, scanArticle } from '../articleStream';
import { describeReadError, FileSystem, readInputFile } from '../fileSystem';
import { OffsetMap } from '../offsets';
import { effectiveStatus } from '../progress';
import { Annotation, ArticleStatus, DocumentForm, Relation, Sidecar } from '../schema';
import { ArticleSource, canonicalSource } from '../source';
import { consistencyProblems, parseSidecar, readSidecarText, reconcileWithArticle, SidecarError } from '../sidecar';
import { compareAnnotations, compareRelations } from '../sidecarEncoding';
import { ExportWarning } from './types';

/** The export options loading reads (`ExportOptions` has them). */
export interface LoadOptions {
  includeUnannotated?: boolean;
  /** Also export near copies (sidecars with `duplicateOf`), which are left out by default. */
  includeDuplicates?: boolean;
  streamMinBytes?: number;
}

/**
 * An article ready to export: its text, or (see `loadStreamed`) where its spans' ends fall in
 * UTF-16 for a writer that reads the text again as a stream.
 */
type Loaded = ArticleData & ({ text: string; toUtf16?: undefined } | { text?: undefined; toUtf16: (codePoint: number) => number });

interface ArticleData {
  sha256: string;
  status: ArticleStatus;
  recordedStatus?: ArticleStatus;
  annotations: readonly Annotation[];
  relations: readonly Relation[];
  document: DocumentForm;
  source?: ArticleSource;
  duplicateOf?: string;
}

type ArticleEntry = { articlePath: string; relativePath: string; sidecarPath: string; hasSidecar: boolean };

/**
 * Reads and validates one article, or says why not: `unannotated` (no sidecar, and unannotated
 * articles are not wanted), `unreadable` or `invalid` (both reported as errors).
 */
export async function loadForExport(
  fs: FileSystem,
  entry: ArticleEntry,
  options: LoadOptions,
  warn: (w: ExportWarning) => void,
): Promise<Loaded | 'unannotated' | 'unreadable' | 'invalid' | 'duplicates'> {
  // without --include-unannotated an article without a sidecar is not even read
  if (!entry.hasSidecar && !options.includeUnannotated) return 'unannotated';
  let text: string;
  let sha256: string;
  try {
    const bytes = await readInputFile(fs, entry.articlePath, 'article');
    text = decodeArticle(bytes);
    sha256 = sha256Hex(bytes);
  } catch (err) {
    // one article that cannot be read (not UTF-8, no permission, gone, a FIFO) must not stop the export
    const why = err instanceof ArticleDecodeError ? err.message : describeFileError(entry.articlePath, err);
    warn({ severity: 'error', kind: 'unreadable-article', file: entry.articlePath, message: `${why}; left out` });
    return 'unreadable';
  }
  try {
    const json = entry.hasSidecar ? await readSidecarText(fs, entry.sidecarPath) : undefined;
    if (json === undefined) {
      if (!options.includeUnannotated) return 'unannotated';
      return { text, sha256, status: effectiveStatus(undefined, 0), annotations: [], relations: [], document: {} };
    }
    const loaded = reconcileWithArticle(entry.sidecarPath, parseSidecar(entry.sidecarPath, json), text, sha256);
    if (loaded.reanchored) {
      const r = loaded.reanchored;
      warn({
        severity: 'warning',
        kind: 'reanchored',
        file: entry.relativePath,
        message: `the article changed since it was annotated; ${r.unchanged + r.moved} span(s) found again, ${r.orphaned.length} orphaned`,
      });
    }
    const sidecar = loaded.sidecar;
    if (sidecar.duplicateOf !== undefined && !options.includeDuplicates) return 'duplicates';
    return {
      ...about(sidecar),
      text,
      sha256,
      recordedStatus: sidecar.status,
      status: effectiveStatus(sidecar.status, sidecar.annotations.length),
      annotations: sidecar.annotations,
      relations: sidecar.relations ?? [],
      document: sidecar.document ?? {},
    };
  } catch (err) {
    if (!(err instanceof SidecarError)) {
      warn({ severity: 'error', kind: 'invalid-sidecar', file: entry.sidecarPath, message: `${describeFileError(entry.sidecarPath, err)}; its article is left out of the export` });
      return 'invalid';
    }
    for (const p of err.problems) warn({ severity: 'error', kind: 'invalid-sidecar', file: p.file, message: p.message });
    warn({ severity: 'error', kind: 'invalid-sidecar', file: entry.sidecarPath, message: 'invalid sidecar; its article is left out of the export' });
    return 'invalid';
  }
}

/** Articles shorter than this are exported from their whole text, longer ones streamed. */
export const STREAM_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Loads an article for a streaming writer without holding its text: one pass over the file, in
 * chunks, hashes it, measures it and checks every span's text against it (what
 * `reconcileWithArticle` checks when the hash matches); the writer reads the text again as it
 * writes. Undefined whenever the answer is anything but "the sidecar matches the article" (no
 * sidecar, an invalid one, an unreadable or changed article): `loadForExport` then loads it whole
 * and reports exactly what it always reports.
 */
export async function loadStreamed(fs: FileSystem, entry: ArticleEntry, options: LoadOptions): Promise<Loaded | undefined> {
  // without --include-unannotated an article without a sidecar is not even read (loadForExport says so)
  if (!entry.hasSidecar && !options.includeUnannotated) return undefined;
  // a news article is read whole in a moment: two passes over it cost more than holding it (see the `export` bench row)
  const size = (await fs.stat(entry.articlePath))?.size;
  if (size !== undefined && size < (options.streamMinBytes ?? STREAM_MIN_BYTES)) return undefined;
  try {
    const json = entry.hasSidecar ? await readSidecarText(fs, entry.sidecarPath) : undefined;
    if (json === undefined) {
      if (entry.hasSidecar) return undefined;
      const scan = await scanArticle(fs, entry.articlePath, []);
      return { sha256: scan.sha256, toUtf16: scan.toUtf16, status: effectiveStatus(undefined, 0), annotations: [], relations: [], document: {} };
    }
    const sidecar = parseSidecar(entry.sidecarPath, json);
    if (sidecar.duplicateOf !== undefined && !options.includeDuplicates) return undefined;
    const ranges = sidecar.annotations.filter((a) => !a.orphaned && a.start < a.end);
    const scan = await scanArticle(fs, entry.articlePath, ranges);
    if (!scan.matches || scan.sha256 !== sidecar.article.sha256 || scan.length !== sidecar.article.length) return undefined;
    // ids, relations, orphans' ranges: the rest of the whole-text check, over what the scan found
    const textAt = new Map(ranges.map((a) => [`${a.start}:${a.end}`, a.text]));
    const found: Pick<OffsetMap, 'length' | 'slice'> = { length: scan.length, slice: (start, end) => textAt.get(`${start}:${end}`) ?? '' };
    if (consistencyProblems(entry.sidecarPath, sidecar, found).length) return undefined;
    return {
      ...about(sidecar),
      sha256: scan.sha256,
      toUtf16: scan.toUtf16,
      recordedStatus: sidecar.status,
      status: effectiveStatus(sidecar.status, sidecar.annotations.length),
      annotations: sidecar.annotations,
      relations: sidecar.relations ?? [],
      document: sidecar.document ?? {},
    };
  } catch {
    return undefined;
  }
}

/** What a sidecar says about its article as a whole, beside the coding: its source, whether it is a near copy. */
function about(sidecar: Sidecar): Pick<ArticleData, 'source' | 'duplicateOf'> {
  const out: Pick<ArticleData, 'source' | 'duplicateOf'> = {};
  const source = canonicalSource(sidecar.source);
  if (source) out.source = source;
  if (sidecar.duplicateOf !== undefined) out.duplicateOf = sidecar.duplicateOf;
  return out;
}

/** The article's text read again for the writer, refusing an article that changed since it was checked. */
export async function* verifiedText(fs: FileSystem, entry: ArticleEntry, sha256: string): AsyncGenerator<string> {
  const changed = () => new Error(`${entry.articlePath} changed while it was being exported; export again`);
  let read = '';
  try {
    yield* articleText(fs, entry.articlePath, (sha) => (read = sha));
  } catch (err) {
    throw err instanceof ArticleDecodeError ? changed() : err;
  }
  if (read !== sha256) throw changed();
}

/** An I/O error in a few words after the path the warning names ("cannot be read (…, EACCES)"), never a stack. */
function describeFileError(path: string, err: unknown): string {
  return describeReadError(path, err).slice(path.length).replace(/^: /, '');
}

/** The spans an article exports, in canonical order: those with a wanted label; orphans are counted in `skipped` and reported. */
export function selectSpans(
  annotations: readonly Annotation[],
  id: string,
  labels: Set<string> | undefined,
  skipped: { orphaned: number },
  warn: (w: ExportWarning) => void,
  withTypes: boolean,
): Annotation[] {
  const out: Annotation[] = [];
  for (const a of annotations) {
    if (labels && !labels.has(a.label)) continue;
    if (a.orphaned) {
      skipped.orphaned++;
      warn({ severity: 'warning', kind: 'orphaned', file: id, message: `orphaned annotation ${a.id} (${a.label}) ${JSON.stringify(a.text)} is left out; re-anchor it in the editor` });
      continue;
    }
    // every export that writes attributes carries the normalised entity (force id, allegation/sanction subtype)
    out.push(withTypes ? withEntityType(a) : a);
  }
  return out.sort(compareAnnotations);
}

/** The relations whose two ends are both exported, in canonical order. */
export function selectRelations(relations: readonly Relation[], spans: readonly Annotation[]): Relation[] {
  if (!relations.length) return [];
  const ids = new Set(spans.map((s) => s.id));
  return relations.filter((r) => ids.has(r.from) && ids.has(r.to)).sort(compareRelations);
}