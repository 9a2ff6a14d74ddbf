/**
 * One class per command, each with its `id` (as in VS Code's markdown extension), registered by
 * the composition root. Commands take optional arguments so tests, keybindings, the sidebar and
 * other extensions can call them without a selection.
 */
import * as vscode from 'vscode';

export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

export function registerCommands(commands: readonly Command[]): vscode.Disposable {
  return vscode.Disposable.from(...commands.map((c) => vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.execute(...args))));
}

/**
 * Arguments every annotation command accepts: an article `uri`, a span in code points
 * (`start`, `end`), a `label`, an annotation `id`. A sidebar item passes `{ uri, id }`.
 */
export interface AnnotationArgs {
  uri?: vscode.Uri | string;
  start?: number;
  end?: number;
  label?: string;
  id?: string;
  note?: string;
}

export function parseArgs(arg: unknown): AnnotationArgs {
  if (!arg || typeof arg !== 'object') return {};
  if (arg instanceof vscode.Uri) return { uri: arg };
  return arg as AnnotationArgs;
}

export function toUri(uri: vscode.Uri | string | undefined): vscode.Uri | undefined {
  if (!uri) return undefined;
  return typeof uri === 'string' ? (/^[a-z][\w+.-]*:/i.test(uri) && !/^[a-z]:\\/i.test(uri) ? vscode.Uri.parse(uri) : vscode.Uri.file(uri)) : uri;
}
