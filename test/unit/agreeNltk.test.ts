/**
 * κ and α against an independent implementation: NLTK's `nltk.metrics.agreement.AnnotationTask`
 * (Debian: apt-get install -y python3-nltk), run by test/python/agreement_nltk.py on the same
 * token-level data a CoNLL export gives (tokens.ts tokens, one category per token after the
 * `bioTags` overlap rule). These tests fail, not skip, when python3-nltk is missing.
 *
 * Correspondence: two sets — our κ = NLTK `kappa()` (= `multi_kappa()` for two coders); three or
 * more — our κ = NLTK `pi()` (Fleiss 1971; `multi_kappa()` is Davies & Fleiss 1982, not
 * reported), and the mean of our pairwise Cohen's κ = NLTK `kappa()`; α = NLTK `alpha()`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { AnnotatedSpan, AgreementTally, AgreementResult, Scores } from '../../src/core/agreement';
import { OffsetMap } from '../../src/core/offsets';
import { bioTags, tokenize } from '../../src/core/tokens';
import { findNltkPython as findPython, REPO } from './helpers';
import { seededRandom as random } from './seededRandom';

const SCRIPT = path.join(REPO, 'test', 'python', 'agreement_nltk.py');
const LABELS = ['force', 'allegation', 'sanction'];

interface NltkStats {
  kappa: number | null;
  multi_kappa: number | null;
  pi: number | null;
  alpha: number | null;
  categories: number;
}

function runNltk(cases: Array<{ items: string[][]; labels: string[] }>): Array<{ overall: NltkStats; binary: Record<string, NltkStats> }> {
  const run = spawnSync(findPython(), [SCRIPT], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, `agreement_nltk.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Token categories per set, the way a CoNLL export tags them, written out independently of the tally. */
function conllCategories(text: string, sets: readonly (readonly AnnotatedSpan[])[]): string[][] {
  const map = new OffsetMap(text);
  const tokens = tokenize(text);
  const columns = sets.map((spans) =>
    bioTags(
      tokens,
      spans.filter((s) => !s.orphaned).map((s) => ({ start: map.toUtf16(s.start), end: map.toUtf16(s.end), label: s.label })),
    ).tags.map((t) => t.replace(/^[BI]-/, '')),
  );
  return tokens.map((_, i) => columns.map((c) => c[i]));
}

const WORDS = ['Kent', 'Police', 'officer', "officer's", 'PC', 'Smith', 'sacked', 'gross', 'misconduct', 'Stoke-on-Trent', '£1,500', '🚔', 'Mr.', 'Jones', 'dismissed', 'barred', '(IOPC)', '"said"', 'the', 'a'];

interface Case {
  articles: Array<{ text: string; sets: AnnotatedSpan[][] }>;
}

/** Articles annotated by `sets` annotators who mostly copy a reference and sometimes move, drop, relabel or add. */
function randomCase(seed: number, sets: number, articles: number, words: number): Case {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const out: Case = { articles: [] };
  for (let a = 0; a < articles; a++) {
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(pick(WORDS) + (r() < 0.1 ? '.\n' : r() < 0.1 ? ', ' : ' '));
    const text = parts.join('');
    const length = [...text].length;
    const span = (): AnnotatedSpan => {
      const start = Math.floor(r() * (length - 1));
      return { start, end: Math.min(length, start + 1 + Math.floor(r() * 25)), label: pick(LABELS) };
    };
    const reference = Array.from({ length: 2 + Math.floor(r() * 6) }, span);
    const annotations = Array.from({ length: sets }, () => {
      const mine: AnnotatedSpan[] = [];
      for (const s of reference) {
        const roll = r();
        if (roll < 0.55) mine.push({ ...s });
        else if (roll < 0.7) mine.push({ ...s, start: Math.max(0, s.start - 3), end: Math.max(s.start - 2, s.end - 2) });
        else if (roll < 0.8) mine.push({ ...s, label: pick(LABELS) });
        else if (roll < 0.9) mine.push({ ...s, orphaned: true });
      }
      if (r() < 0.5) mine.push(span());
      return mine;
    });
    out.articles.push({ text, sets: annotations });
  }
  return out;
}

function tallyOf(c: Case, setCount: number): AgreementResult {
  const tally = new AgreementTally(setCount, LABELS);
  for (const a of c.articles) tally.addArticle(a.text, a.sets);
  return tally.result();
}

function same(ours: number | null, theirs: number | null, what: string): void {
  if (ours === null || theirs === null) {
    assert.equal(ours, theirs, what);
    return;
  }
  assert.ok(Math.abs(ours - theirs) <= 1e-9, `${what}: ours ${ours}, NLTK ${theirs}`);
}

function compare(ours: Scores, pairs: Array<number | null>, theirs: NltkStats, setCount: number, what: string): void {
  if (theirs.categories === 1) {
    // one category only: NLTK divides by zero for κ/π and returns 1 for α by convention; we say null
    assert.deepEqual([ours.kappa, ours.alpha], [null, null], what);
    return;
  }
  if (setCount === 2) {
    same(ours.kappa, theirs.kappa, `${what} Cohen κ vs kappa()`);
    same(ours.kappa, theirs.multi_kappa, `${what} Cohen κ vs multi_kappa()`);
  } else {
    same(ours.kappa, theirs.pi, `${what} Fleiss κ vs pi()`);
    const defined = pairs.filter((p): p is number => p !== null);
    if (defined.length === pairs.length) same(defined.reduce((s, v) => s + v, 0) / defined.length, theirs.kappa, `${what} mean pairwise Cohen vs kappa()`);
  }
  same(ours.alpha, theirs.alpha, `${what} α vs alpha()`);
}

describe('agreement vs NLTK (python3-nltk)', function () {
  this.timeout(120_000);

  it('has python3 with NLTK available', () => {
    findPython();
  });

  const configs = [
    { seed: 1, sets: 2, articles: 2, words: 40 },
    { seed: 2, sets: 2, articles: 1, words: 70 },
    { seed: 3, sets: 3, articles: 2, words: 35 },
    { seed: 4, sets: 3, articles: 1, words: 60 },
    { seed: 5, sets: 4, articles: 2, words: 25 },
    { seed: 6, sets: 5, articles: 1, words: 30 },
  ];

  it('gives the same κ and α as NLTK, overall and per label, for 2 to 5 sets', () => {
    const cases = configs.map((cfg) => randomCase(cfg.seed, cfg.sets, cfg.articles, cfg.words));
    const inputs = cases.map((c) => ({ items: c.articles.flatMap((a) => conllCategories(a.text, a.sets)), labels: LABELS }));
    const nltk = runNltk(inputs);
    cases.forEach((c, i) => {
      const cfg = configs[i];
      const ours = tallyOf(c, cfg.sets);
      assert.equal(ours.tokens, inputs[i].items.length);
      const what = `seed ${cfg.seed} (${cfg.sets} sets, ${ours.tokens} tokens)`;
      compare(ours.overall, ours.pairs.map((p) => p.overall.kappa), nltk[i].overall, cfg.sets, `${what} overall`);
      for (const label of LABELS) {
        compare(ours.labels[label], ours.pairs.map((p) => p.labels[label].kappa), nltk[i].binary[label], cfg.sets, `${what} ${label}`);
      }
    });
  });

  it('agrees with NLTK on the degenerate cases: one label only, and perfect agreement', () => {
    const text = 'Kent Police sacked PC Smith for gross misconduct.';
    const force = [{ start: 0, end: 11, label: 'force' }];
    const cases = [
      { sets: [force, [{ start: 0, end: 4, label: 'force' }], force] },
      { sets: [force, force] },
    ];
    const nltk = runNltk(cases.map((c) => ({ items: conllCategories(text, c.sets), labels: [] })));
    cases.forEach((c, i) => {
      const tally = new AgreementTally(c.sets.length);
      tally.addArticle(text, c.sets);
      const ours = tally.result();
      compare(ours.overall, ours.pairs.map((p) => p.overall.kappa), nltk[i].overall, c.sets.length, `case ${i}`);
    });
  });
});
