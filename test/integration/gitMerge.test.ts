/**
 * Team annotation in git, in VS Code: merge conflicts the driver recorded are offered in the
 * Annotations view (Accept Theirs / Keep Mine), Set Up Git Merging registers the bundled driver (and git merges through it), and
 * Export Dataset refuses a target among the articles.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnnotationNode, MergeConflictNode } from '../../src/extension/views/annotationsTree';
import { conflictName } from '../../src/core/merge';
import { parseSidecar } from '../../src/core/sidecar';
import { api, closeAll, nextWrite, openArticle, readSidecar, workspaceDir } from './helpers';

const TEXT = 'Kent Police dismissed PC Smith after a hearing.';
const SHA = (text: string) => createHash('sha256').update(text).digest('hex');

function annotation(id: string, start: number, end: number, label: string, note?: string): Record<string, unknown> {
  return { id, label, start, end, text: [...TEXT].slice(start, end).join(''), source: 'manual', ...(note ? { note } : {}), created: '2026-01-01T00:00:00Z' };
}

async function conflictNodes(): Promise<MergeConflictNode[]> {
  const v = (await api()).views;
  v.annotations.flush();
  const group = v.annotations.getChildren().find((r): r is Extract<AnnotationNode, { kind: 'group' }> => r.kind === 'group' && r.group === 'mergeConflicts');
  return (group?.children ?? []) as MergeConflictNode[];
}

describe('git merge conflicts in the Annotations view', () => {
  afterEach(closeAll);

  it('lists recorded conflicts; Accept Theirs and Keep Mine resolve them in the file', async () => {
    const file = path.join(workspaceDir(), `conflicted-${process.pid}.txt`);
    fs.writeFileSync(file, TEXT);
    const sidecar = {
      version: 1,
      article: { file: path.basename(file), sha256: SHA(TEXT), length: TEXT.length },
      status: 'in_progress',
      annotations: [annotation('a-1', 0, 11, 'force', 'mine'), annotation('a-2', 12, 21, 'sanction')],
      conflicts: [
        { kind: 'status', theirs: 'done' },
        { kind: 'annotation', id: 'a-1', theirs: annotation('a-1', 0, 11, 'force', 'theirs') },
      ],
    };
    fs.writeFileSync(file + '.annotations.json', JSON.stringify(sidecar, null, 2) + '\n');
    const { session } = await openArticle(file);
    assert.equal(session.state.kind, 'ok');

    let nodes = await conflictNodes();
    assert.deepEqual(nodes.map((n) => n.conflict).sort(), ['a-1', 'status']);
    const item = (await api()).views.annotations.getTreeItem(nodes.find((n) => n.conflict === 'a-1')!);
    assert.equal(item.contextValue, 'misconduct.mergeConflict');
    assert.match(String(item.description), /theirs: force, note “theirs”/);

    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', nodes.find((n) => n.conflict === 'a-1')), true);
    let onDisk = readSidecar(file);
    assert.equal(onDisk.annotations.find((a) => a.id === 'a-1')!.note, 'theirs');
    assert.deepEqual(onDisk.conflicts, [{ kind: 'status', theirs: 'done' }]);
    assert.equal(session.doc.get('a-1')?.meta.note, 'theirs', 'the editor has their version');

    nodes = await conflictNodes();
    assert.deepEqual(nodes.map((n) => n.conflict), ['status']);
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.keepMine', nodes[0]), true);
    onDisk = readSidecar(file);
    assert.equal(onDisk.status, 'in_progress');
    assert.equal(onDisk.conflicts, undefined);
    assert.deepEqual(await conflictNodes(), []);
  });

  it('relation and form-field conflicts: listed, resolved through the session (undo, saving), and a relation waiting for its end says so', async () => {
    const text = 'PC Smith of Kent Police was dismissed without notice after lying to investigators.';
    const file = path.join(workspaceDir(), `coded-conflicts-${process.pid}.txt`);
    fs.writeFileSync(file, text);
    const at = (id: string, quote: string, label: string) => ({ id, label, start: text.indexOf(quote), end: text.indexOf(quote) + quote.length, text: quote, source: 'manual', created: '2026-01-01T00:00:00Z' });
    const rel = (id: string, label: string, from: string, to: string, note?: string) => ({ id, label, from, to, ...(note ? { note } : {}), created: '2026-01-02T00:00:00Z' });
    const sidecar = {
      version: 1,
      article: { file: path.basename(file), sha256: SHA(text), length: text.length },
      annotations: [at('a-1', 'PC Smith', 'officer'), at('a-2', 'Kent Police', 'force'), at('a-3', 'dismissed without notice', 'sanction')],
      relations: [rel('r-1', 'member', 'a-1', 'a-2', 'mine')],
      document: { force: 'kent', outcome: 'dismissal' },
      conflicts: [
        { kind: 'relation', id: 'r-1', theirs: rel('r-1', 'member', 'a-1', 'a-2', 'theirs') },
        // their link to an annotation our branch removed: both wait
        { kind: 'relation', id: 'r-t', theirs: rel('r-t', 'outcome', 'a-4', 'a-3') },
        { kind: 'annotation', id: 'a-4', theirs: at('a-4', 'lying', 'allegation') },
        { kind: 'field', field: 'outcome', theirs: 'final_written_warning' },
        { kind: 'field', field: 'force' },
      ],
    };
    fs.writeFileSync(file + '.annotations.json', JSON.stringify(sidecar, null, 2) + '\n');
    const { editor, session } = await openArticle(file);
    const { views, store } = await api();
    const node = async (name: string) => (await conflictNodes()).find((n) => n.conflict === name)!;
    const onDisk = () => parseSidecar(file, fs.readFileSync(file + '.annotations.json', 'utf8'));
    const pending = () => (onDisk().conflicts ?? []).map(conflictName).sort();

    assert.deepEqual((await conflictNodes()).map((n) => n.conflict), ['a-4', 'relation:r-1', 'relation:r-t', 'field:outcome', 'field:force'], 'annotations first');
    const waiting = views.annotations.getTreeItem(await node('relation:r-t'));
    assert.match(String(waiting.label), /outcome: lying → dismissed without notice/);
    assert.match(String(waiting.description), /accept their annotation first/);
    // values named as the form names them (the codebook's options), a value outside them as it is
    const outcome = views.annotations.getTreeItem(await node('field:outcome'));
    assert.equal(outcome.label, 'Form: outcome');
    assert.equal(outcome.description, 'dismissal · theirs: Final written warning');
    assert.equal(views.annotations.getTreeItem(await node('field:force')).description, 'Kent Police · theirs: removed');

    // their relation needs their annotation: refused, nothing changes
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', await node('relation:r-t')), false);
    assert.equal(session.doc.getRelation('r-t'), undefined);
    assert.equal(session.doc.conflicts.length, 5);

    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', await node('relation:r-1')), true);
    assert.equal(session.doc.getRelation('r-1')?.note, 'theirs', 'the editor has their version');
    assert.equal(onDisk().relations?.find((r) => r.id === 'r-1')?.note, 'theirs', 'written (the article is clean)');
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', await node('field:outcome')), true);
    assert.equal(onDisk().document?.outcome, 'final_written_warning');
    assert.deepEqual(pending(), ['a-4', 'field:force', 'relation:r-t']);

    // Undo Annotation takes the resolution back: their value goes, the conflict returns (and is written)
    assert.equal(await vscode.commands.executeCommand('misconduct.undoAnnotation'), true);
    await store.flush(session);
    assert.equal(session.doc.field('outcome'), 'dismissal');
    assert.equal(onDisk().document?.outcome, 'dismissal');
    assert.deepEqual(pending(), ['a-4', 'field:force', 'field:outcome', 'relation:r-t']);
    assert.ok((await conflictNodes()).some((n) => n.conflict === 'field:outcome'), 'listed again');

    // their annotation first, then their relation to it
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', await node('a-4')), true);
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', await node('relation:r-t')), true);
    assert.deepEqual(session.doc.relationsOf('a-4').map((r) => r.id), ['r-t']);

    // with unsaved text, a resolution is saved with the article
    await editor.edit((e) => e.insert(editor.document.positionAt(text.length), ' '));
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.keepMine', await node('field:force')), true);
    assert.ok(pending().includes('field:force'), 'not written while the article has unsaved changes');
    const written = nextWrite(session);
    await editor.document.save();
    await written;
    assert.deepEqual(pending(), ['field:outcome']);
    const saved = onDisk();
    assert.equal(saved.document?.force, 'kent');
    assert.deepEqual(saved.relations?.map((r) => r.id).sort(), ['r-1', 'r-t']);
    assert.ok(saved.annotations.some((a) => a.id === 'a-4'));
    assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.keepMine', await node('field:outcome')), true);
    assert.equal(onDisk().conflicts, undefined);
    assert.deepEqual(await conflictNodes(), []);
  });

  it('in compare mode the recorded merge conflicts are listed beside the disagreements, and resolve from there', async () => {
    const text = 'Kent Police dismissed PC Smith after a hearing.';
    const name = `compared-conflicts-${process.pid}.txt`;
    const file = path.join(workspaceDir(), name);
    fs.writeFileSync(file, text);
    const own = {
      version: 1,
      article: { file: name, sha256: SHA(text), length: text.length },
      annotations: [annotation('a-1', 0, 11, 'force'), annotation('a-2', 12, 21, 'sanction')],
      document: { outcome: 'dismissal' },
      conflicts: [{ kind: 'field', field: 'outcome', theirs: 'final_written_warning' }],
    };
    fs.writeFileSync(file + '.annotations.json', JSON.stringify(own, null, 2) + '\n');
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'it-compare-conflicts-'));
    fs.writeFileSync(path.join(other, name), text);
    fs.writeFileSync(path.join(other, name + '.annotations.json'), JSON.stringify({ ...own, annotations: [own.annotations[0]], conflicts: undefined, document: undefined }, null, 2) + '\n');
    const { session } = await openArticle(file);
    const { views } = await api();
    await vscode.commands.executeCommand('misconduct.compareWith', other);
    try {
      const groups = () => {
        views.annotations.flush();
        return views.annotations.getChildren().flatMap((n) => (n.kind === 'group' ? [n.group] : []));
      };
      assert.deepEqual(groups().slice(0, 2), ['mergeConflicts', 'disagreements']);
      assert.equal(await vscode.commands.executeCommand('misconduct.mergeConflict.acceptTheirs', (await conflictNodes())[0]), true);
      assert.equal(session.doc.field('outcome'), 'final_written_warning');
      assert.deepEqual(groups().slice(0, 1), ['disagreements']);
    } finally {
      await vscode.commands.executeCommand('misconduct.stopComparing');
    }
  });

  it('Set Up Git Merging registers the driver bundled with the extension, and git merges two branches through it', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'it-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    const actions = await vscode.commands.executeCommand<string[]>('misconduct.setupGitMerging', vscode.Uri.file(repo));
    // the sidecar line, the case record line (issue 31), the driver
    assert.ok(actions && actions.length === 3, String(actions));
    assert.match(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8'), /^\*\.annotations\.json merge=misconduct-annotations$/m);
    assert.match(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8'), /^\*\.case\.json merge=misconduct-annotations$/m);
    const again = await vscode.commands.executeCommand<string[]>('misconduct.setupGitMerging', vscode.Uri.file(repo));
    assert.match(again!.join('\n'), /already/);

    // each branch tags a different span of the same article; the merge keeps both, with no conflict
    const write = (annotations: Record<string, unknown>[]) =>
      fs.writeFileSync(path.join(repo, 'a.txt.annotations.json'), JSON.stringify({ version: 1, article: { file: 'a.txt', sha256: SHA(TEXT), length: TEXT.length }, annotations }, null, 2) + '\n');
    fs.writeFileSync(path.join(repo, 'a.txt'), TEXT);
    write([]);
    git('add', '-A');
    git('commit', '-qm', 'article');
    git('checkout', '-qb', 'theirs');
    write([annotation('t-1', 12, 21, 'sanction')]);
    git('commit', '-qam', 'theirs');
    git('checkout', '-q', 'main');
    write([annotation('o-1', 0, 11, 'force')]);
    git('commit', '-qam', 'ours');
    git('merge', '-q', '--no-edit', 'theirs');
    const merged = JSON.parse(fs.readFileSync(path.join(repo, 'a.txt.annotations.json'), 'utf8')) as { annotations: { id: string }[]; conflicts?: unknown[] };
    assert.deepEqual(merged.annotations.map((a) => a.id).sort(), ['o-1', 't-1']);
    assert.equal(merged.conflicts?.length ?? 0, 0);
  });

  it('Export Dataset refuses a folder inside the corpus and writes nothing there', async () => {
    const before = fs.readdirSync(workspaceDir()).sort();
    const summaries = await vscode.commands.executeCommand<unknown[]>('misconduct.exportDataset', { formats: ['jsonl'], out: workspaceDir(), reveal: false });
    assert.deepEqual(summaries, []);
    assert.deepEqual(fs.readdirSync(workspaceDir()).sort(), before);
  });
});
