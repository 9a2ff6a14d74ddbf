/**
 * Character classes and normalisation shared by the detector, the gazetteer loader and the grammar
 * generator, so an alias is normalised exactly the way the text it must match is.
 *
 * The detector compares text and aliases as streams of symbols:
 * - a run of separators (any whitespace including CR/LF, hyphens and dashes) is ONE space symbol,
 *   so "sex-worker", "sex worker" and "Dyfed–Powys" / "Dyfed\r\nPowys" all compare equal;
 * - typographic apostrophes (’ ‘ ʼ ′) are "'", so "Chiefs’ Council" matches "Chiefs' Council";
 * - letters are compared case-folded, and case-sensitive aliases are re-checked against the
 *   original text afterwards (see `capitalsMatch`).
 */

const CLASS_OTHER = 1;
export const CLASS_WORD = 2;
export const CLASS_SEP = 3;

/**
 * Lazily filled: 0 = not yet classified. One shared table, because classes never change; exported
 * so hot loops can read it directly and call `charClass` only on a 0.
 */
const CHAR_CLASSES = new Uint8Array(0x10000);
const classes = CHAR_CLASSES;

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const SEP_RE = /[\s\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]/u;

function classify(code: number): number {
  // lone surrogates (halves of emoji and other astral characters) are never part of a word here
  if (code >= 0xd800 && code <= 0xdfff) return CLASS_OTHER;
  const ch = String.fromCharCode(code);
  if (SEP_RE.test(ch)) return CLASS_SEP;
  return WORD_RE.test(ch) ? CLASS_WORD : CLASS_OTHER;
}

/** The class of a UTF-16 code unit: word character, separator or anything else. */
export function charClass(code: number): number {
  const k = classes[code];
  if (k !== 0) return k;
  return (classes[code] = classify(code));
}

/** Pre-fills the ASCII part so the hot loop rarely takes the slow path. */
for (let c = 0; c < 0x80; c++) charClass(c);

export function isWordCode(code: number): boolean {
  return charClass(code) === CLASS_WORD;
}

const APOSTROPHES = '\u2019\u2018\u02bc\u2032\u0060\u00b4';
const DOUBLE_QUOTES = '\u201c\u201d\u201e\u2033';

/** Typographic apostrophes and quotes → ASCII; everything else unchanged. */
function normalizeQuote(ch: string): string {
  if (APOSTROPHES.includes(ch)) return "'";
  if (DOUBLE_QUOTES.includes(ch)) return '"';
  return ch;
}

/** Every code unit that normalises to `ch` (itself plus its typographic variants). */
export function quoteVariants(ch: string): string[] {
  if (ch === "'") return ["'", ...APOSTROPHES];
  if (ch === '"') return ['"', ...DOUBLE_QUOTES];
  return [ch];
}

/**
 * An alias as the detector sees it, before case folding: quotes normalised, every separator run
 * a single space, no leading or trailing separators.
 */
export function normalizeAlias(alias: string): string {
  let out = '';
  let pendingSep = false;
  for (const ch of alias) {
    if (ch.length > 1) throw new Error(`alias "${alias}" contains a character outside the BMP`);
    if (charClass(ch.charCodeAt(0)) === CLASS_SEP) {
      pendingSep = out.length > 0;
      continue;
    }
    if (pendingSep) out += ' ';
    pendingSep = false;
    out += normalizeQuote(ch);
  }
  return out;
}

/** Case folding of one character, the same for aliases and text. */
export function foldChar(ch: string): string {
  const lower = ch.toLowerCase();
  return lower.length === 1 ? lower : ch;
}

export function foldAlias(normalized: string): string {
  let out = '';
  for (const ch of normalized) out += foldChar(ch);
  return out;
}

export function isUpperLetter(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/**
 * Case rule for case-sensitive aliases: every capital letter of the alias must be the same capital
 * in the text; lower-case letters match either case. So "Met" matches "Met" and "MET" (headlines)
 * but not the verb "met", and "MPS" does not match "MPs". The rule is precomputed per alias as a
 * pattern (`capitalsPattern`): the alias with every other character replaced by a space.
 */
export function capitalsPattern(normalized: string): string {
  let out = '';
  for (const ch of normalized) out += isUpperLetter(ch) ? ch : ' ';
  return out;
}

/**
 * Whether the text from `start` has the capitals `pattern` asks for. The caller has already
 * established that the folded text matches the alias, so only the capitals are compared; a
 * separator run in the text stands for one space of the pattern.
 */
export function capitalsMatch(text: string, start: number, pattern: string): boolean {
  let i = start;
  for (let k = 0; k < pattern.length; k++) {
    const want = pattern.charCodeAt(k);
    const c = text.charCodeAt(i++);
    if (charClass(c) === CLASS_SEP) {
      while (i < text.length && charClass(text.charCodeAt(i)) === CLASS_SEP) i++;
    } else if (want !== 32 && c !== want) {
      return false;
    }
  }
  return true;
}

/**
 * Whether `phrase` (normalised and folded) occurs at `start`, compared case-insensitively and
 * ending on a word boundary. Returns the end offset, or -1. Used for `followedBy` context words.
 */
export function phraseAt(text: string, start: number, phrase: string): number {
  let i = start;
  for (let k = 0; k < phrase.length; k++) {
    if (i >= text.length) return -1;
    const a = phrase[k];
    if (a === ' ') {
      if (charClass(text.charCodeAt(i)) !== CLASS_SEP) return -1;
      while (i < text.length && charClass(text.charCodeAt(i)) === CLASS_SEP) i++;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      // ASCII (nearly every character read here): fold by code, as foldChar and normalizeQuote would
      const folded = c >= 0x41 && c <= 0x5a ? c + 32 : c === 0x60 ? 0x27 : c;
      if (folded !== phrase.charCodeAt(k)) return -1;
    } else if (foldChar(normalizeQuote(text[i])) !== a) {
      return -1;
    }
    i++;
  }
  if (i < text.length && isWordCode(text.charCodeAt(i)) && isWordCode(phrase.charCodeAt(phrase.length - 1))) return -1;
  return i;
}
