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
  { name: 'officer', color: '#CC79A7', description: 'The officer or staff member: "PC Jane Doe", "a former detective sergeant"' },
];

/** Colours for labels a user adds without one: the rest of the Okabe–Ito palette. */
export const EXTRA_LABEL_COLORS = ['#E69F00', '#56B4E9', '#F0E442', '#999999'];

/** Colour id contributed for a default label, e.g. `misconduct.label.force`. */
export function labelColorId(name: string): string {
  return `misconduct.label.${name}`;
}

/** Solid colour id for a default label's icons (QuickPick, sidebar), e.g. `misconduct.labelIcon.force`. */
export function labelIconColorId(name: string): string {
  return `misconduct.labelIcon.${name}`;
}

/** The suggestion categories a label can take (the detector's categories). */
export const SUGGESTION_CATEGORIES = ['force', 'body', 'rank', 'allegation', 'sanction'] as const;

const NAME = /^[a-z][a-z0-9_-]*$/;
const COLOR = /^#[0-9a-f]{3}([0-9a-f]{3})?([0-9a-f]{2})?$/i;

/** Why `name` cannot be a new label name (undefined: it can). `except`: the label being renamed. */
export function labelNameProblem(name: string, labels: readonly Pick<LabelDefinition, 'name'>[], except?: string): string | undefined {
  if (!NAME.test(name)) return 'A label name is lower-case letters, digits, "-" or "_", starting with a letter.';
  if (name !== except && labels.some((l) => l.name === name)) return `There is already a label "${name}".`;
  return undefined;
}

/** Why `color` cannot be a label colour (undefined: it can). */
export function labelColorProblem(color: string): string | undefined {
  return COLOR.test(color) ? undefined : 'A colour is written #rgb, #rrggbb or #rrggbbaa.';
}

/** The label list as the `misconduct.labels` setting stores it (no empty fields). */
export function labelSetting(labels: readonly LabelDefinition[]): LabelDefinition[] {
  return labels.map((l) => ({
    name: l.name,
    color: l.color,
    ...(l.description ? { description: l.description } : {}),
    ...(l.categories ? { categories: [...l.categories] } : {}),
  }));
}

/** The list with `name` changed by `change` (name, colour, description or categories). */
export function updateLabel(labels: readonly LabelDefinition[], name: string, change: Partial<LabelDefinition>): LabelDefinition[] {
  return labelSetting(labels.map((l) => (l.name === name ? { ...l, ...change } : l)));
}

export function removeLabel(labels: readonly LabelDefinition[], name: string): LabelDefinition[] {
  return labelSetting(labels.filter((l) => l.name !== name));
}

export function addLabel(labels: readonly LabelDefinition[], label: LabelDefinition): LabelDefinition[] {
  return labelSetting([...labels, label]);
}
