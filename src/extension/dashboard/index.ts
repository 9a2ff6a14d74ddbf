/**
 * The corpus dashboard: `misconduct.showDashboard` opens a webview with progress, annotations per
 * label, the forces most often named and allegation × sanction, over the first workspace folder.
 */
import * as vscode from 'vscode';
import { Command, registerCommands } from '../commands/command';
import type { Config } from '../config';
import { DashboardController } from './dashboardPanel';

export interface DashboardApi {
  panel(): vscode.WebviewPanel | undefined;
  lastStats(): unknown;
}

export class ShowDashboardCommand implements Command {
  readonly id = 'misconduct.showDashboard';
  constructor(private readonly controller: DashboardController) {}
  /** Resolves with the numbers shown (undefined without a workspace folder or when cancelled). */
  execute(): Promise<unknown> {
    return this.controller.show();
  }
}

export function registerDashboard(context: vscode.ExtensionContext, config?: Config): DashboardApi {
  const controller = new DashboardController(context.extensionUri, () => new Map((config?.labels ?? []).map((l) => [l.name, l.color])));
  context.subscriptions.push(controller, registerCommands([new ShowDashboardCommand(controller)]));
  return { panel: () => controller.panel(), lastStats: () => controller.lastStats() };
}
