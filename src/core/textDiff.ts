/**
 * The edits between two versions of an article's text, so that a change that arrives as a whole
 * new text (Replace in Files on a closed article, a checkout, another program's save) can be
 * followed like typed edits instead of re-anchoring every touched span by its quote.
 *
 * Lines first, then characters within each changed run of lines: a news article edited in a few
 * places differs in a few lines, and a character diff of those lines alone finds the words that
 * changed ("officer" → "police officer" is an insertion before the span, not a replaced span).
 * Both diffs are Myers' (jsdiff) with a bound on the edit length, so two unrelated texts give up
 * deterministically (undefined: the caller re-anchors by quote) instead of taking O(n²).
 */
import { diffChars, diffLines, type Change } from 'diff';
import { ContentChange, SpanEntry, SpanIndex } from './spanIndex';

/** One edit: `length` UTF-16 units at `offset` in the old text replaced by `text`. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** Changed lines (added plus removed) beyond which two texts are taken as unrelated. */
const MAX_LINE_EDITS = 2000;
/** Changed characters within one run of changed lines beyond which the run is replaced whole. */
const MAX_CHAR_EDITS = 4000;

/**
 * Edits turning `before` into `after`, ascending and non-overlapping, offsets in `before`; undefined
 * when the texts differ in more lines than a diff is worth (then nothing is followed as an edit).
 */
export function diffTexts(before: string, after: string): TextEdit[] | undefined {
  // the shared head and tail, in whole lines, are cut off first: most changes are a few places in
  // a long text (whole lines, so that the line diff still sees the lines around a change whole)
  const shorter = Math.min(before.length, after.length);
  let head = 0;
  while (head < shorter && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  if (head === before.length && head === after.length) return [];
  head = head === 0 ? 0 : before.lastIndexOf('\n', head - 1) + 1;
  let tail = 0;
  while (tail < shorter - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  while (tail > 0 && before.charCodeAt(before.length - tail - 1) !== 10) tail--;
  const oldMiddle = before.slice(head, before.length - tail);
  const newMiddle = after.slice(head, after.length - tail);
  if (oldMiddle === newMiddle) return [];
  const lines = diffLines(oldMiddle, newMiddle, { maxEditLength: MAX_LINE_EDITS });
  if (!lines) return undefined;
  const edits: TextEdit[] = [];
  let at = head;
  for (let i = 0; i < lines.length; ) {
    if (!lines[i].added && !lines[i].removed) {
      at += lines[i].value.length;
      i++;
      continue;
    }
    // a run of removed and added lines is one hunk: refined by characters
    let removed = '';
    let added = '';
    while (i < lines.length && (lines[i].added || lines[i].removed)) {
      if (lines[i].removed) removed += lines[i].value;
      else added += lines[i].value;
      i++;
    }
    edits.push(...refine(at, removed, added));
    at += removed.length;
  }
  return edits;
}

/** The character edits within one hunk (`removed` at `offset` replaced by `added`). */
function refine(offset: number, removed: string, added: string): TextEdit[] {
  if (!removed || !added) return [{ offset, length: removed.length, text: added }];
  const chars = diffChars(removed, added, { maxEditLength: MAX_CHAR_EDITS });
  if (!chars) return [{ offset, length: removed.length, text: added }];
  return editsOf(offset, factored(withoutChance(groupsOf(chars))));
}

/** A run of equal text, or a replacement (either side may be empty). */
type Group = { equal: string } | { removed: string; added: string };

function groupsOf(changes: readonly Change[]): Group[] {
  const groups: Group[] = [];
  for (const c of changes) {
    const last = groups[groups.length - 1];
    if (!c.added && !c.removed) groups.push({ equal: c.value });
    else if (last && !('equal' in last)) {
      if (c.removed) last.removed += c.value;
      else last.added += c.value;
    } else groups.push(c.removed ? { removed: c.value, added: '' } : { removed: '', added: c.value });
  }
  return groups;
}

/**
 * A character diff matches stray letters ("PC Jones" → "someone" keeps an "s"), which would shrink
 * a span to that letter. An equal run no longer than the replacements on both sides of it is taken
 * into them, until none is left (the rule of diff-match-patch's semantic clean-up).
 */
function withoutChance(groups: Group[]): Group[] {
  const size = (g: Group) => ('equal' in g ? 0 : Math.max(g.removed.length, g.added.length));
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i < groups.length - 1; i++) {
      const [prev, eq, next] = [groups[i - 1], groups[i], groups[i + 1]];
      if (!('equal' in eq) || 'equal' in prev || 'equal' in next) continue;
      if (eq.equal.length > size(prev) || eq.equal.length > size(next)) continue;
      groups.splice(i - 1, 3, { removed: prev.removed + eq.equal + next.removed, added: prev.added + eq.equal + next.added });
      changed = true;
      i--;
    }
  }
  return groups;
}

/**
 * Each replacement without the text its two sides begin or end with ("o" → "police o" is "police "
 * inserted before the "o"): a clean-up can leave such a replacement, and it would stretch a span
 * that starts there over the inserted words.
 */
function factored(groups: readonly Group[]): Group[] {
  const out: Group[] = [];
  const pushEqual = (text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && 'equal' in last) last.equal += text;
    else out.push({ equal: text });
  };
  for (const g of groups) {
    if ('equal' in g) {
      pushEqual(g.equal);
      continue;
    }
    let { removed, added } = g;
    let p = 0;
    while (p < removed.length && p < added.length && removed.charCodeAt(p) === added.charCodeAt(p)) p++;
    let q = 0;
    while (q < removed.length - p && q < added.length - p && removed.charCodeAt(removed.length - 1 - q) === added.charCodeAt(added.length - 1 - q)) q++;
    // (never between the two halves of a surrogate pair)
    if (p > 0 && isHighSurrogate(removed.charCodeAt(p - 1))) p--;
    if (q > 0 && isLowSurrogate(removed.charCodeAt(removed.length - q))) q--;
    pushEqual(removed.slice(0, p));
    const suffix = removed.slice(removed.length - q);
    removed = removed.slice(p, removed.length - q);
    added = added.slice(p, added.length - q);
    if (removed || added) out.push({ removed, added });
    pushEqual(suffix);
  }
  return out;
}

function editsOf(offset: number, groups: readonly Group[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let at = offset;
  for (const g of groups) {
    if ('equal' in g) at += g.equal.length;
    else {
      edits.push({ offset: at, length: g.removed.length, text: g.added });
      at += g.removed.length;
    }
  }
  return edits;
}

/**
 * Where spans (UTF-16 offsets in the old text) are after `edits`, by the editor's own rule for a
 * typed edit (spanIndex/index.ts): `placed` with their new offsets, `deleted` those whose whole text the
 * edits removed (to be found again by quote, if they moved).
 */
export function followEdits<T extends { id: string }>(
  spans: Iterable<{ value: T; start: number; end: number }>,
  edits: readonly TextEdit[],
): { placed: SpanEntry<T>[]; deleted: SpanEntry<T>[] } {
  const index = new SpanIndex<T>([], { stashLimit: 0 });
  index.addMany(spans);
  // applied last first, so each edit's offset is still an offset in the old text
  const changes: ContentChange[] = [];
  for (let i = edits.length - 1; i >= 0; i--) changes.push({ rangeOffset: edits[i].offset, rangeLength: edits[i].length, text: edits[i].text });
  const { removed } = index.applyChanges(changes);
  return { placed: index.all(), deleted: removed };
}

/**
 * The edits of one reported change event (a reload's single replacement, or Replace in Files' one
 * change per match), refined by a diff; undefined when `before` is not the text the event was made
 * to, so an out-of-date copy is never trusted. The changes are VS Code's: offsets in the text
 * before the event, in the order that applies them exactly.
 */
export function diffOfChanges(before: string, after: string, changes: readonly ContentChange[]): TextEdit[] | undefined {
  if (changes.length !== 1) {
    let text = before;
    for (const c of changes) {
      if (c.rangeOffset + c.rangeLength > text.length) return undefined;
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
    }
    return text === after ? diffTexts(before, after) : undefined;
  }
  // one change: only its region needs a diff, once the text around it agrees
  const { rangeOffset: o, rangeLength: l } = changes[0];
  const m = changes[0].text.length;
  if (before.length - l + m !== after.length || o + l > before.length) return undefined;
  if (before.slice(0, o) !== after.slice(0, o) || before.slice(o + l) !== after.slice(o + m)) return undefined;
  const edits = diffTexts(before.slice(o, o + l), after.slice(o, o + m));
  return edits?.map((e) => ({ ...e, offset: e.offset + o }));
}

/**
 * The range a followed span keeps: within a span the diff grew around its old quote (text inserted
 * between two of its words, or an insertion the diff aligned inside it: "PC Smith" → "PC Jones and
 * PC Smith"), just that quote when it occurs exactly once there; otherwise [start, end] as the edit
 * rule gave it (a span whose own words were edited).
 */
export function narrowToQuote(read: (start: number, end: number) => string, start: number, end: number, quote: string): [number, number] {
  if (!quote || end - start <= quote.length) return [start, end];
  const range = read(start, end);
  const at = range.indexOf(quote);
  if (at < 0 || range.indexOf(quote, at + 1) >= 0) return [start, end];
  return [start + at, start + at + quote.length];
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
