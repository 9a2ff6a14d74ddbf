/**
 * The case model: relation types between spans and the coding form of an article, with their
 * defaults for UK police misconduct reports. The one place these defaults are written:
 * scripts/manifest.ts copies them into package.json (`misconduct.relations`,
 * `misconduct.documentFields`), and a unit test fails if the two drift apart.
 *
 * The form's options are gazetteer ids (data/gazetteers), so a value reads the same in the case
 * table as the `type` attribute of the span it was taken from.
 */
import { Category, entryName, Gazetteers, bundledGazetteers } from './detect/gazetteer';
import { FieldValue, FORBIDDEN_KEYS, LABEL_PATTERN } from './schema';

export interface RelationType {
  name: string;
  /** Labels the relation may start at (empty or absent: any). */
  from: readonly string[];
  /** Labels it may point to (empty or absent: any). */
  to: readonly string[];
  description?: string;
}

export const DEFAULT_RELATION_TYPES: readonly RelationType[] = [
  { name: 'outcome', from: ['allegation'], to: ['sanction'], description: 'What came of an allegation (finding, sanction).' },
  { name: 'subject', from: ['officer'], to: ['allegation'], description: 'The officer an allegation is about.' },
  { name: 'member', from: ['officer'], to: ['force'], description: 'The force the officer serves (or served) in.' },
];

const FIELD_TYPES = ['choice', 'multi', 'text', 'date', 'number', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldDefinition {
  name: string;
  type: FieldType;
  /** For choice and multi: the values offered (others are kept and shown as unknown). */
  options?: readonly string[];
  description?: string;
}

/** Kinds of entry that are an officer's rank or role (not a prefix such as "acting" or a status). */
const RANK_KINDS = new Set(['rank', 'detective_rank', 'role']);

function ids(data: Gazetteers, category: Category, keep: (e: Record<string, unknown>) => boolean): string[] {
  const g = data.gazetteers.find((x) => x.category === category);
  return (g?.entries ?? []).filter((e) => keep(e as Record<string, unknown>)).map((e) => e.id);
}

/**
 * The default codebook (../shared/domain/codebook.md): proceeding types of the Police (Conduct)
 * Regulations 2020, findings and outcomes (reg. 42) as sanction-gazetteer ids, the ten Standards of
 * Professional Behaviour as allegation-gazetteer ids, rank ids, force ids.
 */
export function defaultDocumentFields(data: Gazetteers = bundledGazetteers()): FieldDefinition[] {
  return [
    { name: 'force', type: 'choice', options: ids(data, 'force', () => true), description: 'The force the case is about (a force id).' },
    {
      name: 'officer_status',
      type: 'choice',
      options: ['serving', 'former', 'special_constable', 'police_staff', 'volunteer'],
      description: 'Serving, former (resigned or retired before the outcome), special constable, police staff or volunteer.',
    },
    { name: 'officer_rank', type: 'choice', options: ids(data, 'rank', (e) => RANK_KINDS.has(String(e.kind))), description: 'The rank or role (a rank id).' },
    {
      name: 'proceeding',
      type: 'choice',
      options: ['misconduct_meeting', 'misconduct_hearing', 'accelerated_misconduct_hearing', 'criminal_court', 'none_reported'],
      description: 'Meeting (misconduct), hearing (gross misconduct), accelerated hearing (incontrovertible evidence), criminal court.',
    },
    { name: 'finding', type: 'choice', options: ids(data, 'sanction', (e) => e.kind === 'finding'), description: 'What the proceeding found.' },
    {
      name: 'outcome',
      type: 'choice',
      options: ids(data, 'sanction', (e) => e.kind === 'sanction'),
      description: 'The disciplinary outcome (reg. 42): written warning … dismissal without notice; would have been dismissed for former officers.',
    },
    {
      name: 'standards',
      type: 'multi',
      options: ids(data, 'allegation', (e) => e.kind === 'standard'),
      description: 'The Standards of Professional Behaviour found breached or alleged (Schedule 2).',
    },
    { name: 'barred_list', type: 'boolean', description: 'Placed on the College of Policing barred list.' },
    { name: 'hearing_date', type: 'date', description: 'The date of the hearing or meeting (YYYY-MM-DD).' },
  ];
}

/** Equal form values (lists compared item by item, in order): one rule for the engine, merging and the Case view. */
export function sameFieldValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Why a value does not fit its field (undefined: it fits). Such values are kept and shown with this
 * message, never dropped: the settings may be older or newer than the file.
 */
export function fieldValueProblem(def: FieldDefinition | undefined, value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!def) return 'not a field of the configured codebook';
  switch (def.type) {
    case 'choice':
      if (typeof value !== 'string') return 'expected one option';
      if (def.options?.length && !def.options.includes(value)) return `"${value}" is not one of the options`;
      return undefined;
    case 'multi': {
      if (!Array.isArray(value)) return 'expected a list of options';
      const unknown = def.options?.length ? value.filter((v) => !def.options!.includes(v)) : [];
      return unknown.length ? `${unknown.map((v) => `"${v}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the options` : undefined;
    }
    case 'text':
      return typeof value === 'string' ? undefined : 'expected text';
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? undefined : 'expected a date written YYYY-MM-DD';
    case 'number':
      return typeof value === 'number' ? undefined : 'expected a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
  }
}

/** Why a settings entry is not a usable field (undefined: it is). */
export function fieldDefinitionProblem(def: unknown): string | undefined {
  if (!def || typeof def !== 'object') return 'a field is an object with "name" and "type"';
  const d = def as Record<string, unknown>;
  if (typeof d.name !== 'string' || !d.name || FORBIDDEN_KEYS.has(d.name)) return 'a field needs a "name" (not __proto__, constructor or prototype)';
  if (!FIELD_TYPES.includes(d.type as FieldType)) return `field "${d.name}": "type" is one of ${FIELD_TYPES.join(', ')}`;
  if (d.options !== undefined && !(Array.isArray(d.options) && d.options.every((o) => typeof o === 'string'))) return `field "${d.name}": "options" is a list of strings`;
  return undefined;
}

/** Why a settings entry is not a usable relation type (undefined: it is). */
export function relationTypeProblem(def: unknown): string | undefined {
  if (!def || typeof def !== 'object') return 'a relation type is an object with "name", "from" and "to"';
  const d = def as Record<string, unknown>;
  if (typeof d.name !== 'string' || !LABEL_PATTERN.test(d.name)) return 'a relation type needs a lower-case "name" (a-z, 0-9, "_", "-")';
  for (const end of ['from', 'to']) {
    if (d[end] !== undefined && !(Array.isArray(d[end]) && (d[end] as unknown[]).every((l) => typeof l === 'string'))) return `relation "${d.name}": "${end}" is a list of labels`;
  }
  return undefined;
}

/** The relation types that may link a span labelled `from` to one labelled `to`. */
export function relationTypesFor(types: readonly RelationType[], from: string, to: string): RelationType[] {
  return types.filter((t) => (!t.from.length || t.from.includes(from)) && (!t.to.length || t.to.includes(to)));
}

/** Formats a value for a person: lists joined with "; ", gazetteer ids with their names. */
export function displayValue(value: FieldValue | undefined, def?: FieldDefinition): string {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) return value.map((v) => optionName(def, v)).join('; ');
  if (typeof value === 'string') return optionName(def, value);
  return String(value);
}

const OPTION_CATEGORY = new Map<string, Category>([
  ['force', 'force'],
  ['officer_rank', 'rank'],
  ['finding', 'sanction'],
  ['outcome', 'sanction'],
  ['standards', 'allegation'],
]);

/** The display name of an option (gazetteer entry name where the field's options are ids). */
export function optionName(def: FieldDefinition | undefined, option: string): string {
  const category = def && OPTION_CATEGORY.get(def.name);
  return (category && entryName(category, option)) || option.replace(/_/g, ' ');
}

/** A span as the pre-fill reads it. */
export interface PrefillSpan {
  id: string;
  label: string;
  text: string;
  type?: string;
}

/** A value the form could take from the article's annotations, with where it came from. */
export interface FieldSuggestion {
  field: string;
  value: FieldValue;
  /** The spans it was read from (ids), in reading order. */
  from: string[];
  /** For a person: "from 2 sanction spans: “dismissed without notice”". */
  reason: string;
}

/**
 * Values the form's fields could take, read from the spans' types (force spans → force, sanction
 * spans → outcome/finding/barred list, allegation spans → standards). Only fields the codebook has,
 * and only values among their options. The most severe outcome wins; the commonest force.
 */
export function prefillSuggestions(fields: readonly FieldDefinition[], spans: readonly PrefillSpan[], data: Gazetteers = bundledGazetteers()): FieldSuggestion[] {
  const out: FieldSuggestion[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const typed = (label: string) => spans.filter((s) => s.label === label && s.type);
  const quote = (xs: readonly PrefillSpan[]) => xs.slice(0, 2).map((s) => `“${s.text.length > 40 ? s.text.slice(0, 39) + '…' : s.text}”`).join(', ');
  const reason = (label: string, xs: readonly PrefillSpan[]) => `from ${xs.length} ${label} span${xs.length === 1 ? '' : 's'}: ${quote(xs)}`;
  const accepts = (def: FieldDefinition | undefined, v: string) => !!def && (!def.options?.length || def.options.includes(v));

  const force = byName.get('force');
  const forces = typed('force');
  if (force && forces.length) {
    const counts = new Map<string, PrefillSpan[]>();
    for (const s of forces) if (accepts(force, s.type!)) counts.set(s.type!, [...(counts.get(s.type!) ?? []), s]);
    const best = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    if (best) out.push({ field: 'force', value: force.type === 'multi' ? [...counts.keys()] : best[0], from: best[1].map((s) => s.id), reason: reason('force', best[1]) });
  }

  const sanctions = typed('sanction');
  const severity = new Map<string, number>();
  for (const e of data.gazetteers.find((g) => g.category === 'sanction')?.entries ?? []) {
    const sev = (e as Record<string, unknown>).severity;
    if (typeof sev === 'number') severity.set(e.id, sev);
  }
  for (const name of ['outcome', 'finding']) {
    const def = byName.get(name);
    const fitting = sanctions.filter((s) => accepts(def, s.type!) && def!.options?.length);
    if (!def || !fitting.length) continue;
    const best = [...fitting].sort((a, b) => (severity.get(b.type!) ?? 0) - (severity.get(a.type!) ?? 0))[0];
    const same = fitting.filter((s) => s.type === best.type);
    out.push({ field: name, value: def.type === 'multi' ? [...new Set(fitting.map((s) => s.type!))] : best.type!, from: same.map((s) => s.id), reason: reason('sanction', same) });
  }
  const barred = byName.get('barred_list');
  const barring = sanctions.filter((s) => s.type === 'police_barred_list');
  if (barred?.type === 'boolean' && barring.length) out.push({ field: 'barred_list', value: true, from: barring.map((s) => s.id), reason: reason('sanction', barring) });

  const standards = byName.get('standards');
  const breaches = typed('allegation').filter((s) => accepts(standards, s.type!) && standards!.options?.length);
  if (standards && breaches.length) {
    const values = [...new Set(breaches.map((s) => s.type!))];
    out.push({ field: 'standards', value: standards.type === 'multi' ? values : values[0], from: breaches.map((s) => s.id), reason: reason('allegation', breaches) });
  }
  return out;
}
