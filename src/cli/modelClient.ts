/**
 * The CLI's way of asking a model: an OpenAI-compatible chat endpoint on the user's machine
 * (Ollama, llama.cpp's server), `<base url>/chat/completions`, through Node's fetch. Temperature 0.
 * The answer is asked for as the forced tool call `record_annotations`; an endpoint that refuses
 * tools is asked with a JSON-schema `response_format`, and one that refuses that too for JSON text.
 * The first way that works is kept for the following questions.
 */
import type { AskModel, ModelQuery } from '../core/model';

type Mode = 'tool' | 'json_schema' | 'text';
const MODES: readonly Mode[] = ['tool', 'json_schema', 'text'];

/** Statuses by which an endpoint says it does not take a request's shape (so a simpler one is tried). */
const UNSUPPORTED = new Set([400, 404, 415, 422, 501]);

export interface OpenAiClientOptions {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The base URL checked and without a trailing slash; throws a one-line Error. */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--model: "${raw}" is not a URL (e.g. http://127.0.0.1:11434/v1 for Ollama)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--model: "${raw}" is not an http or https URL`);
  return url.href.replace(/\/+$/, '');
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function shorten(s: string, n = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

async function request(fetchImpl: typeof fetch, url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s (--timeout)`);
    throw new Error(`cannot reach ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
  if (!response.ok) throw new HttpError(response.status, `HTTP ${response.status} from ${url}${text.trim() ? `: ${shorten(text)}` : ''}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} did not answer with JSON: ${shorten(text)}`);
  }
}

/** The first model the endpoint lists (`GET <base>/models`), for when none is named. */
export async function firstModel(baseUrl: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<string> {
  const body = (await request(fetchImpl, `${baseUrl}/models`, undefined, timeoutMs)) as { data?: Array<{ id?: unknown }> };
  const id = body?.data?.find((m) => typeof m?.id === 'string')?.id;
  if (typeof id !== 'string') throw new Error(`${baseUrl}/models lists no model: name one with --model-name`);
  return id;
}

function requestBody(model: string, q: ModelQuery, mode: Mode): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    temperature: 0,
    messages: [
      { role: 'system', content: q.system },
      { role: 'user', content: q.user },
    ],
  };
  if (mode === 'tool') {
    body.tools = [{ type: 'function', function: { name: q.tool.name, description: q.tool.description, parameters: q.tool.inputSchema } }];
    body.tool_choice = { type: 'function', function: { name: q.tool.name } };
  } else if (mode === 'json_schema') {
    body.response_format = { type: 'json_schema', json_schema: { name: q.tool.name, schema: q.tool.inputSchema } };
  }
  return body;
}

interface ChatMessage {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: Array<{ function?: { name?: unknown; arguments?: unknown } }>;
}

/** The answer in a chat completion: the tool call's arguments, else the text; a refusal or nothing is an error. */
function answerOf(body: unknown, toolName: string): unknown {
  const message = (body as { choices?: Array<{ message?: ChatMessage }> })?.choices?.[0]?.message;
  if (!message || typeof message !== 'object') throw new Error('the answer has no message (not an OpenAI-compatible chat completion)');
  const call = message.tool_calls?.find((c) => c?.function?.name === toolName) ?? message.tool_calls?.[0];
  const args = call?.function?.arguments;
  if (typeof args === 'string' || (args && typeof args === 'object')) return args;
  if (typeof message.refusal === 'string' && message.refusal.trim()) throw new Error(`the model refused: "${shorten(message.refusal, 80)}"`);
  if (typeof message.content === 'string' && message.content.trim()) return message.content;
  throw new Error('the model gave an empty answer');
}

export function openAiAsk(options: OpenAiClientOptions): AskModel {
  const fetchImpl = options.fetch ?? fetch;
  const url = `${options.baseUrl}/chat/completions`;
  let mode = 0;
  return async (q) => {
    for (;;) {
      try {
        const body = await request(fetchImpl, url, requestBody(options.model, q, MODES[mode]), options.timeoutMs);
        return answerOf(body, q.tool.name);
      } catch (err) {
        if (err instanceof HttpError && UNSUPPORTED.has(err.status) && mode < MODES.length - 1) {
          mode++;
          continue;
        }
        throw err;
      }
    }
  };
}
