/**
 * Suggestions the annotator rejected, so they are not offered again. They follow the text like
 * spans (UTF-16 offsets while the article is open) and are dropped when their text is deleted.
 */
import { Rejection } from '../schema';
import { TextChange } from './span';

function key(r: { start: number; end: number; label: string }): string {
  return `${r.start}:${r.end}:${r.label}`;
}

export class Rejections {
  list: Rejection[] = [];

  has(r: Rejection): boolean {
    return this.list.some((x) => x.start === r.start && x.end === r.end && x.label === r.label);
  }

  /** The list without those of the same place and label as `drop`. */
  without(drop: readonly Rejection[]): Rejection[] {
    const keys = new Set(drop.map(key));
    return this.list.filter((r) => !keys.has(key(r)));
  }

  shift(changes: readonly TextChange[]): void {
    if (!this.list.length) return;
    for (const c of changes) {
      const cEnd = c.rangeOffset + c.rangeLength;
      const delta = c.text.length - c.rangeLength;
      this.list = this.list.flatMap((r) => (cEnd <= r.start ? [{ ...r, start: r.start + delta, end: r.end + delta }] : c.rangeOffset >= r.end ? [r] : []));
    }
  }
}
