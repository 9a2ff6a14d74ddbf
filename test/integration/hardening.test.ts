/**
 * Hardening in real VS Code: files changing under an open article. Notifications cannot be clicked
 * from a test, so these assert the state the store exposes (the session's spans, what is on disk).
 * Where no event marks the end of the extension's reaction (a watcher callback that only shows a
 * message), the test polls the observable state with a deadline.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, newArticle, nextWrite, openArticle, readSidecar, select, workspaceDir } from './helpers';

const TEXT = 'Kent Police dismissed PC Jones for gross misconduct.\nThe IOPC said Kent Police acted.\n';

/** Polls `condition` until it holds (or fails after `ms`). */
async function until(condition: () => boolean, what: string, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let counter = 0;
const PREFIX = `hardening-${process.pid}-`;
const unique = (stem: string, ext = '.txt') => `${PREFIX}${counter++}-${stem}${ext}`;

// leave the shared workspace as the other suites expect it
after(async () => {
  await closeAll();
  for (const name of fs.readdirSync(workspaceDir())) {
    if (name.startsWith(PREFIX)) fs.rmSync(path.join(workspaceDir(), name), { recursive: true, force: true });
  }
});

describe('hardening: a sidecar deleted while its article is open', () => {
  it('keeps the annotations in the editor and writes them all back with the next change', async () => {
    const { session, file } = await newArticle(TEXT, unique('deleted'));
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    const first = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    assert.equal(await first, 'written');
    assert.equal(readSidecar(file).annotations.length, 2);

    fs.unlinkSync(file + '.annotations.json'); // git checkout, rm, another tool …
    await until(() => session.diskText === undefined, 'the store notices the deletion');
    assert.equal(session.state.kind, 'ok');
    assert.deepEqual(session.doc.all().map((s) => s.label), ['force', 'sanction'], 'the annotations stay in the editor');
    assert.equal(fs.existsSync(file + '.annotations.json'), false, 'nothing is written back without a reason');

    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 35, end: 51, label: 'allegation' });
    assert.equal(await written, 'written');
    assert.deepEqual(
      readSidecar(file).annotations.map((a) => [a.label, a.text]),
      [['force', 'Kent Police'], ['sanction', 'dismissed'], ['allegation', 'gross misconduct']],
    );
  });
});

describe('hardening: renaming an article', () => {
  it('moves its sidecar along (article.file updated, old one gone) and keeps the annotations', async () => {
    const { session, file } = await newArticle(TEXT, unique('before'));
    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await written;
    const before = readSidecar(file);

    const renamed = path.join(workspaceDir(), unique('after'));
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(file), vscode.Uri.file(renamed));
    assert.ok(await vscode.workspace.applyEdit(edit));

    await until(() => fs.existsSync(renamed + '.annotations.json') && !fs.existsSync(file + '.annotations.json'), 'the sidecar follows the article');
    const after = readSidecar(renamed);
    assert.deepEqual((after.article as { file: string }).file, path.basename(renamed));
    assert.deepEqual(after.annotations, before.annotations);
    assert.equal(fs.existsSync(file), false);

    const { store } = await api();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === renamed) ?? (await vscode.workspace.openTextDocument(renamed));
    await store.open(doc);
    await until(() => store.get(doc.uri)?.doc.all().length === 1, 'the renamed article shows its annotation');
    assert.equal(store.get(doc.uri)!.doc.all()[0].text, 'Kent Police');
  });

  // BUG (reported, not ours to fix): a rename within the 150 ms write delay after tagging leaves the
  // sidecar under the OLD name and the renamed article without annotations. ArticleStore.onRenamed
  // finds no old sidecar yet and skips it; the pending write (flushed when the old document closes)
  // then lands at the old path. Unskip when the store flushes before the rename (onWillRenameFiles).
  it('renaming right after tagging (before the delayed write) still takes the annotations along', async () => {
    const { file } = await newArticle(TEXT, unique('quick'));
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    const renamed = path.join(workspaceDir(), unique('quick-renamed'));
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(file), vscode.Uri.file(renamed));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until(() => fs.existsSync(renamed + '.annotations.json'), 'the annotations are written beside the renamed article', 5000);
    // the store writes the new sidecar, then deletes the old one: wait for the second step too
    await until(() => !fs.existsSync(file + '.annotations.json'), 'no sidecar is left under the old name', 5000);
    assert.deepEqual(readSidecar(renamed).annotations.map((a) => a.text), ['Kent Police']);
  });

  it('moving article and sidecar together into a folder leaves one sidecar, intact', async () => {
    const { session, file } = await newArticle(TEXT, unique('together'));
    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    await written;
    const sidecarText = fs.readFileSync(file + '.annotations.json', 'utf8');

    const folder = path.join(workspaceDir(), unique('folder', ''));
    const moved = path.join(folder, path.basename(file));
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(file), vscode.Uri.file(moved));
    edit.renameFile(vscode.Uri.file(file + '.annotations.json'), vscode.Uri.file(moved + '.annotations.json'));
    assert.ok(await vscode.workspace.applyEdit(edit));

    await until(() => fs.existsSync(moved + '.annotations.json'), 'the sidecar is in the folder');
    // give the store's rename handling a chance to run, then check it did no harm
    const { store } = await api();
    const doc = await vscode.workspace.openTextDocument(moved);
    await store.open(doc);
    await until(() => store.get(doc.uri)?.doc.all().length === 1, 'the moved article shows its annotation');
    assert.equal(fs.readFileSync(moved + '.annotations.json', 'utf8'), sidecarText);
    assert.equal(fs.existsSync(file + '.annotations.json'), false);
    assert.deepEqual(fs.readdirSync(folder).sort(), [path.basename(moved), path.basename(moved) + '.annotations.json']);
  });
});

describe('hardening: articles that cannot be annotated', () => {
  it('a binary file named .txt: no crash, marked unreadable if it opens at all, no sidecar written', async () => {
    const file = path.join(workspaceDir(), unique('binary'));
    const bytes = Buffer.alloc(2048);
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').copy(bytes);
    for (let i = 8; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    const { store } = await api();
    let document: vscode.TextDocument | undefined;
    try {
      document = await vscode.workspace.openTextDocument(file);
    } catch (err) {
      // VS Code itself may refuse to open a binary file as text: that is fine, and nothing else happens
      assert.match(String((err as Error).message), /binary|cannot open|not displayed/i);
    }
    if (document) {
      await vscode.window.showTextDocument(document);
      const session = await store.open(document);
      assert.ok(session);
      assert.equal(session.state.kind, 'unreadable');
      assert.match(session.state.kind === 'unreadable' ? session.state.message : '', /binary file/);
      assert.equal(await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 3, label: 'force' }), 0);
      await store.write(session);
    }
    assert.equal(fs.existsSync(file + '.annotations.json'), false);
    assert.deepEqual(fs.readFileSync(file), bytes, 'the file itself is untouched');
    // the extension still works
    const { session, file: other } = await newArticle(TEXT, unique('after-binary'));
    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: other, start: 0, end: 11, label: 'force' });
    assert.equal(await written, 'written');
  });

  it('a file that is not UTF-8 opens but is unreadable for annotation, and gets no sidecar', async () => {
    const file = path.join(workspaceDir(), unique('latin1'));
    const bytes = Buffer.from('Caf\xe9 owner accused Kent Police of misconduct.\n', 'latin1');
    fs.writeFileSync(file, bytes);
    const { session } = await openArticle(file);
    assert.equal(session.state.kind, 'unreadable');
    assert.match(session.state.kind === 'unreadable' ? session.state.message : '', /not valid UTF-8/);
    assert.equal(await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 4, label: 'force' }), 0);
    const { store } = await api();
    await store.write(session);
    assert.equal(fs.existsSync(file + '.annotations.json'), false);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });
});

describe('hardening: CRLF, BOM and emoji', () => {
  it('an article mixing CRLF and LF: its annotations are held (and the user told) until the article is saved, then written', async () => {
    const body = 'Kent Police dismissed PC Jones.\r\nThe IOPC agreed.\nGross misconduct, it said.\r\n';
    const file = path.join(workspaceDir(), unique('mixed-eol'));
    fs.writeFileSync(file, body);
    const { session, editor } = await openArticle(file);
    assert.notEqual(editor.document.getText(), body, 'VS Code shows the line endings made uniform');
    const held = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    assert.equal(await held, 'held: mixed line endings');
    assert.equal(fs.existsSync(file + '.annotations.json'), false, 'no sidecar against text the file does not hold');

    const written = nextWrite(session);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.save');
    assert.equal(await written, 'written');
    const bytes = fs.readFileSync(file);
    const sidecar = readSidecar(file);
    assert.equal((sidecar.article as { sha256: string }).sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(sidecar.annotations.map((a) => [a.label, a.text]), [['force', 'Kent Police']]);
  });

  it('sidecar offsets count code points over the BOM-less text with CRLF kept (Python str semantics)', async () => {
    const body = '👮‍♀️ Hampshire Constabulary\r\nsacked PC 😀 Smith for gross misconduct.\r\nThe IOPC 🚔 agreed.\r\n';
    const file = path.join(workspaceDir(), unique('crlf-bom-emoji'));
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]));
    const { editor, session } = await openArticle(file);
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    const text = editor.document.getText();
    assert.equal(text, body, 'VS Code gives the text without the BOM, CRLF kept');

    const quotes: Array<[string, string]> = [
      ['Hampshire Constabulary', 'force'],
      ['sacked', 'sanction'],
      ['Smith for gross misconduct', 'allegation'],
      ['IOPC 🚔', 'force'],
      ['misconduct.\r\nThe', 'allegation'], // across a line break
    ];
    for (const [quote, label] of quotes) {
      const at = text.indexOf(quote);
      select(editor, [at, at + quote.length]);
      await vscode.commands.executeCommand('misconduct.tagSelection', { label });
    }
    assert.equal(session.doc.size, quotes.length);
    const written = nextWrite(session);
    await editor.document.save();
    await written;

    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is still on disk');
    // what Python does: open(file, encoding='utf-8-sig', newline='').read()[start:end]
    const codePoints = Array.from(bytes.subarray(3).toString('utf8'));
    assert.ok(codePoints.join('').includes('\r\n'));
    const sidecar = readSidecar(file) as ReturnType<typeof readSidecar> & { article: { length: number; sha256: string } };
    assert.equal(sidecar.article.length, codePoints.length);
    assert.equal(sidecar.article.sha256, createHash('sha256').update(bytes).digest('hex'), 'sha256 of the bytes on disk, BOM included');
    const byQuote = new Map(sidecar.annotations.map((a) => [a.text, a]));
    for (const [quote, label] of quotes) {
      const a = byQuote.get(quote);
      assert.ok(a, `"${quote}" was saved`);
      assert.equal(a.label, label);
      assert.equal(codePoints.slice(a.start, a.end).join(''), quote, `[${a.start}:${a.end}] is "${quote}" in code points`);
      const p = (a as { prefix?: string }).prefix ?? '';
      const s = (a as { suffix?: string }).suffix ?? '';
      assert.equal(codePoints.slice(a.start - Array.from(p).length, a.start).join(''), p);
      assert.equal(codePoints.slice(a.end, a.end + Array.from(s).length).join(''), s);
    }
    assert.equal(byQuote.get('Hampshire Constabulary')!.start, 5, '👮‍♀️ is 4 code points (and 5 UTF-16 units), then a space');
  });
});
