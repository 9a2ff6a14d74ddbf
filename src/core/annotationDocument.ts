/**
 * The annotations of one open article, in editor coordinates (UTF-16 offsets into the current
 * text), with an undo history of annotation operations. Pure: the VS Code layer feeds it edits and
 * renders what it holds; the unit tests feed it strings.
 *
 * Who owns what:
 * - `SpanIndex` owns the offsets of every placed span, the one edit rule (written down at the top of
 *   spanIndex.ts) and the recognition of text undo/redo of single events.
 * - This class owns ids, labels and metadata, the annotation undo history (tag, remove, relabel …),
 *   orphans (spans whose quote could not be found again), and the two recoveries the index cannot
 *   do alone, described below.
 *
 * Recovering spans (never losing one):
 * 1. **Undo and redo** (as VS Code marks them): the index gives every span back exactly, including
 *    an undo that VS Code merged from a run of Backspace or Delete presses.
 * 2. **Whole-document replacements** (a formatter, select-all + paste): nothing is shifted; every
 *    span is re-anchored by quote and context. The state before such a replacement is remembered,
 *    so its undo (the inverse replacement) brings each span back exactly where it was (not one the
 *    user removed since, by an annotation operation).
 * 3. **The same words re-inserted**: a change that deletes a span's text and inserts text holding
 *    that exact quote (a formatter's minimal edit, pasting over a selection with the same words)
 *    keeps the span, on its words in the inserted text.
 * 4. **External changes** (VS Code reloading a file changed on disk) never delete: the spans they
 *    touch are re-anchored by quote and context, or kept orphaned.
 * 5. **Orphans are not final**: after a change that inserts text where an orphan's quote now
 *    occurs, and whenever the caller asks (`retryOrphans`: on idle, before saving), orphans are
 *    re-anchored by quote and context; one found unambiguously is placed again.
 * 6. **A re-attachment is provisional** until the user takes it up by an annotation operation
 *    naming it (relabel, note, link, remove …): it holds only while its words are untouched. An
 *    edit that reaches them — the undo of the typing or paste that brought them, a deletion or
 *    typing by hand — does not remove or reshape it but makes it the orphan it was again (its
 *    quote, context and metadata as before, its relations kept). The undo of that edit (or the
 *    redo of an undo) puts it back where it was; any change that brings its words back may
 *    re-attach it. Its quote may have matched only by chance.
 *
 * Offsets are converted to and from the sidecar's code points only at the boundary
 * (`load` / `toSidecar`), so typing never pays for the conversion.
 */
import { makeAnnotation, newAnnotationId, newRelationId, nowIso, quoteAt } from './annotations';
import { OffsetMap } from './offsets';
import { Annotation, ArticleStatus, Conflict, DocumentForm, FieldValue, fieldValueSchema, FORBIDDEN_KEYS, LABEL_PATTERN, Rejection, Relation, SCHEMA_VERSION, Sidecar } from './schema';
import { withoutLoneSurrogates } from './surrogates';
import { compareAnnotations, compareRelations } from './sidecar';
import { sameFieldValue } from './codebook';
import { reanchorAnnotations as reanchorByContext, ReanchorOptions, ReanchorReport } from './reanchor';
import { ChangeReason, ContentChange, SpanEntry, SpanIndex } from './spanIndex';
import { diffOfChange, diffTexts, followEdits, narrowToQuote } from './textDiff';

/** One text change as VS Code reports it: UTF-16 offsets into the text before the change. */
export type TextChange = ContentChange;

/** Reads the live text between two UTF-16 offsets (the editor gives ranges cheaply). */
export type TextReader = (start: number, end: number) => string;

/**
 * What an edit did to the spans it touched, kept so that the edit can be re-read as a change from
 * outside (see `repairAsExternal`): their records and their quotes before it.
 */
export interface EditTicket {
  readonly touched: ReadonlyArray<{ rec: unknown; quote: string; start: number; end: number; removed: boolean }>;
  readonly revision: number;
  /** The edit's one change and the touched spans' offsets before it (when the caller knew the text before). */
  readonly before?: { change: TextChange; spans: ReadonlyMap<string, readonly [number, number]> };
}

export interface TextChangeOptions {
  reason?: ChangeReason;
  /**
   * The text before this change, when the caller knows it (the file as saved, for a document that
   * was clean): a change from outside is then followed through a diff of the two texts.
   */
  previousText?: () => string | undefined;
}

export interface EditOutcome {
  /** Set when the edit touched spans (removed or changed them): see `repairAsExternal`. */
  ticket?: EditTicket;
  /** Spans whose whole text was deleted. */
  removed: Span[];
  /** Spans brought back because their deleted text was re-inserted (undo, paste back). */
  restored: Span[];
  /** Orphans placed again because their quote is found again. */
  reattached: Span[];
  /** Set when the change replaced the whole document and spans were re-anchored by quote. */
  reanchored?: ReanchorReport;
  /** Provisional re-attachments whose words the change reached: orphans again (see 6. above). */
  orphaned?: Span[];
}

type Meta = Omit<Annotation, 'id' | 'label' | 'start' | 'end' | 'text' | 'prefix' | 'suffix' | 'orphaned'>;

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
  /**
   * A text edit moved spans without changing them (VS Code moves drawn decorations itself; views
   * that show positions may refresh lazily).
   */
  shifted?: boolean;
  /** Relations were added, removed or changed. */
  relations?: boolean;
  /** The coding form changed. */
  form?: boolean;
}

/**
 * Whether a change only moved spans (typing outside them): nothing a reader of labels, quotes,
 * relations or the form needs to look at again. Views and learners skip such keystrokes.
 */
export function onlyMovedSpans(e: ChangeEvent): boolean {
  return !!e.shifted && e.labels.size === 0 && !e.relations && !e.form;
}

type Listener = (e: ChangeEvent) => void;

/**
 * The payload the span index holds for a placed span: one mutable record per id, so the index's
 * undo stash and this class always see the same label and metadata. Offsets live in the index only.
 */
interface Rec {
  id: string;
  label: string;
  meta: Meta;
  /** The live quote (refreshed whenever an edit touches the span). */
  text: string;
  /** Context as last loaded or written (code points), for re-anchoring. */
  prefix?: string;
  suffix?: string;
}

/** One undoable annotation step: the spans before and after, by id (undefined = absent). */
interface Step {
  before: Map<string, Span | undefined>;
  after: Map<string, Span | undefined>;
  rejectedBefore?: Rejection[];
  rejectedAfter?: Rejection[];
  /** Relations before and after, by id (undefined = absent). */
  relations?: { before: Map<string, Relation | undefined>; after: Map<string, Relation | undefined> };
  /** Form fields before and after, by name (undefined = absent). */
  fields?: { before: Map<string, FieldValue | undefined>; after: Map<string, FieldValue | undefined> };
  /** Recorded merge conflicts before and after (resolving a git merge conflict). */
  settled?: { before: Conflict[]; after: Conflict[] };
  /** The status before and after, when the step changed it (accepting their status). */
  status?: { before: ArticleStatus | undefined; after: ArticleStatus | undefined };
}

/** The resolution of recorded merge conflicts, applied as one step: records put in as given (undefined removes one). */
export interface ConflictSettlement {
  /** In code points of the text given to `settleConflicts`. */
  annotations?: ReadonlyMap<string, Annotation | undefined>;
  relations?: ReadonlyMap<string, Relation | undefined>;
  fields?: ReadonlyMap<string, FieldValue | undefined>;
  status?: ArticleStatus | undefined;
  /** The conflicts still recorded afterwards. */
  conflicts: Conflict[];
}

function swapped<T>(pair: { before: T; after: T } | undefined): { before: T; after: T } | undefined {
  return pair && { before: pair.after, after: pair.before };
}

/** The relation types and ends a link is checked against (`misconduct.relations`). */
export interface NewRelation {
  from: string;
  to: string;
  label: string;
  note?: string;
  author?: string;
}

/** The placed spans before a whole-document replacement, for its undo. */
interface WholeSnapshot {
  /** The geometry of the replacement's undo ("offset:deleted:inserted" per change). */
  inverse: string;
  spans: Array<{ rec: Rec; start: number; end: number; text: string }>;
  /** The index's text-undo history then, valid again once the text is back. */
  history: unknown;
}

const HISTORY_LIMIT = 200;
const WHOLE_LIMIT = 8;

function byPosition(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : 1);
}

/** Where `x` goes in `xs` (sorted by `byPosition`): the first index whose span is not before it. */
function lowerBound(xs: readonly Span[], x: Span): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byPosition(xs[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The spans one step took out of the sorted view and put in. */
interface SortedPatch {
  olds: readonly Span[];
  news: readonly Span[];
}

/**
 * The sorted view after some steps: each step's old entries out, its new ones in by binary search,
 * on a copy (a reader's earlier array stays as it was). Undefined (rebuild) if an entry is not
 * where it should be, which cannot happen while the view is current.
 */
function applyPatches(sorted: readonly Span[], patches: readonly SortedPatch[]): Span[] | undefined {
  const next = sorted.slice();
  for (const { olds, news } of patches) {
    for (const old of olds) {
      const i = lowerBound(next, old);
      if (next[i]?.id !== old.id) return undefined;
      next.splice(i, 1);
    }
    for (const now of news) next.splice(lowerBound(next, now), 0, now);
  }
  return next;
}

/** Steps changing more spans than this rebuild the sorted view instead of patching it. */
const SORTED_PATCH_LIMIT = 64;

function spanOf(rec: Rec, start: number, end: number): Span {
  const s: { -readonly [K in keyof Span]: Span[K] } = { id: rec.id, label: rec.label, start, end, meta: rec.meta, text: rec.text };
  if (rec.prefix !== undefined) s.prefix = rec.prefix;
  if (rec.suffix !== undefined) s.suffix = rec.suffix;
  return s;
}

function recOf(s: Span): Rec {
  return { id: s.id, label: s.label, meta: s.meta, text: s.text, prefix: s.prefix, suffix: s.suffix };
}

export class AnnotationDocument {
  private index = new SpanIndex<Rec>([], { quoteOf: (r) => r.text });
  /** Orphans by id, with their last known offsets (kept within the text when written). */
  private orphanSpans = new Map<string, Span>();
  /** Sorted view of every span (placed and orphaned), rebuilt lazily after a change. */
  private sorted: Span[] | undefined;
  /** Spans per label, for `labelsInUse` (undefined: count again). */
  private labelCounts: Map<string, number> | undefined;
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];
  private listeners = new Set<Listener>();
  /**
   * Snapshots kept by whole-document replacements, for their undo (kept by ordinary replacements
   * and redos) and for their redo (kept by undos). Two lists, as VS Code keeps two stacks: a
   * replacement and the undo of another can have the same geometry (lengths 29→19, then 19→29),
   * and an undo must never take the snapshot a previous undo kept for its redo (seed 348131267).
   */
  private wholeSnapshots: { undo: WholeSnapshot[]; redo: WholeSnapshot[] } = { undo: [], redo: [] };
  /** Longest orphan quote (for the window in which a change can make an orphan's quote appear). */
  private orphanQuoteMax = 0;
  /**
   * Spans the orphan retry placed and the user has not taken up since, by id, with the orphan each
   * was (see 6. above). Such a span is in no entry of the index's undo stash (it was placed after
   * the event that brought its words; one that reaches it forgets it), so no text undo expects it.
   */
  private provisional = new Map<string, Span>();
  /**
   * Provisional re-attachments an edit made orphans again, by id: where they sat just before that
   * edit, with their record and quote then, so that its undo (or the redo of an undo) puts them
   * back exactly (`putBackReturned`) while the user has not taken them up.
   */
  private returned = new Map<string, { rec: Rec; was: Span; start: number; end: number; quote: string }>();
  /**
   * Ids an annotation operation removed (and none has put back): the undo of a whole-document
   * replacement from before that removal must not bring them back with the snapshot it kept.
   */
  private removedByStep = new Set<string>();
  rejected: Rejection[] = [];
  status: ArticleStatus | undefined;
  /**
   * Relations by id. One whose end is gone (its span deleted by a text edit) is kept here, so a
   * text undo that brings the span back brings the link back too; it is not shown or written
   * while an end is missing.
   */
  private relationMap = new Map<string, Relation>();
  /** Relation ids by the span ids they hold (for a span's links without scanning them all). */
  private relationsBySpan = new Map<string, Set<string>>();
  /** The coding form, field → value (a Map: field names come from files). */
  private form = new Map<string, FieldValue>();
  /** Merge conflicts the git merge driver recorded, written back until resolved (`settleConflicts`). */
  conflicts: Conflict[] = [];
  /** True when annotations changed since they were last written or loaded. */
  dirty = false;

  constructor(
    /** The article's file name, written as `article.file` (changes when the article is renamed). */
    public fileName: string,
    private author?: string,
  ) {
    this.setAuthor(author);
  }

  setAuthor(author: string | undefined): void {
    // a name from settings.json may spell a lone surrogate ("\ud800"); the schema would refuse the file
    this.author = (author && withoutLoneSurrogates(author)) || undefined;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Counts every change to the annotations (a write that began at revision r is current while it stays r). */
  revision = 0;

  /**
   * Counts the changes that add, remove or change spans (not typing that only moves them): what is
   * computed from the spans' labels and quotes, not their offsets, stays valid while it stays.
   */
  spanRevision = 0;

  private emit(labels: Iterable<string>, fromHistory = false, shifted = false, what: { relations?: boolean; form?: boolean; patch?: SortedPatch } = {}): void {
    // (patches nobody reads are not kept without end: past a limit the next read rebuilds)
    if (what.patch && this.pendingPatches.length < SORTED_PATCH_LIMIT) this.pendingPatches.push(what.patch);
    else {
      this.sorted = undefined;
      this.pendingPatches = [];
    }
    const changed = new Set(labels);
    if (changed.size || !shifted) {
      this.labelCounts = undefined;
      this.spanRevision++;
    }
    this.revision++;
    const e: ChangeEvent = {
      labels: changed,
      fromHistory,
      ...(shifted ? { shifted } : {}),
      ...(what.relations ? { relations: true } : {}),
      ...(what.form ? { form: true } : {}),
    };
    for (const l of [...this.listeners]) l(e);
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  get size(): number {
    return this.index.size + this.orphanSpans.size;
  }

  get(id: string): Span | undefined {
    const e = this.index.get(id);
    return e ? spanOf(e.value, e.start, e.end) : this.orphanSpans.get(id);
  }

  /** All spans in reading order (orphans at their last known place). */
  all(): readonly Span[] {
    if (this.sorted && this.pendingPatches.length) this.sorted = applyPatches(this.sorted, this.pendingPatches);
    this.pendingPatches = [];
    if (!this.sorted) {
      const out: Span[] = this.index.all().map((e) => spanOf(e.value, e.start, e.end));
      for (const o of this.orphanSpans.values()) out.push(o);
      this.sorted = out.sort(byPosition);
    }
    return this.sorted;
  }

  /** Placed spans that intersect [from, to), or touch `from` when the range is empty. */
  inRange(from: number, to: number): Span[] {
    return this.index.inRange(from, to).map((e) => spanOf(e.value, e.start, e.end));
  }

  /** Spans under an offset (the cursor), innermost first. */
  at(offset: number): Span[] {
    return this.index.at(offset).map((e) => spanOf(e.value, e.start, e.end));
  }

  /** Spans per label (kept until a change adds, removes or relabels spans: typing only moves them). */
  labelsInUse(): Map<string, number> {
    if (!this.labelCounts) {
      const counts = new Map<string, number>();
      for (const s of this.all()) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
      this.labelCounts = counts;
    }
    return new Map(this.labelCounts);
  }

  /** How many orphans there are (cheap: for the keystroke path). */
  get orphanCount(): number {
    return this.orphanSpans.size;
  }

  orphans(): Span[] {
    return [...this.orphanSpans.values()].sort(byPosition);
  }

  // ------------------------------------------------------------------------------------------
  // Annotation operations (each one undo step)

  /** Puts spans in (or takes them out of) the index and the orphan map, as a step says. */
  private commit(step: Step, fromHistory = false): void {
    const labels = new Set<string>();
    // an annotation operation naming a re-attached span means the user has taken it up
    for (const id of step.after.keys()) this.takenUp(id);
    for (const [id, r] of step.relations?.after ?? []) {
      const was = step.relations!.before.get(id);
      for (const end of [r?.from, r?.to, was?.from, was?.to]) if (end) this.takenUp(end);
    }
    const toAdd: Array<{ value: Rec; start: number; end: number }> = [];
    const olds: Span[] = [];
    for (const [id, span] of step.after) {
      const old = this.get(id);
      if (old) olds.push(old);
      if (old) labels.add(old.label);
      if (span) labels.add(span.label);
      const placed = this.index.get(id);
      if (span && !span.orphaned && placed && placed.start === span.start && placed.end === span.end) {
        // same place: change the record in place (the index's undo stash shares it)
        Object.assign(placed.value, { label: span.label, meta: span.meta, text: span.text, prefix: span.prefix, suffix: span.suffix });
        continue;
      }
      if (placed) this.index.remove(id);
      this.orphanSpans.delete(id);
      if (!span) {
        this.removedByStep.add(id);
        continue;
      }
      this.removedByStep.delete(id);
      if (span.orphaned) this.orphanSpans.set(id, span);
      else toAdd.push({ value: recOf(span), start: span.start, end: span.end });
    }
    if (toAdd.length) this.index.addMany(toAdd);
    if (step.rejectedAfter) this.rejected = step.rejectedAfter;
    for (const [id, r] of step.relations?.after ?? []) {
      this.unindexRelation(id);
      if (r) this.indexRelation(r);
    }
    for (const [name, v] of step.fields?.after ?? []) {
      if (v === undefined) this.form.delete(name);
      else this.form.set(name, v);
    }
    if (step.settled) this.conflicts = step.settled.after;
    if (step.status) this.status = step.status.after;
    this.noteOrphans();
    this.dirty = true;
    this.emit(labels, fromHistory, false, { relations: !!step.relations?.after.size, form: !!step.fields?.after.size, patch: this.sortedPatch(olds, step.after.keys()) });
  }

  /**
   * How a step that changed a few spans changes the sorted view, applied when the view is next read
   * (`applyPatches`): a tag in an article of 50,000 spans then costs no copy of the array on the
   * key's path. Undefined (rebuild on the next read) when there is no view or the step is large.
   */
  private sortedPatch(olds: Span[], ids: Iterable<string>): SortedPatch | undefined {
    if (!this.sorted || olds.length > SORTED_PATCH_LIMIT) return undefined;
    const news: Span[] = [];
    for (const id of ids) {
      if (news.length >= SORTED_PATCH_LIMIT) return undefined;
      const now = this.get(id);
      if (now) news.push(now);
    }
    return { olds, news };
  }

  /** Steps not yet applied to `sorted`, oldest first (see `sortedPatch`). */
  private pendingPatches: SortedPatch[] = [];

  private record(
    before: Map<string, Span | undefined>,
    after: Map<string, Span | undefined>,
    rejected?: { before: Rejection[]; after: Rejection[] },
    extra: Pick<Step, 'relations' | 'fields'> = {},
  ): void {
    if (after.size === 0 && !rejected && !extra.relations?.after.size && !extra.fields?.after.size) return;
    const step: Step = { before, after, rejectedBefore: rejected?.before, rejectedAfter: rejected?.after, ...extra };
    this.undoStack.push(step);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
    this.commit(step);
  }

  /** A new span with its quote, source, time, and author (the given one, else this annotator). */
  private newSpan(read: TextReader, n: NewSpan): Span {
    n = { ...n, ...cleanText(n) };
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
    const taken = new Set<string>();
    for (const n of spans) {
      if (n.start >= n.end) continue;
      const key = `${n.start}:${n.end}:${n.label}`;
      if (taken.has(key) || this.index.inRange(n.start, n.end).some((e) => e.start === n.start && e.end === n.end && e.value.label === n.label)) continue;
      taken.add(key);
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
   * mine; re-attaching an orphan). Returns the spans added.
   */
  replace(read: TextReader, removeIds: readonly string[], spans: readonly NewSpan[]): Span[] {
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    for (const id of removeIds) {
      const s = this.get(id);
      if (!s) continue;
      before.set(id, s);
      after.set(id, undefined);
    }
    const added: Span[] = spans.filter((n) => n.start < n.end).map((n) => this.newSpan(read, n));
    for (const span of added) {
      before.set(span.id, undefined);
      after.set(span.id, span);
    }
    // one span for one (accepting theirs for mine): its links follow it; otherwise they go with it
    const removedIds = [...before.keys()].filter((id) => after.get(id) === undefined);
    let relations = this.relationsDroppedWith(after);
    if (relations && removedIds.length === 1 && added.length === 1) {
      const [old, now] = [removedIds[0], added[0].id];
      for (const [id, r] of relations.before) relations.after.set(id, { ...r!, from: r!.from === old ? now : r!.from, to: r!.to === old ? now : r!.to });
    }
    if (relations && !relations.after.size) relations = undefined;
    this.record(before, after, undefined, { relations });
    return added;
  }

  /** Places an orphan on [start, end) of the live text, keeping its id and metadata (one undo step). */
  reattach(id: string, read: TextReader, start: number, end: number): Span | undefined {
    const s = this.orphanSpans.get(id);
    if (!s || start >= end) return undefined;
    const placed: Span = { id, label: s.label, start, end, meta: { ...s.meta, modified: nowIso() }, text: read(start, end) };
    this.record(new Map([[id, s]]), new Map([[id, placed]]));
    return placed;
  }

  /**
   * Removes spans (one undo step). Their relations go with them by the rule every removal follows
   * (a relation is live only while both ends are, see `relations`): they leave the views and the
   * file, and the undo that brings a span back brings its links back.
   */
  remove(ids: readonly string[]): Span[] {
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    const removed: Span[] = [];
    for (const id of ids) {
      const s = this.get(id);
      if (!s || after.has(id)) continue;
      before.set(id, s);
      after.set(id, undefined);
      removed.push(s);
    }
    this.record(before, after);
    return removed;
  }

  /** The relations that lose an end when the spans removed in `after` go. */
  private relationsDroppedWith(after: Map<string, Span | undefined>): Step['relations'] {
    const before = new Map<string, Relation | undefined>();
    const gone = new Map<string, Relation | undefined>();
    for (const r of this.relationMap.values()) {
      const cut = (after.has(r.from) && !after.get(r.from)) || (after.has(r.to) && !after.get(r.to));
      if (!cut) continue;
      before.set(r.id, r);
      gone.set(r.id, undefined);
    }
    return gone.size ? { before, after: gone } : undefined;
  }

  private update(id: string, change: (s: Span) => Span): Span | undefined {
    const s = this.get(id);
    if (!s) return undefined;
    const next = change(s);
    const stamped: Span = { ...next, meta: { ...next.meta, modified: nowIso() } };
    this.record(new Map([[id, s]]), new Map([[id, stamped]]));
    return stamped;
  }

  /**
   * Changes the label. `type` is the entity type for the new label (see normalise.ts): it replaces
   * the old `type` attribute, which named an entry of the old label's category.
   */
  relabel(id: string, label: string, type?: string): Span | undefined {
    const s = this.get(id);
    if (!s || s.label === label) return s;
    return this.update(id, (old) => {
      const attributes = { ...(old.meta.attributes ?? {}) };
      if (type) attributes.type = type;
      else delete attributes.type;
      const meta: Meta = { ...old.meta, attributes };
      if (!Object.keys(attributes).length) delete meta.attributes;
      return { ...old, label, meta };
    });
  }

  setNote(id: string, note: string | undefined): Span | undefined {
    note = note && withoutLoneSurrogates(note);
    const s = this.get(id);
    if (!s || (s.meta.note ?? '') === (note ?? '')) return s;
    return this.update(id, (old) => {
      const meta = { ...old.meta };
      if (note) meta.note = note;
      else delete meta.note;
      return { ...old, meta };
    });
  }

  setAttribute(id: string, key: string, value: string | undefined): Span | undefined {
    key = withoutLoneSurrogates(key);
    value = value && withoutLoneSurrogates(value);
    return this.update(id, (old) => {
      const attributes = { ...(old.meta.attributes ?? {}) };
      if (value === undefined) delete attributes[key];
      else attributes[key] = value;
      const meta: Meta = { ...old.meta, attributes };
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
    this.emit([]);
  }

  // ------------------------------------------------------------------------------------------
  // Relations and the coding form (each change one undo step)

  /** Live relations (both ends present), in the order they were made. */
  relations(): Relation[] {
    const out: Relation[] = [];
    for (const r of this.relationMap.values()) if (this.has(r.from) && this.has(r.to)) out.push(r);
    return out.sort(compareRelations);
  }

  getRelation(id: string): Relation | undefined {
    const r = this.relationMap.get(id);
    return r && this.has(r.from) && this.has(r.to) ? r : undefined;
  }

  /** Live relations that start or end at a span, in the order they were made. */
  relationsOf(spanId: string): Relation[] {
    const ids = this.relationsBySpan.get(spanId);
    if (!ids) return [];
    const out: Relation[] = [];
    for (const id of ids) {
      const r = this.relationMap.get(id);
      if (r && this.has(r.from) && this.has(r.to)) out.push(r);
    }
    return out.sort(compareRelations);
  }

  private indexRelation(r: Relation): void {
    this.relationMap.set(r.id, r);
    for (const end of [r.from, r.to]) {
      const ids = this.relationsBySpan.get(end);
      if (ids) ids.add(r.id);
      else this.relationsBySpan.set(end, new Set([r.id]));
    }
  }

  private unindexRelation(id: string): void {
    const r = this.relationMap.get(id);
    if (!r) return;
    this.relationMap.delete(id);
    for (const end of [r.from, r.to]) {
      const ids = this.relationsBySpan.get(end);
      ids?.delete(id);
      if (ids && !ids.size) this.relationsBySpan.delete(end);
    }
  }

  private has(id: string): boolean {
    return this.index.get(id) !== undefined || this.orphanSpans.has(id);
  }

  /**
   * Links two spans (one undo step). Returns the relation, or the existing one when the same link
   * (ends and type) is already there; undefined when an end is missing or both ends are one span.
   */
  link(n: NewRelation): Relation | undefined {
    if (!LABEL_PATTERN.test(n.label)) throw new Error(`"${n.label}" is not a relation type name (lower-case letters, digits, "_" or "-", starting with a letter).`);
    if (n.from === n.to || !this.has(n.from) || !this.has(n.to)) return undefined;
    const same = this.relations().find((r) => r.from === n.from && r.to === n.to && r.label === n.label);
    if (same) return same;
    n = { ...n, ...cleanText(n) };
    const author = n.author ?? this.author;
    const relation: Relation = {
      id: newRelationId(),
      label: n.label,
      from: n.from,
      to: n.to,
      ...(n.note ? { note: n.note } : {}),
      ...(author ? { author } : {}),
      created: nowIso(),
    };
    this.record(new Map(), new Map(), undefined, { relations: { before: new Map([[relation.id, undefined]]), after: new Map([[relation.id, relation]]) } });
    return relation;
  }

  /** Removes relations by id (one undo step). Returns those removed. */
  unlink(ids: readonly string[]): Relation[] {
    const before = new Map<string, Relation | undefined>();
    const after = new Map<string, Relation | undefined>();
    for (const id of ids) {
      const r = this.relationMap.get(id);
      if (!r || after.has(id)) continue;
      before.set(id, r);
      after.set(id, undefined);
    }
    this.record(new Map(), new Map(), undefined, { relations: { before, after } });
    return [...before.values()] as Relation[];
  }

  /** Changes a relation's type or note (one undo step). */
  updateRelation(id: string, change: { label?: string; note?: string | null }): Relation | undefined {
    const r = this.getRelation(id);
    if (!r) return undefined;
    const next: Relation = { ...r, modified: nowIso() };
    if (change.label) {
      if (!LABEL_PATTERN.test(change.label)) throw new Error(`"${change.label}" is not a relation type name.`);
      next.label = change.label;
    }
    if (change.note === null || change.note === '') delete next.note;
    else if (change.note !== undefined) next.note = withoutLoneSurrogates(change.note);
    this.record(new Map(), new Map(), undefined, { relations: { before: new Map([[id, r]]), after: new Map([[id, next]]) } });
    return next;
  }

  /** The coding form, fields in name order (a null-prototype copy: names come from files). */
  documentForm(): DocumentForm {
    const out = Object.create(null) as DocumentForm;
    for (const name of [...this.form.keys()].sort()) out[name] = cloneValue(this.form.get(name)!);
    return out;
  }

  field(name: string): FieldValue | undefined {
    const v = this.form.get(name);
    return v === undefined ? undefined : cloneValue(v);
  }

  /**
   * Sets (or, with undefined, clears) form fields as ONE undo step. Returns false when nothing
   * changed. Names that would reach a prototype are refused.
   */
  setFields(values: ReadonlyMap<string, FieldValue | undefined>): boolean {
    const before = new Map<string, FieldValue | undefined>();
    const after = new Map<string, FieldValue | undefined>();
    for (let [name, value] of values) {
      name = withoutLoneSurrogates(name);
      value = cleanFieldValue(value);
      if (!name || FORBIDDEN_KEYS.has(name)) throw new Error(`A form field may not be named "${name}".`);
      if (value !== undefined && !fieldValueSchema.safeParse(value).success) {
        throw new Error(`The value of "${name}" must be text, a list of texts, a number, true/false or null.`);
      }
      const old = this.form.get(name);
      if (sameFieldValue(old, value)) continue;
      before.set(name, old);
      after.set(name, value === undefined ? undefined : cloneValue(value));
    }
    if (!after.size) return false;
    this.record(new Map(), new Map(), undefined, { fields: { before, after } });
    return true;
  }

  setField(name: string, value: FieldValue | undefined): boolean {
    return this.setFields(new Map([[name, value]]));
  }

  /**
   * Resolves merge conflicts the git driver recorded, as ONE undo step: the records given replace
   * the live ones by id or name, keeping their ids and metadata (the other branch's versions), and
   * `conflicts` becomes what is left. Undo brings the conflict back with what it replaced.
   */
  settleConflicts(text: string, change: ConflictSettlement): void {
    const map = new OffsetMap(text);
    const before = new Map<string, Span | undefined>();
    const after = new Map<string, Span | undefined>();
    for (const [id, a] of change.annotations ?? []) {
      before.set(id, this.get(id));
      after.set(id, a && fromAnnotation(a, map));
    }
    const pairs = <V>(given: ReadonlyMap<string, V | undefined> | undefined, now: (k: string) => V | undefined) => {
      if (!given?.size) return undefined;
      const pair = { before: new Map<string, V | undefined>(), after: new Map<string, V | undefined>() };
      for (const [k, v] of given) {
        pair.before.set(k, now(k));
        pair.after.set(k, v);
      }
      return pair;
    };
    const step: Step = {
      before,
      after,
      relations: pairs(change.relations, (id) => this.relationMap.get(id)),
      fields: pairs(change.fields, (name) => this.form.get(name)),
      settled: { before: this.conflicts, after: change.conflicts },
      // only a step that changes the status undoes to the status before it
      ...('status' in change ? { status: { before: this.status, after: change.status } } : {}),
    };
    this.undoStack.push(step);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
    this.commit(step);
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
    this.commit({ before: step.after, after: step.before, rejectedAfter: step.rejectedBefore, relations: swapped(step.relations), fields: swapped(step.fields), settled: swapped(step.settled), status: swapped(step.status) }, true);
    return true;
  }

  redo(): boolean {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.undoStack.push(step);
    this.commit(step, true);
    return true;
  }

  /** Forgets the annotation history (old steps' offsets no longer apply after a text edit). */
  clearHistory(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  // ------------------------------------------------------------------------------------------
  // Text edits

  /**
   * Follows one text change event (VS Code's `contentChanges`, applied in order, as the index's
   * edit rule says). Returns what happened to spans, for the status bar.
   */
  applyTextChanges(changes: readonly TextChange[], read: TextReader, newLength: number, options: TextChangeOptions & { external?: boolean } = {}): EditOutcome {
    // after any text edit, Undo belongs to the editor again: annotation steps no longer apply
    this.clearHistory();
    // an ordinary edit ends the redos (VS Code drops its redo stack): no replacement's redo is left
    if (!options.reason) this.wholeSnapshots.redo = [];
    this.shiftRejected(changes);
    this.shiftOrphans(changes, newLength);
    // the sorted view holds offsets: any change moves some (orphans too, even when no event follows)
    this.sorted = undefined;
    this.pendingPatches = [];
    const oldLength = this.index.documentLength;
    // where provisional re-attachments sit before the edit (for `returned`, should it reach them)
    const provisionalAt = new Map<string, SpanEntry<Rec>>();
    for (const id of this.provisional.keys()) {
      const e = this.index.get(id);
      if (e) provisionalAt.set(id, e);
    }
    // where the spans this change reaches were before it: should it prove to come from outside,
    // they are followed through a diff from there (see repairAsExternal)
    const before = options.previousText && changes.length === 1 ? this.spansBefore(changes[0]) : undefined;
    const r = this.index.applyChanges(changes, { documentLength: newLength, reason: options.reason });
    // nothing was applied: the index still holds the spans as they were before the replacement
    if (r.needsReanchor) return this.followWholeReplacement(changes, read, newLength, oldLength, options);

    if (options.external && (r.removed.length || r.edited.length)) return this.followExternalChange(r.removed, r.edited, read, newLength);

    const touchedBefore = r.removed.length || r.edited.length
      ? [
          ...r.removed.map((e) => ({ rec: e.value, quote: e.value.text, start: e.start, end: e.end, removed: true })),
          ...r.edited.map((e) => ({ rec: e.value, quote: e.value.text, start: e.start, end: e.end, removed: false })),
        ]
      : undefined;
    const labels = new Set<string>();
    const inserted = insertedRegions(changes);
    // a provisional re-attachment whose words this edit reached is the orphan it was again (6. above)
    const orphaned: Span[] = [];
    const mine = r.removed.filter((e) => !this.provisional.has(e.id));
    const kept = inserted.length && mine.length ? this.keepReplacedWords(mine, changes, read) : new Set<string>();
    const removed: Span[] = [];
    for (const e of r.removed) {
      labels.add(e.value.label);
      if (this.provisional.has(e.id)) orphaned.push(this.orphanAgain(e, newLength, provisionalAt.get(e.id)));
      else if (!kept.has(e.id)) removed.push(spanOf(e.value, e.start, e.end));
    }
    for (const e of r.edited) {
      labels.add(e.value.label);
      if (this.provisional.has(e.id)) {
        this.index.remove(e.id);
        orphaned.push(this.orphanAgain(e, newLength, provisionalAt.get(e.id)));
      } else e.value.text = read(e.start, e.end);
    }
    if (orphaned.length) this.noteOrphans();
    const restored: Span[] = [];
    for (const e of r.restored) {
      e.value.text = read(e.start, e.end);
      restored.push(spanOf(e.value, e.start, e.end));
      labels.add(e.value.label);
    }
    if (options.reason && this.returned.size) {
      for (const s of this.putBackReturned(read, newLength, new Set(orphaned.map((o) => o.id)))) {
        restored.push(s);
        labels.add(s.label);
      }
    }
    const reattached = inserted.length && this.orphanSpans.size && this.orphanQuoteMayAppear(read, newLength, inserted) ? this.retryOrphansNow(read, newLength, labels) : [];
    // Spans after a change that grew or shrank the text moved: the sidecar's offsets are stale, but
    // nothing needs redrawing for that (VS Code moves decorations with the text, by the same rule
    // for untouched spans), so a keystroke costs the index's O(log n) and no pass over the spans.
    const shifted = this.index.size > 0 && changes.some((c) => c.text.length !== c.rangeLength);
    const again = orphaned.length ? { orphaned } : {};
    if (!labels.size && !shifted) return { removed, restored, reattached, ...again };
    this.dirty = true;
    this.emit(labels, false, shifted);
    const ticket = touchedBefore ? { touched: touchedBefore, revision: this.revision, ...(before ? { before } : {}) } : undefined;
    return { removed, restored, reattached, ...again, ...(ticket ? { ticket } : {}) };
  }

  /**
   * The edit behind `ticket` turned out to come from outside (VS Code reloaded a file changed on
   * disk: the editor learns that only after the event). Its spans are found again by their quotes
   * before it, as `external` would have done. Only while nothing changed since the edit.
   */
  repairAsExternal(ticket: EditTicket, read: TextReader, newLength: number, previousText?: string): EditOutcome | undefined {
    if (ticket.revision !== this.revision) return undefined;
    const touched = ticket.touched as Array<{ rec: Rec; quote: string; start: number; end: number; removed: boolean }>;
    const entries: SpanEntry<Rec>[] = [];
    for (const t of touched) {
      if (this.orphanSpans.has(t.rec.id)) continue;
      if (this.index.has(t.rec.id)) {
        if (t.removed) continue; // put back already (its own words re-inserted)
        this.index.remove(t.rec.id);
      } else if (!t.removed) continue;
      t.rec.text = t.quote;
      entries.push({ id: t.rec.id, start: t.start, end: t.end, value: t.rec });
    }
    if (!entries.length) return undefined;
    const edits = ticket.before && previousText !== undefined ? diffOfChange(previousText, read(0, newLength), ticket.before.change) : undefined;
    if (!edits || !ticket.before) return this.followExternalChange(entries, [], read, newLength);
    // followed through the diff from where they were before the change; the ones whose whole text
    // it deleted are looked for by quote
    const spans = ticket.before.spans;
    const known = entries.filter((e) => spans.has(e.id));
    const { placed, deleted } = followEdits(
      known.map((e) => ({ value: e.value, start: spans.get(e.id)![0], end: spans.get(e.id)![1] })),
      edits,
    );
    const labels = new Set<string>();
    for (const p of placed) {
      const narrowed = narrowToQuote(read(p.start, p.end), p.value.text);
      const start = p.start + (narrowed?.[0] ?? 0);
      const end = narrowed ? p.start + narrowed[1] : p.end;
      p.value.text = read(start, end);
      this.takenUp(p.id);
      this.index.add(p.value, start, end);
      labels.add(p.value.label);
    }
    const rest = [...entries.filter((e) => !spans.has(e.id)), ...deleted];
    if (rest.length) {
      const outcome = this.followExternalChange(rest, [], read, newLength);
      const report = outcome.reanchored;
      return report ? { ...outcome, reanchored: { ...report, moved: report.moved + placed.length } } : outcome;
    }
    this.dirty = true;
    this.emit(labels, false, true);
    return { removed: [], restored: [], reattached: [], reanchored: { annotations: [], unchanged: 0, moved: placed.length, orphaned: [] } };
  }

  /** The placed spans a change reaches, with their offsets before it. */
  private spansBefore(change: TextChange): EditTicket['before'] {
    const spans = new Map<string, readonly [number, number]>();
    for (const e of this.index.inRange(change.rangeOffset, change.rangeOffset + change.rangeLength)) spans.set(e.id, [e.start, e.end]);
    return { change, spans };
  }

  /**
   * The text changed outside the editor (VS Code reloaded the file): no span was deleted by hand,
   * so every span the change touched is found again by its quote and context, or kept orphaned.
   */
  private followExternalChange(removedEntries: SpanEntry<Rec>[], editedEntries: SpanEntry<Rec>[], read: TextReader, newLength: number): EditOutcome {
    const touched = [...removedEntries, ...editedEntries];
    for (const e of editedEntries) this.index.remove(e.id);
    // found again by their quotes (or orphaned) like every span the change touched
    for (const e of touched) this.takenUp(e.id);
    const map = new OffsetMap(read(0, newLength));
    // the quotes as they were before the change (refreshed only after an edit by hand)
    const report = reanchorAnnotations(
      touched.map((e) => quotedAnnotation(spanOf(e.value, map.toCodePoint(Math.min(e.start, newLength)), map.toCodePoint(Math.min(e.end, newLength))))),
      map,
    );
    this.takeReanchored(report, map, new Map(touched.map((e) => [e.id, e.value])));
    const labels = new Set(touched.map((e) => e.value.label));
    const reattached = this.orphanSpans.size ? this.retryOrphansNow(read, newLength, labels) : [];
    this.noteOrphans();
    this.dirty = true;
    this.emit(labels, false, true);
    return { removed: [], restored: [], reattached, reanchored: report };
  }

  private placedWithQuotes(): WholeSnapshot['spans'] {
    return this.index.all().map((e) => ({ rec: e.value, start: e.start, end: e.end, text: e.value.text }));
  }

  /**
   * A change replaced (nearly) the whole document. If it is the undo (or redo) of an earlier
   * replacement — its geometry is that replacement's inverse and every remembered quote is back at
   * its place — the spans return exactly; otherwise every span is re-anchored by quote and context.
   */
  private followWholeReplacement(changes: readonly TextChange[], read: TextReader, newLength: number, oldLength: number | undefined, options: TextChangeOptions): EditOutcome {
    const reason = options.reason;
    const geometry = changes.map((c) => `${c.rangeOffset}:${c.rangeLength}:${c.text.length}`).join(',');
    const inverse = inverseGeometry(changes);
    // what is placed now, to give back if this replacement is undone (offsets not yet shifted)
    const current = this.placedWithQuotes();
    const labels = new Set<string>(this.all().map((s) => s.label));
    // an undo takes a snapshot kept for undo and keeps one for its redo, and the other way round;
    // an ordinary replacement (no reason: a rewrite on disk back to an earlier text) is matched
    // like an undo, and ends the redos as VS Code does
    const from = reason === 'redo' ? this.wholeSnapshots.redo : this.wholeSnapshots.undo;
    const keep = reason === 'undo' ? this.wholeSnapshots.redo : this.wholeSnapshots.undo;
    if (!reason) this.wholeSnapshots.redo = [];
    for (let k = from.length - 1; k >= 0; k--) {
      const snap = from[k];
      if (snap.inverse !== geometry) continue;
      if (!snap.spans.every((s) => s.end <= newLength && read(s.start, s.end) === s.text)) continue;
      from.splice(k, 1);
      this.rememberWhole(keep, inverse, current);
      // a span the user removed since (an annotation operation, not this text's history) stays removed
      const spans = snap.spans.filter((s) => !this.removedByStep.has(s.rec.id));
      const back = new Set(spans.map((s) => s.rec.id));
      // spans made since (or re-anchored ones that are not in the snapshot) are re-anchored below
      const others = this.index.all().filter((e) => !back.has(e.id));
      for (const s of spans) {
        s.rec.text = s.text;
        // an orphan since: its label and metadata as they are now (the snapshot shares only placed records)
        const o = this.orphanSpans.get(s.rec.id);
        if (o) Object.assign(s.rec, { label: o.label, meta: o.meta });
        this.orphanSpans.delete(s.rec.id);
      }
      const placed = spans.map((s) => ({ value: s.rec, start: s.start, end: s.end }));
      this.index.reset(placed, newLength);
      this.index.restoreHistory(snap.history);
      if (others.length) {
        const map = new OffsetMap(read(0, newLength));
        const report = reanchorAnnotations(others.map((e) => quotedAnnotation(spanOf(e.value, 0, 0))), map);
        this.takeReanchored(report, map, new Map(others.map((e) => [e.id, e.value])));
      }
      for (const s of spans) labels.add(s.rec.label);
      this.noteOrphans();
      this.dirty = true;
      this.emit(labels);
      return { removed: [], restored: spans.map((s) => spanOf(s.rec, s.start, s.end)), reattached: [] };
    }
    this.rememberWhole(keep, inverse, current);
    const previous = options.previousText?.();
    const followed = previous !== undefined && this.followWholeByDiff(previous, changes, read, newLength, oldLength, labels);
    if (followed) return followed;
    const map = new OffsetMap(read(0, newLength));
    const recs = new Map<string, Rec>();
    const quoted: Annotation[] = [];
    for (const e of this.index.all()) {
      recs.set(e.id, e.value);
      // old UTF-16 offsets stand in for code points: position is only one piece of evidence
      quoted.push(quotedAnnotation(spanOf(e.value, e.start, e.end)));
    }
    for (const o of this.orphanSpans.values()) {
      recs.set(o.id, recOf(o));
      quoted.push(quotedAnnotation(o));
    }
    const report = reanchorAnnotations(quoted, map, oldLength === undefined ? {} : { oldLength });
    this.index.reset([], newLength);
    this.orphanSpans.clear();
    this.takeReanchored(report, map, recs);
    for (const s of this.all()) labels.add(s.label);
    this.noteOrphans();
    this.dirty = true;
    this.emit(labels);
    return { removed: [], restored: [], reattached: [], reanchored: report };
  }

  /**
   * A replacement of (nearly) the whole text whose text before is known (a reload of a file
   * rewritten on disk): followed as the edits a diff of the two texts finds, so spans whose words
   * survive keep their places; only spans whose whole text went are looked for by quote. Undefined
   * when the texts are too different to diff (the caller re-anchors every span by quote).
   */
  private followWholeByDiff(previous: string, changes: readonly TextChange[], read: TextReader, newLength: number, oldLength: number | undefined, labels: Set<string>): EditOutcome | undefined {
    const text = read(0, newLength);
    // (an out-of-date copy of the text before is never trusted: the text around the change must agree)
    const edits = changes.length === 1 ? diffOfChange(previous, text, changes[0]) : previous.length === oldLength ? diffTexts(previous, text) : undefined;
    if (!edits) return undefined;
    const refined: TextChange[] = [];
    for (let i = edits.length - 1; i >= 0; i--) refined.push({ rangeOffset: edits[i].offset, rangeLength: edits[i].length, text: edits[i].text });
    const r = this.index.applyChanges(refined, { documentLength: newLength });
    if (r.needsReanchor) return undefined;
    // (these edits are not VS Code's: its undo of the replacement is matched by the whole snapshot)
    this.index.clearStash();
    for (const e of r.edited) {
      const narrowed = narrowToQuote(read(e.start, e.end), e.value.text);
      if (narrowed) this.index.add(e.value, e.start + narrowed[0], e.start + narrowed[1]);
      const now = this.index.get(e.id)!;
      e.value.text = read(now.start, now.end);
    }
    const moved = this.index.size;
    if (r.removed.length) {
      const outcome = this.followExternalChange(r.removed, [], read, newLength);
      const report = outcome.reanchored;
      return report ? { ...outcome, reanchored: { ...report, moved: report.moved + moved } } : outcome;
    }
    const reattached = this.orphanSpans.size ? this.retryOrphansNow(read, newLength, labels) : [];
    this.noteOrphans();
    this.dirty = true;
    this.emit(labels);
    return { removed: [], restored: [], reattached, reanchored: { annotations: [], unchanged: 0, moved, orphaned: [] } };
  }

  private rememberWhole(list: WholeSnapshot[], inverse: string, spans: WholeSnapshot['spans']): void {
    list.push({ inverse, spans, history: this.index.saveHistory() });
    if (list.length > WHOLE_LIMIT) list.shift();
  }

  /** Places re-anchored annotations (code points in `report`) in the index or among the orphans. */
  private takeReanchored(report: ReanchorReport, map: OffsetMap, recs: Map<string, Rec>): void {
    const placed: Array<{ value: Rec; start: number; end: number }> = [];
    for (const a of report.annotations) {
      const rec = recs.get(a.id);
      if (!rec) continue;
      if (a.orphaned) {
        this.orphanSpans.set(a.id, { ...spanOf(rec, map.toUtf16(a.start), map.toUtf16(a.end)), orphaned: true });
      } else {
        rec.text = a.text;
        rec.prefix = a.prefix;
        rec.suffix = a.suffix;
        placed.push({ value: rec, start: map.toUtf16(a.start), end: map.toUtf16(a.end) });
      }
    }
    if (placed.length) this.index.addMany(placed);
  }

  /**
   * Spans this event removed whose exact words it inserted again (a formatter's minimal edit,
   * pasting the same words over them) stay, on those words: the one occurrence inside the inserted
   * text, or, among several, the one at the span's old place in it. Returns their ids.
   */
  private keepReplacedWords(removedEntries: SpanEntry<Rec>[], changes: readonly TextChange[], read: TextReader): Set<string> {
    const kept = new Set<string>();
    const put: Array<{ value: Rec; start: number; end: number }> = [];
    for (const e of removedEntries) {
      const q = e.value.text;
      if (!q) continue;
      // the change that removed it, and where its inserted text lies after the event
      let growthBelow = 0;
      let found: number | undefined;
      const sorted = [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset);
      for (const c of sorted) {
        const at = c.rangeOffset + growthBelow;
        if (c.rangeOffset <= e.start && e.end <= c.rangeOffset + c.rangeLength && c.text.includes(q)) {
          const hits: number[] = [];
          for (let i = c.text.indexOf(q); i >= 0; i = c.text.indexOf(q, i + 1)) hits.push(i);
          const same = hits.find((i) => i === e.start - c.rangeOffset);
          const pick = hits.length === 1 ? hits[0] : same;
          if (pick !== undefined) found = at + pick;
          break;
        }
        growthBelow += c.text.length - c.rangeLength;
      }
      if (found === undefined) continue;
      const start = found;
      const end = start + q.length;
      if (read(start, end) !== q) continue;
      if (this.index.inRange(start, end).some((x) => x.start === start && x.end === end && x.value.label === e.value.label)) continue;
      put.push({ value: e.value, start, end });
      kept.add(e.id);
    }
    if (put.length) {
      this.index.addMany(put);
      // for this event's undo the span moved rather than vanished
      for (const p of put) this.index.keptInLastEvent(p.value.id);
    }
    return kept;
  }

  /**
   * A provisional re-attachment (out of the index now) becomes the orphan it was: its quote,
   * context and metadata from before, at the place of its words. The event that did it forgets it,
   * so neither its undo nor its redo waits for it; the retry may place it again.
   */
  private orphanAgain(e: SpanEntry<Rec>, newLength: number, before: SpanEntry<Rec> | undefined): Span {
    const was = this.provisional.get(e.id)!;
    this.provisional.delete(e.id);
    const at = Math.max(0, Math.min(e.start, newLength));
    const orphan: Span = { ...was, start: at, end: at, orphaned: true };
    this.orphanSpans.set(e.id, orphan);
    this.index.forgetInLastEvent(e.id);
    // (its record's text is still the quote it had before the edit: only kept spans are refreshed)
    if (before) this.returned.set(e.id, { rec: e.value, was, start: before.start, end: before.end, quote: e.value.text });
    return orphan;
  }

  /**
   * On an undo or redo: each provisional re-attachment an earlier edit made an orphan again goes
   * back where it sat before that edit when its quote is there again (the undo of that edit
   * re-inserts its words), if the user has not taken it up — also when the retry has placed it
   * elsewhere since. Not one this very event made an orphan again (`skip`).
   */
  private putBackReturned(read: TextReader, newLength: number, skip: Set<string>): Span[] {
    const out: Span[] = [];
    const put: Array<{ value: Rec; start: number; end: number }> = [];
    for (const [id, r] of this.returned) {
      if (skip.has(id)) continue;
      const now = this.index.get(id);
      if (!this.orphanSpans.has(id) && !(now && this.provisional.has(id))) {
        this.returned.delete(id); // removed or taken up since
        continue;
      }
      if (r.end > newLength || read(r.start, r.end) !== r.quote) continue;
      if (now && now.start === r.start && now.end === r.end) {
        this.returned.delete(id);
        continue;
      }
      const same = (x: { start: number; end: number; value: Rec }) => x.start === r.start && x.end === r.end && x.value.label === r.rec.label;
      if (this.index.inRange(r.start, r.end).some(same) || put.some(same)) continue;
      this.returned.delete(id);
      if (now) this.index.remove(id);
      this.orphanSpans.delete(id);
      this.provisional.set(id, r.was);
      put.push({ value: r.rec, start: r.start, end: r.end });
      out.push(spanOf(r.rec, r.start, r.end));
    }
    if (put.length) {
      this.index.addMany(put);
      this.noteOrphans();
    }
    return out;
  }

  /** The user acted on this annotation: a re-attachment of it is theirs now (6. above). */
  private takenUp(id: string): void {
    this.provisional.delete(id);
    this.returned.delete(id);
  }

  /** Whether some orphan's quote now occurs overlapping an inserted region (cheap: windows only). */
  private orphanQuoteMayAppear(read: TextReader, length: number, inserted: Array<[number, number]>): boolean {
    const reach = this.orphanQuoteMax;
    for (const [from, to] of inserted) {
      const window = read(Math.max(0, from - reach), Math.min(length, to + reach));
      for (const o of this.orphanSpans.values()) if (o.text && window.includes(o.text)) return true;
    }
    return false;
  }

  /**
   * Tries every orphan again by quote and context against the live text; places the ones found
   * unambiguously (and not on top of an identical span), provisionally (6. above). Returns them.
   * Not an undo step: it follows the text, as edits do. The editor calls it when typing pauses,
   * before saving and after reloads.
   */
  retryOrphans(read: TextReader, length: number): Span[] {
    if (!this.orphanSpans.size) return [];
    const labels = new Set<string>();
    const out = this.retryOrphansNow(read, length, labels);
    if (out.length) {
      this.dirty = true;
      this.emit(labels);
    }
    return out;
  }

  private retryOrphansNow(read: TextReader, length: number, labels: Set<string>): Span[] {
    const map = new OffsetMap(read(0, length));
    const orphans = [...this.orphanSpans.values()];
    const report = reanchorAnnotations(orphans.map((o) => quotedAnnotation(o)), map);
    const out: Span[] = [];
    const placed: Array<{ value: Rec; start: number; end: number }> = [];
    for (const a of report.annotations) {
      if (a.orphaned) continue;
      const o = this.orphanSpans.get(a.id)!;
      const start = map.toUtf16(a.start);
      const end = map.toUtf16(a.end);
      if (this.index.inRange(start, end).some((e) => e.start === start && e.end === end && e.value.label === o.label)) continue;
      if (placed.some((p) => p.start === start && p.end === end && p.value.label === o.label)) continue;
      this.orphanSpans.delete(a.id);
      this.provisional.set(a.id, o);
      const rec: Rec = { ...recOf(o), text: a.text, prefix: a.prefix, suffix: a.suffix };
      placed.push({ value: rec, start, end });
      labels.add(o.label);
      out.push(spanOf(rec, start, end));
    }
    if (placed.length) this.index.addMany(placed);
    this.noteOrphans();
    return out;
  }

  /** Orphans keep their last known place roughly in step with the text (it is only an estimate). */
  private shiftOrphans(changes: readonly TextChange[], newLength: number): void {
    if (!this.orphanSpans.size) return;
    for (const [id, o] of this.orphanSpans) {
      let { start, end } = o;
      for (const c of changes) {
        const delta = c.text.length - c.rangeLength;
        if (c.rangeOffset + c.rangeLength <= start) {
          start += delta;
          end += delta;
        }
      }
      start = Math.max(0, Math.min(start, newLength));
      end = Math.max(start, Math.min(end, newLength));
      if (start !== o.start || end !== o.end) this.orphanSpans.set(id, { ...o, start, end });
    }
  }

  private noteOrphans(): void {
    let max = 0;
    for (const o of this.orphanSpans.values()) max = Math.max(max, o.text.length);
    this.orphanQuoteMax = max;
  }

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
    const labels = new Set(this.all().map((s) => s.label));
    const placed: Array<{ value: Rec; start: number; end: number }> = [];
    this.orphanSpans.clear();
    for (const a of sidecar?.annotations ?? []) {
      const span = fromAnnotation(a, map);
      labels.add(span.label);
      if (span.orphaned) this.orphanSpans.set(span.id, span);
      else placed.push({ value: recOf(span), start: span.start, end: span.end });
    }
    this.index = new SpanIndex<Rec>([], { quoteOf: (r) => r.text, documentLength: text.length });
    this.index.reset(placed, text.length);
    this.rejected = (sidecar?.rejected ?? []).map((r) => ({ ...r, start: map.toUtf16(r.start), end: map.toUtf16(r.end) }));
    this.status = sidecar?.status;
    this.relationMap = new Map();
    this.relationsBySpan = new Map();
    for (const r of sidecar?.relations ?? []) this.indexRelation(r);
    this.form = new Map(Object.entries(sidecar?.document ?? {}));
    this.conflicts = sidecar?.conflicts ?? [];
    this.wholeSnapshots = { undo: [], redo: [] };
    this.provisional.clear();
    this.returned.clear();
    this.removedByStep.clear();
    this.noteOrphans();
    this.clearHistory();
    this.dirty = false;
    this.emit(labels, false, false, { relations: true, form: true });
  }

  /** The sidecar for the live text; `sha256` is of the bytes that text is saved as. */
  toSidecar(text: string, sha256: string, schemaRef?: string): Sidecar {
    const map = new OffsetMap(text);
    const annotations = this.all()
      .map((s) => toAnnotation(s, map))
      .sort(compareAnnotations);
    const sidecar: Sidecar = {
      ...(schemaRef ? { $schema: schemaRef } : {}),
      version: SCHEMA_VERSION,
      article: { file: this.fileName, sha256, length: map.length },
      annotations,
    };
    if (this.status) sidecar.status = this.status;
    const relations = this.relations();
    if (relations.length) sidecar.relations = relations;
    if (this.form.size) sidecar.document = this.documentForm();
    if (this.conflicts.length) sidecar.conflicts = this.conflicts;
    if (this.rejected.length) {
      sidecar.rejected = this.rejected.map((r) => ({ ...r, start: map.toCodePoint(r.start), end: map.toCodePoint(r.end) }));
    }
    return sidecar;
  }

  /** After a write: the context saved becomes the context re-anchoring uses. */
  markSaved(sidecar: Sidecar): void {
    for (const a of sidecar.annotations) {
      const e = this.index.get(a.id);
      if (!e || a.orphaned) continue;
      e.value.prefix = a.prefix;
      e.value.suffix = a.suffix;
    }
  }
}

function cloneValue(v: FieldValue): FieldValue {
  return Array.isArray(v) ? [...v] : v;
}

/**
 * Re-anchoring as the editor does it: by quote and context (reanchor.ts), and then an orphan whose
 * quote occurs exactly once in the text is placed there: a unique occurrence is unambiguous.
 */
function reanchorAnnotations(annotations: readonly Annotation[], map: OffsetMap, options: ReanchorOptions = {}): ReanchorReport {
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

/** The regions [from, to) of the new text that an event inserted (offsets after the event). */
function insertedRegions(changes: readonly TextChange[]): Array<[number, number]> {
  // changes come in VS Code's descending order with offsets before the event: a change's offset
  // after the event moves by the growth of the changes before it (those later in the list)
  const out: Array<[number, number]> = [];
  const sorted = [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset);
  let shift = 0;
  for (const c of sorted) {
    const at = c.rangeOffset + shift;
    if (c.text.length) out.push([at, at + c.text.length]);
    else if (c.rangeLength) out.push([at, at]); // a deletion can join text into a quote
    shift += c.text.length - c.rangeLength;
  }
  return out;
}

/** The geometry of an event's undo, in the form `SpanIndex` remembers. */
function inverseGeometry(changes: readonly TextChange[]): string {
  const parts: string[] = [];
  let below = 0;
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i];
    parts[i] = `${c.rangeOffset + below}:${c.text.length}:${c.rangeLength}`;
    below += c.text.length - c.rangeLength;
  }
  return parts.join(',');
}

export function fromAnnotation(a: Annotation, map: OffsetMap): Span {
  const { id, label, start, end, text, prefix, suffix, orphaned, ...meta } = a;
  const span: { -readonly [K in keyof Span]: Span[K] } = { id, label, start: map.toUtf16(start), end: map.toUtf16(end), text, meta };
  if (prefix !== undefined) span.prefix = prefix;
  if (suffix !== undefined) span.suffix = suffix;
  if (orphaned) span.orphaned = true;
  return span;
}

/** An annotation carrying the span's last known quote (for re-anchoring against a new text). */
function quotedAnnotation(s: Span): Annotation {
  const a = { id: s.id, label: s.label, start: s.start, end: s.end, text: s.text, ...s.meta } as Annotation;
  if (s.prefix !== undefined) a.prefix = s.prefix;
  if (s.suffix !== undefined) a.suffix = s.suffix;
  if (s.orphaned) a.orphaned = true;
  return a;
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

/** Re-export for callers that build annotations directly. */
export { makeAnnotation };

/**
 * Tags, a relabel and their undo on a scratch document that nothing listens to; returns it (empty
 * again). The extension runs it before the first tag of a session: V8 compiles a function when it
 * is first called, and traced in a 5 MB article the first tag of a window spent 7 ms in the span
 * engine where later tags spent 1-4 ms.
 */
export function rehearseTag(): AnnotationDocument {
  const text = 'Kent Police dismissed PC Jones for gross misconduct.';
  const read = (start: number, end: number) => text.slice(start, end);
  const doc = new AnnotationDocument('rehearsal.txt', '');
  doc.add(read, [{ start: 22, end: 30, label: 'officer' }]);
  doc.all();
  const [span] = doc.add(read, [{ start: 0, end: 11, label: 'force', attributes: { type: 'kent' } }]);
  doc.inRange(0, text.length);
  doc.all();
  if (span) doc.relabel(span.id, 'allegation');
  while (doc.undo());
  return doc;
}

/** A new span's or relation's free text without lone surrogates (see `withoutLoneSurrogates`). */
function cleanText(n: { note?: string; author?: string; attributes?: Record<string, string> }): { note?: string; author?: string; attributes?: Record<string, string> } {
  const out: { note?: string; author?: string; attributes?: Record<string, string> } = {};
  if (n.note !== undefined) out.note = withoutLoneSurrogates(n.note);
  if (n.author !== undefined) out.author = withoutLoneSurrogates(n.author);
  if (n.attributes) out.attributes = Object.fromEntries(Object.entries(n.attributes).map(([k, v]) => [withoutLoneSurrogates(k), withoutLoneSurrogates(v)]));
  return out;
}

/** A form value without lone surrogates in its text. */
function cleanFieldValue(value: FieldValue | undefined): FieldValue | undefined {
  if (typeof value === 'string') return withoutLoneSurrogates(value);
  if (Array.isArray(value)) return value.map(withoutLoneSurrogates);
  return value;
}
