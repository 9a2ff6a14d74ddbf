/**
 * Tokens, sentences and BIO tags: one definition shared by the CoNLL export and the agreement
 * statistics, so that κ computed here equals κ computed elsewhere from our CoNLL files.
 *
 * Tokenisation (documented in docs/export-formats.md, "CoNLL"):
 * - a word is a run of letters, digits and combining marks, which may contain single inner
 *   apostrophes, hyphens, periods or commas between word characters ("officer's", "Stoke-on-Trent",
 *   "P.C", "£1,500" is "£" + "1,500");
 * - every other non-space character is a token of its own;
 * - a sentence ends at a line break, or after ". ! ?" (and any closing quotes or brackets) followed
 *   by white space, unless the word before the period is a common abbreviation ("Mr.", "Sgt.").
 *
 * Overlapping spans (CoNLL has one tag per token): spans are placed longest first (then earliest,
 * then by label); a span whose tokens are already taken by a longer one is left out and reported.
 * A span covers every token it overlaps, even partly.
 *
 * All offsets here are UTF-16 code units; callers convert to code points with `OffsetMap`.
 */

import { CLASS_WORD, charClass } from './detect/chars';

export interface Token {
  start: number;
  end: number;
  text: string;
}

export interface Sentence {
  tokens: Token[];
}

/** The definition of a token; `tokenize` reads the same tokens with a table lookup per character. */
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’.,\-][\p{L}\p{N}\p{M}]+)*|\S/gu;

/** The tokens of text[from, to) by the regular expression that defines them. */
export function tokenizeByDefinition(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  const slice = text.slice(from, to);
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(slice); m; m = TOKEN.exec(slice)) {
    tokens.push({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
  }
  return tokens;
}

/**
 * The tokens of text[from, to): those of `tokenizeByDefinition`, read with the detector's character
 * table (its word class is the same letters, digits and marks) instead of a Unicode regular
 * expression, which was the largest part of a CoNLL export. A text with a character outside the
 * BMP (an emoji, a mathematical letter) is left to the definition, which reads code points.
 */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return tokenizeByDefinition(text, from, to);
    if (isJsSpace(c)) {
      i++;
      continue;
    }
    if (charClass(c) !== CLASS_WORD) {
      tokens.push({ start: i, end: i + 1, text: text[i] });
      i++;
      continue;
    }
    let j = i + 1;
    for (;;) {
      while (j < to && charClass(text.charCodeAt(j)) === CLASS_WORD) j++;
      // one inner apostrophe, period, comma or hyphen between word characters
      if (j + 1 < to && isJoiner(text.charCodeAt(j)) && charClass(text.charCodeAt(j + 1)) === CLASS_WORD) {
        j += 2;
        continue;
      }
      break;
    }
    tokens.push({ start: i, end: j, text: text.slice(i, j) });
    i = j;
  }
  return tokens;
}

/** JavaScript's `\s`: white space and line terminators. */
function isJsSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** ' ’ . , - */
function isJoiner(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2e || c === 0x2c || c === 0x2d;
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'sgt', 'insp', 'supt', 'det', 'con', 'ch', 'no', 'vs', 'etc', 'jan', 'feb', 'aug', 'sept', 'oct', 'nov', 'dec', 'prof', 'rev', 'gen', 'col', 'lt', 'capt',
]);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']']);

/** Splits the text into sentences of tokens (see the rules above). Empty sentences are dropped. */
export function sentences(text: string): Sentence[] {
  const tokens = tokenize(text);
  const out: Sentence[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length) out.push({ tokens: current });
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (current.length && hasLineBreak(text, current[current.length - 1].end, tok.start)) flush();
    current.push(tok);
    if (tok.text === '.' || tok.text === '!' || tok.text === '?') {
      const prev = current[current.length - 2];
      if (tok.text === '.' && prev && prev.end === tok.start && ABBREVIATIONS.has(prev.text.toLowerCase())) continue;
      // keep closing quotes/brackets that follow directly with this sentence
      while (i + 1 < tokens.length && CLOSERS.has(tokens[i + 1].text) && tokens[i + 1].start === current[current.length - 1].end) {
        current.push(tokens[++i]);
      }
      const next = tokens[i + 1];
      if (!next || next.start > current[current.length - 1].end) flush();
    }
  }
  flush();
  return out;
}

/** Whether text[from, to) holds a CR or LF (read in place: the gap between two tokens, for every token). */
function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

export interface LabelledSpan {
  start: number;
  end: number;
  label: string;
}

export interface BioResult<S extends LabelledSpan> {
  /** One tag per token: "O", "B-label" or "I-label" (IOB2). */
  tags: string[];
  /** Spans left out because a longer span already took their tokens, or that cover no token. */
  dropped: S[];
}

/** Spans in placement order: longest first, then earliest, then by label. */
function placementOrder<S extends LabelledSpan>(spans: readonly S[]): S[] {
  return [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** First index in `tokens` whose end is after `offset`. */
function firstTokenEndingAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** IOB2 tags for `tokens` (sorted, non-overlapping) from possibly overlapping spans. */
export function bioTags<S extends LabelledSpan>(tokens: readonly Token[], spans: readonly S[]): BioResult<S> {
  const tags: string[] = new Array(tokens.length).fill('O');
  const dropped: S[] = [];
  for (const span of placementOrder(spans)) {
    const first = firstTokenEndingAfter(tokens, span.start);
    let last = first;
    while (last < tokens.length && tokens[last].start < span.end) last++;
    if (last === first) {
      dropped.push(span);
      continue;
    }
    let free = true;
    for (let i = first; i < last && free; i++) free = tags[i] === 'O';
    if (!free) {
      dropped.push(span);
      continue;
    }
    tags[first] = `B-${span.label}`;
    for (let i = first + 1; i < last; i++) tags[i] = `I-${span.label}`;
  }
  return { tags, dropped };
}
