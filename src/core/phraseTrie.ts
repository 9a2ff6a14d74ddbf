/**
 * The learned phrases in a trie of their folded text, walked over an article the way `phraseAt`
 * (detect/chars.ts) compares one phrase: a run of separators is one space, typographic quotes are
 * ASCII, case folded. One walk from a word start finds every phrase that occurs there, instead of
 * one comparison per phrase that starts with the same word.
 */
import { CLASS_SEP, charClass, foldChar, isWordCode, quoteVariants } from './detect/chars';

interface Node<T> {
  children: Map<number, Node<T>>;
  /** The items whose folded phrase ends here, in the order given to `add`. */
  items: T[];
}

const node = <T>(): Node<T> => ({ children: new Map(), items: [] });

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

/** An occurrence found by `matchesAt`: the items of one phrase and where it ends. */
export interface TrieMatch<T> {
  items: readonly T[];
  end: number;
}

export class PhraseTrie<T> {
  private readonly root: Node<T> = node();

  /** Adds `item` under `folded` (normalised, folded, no separator at either end), placed by `order`. */
  add(folded: string, item: T, order: (a: T, b: T) => number): void {
    let n = this.root;
    for (let k = 0; k < folded.length; k++) {
      const code = folded.charCodeAt(k);
      let next = n.children.get(code);
      if (!next) n.children.set(code, (next = node()));
      n = next;
    }
    let at = 0;
    while (at < n.items.length && order(n.items[at], item) < 0) at++;
    n.items.splice(at, 0, item);
  }

  remove(folded: string, item: T): void {
    const path: Array<Node<T>> = [this.root];
    for (let k = 0; k < folded.length; k++) {
      const next = path[path.length - 1].children.get(folded.charCodeAt(k));
      if (!next) return;
      path.push(next);
    }
    const last = path[path.length - 1];
    const at = last.items.indexOf(item);
    if (at < 0) return;
    last.items.splice(at, 1);
    // drop the nodes left with nothing under them, so the walk never wanders into dead branches
    for (let k = folded.length; k > 0 && !path[k].items.length && !path[k].children.size; k--) path[k - 1].children.delete(folded.charCodeAt(k - 1));
  }

  /**
   * Every phrase that `phraseAt(text, start, folded)` would find at `start`, shortest first, into
   * `out` (cleared first).
   */
  matchesAt(text: string, start: number, out: Array<TrieMatch<T>>): void {
    out.length = 0;
    const n = text.length;
    let at: Node<T> | undefined = this.root;
    let i = start;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (charClass(code) === CLASS_SEP) {
        at = at.children.get(32);
        if (!at) return;
        i++;
        while (i < n && charClass(text.charCodeAt(i)) === CLASS_SEP) i++;
        continue;
      }
      const folded = foldCode(code);
      at = at.children.get(folded);
      if (!at) return;
      i++;
      // as phraseAt: a phrase ending in a word character must end on a word boundary
      if (at.items.length && !(i < n && isWordCode(text.charCodeAt(i)) && isWordCode(folded))) out.push({ items: at.items, end: i });
    }
  }
}
