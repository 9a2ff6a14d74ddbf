import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { cli, copySamples, REPO, SAMPLES, tempDir } from './helpers';

describe('CLI: validate', () => {
  it('exits 0 on the sample corpus', async () => {
    const run = await cli('validate', SAMPLES);
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.err, /7 sidecar\(s\) checked, 0 with problems/);
  });

  it('exits 1 on a corrupted copy, names the file and the problem, and leaves the file byte for byte', async () => {
    const dir = copySamples();
    const file = path.join(dir, '002_15c05126c182eb79.txt.annotations.json');
    const corrupted = fs.readFileSync(file, 'utf8').replace('"text": "Hampshire"', '"text": "Hamster"');
    fs.writeFileSync(file, corrupted);
    const run = await cli('validate', dir);
    assert.equal(run.code, 1);
    assert.match(run.out, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: annotation #1 \\(a-15c000\\): text "Hamster" does not match`));
    assert.equal(fs.readFileSync(file, 'utf8'), corrupted);
  });

  it('validates a single sidecar named directly', async () => {
    const run = await cli('validate', path.join(SAMPLES, '000_fafa6f8612fe896a.txt.annotations.json'));
    assert.equal(run.code, 0);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await cli('validate')).code, 2);
    assert.equal((await cli('validate', path.join(tempDir(), 'no-such-folder'))).code, 2);
    assert.equal((await cli('frobnicate')).code, 2);
    assert.equal((await cli('stats', SAMPLES, '--bogus')).code, 2);
    assert.equal((await cli()).code, 2);
  });

  it('prints help for the tool and each verb', async () => {
    const tool = await cli('--help');
    assert.equal(tool.code, 0);
    for (const verb of ['validate', 'stats', 'export', 'suggest', 'agree']) assert.match(tool.out, new RegExp(`^  ${verb} `, 'm'));
    const verb = await cli('validate', '--help');
    assert.match(verb.out, /^Usage: misconduct-annotate validate/);
  });
});

describe('CLI: stats', () => {
  it('counts articles, annotated articles and annotations per label', async () => {
    const run = await cli('stats', SAMPLES, '--json');
    assert.equal(run.code, 0);
    const stats = JSON.parse(run.out);
    assert.equal(stats.articles, 7);
    assert.equal(stats.annotatedArticles, 7);
    assert.equal(stats.annotations, 122);
    assert.deepEqual(Object.keys(stats.labels), ['allegation', 'force', 'officer', 'sanction']);
  });
});

describe('CLI: the bundled binary', () => {
  const bin = path.join(REPO, 'dist', 'cli.js');
  before(function () {
    this.timeout(120000);
    if (!fs.existsSync(bin)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'ignore' });
  });

  it('runs as `misconduct-annotate` with the same exit codes', () => {
    assert.equal(spawnSync(process.execPath, [bin, 'validate', SAMPLES]).status, 0);
    assert.equal(spawnSync(process.execPath, [bin, 'validate']).status, 2);
  });
});
