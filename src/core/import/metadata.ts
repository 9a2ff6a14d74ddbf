/**
 * Where an article came from, read from its saved page: the canonical link and `og:` tags, a
 * JSON-LD `NewsArticle`, `<meta>` names and the first `<time datetime>`. Everything here is
 * untrusted: JSON-LD is parsed defensively (any shape, any depth), values are squashed to one line,
 * capped, and dropped when they are not what they claim (a URL that is not http(s), a date that is
 * not a date).
 */
import type { ArticleSource } from '../source';
import { PageDocument, PageElement, squash } from './dom';

/** The longest value kept for a field (a URL may be longer than a name). */
const MAX_TEXT = 300;
const MAX_URL = 2048;
/** How deep a JSON-LD document is searched for an article (`@graph` inside arrays inside …). */
const MAX_JSONLD_DEPTH = 6;

const ARTICLE_TYPES = new Set(['NewsArticle', 'Article', 'ReportageNewsArticle', 'AnalysisNewsArticle', 'BlogPosting', 'Report', 'PressRelease']);

type Json = unknown;

function field(obj: Json, key: string): Json {
  return obj && typeof obj === 'object' && !Array.isArray(obj) && Object.hasOwn(obj, key) ? (obj as Record<string, Json>)[key] : undefined;
}

/** A one-line string, without lone surrogates (no sidecar may hold one), capped; undefined when empty. */
export function cleanText(value: Json, max = MAX_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = squash(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ''));
  if (!text) return undefined;
  return text.length > max ? text.slice(0, max).replace(/[\uD800-\uDBFF]$/, '') : text;
}

/** An absolute http(s) URL, or undefined. */
export function cleanUrl(value: Json): string | undefined {
  const text = cleanText(value, MAX_URL);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A publication date as the sidecar keeps it: `YYYY-MM-DD`, or a date-time with its offset
 * (`2024-03-05T09:30:00Z`, `…+01:00`). A date-time without an offset keeps only its date (its hour
 * is in an unknown zone); anything else is dropped.
 */
export function cleanDate(value: Json): string | undefined {
  const text = cleanText(value, 64);
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const [, date, time, zone] = m;
  if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return undefined;
  if (!time || !zone) return date;
  const seconds = time.length === 5 ? `${time}:00` : time;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${date}T${seconds}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function hasArticleType(node: Json): boolean {
  const type = field(node, '@type');
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && ARTICLE_TYPES.has(t));
}

/** The first article object in a parsed JSON-LD value (arrays and `@graph` searched, depth-limited). */
function findArticle(node: Json, depth = 0): Json {
  if (depth > MAX_JSONLD_DEPTH || !node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node.slice(0, 100)) {
      const found = findArticle(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (hasArticleType(node)) return node;
  return findArticle(field(node, '@graph'), depth + 1);
}

/** A name from JSON-LD's `author`/`publisher`: a string, a `{ name }`, or a list of either. */
function names(value: Json): string | undefined {
  const list = (Array.isArray(value) ? value.slice(0, 20) : [value]).map((v) => cleanText(typeof v === 'string' ? v : field(v, 'name'))).filter((v): v is string => !!v);
  return cleanText([...new Set(list)].join(', '));
}

function jsonLdArticle(doc: PageDocument): Json {
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    let parsed: Json;
    try {
      parsed = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // a broken block is the page's problem; the other tags may still say enough
    }
    const found = findArticle(parsed);
    if (found) return found;
  }
  return undefined;
}

function meta(doc: PageDocument, key: string): string | undefined {
  for (const el of Array.from(doc.querySelectorAll('meta'))) {
    const name = (el.getAttribute('property') ?? el.getAttribute('name') ?? '').trim().toLowerCase();
    if (name === key) {
      const content = cleanText(el.getAttribute('content'));
      if (content) return content;
    }
  }
  return undefined;
}

function attribute(el: PageElement | null, name: string): string | null {
  return el ? el.getAttribute(name) : null;
}

/** What a page says about itself (before extraction changes the document). */
export interface PageMetadata {
  source: ArticleSource;
  /** The headline JSON-LD or `og:title` gives, if any (the extractor may prefer the page's `<h1>`). */
  headline?: string;
}

export function readMetadata(doc: PageDocument): PageMetadata {
  const ld = jsonLdArticle(doc);
  const source: ArticleSource = {};
  const url =
    cleanUrl(attribute(doc.querySelector('link[rel="canonical"]'), 'href')) ??
    cleanUrl(meta(doc, 'og:url')) ??
    cleanUrl(field(ld, 'url')) ??
    cleanUrl(field(field(ld, 'mainEntityOfPage'), '@id')) ??
    cleanUrl(field(ld, 'mainEntityOfPage'));
  if (url) source.url = url;
  const outlet = meta(doc, 'og:site_name') ?? names(field(ld, 'publisher')) ?? meta(doc, 'application-name');
  if (outlet) source.outlet = outlet;
  const headline = cleanText(field(ld, 'headline')) ?? meta(doc, 'og:title') ?? meta(doc, 'twitter:title');
  const published =
    cleanDate(field(ld, 'datePublished')) ??
    cleanDate(meta(doc, 'article:published_time')) ??
    cleanDate(meta(doc, 'date')) ??
    cleanDate(attribute(doc.querySelector('time[datetime]'), 'datetime'));
  if (published) source.published = published;
  const byline = names(field(ld, 'author')) ?? meta(doc, 'author') ?? meta(doc, 'article:author');
  if (byline && !/^https?:/i.test(byline)) source.byline = byline;
  return headline ? { source, headline } : { source };
}
