/**
 * The core's `AskModel` over `vscode.lm`: choosing a model (the `misconduct.model` setting, else a
 * QuickPick), asking it with the answer tool forced, and counting tokens with its tokenizer.
 *
 * The tool-calling parts of the API are newer than the `engines.vscode` we declare, so they are
 * reached through the small structural types below and used only when the running VS Code has them.
 */
import * as vscode from 'vscode';
import { AskModel, CountTokens, estimateTokens, ModelQuery } from '../../core/model';
import { ModelSelector } from '../config';

/** What is sent, in the words VS Code shows when it asks the user to allow the request. */
export const JUSTIFICATION =
  'Misconduct Annotator sends the article (or the selected part) with the annotation guidelines, labels and coding form, to suggest annotations you then accept or reject.';

interface ToolCallPart {
  name: string;
  callId: string;
  input: unknown;
}

interface LmApi {
  LanguageModelChatToolMode?: { Required: number };
  LanguageModelToolCallPart?: new (...args: never[]) => ToolCallPart;
}

/** "vendor/id", how suggestions name the model that made them. */
export function modelName(model: vscode.LanguageModelChat): string {
  return `${model.vendor}/${model.id}`;
}

/** The model the setting names, else the one the user picks; undefined (having said why) when none. */
export async function chooseModel(selector: ModelSelector | undefined, interactive: boolean): Promise<vscode.LanguageModelChat | undefined> {
  if (!vscode.lm?.selectChatModels) {
    void vscode.window.showWarningMessage('This version of VS Code cannot talk to language models; the built-in suggestions keep working.');
    return undefined;
  }
  const models = await vscode.lm.selectChatModels(selector ?? {});
  if (!models.length) {
    const what = selector ? `No installed language model matches the misconduct.model setting (${JSON.stringify(selector)}).` : 'No language model is installed.';
    void vscode.window.showInformationMessage(
      `${what} Sign in to GitHub Copilot or install an extension that provides a language model (one for Ollama or llama.cpp keeps everything on your machine), or run the CLI: misconduct-annotate suggest --model <url>. The built-in suggestions keep working.`,
    );
    return undefined;
  }
  if (selector || models.length === 1 || !interactive) return models[0];
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.name, description: modelName(m), detail: `${m.family} · up to ${m.maxInputTokens} input tokens`, model: m })),
    { placeHolder: 'Which language model should suggest annotations? (set misconduct.model to skip this)' },
  );
  return pick?.model;
}

/**
 * A token counter for the core's windows, which counts synchronously: the model's tokenizer on a
 * sample (the instructions), scaled to the estimate, so windows fit its budget without a round trip
 * per piece.
 */
export async function tokenCounter(model: vscode.LanguageModelChat, sample: string, token: vscode.CancellationToken): Promise<CountTokens> {
  const estimated = estimateTokens(sample);
  let ratio = 1;
  try {
    const counted = await model.countTokens(sample, token);
    if (Number.isFinite(counted) && counted > 0 && estimated > 0) ratio = Math.max(0.25, Math.min(4, counted / estimated));
  } catch {
    // the estimate alone
  }
  return (text) => Math.ceil(estimateTokens(text) * ratio);
}

/** Asks `model` one question: the tool call's input when it calls the answer tool, else its text. */
export function lmAsk(model: vscode.LanguageModelChat, token: vscode.CancellationToken): AskModel {
  const api = vscode as unknown as LmApi;
  return async (query: ModelQuery) => {
    if (token.isCancellationRequested) throw new Error('cancelled');
    const messages = [vscode.LanguageModelChatMessage.User(query.system), vscode.LanguageModelChatMessage.User(query.user)];
    const options: Record<string, unknown> = { justification: JUSTIFICATION };
    if (api.LanguageModelChatToolMode) {
      options.tools = [query.tool];
      options.toolMode = api.LanguageModelChatToolMode.Required;
    }
    let response: vscode.LanguageModelChatResponse;
    try {
      response = await model.sendRequest(messages, options as vscode.LanguageModelChatRequestOptions, token);
    } catch (err) {
      throw new Error(describeError(err));
    }
    let text = '';
    try {
      const stream = (response as unknown as { stream?: AsyncIterable<unknown> }).stream ?? response.text;
      for await (const part of stream) {
        if (token.isCancellationRequested) throw new Error('cancelled');
        if (typeof part === 'string') text += part;
        else if (api.LanguageModelToolCallPart && part instanceof api.LanguageModelToolCallPart) {
          if (part.name === query.tool.name) return part.input;
        } else if (part && typeof (part as { value?: unknown }).value === 'string') text += (part as { value: string }).value;
      }
    } catch (err) {
      throw new Error(token.isCancellationRequested ? 'cancelled' : describeError(err));
    }
    if (token.isCancellationRequested) throw new Error('cancelled');
    return text;
  };
}

function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof vscode.LanguageModelError ? ` (${err.code})` : '';
  return `${message.split(/\r?\n/)[0] || 'the request failed'}${code}`;
}
