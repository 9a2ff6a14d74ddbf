/** Escaping for MarkdownStrings (hovers, tooltips) whose text comes from files the user did not write here. */

/**
 * Escapes text for a MarkdownString. Unlike `appendText`, keeps spaces as spaces, so long quotes
 * wrap in the hover instead of running off in one line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, '\\$&').replace(/\r?\n/g, '  \n');
}
