import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationDocument } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { exportDataset } from '../../src/core/export';
import { fastSidecar } from '../../src/core/fastValidate';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { mergeForGit, mergeSidecars } from '../../src/core/merge';
import { Sidecar, sidecarSchema } from '../../src/core/schema';
import { isEmptySidecar, newSidecar, serializeSidecar } from '../../src/core/sidecarEncoding';
import { withSourceField } from '../../src/core/source';
import { computeCorpusStats } from '../../src/core/stats';
import { cli, tempDir } from './helpers';

const TEXT = 'PC sacked\n\nA constable was dismissed.\n';
const SOURCE = { byline: 'Jane Doe', published: '2024-03-05', url: 'https://news.example/a', outlet: 'Westshire Gazette', title: 'PC sacked', retrieved: '2024-03-06T10:00:00Z' };

function sidecar(extra: Partial<Sidecar> = {}): Sidecar {
  return { ...newSidecar('a.txt', sha256Hex(TEXT), [...TEXT].length), ...extra };
}

describe('sidecar source and duplicateOf', () => {
  it('are valid by the schema and by the fast path alike', () => {
    const good = JSON.parse(serializeSidecar(sidecar({ source: SOURCE, duplicateOf: 'other/b.txt' })));
    assert.equal(sidecarSchema.safeParse(good).success, true);
    assert.deepEqual(fastSidecar(structuredClone(good)), good);
    for (const bad of [
      { published: '5 March 2024' },
      { url: 'https://a\nb' },
      { outlet: '' },
      { retrieved: '2024-03-06' },
      { publisher: 'x' },
    ]) {
      const raw = { ...good, source: bad };
      assert.equal(sidecarSchema.safeParse(raw).success, false, JSON.stringify(bad));
      assert.equal(fastSidecar(structuredClone(raw)), undefined, JSON.stringify(bad));
    }
    assert.equal(sidecarSchema.safeParse({ ...good, duplicateOf: '' }).success, false);
  });

  it('are written in a fixed place and order, and make a sidecar worth a file', () => {
    const text = serializeSidecar(sidecar({ status: 'done', source: SOURCE, duplicateOf: 'b.txt' }));
    assert.deepEqual(Object.keys(JSON.parse(text)), ['version', 'article', 'status', 'source', 'duplicateOf', 'annotations']);
    assert.deepEqual(Object.keys(JSON.parse(text).source), ['url', 'outlet', 'title', 'published', 'retrieved', 'byline']);
    assert.equal(isEmptySidecar(sidecar({ source: { url: 'https://news.example/a' } })), false);
    assert.equal(isEmptySidecar(sidecar({ duplicateOf: 'b.txt' })), false);
  });

  it('survive the editor: loaded and written back unchanged', () => {
    const doc = new AnnotationDocument('a.txt');
    doc.load(sidecar({ source: SOURCE, duplicateOf: 'b.txt' }), TEXT);
    const back = doc.toSidecar(TEXT, sha256Hex(TEXT));
    assert.deepEqual(back.source, SOURCE);
    assert.equal(back.duplicateOf, 'b.txt');
  });

  it('are edited one field at a time, as one undo step, and a value the schema refuses is refused with the reason', () => {
    const doc = new AnnotationDocument('a.txt');
    doc.load(sidecar({ source: { url: SOURCE.url } }), TEXT);
    assert.equal(doc.setSource(withSourceField(doc.source, 'outlet', '  Westshire Gazette ')), true);
    assert.deepEqual(doc.source, { url: SOURCE.url, outlet: 'Westshire Gazette' });
    assert.equal(doc.setSource(withSourceField(doc.source, 'outlet', 'Westshire Gazette')), false);
    assert.equal(doc.setSource(withSourceField(doc.source, 'url', '')), true);
    assert.deepEqual(doc.toSidecar(TEXT, sha256Hex(TEXT)).source, { outlet: 'Westshire Gazette' });
    doc.undo();
    assert.deepEqual(doc.source, { url: SOURCE.url, outlet: 'Westshire Gazette' });
    doc.undo();
    assert.deepEqual(doc.source, { url: SOURCE.url });
    assert.throws(() => withSourceField(undefined, 'published', '2024-02-30'), /Published is a date/);
    assert.throws(() => withSourceField(undefined, 'title', 'two\nlines'), /Headline is one line/);
    assert.throws(() => withSourceField(undefined, '__proto__', 'x'), /not a field of the source/);
    assert.deepEqual(withSourceField(undefined, 'published', '2024-02-29'), { published: '2024-02-29' });
  });

  it('merge three ways field by field; a field both changed keeps ours, and the result is valid', () => {
    const base = sidecar({ source: { url: 'https://news.example/a', outlet: 'Gazette', title: 'Old' } });
    const ours = sidecar({ source: { url: 'https://news.example/a', outlet: 'Westshire Gazette', title: 'Ours' } });
    const theirs = sidecar({ source: { url: 'https://news.example/b', outlet: 'Gazette', title: 'Theirs', byline: 'Jane Doe' }, duplicateOf: 'c.txt' });
    const { merged, conflicts } = mergeSidecars(base, ours, theirs);
    assert.deepEqual(merged.source, { url: 'https://news.example/b', outlet: 'Westshire Gazette', title: 'Ours', byline: 'Jane Doe' });
    assert.equal(merged.duplicateOf, 'c.txt');
    assert.deepEqual(conflicts, []);
    const git = mergeForGit(base, ours, theirs, { text: TEXT, sha256: sha256Hex(TEXT) });
    assert.equal(sidecarSchema.safeParse(git.sidecar).success, true);
    const removed = mergeSidecars(base, ours, sidecar({}));
    assert.deepEqual(removed.merged.source, { outlet: 'Westshire Gazette', title: 'Ours' });
  });
});

/** A corpus of two articles with sources, one a near copy of the other. */
function corpus(): string {
  const root = tempDir('source-corpus-');
  const write = (name: string, text: string, extra: Partial<Sidecar>) => {
    fs.writeFileSync(path.join(root, name), text);
    const s: Sidecar = { ...newSidecar(name, sha256Hex(text), [...text].length), status: 'done', ...extra };
    fs.writeFileSync(path.join(root, `${name}.annotations.json`), serializeSidecar(s));
  };
  write('a.txt', TEXT, { source: SOURCE, annotations: [{ id: 'a1', label: 'sanction', start: 11, end: 36, text: 'A constable was dismissed', source: 'manual', created: '2024-03-07T10:00:00Z' }] });
  write('b.txt', 'PC dismissed\n\nA constable was dismissed.\n', { source: { url: 'https://other.example/b', outlet: 'Other' }, duplicateOf: 'a.txt' });
  return root;
}

describe('exports, stats and agreement carry the source and leave near copies out', () => {
  it('jsonl: meta.source; a near copy only with includeDuplicates', async () => {
    const root = corpus();
    const out = path.join(tempDir(), 'x.jsonl');
    const summary = await exportDataset(nodeFileSystem, root, { format: 'jsonl', out });
    assert.equal(summary.skipped.duplicates, 1);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), ['a.txt']);
    assert.deepEqual(lines[0].meta.source, { url: SOURCE.url, outlet: SOURCE.outlet, title: SOURCE.title, published: SOURCE.published, retrieved: SOURCE.retrieved, byline: SOURCE.byline });
    await exportDataset(nodeFileSystem, root, { format: 'jsonl', out, includeDuplicates: true });
    const all = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(all.map((l) => [l.id, l.meta.duplicateOf]), [['a.txt', undefined], ['b.txt', 'a.txt']]);
  });

  it('cases.csv: url, outlet and published after every other column', async () => {
    const root = corpus();
    const out = path.join(tempDir(), 'cases');
    await exportDataset(nodeFileSystem, root, { format: 'cases', out, includeDuplicates: true });
    const [header, a, b] = fs.readFileSync(path.join(out, 'cases.csv'), 'utf8').trimEnd().split('\r\n');
    assert.match(header, /^file,.*,force_ids,url,outlet,published$/);
    assert.match(a, /^a\.txt,.*,https:\/\/news\.example\/a,Westshire Gazette,2024-03-05$/);
    assert.match(b, /^b\.txt,.*,https:\/\/other\.example\/b,Other,$/);
  });

  it('webanno: the page an article came from is its target source\'s via', async () => {
    const root = corpus();
    const out = path.join(tempDir(), 'x.jsonld');
    await exportDataset(nodeFileSystem, root, { format: 'webanno', out });
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(doc.first.items[0].target.source, { id: 'urn:misconduct-annotator:article:a.txt', type: 'Text', via: SOURCE.url });
  });

  it('stats and agree: near copies are left out unless asked for', async () => {
    const root = corpus();
    const stats = await computeCorpusStats(nodeFileSystem, root);
    assert.equal(stats.articles, 1);
    assert.equal(stats.duplicates, 1);
    assert.equal((await computeCorpusStats(nodeFileSystem, root, { includeDuplicates: true })).articles, 2);
    const cliStats = await cli('stats', root, '--json', '--include-duplicates');
    assert.equal(JSON.parse(cliStats.out).articles, 2);

    const other = tempDir('source-set-');
    for (const name of fs.readdirSync(root)) fs.copyFileSync(path.join(root, name), path.join(other, name));
    const agree = await cli('agree', root, other, '--json');
    assert.match(agree.out, /a near copy of a\.txt/);
    const withCopies = await cli('agree', root, other, '--json', '--include-duplicates');
    assert.doesNotMatch(withCopies.out, /a near copy of a\.txt/);
  });
});
