/**
 * Code points ⇄ UTF-16 code units.
 *
 * Sidecars count Unicode code points (a Python `str` index); JavaScript strings and VS Code count
 * UTF-16 code units. They differ only after an astral character (emoji, some CJK), so an
 * `OffsetMap` records where the surrogate pairs are and converts by binary search: O(log k) for k
 * astral characters, and the identity when there are none (the common case for news text).
 */
export class OffsetMap {
  /** UTF-16 index of each high surrogate that starts a valid pair, ascending. */
  private readonly pairs: number[] = [];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.pairs.push(i);
          i++;
        }
      }
    }
  }

  /** Length of the text in code points. */
  get length(): number {
    return this.text.length - this.pairs.length;
  }

  get hasAstral(): boolean {
    return this.pairs.length > 0;
  }

  /** UTF-16 offset → code point offset. An offset inside a pair counts as the pair's start. */
  toCodePoint(utf16: number): number {
    if (this.pairs.length === 0) return utf16;
    // pairs strictly before utf16 whose low surrogate is also before it each count one unit extra
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pairs[mid] + 1 < utf16) lo = mid + 1;
      else hi = mid;
    }
    return utf16 - lo;
  }

  /** Code point offset → UTF-16 offset. */
  toUtf16(codePoint: number): number {
    if (this.pairs.length === 0) return codePoint;
    // the k-th pair starts at code point pairs[k] - k; every pair starting before `codePoint` adds one unit
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pairs[mid] - mid < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return codePoint + lo;
  }

  /** The text between two code point offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

/** Length in code points, without building a map. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
