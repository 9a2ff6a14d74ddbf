/**
 * What a language model is asked to answer, as a contract other providers and the tests rely on:
 *
 *   { "spans": [{ "label", "quote", "context"?, "reason"? }],
 *     "relations": [{ "label", "from", "to" }],
 *     "fields": { "<field>": { "value", "quote"? } } }
 *
 * Relation ends are indexes into `spans`. Quotes, never offsets: models count characters badly, so
 * align.ts finds each quote in the text. The zod schema is the single source; the JSON Schema given
 * as the input of the forced tool `record_annotations` (and as `response_format`) is generated from
 * it. Everything a model says is untrusted: validated here, field names kept in a Map.
 */
import { FORBIDDEN_KEYS, fieldValueSchema, z } from '../schema';

/** The tool whose input is the answer (a forced tool call where the API supports one). */
export const ANSWER_TOOL = 'record_annotations';

export const ANSWER_TOOL_DESCRIPTION = 'Record the spans, relations and coding-form fields found in the article, quoting the text exactly.';

/** Quotes and reasons longer than this are not a span of a news report: refused, not truncated. */
const MAX_QUOTE = 2000;

const answerSpan = z.object({
  label: z.string().min(1).describe('One of the labels described in the instructions.'),
  quote: z.string().min(1).max(MAX_QUOTE).describe('The span, copied exactly from the article.'),
  context: z.string().max(MAX_QUOTE).optional().describe('A few words around the quote, copied from the article, to tell apart a quote that occurs more than once.'),
  reason: z.string().max(MAX_QUOTE).optional().describe('Why this span has this label, in one short sentence.'),
});

const answerRelation = z.object({
  label: z.string().min(1).describe('One of the relation types described in the instructions.'),
  from: z.number().int().nonnegative().describe('Index (from 0) of the span in `spans` the relation starts at.'),
  to: z.number().int().nonnegative().describe('Index (from 0) of the span in `spans` it points to.'),
});

const answerField = z.object({
  value: fieldValueSchema.describe('The value: an option id, a list of option ids, text, a number, a boolean or null.'),
  quote: z.string().max(MAX_QUOTE).optional().describe('The words of the article the value is read from.'),
});

const FORBIDDEN_FIELD = 'a field may not be named "__proto__", "constructor" or "prototype"';

/** The answer as zod checks it (field names checked; an own `__proto__` key is looked for before, in `validateAnswer`). */
export const answerSchema = z.object({
  spans: z.array(answerSpan).describe('Every mention to tag, in reading order.'),
  relations: z.array(answerRelation).default([]).describe('Links between spans of this answer.'),
  fields: z
    .record(z.string().min(1).refine((k) => !FORBIDDEN_KEYS.has(k), { message: FORBIDDEN_FIELD }), answerField)
    .default({})
    .describe('The coding form: field name → value (leave out a field the article does not say).'),
});

export type AnswerSpan = z.infer<typeof answerSpan>;
export type AnswerRelation = z.infer<typeof answerRelation>;
export type AnswerField = z.infer<typeof answerField>;

export interface ModelAnswer {
  spans: AnswerSpan[];
  relations: AnswerRelation[];
  /** Field name → value (a Map: the names come from the model). */
  fields: Map<string, AnswerField>;
}

/** What the answer may name, to narrow the JSON Schema (constrained decoding then keeps to them). */
export interface AnswerVocabulary {
  labels?: readonly string[];
  relations?: readonly string[];
  fields?: readonly string[];
}

/**
 * The JSON Schema (draft-07, which OpenAI-compatible servers and VS Code's tools take) of the
 * answer: the tool's input schema and the `response_format` schema. With a vocabulary, labels,
 * relation types and field names are enums.
 */
export function answerJsonSchema(vocabulary: AnswerVocabulary = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(answerSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete schema.$schema;
  const props = schema.properties as Record<string, { items?: { properties: Record<string, Record<string, unknown>> }; propertyNames?: Record<string, unknown> }>;
  if (vocabulary.labels?.length) props.spans.items!.properties.label.enum = [...vocabulary.labels];
  if (vocabulary.relations?.length) props.relations.items!.properties.label.enum = [...vocabulary.relations];
  if (vocabulary.fields?.length) props.fields.propertyNames = { enum: [...vocabulary.fields] };
  return schema;
}

export type AnswerResult = { ok: true; answer: ModelAnswer } | { ok: false; error: string };

/** At most this much of an answer is quoted in an error line. */
const SHOWN = 80;

function shown(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > SHOWN ? one.slice(0, SHOWN - 1) + '…' : one);
}

/** Validates an answer given as an object (a tool call's input, already parsed). */
export function validateAnswer(input: unknown): AnswerResult {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, error: 'the answer is not a JSON object' };
  const fields = (input as Record<string, unknown>).fields;
  // zod's record skips an own `__proto__` key (JSON.parse makes one) without a word
  if (fields && typeof fields === 'object' && Object.hasOwn(fields, '__proto__')) return { ok: false, error: `the answer is malformed: fields: ${FORBIDDEN_FIELD}` };
  const parsed = answerSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: `the answer is malformed: ${where}${issue.message}` };
  }
  const { spans, relations } = parsed.data;
  return { ok: true, answer: { spans, relations, fields: new Map(Object.entries(parsed.data.fields)) } };
}

/**
 * Parses an answer given as text: JSON, possibly in a ```json fence or after a sentence. Text with
 * no JSON object in it (a refusal, an apology) is an error quoting its start.
 */
export function parseAnswerText(text: string): AnswerResult {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const body = fenced ? fenced[1] : text;
  const first = body.indexOf('{');
  const last = body.lastIndexOf('}');
  if (first < 0) return { ok: false, error: `the model did not answer with JSON: ${shown(text)}` };
  if (last < first) return { ok: false, error: `the answer is not valid JSON (cut short: no closing "}"): ${shown(body.slice(first))}` };
  let value: unknown;
  try {
    value = JSON.parse(body.slice(first, last + 1));
  } catch (err) {
    return { ok: false, error: `the answer is not valid JSON (${(err as Error).message.split('\n')[0]}): ${shown(body.slice(first))}` };
  }
  return validateAnswer(value);
}

/** An answer as a tool call's input (an object, or the JSON text of its arguments) or as text. */
export function parseAnswer(input: unknown): AnswerResult {
  return typeof input === 'string' ? parseAnswerText(input) : validateAnswer(input);
}
