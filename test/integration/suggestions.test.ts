import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

  it('learns a tagged phrase and suggests it in other articles as the user tags', async () => {
    const phrase = `Zorplex Unit ${process.pid}`;
    const a = await newArticle(`Officers of the ${phrase} were named.\n`);
    const b = await newArticle(`Nobody in the ${phrase} said a word.\n`);
    assert.ok(!(await suggestionsOf(b.session)).some((s) => s.source === 'learned'));
    const start = `Officers of the `.length;
    await vscode.commands.executeCommand('misconduct.tagSanction', { uri: a.session.uri, start, end: start + phrase.length });
    const { suggestions } = await api();
    const learned = async () => suggestions.model(b.session).visible().filter((s) => s.source === 'learned');
    while (!(await learned()).length) await waitFor(suggestions.onDidChange, (u) => u.toString() === b.session.uri.toString(), 'learned suggestions in the other article');
    const [s] = await learned();
    assert.deepEqual([s.text, s.category, s.reason], [phrase, 'sanction', 'learned: tagged 1× in 1 article']);
  });

  it('tags all occurrences in open and closed articles, skipping tagged ones, one undo per open article', async () => {
    const phrase = `Flumbridge misconduct ${process.pid}`;
    const open = await newArticle(`First ${phrase}. Then ${phrase} again, and ${phrase} once more.\n`);
    const closed = path.join(workspaceDir(), `tag-all-closed-${process.pid}.txt`);
    fs.writeFileSync(closed, `Elsewhere: ${phrase}.\n`);
    // one occurrence is already tagged
    await vscode.commands.executeCommand('misconduct.tagAllegation', { uri: open.session.uri, start: 6, end: 6 + phrase.length });
    assert.equal(open.session.doc.size, 1);
    const added = await vscode.commands.executeCommand<number>('misconduct.tagAllOccurrences', { text: phrase, label: 'allegation', confirm: false });
    assert.equal(added, 3);
    assert.equal(open.session.doc.size, 3);
    const written = readSidecar(closed).annotations;
    assert.deepEqual(written.map((x) => [x.label, x.text, x.start]), [['allegation', phrase, 'Elsewhere: '.length]]);
    await vscode.commands.executeCommand('misconduct.undoAnnotation', { uri: open.session.uri });
    assert.equal(open.session.doc.size, 1, 'one undo takes back what Tag All Occurrences added to this article');
    // a second run finds only what the undo removed
    assert.equal(await vscode.commands.executeCommand<number>('misconduct.tagAllOccurrences', { text: phrase, label: 'allegation', confirm: false }), 2);
  });
});
