/**
 * An Aho–Corasick automaton over normalised, case-folded aliases: the text is read once, one table
 * lookup per character, and every alias occurrence that starts on a word boundary is reported
 * where it ends.
 *
 * Symbols are small integers (the alphabet is whatever characters the aliases use, ~40), and
 * `scanSymbol` maps every UTF-16 code unit straight to its symbol, folding case and typographic
 * quotes on the way. The transition table is complete (failure links folded in), so the scanner
 * never backtracks.
 *
 * Every alias starts with a letter or digit, and the detector only wants occurrences that start on
 * a word boundary, so the automaton only tracks those: inside a word, once no alias continues, it
 * waits in the state WORD until the next boundary instead of following "po" in "report" into
 * "police", and the detector gets far fewer key ends that it would reject for their start.
 *
 * The scan is a chain of table loads, each depending on the one before, so it is bound by memory
 * latency, not by work: `scan` runs four pieces of a long text side by side (see there).
 */
import { CLASS_SEP, CLASS_WORD, charClass, quoteVariants } from './chars';

/** `scanSymbol` of a code unit not classified yet (never a real symbol: there are at most 254). */
export const UNKNOWN_SYMBOL = 255;
/** The state where an alias may start (the text's start, or after a character that is not a letter or digit). */
const ROOT = 0;
/** The state inside a word where no alias is in progress: none can start before the next boundary. */
const WORD = 1;
/** Lanes of a scan (see `scan`), and the shortest text worth cutting into them. */
export const LANES = 4;
const MIN_LANES_TEXT = 1024;

/** Where keys end in a scanned text, in order: the end offsets and the rows of the states reached there. */
export class Hits {
  ends: Int32Array;
  rows: Int32Array;
  length = 0;

  /** `capacity`: room for that many before the arrays grow (keys end about once every 50 characters of prose). */
  constructor(capacity: number) {
    this.ends = new Int32Array(Math.max(16, capacity));
    this.rows = new Int32Array(Math.max(16, capacity));
  }

  push(end: number, row: number): void {
    if (this.length === this.ends.length) {
      const ends = new Int32Array(this.length * 2);
      const rows = new Int32Array(this.length * 2);
      ends.set(this.ends);
      rows.set(this.rows);
      this.ends = ends;
      this.rows = rows;
    }
    this.ends[this.length] = end;
    this.rows[this.length++] = row;
  }
}

export class Automaton {
  /** Code unit → symbol of the alias character it folds to; 0 = in no alias. */
  readonly symbolOf = new Uint8Array(0x10000);
  /** The symbol of a separator run (see chars.ts). */
  readonly space = 1;
  /** The symbol of a letter or digit in no alias: it keeps the scan inside a word (column all WORD). */
  readonly otherWord = 2;
  /** Symbol 0, a character in no alias that is not a letter or digit, has a column all ROOT. */
  /**
   * Code unit → what the scanner feeds the automaton: `space` for a separator, else its symbol, or
   * `otherWord` / 0 for a character in no alias. One table load per character.
   */
  readonly scanSymbol = new Uint8Array(0x10000);

  /** Fills in (and returns) `scanSymbol` for one code unit. */
  scanSymbolOf(c: number): number {
    const k = charClass(c);
    return (this.scanSymbol[c] = k === CLASS_SEP ? this.space : this.symbolOf[c] || (k === CLASS_WORD ? this.otherWord : 0));
  }
  readonly alphabet: number;
  readonly stateCount: number;
  /**
   * The transition table by rows: delta[row + symbol], where a state's row is state × alphabet, is
   * the next state's row × 2, plus 1 when some key ends at that state or a failure ancestor. Rows
   * instead of state numbers take the multiplication out of the scan's chain of dependent loads;
   * the low bit spares it a second table.
   */
  readonly delta: Int32Array;
  /** Per state: the nearest state (itself or a failure ancestor) where some key ends, or 0. */
  readonly report: Int32Array;
  /** Per state: the failure link (longest proper suffix that is a trie state and may start an alias). */
  readonly fail: Int32Array;
  /** Per state: [outStart, outEnd) of the key indices ending exactly there, in `outKeys`. */
  readonly outStart: Int32Array;
  readonly outEnd: Int32Array;
  readonly outKeys: Int32Array;
  /** Per key: its length in symbols, and the offsets of its spaces (keySpaces[keySpacesStart[k] …]). */
  private readonly keyLength: Int32Array;
  private readonly keySpacesStart: Int32Array;
  private readonly keySpaces: Int32Array;

  constructor(keys: readonly string[]) {
    const symbols = new Map<string, number>([[' ', this.space]]);
    for (const key of keys) for (const ch of key) if (!symbols.has(ch)) symbols.set(ch, symbols.size + 2);
    const A = (this.alphabet = symbols.size + 2);
    this.keyLength = Int32Array.from(keys, (key) => key.length);
    const spaces = keys.map((key) => [...key].flatMap((ch, i) => (ch === ' ' ? [i] : [])));
    this.keySpaces = Int32Array.from(spaces.flat());
    this.keySpacesStart = new Int32Array(keys.length + 1);
    spaces.forEach((offsets, k) => (this.keySpacesStart[k + 1] = this.keySpacesStart[k] + offsets.length));
    if (A > UNKNOWN_SYMBOL) throw new Error('too many distinct characters in the aliases');
    const mapped: number[] = [];
    for (const [ch, sym] of symbols) {
      if (ch === ' ') continue;
      for (const v of quoteVariants(ch)) {
        for (const u of [v, v.toUpperCase()]) {
          if (u.length !== 1 || charClass(u.charCodeAt(0)) === CLASS_SEP) continue; // a separator is always `space`
          this.symbolOf[u.charCodeAt(0)] = sym;
          mapped.push(u.charCodeAt(0));
        }
      }
    }
    // After a symbol, may an alias start? Yes after a separator, a character in no alias that is
    // not a letter or digit, or an alias character one of whose code units is not (such as "'",
    // though its variant U+02BC is a letter): the detector re-checks the boundary in the text.
    const startsAfter = new Uint8Array(A);
    startsAfter[0] = startsAfter[this.space] = 1;
    for (const c of mapped) if (charClass(c) !== CLASS_WORD) startsAfter[this.symbolOf[c]] = 1;
    // scanSymbol up to U+2FFF (Latin, Greek, Cyrillic, punctuation: articles' characters) and the
    // alias characters now; the rest on first sight (UNKNOWN), so building a detector does not
    // classify 65,536 characters
    this.scanSymbol.fill(UNKNOWN_SYMBOL, 0x3000);
    for (let c = 0; c < 0x3000; c++) this.scanSymbolOf(c);
    for (const c of mapped) this.scanSymbolOf(c);

    // 1. the trie; state 1 (WORD) is no trie node
    let children: Map<number, number>[] = [new Map(), new Map()];
    let outputs: number[][] = [];
    keys.forEach((key, index) => {
      let state = ROOT;
      for (const ch of key) {
        const sym = symbols.get(ch)!;
        let next = children[state].get(sym);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          children[state].set(sym, next);
        }
        state = next;
      }
      (outputs[state] ??= []).push(index);
    });
    // Renumber states breadth first: the shallow states the scan spends most of its time in then
    // share a few cache lines of the transition table.
    const order = [ROOT, WORD];
    for (let head = 0; head < order.length; head++) for (const child of children[order[head]].values()) order.push(child);
    const renum = new Int32Array(order.length);
    order.forEach((old, neu) => (renum[old] = neu));
    children = order.map((old) => new Map([...children[old]].map(([sym, child]) => [sym, renum[child]])));
    outputs = order.map((old) => outputs[old]);
    const n = (this.stateCount = children.length);
    this.outStart = new Int32Array(n);
    this.outEnd = new Int32Array(n);
    const flat: number[] = [];
    for (let s = 0; s < n; s++) {
      this.outStart[s] = flat.length;
      for (const k of outputs[s] ?? []) flat.push(k);
      this.outEnd[s] = flat.length;
    }
    this.outKeys = Int32Array.from(flat);

    // 2. failure links and the complete transition table, breadth first. Where no alias continues,
    // ROOT and WORD go to ROOT or WORD by whether an alias may start after the symbol; a trie
    // node's failure link is its longest proper suffix that starts where an alias may, else ROOT
    // or WORD likewise.
    const delta = n < 0x10000 ? new Uint16Array(n * A) : new Uint32Array(n * A);
    const fail = (this.fail = new Int32Array(n));
    const report = (this.report = new Int32Array(n));
    const queue: number[] = [];
    for (let sym = 0; sym < A; sym++) {
      const after = startsAfter[sym] ? ROOT : WORD;
      delta[WORD * A + sym] = after;
      const child = children[ROOT].get(sym);
      delta[ROOT * A + sym] = child ?? after;
      if (child !== undefined) {
        fail[child] = after;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      report[u] = this.outStart[u] !== this.outEnd[u] ? u : report[fail[u]];
      for (let sym = 0; sym < A; sym++) {
        const child = children[u].get(sym);
        if (child === undefined) {
          delta[u * A + sym] = delta[fail[u] * A + sym];
        } else {
          delta[u * A + sym] = child;
          fail[child] = delta[fail[u] * A + sym];
          queue.push(child);
        }
      }
    }
    // A separator run is one symbol: a state entered by `space` stays put on more spaces, so the
    // scanner feeds every separator and needs no "previous was a separator" branch. (No key has
    // two spaces in a row, so no key needs the second one.)
    for (let u = 0; u < n; u++) {
      const v = delta[u * A + this.space];
      if (v !== ROOT) delta[v * A + this.space] = v;
    }
    if (n * A >= 0x40000000) throw new Error('too many states for the transition table');
    const encoded = (this.delta = new Int32Array(n * A));
    for (let j = 0; j < delta.length; j++) encoded[j] = ((delta[j] * A) << 1) | (report[delta[j]] !== 0 ? 1 : 0);
  }

  /**
   * Runs [from, to) of the text through the table from the state of `row` (0: ROOT) and returns
   * the row at `to`. Where keys end goes into `lanes` (LANES of them, emptied first): a text of
   * MIN_LANES_TEXT characters or more is cut into that many lanes scanned side by side, because
   * each step's table load depends on the one before, so a single scan mostly waits on memory and
   * independent chains overlap their waits. A lane after the first starts just after a character
   * of symbol 0, whose column is all ROOT, so its states are exactly those of one scan.
   */
  scan(text: string, from: number, to: number, row: number, lanes: readonly Hits[]): number {
    const b = [from];
    for (let k = 1; k < LANES; k++) {
      let j = Math.max(b[k - 1], to - from < MIN_LANES_TEXT ? to : from + Math.floor(((to - from) * k) / LANES));
      while (j < to && this.symbolAt(text, j) !== 0) j++;
      b.push(Math.min(j + 1, to));
    }
    b.push(to);
    const [h0, h1, h2, h3] = lanes;
    for (const h of lanes) h.length = 0;
    const { scanSymbol, delta } = this;
    let r0 = row;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    // the four lanes in step for as long as the shortest, then the rest of each alone
    const steps = Math.min(b[1] - b[0], b[2] - b[1], b[3] - b[2], b[4] - b[3]);
    for (let i0 = b[0], i1 = b[1], i2 = b[2], i3 = b[3], end = b[0] + steps; i0 < end; i0++, i1++, i2++, i3++) {
      let s0 = scanSymbol[text.charCodeAt(i0)];
      let s1 = scanSymbol[text.charCodeAt(i1)];
      let s2 = scanSymbol[text.charCodeAt(i2)];
      let s3 = scanSymbol[text.charCodeAt(i3)];
      // one test for the four: UNKNOWN_SYMBOL has all eight bits set
      if ((s0 | s1 | s2 | s3) === UNKNOWN_SYMBOL) {
        if (s0 === UNKNOWN_SYMBOL) s0 = this.scanSymbolOf(text.charCodeAt(i0));
        if (s1 === UNKNOWN_SYMBOL) s1 = this.scanSymbolOf(text.charCodeAt(i1));
        if (s2 === UNKNOWN_SYMBOL) s2 = this.scanSymbolOf(text.charCodeAt(i2));
        if (s3 === UNKNOWN_SYMBOL) s3 = this.scanSymbolOf(text.charCodeAt(i3));
      }
      const n0 = delta[r0 + s0];
      const n1 = delta[r1 + s1];
      const n2 = delta[r2 + s2];
      const n3 = delta[r3 + s3];
      r0 = n0 >> 1;
      r1 = n1 >> 1;
      r2 = n2 >> 1;
      r3 = n3 >> 1;
      if (n0 & 1) h0.push(i0 + 1, r0);
      if (n1 & 1) h1.push(i1 + 1, r1);
      if (n2 & 1) h2.push(i2 + 1, r2);
      if (n3 & 1) h3.push(i3 + 1, r3);
    }
    r0 = this.scanAlone(text, b[0] + steps, b[1], r0, h0);
    r1 = this.scanAlone(text, b[1] + steps, b[2], r1, h1);
    r2 = this.scanAlone(text, b[2] + steps, b[3], r2, h2);
    r3 = this.scanAlone(text, b[3] + steps, b[4], r3, h3);
    // the row at `to` is that of the last lane with any text
    return b[3] < to ? r3 : b[2] < to ? r2 : b[1] < to ? r1 : r0;
  }

  /** One lane: [from, to) from the state of `row`; returns the row at `to`. */
  private scanAlone(text: string, from: number, to: number, row: number, hits: Hits): number {
    const { scanSymbol, delta } = this;
    for (let i = from; i < to; i++) {
      let sym = scanSymbol[text.charCodeAt(i)];
      if (sym === UNKNOWN_SYMBOL) sym = this.scanSymbolOf(text.charCodeAt(i));
      const next = delta[row + sym];
      row = next >> 1;
      if (next & 1) hits.push(i + 1, row);
    }
    return row;
  }

  private symbolAt(text: string, i: number): number {
    const sym = this.scanSymbol[text.charCodeAt(i)];
    return sym === UNKNOWN_SYMBOL ? this.scanSymbolOf(text.charCodeAt(i)) : sym;
  }

  /**
   * Where key `key`, reported as ending at `end`, starts. A separator run in the text is one
   * symbol; nearly always each space of the key is a single separator, which checking the
   * character before each space proves (the key's other characters are one code unit each), and
   * the start is its length back. Otherwise, walk back symbol by symbol.
   */
  keyStart(text: string, end: number, key: number): number {
    const guess = end - this.keyLength[key];
    let k = this.keySpacesStart[key];
    const last = this.keySpacesStart[key + 1];
    while (k < last && this.symbolAt(text, guess + this.keySpaces[k] - 1) !== this.space) k++;
    if (k === last) return guess;
    let i = end;
    for (let n = this.keyLength[key]; n > 0; n--) {
      i--;
      if (this.symbolAt(text, i) === this.space) while (this.symbolAt(text, i - 1) === this.space) i--;
    }
    return i;
  }
}
