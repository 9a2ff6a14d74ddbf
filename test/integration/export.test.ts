import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceDir } from './helpers';

interface Summary {
  format: string;
  outputs: string[];
  articles: number;
  spans: number;
}

describe('export dataset command', () => {
  it('exports the workspace corpus in several formats with progress, each span matching its article', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
    const summaries = await vscode.commands.executeCommand<Summary[]>('misconduct.exportDataset', { formats: ['jsonl', 'csv', 'conll'], out, reveal: false });
    assert.deepEqual(summaries.map((s) => s.format), ['jsonl', 'csv', 'conll']);
    const jsonl = summaries[0].outputs[0];
    assert.ok(fs.existsSync(jsonl));
    const lines = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= 3);
    for (const line of lines) {
      const points = Array.from(line.text as string);
      for (const span of line.spans) assert.equal(points.slice(span.start, span.end).join(''), span.text);
    }
    const article = fs.readFileSync(path.join(workspaceDir(), '002_15c05126c182eb79.txt'), 'utf8');
    assert.ok(lines.some((l) => l.text === article));
    assert.ok(fs.readFileSync(summaries[1].outputs[0], 'utf8').startsWith('file,start,end,label,text,note,author,source\r\n'));
    assert.ok(fs.readFileSync(summaries[2].outputs[0], 'utf8').startsWith('-DOCSTART- -X- O O'));
  });

  it('offers the case table, with the form fields and relation types of the settings', async () => {
    const settings = vscode.workspace.getConfiguration('misconduct');
    const fields = [
      { name: 'outcome', type: 'choice', options: ['dismissal'] },
      { name: 'reviewed', type: 'boolean' },
    ];
    // the extension's own listener (registered at activation, so called first) drops its cached settings
    const changed = (key: string) => new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`misconduct.${key}`)) return;
        listener.dispose();
        resolve();
      });
    });
    const updated = Promise.all([changed('documentFields'), changed('relations')]);
    await settings.update('documentFields', fields, vscode.ConfigurationTarget.Workspace);
    await settings.update('relations', [{ name: 'outcome', from: [], to: ['sanction'] }], vscode.ConfigurationTarget.Workspace);
    await updated;
    try {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
      const summaries = await vscode.commands.executeCommand<Summary[]>('misconduct.exportDataset', { formats: ['cases', 'brat'], out, reveal: false });
      assert.deepEqual(summaries.map((s) => s.format), ['cases', 'brat']);
      const folder = summaries[0].outputs[0];
      const header = fs.readFileSync(path.join(folder, 'cases.csv'), 'utf8').split('\r\n')[0].split(',');
      // the configured fields first, in their order; then any other field found in the sidecars
      assert.deepEqual(header.slice(0, 3), ['file', 'outcome', 'reviewed']);
      assert.equal(fs.readFileSync(path.join(folder, 'relations.csv'), 'utf8').split('\r\n')[0], 'file,id,label,from_id,from_label,from_text,to_id,to_label,to_text');
      const conf = fs.readFileSync(path.join(summaries[1].outputs[0], 'annotation.conf'), 'utf8');
      assert.match(conf, /^outcome Arg1:<ENTITY>, Arg2:sanction$/m);
    } finally {
      await settings.update('documentFields', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('relations', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
