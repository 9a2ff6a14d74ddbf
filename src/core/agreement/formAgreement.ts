/**
 * Agreement on the coding form (the sidecar's `document`), field by field, with one article as
 * one unit.
 *
 * - choice and boolean fields (nominal): Cohen's κ between two sets over the articles both coded
 *   (with three or more sets, the mean of the pairwise κ, as NLTK's `AnnotationTask.kappa()`), and
 *   Krippendorff's α (nominal) over every article, a set that left the field empty being a missing
 *   value (articles with fewer than two values drop out, α's rule);
 * - every field: the exact-match share, the articles where two sets gave the same value among the
 *   articles both coded (mean over pairs for three or more sets);
 * - multi fields: a list is a set (order and repeats do not matter) for the exact match; and per
 *   option, Cohen's κ of "chose it" vs "did not" over the articles both coded.
 *
 * A field absent from the form, or null, is not coded. Fields come from the codebook given (the
 * default codebook in `agree`) and from the files: a field the codebook does not know gets a type
 * from its values (all booleans → boolean, any list → multi, all numbers → number, else choice) and
 * is marked as not in the codebook.
 */
import { FieldDefinition, FieldType } from '../codebook';
import { DocumentForm, FieldValue } from '../schema';
import { CoincidenceTally } from './coincidence';
import { cohenKappa, ConfusionTally } from './cohen';
import { krippendorffAlpha } from './krippendorff';

type Coded = Exclude<FieldValue, null>;

export type FieldScoreName = 'exactMatch' | 'kappa' | 'alpha';

export interface FieldAgreement {
  field: string;
  type: FieldType;
  /** In the codebook (false: found only in the files, type inferred from the values). */
  inCodebook: boolean;
  /** Articles where each set coded the field, in set order. */
  coded: number[];
  /** Articles coded by at least two sets (the units pairwise statistics can use). */
  articles: number;
  /** Share of the articles coded by both sets of a pair with the same value (mean over pairs). */
  exactMatch: number | null;
  /** Cohen's κ (mean pairwise for 3+ sets); choice and boolean fields only. */
  kappa: number | null;
  /** Krippendorff's α, nominal, missing values allowed; choice and boolean fields only. */
  alpha: number | null;
  /** Multi fields: per option, Cohen's κ of chosen vs not (mean pairwise for 3+ sets). */
  options?: Record<string, number | null>;
  undefinedBecause: Partial<Record<FieldScoreName, string>>;
}

/** The category a value stands for: lists as sorted sets, everything typed (true ≠ "true"). */
export function valueKey(v: Coded): string {
  return JSON.stringify(Array.isArray(v) ? [...new Set(v)].sort() : v);
}

function inferType(values: readonly Coded[]): FieldType {
  if (values.length && values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.some((v) => Array.isArray(v))) return 'multi';
  if (values.length && values.every((v) => typeof v === 'number')) return 'number';
  return 'choice';
}

function mean(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}

const NOMINAL = new Set<FieldType>(['choice', 'boolean']);

/** Running totals of form agreement, one article at a time. Holds one value per set, field and article. */
export class FormTally {
  private readonly definitions = new Map<string, FieldDefinition>();
  /** field → per article, per set: the value or undefined. */
  private readonly values = new Map<string, Array<Array<Coded | undefined>>>();
  private articles = 0;

  constructor(
    readonly setCount: number,
    fields: readonly FieldDefinition[] = [],
  ) {
    if (!Number.isInteger(setCount) || setCount < 2) throw new RangeError('agreement needs at least two annotation sets');
    for (const f of fields) if (!this.definitions.has(f.name)) this.definitions.set(f.name, f);
  }

  /** Adds one article: per set, its form (undefined: no form or no sidecar). */
  addArticle(forms: readonly (Readonly<DocumentForm> | undefined)[]): void {
    if (forms.length !== this.setCount) throw new RangeError(`expected forms from ${this.setCount} sets, got ${forms.length}`);
    const names = new Set<string>();
    for (const f of forms) if (f) for (const name of Object.keys(f)) names.add(name);
    for (const name of names) {
      let rows = this.values.get(name);
      if (!rows) {
        this.values.set(name, (rows = []));
        // articles added before this field first appeared: not coded there
        for (let i = 0; i < this.articles; i++) rows.push(new Array(this.setCount).fill(undefined));
      }
      rows.push(forms.map((f) => (f && Object.hasOwn(f, name) && f[name] !== null ? f[name] : undefined) as Coded | undefined));
    }
    this.articles++;
    for (const [name, rows] of this.values) if (!names.has(name)) rows.push(new Array(this.setCount).fill(undefined));
  }

  /** Codebook fields first, in codebook order, then fields found only in the files, by name. */
  result(): FieldAgreement[] {
    const extra = [...this.values.keys()].filter((n) => !this.definitions.has(n)).sort();
    return [...this.definitions.keys(), ...extra].map((name) => this.field(name));
  }

  private field(name: string): FieldAgreement {
    const rows = this.values.get(name) ?? [];
    const def = this.definitions.get(name);
    const type = def?.type ?? inferType(rows.flatMap((r) => r.filter((v): v is Coded => v !== undefined)));
    const coded = new Array<number>(this.setCount).fill(0);
    for (const r of rows) r.forEach((v, s) => v !== undefined && coded[s]++);

    const pairShares: Array<number | null> = [];
    const pairKappas: Array<number | null> = [];
    const optionKappas = new Map<string, Array<number | null>>();
    const options = type === 'multi' ? this.multiOptions(def, rows) : [];
    for (let a = 0; a < this.setCount; a++) {
      for (let b = a + 1; b < this.setCount; b++) {
        let both = 0;
        let same = 0;
        const confusion = new ConfusionTally();
        const perOption = options.map(() => new ConfusionTally());
        for (const r of rows) {
          const x = r[a];
          const y = r[b];
          if (x === undefined || y === undefined) continue;
          both++;
          const kx = valueKey(x);
          const ky = valueKey(y);
          if (kx === ky) same++;
          confusion.add(kx, ky);
          options.forEach((o, i) => perOption[i].add(String(chose(x, o)), String(chose(y, o))));
        }
        pairShares.push(both ? same / both : null);
        pairKappas.push(cohenKappa(confusion));
        options.forEach((o, i) => optionKappas.set(o, [...(optionKappas.get(o) ?? []), cohenKappa(perOption[i])]));
      }
    }
    const alphaTally = new CoincidenceTally();
    let articles = 0;
    for (const r of rows) {
      const present = r.filter((v): v is Coded => v !== undefined);
      if (present.length >= 2) articles++;
      alphaTally.addUnit(present.map(valueKey));
    }

    const out: FieldAgreement = {
      field: name,
      type,
      inCodebook: def !== undefined,
      coded,
      articles,
      exactMatch: mean(pairShares),
      kappa: null,
      alpha: null,
      undefinedBecause: {},
    };
    const none = this.setCount === 2 ? 'no article coded in both sets' : 'no article coded in two sets';
    if (out.exactMatch === null) out.undefinedBecause.exactMatch = none;
    if (NOMINAL.has(type)) {
      out.kappa = mean(pairKappas);
      out.alpha = krippendorffAlpha(alphaTally);
      const oneValue = 'one value only: every coder gave the same answer throughout, so chance agreement is 1 and the statistic is 0/0';
      if (out.kappa === null) out.undefinedBecause.kappa = articles ? oneValue : none;
      if (out.alpha === null) out.undefinedBecause.alpha = articles ? oneValue : none;
    } else {
      const why = `${type} field: exact match only`;
      out.undefinedBecause.kappa = why;
      out.undefinedBecause.alpha = why;
    }
    if (type === 'multi') out.options = Object.fromEntries(options.map((o) => [o, mean(optionKappas.get(o) ?? [])]));
    return out;
  }

  /** The options to score one by one: those any set chose (the codebook order first). */
  private multiOptions(def: FieldDefinition | undefined, rows: ReadonlyArray<ReadonlyArray<Coded | undefined>>): string[] {
    const chosen = new Set<string>();
    for (const r of rows) for (const v of r) if (Array.isArray(v)) v.forEach((o) => chosen.add(o));
    const ordered = (def?.options ?? []).filter((o) => chosen.has(o));
    const rest = [...chosen].filter((o) => !ordered.includes(o)).sort();
    return [...ordered, ...rest];
  }
}

function chose(v: Coded, option: string): boolean {
  return Array.isArray(v) ? v.includes(option) : v === option;
}
