/**
 * Turning an article's bytes into the text that offsets count over: UTF-8, a leading BOM removed,
 * line endings kept exactly as on disk (what VS Code's `TextDocument.getText()` also gives).
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';

export class ArticleDecodeError extends Error {
  constructor(
    readonly reason: 'binary' | 'encoding',
    message: string,
  ) {
    super(message);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes of a UTF-8 BOM. */
const BOM = [0xef, 0xbb, 0xbf];

export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/**
 * Whether `decodeArticle` would accept these bytes, without building the text (the editor has it
 * already): Node's native UTF-8 check is many times faster than decoding 5 MB into a string.
 * Throws `ArticleDecodeError` as `decodeArticle` does.
 */
export function checkArticle(bytes: Uint8Array): void {
  if (looksBinary(bytes)) throw binaryArticle();
  if (!isUtf8(hasBom(bytes) ? bytes.subarray(3) : bytes)) throw notUtf8Article();
}

/**
 * Decodes an article. A NUL byte in the first 8 KB marks a binary file (what git and VS Code also
 * assume); bytes that are not UTF-8 are reported rather than replaced, so offsets never drift.
 */
export function decodeArticle(bytes: Uint8Array): string {
  if (looksBinary(bytes)) throw binaryArticle();
  try {
    return decoder.decode(hasBom(bytes) ? bytes.subarray(3) : bytes);
  } catch {
    throw notUtf8Article();
  }
}

/** The bytes of the head read to tell a binary file (see `decodeArticle`). */
export const BINARY_SNIFF_BYTES = 8192;

/** Whether the article's first bytes (at least `BINARY_SNIFF_BYTES` of them, or all) hold a NUL. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

export function binaryArticle(): ArticleDecodeError {
  return new ArticleDecodeError('binary', 'this looks like a binary file (it contains NUL bytes), not a text article');
}

export function notUtf8Article(): ArticleDecodeError {
  return new ArticleDecodeError('encoding', 'this file is not valid UTF-8 text; save it as UTF-8 to annotate it');
}

/** Hex sha256 of the article's bytes as on disk (BOM included), recorded in the sidecar. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether two byte arrays hold the same bytes (four at a time where both are aligned: a long sidecar is megabytes). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
