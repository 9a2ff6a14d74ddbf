/**
 * export: exporting 1,000 annotated articles to jsonl and to conll (`exportDataset`, as the CLI
 * does: walk, read, validate, write through the atomic sink), against reading the same files and
 * `JSON.stringify` alone (one JSON line per article holding its id, text and sidecar text,
 * buffered into one output file). value: ms of the slower format; ratio = that / baseline.
 *
 * Memory: each format is also exported in a fresh process over 1,000 and over 10,000 articles
 * (bench/children/export-rss.ts); rss1k / rss10k are the peak RSS (MB) of the worse format. The
 * export streams, so 10× the articles should not need much more memory: goal rss10k ≤ 1.5 × rss1k.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { exportDataset, ExportFormat } from '../../src/core/export';
import { log, runCase } from '../lib/case';
import { writeCorpus } from '../lib/corpus';
import { round, timeInTurns } from '../lib/timing';

async function baseline(root: string, out: string): Promise<number> {
  const handle = await fs.promises.open(out, 'w');
  let buffer: string[] = [];
  let size = 0;
  let n = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.txt')) {
        const text = await fs.promises.readFile(p, 'utf8');
        const sidecar = await fs.promises.readFile(p + '.annotations.json', 'utf8');
        const line = JSON.stringify({ id: path.relative(root, p), text, sidecar }) + '\n';
        buffer.push(line);
        size += line.length;
        n++;
        if (size >= 1 << 16) {
          await handle.write(buffer.join(''));
          buffer = [];
          size = 0;
        }
      }
    }
  };
  await walk(root);
  await handle.write(buffer.join(''));
  await handle.close();
  return n;
}

function childExport(root: string, format: ExportFormat, out: string): { ms: number; maxRssMB: number; articles: number } {
  const script = path.join(process.env.BENCH_CHILDREN ?? __dirname, 'export-rss.cjs');
  const run = spawnSync(process.execPath, [script, root, format, out], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`export child (${format}, ${root}) failed: ${run.stderr || run.signal}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

runCase(async () => {
  const tmp = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? '/tmp', 'export-'));
  const small = path.join(tmp, 'corpus-1k');
  const large = path.join(tmp, 'corpus-10k');
  const t0 = Date.now();
  const s = writeCorpus(small, 1_000, 41);
  const l = writeCorpus(large, 10_000, 42);
  log(`corpora: 1k articles (${(s.bytes / 1e6).toFixed(1)} MB, ${s.spans} spans), 10k articles (${(l.bytes / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const out = path.join(tmp, 'out');
  fs.mkdirSync(out);

  const formats: ExportFormat[] = ['jsonl', 'conll'];
  const articles = new Map<string, number>();
  // the baseline and the formats in turns, so each ratio compares runs made at the same moments
  const [base, ...timed] = await timeInTurns(
    [
      () => baseline(small, path.join(out, 'baseline.jsonl')),
      ...formats.map((format) => async () => {
        const n = (await exportDataset(nodeFileSystem, small, { format, out: path.join(out, `x.${format}`) })).articles;
        articles.set(format, n);
        return n;
      }),
    ],
    { warmup: 1, runs: 5 },
  );
  const perFormat: Record<string, { ms: number; ratio: number; articles: number }> = {};
  formats.forEach((format, k) => {
    const n = articles.get(format) ?? 0;
    if (n !== 1_000) throw new Error(`${format}: exported ${n} articles, expected 1000`);
    perFormat[format] = { ms: timed[k].ms, ratio: timed[k].ms / base.ms, articles: n };
  });
  const rss: Record<string, { rss1k: number; rss10k: number; ms10k: number }> = {};
  for (const format of formats) {
    const a = childExport(small, format, path.join(out, `rss1k.${format}`));
    const b = childExport(large, format, path.join(out, `rss10k.${format}`));
    if (b.articles !== 10_000) throw new Error(`${format}: exported ${b.articles} of 10000 articles`);
    rss[format] = { rss1k: a.maxRssMB, rss10k: b.maxRssMB, ms10k: b.ms };
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const worst = formats.reduce((w, f) => (perFormat[f].ratio > perFormat[w].ratio ? f : w));
  const worstRss = formats.reduce((w, f) => (rss[f].rss10k / rss[f].rss1k > rss[w].rss10k / rss[w].rss1k ? f : w));
  const rssRatio = rss[worstRss].rss10k / rss[worstRss].rss1k;
  for (const f of formats) {
    log(`${f}: ${perFormat[f].ms.toFixed(0)} ms for 1k (${perFormat[f].ratio.toFixed(2)}× the ${base.ms.toFixed(0)} ms baseline); peak RSS ${rss[f].rss1k.toFixed(0)} MB (1k) vs ${rss[f].rss10k.toFixed(0)} MB (10k, ${(rss[f].ms10k / 1000).toFixed(1)}s)`);
  }
  const ratio = perFormat[worst].ratio;
  return {
    case: 'export',
    value: round(perFormat[worst].ms),
    unit: 'ms',
    baseline: round(base.ms),
    ratio: round(ratio),
    goal: '≤ 3× read + JSON.stringify; peak RSS 10k ≤ 1.5 × 1k',
    met: ratio <= 3 && rssRatio <= 1.5,
    format: worst,
    jsonlMs: round(perFormat.jsonl.ms),
    conllMs: round(perFormat.conll.ms),
    jsonlRatio: round(perFormat.jsonl.ratio),
    conllRatio: round(perFormat.conll.ratio),
    rss1k: round(rss[worstRss].rss1k),
    rss10k: round(rss[worstRss].rss10k),
    rssRatio: round(rssRatio),
    rssFormat: worstRss,
  };
});
