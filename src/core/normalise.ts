/**
 * Entity normalisation: an annotation labelled `force`, `allegation` or `sanction` (or another
 * gazetteer category) whose text names a gazetteer entry carries that entry's id as its `type`
 * attribute — "the Met", "Metropolitan Police" and "Scotland Yard" are all `metropolitan` — so
 * counts are per force, not per spelling.
 *
 * Rule: detect the gazetteer terms inside the span's text; when the matches of the span's own
 * category name exactly one entry, that entry is the type. Several different entries (a span
 * covering two forces) or none leave the type unset rather than guessing.
 *
 * A bare county name ("Hampshire", "Nottinghamshire") is a force to the detector only before a
 * policing word; in a span the annotator labelled `force`, the label is that evidence, so the name
 * is read as if a policing word followed it (issue 18: the dashboard counted "Hampshire" apart from
 * Hampshire and Isle of Wight Constabulary).
 */
import { CATEGORIES, detectTerms } from './detect';
import { Annotation } from './schema';

const CATEGORY_SET = new Set<string>(CATEGORIES);

export function entityType(label: string, text: string): string | undefined {
  if (!CATEGORY_SET.has(label)) return undefined;
  const types = new Set(detectTerms(text).filter((m) => m.category === label).map((m) => m.type));
  if (!types.size && label === 'force') {
    const bare = text.trim();
    // only a match covering the whole name: "Hampshire" → "Hampshire Police", not part of a phrase
    for (const m of detectTerms(`${bare} Police`)) if (m.category === 'force' && m.start === 0 && m.end >= bare.length) types.add(m.type);
  }
  return types.size === 1 ? [...types][0] : undefined;
}

/**
 * The annotation with its `type` attribute filled in when it has none and one can be derived.
 * An explicit `type` (set by hand or by an accepted suggestion) is never replaced.
 */
export function withEntityType(a: Annotation): Annotation {
  if (a.attributes?.type) return a;
  const type = entityType(a.label, a.text);
  return type ? { ...a, attributes: { ...(a.attributes ?? {}), type } } : a;
}
