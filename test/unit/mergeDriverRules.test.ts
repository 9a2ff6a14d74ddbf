/**
 * The merge driver holds `validate`'s rules on both ends: a side that breaks one is refused (one
 * line per problem naming the side's file, ours left as it was, so git reports a conflict), and
 * what it writes passes them, also when the branches annotated different texts (every span on the
 * text the merged sidecar names). The driver runs in-process here in a temp folder (no repository);
 * gitMerge.test.ts drives it through real git.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { runCli } from '../../src/cli/main';
import { makeAnnotation } from '../../src/core/annotations';
import { sha256Hex } from '../../src/core/article';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { mergeForGit, OurTextMissing, sameAnnotationAnywhere } from '../../src/core/merge';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation, Relation, Sidecar } from '../../src/core/schema';
import { consistencyProblems } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { checkProperty } from './property';
import { CliRun, tempDir } from './helpers';

const CREATED = '2026-01-01T00:00:00Z';
const TEXT = 'Kent Police dismissed PC Smith after a hearing found gross misconduct. The IOPC said the officer lied.';
const SIDECAR = 'a.txt.annotations.json';

function at(text: string, quote: string, label: string, id: string, note?: string): Annotation {
  const start = [...text.slice(0, text.indexOf(quote))].length;
  return makeAnnotation(new OffsetMap(text), start, start + [...quote].length, label, { id, created: CREATED, note });
}

function sidecar(text: string, annotations: Annotation[], relations?: Relation[]): Sidecar {
  return { version: 1, article: { file: 'a.txt', sha256: sha256Hex(text), length: [...text].length }, annotations, ...(relations ? { relations } : {}) };
}

const rel = (id: string, from: string, to: string): Relation => ({ id, label: 'member', from, to, created: CREATED });
const clone = (s: Sidecar): Sidecar => JSON.parse(JSON.stringify(s));
const BASE = sidecar(TEXT, [at(TEXT, 'Kent Police', 'force', 'a-1'), at(TEXT, 'dismissed', 'sanction', 'a-2'), at(TEXT, 'PC Smith', 'officer', 'a-3')], [rel('r-1', 'a-3', 'a-1')]);

/**
 * Runs `merge-driver` as git would, from `dir` (the worktree's top) on three files written there;
 * `article` is the text beside the sidecar, when given. Returns the run and ours' file afterwards.
 */
async function driver(sides: { base: Sidecar | string; ours: Sidecar | string; theirs: Sidecar | string }, article?: string): Promise<CliRun & { dir: string; oursBefore: string; oursAfter: string }> {
  const dir = tempDir('misconduct-driver-');
  const write = (name: string, s: Sidecar | string) => {
    const text = typeof s === 'string' ? s : serializeSidecar(s);
    fs.writeFileSync(path.join(dir, name), text);
    return text;
  };
  write('base', sides.base);
  const oursBefore = write('ours', sides.ours);
  write('theirs', sides.theirs);
  if (article !== undefined) fs.writeFileSync(path.join(dir, 'a.txt'), article);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['merge-driver', 'base', 'ours', 'theirs', SIDECAR], { fs: nodeFileSystem, out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n'), dir, oursBefore, oursAfter: fs.readFileSync(path.join(dir, 'ours'), 'utf8') };
}

/** Refused: exit 1, a line naming the side's file per problem, a closing line, ours untouched. */
function assertRefused(run: Awaited<ReturnType<typeof driver>>, ...lines: RegExp[]): void {
  assert.equal(run.code, 1, run.err);
  for (const line of lines) assert.ok(run.err.split('\n').some((l) => line.test(l)), `no line like ${line} in:\n${run.err}`);
  assert.match(run.err, /merge-driver: a\.txt\.annotations\.json: not merged \(\d+ problem\(s\) above\); kept ours unmerged/);
  assert.doesNotMatch(run.err, /conflict\(s\) recorded/);
  assert.equal(run.oursAfter, run.oursBefore, 'ours is left as it was');
}

describe('merge-driver: the sides are held to validate\'s rules', () => {
  it('two annotations with one id on a side: refused, naming the side and both annotations, nothing dropped', async () => {
    const theirs = clone(BASE);
    theirs.annotations.push({ ...at(TEXT, 'gross misconduct', 'allegation', 'a-2') });
    const ours = clone(BASE);
    ours.annotations[0].note = 'mine';
    const run = await driver({ base: BASE, ours, theirs }, TEXT);
    assertRefused(run, /^a\.txt\.annotations\.json \(theirs\): annotation #4 \(a-2\): has the same id as annotation #2$/);
  });

  it('a self-link, a span ending before it starts, and one past the end of the article: each refused with its line', async () => {
    const selfLink = clone(BASE);
    selfLink.relations!.push(rel('r-self', 'a-2', 'a-2'));
    assertRefused(await driver({ base: BASE, ours: selfLink, theirs: BASE }, TEXT), /^a\.txt\.annotations\.json \(ours\): relation #2 \(id r-self\): links annotation a-2 to itself$/);

    const backwards = clone(BASE);
    backwards.annotations[1] = { ...backwards.annotations[1], start: 21, end: 12 };
    assertRefused(await driver({ base: BASE, ours: BASE, theirs: backwards }, TEXT), /^a\.txt\.annotations\.json \(theirs\): annotation #2 \(a-2\): starts at 21 but ends at 12/);

    // on a text the driver does not have (theirs' edited one): against the length theirs records
    const edited = TEXT + ' More.';
    const pastTheEnd = sidecar(edited, [...BASE.annotations.map((a) => at(edited, a.text, a.label, a.id)), { ...at(edited, 'More', 'force', 'a-9'), start: 200, end: 204 }]);
    assertRefused(await driver({ base: BASE, ours: BASE, theirs: pastTheEnd }, TEXT), /^a\.txt\.annotations\.json \(theirs\): annotation #4 \(a-9\): ends at 204, past the end of the article \(\d+ characters\)$/);
  });

  it('a quote that does not match the article ours names is refused (the check validate makes)', async () => {
    const ours = clone(BASE);
    ours.annotations[2] = { ...ours.annotations[2], text: 'PC Jones' };
    assertRefused(await driver({ base: BASE, ours, theirs: BASE }, TEXT), /^a\.txt\.annotations\.json \(ours\): annotation #3 \(a-3\): text "PC Jones" does not match the article/);
  });

  it('three identical sides merge to themselves without a conflict; with a relation to a missing annotation they are refused, not recorded as a conflict', async () => {
    const same = clone(BASE);
    same.annotations.push(at(TEXT, 'gross misconduct', 'allegation', 'a-4'));
    same.relations!.push(rel('r-2', 'a-4', 'a-2'));
    const clean = await driver({ base: same, ours: clone(same), theirs: clone(same) }, TEXT);
    assert.equal(clean.code, 0, clean.err);
    assert.equal(clean.oursAfter, serializeSidecar(same));

    const dangling = clone(same);
    dangling.relations!.push(rel('r-3', 'a-4', 'a-gone'));
    assertRefused(await driver({ base: dangling, ours: clone(dangling), theirs: clone(dangling) }, TEXT), /^a\.txt\.annotations\.json \(base\): relation #3 \(id r-3\): its "to" end a-gone is not an annotation of this sidecar$/);
  });

  it('sides of different texts with ours\' text nowhere to be found: refused naming the article, never our hash with their offsets', async () => {
    const edited = 'Breaking: ' + TEXT;
    const theirs = sidecar(edited, [...BASE.annotations.map((a) => at(edited, a.text, a.label, a.id)), at(edited, 'IOPC', 'force', 'a-t')], BASE.relations);
    const ours = clone(BASE);
    ours.annotations[0].note = 'mine';
    const run = await driver({ base: BASE, ours, theirs }); // no article beside the sidecar, no repository
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /^a\.txt: the branches annotated different texts and ours \(sha256 [0-9a-f]{12}…\) is not at hand to place their annotation a-t on \(neither the worktree's article nor HEAD's has that hash\)$/m);
    assert.equal(run.oursAfter, run.oursBefore);
    // with it beside the sidecar, their span is placed on it
    const placed = await driver({ base: BASE, ours, theirs }, TEXT);
    assert.equal(placed.code, 0, placed.err);
    assert.match(placed.err, /1 annotation\(s\) from the other side re-anchored onto this article's text/);
  });

  it("ours' text not in the worktree (an older git writes the conflicted article first) but at HEAD: read from there, their span placed on it", async function () {
    this.timeout(30_000);
    const dir = tempDir('misconduct-driver-head-');
    const home = tempDir('misconduct-driver-home-');
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home, XDG_CONFIG_HOME: home };
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir, env }).status, 0, args.join(' '));
    fs.writeFileSync(path.join(dir, 'a.txt'), TEXT);
    git('init', '-q');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'ours');
    fs.writeFileSync(path.join(dir, 'a.txt'), '<<<<<<< ours\n' + TEXT + '\n=======\nsomething else\n>>>>>>> theirs\n');
    const edited = 'Breaking: ' + TEXT;
    const theirs = sidecar(edited, [...BASE.annotations.map((a) => at(edited, a.text, a.label, a.id)), at(edited, 'IOPC', 'force', 'a-t')], BASE.relations);
    const ours = clone(BASE);
    ours.annotations[0].note = 'mine';
    for (const [name, s] of [['base', BASE], ['ours', ours], ['theirs', theirs]] as const) fs.writeFileSync(path.join(dir, name), serializeSidecar(s));
    const err: string[] = [];
    const code = await runCli(['merge-driver', 'base', 'ours', 'theirs', SIDECAR], { fs: nodeFileSystem, out: () => {}, err: (l) => err.push(l), cwd: dir });
    assert.equal(code, 0, err.join('\n'));
    const merged = JSON.parse(fs.readFileSync(path.join(dir, 'ours'), 'utf8')) as Sidecar;
    assert.equal(merged.article.sha256, sha256Hex(TEXT));
    assert.deepEqual(consistencyProblems('merged', merged, new OffsetMap(TEXT)), []);
    const t = merged.annotations.find((a) => a.id === 'a-t')!;
    assert.equal([...TEXT].slice(t.start, t.end).join(''), 'IOPC');
  });
});

describe('mergeForGit: sides of different texts', () => {
  const oursText = TEXT.replace('after a hearing', 'after a two-day hearing').replace('dismissed ', 'sacked ');
  const theirsText = 'Updated: ' + TEXT;
  const onText = (text: string, s: Sidecar): Sidecar => ({ ...s, article: { file: 'a.txt', sha256: sha256Hex(text), length: [...text].length }, annotations: s.annotations.map((a) => ({ ...at(text, a.text, a.label, a.id, a.note), ...(a.note ? { note: a.note } : {}) })) });

  it('a conflict records their version placed on our text; their annotation whose words we deleted is kept, orphaned; unchanged spans are no conflict', () => {
    const ours = onText(oursText, { ...clone(BASE), annotations: BASE.annotations.filter((a) => a.id !== 'a-2') });
    ours.annotations.find((a) => a.id === 'a-3')!.note = 'mine';
    const theirs = onText(theirsText, clone(BASE));
    theirs.annotations.find((a) => a.id === 'a-3')!.note = 'theirs';
    theirs.annotations.push(at(theirsText, 'dismissed PC', 'sanction', 'a-t'));
    const r = mergeForGit(BASE, ours, theirs, { text: oursText, sha256: sha256Hex(oursText) });

    assert.equal(r.sidecar.article.sha256, sha256Hex(oursText));
    assert.deepEqual(consistencyProblems('merged', r.sidecar, new OffsetMap(oursText)), []);
    assert.deepEqual(r.freshConflicts.map((c) => c.kind === 'annotation' && c.id), ['a-3'], 'only the annotation both changed');
    const theirA3 = r.freshConflicts[0].kind === 'annotation' ? r.freshConflicts[0].theirs! : assert.fail();
    assert.equal([...oursText].slice(theirA3.start, theirA3.end).join(''), 'PC Smith', 'their version sits on our text');
    const t = r.sidecar.annotations.find((a) => a.id === 'a-t')!;
    assert.equal(t.orphaned, true, 'their quote is not in our text: kept, orphaned');
    assert.equal(t.text, 'dismissed PC');
    assert.equal(r.reanchored, 1);
    assert.equal(r.orphaned, 1);
    assert.ok(!r.sidecar.annotations.some((a) => a.id === 'a-2'), 'our removal of an annotation they left alone stands');
  });

  it('without our text, a merge that must place their spans throws OurTextMissing; one that need not (their spans are ours too) does not', () => {
    const oursText = TEXT.replace('after a hearing', 'after a two-day hearing');
    const ours = onText(oursText, clone(BASE));
    const theirs = onText(theirsText, clone(BASE));
    theirs.annotations[0].note = 'theirs'; // same quote as ours': placed where ours has it
    const r = mergeForGit(BASE, ours, theirs);
    assert.equal(r.sidecar.annotations.find((a) => a.id === 'a-1')!.note, 'theirs');
    assert.deepEqual(consistencyProblems('merged', r.sidecar, new OffsetMap(oursText)), []);
    theirs.annotations.push(at(theirsText, 'IOPC', 'force', 'a-t'));
    assert.throws(() => mergeForGit(BASE, ours, theirs), OurTextMissing);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random three-way merges, on one text or on texts each side edited

/** A side as a model: the article's words (each unique, so a quote names its place) and annotations on words. */
interface Model {
  words: string[];
  annotations: Map<string, { word: string; label: string; note?: string }>;
  relations: Relation[];
}

const N = 12;
const baseArb = fc.record({
  annotated: fc.array(fc.nat(N - 1), { maxLength: 7 }),
  labels: fc.array(fc.constantFrom('force', 'sanction'), { minLength: 7, maxLength: 7 }),
  links: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 3 }),
});
const sideArb = fc.record({
  fates: fc.array(fc.constantFrom('keep', 'keep', 'remove', 'note', 'label'), { minLength: 7, maxLength: 7 }),
  added: fc.array(fc.nat(N - 1), { maxLength: 3 }),
  /** Ids both sides may add ("n-0"), on the same word or not. */
  shared: fc.array(fc.nat(N - 1), { maxLength: 2 }),
  links: fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 2 }),
  /** Edits the text: inserts a new word there, and deletes the word at `deleted` (its annotations go with it). */
  text: fc.option(fc.record({ inserted: fc.nat(N), deleted: fc.nat(N - 1) }), { nil: undefined }),
});

type Choice<A> = A extends fc.Arbitrary<infer T> ? T : never;

function baseModel(b: Choice<typeof baseArb>): Model {
  const words = Array.from({ length: N }, (_, i) => `k${i}x`);
  const annotations = new Map(b.annotated.map((w, i) => [`a-${i}`, { word: words[w], label: b.labels[i] }]));
  return { words, annotations, relations: links(b.links, [...annotations.keys()], 'r') };
}

function links(pairs: Array<[number, number]>, ids: string[], prefix: string): Relation[] {
  const out: Relation[] = [];
  pairs.forEach(([x, y], i) => {
    if (ids.length < 2 || x % ids.length === y % ids.length) return;
    out.push(rel(`${prefix}-${i}`, ids[x % ids.length], ids[y % ids.length]));
  });
  return out;
}

function sideModel(base: Model, s: Choice<typeof sideArb>, side: 'o' | 't'): Model {
  const words = [...base.words];
  if (s.text) {
    words.splice(s.text.deleted, 1);
    words.splice(Math.min(s.text.inserted, words.length), 0, `${side}${s.text.inserted}q`);
  }
  const annotations = new Map<string, { word: string; label: string; note?: string }>();
  [...base.annotations].forEach(([id, a], i) => {
    const fate = s.fates[i];
    if (fate === 'remove' || !words.includes(a.word)) return;
    annotations.set(id, fate === 'note' ? { ...a, note: `${side} note` } : fate === 'label' ? { ...a, label: a.label === 'force' ? 'sanction' : 'force' } : a);
  });
  s.added.forEach((w, i) => words.includes(base.words[w]) && annotations.set(`${side}-${i}`, { word: base.words[w], label: 'officer' }));
  s.shared.forEach((w, i) => words.includes(base.words[w]) && annotations.set(`n-${i}`, { word: base.words[w], label: 'force' }));
  const kept = base.relations.filter((r) => annotations.has(r.from) && annotations.has(r.to));
  return { words, annotations, relations: [...kept, ...links(s.links, [...annotations.keys()], `${side}r`)] };
}

function textOf(m: Model): string {
  return m.words.join(' ') + '.';
}

function sidecarOf(m: Model): Sidecar {
  const text = textOf(m);
  const annotations = [...m.annotations].map(([id, a]) => at(text, a.word, a.label, id, a.note));
  return sidecar(text, annotations, m.relations.length ? m.relations : undefined);
}

describe('mergeForGit: properties of random merges', () => {
  it('the result passes validate on the text it names, loses no annotation, and records no conflict for one unchanged on all sides', () => {
    checkProperty(
      fc.property(baseArb, sideArb, sideArb, (b, o, t) => {
        const baseM = baseModel(b);
        const [oursM, theirsM] = [sideModel(baseM, o, 'o'), sideModel(baseM, t, 't')];
        const [base, ours, theirs] = [baseM, oursM, theirsM].map(sidecarOf);
        const texts = new Map([oursM, theirsM].map((m) => [sha256Hex(textOf(m)), textOf(m)]));
        const r = mergeForGit(base, ours, theirs, { text: texts.get(ours.article.sha256)!, sha256: ours.article.sha256 });
        const named = texts.get(r.sidecar.article.sha256);
        assert.ok(named !== undefined, 'names the text of a side');
        assert.deepEqual(consistencyProblems('merged', r.sidecar, new OffsetMap(named)), []);
        assert.equal(r.sidecar.article.length, [...named].length);

        const byId = (s: Sidecar) => new Map(s.annotations.map((a) => [a.id, a]));
        const [bs, os, ts, ms] = [byId(base), byId(ours), byId(theirs), byId(r.sidecar)];
        const conflicted = new Set((r.sidecar.conflicts ?? []).flatMap((c) => (c.kind === 'annotation' ? [c.id] : [])));
        const same = (x?: Annotation, y?: Annotation) => (x && y ? sameAnnotationAnywhere(x, y) : x === y);
        for (const id of new Set([...os.keys(), ...ts.keys()])) {
          const removedByOne = (!os.has(id) && same(ts.get(id), bs.get(id))) || (!ts.has(id) && same(os.get(id), bs.get(id)));
          assert.ok(ms.has(id) || conflicted.has(id) || removedByOne, `${id} is merged, recorded, or removed by one side and unchanged on the other`);
          if (same(os.get(id), ts.get(id)) && same(os.get(id), bs.get(id))) assert.ok(!conflicted.has(id), `${id} is unchanged on every side: no conflict`);
        }
      }),
      300,
    );
  });

  it('three identical sides merge to themselves, with no conflict', () => {
    checkProperty(
      fc.property(baseArb, sideArb, (b, s) => {
        const m = sideModel(baseModel(b), s, 'o');
        const side = sidecarOf(m);
        const r = mergeForGit(clone(side), clone(side), clone(side), { text: textOf(m), sha256: side.article.sha256 });
        assert.equal(r.fresh, 0);
        assert.equal(serializeSidecar(r.sidecar), serializeSidecar(side));
      }),
      100,
    );
  });
});
