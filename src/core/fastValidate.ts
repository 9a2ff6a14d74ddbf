/**
 * A fast path for validating a sidecar: plain checks over the parsed JSON that accept only what
 * the zod schema (schema.ts, the single source of truth) accepts, written out by hand so that a
 * sidecar of 50,000 annotations validates in milliseconds when an article opens.
 *
 * It never decides a failure and never drops anything: any input it does not fully recognise (a
 * key it does not know, such as `conflicts` or a field a later schema adds, a type it does not
 * expect, a date it is not sure of) returns undefined, and the caller validates with zod, which
 * accepts it or explains what is wrong. So the fast path can only be narrower than the schema;
 * test/unit/fastValidate.test.ts checks that it agrees with zod on what it accepts.
 */
import { ANNOTATION_ID_PATTERN, FORBIDDEN_KEYS, LABEL_PATTERN, SCHEMA_VERSION, Sidecar } from './schema';
import { LONE_SURROGATE } from './surrogates';

const TOP_KEYS = new Set(['$schema', 'version', 'article', 'status', 'annotations', 'rejected', 'relations', 'document', 'source', 'duplicateOf']);
const SOURCE_KEYS = new Set(['url', 'outlet', 'title', 'published', 'retrieved', 'byline']);
const RELATION_KEYS = new Set(['id', 'label', 'from', 'to', 'note', 'author', 'created', 'modified']);
const ARTICLE_KEYS = new Set(['file', 'sha256', 'length']);
const ANNOTATION_KEYS = new Set(['id', 'label', 'start', 'end', 'text', 'prefix', 'suffix', 'source', 'note', 'attributes', 'author', 'created', 'modified', 'orphaned']);
const REJECTION_KEYS = new Set(['start', 'end', 'label', 'text']);
const STATUSES = new Set(['not_started', 'in_progress', 'done']);
const SHA256 = /^[0-9a-f]{64}$/;

// zod's ISO datetime with an offset (z.iso.datetime({ offset: true })): the same calendar-aware
// date, seconds required, any fraction, Z or ±hh:mm
const DATE = String.raw`(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))`;
const ISO_DATE = new RegExp(String.raw`^${DATE}$`);
const ISO_DATETIME = new RegExp(String.raw`^${DATE}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$`);

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Every own key is one of `allowed` (an own `__proto__` from JSON.parse is not). */
function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(o)) if (!allowed.has(k)) return false;
  return true;
}

function isOffset(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Free text as the schema takes it: a string without a lone surrogate. */
function isText(v: unknown): v is string {
  return typeof v === 'string' && !LONE_SURROGATE.test(v);
}

function optionalString(v: unknown): boolean {
  return v === undefined || isText(v);
}

function isAnnotation(a: unknown): boolean {
  if (!isPlainObject(a) || !onlyKeys(a, ANNOTATION_KEYS)) return false;
  if (typeof a.id !== 'string' || !ANNOTATION_ID_PATTERN.test(a.id)) return false;
  if (typeof a.label !== 'string' || !LABEL_PATTERN.test(a.label)) return false;
  if (!isOffset(a.start) || !isOffset(a.end) || !isText(a.text)) return false;
  if (a.source !== 'manual' && a.source !== 'suggestion') return false;
  if (typeof a.created !== 'string' || !ISO_DATETIME.test(a.created)) return false;
  if (a.modified !== undefined && (typeof a.modified !== 'string' || !ISO_DATETIME.test(a.modified))) return false;
  if (!optionalString(a.prefix) || !optionalString(a.suffix) || !optionalString(a.note) || !optionalString(a.author)) return false;
  if (a.orphaned !== undefined && a.orphaned !== true) return false;
  if (a.attributes !== undefined) {
    const attrs = a.attributes;
    if (!isPlainObject(attrs)) return false;
    for (const k of Object.keys(attrs)) if (FORBIDDEN_KEYS.has(k) || !isText(k) || !isText(attrs[k])) return false;
  }
  return true;
}

function isRejection(r: unknown): boolean {
  return isPlainObject(r) && onlyKeys(r, REJECTION_KEYS) && isOffset(r.start) && isOffset(r.end) && typeof r.label === 'string' && LABEL_PATTERN.test(r.label) && isText(r.text);
}

function isRelation(r: unknown): boolean {
  if (!isPlainObject(r) || !onlyKeys(r, RELATION_KEYS)) return false;
  for (const k of ['id', 'from', 'to'] as const) if (typeof r[k] !== 'string' || !ANNOTATION_ID_PATTERN.test(r[k] as string)) return false;
  if (typeof r.label !== 'string' || !LABEL_PATTERN.test(r.label)) return false;
  if (typeof r.created !== 'string' || !ISO_DATETIME.test(r.created)) return false;
  if (r.modified !== undefined && (typeof r.modified !== 'string' || !ISO_DATETIME.test(r.modified))) return false;
  return optionalString(r.note) && optionalString(r.author);
}

/** The coding form: names that reach no prototype, values of the five kinds (schema.ts `fieldValueSchema`). */
function isForm(d: unknown): boolean {
  if (!isPlainObject(d)) return false;
  for (const k of Object.keys(d)) {
    if (!k || FORBIDDEN_KEYS.has(k) || !isText(k)) return false;
    const v = d[k];
    const ok =
      v === null ||
      isText(v) ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      (Array.isArray(v) && v.every(isText));
    if (!ok) return false;
  }
  return true;
}

/** One line of provenance (schema.ts `sourceText`): 1 to 2048 characters, no line break. */
function isSourceText(v: unknown): boolean {
  return isText(v) && v.length >= 1 && v.length <= 2048 && !/[\r\n]/.test(v);
}

/** One field of `source` as the schema takes it: dates by their patterns, the rest one line of text. */
export function isSourceField(key: string, value: unknown): boolean {
  if (key === 'published') return typeof value === 'string' && (ISO_DATE.test(value) || ISO_DATETIME.test(value));
  if (key === 'retrieved') return typeof value === 'string' && ISO_DATETIME.test(value);
  return SOURCE_KEYS.has(key) && isSourceText(value);
}

/** The article's `source`: its six optional fields. */
function isSource(s: unknown): boolean {
  if (!isPlainObject(s) || !onlyKeys(s, SOURCE_KEYS)) return false;
  for (const k of Object.keys(s)) if (!isSourceField(k, s[k])) return false;
  return true;
}

/**
 * The sidecar when `raw` (parsed JSON) is certainly valid by the schema, else undefined: then
 * validate with zod. The value returned is `raw` itself, typed (a fresh JSON.parse result).
 */
export function fastSidecar(raw: unknown): Sidecar | undefined {
  if (!isPlainObject(raw) || !onlyKeys(raw, TOP_KEYS)) return undefined;
  if (raw.version !== SCHEMA_VERSION || !optionalString(raw.$schema)) return undefined;
  const article = raw.article;
  if (!isPlainObject(article) || !onlyKeys(article, ARTICLE_KEYS)) return undefined;
  if (!isText(article.file) || !article.file.length || typeof article.sha256 !== 'string' || !SHA256.test(article.sha256) || !isOffset(article.length)) return undefined;
  if (raw.status !== undefined && !(typeof raw.status === 'string' && STATUSES.has(raw.status))) return undefined;
  const annotations = raw.annotations;
  if (!Array.isArray(annotations)) return undefined;
  for (const a of annotations) if (!isAnnotation(a)) return undefined;
  if (raw.rejected !== undefined) {
    if (!Array.isArray(raw.rejected)) return undefined;
    for (const r of raw.rejected) if (!isRejection(r)) return undefined;
  }
  if (raw.relations !== undefined) {
    if (!Array.isArray(raw.relations)) return undefined;
    for (const r of raw.relations) if (!isRelation(r)) return undefined;
  }
  if (raw.document !== undefined && !isForm(raw.document)) return undefined;
  if (raw.source !== undefined && !isSource(raw.source)) return undefined;
  if (raw.duplicateOf !== undefined && !(isText(raw.duplicateOf) && raw.duplicateOf.length >= 1)) return undefined;
  return raw as unknown as Sidecar;
}
