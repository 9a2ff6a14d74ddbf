/**
 * Learning from the corpus (as INCEpTION's string-matching recommender and Prodigy's patterns do):
 * a phrase annotated in any article is suggested wherever it occurs, with the label it was most
 * often given.
 *
 * - Phrases are compared normalised the way the gazetteers are (chars.ts: separator runs as one
 *   space, typographic quotes as ASCII, case folded), but a capital the annotator typed must be a
 *   capital in the text ("Met" the force, not "met" the verb): the detector's `capitalsMatch`.
 * - Counts are per (phrase, label): each annotation counts +1, each rejected suggestion of that
 *   phrase and label −1. The label with the highest positive net count wins (ties: most tagged,
 *   then the name); a phrase whose best net count is not positive is not suggested.
 * - Occurrences are found on word boundaries, longest phrase first, leftmost, without overlaps.
 *
 * Pure: the CLI feeds it the sidecars it finds, the extension the sidecars of the workspace and
 * the live annotations of open articles (`setArticle` replaces what one article contributed).
 */
import { CLASS_SEP, capitalsMatch, capitalsPattern, charClass, foldAlias, foldChar, isWordCode, normalizeAlias, phraseAt } from './detect/chars';
import type { SuggestionSource } from './detect/rules';

export interface LearnedSuggestion {
  /** UTF-16 offsets. */
  start: number;
  end: number;
  /** The label it was most often given (named `category` like detector matches). */
  category: string;
  /** The most common `type` attribute given with that label, if any. */
  type: string;
  text: string;
  source: SuggestionSource;
  reason: string;
}

interface Tally {
  tagged: number;
  rejected: number;
  articles: Set<string>;
  types: Map<string, number>;
}

interface Phrase {
  /** Normalised, case kept (for the capitals rule). */
  normalized: string;
  folded: string;
  capitals: string;
  label: string;
  type: string;
  tagged: number;
  articles: number;
}

/** What one article contributes: its annotations and its rejected suggestions. */
export interface ArticleLabels {
  annotations: ReadonlyArray<{ text: string; label: string; attributes?: Readonly<Record<string, string>>; orphaned?: boolean }>;
  rejected?: ReadonlyArray<{ text: string; label: string }>;
}

const MAX_PHRASE = 200;

/** The key a phrase is counted under, or undefined when it cannot be learned (too short, no letter). */
export function phraseKey(text: string): string | undefined {
  if (text.length > MAX_PHRASE || [...text].some((c) => c.length > 1)) return undefined;
  let normalized: string;
  try {
    normalized = normalizeAlias(text.trim());
  } catch {
    return undefined;
  }
  if (normalized.length < 2 || !/\p{L}/u.test(normalized)) return undefined;
  if (!isWordCode(normalized.charCodeAt(0))) return undefined;
  return normalized;
}

export class PhraseLearner {
  private readonly articles = new Map<string, ArticleLabels>();
  private compiled: Map<string, Phrase[]> | undefined;
  private firstChars: Set<string> | undefined;

  /** Replaces what the article `id` contributes (undefined: forget it). */
  setArticle(id: string, labels: ArticleLabels | undefined): void {
    if (labels) this.articles.set(id, labels);
    else this.articles.delete(id);
    this.compiled = undefined;
    this.firstChars = undefined;
  }

  get articleCount(): number {
    return this.articles.size;
  }

  /** The phrases that would be suggested, by first folded word, longest first. */
  private phrases(): Map<string, Phrase[]> {
    if (this.compiled) return this.compiled;
    // by normalised phrase (case kept: "Met" and "met" are different phrases), then label
    const tallies = new Map<string, Map<string, Tally>>();
    const tally = (phrase: string, label: string) => {
      let byLabel = tallies.get(phrase);
      if (!byLabel) tallies.set(phrase, (byLabel = new Map()));
      let t = byLabel.get(label);
      if (!t) byLabel.set(label, (t = { tagged: 0, rejected: 0, articles: new Set(), types: new Map() }));
      return t;
    };
    for (const [id, a] of this.articles) {
      for (const ann of a.annotations) {
        if (ann.orphaned) continue;
        const key = phraseKey(ann.text);
        if (!key) continue;
        const t = tally(key, ann.label);
        t.tagged++;
        t.articles.add(id);
        const type = ann.attributes?.type;
        if (type) t.types.set(type, (t.types.get(type) ?? 0) + 1);
      }
      for (const r of a.rejected ?? []) {
        const key = phraseKey(r.text);
        if (key) tally(key, r.label).rejected++;
      }
    }
    const out = new Map<string, Phrase[]>();
    for (const [normalized, byLabel] of tallies) {
      let best: [string, Tally] | undefined;
      for (const [label, t] of byLabel) {
        const net = t.tagged - t.rejected;
        if (net <= 0) continue;
        if (!best) best = [label, t];
        else {
          const bnet = best[1].tagged - best[1].rejected;
          if (net > bnet || (net === bnet && (t.tagged > best[1].tagged || (t.tagged === best[1].tagged && label < best[0])))) best = [label, t];
        }
      }
      if (!best) continue;
      const [label, t] = best;
      const type = [...t.types].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? '';
      const folded = foldAlias(normalized);
      const first = folded.split(' ')[0];
      const list = out.get(first) ?? [];
      list.push({ normalized, folded, capitals: capitalsPattern(normalized), label, type, tagged: t.tagged, articles: t.articles.size });
      out.set(first, list);
    }
    for (const list of out.values()) list.sort((a, b) => b.folded.length - a.folded.length || (a.folded < b.folded ? -1 : 1));
    return (this.compiled = out);
  }

  /** Every learned phrase occurrence in `text` (UTF-16 offsets), leftmost-longest per label. */
  suggest(text: string): LearnedSuggestion[] {
    const phrases = this.phrases();
    if (!phrases.size) return [];
    const out: LearnedSuggestion[] = [];
    const busyUntil = new Map<string, number>();
    const n = text.length;
    const firsts = this.firstChars ?? (this.firstChars = new Set([...phrases.keys()].map((k) => k[0])));
    for (let i = 0; i < n; ) {
      // at the start of a word that could begin a phrase: read the word (phrases are keyed by it)
      if (!isWordCode(text.charCodeAt(i)) || (i > 0 && isWordCode(text.charCodeAt(i - 1))) || !firsts.has(foldChar(text[i]))) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && charClass(text.charCodeAt(j)) !== CLASS_SEP && !isPunctEnd(text, j)) j++;
      const word = foldAlias(normalizeQuotes(text.slice(i, j)));
      const candidates = firstWordCandidates(phrases, word);
      for (const p of candidates) {
        if ((busyUntil.get(p.label) ?? 0) > i) continue;
        const end = phraseAt(text, i, p.folded);
        if (end < 0 || !capitalsMatch(text, i, p.capitals)) continue;
        if (end < n && isWordCode(text.charCodeAt(end)) && isWordCode(text.charCodeAt(end - 1))) continue;
        busyUntil.set(p.label, end);
        out.push({
          start: i,
          end,
          category: p.label,
          type: p.type,
          text: text.slice(i, end),
          source: 'learned',
          reason: `learned: tagged ${p.tagged}× in ${p.articles} article${p.articles === 1 ? '' : 's'}`,
        });
      }
      i = Math.max(i + 1, j);
    }
    return out;
  }
}

/** Phrases whose first word is a prefix-match for this word (the word may end in punctuation). */
function firstWordCandidates(phrases: Map<string, Phrase[]>, word: string): Phrase[] {
  const out: Phrase[] = [];
  // the first word of a phrase may be followed by punctuation inside the phrase ("Chiefs'", "U.K.")
  for (let k = word.length; k > 0; k--) {
    const list = phrases.get(word.slice(0, k));
    if (list) out.push(...list);
  }
  return out.sort((a, b) => b.folded.length - a.folded.length);
}

function isPunctEnd(text: string, j: number): boolean {
  const c = text[j];
  return c === ',' || c === ';' || c === ':' || c === '!' || c === '?' || c === ')' || c === '"' || c === '\u201d';
}

function normalizeQuotes(s: string): string {
  return s.replace(/[\u2019\u2018\u02bc\u2032\u0060\u00b4]/g, "'");
}
