/**
 * Edge cases found by trying the CLI adversarially (issue 17, part 2). Each test states what a
 * careful user saw go wrong and checks what they see now.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeAnnotation } from '../../src/core/annotations';
import { sha256Hex } from '../../src/core/article';
import { exportDataset, ExportTargetError } from '../../src/core/export';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation, Sidecar } from '../../src/core/schema';
import { parseSidecar, SidecarError, sidecarPathFor } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { SidecarProtectedError, writeSidecar } from '../../src/core/sidecarWrite';
import { computeCorpusStats } from '../../src/core/stats';
import { describeSpan } from '../../src/extension/editor/hoverText';
import { cli, cliForAnyUser, SAMPLES, tempDir } from './helpers';

const CLI_MAIN = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js'); // out/src/cli/main.js
const CREATED = '2026-01-01T00:00:00Z';
const TEXT = 'Kent Police dismissed PC Smith for abuse of position for a sexual purpose.';

function annotate(text: string, spans: Array<[string, string, Record<string, string>?]>): Annotation[] {
  const map = new OffsetMap(text);
  return spans.map(([quote, label, attributes], i) => {
    const start = [...text.slice(0, text.indexOf(quote))].length;
    const a = makeAnnotation(map, start, start + [...quote].length, label, { id: `a-${i}`, created: CREATED });
    if (attributes) a.attributes = attributes;
    return a;
  });
}

function writeArticle(dir: string, name: string, text = TEXT, spans: Array<[string, string, Record<string, string>?]> = [['Kent Police', 'force']]): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const sidecar: Sidecar = { version: 1, article: { file: path.basename(name), sha256: sha256Hex(text), length: [...text].length }, annotations: annotate(text, spans) };
  fs.writeFileSync(sidecarPathFor(file), serializeSidecar(sidecar));
  return file;
}

function corpus(): string {
  const dir = tempDir();
  writeArticle(dir, 'one.txt');
  writeArticle(dir, 'two.txt', 'Sussex Police gave a final written warning.', [['Sussex Police', 'force']]);
  return dir;
}

/** The raw sidecar JSON of one article, for edits a valid `Sidecar` type cannot express. */
function rawSidecar(extra: (s: Record<string, unknown>) => void): string {
  const s = JSON.parse(serializeSidecar({ version: 1, article: { file: 'x.txt', sha256: sha256Hex(TEXT), length: [...TEXT].length }, annotations: annotate(TEXT, [['Kent Police', 'force']]) }));
  extra(s);
  return JSON.stringify(s, null, 2);
}

function problems(json: string): string {
  try {
    parseSidecar('x.txt.annotations.json', json);
  } catch (err) {
    if (err instanceof SidecarError) return err.message;
    throw err;
  }
  return assert.fail('expected the sidecar to be refused');
}

const oneLine = (s: string) => s.trimEnd().split('\n').length === 1;
const noStack = (s: string) => !/^\s+at /m.test(s);

describe('edge cases: brat export never deletes what it did not write', () => {
  it('refuses a non-empty folder without --force, and with --force keeps every file it did not write', async () => {
    const root = corpus();
    const out = tempDir();
    // what a thesis folder looked like: an earlier export in a subfolder, and the researcher's own files
    fs.mkdirSync(path.join(out, 'old'));
    fs.writeFileSync(path.join(out, 'old', 'annotation.conf'), '[entities]\n');
    fs.writeFileSync(path.join(out, 'thesis.md'), '# my thesis');
    fs.mkdirSync(path.join(out, 'figures'));
    fs.writeFileSync(path.join(out, 'figures', 'fig1.png'), 'png');

    const refused = await cli('export', root, '--format', 'brat', '--out', out);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /is not empty.*--force/);
    assert.ok(fs.existsSync(path.join(out, 'thesis.md')));

    const forced = await cli('export', root, '--format', 'brat', '--out', out, '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.equal(fs.readFileSync(path.join(out, 'thesis.md'), 'utf8'), '# my thesis');
    assert.equal(fs.readFileSync(path.join(out, 'figures', 'fig1.png'), 'utf8'), 'png');
    assert.ok(fs.existsSync(path.join(out, 'old', 'annotation.conf')));
    assert.ok(fs.existsSync(path.join(out, 'one.txt.ann')));
  });

  it('with --force removes only the files its own manifest names (an article gone since)', async () => {
    const root = corpus();
    const out = path.join(tempDir(), 'brat');
    assert.equal((await cli('export', root, '--format', 'brat', '--out', out)).code, 0);
    fs.writeFileSync(path.join(out, 'mine.txt'), 'my notes');
    fs.rmSync(path.join(root, 'two.txt'));
    fs.rmSync(path.join(root, 'two.txt.annotations.json'));
    const again = await cli('export', root, '--format', 'brat', '--out', out, '--force');
    assert.equal(again.code, 0, again.err);
    assert.ok(!fs.existsSync(path.join(out, 'two.txt.ann')), 'its own stale file is gone');
    assert.equal(fs.readFileSync(path.join(out, 'mine.txt'), 'utf8'), 'my notes');
  });

  it('with --force refuses to overwrite a file of the same name it did not write', async () => {
    const root = corpus();
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'one.txt.ann'), 'hand-made');
    const run = await cli('export', root, '--format', 'brat', '--out', out, '--force');
    assert.equal(run.code, 2);
    assert.match(run.err, /one\.txt\.ann was not written by an earlier export/);
    assert.equal(fs.readFileSync(path.join(out, 'one.txt.ann'), 'utf8'), 'hand-made');
  });
});

describe('edge cases: export targets among the articles', () => {
  it('the CLI refuses to overwrite a sidecar or add a file in the corpus', async () => {
    const root = corpus();
    const sidecar = path.join(root, 'one.txt.annotations.json');
    const before = fs.readFileSync(sidecar, 'utf8');
    for (const out of [sidecar, path.join(root, 'data.jsonl'), path.join(root, 'sub', 'x.csv')]) {
      const run = await cli('export', root, '--format', 'jsonl', '--out', out);
      assert.equal(run.code, 2, out);
      assert.match(run.err, /inside the corpus folder/);
    }
    assert.equal(fs.readFileSync(sidecar, 'utf8'), before);
    assert.deepEqual(fs.readdirSync(root).sort(), ['one.txt', 'one.txt.annotations.json', 'two.txt', 'two.txt.annotations.json']);
  });

  it('the exporter itself (what Export Dataset in VS Code runs) refuses it too, also through a link', async () => {
    const root = corpus();
    const link = path.join(tempDir(), 'corpus-link');
    fs.symlinkSync(root, link);
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'jsonl', out: path.join(root, 'one.txt.annotations.json') }), ExportTargetError);
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'csv', out: path.join(link, 'x.csv') }), ExportTargetError);
    assert.ok(!fs.existsSync(path.join(root, 'x.csv')));
  });

  it('an export-YYYY-MM-DD folder in the corpus (what Export Dataset suggests) is not among the articles: allowed, and never read back as one', async () => {
    const root = corpus();
    const out = path.join(root, 'export-2026-11-29', 'data.jsonl');
    const run = await cli('export', root, '--format', 'jsonl', '--out', out);
    assert.equal(run.code, 0, run.err);
    assert.ok(fs.existsSync(out));
    const again = await cli('stats', root, '--json');
    assert.equal(JSON.parse(again.out).articles, 2, 'the export folder holds no articles');
  });
});

describe('edge cases: rewriting a sidecar never changes data silently', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses an attribute named ${key}`, () => {
      const json = rawSidecar((s) => ((s.annotations as Array<Record<string, unknown>>)[0].attributes = JSON.parse(`{"${key}": "x", "type": "kent"}`)));
      assert.match(problems(json), new RegExp(`may not be named "__proto__", "constructor" or "prototype"`));
    });
  }

  it('refuses a sidecar that is not valid UTF-8, and never writes over it', async () => {
    const root = corpus();
    const sidecar = path.join(root, 'one.txt.annotations.json');
    const text = fs.readFileSync(sidecar, 'utf8').replace('"force"', '"force", "note": "caf\u0000"');
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0)] = 0xe9; // Latin-1 "é": not UTF-8
    fs.writeFileSync(sidecar, bytes);
    const run = await cli('validate', root);
    assert.equal(run.code, 1);
    assert.match(run.out, /one\.txt\.annotations\.json: is not valid UTF-8/);
    const s = parseSidecar('x', serializeSidecar({ version: 1, article: { file: 'one.txt', sha256: sha256Hex(TEXT), length: [...TEXT].length }, annotations: [] }));
    s.status = 'done';
    await assert.rejects(writeSidecar(nodeFileSystem, sidecar, s), SidecarProtectedError);
    assert.deepEqual(fs.readFileSync(sidecar), bytes);
  });
});

describe('edge cases: tables keyed by data', () => {
  it('an allegation typed "__proto__" with a sanction does not pollute Object.prototype, and is counted', async () => {
    const root = tempDir();
    writeArticle(root, 'x.txt', TEXT, [
      ['abuse of position', 'allegation', { type: '__proto__' }],
      ['dismissed', 'sanction', { type: 'constructor' }],
      ['Kent Police', 'force', { type: 'toString' }],
    ]);
    const stats = await computeCorpusStats(nodeFileSystem, root);
    assert.equal(({} as Record<string, unknown>).constructor, Object, 'Object.prototype untouched');
    assert.equal(Object.keys(Object.prototype).length, 0);
    assert.equal(stats.allegationSanction['__proto__']?.constructor, 1);
    assert.ok(Object.hasOwn(stats.allegationSanction, '__proto__'));
    assert.equal(stats.forces.toString, 1);
    const json = await cli('stats', root, '--json');
    assert.match(json.out, /"__proto__": \{\s*"constructor": 1\s*\}/);
  });
});

describe('edge cases: hovers', () => {
  it('escapes ids, notes, authors and attributes: no live link, image, icon or code span', () => {
    const evil = 'x`](command:misconduct.removeAnnotation) ![i](https://example.invalid/x.png) <img src=x> $(alert) [l](command:workbench.action.quit)';
    const md = describeSpan({
      id: 'a`[run](command:misconduct.removeAnnotation)`',
      label: 'force',
      start: 0,
      end: 4,
      text: 'Kent',
      meta: { source: 'manual', created: CREATED, note: evil, author: evil, attributes: { [evil]: evil } },
    });
    // every markdown-active character from the file is escaped
    const unescaped = md.replace(/\\[\s\S]/g, '').replace(/\*\*force\*\* \$\(tag\)|\$\(note\)/g, '');
    assert.doesNotMatch(unescaped, /[`[\]()!<>$]/, md);
  });

  it('the schema restricts annotation ids to a safe pattern, and the samples still pass', async () => {
    const json = rawSidecar((s) => ((s.annotations as Array<Record<string, unknown>>)[0].id = 'a`](command:x)'));
    assert.match(problems(json), /an id must start with a letter or digit/);
    assert.equal((await cli('validate', SAMPLES)).code, 0);
  });
});

describe('edge cases: errors are one line, with the right exit code', () => {
  it('an export target in the way (EEXIST/ENOTDIR) exits 2 with one line naming the path, no stack', async () => {
    const root = corpus();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), 'not a folder');
    const out = path.join(dir, 'file', 'x.jsonl');
    const run = spawnSync(process.execPath, [CLI_MAIN, 'export', root, '--format', 'jsonl', '--out', out], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.ok(oneLine(run.stderr) && noStack(run.stderr), run.stderr);
    assert.match(run.stderr, /cannot write .*file.*\((EEXIST|ENOTDIR)\)/);
  });

  it('an export target without permission (EACCES) exits 2 with one line naming the path', function () {
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() === 0 && spawnSync(process.execPath, ['-e', '0'], asUser).status !== 0) this.skip();
    const root = corpus();
    const dir = tempDir();
    for (const d of [root, dir]) fs.chmodSync(d, 0o755);
    for (const n of fs.readdirSync(root)) fs.chmodSync(path.join(root, n), 0o644);
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555);
    const run = spawnSync(process.execPath, [cliForAnyUser(tempDir()), 'export', root, '--format', 'jsonl', '--out', path.join(locked, 'x.jsonl')], { encoding: 'utf8', ...asUser });
    assert.equal(run.status, 2, run.stderr);
    assert.ok(oneLine(run.stderr) && noStack(run.stderr), run.stderr);
    assert.match(run.stderr, /cannot write .*locked.*(EACCES|EPERM)/);
  });

  it('a usage error prints one line and a pointer to --help, not the whole help', async () => {
    const run = await cli('export', corpus(), '--format', 'jsonl');
    assert.equal(run.code, 2);
    assert.ok(oneLine(run.err), run.err);
    assert.match(run.err, /--out is required.*see misconduct-annotate export --help/);
    assert.doesNotMatch(run.err, /Usage:/);
  });

  it('an unreadable article is reported and the export goes on', async () => {
    const root = corpus();
    const failing: FileSystem = {
      ...nodeFileSystem,
      readFile: (p) => (p.endsWith(`${path.sep}one.txt`) ? Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) : nodeFileSystem.readFile(p)),
    };
    const warnings: string[] = [];
    const out = path.join(tempDir(), 'x.jsonl');
    const summary = await exportDataset(failing, root, { format: 'jsonl', out, onWarning: (w) => warnings.push(`${w.file}: ${w.message}`) });
    assert.equal(summary.articles, 1);
    assert.equal(summary.skipped.unreadable, 1);
    assert.match(warnings.join('\n'), /one\.txt: cannot be read \(EIO\); left out/);
    assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 1);
  });

  it('a sidecar that is a folder is reported and the export goes on (exit 1)', async () => {
    const root = corpus();
    fs.writeFileSync(path.join(root, 'three.txt'), TEXT);
    fs.mkdirSync(path.join(root, 'three.txt.annotations.json'));
    const out = path.join(tempDir(), 'x.jsonl');
    const run = await cli('export', root, '--format', 'jsonl', '--out', out);
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /three\.txt\.annotations\.json: is a folder, not a sidecar file/);
    assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 2);
  });

  for (const [verb, args] of [
    ['suggest', () => Array(300).fill(path.join(SAMPLES, '000_fafa6f8612fe896a.txt'))],
    ['stats', () => [SAMPLES]],
  ] as const) {
    it(`${verb} into a closed pipe (| head) exits quietly`, async () => {
      const child = spawn(process.execPath, [CLI_MAIN, verb, ...args()], { stdio: ['ignore', 'pipe', 'pipe'] });
      // the reader is gone before the first line is written, as `head` is after its lines
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(stderr, '');
      assert.equal(code, 0);
    });
  }
});

describe('edge cases: no silent passes', () => {
  it('validate <folder> reports a sidecar whose article is missing (exit 1)', async () => {
    const root = corpus();
    fs.rmSync(path.join(root, 'two.txt'));
    const run = await cli('validate', root);
    assert.equal(run.code, 1);
    assert.match(run.out, /two\.txt\.annotations\.json: its article .*two\.txt.* is missing/);
  });

  it('stats exits 1 when sidecars are invalid, naming them', async () => {
    const root = corpus();
    fs.writeFileSync(path.join(root, 'two.txt.annotations.json'), '{"version": 1}');
    const run = await cli('stats', root);
    assert.equal(run.code, 1);
    assert.match(run.err, /two\.txt/);
    assert.equal((await cli('stats', root, '--json')).code, 1);
  });

  it('agree with one set a link to the other refuses to compare a set with itself', async () => {
    const root = corpus();
    const link = path.join(tempDir(), 'b');
    fs.symlinkSync(root, link);
    const run = await cli('agree', root, link);
    assert.equal(run.code, 2);
    assert.match(run.err, /are the same folder/);
  });

  it("an error about a sidecar linked to some other file never prints that file's content", async () => {
    const root = corpus();
    // inside the corpus (a hidden file, no article): a link out of it is left out unread (hostileInputs.test.ts)
    const secret = path.join(root, '.secret.txt');
    fs.writeFileSync(secret, 'TOP SECRET password=hunter2\n');
    fs.rmSync(path.join(root, 'one.txt.annotations.json'));
    fs.symlinkSync(secret, path.join(root, 'one.txt.annotations.json'));
    for (const args of [['validate', root], ['stats', root], ['export', root, '--format', 'jsonl', '--out', path.join(tempDir(), 'x.jsonl')]]) {
      const run = await cli(...args);
      assert.equal(run.code, 1, args[0]);
      assert.match(run.out + run.err, /one\.txt\.annotations\.json: is not valid JSON/);
      assert.doesNotMatch(run.out + run.err, /SECRET|hunter2|TOP/, args[0]);
    }
    // a link to some other JSON file: not a list of its fields either
    fs.writeFileSync(secret, '{"aws_secret_access_key": "hunter2"}');
    const run = await cli('validate', root);
    assert.equal(run.code, 1);
    assert.match(run.out, /one\.txt\.annotations\.json: is not a Misconduct Annotator sidecar/);
    assert.doesNotMatch(run.out + run.err, /aws_secret|hunter2/);
  });
});
