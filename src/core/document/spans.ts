/**
 * The spans of one open article: the placed ones in the `SpanIndex` (which owns their offsets and
 * the edit rule written down at the top of spanIndex/index.ts), the orphans (spans whose quote could not
 * be found again) at their last known place, and the provisional re-attachments.
 *
 * A re-attachment is provisional until the user takes it up by an annotation operation naming it
 * (relabel, note, link, remove …): it holds only while its words are untouched. An edit that
 * reaches them does not remove or reshape it but makes it the orphan it was again (its quote,
 * context and metadata as before, its relations kept), because its quote may have matched only by
 * chance. The undo of that edit (or the redo of an undo) puts it back where it was; any change that
 * brings its words back may re-attach it.
 */
import { OffsetMap } from '../offsets';
import { ReanchorReport } from '../reanchor';
import { SpanEntry, SpanIndex } from '../spanIndex';
import { SORTED_PATCH_LIMIT, SortedPatch, SortedView } from './sortedView';
import { byPosition, Placed, quotedAnnotation, reanchorAnnotations, Rec, recOf, Span, spanOf, TextChange, TextReader } from './span';

export class Spans {
  index = new SpanIndex<Rec>([], { quoteOf: (r) => r.text });
  /** Orphans by id, with their last known offsets (kept within the text when written). */
  readonly orphans = new Map<string, Span>();
  /** Sorted view of every span (placed and orphaned). */
  readonly sorted = new SortedView();
  /** Spans per label, for `labelsInUse` (undefined: count again). */
  private labelCounts: Map<string, number> | undefined;
  /** Longest orphan quote (for the window in which a change can make an orphan's quote appear). */
  private orphanQuoteMax = 0;
  /**
   * Spans the orphan retry placed and the user has not taken up since, by id, with the orphan each
   * was. Such a span is in no entry of the index's undo stash (it was placed after the event that
   * brought its words; one that reaches it forgets it), so no text undo expects it.
   */
  readonly provisional = new Map<string, Span>();
  /**
   * Provisional re-attachments an edit made orphans again, by id: where they sat just before that
   * edit, with their record and quote then, so that its undo (or the redo of an undo) puts them
   * back exactly (`putBackReturned`) while the user has not taken them up.
   */
  private readonly returned = new Map<string, { rec: Rec; was: Span; start: number; end: number; quote: string }>();
  /**
   * Ids an annotation operation removed (and none has put back): the undo of a whole-document
   * replacement from before that removal must not bring them back with the snapshot it kept.
   */
  readonly removedByStep = new Set<string>();

  // ------------------------------------------------------------------------------------------
  // Reading

  get size(): number {
    return this.index.size + this.orphans.size;
  }

  get(id: string): Span | undefined {
    const e = this.index.get(id);
    return e ? spanOf(e.value, e.start, e.end) : this.orphans.get(id);
  }

  has(id: string): boolean {
    return this.index.get(id) !== undefined || this.orphans.has(id);
  }

  all(): readonly Span[] {
    return this.sorted.read(() => {
      const out: Span[] = this.index.all().map((e) => spanOf(e.value, e.start, e.end));
      for (const o of this.orphans.values()) out.push(o);
      return out;
    });
  }

  inRange(from: number, to: number): Span[] {
    return this.index.inRange(from, to).map((e) => spanOf(e.value, e.start, e.end));
  }

  at(offset: number): Span[] {
    return this.index.at(offset).map((e) => spanOf(e.value, e.start, e.end));
  }

  labelsInUse(): Map<string, number> {
    if (!this.labelCounts) {
      const counts = new Map<string, number>();
      for (const s of this.all()) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
      this.labelCounts = counts;
    }
    return new Map(this.labelCounts);
  }

  orphanList(): Span[] {
    return [...this.orphans.values()].sort(byPosition);
  }

  /** After a change: what is counted from labels is stale unless only offsets moved. */
  changed(patch: SortedPatch | undefined, onlyMoved: boolean): void {
    this.sorted.changed(patch);
    if (!onlyMoved) this.labelCounts = undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Annotation operations

  /**
   * Puts spans in (or takes them out of) the index and the orphan map: `after` by id, undefined
   * removing one. Adds the labels it touched to `labels` and the spans it replaced to `olds` (for
   * `sortedPatch`).
   */
  put(after: ReadonlyMap<string, Span | undefined>, labels: Set<string>, olds: Span[]): void {
    const toAdd: Placed[] = [];
    for (const [id, span] of after) {
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
      this.orphans.delete(id);
      if (!span) {
        this.removedByStep.add(id);
        continue;
      }
      this.removedByStep.delete(id);
      if (span.orphaned) this.orphans.set(id, span);
      else toAdd.push({ value: recOf(span), start: span.start, end: span.end });
    }
    if (toAdd.length) this.index.addMany(toAdd);
  }

  /**
   * How a step that changed a few spans changes the sorted view, applied when the view is next
   * read. Undefined (rebuild on the next read) when there is no view or the step is large.
   */
  sortedPatch(olds: Span[], ids: Iterable<string>): SortedPatch | undefined {
    if (!this.sorted.current || olds.length > SORTED_PATCH_LIMIT) return undefined;
    const news: Span[] = [];
    for (const id of ids) {
      if (news.length >= SORTED_PATCH_LIMIT) return undefined;
      const now = this.get(id);
      if (now) news.push(now);
    }
    return { olds, news };
  }

  /** The user acted on this annotation: a re-attachment of it is theirs now. */
  takenUp(id: string): void {
    this.provisional.delete(id);
    this.returned.delete(id);
  }

  // ------------------------------------------------------------------------------------------
  // Orphans and provisional re-attachments

  /**
   * A provisional re-attachment (out of the index now) becomes the orphan it was: its quote,
   * context and metadata from before, at the place of its words. The event that did it forgets it,
   * so neither its undo nor its redo waits for it; the retry may place it again.
   */
  orphanAgain(e: SpanEntry<Rec>, newLength: number, before: SpanEntry<Rec> | undefined): Span {
    const was = this.provisional.get(e.id)!;
    this.provisional.delete(e.id);
    const at = Math.max(0, Math.min(e.start, newLength));
    const orphan: Span = { ...was, start: at, end: at, orphaned: true };
    this.orphans.set(e.id, orphan);
    this.index.forgetInLastEvent(e.id);
    // (its record's text is still the quote it had before the edit: only kept spans are refreshed)
    if (before) this.returned.set(e.id, { rec: e.value, was, start: before.start, end: before.end, quote: e.value.text });
    return orphan;
  }

  get anyReturned(): boolean {
    return this.returned.size > 0;
  }

  /**
   * On an undo or redo: each provisional re-attachment an earlier edit made an orphan again goes
   * back where it sat before that edit when its quote is there again (the undo of that edit
   * re-inserts its words), if the user has not taken it up — also when the retry has placed it
   * elsewhere since. Not one this very event made an orphan again (`skip`).
   */
  putBackReturned(read: TextReader, newLength: number, skip: Set<string>): Span[] {
    const out: Span[] = [];
    const put: Placed[] = [];
    for (const [id, r] of this.returned) {
      if (skip.has(id)) continue;
      const now = this.index.get(id);
      if (!this.orphans.has(id) && !(now && this.provisional.has(id))) {
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
      this.orphans.delete(id);
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

  /** Whether some orphan's quote now occurs overlapping an inserted region (cheap: windows only). */
  orphanQuoteMayAppear(read: TextReader, length: number, inserted: Array<[number, number]>): boolean {
    const reach = this.orphanQuoteMax;
    for (const [from, to] of inserted) {
      const window = read(Math.max(0, from - reach), Math.min(length, to + reach));
      for (const o of this.orphans.values()) if (o.text && window.includes(o.text)) return true;
    }
    return false;
  }

  /**
   * Tries every orphan again by quote and context against the live text; places the ones found
   * unambiguously (and not on top of an identical span), provisionally. Returns them.
   */
  retry(read: TextReader, length: number, labels: Set<string>): Span[] {
    const map = new OffsetMap(read(0, length));
    const orphans = [...this.orphans.values()];
    const report = reanchorAnnotations(orphans.map((o) => quotedAnnotation(o)), map);
    const out: Span[] = [];
    const placed: Placed[] = [];
    for (const a of report.annotations) {
      if (a.orphaned) continue;
      const o = this.orphans.get(a.id)!;
      const start = map.toUtf16(a.start);
      const end = map.toUtf16(a.end);
      if (this.index.inRange(start, end).some((e) => e.start === start && e.end === end && e.value.label === o.label)) continue;
      if (placed.some((p) => p.start === start && p.end === end && p.value.label === o.label)) continue;
      this.orphans.delete(a.id);
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

  /** Places re-anchored annotations (code points in `report`) in the index or among the orphans. */
  takeReanchored(report: ReanchorReport, map: OffsetMap, recs: Map<string, Rec>): void {
    const placed: Placed[] = [];
    for (const a of report.annotations) {
      const rec = recs.get(a.id);
      if (!rec) continue;
      if (a.orphaned) {
        this.orphans.set(a.id, { ...spanOf(rec, map.toUtf16(a.start), map.toUtf16(a.end)), orphaned: true });
      } else {
        rec.text = a.text;
        rec.prefix = a.prefix;
        rec.suffix = a.suffix;
        placed.push({ value: rec, start: map.toUtf16(a.start), end: map.toUtf16(a.end) });
      }
    }
    if (placed.length) this.index.addMany(placed);
  }

  /** Orphans keep their last known place roughly in step with the text (it is only an estimate). */
  shiftOrphans(changes: readonly TextChange[], newLength: number): void {
    if (!this.orphans.size) return;
    for (const [id, o] of this.orphans) {
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
      if (start !== o.start || end !== o.end) this.orphans.set(id, { ...o, start, end });
    }
  }

  noteOrphans(): void {
    let max = 0;
    for (const o of this.orphans.values()) max = Math.max(max, o.text.length);
    this.orphanQuoteMax = max;
  }

  // ------------------------------------------------------------------------------------------
  // The sidecar boundary

  /** Starts again from loaded spans (UTF-16 offsets into a text of `length`). */
  load(spans: readonly Span[], length: number): void {
    const placed: Placed[] = [];
    this.orphans.clear();
    for (const span of spans) {
      if (span.orphaned) this.orphans.set(span.id, span);
      else placed.push({ value: recOf(span), start: span.start, end: span.end });
    }
    this.index = new SpanIndex<Rec>([], { quoteOf: (r) => r.text, documentLength: length });
    this.index.reset(placed, length);
    this.provisional.clear();
    this.returned.clear();
    this.removedByStep.clear();
    this.noteOrphans();
  }

  /** After a write: the context saved becomes the context re-anchoring uses. */
  markSaved(saved: ReadonlyArray<{ id: string; orphaned?: boolean; prefix?: string; suffix?: string }>): void {
    for (const a of saved) {
      const e = this.index.get(a.id);
      if (!e || a.orphaned) continue;
      e.value.prefix = a.prefix;
      e.value.suffix = a.suffix;
    }
  }
}
