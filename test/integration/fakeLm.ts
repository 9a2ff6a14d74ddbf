/** Scripting the fake language model the harness installs (test/fixtures/fake-lm-provider). */
import * as vscode from 'vscode';
import type { MadeSuggestion } from '../../src/extension/model/suggestWithModelCommand';
import { api, newArticle } from './helpers';

export const FAKE_MODEL = 'misconduct-fake/fake-model';

export interface Step {
  tool?: unknown;
  text?: string;
  error?: string;
  hang?: boolean;
  quoting?: Array<{ label: string; quote: string }>;
}

/** The answers of the next requests (the last step repeats); resets what was asked. */
export async function script(steps: Step[], more: { models?: string[]; maxInputTokens?: number } = {}): Promise<void> {
  await vscode.commands.executeCommand('misconductFakeLm.script', { steps, ...more });
}

/** What the model was asked since the last `script`. */
export async function requests(): Promise<Array<{ model: string; messages: string[]; tools: string[]; toolMode: unknown }>> {
  return (await vscode.commands.executeCommand('misconductFakeLm.requests')) as never;
}

let runs = 0;

/** An article whose text no earlier run has seen (answers are cached by text). */
export async function article(body: string) {
  return newArticle(`${body}\nRun ${process.pid}-${runs++}.\n`);
}

/** Misconduct: Suggest with Language Model… on a file or folder, without UI. */
export function suggest(uri: vscode.Uri | string, token?: vscode.CancellationToken): Thenable<MadeSuggestion[]> {
  return vscode.commands.executeCommand<MadeSuggestion[]>('misconduct.suggestWithModel', { uri: uri.toString(), ...(token ? { token } : {}) });
}

/** The model's suggestions on offer in an article. */
export async function offered(session: Awaited<ReturnType<typeof newArticle>>['session']) {
  const { suggestions } = await api();
  return suggestions.model(session).visible().filter((s) => s.source === 'model');
}
