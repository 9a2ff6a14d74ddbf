/**
 * Re-anchoring: finding each annotation again by its quote (`text`) and context (`prefix`/`suffix`,
 * up to 32 code points each) after the article changed outside the editor, or a formatter replaced
 * the whole document.
 *
 * The rule is "exact or orphan": an annotation is placed only on an exact occurrence of its quote
 * that the evidence singles out; anything ambiguous is kept with `orphaned: true` and reported,
 * never dropped and never guessed. (No fuzzy matching of edited quotes: a quote that no longer
 * occurs exactly is an orphan the researcher re-tags, which is safer than a near match.)
 *
 * Evidence, per candidate occurrence of the quote:
 * - context: how many characters of the old prefix match just before it (longest common suffix)
 *   plus how many of the old suffix match just after it (longest common prefix). An edit near the
 *   span shortens this without zeroing it, so it tolerates nearby edits.
 * - position: text outside an edit keeps its order. Annotations placed confidently (anchors) map
 *   old offsets to new ones piecewise; an annotation between two anchors must land between their
 *   new places, and its shift (new start − old start) should equal one of theirs ("consistent":
 *   no edit between it and that anchor, so its context on that side must have survived too) or at
 *   least lie between them ("plausible": the edits between the anchors moved it part of the way).
 *   The document's start (shift 0) and, when the old length is known, its end (shift = growth)
 *   are anchors too.
 *
 * Passes:
 * 1. Anchors: the best candidate by context, when its context is strong (≥ ANCHOR_CONTEXT
 *    characters, or all the context there was) and beats every other occurrence by MARGIN.
 *    Only occurrences whose context could reach that strength need scoring, and each of those
 *    contains the quote extended by half of it into the prefix or the suffix: so the search is for
 *    those longer, rarer strings, not for every occurrence of a common quote.
 * 2. Order: the anchors whose new order disagrees with their old order (not on a longest
 *    non-decreasing subsequence) are suspect: either the text moved, or the "unique" context was a
 *    duplicated passage while the true one had its context edited. A suspect stands only when its
 *    context is complete and nothing plausible lies where the order says it should be.
 * 3. The rest: occurrences between the neighbouring anchors. The best by context when it is
 *    clearly best and its shift equals a neighbour's, or lies between the neighbours' shifts with
 *    some context, or its context is as strong as an anchor's. Near-ties: the one whose shift lies
 *    between the neighbours', if only one does and it equals a neighbour's. Else orphan.
 * 4. Collisions: two annotations with different old places may not land on the same new place
 *    (one of them would be wrong); both become orphans unless one is an anchor.
 *
 * Speed: every search is an exact string search, through a q-gram index of the new text (built
 * once, O(n)) when the text is large, so one annotation costs about the occurrences of its rarest
 * 4-gram; a plain indexOf scan otherwise. No per-span O(n·m) dynamic programming.
 */
import { quoteAt } from './annotations';
import { OffsetMap } from './offsets';
import { Annotation } from './schema';

export interface ReanchorReport {
  /** Every annotation, re-anchored or marked `orphaned: true` (never dropped). */
  annotations: Annotation[];
  /** Found again at the same offsets. */
  unchanged: number;
  /** Found again elsewhere. */
  moved: number;
  /** Not found unambiguously; kept with `orphaned: true`. */
  orphaned: Annotation[];
}

export interface ReanchorOptions {
  /**
   * Length in code points of the text the annotations' offsets refer to (a sidecar's
   * `article.length`). Optional: it anchors the document's end, so a span near the end can be
   * placed by position after text was added or removed before it.
   */
  oldLength?: number;
}

/** Context characters a confident anchor needs matched (or all the context it has). */
const ANCHOR_CONTEXT = 24;
/** How much better (in matched context characters) the best candidate must be than the next. */
const MARGIN = 6;
/** Context that, with a shift between the neighbours' shifts, places a lone candidate (pass 3). */
const PLAUSIBLE_CONTEXT = 10;

/** One distinct (quote, context, old place): annotations sharing them share the outcome. */
interface Item {
  quote: string;
  prefix: string;
  suffix: string;
  /** Old offsets in code points; `positioned` false when they carry no information. */
  oldStart: number;
  oldEnd: number;
  positioned: boolean;
  /** Came in orphaned: its offsets are a stale estimate, so it is never used as an anchor. */
  wasOrphan: boolean;
  members: number[];
  /** Outcome: UTF-16 start of the chosen occurrence. */
  at?: number;
  anchor?: boolean;
  full?: boolean;
}

interface Anchor {
  oldStart: number;
  oldEnd: number;
  newStart: number;
}

export function reanchorAnnotations(annotations: readonly Annotation[], map: OffsetMap, options: ReanchorOptions = {}): ReanchorReport {
  const text = map.text;
  const search = new Search(text, annotations.length);
  const newLength = map.length;

  // group identical work (the same span with several labels, or two annotators' copies)
  const items: Item[] = [];
  const byKey = new Map<string, Item>();
  annotations.forEach((a, i) => {
    const key = `${a.start}\u0000${a.end}\u0000${a.orphaned ? 1 : 0}\u0000${a.text}\u0000${a.prefix ?? ''}\u0000${a.suffix ?? ''}`;
    let item = byKey.get(key);
    if (!item) {
      item = {
        quote: a.text,
        prefix: a.prefix ?? '',
        suffix: a.suffix ?? '',
        oldStart: a.start,
        oldEnd: a.end,
        positioned: a.end > a.start && !a.orphaned,
        wasOrphan: !!a.orphaned,
        members: [],
      };
      byKey.set(key, item);
      items.push(item);
    }
    item.members.push(i);
  });

  /** How much of the old prefix still precedes `at`, and of the old suffix still follows the quote. */
  const sides = (item: Item, at: number): [number, number] => {
    const { prefix, suffix } = item;
    let l = 0;
    while (l < prefix.length && at - 1 - l >= 0 && text.charCodeAt(at - 1 - l) === prefix.charCodeAt(prefix.length - 1 - l)) l++;
    const end = at + item.quote.length;
    let r = 0;
    while (r < suffix.length && end + r < text.length && text.charCodeAt(end + r) === suffix.charCodeAt(r)) r++;
    return [l, r];
  };
  const context = (item: Item, at: number): number => {
    const [l, r] = sides(item, at);
    return l + r;
  };

  // --- pass 1: anchors by context -----------------------------------------------------------
  for (const item of items) {
    if (!item.quote) continue;
    const available = item.prefix.length + item.suffix.length;
    const need = Math.min(available, ANCHOR_CONTEXT);
    const floor = need - MARGIN; // candidates below this cannot matter (see below)
    let candidates: number[];
    if (floor <= 0) {
      candidates = search.all(item.quote, 0, text.length);
    } else {
      // a context score ≥ floor needs ≥ half of it on one side: the quote extended by that much
      const half = Math.ceil(floor / 2);
      const set = new Set<number>();
      if (item.prefix.length >= half) for (const p of search.all(item.prefix.slice(-half) + item.quote, 0, text.length)) set.add(p + half);
      if (item.suffix.length >= half) for (const p of search.all(item.quote + item.suffix.slice(0, half), 0, text.length)) set.add(p);
      candidates = [...set];
    }
    let best = -Infinity;
    let bestAt = -1;
    let second = -Infinity; // no other occurrence: nothing to be confused with
    for (const at of candidates) {
      if (splitsPair(text, at, item.quote.length)) continue;
      const s = context(item, at);
      if (s > best) {
        second = best;
        best = s;
        bestAt = at;
      } else if (s > second) second = s;
    }
    // every occurrence not scored has context < floor = need − MARGIN, so `best ≥ need` and
    // `best − second ≥ MARGIN` compare the best against every occurrence in the text
    if (bestAt >= 0 && best >= need && best - second >= MARGIN) {
      item.at = bestAt;
      item.anchor = true;
      item.full = best === available;
    }
  }

  // --- pass 2: order ------------------------------------------------------------------------
  const ordered = items
    .filter((it) => it.anchor && it.positioned)
    .map((it) => ({ it, newStart: map.toCodePoint(it.at!) }))
    .sort((a, b) => a.it.oldStart - b.it.oldStart || a.newStart - b.newStart);
  const keep = longestNonDecreasing(ordered.map((o) => o.newStart));
  const anchors: Anchor[] = [{ oldStart: 0, oldEnd: 0, newStart: 0 }];
  const suspects: Item[] = [];
  ordered.forEach((o, i) => {
    if (keep[i]) anchors.push({ oldStart: o.it.oldStart, oldEnd: o.it.oldEnd, newStart: o.newStart });
    else suspects.push(o.it);
  });
  if (options.oldLength !== undefined) anchors.push({ oldStart: options.oldLength, oldEnd: options.oldLength, newStart: newLength });
  anchors.sort((a, b) => a.oldStart - b.oldStart || a.newStart - b.newStart);

  /** Pass 3's choice for an item: a UTF-16 offset, or undefined (nothing, or ambiguous). */
  const byPosition = (item: Item): number | undefined => {
    let lo = 0;
    let hi = newLength;
    let before: Anchor | undefined;
    let after: Anchor | undefined;
    if (item.positioned) {
      // neighbouring anchors in old order: the last at or before, the first at or after
      before = anchors[upperBound(anchors, item.oldStart) - 1]; // anchors[0] is (0, 0): always one
      after = anchors[lowerBound(anchors, item.oldStart)] as Anchor | undefined;
      lo = Math.min(before.newStart, after?.newStart ?? Infinity);
      hi = after ? Math.max(before.newStart, after.newStart) : newLength;
    }
    const from = map.toUtf16(lo);
    const to = map.toUtf16(hi);
    let best = -1;
    const scored: Array<[number, number]> = [];
    for (const at of search.all(item.quote, from, to)) {
      if (splitsPair(text, at, item.quote.length)) continue;
      const s = context(item, at);
      scored.push([at, s]);
      if (s > best) best = s;
    }
    if (!scored.length) return undefined;
    const shifts = [before, after].filter((a): a is Anchor => !!a).map((a) => a.newStart - a.oldStart);
    const shiftOf = (at: number) => map.toCodePoint(at) - item.oldStart;
    // "Consistent": the shift equals a neighbour's, i.e. no edit between that neighbour and the
    // span. Then the context on that side must have survived too, as far as it reaches before the
    // neighbour; else the equality is a coincidence (text sliding over a deletion lands there).
    const consistent = (at: number) => {
      const shift = shiftOf(at);
      const [l, r] = sides(item, at);
      const viaBefore = !!before && shift === before.newStart - before.oldStart && l >= Math.min(item.prefix.length, Math.max(0, item.oldStart - before.oldEnd));
      const viaAfter = !!after && shift === after.newStart - after.oldStart && r >= Math.min(item.suffix.length, Math.max(0, after.oldStart - item.oldEnd));
      return viaBefore || viaAfter;
    };
    // "Plausible": the text between two anchors grew or shrank by the difference of their shifts;
    // a span in it moved by part of that, so its shift lies between theirs (unless insertions and
    // deletions mixed).
    const plausible = (at: number) => shifts.length === 2 && Math.min(...shifts) <= shiftOf(at) && shiftOf(at) <= Math.max(...shifts);
    const top = scored.filter(([, s]) => s > best - MARGIN).map(([at]) => at);
    if (top.length === 1) {
      // a lone best needs more evidence: a consistent shift; a plausible one and some context; or
      // a context as strong as an anchor's (it failed pass 1 only for a look-alike outside these bounds)
      const [at] = top;
      const strong = best >= Math.min(item.prefix.length + item.suffix.length, ANCHOR_CONTEXT);
      return consistent(at) || (plausible(at) && best >= PLAUSIBLE_CONTEXT) || strong ? at : undefined;
    }
    // near-ties: only when position leaves one of them, and that one is consistent
    const placed = top.filter((at) => plausible(at) || consistent(at));
    return placed.length === 1 && consistent(placed[0]) ? placed[0] : undefined;
  };

  // suspects: a complete context stands (moved text) unless the order points somewhere plausible
  for (const item of suspects) {
    const there = byPosition(item);
    if (!item.full || (there !== undefined && there !== item.at)) {
      item.at = undefined;
      item.anchor = false;
    }
  }
  // --- pass 3: by position ------------------------------------------------------------------
  for (const item of items) {
    if (item.at !== undefined || !item.quote) continue;
    item.at = byPosition(item);
  }

  // --- pass 4: collisions -------------------------------------------------------------------
  const claims = new Map<string, Item[]>();
  for (const item of items) {
    if (item.at === undefined) continue;
    const key = `${item.at}:${item.quote.length}`;
    const list = claims.get(key);
    if (list) list.push(item);
    else claims.set(key, [item]);
  }
  for (const list of claims.values()) {
    if (list.length < 2) continue;
    const anchorsHere = list.filter((it) => it.anchor);
    const winner = anchorsHere.length === 1 ? anchorsHere[0] : undefined;
    for (const it of list) if (it !== winner) it.at = undefined;
  }

  // --- output -------------------------------------------------------------------------------
  const out: Annotation[] = new Array(annotations.length);
  const orphaned: Annotation[] = [];
  let unchanged = 0;
  let moved = 0;
  for (const item of items) {
    for (const i of item.members) {
      const a = annotations[i];
      if (item.at !== undefined) {
        const start = map.toCodePoint(item.at);
        const end = map.toCodePoint(item.at + item.quote.length);
        const { orphaned: _was, ...rest } = a;
        out[i] = { ...rest, start, end, ...quoteAt(map, start, end) };
        if (!a.orphaned && a.start === start && a.end === end) unchanged++;
        else moved++;
      } else {
        // kept with its quote and context; offsets: where the neighbouring anchors say it would
        // be (its last known place, carried over), clamped into the text
        const start = Math.max(0, Math.min(newLength, item.positioned ? estimate(anchors, a.start) : a.start));
        const end = Math.max(start, Math.min(newLength, start + Math.max(0, a.end - a.start)));
        const o: Annotation = { ...a, start, end, orphaned: true };
        out[i] = o;
        orphaned.push(o);
      }
    }
  }
  return { annotations: out, unchanged, moved, orphaned };
}

/** Whether an occurrence at `at` would start or end inside a surrogate pair. */
function splitsPair(text: string, at: number, length: number): boolean {
  const low = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
  };
  return low(at) || low(at + length);
}

/** Where an old offset lands by the nearest anchor before it. */
function estimate(anchors: readonly Anchor[], oldStart: number): number {
  const a = anchors[Math.max(0, upperBound(anchors, oldStart) - 1)];
  return oldStart + a.newStart - a.oldStart;
}

/** First index whose oldStart ≥ x. */
function lowerBound(anchors: readonly Anchor[], x: number): number {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (anchors[mid].oldStart < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose oldStart > x. */
function upperBound(anchors: readonly Anchor[], x: number): number {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (anchors[mid].oldStart <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Marks a longest non-decreasing subsequence (patience sorting, O(n log n)). */
function longestNonDecreasing(xs: readonly number[]): boolean[] {
  const tails: number[] = []; // index into xs of the smallest tail of each length
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[tails[mid]] <= xs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Array<boolean>(xs.length).fill(false);
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep[i] = true;
  return keep;
}

const GRAM = 4;

/**
 * Exact search in one text: all occurrences of a string starting within [from, to]. Large texts
 * get a q-gram index: every position bucketed by a hash of the 4 code units there (counting sort,
 * so each bucket lists positions in order). A query walks the bucket of the string's rarest 4-gram
 * between the bounds and verifies each hit. Short strings and small texts use indexOf.
 */
class Search {
  private heads: Int32Array | undefined;
  private positions: Int32Array | undefined;
  private bits = 0;

  constructor(
    private readonly text: string,
    queries: number,
  ) {
    // an index pays for itself once the scans it saves exceed its O(n) build
    if (text.length >= 1024 && queries * text.length > 100_000) this.build();
  }

  private hash(s: string, i: number): number {
    let h = Math.imul(s.charCodeAt(i), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(i + 1), 0x85ebca77);
    h = Math.imul(h ^ s.charCodeAt(i + 2), 0xc2b2ae3d);
    h = Math.imul(h ^ s.charCodeAt(i + 3), 0x27d4eb2f);
    return (h ^ (h >>> 15)) >>> (32 - this.bits);
  }

  private build(): void {
    const n = this.text.length - GRAM + 1;
    this.bits = Math.max(8, Math.min(21, Math.ceil(Math.log2(n)) - 1)); // about 2 positions a bucket
    const buckets = 1 << this.bits;
    const heads = new Int32Array(buckets + 1);
    const hashes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const h = this.hash(this.text, i);
      hashes[i] = h;
      heads[h + 1]++;
    }
    for (let b = 0; b < buckets; b++) heads[b + 1] += heads[b];
    const fill = heads.slice(0, buckets);
    const positions = new Int32Array(n);
    for (let i = 0; i < n; i++) positions[fill[hashes[i]]++] = i;
    this.heads = heads;
    this.positions = positions;
  }

  /** Start offsets (UTF-16) of every occurrence of `s` with from ≤ start ≤ to, ascending. */
  all(s: string, from: number, to: number): number[] {
    const out: number[] = [];
    if (!s) return out;
    to = Math.min(to, this.text.length - s.length);
    if (from > to) return out;
    const heads = this.heads;
    const positions = this.positions;
    if (!heads || !positions || s.length < GRAM || to - from < 256) {
      for (let i = this.text.indexOf(s, from); i !== -1 && i <= to; i = this.text.indexOf(s, i + 1)) out.push(i);
      return out;
    }
    // the rarest 4-gram of s decides which bucket to walk
    let gram = 0;
    let size = Infinity;
    for (let g = 0; g + GRAM <= s.length; g++) {
      const h = this.hash(s, g);
      const n = heads[h + 1] - heads[h];
      if (n < size) {
        size = n;
        gram = g;
        if (!n) return out;
      }
    }
    const h = this.hash(s, gram);
    let lo = heads[h];
    let hi = heads[h + 1];
    // first bucket entry ≥ from + gram
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid] < from + gram) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo, end = heads[h + 1]; k < end; k++) {
      const at = positions[k] - gram;
      if (at > to) break;
      if (this.text.startsWith(s, at)) out.push(at);
    }
    return out;
  }
}
