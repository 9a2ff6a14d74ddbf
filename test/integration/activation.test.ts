import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, openArticle, workspaceDir } from './helpers';

describe('activation', () => {
  it('activates on a sample article and registers every contributed command', async () => {
    await openArticle(path.join(workspaceDir(), '002_15c05126c182eb79.txt'));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(ext.isActive);
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: Array<{ command: string; category: string }> = ext.packageJSON.contributes.commands;
    assert.ok(contributed.length >= 16);
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is registered`);
      assert.equal(c.category, 'Misconduct');
    }
  });

  it('loads the sample sidecar and highlights its spans', async () => {
    const { editor, session } = await openArticle(path.join(workspaceDir(), '002_15c05126c182eb79.txt'));
    const { highlighter } = await api();
    assert.equal(session.state.kind, 'ok');
    assert.equal(session.doc.size, 21);
    const force = highlighter.drawnRanges(editor, 'force');
    assert.ok(force.some((r) => editor.document.getText(r) === 'Hampshire'), 'Hampshire is highlighted as force');
    assert.ok(highlighter.drawnRanges(editor, 'sanction').some((r) => editor.document.getText(r) === 'sacked'));
  });

  // scripts/build.mjs builds what only export, compare and the dashboard need into dist/lazy/, each
  // file required the first time one of its exports is read; these suites run first, before any
  // suite that exports, compares or opens the dashboard
  it('opening articles loads none of the code kept for first use (dist/lazy/)', async () => {
    await openArticle(path.join(workspaceDir(), '002_15c05126c182eb79.txt'));
    await openArticle(path.join(workspaceDir(), '003_bb0ef3ef7eedfb27.txt'));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const lazyDir = fs.realpathSync(path.join(ext.extensionPath, 'dist', 'lazy'));
    const lazyFiles = fs.readdirSync(lazyDir).filter((f) => f.endsWith('.js'));
    for (const name of ['export.js', 'agreement.js', 'dashboard.js', 'schema.js', 'import.js']) assert.ok(lazyFiles.includes(name), `dist/lazy/${name} is there`);
    const loaded = Object.keys(require.cache).filter((file) => fs.existsSync(file) && path.dirname(fs.realpathSync(file)) === lazyDir);
    assert.deepEqual(loaded.map((file) => path.basename(file)), []);
  });

  it('opens plain-text articles in the Misconduct Article language', async () => {
    const { editor } = await openArticle(path.join(workspaceDir(), '003_bb0ef3ef7eedfb27.txt'));
    if (editor.document.languageId !== 'misconduct-article') {
      await new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidOpenTextDocument((d) => {
          if (d.uri.toString() === editor.document.uri.toString() && d.languageId === 'misconduct-article') {
            sub.dispose();
            resolve();
          }
        });
      });
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === editor.document.uri.toString());
    assert.equal(doc?.languageId, 'misconduct-article');
    assert.ok(fs.existsSync(doc!.uri.fsPath));
  });

  it('leaves an article of megabytes in Plain Text (its grammar tokenising would compete with editing), still an article', async () => {
    const big = path.join(workspaceDir(), `big-${process.pid}.txt`);
    fs.writeFileSync(big, 'Kent Police dismissed the officer for gross misconduct.\n'.repeat(40_000)); // 2.2 million characters
    try {
      // the big article first, then a small one: the decision on the big one is made on its open
      // event, before the small one's switch can be seen
      const large = await vscode.workspace.openTextDocument(big);
      const small = await vscode.workspace.openTextDocument(path.join(workspaceDir(), '001_928ec815419fdbae.txt'));
      if (small.languageId !== 'misconduct-article') {
        await new Promise<void>((resolve) => {
          const sub = vscode.workspace.onDidOpenTextDocument((d) => {
            if (d.uri.toString() === small.uri.toString() && d.languageId === 'misconduct-article') {
              sub.dispose();
              resolve();
            }
          });
        });
      }
      assert.equal(large.languageId, 'plaintext');
      const { store } = await api();
      const session = await store.open(large);
      assert.ok(session, 'it is still an article');
    } finally {
      fs.rmSync(big, { force: true });
    }
  });
});
