/**
 * Quotes → spans. A model answers with quotes (and a few words of context), never offsets; each
 * quote is looked for in the text it was given:
 *
 * 1. exactly as written;
 * 2. normalised (normalise.ts: white space, case, curly quotes, dashes), mapped back to the
 *    original offsets;
 * 3. fuzzily: the substring of the normalised text with the fewest edits (Sellers' semi-global edit
 *    distance), accepted when its similarity 1 − edits / quote length is at least
 *    `FUZZY_THRESHOLD` (0.8: "grss misconduct" finds "gross misconduct", a paraphrase does not
 *    find anything) and the quote has at least `FUZZY_MIN_LENGTH` characters (a short quote with
 *    one edit in five matches too much).
 *
 * A quote found more than once is placed by its context (the occurrence whose surroundings agree
 * with it longest), then by answer order (the first occurrence at or after the previous placed
 * span, as a model lists mentions in reading order, and not one this label already has). A quote
 * found nowhere is dropped and counted with the reason. Offsets here are UTF-16; model/suggest.ts
 * converts them to code points.
 */
import { normaliseForMatch, normaliseQuote, NormalisedText } from './normalise';
import type { AnswerSpan } from './answer';

export const FUZZY_THRESHOLD = 0.8;
export const FUZZY_MIN_LENGTH = 8;
/** Above this many cells (text × quote) the fuzzy search is not tried: the quote is dropped. */
const FUZZY_MAX_CELLS = 50_000_000;
/** … nor once an answer's fuzzy searches have used this many: a flood of invented quotes costs seconds, not hours. */
const FUZZY_BUDGET_CELLS = 400_000_000;

export type AlignMethod = 'exact' | 'normalised' | 'fuzzy';

export interface AlignedQuote {
  /** UTF-16 offsets in the text aligned against. */
  start: number;
  end: number;
  method: AlignMethod;
  /** 1 for exact and normalised matches; 1 − edits / length for fuzzy ones. */
  similarity: number;
}

export type DropReason = 'not found in the text' | 'unknown label' | 'repeated' | 'empty quote';

export interface DroppedQuote {
  /** Index of the span in the answer. */
  index: number;
  label: string;
  quote: string;
  reason: DropReason;
}

export interface AlignOptions {
  /** The labels a span may have (others are dropped as unknown); absent: any. */
  labels?: ReadonlySet<string>;
  threshold?: number;
}

export interface Alignment {
  /** One entry per answer span: where it was placed, or undefined when dropped. */
  placed: Array<AlignedQuote | undefined>;
  dropped: DroppedQuote[];
}

interface Candidate {
  start: number;
  end: number;
  similarity: number;
}

const isWord = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/** Whether [start, end) does not cut a word in two at either end. */
function onWordBoundaries(text: string, start: number, end: number): boolean {
  return !(isWord(text[start - 1]) && isWord(text[start])) && !(isWord(text[end - 1]) && isWord(text[end]));
}

function allIndexes(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** Candidates on word boundaries when there are any (a "Met" inside "Metropolitan" is a last resort). */
function preferWhole(text: string, cands: Candidate[]): Candidate[] {
  const whole = cands.filter((c) => onWordBoundaries(text, c.start, c.end));
  return whole.length ? whole : cands;
}

/**
 * The substrings of `text` within `maxEdits` edits of `pattern`, best first per region (Sellers:
 * the pattern must be matched whole, anywhere in the text). Returns [start, end, edits].
 */
function approximateMatches(text: string, pattern: string, maxEdits: number): Array<[number, number, number]> {
  const m = pattern.length;
  let col = new Array<number>(m + 1);
  for (let i = 0; i <= m; i++) col[i] = i;
  const ends: Array<[number, number]> = [];
  for (let j = 1; j <= text.length; j++) {
    const next = new Array<number>(m + 1);
    next[0] = 0;
    const t = text[j - 1];
    for (let i = 1; i <= m; i++) {
      next[i] = Math.min(col[i - 1] + (pattern[i - 1] === t ? 0 : 1), col[i] + 1, next[i - 1] + 1);
    }
    col = next;
    if (col[m] <= maxEdits) ends.push([j, col[m]]);
  }
  // keep the local minima: one end per run of neighbouring ends
  const best: Array<[number, number]> = [];
  for (const e of ends) {
    const last = best[best.length - 1];
    if (last && e[0] - last[0] <= m / 2) {
      if (e[1] < last[1]) best[best.length - 1] = e;
    } else best.push(e);
  }
  return best.map(([end, edits]) => [startFor(text, pattern, end), end, edits]);
}

/** Where the best alignment of the whole pattern ending at `end` starts (the DP run backwards). */
function startFor(text: string, pattern: string, end: number): number {
  const m = pattern.length;
  const span = Math.min(end, m * 2 + 1);
  // rows: pattern read backwards; columns: text read backwards from end
  let col = new Array<number>(m + 1);
  for (let i = 0; i <= m; i++) col[i] = i;
  let bestLen = 0;
  let bestCost = col[m];
  for (let k = 1; k <= span; k++) {
    const next = new Array<number>(m + 1);
    next[0] = k;
    const t = text[end - k];
    for (let i = 1; i <= m; i++) {
      next[i] = Math.min(col[i - 1] + (pattern[m - i] === t ? 0 : 1), col[i] + 1, next[i - 1] + 1);
    }
    col = next;
    if (col[m] < bestCost || (col[m] === bestCost && bestLen === 0)) {
      bestCost = col[m];
      bestLen = k;
    }
  }
  return end - bestLen;
}

/** A fuzzy match moved out to whole words when it starts or ends a few letters inside one. */
function snapToWords(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  for (let k = 0; k < 3 && isWord(text[s - 1]) && isWord(text[s]); k++) s--;
  if (isWord(text[s - 1]) && isWord(text[s])) s = start;
  for (let k = 0; k < 3 && isWord(text[e - 1]) && isWord(text[e]); k++) e++;
  if (isWord(text[e - 1]) && isWord(text[e])) e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return [s, e];
}

/** Finds a quote in a text, over the normalised text built once per alignment. */
class QuoteFinder {
  private normalised: NormalisedText | undefined;
  private fuzzyCells = 0;

  constructor(
    readonly text: string,
    private readonly threshold: number,
  ) {}

  private norm(): NormalisedText {
    return (this.normalised ??= normaliseForMatch(this.text));
  }

  find(raw: string): { method: AlignMethod; candidates: Candidate[] } | undefined {
    // spaces a model put around a quote are not part of the span (spans are tight)
    const quote = raw.trim();
    const exact = allIndexes(this.text, quote).map((i) => ({ start: i, end: i + quote.length, similarity: 1 }));
    if (exact.length) return { method: 'exact', candidates: preferWhole(this.text, exact) };
    const q = normaliseQuote(quote);
    if (!q) return undefined;
    const n = this.norm();
    const back = (a: number, b: number) => ({ start: n.from[a], end: n.to[b - 1] });
    const normalised = allIndexes(n.text, q).map((i) => ({ ...back(i, i + q.length), similarity: 1 }));
    if (normalised.length) return { method: 'normalised', candidates: preferWhole(this.text, normalised) };
    const cells = q.length * n.text.length;
    if (q.length < FUZZY_MIN_LENGTH || cells > FUZZY_MAX_CELLS || this.fuzzyCells + cells > FUZZY_BUDGET_CELLS) return undefined;
    this.fuzzyCells += cells;
    const maxEdits = Math.floor(q.length * (1 - this.threshold));
    const fuzzy: Candidate[] = [];
    for (const [a, b, edits] of approximateMatches(n.text, q, maxEdits)) {
      if (b <= a) continue;
      const { start, end } = back(a, b);
      const [s, e] = snapToWords(this.text, start, end);
      if (e > s) fuzzy.push({ start: s, end: e, similarity: 1 - edits / q.length });
    }
    if (!fuzzy.length) return undefined;
    const top = Math.max(...fuzzy.map((c) => c.similarity));
    return { method: 'fuzzy', candidates: fuzzy.filter((c) => c.similarity === top) };
  }

  /** How well a candidate's surroundings agree with a context: characters agreeing before and after the quote. */
  contextScore(c: Candidate, quote: string, context: string): number {
    const ctx = normaliseQuote(context);
    const q = normaliseQuote(quote);
    const at = ctx.indexOf(q);
    const before = normaliseForMatch(this.text.slice(Math.max(0, c.start - ctx.length * 2), c.start)).text;
    const after = normaliseForMatch(this.text.slice(c.end, c.end + ctx.length * 2)).text;
    if (at < 0) {
      // the context does not hold the quote: count its words found next to the candidate
      const near = ` ${before} ${after} `;
      return ctx.split(' ').filter((w) => w.length > 2 && near.includes(w)).length;
    }
    const left = ctx.slice(0, at);
    const right = ctx.slice(at + q.length);
    let score = 0;
    for (let k = 1; k <= left.length && k <= before.length && left[left.length - k] === before[before.length - k]; k++) score++;
    for (let k = 0; k < right.length && k < after.length && right[k] === after[k]; k++) score++;
    return score;
  }
}

/** Aligns each span of an answer to `text` (see the file comment). */
export function alignQuotes(text: string, spans: readonly AnswerSpan[], options: AlignOptions = {}): Alignment {
  const finder = new QuoteFinder(text, options.threshold ?? FUZZY_THRESHOLD);
  const placed: Array<AlignedQuote | undefined> = [];
  const dropped: DroppedQuote[] = [];
  const taken = new Set<string>();
  let cursor = 0;
  spans.forEach((span, index) => {
    const drop = (reason: DropReason) => {
      placed.push(undefined);
      dropped.push({ index, label: span.label, quote: span.quote, reason });
    };
    if (options.labels && !options.labels.has(span.label)) return drop('unknown label');
    if (!span.quote.trim()) return drop('empty quote');
    const found = finder.find(span.quote);
    if (!found) return drop('not found in the text');
    const free = found.candidates.filter((c) => !taken.has(`${span.label}\u0000${c.start}\u0000${c.end}`));
    if (!free.length) return drop('repeated');
    let best = free;
    if (span.context && free.length > 1) {
      const scores = free.map((c) => finder.contextScore(c, span.quote, span.context!));
      const top = Math.max(...scores);
      best = free.filter((_, i) => scores[i] === top);
    }
    const chosen = best.find((c) => c.start >= cursor) ?? best[0];
    taken.add(`${span.label}\u0000${chosen.start}\u0000${chosen.end}`);
    cursor = chosen.start;
    placed.push({ start: chosen.start, end: chosen.end, method: found.method, similarity: chosen.similarity });
  });
  return { placed, dropped };
}
