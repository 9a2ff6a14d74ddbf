/**
 * Case records in `validate` and in git: the three-way merge by field and by evidence id, and a
 * real `git merge` of two branches' case records through the driver as git runs it (dist/cli.js,
 * registered by git-setup), as gitMerge.test.ts does for sidecars.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseRecord, mergeCases, parseCase, serializeCase } from '../../src/core/cases';
import { BIN, git, runBin } from './isolatedGit';
import { cli, copySamples, REPO, tempDir } from './helpers';

const T = '2026-12-07T10:00:00Z';
const S3 = '003_bb0ef3ef7eedfb27.txt';

function record(extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    version: 1,
    id: 'c-1',
    title: 'PC A',
    fields: { force: 'kent', outcome: 'final_written_warning' },
    evidence: [
      { id: 'e-1', file: 'a.txt', quote: 'PC A' },
      { id: 'e-2', file: 'a.txt', field: 'outcome', quote: 'final written warning' },
    ],
    created: T,
    ...extra,
  };
}

describe('case records: three-way merge', () => {
  it('merges by field and by evidence id: both sides\' additions and changes kept', () => {
    const base = record();
    const ours = record({ fields: { ...base.fields, proceeding: 'misconduct_hearing' }, evidence: [...base.evidence, { id: 'e-3', file: 'b.txt', quote: 'hearing' }] });
    const theirs = record({ fields: { force: 'kent', outcome: 'dismissal_without_notice' }, evidence: [base.evidence[0], { id: 'e-4', file: 'c.txt', quote: 'dismissed' }], note: 'theirs' });
    const { record: merged, fresh } = mergeCases(base, ours, theirs);
    assert.deepEqual(fresh, []);
    assert.deepEqual(merged.fields, { force: 'kent', outcome: 'dismissal_without_notice', proceeding: 'misconduct_hearing' });
    assert.deepEqual(merged.evidence.map((e) => e.id).sort(), ['e-1', 'e-3', 'e-4'], 'e-2 removed by theirs, unchanged by ours');
    assert.equal(merged.note, 'theirs');
    assert.equal(merged.conflicts, undefined);
  });

  it('keeps ours and records theirs when both changed the same field, evidence or title; the result is a valid record', () => {
    const base = record();
    const ours = record({ title: 'PC A (ours)', fields: { ...base.fields, outcome: 'dismissal_without_notice' }, evidence: [base.evidence[0], { ...base.evidence[1], quote: 'ours' }] });
    const theirs = record({ title: 'PC A (theirs)', fields: { ...base.fields, outcome: 'written_warning' }, evidence: [base.evidence[0]] });
    const { record: merged, fresh } = mergeCases(base, ours, theirs);
    assert.deepEqual(fresh.map((c) => c.kind).sort(), ['evidence', 'field', 'property']);
    assert.equal(merged.fields.outcome, 'dismissal_without_notice');
    assert.equal(merged.title, 'PC A (ours)');
    assert.deepEqual(merged.conflicts?.find((c) => c.kind === 'evidence'), { kind: 'evidence', id: 'e-2', theirs: null });
    assert.deepEqual(merged.conflicts?.find((c) => c.kind === 'field'), { kind: 'field', field: 'outcome', theirs: 'written_warning' });
    assert.doesNotThrow(() => parseCase('merged', serializeCase(merged)));
  });
});

describe('CLI: validate on case records', () => {
  it('passes the samples\' case records and exits 1 naming the case and evidence of broken evidence', async () => {
    const dir = copySamples();
    const ok = await cli('validate', dir);
    assert.equal(ok.code, 0, ok.out + ok.err);
    fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
    const broken = record({
      id: 'c-broken',
      evidence: [
        { id: 'e-1', file: 'renamed.txt', quote: 'x' },
        { id: 'e-2', file: S3, annotation: 'a-removed', quote: 'y' },
        { id: 'e-3', file: S3, relation: 'r-removed', quote: 'z' },
      ],
    });
    fs.writeFileSync(path.join(dir, 'cases', 'c-broken.case.json'), serializeCase(broken));
    fs.writeFileSync(path.join(dir, 'cases', 'c-bad.case.json'), JSON.stringify({ ...record({ id: 'c-bad' }), evidence: [{ id: 'e-1', file: '/etc/passwd', quote: '' }] }));
    const run = await cli('validate', dir);
    assert.equal(run.code, 1);
    const lines = run.out.split('\n');
    assert.ok(lines.some((l) => /c-bad\.case\.json: evidence #1 \(e-1\) "file" is relative to the corpus folder, not absolute/.test(l)), run.out);
    assert.ok(lines.some((l) => /renamed\.txt: case c-broken, evidence e-1: its article "renamed\.txt" is missing/.test(l)), run.out);
    assert.ok(lines.some((l) => /case c-broken, evidence e-2: annotation a-removed is not in the sidecar/.test(l)), run.out);
    assert.ok(lines.some((l) => /case c-broken, evidence e-3: relation r-removed is not in the sidecar/.test(l)), run.out);
    assert.match(run.err, /case record\(s\) checked, 4 problem\(s\)/);
    // a case file named on its own is checked against the corpus above its folder
    const one = await cli('validate', path.join(dir, 'cases', 'c-broken.case.json'));
    assert.equal(one.code, 1);
    assert.equal(one.out.split('\n').length, 3, one.out);
  });
});


describe('git: merging case records with the merge driver', function () {
  this.timeout(60_000);
  before(function () {
    this.timeout(120_000);
    if (!fs.existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'ignore' });
  });

  function repository(): string {
    const dir = tempDir('misconduct-git-cases-');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Test');
    git(dir, 'config', 'user.email', 'test@example.invalid');
    fs.mkdirSync(path.join(dir, 'cases'));
    fs.writeFileSync(path.join(dir, 'cases', 'c-1.case.json'), serializeCase(record()));
    const setup = runBin(dir, 'git-setup');
    assert.equal(setup.code, 0, setup.err);
    assert.match(fs.readFileSync(path.join(dir, '.gitattributes'), 'utf8'), /^\*\.case\.json merge=misconduct-annotations$/m);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  }

  function change(dir: string, branch: string, edit: (r: CaseRecord) => CaseRecord): void {
    const file = path.join(dir, 'cases', 'c-1.case.json');
    fs.writeFileSync(file, serializeCase(edit(parseCase(file, fs.readFileSync(file, 'utf8')))));
    git(dir, 'add', '-A');
    assert.equal(git(dir, 'commit', '-q', '-m', branch).code, 0);
  }

  it('merges two branches\' edits of one case record by field and evidence, without markers', () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    change(dir, 'theirs', (r) => ({ ...r, fields: { ...r.fields, barred_list: true }, evidence: [...r.evidence, { id: 'e-9', file: 'b.txt', quote: 'barred' }] }));
    git(dir, 'checkout', '-q', 'main');
    change(dir, 'ours', (r) => ({ ...r, fields: { ...r.fields, proceeding: 'misconduct_hearing' }, evidence: [...r.evidence, { id: 'e-5', file: 'c.txt', quote: 'hearing' }] }));
    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    const text = fs.readFileSync(path.join(dir, 'cases', 'c-1.case.json'), 'utf8');
    assert.doesNotMatch(text, /^(<{7}|={7}|>{7})/m);
    const merged = parseCase('merged', text);
    assert.deepEqual(merged.fields, { barred_list: true, force: 'kent', outcome: 'final_written_warning', proceeding: 'misconduct_hearing' });
    assert.deepEqual(merged.evidence.map((e) => e.id), ['e-1', 'e-2', 'e-5', 'e-9']);
    assert.equal(text, serializeCase(merged), 'written in the canonical text');
  });

  it('records a field both branches set differently and leaves a valid record; git reports the conflict', () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    change(dir, 'theirs', (r) => ({ ...r, fields: { ...r.fields, outcome: 'written_warning' } }));
    git(dir, 'checkout', '-q', 'main');
    change(dir, 'ours', (r) => ({ ...r, fields: { ...r.fields, outcome: 'dismissal_without_notice' } }));
    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0);
    assert.match(merge.out, /field:outcome/);
    const merged = parseCase('merged', fs.readFileSync(path.join(dir, 'cases', 'c-1.case.json'), 'utf8'));
    assert.equal(merged.fields.outcome, 'dismissal_without_notice');
    assert.deepEqual(merged.conflicts, [{ kind: 'field', field: 'outcome', theirs: 'written_warning' }]);
  });
});
