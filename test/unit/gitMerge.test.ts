/**
 * Team annotation in git: sidecars merged by annotation id through the merge driver, as git itself
 * runs it. Each test makes a real repository under the temp folder (Debian's `git`), registers the
 * driver with the bundled CLI (dist/cli.js, as docs/team-work-in-git.md tells a user to), and merges two branches.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeAnnotation } from '../../src/core/annotations';
import { sha256Hex } from '../../src/core/article';
import { mergeForGit, mergeKeyed, resolveConflict, UnresolvableConflict } from '../../src/core/merge';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation, Relation, Sidecar } from '../../src/core/schema';
import { parseSidecar } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { BIN, git, runBin } from './isolatedGit';
import { cli, REPO, tempDir } from './helpers';

const CREATED = '2026-01-01T00:00:00Z';
const TEXT_A = 'Kent Police dismissed PC Smith after a hearing found gross misconduct. The IOPC said the officer lied.';
const TEXT_B = 'Sussex Police gave PC Jones a final written warning for excessive force during an arrest in Brighton.';


/** Neither sidecar holds a conflict marker, and `validate` passes on the merged tree. */
function assertValidWithoutMarkers(dir: string): void {
  for (const f of ['a.txt', 'b.txt']) assert.doesNotMatch(fs.readFileSync(path.join(dir, f + '.annotations.json'), 'utf8'), /^(<{7}|={7}|>{7})/m);
  const validate = runBin(dir, 'validate', '.');
  assert.equal(validate.code, 0, validate.out + validate.err);
}

function at(text: string, quote: string, label: string, id: string, note?: string): Annotation {
  const map = new OffsetMap(text);
  const start = [...text.slice(0, text.indexOf(quote))].length;
  return makeAnnotation(map, start, start + [...quote].length, label, { id, created: CREATED, note });
}

function sidecar(file: string, text: string, annotations: Annotation[], extra: Partial<Sidecar> = {}): Sidecar {
  return { version: 1, article: { file, sha256: sha256Hex(text), length: [...text].length }, annotations, ...extra };
}

function write(dir: string, name: string, s: Sidecar): void {
  fs.writeFileSync(path.join(dir, name + '.annotations.json'), serializeSidecar(s));
}

function read(dir: string, name: string): Sidecar {
  return parseSidecar(name, fs.readFileSync(path.join(dir, name + '.annotations.json'), 'utf8'));
}

function edit(dir: string, name: string, change: (s: Sidecar) => void): void {
  const s = read(dir, name);
  change(s);
  write(dir, name, s);
}

/** A repository with two annotated articles on `main`, set up with `git-setup` through dist/cli.js. */
function repository(): string {
  const dir = tempDir('misconduct-git-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.invalid');
  fs.writeFileSync(path.join(dir, 'a.txt'), TEXT_A);
  fs.writeFileSync(path.join(dir, 'b.txt'), TEXT_B);
  write(dir, 'a.txt', sidecar('a.txt', TEXT_A, [at(TEXT_A, 'Kent Police', 'force', 'a-1'), at(TEXT_A, 'dismissed', 'sanction', 'a-2'), at(TEXT_A, 'lied', 'allegation', 'a-3')]));
  write(dir, 'b.txt', sidecar('b.txt', TEXT_B, [at(TEXT_B, 'Sussex Police', 'force', 'b-1'), at(TEXT_B, 'final written warning', 'sanction', 'b-2')]));
  const setup = runBin(dir, 'git-setup');
  assert.equal(setup.code, 0, setup.err);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  const r = git(dir, 'commit', '-q', '-m', message);
  assert.equal(r.code, 0, r.out);
}

describe('git: merging sidecars with the merge driver', function () {
  this.timeout(60_000);
  before(function () {
    this.timeout(120_000);
    if (!fs.existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'ignore' });
  });

  it('git-setup routes sidecars to the driver, is idempotent and says what it did', () => {
    const dir = repository();
    assert.match(fs.readFileSync(path.join(dir, '.gitattributes'), 'utf8'), /^\*\.annotations\.json merge=misconduct-annotations$/m);
    assert.match(git(dir, 'config', '--get', 'merge.misconduct-annotations.driver').out, /dist\/cli\.js'? merge-driver %O %A %B %P/);
    const attributes = fs.readFileSync(path.join(dir, '.gitattributes'), 'utf8');
    const again = runBin(path.join(dir), 'git-setup', '.');
    assert.equal(again.code, 0);
    assert.match(again.out, /already routes/);
    assert.match(again.out, /already set/);
    assert.equal(fs.readFileSync(path.join(dir, '.gitattributes'), 'utf8'), attributes);
    assert.equal(git(dir, 'status', '--porcelain').out, '', 'nothing changed');
  });

  it('git-setup outside a repository exits 2 with one line', () => {
    const dir = tempDir('misconduct-nogit-');
    const r = runBin(dir, 'git-setup', dir);
    // a temp folder could sit inside some repository on an odd machine; then there is nothing to test
    if (git(dir, 'rev-parse', '--show-toplevel').code === 0) return;
    assert.equal(r.code, 2);
    assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    assert.match(r.err, /is not inside a git repository/);
    assert.ok(!fs.existsSync(path.join(dir, '.gitattributes')));
  });

  it('two branches changing different annotations of the same sidecars merge without a conflict, keeping both', () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => {
      s.annotations.find((a) => a.id === 'a-1')!.note = 'their note';
      s.annotations = s.annotations.filter((a) => a.id !== 'a-3');
      s.annotations.push(at(TEXT_A, 'IOPC', 'force', 'a-t'));
    });
    edit(dir, 'b.txt', (s) => (s.status = 'done'));
    commitAll(dir, 'theirs');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => {
      s.annotations.find((a) => a.id === 'a-2')!.label = 'outcome';
      s.annotations.push(at(TEXT_A, 'gross misconduct', 'allegation', 'a-o'));
      s.rejected = [{ start: 0, end: 4, label: 'force', text: 'Kent' }];
    });
    edit(dir, 'b.txt', (s) => (s.annotations = s.annotations.filter((a) => a.id !== 'b-2')));
    commitAll(dir, 'ours');

    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    assert.equal(git(dir, 'status', '--porcelain').out, '');
    const a = read(dir, 'a.txt');
    const byId = new Map(a.annotations.map((x) => [x.id, x]));
    assert.deepEqual([...byId.keys()].sort(), ['a-1', 'a-2', 'a-o', 'a-t']);
    assert.equal(byId.get('a-1')!.note, 'their note');
    assert.equal(byId.get('a-2')!.label, 'outcome');
    assert.deepEqual(a.rejected, [{ start: 0, end: 4, label: 'force', text: 'Kent' }]);
    assert.equal(a.conflicts, undefined);
    const b = read(dir, 'b.txt');
    assert.equal(b.status, 'done');
    assert.deepEqual(b.annotations.map((x) => x.id), ['b-1']);
    assertValidWithoutMarkers(dir);
  });

  it('the same annotation changed on both branches: a valid sidecar with the conflict recorded, and git reports the path', () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => {
      s.annotations.find((a) => a.id === 'a-1')!.note = 'theirs';
      s.annotations = s.annotations.filter((a) => a.id !== 'a-2');
    });
    commitAll(dir, 'theirs');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => {
      s.annotations.find((a) => a.id === 'a-1')!.note = 'mine';
      s.annotations.find((a) => a.id === 'a-2')!.note = 'kept, but they removed it';
      s.annotations.find((a) => a.id === 'a-3')!.label = 'misconduct';
    });
    commitAll(dir, 'ours');

    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0);
    assert.match(merge.out, /CONFLICT/);
    assert.match(git(dir, 'status', '--porcelain').out, /^UU a\.txt\.annotations\.json$/m);
    const text = fs.readFileSync(path.join(dir, 'a.txt.annotations.json'), 'utf8');
    assert.doesNotMatch(text, /^(<{7}|={7}|>{7})/m);
    const a = parseSidecar('a', text); // valid: the schema accepts the recorded conflicts
    const byId = new Map(a.annotations.map((x) => [x.id, x]));
    assert.equal(byId.get('a-1')!.note, 'mine', 'ours stays in place');
    assert.equal(byId.get('a-2')!.note, 'kept, but they removed it');
    assert.equal(byId.get('a-3')!.label, 'misconduct', 'a change on one side only is merged');
    assert.deepEqual(
      a.conflicts?.map((c) => (c.kind === 'annotation' ? [c.id, c.theirs?.note ?? null] : [c.kind])),
      [
        ['a-1', 'theirs'],
        ['a-2', null],
      ],
    );
    const validate = runBin(dir, 'validate', '.');
    assert.equal(validate.code, 0, validate.out + validate.err);
    assert.match(validate.err, /2 unresolved merge conflict/);
  });

  it('one branch edits the article, the other annotates it: clean merge, and the sidecar validates against the merged text', () => {
    const dir = repository();
    const edited = TEXT_A.replace('Kent Police', 'Kent Police (Maidstone)');
    git(dir, 'checkout', '-q', '-b', 'theirs');
    fs.writeFileSync(path.join(dir, 'a.txt'), edited);
    edit(dir, 'a.txt', (s) => {
      // what the editor writes after the text changed: the spans moved, the hash is the new text's
      s.annotations = s.annotations.map((a) => at(edited, a.text, a.label, a.id, a.note));
      s.article = { file: 'a.txt', sha256: sha256Hex(edited), length: [...edited].length };
    });
    commitAll(dir, 'theirs edits the text');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => s.annotations.push(at(TEXT_A, 'IOPC', 'force', 'a-o')));
    commitAll(dir, 'ours annotates');

    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), edited);
    const validate = runBin(dir, 'validate', '.');
    assert.equal(validate.code, 0, validate.out + validate.err);
    // opened (or validated) against the merged text, every span is found again where its quote is
    const a = read(dir, 'a.txt');
    assert.deepEqual(a.annotations.map((x) => x.id).sort(), ['a-1', 'a-2', 'a-3', 'a-o']);
  });

  it('our branch edits the article, theirs annotates it: their new span is moved onto our text by the driver', () => {
    const dir = repository();
    const edited = 'Breaking: ' + TEXT_A;
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => s.annotations.push(at(TEXT_A, 'IOPC', 'force', 'a-t')));
    commitAll(dir, 'theirs annotates');
    git(dir, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(dir, 'a.txt'), edited);
    edit(dir, 'a.txt', (s) => {
      s.annotations = s.annotations.map((a) => at(edited, a.text, a.label, a.id, a.note));
      s.article = { file: 'a.txt', sha256: sha256Hex(edited), length: [...edited].length };
    });
    commitAll(dir, 'ours edits the text');

    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    const a = read(dir, 'a.txt');
    assert.equal(a.article.sha256, sha256Hex(edited), 'the hash of the text the merge left');
    const t = a.annotations.find((x) => x.id === 'a-t')!;
    assert.equal([...edited].slice(t.start, t.end).join(''), 'IOPC');
    const validate = runBin(dir, 'validate', '.');
    assert.equal(validate.code, 0, validate.out + validate.err);
    assert.doesNotMatch(validate.err, /re-anchored|changed since/, 'consistent as written: nothing to re-anchor');
  });

  it('both branches edit the article and the sidecar (the article conflicts): the merged sidecar is exact on our text, unchanged spans are no conflict', () => {
    const dir = repository();
    const theirsText = 'Updated: ' + TEXT_A;
    const oursText = TEXT_A.replace('after a hearing', 'after a two-day hearing');
    /** What the editor writes after the text changed: each span moved with its words, the new text's hash. */
    const follow = (text: string) => (s: Sidecar) => {
      s.annotations = s.annotations.map((a) => ({ ...at(text, a.text, a.label, a.id, a.note), created: a.created }));
      s.article = { file: 'a.txt', sha256: sha256Hex(text), length: [...text].length };
    };
    git(dir, 'checkout', '-q', '-b', 'theirs');
    fs.writeFileSync(path.join(dir, 'a.txt'), theirsText);
    edit(dir, 'a.txt', (s) => {
      follow(theirsText)(s);
      s.annotations.find((a) => a.id === 'a-1')!.note = 'their note';
      s.annotations.push(at(theirsText, 'IOPC', 'force', 'a-t'));
    });
    commitAll(dir, 'theirs edits the text and annotates');
    git(dir, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(dir, 'a.txt'), oursText);
    edit(dir, 'a.txt', (s) => {
      follow(oursText)(s);
      s.annotations.find((a) => a.id === 'a-2')!.label = 'outcome';
      s.annotations.push(at(oursText, 'gross misconduct', 'allegation', 'a-o'));
    });
    commitAll(dir, 'ours edits the text and annotates');

    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0, 'the article itself conflicts');
    const status = git(dir, 'status', '--porcelain').out;
    assert.match(status, /^UU a\.txt$/m);
    assert.match(status, /^M {2}a\.txt\.annotations\.json$/m, 'the sidecar merged cleanly: the unchanged spans are no conflict');
    const a = read(dir, 'a.txt');
    assert.equal(a.conflicts, undefined);
    assert.equal(a.article.sha256, sha256Hex(oursText), "the merged sidecar names our text");
    const byId = new Map(a.annotations.map((x) => [x.id, x]));
    assert.deepEqual([...byId.keys()].sort(), ['a-1', 'a-2', 'a-3', 'a-o', 'a-t']);
    assert.equal(byId.get('a-1')!.note, 'their note');
    assert.equal(byId.get('a-2')!.label, 'outcome');
    for (const x of a.annotations) assert.equal([...oursText].slice(x.start, x.end).join(''), x.text, `${x.id} sits on our text`);

    // their text kept: every span is found again by quote (the hash names another text)
    assert.equal(git(dir, 'checkout', '--theirs', 'a.txt').code, 0);
    const onTheirs = runBin(dir, 'validate', '.');
    assert.equal(onTheirs.code, 0, onTheirs.out + onTheirs.err);
    assert.match(onTheirs.err, /5 span\(s\) found again, 0 orphaned/);
    // our text kept: exact as written, nothing to re-anchor
    assert.equal(git(dir, 'checkout', '--ours', 'a.txt').code, 0);
    git(dir, 'add', 'a.txt');
    const onOurs = runBin(dir, 'validate', '.');
    assert.equal(onOurs.code, 0, onOurs.out + onOurs.err);
    assert.doesNotMatch(onOurs.err, /re-anchored|changed since/);
    assert.equal(git(dir, 'commit', '-q', '--no-edit').code, 0);
  });

  it('both branches annotate a new article (no common sidecar): both sets of annotations are kept', () => {
    const dir = repository();
    const text = 'Gwent Police sacked an officer for discreditable conduct.';
    fs.writeFileSync(path.join(dir, 'c.txt'), text);
    commitAll(dir, 'new article');
    git(dir, 'checkout', '-q', '-b', 'theirs');
    write(dir, 'c.txt', sidecar('c.txt', text, [at(text, 'Gwent Police', 'force', 'c-t')]));
    commitAll(dir, 'theirs annotates');
    git(dir, 'checkout', '-q', 'main');
    write(dir, 'c.txt', sidecar('c.txt', text, [at(text, 'sacked', 'sanction', 'c-o')]));
    commitAll(dir, 'ours annotates');
    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    assert.deepEqual(read(dir, 'c.txt').annotations.map((a) => a.id).sort(), ['c-o', 'c-t']);
  });
});

describe('git: merging relations and the coding form with the merge driver', function () {
  this.timeout(60_000);
  before(function () {
    this.timeout(120_000);
    if (!fs.existsSync(BIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'ignore' });
  });
  const LATER = '2026-01-02T00:00:00Z';
  const rel = (id: string, label: string, from: string, to: string, note?: string): Relation => ({ id, label, from, to, ...(note ? { note } : {}), created: LATER });

  /** Two coded articles on `main`: annotations, relations between them and a filled-in form. */
  function codedRepository(): string {
    const dir = repository();
    edit(dir, 'a.txt', (s) => {
      s.annotations.push(at(TEXT_A, 'PC Smith', 'officer', 'a-4'), at(TEXT_A, 'gross misconduct', 'allegation', 'a-5'));
      s.relations = [rel('r-1', 'outcome', 'a-5', 'a-2'), rel('r-2', 'member', 'a-4', 'a-1'), rel('r-3', 'subject', 'a-4', 'a-3')];
      s.document = { force: 'kent', outcome: 'dismissal', proceeding: 'gross_misconduct_hearing', standards: ['honesty'] };
    });
    edit(dir, 'b.txt', (s) => {
      s.annotations.push(at(TEXT_B, 'PC Jones', 'officer', 'b-3'));
      s.relations = [rel('r-b', 'member', 'b-3', 'b-1')];
      s.document = { force: 'sussex', outcome: 'final_written_warning' };
    });
    commitAll(dir, 'coded');
    return dir;
  }

  const relationsOf = (s: Sidecar) => new Map((s.relations ?? []).map((r) => [r.id, r]));

  it('two branches adding, removing and editing different relations and form fields merge without a conflict, keeping both', () => {
    const dir = codedRepository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => {
      s.relations = s.relations!.filter((r) => r.id !== 'r-3'); // removes a link
      s.relations.find((r) => r.id === 'r-2')!.note = 'their note'; // edits one
      s.annotations.push(at(TEXT_A, 'IOPC', 'force', 'a-t'));
      s.relations.push(rel('r-t', 'member', 'a-4', 'a-t')); // links a new annotation
      s.document!.finding = 'proven'; // adds a field
      delete s.document!.proceeding; // removes one
    });
    edit(dir, 'b.txt', (s) => (s.document!.barred_list = true));
    commitAll(dir, 'theirs');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => {
      s.relations!.find((r) => r.id === 'r-1')!.label = 'sanction_for'; // edits another
      s.relations!.push(rel('r-o', 'subject', 'a-4', 'a-5')); // adds one
      s.document!.outcome = 'dismissal_without_notice'; // changes a field
      s.document!.standards = ['honesty', 'discreditable_conduct'];
    });
    edit(dir, 'b.txt', (s) => {
      s.relations = []; // removes the only link
      delete s.relations;
      s.document!.hearing_date = '2024-05-01';
    });
    commitAll(dir, 'ours');

    const merge = git(dir, 'merge', '-q', '--no-edit', 'theirs');
    assert.equal(merge.code, 0, merge.out);
    assert.equal(git(dir, 'status', '--porcelain').out, '');
    const a = read(dir, 'a.txt');
    const relations = relationsOf(a);
    assert.deepEqual([...relations.keys()].sort(), ['r-1', 'r-2', 'r-o', 'r-t']);
    assert.equal(relations.get('r-1')!.label, 'sanction_for');
    assert.equal(relations.get('r-2')!.note, 'their note');
    assert.deepEqual([relations.get('r-t')!.from, relations.get('r-t')!.to], ['a-4', 'a-t']);
    assert.deepEqual(a.document, { finding: 'proven', force: 'kent', outcome: 'dismissal_without_notice', standards: ['honesty', 'discreditable_conduct'] });
    assert.equal(a.conflicts, undefined);
    const b = read(dir, 'b.txt');
    assert.equal(b.relations, undefined);
    assert.deepEqual(b.document, { barred_list: true, force: 'sussex', hearing_date: '2024-05-01', outcome: 'final_written_warning' });
    assertValidWithoutMarkers(dir);
  });

  it('the same relation and the same form field changed differently: a valid sidecar with both recorded, and git reports the path', () => {
    const dir = codedRepository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => {
      s.relations!.find((r) => r.id === 'r-1')!.note = 'theirs';
      s.relations = s.relations!.filter((r) => r.id !== 'r-2');
      s.document!.outcome = 'final_written_warning';
      delete s.document!.proceeding;
      s.document!.force = 'kent_police'; // a field changed on this side only
    });
    commitAll(dir, 'theirs');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => {
      s.relations!.find((r) => r.id === 'r-1')!.note = 'mine';
      s.relations!.find((r) => r.id === 'r-2')!.label = 'serves_in';
      s.document!.outcome = 'dismissal_without_notice';
      s.document!.proceeding = 'misconduct_meeting';
    });
    commitAll(dir, 'ours');

    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0);
    assert.match(merge.out, /CONFLICT/);
    assert.match(git(dir, 'status', '--porcelain').out, /^UU a\.txt\.annotations\.json$/m);
    const text = fs.readFileSync(path.join(dir, 'a.txt.annotations.json'), 'utf8');
    assert.doesNotMatch(text, /^(<{7}|={7}|>{7})/m);
    const a = parseSidecar('a', text);
    const relations = relationsOf(a);
    assert.equal(relations.get('r-1')!.note, 'mine', 'ours stays in place');
    assert.equal(relations.get('r-2')!.label, 'serves_in');
    assert.deepEqual(a.document, { force: 'kent_police', outcome: 'dismissal_without_notice', proceeding: 'misconduct_meeting', standards: ['honesty'] });
    assert.deepEqual(a.conflicts, [
      { kind: 'relation', id: 'r-1', theirs: rel('r-1', 'outcome', 'a-5', 'a-2', 'theirs') },
      { kind: 'relation', id: 'r-2', theirs: null },
      { kind: 'field', field: 'outcome', theirs: 'final_written_warning' },
      { kind: 'field', field: 'proceeding' },
    ]);
    const validate = runBin(dir, 'validate', '.');
    assert.equal(validate.code, 0, validate.out + validate.err);
    assert.match(validate.err, /4 unresolved merge conflict/);
  });

  it('a relation added on one branch to an annotation the other removed: a valid sidecar, both recorded, nothing lost', () => {
    const dir = codedRepository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => s.relations!.push(rel('r-t', 'subject', 'a-4', 'a-3', 'lied under caution')));
    commitAll(dir, 'theirs links a-3');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => {
      // removing an annotation removes its links, as the editor does
      s.annotations = s.annotations.filter((x) => x.id !== 'a-3');
      s.relations = s.relations!.filter((r) => r.from !== 'a-3' && r.to !== 'a-3');
    });
    commitAll(dir, 'ours removes a-3');

    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0);
    assert.match(git(dir, 'status', '--porcelain').out, /^UU a\.txt\.annotations\.json$/m);
    const a = read(dir, 'a.txt'); // valid: no relation without an end
    assert.ok(!a.annotations.some((x) => x.id === 'a-3'), 'ours (the removal) stays in place');
    assert.ok(!relationsOf(a).has('r-t'));
    const conflicts = a.conflicts ?? [];
    const theirAnnotation = conflicts.find((c) => c.kind === 'annotation' && c.id === 'a-3');
    const theirRelation = conflicts.find((c) => c.kind === 'relation' && c.id === 'r-t');
    assert.equal(theirAnnotation?.kind === 'annotation' && theirAnnotation.theirs?.text, 'lied', 'their annotation waits in the file');
    assert.equal(theirRelation?.kind === 'relation' && theirRelation.theirs?.note, 'lied under caution', 'their link waits in the file');
    const validate = runBin(dir, 'validate', '.');
    assert.equal(validate.code, 0, validate.out + validate.err);

    // accepting theirs brings both back, in order; the relation first says what to do
    assert.throws(() => resolveConflict(a, theirRelation!, 'theirs'), (e: Error) => e instanceof UnresolvableConflict && /“lied” \(a-3\).*itself a merge conflict/.test(e.message));
    const withAnnotation = resolveConflict(a, theirAnnotation!, 'theirs');
    const both = resolveConflict(withAnnotation, theirRelation!, 'theirs');
    assert.equal(both.conflicts, undefined);
    assert.equal(relationsOf(both).get('r-t')!.to, 'a-3');
    fs.writeFileSync(path.join(dir, 'a.txt.annotations.json'), serializeSidecar(both));
    git(dir, 'add', 'a.txt.annotations.json');
    assert.equal(git(dir, 'commit', '-q', '--no-edit').code, 0);
    assert.equal(runBin(dir, 'validate', '.').code, 0);
  });

  it('ours linked an annotation theirs removed: the annotation and the link stay, their removal is recorded', () => {
    const dir = codedRepository();
    git(dir, 'checkout', '-q', '-b', 'theirs');
    edit(dir, 'a.txt', (s) => {
      s.annotations = s.annotations.filter((x) => x.id !== 'a-1');
      s.relations = s.relations!.filter((r) => r.from !== 'a-1' && r.to !== 'a-1');
    });
    commitAll(dir, 'theirs removes a-1');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'a.txt', (s) => s.relations!.push(rel('r-o', 'member', 'a-5', 'a-1')));
    commitAll(dir, 'ours links a-1');

    const merge = git(dir, 'merge', '--no-edit', 'theirs');
    assert.notEqual(merge.code, 0);
    const a = read(dir, 'a.txt');
    assert.ok(a.annotations.some((x) => x.id === 'a-1'));
    assert.ok(relationsOf(a).has('r-o'));
    assert.ok(!relationsOf(a).has('r-2'), 'their removal of the link they cut is merged');
    assert.deepEqual(a.conflicts, [{ kind: 'annotation', id: 'a-1', theirs: null }]);
    assert.equal(runBin(dir, 'validate', '.').code, 0);
  });
});

describe('merge: the three-way rules', () => {
  const base = sidecar('a.txt', TEXT_A, [at(TEXT_A, 'Kent Police', 'force', 'a-1'), at(TEXT_A, 'dismissed', 'sanction', 'a-2')], { status: 'in_progress' });
  const clone = (s: Sidecar): Sidecar => JSON.parse(JSON.stringify(s));

  it('records a status both sides changed differently, and a deletion against a change', () => {
    const ours = clone(base);
    const theirs = clone(base);
    ours.status = 'done';
    theirs.status = 'not_started';
    ours.annotations[1].note = 'changed';
    theirs.annotations.splice(1, 1);
    const r = mergeForGit(base, ours, theirs);
    assert.equal(r.fresh, 2);
    assert.equal(r.sidecar.status, 'done');
    assert.deepEqual(r.sidecar.conflicts, [
      { kind: 'annotation', id: 'a-2', theirs: null },
      { kind: 'status', theirs: 'not_started' },
    ]);
    parseSidecar('x', serializeSidecar(r.sidecar));
  });

  it('a rejection removed on one side and kept on the other is removed; added on either is kept', () => {
    const b = clone(base);
    b.rejected = [{ start: 0, end: 4, label: 'force', text: 'Kent' }];
    const ours = clone(b);
    const theirs = clone(b);
    ours.rejected = [];
    theirs.rejected!.push({ start: 5, end: 11, label: 'force', text: 'Police' });
    assert.deepEqual(mergeForGit(b, ours, theirs).sidecar.rejected, [{ start: 5, end: 11, label: 'force', text: 'Police' }]);
  });

  it('Accept Theirs and Keep Mine resolve a recorded conflict and leave a sidecar without it', () => {
    const ours = clone(base);
    const theirs = clone(base);
    ours.annotations[0].note = 'mine';
    theirs.annotations[0].note = 'theirs';
    const merged = mergeForGit(base, ours, theirs).sidecar;
    const conflict = merged.conflicts![0];
    const accepted = resolveConflict(merged, conflict, 'theirs');
    assert.equal(accepted.annotations.find((a) => a.id === 'a-1')!.note, 'theirs');
    assert.equal(accepted.conflicts, undefined);
    const kept = resolveConflict(merged, conflict, 'mine');
    assert.equal(kept.annotations.find((a) => a.id === 'a-1')!.note, 'mine');
    assert.equal(kept.conflicts, undefined);
  });

  it('the driver leaves ours untouched and exits 1 when a side is not a sidecar', async () => {
    const dir = tempDir();
    const f = (n: string, t: string) => (fs.writeFileSync(path.join(dir, n), t), path.join(dir, n));
    const broken = '{ "version": 1, <<<<<<< HEAD\n';
    const [o, a, b] = [f('o', serializeSidecar(base)), f('a', broken), f('b', serializeSidecar(base))];
    const run = await cli('merge-driver', o, a, b, 'a.txt.annotations.json');
    assert.equal(run.code, 1);
    assert.match(run.err, /a\.txt\.annotations\.json \(ours\).*kept ours unmerged/);
    assert.equal(fs.readFileSync(a, 'utf8'), broken);
    assert.equal((await cli('merge-driver', o, a)).code, 2);
  });

  it('mergeKeyed is generic: records of any kind by any key (relations, form fields next)', () => {
    const r = mergeKeyed(
      [{ k: 'x', v: 1 }],
      [{ k: 'x', v: 1 }, { k: 'y', v: 2 }],
      [{ k: 'x', v: 3 }],
      (e) => e.k,
      (a, b) => a.v === b.v,
    );
    assert.deepEqual(r.merged.map((m) => [m.value, m.origin]), [[{ k: 'x', v: 3 }, 'theirs'], [{ k: 'y', v: 2 }, 'ours']]);
    assert.deepEqual(r.conflicts, []);
  });
});
