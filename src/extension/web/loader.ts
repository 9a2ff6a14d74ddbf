/**
 * The `browser` entry: the extension in VS Code for the Web (github.dev, vscode.dev, a web-worker
 * extension host). It runs the same files as the Node `main` — dist/extension.js, the core it shares
 * with the CLI, the lazy modules — so the package holds one copy of the code. A web worker can only
 * `require('vscode')`, so this file reads those files and runs them as CommonJS modules, giving them
 * the web versions of what they require from Node (nodeShims.ts).
 *
 * Everything is read before activation: a lazy module is required synchronously on first use, and a
 * web worker cannot read a file synchronously. It is compiled only when first required.
 */
import * as vscode from 'vscode';
import { nodeShims, processShim } from './nodeShims';

/** The lazy modules of dist/lazy/ the web build runs (scripts/build.mjs); Import from Web Pages is Node-only. */
declare const __WEB_LAZY__: string[];

type Module = { exports: Record<string, unknown> };
type Activate = (context: vscode.ExtensionContext) => unknown;

/** CommonJS over the sources read, by their path under dist/. */
export class ModuleLoader {
  private readonly modules = new Map<string, Module>();

  constructor(
    private readonly sources: Map<string, string>,
    /** Where the sources came from, for stack traces. */
    private readonly origin: string,
  ) {}

  require(request: string, from = ''): unknown {
    if (request === 'vscode') return vscode;
    const shim = nodeShims.get(request.replace(/^node:/, ''));
    if (shim) return shim;
    if (!request.startsWith('.')) throw new Error(`${request} is not available in the web build`);
    const path = resolve(from, request);
    const loaded = this.modules.get(path);
    if (loaded) return loaded.exports;
    const source = this.sources.get(path);
    if (source === undefined) throw new Error(`dist/${path} is not part of the web build: this feature needs the desktop version of VS Code`);
    const module: Module = { exports: {} };
    this.modules.set(path, module);
    // what a CommonJS module sees: its module, require relative to itself, and the process shim
    const run = new Function('module', 'exports', 'require', 'process', `${source}\n//# sourceURL=${this.origin}/dist/${path}`) as (...args: unknown[]) => void;
    run(module, module.exports, (r: string) => this.require(r, path), processShim);
    return module.exports;
  }
}

/** `request` relative to the folder of `from` (paths under dist/, forward slashes). */
function resolve(from: string, request: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of request.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

async function readText(base: vscode.Uri, path: string): Promise<string> {
  const uri = vscode.Uri.joinPath(base, 'dist', path);
  // the gallery serves a web extension's files over https, which workspace.fs does not read
  if (uri.scheme === 'http' || uri.scheme === 'https') {
    const response = await fetch(uri.toString(true));
    if (!response.ok) throw new Error(`dist/${path}: ${response.status} ${response.statusText}`);
    return response.text();
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

let main: { deactivate?: () => unknown } | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<unknown> {
  const started = performance.now();
  const paths = ['extension.js', 'core.js', ...__WEB_LAZY__.map((name) => `lazy/${name}.js`)];
  const texts = await Promise.all(paths.map((p) => readText(context.extensionUri, p)));
  const read = performance.now();
  const loader = new ModuleLoader(new Map(paths.map((p, i) => [p, texts[i]])), context.extensionUri.toString(true));
  const extension = loader.require('./extension.js') as { activate: Activate; deactivate?: () => unknown };
  main = extension;
  const loaded = performance.now();
  const api = extension.activate(context);
  const activated = performance.now();
  void reportTimes({ activationMs: activated - loaded, readMs: read - started, loadMs: loaded - read });
  return api;
}

/**
 * The bench's web activation row (bench/activationWeb.mjs): with the setting
 * `misconduct.dev.benchActivationFile` (a path in the workspace folder; not contributed), the
 * times are written there. activationMs is `activate()` alone, as the Node row measures it.
 */
async function reportTimes(times: { activationMs: number; readMs: number; loadMs: number }): Promise<void> {
  const file = vscode.workspace.getConfiguration('misconduct').get<string>('dev.benchActivationFile');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!file || !folder) return;
  const text = JSON.stringify({ ...times, host: 'webworker', vscodeVersion: vscode.version }) + '\n';
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, file), new TextEncoder().encode(text));
}

export function deactivate(): unknown {
  return main?.deactivate?.();
}
