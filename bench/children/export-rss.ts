/**
 * One export in a fresh process, for its peak RSS: `node export-rss.cjs <root> <format> <out>`
 * prints {"ms", "maxRssMB", "articles"} on stdout.
 */
import { nodeFileSystem } from '../../src/core/fileSystem';
import { exportDataset, ExportFormat } from '../../src/core/export';

const [root, format, out] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
exportDataset(nodeFileSystem, root, { format: format as ExportFormat, out }).then(
  (summary) => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, articles: summary.articles }) + '\n');
  },
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
