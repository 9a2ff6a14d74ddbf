/** The export folder Export Dataset… suggests, and the corpus walk that skips it (issue 18, point 5). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportFolderName, walkCorpus } from '../../src/core/corpus';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { tempDir } from './helpers';

describe('export folders', () => {
  it('names a new folder by the local date, never one that exists', () => {
    const date = new Date(2026, 10, 9, 23, 30);
    assert.equal(exportFolderName(date, () => false), 'export-2026-11-09');
    const taken = new Set(['export-2026-11-09', 'export-2026-11-09-2']);
    assert.equal(exportFolderName(date, (n) => taken.has(n)), 'export-2026-11-09-3');
  });

  it('leaves the files of an export folder out of the corpus (brat writes .txt files)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'story.txt'), 'A story.');
    fs.mkdirSync(path.join(dir, 'export-2026-11-09', 'brat'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'export-2026-11-09', 'brat', 'story.txt'), 'A story.');
    fs.mkdirSync(path.join(dir, 'exports-of-mine'));
    fs.writeFileSync(path.join(dir, 'exports-of-mine', 'kept.txt'), 'Kept.');
    const found: string[] = [];
    for await (const e of walkCorpus(nodeFileSystem, dir)) found.push(e.relativePath);
    assert.deepEqual(found, ['exports-of-mine/kept.txt', 'story.txt']);
  });
});
