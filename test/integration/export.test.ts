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
});
