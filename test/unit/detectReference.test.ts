/**
 * Property tests of the gazetteer detector against a naive reference: every alias tried at every
 * word start, character by character, then the case and context rules and leftmost-longest
 * selection per category, written out plainly. The detector's automaton, its lanes (long texts are
 * scanned in several pieces side by side) and its shortcuts must give exactly the same matches, on
 * texts of gazetteer aliases in any case, other words, punctuation, separators (CRLF, dashes, the
 * ideographic space), typographic quotes and characters outside the BMP.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkProperty } from './property';
import { CATEGORIES, Detector, Match, Term, gazetteerTerms } from '../../src/core/detect';
import { CLASS_SEP, CLASS_WORD, capitalsMatch, capitalsPattern, charClass, foldAlias, isWordCode, normalizeAlias, phraseAt, quoteVariants } from '../../src/core/detect/chars';

const isSep = (text: string, i: number): boolean => i < text.length && charClass(text.charCodeAt(i)) === CLASS_SEP;
const isWord = (text: string, i: number): boolean => i >= 0 && i < text.length && charClass(text.charCodeAt(i)) === CLASS_WORD;

/** Whether text character `c` stands for the alias character `ch`: itself, a typographic variant, or one's capital. */
function sameChar(c: string, ch: string): boolean {
  return quoteVariants(ch).some((v) => c === v || c === v.toUpperCase());
}

/** Where `term` ends if it occurs at `start` (a separator run in the text matching each space), or -1. */
function endOf(text: string, start: number, term: Term): number {
  let i = start;
  for (const ch of term.folded) {
    if (ch === ' ') {
      if (!isSep(text, i)) return -1;
      while (isSep(text, i)) i++;
    } else {
      if (i >= text.length || isSep(text, i) || !sameChar(text[i], ch)) return -1;
      i++;
    }
  }
  return i;
}

/** The detector's case and context rules, as its documentation states them. */
function passesRules(text: string, start: number, end: number, term: Term): boolean {
  if (term.caseSensitive && /\p{Lu}/u.test(term.normalized) && !capitalsMatch(text, start, capitalsPattern(term.normalized))) return false;
  if (!term.followedBy) return true;
  let j = end;
  if ((text[j] === "'" || text[j] === '\u2019') && (text[j + 1] === 's' || text[j + 1] === 'S') && isSep(text, j + 2)) j += 2;
  if (!isSep(text, j)) return false;
  while (isSep(text, j)) j++;
  return term.followedBy.some((phrase) => phraseAt(text, j, phrase) >= 0);
}

function referenceDetect(terms: readonly Term[], text: string): Match[] {
  // only to be quick: the terms that the character at a start could begin
  const byFirst = new Map<string, number[]>();
  terms.forEach((term, index) => {
    const firsts = new Set(quoteVariants(term.folded[0]).flatMap((v) => [v, v.toUpperCase()]));
    for (const c of firsts) byFirst.set(c, [...(byFirst.get(c) ?? []), index]);
  });
  const found: { start: number; end: number; cat: number; index: number }[] = [];
  for (let start = 0; start < text.length; start++) {
    if (isWord(text, start - 1)) continue;
    for (const index of byFirst.get(text[start]) ?? []) {
      const term = terms[index];
      const end = endOf(text, start, term);
      if (end < 0) continue;
      if (isWordCode(term.folded.charCodeAt(term.folded.length - 1)) && isWord(text, end)) continue;
      if (passesRules(text, start, end, term)) found.push({ start, end, cat: CATEGORIES.indexOf(term.category), index });
    }
  }
  found.sort((a, b) => a.start - b.start || a.cat - b.cat || b.end - a.end || a.index - b.index);
  const busyUntil = CATEGORIES.map(() => 0);
  const matches: Match[] = [];
  for (const f of found) {
    if (f.start < busyUntil[f.cat]) continue;
    const t = terms[f.index];
    matches.push({ start: f.start, end: f.end, category: t.category, type: t.type, text: text.slice(f.start, f.end) });
    busyUntil[f.cat] = f.end;
  }
  return matches;
}

/** Random texts: the terms' aliases (as written, lower, upper, or mixed case) among other material. */
function textOf(terms: readonly Term[], minLength: number, maxLength: number): fc.Arbitrary<string> {
  const alias = fc.tuple(fc.constantFrom(...terms.map((t) => t.alias)), fc.nat(3)).map(([a, c]) => {
    if (c === 1) return a.toLowerCase();
    if (c === 2) return a.toUpperCase();
    if (c === 3) return [...a].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch.toLowerCase())).join('');
    return a;
  });
  const other = fc.constantFrom(
    'the', 'officer', 'was', 'policeman', 'method', 'report', 'Metropolitanx', 'xPolice', 'of', 'and', 'police', 'Police', 'constable', 'misconduct',
    'dismissed', 'warning', 'gross', 'sergeant', 'chief', "'s", '’s', 'ʼs', 'café', 'İstanbul', '42', 'K',
  );
  const punctuation = fc.constantFrom('.', ',', ';', '(', ')', '"', '“', '”', "'", '’', 'ʼ', '&', '/', ':', '!', '?');
  const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\r\n', '\n', '\t', '-', '–', '—', ' - ', '\u3000', '\u00a0');
  const strange = fc.constantFrom('🚔', '👮🏽‍♀️', '𝐀', '𝐏𝐨𝐥𝐢𝐜𝐞', '警察', '\ud83d', '\u0301', 'ß', 'ﬁ');
  const piece = fc.oneof({ arbitrary: alias, weight: 4 }, { arbitrary: other, weight: 4 }, { arbitrary: separator, weight: 6 }, { arbitrary: punctuation, weight: 2 }, { arbitrary: strange, weight: 1 });
  return fc.array(piece, { minLength, maxLength, size: 'max' }).map((ps) => ps.join(''));
}

describe('detect: the same matches as a naive reference (property-based)', () => {
  const bundled = new Detector(gazetteerTerms());

  it('for short and long texts of gazetteer aliases and other material, whole and by range', () => {
    checkProperty(
      fc.property(textOf(bundled.terms, 0, 900), fc.nat(), fc.nat(), (text, a, b) => {
        const full = bundled.detect(text);
        assert.deepEqual(full, referenceDetect(bundled.terms, text));
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        assert.deepEqual(bundled.detect(text, from, to), from === to ? [] : full.filter((m) => m.start < to && m.end > from));
      }),
      60,
    );
  });

  it('for texts longer than one block of the scan (the state carries over)', () => {
    checkProperty(
      fc.property(textOf(bundled.terms, 100, 900), fc.constantFrom(...bundled.terms.map((t) => t.alias)), fc.nat(30), (text, alias, k) => {
        // with an alias across each multiple of 2^16 characters, the detector's block size
        const unit = `${text}\n`.repeat(Math.ceil(65_536 / (text.length + 1))).slice(0, 65_536 - k - 1);
        const long = [unit, unit, unit].join(` ${alias} `);
        assert.deepEqual(bundled.detect(long), referenceDetect(bundled.terms, long));
      }),
      6,
    );
  });

  // aliases that are suffixes and prefixes of one another, apostrophes (U+02BC is a letter that
  // folds to "'"), separators inside aliases, case and context rules
  const made = (category: Term['category'], type: string, alias: string, caseSensitive = false, followedBy?: string[]): Term => {
    const normalized = normalizeAlias(alias);
    return { category, type, alias, normalized, folded: foldAlias(normalized), caseSensitive, ambiguous: false, followedBy };
  };
  const tricky = [
    made('force', 'met', 'Met', true),
    made('force', 'met_police', 'Met Police'),
    made('force', 'police', 'police', false, ['officer', 'chief constable']),
    made('force', 'obrien', "O'Brien Police", true),
    made('body', 'brien', 'Brien'),
    made('body', 'brien_police', 'Brien Police'),
    made('rank', 'officer', 'officer'),
    made('rank', 'chief_constable', 'Chief Constable'),
    made('rank', 'c', 'c'),
    made('allegation', 'a_b_c', 'a b c'),
    made('allegation', 'b_c', 'b-c'),
    made('sanction', 'ab', "a'b"),
    made('sanction', 'x2', 'x2'),
  ];
  const small = new Detector(tricky);

  it('for texts of aliases that overlap, nest and end inside one another', () => {
    checkProperty(
      fc.property(textOf(tricky, 0, 700), (text) => {
        assert.deepEqual(small.detect(text), referenceDetect(small.terms, text));
      }),
      300,
    );
  });
});
