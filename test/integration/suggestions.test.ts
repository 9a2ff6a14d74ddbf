import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, newArticle, nextWrite, openArticle, readSidecar, select, waitFor, workspaceDir } from './helpers';

const TEXT = 'A Kent Police officer was dismissed without notice after the IOPC found he had abused his position for a sexual purpose.\n';

async function suggestionsOf(session: Awaited<ReturnType<typeof newArticle>>['session']) {
  const { suggestions } = await api();
  const model = suggestions.model(session);
  if (model.version !== session.document.version) await waitFor(suggestions.onDidChange, (u) => u.toString() === session.uri.toString(), 'suggestions');
  return model.visible();
}

describe('suggestions', () => {
  it('suggests forces, bodies, allegations and sanctions in a sample article before any annotation', async () => {
    const { session } = await openArticle(path.join(workspaceDir(), '004_5cda1f97e69ea7bc.txt'));
    const found = await suggestionsOf(session);
    const text = (c: string) => found.filter((s) => s.category === c).map((s) => s.text);
    assert.ok(text('force').includes('Derbyshire Constabulary'), JSON.stringify(found));
    assert.ok(text('body').some((t) => /IOPC|Independent Office for Police Conduct/.test(t)));
    assert.ok(text('sanction').length > 0);
    assert.ok(text('rank').some((t) => /PCSO|Police Community Support Officer/i.test(t)));
  });

  it('accepts the suggestion under the cursor as an annotation with its type', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    await suggestionsOf(session);
    select(editor, [4, 4]);
    const written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.acceptSuggestion'), 1);
    await written;
    const [a] = readSidecar(file).annotations as unknown as Array<{ label: string; text: string; source: string; attributes?: Record<string, string> }>;
    assert.deepEqual([a.label, a.text, a.source, a.attributes?.type], ['force', 'Kent Police', 'suggestion', 'kent']);
    assert.ok(!(await suggestionsOf(session)).some((s) => s.category === 'force'), 'an accepted suggestion is no longer drawn');
  });

  it('rejects a suggestion and remembers it in the sidecar', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    await suggestionsOf(session);
    select(editor, [4, 4]);
    const written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.rejectSuggestion'), 1);
    await written;
    assert.deepEqual(readSidecar(file).rejected, [{ start: 2, end: 13, label: 'force', text: 'Kent Police' }]);
    assert.ok(!(await suggestionsOf(session)).some((s) => s.text === 'Kent Police'));
  });

  it('accepts all suggestions of a label in one undo step', async () => {
    const { session } = await newArticle(TEXT + 'Later, Kent Police and Essex Police said more.\n');
    await suggestionsOf(session);
    const added = await vscode.commands.executeCommand<number>('misconduct.acceptAllSuggestions', { uri: session.uri, label: 'force', confirm: false });
    assert.equal(added, 3);
    assert.equal(session.doc.size, 3);
    await vscode.commands.executeCommand('misconduct.undoAnnotation', { uri: session.uri });
    assert.equal(session.doc.size, 0);
  });

  it('offers accept and reject in the lightbulb', async () => {
    const { editor, session } = await newArticle(TEXT);
    await suggestionsOf(session);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(0, 4, 0, 4));
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Accept suggestion: force "Kent Police"'), titles.join(', '));
    assert.ok(titles.includes('Reject suggestion: force "Kent Police"'));
  });
});
