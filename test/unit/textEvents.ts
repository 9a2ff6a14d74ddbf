/**
 * Text change events as VS Code sends them, for the tests of the span index and the annotation
 * document: applying an event to a string, the undo event VS Code sends for it, and offsets kept
 * off the middle of a surrogate pair.
 */
import { ContentChange } from '../../src/core/spanIndex';

/** Keeps an offset off the middle of a surrogate pair (VS Code never splits one). */
export function boundary(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return at > 0 && at < text.length && c >= 0xdc00 && c <= 0xdfff ? at - 1 : at;
}

/** Applies an event's changes in the order given (VS Code's: descending, offsets before the event). */
export function applyText(text: string, changes: readonly ContentChange[]): string {
  for (const c of changes) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
  return text;
}

/**
 * The undo event VS Code sends for an event: each change inverted (its inserted text replaced by
 * the text it deleted), in the document after the event (a change moves by the deltas of the
 * changes below it), sorted descending again.
 */
export function inverseOf(before: string, changes: readonly ContentChange[]): ContentChange[] {
  const sorted = [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset);
  let shift = 0;
  const out: ContentChange[] = [];
  for (const c of sorted) {
    out.push({ rangeOffset: c.rangeOffset + shift, rangeLength: c.text.length, text: before.slice(c.rangeOffset, c.rangeOffset + c.rangeLength) });
    shift += c.text.length - c.rangeLength;
  }
  return out.reverse();
}
