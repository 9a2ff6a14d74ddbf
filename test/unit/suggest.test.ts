import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, SAMPLES, tempDir } from './helpers';

const ARTICLE = path.join(SAMPLES, '002_15c05126c182eb79.txt');

describe('CLI: suggest', () => {
  it('prints file, code point offsets, category, type, text and source as TSV', async () => {
    const run = await cli('suggest', ARTICLE);
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split('\n');
    assert.equal(lines[0], `${ARTICLE}\t2\t11\tforce\thampshire_and_isle_of_wight\tHampshire\tgazetteer`);
    assert.ok(lines.includes(`${ARTICLE}\t620\t642\tforce\thampshire_and_isle_of_wight\tHampshire Constabulary\tgazetteer`));
    // a conduct clause after a trigger, typed by the term inside it
    assert.ok(lines.includes(`${ARTICLE}\t257\t286\tallegation\tdata_misuse\tmisused their contact details\trule`), run.out);
    for (const line of lines) assert.equal(line.split('\t').length, 7);
  });

  it('prints a JSON array with --json', async () => {
    const run = await cli('suggest', ARTICLE, '--json');
    assert.equal(run.code, 0);
    const all = JSON.parse(run.out);
    assert.deepEqual(all[0], {
      file: ARTICLE,
      start: 2,
      end: 11,
      label: 'force',
      type: 'hampshire_and_isle_of_wight',
      text: 'Hampshire',
      source: 'gazetteer',
      reason: 'gazetteer: Hampshire and Isle of Wight Constabulary',
    });
    assert.ok(all.some((s: { label: string; text: string }) => s.label === 'body' && s.text === 'IOPC'));
  });

  it('counts code points after an emoji and escapes line breaks in TSV', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'emoji.txt');
    fs.writeFileSync(file, '🚔 The Metropolitan\r\nPolice Service said.');
    const run = await cli('suggest', file);
    assert.equal(run.out, `${file}\t6\t34\tforce\tmetropolitan\tMetropolitan\\r\\nPolice Service\tgazetteer`);
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

  it('learns from the sidecars of the folders it is given, and not with --no-learn', async () => {
    const dir = tempDir();
    const text = 'PC Jane Doe was seen at the scene. Later PC Jane Doe left.';
    fs.writeFileSync(path.join(dir, 'a.txt'), text);
    const other = path.join(dir, 'b.txt');
    fs.writeFileSync(other, 'Nobody knew PC Jane Doe, said the pc jane doe fan club.');
    // a.txt has "PC Jane Doe" tagged as officer twice (one article)
    const ann = (start: number, id: string) => ({ id, label: 'officer', start, end: start + 11, text: 'PC Jane Doe', source: 'manual', created: '2026-11-29T12:00:00Z' });
    fs.writeFileSync(
      path.join(dir, 'a.txt.annotations.json'),
      JSON.stringify({
        version: 1,
        article: { file: 'a.txt', sha256: crypto.createHash('sha256').update(text).digest('hex'), length: text.length },
        annotations: [ann(0, 'a-1'), ann(text.indexOf('PC Jane Doe', 5), 'a-2')],
      }),
    );
    const run = await cli('suggest', dir, '--json');
    assert.equal(run.code, 0, run.err);
    const learned = JSON.parse(run.out).filter((s: { source: string }) => s.source === 'learned');
    // suggested in the other article (capitals as tagged: not "pc jane doe"), not where it is tagged
    assert.deepEqual(learned, [{ file: other, start: 12, end: 23, label: 'officer', type: '', text: 'PC Jane Doe', source: 'learned', reason: 'learned: tagged 2× in 1 article' }]);
    const off = JSON.parse((await cli('suggest', dir, '--json', '--no-learn')).out);
    assert.ok(!off.some((s: { source: string }) => s.source === 'learned'));
  });
});
