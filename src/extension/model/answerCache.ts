/**
 * A model's answers, kept in the extension's storage (never beside the articles) by article text,
 * model and prompt version, so a run stopped half-way or run again asks only what it has not asked.
 * One file per (article sha256, model, PROMPT_VERSION), holding the answers by question, and by the
 * part of the article asked about (for Evaluate Suggestions, whose examples may differ).
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { AskModel, ModelQuery, parseAnswer, PROMPT_VERSION } from '../../core/model';

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export class AnswerCache {
  constructor(private readonly folder: vscode.Uri) {}

  private fileFor(articleText: string, model: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, 'model-answers', `${sha256(`${sha256(articleText)}\u0000${model}\u0000${PROMPT_VERSION}`)}.json`);
  }

  private async read(file: vscode.Uri): Promise<Map<string, unknown>> {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
      const answers = (parsed as { answers?: unknown })?.answers;
      if (!answers || typeof answers !== 'object') return new Map();
      // keys are our hashes; anything else in a damaged file is ignored
      return new Map(Object.entries(answers as Record<string, unknown>).filter(([k]) => /^[0-9a-f]{64}$/.test(k)));
    } catch {
      return new Map();
    }
  }

  /**
   * `ask`, answering from the cache when this question about this article was answered before.
   * `anyInstructions`: also when only the part of the article asked about is the same (the
   * examples in the instructions differed): how Evaluate Suggestions reads what was remembered.
   */
  async wrap(ask: AskModel, articleText: string, model: string, options: { anyInstructions?: boolean } = {}): Promise<{ ask: AskModel; cached: () => number }> {
    const file = this.fileFor(articleText, model);
    const answers = await this.read(file);
    let hits = 0;
    const wrapped: AskModel = async (query: ModelQuery) => {
      const key = sha256(`${query.system}\u0000${query.user}`);
      // the same part of the article under any instructions (kept beside each answer)
      const partKey = sha256(`\u0001${query.user}`);
      const known = answers.has(key) ? key : options.anyInstructions && answers.has(partKey) ? partKey : undefined;
      if (known) {
        hits++;
        return answers.get(known);
      }
      const answer = await ask(query);
      // a malformed answer is asked again next time (the model may do better)
      if (parseAnswer(answer).ok) {
        answers.set(key, answer);
        answers.set(partKey, answer);
        await this.write(file, model, answers);
      }
      return answer;
    };
    return { ask: wrapped, cached: () => hits };
  }

  private async write(file: vscode.Uri, model: string, answers: Map<string, unknown>): Promise<void> {
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
      const body = JSON.stringify({ prompt: PROMPT_VERSION, model, answers: Object.fromEntries(answers) });
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(body));
    } catch {
      // an answer not cached is asked again next time: nothing is lost
    }
  }
}
