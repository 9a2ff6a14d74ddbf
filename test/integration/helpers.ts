/**
 * Helpers for integration tests, which run inside the real VS Code extension host (code-server
 * here, or @vscode/test-electron where VS Code can be downloaded). Tests wait on events, never on
 * timers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import type { ArticleSession } from '../../src/extension/store/articleSession';

export const EXTENSION_ID = 'misconduct-research.misconduct-annotator';

export async function api(): Promise<MisconductApi> {
  const ext = vscode.extensions.getExtension<MisconductApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder (a copy of test/fixtures/integration-corpus)');
  return folder.uri.fsPath;
}

let counter = 0;

/** Writes a fresh article into the workspace and opens it in an editor. */
export async function newArticle(text: string, name = `it-${process.pid}-${counter++}.txt`): Promise<{ editor: vscode.TextEditor; session: ArticleSession; file: string }> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, text);
  return openArticle(file);
}

export async function openArticle(file: string): Promise<{ editor: vscode.TextEditor; session: ArticleSession; file: string }> {
  const { store } = await api();
  const document = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(document);
  const session = await store.open(editor.document);
  assert.ok(session, `${file} is an article`);
  return { editor, session, file };
}

/** Resolves with the first event value that satisfies the predicate. */
export function waitFor<T>(event: vscode.Event<T>, predicate: (value: T) => boolean = () => true, what = 'event'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 15000);
    const sub = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** Waits for the next sidecar write of an article. */
export async function nextWrite(session: ArticleSession): Promise<string> {
  const { store } = await api();
  const e = await waitFor(store.onDidWrite, (w) => w.session === session, `a sidecar write of ${session.uri.fsPath}`);
  return e.outcome;
}

export function readSidecar(file: string): { annotations: Array<{ id: string; label: string; start: number; end: number; text: string; note?: string }> } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file + '.annotations.json', 'utf8'));
}

export function select(editor: vscode.TextEditor, ...ranges: Array<[number, number]>): void {
  const doc = editor.document;
  editor.selections = ranges.map(([s, e]) => new vscode.Selection(doc.positionAt(s), doc.positionAt(e)));
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
