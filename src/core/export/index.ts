/**
 * Dataset export: every annotated article under a folder, in one of seven formats, optionally split
 * into train/dev/test. Shared by the `export` verb and the extension's export command.
 *
 * It streams: articles are read, validated and handed to the format writer one at a time and the
 * writer's output is appended to temp files, so memory stays flat as the corpus grows. Outputs
 * appear under their real names only when everything was written (see sink.ts); a cancelled or
 * failed export leaves nothing behind. A writer that takes the text as a stream (CoNLL) gets a
 * long article without it ever being in memory whole: see `loadStreamed` (load.ts).
 *
 * What goes in: articles with a valid sidecar and at least one exported span or a filled coding
 * form, or marked done (a finished article without spans is a real negative example), plus, with
 * `includeUnannotated`, every other article. Invalid sidecars and unreadable articles are reported as errors and left
 * out; orphaned annotations are reported and left out.
 */
import { DEFAULT_CASES_FOLDER, walkCorpus, WalkOptions } from '../corpus';
import { FileSystem } from '../fileSystem';
import { OffsetMap } from '../offsets';
import { FieldDefinition, RelationType } from '../codebook';
import { bratFormat } from './brat';
import { casesFormat } from './cases';
import { loadExportCases } from './caseRecords';
import { conllFormat } from './conll';
import { csvFormat } from './csv';
import { jsonlFormat } from './jsonl';
import { labelStudioFormat } from './labelstudio';
import { loadForExport, loadStreamed, selectRelations, selectSpans, verifiedText } from './load';
import { ExportSink, nodeSink, SinkFile, SinkFolder } from './sink';
import { assignPart, partFilePath, SplitSpec } from './split';
import { checkExportTarget } from './target';
import { ExportCase, ExportFormat, ExportWarning, FolderEntry, FormatDefinition, FormatWriter, StreamedExportArticle, WriterContext } from './types';
import { DEFAULT_BASE_IRI, webannoFormat } from './webanno';

export { EXPORT_FORMATS, isExportFormat } from './types';
export type { ExportArticle, ExportFormat, ExportWarning, StreamedExportArticle, WarningKind } from './types';
export { parseSplit, assignPart, partFilePath, SplitSyntaxError } from './split';
export type { SplitSpec } from './split';
export { createNodeSink, nodeSink, ExportTargetError, ExportWriteError } from './sink';
export { createFileSystemSink } from './fileSystemSink';
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

/** The formats that write case records (caseRecords.ts). */
const CASE_FORMATS: ReadonlySet<ExportFormat> = new Set(['jsonl', 'cases']);

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
  /** Also export near copies (sidecars with `duplicateOf`), left out by default. */
  includeDuplicates?: boolean;
  /** Relation types for brat's annotation.conf (default: the codebook's defaults). */
  relationTypes?: readonly RelationType[];
  /** The coding form's fields: the `cases` columns and Label Studio's controls (default: the codebook's). */
  documentFields?: readonly FieldDefinition[];
  /**
   * The cases folder whose records the jsonl and cases formats take in (default `<root>/cases`).
   * The walk skips it when it is inside `root` (set `walk.casesFolder` to say otherwise).
   */
  casesFolder?: string;
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
  /** Articles at least this long are streamed to a writer that can take a stream (default `STREAM_MIN_BYTES` in load.ts; tests use 0). */
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
  /** Case records taken in (jsonl and cases formats). */
  cases: number;
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
    /** Near copies (`duplicateOf`) left out, without `includeDuplicates`. */
    duplicates: number;
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
    cases: 0,
    labels: {},
    skipped: { unannotated: 0, invalid: 0, unreadable: 0, orphaned: 0, duplicates: 0 },
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
  const casesFolder = options.casesFolder ?? fs.join(root, DEFAULT_CASES_FOLDER);
  // only the formats that write them read case records
  const cases: ExportCase[] = CASE_FORMATS.has(options.format) ? await loadExportCases(fs, casesFolder, root, warn) : [];
  summary.cases = cases.length;
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
    cases,
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
        const spans = selectSpans(article.annotations, entry.relativePath, labelFilter, summary.skipped, warn, withTypes);
        const coded = Object.keys(article.document).length > 0;
        if (spans.length || coded || article.recordedStatus === 'done' || options.includeUnannotated) {
          const common = {
            id: entry.relativePath,
            sha256: article.sha256,
            status: article.status,
            spans,
            relations: selectRelations(article.relations, spans),
            document: article.document,
            ...(article.source ? { source: article.source } : {}),
            ...(article.duplicateOf !== undefined ? { duplicateOf: article.duplicateOf } : {}),
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
