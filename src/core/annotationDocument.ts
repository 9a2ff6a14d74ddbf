/**
 * The annotations of one open article, in editor coordinates (UTF-16 offsets into the current
 * text), with an undo history of annotation operations. Pure: the VS Code layer feeds it edits and
 * renders what it holds; the unit tests feed it strings.
 *
 * Offsets are converted to and from the sidecar's code points only at the boundary
 * (`fromSidecar` / `toSidecar`), so typing never pays for the conversion.
 */
import { makeAnnotation, newAnnotationId, nowIso, quoteAt } from './annotations';
import { OffsetMap } from './offsets';
import { Annotation, ArticleStatus, Rejection, SCHEMA_VERSION, Sidecar } from './schema';
import { compareAnnotations } from './sidecar';
import { reanchorAnnotations, ReanchorReport } from './reanchor';

/** One text change as VS Code reports it: UTF-16 offsets into the text before the change. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** Reads the live text between two UTF-16 offsets (the editor gives ranges cheaply). */
export type TextReader = (start: number, end: number) => string;

export interface EditOutcome {
  /** Spans whose whole text was deleted. */
  removed: Span[];
  /** Spans brought back because their deleted text was re-inserted (undo). */
  restored: Span[];
  /** Set when the change replaced the whole document and spans were re-anchored by quote. */
  reanchored?: ReanchorReport;
}

/** An annotation while its article is open: `start`/`end` are UTF-16 offsets into the live text. */
export interface Span {
  id: string;
  label: string;
  start: number;
  end: number;
  /** Everything else the sidecar records (note, author, source, attributes, times …). */
  meta: Omit<Annotation, 'id' | 'label' | 'start' | 'end' | 'text' | 'prefix' | 'suffix'>;
  /** The quote and context as last known; refreshed when written. */
  text: string;
  prefix?: string;
  suffix?: string;
  orphaned?: boolean;
}

export interface NewSpan {
  start: number;
  end: number;
  label: string;
  source?: Annotation['source'];
  note?: string;
  attributes?: Record<string, string>;
  /** Keep an existing author (e.g. accepting another annotator's span). */
  author?: string;
}

/** What an operation changed, so views redraw only that. */
export interface ChangeEvent {
  /** Labels whose spans changed (for decorations: one setDecorations per changed label). */
  labels: Set<string>;
  /** Whether the change came from undo/redo. */
  fromHistory?: boolean;
}

type Listener = (e: ChangeEvent) => void;

/** One undoable step: the spans before and after, by id (undefined = absent). */
interface Step {
  before: Map<string, Span | undefined>;
  after: Map<string, Span | undefined>;
  rejectedBefore?: Rejection[];
  rejectedAfter?: Rejection[];
}

const HISTORY_LIMIT = 200;
const STASH_LIMIT = 100;

function byPosition(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : 1);
}

export class AnnotationDocument {
  private spans = new Map<string, Span>();
  /** Sorted view of `spans`, rebuilt lazily after a change. */
  private sorted: Span[] | undefined;
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];
  private listeners = new Set<Listener>();
  rejected: Rejection[] = [];
  status: ArticleStatus | undefined;
  /** True when annotations changed since they were last written or loaded. */
  dirty = false;

  constructor(
    readonly fileName: string,
    private author?: string,
  ) {}

  setAuthor(author: string | undefined): void {
    this.author = author || undefined;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(labels: Iterable<string>, fromHistory = false): void {
    this.sorted = undefined;
    this.emit(labels, fromHistory);
  }

  private emit(labels: Iterable<string>, fromHistory = false): void {
    const e: ChangeEvent = { labels: new Set(labels), fromHistory };
    for (const l of this.listeners) l(e);
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  get size(): number {
    return this.spans.size;
  }

  get(id: string): Span | undefined {
    return this.spans.get(id);
  }

  /** All spans in reading order. */
  all(): readonly Span[] {
    return (this.sorted ??= [...this.spans.values()].sort(byPosition));
  }

  /** Spans (not orphaned) that intersect [from, to), or touch `from` when the range is empty. */
  inRange(from: number, to: number): Span[] {
    const all = this.all();
    // binary search for the first span that could end after `from`: spans are sorted by start,
    // so scan from the first whose start < to, stopping once start >= to.
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid].start < to || (from === to && all[mid].start <= to)) lo = mid + 1;
      else hi = mid;
    }
    const out: Span[] = [];
    for (let i = lo - 1; i >= 0; i--) {
      const s = all[i];
      if (s.orphaned) continue;
      if (from === to ? s.start <= from && from <= s.end : s.end > from) out.push(s);
      // spans are not sorted by end, so a long span may start far before `from`: keep scanning,
      // but stop early when no span this far back can reach (bounded by the longest span).
      if (s.start + this.longest() < from) break;
    }
    return out.reverse();
  }

  private longestCache: number | undefined;
  private longest(): number {
    if (this.longestCache === undefined) {
      let max = 0;
      for (const s of this.spans.values()) max = Math.max(max, s.end - s.start);
      this.longestCache = max;
    }
    return this.longestCache;
  }

  /** Spans under an offset (the cursor), innermost first. */
  at(offset: number): Span[] {
    return this.inRange(offset, offset).sort((a, b) => a.end - a.start - (b.end - b.start));
  }

  labelsInUse(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.spans.values()) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
    return counts;
  }

  orphans(): Span[] {
    return this.all().filter((s) => s.orphaned);
  }

  // ------------------------------------------------------------------------------------------
  // Operations (each one undo step)

  private commit(step: Step, fromHistory = false): void {
    const labels = new Set<string>();
    for (const [id, span] of step.after) {
      const old = this.spans.get(id);
      if (old) labels.add(old.label);
      if (span) {
        this.spans.set(id, span);
        labels.add(span.label);
      } else this.spans.delete(id);
    }
    if (step.rejectedAfter) this.rejected = step.rejectedAfter;
    this.longestCache = undefined;
    this.dirty = true;
    this.fire(labels, fromHistory);
  }

  private record(before: Map<string, Span | undefined>, after: Map<string, Span | undefined>, rejected?: { before: Rejection[]; after: Rejection[] }): void {
    if (after.size === 0 && !rejected) return;
    const step: Step = { before, after, rejectedBefore: rejected?.before, rejectedAfter: rejected?.after };
    this.undoStack.push(step);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
    this.commit(step);
  }

  /** A new span with its quote, source, time, and author (the given one, else this annotator). */
  private newSpan(read: TextReader, n: NewSpan): Span {
    const author = n.author ?? this.author;
    return {
      id: newAnnotationId(),
      label: n.label,
      start: n.start,
      end: n.end,
      text: read(n.start, n.end),
      meta: {
        source: n.source ?? 'manual',
        created: nowIso(),
        ...(n.note ? { note: n.note } : {}),
        ...(n.attributes && Object.keys(n.attributes).length ? { attributes: { ...n.attributes } } : {}),
        ...(author ? { author } : {}),
      },
    };
  }

  /**
   * Adds spans (one undo step). A span identical to an existing one (same start, end and label)
   * is skipped. Returns the spans added. `read` gives the live text (for the quote).
   */
  add(read: TextReader, spans: readonly NewSpan[], rejectedToDrop: readonly Rejection[] = []): Span[] {
    const added: Span[] = [];
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    const existing = new Set(this.all().map((s) => `${s.start}:${s.end}:${s.label}`));
    for (const n of spans) {
      if (n.start >= n.end) continue;
      const key = `${n.start}:${n.end}:${n.label}`;
      if (existing.has(key)) continue;
      existing.add(key);
      const span = this.newSpan(read, n);
      before.set(span.id, undefined);
      after.set(span.id, span);
      added.push(span);
    }
    const dropKeys = new Set(rejectedToDrop.map((r) => `${r.start}:${r.end}:${r.label}`));
    const rejected = dropKeys.size ? { before: this.rejected, after: this.rejected.filter((r) => !dropKeys.has(`${r.start}:${r.end}:${r.label}`)) } : undefined;
    this.record(before, after, rejected);
    return added;
  }

  /**
   * Removes some spans and adds others as ONE undo step (adjudication: "accept theirs" replaces
   * mine). Returns the spans added.
   */
  replace(read: TextReader, removeIds: readonly string[], spans: readonly NewSpan[]): Span[] {
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    for (const id of removeIds) {
      const s = this.spans.get(id);
      if (!s) continue;
      before.set(id, s);
      after.set(id, undefined);
    }
    const added: Span[] = spans
      .filter((n) => n.start < n.end)
      .map((n) => this.newSpan(read, n));
    for (const span of added) {
      before.set(span.id, undefined);
      after.set(span.id, span);
    }
    this.record(before, after);
    return added;
  }

  remove(ids: readonly string[]): Span[] {
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    const removed: Span[] = [];
    for (const id of ids) {
      const s = this.spans.get(id);
      if (!s || after.has(id)) continue;
      before.set(id, s);
      after.set(id, undefined);
      removed.push(s);
    }
    this.record(before, after);
    return removed;
  }

  private update(id: string, change: (s: Span) => Span): Span | undefined {
    const s = this.spans.get(id);
    if (!s) return undefined;
    const next = change(s);
    next.meta = { ...next.meta, modified: nowIso() };
    this.record(new Map([[id, s]]), new Map([[id, next]]));
    return next;
  }

  /**
   * Changes the label. `type` is the entity type for the new label (see normalise.ts): it replaces
   * the old `type` attribute, which named an entry of the old label's category.
   */
  relabel(id: string, label: string, type?: string): Span | undefined {
    const s = this.spans.get(id);
    if (!s || s.label === label) return s;
    return this.update(id, (old) => {
      const attributes = { ...(old.meta.attributes ?? {}) };
      if (type) attributes.type = type;
      else delete attributes.type;
      const meta: Span['meta'] = { ...old.meta, attributes };
      if (!Object.keys(attributes).length) delete meta.attributes;
      return { ...old, label, meta };
    });
  }

  setNote(id: string, note: string | undefined): Span | undefined {
    const s = this.spans.get(id);
    if (!s || (s.meta.note ?? '') === (note ?? '')) return s;
    return this.update(id, (old) => {
      const meta = { ...old.meta };
      if (note) meta.note = note;
      else delete meta.note;
      return { ...old, meta };
    });
  }

  setAttribute(id: string, key: string, value: string | undefined): Span | undefined {
    return this.update(id, (old) => {
      const attributes = { ...(old.meta.attributes ?? {}) };
      if (value === undefined) delete attributes[key];
      else attributes[key] = value;
      const meta: Span['meta'] = { ...old.meta, attributes };
      if (!Object.keys(attributes).length) delete meta.attributes;
      return { ...old, meta };
    });
  }

  /** Remembers a rejected suggestion (one undo step), so it is not offered again. */
  reject(rejection: Rejection): void {
    if (this.rejected.some((r) => r.start === rejection.start && r.end === rejection.end && r.label === rejection.label)) return;
    this.record(new Map(), new Map(), { before: this.rejected, after: [...this.rejected, rejection] });
  }

  setStatus(status: ArticleStatus | undefined): void {
    this.status = status;
    this.dirty = true;
    this.fire([]);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Undoes the last annotation operation. Returns false when there is none. */
  undo(): boolean {
    const step = this.undoStack.pop();
    if (!step) return false;
    this.redoStack.push(step);
    this.commit({ before: step.after, after: step.before, rejectedAfter: step.rejectedBefore }, true);
    return true;
  }

  redo(): boolean {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.undoStack.push(step);
    this.commit(step, true);
    return true;
  }

  /** Forgets the history (after a reload from disk, old steps no longer apply). */
  clearHistory(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  // ------------------------------------------------------------------------------------------
  // Text edits

  /**
   * Replaces every span's offsets at once (after edits were applied by the span index or after
   * re-anchoring). Not an undo step: it follows the text, and text undo brings it back.
   */
  replaceAll(spans: readonly Span[], changedLabels?: Iterable<string>): void {
    const labels = new Set<string>(changedLabels ?? [...this.spans.values()].map((s) => s.label));
    for (const s of spans) labels.add(s.label);
    this.spans = new Map(spans.map((s) => [s.id, s]));
    this.longestCache = undefined;
    // offsets into an edited text make the old steps' offsets stale
    this.clearHistory();
    this.dirty = true;
    this.fire(labels);
  }

  /**
   * Follows one batch of text changes (one VS Code change event, applied in order). Spans before
   * an edit shift, spans containing it resize, spans whose whole text was deleted are removed and
   * returned (kept in a stash so an undo that re-inserts their text restores them). A change that
   * replaces (nearly) the whole document — a formatter — re-anchors every span by quote instead.
   */
  applyTextChanges(changes: readonly TextChange[], read: TextReader, newLength: number): EditOutcome {
    // after any text edit, Undo belongs to the editor again: annotation steps no longer apply
    this.clearHistory();
    if (!this.spans.size && !this.stash.length) {
      this.shiftRejected(changes);
      return { removed: [], restored: [] };
    }
    const oldLength = newLength - changes.reduce((d, c) => d + c.text.length - c.rangeLength, 0);
    const wholeDocument = changes.some((c) => c.rangeLength > 0 && c.rangeLength >= oldLength * 0.9 && oldLength > 0);
    if (wholeDocument) {
      const map = new OffsetMap(read(0, newLength));
      const report = reanchorAnnotations([...this.spans.values()].map((sp) => toAnnotationQuoted(sp)), map);
      this.replaceAll(report.annotations.map((a) => fromAnnotation(a, map)));
      return { removed: [], restored: [], reanchored: report };
    }
    const labels = new Set<string>();
    const removed: Span[] = [];
    const restored: Span[] = [];
    const resized = new Set<Span>();
    // One pass per change over the spans in reading order, shifting in place: no copies, and the
    // order (hence the sorted cache) survives, since an edit never reorders the spans it moves.
    let spans = this.all() as Span[];
    for (const c of changes) {
      const cEnd = c.rangeOffset + c.rangeLength;
      const delta = c.text.length - c.rangeLength;
      const next: Span[] = [];
      // only spans removed by earlier changes can be brought back by this one
      const stashed = this.stash.length;
      for (const sp of spans) {
        if (sp.orphaned || cEnd <= sp.start) {
          // after the edit (an insertion exactly at a span's start goes before it)
          if (!sp.orphaned && delta) {
            sp.start += delta;
            sp.end += delta;
            labels.add(sp.label);
          }
          next.push(sp);
        } else if (c.rangeOffset >= sp.end) {
          next.push(sp); // before the edit (an insertion exactly at a span's end goes after it)
        } else if (c.rangeOffset <= sp.start && cEnd >= sp.end) {
          removed.push(sp); // its whole text was replaced
          this.stash.push({ span: { ...sp }, offset: c.rangeOffset, deleted: c.rangeLength, inserted: c.text.length });
          labels.add(sp.label);
        } else {
          // overlaps: keep the surviving text, and inserted text strictly inside
          const start = c.rangeOffset < sp.start ? c.rangeOffset + c.text.length : sp.start;
          const end = cEnd > sp.end ? c.rangeOffset : sp.end + delta;
          labels.add(sp.label);
          if (start < end) {
            sp.start = start;
            sp.end = end;
            resized.add(sp);
            next.push(sp);
          } else removed.push(sp);
        }
      }
      spans = next;
      // Undo of a deletion: the same place gets back exactly as much text as was deleted, and the
      // span's quote is where it was: bring the span back.
      for (let i = stashed - 1; i >= 0; i--) {
        const st = this.stash[i];
        if (st.offset !== c.rangeOffset || st.inserted !== c.rangeLength || st.deleted !== c.text.length) continue;
        const rel = st.span.start - st.offset;
        if (c.text.slice(rel, rel + st.span.end - st.span.start) !== st.span.text) continue;
        const back: Span = { ...st.span };
        this.stash.splice(i, 1);
        restored.push(back);
        labels.add(back.label);
        spans.push(back);
      }
    }
    if (this.stash.length > STASH_LIMIT) this.stash.splice(0, this.stash.length - STASH_LIMIT);
    this.shiftRejected(changes);
    if (!labels.size) return { removed: [], restored: [] };
    for (const sp of resized) sp.text = read(sp.start, sp.end);
    for (const sp of removed) this.spans.delete(sp.id);
    for (const sp of restored) this.spans.set(sp.id, sp);
    this.longestCache = undefined;
    this.sorted = restored.length ? undefined : spans;
    this.dirty = true;
    this.emit(labels);
    return { removed, restored };
  }

  /** Spans removed by deleting their text, kept so that undoing the deletion restores them. */
  private stash: Array<{ span: Span; offset: number; deleted: number; inserted: number }> = [];

  /** Rejected suggestions follow the text too (dropped when their text is deleted). */
  private shiftRejected(changes: readonly TextChange[]): void {
    if (!this.rejected.length) return;
    for (const c of changes) {
      const cEnd = c.rangeOffset + c.rangeLength;
      const delta = c.text.length - c.rangeLength;
      this.rejected = this.rejected.flatMap((r) => (cEnd <= r.start ? [{ ...r, start: r.start + delta, end: r.end + delta }] : c.rangeOffset >= r.end ? [r] : []));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Sidecar boundary

  /** Loads spans from a sidecar (code points) for the given live text. Not an undo step. */
  load(sidecar: Sidecar | undefined, text: string): void {
    const map = new OffsetMap(text);
    const spans = (sidecar?.annotations ?? []).map((a) => fromAnnotation(a, map));
    const labels = new Set([...this.spans.values()].map((s) => s.label));
    this.spans = new Map(spans.map((s) => [s.id, s]));
    this.rejected = (sidecar?.rejected ?? []).map((r) => ({ ...r, start: map.toUtf16(r.start), end: map.toUtf16(r.end) }));
    this.status = sidecar?.status;
    this.longestCache = undefined;
    this.clearHistory();
    this.dirty = false;
    for (const s of spans) labels.add(s.label);
    this.fire(labels);
  }

  /** The sidecar for the live text; `sha256` is of the bytes that text is saved as. */
  toSidecar(text: string, sha256: string, schemaRef?: string): Sidecar {
    const map = new OffsetMap(text);
    const annotations = [...this.spans.values()].map((s) => toAnnotation(s, map)).sort(compareAnnotations);
    const sidecar: Sidecar = {
      ...(schemaRef ? { $schema: schemaRef } : {}),
      version: SCHEMA_VERSION,
      article: { file: this.fileName, sha256, length: map.length },
      annotations,
    };
    if (this.status) sidecar.status = this.status;
    if (this.rejected.length) {
      sidecar.rejected = this.rejected.map((r) => ({ ...r, start: map.toCodePoint(r.start), end: map.toCodePoint(r.end) }));
    }
    return sidecar;
  }
}

export function fromAnnotation(a: Annotation, map: OffsetMap): Span {
  const { id, label, start, end, text, prefix, suffix, orphaned, ...meta } = a;
  const span: Span = { id, label, start: map.toUtf16(start), end: map.toUtf16(end), text, prefix, suffix, meta };
  if (orphaned) span.orphaned = true;
  return span;
}

/** An annotation carrying the span's last known quote (for re-anchoring against a new text). */
function toAnnotationQuoted(s: Span): Annotation {
  const a = { id: s.id, label: s.label, start: 0, end: 0, text: s.text, prefix: s.prefix, suffix: s.suffix, ...s.meta } as Annotation;
  if (a.prefix === undefined) delete a.prefix;
  if (a.suffix === undefined) delete a.suffix;
  return a;
}

export function toAnnotation(s: Span, map: OffsetMap): Annotation {
  const start = map.toCodePoint(s.start);
  const end = map.toCodePoint(s.end);
  const quote = s.orphaned ? { text: s.text, prefix: s.prefix, suffix: s.suffix } : quoteAt(map, start, end);
  const a: Annotation = { id: s.id, label: s.label, start, end, ...quote, ...s.meta } as Annotation;
  if (quote.prefix === undefined) delete a.prefix;
  if (quote.suffix === undefined) delete a.suffix;
  if (s.orphaned) a.orphaned = true;
  return a;
}

/** Re-export for callers that build annotations directly. */
export { makeAnnotation };
