/**
 * Tokens and sentences of an article's text, as UTF-16 offsets: the units the suggestion rules
 * work in. rules.ts runs sentence by sentence; conductClauses.ts and longerNames.ts read tokens.
 */

/** A word (letters and digits, with inner apostrophes and hyphens) or one other character. */
export interface Token {
  text: string;
  start: number;
  end: number;
  word: boolean;
}

/** The definition of a token; `tokenize` reads the same tokens with a table lookup per character. */
const TOKEN_RE = /[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}]|['’\-\u2010\u2011](?=[\p{L}\p{N}]))*|[^\s\p{L}\p{N}]/gu;

/** The tokens of text[from, to) by the regular expression that defines them. */
export function tokenizeByDefinition(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  const slice = text.slice(from, to);
  for (let m = TOKEN_RE.exec(slice); m; m = TOKEN_RE.exec(slice)) {
    out.push({ text: m[0], start: from + m.index, end: from + m.index + m[0].length, word: /^[\p{L}\p{N}]/u.test(m[0]) });
  }
  return out;
}

const LETTER_OR_DIGIT = 1;
const MARK = 2;
const SPACE = 3;
const OTHER = 4;
/** The class of each UTF-16 code unit for the tokens (0: not classified yet). */
const classes = new Uint8Array(0x10000);

function classOf(code: number): number {
  const known = classes[code];
  if (known !== 0) return known;
  const ch = String.fromCharCode(code);
  return (classes[code] = /[\p{L}\p{N}]/u.test(ch) ? LETTER_OR_DIGIT : /\p{M}/u.test(ch) ? MARK : /\s/.test(ch) ? SPACE : OTHER);
}

/** ' ’ - ‐ ‑: joins two parts of a word. */
function isJoiner(code: number): boolean {
  return code === 0x27 || code === 0x2019 || code === 0x2d || code === 0x2010 || code === 0x2011;
}

/**
 * The tokens of text[from, to): those of `tokenizeByDefinition`, read with a table of character
 * classes instead of a Unicode regex (the rules tokenize every sentence with a trigger). A range
 * with a character outside the BMP is left to the definition, which reads code points.
 */
export function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return tokenizeByDefinition(text, from, to);
    const k = classOf(code);
    if (k === SPACE) {
      i++;
      continue;
    }
    if (k !== LETTER_OR_DIGIT) {
      out.push({ text: text[i], start: i, end: i + 1, word: false });
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to) {
      const c = text.charCodeAt(j);
      const kc = classOf(c);
      if (kc === LETTER_OR_DIGIT || kc === MARK) j++;
      else if (isJoiner(c) && j + 1 < to && classOf(text.charCodeAt(j + 1)) === LETTER_OR_DIGIT) j += 2;
      else break;
    }
    out.push({ text: text.slice(i, j), start: i, end: j, word: true });
    i = j;
  }
  return out;
}

/**
 * The offset at or before `at` (not before `from`) just after white space, or `from`: no token
 * crosses it, so `tokenize(text, it, to)` gives the tokens of `tokenize(text, from, to)` from there on.
 */
export function tokenBoundary(text: string, from: number, at: number): number {
  let i = at;
  while (i > from && classOf(text.charCodeAt(i - 1)) !== SPACE) i--;
  return i;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'sgt', 'insp', 'supt', 'det', 'ch', 'pc', 'dc', 'ds', 'di', 'co', 'ltd', 'vs', 'v']);

/** Sentences as [start, end) UTF-16 ranges: a line break, or . ! ? followed by a space or quote. */
export function sentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    if (!blank(text, start, end)) out.push([start, end]);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // only line breaks, sentence ends and (in a long run) spaces matter
    if (code !== 10 && code !== 13 && code !== 46 && code !== 33 && code !== 63 && code !== 32) continue;
    // a text without sentence ends is cut every 2,000 characters (at a space), to bound the work
    if (code === 32) {
      if (i - start > 2000) push(i);
      continue;
    }
    if (code === 10 || code === 13) {
      push(i + 1);
    } else if (i + 1 >= text.length || endsSentence(text.charCodeAt(i + 1))) {
      if (code === 46 && ABBREVIATIONS.has(wordBefore(text, Math.max(start, i - 6), i).toLowerCase())) continue;
      push(i + 1);
    }
  }
  push(text.length);
  return out;
}

/** Whether text[from, to) is only white space (what `trim` removes). */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (classOf(text.charCodeAt(i)) !== SPACE) return false;
  return true;
}

/** White space or a quote: after . ! ? it ends a sentence. */
function endsSentence(code: number): boolean {
  return code === 0x22 || code === 0x27 || code === 0x2019 || code === 0x201d || classOf(code) === SPACE;
}

/** The run of letters that ends at `end` and starts at or after `from` ("" if none). */
function wordBefore(text: string, from: number, end: number): string {
  let i = end;
  while (i > from) {
    const code = text.charCodeAt(i - 1);
    // a letter outside the BMP is read by the definition, which reads code points
    if (code >= 0xd800 && code <= 0xdfff) return /(\p{L}+)$/u.exec(text.slice(from, end))?.[1] ?? '';
    if (!isLetter(code)) break;
    i--;
  }
  return text.slice(i, end);
}

const letters = new Uint8Array(0x10000);

function isLetter(code: number): boolean {
  let k = letters[code];
  if (k === 0) letters[code] = k = /\p{L}/u.test(String.fromCharCode(code)) ? 1 : 2;
  return k === 1;
}
