/**
 * Form-field κ and α against an independent implementation: NLTK's
 * `nltk.metrics.agreement.AnnotationTask` (Debian: apt-get install -y python3-nltk), run by
 * test/python/form_agreement_nltk.py on the same per-article values. Like agreeNltk.test.ts, these
 * tests fail, not skip, when python3-nltk is missing.
 *
 * Correspondence: our κ of a field = the mean over pairs of sets of NLTK `kappa()` on the articles
 * both coded (for two sets, Cohen's κ itself); our α = NLTK `alpha()` on every value given (missing
 * values left out); a multi field's per-option κ = the same on "chose it" / "did not".
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { FieldAgreement, FormTally, valueKey } from '../../src/core/agreement';
import { FieldDefinition } from '../../src/core/codebook';
import { DocumentForm, FieldValue } from '../../src/core/schema';
import { findNltkPython as findPython, REPO } from './helpers';
import { seededRandom as random } from './seededRandom';

const SCRIPT = path.join(REPO, 'test', 'python', 'form_agreement_nltk.py');

interface NltkField {
  pairs: Array<number | null>;
  alpha: number | null;
  categories: number;
}

function runNltk(cases: Array<{ rows: Array<Array<string | null>> }>): NltkField[] {
  const run = spawnSync(findPython(), [SCRIPT], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(run.status, 0, `form_agreement_nltk.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const FIELDS: FieldDefinition[] = [
  { name: 'outcome', type: 'choice', options: ['written_warning', 'final_written_warning', 'dismissal_without_notice', 'would_have_been_dismissed'] },
  { name: 'barred_list', type: 'boolean' },
  { name: 'standards', type: 'multi', options: ['std_honesty_and_integrity', 'std_discreditable_conduct', 'std_use_of_force'] },
];

/** Forms by `sets` coders who mostly copy a reference coding, sometimes differ and sometimes leave a field empty. */
function randomForms(seed: number, sets: number, articles: number): Array<Array<DocumentForm | undefined>> {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const value = (f: FieldDefinition): FieldValue => {
    if (f.type === 'boolean') return r() < 0.4;
    if (f.type === 'multi') return f.options!.filter(() => r() < 0.4);
    return pick(f.options!);
  };
  return Array.from({ length: articles }, () => {
    const reference = new Map(FIELDS.map((f) => [f.name, value(f)]));
    return Array.from({ length: sets }, () => {
      if (r() < 0.1) return undefined;
      const form: DocumentForm = {};
      for (const f of FIELDS) {
        const roll = r();
        if (roll < 0.15) continue;
        form[f.name] = roll < 0.7 ? reference.get(f.name)! : value(f);
      }
      return form;
    });
  });
}

function same(ours: number | null, theirs: number | null, what: string): void {
  if (ours === null || theirs === null) {
    assert.equal(ours, theirs, what);
    return;
  }
  assert.ok(Math.abs(ours - theirs) <= 1e-9, `${what}: ours ${ours}, NLTK ${theirs}`);
}

function mean(xs: ReadonlyArray<number | null>): number | null {
  const defined = xs.filter((x): x is number => x !== null);
  return defined.length ? defined.reduce((s, x) => s + x, 0) / defined.length : null;
}

/** The NLTK rows of a field: one per article, each set's value as its category, null when empty. */
function rowsOf(forms: Array<Array<DocumentForm | undefined>>, field: string, as: (v: Exclude<FieldValue, null>) => string = valueKey): Array<Array<string | null>> {
  return forms.map((sets) => sets.map((f) => (f && f[field] !== undefined && f[field] !== null ? as(f[field] as Exclude<FieldValue, null>) : null)));
}

function compare(ours: { kappa: number | null; alpha?: number | null }, theirs: NltkField, what: string, withAlpha = true): void {
  if (theirs.categories === 1) {
    // one value only: NLTK divides by zero for κ and returns 1 for α by convention; we say null
    assert.equal(ours.kappa, null, what);
    if (withAlpha) assert.equal(ours.alpha, null, what);
    return;
  }
  same(ours.kappa, mean(theirs.pairs), `${what} κ vs mean kappa()`);
  if (withAlpha) same(ours.alpha ?? null, theirs.alpha, `${what} α vs alpha()`);
}

describe('form agreement vs NLTK (python3-nltk)', function () {
  this.timeout(120_000);

  const configs = [
    { seed: 11, sets: 2, articles: 12 },
    { seed: 12, sets: 2, articles: 30 },
    { seed: 13, sets: 3, articles: 15 },
    { seed: 14, sets: 4, articles: 20 },
  ];

  it('gives the same κ and α per choice and boolean field, and κ per option of a multi field, for 2 to 4 sets with missing values', () => {
    const all = configs.map((c) => randomForms(c.seed, c.sets, c.articles));
    const results: FieldAgreement[][] = all.map((forms, i) => {
      const tally = new FormTally(configs[i].sets, FIELDS);
      forms.forEach((f) => tally.addArticle(f));
      return tally.result();
    });
    const inputs: Array<{ rows: Array<Array<string | null>> }> = [];
    const expected: Array<{ ours: { kappa: number | null; alpha?: number | null }; what: string; alpha: boolean }> = [];
    all.forEach((forms, i) => {
      const what = `seed ${configs[i].seed} (${configs[i].sets} sets)`;
      for (const f of results[i]) {
        if (f.type === 'multi') {
          for (const [option, kappa] of Object.entries(f.options ?? {})) {
            inputs.push({ rows: rowsOf(forms, f.field, (v) => String(Array.isArray(v) && v.includes(option))) });
            expected.push({ ours: { kappa }, what: `${what} ${f.field}=${option}`, alpha: false });
          }
        } else {
          inputs.push({ rows: rowsOf(forms, f.field) });
          expected.push({ ours: f, what: `${what} ${f.field}`, alpha: true });
        }
      }
    });
    assert.ok(expected.length >= 16, `${expected.length} comparisons`);
    const nltk = runNltk(inputs);
    expected.forEach((e, i) => compare(e.ours, nltk[i], e.what, e.alpha));
  });
});
