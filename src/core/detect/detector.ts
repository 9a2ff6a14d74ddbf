/**
 * Finds gazetteer terms in article text in one left-to-right pass.
 *
 * How it works: one Aho–Corasick automaton holds the aliases of all categories (automaton.ts). The
 * scan reads each character once through the same normalisation as the aliases (chars.ts: case
 * folded, separator runs as one space, typographic quotes as ASCII) and the automaton reports every
 * alias occurrence where it ends. An occurrence is a candidate if it starts and ends on word
 * boundaries and satisfies its case rule and `followedBy` context. There is no regex per term.
 *
 * Selection: within each category, leftmost-longest and non-overlapping (the longest candidate at
 * the earliest start wins; later candidates that overlap it are dropped), so "Metropolitan Police
 * Service" beats "Metropolitan Police" and "final written warning" beats "written warning".
 * Categories are independent: a force inside a rank title ("Met Police Commissioner") or a body
 * inside an outcome phrase ("referred to the IOPC") are both reported, because each is a
 * different fact for the annotator. Matches are sorted by start, then category order.
 *
 * Possessives and punctuation need no special case: "'s" is not a word character, so "Hampshire
 * Constabulary's" ends on a word boundary after "Constabulary".
 *
 * Offsets are UTF-16 code units (JavaScript string indices); see `toCodePointMatches`.
 */
import type { OffsetMap } from '../offsets';
import { CLASS_SEP, CLASS_WORD, capitalsMatch, capitalsPattern, charClass, isWordCode, phraseAt } from './chars';
import { CATEGORIES, Category, Term, gazetteerTerms } from './gazetteer';
import { Automaton, Hits, LANES } from './automaton';

export interface Match {
  /** UTF-16 offset of the first character (code points after `toCodePointMatches`). */
  start: number;
  /** Exclusive end. */
  end: number;
  category: Category;
  /** The gazetteer entry id, e.g. `metropolitan` or `dismissal_without_notice`. */
  type: string;
  /** The text as it appears in the article (original case, line breaks and quotes). */
  text: string;
}

export interface DetectorOptions {
  /** Only these categories (default: all). */
  categories?: readonly Category[];
  /** Skip aliases the data marks `ambiguous` (default false: they are kept for recall). */
  skipAmbiguous?: boolean;
}

/** Per-term flags, in a typed array for the hot loop. */
const CASE_SENSITIVE = 1;
const HAS_CONTEXT = 2;
const ENDS_IN_WORD = 4;
const RULES = CASE_SENSITIVE | HAS_CONTEXT;
/** Characters scanned before their hits are checked (see `candidates`). */
const BLOCK = 1 << 16;

export class Detector {
  readonly terms: readonly Term[];
  /** Longest alias in symbols: bounds how far a match can reach (range detection). */
  readonly maxTermSymbols: number;
  private readonly automaton: Automaton;
  private readonly termCategory: Uint8Array;
  private readonly termFlags: Uint8Array;
  /** Per term: the alias with every letter that need not be a capital replaced by a space. */
  private readonly capitals: string[];

  constructor(terms: readonly Term[], options: DetectorOptions = {}) {
    const categories = options.categories ?? CATEGORIES;
    this.terms = terms.filter((t) => categories.includes(t.category) && !(options.skipAmbiguous && t.ambiguous));
    for (const t of this.terms) {
      if (!t.folded || !isWordCode(t.folded.charCodeAt(0))) throw new Error(`alias "${t.alias}" must start with a letter or digit`);
    }
    this.automaton = new Automaton(this.terms.map((t) => t.folded));
    this.maxTermSymbols = Math.max(0, ...this.terms.map((t) => t.folded.length));
    this.termCategory = Uint8Array.from(this.terms, (t) => CATEGORIES.indexOf(t.category));
    // nothing after the last capital needs checking
    this.capitals = this.terms.map((t) => capitalsPattern(t.normalized).trimEnd());
    this.termFlags = Uint8Array.from(
      this.terms,
      (t) =>
        (t.caseSensitive && /\p{Lu}/u.test(t.normalized) ? CASE_SENSITIVE : 0) |
        (t.followedBy ? HAS_CONTEXT : 0) |
        (isWordCode(t.folded.charCodeAt(t.folded.length - 1)) ? ENDS_IN_WORD : 0),
    );
  }

  /** A detector over the bundled gazetteers. */
  static fromBundledData(options?: DetectorOptions): Detector {
    return new Detector(gazetteerTerms(), options);
  }

  /**
   * The matches in `text`, or, given a range, exactly those matches of the full scan that overlap
   * [from, to) — including one that starts before `from` or ends after `to` — so a viewer can
   * detect only its visible lines and still agree with a full scan. To make that exact, the scan
   * starts at a "quiet point" at or before `from` that no candidate spans (usually the word start
   * right before it); see `quietPoint`.
   */
  detect(text: string, from = 0, to = text.length): Match[] {
    from = Math.max(0, Math.min(from, text.length));
    to = Math.max(from, Math.min(to, text.length));
    if (from === 0 && to === text.length) return this.select(text, this.candidates(text, 0, text.length));
    if (from === to) return [];
    return this.select(text, this.candidates(text, this.quietPoint(text, from), to)).filter((m) => m.end > from);
  }

  /**
   * Every valid candidate starting in [from, to), sorted by start, longest first. The scan starts
   * fresh at `from` (so nothing starting earlier is seen) and reads on past `to` only as far as a
   * candidate starting before `to` could reach.
   */
  private candidates(text: string, from: number, to: number): Candidates {
    const a = this.automaton;
    const { report, fail, outStart, outEnd, outKeys } = a;
    const A = a.alphabet;
    const { termFlags, termCategory } = this;
    const n = text.length;
    const WORD = CLASS_WORD; // a local, not a module property load, in the hot loop
    // a candidate starting before `to` ends within maxTermSymbols symbols of it
    const stop = to === text.length ? to : symbolsForward(text, to, this.maxTermSymbols + 1);
    // about one candidate every 50 characters of prose
    const out = new Candidates((stop - from) >> 5);
    const lanes = Array.from({ length: LANES }, () => new Hits((Math.min(stop - from, BLOCK) / LANES) >> 5));
    // block by block, so the hits of a long text need a block's room, not the text's
    for (let block = from, row = 0; block < stop; block += BLOCK) {
      row = a.scan(text, block, Math.min(stop, block + BLOCK), row, lanes);
      for (const hits of lanes) {
        for (let h = 0; h < hits.length; h++) {
          let r = report[(hits.rows[h] / A) | 0];
          // Many outputs end inside a word ("met" in "method"): the end boundary rejects them first.
          const end = hits.ends[h];
          const midWord = end < n && charClass(text.charCodeAt(end)) === WORD;
          for (; r !== 0; r = report[fail[r]]) {
            for (let o = outStart[r]; o < outEnd[r]; o++) {
              const term = outKeys[o];
              if (midWord && termFlags[term] & ENDS_IN_WORD) continue;
              const start = a.keyStart(text, end, term);
              if (start >= to || start < from) continue;
              // the automaton only lets aliases start after a non-letter, but counts "'" as one
              // though U+02BC folds to it, and takes `from` as a start: the text has the last word
              if (start > 0 && charClass(text.charCodeAt(start - 1)) === WORD) continue;
              if (!(termFlags[term] & RULES) || this.valid(text, start, end, term)) out.add(start, end, term, termCategory[term]);
            }
          }
        }
      }
    }
    return out;
  }

  /** Leftmost-longest, non-overlapping within each category. */
  private select(text: string, c: Candidates): Match[] {
    const matches: Match[] = [];
    const busyUntil = new Int32Array(CATEGORIES.length);
    for (let j = 0; j < c.length; j++) {
      const start = c.starts[j];
      const term = c.terms[j];
      const cat = this.termCategory[term];
      if (start < busyUntil[cat]) continue;
      const end = c.ends[j];
      const t = this.terms[term];
      matches.push({ start, end, category: t.category, type: t.type, text: text.slice(start, end) });
      busyUntil[cat] = end;
    }
    return matches;
  }

  /** The case and context rules (boundaries are checked by the caller). */
  private valid(text: string, start: number, end: number, term: number): boolean {
    const flags = this.termFlags[term];
    const t = this.terms[term];
    if (flags & CASE_SENSITIVE && !capitalsMatch(text, start, this.capitals[term])) return false;
    if (flags & HAS_CONTEXT) {
      // the context must follow after at least one separator: "Hampshire police", not "Hampshire."
      let j = end;
      // a possessive may come between: "Wiltshire's chief constable"
      if ((text[j] === "'" || text[j] === '\u2019') && (text[j + 1] === 's' || text[j + 1] === 'S') && charClass(text.charCodeAt(j + 2)) === CLASS_SEP) j += 2;
      const afterName = j;
      while (j < text.length && charClass(text.charCodeAt(j)) === CLASS_SEP) j++;
      if (j === afterName || !t.followedBy!.some((phrase) => phraseAt(text, j, phrase) >= 0)) return false;
    }
    return true;
  }

  /**
   * A position q ≤ from that no candidate crosses (none starts before q and ends after it). Matches
   * are chosen among candidates, so at q no match of the full scan is in progress and a scan from
   * q with fresh state selects exactly what the full scan selects from q on.
   *
   * A candidate covers at most `maxTermSymbols` symbols (a separator run is one symbol), so only
   * candidates starting within that many symbols before a position can cross it. We gather the
   * candidates in a window two such spans wide and take the last quiet position; in the rare case
   * of a chain of overlapping candidates filling the window, we slide the window back and retry.
   */
  private quietPoint(text: string, from: number): number {
    const span = this.maxTermSymbols + 1;
    for (let limit = from; limit > 0; ) {
      const lo = symbolsBack(text, limit, span);
      const c = this.candidates(text, symbolsBack(text, lo, span), limit);
      // reach: the furthest end of candidates starting before the position being considered
      let reach = 0;
      for (let j = 0; j < c.length; j++) reach = Math.max(reach, c.ends[j]);
      if (reach <= limit) return limit;
      reach = 0;
      let quiet = -1;
      for (let j = 0; j < c.length; j++) {
        const start = c.starts[j];
        if (start >= lo && reach <= start) quiet = start;
        reach = Math.max(reach, c.ends[j]);
      }
      if (quiet >= 0) return quiet;
      limit = lo;
    }
    return 0;
  }
}

/**
 * Candidate spans in parallel arrays, kept sorted by start, then category, then longest first:
 * the order in which `select` takes them and reports matches.
 */
class Candidates {
  starts: Int32Array;
  ends: Int32Array;
  terms: Int32Array;
  categories: Int32Array;
  length = 0;

  /** `capacity`: room for that many before the arrays grow. */
  constructor(capacity: number) {
    capacity = Math.max(16, capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.terms = new Int32Array(capacity);
    this.categories = new Int32Array(capacity);
  }

  /**
   * Candidates arrive in order of end, so a new one belongs near the back: an insertion sort
   * moves it past the few overlapping candidates that start after it.
   */
  add(start: number, end: number, term: number, category: number): void {
    if (this.length === this.starts.length) this.grow();
    const { starts, ends, terms, categories } = this;
    let j = this.length++;
    for (; j > 0; j--) {
      const s = starts[j - 1];
      if (s < start || (s === start && (categories[j - 1] < category || (categories[j - 1] === category && ends[j - 1] >= end)))) break;
      starts[j] = s;
      ends[j] = ends[j - 1];
      terms[j] = terms[j - 1];
      categories[j] = categories[j - 1];
    }
    starts[j] = start;
    ends[j] = end;
    terms[j] = term;
    categories[j] = category;
  }

  private grow(): void {
    const twice = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.starts = twice(this.starts);
    this.ends = twice(this.ends);
    this.terms = twice(this.terms);
    this.categories = twice(this.categories);
  }
}

/** The offset `count` symbols before `pos` (a separator run counts as one symbol). */
function symbolsBack(text: string, pos: number, count: number): number {
  const SEP = CLASS_SEP;
  let i = pos;
  for (let k = 0; k < count && i > 0; k++) {
    i--;
    if (charClass(text.charCodeAt(i)) === SEP) while (i > 0 && charClass(text.charCodeAt(i - 1)) === SEP) i--;
  }
  return i;
}

/** The offset `count` symbols after `pos`, or the text's end. */
function symbolsForward(text: string, pos: number, count: number): number {
  let i = pos;
  for (let k = 0; k < count && i < text.length; k++) {
    if (charClass(text.charCodeAt(i++)) === CLASS_SEP) while (i < text.length && charClass(text.charCodeAt(i)) === CLASS_SEP) i++;
  }
  return i;
}

/** The same matches with code point offsets (what sidecars and the CLI report). */
export function toCodePointMatches(matches: readonly Match[], map: OffsetMap): Match[] {
  if (!map.hasAstral) return matches.map((m) => ({ ...m }));
  return matches.map((m) => ({ ...m, start: map.toCodePoint(m.start), end: map.toCodePoint(m.end) }));
}
