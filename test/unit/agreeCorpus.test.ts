/**
 * Agreement over annotation sets on disk: two (and three) copies of a small corpus in which one
 * annotator moved, removed and relabelled spans, with every expected number worked out by hand in
 * the comments. Also `compareArticle`'s edge cases and the `agree` verb.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareArticle, computeAgreement, TEXT_DIFFERS } from '../../src/core/agreement';
import { sha256Hex } from '../../src/core/article';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { codePointLength } from '../../src/core/offsets';
import { cli, tempDir } from './helpers';

interface SpanSpec {
  start: number;
  end: number;
  label: string;
  orphaned?: true;
}

/** Writes an article and (unless spans is undefined) its sidecar; `staleSha` fakes an article changed since. */
function put(root: string, file: string, text: string, spans: SpanSpec[] | undefined, staleSha = false): void {
  const articlePath = path.join(root, file);
  fs.mkdirSync(path.dirname(articlePath), { recursive: true });
  fs.writeFileSync(articlePath, text);
  if (!spans) return;
  const chars = [...text];
  const sidecar = {
    version: 1,
    article: { file: path.basename(file), sha256: staleSha ? '0'.repeat(64) : sha256Hex(text), length: codePointLength(text) },
    annotations: spans.map((s, i) => ({
      id: `a-${i}`,
      label: s.label,
      start: s.start,
      end: s.end,
      text: chars.slice(s.start, s.end).join(''),
      source: 'manual',
      created: '2024-05-01T10:00:00Z',
      ...(s.orphaned ? { orphaned: true } : {}),
    })),
  };
  fs.writeFileSync(articlePath + '.annotations.json', JSON.stringify(sidecar, null, 2));
}

// Article 1, 9 tokens: Kent | Police | sacked | PC | Smith | for | gross | misconduct | .
const A1 = 'Kent Police sacked PC Smith for gross misconduct.';
// Article 2, 6 tokens: The | Met | dismissed | an | officer | .
const A2 = 'The Met dismissed an officer.';

const KENT_POLICE = { start: 0, end: 11, label: 'force' };
const MET = { start: 4, end: 7, label: 'force' };

/** Annotator A's set, and B's: B relabelled "sacked", moved "gross misconduct" to "misconduct", removed "dismissed". */
function buildSets(): { a: string; b: string; root: string } {
  const root = tempDir('misconduct-agree-');
  const a = path.join(root, 'A');
  const b = path.join(root, 'B');
  put(a, 'a1.txt', A1, [KENT_POLICE, { start: 12, end: 18, label: 'sanction' }, { start: 32, end: 48, label: 'allegation' }]);
  put(b, 'a1.txt', A1, [
    KENT_POLICE,
    { start: 12, end: 18, label: 'allegation' }, // relabelled
    { start: 38, end: 48, label: 'allegation' }, // moved (start)
    { start: 19, end: 27, label: 'force', orphaned: true }, // excluded and counted
  ]);
  put(a, 'sub/a2.txt', A2, [MET, { start: 8, end: 17, label: 'sanction' }]);
  // B's sidecar predates an edit (stale sha, "Met" recorded at 0–3): re-anchoring finds it at 4–7
  put(b, 'sub/a2.txt', A2, [{ start: 0, end: 3, label: 'force' }], true);
  fs.writeFileSync(path.join(b, 'sub/a2.txt.annotations.json'), fs.readFileSync(path.join(b, 'sub/a2.txt.annotations.json'), 'utf8').replace('"text": "The"', '"text": "Met"'));
  // skipped: only in A; different texts; annotated nowhere; annotated in A only
  put(a, 'only-a.txt', 'Only here.', [{ start: 0, end: 4, label: 'force' }]);
  put(a, 'differs.txt', 'Durham Police.', [{ start: 0, end: 13, label: 'force' }]);
  put(b, 'differs.txt', 'Durham Constabulary.', [{ start: 0, end: 19, label: 'force' }]);
  put(a, 'nobody.txt', 'Nothing yet.', undefined);
  put(b, 'nobody.txt', 'Nothing yet.', undefined);
  put(a, 'a-only-sidecar.txt', 'Essex Police.', [{ start: 0, end: 12, label: 'force' }]);
  put(b, 'a-only-sidecar.txt', 'Essex Police.', undefined);
  return { a, b, root };
}

const near = (actual: number | null, expected: number) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
};

describe('agreement: two annotation sets on disk, worked by hand', () => {
  /*
   * Spans (A | B): force 2 | 2, sanction 2 | 0, allegation 1 | 2 (B's orphan left out).
   * Exact matches: Kent Police, Met → force F1 2·2/4 = 1, sanction 0/2 = 0, allegation 0/3 = 0,
   *   overall 2·2/9 = 4/9.
   * Overlap: + "gross misconduct" ~ "misconduct" → allegation 2·1/3 = 2/3, overall 2·3/9 = 2/3.
   *
   * Tokens (A/B): Kent F/F, Police F/F, sacked S/Al, PC O/O, Smith O/O, for O/O, gross Al/O,
   *   misconduct Al/Al, . O/O; The O/O, Met F/F, dismissed S/O, an O/O, officer O/O, . O/O.
   * Overall Cohen: agree 12 of 15; A: F3 S2 Al2 O8, B: F3 S0 Al2 O10; Σ r·c = 9+0+4+80 = 93;
   *   κ = (15·12 − 93)/(225 − 93) = 87/132.
   * Overall α: n = 30, n_c F6 S2 Al4 O18 (Σ n_c² = 380), Σ o_cc = 2·12 = 24;
   *   α = 1 − 29·(30 − 24)/(900 − 380) = 346/520.
   * force: identical → κ = α = 1.
   * sanction: A yes on 2 tokens, B on none; agree 13; Σ r·c = 2·0 + 13·15 = 195 → κ = (195 − 195)/(225 − 195) = 0;
   *   α: n_yes 2, n_no 28, Σ o_cc = 26 → 1 − 29·4/(900 − 788) = −4/112.
   * allegation: yes A {gross, misconduct}, B {sacked, misconduct}; agree 13; Σ r·c = 4 + 169 = 173
   *   → κ = 22/52; α: n_yes 4, n_no 26, Σ o_cc = 26 → 1 − 29·4/(900 − 692) = 92/208.
   */
  it('computes exact and overlap F1, Cohen’s κ and α per label and overall', async () => {
    const { a, b } = buildSets();
    const r = await computeAgreement(nodeFileSystem, [a, b]);
    assert.equal(r.kappaKind, 'cohen');
    assert.equal(r.articles, 2);
    assert.equal(r.tokens, 15);
    assert.deepEqual(Object.keys(r.labels), ['allegation', 'force', 'sanction']);

    assert.deepEqual(r.labels.force.spans, [2, 2]);
    assert.deepEqual(r.labels.sanction.spans, [2, 0]);
    assert.deepEqual(r.labels.allegation.spans, [1, 2]);
    assert.deepEqual(r.overall.spans, [5, 4]);

    assert.equal(r.labels.force.exactF1, 1);
    assert.equal(r.labels.sanction.exactF1, 0);
    assert.equal(r.labels.allegation.exactF1, 0);
    near(r.overall.exactF1, 4 / 9);
    assert.equal(r.labels.force.overlapF1, 1);
    near(r.labels.allegation.overlapF1, 2 / 3);
    near(r.overall.overlapF1, 2 / 3);

    near(r.overall.kappa, 87 / 132);
    near(r.overall.alpha, 346 / 520);
    assert.equal(r.labels.force.kappa, 1);
    assert.equal(r.labels.force.alpha, 1);
    assert.equal(r.labels.sanction.kappa, 0);
    near(r.labels.sanction.alpha, -4 / 112);
    near(r.labels.allegation.kappa, 22 / 52);
    near(r.labels.allegation.alpha, 92 / 208);
  });

  it('reports skipped articles with reasons, orphans, re-anchoring and the disagreements', async () => {
    const { a, b } = buildSets();
    const r = await computeAgreement(nodeFileSystem, [a, b]);
    assert.deepEqual(r.skipped, [
      { file: 'a-only-sidecar.txt', reason: `not annotated in ${b} (no sidecar)` },
      { file: 'differs.txt', reason: TEXT_DIFFERS },
      { file: 'nobody.txt', reason: 'not annotated in any set (no sidecar)' },
      { file: 'only-a.txt', reason: `not in every set (missing from ${b})` },
    ]);
    assert.deepEqual(r.orphaned, [0, 1]);
    assert.deepEqual(r.reanchored, [0, 1]);
    assert.deepEqual(
      r.disagreements.map((d) => [d.file, d.start, d.end, d.label, d.text, d.sets]),
      [
        ['a1.txt', 12, 18, 'allegation', 'sacked', [1]],
        ['a1.txt', 12, 18, 'sanction', 'sacked', [0]],
        ['a1.txt', 32, 48, 'allegation', 'gross misconduct', [0]],
        ['a1.txt', 38, 48, 'allegation', 'misconduct', [1]],
        ['sub/a2.txt', 8, 17, 'sanction', 'dismissed', [0]],
      ],
    );
  });

  it('counts an unannotated article as empty with missingSidecarAsEmpty', async () => {
    const { a, b } = buildSets();
    const r = await computeAgreement(nodeFileSystem, [a, b], { missingSidecarAsEmpty: true });
    assert.equal(r.articles, 3);
    assert.deepEqual(r.labels.force.spans, [3, 2]);
    assert.ok(!r.skipped.some((s) => s.file === 'a-only-sidecar.txt'));
    assert.ok(r.skipped.some((s) => s.file === 'nobody.txt'));
  });

  it('restricts to --labels: other spans are ignored, so their tokens are O', async () => {
    const { a, b } = buildSets();
    const r = await computeAgreement(nodeFileSystem, [a, b], { labels: ['sanction', 'force'] });
    assert.deepEqual(Object.keys(r.labels), ['sanction', 'force']);
    assert.deepEqual(r.overall.spans, [4, 2]);
    // tokens: disagree only on sacked (S/O) and dismissed (S/O): agree 13; A F3 S2 O10, B F3 O12
    // Σ r·c = 9 + 0 + 120 = 129 → κ = (195 − 129)/(225 − 129) = 66/96
    near(r.overall.kappa, 66 / 96);
  });

  /*
   * Three sets, C a copy of A. Per token: where A = B all three agree (12 tokens, 6 ordered
   * same pairs each); elsewhere 2 + 1 (2 pairs each, 3 tokens): Σ o_cc = (72 + 6)/2 = 39.
   * n = 45, n_c F9 S4 Al6 O26, Σ n_c² = 809.
   * Fleiss κ = (45·39 − 809)/(2025 − 809) = 946/1216; α = 1 − 44·(45 − 39)/1216 = 952/1216.
   * Exact F1 per pair AB 4/9, AC 1, BC 4/9 → 17/27; overlap 2/3, 1, 2/3 → 7/9.
   */
  it('uses Fleiss’ κ and pair-averaged F1 for three sets', async () => {
    const { a, b, root } = buildSets();
    const c = path.join(root, 'C');
    fs.cpSync(a, c, { recursive: true });
    fs.rmSync(path.join(c, 'only-a.txt'));
    const r = await computeAgreement(nodeFileSystem, [a, b, c]);
    assert.equal(r.kappaKind, 'fleiss');
    near(r.overall.kappa, 946 / 1216);
    near(r.overall.alpha, 952 / 1216);
    near(r.overall.exactF1, 17 / 27);
    near(r.overall.overlapF1, 7 / 9);
    assert.deepEqual(r.pairs.map((p) => p.sets), [[0, 1], [0, 2], [1, 2]]);
    assert.equal(r.pairs[1].overall.kappa, 1);
    near(r.pairs[0].overall.kappa, 87 / 132);
    assert.deepEqual(r.disagreements[0].sets, [1]);
    assert.deepEqual(r.disagreements[1].sets, [0, 2]);
  });

  it('skips an article whose sidecar is invalid in one set, naming the set and the problem', async () => {
    const { a, b } = buildSets();
    const sidecar = path.join(b, 'a1.txt.annotations.json');
    fs.writeFileSync(sidecar, fs.readFileSync(sidecar, 'utf8').replace('"text": "Kent Police"', '"text": "Kent Polite"'));
    const r = await computeAgreement(nodeFileSystem, [a, b]);
    const skip = r.skipped.find((s) => s.file === 'a1.txt');
    assert.ok(skip && skip.reason.startsWith(`invalid sidecar in ${b}: `) && /Kent Polite/.test(skip.reason), skip?.reason);
    assert.equal(r.articles, 1);
  });
});

describe('agreement: one article (compareArticle) and edge cases', () => {
  it('gives 1 everywhere on perfect agreement', () => {
    const spans = [KENT_POLICE, { start: 12, end: 18, label: 'sanction' }];
    const r = compareArticle(A1, [spans, [...spans]]);
    for (const s of [r.labels.force, r.labels.sanction, r.overall]) {
      assert.deepEqual([s.exactF1, s.overlapF1, s.kappa, s.alpha], [1, 1, 1, 1]);
    }
    assert.deepEqual(r.disagreements, []);
  });

  it('gives null with a reason, not NaN, when no set has a span', () => {
    const r = compareArticle(A1, [[], []], { labels: ['force'] });
    assert.equal(r.tokens, 9);
    for (const s of [r.labels.force, r.overall]) {
      assert.deepEqual([s.exactF1, s.overlapF1, s.kappa, s.alpha], [null, null, null, null]);
      assert.match(s.undefinedBecause.kappa ?? '', /no variation/);
      assert.match(s.undefinedBecause.exactF1 ?? '', /no .*spans in any set/);
    }
  });

  it('gives null for everything on an empty article', () => {
    const r = compareArticle('', [[], [], []]);
    assert.equal(r.tokens, 0);
    assert.deepEqual(r.labels, {});
    assert.equal(r.overall.kappa, null);
    assert.equal(r.overall.undefinedBecause.alpha, 'no tokens to compare');
  });

  it('with one label only, overall equals that label', () => {
    const r = compareArticle(A1, [[KENT_POLICE], [{ start: 0, end: 4, label: 'force' }, { start: 22, end: 27, label: 'force' }]]);
    const { spans: _a, ...force } = r.labels.force;
    const { spans: _b, ...overall } = r.overall;
    assert.deepEqual(overall, force);
    assert.equal(r.labels.force.exactF1, 0);
    assert.equal(r.labels.force.overlapF1, 2 / 3);
  });

  it('needs at least two sets', () => {
    assert.throws(() => compareArticle(A1, [[KENT_POLICE]]), RangeError);
  });

  it('counts code points, as the sidecar does, before astral characters', () => {
    const text = '🚔🚔 PC Smith';
    // code points: 🚔 0, 🚔 1, space 2, "PC" 3–5; in UTF-16 the space is unit 4 and "PC" 5–7
    const pc = { start: 3, end: 5, label: 'force' };
    assert.equal(compareArticle(text, [[pc], []]).disagreements[0].text, 'PC');
    // the space alone covers no token (read as UTF-16 it would cover half of the second 🚔)
    assert.deepEqual(compareArticle(text, [[{ start: 2, end: 3, label: 'force' }], []]).dropped, [1, 0]);
    assert.equal(compareArticle(text, [[pc], [{ start: 2, end: 5, label: 'force' }]]).labels.force.kappa, 1);
  });

  it('applies the CoNLL overlap rule to tokens (longest span wins) but not to F1', () => {
    // A: "Kent Police" force, and "Police" allegation inside it (dropped from tokens); B: force only
    const r = compareArticle(A1, [[KENT_POLICE, { start: 5, end: 11, label: 'allegation' }], [KENT_POLICE]]);
    assert.deepEqual(r.dropped, [1, 0]);
    assert.equal(r.overall.kappa, 1);
    assert.equal(r.labels.allegation.exactF1, 0);
  });

  it('throws on a span outside the text rather than comparing at wrong offsets', () => {
    assert.throws(() => compareArticle('Short.', [[{ start: 0, end: 40, label: 'force' }], []]), RangeError);
  });
});

describe('CLI: agree', () => {
  it('prints the table and exits 0, listing skipped articles on stderr', async () => {
    const { a, b } = buildSets();
    const run = await cli('agree', a, b);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^overall\s+5\/4\s+0\.444\s+0\.667\s+0\.659\s+0\.665$/m);
    assert.match(run.out, /^sanction\s+2\/0\s+0\.000\s+0\.000\s+0\.000\s+-0\.036$/m);
    assert.match(run.err, /skipped 1 article\(s\): article text differs between sets\n {2}differs\.txt/);
  });

  it('prints the stable JSON object', async () => {
    const { a, b } = buildSets();
    const run = await cli('agree', a, b, '--json', '--labels', 'force,sanction');
    assert.equal(run.code, 0, run.err);
    const json = JSON.parse(run.out);
    assert.deepEqual(Object.keys(json), ['sets', 'kappa_type', 'articles', 'tokens', 'skipped', 'orphaned', 'reanchored', 'dropped', 'labels', 'overall', 'pairs', 'disagreements', 'relations', 'fields', 'cases']);
    assert.equal(json.cases, null, 'no case records in either set');
    assert.deepEqual(json.sets, [a, b]);
    assert.equal(json.kappa_type, 'cohen');
    assert.deepEqual(Object.keys(json.labels), ['force', 'sanction']);
    assert.deepEqual(json.labels.force, { exact_f1: 1, overlap_f1: 1, kappa: 1, alpha: 1, spans: [2, 2], undefined_because: {} });
    assert.deepEqual(json.disagreements[0], { file: 'a1.txt', start: 12, end: 18, label: 'sanction', text: 'sacked', sets: [a] });
    assert.deepEqual(json.pairs[0].sets, [a, b]);
  });

  it('exits 2 on usage errors and 1 when nothing could be compared', async () => {
    const { a, b, root } = buildSets();
    assert.equal((await cli('agree')).code, 2);
    assert.equal((await cli('agree', a)).code, 2);
    assert.equal((await cli('agree', a, path.join(root, 'missing'))).code, 2);
    assert.equal((await cli('agree', a, path.join(a, 'a1.txt'))).code, 2);
    assert.equal((await cli('agree', a, a + path.sep)).code, 2);
    assert.equal((await cli('agree', a, b, '--labels', 'Force')).code, 2);
    assert.equal((await cli('agree', a, b, '--labels', ',')).code, 2);
    const empty = tempDir();
    const none = await cli('agree', a, empty);
    assert.equal(none.code, 1);
    assert.match(none.err, /no article could be compared/);
  });
});
