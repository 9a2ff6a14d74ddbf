/**
 * "Suggest with Language Model…" (`misconduct.suggestWithModel`): asks a language model for the
 * active article (or its selection), or every article of a folder, and adds what it suggests to
 * the article's suggestions (source "model"), to accept or reject like the others.
 *
 * Nothing is sent except here, on the user's command. Cancellable (the token reaches the model's
 * request); resumable (answered questions come from the cache). With `{ uri }` (a file or a folder)
 * it runs without asking anything and returns the suggestions it made; a `token` (a
 * CancellationToken, from another extension or a test) stops it like the Cancel button.
 */
import * as vscode from 'vscode';
import type { DoneArticle } from '../../core/doneArticles';
import { nodeFileSystem } from '../../core/fileSystem';
import { defaultPromptSpec, examplePool, examplesFor, ModelSpanSuggestion, ModelSuggestions, suggestWithModel, systemPrompt } from '../../core/model';
import { OffsetMap } from '../../core/offsets';
import { Command, parseArgs, toUri } from '../commands/command';
import { Targets } from '../commands/target';
import { basename } from '../common/names';
import { Config } from '../config';
import { ArticleSession } from '../store/articleSession';
import { Suggestion } from '../suggestions/detection';
import { ModelField, ModelRelation } from '../suggestions/modelResults';
import { SuggestionController } from '../suggestions/suggestionController';
import { AnswerCache } from './answerCache';
import { chooseModel, lmAsk, modelName, tokenCounter } from './languageModel';

/** A suggestion the command made, as it returns them (offsets in code points). */
export type MadeSuggestion = Omit<ModelSpanSuggestion, 'method' | 'similarity'> & { uri: string; source: 'model'; model: string };

/** What a run has done so far (what it returns and says when it ends). */
interface Run {
  model: vscode.LanguageModelChat;
  name: string;
  made: MadeSuggestion[];
  problems: string[];
  /** Answers taken from the cache. */
  cached: number;
  /** Articles asked about to the end. */
  done: number;
}

interface Job {
  uri: vscode.Uri;
  /** The part asked about, in editor offsets (the selection); undefined: the whole article. */
  range?: [number, number];
}

export class SuggestWithModelCommand implements Command {
  readonly id = 'misconduct.suggestWithModel';

  constructor(
    private readonly targets: Targets,
    private readonly config: Config,
    private readonly controller: SuggestionController,
    private readonly storage: vscode.Uri,
  ) {}

  async execute(arg?: unknown): Promise<MadeSuggestion[]> {
    const args = parseArgs(arg);
    const outer = (arg as { token?: vscode.CancellationToken } | undefined)?.token;
    const given = toUri(args.uri);
    const jobs = given ? await this.jobsFor(given) : this.activeJob();
    if (!jobs) return [];
    if (!jobs.length) {
      void vscode.window.showInformationMessage(`There are no articles in ${basename(given!)} (see the "misconduct.articles" setting).`);
      return [];
    }
    const model = await chooseModel(this.config.modelSelector, !given);
    if (!model) return [];
    const run: Run = { model, name: modelName(model), made: [], problems: [], cached: 0, done: 0 };
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Suggesting with ${model.name}`, cancellable: true },
      async (progress, shown) => {
        const source = new vscode.CancellationTokenSource();
        const stops = [shown.onCancellationRequested(() => source.cancel()), outer?.onCancellationRequested?.(() => source.cancel())];
        if (outer?.isCancellationRequested) source.cancel();
        try {
          return await this.runJobs(jobs, run, progress, source.token);
        } finally {
          stops.forEach((d) => d?.dispose());
          source.dispose();
        }
      },
    );
    this.summarise(run, jobs.length, cancelled);
    return run.made;
  }

  /** Asks about each job in turn; true when cancelled before the end. */
  private async runJobs(jobs: Job[], run: Run, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<boolean> {
    const cache = new AnswerCache(this.storage);
    const pools = new Map<string, Promise<DoneArticle[]>>();
    const specFor = async (uri: vscode.Uri) => defaultPromptSpec(uri.scheme === 'file' ? examplesFor(await this.pool(uri, pools), uri.fsPath) : []);
    const countTokens = await tokenCounter(run.model, systemPrompt(await specFor(jobs[0].uri)), token);
    for (const job of jobs) {
      if (token.isCancellationRequested) return true;
      progress.report({ message: `${run.done + 1} of ${jobs.length}: ${basename(job.uri)} (${run.made.length} suggestions so far)`, increment: 100 / jobs.length });
      const session = await this.targets.session({ uri: job.uri }, true);
      if (!session || session.state.kind !== 'ok') {
        run.problems.push(`${basename(job.uri)}: not an article that can be annotated`);
        continue;
      }
      const doc = session.document;
      const [from, to] = job.range ?? [0, doc.getText().length];
      const text = doc.getText().slice(from, to);
      const asking = await cache.wrap(lmAsk(run.model, token), text, run.name);
      const result = await suggestWithModel(text, { spec: await specFor(job.uri), ask: asking.ask, maxInputTokens: run.model.maxInputTokens, countTokens });
      run.cached += asking.cached();
      if (token.isCancellationRequested) return true;
      for (const e of result.errors) run.problems.push(`${basename(job.uri)}: ${e}`);
      run.made.push(...this.add(session, from, text, result, run.name));
      run.done++;
    }
    return false;
  }

  /** The finished articles of the job's workspace folder that examples are taken from, read once per run. */
  private pool(uri: vscode.Uri, pools: Map<string, Promise<DoneArticle[]>>): Promise<DoneArticle[]> {
    const root = vscode.workspace.getWorkspaceFolder(uri);
    if (!root || root.uri.scheme !== 'file') return Promise.resolve([]);
    const key = root.uri.toString();
    let pool = pools.get(key);
    // an unreadable corpus asks without examples rather than not at all
    if (!pool) pools.set(key, (pool = examplePool(nodeFileSystem, root.uri.fsPath, { casesFolder: this.config.casesFolder }).catch(() => [])));
    return pool;
  }

  /**
   * Turns the model's spans into suggestions of the article (editor offsets), keeps its relations
   * and form values beside them, and returns the spans in code points.
   */
  private add(session: ArticleSession, from: number, text: string, result: ModelSuggestions, model: string): MadeSuggestion[] {
    const doc = session.document;
    const part = new OffsetMap(text);
    const whole = new OffsetMap(doc.getText());
    const at = (cp: number) => from + part.toUtf16(cp);
    const suggestions: Suggestion[] = result.spans.map((s) => ({
      start: at(s.start),
      end: at(s.end),
      category: s.label,
      type: '',
      text: s.text,
      source: 'model',
      model,
      reason: s.reason ?? '',
    }));
    const end = (i: number) => ({ start: suggestions[i].start, end: suggestions[i].end, label: suggestions[i].category, text: suggestions[i].text });
    const relations: ModelRelation[] = result.relations.map((r) => ({ label: r.label, from: end(r.from), to: end(r.to), model }));
    const fields: ModelField[] = result.fields.map((f) => ({
      field: f.field,
      value: f.value,
      model,
      ...(f.quote !== undefined ? { quote: f.quote } : {}),
      ...(f.start !== undefined && f.end !== undefined ? { start: at(f.start), end: at(f.end) } : {}),
    }));
    this.controller.addModelSuggestions(session, model, suggestions, relations, fields);
    return suggestions.map((s, i) => ({
      uri: session.uri.toString(),
      start: whole.toCodePoint(s.start),
      end: whole.toCodePoint(s.end),
      label: s.category,
      text: s.text,
      quote: result.spans[i].quote,
      ...(s.reason ? { reason: s.reason } : {}),
      source: 'model',
      model,
    }));
  }

  private summarise({ made, done, cached, problems }: Run, total: number, cancelled: boolean): void {
    const count = made.length;
    const what = `${count} suggestion${count === 1 ? '' : 's'} from the language model in ${done} of ${total} article${total === 1 ? '' : 's'}`;
    const fromCache = cached ? ` (${cached} answer${cached === 1 ? '' : 's'} remembered from an earlier run)` : '';
    if (cancelled) {
      void vscode.window.showInformationMessage(`Stopped: ${what}${fromCache}. Run it again to continue; the answers so far are kept.`);
    } else if (problems.length) {
      void vscode.window.showWarningMessage(`${what}${fromCache}. ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems[0]}${problems.length > 1 ? ' …' : ''}`);
    } else {
      void vscode.window.showInformationMessage(`${what}${fromCache}. Hover one to see why; accept or reject them like the others.`);
    }
  }

  /** The active article, or its selection when there is one; undefined (having said why) when none. */
  private activeJob(): Job[] | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open an article, or choose a folder in the Explorer, to suggest annotations with a language model.');
      return undefined;
    }
    const sel = editor.selection;
    const range: [number, number] | undefined = sel.isEmpty ? undefined : [editor.document.offsetAt(sel.start), editor.document.offsetAt(sel.end)];
    return [{ uri: editor.document.uri, range }];
  }

  /** The article `uri`, or every article under it when it is a folder (in path order). */
  private async jobsFor(uri: vscode.Uri): Promise<Job[] | undefined> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showErrorMessage(`${basename(uri)} cannot be read.`);
      return undefined;
    }
    if (!(stat.type & vscode.FileType.Directory)) return [{ uri }];
    const seen = new Map<string, vscode.Uri>();
    for (const glob of this.config.articleGlobs) {
      for (const found of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, glob), '**/node_modules/**')) seen.set(found.toString(), found);
    }
    return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((u) => ({ uri: u }));
  }
}
