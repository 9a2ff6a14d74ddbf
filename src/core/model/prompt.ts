/**
 * What a model is asked: the team's guidelines (docs/guidelines.md), the configured labels,
 * relation types and coding-form fields with their descriptions, and a few examples copied
 * verbatim from the team's finished articles (status done) with their annotations as answers.
 * Deterministic: the same settings and corpus give the same prompt (answers are cached by
 * `PROMPT_VERSION`, which changes whenever the wording does).
 */
import type { FieldDefinition, RelationType } from '../codebook';
import type { LabelDefinition } from '../labels';
import { OffsetMap } from '../offsets';
import type { Sidecar } from '../schema';
import { ANSWER_TOOL, AnswerField, AnswerRelation, AnswerSpan } from './answer';

/** Changes whenever the prompt's wording or structure does (a cache key of the answers). */
export const PROMPT_VERSION = 'misconduct-prompt-1';

export interface FewShotExample {
  /** The article it is taken from (a path relative to the corpus, for the reader). */
  file: string;
  excerpt: string;
  answer: { spans: AnswerSpan[]; relations: AnswerRelation[]; fields: Record<string, AnswerField> };
}

export interface PromptSpec {
  /** docs/guidelines.md (or the team's own). */
  guidelines: string;
  labels: readonly LabelDefinition[];
  relationTypes: readonly RelationType[];
  fields: readonly FieldDefinition[];
  examples: readonly FewShotExample[];
}

export interface PromptMessages {
  system: string;
  user: string;
}

/** A finished article offered as an example. */
export interface ExampleSource {
  file: string;
  text: string;
  sidecar: Pick<Sidecar, 'annotations' | 'relations' | 'status'>;
}

export interface ExampleOptions {
  count?: number;
  /** Longest excerpt, in code points (cut after a line break or a sentence before it). */
  maxChars?: number;
  /** Fewest spans an excerpt must hold to be worth showing. */
  minSpans?: number;
}

/** Words of context on each side of a quote in an example (what the model is asked to give). */
const CONTEXT_WORDS = 4;

function contextAround(excerpt: OffsetMap, start: number, end: number): string {
  const before = excerpt.slice(0, start).split(/(?<=\s)/);
  const after = excerpt.slice(end, excerpt.length).split(/(?=\s)/);
  return (before.slice(-CONTEXT_WORDS).join('') + excerpt.slice(start, end) + after.slice(0, CONTEXT_WORDS).join('')).replace(/\s+/g, ' ').trim();
}

/** Where the excerpt ends: after the last line break, else the last sentence end, within `max` code points. */
function excerptEnd(map: OffsetMap, max: number): number {
  if (map.length <= max) return map.length;
  const head = map.slice(0, max);
  const line = head.lastIndexOf('\n');
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'));
  const cut = line > head.length / 3 ? line : sentence > head.length / 3 ? sentence + 1 : head.length;
  return new OffsetMap(head).toCodePoint(cut);
}

/**
 * Examples from the articles marked done, in path order: each the article's opening (up to
 * `maxChars`) with the spans wholly inside it as the answer, their relations, and no fields (the
 * form is about the whole article, which the excerpt is not).
 */
export function fewShotExamples(articles: readonly ExampleSource[], options: ExampleOptions = {}): FewShotExample[] {
  const { count = 2, maxChars = 900, minSpans = 3 } = options;
  const out: FewShotExample[] = [];
  for (const a of [...articles].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0))) {
    if (out.length >= count) break;
    if (a.sidecar.status !== 'done') continue;
    const map = new OffsetMap(a.text);
    const end = excerptEnd(map, maxChars);
    const excerpt = new OffsetMap(map.slice(0, end));
    const inside = a.sidecar.annotations.filter((s) => !s.orphaned && s.end <= end).sort((x, y) => x.start - y.start || x.end - y.end);
    if (inside.length < minSpans) continue;
    const index = new Map(inside.map((s, i) => [s.id, i]));
    const relations = (a.sidecar.relations ?? [])
      .filter((r) => index.has(r.from) && index.has(r.to))
      .map((r) => ({ label: r.label, from: index.get(r.from)!, to: index.get(r.to)! }));
    const spans = inside.map((s) => ({ label: s.label, quote: s.text, context: contextAround(excerpt, s.start, s.end) }));
    out.push({ file: a.file, excerpt: excerpt.text, answer: { spans, relations, fields: {} } });
  }
  return out;
}

function fieldLine(f: FieldDefinition): string {
  const kind = f.type === 'choice' ? 'one of' : f.type === 'multi' ? 'a list of' : f.type;
  const options = f.options?.length && (f.type === 'choice' || f.type === 'multi') ? ` ${f.options.join(', ')}` : '';
  return `- ${f.name} (${kind}${options})${f.description ? `: ${f.description}` : ''}`;
}

/** The instructions: the same for every article and window of one configuration. */
export function systemPrompt(spec: PromptSpec): string {
  const lines = [
    'You annotate news reports of police misconduct for a research team, following their guidelines below.',
    `Answer by calling the tool ${ANSWER_TOOL}. If you cannot call tools, answer with only a JSON object of the same shape:`,
    '{"spans": [{"label": "...", "quote": "...", "context": "...", "reason": "..."}], "relations": [{"label": "...", "from": 0, "to": 1}], "fields": {"<field>": {"value": ..., "quote": "..."}}}',
    '',
    'How to answer:',
    '- spans: every mention to tag, in reading order. "quote" is the span copied exactly from the article, character for character (never offsets, never a paraphrase); "context" is the quote with a few words before and after it, copied from the article; "reason" says in a few words why the label fits.',
    '- Tag every mention, not only the first: a span that occurs twice is listed twice, each with its own context.',
    '- relations: "from" and "to" are indexes (from 0) into your "spans"; use only the relation types listed.',
    '- fields: only what the article says; a value is an option id from the list, or text, a date (YYYY-MM-DD), a number or true/false as the field asks; "quote" is the words it is read from. Leave out a field the article does not say.',
    '- Use only the labels listed. If the article mentions none, answer with empty lists.',
    '',
    '## Labels',
    ...spec.labels.map((l) => `- ${l.name}${l.description ? `: ${l.description}` : ''}`),
  ];
  if (spec.relationTypes.length) {
    lines.push('', '## Relation types');
    for (const r of spec.relationTypes) lines.push(`- ${r.name} (${r.from.join('/') || 'any'} → ${r.to.join('/') || 'any'})${r.description ? `: ${r.description}` : ''}`);
  }
  if (spec.fields.length) lines.push('', '## Coding-form fields', ...spec.fields.map(fieldLine));
  lines.push('', '## Guidelines', '', spec.guidelines.trim());
  spec.examples.forEach((e, i) => {
    lines.push('', `## Example ${i + 1} (an excerpt of ${e.file}; fields left out)`, '', 'Article:', '"""', e.excerpt, '"""', '', 'Answer:', JSON.stringify(e.answer));
  });
  return lines.join('\n');
}

/** The message carrying one window of an article. */
export function userPrompt(text: string, window: { index: number; count: number }): string {
  const part = window.count > 1 ? ` (part ${window.index + 1} of ${window.count}; quote only from this part)` : '';
  return `Annotate this article${part}:\n"""\n${text}\n"""`;
}
