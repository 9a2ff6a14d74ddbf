import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, newArticle, nextWrite, readSidecar, select, waitFor } from './helpers';

const TEXT = 'Kent Police dismissed PC Jones for gross misconduct.\nThe IOPC said Kent Police acted.\n';

describe('tagging in the editor', () => {
  it('tags the selection with a label command and writes the sidecar', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    select(editor, [0, 11]);
    const written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.tagForce'), 1);
    assert.equal(await written, 'written');
    const sidecar = readSidecar(file);
    assert.deepEqual(
      sidecar.annotations.map((a) => [a.label, a.start, a.end, a.text]),
      [['force', 0, 11, 'Kent Police']],
    );
    const { highlighter } = await api();
    assert.deepEqual(
      highlighter.drawnRanges(editor, 'force').map((r) => editor.document.getText(r)),
      ['Kent Police'],
    );
  });

  it('tags every selection of a multi-cursor edit, trimming white space', async () => {
    const { editor, session } = await newArticle(TEXT);
    select(editor, [0, 12], [67, 78]);
    await vscode.commands.executeCommand('misconduct.tagForce');
    assert.deepEqual(
      session.doc.all().map((s) => editor.document.getText(new vscode.Range(editor.document.positionAt(s.start), editor.document.positionAt(s.end)))),
      ['Kent Police', 'Kent Police'],
    );
  });

  it('tags the word under an empty cursor, and does nothing when tagging it again', async () => {
    const { editor, session } = await newArticle(TEXT);
    select(editor, [14, 14]);
    assert.equal(await vscode.commands.executeCommand('misconduct.tagSanction'), 1);
    assert.equal(session.doc.all()[0].text, 'dismissed');
    assert.equal(await vscode.commands.executeCommand('misconduct.tagSanction'), 0);
    assert.equal(session.doc.size, 1);
  });

  it('accepts uri, start, end (code points) and label arguments without a selection', async () => {
    const { session, file } = await newArticle('👮 Kent Police 👮 dismissed him');
    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: vscode.Uri.file(file), start: 2, end: 13, label: 'force' });
    await written;
    assert.deepEqual(
      readSidecar(file).annotations.map((a) => [a.start, a.end, a.text]),
      [[2, 13, 'Kent Police']],
    );
  });

  it('allows overlapping spans with different labels', async () => {
    const { session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 33, label: 'sanction' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 22, end: 30, label: 'rank' });
    assert.equal(session.doc.size, 2);
  });

  it('removes, relabels, notes — and undoes an annotation change', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'allegation' });
    const [span] = session.doc.all();
    await vscode.commands.executeCommand('misconduct.changeLabel', { uri: file, id: span.id, label: 'force' });
    assert.equal(session.doc.get(span.id)?.label, 'force');
    await vscode.commands.executeCommand('misconduct.editNote', { uri: file, id: span.id, note: 'the force in the headline' });
    assert.equal(session.doc.get(span.id)?.meta.note, 'the force in the headline');
    select(editor, [3, 3]);
    assert.equal(await vscode.commands.executeCommand('misconduct.removeAnnotation'), 1);
    assert.equal(session.doc.size, 0);
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.equal(session.doc.get(span.id)?.meta.note, 'the force in the headline');
    const written = nextWrite(session);
    await written;
    const saved = readSidecar(file).annotations;
    assert.deepEqual(saved.map((a) => [a.label, a.note]), [['force', 'the force in the headline']]);
  });

  it('moves the cursor to the next and previous annotation', async () => {
    const { editor, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 67, end: 78, label: 'force' });
    select(editor, [20, 20]);
    await vscode.commands.executeCommand('misconduct.nextAnnotation');
    assert.equal(editor.document.offsetAt(editor.selection.active), 67);
    await vscode.commands.executeCommand('misconduct.previousAnnotation');
    assert.equal(editor.document.offsetAt(editor.selection.active), 0);
  });

  it('hides and shows every highlight', async () => {
    const { editor, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    const { highlighter } = await api();
    assert.equal(await vscode.commands.executeCommand('misconduct.toggleHighlights'), false);
    assert.deepEqual(highlighter.drawnRanges(editor, 'force'), []);
    assert.equal(await vscode.commands.executeCommand('misconduct.toggleHighlights'), true);
    assert.equal(highlighter.drawnRanges(editor, 'force').length, 1);
  });

  it('redraws only the label a tag changed, also after scrolling a little', async () => {
    // 400 lines, a sanction on each: far longer than what is drawn around the visible lines
    const lines = Array.from({ length: 400 }, (_, i) => `${i}: PC Jones was dismissed by Kent Police.`);
    const { editor, file } = await newArticle(lines.join('\n') + '\n');
    const { highlighter } = await api();
    const doc = editor.document;
    for (let i = 0; i < 40; i++) {
      const at = doc.offsetAt(new vscode.Position(i, lines[i].indexOf('dismissed')));
      await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: at, end: at + 'dismissed'.length, label: 'sanction' });
    }
    // a few lines down: still inside the drawn window
    const scrolled = waitFor(vscode.window.onDidChangeTextEditorVisibleRanges, (e) => e.textEditor === editor && e.visibleRanges[0].start.line >= 5, 'the scroll');
    await vscode.commands.executeCommand('editorScroll', { to: 'down', by: 'line', value: 5 });
    await scrolled;
    const sanctions = highlighter.drawnRanges(editor, 'sanction');
    assert.equal(sanctions.length, 40);
    const at = doc.offsetAt(new vscode.Position(8, lines[8].indexOf('Kent Police')));
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: at, end: at + 'Kent Police'.length, label: 'force' });
    assert.deepEqual(highlighter.drawnRanges(editor, 'force').map((r) => [r.start.line, doc.getText(r)]), [[8, 'Kent Police']]);
    // the sanctions were not sent again (the same list as before: a tag costs one label's redraw)
    assert.equal(highlighter.drawnRanges(editor, 'sanction'), sanctions);
  });

  it('draws highlights in the editor foreground over grammar colours, without a text colour in Plain Text, and never both', async () => {
    const { editor, file } = await newArticle(TEXT);
    const document = editor.document;
    const language = (id: string) => waitFor(vscode.workspace.onDidOpenTextDocument, (d) => d === document && d.languageId === id, `${id}`);
    // a small article goes into the Misconduct Article language once its highlights are drawn
    if (document.languageId !== 'misconduct-article') await language('misconduct-article');
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    const { highlighter } = await api();
    assert.deepEqual(highlighter.shownRanges(editor), { plain: 0, coloured: 1 });
    const plain = language('plaintext');
    await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
    await plain;
    assert.deepEqual(highlighter.shownRanges(editor), { plain: 1, coloured: 0 });
    assert.deepEqual(highlighter.drawnRanges(editor, 'force').map((r) => document.getText(r)), ['Kent Police']);
    const coloured = language('misconduct-article');
    await vscode.languages.setTextDocumentLanguage(document, 'misconduct-article');
    await coloured;
    assert.deepEqual(highlighter.shownRanges(editor), { plain: 0, coloured: 1 });
  });

  it('writes nothing for an article that was never tagged', async () => {
    const { file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('workbench.action.files.save');
    assert.equal(fs.existsSync(file + '.annotations.json'), false);
  });
});

describe('following edits', () => {
  it('shifts spans after an edit before them, resizes on an edit inside, and saves matching offsets', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 67, end: 78, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    // the tags' own write lands first: one still under way while the text changes would be the
    // "next write" below, with the offsets from before the edits
    await (await api()).store.flush(session);
    await editor.edit((b) => b.insert(editor.document.positionAt(0), 'BREAKING: '));
    await editor.edit((b) => b.insert(editor.document.positionAt(10 + 72), 'county '));
    const written = nextWrite(session);
    await editor.document.save();
    await written;
    const saved = readSidecar(file).annotations.map((a) => [a.label, a.text]);
    assert.deepEqual(saved, [
      ['sanction', 'dismissed'],
      ['force', 'Kent county Police'],
    ]);
  });

  it('removes a span whose whole text is deleted, and says so', async () => {
    const { editor, session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    await editor.edit((b) => b.delete(new vscode.Range(editor.document.positionAt(12), editor.document.positionAt(22))));
    assert.equal(session.doc.size, 0);
  });
});

describe('sidecars changed outside the editor', () => {
  it('reloads a sidecar changed on disk', async () => {
    const { session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await nextWrite(session);
    const { store } = await api();
    const sidecar = readSidecar(file);
    sidecar.annotations[0].label = 'allegation';
    const reloaded = new Promise<void>((resolve) => {
      const sub = store.onDidChangeSession((s) => {
        if (s === session && session.doc.all()[0]?.label === 'allegation') {
          sub.dispose();
          resolve();
        }
      });
    });
    fs.writeFileSync(file + '.annotations.json', JSON.stringify(sidecar, null, 2));
    await reloaded;
  });

  it('never writes over an invalid sidecar, and refuses to tag until it is fixed', async () => {
    const { session, file } = await newArticle(TEXT);
    const garbage = '{ "version": 1, "annotations": [ oops';
    fs.writeFileSync(file + '.annotations.json', garbage);
    const { store } = await api();
    await store.reload(session);
    assert.equal(session.state.kind, 'invalid');
    assert.equal(await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' }), 0);
    await session.document.save();
    assert.equal(fs.readFileSync(file + '.annotations.json', 'utf8'), garbage);
  });
});
