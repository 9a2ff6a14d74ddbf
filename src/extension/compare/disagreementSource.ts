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
  /** Which side has this span (the other side has no span with the same start, end and label). */
  side: 'mine' | 'theirs';
  label: string;
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
