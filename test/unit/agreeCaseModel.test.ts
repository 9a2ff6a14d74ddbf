/**
 * Agreement on the case model: relation precision/recall/F1 (ends matched as spans are) and
 * agreement per coding-form field, on two small annotation sets with every expected number worked
 * out by hand in the comments; and the case-level disagreements compare mode lists.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caseDisagreements, computeAgreement, formDisagreements, FormTally, RelationTally, relationDisagreements } from '../../src/core/agreement';
import { sha256Hex } from '../../src/core/article';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { codePointLength } from '../../src/core/offsets';
import { DocumentForm } from '../../src/core/schema';
import { cli, REPO, tempDir } from './helpers';

interface SpanSpec {
  id: string;
  start: number;
  end: number;
  label: string;
}

interface RelationSpec {
  id: string;
  label: string;
  from: string;
  to: string;
}

function put(root: string, file: string, text: string, spans: SpanSpec[], relations: RelationSpec[], document?: DocumentForm): void {
  const articlePath = path.join(root, file);
  fs.mkdirSync(path.dirname(articlePath), { recursive: true });
  fs.writeFileSync(articlePath, text);
  const chars = [...text];
  const sidecar = {
    version: 1,
    article: { file: path.basename(file), sha256: sha256Hex(text), length: codePointLength(text) },
    annotations: spans.map((s) => ({ ...s, text: chars.slice(s.start, s.end).join(''), source: 'manual', created: '2024-05-01T10:00:00Z' })),
    ...(relations.length ? { relations: relations.map((r) => ({ ...r, created: '2024-05-01T10:00:00Z' })) } : {}),
    ...(document ? { document } : {}),
  };
  fs.writeFileSync(articlePath + '.annotations.json', JSON.stringify(sidecar, null, 2));
}

// "PC Jane Doe" 0–11, "Jane Doe" 3–11, "Kent Police" 15–26, "dismissed" 31–40, "dishonesty" 45–55
const T1 = 'PC Jane Doe of Kent Police was dismissed for dishonesty.';
const T2 = 'The Met gave an officer a final written warning.';
const T3 = 'A sergeant was sacked.';
const T4 = 'A hearing was held.';

const spansA: SpanSpec[] = [
  { id: 'a-o', start: 0, end: 11, label: 'officer' },
  { id: 'a-f', start: 15, end: 26, label: 'force' },
  { id: 'a-s', start: 31, end: 40, label: 'sanction' },
  { id: 'a-al', start: 45, end: 55, label: 'allegation' },
];
// B tagged the officer without the rank: an overlap match, not an exact one
const spansB: SpanSpec[] = [
  { id: 'b-o', start: 3, end: 11, label: 'officer' },
  { id: 'b-f', start: 15, end: 26, label: 'force' },
  { id: 'b-s', start: 31, end: 40, label: 'sanction' },
  { id: 'b-al', start: 45, end: 55, label: 'allegation' },
];
const relationsA: RelationSpec[] = [
  { id: 'r-a1', label: 'member', from: 'a-o', to: 'a-f' },
  { id: 'r-a2', label: 'subject', from: 'a-o', to: 'a-al' },
  { id: 'r-a3', label: 'outcome', from: 'a-al', to: 'a-s' },
];
// B did not link the officer to the allegation
const relationsB: RelationSpec[] = [
  { id: 'r-b1', label: 'member', from: 'b-o', to: 'b-f' },
  { id: 'r-b3', label: 'outcome', from: 'b-al', to: 'b-s' },
];

const D = 'dismissal_without_notice';
const FWW = 'final_written_warning';
const WW = 'written_warning';
const HONESTY = 'std_honesty_and_integrity';
const DISCREDIT = 'std_discreditable_conduct';

function buildSets(): { a: string; b: string } {
  const root = tempDir('misconduct-agree-case-');
  const a = path.join(root, 'A');
  const b = path.join(root, 'B');
  put(a, 't1.txt', T1, spansA, relationsA, { outcome: D, barred_list: true, standards: [HONESTY, DISCREDIT], hearing_date: '2024-03-01', remark: 'x' });
  put(b, 't1.txt', T1, spansB, relationsB, { outcome: D, barred_list: true, standards: [DISCREDIT, HONESTY], hearing_date: '2024-03-01', remark: 'x' });
  put(a, 't2.txt', T2, [], [], { outcome: FWW, barred_list: false, standards: [HONESTY], hearing_date: '2024-01-05' });
  put(b, 't2.txt', T2, [], [], { outcome: WW, barred_list: false, standards: [DISCREDIT], hearing_date: '2024-01-06' });
  put(a, 't3.txt', T3, [], [], { outcome: D, barred_list: true });
  put(b, 't3.txt', T3, [], [], { outcome: D, barred_list: false, officer_rank: null });
  put(a, 't4.txt', T4, [], [], { barred_list: false });
  put(b, 't4.txt', T4, [], [], { outcome: FWW, barred_list: false });
  return { a, b };
}

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, expected ${expected}`);
}

describe('agreement on relations and the coding form', () => {
  let sets: { a: string; b: string };
  before(() => {
    sets = buildSets();
  });

  it('scores relations: ends matched as spans are (exact and overlap), same type', async () => {
    const r = await computeAgreement(nodeFileSystem, [sets.a, sets.b]);
    const rel = r.relations;
    assert.deepEqual(rel.overall.relations, [3, 2]);
    // exact: B's officer span (3–11) is not A's (0–11), so only outcome matches: P 1/2, R 1/3, F1 2·1/5
    assert.deepEqual(rel.overall.exact, { precision: 1 / 2, recall: 1 / 3, f1: 2 / 5 });
    // overlap: the officer spans match, so member and outcome do: P 2/2, R 2/3, F1 4/5
    assert.deepEqual(rel.overall.overlap, { precision: 1, recall: 2 / 3, f1: 4 / 5 });
    assert.deepEqual(Object.keys(rel.types), ['member', 'outcome', 'subject']);
    assert.deepEqual(rel.types.member.exact, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(rel.types.member.overlap, { precision: 1, recall: 1, f1: 1 });
    assert.deepEqual(rel.types.outcome.exact, { precision: 1, recall: 1, f1: 1 });
    // only A has a subject relation: precision is 0/0
    assert.deepEqual(rel.types.subject.overlap, { precision: null, recall: 0, f1: 0 });
  });

  it('a relation of another type between the same spans does not match', () => {
    const tally = new RelationTally(2);
    tally.addArticle(
      [spansA, spansA.map((s) => ({ ...s, id: s.id.replace('a-', 'b-') }))],
      [[{ label: 'subject', from: 'a-o', to: 'a-al' }], [{ label: 'member', from: 'b-o', to: 'b-al' }]],
    );
    const r = tally.result();
    assert.deepEqual(r.overall.exact, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(r.overall.overlap, { precision: 0, recall: 0, f1: 0 });
  });

  it('leaves out relations with an orphaned end, and counts them', () => {
    const tally = new RelationTally(2);
    const orphaned = spansA.map((s) => (s.id === 'a-f' ? { ...s, orphaned: true } : s));
    tally.addArticle([orphaned, spansA], [relationsA, relationsA]);
    const r = tally.result();
    assert.deepEqual(r.leftOut, [1, 0]);
    assert.deepEqual(r.overall.relations, [2, 3]);
    assert.deepEqual(r.overall.exact, { precision: 2 / 3, recall: 1, f1: 4 / 5 });
  });

  it('scores each form field: κ and α for choice and boolean fields, exact match for all', async () => {
    const r = await computeAgreement(nodeFileSystem, [sets.a, sets.b]);
    const field = (name: string) => r.fields.find((f) => f.field === name)!;
    // the default codebook's fields come first, in its order; then fields found only in the files
    assert.deepEqual(
      r.fields.map((f) => f.field),
      ['force', 'officer_status', 'officer_rank', 'proceeding', 'finding', 'outcome', 'standards', 'barred_list', 'hearing_date', 'remark'],
    );
    // outcome, both coded on t1–t3 (A left t4 empty): (D,D) (FWW,WW) (D,D): 2/3 the same.
    // κ = (n·agree − Σr·c)/(n² − Σr·c) = (3·2 − 4)/(9 − 4) = 0.4.
    // α: t4 has one value and drops out; n = 6 values: D 4, FWW 1, WW 1; o_DD = 2 + 2 = 4;
    // α = 1 − (n − 1)(n − Σo_cc)/(n² − Σn_c²) = 1 − 5·2/(36 − 18) = 4/9.
    const outcome = field('outcome');
    assert.deepEqual(outcome.coded, [3, 4]);
    assert.equal(outcome.articles, 3);
    close(outcome.exactMatch, 2 / 3, 'outcome exact');
    close(outcome.kappa, 0.4, 'outcome κ');
    close(outcome.alpha, 4 / 9, 'outcome α');
    // barred_list on four articles: (T,T) (F,F) (T,F) (F,F): 3/4; A T2 F2, B T1 F3:
    // κ = (4·3 − (2·1 + 2·3))/(16 − 8) = 0.5; α: n = 8, T 3, F 5, Σo_cc = 2 + 2 + 2 = 6:
    // 1 − 7·2/(64 − 34) = 8/15.
    const barred = field('barred_list');
    close(barred.exactMatch, 3 / 4, 'barred exact');
    close(barred.kappa, 0.5, 'barred κ');
    close(barred.alpha, 8 / 15, 'barred α');
    // standards (multi): a list is a set, so t1 agrees; t2 does not: 1/2. No κ/α on the whole list,
    // κ per option: honesty A yes,yes B yes,no: (2·1 − 2)/(4 − 2) = 0; discreditable likewise 0.
    const standards = field('standards');
    close(standards.exactMatch, 1 / 2, 'standards exact');
    assert.equal(standards.kappa, null);
    assert.match(standards.undefinedBecause.kappa ?? '', /multi field: exact match only/);
    assert.deepEqual(standards.options, { [HONESTY]: 0, [DISCREDIT]: 0 });
    close(field('hearing_date').exactMatch, 1 / 2, 'date exact');
    // a field nobody coded, or coded null: no statistic, and it says why
    for (const name of ['force', 'officer_rank']) {
      const f = field(name);
      assert.deepEqual([f.coded, f.exactMatch, f.kappa, f.alpha], [[0, 0], null, null, null], name);
      assert.equal(f.undefinedBecause.kappa, 'no article coded in both sets');
    }
    // found only in the files: typed from its values, marked as not in the codebook
    const remark = field('remark');
    assert.deepEqual([remark.inCodebook, remark.type, remark.exactMatch], [false, 'choice', 1]);
    assert.match(remark.undefinedBecause.kappa ?? '', /one value only/);
  });

  it('takes α over three sets with missing values, and κ as the mean of the pairs', () => {
    const tally = new FormTally(3, [{ name: 'proceeding', type: 'choice' }]);
    tally.addArticle([{ proceeding: 'misconduct_hearing' }, { proceeding: 'misconduct_hearing' }, undefined]);
    tally.addArticle([{ proceeding: 'misconduct_meeting' }, { proceeding: 'misconduct_hearing' }, { proceeding: 'misconduct_meeting' }]);
    tally.addArticle([{ proceeding: 'misconduct_meeting' }, {}, { proceeding: 'misconduct_meeting' }]);
    const [f] = tally.result();
    assert.deepEqual(f.coded, [3, 2, 2]);
    assert.equal(f.articles, 3);
    // pairs: A–B 1/2, A–C 2/2, B–C 0/1
    close(f.exactMatch, 1 / 2, 'exact');
  });

  it('agree prints the relation and form tables, and --json adds `relations` and `fields`', async () => {
    const run = await cli('agree', sets.a, sets.b);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /Relations \(ends matched as spans are, same type; precision and recall with A as the reference\):/);
    assert.match(run.out, /^member\s+1\/1\s+0\.000\s+0\.000\s+0\.000\s+1\.000\s+1\.000\s+1\.000$/m);
    assert.match(run.out, /^overall\s+3\/2\s+0\.500\s+0\.333\s+0\.400\s+1\.000\s+0\.667\s+0\.800$/m);
    assert.match(run.out, /^outcome\s+choice\s+3\/4\s+3\s+0\.667\s+0\.400\s+0\.444$/m);
    assert.match(run.out, /^standards\s+multi\s+2\/2\s+2\s+0\.500\s+–\s+–$/m);
    assert.match(run.out, /^remark \*\s+choice/m);

    const json = await cli('agree', sets.a, sets.b, '--json');
    const data = JSON.parse(json.out);
    // the keys agree always printed are still there, in their order, before the new ones
    assert.deepEqual(Object.keys(data), ['sets', 'kappa_type', 'articles', 'tokens', 'skipped', 'orphaned', 'reanchored', 'dropped', 'labels', 'overall', 'pairs', 'disagreements', 'relations', 'fields', 'cases']);
    assert.deepEqual(data.relations.overall, { relations: [3, 2], exact: { precision: 0.5, recall: 1 / 3, f1: 0.4 }, overlap: { precision: 1, recall: 2 / 3, f1: 0.8 } });
    assert.deepEqual(data.relations.types.subject.exact, { precision: null, recall: 0, f1: 0 });
    assert.equal(data.fields.outcome.kappa, 0.4);
    assert.deepEqual(data.fields.standards.undefined_because, { kappa: 'multi field: exact match only', alpha: 'multi field: exact match only' });
    assert.equal(data.fields.remark.in_codebook, false);
  });
});

describe('agreement on the case fixture (the example in docs/agreement.md)', () => {
  const FIXTURE = path.join(REPO, 'test', 'fixtures', 'agree-case');

  it('gives the figures docs/agreement.md quotes', async () => {
    const run = await cli('agree', path.join(FIXTURE, 'anna'), path.join(FIXTURE, 'ben'), '--json');
    assert.equal(run.code, 0, run.err);
    const data = JSON.parse(run.out);
    assert.equal(data.articles, 3);
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    const prf = (p: { precision: number; recall: number; f1: number }) => [r3(p.precision), r3(p.recall), r3(p.f1)];
    assert.deepEqual(data.relations.overall.relations, [11, 11]);
    assert.deepEqual(prf(data.relations.overall.exact), [0.455, 0.455, 0.455]);
    assert.deepEqual(prf(data.relations.overall.overlap), [0.636, 0.636, 0.636]);
    assert.deepEqual(prf(data.relations.types.outcome.exact), [0.6, 1, 0.75]);
    assert.deepEqual(prf(data.relations.types.member.overlap), [0.5, 0.333, 0.4]);
    const f = data.fields;
    assert.deepEqual([r3(f.officer_status.exact_match), r3(f.officer_status.kappa), r3(f.officer_status.alpha)], [0.667, 0.4, 0.444]);
    assert.deepEqual([r3(f.finding.exact_match), f.finding.kappa, f.finding.alpha], [0.667, 0, 0]);
    assert.deepEqual([f.barred_list.exact_match, f.barred_list.kappa], [1, null]);
    assert.equal(r3(f.standards.exact_match), 0.333);
    assert.equal(f.hearing_date.exact_match, 0);
  });
});

describe('case disagreements (compare mode)', () => {
  const mine = spansA;
  const theirs = spansB;

  it('lists form fields whose values differ, lists compared as sets, null as not coded', () => {
    const d = formDisagreements({ outcome: D, standards: [HONESTY, DISCREDIT], barred_list: true, finding: null }, { outcome: WW, standards: [DISCREDIT, HONESTY], force: 'kent' });
    assert.deepEqual(
      d.map((x) => [x.field, x.mine, x.theirs]),
      [
        ['barred_list', true, undefined],
        ['force', undefined, 'kent'],
        ['outcome', D, WW],
      ],
    );
    assert.deepEqual(formDisagreements(undefined, undefined), []);
  });

  it('maps their relations onto my spans and lists theirs-only, mine-only and type disagreements', () => {
    const d = relationDisagreements(
      mine,
      [
        { id: 'm1', label: 'member', from: 'a-o', to: 'a-f' },
        { id: 'm2', label: 'subject', from: 'a-o', to: 'a-al' },
        { id: 'm3', label: 'outcome', from: 'a-al', to: 'a-s' },
      ],
      theirs,
      [
        // agrees with m1 (their officer span 3–11 overlaps mine 0–11)
        { id: 't1', label: 'member', from: 'b-o', to: 'b-f' },
        // same ends as m3, another type
        { id: 't3', label: 'subject', from: 'b-al', to: 'b-s' },
        // only theirs
        { id: 't4', label: 'outcome', from: 'b-o', to: 'b-s' },
      ],
    );
    assert.deepEqual(
      d.map((x) => [x.id, x.side, x.from.mine?.id, x.to.mine?.id, x.unmatched]),
      [
        ['relation:mine:m2', 'mine', 'a-o', 'a-al', []],
        ['relation:theirs:t4', 'theirs', 'a-o', 'a-s', []],
        ['relation:type:m3:t3', 'type', 'a-al', 'a-s', []],
      ],
    );
  });

  it('names the end of their relation that has no matching span of mine', () => {
    const d = relationDisagreements(
      mine.filter((s) => s.id !== 'a-f'),
      [],
      theirs,
      [{ id: 't1', label: 'member', from: 'b-o', to: 'b-f' }],
    );
    assert.equal(d.length, 1);
    assert.deepEqual([d[0].side, d[0].unmatched, d[0].from.mine?.id, d[0].to.mine, d[0].to.theirs?.id], ['theirs', ['to'], 'a-o', undefined, 'b-f']);
  });

  it('puts form disagreements first', () => {
    const d = caseDisagreements({ spans: mine, relations: [], form: { outcome: D } }, { spans: theirs, relations: [{ id: 't1', label: 'member', from: 'b-o', to: 'b-f' }], form: {} });
    assert.deepEqual(d.map((x) => x.id), ['field:outcome', 'relation:theirs:t1']);
  });
});
