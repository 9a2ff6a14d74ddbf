/**
 * Every span of a document in reading order, kept as one array that a small change patches by
 * binary search instead of sorting again: a tag in an article of tens of thousands of spans then
 * costs no copy of the array on the key's path.
 */
import { byPosition, Span } from './span';

/** The spans one step took out of the sorted view and put in. */
export interface SortedPatch {
  olds: readonly Span[];
  news: readonly Span[];
}

/** Steps changing more spans than this rebuild the sorted view instead of patching it. */
export const SORTED_PATCH_LIMIT = 64;

/** Where `x` goes in `xs` (sorted by `byPosition`): the first index whose span is not before it. */
function lowerBound(xs: readonly Span[], x: Span): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byPosition(xs[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The sorted view after some steps: each step's old entries out, its new ones in by binary search,
 * on a copy (a reader's earlier array stays as it was). Undefined (rebuild) if an entry is not
 * where it should be, which cannot happen while the view is current.
 */
function applyPatches(sorted: readonly Span[], patches: readonly SortedPatch[]): Span[] | undefined {
  const next = sorted.slice();
  for (const { olds, news } of patches) {
    for (const old of olds) {
      const i = lowerBound(next, old);
      if (next[i]?.id !== old.id) return undefined;
      next.splice(i, 1);
    }
    for (const now of news) next.splice(lowerBound(next, now), 0, now);
  }
  return next;
}

export class SortedView {
  private sorted: Span[] | undefined;
  /** Steps not yet applied to `sorted`, oldest first. */
  private pending: SortedPatch[] = [];

  /** The view, patched or (when there is none) built from `every`. */
  read(every: () => Span[]): readonly Span[] {
    if (this.sorted && this.pending.length) this.sorted = applyPatches(this.sorted, this.pending);
    this.pending = [];
    if (!this.sorted) this.sorted = every().sort(byPosition);
    return this.sorted;
  }

  /** Whether there is a view to patch (a patch for none is not worth computing). */
  get current(): boolean {
    return this.sorted !== undefined;
  }

  /**
   * Keeps a step's patch for the next read, or, with none (or past a limit: patches nobody reads
   * are not kept without end), forgets the view so that the next read rebuilds it.
   */
  changed(patch: SortedPatch | undefined): void {
    if (patch && this.pending.length < SORTED_PATCH_LIMIT) this.pending.push(patch);
    else this.forget();
  }

  forget(): void {
    this.sorted = undefined;
    this.pending = [];
  }
}
