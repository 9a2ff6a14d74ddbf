/**
 * export-conll-large: one long article on a single line (no line breaks to split at) exported as
 * CoNLL in a fresh process (bench/children/export-rss.ts), at 10 MB and at 50 MB.
 *  - memory: value = peak RSS (MB) at 50 MB; baseline = the input's size (MB); ratio = RSS /
 *    input; goal ≤ 4× (the export reads the article in chunks, twice: once to check the sidecar
 *    against it, once to write it a block of sentences at a time; it never holds the text whole).
 *    Also reported: `floorMB`, the peak RSS of a process that only reads, decodes and hashes the
 *    article whole (bench/children/read-rss.ts: Node itself, the bytes and the text as a JS string,
 *    which is two bytes a character once the text has one non-Latin-1 character; what the export
 *    cost before it streamed, and still costs for an article that changed since it was annotated),
 *    and `overFloor`, the export's peak RSS above that floor, over the input (negative: below it).
 *  - time: ms at 50 MB against 5 × ms at 10 MB (a linear export takes 5× as long for 5× the text);
 *    goal ≤ 1.25×.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation } from '../../src/core/schema';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { log, runCase } from '../lib/case';
import { corpusText, CREATED, LABELS } from '../lib/inputs';
import { round } from '../lib/timing';

/** A single-line article of about `bytes` bytes with a 1–3 word span about every 2,000 characters. */
function writeLongArticle(dir: string, bytes: number, seed: number): number {
  fs.mkdirSync(dir, { recursive: true });
  const text = corpusText(bytes, seed).replace(/\n+/g, ' ');
  const map = new OffsetMap(text);
  const annotations: Annotation[] = [];
  const word = /\p{L}+(?:\s+\p{L}+){0,2}/gu;
  for (let at = 1000; at < text.length - 100; at += 2000) {
    word.lastIndex = at;
    const m = word.exec(text);
    if (!m || m.index + m[0].length >= text.length) break;
    annotations.push(makeAnnotation(map, map.toCodePoint(m.index), map.toCodePoint(m.index + m[0].length), LABELS[annotations.length % 3], { id: `a-${annotations.length}`, created: CREATED }));
  }
  const buffer = Buffer.from(text);
  fs.writeFileSync(path.join(dir, 'long.txt'), buffer);
  fs.writeFileSync(path.join(dir, 'long.txt.annotations.json'), serializeSidecar({ version: 1, article: { file: 'long.txt', sha256: sha256Hex(buffer), length: map.length }, annotations }));
  return buffer.length;
}

function readFloor(file: string): number {
  const script = path.join(process.env.BENCH_CHILDREN ?? __dirname, 'read-rss.cjs');
  const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`read child failed: ${run.stderr || run.signal}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!).maxRssMB;
}

function childExport(root: string, out: string): { ms: number; maxRssMB: number; articles: number } {
  const script = path.join(process.env.BENCH_CHILDREN ?? __dirname, 'export-rss.cjs');
  const run = spawnSync(process.execPath, [script, root, 'conll', out], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`export child (${root}) failed: ${run.stderr || run.signal}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

runCase(async () => {
  const tmp = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? '/tmp', 'export-large-'));
  const small = writeLongArticle(path.join(tmp, 'a10'), 10_000_000, 51);
  const large = writeLongArticle(path.join(tmp, 'a50'), 50_000_000, 52);
  const s = childExport(path.join(tmp, 'a10'), path.join(tmp, 'a10.conll'));
  const l = childExport(path.join(tmp, 'a50'), path.join(tmp, 'a50.conll'));
  if (s.articles !== 1 || l.articles !== 1) throw new Error('the long article was not exported');
  const floorMB = readFloor(path.join(tmp, 'a50', 'long.txt'));
  const inputMB = large / 1e6;
  log(`conll: ${(small / 1e6).toFixed(0)} MB in ${(s.ms / 1000).toFixed(1)}s (peak RSS ${s.maxRssMB.toFixed(0)} MB); ${inputMB.toFixed(0)} MB in ${(l.ms / 1000).toFixed(1)}s (peak RSS ${l.maxRssMB.toFixed(0)} MB; reading it alone ${floorMB.toFixed(0)} MB)`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const memRatio = l.maxRssMB / inputMB;
  const linear = l.ms / ((s.ms * large) / small);
  return [
    {
      case: 'export-conll-memory',
      value: round(l.maxRssMB),
      unit: 'MB',
      baseline: round(inputMB),
      ratio: round(memRatio),
      goal: 'peak RSS ≤ 4× the input (CoNLL, 50 MB single-line article)',
      met: memRatio <= 4,
      seconds: round(l.ms / 1000),
      floorMB: round(floorMB),
      overFloor: round((l.maxRssMB - floorMB) / inputMB),
    },
    {
      case: 'export-conll-linear',
      value: round(l.ms),
      unit: 'ms',
      baseline: round((s.ms * large) / small),
      ratio: round(linear),
      goal: '50 MB ≤ 1.25× five times the 10 MB time (linear)',
      met: linear <= 1.25,
      ms10: round(s.ms),
    },
  ];
});
