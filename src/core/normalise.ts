/**
 * Entity normalisation: an annotation labelled `force`, `allegation` or `sanction` (or another
 * gazetteer category) whose text names a gazetteer entry carries that entry's id as its `type`
 * attribute — "the Met", "Metropolitan Police" and "Scotland Yard" are all `metropolitan` — so
 * counts are per force, not per spelling.
 *
 * Rule: detect the gazetteer terms inside the span's text; when the matches of the span's own
 * category name exactly one entry, that entry is the type. Several different entries (a span
 * covering two forces) or none leave the type unset rather than guessing, unless one of them
 * covers at least 60% of the span.
 *
 * In context: some names are a force only before a policing word ("Hampshire" in "A Hampshire
 * police officer"). When the span alone names nothing, the text that follows it (`after`: the
 * annotation's `suffix`, or the article) is given to the detector too, and an entry matched over
 * exactly the span's text is the type — the same decision the detector made when it suggested it.
 *
 * A bare county name in a span the annotator labelled `force` counts as its force even with no
 * policing word after it: the label is that evidence (the dashboard counted "Hampshire" apart from
 * Hampshire and Isle of Wight Constabulary).
 *
 * An allegation that names no entry (a described conduct) takes the conduct category its words
 * point to (data/gazetteers/conduct.json), as the detector's clause rule does.
 */
import { CATEGORIES, conductCategory, detectTerms } from './detect';
import { Annotation } from './schema';

const CATEGORY_SET = new Set<string>(CATEGORIES);

export function entityType(label: string, text: string, after?: string): string | undefined {
  if (!CATEGORY_SET.has(label)) return undefined;
  const own = typeOfText(label, text);
  return own === IN_CONTEXT ? typeInContext(label, text, after) : own;
}

/**
 * `entityType` for counting many annotations: what a span's text alone says is remembered per
 * label and text (a corpus names the same forces and sanctions over and over; the detector runs
 * again only for the text with what follows it).
 */
export function entityTypeCounter(): (label: string, text: string, after?: string) => string | undefined {
  const known = new Map<string, string | undefined | typeof IN_CONTEXT>();
  return (label, text, after) => {
    if (!CATEGORY_SET.has(label)) return undefined;
    const key = `${label}\u0000${text}`;
    let own = known.get(key);
    if (own === undefined && !known.has(key)) known.set(key, (own = typeOfText(label, text)));
    return own === IN_CONTEXT ? typeInContext(label, text, after) : own;
  };
}

/** The text alone names nothing of its category: what follows it decides. */
const IN_CONTEXT = Symbol('in context');

function typeOfText(label: string, text: string): string | undefined | typeof IN_CONTEXT {
  const matches = detectTerms(text).filter((m) => m.category === label);
  const types = new Set(matches.map((m) => m.type));
  if (types.size === 1) return [...types][0];
  if (types.size > 1) {
    // "would have been dismissed without notice if he had not resigned": one entry names most of it
    const longest = matches.reduce((x, y) => (y.end - y.start > x.end - x.start ? y : x));
    return longest.end - longest.start >= 0.6 * text.trim().length ? longest.type : undefined;
  }
  // a described conduct ("had relationships with vulnerable women") takes its category by its words
  if (label === 'allegation') return conductCategory(text);
  return IN_CONTEXT;
}

function typeInContext(label: string, text: string, after: string | undefined): string | undefined {
  const types = new Set<string>();
  if (after) {
    const inContext = new Set(
      detectTerms(text + after.slice(0, 64))
        .filter((m) => m.category === label && m.start === 0 && m.end === text.length)
        .map((m) => m.type),
    );
    if (inContext.size === 1) return [...inContext][0];
  }
  if (label === 'force') {
    const bare = text.trim();
    // only a match covering the whole name: "Hampshire" → "Hampshire Police", not part of a phrase
    for (const m of detectTerms(`${bare} Police`)) if (m.category === 'force' && m.start === 0 && m.end >= bare.length) types.add(m.type);
  }
  return types.size === 1 ? [...types][0] : undefined;
}

/**
 * The annotation with its `type` attribute filled in when it has none and one can be derived
 * (from its text, else from its text and suffix). An explicit `type` (set by hand or by an
 * accepted suggestion) is never replaced.
 */
export function withEntityType(a: Annotation): Annotation {
  if (a.attributes?.type) return a;
  const type = entityType(a.label, a.text, a.suffix);
  return type ? { ...a, attributes: { ...(a.attributes ?? {}), type } } : a;
}
