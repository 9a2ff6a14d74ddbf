import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import type { AnnotationNode } from '../../src/extension/views';
import { api, openArticle, workspaceDir } from './helpers';

const ARTICLE = '001_928ec815419fdbae.txt';

describe('compare mode in the Annotations view', () => {
  it('lists disagreements in their own group, and resolving one from its item removes it', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-view-set-'));
    fs.cpSync(workspaceDir(), other, { recursive: true });
    const sidecarFile = path.join(other, ARTICLE + '.annotations.json');
    const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8'));
    // the other annotator did not tag the force
    sidecar.annotations = sidecar.annotations.filter((a: { label: string }) => a.label !== 'force');
    fs.writeFileSync(sidecarFile, JSON.stringify(sidecar, null, 2) + '\n');

    await openArticle(path.join(workspaceDir(), ARTICLE));
    const { views } = (await api()) as MisconductApi;
    await vscode.commands.executeCommand('misconduct.compareWith', other);
    try {
      const group = () => views.annotations.getChildren().find((n: AnnotationNode) => n.kind === 'group' && n.group === 'disagreements');
      views.annotations.flush();
      const found = group();
      assert.ok(found, 'a Disagreements group is shown');
      const children = views.annotations.getChildren(found);
      assert.equal(children.length, 1);
      const item = views.annotations.getTreeItem(children[0]);
      assert.equal(item.contextValue, 'misconduct.disagreement');
      assert.match(String(item.description), /only mine · force/);
      // the inline action receives the tree element itself
      await vscode.commands.executeCommand('misconduct.keepMine', children[0]);
      views.annotations.flush();
      assert.equal(group(), undefined);
    } finally {
      await vscode.commands.executeCommand('misconduct.stopComparing');
    }
  });
});
