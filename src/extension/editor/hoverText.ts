/** The text of an annotation's hover, apart from its command links (no `vscode` here: unit tested). */
import { Span } from '../../core/annotationDocument';
import { Relation } from '../../core/schema';
import { escapeMarkdown } from '../common/markdown';
import { shorten } from '../common/names';

/**
 * Everything here but the fixed words comes from a file (a hand-edited or merged sidecar), and the
 * hover is trusted to run the six annotation commands its links name (see hover.ts): every such
 * piece is escaped, so none can become a link, an image, a theme icon or a code span that ends
 * early. The id is escaped text, not a code span.
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

/**
 * One line per relation of `s`, seen from it: "→ **outcome**: “dismissed without notice”" for a
 * link it starts, "←" for one that points to it. `actions(r, otherId)` appends the command links.
 */
export function describeRelations(s: Span, relations: readonly Relation[], get: (id: string) => Span | undefined, actions: (r: Relation, otherId: string) => string): string {
  return relations
    .map((r) => {
      const outgoing = r.from === s.id;
      const otherId = outgoing ? r.to : r.from;
      const other = get(otherId);
      const short = shorten(other ? other.text : otherId, 60);
      const note = r.note ? ` — ${escapeMarkdown(r.note)}` : '';
      return `${outgoing ? '→' : '←'} **${escapeMarkdown(r.label)}**: “${escapeMarkdown(short)}”${other ? ` (${escapeMarkdown(other.label)})` : ''}${note} ${actions(r, otherId)}`;
    })
    .join('  \n');
}

/** A relation a language model suggests between two annotations (see suggestions/modelResults.ts). */
export interface SuggestedRelation {
  label: string;
  from: Span;
  to: Span;
  model: string;
}

/** "$(lightbulb) suggested → **outcome**: “dismissed” (sanction), by vendor/id", seen from `s`; `action` is the Link link. */
export function describeSuggestedRelation(s: Span, r: SuggestedRelation, action: string): string {
  const outgoing = r.from.id === s.id;
  const other = outgoing ? r.to : r.from;
  return `$(lightbulb) suggested ${outgoing ? '→' : '←'} **${escapeMarkdown(r.label)}**: “${escapeMarkdown(shorten(other.text, 60))}” (${escapeMarkdown(other.label)}), by ${escapeMarkdown(r.model)} ${action}`;
}
