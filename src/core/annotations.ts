/**
 * Making annotations: the quote and its context come from the text, so a new annotation is always
 * consistent with the article it was made on.
 */
import { randomBytes } from 'node:crypto';
import { OffsetMap } from './offsets';
import { Annotation, CONTEXT_LENGTH } from './schema';

export function newAnnotationId(): string {
  return `a-${randomBytes(6).toString('hex')}`;
}

/** A new relation id (same alphabet as annotation ids). */
export function newRelationId(): string {
  return `r-${randomBytes(6).toString('hex')}`;
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The quote, prefix and suffix of [start, end) in code points. */
export function quoteAt(map: OffsetMap, start: number, end: number): Pick<Annotation, 'text' | 'prefix' | 'suffix'> {
  return {
    text: map.slice(start, end),
    prefix: map.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: map.slice(end, Math.min(map.length, end + CONTEXT_LENGTH)),
  };
}

export interface NewAnnotationOptions {
  source?: Annotation['source'];
  author?: string;
  note?: string;
  attributes?: Record<string, string>;
  id?: string;
  created?: string;
}

export function makeAnnotation(map: OffsetMap, start: number, end: number, label: string, options: NewAnnotationOptions = {}): Annotation {
  const a: Annotation = {
    id: options.id ?? newAnnotationId(),
    label,
    start,
    end,
    ...quoteAt(map, start, end),
    source: options.source ?? 'manual',
    created: options.created ?? nowIso(),
  };
  if (options.note) a.note = options.note;
  if (options.attributes && Object.keys(options.attributes).length) a.attributes = { ...options.attributes };
  if (options.author) a.author = options.author;
  return a;
}

const SPACE = /\s/u;

/**
 * Shrinks [start, end) (UTF-16 offsets into `text`) past whitespace at either end.
 * Returns undefined when nothing but whitespace is selected.
 */
export function trimRange(text: string, start: number, end: number): [number, number] | undefined {
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return start < end ? [start, end] : undefined;
}

const WORD = /[\p{L}\p{N}\p{M}'’\-_]/u;

/**
 * The word around a UTF-16 offset (letters, digits, apostrophes and hyphens, so "officer's" and
 * "Stoke-on-Trent" are one word). Returns undefined when the cursor touches no word.
 */
export function wordAt(text: string, offset: number): [number, number] | undefined {
  const isWord = (i: number) => i >= 0 && i < text.length && WORD.test(text[i]);
  let start = offset;
  let end = offset;
  if (!isWord(start) && isWord(start - 1)) start--;
  if (!isWord(start)) return undefined;
  while (isWord(start - 1)) start--;
  end = start;
  while (isWord(end)) end++;
  // a trailing apostrophe or hyphen is punctuation, not part of the word
  while (end > start && /['’\-_]/.test(text[end - 1])) end--;
  while (start < end && /['’\-_]/.test(text[start])) start++;
  return start < end ? [start, end] : undefined;
}
