import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareApi } from '../../src/extension/compare';
import type { ArticleSession } from '../../src/extension/store/articleSession';
import { api, openArticle, select, workspaceDir } from './helpers';

const ARTICLE = '002_15c05126c182eb79.txt';

/** Every file under a folder, by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

async function compareApi(): Promise<CompareApi> {
  const a = (await api()) as unknown as { compare?: CompareApi };
  assert.ok(a.compare, 'the extension exports its compare controller as `compare`');
  return a.compare;
}

function mySpans(session: ArticleSession): string[] {
  return session.doc.all().map((s) => `${s.start}:${s.end}:${s.label}`);
}

describe('compare mode and adjudication', () => {
  let other: string;
  let otherFiles: Map<string, Buffer>;
  let session: ArticleSession;
  let editor: vscode.TextEditor;
  let original: string[];
  let compare: CompareApi;

  before(async () => {
    compare = await compareApi();
    other = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-other-set-'));
    fs.cpSync(workspaceDir(), other, { recursive: true });
    // the other annotator: moved one span (widened), removed one, relabelled one
    const sidecarFile = path.join(other, ARTICLE + '.annotations.json');
    const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8'));
    const byId = (id: string) => sidecar.annotations.find((a: { id: string }) => a.id === id);
    Object.assign(byId('a-15c000'), { end: 18, text: 'Hampshire police', author: 'other', note: 'the force, as they read it' });
    delete byId('a-15c000').prefix;
    delete byId('a-15c000').suffix;
    sidecar.annotations = sidecar.annotations.filter((a: { id: string }) => a.id !== 'a-15c003');
    byId('a-15c007').label = 'allegation';
    fs.writeFileSync(sidecarFile, JSON.stringify(sidecar, null, 2) + '\n');
    otherFiles = snapshot(other);

    ({ session, editor } = await openArticle(path.join(workspaceDir(), ARTICLE)));
    original = mySpans(session);
  });

  after(async () => {
    await vscode.commands.executeCommand('misconduct.stopComparing');
    // my spans are back as they were; make sure the last write has landed before other suites
    assert.deepEqual(mySpans(session), original);
    const { store } = await api();
    await store.write(session);
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('compares with a folder: their spans are drawn and the disagreements clustered', async () => {
    assert.equal(await vscode.commands.executeCommand('misconduct.compareWith', other), path.resolve(other));
    assert.equal(compare.root, path.resolve(other));
    assert.deepEqual(
      compare.disagreements(session.uri).map((c) => [c.id, c.mine.map((s) => s.label), c.theirs.map((t) => t.label)]),
      [
        ['2:18', ['force'], ['force']], // moved: mine 2–11, theirs 2–18
        ['257:286', ['allegation'], []], // removed by them
        ['1225:1234', ['sanction'], ['allegation']], // relabelled by them
      ],
    );
    assert.deepEqual(compare.drawn(session.uri).theirs, [
      [2, 18],
      [1225, 1234],
    ]);
    assert.equal(compare.drawn(session.uri).agreed.length, original.length - 3);
  });

  it('shows Cohen’s κ in the status bar, naming the other set, and explains it in the tooltip', () => {
    assert.match(compare.statusSuffix(session) ?? '', new RegExp(`^κ -?\\d\\.\\d\\d vs ${path.basename(other)}$`));
    const details = compare.statusDetails(session) ?? '';
    assert.match(details, /Cohen’s kappa between your annotations and theirs/);
    assert.match(details, /3 disagreements to resolve/);
  });

  it('moves to the next and previous disagreement, wrapping around', async () => {
    select(editor, [0, 0]);
    const offset = () => editor.document.offsetAt(editor.selection.active);
    assert.equal(await vscode.commands.executeCommand('misconduct.nextDisagreement'), '2:18');
    assert.equal(offset(), 2);
    await vscode.commands.executeCommand('misconduct.nextDisagreement');
    assert.equal(offset(), 257);
    await vscode.commands.executeCommand('misconduct.nextDisagreement');
    assert.equal(offset(), 1225);
    await vscode.commands.executeCommand('misconduct.nextDisagreement');
    assert.equal(offset(), 2);
    await vscode.commands.executeCommand('misconduct.previousDisagreement');
    assert.equal(offset(), 1225);
    await vscode.commands.executeCommand('misconduct.previousDisagreement');
    assert.equal(offset(), 257);
  });

  it('offers the four resolutions in the lightbulb on a disagreement', async () => {
    const pos = editor.document.positionAt(5);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', session.uri, new vscode.Range(pos, pos));
    const titles = actions.map((a) => a.title);
    // each says which label it keeps
    for (const t of ['Accept Theirs (force)', 'Keep Mine (force)', 'Keep Both (force)', 'Remove Both']) assert.ok(titles.includes(t), `${t} in ${titles.join(', ')}`);
    const conflict = editor.document.positionAt(1228);
    const relabelled = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', session.uri, new vscode.Range(conflict, conflict));
    const conflictTitles = relabelled.map((a) => a.title);
    for (const t of ['Accept Theirs (allegation)', 'Keep Mine (sanction)', 'Keep Both (sanction + allegation)']) assert.ok(conflictTitles.includes(t), `${t} in ${conflictTitles.join(', ')}`);
  });

  it('Accept Theirs replaces mine with theirs, keeping their author and note, as one undo step', async () => {
    select(editor, [5, 5]);
    assert.equal(await vscode.commands.executeCommand('misconduct.acceptTheirs'), 1);
    const spans = mySpans(session);
    assert.ok(spans.includes('2:18:force') && !spans.includes('2:11:force'));
    const accepted = session.doc.all().find((s) => s.start === 2 && s.end === 18)!;
    assert.equal(accepted.meta.author, 'other');
    assert.equal(accepted.meta.note, 'the force, as they read it');
    assert.equal(accepted.text, 'Hampshire police');
    assert.deepEqual(compare.disagreements(session.uri).map((c) => c.id), ['257:286', '1225:1234']);
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(mySpans(session), original);
    assert.equal(compare.disagreements(session.uri).length, 3);
  });

  it('Keep Both adds theirs beside mine (one step); Remove Both removes mine (one step)', async () => {
    await vscode.commands.executeCommand('misconduct.keepBoth', { uri: session.uri, start: 1230, end: 1230 });
    assert.deepEqual(mySpans(session).filter((k) => k.startsWith('1225:')), ['1225:1234:allegation', '1225:1234:sanction']);
    assert.deepEqual(compare.disagreements(session.uri).map((c) => c.id), ['2:18', '257:286']);
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(mySpans(session), original);
    assert.equal(compare.disagreements(session.uri).length, 3);

    await vscode.commands.executeCommand('misconduct.removeBoth', { uri: session.uri.toString(), cluster: '1225:1234' });
    assert.ok(!mySpans(session).some((k) => k.startsWith('1225:')));
    assert.deepEqual(compare.disagreements(session.uri).map((c) => c.id), ['2:18', '257:286']);
    assert.ok(!compare.drawn(session.uri).theirs.some(([s]) => s === 1225), 'their span is hidden');
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(mySpans(session), original);
  });

  it('Keep Mine resolves the disagreement without changing my spans', async () => {
    select(editor, [260, 260]);
    assert.equal(await vscode.commands.executeCommand('misconduct.keepMine'), 1);
    assert.deepEqual(mySpans(session), original);
    assert.ok(!compare.disagreements(session.uri).some((c) => c.id === '257:286'));
  });

  it('never writes to the other set', () => {
    const now = snapshot(other);
    assert.deepEqual([...now.keys()].sort(), [...otherFiles.keys()].sort());
    for (const [file, bytes] of otherFiles) assert.ok(now.get(file)!.equals(bytes), `${file} unchanged`);
  });

  it('says when the article differs in the other set, and draws nothing', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-differs-'));
    try {
      fs.writeFileSync(path.join(copy, ARTICLE), 'A different article.\n');
      await vscode.commands.executeCommand('misconduct.compareWith', vscode.Uri.file(copy));
      assert.equal(compare.comparison(session.uri)?.other.kind, 'differs');
      assert.deepEqual(compare.disagreements(session.uri), []);
      assert.deepEqual(compare.drawn(session.uri).theirs, []);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    await vscode.commands.executeCommand('misconduct.compareWith', other);
  });

  it('Stop Comparing clears everything', async () => {
    await vscode.commands.executeCommand('misconduct.stopComparing');
    assert.equal(compare.root, undefined);
    assert.deepEqual(compare.disagreements(session.uri), []);
    assert.deepEqual(compare.drawn(session.uri), { theirs: [], agreed: [] });
    assert.equal(compare.statusSuffix(session), undefined);
  });
});
