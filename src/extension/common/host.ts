/**
 * Which extension host runs the extension. In VS Code for the Web (github.dev, vscode.dev) it runs in
 * a web worker, through the `browser` entry (web/loader.ts), whose `process` has no Node version:
 * there files are read through `vscode.workspace.fs` only, and the features that need Node (the git
 * merge driver, importing web pages, the command-line tool) say so instead of failing.
 */
export const inWebWorker = !(typeof process !== 'undefined' && process.versions?.node);

/** The one line a Node-only feature shows in VS Code for the Web. */
export function needsDesktopMessage(feature: string): string {
  return `${feature} needs the desktop version of VS Code: it is not available in VS Code for the Web (github.dev, vscode.dev).`;
}
