/**
 * One case file: reading it (strict UTF-8, JSON, version, schema: each problem one line naming the
 * file), the canonical text it is written as (fixed key order, fields by name, evidence by id,
 * trailing newline: clean git diffs), and writing it atomically, never over a file that is not a
 * valid case record.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { CASE_SUFFIX } from '../corpus';
import { FileSystem, InputFileError, isFileNotFound, readInputFile } from '../fileSystem';
import { writeFileAtomic } from '../sidecarWrite';
import type { FieldValue } from '../schema';
import { CASE_ID_PATTERN, CASE_VERSION, CaseConflict, CaseRecord, caseSchema, Evidence } from './schema';

export { CASE_SUFFIX };

export function isCaseFileName(name: string): boolean {
  return name.endsWith(CASE_SUFFIX) && !name.startsWith('.');
}

/** The case id a file name promises (`c-1.case.json` → `c-1`). */
export function caseIdOfFileName(name: string): string {
  return name.slice(0, -CASE_SUFFIX.length);
}

export function caseFileName(id: string): string {
  return `${id}${CASE_SUFFIX}`;
}

export function newCaseId(): string {
  return `c-${randomBytes(6).toString('hex')}`;
}

export function newEvidenceId(): string {
  return `e-${randomBytes(6).toString('hex')}`;
}

/** A case file that cannot be read as a case record; `problems` are one line each, naming the file. */
export class CaseFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
  }
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function evidenceLabel(raw: unknown, index: number): string {
  const id = (raw as { evidence?: Array<{ id?: unknown }> })?.evidence?.[index]?.id;
  return typeof id === 'string' && /^[\x21-\x7e]{1,64}$/.test(id) ? `evidence #${index + 1} (${id})` : `evidence #${index + 1}`;
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message) ? 'is missing' : `should be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `should be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message;
    case 'too_small':
      return issue.origin === 'string' ? 'should not be empty' : issue.message;
    default:
      return issue.message.replace(/^Invalid (input|string): /, '');
  }
}

/** Parses a case file's text: conflict markers, JSON, version, schema. Throws `CaseFileError`. */
export function parseCase(file: string, json: string): CaseRecord {
  if (CONFLICT_MARKER.test(json)) throw new CaseFileError(file, [`${file}: contains git merge conflict markers (<<<<<<< ======= >>>>>>>); resolve the conflict first`]);
  let raw: unknown;
  try {
    raw = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch {
    throw new CaseFileError(file, [`${file}: is not valid JSON`]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !Object.hasOwn(raw, 'version') || !Object.hasOwn(raw, 'evidence')) {
    throw new CaseFileError(file, [`${file}: is not a Misconduct Annotator case record (it has no "version" and "evidence")`]);
  }
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > CASE_VERSION) {
    throw new CaseFileError(file, [`${file}: was written by a newer Misconduct Annotator (case version ${version}; this one reads up to ${CASE_VERSION}); update it`]);
  }
  const parsed = caseSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CaseFileError(
      file,
      parsed.error.issues.map((issue) => {
        const [head, index, ...rest] = issue.path;
        const where = head === 'evidence' && typeof index === 'number' ? `${evidenceLabel(raw, index)}${rest.length ? ` "${rest.join('.')}"` : ''}` : issue.path.length ? `"${issue.path.join('.')}"` : '';
        return `${file}: ${where ? `${where} ` : ''}${issueText(issue)}`;
      }),
    );
  }
  const record = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of record.evidence) {
    if (seen.has(e.id)) problems.push(`${file}: case ${record.id}: evidence id ${e.id} is used twice`);
    seen.add(e.id);
  }
  if (problems.length) throw new CaseFileError(file, problems);
  return record;
}

/** A case file's text, or undefined when there is none; a folder, FIFO, oversized or non-UTF-8 file is a `CaseFileError`. */
export async function readCaseText(fs: FileSystem, path: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readInputFile(fs, path);
  } catch (err) {
    if (isFileNotFound(err)) return undefined;
    if (err instanceof InputFileError) throw new CaseFileError(path, [`${path}: ${err.detail}`]);
    const code = (err as { code?: string })?.code;
    if (code === 'EISDIR' || code === 'FileIsADirectory') throw new CaseFileError(path, [`${path}: is a folder, not a case file`]);
    throw err;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new CaseFileError(path, [`${path}: is not valid UTF-8 text; a case file must be saved as UTF-8`]);
  }
}

// ---- canonical text ----

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const EVIDENCE_KEYS = ['id', 'file', 'annotation', 'relation', 'field', 'quote'] as const satisfies readonly (keyof Evidence)[];

function canonicalEvidence(e: Evidence): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EVIDENCE_KEYS) if (e[key] !== undefined) out[key] = e[key];
  return out;
}

function canonicalFields(fields: Readonly<Record<string, FieldValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

function conflictKey(c: CaseConflict): string {
  return c.kind === 'property' ? `0:${c.name}` : c.kind === 'field' ? `1:${c.field}` : `2:${c.id}`;
}

function canonicalConflict(c: CaseConflict): Record<string, unknown> {
  if (c.kind === 'evidence') return { kind: c.kind, id: c.id, theirs: c.theirs ? canonicalEvidence(c.theirs) : null };
  if (c.kind === 'field') return c.theirs === undefined ? { kind: c.kind, field: c.field } : { kind: c.kind, field: c.field, theirs: c.theirs };
  return c.theirs === undefined ? { kind: c.kind, name: c.name } : { kind: c.kind, name: c.name, theirs: c.theirs };
}

export function compareEvidence(a: Evidence, b: Evidence): number {
  return cmp(a.id, b.id);
}

/** The canonical text of a case record. */
export function serializeCase(record: CaseRecord): string {
  const out: Record<string, unknown> = { version: record.version, id: record.id, title: record.title, fields: canonicalFields(record.fields) };
  out.evidence = [...record.evidence].sort(compareEvidence).map(canonicalEvidence);
  if (record.author !== undefined) out.author = record.author;
  out.created = record.created;
  if (record.modified !== undefined) out.modified = record.modified;
  if (record.note !== undefined) out.note = record.note;
  if (record.conflicts?.length) out.conflicts = [...record.conflicts].sort((a, b) => cmp(conflictKey(a), conflictKey(b))).map(canonicalConflict);
  return JSON.stringify(out, null, 2) + '\n';
}

/** A new, empty case record. */
export function newCase(title: string, created: string, author?: string, id = newCaseId()): CaseRecord {
  if (!CASE_ID_PATTERN.test(id)) throw new Error(`"${id}" is not a case id`);
  return { version: CASE_VERSION, id, title, fields: {}, evidence: [], ...(author ? { author } : {}), created };
}

// ---- writing ----

/** A case record not written because the file in its place is not a valid case record. */
export class CaseProtectedError extends Error {
  constructor(
    readonly caseError: CaseFileError,
    why = `not saved, because the file on disk is not a valid case record and would be lost: ${caseError.problems[0] ?? ''}`,
  ) {
    super(`${caseError.file}: ${why}`);
  }
}

/**
 * Writes a case record atomically (a temp file, then a rename), refusing to replace a file that is
 * not a valid case record, or one that holds another case's id.
 */
export async function writeCase(fs: FileSystem, path: string, record: CaseRecord): Promise<'written' | 'unchanged'> {
  let existing: string | undefined;
  try {
    existing = await readCaseText(fs, path);
    if (existing !== undefined) {
      const onDisk = parseCase(path, existing);
      if (onDisk.id !== record.id) throw new CaseFileError(path, [`${path}: holds case ${onDisk.id}, not ${record.id}`]);
    }
  } catch (err) {
    if (err instanceof CaseFileError) throw new CaseProtectedError(err);
    throw err;
  }
  const text = serializeCase(record);
  if (text === existing) return 'unchanged';
  await writeFileAtomic(fs, path, new TextEncoder().encode(text));
  return 'written';
}

/**
 * Removes a case file, only when it is the valid case record `record` (the same canonical text):
 * never a file that is not ours, nor one changed since it was read. Throws `CaseProtectedError` otherwise.
 */
export async function removeCase(fs: FileSystem, path: string, record: CaseRecord): Promise<void> {
  try {
    const text = await readCaseText(fs, path);
    if (text === undefined) return;
    const onDisk = parseCase(path, text);
    if (serializeCase(onDisk) !== serializeCase(record)) throw new CaseFileError(path, [`${path}: changed since it was read`]);
  } catch (err) {
    if (err instanceof CaseFileError) throw new CaseProtectedError(err, `not removed: ${err.problems[0]?.replace(`${path}: `, '') ?? ''}`);
    throw err;
  }
  await fs.delete(path);
}
