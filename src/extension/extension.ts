/**
 * Composition root: builds the services, registers every command, and pushes every disposable.
 * No logic lives here; each piece is a small adapter over the pure core in src/core.
 */
import * as vscode from 'vscode';
import { ChangeLabelCommand, EditNoteCommand, RemoveAnnotationCommand, TagCommand, UndoAnnotationCommand, prepareTagging } from './commands/tagCommands';
import { LinkAnnotationsCommand, UnlinkAnnotationsCommand } from './commands/relationCommands';
import {
  GoToAnnotationCommand,
  ListOrphansCommand,
  OpenSidecarCommand,
  ReloadAnnotationsCommand,
  WriteBackAnnotationsCommand,
  RevealAnnotationCommand,
  ToggleHighlightsCommand,
} from './commands/navigationCommands';
import { registerCommands } from './commands/command';
import { Targets } from './commands/target';
import { Config } from './config';
import { ContextKeyService } from './common/contextKeys';
import { ArticleLanguage } from './editor/articleLanguage';
import { Highlighter } from './editor/highlighter';
import { AnnotationHoverProvider } from './editor/hover';
import { AnnotationStatusBar } from './editor/statusBar';
import { ARTICLE_SELECTOR, ArticleMatcher } from './store/articleMatcher';
import { ArticleStore } from './store/articleStore';
import { Notifier } from './store/notifier';
import { AcceptAllSuggestionsCommand, AcceptSuggestionCommand, RejectSuggestionCommand } from './suggestions/suggestionCommands';
import { CorpusLearning } from './suggestions/learning';
import { SuggestionController } from './suggestions/suggestionController';
import { SuggestionHoverProvider } from './suggestions/suggestionHover';
import { suggestionSource } from './suggestions/suggestionView';
import { TagAllOccurrencesCommand } from './suggestions/tagAllOccurrences';
import { SuggestWithModelCommand } from './model/suggestWithModelCommand';
import { EvaluateSuggestionsCommand } from './model/evaluateSuggestionsCommand';
import type { AnnotationsTreeProvider } from './views/annotationsTree';
import { registerViews, ViewsApi } from './views';
import { AfterActivation } from './common/afterActivation';
import { whenIdle } from './common/scheduling';
import { ExportDatasetCommand } from './commands/exportCommand';
import { ImportArticlesCommand } from './commands/importCommand';
import { CaseRecordsApi, registerCaseRecords } from './caseRecords';
import { SetUpGitMergingCommand } from './commands/gitSetupCommand';
import { AuthorPrompt, ConfigureLabelsCommand, OpenSamplesCommand, SetAuthorCommand } from './commands/setupCommands';
import { CompareApi, registerCompare } from './compare';
import { disagreementSource } from './compare/disagreementSource';
import { DashboardApi, registerDashboard } from './dashboard';
import { CasesApi, registerCases } from './cases';
import { reportActivation, startDevProfile } from './devProfile';

/** What `activate` returns: used by the integration tests and open to other extensions. */
export interface MisconductApi {
  store: ArticleStore;
  highlighter: Highlighter;
  suggestions: SuggestionController;
  /** The sidebar (built after activation; reading it builds it at once). */
  readonly views: ViewsApi;
  /** Compare mode (another annotator's set) and adjudication (built like `views`). */
  readonly compare: CompareApi;
  /** The corpus dashboard (webview). */
  dashboard: DashboardApi;
  /** The Case view (the active article's coding form) and misconduct.setDocumentField. */
  cases: CasesApi;
  /** Case records: the Case record editor. */
  caseRecords: CaseRecordsApi;
  config: Config;
}

export function activate(context: vscode.ExtensionContext): MisconductApi {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const profile = startDevProfile();
  if (profile) context.subscriptions.push(profile);
  const config = new Config();
  const keys = new ContextKeyService();
  const matcher = new ArticleMatcher(config);
  const store = new ArticleStore(config, matcher, new Notifier());
  activeStore = store;
  const highlighter = new Highlighter(store, config, keys);
  const targets = new Targets(store);
  const statusBar = new AnnotationStatusBar(store);
  const learning = new CorpusLearning(store);
  const suggestions = new SuggestionController(store, config, keys, learning);
  const exporter = new ExportDatasetCommand(config);
  const importer = new ImportArticlesCommand();
  // the suggestions already computed: the status bar never starts a detection pass of its own
  statusBar.suggestionCount = (session) => suggestions.offeredCount(session);

  context.subscriptions.push(
    config,
    store,
    highlighter,
    statusBar,
    learning,
    suggestions,
    exporter,
    importer,
    prepareTagging(store),
    new ArticleLanguage(matcher, (d) => store.open(d)),
    suggestions.onDidChange((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && statusBar.update()),
    registerCommands([
      new TagCommand('misconduct.tagSelection', targets, config),
      new TagCommand('misconduct.tagForce', targets, config, 'force'),
      new TagCommand('misconduct.tagAllegation', targets, config, 'allegation'),
      new TagCommand('misconduct.tagSanction', targets, config, 'sanction'),
      new TagCommand('misconduct.tagOfficer', targets, config, 'officer'),
      new RemoveAnnotationCommand(targets),
      new LinkAnnotationsCommand(targets, config),
      new UnlinkAnnotationsCommand(targets),
      new ChangeLabelCommand(targets, config),
      new EditNoteCommand(targets),
      new GoToAnnotationCommand('misconduct.nextAnnotation', targets, 1),
      new GoToAnnotationCommand('misconduct.previousAnnotation', targets, -1),
      new ToggleHighlightsCommand(highlighter),
      new UndoAnnotationCommand('misconduct.undoAnnotation', targets, false),
      new UndoAnnotationCommand('misconduct.redoAnnotation', targets, true),
      new RevealAnnotationCommand(targets),
      new OpenSidecarCommand(targets),
      new ReloadAnnotationsCommand(targets, store),
      new WriteBackAnnotationsCommand(targets, store),
      new ListOrphansCommand(targets),
      new AcceptSuggestionCommand(suggestions, targets),
      new AcceptAllSuggestionsCommand(suggestions, targets),
      new RejectSuggestionCommand(suggestions, targets),
      new SuggestWithModelCommand(targets, config, suggestions, context.globalStorageUri),
      exporter,
      importer,
      new SetUpGitMergingCommand(context.extensionPath),
      new TagAllOccurrencesCommand(store, config),
      new ConfigureLabelsCommand(config),
      new SetAuthorCommand(config),
      new OpenSamplesCommand(context.extensionUri),
    ]),
    new AuthorPrompt(store, config, context.globalState),
  );

  // context keys for keybindings: is the active editor an article, can its annotations undo/redo
  const updateKeys = () => {
    const editor = vscode.window.activeTextEditor;
    const session = editor && store.get(editor.document.uri);
    keys.set('isArticle', !!session);
    keys.set('canUndoAnnotation', !!session?.doc.canUndo);
    keys.set('canRedoAnnotation', !!session?.doc.canRedo);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateKeys),
    store.onDidChangeSession(updateKeys),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) updateKeys();
    }),
  );
  updateKeys();

  // what VS Code asks for only later: built on the next task (see common/afterActivation.ts)
  const later = new AfterActivation();
  context.subscriptions.push(later);
  const compare = registerCompare(context, { store, keys, statusBar, targets, config }, later);
  const extend = (annotations: AnnotationsTreeProvider) => {
    annotations.setSuggestionSource(suggestionSource(suggestions, store));
    annotations.setDisagreementSource(disagreementSource(compare()));
  };
  const views = registerViews(context, { store, config, keys, extend }, later);
  const dashboard = registerDashboard(context, config, () => store.flushAll());
  context.subscriptions.push(registerCommands([new EvaluateSuggestionsCommand(config, context.globalStorageUri, (result) => dashboard.showEvaluation(result), () => store.flushAll())]));
  const cases = registerCases(context, { store, config, targets, modelResults: suggestions.modelResults }, later);
  const caseRecords = registerCaseRecords(context, { store, config, targets, keys }, later);
  // the Corpus view and the learner both read every sidecar: a view that is showing reads first
  later.defer(() => context.subscriptions.push(whenIdle(() => void views().corpus.idle().then(() => learning.start()), 'afterViews')));
  later.defer(() =>
    context.subscriptions.push(
      vscode.languages.registerCodeActionsProvider(ARTICLE_SELECTOR, suggestions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      // VS Code shows the hover of the provider registered last first: the annotation's, then the suggestion's
      vscode.languages.registerHoverProvider(ARTICLE_SELECTOR, new SuggestionHoverProvider(suggestions, store)),
      vscode.languages.registerHoverProvider(ARTICLE_SELECTOR, new AnnotationHoverProvider(store, (session, id) => suggestions.modelResults.offeredAt(session, id))),
    ),
  );
  later.start();

  reportActivation(started, cpuStarted, context.extensionPath);
  return {
    store,
    highlighter,
    suggestions,
    get views() {
      return views();
    },
    get compare() {
      return compare();
    },
    dashboard,
    cases,
    caseRecords,
    config,
  };
}

/** The store of the running extension, so `deactivate` can flush it. */
let activeStore: ArticleStore | undefined;

/**
 * VS Code waits for the returned promise before it stops the extension host: every queued or
 * pending sidecar write lands first (a tag made just before the window closes is on disk).
 */
export async function deactivate(): Promise<void> {
  const store = activeStore;
  activeStore = undefined;
  await store?.flushAll();
}
