/**
 * Atomic writes (what every sidecar write goes through, in the CLI and in the editor for `file:`
 * folders): a hidden temp file beside the target, flushed, renamed over it, the folder flushed;
 * nothing of ours left behind on failure; stale temp files of ours cleaned; symlinks kept.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { cleanStaleTemps, writeFileAtomic } from '../../src/core/sidecarWrite';
import { tempDir } from './helpers';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('atomic writes', () => {
  it('writes through a hidden temp file in the same folder, flushes the folder, and leaves only the target', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'story.txt.annotations.json');
    const written: string[] = [];
    const synced: string[] = [];
    const fsSpy: FileSystem = {
      ...nodeFileSystem,
      writeFile: async (p, d) => {
        written.push(p);
        return nodeFileSystem.writeFile(p, d);
      },
      syncFolder: async (p) => {
        synced.push(p);
        return nodeFileSystem.syncFolder!(p);
      },
    };
    await writeFileAtomic(fsSpy, target, bytes('{}\n'));
    assert.equal(written.length, 1);
    assert.equal(path.dirname(written[0]), dir);
    assert.match(path.basename(written[0]), /^\.story\.txt\.annotations\.json\.\d+-[0-9a-z]+-[0-9a-z]+\.tmp$/, 'a hidden temp name');
    assert.deepEqual(synced, [dir]);
    assert.deepEqual(fs.readdirSync(dir), ['story.txt.annotations.json']);
    assert.equal(fs.readFileSync(target, 'utf8'), '{}\n');
  });

  it('removes its temp file when the rename fails, and keeps the old file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'a.json');
    fs.writeFileSync(target, 'old');
    const failing: FileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      },
    };
    await assert.rejects(writeFileAtomic(failing, target, bytes('new')), /EXDEV/);
    assert.deepEqual(fs.readdirSync(dir), ['a.json']);
    assert.equal(fs.readFileSync(target, 'utf8'), 'old');
  });

  it('cleans temp files a crashed write left (its own names only, and only stale ones)', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'story.txt.annotations.json');
    const now = Date.now();
    const stale = ['.story.txt.annotations.json.123-abc-0.tmp', 'story.txt.annotations.json.456-def-1.tmp'];
    const fresh = '.story.txt.annotations.json.789-fff-2.tmp';
    const notOurs = ['story.txt.annotations.json.tmp', '.other.json.123-abc-0.tmp', 'notes.tmp'];
    for (const n of [...stale, fresh, ...notOurs]) fs.writeFileSync(path.join(dir, n), 'x');
    const old = new Date(now - 10 * 60_000);
    for (const n of [...stale, ...notOurs]) fs.utimesSync(path.join(dir, n), old, old);
    await writeFileAtomic(nodeFileSystem, target, bytes('{}\n'), now);
    const left = fs.readdirSync(dir).sort();
    assert.deepEqual(left, [fresh, ...notOurs, 'story.txt.annotations.json'].sort());
    assert.deepEqual(await cleanStaleTemps(nodeFileSystem, dir, 'story.txt.annotations.json', now), []);
  });

  it('writes a symlinked sidecar through to its target: the link stays a link', async function () {
    const dir = tempDir();
    const elsewhere = tempDir();
    const real = path.join(elsewhere, 'shared.annotations.json');
    fs.writeFileSync(real, 'old');
    const link = path.join(dir, 'story.txt.annotations.json');
    fs.symlinkSync(real, link);
    await writeFileAtomic(nodeFileSystem, link, bytes('new'));
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'still a link');
    assert.equal(fs.readFileSync(real, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(elsewhere), ['shared.annotations.json']);
  });
});
