import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { convertPage, importPages } from '../../src/core/import';
import { decodePage } from '../../src/core/import/charset';
import { CopyIndex, NEAR_COPY_THRESHOLD, shingles } from '../../src/core/import/duplicates';
import { cleanDate } from '../../src/core/import/metadata';
import { slugFor } from '../../src/core/import/naming';
import { parseSidecar } from '../../src/core/sidecar';
import { cli, REPO, tempDir } from './helpers';

// the modules themselves (a TypeScript namespace import is a read-only copy of their exports)
const http = createRequire(__filename)('node:http') as typeof import('node:http');
const https = createRequire(__filename)('node:https') as typeof import('node:https');

const PAGES = path.join(REPO, 'test', 'fixtures', 'import');
const EXPECTED = path.join(PAGES, 'expected');
const SAVED = new Date('2024-03-06T10:00:00Z');

function page(name: string): Buffer {
  return fs.readFileSync(path.join(PAGES, name));
}

function expected(name: string): { text: string; source: Record<string, string> } {
  const base = name.replace(/\.html?$/, '');
  return {
    text: fs.readFileSync(path.join(EXPECTED, `${base}.txt`), 'utf8'),
    source: { ...JSON.parse(fs.readFileSync(path.join(EXPECTED, `${base}.source.json`), 'utf8')), retrieved: '2024-03-06T10:00:00Z' },
  };
}

/** Copies the fixture pages named into a fresh folder. */
function pagesFolder(...names: string[]): string {
  const dir = tempDir('pages-');
  for (const name of names) fs.copyFileSync(path.join(PAGES, name), path.join(dir, path.basename(name)));
  return dir;
}

describe('import: a saved page to an article', () => {
  for (const name of ['news-jsonld.html', 'force-press.htm', 'teasers.html', 'windows-1252.html', 'paywall.html', 'malformed.html']) {
    it(`${name}: the headline, then the body's paragraphs, and the page's source, exactly`, () => {
      const got = convertPage(page(name), SAVED);
      const want = expected(name);
      assert.equal(got.text, want.text);
      assert.deepEqual(got.source, want.source);
    });
  }

  it('leaves out navigation, share bars, figures and credits, related links, cookie notices and comments', () => {
    const { text } = convertPage(page('news-jsonld.html'), SAVED);
    for (const clutter of ['Sport', 'Share on', 'Photo:', 'Officer charged', 'cookies', 'Comments', 'About time', 'All rights reserved', 'By Jane Doe']) {
      assert.ok(!text.includes(clutter), `${clutter} is in the article`);
    }
    const teasers = convertPage(page('teasers.html'), SAVED).text;
    for (const clutter of ['data breach', 'chief constable', 'Most read', 'Storm warning']) assert.ok(!teasers.includes(clutter), clutter);
  });

  it('keeps no script: text a script would write is not there, and JSON-LD cannot reach a prototype', () => {
    const { text } = convertPage(page('news-jsonld.html'), SAVED);
    assert.ok(!text.includes('Injected'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const malformed = convertPage(page('malformed.html'), SAVED).text;
    assert.ok(!malformed.includes('while(true)'));
  });

  it('fetches nothing: no request is made for the images, links and scripts a page names', async () => {
    const calls: string[] = [];
    const saved = { fetch: globalThis.fetch, http: http.request, https: https.request, httpGet: http.get, httpsGet: https.get };
    const trap = (what: string) => ((...args: unknown[]) => {
      calls.push(`${what} ${String(args[0])}`);
      throw new Error('no network in tests');
    }) as never;
    globalThis.fetch = trap('fetch');
    Object.assign(http, { request: trap('http'), get: trap('http') });
    Object.assign(https, { request: trap('https'), get: trap('https') });
    try {
      const out = tempDir('corpus-');
      const summary = await importPages(nodeFileSystem, [PAGES], out);
      assert.ok(summary.imported > 0);
    } finally {
      globalThis.fetch = saved.fetch;
      Object.assign(http, { request: saved.http, get: saved.httpGet });
      Object.assign(https, { request: saved.https, get: saved.httpsGet });
    }
    assert.deepEqual(calls, []);
  });

  it('names a page that has no article text, and a binary file, in one line each', () => {
    assert.throws(() => convertPage(Buffer.from('<html><head><title>Only a title</title></head><body><nav><a href="/">Home</a></nav></body></html>')), /^Error: no article text was found in it$/);
    assert.throws(() => convertPage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])), /binary file/);
  });
});

describe('import: the page\'s charset', () => {
  const body = (charsetTag: string, bytes: number[]) =>
    Buffer.concat([Buffer.from(`<html><head>${charsetTag}</head><body><p>`), Buffer.from(bytes), Buffer.from('</p></body></html>')]);

  it('honours <meta charset> and http-equiv windows-1252 (curly quotes, dashes and € from 0x80–0x9F)', () => {
    const quoted = [0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0x80];
    assert.match(decodePage(body('<meta charset="windows-1252">', quoted)).text, /<p>“A” – €<\/p>/);
    assert.match(decodePage(body('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', quoted)).text, /<p>“A” – €<\/p>/);
  });

  it('reads an undeclared page as UTF-8 when it is, else as windows-1252', () => {
    assert.match(decodePage(body('', [...Buffer.from('Café')])).text, /Café/);
    assert.match(decodePage(body('', [0x43, 0x61, 0x66, 0xe9])).text, /Café/);
  });

  it('lets a byte-order mark win over the declaration', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body('<meta charset="windows-1252">', [...Buffer.from('“x”')])]);
    assert.match(decodePage(utf8).text, /“x”/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>“y”</p>', 'utf16le')]);
    assert.equal(decodePage(utf16).text, '<p>“y”</p>');
  });
});

describe('import: metadata is cleaned', () => {
  it('keeps dates a sidecar can hold: a date, or a date-time with its offset', () => {
    assert.equal(cleanDate('2024-03-05'), '2024-03-05');
    assert.equal(cleanDate('2024-03-05T09:30:00Z'), '2024-03-05T09:30:00Z');
    assert.equal(cleanDate('2024-03-05T09:30+0100'), '2024-03-05T09:30:00+01:00');
    assert.equal(cleanDate('2024-03-05T09:30:00'), '2024-03-05');
    assert.equal(cleanDate('5 March 2024'), undefined);
    assert.equal(cleanDate({ date: '2024-03-05' }), undefined);
  });

  it('drops a canonical link that is not http(s), and survives broken or hostile JSON-LD', () => {
    const html = `<html><head><link rel="canonical" href="javascript:alert(1)">
      <script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
      <script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": ["not", "a", "string"], "author": {"name": {"x": 1}}, "datePublished": 20240305}]}</script>
      </head><body><h1>Headline</h1><p>${'Body text of the article. '.repeat(10)}</p></body></html>`;
    const { source } = convertPage(Buffer.from(html), SAVED);
    assert.deepEqual(source, { title: 'Headline', retrieved: '2024-03-06T10:00:00Z' });
  });
});

describe('import: names and copies', () => {
  it('derives a file name from the headline', () => {
    assert.equal(slugFor('Sergeant’s appeal rejected'), 'sergeant-s-appeal-rejected');
    assert.equal(slugFor('Café owner’s complaint upheld — IOPC'), 'cafe-owner-s-complaint-upheld-iopc');
    assert.equal(slugFor('“???”'), 'article');
    assert.equal(slugFor('CON'), 'con-article');
    assert.ok(slugFor('word '.repeat(40)).length <= 60);
  });

  it('finds a near copy by shingles, and not an article on another case', () => {
    const index = new CopyIndex();
    const release = convertPage(page('force-press.htm')).text;
    index.add('release.txt', release, release.slice(release.indexOf('\n') + 1));
    const republished = convertPage(page('republished/press-republished.html')).text;
    const near = index.nearCopyOf(republished.slice(republished.indexOf('\n') + 1));
    assert.equal(near?.id, 'release.txt');
    assert.ok(near!.similarity >= NEAR_COPY_THRESHOLD && near!.similarity < 1);
    const other = convertPage(page('teasers.html')).text;
    assert.equal(index.nearCopyOf(other.slice(other.indexOf('\n') + 1)), undefined);
    assert.equal(shingles('one two three').size, 1);
  });
});

describe('CLI: import', () => {
  it('imports a folder of pages with their sidecars, skips an exact copy, marks a near copy, and says so', async () => {
    const out = tempDir('corpus-');
    const run = await cli('import', PAGES, '--out', out);
    assert.equal(run.code, 0, run.err);
    const names = fs.readdirSync(out).sort();
    assert.deepEqual(names.filter((n) => n.endsWith('.txt')), [
      'constable-reprimanded-for-using-his-phone-while-driving.txt',
      'detective-warned-over-unrecorded-complaint.txt',
      'inspector-cleared-of-dishonesty.txt',
      'officer-faces-gross-misconduct-hearing.txt',
      'officer-given-final-written-warning.txt',
      'pc-sacked-after-misconduct-hearing.txt',
      'sergeant-s-appeal-rejected.txt',
    ]);
    assert.equal(names.length, 14, 'each article has its sidecar');
    assert.match(run.out, /news-amp\.html: skipped, an exact copy of pc-sacked-after-misconduct-hearing\.txt$/m);
    assert.match(run.out, /press-republished\.html: imported as detective-warned-over-unrecorded-complaint\.txt \(a near copy of officer-given-final-written-warning\.txt, \d+% of its text shared: marked duplicateOf\)/);
    assert.match(run.err, /^7 page\(s\) imported, 1 of them near copies, 1 exact copy skipped, 0 page\(s\) could not be imported$/m);

    const sidecarText = fs.readFileSync(path.join(out, 'pc-sacked-after-misconduct-hearing.txt.annotations.json'), 'utf8');
    const sidecar = parseSidecar('x', sidecarText);
    assert.equal(sidecar.article.file, 'pc-sacked-after-misconduct-hearing.txt');
    assert.deepEqual(Object.keys(sidecar.source!), ['url', 'outlet', 'title', 'published', 'retrieved', 'byline']);
    assert.equal(sidecar.source!.outlet, 'Westshire Gazette');
    assert.equal(fs.readFileSync(path.join(out, 'pc-sacked-after-misconduct-hearing.txt'), 'utf8'), expected('news-jsonld.html').text);
    const near = parseSidecar('y', fs.readFileSync(path.join(out, 'detective-warned-over-unrecorded-complaint.txt.annotations.json'), 'utf8'));
    assert.equal(near.duplicateOf, 'officer-given-final-written-warning.txt');

    const validate = await cli('validate', out);
    assert.equal(validate.code, 0, validate.out);
  });

  it('imports nothing twice and writes over nothing: a taken name gets -2', async () => {
    const out = tempDir('corpus-');
    fs.writeFileSync(path.join(out, 'inspector-cleared-of-dishonesty.txt'), 'Our own notes, not an import.\n');
    const pages = pagesFolder('teasers.html', 'paywall.html');
    const first = await cli('import', pages, '--out', out);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /teasers\.html: imported as inspector-cleared-of-dishonesty-2\.txt$/m);
    assert.equal(fs.readFileSync(path.join(out, 'inspector-cleared-of-dishonesty.txt'), 'utf8'), 'Our own notes, not an import.\n');
    const again = await cli('import', pages, '--out', out);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /^0 page\(s\) imported, 2 exact copies skipped/m);
    assert.equal(fs.readdirSync(out).length, 5);
  });

  it('names a binary, huge, empty or non-page file in one line and imports the others', async () => {
    const pages = pagesFolder('force-press.htm');
    fs.writeFileSync(path.join(pages, 'image.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    fs.writeFileSync(path.join(pages, 'empty.htm'), '');
    const huge = path.join(pages, 'huge.html');
    fs.writeFileSync(huge, '<html>');
    fs.truncateSync(huge, 21 * 1024 * 1024);
    const notes = path.join(pages, 'notes.pdf');
    fs.writeFileSync(notes, '%PDF');
    const out = tempDir('corpus-');
    const run = await cli('import', pages, notes, '--out', out);
    assert.equal(run.code, 1);
    const lines = run.err.split('\n');
    assert.ok(lines.includes(`${path.relative(process.cwd(), path.join(pages, 'image.html'))}: is a binary file (it contains NUL bytes), not a saved web page; skipped`), run.err);
    assert.ok(lines.includes(`${path.relative(process.cwd(), huge)}: is larger than 20 MiB, the most a saved page may hold; skipped`), run.err);
    assert.ok(lines.includes(`${path.relative(process.cwd(), path.join(pages, 'empty.htm'))}: no article text was found in it; skipped`), run.err);
    assert.ok(lines.includes(`${path.relative(process.cwd(), notes)}: is not a saved web page (.html or .htm); skipped`), run.err);
    assert.match(run.err, /^1 page\(s\) imported, 0 exact copies skipped, 4 page\(s\) could not be imported$/m);
    assert.ok(fs.existsSync(path.join(out, 'officer-given-final-written-warning.txt')));
  });

  it('the bundled CLI (lean parser: HTML 4 entities decoded before parsing) gives every test page exactly', () => {
    const out = tempDir('corpus-');
    const run = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'import', PAGES, '--out', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const byPage = new Map([...run.stdout.matchAll(/([\w-]+\.html?): imported as (\S+\.txt)/g)].map((m) => [m[1], m[2]]));
    for (const name of ['news-jsonld.html', 'force-press.htm', 'teasers.html', 'windows-1252.html', 'paywall.html', 'malformed.html']) {
      assert.equal(fs.readFileSync(path.join(out, byPage.get(name)!), 'utf8'), expected(name).text, name);
    }
  });

  it('needs --out and at least one page (exit 2)', async () => {
    assert.equal((await cli('import', PAGES)).code, 2);
    assert.equal((await cli('import', '--out', tempDir())).code, 2);
  });
});
