/**
 * The sidecar format, schema version 1: the single source of truth.
 *
 * `schemas/annotations.schema.json` is generated from these zod schemas at build time
 * (scripts/build.mjs), and the extension, the CLI and the tests all validate through them.
 * Fields added later in version 1 are optional, so every file written by an older build stays valid.
 */
import { z } from 'zod';

/** zod itself, for the other schemas of the core (model/answer.ts, cases/schema.ts): one copy of it, inside this lazy module. */
export { z };

/** The newest sidecar `version` this build reads and writes. */
export const SCHEMA_VERSION = 1;

/** Labels are lower-case identifiers, so they are safe as CoNLL tags, brat types and CSS-ish keys. */
export const LABEL_PATTERN = /^[a-z][a-z0-9_-]*$/;

/** How many code points of context `prefix` and `suffix` keep (W3C TextQuoteSelector). */
export const CONTEXT_LENGTH = 32;

export const isoTime = z.iso.datetime({ offset: true });

/** Why a sidecar holding a lone surrogate (see surrogates.ts) is refused: an export would write U+FFFD. */
const LONE_SURROGATE_MESSAGE = 'holds a lone surrogate (half of a UTF-16 pair, "\\ud800"–"\\udfff" in the JSON), which no text can hold; remove it';

/** Free text: any string without a lone surrogate (the pattern is what the JSON Schema publishes). */
export const text = z.string().regex(/^[^\uD800-\uDFFF]*$/u, LONE_SURROGATE_MESSAGE);

const label = z
  .string()
  .regex(LABEL_PATTERN, 'a label must start with a lower-case letter and use only a-z, 0-9, "_" and "-"');

const offset = z.number().int().nonnegative();

/**
 * Annotation ids: a letter or digit, then letters, digits and `. _ : -`. Ids are shown in hovers,
 * used in tree item ids and command arguments, and written into exports; a safe alphabet means
 * none of those places can be tricked into markup or paths by a hand-edited file.
 */
export const ANNOTATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const annotationId = z
  .string()
  .regex(ANNOTATION_ID_PATTERN, 'an id must start with a letter or digit and use only A-Z, a-z, 0-9, ".", "_", ":" and "-" (at most 128 characters)');

/**
 * Keys that would reach an object's prototype when data is copied into a plain object
 * (`__proto__` is dropped or, worse, replaces the prototype). Refused rather than silently lost.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const FORBIDDEN_KEY_MESSAGE = 'an attribute may not be named "__proto__", "constructor" or "prototype"';

const attributeKey = text.refine((k) => !FORBIDDEN_KEYS.has(k), { message: FORBIDDEN_KEY_MESSAGE });

/**
 * zod's record skips an own `__proto__` key without a word (JSON.parse makes one from the text),
 * so it is looked for before the record sees the object.
 */
const attributes = z.preprocess((value, ctx) => {
  if (value && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.addIssue({ code: 'custom', message: FORBIDDEN_KEY_MESSAGE, path: ['__proto__'], input: value });
  }
  return value;
}, z.record(attributeKey, text));

const annotationSchema = z
  .strictObject({
    id: annotationId,
    label,
    start: offset,
    end: offset,
    text,
    prefix: text.optional(),
    suffix: text.optional(),
    source: z.enum(['manual', 'suggestion']),
    note: text.optional(),
    attributes: attributes.optional(),
    author: text.optional(),
    created: isoTime,
    modified: isoTime.optional(),
    orphaned: z
      .literal(true)
      .optional()
      .describe(
        'Set when the article changed and this quote could not be found again unambiguously: `text` is the original quote, start/end its last known place.',
      ),
  })
  .describe('One tagged span. Offsets count Unicode code points; `end` is exclusive.');

/**
 * A typed, directed link between two annotations of the same sidecar ("this allegation → outcome
 * → that sanction"). It holds ids, not offsets, so it survives edits, reloads and re-anchoring.
 */
const relationSchema = z
  .strictObject({
    id: annotationId.describe('Unique among this sidecar\'s relations.'),
    label: label.describe('The relation type, e.g. outcome, subject, member (the `misconduct.relations` setting).'),
    from: annotationId.describe('The id of the annotation the relation starts at.'),
    to: annotationId.describe('The id of the annotation it points to.'),
    note: text.optional(),
    author: text.optional(),
    created: isoTime,
    modified: isoTime.optional(),
  })
  .describe('A relation between two annotations of this sidecar; both ends must exist.');

/** One answer on the coding form: a string, a list of strings, a number, a boolean or null. */
export const fieldValueSchema = z.union([text, z.array(text), z.number().finite(), z.boolean(), z.null()]);

const FORBIDDEN_FIELD_MESSAGE = 'a form field may not be named "__proto__", "constructor" or "prototype"';

/**
 * The article's coding form. Only value types are checked: a value outside the configured options,
 * or a field the settings do not know, is kept and shown as such, never rejected.
 */
const documentForm = z.preprocess((value, ctx) => {
  if (value && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.addIssue({ code: 'custom', message: FORBIDDEN_FIELD_MESSAGE, path: ['__proto__'], input: value });
  }
  return value;
}, z.record(text.min(1).refine((k) => !FORBIDDEN_KEYS.has(k), { message: FORBIDDEN_FIELD_MESSAGE }), fieldValueSchema));

/** A suggestion the annotator rejected for this article, so it is not offered again. */
const rejectionSchema = z.strictObject({
  start: offset,
  end: offset,
  label,
  text,
});

const articleStatusSchema = z.enum(['not_started', 'in_progress', 'done']);

/**
 * A merge conflict the git merge driver recorded: both branches changed the same thing
 * differently. The file keeps "ours" in place; `theirs` is the other branch's version, `null` when
 * the other branch deleted it. Accept Theirs / Keep Mine in the Annotations view resolve one.
 * `kind` says what the entry is about, so relations and form fields can be added as new kinds.
 */
const conflictSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('annotation'),
      id: annotationId.describe('The annotation both branches changed.'),
      theirs: annotationSchema.nullable().describe("The other branch's version of it; null when that branch removed it."),
    }).describe('An annotation both branches changed differently: ours is in `annotations` (absent when ours removed it).'),
    z.strictObject({
      kind: z.literal('relation'),
      id: annotationId.describe('The relation both branches changed.'),
      theirs: relationSchema.nullable().describe("The other branch's version of it; null when that branch removed it."),
    }).describe('A relation both branches changed differently: ours is in `relations` (absent when ours removed it). When their version links an annotation this file does not have, that annotation has an `annotation` entry too.'),
    z.strictObject({
      kind: z.literal('field'),
      field: text.min(1).refine((k) => !FORBIDDEN_KEYS.has(k), { message: FORBIDDEN_FIELD_MESSAGE }).describe('The form field both branches changed.'),
      theirs: fieldValueSchema.optional().describe("The other branch's value; absent when that branch removed the field."),
    }).describe('A coding-form field both branches set differently: ours is in `document` (absent when ours removed it).'),
    z.strictObject({
      kind: z.literal('status'),
      theirs: articleStatusSchema.nullable().describe("The other branch's status; null when it had none."),
    }).describe('The article status both branches changed differently: ours is in `status`.'),
  ])
  .describe('A change both branches made differently: ours is in the file, theirs is kept here until resolved.');

/** A one-line piece of provenance: no line break, no lone surrogate. */
const sourceText = text.min(1).max(2048).regex(/^[^\r\n]*$/, 'a source field is one line');

/** `YYYY-MM-DD`, or a date-time with its offset. */
const sourceDate = z.union([z.iso.date(), isoTime]);

const sourceSchema = z
  .strictObject({
    url: sourceText.describe("The page's address (its canonical link when it has one)."),
    outlet: sourceText.describe('Who published it: the news site or the force.'),
    title: sourceText.describe('The headline as published.'),
    published: sourceDate.describe('When it was published: YYYY-MM-DD or a date-time with its offset.'),
    retrieved: isoTime.describe('When the page was saved.'),
    byline: sourceText.describe('Who wrote it.'),
  })
  .partial()
  .describe('Where the article came from (filled by `misconduct-annotate import`, editable in the Case view).');

export const sidecarSchema = z
  .strictObject({
    $schema: text.optional(),
    version: z.literal(SCHEMA_VERSION),
    article: z.strictObject({
      file: text.min(1).describe('The article file name, relative to the sidecar.'),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'),
      length: offset.describe("The article text's length in code points."),
    }),
    status: articleStatusSchema.optional(),
    annotations: z.array(annotationSchema),
    rejected: z.array(rejectionSchema).optional(),
    relations: z.array(relationSchema).optional().describe('Typed links between annotations (ids, not offsets).'),
    document: documentForm.optional().describe('The coding form of the article: field name → value (the `misconduct.documentFields` setting).'),
    source: sourceSchema.optional(),
    duplicateOf: text
      .min(1)
      .optional()
      .describe('Set on a near copy of another article (the same release on another site): that article, relative to the corpus folder, with "/". Left out of counts, exports and agreement unless asked for.'),
    conflicts: z
      .array(conflictSchema)
      .optional()
      .describe('Set by `misconduct-annotate merge-driver` when both branches changed the same annotation, relation, form field or status differently.'),
  })
  .describe('Misconduct Annotator sidecar: the annotations of one article.');

export type Annotation = z.infer<typeof annotationSchema>;
export type Rejection = z.infer<typeof rejectionSchema>;
export type Conflict = z.infer<typeof conflictSchema>;
export type Relation = z.infer<typeof relationSchema>;
export type FieldValue = z.infer<typeof fieldValueSchema>;
export type DocumentForm = Record<string, FieldValue>;
export type ArticleStatus = z.infer<typeof articleStatusSchema>;
export type Sidecar = z.infer<typeof sidecarSchema>;
export type SourceFields = z.infer<typeof sourceSchema>;

/** The JSON Schema (draft 2020-12) published in `schemas/` and contributed under `jsonValidation`. */
export function toJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(sidecarSchema, {
    target: 'draft-2020-12',
    override: ({ jsonSchema }) => {
      // the attribute keys refused by `attributeKey`, said in JSON Schema terms
      const names = jsonSchema.propertyNames as Record<string, unknown> | undefined;
      if (jsonSchema.additionalProperties && names?.type === 'string') names.not = { enum: [...FORBIDDEN_KEYS] };
    },
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://misconduct-annotator.invalid/schemas/annotations.schema.json',
    title: 'Misconduct Annotator sidecar',
  };
}
