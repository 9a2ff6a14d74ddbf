/**
 * An article's provenance as its sidecar's optional `source` holds it (the zod schema is in
 * schema.ts; this plain shape is here so the editor, the exports and the importer can use it
 * without loading the schema).
 */

/** Where an article came from; every field optional, each a one-line string. */
export interface ArticleSource {
  /** The page's address (its canonical link when it has one). */
  url?: string;
  /** Who published it: the site or force ("BBC News", "Avon and Somerset Police"). */
  outlet?: string;
  /** The headline as published. */
  title?: string;
  /** When it was published: `YYYY-MM-DD` or a date-time with its offset. */
  published?: string;
  /** When the page was saved: a date-time with its offset. */
  retrieved?: string;
  /** Who wrote it. */
  byline?: string;
}

/** The fields of `source`, in the order a sidecar writes them and the Case view shows them. */
export const SOURCE_KEYS = ['url', 'outlet', 'title', 'published', 'retrieved', 'byline'] as const satisfies readonly (keyof ArticleSource)[];

export type SourceKey = (typeof SOURCE_KEYS)[number];

export function isSourceKey(key: string): key is SourceKey {
  return (SOURCE_KEYS as readonly string[]).includes(key);
}

/** The source with its fields in canonical order, empty ones left out; undefined when none is left. */
export function canonicalSource(source: ArticleSource | undefined): ArticleSource | undefined {
  if (!source) return undefined;
  const out: ArticleSource = {};
  for (const key of SOURCE_KEYS) if (source[key] !== undefined && source[key] !== '') out[key] = source[key];
  return Object.keys(out).length ? out : undefined;
}
