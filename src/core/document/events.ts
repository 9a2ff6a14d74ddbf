/** The change events of a document, and the counters a reader checks to know what is stale. */
import { SortedPatch } from './sortedView';
import { Spans } from './spans';

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

/** A change as the document's parts report it. */
export interface Changed {
  labels: Iterable<string>;
  fromHistory?: boolean;
  shifted?: boolean;
  relations?: boolean;
  form?: boolean;
  /** How the change moved spans in the sorted view (none: the view is built again when read). */
  patch?: SortedPatch;
}

export type Listener = (e: ChangeEvent) => void;

export class ChangeEvents {
  private readonly listeners = new Set<Listener>();
  /** Counts every change (a write that began at revision r is current while it stays r). */
  revision = 0;
  /** Counts the changes that add, remove or change spans (not typing that only moves them). */
  spanRevision = 0;
  /** Whether annotations changed since they were last written or loaded. */
  dirty = false;

  constructor(private readonly spans: Spans) {}

  on(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Something to write changed. */
  changed(c: Changed): void {
    this.dirty = true;
    this.emit(c);
  }

  /** What was loaded replaced everything (nothing to write). */
  loaded(c: Changed): void {
    this.dirty = false;
    this.emit(c);
  }

  private emit(c: Changed): void {
    const labels = new Set(c.labels);
    const onlyMoved = !labels.size && !!c.shifted;
    this.spans.changed(c.patch, onlyMoved);
    if (!onlyMoved) this.spanRevision++;
    this.revision++;
    const e: ChangeEvent = {
      labels,
      fromHistory: !!c.fromHistory,
      ...(c.shifted ? { shifted: true } : {}),
      ...(c.relations ? { relations: true } : {}),
      ...(c.form ? { form: true } : {}),
    };
    for (const l of [...this.listeners]) l(e);
  }
}
