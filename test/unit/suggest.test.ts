import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, SAMPLES, tempDir } from './helpers';

const ARTICLE = path.join(SAMPLES, '002_15c05126c182eb79.txt');

describe('CLI: suggest', () => {
  it('prints file, code point offsets, category, type and text as TSV', async () => {
    const run = await cli('suggest', ARTICLE);
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split('\n');
    assert.equal(lines[0], `${ARTICLE}\t2\t11\tforce\thampshire_and_isle_of_wight\tHampshire`);
    assert.ok(lines.includes(`${ARTICLE}\t620\t642\tforce\thampshire_and_isle_of_wight\tHampshire Constabulary`));
    for (const line of lines) assert.equal(line.split('\t').length, 6);
  });

  it('prints a JSON array with --json', async () => {
    const run = await cli('suggest', ARTICLE, '--json');
    assert.equal(run.code, 0);
    const all = JSON.parse(run.out);
    assert.deepEqual(all[0], { file: ARTICLE, start: 2, end: 11, label: 'force', type: 'hampshire_and_isle_of_wight', text: 'Hampshire' });
    assert.ok(all.some((s: { label: string; text: string }) => s.label === 'body' && s.text === 'IOPC'));
  });

  it('counts code points after an emoji and escapes line breaks in TSV', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'emoji.txt');
    fs.writeFileSync(file, '🚔 The Metropolitan\r\nPolice Service said.');
    const run = await cli('suggest', file);
    assert.equal(run.out, `${file}\t6\t34\tforce\tmetropolitan\tMetropolitan\\r\\nPolice Service`);
    const json = JSON.parse((await cli('suggest', file, '--json')).out);
    assert.equal(json[0].text, 'Metropolitan\r\nPolice Service');
    assert.equal([...fs.readFileSync(file, 'utf8')].slice(json[0].start, json[0].end).join(''), json[0].text);
  });

  it('prints nothing for an article without matches, and [] with --json', async () => {
    const file = path.join(tempDir(), 'empty.txt');
    fs.writeFileSync(file, '');
    assert.deepEqual(await cli('suggest', file), { code: 0, out: '', err: '' });
    assert.equal((await cli('suggest', file, '--json')).out, '[]');
  });

  it('exits 1 naming a file it cannot read or decode, and still does the others', async () => {
    const dir = tempDir();
    const binary = path.join(dir, 'binary.txt');
    fs.writeFileSync(binary, Buffer.from([0x4d, 0x65, 0x74, 0x00, 0x01]));
    const missing = path.join(dir, 'missing.txt');
    const run = await cli('suggest', missing, binary, ARTICLE);
    assert.equal(run.code, 1);
    assert.match(run.err, new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(run.err, /binary\.txt: this looks like a binary file/);
    assert.ok(run.out.includes('Hampshire Constabulary'));
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await cli('suggest')).code, 2);
    assert.equal((await cli('suggest', ARTICLE, '--bogus')).code, 2);
  });
});
