import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, SAMPLES, tempDir } from './helpers';
import { buildCorpus } from './fixtures/export/corpus';

describe('CLI: export', () => {
  it('exits 0 and writes the sample corpus as jsonl', async () => {
    const out = path.join(tempDir(), 'samples.jsonl');
    const run = await cli('export', SAMPLES, '--format', 'jsonl', '--out', out);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /exported 7 article\(s\), 122 span\(s\) as jsonl/);
    assert.match(run.err, /and 4 case record\(s\)/);
    assert.equal(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, 7);
  });

  it('exits 0 with warnings only (overlaps, orphans) and prints them with the file', async () => {
    const { root } = buildCorpus();
    const run = await cli('export', root, '--format', 'conll', '--out', path.join(tempDir(), 'x.conll'));
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^crlf-emoji\.txt: warning: conll: span .*\(place\) "Hampshire" at 0–9 overlaps a longer span/m);
    assert.match(run.err, /^crlf-emoji\.txt: warning: orphaned annotation/m);
    assert.match(run.err, /1 orphaned annotation\(s\)/);
  });

  it('exits 1 on an invalid sidecar, names it, and still writes the export', async () => {
    const { root } = buildCorpus({ broken: true });
    const out = path.join(tempDir(), 'x.csv');
    const run = await cli('export', root, '--format', 'csv', '--out', out);
    assert.equal(run.code, 1);
    assert.ok(run.err.includes(`${path.join(root, 'broken.txt.annotations.json')}: annotation #1`), run.err);
    assert.ok(fs.existsSync(out));
  });

  it('--split writes one file per part; --labels and --include-unannotated apply', async () => {
    const { root } = buildCorpus();
    const dir = tempDir();
    const run = await cli('export', root, '--format', 'jsonl', '--out', path.join(dir, 'data.jsonl'), '--split', '80,10,10', '--seed', '5', '--labels', 'force,sanction', '--include-unannotated');
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['data.dev.jsonl', 'data.test.jsonl', 'data.train.jsonl']);
    const docs = fs
      .readdirSync(dir)
      .flatMap((n) => fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l));
    assert.equal(docs.length, 5);
    assert.ok(docs.every((d) => d.spans.every((s: { label: string }) => s.label === 'force' || s.label === 'sanction')));
  });

  it('writes brat to a folder', async () => {
    const { root } = buildCorpus();
    const out = path.join(tempDir(), 'brat');
    const run = await cli('export', root, '--format', 'brat', '--out', out);
    assert.equal(run.code, 0, run.err);
    assert.ok(fs.existsSync(path.join(out, 'sub__dir__plain.txt.ann')));
  });

  it('exits 2 on usage errors and writes nothing', async () => {
    const { root } = buildCorpus();
    const dir = tempDir();
    const out = path.join(dir, 'x.jsonl');
    const cases: string[][] = [
      ['export', root, '--out', out],
      ['export', root, '--format', 'xml', '--out', out],
      ['export', root, '--format', 'jsonl,csv', '--out', out],
      ['export', root, '--format', 'jsonl'],
      ['export', '--format', 'jsonl', '--out', out],
      ['export', path.join(root, 'nope'), '--format', 'jsonl', '--out', out],
      ['export', root, '--format', 'jsonl', '--out', out, '--split', '80,10'],
      ['export', root, '--format', 'jsonl', '--out', out, '--seed', '3'],
      ['export', root, '--format', 'jsonl', '--out', out, '--split', '80,20', '--seed', 'x'],
      ['export', root, '--format', 'jsonl', '--out', out, '--labels', 'Force'],
      ['export', root, '--format', 'jsonl', '--out', out, '--bogus'],
      ['export', root, '--format', 'brat', '--out', path.join(root, 'brat')],
      ['export', root, '--format', 'conll', '--out', path.join(root, 'x.txt')],
      ['export', root, '--format', 'brat', '--out', path.dirname(root)],
    ];
    for (const args of cases) {
      const run = await cli(...args);
      assert.equal(run.code, 2, `${args.join(' ')}\n${run.err}`);
    }
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.ok(!fs.existsSync(path.join(root, 'brat')));
  });

  it('exits 2 rather than write into a folder that is not empty', async () => {
    const { root } = buildCorpus();
    const other = tempDir();
    fs.writeFileSync(path.join(other, 'notes.txt'), 'keep me');
    const run = await cli('export', root, '--format', 'brat', '--out', other);
    assert.equal(run.code, 2);
    assert.match(run.err, /is not empty; .*--force/);
    assert.equal(fs.readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'keep me');
  });

  it('prints its help', async () => {
    const run = await cli('export', '--help');
    assert.equal(run.code, 0);
    assert.match(run.out, /^Usage: misconduct-annotate export <folder> --format <fmt> --out <path>/);
  });
});
