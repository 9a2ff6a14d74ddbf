/**
 * What every article command shares through `ArticleCommand`: with no article it does nothing and
 * returns its own "nothing done" value (callers read results), and only the commands that change
 * annotations refuse an invalid sidecar (opening that sidecar is how it gets fixed).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, closeAll, newArticle } from './helpers';

describe('article commands', () => {
  it('do nothing without an article and return their nothing-done value', async () => {
    await closeAll();
    assert.equal(vscode.window.activeTextEditor, undefined);
    const expected: Array<[string, unknown]> = [
      ['misconduct.tagForce', 0],
      ['misconduct.removeAnnotation', 0],
      ['misconduct.changeLabel', false],
      ['misconduct.editNote', false],
      ['misconduct.undoAnnotation', false],
      ['misconduct.nextAnnotation', false],
      ['misconduct.revealAnnotation', false],
      ['misconduct.listOrphans', 0],
      ['misconduct.openSidecar', undefined],
      ['misconduct.linkAnnotations', undefined],
      ['misconduct.unlinkAnnotations', 0],
      ['misconduct.acceptSuggestion', 0],
      ['misconduct.acceptAllSuggestions', 0],
      ['misconduct.rejectSuggestion', 0],
      ['misconduct.setDocumentField', false],
    ];
    for (const [command, none] of expected) assert.deepEqual(await vscode.commands.executeCommand(command), none, command);
  });

  it('refuse to change an invalid sidecar, yet open it for fixing', async () => {
    const { session, file } = await newArticle('PC Jones was dismissed.\n');
    const sidecar = file + '.annotations.json';
    const garbage = '{ "version": 1, "annotations": [ oops';
    fs.writeFileSync(sidecar, garbage);
    try {
      await (await api()).store.reload(session);
      assert.equal(session.state.kind, 'invalid');
      assert.equal(await vscode.commands.executeCommand('misconduct.removeAnnotation', { uri: file, start: 0, end: 8 }), 0);
      assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: file, field: 'outcome', value: 'dismissed' }), false);
      await vscode.commands.executeCommand('misconduct.openSidecar', { uri: file });
      assert.ok(
        vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === sidecar),
        'the invalid sidecar is open beside the article',
      );
      assert.equal(fs.readFileSync(sidecar, 'utf8'), garbage);
    } finally {
      // later suites read every sidecar of the workspace (the dashboard's counts)
      await closeAll();
      fs.rmSync(sidecar, { force: true });
    }
  });
});
