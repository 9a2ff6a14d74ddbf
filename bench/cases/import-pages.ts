/**
 * import-pages: 1,000 saved pages imported into an empty corpus folder (`importPages`: decode,
 * parse with linkedom, metadata, Readability, copy check, article and sidecar written), against a
 * floor that reads the same pages, parses them with linkedom and writes two files per page as
 * durably (flushed to disk). value: pages per second; ratio = our time / the floor's.
 *
 * The pages are the test pages of test/fixtures/import with their words shuffled per copy (a
 * fixed seed), so no page is a copy of another. Also reported: how many of the six test pages each
 * extraction gives exactly as expected — Readability (what the importer uses) and the heuristic of
 * bench/lib/heuristicExtract.ts — the measurement the extraction was chosen by.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { convertPage, importPages } from '../../src/core/import';
import { decodePage } from '../../src/core/import/charset';
import { parsePage } from '../../src/core/import/dom';
import { heuristicArticle } from '../lib/heuristicExtract';
import { log, runCase } from '../lib/case';
import { REPO, rng } from '../lib/inputs';
import { round } from '../lib/timing';

const PAGES = path.join(REPO, 'test', 'fixtures', 'import');
const TEMPLATES = ['news-jsonld.html', 'force-press.htm', 'teasers.html', 'windows-1252.html', 'paywall.html', 'malformed.html'];
const COUNT = 1000;

/** The page with the words of each paragraph shuffled: the same shape, another text. */
function variant(html: string, next: () => number): string {
  return html.replace(/(>)([^<]{40,})/g, (_, open: string, text: string) => {
    const words = text.split(' ');
    for (let i = words.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [words[i], words[j]] = [words[j], words[i]];
    }
    return open + words.join(' ');
  });
}

runCase(async () => {
  const root = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'import-'));
  const pagesDir = path.join(root, 'pages');
  fs.mkdirSync(pagesDir);
  const next = rng(34);
  const templates = TEMPLATES.map((t) => ({ name: t, html: fs.readFileSync(path.join(PAGES, t), 'latin1') }));
  for (let i = 0; i < COUNT; i++) {
    const t = templates[i % templates.length];
    fs.writeFileSync(path.join(pagesDir, `${String(i).padStart(4, '0')}-${t.name}`), Buffer.from(variant(t.html, next), 'latin1'));
  }

  // which extraction gives the test pages exactly as expected
  let readabilityExact = 0;
  let heuristicExact = 0;
  for (const t of TEMPLATES) {
    const bytes = fs.readFileSync(path.join(PAGES, t));
    const want = fs.readFileSync(path.join(PAGES, 'expected', t.replace(/\.html?$/, '.txt')), 'utf8');
    if (convertPage(bytes).text === want) readabilityExact++;
    if (heuristicArticle(decodePage(bytes).text) === want) heuristicExact++;
  }

  const names = fs.readdirSync(pagesDir).map((n) => path.join(pagesDir, n));
  // the floor: what any importer does for a page (read it, parse it, write two files durably)
  const floorDir = path.join(root, 'floor');
  fs.mkdirSync(floorDir);
  const baseStart = performance.now();
  for (const [i, name] of names.entries()) {
    const doc = parsePage(decodePage(fs.readFileSync(name)).text);
    const text = doc.body?.textContent ?? '';
    for (const file of [`${i}.txt`, `${i}.txt.annotations.json`]) await nodeFileSystem.writeFile(path.join(floorDir, file), Buffer.from(text));
  }
  const baseMs = performance.now() - baseStart;
  const heuristicStart = performance.now();
  for (const name of names) heuristicArticle(decodePage(fs.readFileSync(name)).text);
  const heuristicMs = performance.now() - heuristicStart;
  const out = path.join(root, 'corpus');
  fs.mkdirSync(out);
  const start = performance.now();
  const summary = await importPages(nodeFileSystem, [pagesDir], out);
  const ms = performance.now() - start;
  if (summary.imported + summary.copies !== COUNT) throw new Error(`only ${summary.imported} of ${COUNT} pages imported (${summary.failed} failed)`);
  const perSecond = (COUNT / ms) * 1000;
  log(`${COUNT} pages: import ${ms.toFixed(0)} ms (${perSecond.toFixed(0)} pages/s), floor (read, parse, write two files) ${baseMs.toFixed(0)} ms, heuristic extraction ${heuristicMs.toFixed(0)} ms; exact on the test pages: Readability ${readabilityExact}/6, heuristic ${heuristicExact}/6`);
  fs.rmSync(root, { recursive: true, force: true });
  const ratio = ms / baseMs;
  return {
    case: 'import-pages',
    value: round(perSecond, 1),
    unit: 'pages/s',
    baseline: round((COUNT / baseMs) * 1000, 1),
    ratio: round(ratio),
    goal: '≤ 5× reading, parsing and writing two files',
    met: ratio <= 5,
    pages: COUNT,
    imported: summary.imported,
    nearCopies: summary.nearCopies,
    heuristicPagesPerSecond: round((COUNT / heuristicMs) * 1000, 1),
    readabilityExact: `${readabilityExact}/${TEMPLATES.length}`,
    heuristicExact: `${heuristicExact}/${TEMPLATES.length}`,
  };
});
