/**
 * "Evaluate Suggestions" (`misconduct.evaluateSuggestions`): each source of suggestions scored
 * against the team's annotations of the articles marked done, by the same core as the CLI's
 * `evaluate` (src/core/evaluate.ts), shown as a table in the dashboard with every miss and false
 * positive one click from the article.
 *
 * The language model is scored only from answers remembered from earlier runs of Suggest with
 * Language Model…, or when the user chooses to ask it (which sends the articles). With `{ uri }`
 * (a folder) it asks nothing and shows nothing unless `show: true`; `model` is "none" (default),
 * "cached" or "ask". It returns what it scored.
 */
import * as vscode from 'vscode';
import { doneArticles, DoneArticle } from '../../core/doneArticles';
import { evaluatedLabels, evaluateOfflineSources, EVALUATED_SOURCES, GoldArticle, SourceEvaluation, SourceReport } from '../../core/evaluate';
import { nodeFileSystem } from '../../core/fileSystem';
import { defaultPromptSpec, examplesFor, suggestWithModel, systemPrompt } from '../../core/model';
import { Command, toUri } from '../commands/command';
import { basename } from '../common/names';
import { Config } from '../config';
import { AnswerCache } from './answerCache';
import { chooseModel, lmAsk, modelName, tokenCounter } from './languageModel';

export type ModelMode = 'none' | 'cached' | 'ask';

export interface EvaluationResult {
  /** The folder scored (a URI). */
  folder: string;
  /** Articles marked done, scored. */
  articles: number;
  /** What each source got (gazetteer, rule, gazetteer+rule, learned, then model when scored). */
  sources: SourceReport[];
  /** How the model was scored, when it was: over how many of the articles (those it answered). */
  model?: { name: string; mode: Exclude<ModelMode, 'none'>; scored: number };
  /** One line per article the model could not be scored on, or could not be read. */
  problems: string[];
}

interface EvaluateArgs {
  uri?: vscode.Uri | string;
  model?: ModelMode;
  show?: boolean;
}

/** Asks no model: every question is a miss of the cache (so the cache answers, or the article is left out). */
const NOT_ASKED = () => Promise.reject(new Error('no remembered answer (run Suggest with Language Model… on it, or choose to ask the model)'));

export class EvaluateSuggestionsCommand implements Command {
  readonly id = 'misconduct.evaluateSuggestions';

  constructor(
    private readonly config: Config,
    private readonly storage: vscode.Uri,
    /** Shows a result in the dashboard (opening it). */
    private readonly show: (result: EvaluationResult) => Promise<void>,
    /** Resolves when the annotations changed a moment ago are on disk. */
    private readonly pendingWrites: () => Promise<void>,
  ) {}

  async execute(arg?: unknown): Promise<EvaluationResult | undefined> {
    const args: EvaluateArgs = arg instanceof vscode.Uri ? { uri: arg } : ((arg as EvaluateArgs | undefined) ?? {});
    const quiet = !!args.uri && !(arg instanceof vscode.Uri);
    const folder = toUri(args.uri) ?? (await this.pickFolder());
    if (!folder) return undefined;
    if (folder.scheme !== 'file') {
      void vscode.window.showErrorMessage('Evaluate Suggestions reads folders on this machine only.');
      return undefined;
    }
    const mode = quiet ? (args.model ?? 'none') : await this.pickMode();
    if (!mode) return undefined;
    await this.pendingWrites();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Evaluating suggestions', cancellable: true },
      (progress, token) => this.evaluate(folder, mode, !quiet, progress, token),
    );
    if (!result) return undefined;
    if (!result.articles) {
      void vscode.window.showInformationMessage(`No article of ${basename(folder)} is marked done: mark the finished articles done (Misconduct: Set Status) to score the suggestions against them.`);
      return result;
    }
    if (!quiet || args.show) await this.show(result);
    return result;
  }

  private async evaluate(
    folder: vscode.Uri,
    mode: ModelMode,
    interactive: boolean,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
  ): Promise<EvaluationResult | undefined> {
    const problems: string[] = [];
    progress.report({ message: 'reading the articles marked done' });
    const done = await doneArticles(nodeFileSystem, folder.fsPath, { walk: { casesFolder: this.config.casesFolder }, onProblem: (line) => problems.push(line) });
    const gold: GoldArticle[] = done.map((a) => ({ file: a.file, text: a.text, annotations: a.sidecar.annotations.filter((s) => !s.orphaned) }));
    const result: EvaluationResult = { folder: folder.toString(), articles: gold.length, sources: [], problems };
    if (!gold.length) return result;
    const labels = evaluatedLabels(gold, this.config.labels);
    progress.report({ message: `scoring the built-in sources on ${gold.length} articles` });
    const evaluations = evaluateOfflineSources(gold, EVALUATED_SOURCES, labels, this.config.labels);
    if (mode !== 'none') {
      const scored = await this.scoreModel(done, gold, labels, mode, interactive, progress, token, problems);
      if (token.isCancellationRequested) return undefined;
      if (scored) {
        evaluations.push(scored.evaluation);
        result.model = { name: scored.name, mode, scored: scored.count };
      }
    }
    result.sources = evaluations.map((e) => e.report());
    return result;
  }

  /** The model's row: each article asked (or answered from the cache) with examples from the other done articles. */
  private async scoreModel(
    done: readonly DoneArticle[],
    gold: readonly GoldArticle[],
    labels: readonly string[],
    mode: Exclude<ModelMode, 'none'>,
    interactive: boolean,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
    problems: string[],
  ): Promise<{ evaluation: SourceEvaluation; name: string; count: number } | undefined> {
    const model = await chooseModel(this.config.modelSelector, interactive);
    if (!model) return undefined;
    const name = modelName(model);
    const cache = new AnswerCache(this.storage);
    const evaluation = new SourceEvaluation('model', labels);
    const specFor = (a: DoneArticle) => defaultPromptSpec(examplesFor(done, a.file));
    const countTokens = await tokenCounter(model, systemPrompt(specFor(done[0])), token);
    let count = 0;
    for (const [i, a] of done.entries()) {
      if (token.isCancellationRequested) return undefined;
      progress.report({ message: `${mode === 'ask' ? 'asking' : 'reading the remembered answers of'} ${name}: ${i + 1} of ${done.length}` });
      const asking = await cache.wrap(mode === 'ask' ? lmAsk(model, token) : NOT_ASKED, a.text, name, { anyInstructions: mode === 'cached' });
      const s = await suggestWithModel(a.text, { spec: specFor(a), ask: asking.ask, maxInputTokens: model.maxInputTokens, countTokens });
      // an article answered in part would count its unasked parts as misses: left out whole
      if (s.errors.length) {
        problems.push(`${a.relativePath}: ${s.errors[0]}`);
        continue;
      }
      evaluation.add(gold[i], s.spans);
      count++;
    }
    return { evaluation, name, count };
  }

  private async pickFolder(): Promise<vscode.Uri | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) {
      void vscode.window.showInformationMessage('Open a folder of articles to evaluate the suggestions against its finished articles.');
      return undefined;
    }
    if (folders.length === 1) return folders[0].uri;
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Evaluate the suggestions against the finished articles of which folder?' }))?.uri;
  }

  private async pickMode(): Promise<ModelMode | undefined> {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Built-in sources, and the language model from remembered answers', detail: 'Gazetteer, rules and learned phrases; the model only on articles it answered before (nothing is sent).', mode: 'cached' as const },
        { label: 'Built-in sources only', detail: 'Gazetteer, rules and learned phrases.', mode: 'none' as const },
        { label: 'Built-in sources, and ask the language model', detail: 'Sends each finished article to the model you choose (answers are remembered).', mode: 'ask' as const },
      ],
      { placeHolder: 'Score which suggestion sources against the articles marked done?' },
    );
    return pick?.mode;
  }
}
