/**
 * Near copies in the Corpus view: an imported article marked `duplicateOf` (the same release on
 * another site) is listed right after its original, with "near copy of …" in its description, and
 * is left out of the view's progress counts, as it is out of stats and exports.
 */

interface Listed {
  relativePath: string;
  duplicateOf?: string;
}

/**
 * The entries in their order, each near copy moved to just after its original (copies of one
 * original in their own order); a copy whose original is not listed stays where it was.
 */
export function groupCopies<T extends Listed>(sorted: readonly T[]): T[] {
  const listed = new Set(sorted.map((e) => e.relativePath));
  const copies = new Map<string, T[]>();
  const grouped = new Set<T>();
  for (const e of sorted) {
    const original = originalOf(e, listed);
    if (original === undefined) continue;
    const list = copies.get(original);
    if (list) list.push(e);
    else copies.set(original, [e]);
    grouped.add(e);
  }
  if (!copies.size) return [...sorted];
  const out: T[] = [];
  const placed = new Set<T>();
  for (const e of sorted) {
    if (grouped.has(e)) continue;
    for (const x of [e, ...(copies.get(e.relativePath) ?? [])]) {
      out.push(x);
      placed.add(x);
    }
  }
  // a copy of a copy has no place after an original: it stays in the list
  for (const e of sorted) if (!placed.has(e)) out.push(e);
  return out;
}

/**
 * The listed path of a copy's original: `duplicateOf` is relative to the corpus folder the import
 * wrote into, which is the workspace folder or the copy's own folder.
 */
function originalOf(e: Listed, listed: ReadonlySet<string>): string | undefined {
  if (e.duplicateOf === undefined) return undefined;
  const folder = e.relativePath.includes('/') ? e.relativePath.slice(0, e.relativePath.lastIndexOf('/') + 1) : '';
  return [e.duplicateOf, folder + e.duplicateOf].find((p) => p !== e.relativePath && listed.has(p));
}

/** The description's suffix for a near copy ("" for any other article). */
export function copySuffix(entry: Listed): string {
  return entry.duplicateOf === undefined ? '' : ` · near copy of ${entry.duplicateOf}`;
}
