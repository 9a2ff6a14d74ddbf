/**
 * The shapes shared by the dataset export and its format writers.
 *
 * A writer is pure: it turns one article at a time into text (or, for folder formats, into named
 * files) and never touches the disk, so `index.ts` can stream, split and cancel uniformly and the
 * writers can be tested on strings.
 */
import { FieldDefinition, RelationType } from '../codebook';
import { OffsetMap } from '../offsets';
import { Annotation, ArticleStatus, DocumentForm, Relation } from '../schema';
import type { ArticleSource } from '../source';
import type { CaseRecord } from '../cases';

export const EXPORT_FORMATS = ['jsonl', 'conll', 'brat', 'webanno', 'labelstudio', 'csv', 'cases'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

/** One article as the writers see it: validated, with only the spans to export. */
export interface ExportArticle {
  /** Path relative to the exported folder, `/`-separated: the article's id in every format. */
  id: string;
  /** The text offsets count over (UTF-8 decoded, BOM stripped, line endings as on disk). */
  text: string;
  map: OffsetMap;
  /** sha256 of the article's bytes on disk. */
  sha256: string;
  status: ArticleStatus;
  /** Non-orphaned annotations that pass the label filter, in canonical order (start, end, label, id). */
  spans: readonly Annotation[];
  /**
   * The relations whose two ends are both among `spans` (a relation to a span left out by the label
   * filter or orphaned is left out with it), in canonical order (created, id).
   */
  relations: readonly Relation[];
  /** The coding form as the sidecar holds it (`{}` when there is none). */
  document: Readonly<DocumentForm>;
  /** Where the article came from, when its sidecar says (fields in canonical order). */
  source?: Readonly<ArticleSource>;
  /** The article this one is a near copy of (exported only with `includeDuplicates`). */
  duplicateOf?: string;
}

/**
 * An article whose text is read again from disk, a piece at a time, while it is written: what a
 * streaming writer (CoNLL) gets for a long article, so the whole text is never in memory.
 */
export interface StreamedExportArticle extends Omit<ExportArticle, 'text' | 'map'> {
  /**
   * The text in pieces, in order (together: `ExportArticle.text`; a surrogate pair is never split).
   * Throws when the file changed since it was checked against its sidecar.
   */
  text(): AsyncIterable<string>;
  /** The UTF-16 offset of a start or an end of one of `spans` (code points). */
  toUtf16(codePoint: number): number;
}

export type WarningKind =
  | 'invalid-sidecar'
  | 'unreadable-article'
  | 'reanchored'
  | 'orphaned'
  | 'overlap'
  | 'no-token'
  | 'crosses-sentence'
  | 'name-collision'
  | 'unused-label'
  | 'case-record';

/** A case record as the writers see it (caseRecords.ts): its articles, and its evidence's labels. */
export interface ExportCase {
  record: CaseRecord;
  /** The articles its evidence names, each once, in name order. */
  files: readonly string[];
  /** Evidence id → the label of the annotation or relation it rests on, where the sidecar has it. */
  labels: ReadonlyMap<string, string>;
  /** The `source.published` dates of those articles, earliest first. */
  published: readonly string[];
}

/**
 * Something the researcher should hear about. `error`s are data problems (the article was left out
 * and the CLI exits 1); `warning`s are expected lossy steps (the export is still complete).
 */
export interface ExportWarning {
  severity: 'error' | 'warning';
  kind: WarningKind;
  /** The article's id (or the sidecar path for sidecar problems). */
  file: string;
  message: string;
}

export interface WriterContext {
  /** The split part this writer produces (`train`, `dev`, `test`), if splitting. */
  part?: string;
  /** The `--labels` filter, when given: folder formats declare exactly these. */
  labels?: readonly string[];
  /** IRI prefix for article sources in Web Annotation output. */
  baseIri: string;
  /** The configured relation types (brat's `[relations]`); the defaults when not given. */
  relationTypes?: readonly RelationType[];
  /** The configured coding form (the `cases` columns, Label Studio's controls); the defaults when not given. */
  documentFields?: readonly FieldDefinition[];
  /** The case records of the cases folder (for the jsonl and cases formats; empty otherwise). */
  cases: readonly ExportCase[];
  warn(w: ExportWarning): void;
}

/** A writer for one output (one per split part). Each method returns what to append. */
export interface FormatWriter<Chunk> {
  start(): Chunk[];
  /** May be a generator: a long article is then written chunk by chunk, never held whole. */
  article(a: ExportArticle): Iterable<Chunk>;
  /**
   * Writers that can take the text as a stream have this: exportDataset then hands them an
   * article without reading its text whole (it must give what `article` gives for the same article).
   */
  articleStream?(a: StreamedExportArticle): AsyncIterable<Chunk>;
  finish(): Chunk[];
}

/** A file inside a folder output; `name` uses `/` separators and is relative to the part folder. */
export interface FolderEntry {
  name: string;
  text: string;
}

export type FormatDefinition =
  | {
      kind: 'file';
      name: ExportFormat;
      extension: string;
      create(ctx: WriterContext): FormatWriter<string>;
      /** false: the format writes no annotation attributes, so the entity types are not derived (CoNLL: labels only). */
      attributes?: false;
    }
  | { kind: 'folder'; name: ExportFormat; create(ctx: WriterContext): FormatWriter<FolderEntry> };
