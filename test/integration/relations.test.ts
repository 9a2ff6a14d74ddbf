/** Relations between annotations in real VS Code (issue 15, item 1). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, newArticle, nextWrite, readSidecar } from './helpers';

const TEXT = 'PC Jane Doe of Kent Police was dismissed without notice for dishonesty.\n';

async function tagged(): Promise<{ editor: vscode.TextEditor; session: Awaited<ReturnType<typeof newArticle>>['session']; file: string; id: Record<string, string> }> {
  const a = await newArticle(TEXT);
  const tag = (phrase: string, label: string) =>
    vscode.commands.executeCommand('misconduct.tagSelection', { uri: a.file, start: TEXT.indexOf(phrase), end: TEXT.indexOf(phrase) + phrase.length, label });
  await tag('PC Jane Doe', 'officer');
  await tag('Kent Police', 'force');
  await tag('dismissed without notice', 'sanction');
  await tag('dishonesty', 'allegation');
  const id = Object.fromEntries(a.session.doc.all().map((s) => [s.label, s.id]));
  return { ...a, id };
}

describe('relations', () => {
  it('links two spans by command arguments, writes the relation, and shows it in the hover', async () => {
    const { editor, session, file, id } = await tagged();
    const written = nextWrite(session);
    const r = (await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: file, from: id.allegation, to: id.sanction, label: 'outcome' })) as { id: string };
    assert.ok(r?.id, 'the command returns the relation');
    assert.equal(await written, 'written');
    const sidecar = readSidecar(file) as unknown as { relations: Array<{ id: string; label: string; from: string; to: string }> };
    assert.deepEqual(sidecar.relations.map((x) => [x.label, x.from, x.to]), [['outcome', id.allegation, id.sanction]]);

    const at = editor.document.positionAt(TEXT.indexOf('dishonesty') + 2);
    const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', editor.document.uri, at)) as vscode.Hover[];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /→ \*\*outcome\*\*: “dismissed without notice”/);
    assert.match(text, /command:misconduct\.unlinkAnnotations/);
  });

  it('removing an annotation removes its relations, and one Undo Annotation brings both back', async () => {
    const { session, file, id } = await tagged();
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: file, from: id.officer, to: id.force, label: 'member' });
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: file, from: id.officer, to: id.allegation, label: 'subject' });
    assert.equal(session.doc.relations().length, 2);
    let written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.removeAnnotation', { uri: file, id: id.officer });
    await written;
    assert.equal((readSidecar(file) as { relations?: unknown[] }).relations, undefined, 'no relation is left without an end');
    written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.undoAnnotation', { uri: file });
    await written;
    const back = readSidecar(file) as unknown as { annotations: Array<{ id: string }>; relations: Array<{ label: string }> };
    assert.ok(back.annotations.some((a) => a.id === id.officer));
    assert.deepEqual(back.relations.map((r) => r.label).sort(), ['member', 'subject']);
  });

  it('lists relations as children of their annotation in the Annotations view, and unlinks from there', async () => {
    const { session, file, id } = await tagged();
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: file, from: id.officer, to: id.force, label: 'member' });
    const { views } = await api();
    views.annotations.flush();
    const officerGroup = views.annotations.getChildren().find((n) => n.kind === 'group' && n.name === 'officer')!;
    const officer = views.annotations.getChildren(officerGroup)[0];
    assert.equal(views.annotations.getTreeItem(officer).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const [child] = views.annotations.getChildren(officer);
    assert.equal(views.annotations.getTreeItem(child).label, '→ member: Kent Police');
    const forceGroup = views.annotations.getChildren().find((n) => n.kind === 'group' && n.name === 'force')!;
    const [incoming] = views.annotations.getChildren(views.annotations.getChildren(forceGroup)[0]);
    assert.equal(views.annotations.getTreeItem(incoming).label, '← member: PC Jane Doe');
    // the tree passes its element, as the inline action does
    assert.equal(await vscode.commands.executeCommand('misconduct.unlinkAnnotations', child), 1);
    assert.deepEqual(session.doc.relations(), []);
  });

  it('keeps relations through edits before them and through a save and reload', async () => {
    const { editor, session, file, id } = await tagged();
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: file, from: id.allegation, to: id.sanction, label: 'outcome' });
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Update: '));
    const written = nextWrite(session);
    await editor.document.save();
    await written;
    await vscode.commands.executeCommand('misconduct.reloadAnnotations', { uri: file });
    assert.deepEqual(session.doc.relations().map((r) => [r.from, r.to]), [[id.allegation, id.sanction]]);
  });
});
