/**
 * A long article in windows a model can take: each within a token budget, cut after a line or a
 * sentence, the next starting a little before the previous ended (the overlap) so a mention cut by
 * one window's end is whole in the next. Offsets are UTF-16 in the whole text.
 */

/** Counts the tokens of a text as the model would (the provider's tokenizer when it has one). */
export type CountTokens = (text: string) => number;

/** About four characters a token in English prose: what a model's tokenizer gives within a few per cent. */
export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

export interface TextWindow {
  start: number;
  end: number;
}

export interface WindowOptions {
  maxTokens: number;
  countTokens?: CountTokens;
  /** Tokens the next window repeats from the end of the previous one (default a tenth of the budget). */
  overlapTokens?: number;
}

/** Pieces of the text ending after a line break or a sentence's end (and the spaces after it). */
function pieces(text: string): number[] {
  const ends: number[] = [];
  const re = /\n+|[.!?]["'\u201d\u2019)\]]*[ \t]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) ends.push(m.index + m[0].length);
  if (!ends.length || ends[ends.length - 1] !== text.length) ends.push(text.length);
  return ends;
}

/** A piece over the budget, cut at spaces into parts within it (or anywhere, for a text without spaces). */
function cutPiece(text: string, start: number, end: number, maxTokens: number, count: CountTokens): number[] {
  const out: number[] = [];
  let from = start;
  while (from < end) {
    let lo = from + 1;
    let hi = end;
    // the longest prefix within the budget (counts grow with length)
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (count(text.slice(from, mid)) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    if (cut < end) {
      const space = text.lastIndexOf(' ', cut);
      if (space > from) cut = space + 1;
      // never inside a surrogate pair
      const c = text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff && cut < end && cut - 1 > from) cut--;
    }
    out.push(cut);
    from = cut;
  }
  return out;
}

export function splitWindows(text: string, options: WindowOptions): TextWindow[] {
  const count = options.countTokens ?? estimateTokens;
  const max = Math.max(1, options.maxTokens);
  const overlap = Math.max(0, Math.min(options.overlapTokens ?? Math.floor(max / 10), Math.floor(max / 2)));
  if (count(text) <= max) return [{ start: 0, end: text.length }];
  const bounds: number[] = [];
  let prev = 0;
  for (const end of pieces(text)) {
    if (count(text.slice(prev, end)) > max) bounds.push(...cutPiece(text, prev, end, max, count));
    else bounds.push(end);
    prev = end;
  }
  const starts = [0, ...bounds.slice(0, -1)];
  const tokens = bounds.map((end, i) => count(text.slice(starts[i], end)));
  const windows: TextWindow[] = [];
  let i = 0;
  while (i < bounds.length) {
    let j = i;
    let sum = tokens[i];
    while (j + 1 < bounds.length && sum + tokens[j + 1] <= max) sum += tokens[++j];
    windows.push({ start: starts[i], end: bounds[j] });
    if (j + 1 >= bounds.length) break;
    // the next window repeats the last pieces of this one that fit in the overlap (and leave room for a new one)
    let k = j + 1;
    let back = 0;
    while (k - 1 > i && back + tokens[k - 1] <= overlap && back + tokens[k - 1] + tokens[j + 1] <= max) back += tokens[--k];
    i = k;
  }
  return windows;
}
