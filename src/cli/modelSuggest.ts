/**
 * `suggest --model <base url>`: suggestions from a language model on the user's machine instead of
 * the gazetteers and rules. The prompt, windows and alignment are the core's (src/core/model); this
 * file reads the corpus, asks through modelClient.ts and prints. Few-shot examples come from the
 * articles named that are marked done, never from the article being asked about.
 */
import { ModelSuggestions, defaultPromptSpec, fewShotExamples, suggestWithModel, AskModel, DEFAULT_MAX_INPUT_TOKENS } from '../core/model';
import { FieldValue } from '../core/schema';
import { articlePaths, LoadedArticle, loadArticle } from './articles';
import { checkBaseUrl, firstModel, openAiAsk } from './modelClient';
import { CliIO, EXIT_FAILED, EXIT_OK, OptionSpec, Parsed, UsageError } from './verb';

export const MODEL_OPTIONS: OptionSpec = {
  model: { type: 'string' },
  'model-name': { type: 'string' },
  timeout: { type: 'string' },
  'max-input-tokens': { type: 'string' },
};

export const MODEL_HELP = [
  '  --model URL        ask a language model instead: an OpenAI-compatible endpoint on your machine',
  '                     (Ollama: http://127.0.0.1:11434/v1; llama.cpp\'s server: http://127.0.0.1:8080/v1);',
  '                     each article is sent to URL/chat/completions, with the annotation guidelines and',
  '                     excerpts of the articles named that are marked done as examples',
  '  --model-name NAME  the model to ask (default: the first the endpoint lists)',
  '  --timeout SECONDS  how long to wait for each answer (default 300)',
  '  --max-input-tokens N  the model\'s input budget; longer articles are asked in parts (default 8192)',
  '  With --model, --json also lists relations ({kind: "relation", from, to: span ids}) and coding-form',
  '  fields ({kind: "field", field, value, quote}); every item has source "model" and model NAME.',
];

/** How to ask, from the options; the model's name from the endpoint when not given. */
export interface ModelSetting {
  ask: AskModel;
  name: string;
  maxInputTokens: number;
}

function positiveNumber(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a positive number, not "${raw}"`);
  return n;
}

export async function modelSetting(values: Parsed['values']): Promise<ModelSetting> {
  let baseUrl: string;
  try {
    baseUrl = checkBaseUrl(String(values.model));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const timeoutMs = Math.round(positiveNumber(values.timeout as string | undefined, '--timeout', 300) * 1000);
  const maxInputTokens = Math.floor(positiveNumber(values['max-input-tokens'] as string | undefined, '--max-input-tokens', DEFAULT_MAX_INPUT_TOKENS));
  const name = (values['model-name'] as string | undefined) || (await firstModel(baseUrl, timeoutMs));
  return { ask: openAiAsk({ baseUrl, model: name, timeoutMs }), name, maxInputTokens };
}

/** The model's suggestions for one article, with examples from the other finished articles of `corpus`. */
export function modelSuggestionsFor(article: LoadedArticle, corpus: readonly LoadedArticle[], setting: ModelSetting): Promise<ModelSuggestions> {
  const examples = fewShotExamples(
    corpus.filter((a) => a.file !== article.file && a.sidecar).map((a) => ({ file: a.relativePath, text: a.text, sidecar: a.sidecar! })),
  );
  return suggestWithModel(article.text, { spec: defaultPromptSpec(examples), ask: setting.ask, maxInputTokens: setting.maxInputTokens });
}

/** What was dropped, counted by reason: "2 spans (not found in the text), 1 relation (an end was dropped)". */
export function describeDropped(s: ModelSuggestions): string {
  const counts = new Map<string, { kind: string; reason: string; n: number }>();
  for (const d of s.dropped) {
    const key = `${d.kind}\u0000${d.reason}`;
    const c = counts.get(key) ?? { kind: d.kind, reason: d.reason, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  return [...counts.values()].map((c) => `${c.n} ${c.kind}${c.n === 1 ? '' : 's'} (${c.reason})`).join(', ');
}

function tsvField(s: string): string {
  return s.replace(/[\\\t\r\n]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' })[c]!);
}

type Item =
  | { file: string; kind: 'span'; id: string; start: number; end: number; label: string; type: string; text: string; source: 'model'; model: string; reason: string; quote: string; match: string }
  | { file: string; kind: 'relation'; label: string; from: string; to: string; source: 'model'; model: string }
  | { file: string; kind: 'field'; field: string; value: FieldValue; quote?: string; start?: number; end?: number; source: 'model'; model: string };

export async function runModelSuggest({ positionals, values }: Parsed, io: CliIO): Promise<number> {
  if (!positionals.length) throw new UsageError('name at least one article or folder');
  let failed = 0;
  const problem = (line: string, fatal: boolean) => {
    if (fatal) failed++;
    io.err(`misconduct-annotate suggest: ${line}`);
  };
  const setting = await modelSetting(values);
  const corpus: LoadedArticle[] = [];
  for (const { file, relativePath } of await articlePaths(io.fs, positionals, problem)) {
    const a = await loadArticle(io.fs, file, relativePath, problem);
    if (a) corpus.push(a);
  }
  const items: Item[] = [];
  for (const article of corpus) {
    const s = await modelSuggestionsFor(article, corpus, setting);
    for (const e of s.errors) problem(`${article.file}: ${e}`, true);
    const dropped = describeDropped(s);
    if (dropped) io.err(`misconduct-annotate suggest: ${article.file}: dropped ${dropped}`);
    const ids = s.spans.map((_, i) => `model-${i + 1}`);
    s.spans.forEach((span, i) => {
      const reason = span.reason ?? `model ${setting.name}`;
      const item: Item = { file: article.file, kind: 'span', id: ids[i], start: span.start, end: span.end, label: span.label, type: '', text: span.text, source: 'model', model: setting.name, reason, quote: span.quote, match: span.method };
      if (values.json) items.push(item);
      else io.out([tsvField(article.file), span.start, span.end, span.label, '', tsvField(span.text), 'model'].join('\t'));
    });
    if (!values.json) continue;
    for (const r of s.relations) items.push({ file: article.file, kind: 'relation', label: r.label, from: ids[r.from], to: ids[r.to], source: 'model', model: setting.name });
    for (const f of s.fields) items.push({ file: article.file, kind: 'field', ...f, source: 'model', model: setting.name });
  }
  if (values.json) io.out(JSON.stringify(items, null, 2));
  return failed ? EXIT_FAILED : EXIT_OK;
}
