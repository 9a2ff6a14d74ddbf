/**
 * Writes one article and its sidecar for the end-to-end rows (bench/e2e.mjs), deterministically:
 *   node e2e-fixture.cjs <dir> <name> <bytes> <annotations> <seed>
 * prints {"file", "bytes", "annotations", "free": {line, column, word}, "more": [...], "burst": [...], "typingTags": [...]} on stdout:
 * `free` is an untagged word near the top, where the harness tags and types; `more` are untagged
 * words on the lines below it, tagged after it; `burst` are the words the tag burst tags;
 * `typingTags` the words tagged between bursts of typing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../src/core/article';
import { OffsetMap } from '../../src/core/offsets';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { spannedArticle } from '../lib/inputs';

const [dir, name, bytes, count, seed] = process.argv.slice(2);
const { text, annotations, free, more, burst, typingTags } = spannedArticle(Number(bytes), Number(count), Number(seed));
fs.mkdirSync(dir, { recursive: true });
const article = path.join(dir, name);
const buffer = Buffer.from(text);
fs.writeFileSync(article, buffer);
fs.writeFileSync(
  `${article}.annotations.json`,
  serializeSidecar({
    version: 1,
    article: { file: name, sha256: sha256Hex(buffer), length: new OffsetMap(text).length },
    status: 'in_progress',
    annotations,
  }),
);
process.stdout.write(JSON.stringify({ file: name, bytes: buffer.length, annotations: annotations.length, free, more, burst, typingTags }) + '\n');
