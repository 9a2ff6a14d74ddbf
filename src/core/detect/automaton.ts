/**
 * An Aho–Corasick automaton over normalised, case-folded aliases: the text is read once, one table
 * lookup per character, and every alias occurrence is reported where it ends.
 *
 * Symbols are small integers (the alphabet is whatever characters the aliases use, ~40), and
 * `symbolOf` maps every UTF-16 code unit straight to its symbol, folding case and typographic
 * quotes on the way. The transition table is complete (failure links folded in), so the scanner
 * never backtracks; with ~23k states and ~40 symbols it is under 2 MB as 16-bit state numbers.
 */
import { CLASS_SEP, charClass, quoteVariants } from './chars';

/** `scanSymbol` of a code unit not classified yet (never a real symbol: there are at most 254). */
export const UNKNOWN_SYMBOL = 255;

export class Automaton {
  /** Code unit → symbol; 0 = in no alias (the scanner restarts from the root after it). */
  readonly symbolOf = new Uint8Array(0x10000);
  /** The symbol of a separator run (see chars.ts). */
  readonly space = 1;
  /**
   * Code unit → what the scanner feeds the automaton: `space` for a separator, else its symbol (0
   * for none). One table load per character instead of a class lookup and a symbol lookup.
   */
  readonly scanSymbol = new Uint8Array(0x10000);

  /** Fills in (and returns) `scanSymbol` for one code unit. */
  scanSymbolOf(c: number): number {
    return (this.scanSymbol[c] = charClass(c) === CLASS_SEP ? this.space : this.symbolOf[c]);
  }
  readonly alphabet: number;
  readonly stateCount: number;
  /**
   * The transition table by rows: delta[row + symbol], where a state's row is state × alphabet, is
   * the next state's row × 2, plus 1 when some key ends at that state or a failure ancestor. Rows
   * instead of state numbers take the multiplication out of the scan's chain of dependent loads;
   * the low bit spares it a second table.
   */
  readonly delta: Uint32Array;
  /** Per state: the nearest state (itself or a failure ancestor) where some key ends, or 0. */
  readonly report: Int32Array;
  /** Per state: the failure link (longest proper suffix that is a trie state). */
  readonly fail: Int32Array;
  /** Per state: [outStart, outEnd) of the key indices ending exactly there, in `outKeys`. */
  readonly outStart: Int32Array;
  readonly outEnd: Int32Array;
  readonly outKeys: Int32Array;

  constructor(keys: readonly string[]) {
    const symbols = new Map<string, number>([[' ', this.space]]);
    for (const key of keys) for (const ch of key) if (!symbols.has(ch)) symbols.set(ch, symbols.size + 1);
    if (symbols.size > 254) throw new Error('too many distinct characters in the aliases');
    const A = (this.alphabet = symbols.size + 1);
    for (const [ch, sym] of symbols) {
      if (ch === ' ') continue;
      for (const v of quoteVariants(ch)) {
        this.symbolOf[v.charCodeAt(0)] = sym;
        const upper = v.toUpperCase();
        if (upper.length === 1) this.symbolOf[upper.charCodeAt(0)] = sym;
      }
    }
    // separators never reach the automaton as themselves: the scanner turns a run into `space`
    for (let c = 0; c < 0x10000; c++) if (this.symbolOf[c] && charClass(c) === CLASS_SEP) this.symbolOf[c] = 0;
    // scanSymbol up to U+2FFF (Latin, Greek, Cyrillic, punctuation: articles' characters) now;
    // above it on first sight (UNKNOWN), so building a detector does not classify 65,536 characters
    this.scanSymbol.fill(UNKNOWN_SYMBOL, 0x3000);
    for (let c = 0; c < 0x3000; c++) this.scanSymbolOf(c);

    // 1. the trie
    let children: Map<number, number>[] = [new Map()];
    let outputs: number[][] = [];
    keys.forEach((key, index) => {
      let state = 0;
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
    const order = [0];
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

    // 2. failure links and the complete transition table, breadth first
    const delta = n < 0x10000 ? new Uint16Array(n * A) : new Uint32Array(n * A);
    const fail = (this.fail = new Int32Array(n));
    const report = (this.report = new Int32Array(n));
    const queue: number[] = [];
    for (const [sym, child] of children[0]) {
      delta[sym] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      report[u] = this.outStart[u] !== this.outEnd[u] ? u : report[fail[u]];
      for (let sym = 1; sym < A; sym++) {
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
    // two spaces in a row, so no key needs the second one.) Column 0, the symbol of characters in
    // no alias, is all root: such a character restarts the scan.
    for (let u = 0; u < n; u++) {
      const v = delta[u * A + this.space];
      if (v !== 0) delta[v * A + this.space] = v;
    }
    if (n * A >= 0x80000000) throw new Error('too many states for the transition table');
    const encoded = (this.delta = new Uint32Array(n * A));
    for (let j = 0; j < delta.length; j++) encoded[j] = ((delta[j] * A) << 1) | (report[delta[j]] !== 0 ? 1 : 0);
  }
}
