/**
 * Team annotation in git, in VS Code: merge conflicts the driver recorded are offered in the
 * Annotations view (Accept Theirs / Keep Mine), Set Up Git Merging registers the bundled CLI, and
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
import { api, closeAll, openArticle, readSidecar, workspaceDir } from './helpers';

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

  it('Set Up Git Merging registers the CLI bundled with the extension as the driver', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'it-git-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const actions = await vscode.commands.executeCommand<string[]>('misconduct.setupGitMerging', vscode.Uri.file(repo));
    assert.ok(actions && actions.length === 2, String(actions));
    assert.match(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8'), /^\*\.annotations\.json merge=misconduct-annotations$/m);
    const driver = execFileSync('git', ['config', '--get', 'merge.misconduct-annotations.driver'], { cwd: repo, encoding: 'utf8' }).trim();
    const cli = /(\S+cli\.js)'? merge-driver %O %A %B %P$/.exec(driver)?.[1]?.replace(/^'/, '');
    assert.ok(cli && fs.existsSync(cli), driver);
    const again = await vscode.commands.executeCommand<string[]>('misconduct.setupGitMerging', vscode.Uri.file(repo));
    assert.match(again!.join('\n'), /already/);
  });

  it('Export Dataset refuses a folder inside the corpus and writes nothing there', async () => {
    const before = fs.readdirSync(workspaceDir()).sort();
    const summaries = await vscode.commands.executeCommand<unknown[]>('misconduct.exportDataset', { formats: ['jsonl'], out: workspaceDir(), reveal: false });
    assert.deepEqual(summaries, []);
    assert.deepEqual(fs.readdirSync(workspaceDir()).sort(), before);
  });
});
