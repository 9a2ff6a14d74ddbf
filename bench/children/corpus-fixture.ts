/**
 * Writes a workspace of many articles for the Corpus view's and the dashboard's end-to-end rows
 * (bench/e2eCorpus.mjs), deterministically: every second article has a sidecar.
 *   node corpus-fixture.cjs <dir> <articles> <seed>
 * prints {"articles", "sidecars", "spans", "bytes"} on stdout.
 */
import { writeCorpus } from '../lib/corpus';

const [dir, count, seed] = process.argv.slice(2);
const written = writeCorpus(dir, Number(count), Number(seed), (i) => i % 2 === 0);
process.stdout.write(JSON.stringify({ articles: Number(count), ...written }) + '\n');
