/**
 * The memory floor of exporting one article: read it, decode it as the export does, hash it, keep
 * the text. `node read-rss.cjs <file>` prints {"maxRssMB"} on stdout.
 */
import * as fs from 'node:fs';
import { decodeArticle, sha256Hex } from '../../src/core/article';

const [file] = process.argv.slice(2);
fs.promises.readFile(file).then((bytes) => {
  const text = decodeArticle(bytes);
  const sha = sha256Hex(bytes);
  process.stdout.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, length: text.length, sha: sha.slice(0, 8) }) + '\n');
});
