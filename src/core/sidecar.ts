/**
 * Reading and validating sidecars (`story.txt` → `story.txt.annotations.json`), and reconciling
 * them with their article's current text.
 *
 * Rules this module enforces for every caller (extension and CLI): a sidecar that is not UTF-8 or
 * JSON, holds git conflict markers, fails the schema, or has a newer `version` is a `SidecarError`,
 * which the writer (sidecarWrite.ts) takes as a file it must never overwrite. The canonical text
 * a sidecar is written as is in sidecarEncoding.ts.
 */
import type { z } from 'zod';
import { decodeArticle, sha256Hex } from './article';
import { FileSystem, InputFileError, isFileNotFound, readInputFile } from './fileSystem';
import { OffsetMap } from './offsets';
import { followTextChange } from './followChange';
import { reanchorAnnotations, ReanchorReport } from './reanchor';
import type { Annotation, Sidecar } from './schema';
import { SCHEMA_VERSION, sidecarSchema } from './schema';
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
