/**
 * Within a label, no span overlaps another: what rules.ts applies to its suggestions and suggest.ts
 * to those and the learned phrases together. An article has 100,000s of spans, so the spans are
 * sorted only where they are out of order and the labels are merged, not sorted again.
 */
import type { SuggestionSource } from './rules';

interface Span {
  start: number;
  end: number;
  category: string;
  source: SuggestionSource;
}

const rank = (s: Span) => (s.source === 'rule' ? 0 : s.source === 'gazetteer' ? 1 : 2);
const better = (a: Span, b: Span) => b.end - b.start - (a.end - a.start) || a.start - b.start || rank(a) - rank(b);
const byStartLongest = (a: Span, b: Span) => a.start - b.start || b.end - a.end;
const byStartEnd = (a: Span, b: Span) => a.start - b.start || a.end - b.end;

/**
 * Within a label, no span overlaps another: the longer one stays (rule spans beat the gazetteer
 * terms inside them); ties go to the earlier start, then to rule over gazetteer. The result is
 * sorted by start, end and label.
 */
export function withoutNesting<T extends Span>(spans: readonly T[]): T[] {
  const byCategory = new Map<string, T[]>();
  for (const s of spans) {
    const list = byCategory.get(s.category);
    if (list) list.push(s);
    else byCategory.set(s.category, [s]);
  }
  const lists: T[][] = [];
  for (const list of byCategory.values()) {
    // (sorts are stable: spans that compare equal keep their order, sorted or not)
    if (!inOrder(list, byStartLongest)) list.sort(byStartLongest);
    const out: T[] = [];
    // clusters of spans chained by overlaps are small: greedy (longest first) within each
    for (let i = 0; i < list.length; ) {
      let j = i + 1;
      let reach = list[i].end;
      while (j < list.length && list[j].start < reach) reach = Math.max(reach, list[j++].end);
      if (j === i + 1) out.push(list[i]);
      else {
        const taken: T[] = [];
        for (const s of list.slice(i, j).sort(better)) if (!taken.some((t) => t.start < s.end && s.start < t.end)) taken.push(s);
        out.push(...taken.sort(byStartEnd));
      }
      i = j;
    }
    lists.push(out);
  }
  return merged(lists);
}

function inOrder<T>(list: readonly T[], order: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (order(list[i - 1], list[i]) > 0) return false;
  return true;
}

/**
 * Lists of one label each, each sorted by start and end, merged into one sorted by start, end and
 * label: what a stable sort of them one after the other gives.
 */
function merged<T extends Span>(lists: T[][]): T[] {
  if (lists.length === 1) return lists[0];
  const total = lists.reduce((n, l) => n + l.length, 0);
  const out: T[] = new Array<T>(total);
  const at = lists.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    let b: T | undefined;
    for (let l = 0; l < lists.length; l++) {
      const s = lists[l][at[l]];
      if (s === undefined) continue;
      if (b === undefined || s.start < b.start || (s.start === b.start && (s.end < b.end || (s.end === b.end && s.category < b.category)))) {
        best = l;
        b = s;
      }
    }
    out[k] = b!;
    at[best]++;
  }
  return out;
}
