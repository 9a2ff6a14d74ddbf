/**
 * Compare mode and adjudication: `registerCompare` wires the controller, its commands and the
 * lightbulb. See compareController.ts for what is drawn, compareCommands.ts for the arguments.
 */
import * as vscode from 'vscode';
import { registerCommands } from '../commands/command';
import type { AfterActivation, Later } from '../common/afterActivation';
import { Targets } from '../commands/target';
import { ContextKeyService } from '../common/contextKeys';
import { AnnotationStatusBar } from '../editor/statusBar';
import { ARTICLE_SELECTOR } from '../store/articleMatcher';
import { ArticleStore } from '../store/articleStore';
import {
  CompareWithCommand,
  DisagreementCodeActions,
  GoToDisagreementCommand,
  ResolveDisagreementCommand,
  StopComparingCommand,
} from './compareCommands';
import { ResolveCaseDisagreementCommand } from './caseCommands';
import { CompareCaseRecordsCommand } from './caseAgreementReport';
import type { Config } from '../config';
import { CompareController } from './compareController';

export type { ArticleComparison, CaseSpan, CompareApi, CompareCaseDisagreement, CompareCluster, OtherArticle, TheirSpan } from './compareController';
export type { ClusterArgs, Resolution } from './compareCommands';
export type { CaseArgs, CaseChoice } from './caseCommands';

export interface CompareDeps {
  store: ArticleStore;
  keys: ContextKeyService;
  statusBar: AnnotationStatusBar;
  targets: Targets;
  config: Config;
}

/**
 * Registers compare mode's commands now; the controller and its lightbulb are built after
 * activation, or by the first command (nothing is compared until "Compare With…" runs).
 */
export function registerCompare(context: vscode.ExtensionContext, deps: CompareDeps, later: AfterActivation): Later<CompareController> {
  const controller = later.defer(() => {
    const built = new CompareController(deps.store, deps.keys, deps.statusBar);
    context.subscriptions.push(
      built,
      vscode.languages.registerCodeActionsProvider(ARTICLE_SELECTOR, new DisagreementCodeActions(built), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    return built;
  });
  const caseRecords = new CompareCaseRecordsCommand(controller, deps.config);
  context.subscriptions.push(
    caseRecords,
    registerCommands([
      new CompareWithCommand(controller, deps.targets),
      caseRecords,
      new StopComparingCommand(controller),
      new GoToDisagreementCommand('misconduct.nextDisagreement', controller, deps.targets, 1),
      new GoToDisagreementCommand('misconduct.previousDisagreement', controller, deps.targets, -1),
      new ResolveDisagreementCommand('acceptTheirs', controller, deps.targets),
      new ResolveDisagreementCommand('keepMine', controller, deps.targets),
      new ResolveDisagreementCommand('keepBoth', controller, deps.targets),
      new ResolveDisagreementCommand('removeBoth', controller, deps.targets),
      new ResolveCaseDisagreementCommand(controller, deps.targets),
    ]),
  );
  return controller;
}
