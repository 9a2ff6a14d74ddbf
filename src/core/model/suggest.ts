/**
 * Suggestions from a language model for one article: the article in windows within the model's
 * input budget, one question per window, each answer parsed (answer.ts) and its quotes aligned
 * (align.ts) to the window it was asked about, then carried back to the whole text in code points.
 * The same for the CLI (an OpenAI-compatible endpoint) and the extension (vscode.lm): each passes
 * its own `ask`.
 */
import { FieldDefinition, fieldValueProblem, RelationType, relationTypesFor } from '../codebook';
import { OffsetMap } from '../offsets';
import type { FieldValue } from '../schema';
import { alignQuotes, AlignMethod, DroppedQuote } from './align';
import { ANSWER_TOOL, ANSWER_TOOL_DESCRIPTION, answerJsonSchema, parseAnswer } from './answer';
import { PromptSpec, systemPrompt, userPrompt } from './prompt';
import { CountTokens, estimateTokens, splitWindows } from './windows';

export interface ModelQuery {
  system: string;
  user: string;
  /** Which window of how many, and where it is in the article (UTF-16). */
  window: { index: number; count: number; start: number; end: number };
  tool: { name: string; description: string; inputSchema: Record<string, unknown> };
}

/**
 * Asks the model one question; resolves to the answer (a tool call's input, parsed or as JSON
 * text, or the reply's text). Rejects with an Error whose message is one line (HTTP error,
 * timeout, cancelled).
 */
export type AskModel = (query: ModelQuery) => Promise<unknown>;

export interface ModelSpanSuggestion {
  /** Code points in the article; end exclusive. */
  start: number;
  end: number;
  label: string;
  text: string;
  /** What the model quoted (the text differs from it when found normalised or fuzzily). */
  quote: string;
  reason?: string;
  method: AlignMethod;
  similarity: number;
}

export interface ModelRelationSuggestion {
  label: string;
  /** Indexes into the suggestions' `spans`. */
  from: number;
  to: number;
}

export interface ModelFieldSuggestion {
  field: string;
  value: FieldValue;
  quote?: string;
  /** Where the quote was found (code points), when it was. */
  start?: number;
  end?: number;
}

export interface DroppedItem {
  kind: 'span' | 'relation' | 'field';
  /** The label, relation type or field name. */
  name: string;
  quote?: string;
  reason: string;
}

export interface ModelSuggestions {
  spans: ModelSpanSuggestion[];
  relations: ModelRelationSuggestion[];
  fields: ModelFieldSuggestion[];
  /** What the model said that could not be used, with why. */
  dropped: DroppedItem[];
  /** One line per window whose question failed or whose answer was malformed. */
  errors: string[];
  windows: number;
}

export interface ModelSuggestOptions {
  spec: PromptSpec;
  ask: AskModel;
  /** The model's input budget in tokens (system prompt and window together). */
  maxInputTokens?: number;
  countTokens?: CountTokens;
}

/** Tokens kept free for the message's framing around the window. */
const FRAMING_TOKENS = 64;
/** A window smaller than this is not worth a question: the prompt leaves too little room. */
const MIN_WINDOW_TOKENS = 200;

export const DEFAULT_MAX_INPUT_TOKENS = 8192;

interface Placed extends ModelSpanSuggestion {
  window: number;
  /** UTF-16, for merging. */
  s16: number;
  e16: number;
}

export async function suggestWithModel(text: string, options: ModelSuggestOptions): Promise<ModelSuggestions> {
  const { spec, ask } = options;
  const count = options.countTokens ?? estimateTokens;
  const system = systemPrompt(spec);
  const budget = (options.maxInputTokens ?? DEFAULT_MAX_INPUT_TOKENS) - count(system) - FRAMING_TOKENS;
  const result: ModelSuggestions = { spans: [], relations: [], fields: [], dropped: [], errors: [], windows: 0 };
  if (budget < MIN_WINDOW_TOKENS) {
    result.errors.push(`the instructions alone take ${count(system)} of the model's ${options.maxInputTokens ?? DEFAULT_MAX_INPUT_TOKENS} input tokens: choose a model that takes more`);
    return result;
  }
  const labels = new Set(spec.labels.map((l) => l.name));
  const relationTypes = new Map<string, RelationType>(spec.relationTypes.map((r) => [r.name, r]));
  const fieldDefs = new Map<string, FieldDefinition>(spec.fields.map((f) => [f.name, f]));
  const inputSchema = answerJsonSchema({ labels: [...labels], relations: [...relationTypes.keys()], fields: [...fieldDefs.keys()] });
  const windows = splitWindows(text, { maxTokens: budget, countTokens: count });
  result.windows = windows.length;
  const map = new OffsetMap(text);
  const placed: Placed[] = [];
  const relations: Array<{ label: string; from: Placed; to: Placed }> = [];
  const fields = new Map<string, ModelFieldSuggestion>();
  const dropSpan = (d: DroppedQuote) => result.dropped.push({ kind: 'span', name: d.label, quote: d.quote, reason: d.reason });

  for (const [index, w] of windows.entries()) {
    const part = text.slice(w.start, w.end);
    const query: ModelQuery = {
      system,
      user: userPrompt(part, { index, count: windows.length }),
      window: { index, count: windows.length, start: w.start, end: w.end },
      tool: { name: ANSWER_TOOL, description: ANSWER_TOOL_DESCRIPTION, inputSchema },
    };
    let raw: unknown;
    try {
      raw = await ask(query);
    } catch (err) {
      result.errors.push(`${windows.length > 1 ? `part ${index + 1} of ${windows.length}: ` : ''}${oneLine(err)}`);
      continue;
    }
    const parsed = parseAnswer(raw);
    if (!parsed.ok) {
      result.errors.push(`${windows.length > 1 ? `part ${index + 1} of ${windows.length}: ` : ''}${parsed.error}`);
      continue;
    }
    const answer = parsed.answer;
    const alignment = alignQuotes(part, answer.spans, { labels });
    alignment.dropped.forEach(dropSpan);
    const here: Array<Placed | undefined> = alignment.placed.map((p, i) => {
      if (!p) return undefined;
      const s16 = w.start + p.start;
      const e16 = w.start + p.end;
      const span = answer.spans[i];
      return {
        start: map.toCodePoint(s16),
        end: map.toCodePoint(e16),
        label: span.label,
        text: text.slice(s16, e16),
        quote: span.quote,
        ...(span.reason ? { reason: span.reason } : {}),
        method: p.method,
        similarity: p.similarity,
        window: index,
        s16,
        e16,
      };
    });
    placed.push(...here.filter((p): p is Placed => !!p));
    for (const r of answer.relations) {
      const from = here[r.from];
      const to = here[r.to];
      const type = relationTypes.get(r.label);
      const drop = (reason: string) => result.dropped.push({ kind: 'relation', name: r.label, reason });
      if (!type) drop('unknown relation type');
      else if (r.from >= answer.spans.length || r.to >= answer.spans.length) drop('an end is not a span of the answer');
      else if (!from || !to) drop('an end was dropped');
      else if (!relationTypesFor([type], from.label, to.label).length) drop(`does not link ${from.label} to ${to.label}`);
      else relations.push({ label: r.label, from, to });
    }
    for (const [name, f] of answer.fields) {
      const def = fieldDefs.get(name);
      const problem = def ? fieldValueProblem(def, f.value) : 'not a field of the coding form';
      if (problem) {
        result.dropped.push({ kind: 'field', name, reason: problem });
        continue;
      }
      if (fields.has(name) || f.value === null) continue;
      const suggestion: ModelFieldSuggestion = { field: name, value: f.value };
      if (f.quote) {
        suggestion.quote = f.quote;
        const at = alignQuotes(part, [{ label: name, quote: f.quote }]).placed[0];
        if (at) {
          suggestion.start = map.toCodePoint(w.start + at.start);
          suggestion.end = map.toCodePoint(w.start + at.end);
        }
      }
      fields.set(name, suggestion);
    }
  }

  // a mention in the overlap of two windows is suggested once: the longer of the two
  const kept = mergeAcrossWindows(placed);
  const indexOf = new Map<Placed, number>();
  kept.forEach((p, i) => indexOf.set(p, i));
  const survivor = (p: Placed) => (indexOf.has(p) ? p : kept.find((k) => k.label === p.label && k.window !== p.window && k.s16 < p.e16 && p.s16 < k.e16));
  const seen = new Set<string>();
  for (const r of relations) {
    const from = survivor(r.from);
    const to = survivor(r.to);
    // two ends merged into one mention: no relation of a span to itself
    if (!from || !to || from === to) continue;
    const key = `${r.label}\u0000${indexOf.get(from)}\u0000${indexOf.get(to)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.relations.push({ label: r.label, from: indexOf.get(from)!, to: indexOf.get(to)! });
  }
  result.spans = kept.map(({ window: _w, s16: _s, e16: _e, ...s }) => s);
  result.fields = [...fields.values()];
  return result;
}

function mergeAcrossWindows(placed: Placed[]): Placed[] {
  const sorted = [...placed].sort((a, b) => a.s16 - b.s16 || b.e16 - a.e16);
  const out: Placed[] = [];
  for (const p of sorted) {
    const clash = out.findIndex((k) => k.label === p.label && k.window !== p.window && k.s16 < p.e16 && p.s16 < k.e16);
    if (clash < 0) out.push(p);
    else if (p.e16 - p.s16 > out[clash].e16 - out[clash].s16) out[clash] = p;
  }
  return out.sort((a, b) => a.s16 - b.s16 || a.e16 - b.e16);
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split(/\r?\n/)[0] || 'the request failed';
}
