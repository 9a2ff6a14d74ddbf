/**
 * Whole-document replacements (a formatter, select-all + paste, a reload of a file rewritten on
 * disk): the index shifts nothing, and every span is found again — through a diff of the two texts
 * when the text before is known, else by quote and context. The spans placed before a replacement
 * are remembered, so its undo (the inverse replacement) brings each span back exactly where it was
 * (not one the user removed since, by an annotation operation).
 */
import { OffsetMap } from '../offsets';
import { Annotation } from '../schema';
import { SpanEntry } from '../spanIndex';
import { diffOfChanges, narrowToQuote } from '../textDiff';
import { quotedAnnotation, reanchorAnnotations, Rec, recOf, spanOf, TextChange, TextReader } from './span';
import { Spans } from './spans';
import { EditHost, EditOutcome, TextChangeOptions, withMoved } from './outcome';

/** The placed spans before a whole-document replacement, for its undo. */
interface WholeSnapshot {
  /** The geometry of the replacement's undo ("offset:deleted:inserted" per change). */
  inverse: string;
  spans: Array<{ rec: Rec; start: number; end: number; text: string }>;
  /** The index's text-undo history then, valid again once the text is back. */
  history: unknown;
}

const WHOLE_LIMIT = 8;

/** How spans touched by a change from outside are found again (textEdits.ts). */
interface ExternalFollower {
  followExternal(removed: SpanEntry<Rec>[], edited: SpanEntry<Rec>[], read: TextReader, newLength: number): EditOutcome;
}

export class WholeReplacements {
  /**
   * Snapshots kept by replacements, for their undo (kept by ordinary replacements and redos) and
   * for their redo (kept by undos). Two lists, as VS Code keeps two stacks: a replacement and the
   * undo of another can have the same geometry, and an undo must never take the snapshot a
   * previous undo kept for its redo.
   */
  private snapshots: { undo: WholeSnapshot[]; redo: WholeSnapshot[] } = { undo: [], redo: [] };

  constructor(private readonly spans: Spans, private readonly host: EditHost, private readonly external: ExternalFollower) {}

  reset(): void {
    this.snapshots = { undo: [], redo: [] };
  }

  /** An ordinary edit ends the redos (VS Code drops its redo stack). */
  endRedos(): void {
    this.snapshots.redo = [];
  }

  /**
   * A change replaced (nearly) the whole document. If it is the undo (or redo) of an earlier
   * replacement — its geometry is that replacement's inverse and every remembered quote is back at
   * its place — the spans return exactly; otherwise every span is found again.
   */
  follow(changes: readonly TextChange[], read: TextReader, newLength: number, oldLength: number | undefined, options: TextChangeOptions): EditOutcome {
    const { spans } = this;
    const reason = options.reason;
    const geometry = changes.map((c) => `${c.rangeOffset}:${c.rangeLength}:${c.text.length}`).join(',');
    const inverse = inverseGeometry(changes);
    // what is placed now, to give back if this replacement is undone (offsets not yet shifted)
    const current = spans.index.all().map((e) => ({ rec: e.value, start: e.start, end: e.end, text: e.value.text }));
    const labels = new Set<string>(spans.all().map((s) => s.label));
    // an undo takes a snapshot kept for undo and keeps one for its redo, and the other way round;
    // an ordinary replacement (no reason: a rewrite on disk back to an earlier text) is matched
    // like an undo, and ends the redos as VS Code does
    const from = reason === 'redo' ? this.snapshots.redo : this.snapshots.undo;
    const keep = reason === 'undo' ? this.snapshots.redo : this.snapshots.undo;
    if (!reason) this.snapshots.redo = [];
    for (let k = from.length - 1; k >= 0; k--) {
      const snap = from[k];
      if (snap.inverse !== geometry) continue;
      if (!snap.spans.every((s) => s.end <= newLength && read(s.start, s.end) === s.text)) continue;
      from.splice(k, 1);
      this.remember(keep, inverse, current);
      return this.restore(snap, read, newLength, labels);
    }
    this.remember(keep, inverse, current);
    const previous = options.previousText?.();
    const followed = previous !== undefined && this.followByDiff(previous, changes, read, newLength, oldLength, labels);
    if (followed) return followed;
    const map = new OffsetMap(read(0, newLength));
    const recs = new Map<string, Rec>();
    const quoted: Annotation[] = [];
    for (const e of spans.index.all()) {
      recs.set(e.id, e.value);
      // old UTF-16 offsets stand in for code points: position is only one piece of evidence
      quoted.push(quotedAnnotation(spanOf(e.value, e.start, e.end)));
    }
    for (const o of spans.orphans.values()) {
      recs.set(o.id, recOf(o));
      quoted.push(quotedAnnotation(o));
    }
    const report = reanchorAnnotations(quoted, map, oldLength === undefined ? {} : { oldLength });
    spans.index.reset([], newLength);
    spans.orphans.clear();
    spans.takeReanchored(report, map, recs);
    for (const s of spans.all()) labels.add(s.label);
    spans.noteOrphans();
    this.host.changed({ labels });
    return { removed: [], restored: [], reattached: [], reanchored: report };
  }

  /** The undo (or redo) of a remembered replacement: its spans return exactly. */
  private restore(snap: WholeSnapshot, read: TextReader, newLength: number, labels: Set<string>): EditOutcome {
    const { spans } = this;
    // a span the user removed since (an annotation operation, not this text's history) stays removed
    const back = snap.spans.filter((s) => !spans.removedByStep.has(s.rec.id));
    const ids = new Set(back.map((s) => s.rec.id));
    // spans made since (or re-anchored ones that are not in the snapshot) are re-anchored below
    const others = spans.index.all().filter((e) => !ids.has(e.id));
    for (const s of back) {
      s.rec.text = s.text;
      // an orphan since: its label and metadata as they are now (the snapshot shares only placed records)
      const o = spans.orphans.get(s.rec.id);
      if (o) Object.assign(s.rec, { label: o.label, meta: o.meta });
      spans.orphans.delete(s.rec.id);
    }
    spans.index.reset(back.map((s) => ({ value: s.rec, start: s.start, end: s.end })), newLength);
    spans.index.restoreHistory(snap.history);
    if (others.length) {
      const map = new OffsetMap(read(0, newLength));
      const report = reanchorAnnotations(others.map((e) => quotedAnnotation(spanOf(e.value, 0, 0))), map);
      spans.takeReanchored(report, map, new Map(others.map((e) => [e.id, e.value])));
    }
    for (const s of back) labels.add(s.rec.label);
    spans.noteOrphans();
    this.host.changed({ labels });
    return { removed: [], restored: back.map((s) => spanOf(s.rec, s.start, s.end)), reattached: [] };
  }

  /**
   * A replacement of (nearly) the whole text whose text before is known (a reload of a file
   * rewritten on disk): followed as the edits a diff of the two texts finds, so spans whose words
   * survive keep their places; only spans whose whole text went are looked for by quote. Undefined
   * when the texts are too different to diff (the caller re-anchors every span by quote).
   */
  private followByDiff(previous: string, changes: readonly TextChange[], read: TextReader, newLength: number, oldLength: number | undefined, labels: Set<string>): EditOutcome | undefined {
    const { spans } = this;
    const text = read(0, newLength);
    // (an out-of-date copy of the text before is never trusted: the text around the change must agree)
    const edits = previous.length === oldLength || oldLength === undefined ? diffOfChanges(previous, text, changes) : undefined;
    if (!edits) return undefined;
    const refined: TextChange[] = [];
    for (let i = edits.length - 1; i >= 0; i--) refined.push({ rangeOffset: edits[i].offset, rangeLength: edits[i].length, text: edits[i].text });
    const r = spans.index.applyChanges(refined, { documentLength: newLength });
    if (r.needsReanchor) return undefined;
    // (these edits are not VS Code's: its undo of the replacement is matched by the whole snapshot)
    spans.index.clearStash();
    for (const e of r.edited) {
      const [start, end] = narrowToQuote(read, e.start, e.end, e.value.text);
      if (start !== e.start || end !== e.end) spans.index.add(e.value, start, end);
      e.value.text = read(start, end);
    }
    const moved = spans.index.size;
    if (r.removed.length) return withMoved(this.external.followExternal(r.removed, [], read, newLength), moved);
    const reattached = spans.orphans.size ? spans.retry(read, newLength, labels) : [];
    spans.noteOrphans();
    this.host.changed({ labels });
    return { removed: [], restored: [], reattached, reanchored: { annotations: [], unchanged: 0, moved, orphaned: [] } };
  }

  private remember(list: WholeSnapshot[], inverse: string, spans: WholeSnapshot['spans']): void {
    list.push({ inverse, spans, history: this.spans.index.saveHistory() });
    if (list.length > WHOLE_LIMIT) list.shift();
  }
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
