/**
 * Dataset export: every annotated article under a folder, in one of seven formats, optionally split
 * into train/dev/test. Shared by the `export` verb and the extension's export command.
 *
 * It streams: articles are read, validated and handed to the format writer one at a time and the
 * writer's output is appended to temp files, so memory stays flat as the corpus grows. Outputs
 * appear under their real names only when everything was written (see sink.ts); a cancelled or
 * failed export leaves nothing behind. A writer that takes the text as a stream (CoNLL) gets a
 * long article without it ever being in memory whole: see `loadStreamed`.
 *
 * What goes in: articles with a valid sidecar and at least one exported span or a filled coding
 * form, or marked done (a finished article without spans is a real negative example), plus, with
 * `includeUnannotated`, every other article. Invalid sidecars and unreadable articles are reported as errors and left
 * out; orphaned annotations are reported and left out.
 */
import { realpathSync } from 'node:fs';
import * as nodePath from 'node:path';
import { withEntityType } from '../normalise';
import { ArticleDecodeError, decodeArticle, sha256Hex } from '../article';
import { articleText, scanArticle } from '../articleStream';
import { EXPORT_FOLDER, walkCorpus, WalkOptions } from '../corpus';
import { describeReadError, FileSystem, readInputFile } from '../fileSystem';
import { OffsetMap } from '../offsets';
import { effectiveStatus } from '../progress';
import { FieldDefinition, RelationType } from '../codebook';
import { Annotation, ArticleStatus, DocumentForm, Relation } from '../schema';
import { consistencyProblems, parseSidecar, readSidecarText, reconcileWithArticle, SidecarError } from '../sidecar';
import { compareAnnotations, compareRelations } from '../sidecarEncoding';
import { bratFormat } from './brat';
import { casesFormat } from './cases';
import { conllFormat } from './conll';
import { csvFormat } from './csv';
import { jsonlFormat } from './jsonl';
import { labelStudioFormat } from './labelstudio';
import { ExportSink, ExportTargetError, nodeSink, SinkFile, SinkFolder } from './sink';
import { assignPart, partFilePath, SplitSpec } from './split';
import { ExportFormat, ExportWarning, FolderEntry, FormatDefinition, FormatWriter, StreamedExportArticle, WriterContext } from './types';
import { DEFAULT_BASE_IRI, webannoFormat } from './webanno';

export { EXPORT_FORMATS, isExportFormat } from './types';
export type { ExportArticle, ExportFormat, ExportWarning, StreamedExportArticle, WarningKind } from './types';
export { parseSplit, assignPart, partFilePath, SplitSyntaxError } from './split';
export type { SplitSpec } from './split';
export { createNodeSink, nodeSink, ExportTargetError, ExportWriteError } from './sink';
export type { CreateFile, ExportSink, SinkFile, SinkFolder, WriteHandle } from './sink';
export { labelStudioConfig } from './labelstudio';

export const FORMATS: Record<ExportFormat, FormatDefinition> = {
  jsonl: jsonlFormat,
  conll: conllFormat,
  brat: bratFormat,
  webanno: webannoFormat,
  labelstudio: labelStudioFormat,
  csv: csvFormat,
  cases: casesFormat,
};

export interface ExportProgress {
  /** Articles looked at so far (exported or not). */
  done: number;
  /** Articles under the folder. */
  total: number;
  /** The article just handled. */
  file?: string;
}

export interface ExportOptions {
  format: ExportFormat;
  /** The output file, or folder for `brat`. With a split: see `outputPaths`. */
  out: string;
  /** Export only these labels. */
  labels?: readonly string[];
  split?: SplitSpec;
  /** Seed of the split; 0 when not given. */
  seed?: string | number;
  /** Also export articles without a sidecar or annotations. */
  includeUnannotated?: boolean;
  /** Relation types for brat's annotation.conf (default: the codebook's defaults). */
  relationTypes?: readonly RelationType[];
  /** The coding form's fields: the `cases` columns and Label Studio's controls (default: the codebook's). */
  documentFields?: readonly FieldDefinition[];
  /** Prefix of the article IRIs in Web Annotation output (default `urn:misconduct-annotator:article:`). */
  baseIri?: string;
  signal?: AbortSignal;
  onProgress?(progress: ExportProgress): void;
  onWarning?(warning: ExportWarning): void;
  /** brat: write into a folder that is not empty, replacing only the files an earlier export listed in its manifest. */
  force?: boolean;
  /** Where outputs are written; the local disk unless a test says otherwise. */
  sink?: ExportSink;
  walk?: WalkOptions;
  /** Articles at least this long are streamed to a writer that can take a stream (default `STREAM_MIN_BYTES`; tests use 0). */
  streamMinBytes?: number;
}

export interface PartSummary {
  articles: number;
  spans: number;
}

export interface ExportSummary {
  format: ExportFormat;
  /** The files (or folder) written. */
  outputs: string[];
  articles: number;
  spans: number;
  /** Exported relations (both ends exported). */
  relations: number;
  /** Per split part, when splitting. */
  parts?: Record<string, PartSummary>;
  /** Exported spans per label. */
  labels: Record<string, number>;
  skipped: {
    /** No sidecar, or no spans (after the label filter) and not done, without `includeUnannotated`. */
    unannotated: number;
    /** Invalid sidecars. */
    invalid: number;
    /** Articles that are not UTF-8 text. */
    unreadable: number;
    /** Orphaned annotations left out. */
    orphaned: number;
  };
  /** Count of reported errors (data problems) and warnings. */
  errors: number;
  warnings: number;
}

/** The outputs an export writes: one per part for file formats; brat writes `out/<part>/…`. */
export function outputPaths(format: ExportFormat, out: string, split?: SplitSpec): string[] {
  if (!split || FORMATS[format].kind === 'folder') return [out];
  return split.parts.map((p) => partFilePath(out, p));
}

type Output =
  | { kind: 'file'; part?: string; writer: FormatWriter<string>; sink: SinkFile }
  | { kind: 'folder'; part?: string; writer: FormatWriter<FolderEntry>; sink: SinkFolder };

/** A streamed article's chunks; a long one is cancelled between two chunks, not at its end. */
async function emitStream(output: { sink: SinkFile }, chunks: AsyncIterable<string>, signal: AbortSignal | undefined): Promise<void> {
  for await (const c of chunks) {
    if (signal?.aborted) throw abortError(signal);
    if (c) await output.sink.append(c);
  }
}

async function emit(output: Output, chunks: Iterable<string> | Iterable<FolderEntry>): Promise<void> {
  if (output.kind === 'file') {
    for (const c of chunks as Iterable<string>) if (c) await output.sink.append(c);
  } else {
    for (const e of chunks as Iterable<FolderEntry>) await output.sink.write(e.name, e.text);
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('The export was cancelled'), { name: 'AbortError' });
}

/**
 * A first walk that only counts (directory reads, no article is opened), so progress can say
 * "12 of 400" while memory stays independent of the corpus size.
 */
async function countArticles(fs: FileSystem, root: string, walk: WalkOptions | undefined, signal?: AbortSignal): Promise<number> {
  let n = 0;
  for await (const _ of walkCorpus(fs, root, walk)) {
    if (signal?.aborted) throw abortError(signal);
    n++;
  }
  return n;
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
}

export async function exportDataset(fs: FileSystem, root: string, options: ExportOptions): Promise<ExportSummary> {
  const def = FORMATS[options.format];
  if (!def) throw new Error(`unknown export format "${options.format}"`);
  const signal = options.signal;
  const sink = options.sink ?? nodeSink;
  const labelFilter = options.labels ? new Set(options.labels) : undefined;
  const withTypes = !(def.kind === 'file' && def.attributes === false);
  const seed = options.seed ?? 0;
  const summary: ExportSummary = {
    format: options.format,
    outputs: outputPaths(options.format, options.out, options.split),
    articles: 0,
    spans: 0,
    relations: 0,
    labels: {},
    skipped: { unannotated: 0, invalid: 0, unreadable: 0, orphaned: 0 },
    errors: 0,
    warnings: 0,
  };
  if (options.split) summary.parts = Object.fromEntries(options.split.parts.map((p) => [p, { articles: 0, spans: 0 }]));

  const warn = (w: ExportWarning) => {
    if (w.severity === 'error') summary.errors++;
    else summary.warnings++;
    options.onWarning?.(w);
  };

  signal?.throwIfAborted();
  checkExportTarget(root, summary.outputs);
  // counted without reports: the export's own walk reports what it leaves out, once
  const total = await countArticles(fs, root, { ...options.walk, onLeftOut: undefined }, signal);
  const walk: WalkOptions = {
    ...options.walk,
    onLeftOut: (l) => {
      summary.skipped.unreadable++;
      warn({ severity: 'error', kind: 'unreadable-article', file: l.path, message: `${l.reason}; left out` });
      options.walk?.onLeftOut?.(l);
    },
  };

  // keyed by data: a Map, turned into the summary's object at the end
  const labelCounts = new Map<string, number>();
  const outputs = new Map<string | undefined, Output>();
  const parts: Array<string | undefined> = options.split ? options.split.parts : [undefined];
  const context = (part: string | undefined): WriterContext => ({
    part,
    labels: options.labels,
    baseIri: options.baseIri ?? DEFAULT_BASE_IRI,
    relationTypes: options.relationTypes,
    documentFields: options.documentFields,
    warn,
  });
  try {
    if (def.kind === 'folder') {
      const folder = await sink.folder(options.out, { force: options.force });
      for (const part of parts) outputs.set(part, { kind: 'folder', part, writer: def.create(context(part)), sink: folder });
    } else {
      for (const part of parts) {
        // registered before opening the next, so a failure discards what was opened
        const file = await sink.file(part ? partFilePath(options.out, part) : options.out);
        outputs.set(part, { kind: 'file', part, writer: def.create(context(part)), sink: file });
      }
    }
    for (const o of outputs.values()) await emit(o, o.writer.start());

    let done = 0;
    for await (const entry of walkCorpus(fs, root, walk)) {
      if (signal?.aborted) throw abortError(signal);
      const part = options.split ? assignPart(options.split, seed, entry.relativePath) : undefined;
      const output = outputs.get(part)!;
      // a writer that takes the text as a stream never gets it whole, unless the article changed
      // since it was annotated (re-anchoring needs the whole text) or something is wrong with it
      const article = (output.kind === 'file' && output.writer.articleStream && (await loadStreamed(fs, entry, options))) || (await loadForExport(fs, entry, options, warn));
      if (typeof article === 'string') {
        summary.skipped[article]++;
      } else {
        const spans = selectSpans(article.annotations, entry.relativePath, labelFilter, summary, warn, withTypes);
        const coded = Object.keys(article.document).length > 0;
        if (spans.length || coded || article.recordedStatus === 'done' || options.includeUnannotated) {
          const common = {
            id: entry.relativePath,
            sha256: article.sha256,
            status: article.status,
            spans,
            relations: selectRelations(article.relations, spans),
            document: article.document,
          };
          if (article.text === undefined) {
            if (output.kind !== 'file' || !output.writer.articleStream) throw new Error('a streamed article needs a streaming writer');
            const streamed: StreamedExportArticle = { ...common, text: () => verifiedText(fs, entry, article.sha256), toUtf16: article.toUtf16 };
            await emitStream(output, output.writer.articleStream(streamed), signal);
          } else {
            await emit(output, output.writer.article({ ...common, text: article.text, map: new OffsetMap(article.text) }));
          }
          summary.articles++;
          summary.spans += spans.length;
          summary.relations += common.relations.length;
          for (const s of spans) labelCounts.set(s.label, (labelCounts.get(s.label) ?? 0) + 1);
          if (part && summary.parts) {
            summary.parts[part].articles++;
            summary.parts[part].spans += spans.length;
          }
        } else {
          summary.skipped.unannotated++;
        }
      }
      options.onProgress?.({ done: ++done, total: Math.max(total, done), file: entry.relativePath });
    }

    for (const o of outputs.values()) await emit(o, o.writer.finish());
    for (const label of options.labels ?? []) {
      if (!labelCounts.has(label)) warn({ severity: 'warning', kind: 'unused-label', file: root, message: `no exported annotation has the label "${label}"` });
    }
    summary.labels = Object.fromEntries(labelCounts);
    if (signal?.aborted) throw abortError(signal);
    // the point of no return: every output is complete
    for (const sinkObject of new Set([...outputs.values()].map((o) => o.sink))) await sinkObject.commit();
    return summary;
  } catch (err) {
    for (const sinkObject of new Set([...outputs.values()].map((o) => o.sink))) await sinkObject.discard().catch(() => undefined);
    throw err;
  }
}

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

type ArticleEntry = { articlePath: string; relativePath: string; sidecarPath: string; hasSidecar: boolean };

/**
 * Reads and validates one article, or says why not: `unannotated` (no sidecar, and unannotated
 * articles are not wanted), `unreadable` or `invalid` (both reported as errors).
 */
async function loadForExport(
  fs: FileSystem,
  entry: ArticleEntry,
  options: ExportOptions,
  warn: (w: ExportWarning) => void,
): Promise<Loaded | 'unannotated' | 'unreadable' | 'invalid'> {
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
    return {
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

/**
 * Loads an article for a streaming writer without holding its text: one pass over the file, in
 * chunks, hashes it, measures it and checks every span's text against it (what
 * `reconcileWithArticle` checks when the hash matches); the writer reads the text again as it
 * writes. Undefined whenever the answer is anything but "the sidecar matches the article" (no
 * sidecar, an invalid one, an unreadable or changed article): `loadForExport` then loads it whole
 * and reports exactly what it always reports.
 */
/** Articles shorter than this are exported from their whole text, longer ones streamed. */
export const STREAM_MIN_BYTES = 4 * 1024 * 1024;

async function loadStreamed(fs: FileSystem, entry: ArticleEntry, options: ExportOptions): Promise<Loaded | undefined> {
  // without --include-unannotated an article without a sidecar is not even read (loadForExport says so)
  if (!entry.hasSidecar && !options.includeUnannotated) return undefined;
  // a news article is read whole in a moment: two passes over it cost more than holding it (the
  // `export` row: 1,000 articles took 3.7× a read and a serialisation streamed, 3× whole)
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
    const ranges = sidecar.annotations.filter((a) => !a.orphaned && a.start < a.end);
    const scan = await scanArticle(fs, entry.articlePath, ranges);
    if (!scan.matches || scan.sha256 !== sidecar.article.sha256 || scan.length !== sidecar.article.length) return undefined;
    // ids, relations, orphans' ranges: the rest of the whole-text check, over what the scan found
    const textAt = new Map(ranges.map((a) => [`${a.start}:${a.end}`, a.text]));
    const found: Pick<OffsetMap, 'length' | 'slice'> = { length: scan.length, slice: (start, end) => textAt.get(`${start}:${end}`) ?? '' };
    if (consistencyProblems(entry.sidecarPath, sidecar, found).length) return undefined;
    return {
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

/** The article's text read again for the writer, refusing an article that changed since it was checked. */
async function* verifiedText(fs: FileSystem, entry: ArticleEntry, sha256: string): AsyncGenerator<string> {
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

function selectSpans(
  annotations: readonly Annotation[],
  id: string,
  labels: Set<string> | undefined,
  summary: ExportSummary,
  warn: (w: ExportWarning) => void,
  withTypes: boolean,
): Annotation[] {
  const out: Annotation[] = [];
  for (const a of annotations) {
    if (labels && !labels.has(a.label)) continue;
    if (a.orphaned) {
      summary.skipped.orphaned++;
      warn({ severity: 'warning', kind: 'orphaned', file: id, message: `orphaned annotation ${a.id} (${a.label}) ${JSON.stringify(a.text)} is left out; re-anchor it in the editor` });
      continue;
    }
    // every export that writes attributes carries the normalised entity (force id, allegation/sanction subtype)
    out.push(withTypes ? withEntityType(a) : a);
  }
  return out.sort(compareAnnotations);
}

/** The relations whose two ends are both exported, in canonical order. */
function selectRelations(relations: readonly Relation[], spans: readonly Annotation[]): Relation[] {
  if (!relations.length) return [];
  const ids = new Set(spans.map((s) => s.id));
  return relations.filter((r) => ids.has(r.from) && ids.has(r.to)).sort(compareRelations);
}
