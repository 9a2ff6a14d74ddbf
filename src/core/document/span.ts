/**
 * A span as the open article holds it (UTF-16 offsets into the live text), the record the span
 * index keeps for it, and the conversions to and from the sidecar's annotations (code points).
 */
import { quoteAt } from '../annotations';
import { OffsetMap } from '../offsets';
import { reanchorAnnotations as reanchorByContext, ReanchorOptions, ReanchorReport } from '../reanchor';
import { Annotation } from '../schema';
import { ContentChange } from '../spanIndex';

/** One text change as VS Code reports it: UTF-16 offsets into the text before the change. */
export type TextChange = ContentChange;

/** Reads the live text between two UTF-16 offsets (the editor gives ranges cheaply). */
export type TextReader = (start: number, end: number) => string;

export type Meta = Omit<Annotation, 'id' | 'label' | 'start' | 'end' | 'text' | 'prefix' | 'suffix' | 'orphaned'>;

/** An annotation while its article is open: `start`/`end` are UTF-16 offsets into the live text. */
export interface Span {
  readonly id: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  /** Everything else the sidecar records (note, author, source, attributes, times …). */
  readonly meta: Meta;
  /** The quote: the live text for a placed span, the last known one for an orphan. */
  readonly text: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly orphaned?: boolean;
}

/**
 * The payload the span index holds for a placed span: one mutable record per id, so the index's
 * undo stash and the document always see the same label and metadata. Offsets live in the index only.
 */
export interface Rec {
  id: string;
  label: string;
  meta: Meta;
  /** The live quote (refreshed whenever an edit touches the span). */
  text: string;
  /** Context as last loaded or written (code points), for re-anchoring. */
  prefix?: string;
  suffix?: string;
}

/** A record with its offsets, as the span index takes them. */
export interface Placed {
  value: Rec;
  start: number;
  end: number;
}

export function spanOf(rec: Rec, start: number, end: number): Span {
  const s: { -readonly [K in keyof Span]: Span[K] } = { id: rec.id, label: rec.label, start, end, meta: rec.meta, text: rec.text };
  if (rec.prefix !== undefined) s.prefix = rec.prefix;
  if (rec.suffix !== undefined) s.suffix = rec.suffix;
  return s;
}

export function recOf(s: Span): Rec {
  return { id: s.id, label: s.label, meta: s.meta, text: s.text, prefix: s.prefix, suffix: s.suffix };
}

export function byPosition(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : 1);
}

export function fromAnnotation(a: Annotation, map: OffsetMap): Span {
  const { id, label, start, end, text, prefix, suffix, orphaned, ...meta } = a;
  const span: { -readonly [K in keyof Span]: Span[K] } = { id, label, start: map.toUtf16(start), end: map.toUtf16(end), text, meta };
  if (prefix !== undefined) span.prefix = prefix;
  if (suffix !== undefined) span.suffix = suffix;
  if (orphaned) span.orphaned = true;
  return span;
}

export function toAnnotation(s: Span, map: OffsetMap): Annotation {
  if (s.orphaned) {
    const start = Math.min(map.toCodePoint(Math.min(s.start, map.text.length)), map.length);
    const end = Math.max(start, Math.min(map.toCodePoint(Math.min(s.end, map.text.length)), map.length));
    const a: Annotation = { id: s.id, label: s.label, start, end, text: s.text, ...s.meta, orphaned: true } as Annotation;
    if (s.prefix !== undefined) a.prefix = s.prefix;
    if (s.suffix !== undefined) a.suffix = s.suffix;
    return a;
  }
  const start = map.toCodePoint(s.start);
  const end = map.toCodePoint(s.end);
  const quote = quoteAt(map, start, end);
  const a: Annotation = { id: s.id, label: s.label, start, end, ...quote, ...s.meta } as Annotation;
  if (quote.prefix === undefined) delete a.prefix;
  if (quote.suffix === undefined) delete a.suffix;
  return a;
}

/** An annotation carrying the span's last known quote (for re-anchoring against a new text). */
export function quotedAnnotation(s: Span): Annotation {
  const a = { id: s.id, label: s.label, start: s.start, end: s.end, text: s.text, ...s.meta } as Annotation;
  if (s.prefix !== undefined) a.prefix = s.prefix;
  if (s.suffix !== undefined) a.suffix = s.suffix;
  if (s.orphaned) a.orphaned = true;
  return a;
}

/**
 * Re-anchoring as the editor does it: by quote and context (reanchor.ts), and then an orphan whose
 * quote occurs exactly once in the text is placed there: a unique occurrence is unambiguous.
 */
export function reanchorAnnotations(annotations: readonly Annotation[], map: OffsetMap, options: ReanchorOptions = {}): ReanchorReport {
  const report = reanchorByContext(annotations, map, options);
  if (!report.orphaned.length) return report;
  const text = map.text;
  const taken = new Set(report.annotations.filter((a) => !a.orphaned).map((a) => `${a.start}:${a.end}:${a.label}`));
  const orphaned: Annotation[] = [];
  const annotationsOut = report.annotations.map((a) => {
    if (!a.orphaned || !a.text) return a;
    const at = text.indexOf(a.text);
    if (at < 0 || text.indexOf(a.text, at + 1) >= 0) return a;
    const start = map.toCodePoint(at);
    const end = map.toCodePoint(at + a.text.length);
    const key = `${start}:${end}:${a.label}`;
    if (taken.has(key)) return a;
    taken.add(key);
    const placed: Annotation = { ...a, start, end, ...quoteAt(map, start, end) };
    delete placed.orphaned;
    return placed;
  });
  for (const a of annotationsOut) if (a.orphaned) orphaned.push(a);
  const found = report.orphaned.length - orphaned.length;
  return { ...report, annotations: annotationsOut, orphaned, moved: report.moved + found };
}
