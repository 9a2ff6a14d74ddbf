/**
 * The memory of reading one article whole: read it, decode it, hash it, keep the text (what
 * exporting it cost before the CoNLL export streamed it, and what re-anchoring a changed article
 * still needs). `node read-rss.cjs <file>` prints {"maxRssMB"} on stdout.
 */
import * as fs from 'node:fs';
import { decodeArticle, sha256Hex } from '../../src/core/article';

const [file] = process.argv.slice(2);
fs.promises.readFile(file).then((bytes) => {
  const text = decodeArticle(bytes);
  const sha = sha256Hex(bytes);
  process.stdout.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, length: text.length, sha: sha.slice(0, 8) }) + '\n');
});
