/** Short names for messages, quick picks and tooltips (no `vscode` value import: unit tested). */
import type { Uri } from 'vscode';

/** The file name of `uri`, as messages name an article. */
export function basename(uri: Uri): string {
  return uri.path.split('/').pop() ?? uri.toString();
}

/** `text` on one line, cut to `max` characters with an ellipsis. */
export function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
