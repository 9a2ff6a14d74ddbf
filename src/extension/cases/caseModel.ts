/**
 * What the Case view shows and what its buttons set, as plain data: built from the configured
 * fields (`misconduct.documentFields`), the article's form and its spans. No `vscode` here, so
 * the unit tests exercise it directly; the view and `misconduct.setDocumentField` share it.
 */
import { displayValue, FieldDefinition, FieldSuggestion, fieldValueProblem, optionName, PrefillSpan, prefillSuggestions, sameFieldValue } from '../../core/codebook';
import type { DocumentForm, FieldValue } from '../../core/schema';
import type { ModelField } from '../suggestions/modelResults';
import type { FieldView, ModelSuggestionView, OptionView } from './protocol';

/** A coding-form value a language model suggested, with the quote it was read from. */
export type ModelFieldValue = ModelField;

/** Whether a value from a message or a command's arguments is one the form can hold. */
export function isFieldValue(v: unknown): v is FieldValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

/**
 * The value accepting a suggestion gives: the suggested value, except that a list field keeps the
 * options already ticked and adds the suggested ones (accepting never unticks anything).
 */
export function acceptedValue(def: FieldDefinition | undefined, current: FieldValue | undefined, suggested: FieldValue): FieldValue {
  if (def?.type === 'multi' && Array.isArray(suggested) && Array.isArray(current)) return [...new Set([...current, ...suggested])];
  return suggested;
}

/** The suggestions that would change the form (one per field), with the value accepting gives. */
export function openSuggestions(fields: readonly FieldDefinition[], form: DocumentForm, spans: readonly PrefillSpan[]): Map<string, { suggestion: FieldSuggestion; value: FieldValue }> {
  const defs = new Map(fields.map((f) => [f.name, f]));
  const out = new Map<string, { suggestion: FieldSuggestion; value: FieldValue }>();
  for (const s of prefillSuggestions(fields, spans)) {
    if (out.has(s.field)) continue;
    const current = Object.hasOwn(form, s.field) ? form[s.field] : undefined;
    const value = acceptedValue(defs.get(s.field), current, s.value);
    if (!sameFieldValue(current, value)) out.set(s.field, { suggestion: s, value });
  }
  return out;
}

function options(def: FieldDefinition, value: FieldValue | undefined): OptionView[] {
  if (def.type !== 'choice' && def.type !== 'multi') return [];
  const configured = def.options ?? [];
  const out: OptionView[] = configured.map((o) => ({ value: o, name: optionName(def, o) }));
  // values the file holds outside the options are listed (marked), never dropped
  const held = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  for (const v of held) if (!configured.includes(v) && !out.some((o) => o.value === v)) out.push({ value: v, name: optionName(def, v), unknown: true });
  return out;
}

/**
 * The language model's value for each configured field where accepting it would change the form
 * (the first model asked, when several answered), with the value accepting gives.
 */
export function openModelSuggestions(fields: readonly FieldDefinition[], form: DocumentForm, fromModel: readonly ModelFieldValue[]): Map<string, { suggestion: ModelFieldValue; value: FieldValue }> {
  const defs = new Map(fields.map((f) => [f.name, f]));
  const out = new Map<string, { suggestion: ModelFieldValue; value: FieldValue }>();
  for (const m of fromModel) {
    const def = defs.get(m.field);
    if (!def || out.has(m.field) || fieldValueProblem(def, m.value)) continue;
    const current = Object.hasOwn(form, m.field) ? form[m.field] : undefined;
    const value = acceptedValue(def, current, m.value);
    if (!sameFieldValue(current, value)) out.set(m.field, { suggestion: m, value });
  }
  return out;
}

/** One view per configured field (settings order), then the file's fields the settings lack (by name). */
export function fieldViews(
  fields: readonly FieldDefinition[],
  form: DocumentForm,
  spans: readonly PrefillSpan[],
  fromModel: readonly ModelFieldValue[] = [],
): { fields: FieldView[]; unknown: FieldView[] } {
  const fromModelOpen = openModelSuggestions(fields, form, fromModel);
  const byId = new Map(spans.map((s) => [s.id, s]));
  const suggestions = openSuggestions(fields, form, spans);
  const known = new Set(fields.map((f) => f.name));
  const has = (name: string) => Object.hasOwn(form, name);
  const views = fields.map((def): FieldView => {
    const value = has(def.name) ? form[def.name] : undefined;
    const open = suggestions.get(def.name);
    const asked = fromModelOpen.get(def.name);
    const modelSuggestion: ModelSuggestionView | undefined = asked && {
      value: asked.value,
      display: displayValue(asked.value, def),
      model: asked.suggestion.model,
      ...(asked.suggestion.quote ? { quote: asked.suggestion.quote } : {}),
      found: asked.suggestion.start !== undefined,
    };
    return {
      name: def.name,
      type: def.type,
      ...(def.description ? { description: def.description } : {}),
      options: options(def, value),
      ...(value !== undefined ? { value } : {}),
      display: displayValue(value, def),
      ...(fieldValueProblem(def, value) ? { problem: fieldValueProblem(def, value) } : {}),
      ...(open
        ? {
            suggestion: {
              value: open.value,
              display: displayValue(open.value, def),
              reason: open.suggestion.reason,
              from: open.suggestion.from.map((id) => ({ id, text: byId.get(id)?.text ?? '' })),
            },
          }
        : {}),
      ...(modelSuggestion ? { modelSuggestion } : {}),
    };
  });
  const unknown = Object.keys(form)
    .filter((name) => !known.has(name))
    .sort()
    .map((name): FieldView => ({ name, type: 'unknown', options: [], value: form[name], display: displayValue(form[name]), problem: fieldValueProblem(undefined, form[name]) }));
  return { fields: views, unknown };
}

/**
 * Reads what a person typed for a field (the command's input box): empty clears the field (undefined),
 * otherwise a value of the field's type, or the reason it is not one.
 */
export function parseTyped(def: FieldDefinition, text: string): { value: FieldValue | undefined } | { error: string } {
  const t = text.trim();
  if (!t) return { value: undefined };
  switch (def.type) {
    case 'number': {
      const n = Number(t);
      return Number.isFinite(n) ? { value: n } : { error: 'Type a number (or nothing to clear the field).' };
    }
    case 'date':
      return fieldValueProblem(def, t) ? { error: 'Type a date as YYYY-MM-DD (or nothing to clear the field).' } : { value: t };
    case 'boolean':
      if (/^(true|yes|y)$/i.test(t)) return { value: true };
      if (/^(false|no|n)$/i.test(t)) return { value: false };
      return { error: 'Type yes or no (or nothing to clear the field).' };
    case 'multi':
      return { value: t.split(';').map((s) => s.trim()).filter(Boolean) };
    default:
      return { value: t };
  }
}
