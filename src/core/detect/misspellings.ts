/**
 * Misspelt key words ("grss misconduct", "dismised without notice", "final writen warning"):
 * news copy is typed in a hurry, and a researcher codes the phrase that was meant. A key word is
 * one that makes a phrase an outcome or a named Standard; its misspellings are the two commonest
 * slips, a letter left out or two neighbours swapped, never the first or last letter. They are
 * found with the trigger heads (one walk over the text's words, triggers.ts), and a sentence that
 * has one is scanned again as if it were spelt right: what the gazetteers find across the mended
 * word, if it is a phrase of two or more words, is a match of the original text. One word on its
 * own is never mended: changed by one letter it is too often another real word ("bared").
 */
import type { Match } from './detector';

const KEY_WORDS = (
  'gross misconduct dismissed dismissal written warning final notice proven barred sacked suspended discreditable confidentiality ' +
  'integrity honesty courtesy respect behaviour professional standards public office'
).split(' ');

/** One-slip variants of a word: an interior letter dropped, or two interior neighbours swapped. */
function slips(word: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < word.length - 1; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  for (let i = 1; i < word.length - 2; i++) if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return out;
}

let misspelt: Map<string, string> | undefined;

/** Each misspelling of a key word (lower case) → the key word. */
export function misspeltKeyWords(): ReadonlyMap<string, string> {
  if (misspelt) return misspelt;
  const keys = new Set(KEY_WORDS);
  const map = new Map<string, string>();
  for (const w of KEY_WORDS) for (const s of slips(w)) if (!keys.has(s) && !map.has(s)) map.set(s, w);
  return (misspelt = map);
}

/**
 * The allegation and sanction matches of `text`[from, to) that need a misspelt word there mended:
 * `at` are the offsets of the misspelt words in it (ascending), `detect` the gazetteer scan.
 */
export function mendedMatches(text: string, from: number, to: number, at: readonly number[], detect: (text: string) => Match[]): Match[] {
  const words = misspeltKeyWords();
  // the sentence with each misspelt word replaced, and where each replacement lies in it
  const edits: Array<{ start: number; end: number; delta: number }> = [];
  let mended = '';
  let last = from;
  for (const a of at) {
    let e = a;
    while (e < to && /[A-Za-z]/.test(text[e])) e++;
    const key = words.get(text.slice(a, e).toLowerCase());
    if (!key) continue;
    mended += text.slice(last, a);
    edits.push({ start: mended.length, end: mended.length + key.length, delta: e - a - key.length });
    mended += key;
    last = e;
  }
  if (!edits.length) return [];
  mended += text.slice(last, to);
  // an offset of the mended sentence → one of the text (after an edit, by the lengths it changed)
  const back = (x: number) => {
    let shift = 0;
    for (const ed of edits) if (ed.end <= x) shift += ed.delta;
    return from + x + shift;
  };
  const out: Match[] = [];
  for (const m of detect(mended)) {
    if (m.category !== 'allegation' && m.category !== 'sanction') continue;
    if (!edits.some((ed) => m.start < ed.end && ed.start < m.end) || !/\s/.test(m.text)) continue;
    const start = back(m.start);
    const end = back(m.end);
    out.push({ ...m, start, end, text: text.slice(start, end) });
  }
  return out;
}
