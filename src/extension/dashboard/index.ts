/**
 * The corpus dashboard: `misconduct.showDashboard` opens a webview with progress, annotations per
 * label, the forces most often named and allegation × sanction, over the first workspace folder.
 * The panel's code (dashboardPanel.ts and what only it uses) is built into a file of its own
 * (scripts/build.mjs, LAZY), loaded the first time the dashboard opens: activation registers the
 * command alone.
 */
import * as vscode from 'vscode';
import { Command, registerCommands } from '../commands/command';
import type { Config } from '../config';
import type { EvaluationResult } from '../model/evaluateSuggestionsCommand';
import { DashboardController } from './dashboardPanel';
import type { EvaluationView } from './protocol';

export interface DashboardApi {
  panel(): vscode.WebviewPanel | undefined;
  lastStats(): unknown;
  /** What the evaluation section shows (Evaluate Suggestions), once it ran. */
  lastEvaluation(): EvaluationView | undefined;
  /** Opens the dashboard with an evaluation's table (loads the panel's code). */
  showEvaluation(result: EvaluationResult): Promise<void>;
}

class ShowDashboardCommand implements Command {
  readonly id = 'misconduct.showDashboard';
  constructor(private readonly controller: () => DashboardController) {}
  /** Resolves with the numbers shown (undefined without a workspace folder or when cancelled). */
  execute(): Promise<unknown> {
    return this.controller().show();
  }
}

/**
 * `pendingWrites`: resolves when the annotations changed a moment ago are on disk (the store's
 * flushAll), so the numbers count the tag just made.
 */
export function registerDashboard(context: vscode.ExtensionContext, config?: Config, pendingWrites: () => Promise<void> = async () => {}): DashboardApi {
  let controller: DashboardController | undefined;
  // made when the dashboard first opens, so activation does not load the panel's code
  const open = () => {
    if (controller) return controller;
    controller = new DashboardController(context.extensionUri, () => new Map((config?.labels ?? []).map((l) => [l.name, l.color])), pendingWrites);
    context.subscriptions.push(controller);
    return controller;
  };
  context.subscriptions.push(registerCommands([new ShowDashboardCommand(open)]));
  return {
    panel: () => controller?.panel(),
    lastStats: () => controller?.lastStats(),
    lastEvaluation: () => controller?.lastEvaluation(),
    showEvaluation: (result) => open().showEvaluation(result),
  };
}
