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
 * - A phrase of function words only ("he", "in the") is not learned (`FUNCTION_WORDS`).
 *
 * Pure: the CLI feeds it the sidecars it finds, the extension the sidecars of the workspace and
 * the live annotations of open articles (`setArticle` replaces what one article contributed).
 */
import { CLASS_SEP, CLASS_WORD, capitalsMatch, capitalsPattern, charClass, foldAlias, isWordCode, normalizeAlias } from './detect/chars';
import type { SuggestionSource } from './detect/rules';
import { foldCode, PhraseTrie, TrieMatches } from './phraseTrie';
import { runSteps, Steps } from './steps';

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

/** What one article says about a (phrase, label): its tags, its rejections, the types given. */
interface Count {
  tagged: number;
  rejected: number;
  types: Map<string, number>;
}

/** The corpus's sum of them; `articles` counts the articles that tagged it at least once. */
interface Tally extends Count {
  articles: number;
}

/** One article's counts: phrase → label → count (Maps: phrases and labels come from files). */
type Contribution = Map<string, Map<string, Count>>;

interface Phrase {
  /** Normalised, case kept (for the capitals rule). */
  normalized: string;
  folded: string;
  capitals: string;
  label: string;
  type: string;
  tagged: number;
  articles: number;
  /** Why it is suggested (one string per phrase, shared by its occurrences). */
  reason: string;
}

/** What one article contributes: its annotations and its rejected suggestions. */
export interface ArticleLabels {
  annotations: ReadonlyArray<{ text: string; label: string; attributes?: Readonly<Record<string, string>>; orphaned?: boolean }>;
  rejected?: ReadonlyArray<{ text: string; label: string }>;
}

const MAX_PHRASE = 200;

/** The key a phrase is counted under, or undefined when it cannot be learned (too short, no letter). */
function phraseKey(text: string): string | undefined {
  if (text.length > MAX_PHRASE || [...text].some((c) => c.length > 1)) return undefined;
  let normalized: string;
  try {
    normalized = normalizeAlias(text.trim());
  } catch {
    return undefined;
  }
  if (normalized.length < 2 || !/\p{L}/u.test(normalized)) return undefined;
  if (!isWordCode(normalized.charCodeAt(0))) return undefined;
  if (onlyFunctionWords(normalized)) return undefined;
  return normalized;
}

/**
 * English closed-class words: articles, pronouns, prepositions, conjunctions, forms of be / have /
 * do. A phrase made only of them ("he", "in the", "was") says nothing about its label: tagged once
 * (a slip, or a pronoun for an officer), it would be suggested on every line. Modals that are also
 * names or months ("May", "Will") are not listed.
 */
const FUNCTION_WORDS = new Set(
  (
    'a an the this that these those some any each every no all both either neither such ' +
    'i me my mine myself you your yours yourself he him his himself she her hers herself it its itself ' +
    'we us our ours ourselves they them their theirs themselves who whom whose which what ' +
    'of in on at by for with about against between into through during before after above below to from ' +
    'up down out off over under upon within without toward towards across along among around behind ' +
    'beyond despite near since than via ' +
    'and or but nor so yet if as because while whether although though unless until when where whereas ' +
    'be is am are was were been being have has had having do does did doing would could should ' +
    'not there here then also very too just only own same other'
  ).split(' '),
);

/** Whether every word of a normalised phrase is a function word (a word in capitals, "US" or "IT", is not). */
function onlyFunctionWords(normalized: string): boolean {
  return normalized.split(' ').every((w) => {
    const bare = w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    return bare !== '' && !(bare.length > 1 && bare === bare.toUpperCase()) && FUNCTION_WORDS.has(bare.toLowerCase());
  });
}

/**
 * `phraseKey` remembered by quote: an article is re-read after every tag, and its 50,000 quotes are
 * mostly the ones it had (normalising each again was most of the time a re-read took).
 */
const keyCache = new Map<string, string | null>();
const KEY_CACHE_LIMIT = 200_000;

function cachedKey(text: string): string | undefined {
  let key = keyCache.get(text);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(text, (key = phraseKey(text) ?? null));
  }
  return key ?? undefined;
}

/** Annotations counted between two yields of `contributionSteps` (a few milliseconds). */
const COUNT_SLICE = 2000;

function* contributionSteps(labels: ArticleLabels): Steps<Contribution> {
  const out: Contribution = new Map();
  const count = (phrase: string, label: string): Count => {
    let byLabel = out.get(phrase);
    if (!byLabel) out.set(phrase, (byLabel = new Map()));
    let c = byLabel.get(label);
    if (!c) byLabel.set(label, (c = { tagged: 0, rejected: 0, types: new Map() }));
    return c;
  };
  let counted = 0;
  for (const ann of labels.annotations) {
    if (++counted % COUNT_SLICE === 0) yield;
    if (ann.orphaned) continue;
    const key = cachedKey(ann.text);
    if (!key) continue;
    const c = count(key, ann.label);
    c.tagged++;
    const type = ann.attributes?.type;
    if (type) c.types.set(type, (c.types.get(type) ?? 0) + 1);
  }
  for (const r of labels.rejected ?? []) {
    const key = cachedKey(r.text);
    if (key) count(key, r.label).rejected++;
  }
  return out;
}

function sameCounts(a: Map<string, Count>, b: Map<string, Count>): boolean {
  if (a.size !== b.size) return false;
  for (const [label, x] of a) {
    const y = b.get(label);
    if (!y || x.tagged !== y.tagged || x.rejected !== y.rejected || x.types.size !== y.types.size) return false;
    for (const [type, k] of x.types) if (y.types.get(type) !== k) return false;
  }
  return true;
}

/** The order candidates are tried in: longest first, then by text (a total order, so a patched list equals a rebuilt one). */
function byLength(a: Phrase, b: Phrase): number {
  return b.folded.length - a.folded.length || (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0) || (a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : 0);
}

/**
 * Incremental: each article's counts are kept, and replacing an article subtracts its old counts
 * from the corpus totals and adds the new ones; only the phrases whose totals changed are decided
 * again. A tag in an article of 50,000 spans then costs a pass over that article's quotes (cached),
 * not a recount of the corpus.
 */
export class PhraseLearner {
  private readonly articles = new Map<string, Contribution>();
  private readonly totals = new Map<string, Map<string, Tally>>();
  /** Phrases by first folded word, longest first; patched for the phrases in `stale`. */
  private compiled: Map<string, Phrase[]> | undefined;
  /** The phrase each normalised form is listed as (to take it out of its list when it changes). */
  private listed = new Map<string, Phrase>();
  private readonly stale = new Set<string>();
  /** 1 for the first code unit (folded) of each listed phrase. */
  private firstChars: Uint8Array | undefined;
  /** The listed phrases that can be found (see `findable`), to find them all in one walk. */
  private trie = new PhraseTrie<Phrase>();

  /** Replaces what the article `id` contributes (undefined: forget it). */
  setArticle(id: string, labels: ArticleLabels | undefined): void {
    runSteps(this.setArticleSteps(id, labels));
  }

  /**
   * `setArticle` in steps (see steps.ts): the article's labels are counted in steps, and the
   * learner changes only in the last one, at once. `labels` must not change meanwhile.
   */
  *setArticleSteps(id: string, labels: ArticleLabels | undefined): Steps<void> {
    const next = labels ? yield* contributionSteps(labels) : undefined;
    const old = this.articles.get(id);
    if (next) this.articles.set(id, next);
    else this.articles.delete(id);
    // only the phrases whose counts changed touch the totals (a re-read after one tag: one phrase)
    for (const [phrase, counts] of next ?? []) {
      const before = old?.get(phrase);
      if (before && sameCounts(before, counts)) continue;
      if (before) this.add(phrase, before, -1);
      this.add(phrase, counts, 1);
    }
    for (const [phrase, counts] of old ?? []) if (!next?.has(phrase)) this.add(phrase, counts, -1);
  }

  get articleCount(): number {
    return this.articles.size;
  }

  private add(phrase: string, byLabel: Map<string, Count>, sign: 1 | -1): void {
    let totals = this.totals.get(phrase);
    if (!totals) this.totals.set(phrase, (totals = new Map()));
    for (const [label, n] of byLabel) {
      let t = totals.get(label);
      if (!t) totals.set(label, (t = { tagged: 0, rejected: 0, articles: 0, types: new Map() }));
      t.tagged += sign * n.tagged;
      t.rejected += sign * n.rejected;
      if (n.tagged > 0) t.articles += sign;
      for (const [type, k] of n.types) {
        const v = (t.types.get(type) ?? 0) + sign * k;
        if (v) t.types.set(type, v);
        else t.types.delete(type);
      }
      if (!t.tagged && !t.rejected && !t.articles) totals.delete(label);
    }
    if (!totals.size) this.totals.delete(phrase);
    this.stale.add(phrase);
  }

  /** The phrase to suggest for a normalised form, from the corpus totals (undefined: none). */
  private decide(normalized: string): Phrase | undefined {
    const byLabel = this.totals.get(normalized);
    if (!byLabel) return undefined;
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
    if (!best) return undefined;
    const [label, t] = best;
    const type = [...t.types].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? '';
    const reason = `learned: tagged ${t.tagged}× in ${t.articles} article${t.articles === 1 ? '' : 's'}`;
    return { normalized, folded: foldAlias(normalized), capitals: capitalsPattern(normalized), label, type, tagged: t.tagged, articles: t.articles, reason };
  }

  /** The phrases that would be suggested, by first folded word, longest first. */
  private phrases(): Map<string, Phrase[]> {
    if (!this.compiled) {
      const out = new Map<string, Phrase[]>();
      this.listed = new Map();
      this.trie = new PhraseTrie();
      for (const normalized of this.totals.keys()) {
        const p = this.decide(normalized);
        if (!p) continue;
        const first = p.folded.split(' ')[0];
        const list = out.get(first);
        if (list) list.push(p);
        else out.set(first, [p]);
        this.listed.set(normalized, p);
        if (findable(first)) this.trie.add(p.folded, p, byLength);
      }
      for (const list of out.values()) list.sort(byLength);
      this.stale.clear();
      this.firstChars = undefined;
      return (this.compiled = out);
    }
    for (const normalized of this.stale) {
      const old = this.listed.get(normalized);
      const now = this.decide(normalized);
      if (old) {
        const first = old.folded.split(' ')[0];
        const list = this.compiled.get(first)!;
        list.splice(list.indexOf(old), 1);
        if (!list.length) {
          this.compiled.delete(first);
          this.firstChars = undefined;
        }
        this.listed.delete(normalized);
        this.trie.remove(old.folded, old);
      }
      if (now) {
        const first = now.folded.split(' ')[0];
        let list = this.compiled.get(first);
        if (!list) {
          this.compiled.set(first, (list = []));
          this.firstChars = undefined;
        }
        let at = 0;
        while (at < list.length && byLength(list[at], now) < 0) at++;
        list.splice(at, 0, now);
        this.listed.set(normalized, now);
        if (findable(first)) this.trie.add(now.folded, now, byLength);
      }
    }
    this.stale.clear();
    return this.compiled;
  }

  /** Every learned phrase occurrence in `text` (UTF-16 offsets), leftmost-longest per label. */
  suggest(text: string): LearnedSuggestion[] {
    const phrases = this.phrases();
    if (!phrases.size) return [];
    const out: LearnedSuggestion[] = [];
    const busyUntil = new Map<string, number>();
    const n = text.length;
    let firsts = this.firstChars;
    if (!firsts) {
      firsts = this.firstChars = new Uint8Array(0x10000);
      for (const k of phrases.keys()) firsts[k.charCodeAt(0)] = 1;
    }
    const found: TrieMatches<Phrase> = { items: [], ends: [] };
    const WORD = CLASS_WORD;
    for (let i = 0; i < n; ) {
      // at the start of a word that could begin a phrase: read the word (a phrase starts with it)
      const code = text.charCodeAt(i);
      if (charClass(code) !== WORD) {
        i++;
        continue;
      }
      if ((i > 0 && charClass(text.charCodeAt(i - 1)) === WORD) || !firsts[foldCode(code)]) {
        // no word starts before this word's end
        i++;
        while (i < n && charClass(text.charCodeAt(i)) === WORD) i++;
        continue;
      }
      let j = i;
      while (j < n && !endsWord(text.charCodeAt(j))) j++;
      // the phrases found here, longest first (as `byLength` orders them)
      for (let f = this.trie.matchesAt(text, i, found) - 1; f >= 0; f--) {
        const end = found.ends[f];
        for (const p of found.items[f]) {
          if ((busyUntil.get(p.label) ?? 0) > i) continue;
          if (!capitalsMatch(text, i, p.capitals)) continue;
          if (end < n && isWordCode(text.charCodeAt(end)) && isWordCode(text.charCodeAt(end - 1))) continue;
          busyUntil.set(p.label, end);
          out.push({
            start: i,
            end,
            category: p.label,
            type: p.type,
            text: text.slice(i, end),
            source: 'learned',
            reason: p.reason,
          });
        }
      }
      i = Math.max(i + 1, j);
    }
    return out;
  }
}

/**
 * Whether a phrase with this first folded word can ever be found: a word is read up to a
 * separator or closing punctuation (, ; : ! ? ) and double quotes), and a phrase is looked for only
 * when its first word begins that word, so one whose first word holds such a character never is.
 */
function findable(firstWord: string): boolean {
  return !/[,;:!?)"]/.test(firstWord);
}

/** 1: the code unit ends a word as `suggest` reads one (a separator, , ; : ! ? ) " ”); 2: it does not; 0: not known yet. */
const WORD_ENDS = new Uint8Array(0x10000);

function endsWord(c: number): boolean {
  let k = WORD_ENDS[c];
  if (k === 0) {
    const punct = c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x29 || c === 0x22 || c === 0x201d;
    WORD_ENDS[c] = k = punct || charClass(c) === CLASS_SEP ? 1 : 2;
  }
  return k === 1;
}
