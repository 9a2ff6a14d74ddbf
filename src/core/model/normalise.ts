/**
 * The text a quote is compared in when it does not occur as written: white-space runs as one
 * space, lower case, curly quotes and apostrophes as straight ones, every dash as "-", soft hyphens
 * gone. Each character of the result remembers the UTF-16 range of the original it came from, so a
 * match found in the normalised text maps back to the article's own offsets.
 */

export interface NormalisedText {
  text: string;
  /** For each UTF-16 unit of `text`: where its source starts in the original (UTF-16). */
  from: number[];
  /** … and where that source ends (exclusive). */
  to: number[];
}

const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4]/;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/;
const SPACE = /[\s\ufeff\u200b]/;

export function normaliseForMatch(s: string): NormalisedText {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  const emit = (out: string, start: number, end: number) => {
    for (let k = 0; k < out.length; k++) {
      text += out[k];
      from.push(start);
      to.push(end);
    }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    // a surrogate pair is copied as it is (no case mapping or class applies to half of one)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      emit(s.slice(i, i + 2), i, i + 2);
      i++;
      continue;
    }
    if (c === '\u00ad') continue;
    if (SPACE.test(c)) {
      if (text.length && text[text.length - 1] === ' ') to[to.length - 1] = i + 1;
      else emit(' ', i, i + 1);
      continue;
    }
    if (SINGLE_QUOTES.test(c)) emit("'", i, i + 1);
    else if (DOUBLE_QUOTES.test(c)) emit('"', i, i + 1);
    else if (DASHES.test(c)) emit('-', i, i + 1);
    else emit(c.toLowerCase(), i, i + 1);
  }
  return { text, from, to };
}

/** A quote normalised for searching: as above, without the spaces at its ends. */
export function normaliseQuote(s: string): string {
  return normaliseForMatch(s).text.trim();
}
