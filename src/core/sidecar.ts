/**
 * Reading, validating, serialising and safely writing sidecars
 * (`story.txt` → `story.txt.annotations.json`).
 *
 * Rules this module enforces for every caller (extension and CLI):
 * - a sidecar that is not JSON, holds git conflict markers, fails the schema, or has a newer
 *   `version` is never overwritten;
 * - writes are atomic (temp file in the same folder, then rename);
 * - output is canonical (sorted, fixed key order, 2-space indent, trailing newline) so that two
 *   annotators' files diff and merge cleanly.
 */
import { z } from 'zod';
import { decodeArticle, sha256Hex } from './article';
import { FileSystem, InputFileError, isFileNotFound, readInputFile } from './fileSystem';
import { OffsetMap } from './offsets';
import { followTextChange } from './followChange';
import { reanchorAnnotations, ReanchorReport } from './reanchor';
import { Annotation, Conflict, DocumentForm, Rejection, Relation, SCHEMA_VERSION, Sidecar, sidecarSchema } from './schema';
import { fastSidecar } from './fastValidate';

export const SIDECAR_SUFFIX = '.annotations.json';

export function sidecarPathFor(articlePath: string): string {
  return articlePath + SIDECAR_SUFFIX;
}

export function isSidecarPath(path: string): boolean {
  return path.endsWith(SIDECAR_SUFFIX);
}

export function articlePathFor(sidecarPath: string): string {
  return sidecarPath.slice(0, -SIDECAR_SUFFIX.length);
}

/** One thing wrong with a sidecar, phrased for a researcher. */
export interface Problem {
  file: string;
  message: string;
  /** Index in `annotations`, when the problem is with one annotation. */
  index?: number;
  id?: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.message}`;
}

export type ParseFailure = 'encoding' | 'json' | 'conflict' | 'version' | 'schema' | 'consistency';

export class SidecarError extends Error {
  constructor(
    readonly file: string,
    readonly kind: ParseFailure,
    readonly problems: Problem[],
  ) {
    super(problems.map(formatProblem).join('\n'));
  }
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;

function describeAnnotation(index: number, id: unknown): string {
  return typeof id === 'string' && id ? `annotation #${index + 1} (${id})` : `annotation #${index + 1}`;
}

function schemaProblems(file: string, error: z.ZodError, raw: unknown): Problem[] {
  const annotations = (raw as { annotations?: unknown[] })?.annotations;
  return error.issues.map((issue) => {
    const path = issue.path;
    if (path[0] === 'annotations' && typeof path[1] === 'number') {
      const index = path[1];
      const id = (annotations?.[index] as { id?: unknown } | undefined)?.id;
      const field = path.slice(2).join('.');
      return {
        file,
        index,
        id: typeof id === 'string' ? id : undefined,
        message: `${describeAnnotation(index, id)}: ${field ? `"${field}" ` : ''}${humanIssue(issue)}`,
      };
    }
    const where = path.length ? `"${path.join('.')}" ` : '';
    return { file, message: `${where}${humanIssue(issue)}` };
  });
}

function humanIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod says "expected number, received undefined" for a missing field
      return /received undefined/.test(issue.message) ? 'is missing' : `should be ${article(issue.expected)}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
      // a record key that was refused: its own message says why
      return issue.issues[0]?.message ?? issue.message;
    case 'too_small':
      return issue.origin === 'string' ? 'should not be empty' : `should be at least ${issue.minimum}`;
    default:
      return issue.message.replace(/^Invalid (input|string): /, '');
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Where JSON.parse gave up, as " (line L, column C)". Never the parser's own message: it quotes
 * the file's text, and a "sidecar" may be a link to some other file whose content is not ours to
 * print.
 */
function jsonErrorPlace(json: string, err: Error): string {
  const at = /at position (\d+)/.exec(err.message);
  if (!at) return /end of JSON input/i.test(err.message) ? ' (it ends too early)' : '';
  const before = json.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = Number(at[1]) - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

/**
 * Parses sidecar JSON text through the checks that do not need the article: conflict markers,
 * JSON syntax, version, schema. Throws `SidecarError`.
 */
export function parseSidecar(file: string, json: string): Sidecar {
  if (CONFLICT_MARKER.test(json)) {
    throw new SidecarError(file, 'conflict', [
      { file, message: 'contains git merge conflict markers (<<<<<<< ======= >>>>>>>); resolve the conflict first' },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch (err) {
    throw new SidecarError(file, 'json', [{ file, message: `is not valid JSON${jsonErrorPlace(json, err as Error)}` }]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || (!Object.hasOwn(raw, 'version') && !Object.hasOwn(raw, 'annotations'))) {
    // some other JSON file (a link, a misnamed file): say so without listing what it holds
    throw new SidecarError(file, 'schema', [{ file, message: 'is not a Misconduct Annotator sidecar (it has no "version" and no "annotations")' }]);
  }
  const version = (raw as { version?: unknown })?.version;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new SidecarError(file, 'version', [
      {
        file,
        message: `was written by a newer Misconduct Annotator (sidecar version ${version}; this one reads up to ${SCHEMA_VERSION}); update the extension`,
      },
    ]);
  }
  // plain checks first (milliseconds for 50,000 annotations); zod for anything they do not accept
  const fast = fastSidecar(raw);
  if (fast) return fast;
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) throw new SidecarError(file, 'schema', schemaProblems(file, parsed.error, raw));
  return parsed.data;
}

/**
 * The checks against the article text: offsets within its length, start < end, `text` equal to
 * the slice, ids unique. Orphaned annotations only need offsets within the text.
 */
export function consistencyProblems(file: string, sidecar: Sidecar, map: Pick<OffsetMap, 'length' | 'slice'>): Problem[] {
  return [...annotationProblems(file, sidecar.annotations, map.length, (start, end) => map.slice(start, end)), ...relationProblems(file, sidecar)];
}

/**
 * The same rules without the article's text, against the length the sidecar records: for a side
 * of a merge whose text is not at hand (the merge driver gets sidecars only). Every rule but the
 * quote's match.
 */
export function recordedLengthProblems(file: string, sidecar: Sidecar): Problem[] {
  return [...annotationProblems(file, sidecar.annotations, sidecar.article.length), ...relationProblems(file, sidecar)];
}

/** Unique ids and spans within `length`; each quote equal to the text there when `slice` gives it. */
function annotationProblems(file: string, annotations: readonly Annotation[], length: number, slice?: (start: number, end: number) => string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  annotations.forEach((a, index) => {
    const who = describeAnnotation(index, a.id);
    const add = (message: string) => problems.push({ file, index, id: a.id, message: `${who}: ${message}` });
    const first = seen.get(a.id);
    if (first !== undefined) add(`has the same id as annotation #${first + 1}`);
    else seen.set(a.id, index);
    if (a.orphaned) {
      if (a.start > a.end || a.end > length) add(`orphaned span ${a.start}–${a.end} lies outside the article (length ${length})`);
      return;
    }
    if (a.start >= a.end) {
      add(`starts at ${a.start} but ends at ${a.end}; a span must end after it starts`);
      return;
    }
    if (a.end > length) {
      add(`ends at ${a.end}, past the end of the article (${length} characters)`);
      return;
    }
    const actual = slice?.(a.start, a.end);
    if (actual !== undefined && actual !== a.text) add(`text ${JSON.stringify(a.text)} does not match the article, which has ${JSON.stringify(actual)} at ${a.start}–${a.end}`);
  });
  return problems;
}

/**
 * Relations must have unique ids and both ends among this sidecar's annotations. Checked whatever
 * the article says (relations hold ids, not offsets), so re-anchoring never hides a dangling one.
 */
export function relationProblems(file: string, sidecar: Pick<Sidecar, 'annotations' | 'relations'>): Problem[] {
  const problems: Problem[] = [];
  if (!sidecar.relations?.length) return problems;
  const ids = new Set(sidecar.annotations.map((a) => a.id));
  const seen = new Set<string>();
  sidecar.relations.forEach((r, i) => {
    const who = `relation #${i + 1} (id ${r.id})`;
    if (seen.has(r.id)) problems.push({ file, id: r.id, message: `${who}: has the same id as an earlier relation` });
    seen.add(r.id);
    for (const end of ['from', 'to'] as const) {
      if (!ids.has(r[end])) problems.push({ file, id: r.id, message: `${who}: its "${end}" end ${r[end]} is not an annotation of this sidecar` });
    }
    if (r.from === r.to) problems.push({ file, id: r.id, message: `${who}: links annotation ${r.from} to itself` });
  });
  return problems;
}

export interface LoadedSidecar {
  sidecar: Sidecar;
  /** Present when the article changed since the sidecar was written and annotations were re-anchored. */
  reanchored?: ReanchorReport;
}

/** An earlier text of the article (for example its bytes still on disk under an unsaved edit). */
export interface PreviousText {
  text: string;
  sha256: string;
}

/**
 * Checks a parsed sidecar against the article's current text. When the recorded sha256 differs,
 * the annotations follow the change: through a diff when `previous` is the text the sidecar was
 * written for, else re-anchored by quote and context (never an error); otherwise they must be
 * consistent with the text. Throws `SidecarError`.
 */
export function reconcileWithArticle(file: string, sidecar: Sidecar, text: string, sha256: string, previous?: PreviousText): LoadedSidecar {
  const map = new OffsetMap(text);
  if (sidecar.article.sha256 !== sha256) {
    // the text the sidecar was written for, when the caller still has it: followed through the diff
    const before = previous && previous.sha256 === sidecar.article.sha256 ? previous.text : undefined;
    const report = (before !== undefined && followTextChange(sidecar.annotations, before, map)) || reanchorAnnotations(sidecar.annotations, map, { oldLength: sidecar.article.length });
    const duplicateIds = [
      ...consistencyProblems(file, { ...sidecar, annotations: report.annotations, relations: [] }, map).filter((p) => p.message.includes('same id')),
      ...relationProblems(file, sidecar),
    ];
    if (duplicateIds.length) throw new SidecarError(file, 'consistency', duplicateIds);
    return {
      sidecar: { ...sidecar, article: { ...sidecar.article, sha256, length: map.length }, annotations: report.annotations },
      reanchored: report,
    };
  }
  const problems = consistencyProblems(file, sidecar, map);
  if (sidecar.article.length !== map.length) {
    problems.unshift({ file, message: `records the article's length as ${sidecar.article.length}, but it has ${map.length} characters` });
  }
  if (problems.length) throw new SidecarError(file, 'consistency', problems);
  return { sidecar };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes sidecar bytes as strict UTF-8. Replacing a bad byte with U+FFFD would change a note
 * silently on the next save; the file is refused instead (and so never overwritten).
 */
export function decodeSidecar(file: string, bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new SidecarError(file, 'encoding', [{ file, message: 'is not valid UTF-8 text; a sidecar must be saved as UTF-8' }]);
  }
}

/**
 * Sidecar text read from disk, or undefined when there is none. Throws `SidecarError` when the
 * bytes are not UTF-8, and says so when the path is a folder.
 */
export async function readSidecarText(fs: FileSystem, sidecarPath: string): Promise<string | undefined> {
  const bytes = await readSidecarBytes(fs, sidecarPath);
  return bytes && decodeSidecar(sidecarPath, bytes);
}

/**
 * A sidecar's bytes, or undefined when there is none (see `readSidecarText`, which decodes them).
 * A folder, FIFO, device or oversized file in its place is a `SidecarError`: reported, never read
 * and never overwritten.
 */
export async function readSidecarBytes(fs: FileSystem, sidecarPath: string): Promise<Uint8Array | undefined> {
  try {
    return await readInputFile(fs, sidecarPath);
  } catch (err) {
    if (isFileNotFound(err)) return undefined;
    const code = (err as { code?: string })?.code;
    if (code === 'EISDIR' || code === 'FileIsADirectory' || (err instanceof InputFileError && err.reason === 'folder')) {
      throw new SidecarError(sidecarPath, 'json', [{ file: sidecarPath, message: 'is a folder, not a sidecar file' }]);
    }
    if (err instanceof InputFileError) {
      throw new SidecarError(sidecarPath, 'json', [{ file: sidecarPath, message: err.detail }]);
    }
    throw err;
  }
}

export type SidecarState =
  | { kind: 'missing' }
  | ({ kind: 'ok'; text: string } & LoadedSidecar)
  | { kind: 'invalid'; error: SidecarError };

/** Reads an article and its sidecar, and validates them in both steps. */
export async function loadArticleSidecar(fs: FileSystem, articlePath: string): Promise<SidecarState & { articleText: string }> {
  const bytes = await readInputFile(fs, articlePath, 'article');
  const articleText = decodeArticle(bytes);
  const sidecarPath = sidecarPathFor(articlePath);
  try {
    const json = await readSidecarText(fs, sidecarPath);
    if (json === undefined) return { kind: 'missing', articleText };
    const parsed = parseSidecar(sidecarPath, json);
    return { kind: 'ok', text: json, articleText, ...reconcileWithArticle(sidecarPath, parsed, articleText, sha256Hex(bytes)) };
  } catch (err) {
    if (err instanceof SidecarError) return { kind: 'invalid', error: err, articleText };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical serialisation

const ANNOTATION_KEYS = [
  'id', 'label', 'start', 'end', 'text', 'prefix', 'suffix', 'source', 'note', 'attributes', 'author', 'created', 'modified', 'orphaned',
] as const satisfies readonly (keyof Annotation)[];

export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.id, b.id);
}

function compareRejections(a: Rejection, b: Rejection): number {
  return a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.text, b.text);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonicalAnnotation(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ANNOTATION_KEYS) {
    const value = a[key];
    if (value === undefined) continue;
    if (key === 'attributes') {
      const attrs = value as Record<string, string>;
      const keys = Object.keys(attrs).sort();
      if (!keys.length) continue;
      out.attributes = Object.fromEntries(keys.map((k) => [k, attrs[k]]));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function conflictOrder(c: Conflict): string {
  if (c.kind === 'annotation') return `1:${c.id}`;
  if (c.kind === 'relation') return `2:${c.id}`;
  if (c.kind === 'field') return `3:${c.field}`;
  return `0:${c.kind}`;
}

/** Relations in the order they were made (then by id), so a new one is appended in a diff. */
export function compareRelations(a: Relation, b: Relation): number {
  return cmp(a.created, b.created) || cmp(a.id, b.id);
}

const RELATION_KEYS: ReadonlyArray<keyof Relation> = ['id', 'label', 'from', 'to', 'note', 'author', 'created', 'modified'];

export function canonicalRelation(r: Relation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of RELATION_KEYS) if (r[key] !== undefined) out[key] = r[key];
  return out;
}

/** The form with its fields in name order (one line per field in a diff; merges by field). */
export function canonicalForm(form: DocumentForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(form).sort()) {
    const value = form[key];
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

function compareConflicts(a: Conflict, b: Conflict): number {
  return cmp(conflictOrder(a), conflictOrder(b));
}

function canonicalConflict(c: Conflict): Record<string, unknown> {
  if (c.kind === 'annotation') return { kind: c.kind, id: c.id, theirs: c.theirs ? canonicalAnnotation(c.theirs) : null };
  if (c.kind === 'relation') return { kind: c.kind, id: c.id, theirs: c.theirs ? canonicalRelation(c.theirs) : null };
  if (c.kind === 'field') return c.theirs === undefined ? { kind: c.kind, field: c.field } : { kind: c.kind, field: c.field, theirs: c.theirs };
  return { kind: c.kind, theirs: c.theirs };
}

/** The canonical text of a sidecar. */
export function serializeSidecar(sidecar: Sidecar): string {
  const out: Record<string, unknown> = {};
  if (sidecar.$schema !== undefined) out.$schema = sidecar.$schema;
  out.version = sidecar.version;
  out.article = { file: sidecar.article.file, sha256: sidecar.article.sha256, length: sidecar.article.length };
  if (sidecar.status !== undefined) out.status = sidecar.status;
  out.annotations = [...sidecar.annotations].sort(compareAnnotations).map(canonicalAnnotation);
  if (sidecar.rejected && sidecar.rejected.length) {
    out.rejected = [...sidecar.rejected]
      .sort(compareRejections)
      .map((r) => ({ start: r.start, end: r.end, label: r.label, text: r.text }));
  }
  if (sidecar.relations && sidecar.relations.length) out.relations = [...sidecar.relations].sort(compareRelations).map(canonicalRelation);
  if (sidecar.document && Object.keys(sidecar.document).length) out.document = canonicalForm(sidecar.document);
  if (sidecar.conflicts && sidecar.conflicts.length) out.conflicts = [...sidecar.conflicts].sort(compareConflicts).map(canonicalConflict);
  return JSON.stringify(out, null, 2) + '\n';
}

/** A sidecar carries nothing worth a file: no annotations, rejections or status. */
export function isEmptySidecar(sidecar: Sidecar): boolean {
  return (
    sidecar.annotations.length === 0 &&
    !(sidecar.rejected && sidecar.rejected.length) &&
    sidecar.status === undefined &&
    !sidecar.conflicts?.length &&
    !sidecar.relations?.length &&
    !(sidecar.document && Object.keys(sidecar.document).length)
  );
}

export class SidecarProtectedError extends Error {
  constructor(readonly sidecarError: SidecarError) {
    super(`${sidecarError.file}: not saved, because the file on disk is not a valid sidecar and would be lost:\n${sidecarError.message}`);
  }
}

let tempCounter = 0;

/** Splits an opaque path (a file path or a URI string) into its folder and its name. */
function splitPath(path: string): [folder: string, name: string] {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return [path.slice(0, cut), path.slice(cut + 1)];
}

/**
 * Our temp files for a target: hidden (`.name.<pid>-<time>-<n>.tmp`), and the visible
 * `name.<pid>-<time>-<n>.tmp` of older builds. Nothing else is ever taken for one of ours.
 */
function tempPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.?${escaped}\\.[0-9]+-[0-9a-z]+-[0-9a-z]+\\.tmp$`);
}

/** A temp file this old was left by a crashed write (no write takes this long). */
const STALE_TEMP_MS = 60_000;

/**
 * Writes bytes atomically: a hidden temp file in the same folder (flushed to disk by the file
 * system's `writeFile`), then a rename over the target, then the folder flushed, so a crash leaves
 * either the old file or the new one. A symlinked target is written through to the file it points
 * at (the link stays a link). The temp file is removed when anything fails; temp files of ours that
 * a crashed write left behind are cleaned up.
 */
export async function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array, now = Date.now()): Promise<void> {
  const target = fs.realPath ? await fs.realPath(path) : path;
  const [folder, name] = splitPath(target);
  const temp = fs.join(folder, `.${name}.${process.pid}-${now.toString(36)}-${(tempCounter++).toString(36)}.tmp`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.delete(temp).catch(() => undefined);
    throw err;
  }
  await fs.syncFolder?.(folder).catch(() => undefined);
  await cleanStaleTemps(fs, folder, name, now).catch(() => undefined);
}

/** Removes temp files of ours for `name` in `folder` that are older than a write can take. */
export async function cleanStaleTemps(fs: FileSystem, folder: string, name: string, now = Date.now()): Promise<string[]> {
  const pattern = tempPattern(name);
  const removed: string[] = [];
  for (const [entry, type] of await fs.readDirectory(folder)) {
    if (type !== 'file' || !pattern.test(entry)) continue;
    const path = fs.join(folder, entry);
    const stat = await fs.stat(path);
    if (!stat || now - stat.mtime < STALE_TEMP_MS) continue;
    await fs.delete(path);
    removed.push(path);
  }
  return removed;
}

export type WriteOutcome = 'written' | 'unchanged' | 'skipped-empty';

/**
 * Writes a sidecar, refusing to replace a file on disk that is not a valid sidecar
 * (`SidecarProtectedError`), and writing nothing for an empty sidecar where none existed.
 */
export async function writeSidecar(
  fs: FileSystem,
  sidecarPath: string,
  sidecar: Sidecar,
  known?: {
    /** What the caller has just read from the file (one read per write). */
    existing: string | undefined;
    /** The caller knows `existing` is a sidecar this process wrote (a long one takes long to check again). */
    existingIsOurs?: boolean;
    /** `serializeSidecar(sidecar)`, when the caller has it already. */
    serialized?: string;
  },
): Promise<WriteOutcome> {
  let existing: string | undefined;
  try {
    existing = known ? known.existing : await readSidecarText(fs, sidecarPath);
    if (existing === undefined && isEmptySidecar(sidecar)) return 'skipped-empty';
    if (existing !== undefined && !known?.existingIsOurs) parseSidecar(sidecarPath, existing);
  } catch (err) {
    if (err instanceof SidecarError) throw new SidecarProtectedError(err);
    throw err;
  }
  const text = known?.serialized ?? serializeSidecar(sidecar);
  if (text === existing) return 'unchanged';
  await writeFileAtomic(fs, sidecarPath, new TextEncoder().encode(text));
  return 'written';
}

/** An empty sidecar for an article. */
export function newSidecar(articleFileName: string, sha256: string, length: number): Sidecar {
  return { version: SCHEMA_VERSION, article: { file: articleFileName, sha256, length }, annotations: [] };
}
