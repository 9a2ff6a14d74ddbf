// The performance floor of bench/e2e.mjs: the least any extension can do for the two things we
// time. It activates on the same events as Misconduct Annotator, draws one decoration on the first
// word of an editor as soon as the editor is visible to extensions, and one decoration on the word
// at the cursor when its command runs (Ctrl+Alt+1, the key that tags a force in ours). Plain
// CommonJS with no build step, so it costs nothing to load.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS extension with no build step
const vscode = require('vscode');
// (a web worker, where the web rows run it, has neither node:fs nor process: no trace there)
const node = typeof process !== 'undefined' && !!process.versions?.node;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = node ? require('node:fs') : undefined;

// the bench's trace (MISCONDUCT_PERF_TRACE), as ours writes it: "<wall ms> <what>"
const mark = (what) => node && process.env.MISCONDUCT_PERF_TRACE && fs.appendFileSync(process.env.MISCONDUCT_PERF_TRACE, `${Math.round(performance.timeOrigin + performance.now())} floor: ${what}\n`);

function activate(context) {
  const type = vscode.window.createTextEditorDecorationType({ backgroundColor: '#0072B233' });
  const drawn = new WeakMap();
  const drawFirstWord = (editor) => {
    if (!editor || drawn.has(editor)) return;
    const range = editor.document.getWordRangeAtPosition(new vscode.Position(0, 0)) ?? new vscode.Range(0, 0, 0, 1);
    drawn.set(editor, [range]);
    editor.setDecorations(type, [range]);
    mark('drawn on open');
  };
  vscode.window.visibleTextEditors.forEach(drawFirstWord);
  context.subscriptions.push(
    type,
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(drawFirstWord)),
    vscode.commands.registerCommand('misconductFloor.decorate', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const at = editor.selection.active;
      const range = editor.selection.isEmpty ? editor.document.getWordRangeAtPosition(at) ?? new vscode.Range(at, at.translate(0, 1)) : editor.selection;
      const ranges = [...(drawn.get(editor) ?? []), range];
      drawn.set(editor, ranges);
      editor.setDecorations(type, ranges);
      mark('drawn on command');
    }),
  );
}

module.exports = { activate, deactivate() {} };
