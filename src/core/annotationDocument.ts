/**
 * The annotations of one open article, in editor coordinates (UTF-16 offsets into the current
 * text), with an undo history of annotation operations. Pure: the VS Code layer feeds it edits and
 * renders what it holds; the unit tests feed it strings.
 *
 * A façade over parts with one job each (src/core/document/):
 * - spans.ts: placed spans (in `SpanIndex`, which owns their offsets and the one edit rule written
 *   down at the top of spanIndex/index.ts), orphans, and provisional re-attachments;
 * - relations.ts: links between spans, live while both ends are;
 * - form.ts and rejections.ts: the coding form, status and recorded merge conflicts; rejected
 *   suggestions;
 * - records.ts: new spans and relations (ids, times, authors) and edits of one, cleaned;
 * - history.ts: annotation undo and redo, as steps of changes that each know their inverse
 *   (settle.ts builds the step that resolves recorded merge conflicts);
 * - textEdits.ts and wholeReplacement.ts: following text edits without ever losing a span;
 * - codec.ts: the sidecar boundary, where offsets become code points;
 * - events.ts: change events and the revisions a reader checks.
 * This class holds the annotator's name and turns each annotation operation into one undo step.
 */
import { nowIso } from './annotations';
import { OffsetMap } from './offsets';
import { ArticleStatus, Conflict, DocumentForm, FieldValue, Rejection, Relation, Sidecar } from './schema';
import { runSteps, Steps } from './steps';
import { ArticleSource, canonicalSource } from './source';
import { withoutLoneSurrogates } from './surrogates';
import { decodeSidecar, encodeSidecarSteps } from './document/codec';
import { ChangeEvents, Listener } from './document/events';
import { CodingForm } from './document/form';
import { Change, Effect, FieldChange, History, rejectionChange, RelationChange, SourceChange, SpanChange, Step } from './document/history';
import { EditOutcome, EditTicket, TextChangeOptions } from './document/outcome';
import { Rejections } from './document/rejections';
import { Relations } from './document/relations';
import { checkRelationType, newRelation, NewRelation, newSpan, NewSpan, relabelled, stamped, updatedRelation, withAttribute, withNote } from './document/records';
import { Span, TextChange, TextReader } from './document/span';
import { ConflictSettlement, settlementStep } from './document/settle';
import { emptyPair, note, Pair, single } from './document/pairs';
import { Spans } from './document/spans';
import { TextFollower } from './document/textEdits';

export { ChangeEvent, onlyMovedSpans } from './document/events';
export { EditOutcome, EditTicket, TextChangeOptions } from './document/outcome';
export { NewRelation, NewSpan } from './document/records';
export { ConflictSettlement } from './document/settle';
export { Span, TextChange, TextReader } from './document/span';

export class AnnotationDocument {
  private readonly spans = new Spans();
  private readonly links = new Relations((id) => this.spans.has(id));
  private readonly form = new CodingForm();
  private readonly rejections = new Rejections();
  private readonly history = new History();
  private readonly events = new ChangeEvents(this.spans);
  private readonly follower = new TextFollower(this.spans, this.events);
  private author: string | undefined;
  private name: string;

  constructor(
    /** The article's file name, written as `article.file` (changes when the article is renamed). */
    fileName: string,
    author?: string,
  ) {
    this.name = fileName;
    this.setAuthor(author);
  }

  setAuthor(author: string | undefined): void {
    // a name from settings.json may spell a lone surrogate ("\ud800"); the schema would refuse the file
    this.author = (author && withoutLoneSurrogates(author)) || undefined;
  }

  /** The article's file name, written as `article.file`. */
  get fileName(): string {
    return this.name;
  }

  /** The article was renamed: the next sidecar names the new file. */
  rename(fileName: string): void {
    this.name = fileName;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    return this.events.on(listener);
  }

  /** Counts every change to the annotations (a write that began at revision r is current while it stays r). */
  get revision(): number {
    return this.events.revision;
  }

  /**
   * Counts the changes that add, remove or change spans (not typing that only moves them): what is
   * computed from the spans' labels and quotes, not their offsets, stays valid while it stays.
   */
  get spanRevision(): number {
    return this.events.spanRevision;
  }

  /** True when annotations changed since they were last written or loaded. */
  get dirty(): boolean {
    return this.events.dirty;
  }

  /** Something must be written (offsets re-anchored, a version kept over the one on disk). */
  markDirty(): void {
    this.events.dirty = true;
  }

  /** What is held was written (or is to be dropped for the file on disk). */
  markClean(): void {
    this.events.dirty = false;
  }

  get status(): ArticleStatus | undefined {
    return this.form.status;
  }

  /** Rejected suggestions (UTF-16 offsets into the live text). */
  get rejected(): readonly Rejection[] {
    return this.rejections.list;
  }

  /** Merge conflicts the git merge driver recorded, written back until resolved (`settleConflicts`). */
  get conflicts(): readonly Conflict[] {
    return this.form.conflicts;
  }

  // ── Reading

  get size(): number {
    return this.spans.size;
  }

  get(id: string): Span | undefined {
    return this.spans.get(id);
  }

  /** All spans in reading order (orphans at their last known place). */
  all(): readonly Span[] {
    return this.spans.all();
  }

  /** Placed spans that intersect [from, to), or touch `from` when the range is empty. */
  inRange(from: number, to: number): Span[] {
    return this.spans.inRange(from, to);
  }

  /** Spans under an offset (the cursor), innermost first. */
  at(offset: number): Span[] {
    return this.spans.at(offset);
  }

  /** Spans per label (kept until a change adds, removes or relabels spans: typing only moves them). */
  labelsInUse(): Map<string, number> {
    return this.spans.labelsInUse();
  }

  /** How many orphans there are (cheap: for the keystroke path). */
  get orphanCount(): number {
    return this.spans.orphans.size;
  }

  orphans(): Span[] {
    return this.spans.orphanList();
  }

  /** Live relations (both ends present), in the order they were made. */
  relations(): Relation[] {
    return this.links.all();
  }

  getRelation(id: string): Relation | undefined {
    return this.links.get(id);
  }

  /** Live relations that start or end at a span, in the order they were made. */
  relationsOf(spanId: string): Relation[] {
    return this.links.of(spanId);
  }

  /** The coding form, fields in name order (a null-prototype copy: names come from files). */
  documentForm(): DocumentForm {
    return this.form.all();
  }

  field(name: string): FieldValue | undefined {
    return this.form.get(name);
  }

  // ── Annotation operations (each one undo step)

  /** Applies a step (new, undone or redone) and tells the listeners once. */
  private commit(step: Change, fromHistory = false): void {
    const effect: Effect = { labels: new Set(), olds: [], ids: [], relations: false, form: false };
    step.apply(effect);
    this.spans.noteOrphans();
    const patch = this.spans.sortedPatch(effect.olds, effect.ids);
    this.events.changed({ labels: effect.labels, fromHistory, relations: effect.relations, form: effect.form, patch });
  }

  /** Records and applies a new step made of the changes given (none: nothing happens). */
  private record(...changes: Array<Change | undefined>): void {
    const parts = changes.filter((c): c is Change => c !== undefined);
    if (parts.length) this.push(new Step(parts));
  }

  private push(step: Step): void {
    this.history.push(step);
    this.commit(step);
  }

  private spanChange(pair: Pair<Span>): Change | undefined {
    return pair.after.size ? new SpanChange(this.spans, pair) : undefined;
  }

  private relationChange(pair: Pair<Relation> | undefined): Change | undefined {
    return pair?.after.size ? new RelationChange(this.spans, this.links, pair) : undefined;
  }

  /**
   * Adds spans (one undo step). A span identical to an existing one (same start, end and label)
   * is skipped. Returns the spans added. `read` gives the live text (for the quote).
   */
  add(read: TextReader, spans: readonly NewSpan[], rejectedToDrop: readonly Rejection[] = []): Span[] {
    const added: Span[] = [];
    const pair = emptyPair<Span>();
    const taken = new Set<string>();
    for (const n of spans) {
      if (n.start >= n.end) continue;
      const key = `${n.start}:${n.end}:${n.label}`;
      if (taken.has(key) || this.spans.inRange(n.start, n.end).some((s) => s.start === n.start && s.end === n.end && s.label === n.label)) continue;
      taken.add(key);
      const span = newSpan(read, n, this.author);
      note(pair, undefined, span);
      added.push(span);
    }
    const rejected = rejectedToDrop.length ? rejectionChange(this.rejections, this.rejections.without(rejectedToDrop)) : undefined;
    this.record(this.spanChange(pair), rejected);
    return added;
  }

  /**
   * Removes some spans and adds others as ONE undo step (adjudication: "accept theirs" replaces
   * mine; re-attaching an orphan). Returns the spans added.
   */
  replace(read: TextReader, removeIds: readonly string[], spans: readonly NewSpan[]): Span[] {
    const pair = emptyPair<Span>();
    for (const id of removeIds) {
      const s = this.get(id);
      if (s) note(pair, s, undefined);
    }
    const added: Span[] = spans.filter((n) => n.start < n.end).map((n) => newSpan(read, n, this.author));
    for (const span of added) note(pair, undefined, span);
    const relations = this.links.droppedWith(pair);
    this.record(this.spanChange(pair), this.relationChange(relations));
    return added;
  }

  /** Places an orphan on [start, end) of the live text, keeping its id and metadata (one undo step). */
  reattach(id: string, read: TextReader, start: number, end: number): Span | undefined {
    const s = this.spans.orphans.get(id);
    if (!s || start >= end) return undefined;
    const placed: Span = { id, label: s.label, start, end, meta: { ...s.meta, modified: nowIso() }, text: read(start, end) };
    this.record(this.spanChange(single(s, placed)));
    return placed;
  }

  /**
   * Removes spans (one undo step). Their relations go with them by the rule every removal follows
   * (a relation is live only while both ends are, see `relations`): they leave the views and the
   * file, and the undo that brings a span back brings its links back.
   */
  remove(ids: readonly string[]): Span[] {
    const pair = emptyPair<Span>();
    const removed: Span[] = [];
    for (const id of ids) {
      const s = this.get(id);
      if (!s || pair.after.has(id)) continue;
      note(pair, s, undefined);
      removed.push(s);
    }
    this.record(this.spanChange(pair));
    return removed;
  }

  /** Changes one span's label or metadata (one undo step), stamped as modified. */
  private update(id: string, change: (s: Span) => Span): Span | undefined {
    const s = this.get(id);
    if (!s) return undefined;
    const next = stamped(change(s));
    this.record(this.spanChange(single(s, next)));
    return next;
  }

  /**
   * Changes the label. `type` is the entity type for the new label (see normalise.ts): it replaces
   * the old `type` attribute, which named an entry of the old label's category.
   */
  relabel(id: string, label: string, type?: string): Span | undefined {
    const s = this.get(id);
    if (!s || s.label === label) return s;
    return this.update(id, (old) => relabelled(old, label, type));
  }

  setNote(id: string, note: string | undefined): Span | undefined {
    note = note && withoutLoneSurrogates(note);
    const s = this.get(id);
    if (!s || (s.meta.note ?? '') === (note ?? '')) return s;
    return this.update(id, (old) => withNote(old, note));
  }

  setAttribute(id: string, key: string, value: string | undefined): Span | undefined {
    key = withoutLoneSurrogates(key);
    value = value && withoutLoneSurrogates(value);
    return this.update(id, (old) => withAttribute(old, key, value));
  }

  /** Remembers a rejected suggestion (one undo step), so it is not offered again. */
  reject(rejection: Rejection): void {
    if (this.rejections.has(rejection)) return;
    this.record(rejectionChange(this.rejections, [...this.rejections.list, rejection]));
  }

  /** Sets the article's status (not an undo step). */
  setStatus(status: ArticleStatus | undefined): void {
    this.form.status = status;
    this.events.changed({ labels: [] });
  }

  /**
   * Links two spans (one undo step). Returns the relation, or the existing one when the same link
   * (ends and type) is already there; undefined when an end is missing or both ends are one span.
   */
  link(n: NewRelation): Relation | undefined {
    checkRelationType(n.label, ' (lower-case letters, digits, "_" or "-", starting with a letter)');
    if (n.from === n.to || !this.spans.has(n.from) || !this.spans.has(n.to)) return undefined;
    const same = this.relations().find((r) => r.from === n.from && r.to === n.to && r.label === n.label);
    if (same) return same;
    const relation = newRelation(n, this.author);
    this.record(this.relationChange(single(undefined, relation)));
    return relation;
  }

  /** Removes relations by id (one undo step). Returns those removed. */
  unlink(ids: readonly string[]): Relation[] {
    const pair = emptyPair<Relation>();
    for (const id of ids) {
      const r = this.links.kept(id);
      if (r && !pair.after.has(id)) note(pair, r, undefined);
    }
    this.record(this.relationChange(pair));
    return [...pair.before.values()] as Relation[];
  }

  /** Changes a relation's type or note (one undo step). */
  updateRelation(id: string, change: { label?: string; note?: string | null }): Relation | undefined {
    const r = this.getRelation(id);
    if (!r) return undefined;
    const next = updatedRelation(r, change);
    this.record(this.relationChange(single(r, next)));
    return next;
  }

  /**
   * Sets (or, with undefined, clears) form fields as ONE undo step. Returns false when nothing
   * changed. Names that would reach a prototype are refused.
   */
  setFields(values: ReadonlyMap<string, FieldValue | undefined>): boolean {
    const pair = this.form.changes(values);
    if (!pair.after.size) return false;
    this.record(new FieldChange(this.form, pair));
    return true;
  }

  setField(name: string, value: FieldValue | undefined): boolean {
    return this.setFields(new Map([[name, value]]));
  }

  /** The article this one is a near copy of, if any (set by the importer). */
  get duplicateOf(): string | undefined {
    return this.form.duplicateOf;
  }

  /** Where the article came from (a copy). */
  get source(): ArticleSource | undefined {
    return this.form.source && { ...this.form.source };
  }

  /** Replaces the source as ONE undo step (see `withSourceField`); false when nothing changed. */
  setSource(source: ArticleSource | undefined): boolean {
    if (JSON.stringify(canonicalSource(source)) === JSON.stringify(canonicalSource(this.form.source))) return false;
    this.record(new SourceChange(this.form, this.form.source, canonicalSource(source)));
    return true;
  }

  /**
   * Resolves merge conflicts the git driver recorded, as ONE undo step: the records given replace
   * the live ones by id or name, keeping their ids and metadata (the other branch's versions), and
   * `conflicts` becomes what is left. Undo brings the conflict back with what it replaced.
   */
  settleConflicts(text: string, change: ConflictSettlement): void {
    this.push(settlementStep({ spans: this.spans, relations: this.links, form: this.form }, text, change));
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Undoes the last annotation operation. Returns false when there is none. */
  undo(): boolean {
    return this.replay(this.history.undo());
  }

  redo(): boolean {
    return this.replay(this.history.redo());
  }

  private replay(change: Change | undefined): boolean {
    if (change) this.commit(change, true);
    return !!change;
  }

  /** Forgets the annotation history (old steps' offsets no longer apply after a text edit). */
  clearHistory(): void {
    this.history.clear();
  }

  // ── Text edits

  /**
   * Follows one text change event (VS Code's `contentChanges`, applied in order, as the index's
   * edit rule says). Returns what happened to spans, for the status bar.
   */
  applyTextChanges(changes: readonly TextChange[], read: TextReader, newLength: number, options: TextChangeOptions & { external?: boolean } = {}): EditOutcome {
    // after any text edit, Undo belongs to the editor again: annotation steps no longer apply
    this.clearHistory();
    this.rejections.shift(changes);
    return this.follower.apply(changes, read, newLength, options);
  }

  /**
   * The edit behind `ticket` turned out to come from outside (VS Code reloaded a file changed on
   * disk: the editor learns that only after the event). Its spans are found again by their quotes
   * before it, as `external` would have done. Only while nothing changed since the edit.
   */
  repairAsExternal(ticket: EditTicket, read: TextReader, newLength: number, previousText?: string): EditOutcome | undefined {
    return this.follower.repairAsExternal(ticket, read, newLength, previousText);
  }

  /**
   * Places again, provisionally, the orphans found unambiguously by quote and context (and not on
   * top of an identical span); returns them. Not an undo step: it follows the text, as edits do.
   */
  retryOrphans(read: TextReader, length: number): Span[] {
    return this.follower.retryOrphans(read, length);
  }

  // ── Sidecar boundary

  /** Loads spans from a sidecar (code points) for the given live text. Not an undo step. */
  load(sidecar: Sidecar | undefined, text: string): void {
    const labels = new Set(this.all().map((s) => s.label));
    const content = decodeSidecar(sidecar, new OffsetMap(text));
    for (const s of content.spans) labels.add(s.label);
    this.spans.load(content.spans, text.length);
    this.rejections.list = content.rejected;
    this.form.load(content);
    this.links.load(content.relations);
    this.follower.reset();
    this.clearHistory();
    this.events.loaded({ labels, relations: true, form: true });
  }

  /** The sidecar for the live text; `sha256` is of the bytes that text is saved as. */
  toSidecar(text: string, sha256: string, schemaRef?: string): Sidecar {
    return runSteps(this.toSidecarSteps(text, sha256, schemaRef));
  }

  /**
   * `toSidecar` in steps (see steps.ts): what it writes is what the document holds when it starts
   * (for `text`, the text of that moment), whatever changes while the steps run.
   */
  *toSidecarSteps(text: string, sha256: string, schemaRef?: string): Steps<Sidecar> {
    const content = {
      spans: this.all(),
      // copies: the lists of one moment, whatever changes while the steps run
      rejected: [...this.rejections.list],
      relations: this.relations(),
      ...this.form.snapshot(),
    };
    yield;
    const map = new OffsetMap(text);
    yield;
    return yield* encodeSidecarSteps(content, map, { file: this.name, sha256 }, schemaRef);
  }

  /** After a write: the context saved becomes the context re-anchoring uses. */
  markSaved(sidecar: Sidecar): void {
    this.spans.markSaved(sidecar.annotations);
  }
}
