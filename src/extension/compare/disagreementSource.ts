/**
 * The extension point through which compare-mode disagreements appear in the Annotations view
 * (a "Disagreements (n)" group), in the same shape as `SuggestionSource`.
 *
 * One item per disagreeing span, mine or theirs; `cluster` is the id of the cluster it belongs to
 * (overlapping disagreeing spans of both sides). A tree element that carries `{ uri, cluster }`
 * can be handed as-is to `misconduct.acceptTheirs` / `keepMine` / `keepBoth` / `removeBoth`
 * (they read `uri` and `cluster` from their argument), e.g. as inline actions with
 * `"when": "view == misconduct.annotations && viewItem == misconduct.disagreement"`.
 */
import * as vscode from 'vscode';
import { CompareApi } from './compareController';

export interface DisagreementView {
  /** Stable while the spans do not change: `<cluster>/<side>/<span id>`. */
  id: string;
  /** The cluster id (`"start:end"`, UTF-16 offsets) the resolution commands take. */
  cluster: string;
  /**
   * Which side has this span (the other side has no span with the same start, end and label), or
   * `both`: one row for a cluster where both sides have spans (a label or boundary conflict), so the
   * two sides are read together; `label` is then mine and `theirLabel` theirs.
   */
  side: 'mine' | 'theirs' | 'both';
  label: string;
  /** For `both`: the other set's label(s), e.g. "allegation". */
  theirLabel?: string;
  text: string;
  /** UTF-16 offsets into the live text of the article, like `Span`. */
  start: number;
  end: number;
  author?: string;
}

export interface DisagreementSource {
  /** Fires when the disagreements of an article (or of every article: undefined) changed. */
  readonly onDidChange: vscode.Event<vscode.Uri | undefined>;
  /** The unresolved disagreements of an open article in reading order (empty when not comparing). */
  disagreements(uri: vscode.Uri): readonly DisagreementView[];
}

export function disagreementSource(compare: CompareApi): DisagreementSource {
  return {
    onDidChange: (listener, thisArg, disposables) => compare.onDidChange((uri) => listener.call(thisArg, uri), undefined, disposables),
    disagreements(uri) {
      const out: DisagreementView[] = [];
      for (const c of compare.disagreements(uri)) {
        if (c.mine.length && c.theirs.length) {
          const labels = (spans: ReadonlyArray<{ label: string }>) => [...new Set(spans.map((s) => s.label))].join(', ');
          const widest = [...c.mine, ...c.theirs].sort((a, b) => b.end - b.start - (a.end - a.start))[0];
          const author = c.theirs.find((t) => t.author)?.author;
          out.push({ id: `${c.id}/both`, cluster: c.id, side: 'both', label: labels(c.mine), theirLabel: labels(c.theirs), text: widest.text, start: c.start, end: c.end, author });
          continue;
        }
        for (const s of c.mine) {
          out.push({ id: `${c.id}/mine/${s.id}`, cluster: c.id, side: 'mine', label: s.label, text: s.text, start: s.start, end: s.end, author: s.meta.author });
        }
        for (const t of c.theirs) {
          out.push({ id: `${c.id}/theirs/${t.id}`, cluster: c.id, side: 'theirs', label: t.label, text: t.text, start: t.start, end: t.end, author: t.author });
        }
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.side < b.side ? -1 : a.side > b.side ? 1 : 0));
    },
  };
}
