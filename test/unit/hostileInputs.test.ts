/**
 * Hostile input files (issue 28 c, d, h, k, l): what a cloned repository or a careless hand can put
 * where the CLI reads or writes. FIFO runs go through the bundled CLI (dist/cli.js) in a child
 * process with a timeout, so a regression fails instead of hanging the test run.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationDocument } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { fastSidecar } from '../../src/core/fastValidate';
import { InputFileError, MAX_INPUT_BYTES, nodeFileSystem } from '../../src/core/fileSystem';
import { GitSetupRefused, setUpGitMerging } from '../../src/core/gitMerge';
import { Sidecar } from '../../src/core/schema';
import { parseSidecar, SidecarError } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { cli, REPO, tempDir } from './helpers';

const BIN = path.join(REPO, 'dist', 'cli.js');
const CREATED = '2026-01-01T00:00:00Z';
const TEXT = 'Kent Police dismissed PC Smith after a hearing found gross misconduct.\n';
/** Long enough for a regression to show, short enough that a hang fails the test quickly. */
const CHILD_TIMEOUT_MS = 15_000;

interface Run {
  code: number | null;
  out: string;
  err: string;
  timedOut: boolean;
}

function runBin(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', timedOut: r.signal !== null || (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

function sidecarFor(file: string, text: string, extra: Partial<Sidecar> = {}): Sidecar {
  const start = text.indexOf('gross misconduct');
  return {
    version: 1,
    article: { file, sha256: sha256Hex(text), length: [...text].length },
    annotations: [{ id: 'a1', label: 'allegation', start, end: start + 16, text: 'gross misconduct', source: 'manual', created: CREATED }],
    ...extra,
  };
}

function writeArticle(dir: string, name: string, text = TEXT): void {
  fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, `${name}.annotations.json`), serializeSidecar(sidecarFor(name, text)));
}

/** Makes a FIFO with the system's mkfifo; false when there is none (the test then skips). */
function mkfifo(p: string): boolean {
  const r = spawnSync('mkfifo', [p]);
  return r.status === 0;
}

function lines(s: string, pattern: RegExp): string[] {
  return s.split('\n').filter((l) => pattern.test(l));
}

describe('hostile inputs: FIFOs, devices and oversized files (28c)', () => {
  /** A corpus with one good article, an article that is a FIFO and an article whose sidecar is one. */
  function fifoCorpus(context: Mocha.Context): string {
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    fs.writeFileSync(path.join(dir, 'two.txt'), TEXT);
    if (!mkfifo(path.join(dir, 'pipe.txt')) || !mkfifo(path.join(dir, 'two.txt.annotations.json'))) context.skip();
    return dir;
  }

  it('every verb leaves a FIFO article or sidecar out with one line naming it, and ends', function () {
    this.timeout(6 * CHILD_TIMEOUT_MS);
    const dir = fifoCorpus(this);
    const other = tempDir();
    writeArticle(other, 'good.txt');
    const runs: Array<[string, Run, number]> = [
      ['validate', runBin(dir, 'validate', '.'), 1],
      ['stats', runBin(dir, 'stats', '.'), 1],
      ['export', runBin(dir, 'export', '.', '--format', 'jsonl', '--out', path.join(tempDir(), 'x.jsonl')), 1],
      ['suggest', runBin(dir, 'suggest', '.'), 1],
      ['agree', runBin(dir, 'agree', '.', other), 0],
    ];
    for (const [verb, run, code] of runs) {
      assert.equal(run.timedOut, false, `${verb} hung on a FIFO`);
      const all = run.out + '\n' + run.err;
      assert.equal(lines(all, /pipe\.txt: is not a regular file \(a FIFO\); left out/).length, 1, `${verb}: ${all}`);
      assert.equal(lines(all, /two\.txt\.annotations\.json: is not a regular file \(a FIFO\); left out/).length, 1, `${verb}: ${all}`);
      assert.equal(run.code, code, `${verb}: ${all}`);
    }
  });

  it('a FIFO named on the command line fails with one line naming it and exit 2', function () {
    this.timeout(3 * CHILD_TIMEOUT_MS);
    const dir = fifoCorpus(this);
    for (const args of [['validate', 'pipe.txt'], ['suggest', 'pipe.txt'], ['validate', 'two.txt']]) {
      const run = runBin(dir, ...args);
      assert.equal(run.timedOut, false, `${args.join(' ')} hung`);
      assert.equal(run.code, 2, run.err);
      assert.match(run.err.trim(), /^misconduct-annotate \w+: (pipe\.txt|two\.txt\.annotations\.json): is not a regular file \(a FIFO\)$/);
    }
  });

  it('the node file system refuses a FIFO on the open file, without blocking', function () {
    this.timeout(CHILD_TIMEOUT_MS + 5_000);
    const dir = tempDir();
    const fifo = path.join(dir, 'p.txt');
    if (!mkfifo(fifo)) this.skip();
    const module = path.join(REPO, 'out', 'src', 'core', 'fileSystem.js');
    const script = `require(${JSON.stringify(module)}).nodeFileSystem.readFile(process.argv[1]).then(() => console.log('read'), (e) => console.log(e.message))`;
    const r = spawnSync(process.execPath, ['-e', script, fifo], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
    assert.equal(r.signal, null, 'readFile blocked on a FIFO');
    assert.equal(r.stdout.trim(), `${fifo}: is not a regular file (a FIFO)`);
  });

  it('an article or sidecar linked to /dev/zero is left out, never read', function () {
    this.timeout(3 * CHILD_TIMEOUT_MS);
    if (!fs.existsSync('/dev/zero')) this.skip();
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.txt'));
    fs.writeFileSync(path.join(dir, 'three.txt'), TEXT);
    fs.symlinkSync('/dev/zero', path.join(dir, 'three.txt.annotations.json'));
    const run = runBin(dir, 'validate', '.');
    assert.equal(run.timedOut, false, 'validate read /dev/zero');
    assert.equal(run.code, 1);
    assert.match(run.out, /zero\.txt: is not a regular file \(a character device\); left out/);
    assert.match(run.out, /three\.txt\.annotations\.json: is not a regular file \(a character device\); left out/);
    const named = runBin(dir, 'suggest', 'zero.txt');
    assert.equal(named.timedOut, false);
    assert.equal(named.code, 2);
    assert.match(named.err, /zero\.txt: is not a regular file \(a character device\)/);
  });

  it(`a file larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB is refused with one line, not read`, async () => {
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    const big = path.join(dir, 'big.txt');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_INPUT_BYTES + 1); // sparse: no disk used
    fs.writeFileSync(`${big}.annotations.json`, serializeSidecar(sidecarFor('big.txt', TEXT)));
    await assert.rejects(nodeFileSystem.readFile(big), (e: unknown) => e instanceof InputFileError && e.reason === 'too-large');
    const run = await cli('validate', dir);
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.out, /big\.txt/), [`${big}: is larger than 256 MiB, the most an article or sidecar may hold`]);
  });
});

describe('hostile inputs: links out of the corpus (28d)', () => {
  it('an article linked to a file outside the corpus is left out with one line, its text not exported', async () => {
    const outside = tempDir();
    const secretText = 'PRIVATE diary of someone else, never to be exported.\n';
    fs.writeFileSync(path.join(outside, 'diary.txt'), secretText);
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    fs.symlinkSync(path.join(outside, 'diary.txt'), path.join(dir, 'diary.txt'));
    fs.writeFileSync(path.join(dir, 'diary.txt.annotations.json'), serializeSidecar(sidecarFor('diary.txt', secretText, { annotations: [], status: 'done' })));
    const out = path.join(tempDir(), 'x.jsonl');
    const run = await cli('export', dir, '--format', 'jsonl', '--out', out, '--include-unannotated');
    assert.equal(run.code, 1, run.err);
    assert.deepEqual(lines(run.err, /diary/), [`${path.join(dir, 'diary.txt')}: is a link to a file outside the corpus folder; left out`]);
    const exported = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(exported, /PRIVATE|diary/);
    assert.match(exported, /gross misconduct/);

    const validate = await cli('validate', dir);
    assert.equal(validate.code, 1);
    assert.match(validate.out, /diary\.txt: is a link to a file outside the corpus folder; left out/);
  });

  it('a sidecar linked out of the corpus is left out with its article', async () => {
    const outside = tempDir();
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    fs.writeFileSync(path.join(dir, 'b.txt'), TEXT);
    fs.writeFileSync(path.join(outside, 'b.json'), serializeSidecar(sidecarFor('b.txt', TEXT)));
    fs.symlinkSync(path.join(outside, 'b.json'), path.join(dir, 'b.txt.annotations.json'));
    const run = await cli('stats', dir, '--json');
    assert.equal(run.code, 1);
    assert.match(run.err, /b\.txt\.annotations\.json: is a link to a file outside the corpus folder; left out/);
    assert.equal(JSON.parse(run.out).annotations, 1);
  });
});

describe('hostile inputs: a folder named like an article (28h)', () => {
  function folderCorpus(): string {
    const dir = tempDir();
    writeArticle(dir, 'good.txt');
    fs.mkdirSync(path.join(dir, 'x.txt'));
    fs.writeFileSync(path.join(dir, 'x.txt.annotations.json'), serializeSidecar(sidecarFor('x.txt', TEXT)));
    return dir;
  }

  it('the walk reports it in one line instead of skipping its sidecar silently', async () => {
    const dir = folderCorpus();
    const run = await cli('validate', dir);
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.out, /x\.txt/), [`${path.join(dir, 'x.txt')}: is a folder, not an article; left out`]);
    const x = await cli('export', dir, '--format', 'jsonl', '--out', path.join(tempDir(), 'x.jsonl'));
    assert.equal(x.code, 1);
    assert.match(x.err, /x\.txt: is a folder, not an article; left out/);
  });

  it('named directly, one clear line naming it (no EISDIR) and exit 1', async () => {
    const dir = folderCorpus();
    const sidecar = path.join(dir, 'x.txt.annotations.json');
    for (const verb of ['validate', 'suggest']) {
      const run = await cli(verb, sidecar);
      assert.equal(run.code, 1, verb);
      const all = run.out + run.err;
      assert.doesNotMatch(all, /EISDIR|illegal operation/);
      assert.match(all, new RegExp(`${path.join(dir, 'x.txt').replace(/[\\/.]/g, '\\$&')}: is a folder, not an article`));
    }
  });
});

describe('hostile inputs: git-setup writes through no link (28k)', () => {
  function repo(context: Mocha.Context): string {
    const dir = tempDir();
    if (spawnSync('git', ['init', '-q', dir]).status !== 0) context.skip();
    return dir;
  }

  it('a .gitattributes linked out of the repository is refused with one line, and the target is untouched', async function () {
    const dir = repo(this);
    const target = path.join(tempDir(), 'elsewhere.txt');
    fs.writeFileSync(target, 'not yours\n');
    fs.symlinkSync(target, path.join(dir, '.gitattributes'));
    const run = runBin(dir, 'git-setup');
    assert.equal(run.timedOut, false);
    assert.equal(run.code, 1, run.out + run.err);
    assert.equal(run.err.trim(), `misconduct-annotate git-setup: ${path.join(fs.realpathSync(dir), '.gitattributes')} is a symbolic link; git-setup writes nothing through a link (make it a regular file, then run git-setup again)`);
    assert.equal(fs.readFileSync(target, 'utf8'), 'not yours\n');
    // nothing done at all: the driver is not registered either
    assert.notEqual(spawnSync('git', ['config', '--local', '--get', 'merge.misconduct-annotations.driver'], { cwd: dir }).status, 0);
    // the extension's command shares the refusal
    await assert.rejects(setUpGitMerging(dir, 'x'), GitSetupRefused);
  });

  it('a .gitattributes that is a FIFO, or a linked .git/config, is refused without hanging', function () {
    this.timeout(2 * CHILD_TIMEOUT_MS);
    const dir = repo(this);
    if (!mkfifo(path.join(dir, '.gitattributes'))) this.skip();
    const run = runBin(dir, 'git-setup');
    assert.equal(run.timedOut, false, 'git-setup hung on a FIFO');
    assert.equal(run.code, 1);
    assert.match(run.err, /\.gitattributes is not a regular file \(a FIFO\); git-setup left it alone/);

    const other = repo(this);
    const config = path.join(other, '.git', 'config');
    const moved = path.join(tempDir(), 'config');
    fs.renameSync(config, moved);
    fs.symlinkSync(moved, config);
    const before = fs.readFileSync(moved, 'utf8');
    const linked = runBin(other, 'git-setup');
    assert.equal(linked.code, 1);
    assert.match(linked.err, /\.git[\\/]config is a symbolic link; git-setup writes nothing through a link/);
    assert.equal(fs.readFileSync(moved, 'utf8'), before);
    assert.equal(fs.existsSync(path.join(other, '.gitattributes')), false);
  });
});

describe('hostile inputs: lone surrogates (28l)', () => {
  it('JSON.parse of a "\\ud800" escape is what makes a lone surrogate', () => {
    const s = JSON.parse('"a\\ud800b"') as string;
    assert.equal(s.length, 3);
    assert.equal(s.charCodeAt(1), 0xd800);
    // UTF-8 cannot hold one: the same character written raw is refused as bytes (decodeSidecar)
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from([0xed, 0xa0, 0x80])));
  });

  it('validate refuses a lone surrogate in every free-text field, naming the field', async () => {
    const dir = tempDir();
    const base = sidecarFor('a.txt', TEXT);
    const cases: Array<[string, (s: Sidecar) => void]> = [
      ['"note"', (s) => (s.annotations[0].note = 'x\ud800')],
      ['"author"', (s) => (s.annotations[0].author = '\udc00 initials')],
      ['"attributes.type"', (s) => (s.annotations[0].attributes = { type: 'bad\udbff' })],
      ['"document.summary"', (s) => (s.document = { summary: 'one \ud83d two' })],
      ['"document.tags.0"', (s) => (s.document = { tags: ['\ude00'] })],
      ['"relations.0.note"', (s) => {
        s.annotations.push({ ...s.annotations[0], id: 'a2' });
        s.relations = [{ id: 'r1', label: 'outcome', from: 'a1', to: 'a2', note: '\ud800', created: CREATED }];
      }],
    ];
    fs.writeFileSync(path.join(dir, 'a.txt'), TEXT);
    for (const [field, change] of cases) {
      const s = structuredClone(base);
      change(s);
      // JSON.stringify writes each lone half as a \u escape: what a hand-edited file holds
      const json = JSON.stringify(s, null, 2);
      assert.match(json, /\\u[dD][89a-fA-F]/);
      assert.equal(fastSidecar(JSON.parse(json)), undefined, field);
      fs.writeFileSync(path.join(dir, 'a.txt.annotations.json'), json);
      const run = await cli('validate', dir);
      assert.equal(run.code, 1, `${field}: ${run.out}`);
      assert.match(run.out, new RegExp(`${field.replace(/\./g, '\\.')} holds a lone surrogate`), run.out);
    }
    // a whole pair (an emoji) is text like any other
    const ok = structuredClone(base);
    ok.annotations[0].note = 'fine \ud83d\ude00';
    fs.writeFileSync(path.join(dir, 'a.txt.annotations.json'), serializeSidecar(ok));
    assert.equal((await cli('validate', dir)).code, 0);
  });

  it('the published JSON Schema says the same', () => {
    const schema = fs.readFileSync(path.join(REPO, 'schemas', 'annotations.schema.json'), 'utf8');
    const note = JSON.parse(schema).properties.annotations.items.properties.note;
    const pattern = new RegExp(note.pattern, 'u');
    assert.equal(pattern.test('x\ud800'), false);
    assert.equal(pattern.test('fine \ud83d\ude00'), true);
  });

  it('the editor never writes one: a note, name, attribute or form value keeps its text without the lone halves', () => {
    const doc = new AnnotationDocument('a.txt', 'ann\ud800');
    const read = (s: number, e: number) => [...TEXT].slice(s, e).join('');
    const start = TEXT.indexOf('Kent');
    const [span] = doc.add(read, [{ label: 'force', start, end: start + 11, note: 'n\udc00ote', attributes: { type: 'kent\ud800' } }]);
    const [other] = doc.add(read, [{ label: 'allegation', start: TEXT.indexOf('gross'), end: TEXT.indexOf('gross') + 16 }]);
    doc.setNote(other.id, 'second \ud800note');
    doc.link({ label: 'outcome', from: span.id, to: other.id, note: 'link\udfff' });
    doc.setField('summary', 'sum\ud800mary');
    doc.setField('tags', ['t\udc00ag']);
    const json = serializeSidecar(doc.toSidecar(TEXT, sha256Hex(TEXT)));
    assert.doesNotMatch(json, /\\u[dD][89a-fA-F]/);
    const back = parseSidecar('a.txt.annotations.json', json);
    assert.equal(back.annotations.find((a) => a.label === 'force')?.note, 'note');
    assert.equal(back.annotations.find((a) => a.label === 'force')?.author, 'ann');
    assert.deepEqual(back.document, { summary: 'summary', tags: ['tag'] });
    assert.throws(() => parseSidecar('x', JSON.stringify({ ...back, document: { s: '\ud800' } })), SidecarError);
  });
});
