/**
 * Copies among a corpus's articles. An exact copy has the same text once normalised (case, white
 * space and Unicode form ignored): its sha256 is compared. A near copy (the same press release on
 * another site, with its own headline, a changed sentence or a footer) shares most of its 5-word
 * shingles with an article: Jaccard similarity of the two bodies' shingle sets at least
 * `NEAR_COPY_THRESHOLD`. Shingles are kept in an inverted index, so a new article is compared only
 * with the articles it shares a shingle with, and the similarity is exact (of the shingle hashes).
 */
import { createHash } from 'node:crypto';
import { fnv1a } from '../fnv1a';

/** Words per shingle. */
export const SHINGLE_WORDS = 5;
/** The Jaccard similarity from which two bodies are one text (docs/user-guide.md says why 0.8). */
export const NEAR_COPY_THRESHOLD = 0.8;

/** The text as compared: NFKC, lower case, punctuation dropped, one space between words. */
export function normaliseForComparison(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** sha256 of the normalised text: equal for exact copies. */
export function textFingerprint(text: string): string {
  return createHash('sha256').update(normaliseForComparison(text)).digest('hex');
}

/** The set of a text's 5-word shingles, hashed (a text under 5 words is one shingle). */
export function shingles(text: string): Set<number> {
  const words = normaliseForComparison(text).split(' ').filter(Boolean);
  const out = new Set<number>();
  if (!words.length) return out;
  if (words.length < SHINGLE_WORDS) {
    out.add(fnv1a(words.join(' ')));
    return out;
  }
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) out.add(fnv1a(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  return out;
}

export interface CopyMatch {
  /** The matching article's id (path relative to the corpus, `/`-separated). */
  id: string;
  /** Jaccard similarity of the two bodies' shingles (1 for an exact copy). */
  similarity: number;
}

/** The articles of a corpus, by exact fingerprint and by shingle, for finding copies of a new one. */
export class CopyIndex {
  private readonly byFingerprint = new Map<string, string>();
  private readonly postings = new Map<number, number[]>();
  private readonly ids: string[] = [];
  private readonly sizes: number[] = [];
  /** A near copy's original, so a copy of a copy names the original. */
  private readonly originals = new Map<string, string>();

  get size(): number {
    return this.ids.length;
  }

  /** Adds an article: its whole text (for exact copies) and its body (for near copies). */
  add(id: string, text: string, body: string, duplicateOf?: string): void {
    if (!this.byFingerprint.has(textFingerprint(text))) this.byFingerprint.set(textFingerprint(text), id);
    if (duplicateOf) this.originals.set(id, duplicateOf);
    const n = this.ids.length;
    this.ids.push(id);
    const set = shingles(body);
    this.sizes.push(set.size);
    for (const h of set) {
      const list = this.postings.get(h);
      if (list) list.push(n);
      else this.postings.set(h, [n]);
    }
  }

  /** The article this text is an exact copy of, if any. */
  exactCopyOf(text: string): string | undefined {
    return this.byFingerprint.get(textFingerprint(text));
  }

  /** The most similar article at or over the threshold (its original when it is itself a near copy), if any. */
  nearCopyOf(body: string, threshold = NEAR_COPY_THRESHOLD): CopyMatch | undefined {
    const set = shingles(body);
    if (!set.size) return undefined;
    const shared = new Map<number, number>();
    for (const h of set) for (const n of this.postings.get(h) ?? []) shared.set(n, (shared.get(n) ?? 0) + 1);
    let best: CopyMatch | undefined;
    for (const [n, common] of shared) {
      const similarity = common / (set.size + this.sizes[n] - common);
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { id: this.ids[n], similarity };
    }
    if (best) best.id = this.originals.get(best.id) ?? best.id;
    return best;
  }
}

/** An article's body for comparison: its text after the first line (the headline differs between outlets). */
export function bodyOf(text: string): string {
  const cut = text.indexOf('\n');
  return cut < 0 ? text : text.slice(cut + 1);
}
