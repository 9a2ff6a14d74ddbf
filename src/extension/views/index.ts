/**
 * The review sidebar: the "Misconduct Annotator" activity bar container with the Annotations view
 * (the active article) and the Corpus view (every article, with progress). `registerViews` is
 * called once by the composition root; what it returns is exposed on the extension's API.
 */
import * as vscode from 'vscode';
import { registerCommands } from '../commands/command';
import type { AfterActivation, Later } from '../common/afterActivation';
import type { ContextKeyService } from '../common/contextKeys';
import { Config } from '../config';
import { ArticleStore } from '../store/articleStore';
import { AnnotationNode, AnnotationsTreeProvider } from './annotationsTree';
import { CorpusNode, CorpusTreeProvider } from './corpusTree';
import { ClearFilterCommand, FilterAnnotationsCommand, GroupByCommand, MarkStatusCommand, RefreshCorpusCommand } from './viewCommands';
import { ResolveMergeConflictCommand } from './conflictCommands';

export type { AnnotationFilter, AnnotationNode } from './annotationsTree';
export type { ArticleEntry, CorpusNode } from './corpusTree';
export type { SuggestionSource, SuggestionView } from './suggestionSource';

const VIEW_IDS = { container: 'misconduct', annotations: 'misconduct.annotations', corpus: 'misconduct.corpus' } as const;

export interface ViewDeps {
  store: ArticleStore;
  config: Config;
  keys: ContextKeyService;
  /** Called with the Annotations view's provider once it is built (the suggestion and disagreement groups). */
  extend?: (annotations: AnnotationsTreeProvider) => void;
}

/** The sidebar's parts, on `MisconductApi.views` (tests read the trees through it). */
export interface ViewsApi {
  annotations: AnnotationsTreeProvider;
  annotationsView: vscode.TreeView<AnnotationNode>;
  corpus: CorpusTreeProvider;
  corpusView: vscode.TreeView<CorpusNode>;
}

/**
 * Registers the views' commands now and builds the views after activation (or when a command or
 * the API needs them first). A view shown at start-up waits for them: VS Code gives an extension two
 * seconds after activating it before it says a view has no provider.
 */
export function registerViews(context: vscode.ExtensionContext, deps: ViewDeps, later: AfterActivation): Later<ViewsApi> {
  const { store, config } = deps;
  const views = later.defer(() => createViews(context, deps));
  const annotations = () => views().annotations;
  const corpus = () => views().corpus;
  context.subscriptions.push(
    registerCommands([
      new GroupByCommand('misconduct.annotations.toggleGroupBy', config),
      new GroupByCommand('misconduct.annotations.groupByLabel', config, 'label'),
      new GroupByCommand('misconduct.annotations.groupByPosition', config, 'position'),
      new FilterAnnotationsCommand(annotations, config),
      new ClearFilterCommand(annotations),
      new MarkStatusCommand('misconduct.markDone', store, corpus, 'toggle'),
      new MarkStatusCommand('misconduct.markInProgress', store, corpus, 'in_progress'),
      new RefreshCorpusCommand(corpus),
      new ResolveMergeConflictCommand('misconduct.mergeConflict.acceptTheirs', store, 'theirs'),
      new ResolveMergeConflictCommand('misconduct.mergeConflict.keepMine', store, 'mine'),
    ]),
  );
  return views;
}

function createViews(context: vscode.ExtensionContext, deps: ViewDeps): ViewsApi {
  const { store, config } = deps;
  const annotations = new AnnotationsTreeProvider(store, config, deps.keys);
  const annotationsView = vscode.window.createTreeView(VIEW_IDS.annotations, { treeDataProvider: annotations, showCollapseAll: true });
  annotations.attach(annotationsView);
  const corpus = new CorpusTreeProvider(store, config, deps.keys);
  const corpusView = vscode.window.createTreeView(VIEW_IDS.corpus, { treeDataProvider: corpus });
  corpus.attach(corpusView);
  context.subscriptions.push(annotations, annotationsView, corpus, corpusView);
  deps.extend?.(annotations);
  return { annotations, annotationsView, corpus, corpusView };
}
