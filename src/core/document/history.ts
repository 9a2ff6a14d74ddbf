/**
 * The annotation history: undo and redo of annotation operations (tag, remove, relabel, link, a
 * form field, settling a merge conflict …). A step is a list of changes, one per part of the
 * document it touches; each change knows how to put itself in and what undoes it, so a new kind of
 * state adds a change class, not a field every step carries.
 */
import { ArticleStatus, Conflict, FieldValue, Rejection, Relation } from '../schema';
import type { ArticleSource } from '../source';
import { CodingForm } from './form';
import { Rejections } from './rejections';
import { Relations } from './relations';
import { Span } from './span';
import { Spans } from './spans';

/** What applying a step touched, for the one change event it ends in. */
export interface Effect {
  /** Labels of the spans it changed. */
  labels: Set<string>;
  /** The spans it replaced and the ids it put (for the sorted view's patch). */
  olds: Span[];
  ids: string[];
  relations: boolean;
  form: boolean;
}

export interface Change {
  apply(effect: Effect): void;
  /** The change that undoes this one. */
  inverse(): Change;
}

/** Values by key before and after a change (undefined = absent). */
interface Pair<V> {
  before: ReadonlyMap<string, V | undefined>;
  after: ReadonlyMap<string, V | undefined>;
}

/** Spans by id; a span the change names is the user's now (no longer a provisional re-attachment). */
export class SpanChange implements Change {
  constructor(private readonly spans: Spans, private readonly pair: Pair<Span>) {}
  apply(effect: Effect): void {
    for (const id of this.pair.after.keys()) this.spans.takenUp(id);
    this.spans.put(this.pair.after, effect.labels, effect.olds);
    effect.ids.push(...this.pair.after.keys());
  }
  inverse(): Change {
    return new SpanChange(this.spans, { before: this.pair.after, after: this.pair.before });
  }
}

/** Relations by id; linking or unlinking a span takes it up, as naming it does. */
export class RelationChange implements Change {
  constructor(private readonly spans: Spans, private readonly relations: Relations, private readonly pair: Pair<Relation>) {}
  apply(effect: Effect): void {
    for (const [id, r] of this.pair.after) {
      const was = this.pair.before.get(id);
      for (const end of [r?.from, r?.to, was?.from, was?.to]) if (end) this.spans.takenUp(end);
    }
    this.relations.put(this.pair.after);
    if (this.pair.after.size) effect.relations = true;
  }
  inverse(): Change {
    return new RelationChange(this.spans, this.relations, { before: this.pair.after, after: this.pair.before });
  }
}

export class FieldChange implements Change {
  constructor(private readonly form: CodingForm, private readonly pair: Pair<FieldValue>) {}
  apply(effect: Effect): void {
    this.form.put(this.pair.after);
    if (this.pair.after.size) effect.form = true;
  }
  inverse(): Change {
    return new FieldChange(this.form, { before: this.pair.after, after: this.pair.before });
  }
}

/** Replaces the article's source (the Case view's Source section): a form-level change. */
export class SourceChange implements Change {
  constructor(private readonly form: CodingForm, private readonly before: ArticleSource | undefined, private readonly after: ArticleSource | undefined) {}
  apply(effect: Effect): void {
    this.form.source = this.after;
    effect.form = true;
  }
  inverse(): Change {
    return new SourceChange(this.form, this.after, this.before);
  }
}

/** Replaces a whole value (the rejections, the recorded conflicts, the status). */
class Swap<T> implements Change {
  constructor(private readonly set: (v: T) => void, private readonly before: T, private readonly after: T) {}
  apply(): void {
    this.set(this.after);
  }
  inverse(): Change {
    return new Swap(this.set, this.after, this.before);
  }
}

export function rejectionChange(rejections: Rejections, after: Rejection[]): Change {
  return new Swap((v: Rejection[]) => (rejections.list = v), rejections.list, after);
}

export function conflictChange(form: CodingForm, after: Conflict[]): Change {
  return new Swap((v: Conflict[]) => (form.conflicts = v), form.conflicts, after);
}

export function statusChange(form: CodingForm, after: ArticleStatus | undefined): Change {
  return new Swap((v: ArticleStatus | undefined) => (form.status = v), form.status, after);
}

/** One undo step: its changes in order, undone in reverse. */
export class Step implements Change {
  constructor(private readonly changes: readonly Change[]) {}
  apply(effect: Effect): void {
    for (const c of this.changes) c.apply(effect);
  }
  inverse(): Change {
    return new Step(this.changes.map((c) => c.inverse()).reverse());
  }
}

const HISTORY_LIMIT = 200;

export class History {
  private undoStack: Change[] = [];
  private redoStack: Change[] = [];

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** A new step: the redos end. */
  push(step: Change): void {
    this.undoStack.push(step);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  /** The change that undoes the last step (moved to the redos), if any. */
  undo(): Change | undefined {
    const step = this.undoStack.pop();
    if (!step) return undefined;
    this.redoStack.push(step);
    return step.inverse();
  }

  /** The last step undone (moved back to the undos), if any. */
  redo(): Change | undefined {
    const step = this.redoStack.pop();
    if (!step) return undefined;
    this.undoStack.push(step);
    return step;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }
}
