/**
 * Article progress: the status an article is in (recorded, or inferred from its annotations), the
 * "done" toggle, and a corpus summary. Pure, so the CLI, the sidebar and the tests agree.
 */
import { ArticleStatus, Sidecar } from './schema';

/** The recorded status, else inferred: annotations mean work has started. Same rule as `stats`. */
export function effectiveStatus(recorded: ArticleStatus | undefined, annotationCount: number): ArticleStatus {
  return recorded ?? (annotationCount > 0 ? 'in_progress' : 'not_started');
}

/** What "Mark Article Done" sets: done, or back to in progress when it is done already. */
export function toggledDone(current: ArticleStatus): ArticleStatus {
  return current === 'done' ? 'in_progress' : 'done';
}

export const STATUS_TITLES: Record<ArticleStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};

/** A sidecar with a new status (the rest untouched). */
export function withStatus(sidecar: Sidecar, status: ArticleStatus | undefined): Sidecar {
  const next: Sidecar = { ...sidecar };
  if (status === undefined) delete next.status;
  else next.status = status;
  return next;
}

export interface ProgressSummary {
  total: number;
  done: number;
  inProgress: number;
  notStarted: number;
  /** Articles whose annotations are invalid or orphaned. */
  flagged: number;
}

export function summarize(items: Iterable<{ status: ArticleStatus; flagged?: boolean }>): ProgressSummary {
  const s: ProgressSummary = { total: 0, done: 0, inProgress: 0, notStarted: 0, flagged: 0 };
  for (const item of items) {
    s.total++;
    if (item.status === 'done') s.done++;
    else if (item.status === 'in_progress') s.inProgress++;
    else s.notStarted++;
    if (item.flagged) s.flagged++;
  }
  return s;
}

/** "12 / 40 done" */
export function formatProgress(s: ProgressSummary): string {
  return `${s.done} / ${s.total} done`;
}
