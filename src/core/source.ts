/**
 * An article's provenance as its sidecar's optional `source` holds it (the zod schema is in
 * schema.ts; this plain shape is here so the editor, the exports and the importer can use it
 * without loading the schema).
 */

import { isSourceField } from './fastValidate';
import { withoutLoneSurrogates } from './surrogates';

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

/** What each field is called in the Case view. */
export const SOURCE_LABELS: Readonly<Record<SourceKey, string>> = {
  url: 'Address',
  outlet: 'Outlet',
  title: 'Headline',
  published: 'Published',
  retrieved: 'Retrieved',
  byline: 'Byline',
};

/**
 * The source with one field set (trimmed) or, for an empty value, removed. Throws, saying why, on
 * a value the schema would refuse (the sidecar could not be written).
 */
export function withSourceField(source: ArticleSource | undefined, key: string, value: string | undefined): ArticleSource | undefined {
  if (!isSourceKey(key)) throw new Error(`"${key}" is not a field of the source (${SOURCE_KEYS.join(', ')}).`);
  const text = withoutLoneSurrogates(value ?? '').trim();
  const out: ArticleSource = { ...source };
  if (!text) delete out[key];
  else if (!isSourceField(key, text)) {
    throw new Error(
      key === 'published'
        ? 'Published is a date (2024-03-05) or a date and time with its offset (2024-03-05T09:30:00Z).'
        : key === 'retrieved'
          ? 'Retrieved is a date and time with its offset (2024-03-06T10:00:00Z).'
          : `${SOURCE_LABELS[key]} is one line of at most 2048 characters.`,
    );
  } else out[key] = text;
  return canonicalSource(out);
}

/** The source with its fields in canonical order, empty ones left out; undefined when none is left. */
export function canonicalSource(source: ArticleSource | undefined): ArticleSource | undefined {
  if (!source) return undefined;
  const out: ArticleSource = {};
  for (const key of SOURCE_KEYS) if (source[key] !== undefined && source[key] !== '') out[key] = source[key];
  return Object.keys(out).length ? out : undefined;
}
