/**
 * Near copies in the Corpus view: an imported article marked `duplicateOf` (the same release on
 * another site) is shown under the article it copies, and its description names that article.
 * Pure (no vscode), so the grouping is tested with plain mocha. Every copy still counts in the
 * view's progress.
 */

interface Listed {
  /** Workspace-relative path, `/`-separated. */
  relativePath: string;
  /** The article it copies, relative to the corpus it was imported into. */
  duplicateOf?: string;
}

/** The description's suffix for a near copy ("" for any other article). */
export function copySuffix(entry: Listed): string {
  return entry.duplicateOf === undefined ? '' : ` · near copy of ${entry.duplicateOf}`;
}

/**
 * The listed article `copy` copies, or undefined. `duplicateOf` is relative to the corpus folder,
 * which is the copy's folder or one above it: the deepest such folder holding the article wins. A
 * copy of a copy stays where it is (one level of grouping, no cycles).
 */
function originalOf<T extends Listed>(copy: T, byPath: ReadonlyMap<string, T>): T | undefined {
  if (copy.duplicateOf === undefined) return undefined;
  const parts = copy.relativePath.split('/').slice(0, -1);
  for (let n = parts.length; n >= 0; n--) {
    const original = byPath.get([...parts.slice(0, n), copy.duplicateOf].join('/'));
    if (original && original !== copy) return original.duplicateOf === undefined ? original : undefined;
  }
  return undefined;
}

/** Each original's near copies (in the order of `sorted`), and the original each grouped copy is shown under. */
export function groupCopies<T extends Listed>(sorted: readonly T[]): { copies: Map<T, T[]>; shownUnder: Map<T, T> } {
  const copies = new Map<T, T[]>();
  const shownUnder = new Map<T, T>();
  if (!sorted.some((e) => e.duplicateOf !== undefined)) return { copies, shownUnder };
  const byPath = new Map(sorted.map((e) => [e.relativePath, e]));
  for (const entry of sorted) {
    const original = originalOf(entry, byPath);
    if (!original) continue;
    shownUnder.set(entry, original);
    copies.set(original, [...(copies.get(original) ?? []), entry]);
  }
  return { copies, shownUnder };
}
