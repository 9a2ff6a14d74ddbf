/**
 * The default label set: the one place its names, colours and descriptions are written.
 * scripts/build.mjs copies them into package.json (the `misconduct.labels` default and one
 * themable colour per label), and a unit test fails if the two drift apart.
 *
 * Colours are from the Okabe–Ito palette, chosen to stay distinct under the common forms of
 * colour blindness and to read on light and dark themes.
 */
export interface LabelDefinition {
  name: string;
  color: string;
  description?: string;
  /**
   * The suggestion categories (force, body, rank, allegation, sanction) this label takes: their
   * suggestions can be accepted as this label. Absent: the category of the label's own name.
   */
  categories?: readonly string[];
}

/**
 * The label a suggestion of `category` becomes, or undefined when no label takes it (then the
 * suggestion is a highlight only: it is drawn, but not offered to accept). A label takes the
 * categories it lists in `categories`; a label without `categories` takes the category of its own
 * name, so the default labels force, allegation and sanction take their suggestions and settings
 * written before `categories` existed keep working. The first label in the setting wins.
 */
export function labelForCategory(labels: readonly Pick<LabelDefinition, 'name' | 'categories'>[], category: string): string | undefined {
  return labels.find((l) => (l.categories ?? [l.name]).includes(category))?.name;
}

export const DEFAULT_LABEL_DEFINITIONS: readonly LabelDefinition[] = [
  { name: 'force', color: '#0072B2', description: 'The police force or service involved' },
  { name: 'allegation', color: '#D55E00', description: 'What the officer was accused of' },
  { name: 'sanction', color: '#009E73', description: 'The outcome: dismissal, warning, barring …' },
];

/** Colours for labels a user adds without one: the rest of the Okabe–Ito palette. */
export const EXTRA_LABEL_COLORS = ['#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#999999'];

/** Colour id contributed for a default label, e.g. `misconduct.label.force`. */
export function labelColorId(name: string): string {
  return `misconduct.label.${name}`;
}

/** Solid colour id for a default label's icons (QuickPick, sidebar), e.g. `misconduct.labelIcon.force`. */
export function labelIconColorId(name: string): string {
  return `misconduct.labelIcon.${name}`;
}
