import { escapeMarkdown } from './markdown';

/**
 * A Markdown link that runs `command` with `args` in a trusted MarkdownString. The title is escaped
 * (it may quote a label or a file name) and the arguments are percent-encoded JSON, parentheses too
 * (`encodeURIComponent` leaves them, and an id with a `)` would end the link), so neither can end
 * the link early or add a link of its own. `icon` names a theme icon drawn before the title: it is
 * ours, not the file's, so it is the one part left as Markdown.
 */
export function commandLink(title: string, command: string, args: unknown, icon?: string): string {
  const query = encodeURIComponent(JSON.stringify([args])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${icon ? `$(${icon}) ` : ''}${escapeMarkdown(title)}](command:${command}?${query})`;
}
