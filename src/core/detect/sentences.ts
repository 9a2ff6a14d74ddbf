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

const TOKEN_RE = /[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}]|['’\-\u2010\u2011](?=[\p{L}\p{N}]))*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  const slice = text.slice(from, to);
  for (let m = TOKEN_RE.exec(slice); m; m = TOKEN_RE.exec(slice)) {
    out.push({ text: m[0], start: from + m.index, end: from + m.index + m[0].length, word: /^[\p{L}\p{N}]/u.test(m[0]) });
  }
  return out;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'sgt', 'insp', 'supt', 'det', 'ch', 'pc', 'dc', 'ds', 'di', 'co', 'ltd', 'vs', 'v']);

/** Sentences as [start, end) UTF-16 ranges: a line break, or . ! ? followed by a space or quote. */
export function sentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    if (text.slice(start, end).trim()) out.push([start, end]);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // only line breaks, sentence ends and (in a long run) spaces matter
    if (code !== 10 && code !== 13 && code !== 46 && code !== 33 && code !== 63 && code !== 32) continue;
    const c = text[i];
    // a text without sentence ends is cut every 2,000 characters (at a space), to bound the work
    if (c === ' ') {
      if (i - start > 2000) push(i);
      continue;
    }
    if (c === '\n' || c === '\r') {
      push(i + 1);
    } else if (i + 1 >= text.length || /[\s"'’”]/.test(text[i + 1])) {
      const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(start, i - 6), i));
      if (c === '.' && word && ABBREVIATIONS.has(word[1].toLowerCase())) continue;
      push(i + 1);
    }
  }
  push(text.length);
  return out;
}
