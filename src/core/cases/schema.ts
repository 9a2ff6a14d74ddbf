/**
 * The case record format, version 1: one officer's case (one set of allegations, one proceeding,
 * one outcome) coded once from every article that reports it. One file per case,
 * `<id>.case.json`, in the corpus's cases folder. `schemas/case.schema.json` is generated from this
 * schema at build time (scripts/generate.ts).
 *
 * Its own module rather than part of src/core/schema.ts, which the editor loads for sidecars alone.
 */
import { fieldValueSchema, FORBIDDEN_KEYS, isoTime, text, z } from '../schema';

/** The newest case file `version` this build reads and writes. */
export const CASE_VERSION = 1;

/** Case ids: `c-` then letters, digits, `_` and `-`; the id is also the file's name, so no dots or colons. */
export const CASE_ID_PATTERN = /^c-[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** Evidence ids: `e-` then the same alphabet; unique within their case. */
export const EVIDENCE_ID_PATTERN = /^e-[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** Annotation and relation ids as the sidecar schema has them. */
const SIDECAR_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const caseId = z.string().regex(CASE_ID_PATTERN, 'a case id is "c-" then letters, digits, "_" and "-" (at most 64 characters)');
const evidenceId = z.string().regex(EVIDENCE_ID_PATTERN, 'an evidence id is "e-" then letters, digits, "_" and "-" (at most 64 characters)');
const sidecarId = z.string().regex(SIDECAR_ID_PATTERN, 'an annotation or relation id starts with a letter or digit and uses only A-Z, a-z, 0-9, ".", "_", ":" and "-"');

/**
 * Why a path is not a corpus-relative article path (undefined: it is). Evidence paths are joined to
 * the corpus folder, so one that climbs out of it or names an absolute place is refused.
 */
export function evidencePathProblem(path: string): string | undefined {
  if (!path) return 'should not be empty';
  if (path.includes('\\')) return 'uses "/" between folders, never "\\"';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is relative to the corpus folder, not absolute';
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'may not hold empty, "." or ".." parts';
  if (/[\u0000-\u001f]/.test(path)) return 'may not hold control characters';
  return undefined;
}

const articlePath = text.superRefine((path, ctx) => {
  const problem = evidencePathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const FORBIDDEN_FIELD_MESSAGE = 'a field may not be named "__proto__", "constructor" or "prototype"';
const fieldName = text.min(1).refine((k) => !FORBIDDEN_KEYS.has(k), { message: FORBIDDEN_FIELD_MESSAGE });

/** zod's record skips an own `__proto__` key silently, so it is refused before the record sees it. */
const fields = z.preprocess((value, ctx) => {
  if (value && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.addIssue({ code: 'custom', message: FORBIDDEN_FIELD_MESSAGE, path: ['__proto__'], input: value });
  }
  return value;
}, z.record(fieldName, fieldValueSchema));

const evidenceSchema = z
  .strictObject({
    id: evidenceId,
    file: articlePath.describe('The article, relative to the corpus folder, with "/" between folders.'),
    annotation: sidecarId.optional().describe("The id of the annotation in the article's sidecar this rests on."),
    relation: sidecarId.optional().describe("The id of the relation in the article's sidecar this rests on."),
    field: fieldName.optional().describe('The case field this evidence supports, when it supports one.'),
    quote: text.describe('The quoted text, so a removed span can still be read and reported.'),
  })
  .describe('Where in an article the case is reported: an annotation or relation of its sidecar, with its quote.');

const conflictSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('field'),
      field: fieldName,
      theirs: fieldValueSchema.optional().describe("The other branch's value; absent when that branch removed the field."),
    }).describe('A field both branches set differently: ours is in `fields`.'),
    z.strictObject({
      kind: z.literal('evidence'),
      id: evidenceId,
      theirs: evidenceSchema.nullable().describe("The other branch's version; null when that branch removed it."),
    }).describe('Evidence both branches changed differently: ours is in `evidence` (absent when ours removed it).'),
    z.strictObject({
      kind: z.literal('property'),
      name: z.enum(['title', 'note', 'author']),
      theirs: text.optional().describe("The other branch's value; absent when that branch removed it."),
    }).describe('The title, note or author both branches changed differently: ours is in the file.'),
  ])
  .describe('A change both branches made differently, recorded by the git merge driver: ours is in the file, theirs here.');

export const caseSchema = z
  .strictObject({
    version: z.literal(CASE_VERSION),
    id: caseId.describe('The case id; the file is named `<id>.case.json`.'),
    title: text.describe('A short name for the case, for people.'),
    fields: fields.describe('The case coded on the coding form (the `misconduct.documentFields` setting): field name → value.'),
    evidence: z.array(evidenceSchema),
    author: text.optional(),
    created: isoTime,
    modified: isoTime.optional(),
    note: text.optional(),
    conflicts: z.array(conflictSchema).optional().describe('Set by `misconduct-annotate merge-driver` when both branches changed the same field, evidence or title differently.'),
  })
  .describe('Misconduct Annotator case record: one case, coded once from every article that reports it.');

export type CaseRecord = z.infer<typeof caseSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type CaseConflict = z.infer<typeof conflictSchema>;

/** The JSON Schema (draft 2020-12) published as `schemas/case.schema.json`. */
export function toCaseJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(caseSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://misconduct-annotator.invalid/schemas/case.schema.json', title: 'Misconduct Annotator case record' };
}
