/**
 * suggest-throughput: what `misconduct-annotate suggest` does (read, decode, detect, rules, learned
 * phrases learned from the sidecars found, code point offsets, TSV lines) for a folder holding a
 * 10 MB article and the sample articles with their sidecars, against the gazetteer detection alone
 * on the same text, timed in turns. value MB/s of the article (10^6 bytes of UTF-8 per second);
 * ratio = suggest time / detection time.
 *
 * suggest-linear: the same verb over 2,000 short articles with sidecars (bench/lib/corpus.ts: 10–40
 * spans each, so many learned phrases) against ten times 200 of them; goal ≤ 1.25×. Also reported,
 * `sizeRatio`: a 50 MB article against five times the 10 MB one (linear in an article's length too).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suggestVerb } from '../../src/cli/verbs/suggest';
import { defaultDetector } from '../../src/core/detect';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { runCase, log } from '../lib/case';
import { writeCorpus } from '../lib/corpus';
import { corpusText, REPO } from '../lib/inputs';
import { round, timeInTurns } from '../lib/timing';

/** A folder with the sample articles and their sidecars (what is learned from) and `article.txt`. */
function articleFolder(dir: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const samples = path.join(REPO, 'samples', 'corpus');
  // (the samples' articles and sidecars; their cases folder is not an article)
  for (const e of fs.readdirSync(samples, { withFileTypes: true })) if (e.isFile()) fs.copyFileSync(path.join(samples, e.name), path.join(dir, e.name));
  fs.writeFileSync(path.join(dir, 'article.txt'), text);
  return dir;
}

/** `suggest <dir>` as the CLI runs it, its lines kept in memory; the number of lines. */
async function suggest(dir: string): Promise<number> {
  let lines = 0;
  const code = await suggestVerb.run(
    { positionals: [dir], values: {} },
    {
      fs: nodeFileSystem,
      out: (l) => (lines += l.split('\n').length),
      err: (l) => {
        throw new Error(`suggest wrote to stderr: ${l}`);
      },
      cwd: process.cwd(),
    },
  );
  if (code !== 0) throw new Error(`suggest exited ${code}`);
  return lines;
}

runCase(async () => {
  const tmp = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? '/tmp', 'suggest-'));
  const text = corpusText(10_000_000, 11);
  const mb = Buffer.byteLength(text) / 1e6;
  const ten = articleFolder(path.join(tmp, 'a10'), text);
  const detector = defaultDetector();
  let lines = 0;
  let matches = 0;
  const [ours, detect] = await timeInTurns([async () => (lines = await suggest(ten)), () => (matches = detector.detect(text).length)], { warmup: 1, runs: 5 });
  log(`suggest ${mb.toFixed(1)} MB: ${ours.ms.toFixed(0)} ms (${lines} suggestions); detection alone ${detect.ms.toFixed(0)} ms (${matches} matches)`);

  const large = corpusText(50_000_000, 12);
  const largeMb = Buffer.byteLength(large) / 1e6;
  const fifty = articleFolder(path.join(tmp, 'a50'), large);
  const [at10, at50] = await timeInTurns([() => suggest(ten), () => suggest(fifty)], { warmup: 1, runs: 3 });
  const sizeRatio = at50.ms / ((at10.ms * largeMb) / mb);
  log(`suggest ${largeMb.toFixed(0)} MB: ${at50.ms.toFixed(0)} ms; ${mb.toFixed(0)} MB: ${at10.ms.toFixed(0)} ms (${sizeRatio.toFixed(2)}× linear)`);

  writeCorpus(path.join(tmp, 'c200'), 200, 41);
  writeCorpus(path.join(tmp, 'c2000'), 2000, 42);
  let small = 0;
  let many = 0;
  const [t200, t2000] = await timeInTurns([async () => (small = await suggest(path.join(tmp, 'c200'))), async () => (many = await suggest(path.join(tmp, 'c2000')))], { warmup: 1, runs: 5 });
  const linear = t2000.ms / (10 * t200.ms);
  log(`suggest 2,000 articles: ${t2000.ms.toFixed(0)} ms (${many} suggestions); 200 articles: ${t200.ms.toFixed(0)} ms (${small} suggestions)`);
  fs.rmSync(tmp, { recursive: true, force: true });

  const value = mb / (ours.ms / 1000);
  return [
    {
      case: 'suggest-throughput',
      value: round(value),
      unit: 'MB/s',
      baseline: round(mb / (detect.ms / 1000)),
      ratio: round(ours.ms / detect.ms),
      goal: '≥ 20 MB/s (`suggest` of a 10 MB article, learning from the samples; detection alone beside it)',
      met: value >= 20,
      ms: round(ours.ms),
      detectMs: round(detect.ms),
      megabytes: round(mb),
      suggestions: lines,
    },
    {
      case: 'suggest-linear',
      value: round(t2000.ms),
      unit: 'ms',
      baseline: round(10 * t200.ms),
      ratio: round(linear),
      goal: '2,000 articles ≤ 1.25× ten times 200, and 50 MB ≤ 1.25× five times 10 MB (linear)',
      met: linear <= 1.25 && sizeRatio <= 1.25,
      ms200: round(t200.ms),
      suggestions2000: many,
      ms10MB: round(at10.ms),
      ms50MB: round(at50.ms),
      sizeRatio: round(sizeRatio),
    },
  ];
});
