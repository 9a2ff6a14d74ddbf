/**
 * What the annotator records about the article as a whole: the coding form (field → value), its
 * status, and the merge conflicts the git merge driver recorded, written back until resolved.
 * Field names come from files, so the form is a Map and names that would reach a prototype are
 * refused; free text never carries a lone surrogate (the schema would refuse the file).
 */
import { sameFieldValue } from '../codebook';
import { ArticleStatus, Conflict, DocumentForm, FieldValue, fieldValueSchema, FORBIDDEN_KEYS } from '../schema';
import { ArticleSource } from '../source';
import { withoutLoneSurrogates } from '../surrogates';
import type { DocumentContent } from './codec';

/** The form's part of what a sidecar holds. */
export type FormContent = Pick<DocumentContent, 'form' | 'status' | 'conflicts' | 'source' | 'duplicateOf'>;

export class CodingForm {
  private fields = new Map<string, FieldValue>();
  status: ArticleStatus | undefined;
  conflicts: Conflict[] = [];
  /** Where the article came from, kept as loaded and written back (the Case view edits it). */
  source: ArticleSource | undefined;
  /** The article this one is a near copy of, kept as loaded and written back. */
  duplicateOf: string | undefined;

  get size(): number {
    return this.fields.size;
  }

  /** The fields in name order (a null-prototype copy: names come from files). */
  all(): DocumentForm {
    const out = Object.create(null) as DocumentForm;
    for (const name of [...this.fields.keys()].sort()) out[name] = cloneValue(this.fields.get(name)!);
    return out;
  }

  get(name: string): FieldValue | undefined {
    const v = this.fields.get(name);
    return v === undefined ? undefined : cloneValue(v);
  }

  /** The value held (not a copy: for a change's before). */
  held(name: string): FieldValue | undefined {
    return this.fields.get(name);
  }

  /**
   * The fields `values` would change, before and after, cleaned and checked; empty when nothing
   * would change. Throws on a name or value the schema refuses.
   */
  changes(values: ReadonlyMap<string, FieldValue | undefined>): { before: Map<string, FieldValue | undefined>; after: Map<string, FieldValue | undefined> } {
    const before = new Map<string, FieldValue | undefined>();
    const after = new Map<string, FieldValue | undefined>();
    for (let [name, value] of values) {
      name = withoutLoneSurrogates(name);
      value = cleanFieldValue(value);
      if (!name || FORBIDDEN_KEYS.has(name)) throw new Error(`A form field may not be named "${name}".`);
      if (value !== undefined && !fieldValueSchema.safeParse(value).success) {
        throw new Error(`The value of "${name}" must be text, a list of texts, a number, true/false or null.`);
      }
      const old = this.fields.get(name);
      if (sameFieldValue(old, value)) continue;
      before.set(name, old);
      after.set(name, value === undefined ? undefined : cloneValue(value));
    }
    return { before, after };
  }

  /** Sets fields by name (undefined clears one). */
  put(after: ReadonlyMap<string, FieldValue | undefined>): void {
    for (const [name, v] of after) {
      if (v === undefined) this.fields.delete(name);
      else this.fields.set(name, v);
    }
  }

  load(content: FormContent): void {
    this.fields = new Map(Object.entries(content.form ?? {}));
    this.status = content.status;
    this.conflicts = content.conflicts ?? [];
    this.source = content.source && { ...content.source };
    this.duplicateOf = content.duplicateOf;
  }

  /** Copies of this moment's values, whatever changes after (a form only when it has fields). */
  snapshot(): FormContent {
    return {
      form: this.size ? this.all() : undefined,
      status: this.status,
      conflicts: [...this.conflicts],
      source: this.source && { ...this.source },
      duplicateOf: this.duplicateOf,
    };
  }
}

function cloneValue(v: FieldValue): FieldValue {
  return Array.isArray(v) ? [...v] : v;
}

/** A form value without lone surrogates in its text. */
function cleanFieldValue(value: FieldValue | undefined): FieldValue | undefined {
  if (typeof value === 'string') return withoutLoneSurrogates(value);
  if (Array.isArray(value)) return value.map(withoutLoneSurrogates);
  return value;
}
