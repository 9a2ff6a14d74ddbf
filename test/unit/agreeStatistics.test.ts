/**
 * The agreement statistics against worked examples published with their definitions, and the
 * span matching rule. (agreeNltk.test.ts checks them against an independent implementation.)
 */
import * as assert from 'node:assert/strict';
import {
  CoincidenceTally,
  cohenKappa,
  ConfusionTally,
  exactMatches,
  f1,
  fleissKappa,
  fleissKappaFromTable,
  krippendorffAlpha,
  krippendorffAlphaFromMatrix,
  overlapMatches,
  overlapMatching,
} from '../../src/core/agreement';

const close = (actual: number | null, expected: number, digits = 3) => {
  assert.ok(actual !== null, `expected ${expected}, got null`);
  assert.equal(Number(actual.toFixed(digits)), expected, `${actual} ≠ ${expected} to ${digits} decimals`);
};

describe('agreement statistics: Cohen’s κ', () => {
  it('reproduces the 2×2 example of the Wikipedia article (20/5/10/15 → p_o 0.7, p_e 0.5, κ 0.4)', () => {
    assert.equal(cohenKappa(ConfusionTally.fromTable([[20, 5], [10, 15]])), 0.4);
  });

  it('gives the two different κ for equal observed agreement (60 of 100) of the same article', () => {
    close(cohenKappa(ConfusionTally.fromTable([[45, 15], [25, 15]])), 0.1304, 4);
    close(cohenKappa(ConfusionTally.fromTable([[25, 35], [5, 35]])), 0.2593, 4);
  });

  it('is 1 on perfect agreement, 0 at chance and negative below it', () => {
    assert.equal(cohenKappa(ConfusionTally.fromTable([[3, 0, 0], [0, 5, 0], [0, 0, 2]])), 1);
    assert.equal(cohenKappa(ConfusionTally.fromTable([[25, 25], [25, 25]])), 0);
    assert.equal(cohenKappa(ConfusionTally.fromTable([[0, 5], [5, 0]])), -1);
  });

  it('is null (0/0) when both raters used one and the same category, or there are no units', () => {
    assert.equal(cohenKappa(ConfusionTally.fromTable([[7, 0], [0, 0]])), null);
    assert.equal(cohenKappa(new ConfusionTally()), null);
    // one category each, but different ones: p_e = 0, κ defined
    assert.equal(cohenKappa(ConfusionTally.fromTable([[0, 7], [0, 0]])), 0);
  });

  it('derives a category-vs-rest table from the full one', () => {
    const t = ConfusionTally.fromTable([[4, 1, 0], [2, 6, 1], [0, 1, 5]], ['a', 'b', 'c']);
    const b = t.binary('b');
    // b vs not-b: both b 6; A b / B not 3; A not / B b 2; neither 9
    assert.equal(cohenKappa(b), cohenKappa(ConfusionTally.fromTable([[6, 3], [2, 9]])));
  });
});

describe('agreement statistics: Fleiss’ κ', () => {
  // Fleiss' κ, Wikipedia: 10 subjects, 14 raters, 5 categories
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it('reproduces the worked example of the Wikipedia article (κ = 0.210)', () => {
    close(fleissKappaFromTable(table), 0.21);
  });

  it('keeps its P̄ = 0.378 and P̄_e = 0.213 (via the coincidence tally)', () => {
    const t = new CoincidenceTally();
    for (const row of table) t.addCounts(new Map(row.map((c, j) => [String(j), c])));
    close(t.trace() / t.values, 0.378);
    let pe = 0;
    for (const c of t.marginals().values()) pe += (c / t.values) ** 2;
    close(pe, 0.213);
  });

  it('refuses units with different numbers of raters, and is null with one category', () => {
    const t = new CoincidenceTally();
    t.addUnit(['a', 'b']);
    t.addUnit(['a', 'b', 'a']);
    assert.throws(() => fleissKappa(t), RangeError);
    assert.equal(fleissKappaFromTable([[3, 0], [3, 0]]), null);
    assert.equal(fleissKappaFromTable([]), null);
  });
});

describe('agreement statistics: Krippendorff’s α (nominal)', () => {
  it('reproduces the canonical 4 coders × 12 units example with missing values (α = 0.743)', () => {
    const _ = null;
    const data = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ];
    close(krippendorffAlphaFromMatrix(data), 0.743);
  });

  it('reproduces the binary two-observer example (α = 0.095)', () => {
    close(krippendorffAlphaFromMatrix([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]), 0.095);
  });

  it('reproduces the nominal two-observer example (α = 0.692)', () => {
    const a = 'aabbdcccedda'.split('');
    const b = 'babbbccceddd'.split('');
    close(krippendorffAlphaFromMatrix([a, b]), 0.692);
  });

  it('relates to Fleiss’ κ on complete data as α = 1 − (1 − κ)(n − 1)/n', () => {
    const t = new CoincidenceTally();
    for (const row of [['a', 'a', 'b'], ['b', 'b', 'b'], ['a', 'c', 'c'], ['c', 'c', 'c']]) t.addUnit(row);
    const k = fleissKappa(t) as number;
    const n = t.values;
    assert.ok(Math.abs((krippendorffAlpha(t) as number) - (1 - ((1 - k) * (n - 1)) / n)) < 1e-12);
  });

  it('is null with no pairable values or one category only; units with one value are left out', () => {
    assert.equal(krippendorffAlphaFromMatrix([[1, 1, 1], [1, 1, 1]]), null);
    assert.equal(krippendorffAlphaFromMatrix([[1], [null]]), null);
    assert.equal(krippendorffAlphaFromMatrix([]), null);
    assert.equal(krippendorffAlphaFromMatrix([[1, 2, 7], [1, 2, null]]), krippendorffAlphaFromMatrix([[1, 2], [1, 2]]));
  });

  it('derives a category-vs-rest tally equal to recoding the data', () => {
    const rows = [['a', 'b', 'c', 'a', null], ['a', 'c', 'c', 'b', 'b'], ['b', 'b', null, 'a', 'b']];
    const t = new CoincidenceTally();
    for (let u = 0; u < 5; u++) t.addUnit(rows.map((r) => r[u]).filter((v): v is string => v !== null));
    const recoded = rows.map((r) => r.map((v) => (v === null ? null : v === 'b' ? 'yes' : 'no')));
    assert.ok(Math.abs((krippendorffAlpha(t.binary('b')) as number) - (krippendorffAlphaFromMatrix(recoded) as number)) < 1e-12);
  });
});

describe('agreement: span matching and F1', () => {
  const s = (start: number, end: number, label = 'force') => ({ start, end, label });

  it('matches exactly on start, end and label, as a multiset', () => {
    assert.deepEqual(exactMatches([s(0, 5), s(0, 5), s(6, 9, 'sanction')], [s(0, 5), s(6, 9, 'allegation')]), new Map([['force', 1]]));
  });

  it('matches overlaps one-to-one, largest overlap first, never across labels', () => {
    // A [0,10) overlaps B [0,4) by 4 and B [5,10) by 5: it takes [5,10); [0,4) stays unmatched
    assert.deepEqual(overlapMatching([s(0, 10)], [s(0, 4), s(5, 10)]), [[0, 1]]);
    assert.deepEqual(overlapMatches([s(0, 10)], [s(0, 10, 'sanction')]), new Map());
    // touching is not overlapping (end is exclusive)
    assert.deepEqual(overlapMatching([s(0, 5)], [s(5, 9)]), []);
  });

  it('prefers the exact match over a longer span with the same overlap', () => {
    // B [0,12) and B [0,5) both share 5 code points with A [0,5); the exact one (smaller union) wins
    assert.deepEqual(overlapMatching([s(0, 5)], [s(0, 12), s(0, 5)]), [[0, 1]]);
    assert.deepEqual(overlapMatching([s(0, 5)], [s(0, 5), s(0, 12)]), [[0, 0]]);
    // …and the longer B span is then free for another A span
    assert.deepEqual(new Set(overlapMatching([s(0, 5), s(8, 10)], [s(0, 12), s(0, 5)]).map(String)), new Set(['0,1', '1,0']));
  });

  it('counts the same matches whichever set comes first', () => {
    const a = [s(0, 10), s(8, 20), s(30, 35), s(40, 41)];
    const b = [s(5, 12), s(9, 25), s(29, 36), s(34, 40)];
    assert.equal(overlapMatching(a, b).length, overlapMatching(b, a).length);
  });

  it('F1 is 2·matches/(|A|+|B|), null when neither side has a span', () => {
    assert.equal(f1(2, 3, 5), 0.5);
    assert.equal(f1(0, 0, 3), 0);
    assert.equal(f1(0, 0, 0), null);
  });
});
