/**
 * The relations between an article's spans, indexed by the spans they hold. A relation is live
 * only while both its ends are: one whose end is gone (its span deleted by a text edit) is kept, so
 * a text undo that brings the span back brings the link back too; it is not shown or written while
 * an end is missing.
 */
import { compareRelations } from '../sidecarEncoding';
import { Relation } from '../schema';
import { emptyPair, note, Pair } from './pairs';

export class Relations {
  /** Relations by id, live or not. */
  private byId = new Map<string, Relation>();
  /** Relation ids by the span ids they hold (for a span's links without scanning them all). */
  private bySpan = new Map<string, Set<string>>();

  /** @param has whether a span is there (placed or orphaned). */
  constructor(private readonly has: (spanId: string) => boolean) {}

  private live(r: Relation | undefined): r is Relation {
    return !!r && this.has(r.from) && this.has(r.to);
  }

  /** Live relations, in the order they were made. */
  all(): Relation[] {
    const out: Relation[] = [];
    for (const r of this.byId.values()) if (this.live(r)) out.push(r);
    return out.sort(compareRelations);
  }

  get(id: string): Relation | undefined {
    const r = this.byId.get(id);
    return this.live(r) ? r : undefined;
  }

  /** A relation kept, live or not. */
  kept(id: string): Relation | undefined {
    return this.byId.get(id);
  }

  /** Live relations that start or end at a span, in the order they were made. */
  of(spanId: string): Relation[] {
    const ids = this.bySpan.get(spanId);
    if (!ids) return [];
    const out: Relation[] = [];
    for (const id of ids) {
      const r = this.byId.get(id);
      if (this.live(r)) out.push(r);
    }
    return out.sort(compareRelations);
  }

  /** Puts relations in by id (undefined removes one). */
  put(after: ReadonlyMap<string, Relation | undefined>): void {
    for (const [id, r] of after) {
      this.remove(id);
      if (r) this.add(r);
    }
  }

  /**
   * The relations that lose an end when the spans removed in `spans` go, before and after by id.
   * When one span replaces one (accepting theirs for mine), its links follow it instead.
   */
  droppedWith(spans: Pair<{ id: string }>): Pair<Relation> | undefined {
    const pair = emptyPair<Relation>();
    const after = spans.after;
    for (const r of this.byId.values()) {
      const cut = (after.has(r.from) && !after.get(r.from)) || (after.has(r.to) && !after.get(r.to));
      if (cut) note(pair, r, undefined);
    }
    if (!pair.after.size) return undefined;
    const removed = [...after.keys()].filter((id) => after.get(id) === undefined);
    const added = [...after.keys()].filter((id) => after.get(id) !== undefined && spans.before.get(id) === undefined);
    if (removed.length === 1 && added.length === 1) {
      const [old, now] = [removed[0], added[0]];
      for (const [id, r] of pair.before) pair.after.set(id, { ...r!, from: r!.from === old ? now : r!.from, to: r!.to === old ? now : r!.to });
    }
    return pair;
  }

  load(relations: readonly Relation[]): void {
    this.byId = new Map();
    this.bySpan = new Map();
    for (const r of relations) this.add(r);
  }

  private add(r: Relation): void {
    this.byId.set(r.id, r);
    for (const end of [r.from, r.to]) {
      const ids = this.bySpan.get(end);
      if (ids) ids.add(r.id);
      else this.bySpan.set(end, new Set([r.id]));
    }
  }

  private remove(id: string): void {
    const r = this.byId.get(id);
    if (!r) return;
    this.byId.delete(id);
    for (const end of [r.from, r.to]) {
      const ids = this.bySpan.get(end);
      ids?.delete(id);
      if (ids && !ids.size) this.bySpan.delete(end);
    }
  }
}
