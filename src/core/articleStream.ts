/**
 * An article read a chunk at a time: decoded exactly as `decodeArticle` decodes the whole file
 * (the same BOM rule, the same binary and encoding errors) and hashed on the way, so a long article
 * can be checked against its sidecar and exported without its bytes and its text in memory at once
 * (a 50 MB article is 50 MB of bytes plus 100 MB of text as soon as one character is beyond Latin-1).
 */
import { createHash } from 'node:crypto';
import { BINARY_SNIFF_BYTES, binaryArticle, hasBom, looksBinary, notUtf8Article } from './article';
import { checkInputFile, FileSystem } from './fileSystem';

/**
 * The file's bytes in chunks: `readChunks` where the file system has it, else the whole file as one;
 * refused first unless it is a regular file of a readable size (`checkInputFile`).
 */
async function* articleChunks(fs: FileSystem, path: string): AsyncGenerator<Uint8Array> {
  await checkInputFile(fs, path, 'article');
  if (fs.readChunks) yield* fs.readChunks(path);
  else yield await fs.readFile(path);
}

/**
 * Decodes an article's bytes in chunks. Pieces of text come out in order; together they are
 * `decodeArticle` of all the bytes, and a surrogate pair is never split between two pieces.
 * Throws `ArticleDecodeError` as `decodeArticle` does.
 */
export class ArticleChunkDecoder {
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /**
   * The first bytes, held until there are enough to tell a binary file: a NUL there must win over
   * an encoding error further on, as in `decodeArticle`.
   */
  private head: Uint8Array[] | undefined = [];
  private headBytes = 0;
  private digest: string | undefined;

  /** The text of these bytes (maybe '', when they end inside a character or are held back). */
  push(bytes: Uint8Array): string {
    this.hash.update(bytes);
    if (!this.head) return this.decode(bytes, true);
    // copied (a Buffer's slice would not copy): the reader may reuse its buffer
    this.head.push(new Uint8Array(bytes));
    this.headBytes += bytes.length;
    return this.headBytes < BINARY_SNIFF_BYTES ? '' : this.releaseHead();
  }

  /** The rest of the text; then `sha256` is known. */
  end(): string {
    const rest = this.head ? this.releaseHead() : '';
    const last = this.decode(new Uint8Array(0), false);
    this.digest = this.hash.digest('hex');
    return rest + last;
  }

  /** Hex sha256 of every byte pushed (the BOM included), as `sha256Hex` gives; after `end`. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('the article has not been read to its end');
    return this.digest;
  }

  private releaseHead(): string {
    const head = Buffer.concat(this.head!);
    this.head = undefined;
    if (looksBinary(head)) throw binaryArticle();
    return this.decode(hasBom(head) ? head.subarray(3) : head, true);
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw notUtf8Article();
    }
  }
}

/** The article's text in pieces (see `ArticleChunkDecoder`), then its sha256 through `onEnd`. */
export async function* articleText(fs: FileSystem, path: string, onEnd?: (sha256: string) => void): AsyncGenerator<string> {
  const decoder = new ArticleChunkDecoder();
  for await (const bytes of articleChunks(fs, path)) {
    const piece = decoder.push(bytes);
    if (piece) yield piece;
  }
  const last = decoder.end();
  if (last) yield last;
  onEnd?.(decoder.sha256);
}

/** A span the scan checks: code point offsets (`start < end`) and the text it should have there. */
export interface ScanRange {
  start: number;
  end: number;
  text: string;
}

export interface ArticleScan {
  sha256: string;
  /** Length in code points. */
  length: number;
  /** Whether every range lies inside the text and holds exactly its `text`. */
  matches: boolean;
  /** The UTF-16 offset of a range's start or end (code points); only for those, and only when `matches`. */
  toUtf16(codePoint: number): number;
}

/** Whether a piece of decoded text has a surrogate pair (decoded UTF-8 has no lone surrogates). */
const SURROGATE = /[\uD800-\uDBFF]/;

/**
 * Reads an article once, in chunks, and reports what checking a sidecar against it needs: its
 * hash, its length in code points, whether each range holds its text, and where each range's
 * ends fall in UTF-16 (what the CoNLL tokenizer counts). Memory: a chunk, plus the text of the
 * ranges open at a time (a range stops being kept as soon as it is longer than its text).
 */
export async function scanArticle(fs: FileSystem, path: string, ranges: readonly ScanRange[]): Promise<ArticleScan> {
  const points = [...new Set(ranges.flatMap((r) => [r.start, r.end]))].sort((a, b) => a - b);
  const utf16 = new Float64Array(points.length).fill(-1);
  const indexOf = (codePoint: number): number => {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return points[lo] === codePoint ? lo : -1;
  };
  const byStart = [...ranges].sort((a, b) => a.start - b.start);
  let nextRange = 0;
  /** Ranges whose start has been read and whose end has not, with the start in UTF-16. */
  let open: Array<{ range: ScanRange; from: number }> = [];
  let matches = true;
  let nextPoint = 0;
  let cp = 0;
  let u = 0;
  /** The text from UTF-16 offset `keptFrom` to `u`: what the open ranges still need. */
  let kept = '';
  let keptFrom = 0;

  const take = (piece: string) => {
    // the UTF-16 offsets of the points inside this piece (its end included)
    let length = piece.length;
    if (!SURROGATE.test(piece)) {
      const last = cp + piece.length;
      for (; nextPoint < points.length && points[nextPoint] <= last; nextPoint++) utf16[nextPoint] = u + points[nextPoint] - cp;
    } else {
      let k = 0;
      let c = cp;
      const step = () => {
        const ch = piece.charCodeAt(k);
        k += ch >= 0xd800 && ch <= 0xdbff ? 2 : 1;
        c++;
      };
      for (; nextPoint < points.length; nextPoint++) {
        while (c < points[nextPoint] && k < piece.length) step();
        if (c < points[nextPoint]) break;
        utf16[nextPoint] = u + k;
      }
      while (k < piece.length) step();
      length = c - cp;
    }
    cp += length;
    u += piece.length;
    kept += piece;
    for (; nextRange < byStart.length && byStart[nextRange].start <= cp; nextRange++) {
      open.push({ range: byStart[nextRange], from: utf16[indexOf(byStart[nextRange].start)] });
    }
    open = open.filter(({ range, from }) => {
      if (range.end <= cp) {
        const to = utf16[indexOf(range.end)];
        if (to - from !== range.text.length || !kept.startsWith(range.text, from - keptFrom)) matches = false;
        return false;
      }
      // already longer than its text: it cannot hold it; stop keeping text for it
      if (u - from > range.text.length) {
        matches = false;
        return false;
      }
      return true;
    });
    const keepFrom = open.reduce((min, o) => Math.min(min, o.from), u);
    kept = kept.slice(keepFrom - keptFrom);
    keptFrom = keepFrom;
  };

  let sha256 = '';
  for await (const piece of articleText(fs, path, (sha) => (sha256 = sha))) take(piece);
  // the points and ranges at the very end of the text (an empty article has no piece)
  take('');
  if (open.length || nextRange < byStart.length) matches = false;
  return {
    sha256,
    length: cp,
    matches,
    toUtf16(codePoint) {
      const i = indexOf(codePoint);
      if (i < 0 || utf16[i] < 0) throw new Error(`code point ${codePoint} was not scanned`);
      return utf16[i];
    },
  };
}
