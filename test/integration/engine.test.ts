/**
 * The annotation engine under the settings and events users have: auto-save, select-all + delete +
 * undo, files rewritten by git while open, article and sidecar pulled together (in both orders),
 * two editors on one article, quick tags, and the window closing right after a tag. Every test
 * ends by checking the sidecar on disk against the article on disk, as `validate` would, and the
 * quotes a researcher expects.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, newArticle, nextWrite, readSidecar } from './helpers';

const TEXT =
  'Kent Police dismissed PC Jones for gross misconduct.\n' +
  'A second sentence that holds no annotation at all.\n' +
  'The IOPC said Kent Police acted on the allegation.\n';

type Sidecar = ReturnType<typeof readSidecar> & { article: { sha256: string; length: number } };

/** The sidecar on disk describes the article on disk exactly (what `validate` checks). */
function consistent(file: string): boolean {
  if (!fs.existsSync(file + '.annotations.json')) return false;
  const bytes = fs.readFileSync(file);
  const sidecar = readSidecar(file) as Sidecar;
  const text = [...bytes.toString('utf8')];
  return (
    sidecar.article.sha256 === crypto.createHash('sha256').update(bytes).digest('hex') &&
    sidecar.article.length === text.length &&
    sidecar.annotations.every((a) => (a as { orphaned?: boolean }).orphaned || text.slice(a.start, a.end).join('') === a.text)
  );
}

/** Resolves when `check` holds: checked now and after each of the given events. */
function until(check: () => boolean, events: Array<vscode.Event<unknown>>, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (err?: Error) => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`timed out waiting until ${what}`)), 20000);
    for (const e of events) subs.push(e(() => check() && done()));
  });
}

const quotes = (file: string) => readSidecar(file).annotations.map((a) => `${a.label}:${a.text}`).sort();

async function tag(file: string, start: number, end: number, label: string): Promise<void> {
  assert.equal(await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start, end, label }), 1);
}

async function tagged(text = TEXT): Promise<{ editor: vscode.TextEditor; file: string; session: Awaited<ReturnType<typeof newArticle>>['session'] }> {
  const { editor, session, file } = await newArticle(text);
  const written = nextWrite(session);
  await tag(file, 0, 11, 'force');
  await tag(file, 12, 21, 'sanction');
  await written;
  const { store } = await api();
  await until(() => consistent(file) && readSidecar(file).annotations.length === 2, [store.onDidWrite], 'both tags are on disk');
  return { editor, file, session };
}

describe('engine: edits, undo, reloads and saves never lose a span', function () {
  this.timeout(60000);

  it('select all, delete, undo, save: every span is back where it was, none orphaned', async () => {
    const { editor, file, session } = await tagged();
    const before = readSidecar(file).annotations.map((a) => [a.id, a.start, a.end]);
    await vscode.window.showTextDocument(editor.document);
    // select all (as Ctrl+A does: the whole document as one selection), then Delete
    const doc = editor.document;
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), doc.positionAt(doc.getText().length));
    await vscode.commands.executeCommand('deleteLeft');
    assert.equal(doc.getText(), '', 'everything was deleted');
    assert.equal(session.doc.size, 0);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), TEXT);
    assert.equal(session.doc.orphans().length, 0);
    await editor.document.save();
    const { store } = await api();
    await until(() => consistent(file) && readSidecar(file).annotations.length === 2, [store.onDidWrite], 'the sidecar is written');
    assert.deepEqual(readSidecar(file).annotations.map((a) => [a.id, a.start, a.end]), before);
  });

  it('typing in bursts with auto-save on: every sidecar written matches the article saved', async () => {
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    await files.update('autoSaveDelay', 30, vscode.ConfigurationTarget.Global);
    try {
      const { editor, file } = await tagged();
      const { store } = await api();
      await vscode.window.showTextDocument(editor.document);
      for (let burst = 0; burst < 4; burst++) {
        editor.selection = new vscode.Selection(0, 0, 0, 0);
        for (const word of ['Breaking', ' news', ': ']) await vscode.commands.executeCommand('type', { text: word });
        // auto-save writes the article when typing pauses; the sidecar follows it
        await until(() => !editor.document.isDirty && consistent(file), [vscode.workspace.onDidSaveTextDocument, store.onDidWrite], `burst ${burst} is saved with its sidecar`);
      }
      assert.deepEqual(quotes(file), ['force:Kent Police', 'sanction:dismissed']);
    } finally {
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('an open article rewritten on disk (a new first line, a sentence removed) keeps every annotation', async () => {
    const { editor, file } = await tagged();
    await tag(file, 118, 129, 'force'); // "Kent Police" in the last sentence
    const { store } = await api();
    await until(() => consistent(file) && readSidecar(file).annotations.length === 3, [store.onDidWrite], 'three tags on disk');
    const rewritten = 'A new first line.\n' + TEXT.replace('A second sentence that holds no annotation at all.\n', '');
    fs.writeFileSync(file, rewritten);
    await until(() => editor.document.getText() === rewritten, [vscode.workspace.onDidChangeTextDocument], 'VS Code reloads the article');
    await until(() => consistent(file) && readSidecar(file).annotations.length === 3, [store.onDidWrite], 'the re-anchored sidecar is written');
    assert.deepEqual(quotes(file), ['force:Kent Police', 'force:Kent Police', 'sanction:dismissed']);
    assert.ok(readSidecar(file).annotations.every((a) => !(a as { orphaned?: boolean }).orphaned));
  });

  it('an open article rewritten on disk with words added inside a span keeps that span on its new words', async () => {
    const { editor, file } = await tagged();
    await tag(file, 22, 30, 'officer'); // "PC Jones"
    const { store } = await api();
    await until(() => consistent(file) && readSidecar(file).annotations.length === 3, [store.onDidWrite], 'three tags on disk');
    // another program's save: a new first line, and a first name inside the officer's span
    const rewritten = 'Updated.\n' + TEXT.replace('PC Jones', 'PC Sarah Jones');
    fs.writeFileSync(file, rewritten);
    await until(() => editor.document.getText() === rewritten, [vscode.workspace.onDidChangeTextDocument], 'VS Code reloads the article');
    await until(() => consistent(file) && readSidecar(file).annotations.some((a) => a.text === 'PC Sarah Jones'), [store.onDidWrite], 'the followed sidecar is written');
    assert.deepEqual(quotes(file), ['force:Kent Police', 'officer:PC Sarah Jones', 'sanction:dismissed']);
    assert.ok(readSidecar(file).annotations.every((a) => !(a as { orphaned?: boolean }).orphaned));
  });

  it('a sidecar broken on disk while its article is open: the editor keeps the annotations and writes them back when asked', async () => {
    const { file, session } = await tagged();
    const { store } = await api();
    const sidecarFile = file + '.annotations.json';
    // what a workspace-wide replace did to sidecars: a label no longer a label
    const broken = fs.readFileSync(sidecarFile, 'utf8').replace('"label": "force"', '"label": "police force!"');
    fs.writeFileSync(sidecarFile, broken);
    await until(() => session.state.kind === 'invalid', [store.onDidChangeSession], 'the broken sidecar is seen');
    assert.equal(session.doc.size, 2, 'the editor still holds both annotations');
    assert.equal(fs.readFileSync(sidecarFile, 'utf8'), broken, 'nothing is written over it unasked');
    await vscode.commands.executeCommand('misconduct.reloadAnnotations', { uri: file });
    assert.equal(session.doc.size, 2, 'reloading the broken file takes nothing away');
    assert.equal(await vscode.commands.executeCommand('misconduct.writeBackAnnotations', { uri: file }), 'written');
    assert.ok(consistent(file));
    assert.deepEqual(quotes(file), ['force:Kent Police', 'sanction:dismissed']);
    assert.equal(session.state.kind, 'ok');
  });

  for (const order of ['article first', 'sidecar first'] as const) {
    it(`a pull that changes the open article and its sidecar together (${order}) loses and refuses nothing`, async () => {
      const { editor, file, session } = await tagged();
      const { store } = await api();
      // the other annotator's copy: a new first line, so shifted offsets, and one more annotation
      const pulledText = 'Pulled line.\n' + TEXT;
      const shift = 'Pulled line.\n'.length;
      const sidecar = readSidecar(file) as Sidecar;
      sidecar.annotations = sidecar.annotations.map((a) => ({ ...a, start: a.start + shift, end: a.end + shift, prefix: undefined, suffix: undefined }));
      // (a label and words no other suite suggests: the workspace learns from every sidecar)
      const at = pulledText.indexOf('on the allegation');
      sidecar.annotations.push({ id: 'a-pulled000001', label: 'allegation', start: at, end: at + 17, text: 'on the allegation', source: 'manual', created: '2026-11-29T10:00:00Z' } as never);
      sidecar.article = { ...sidecar.article, sha256: crypto.createHash('sha256').update(pulledText).digest('hex'), length: [...pulledText].length };
      const pulledSidecar = JSON.stringify(sidecar, null, 2) + '\n';
      if (order === 'article first') {
        fs.writeFileSync(file, pulledText);
        await until(() => editor.document.getText() === pulledText, [vscode.workspace.onDidChangeTextDocument], 'VS Code reloads the article');
        fs.writeFileSync(file + '.annotations.json', pulledSidecar);
      } else {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(path.dirname(file), path.basename(file) + '.annotations.json'));
        try {
          let seen = false;
          const written = until(() => seen, [watcher.onDidChange, watcher.onDidCreate].map((e) => (l: (u: unknown) => unknown) => e((u) => ((seen = true), l(u)))), 'the sidecar change is seen');
          fs.writeFileSync(file + '.annotations.json', pulledSidecar);
          await written;
        } finally {
          watcher.dispose();
        }
        fs.writeFileSync(file, pulledText);
      }
      await until(() => !!session.doc.get('a-pulled000001') && editor.document.getText() === pulledText, [store.onDidChangeSession, vscode.workspace.onDidChangeTextDocument], 'the pulled annotation is loaded');
      assert.equal(session.state.kind, 'ok');
      await until(() => consistent(file), [store.onDidWrite, store.onDidChangeSession], 'the sidecar on disk matches the pulled article');
      assert.deepEqual(quotes(file), ['allegation:on the allegation', 'force:Kent Police', 'sanction:dismissed']);
    });
  }

  it('two editors on one article: typing in one and tagging in the other saves the right quotes', async () => {
    const { editor, file, session } = await tagged();
    const second = await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.Two);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'Breaking: '));
    // tag "PC Jones" (now 10 characters later) from the second editor
    second.selection = new vscode.Selection(editor.document.positionAt(32), editor.document.positionAt(40));
    assert.equal(await vscode.commands.executeCommand('misconduct.tagAllegation'), 1);
    const { store } = await api();
    await editor.document.save();
    await until(() => consistent(file) && readSidecar(file).annotations.length === 3, [store.onDidWrite], 'the sidecar is written');
    assert.deepEqual(quotes(file), ['allegation:PC Jones', 'force:Kent Police', 'sanction:dismissed']);
    assert.equal(session.doc.size, 3);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInGroup');
  });

  it('two quick tags, then save: both are on disk', async () => {
    const { file, editor } = await newArticle(TEXT);
    const first = tag(file, 0, 11, 'force');
    const second = tag(file, 118, 129, 'force');
    await Promise.all([first, second]);
    await editor.document.save();
    const { store } = await api();
    await until(() => consistent(file) && readSidecar(file).annotations.length === 2, [store.onDidWrite], 'both tags are on disk');
    assert.deepEqual(quotes(file), ['force:Kent Police', 'force:Kent Police']);
  });

  it('a tag made just before the window closes is on disk once the extension has deactivated', async () => {
    const { file } = await newArticle(TEXT);
    await tag(file, 12, 21, 'sanction');
    // what VS Code calls when the window closes or reloads, and waits for
    const ext = vscode.extensions.getExtension('misconduct-research.misconduct-annotator')!;
    // the module VS Code loaded (Node's cache gives the same instance)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require(path.join(ext.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    await main.deactivate();
    assert.ok(consistent(file));
    assert.deepEqual(quotes(file), ['sanction:dismissed']);
  });
});
