/**
 * Suggestions for one open article: detector matches over a window around what is visible,
 * minus what is already annotated with the same label and what the annotator rejected.
 *
 * Detection never runs on the keystroke path: edits mark the window stale and a debounced pass
 * recomputes it; scrolling past the window recomputes once for the new window.
 */
import * as vscode from 'vscode';
import { PhraseLearner } from '../../core/learn';
import { Suggestion, suggestionsIn } from './detection';
import { ArticleSession } from '../store/articleSession';

/** The detector's kinds (`misconduct.suggestions.categories`); other labels can only be learned. */
const KINDS = new Set(['force', 'body', 'rank', 'allegation', 'sanction']);

export class SuggestionModel {
  /** Offsets [from, to) covered by `items`. */
  window: [number, number] = [0, 0];
  items: Suggestion[] = [];
  version = -1;
  /** What was learned changed since the last pass, while no editor showed the article. */
  stale = false;

  constructor(readonly session: ArticleSession) {}

  /**
   * Recomputes for a window of the document; `categories` limits what is shown (a learned phrase
   * is shown when its label is one of `labels`, the configured labels).
   */
  compute(window: [number, number], categories: ReadonlySet<string>, learner?: PhraseLearner, labels: ReadonlySet<string> = new Set(), fromModel: readonly Suggestion[] = []): void {
    const doc = this.session.document;
    this.stale = false;
    const asked = this.modelItems(window, labels, fromModel);
    if (!categories.size) {
      // suggestions are off: nothing found could be shown, so nothing is looked for (a pass over a
      // window of a long article costs the extension host hundreds of milliseconds)
      this.window = window;
      this.version = doc.version;
      // a language model's suggestions were asked for by a command: shown even with detection off
      this.items = asked;
      return;
    }
    const text = doc.getText(new vscode.Range(doc.positionAt(window[0]), doc.positionAt(window[1])));
    const raw = suggestionsIn(text, window[0], learner).filter(
      (s) => categories.has(s.category) || (s.source === 'learned' && !KINDS.has(s.category) && labels.has(s.category)),
    );
    this.window = window;
    this.version = doc.version;
    if (!asked.length) {
      this.items = raw;
      return;
    }
    const seen = new Set(raw.map((s) => `${s.start}:${s.end}:${s.category}`));
    this.items = [...raw, ...asked.filter((s) => !seen.has(`${s.start}:${s.end}:${s.category}`))].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /**
   * A model's suggestions in the window whose label is configured and whose text is still where it
   * was (an edit since the model answered moves or removes them; a run again finds them anew).
   */
  private modelItems(window: [number, number], labels: ReadonlySet<string>, fromModel: readonly Suggestion[]): Suggestion[] {
    if (!fromModel.length) return [];
    const doc = this.session.document;
    return fromModel.filter(
      (s) => s.start >= window[0] && s.end <= window[1] && labels.has(s.category) && doc.getText(new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end))) === s.text,
    );
  }

  /** Learned phrases changed while the article was out of view: its next showing recomputes. */
  markStale(): void {
    this.stale = true;
  }

  /**
   * What to draw and offer: not rejected, and not overlapping an annotation with that label (no
   * second span of a label nested in or crossing one already there: "Met" in a tagged "Met Police").
   */
  visible(): Suggestion[] {
    const annotations = this.session.doc;
    // the status bar asks after every pause in typing, and a pass over a window of a long report's
    // suggestions costs milliseconds: kept until the items or the spans change (typing that only
    // moves the spans leaves the items stale anyway, until the pass after it)
    const cached = this.visibleCache;
    if (cached && cached.items === this.items && cached.spanRevision === annotations.spanRevision) return cached.out;
    const rejected = new Set(annotations.rejected.map((r) => `${r.start}:${r.end}:${r.label}`));
    const out = this.items.filter((s) => {
      if (rejected.has(`${s.start}:${s.end}:${s.category}`)) return false;
      return !annotations.inRange(s.start, s.end).some((a) => a.label === s.category && a.start < s.end && s.start < a.end);
    });
    this.visibleCache = { items: this.items, spanRevision: annotations.spanRevision, out };
    return out;
  }

  private visibleCache: { items: Suggestion[]; spanRevision: number; out: Suggestion[] } | undefined;

  /** Suggestions under an offset or overlapping a selection. */
  at(from: number, to = from): Suggestion[] {
    return this.visible().filter((s) => (from === to ? s.start <= from && from <= s.end : s.start < to && s.end > from));
  }
}
