/**
 * The case feature: the Case view (the active article's coding form, in the sidebar) and
 * `misconduct.setDocumentField`. Registering costs a provider object (given to VS Code after
 * activation); the webview is built when VS Code first shows the view.
 */
import * as vscode from 'vscode';
import { registerCommands } from '../commands/command';
import type { AfterActivation } from '../common/afterActivation';
import type { Targets } from '../commands/target';
import type { Config } from '../config';
import type { ArticleStore } from '../store/articleStore';
import type { ModelResults } from '../suggestions/modelResults';
import { CASE_VIEW_ID, CaseViewProvider } from './caseView';
import type { CaseState } from './protocol';
import { SetDocumentFieldCommand } from './setDocumentField';

export type { CaseState, FieldView } from './protocol';

/** On `MisconductApi.cases` (the integration tests read the view's state through it). */
export interface CasesApi {
  /** What the view shows for the active editor now. */
  state(): CaseState;
  /** The state last posted to the webview (undefined until it was shown). */
  lastState(): CaseState | undefined;
  onDidPost: vscode.Event<CaseState>;
  webviewView(): vscode.WebviewView | undefined;
  violations(): readonly string[];
}

export function registerCases(
  context: vscode.ExtensionContext,
  deps: { store: ArticleStore; config: Config; targets: Targets; modelResults?: ModelResults },
  later: AfterActivation,
): CasesApi {
  const provider = new CaseViewProvider(context.extensionUri, deps.store, deps.config, deps.modelResults);
  context.subscriptions.push(provider, registerCommands([new SetDocumentFieldCommand(deps.targets, deps.config)]));
  // VS Code keeps a shown view waiting until its provider is registered
  later.defer(() => context.subscriptions.push(vscode.window.registerWebviewViewProvider(CASE_VIEW_ID, provider)));
  return {
    state: () => provider.state(),
    lastState: () => provider.lastState(),
    onDidPost: provider.onDidPost,
    webviewView: () => provider.webviewView(),
    violations: () => provider.violations(),
  };
}
