/**
 * Near copies in the Corpus view: an imported article marked `duplicateOf` (the same release on
 * another site) says "near copy of …" in its description. The list keeps its path order and its
 * progress counts every listed article (its tests and the corpus-scale work rely on both).
 */

interface Listed {
  relativePath: string;
  duplicateOf?: string;
}

/** The description's suffix for a near copy ("" for any other article). */
export function copySuffix(entry: Listed): string {
  return entry.duplicateOf === undefined ? '' : ` · near copy of ${entry.duplicateOf}`;
}
