/** The text of an annotation's hover, apart from its command links (no `vscode` here: unit tested). */
import { Span } from '../../core/annotationDocument';
import { escapeMarkdown } from '../views/markdown';

/**
 * Everything here but the fixed words comes from a file (a hand-edited or merged sidecar), and the
 * hover is trusted for three commands: every such piece is escaped, so none can become a link, an
 * image, a theme icon or a code span that ends early. The id is escaped text, not a code span.
 */
export function describeSpan(s: Span): string {
  const escape = escapeMarkdown;
  const lines = [`**${escape(s.label)}** $(tag)`];
  if (s.meta.note) lines.push(`$(note) ${escape(s.meta.note)}`);
  const facts = [s.meta.source === 'suggestion' ? 'accepted suggestion' : 'tagged by hand', s.meta.author ? `by ${escape(s.meta.author)}` : '', `id ${escape(s.id)}`];
  if (s.meta.attributes) facts.push(...Object.entries(s.meta.attributes).map(([k, v]) => `${escape(k)}: ${escape(v)}`));
  lines.push(facts.filter(Boolean).join(' · '));
  return lines.join('\n\n');
}
