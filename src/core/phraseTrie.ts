/**
 * The learned phrases in a trie of their folded text, walked over an article the way `phraseAt`
 * (detect/chars.ts) compares one phrase: a run of separators is one space, typographic quotes are
 * ASCII, case folded. One walk from a word start finds every phrase that occurs there, instead of
 * one comparison per phrase that starts with the same word.
 */
import { CLASS_SEP, charClass, foldChar, isWordCode, quoteVariants } from './detect/chars';

/**
 * A node's children are found by a scan of a few codes (most nodes have one or two), or, past
 * `FEW`, in a table for ASCII and a Map for the rest: a Map lookup per character was most of the
 * time a walk took.
 */
interface Node<T> {
  codes: number[];
  kids: Array<Node<T>>;
  ascii: Array<Node<T> | undefined> | undefined;
  others: Map<number, Node<T>> | undefined;
  size: number;
  /** The items whose folded phrase ends here, in the order given to `add`. */
  items: T[];
}

const FEW = 8;

const node = <T>(): Node<T> => ({ codes: [], kids: [], ascii: undefined, others: undefined, size: 0, items: [] });

function child<T>(n: Node<T>, code: number): Node<T> | undefined {
  const ascii = n.ascii;
  if (ascii !== undefined) return code < 0x80 ? ascii[code] : n.others!.get(code);
  const codes = n.codes;
  for (let k = 0; k < codes.length; k++) if (codes[k] === code) return n.kids[k];
  return undefined;
}

function setChild<T>(n: Node<T>, code: number, kid: Node<T>): void {
  n.size++;
  if (n.ascii === undefined && n.size > FEW) {
    n.ascii = new Array<Node<T> | undefined>(0x80).fill(undefined);
    n.others = new Map();
    for (let k = 0; k < n.codes.length; k++) setIn(n, n.codes[k], n.kids[k]);
    n.codes = [];
    n.kids = [];
  }
  if (n.ascii !== undefined) setIn(n, code, kid);
  else {
    n.codes.push(code);
    n.kids.push(kid);
  }
}

function setIn<T>(n: Node<T>, code: number, kid: Node<T> | undefined): void {
  if (code < 0x80) n.ascii![code] = kid;
  else if (kid) n.others!.set(code, kid);
  else n.others!.delete(code);
}

function deleteChild<T>(n: Node<T>, code: number): void {
  n.size--;
  if (n.ascii !== undefined) return setIn(n, code, undefined);
  const k = n.codes.indexOf(code);
  n.codes.splice(k, 1);
  n.kids.splice(k, 1);
}

const APOSTROPHES = new Set(quoteVariants("'"));
const DOUBLE_QUOTES = new Set(quoteVariants('"'));
/** Folded code of each UTF-16 code unit, as phraseAt folds it (0: not computed yet). */
const folds = new Uint16Array(0x10000);

/** A code unit folded as `phraseAt` folds it: case folded, typographic quotes as ASCII. */
export function foldCode(code: number): number {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 32 : code === 0x60 ? 0x27 : code;
  const known = folds[code];
  if (known !== 0) return known;
  const ch = String.fromCharCode(code);
  const quote = APOSTROPHES.has(ch) ? "'" : DOUBLE_QUOTES.has(ch) ? '"' : ch;
  return (folds[code] = foldChar(quote).charCodeAt(0));
}

/** Where `matchesAt` puts what it finds: for each phrase found, its items and where it ends. */
export interface TrieMatches<T> {
  items: Array<readonly T[]>;
  ends: number[];
}

export class PhraseTrie<T> {
  private readonly root: Node<T> = node();

  /** Adds `item` under `folded` (normalised, folded, no separator at either end), placed by `order`. */
  add(folded: string, item: T, order: (a: T, b: T) => number): void {
    let n = this.root;
    for (let k = 0; k < folded.length; k++) {
      const code = folded.charCodeAt(k);
      let next = child(n, code);
      if (!next) setChild(n, code, (next = node()));
      n = next;
    }
    let at = 0;
    while (at < n.items.length && order(n.items[at], item) < 0) at++;
    n.items.splice(at, 0, item);
  }

  remove(folded: string, item: T): void {
    const path: Array<Node<T>> = [this.root];
    for (let k = 0; k < folded.length; k++) {
      const next = child(path[path.length - 1], folded.charCodeAt(k));
      if (!next) return;
      path.push(next);
    }
    const last = path[path.length - 1];
    const at = last.items.indexOf(item);
    if (at < 0) return;
    last.items.splice(at, 1);
    // drop the nodes left with nothing under them, so the walk never wanders into dead branches
    for (let k = folded.length; k > 0 && !path[k].items.length && !path[k].size; k--) deleteChild(path[k - 1], folded.charCodeAt(k - 1));
  }

  /**
   * Every phrase that `phraseAt(text, start, folded)` would find at `start`, shortest first, into
   * the first places of `out` (kept from call to call); returns how many.
   */
  matchesAt(text: string, start: number, out: TrieMatches<T>): number {
    let found = 0;
    const n = text.length;
    let at: Node<T> | undefined = this.root;
    let i = start;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (charClass(code) === CLASS_SEP) {
        at = child(at, 32);
        if (!at) return found;
        i++;
        while (i < n && charClass(text.charCodeAt(i)) === CLASS_SEP) i++;
        continue;
      }
      const folded = foldCode(code);
      at = child(at, folded);
      if (!at) return found;
      i++;
      // as phraseAt: a phrase ending in a word character must end on a word boundary
      if (at.items.length && !(i < n && isWordCode(text.charCodeAt(i)) && isWordCode(folded))) {
        out.items[found] = at.items;
        out.ends[found++] = i;
      }
    }
    return found;
  }
}
