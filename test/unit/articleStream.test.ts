/**
 * Reading an article in chunks must give exactly what reading it whole gives: the same text, the
 * same hash, the same refusals, wherever the chunks are cut (inside a BOM, a CRLF, an emoji's four
 * bytes, a span).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkProperty, checkPropertyAsync } from './property';
import { ArticleDecodeError, decodeArticle, sha256Hex } from '../../src/core/article';
import { ArticleChunkDecoder, articleText, scanArticle, ScanRange } from '../../src/core/articleStream';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { OffsetMap } from '../../src/core/offsets';
import { tempDir } from './helpers';

/** `bytes` cut at `cuts`, each chunk copied into one reused Buffer (as nodeFileSystem.readChunks does). */
function* cutInto(bytes: Uint8Array, cuts: number[]): Generator<Uint8Array> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const buffer = Buffer.alloc(bytes.length);
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to <= from) continue;
    buffer.fill(0xff);
    buffer.set(bytes.subarray(from, to));
    yield buffer.subarray(0, to - from);
    from = to;
  }
}

/** A file system holding one file, read in the given chunks. */
function oneFile(bytes: Uint8Array, cuts: number[]): FileSystem {
  return {
    ...nodeFileSystem,
    readFile: async () => bytes,
    async *readChunks() {
      yield* cutInto(bytes, cuts);
    },
  };
}

function decodeWhole(bytes: Uint8Array): { text: string } | { error: string } {
  try {
    return { text: decodeArticle(bytes) };
  } catch (err) {
    return { error: (err as ArticleDecodeError).reason };
  }
}

function decodeChunks(bytes: Uint8Array, cuts: number[]): { text: string } | { error: string } {
  const decoder = new ArticleChunkDecoder();
  try {
    let text = '';
    for (const chunk of cutInto(bytes, cuts)) text += decoder.push(chunk);
    text += decoder.end();
    assert.equal(decoder.sha256, sha256Hex(bytes));
    return { text };
  } catch (err) {
    if (!(err instanceof ArticleDecodeError)) throw err;
    return { error: err.reason };
  }
}

const PIECES = ['\uFEFF', 'a', 'é', '\r\n', '\n', '😀', '👮‍♂️', '“no”', ' ', 'Kent Police'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));
const cuts = fc.array(fc.nat(400), { maxLength: 12 });

describe('articles read in chunks', () => {
  it('decode and hash as the whole file does, wherever the chunks are cut', () => {
    checkProperty(
      fc.property(text, fc.boolean(), cuts, (t, bom, at) => {
        const bytes = new Uint8Array(Buffer.from((bom ? '\uFEFF' : '') + t, 'utf8'));
        assert.deepEqual(decodeChunks(bytes, at), decodeWhole(bytes));
      }),
      300,
    );
  });

  it('refuse what the whole file refuses, for the same reason (NUL in the head wins over bad UTF-8 before it)', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['bad byte late', new Uint8Array([...Buffer.from('x'.repeat(20_000)), 0xe9, 0x41])],
      ['bad byte early, NUL later in the head', new Uint8Array([0x41, 0xe9, ...Buffer.from('y'.repeat(5000)), 0x00, 0x41])],
      ['NUL after the head', new Uint8Array([...Buffer.from('z'.repeat(9000)), 0x00])],
      ['a character cut off at the end', new Uint8Array([...Buffer.from('ok '), 0xf0, 0x9f, 0x98])],
      ['empty', new Uint8Array(0)],
      ['a BOM alone', new Uint8Array([0xef, 0xbb, 0xbf])],
    ];
    for (const [name, bytes] of cases) {
      for (const at of [[], [1], [2, 3, 4], [4097, 8191, 8192, 8193]]) assert.deepEqual(decodeChunks(bytes, at), decodeWhole(bytes), `${name} cut at ${at}`);
    }
  });

  it('gives the text in pieces that never split a surrogate pair, then the hash', async () => {
    const bytes = new Uint8Array(Buffer.from('😀'.repeat(5000), 'utf8'));
    const pieces: string[] = [];
    let sha = '';
    for await (const piece of articleText(oneFile(bytes, [1, 2, 3, 5, 8193, 9001, 12_345, 15_002, 19_999]), 'a.txt', (s) => (sha = s))) pieces.push(piece);
    assert.ok(pieces.length > 3);
    for (const p of pieces) assert.equal(p.length % 2, 0, JSON.stringify(p));
    assert.equal(pieces.join(''), '😀'.repeat(5000));
    assert.equal(sha, sha256Hex(bytes));
  });

  it('scans a text as OffsetMap sees it: length, each range matching its text or not, its ends in UTF-16', async () => {
    await checkPropertyAsync(
      fc.asyncProperty(text, cuts, fc.array(fc.tuple(fc.nat(60), fc.integer({ min: 1, max: 30 }), fc.boolean()), { maxLength: 8 }), async (t, at, raw) => {
        const bytes = new Uint8Array(Buffer.from(t, 'utf8'));
        const whole = decodeArticle(bytes);
        const map = new OffsetMap(whole);
        // each range holds its own text, or (`wrong`) another one of the same length
        const ranges: ScanRange[] = raw.map(([start, length, wrong]) => {
          const actual = start + length <= map.length ? map.slice(start, start + length) : 'x'.repeat(length);
          return { start, end: start + length, text: wrong ? actual.replace(/^./su, (c) => (c === 'Q' ? 'R' : 'Q')) : actual };
        });
        const scan = await scanArticle(oneFile(bytes, at), 'a.txt', ranges);
        assert.equal(scan.sha256, sha256Hex(bytes));
        assert.equal(scan.length, map.length);
        const expected = ranges.every((r) => r.end <= map.length && map.slice(r.start, r.end) === r.text);
        assert.equal(scan.matches, expected);
        if (expected) for (const r of ranges) for (const p of [r.start, r.end]) assert.equal(scan.toUtf16(p), map.toUtf16(p), `offset ${p}`);
      }),
      300,
    );
  });

  it('reads a real file in chunks with the node file system', async () => {
    const file = path.join(tempDir(), 'long.txt');
    const body = `\uFEFF${'Officer “A” 😀 said no.\r\n'.repeat(10_000)}`;
    fs.writeFileSync(file, body);
    const chunks: number[] = [];
    for await (const c of nodeFileSystem.readChunks!(file)) chunks.push(c.length);
    assert.ok(chunks.length > 1, `${chunks.length} chunks`);
    let text = '';
    for await (const piece of articleText(nodeFileSystem, file)) text += piece;
    assert.equal(text, body.slice(1));
  });
});
