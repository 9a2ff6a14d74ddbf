/**
 * Hardening: bad and extreme inputs at the core and CLI level. Every test checks the message the
 * researcher gets and that nothing was lost or overwritten. (Schema-level rejections of a single
 * sidecar and the write protection live in sidecar.test.ts; here they are driven through the CLI.)
 *
 * The 50 MB article runs the real CLI entry (out/src/cli/main.js) in a child process, so its peak
 * memory can be measured (`process.resourceUsage().maxRSS`, printed by a tiny preload at exit;
 * HARDENING_VERBOSE=1 shows it). Measured: validate ~250 MB, suggest ~440 MB, export ~470 MB; the
 * bounds leave about 2× of room.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { makeAnnotation } from '../../src/core/annotations';
import { ArticleDecodeError, sha256Hex } from '../../src/core/article';
import { walkCorpus } from '../../src/core/corpus';
import { detectTerms } from '../../src/core/detect';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation, Sidecar } from '../../src/core/schema';
import { loadArticleSidecar, parseSidecar, sidecarPathFor } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { writeSidecar } from '../../src/core/sidecarWrite';
import { cli, SAMPLES, tempDir } from './helpers';

const OUT_ROOT = path.resolve(__dirname, '..', '..'); // out/
const CLI_MAIN = path.join(OUT_ROOT, 'src', 'cli', 'main.js');
const CREATED = '2026-01-01T00:00:00Z';

// ---------------------------------------------------------------------------------------------
// helpers

/** Every file under a folder with the sha256 of its bytes: "nothing lost or overwritten" is equality. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) out[r] = `link:${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p, r);
      else out[r] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

function sampleText(): string {
  return fs
    .readdirSync(SAMPLES)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => fs.readFileSync(path.join(SAMPLES, n), 'utf8'))
    .join('\n');
}

/** A valid sidecar for `text`, with one annotation per [start, end, label] (code points). */
function sidecarFor(file: string, text: string | Buffer, spans: Array<[number, number, string]>, map = new OffsetMap(text.toString())): Sidecar {
  const annotations: Annotation[] = spans.map(([s, e, label], i) => makeAnnotation(map, s, e, label, { id: `a-${i}`, created: CREATED }));
  return { version: 1, article: { file, sha256: sha256Hex(text), length: map.length }, annotations };
}

function writeArticle(dir: string, name: string, text: string, spans: Array<[number, number, string]>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.writeFileSync(sidecarPathFor(file), serializeSidecar(sidecarFor(name, text, spans)));
  return file;
}

interface ChildRun {
  code: number | null;
  stderr: string;
  maxRssMB: number;
  seconds: number;
}

/**
 * Runs the CLI entry in a fresh Node process with stdout going to `stdoutFile` (big outputs never
 * pass through a pipe), and reports its peak RSS.
 */
function runCliChild(args: string[], stdoutFile: string): ChildRun {
  const preload = path.join(path.dirname(stdoutFile), 'maxrss-preload.js');
  fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const fd = fs.openSync(stdoutFile, 'w');
  const t0 = Date.now();
  let run: SpawnSyncReturns<string>;
  try {
    run = spawnSync(process.execPath, ['-r', preload, CLI_MAIN, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 170_000, maxBuffer: 64 << 20 });
  } finally {
    fs.closeSync(fd);
  }
  const m = /@@maxrss (\d+)/.exec(run.stderr ?? '');
  if (process.env.HARDENING_VERBOSE) console.log(`      [${args[0]}: ${m ? (Number(m[1]) / 1024).toFixed(0) : '?'} MB peak, ${((Date.now() - t0) / 1000).toFixed(1)}s]`);
  return { code: run.status, stderr: (run.stderr ?? '').replace(/\n?@@maxrss \d+\n?/, ''), maxRssMB: m ? Number(m[1]) / 1024 : NaN, seconds: (Date.now() - t0) / 1000 };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------

describe('hardening: bad sidecars through the CLI', () => {
  const ARTICLE = '002_15c05126c182eb79.txt';
  const good = () => fs.readFileSync(path.join(SAMPLES, ARTICLE + '.annotations.json'), 'utf8');
  const edit = (f: (s: Record<string, unknown> & { annotations: Array<Record<string, unknown>> }) => void) => {
    const s = JSON.parse(good());
    f(s);
    return JSON.stringify(s, null, 2);
  };
  const cases: Array<[string, () => string, RegExp]> = [
    ['invalid JSON', () => good().slice(0, 500), /: is not valid JSON \(/],
    ['git conflict markers', () => good().replace('"annotations": [', '<<<<<<< HEAD\n  "annotations": [\n=======\n  "annotations": [\n>>>>>>> theirs'), /contains git merge conflict markers/],
    ['a wrong type', () => edit((s) => (s.annotations[2].end = '45')), /annotation #3 \([^)]*\): "end" should be a number/],
    ['offsets past the end', () => edit((s) => ((s.annotations[8].start = 9000), (s.annotations[8].end = 9010))), /annotation #9 \([^)]*\): ends at 9010, past the end of the article \(2461 characters\)/],
    ['duplicate ids', () => edit((s) => (s.annotations[4].id = s.annotations[3].id as string)), /annotation #5 \(a-15c010\): has the same id as annotation #4/],
    ['an unknown version', () => edit((s) => (s.version = 3)), /written by a newer Misconduct Annotator \(sidecar version 3; this one reads up to 1\); update the extension/],
  ];

  for (const [what, make, message] of cases) {
    it(`${what}: validate and export exit 1, name the file and the problem, and change nothing`, async () => {
      const dir = tempDir();
      const corpus = path.join(dir, 'corpus');
      fs.mkdirSync(corpus);
      fs.cpSync(SAMPLES, corpus, { recursive: true });
      const sidecar = path.join(corpus, ARTICLE + '.annotations.json');
      fs.writeFileSync(sidecar, make());
      const before = snapshot(corpus);

      const v = await cli('validate', corpus);
      assert.equal(v.code, 1, v.out + v.err);
      assert.match(v.out, new RegExp(`^${escapeRe(sidecar)}: `, 'm'));
      assert.match(v.out, message);
      assert.match(v.err, /7 sidecar\(s\) checked, 1 with problems/);

      const out = path.join(dir, 'data.jsonl');
      const x = await cli('export', corpus, '--format', 'jsonl', '--out', out);
      assert.equal(x.code, 1, x.err);
      assert.match(x.err, new RegExp(`^${escapeRe(sidecar)}: .*invalid sidecar; its article is left out`, 'm'));
      assert.match(x.err, message);
      const ids = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
      assert.deepEqual(ids, ['000_fafa6f8612fe896a.txt', '001_928ec815419fdbae.txt', '003_bb0ef3ef7eedfb27.txt', '004_5cda1f97e69ea7bc.txt', '005_8594d6f234e18683.txt', '006_c2d61154cc08cb3e.txt'], 'the other articles are still exported');

      assert.deepEqual(snapshot(corpus), before, 'the corpus is byte for byte what it was');
    });
  }
});

describe('hardening: a 50 MB article', function () {
  this.timeout(240_000);
  let root: string; // outputs go here
  let dir: string; // the corpus: one article and its sidecar
  let file: string;
  let text: string;
  let spans: Array<[number, number, string]>;

  before(() => {
    root = tempDir();
    dir = path.join(root, 'corpus');
    fs.mkdirSync(dir);
    const base = sampleText();
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 50_000_000; i++) {
      const chunk = `Report ${i}.\n${base}\n`;
      parts.push(chunk);
      size += Buffer.byteLength(chunk);
    }
    // an astral character near the end, so code points and UTF-16 differ for the last spans
    text = parts.join('') + '🚔 Hampshire Constabulary dismissed the officer.\n';
    const map = new OffsetMap(text);
    const at = (needle: string, from: number) => {
      const i = text.indexOf(needle, from);
      return [map.toCodePoint(i), map.toCodePoint(i + needle.length)] as const;
    };
    spans = [
      [...at('Hampshire', 0), 'force'],
      [...at('gross misconduct', text.length >> 1), 'allegation'],
      [...at('Hampshire Constabulary', text.length - 60), 'force'],
      [...at('dismissed', text.length - 40), 'sanction'],
    ];
    file = path.join(dir, 'huge.txt');
    fs.writeFileSync(file, text);
    fs.writeFileSync(sidecarPathFor(file), serializeSidecar(sidecarFor('huge.txt', text, spans, map)));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('validate reads it within bounded memory and changes nothing', () => {
    const before = snapshot(dir);
    const run = runCliChild(['validate', file], path.join(root, 'validate.out'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /1 sidecar\(s\) checked, 0 with problems/);
    // bytes (50) + the decoded string (2 bytes per char once it holds a curly quote: 100) + hashing;
    // measured about 250 MB
    assert.ok(run.maxRssMB < 500, `validate peaked at ${run.maxRssMB.toFixed(0)} MB for a 50 MB article`);
    assert.deepEqual(snapshot(dir), before);
  });

  it('suggest finds terms all through it, with code point offsets after the emoji', () => {
    const out = path.join(root, 'suggest.tsv');
    const run = runCliChild(['suggest', file], out);
    try {
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.maxRssMB < 900, `suggest peaked at ${run.maxRssMB.toFixed(0)} MB`);
      const tsv = fs.readFileSync(out, 'utf8');
      const lines = tsv.trimEnd().split('\n');
      assert.ok(lines.length > 100_000, `${lines.length} suggestions`);
      const last = lines.filter((l) => l.includes('\tHampshire Constabulary')).pop()!.split('\t');
      assert.deepEqual(last.slice(1, 4).map(String), [String(spans[2][0]), String(spans[2][1]), 'force']);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it('export writes it to jsonl with the spans intact', () => {
    const out = path.join(root, 'export.jsonl');
    const run = runCliChild(['export', dir, '--format', 'jsonl', '--out', out], path.join(root, 'export.log'));
    try {
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.maxRssMB < 900, `export peaked at ${run.maxRssMB.toFixed(0)} MB`);
      const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.equal(doc.text.length, text.length);
      const cps = Array.from(doc.text as string);
      for (const s of doc.spans as Array<{ start: number; end: number; text: string }>) assert.equal(cps.slice(s.start, s.end).join(''), s.text);
      assert.deepEqual(doc.spans.map((s: { start: number }) => s.start), spans.map((s) => s[0]));
    } finally {
      fs.rmSync(out, { force: true });
    }
  });
});

describe('hardening: a binary file named .txt', () => {
  const binary = () => {
    const b = Buffer.alloc(4096);
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').copy(b);
    for (let i = 8; i < b.length; i++) b[i] = (i * 7919) & 0xff;
    return b;
  };

  it('core: loading it throws a clear ArticleDecodeError and reads no further', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'photo.txt');
    fs.writeFileSync(file, binary());
    await assert.rejects(loadArticleSidecar(nodeFileSystem, file), (e: unknown) => e instanceof ArticleDecodeError && e.reason === 'binary' && /looks like a binary file \(it contains NUL bytes\)/.test(e.message));
    assert.deepEqual(fs.readdirSync(dir), ['photo.txt']);
  });

  it('suggest exits 1 naming the file; export skips it as unreadable; no sidecar is written', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.mkdirSync(corpus);
    const photo = path.join(corpus, 'photo.txt');
    fs.writeFileSync(photo, binary());
    writeArticle(corpus, 'story.txt', 'Kent Police dismissed PC Smith.', [[0, 11, 'force']]);
    const before = snapshot(corpus);

    const s = await cli('suggest', photo, path.join(corpus, 'story.txt'));
    assert.equal(s.code, 1);
    assert.match(s.err, new RegExp(`^misconduct-annotate suggest: ${escapeRe(photo)}: this looks like a binary file`, 'm'));
    assert.match(s.out, /story\.txt\t0\t11\tforce\t/, 'the other article is still processed');

    const x = await cli('export', corpus, '--format', 'jsonl', '--out', path.join(dir, 'x.jsonl'), '--include-unannotated');
    assert.equal(x.code, 1, x.err);
    assert.match(x.err, new RegExp(`^${escapeRe(photo)}: this looks like a binary file.*; left out`, 'm'));
    assert.match(x.err, /1 unreadable article/);
    assert.deepEqual(snapshot(corpus), before, 'no sidecar was written, nothing changed');
  });

  it('a binary file that has a sidecar: validate exits 1 with the reason and keeps the sidecar', async () => {
    const dir = tempDir();
    const file = writeArticle(dir, 'story.txt', 'Kent Police dismissed PC Smith.', [[0, 11, 'force']]);
    fs.writeFileSync(file, binary()); // the article was overwritten by a binary file
    const before = snapshot(dir);
    const v = await cli('validate', dir);
    assert.equal(v.code, 1);
    assert.match(v.out, new RegExp(`^${escapeRe(file)}: this looks like a binary file`, 'm'));
    const st = await cli('stats', dir, '--json');
    assert.equal(JSON.parse(st.out).articles, 1);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('hardening: a read-only folder', () => {
  const isRoot = process.getuid?.() === 0;
  const eacces = (op: string, p: string) => Object.assign(new Error(`EACCES: permission denied, ${op} '${p}'`), { code: 'EACCES', errno: -13, syscall: op, path: p });

  function updated(file: string): Sidecar {
    const s = parseSidecar(file, fs.readFileSync(file, 'utf8'));
    s.annotations.push(makeAnnotation(new OffsetMap('Kent Police dismissed PC Smith.'), 22, 30, 'sanction', { id: 'a-new', created: CREATED }));
    return s;
  }

  // what a read-only folder does to each step of an atomic write: creating the temp file fails,
  // or (a folder made read-only mid-write) the rename fails, and so does removing the temp file
  for (const step of ['writeFile', 'rename'] as const) {
    it(`keeps the old sidecar and surfaces EACCES when ${step} is refused (injected file system)`, async () => {
      const dir = tempDir();
      writeArticle(dir, 'story.txt', 'Kent Police dismissed PC Smith.', [[0, 11, 'force']]);
      const sidecar = sidecarPathFor(path.join(dir, 'story.txt'));
      const before = snapshot(dir);
      const attempted: string[] = [];
      const readOnly: FileSystem = {
        ...nodeFileSystem,
        writeFile: async (p, data) => {
          attempted.push(p);
          if (step === 'writeFile') throw eacces('open', p);
          return nodeFileSystem.writeFile(p, data);
        },
        rename: async (from) => {
          throw eacces('rename', from);
        },
        delete: async (p) => {
          throw eacces('unlink', p);
        },
      };
      await assert.rejects(writeSidecar(readOnly, sidecar, updated(sidecar)), (e: NodeJS.ErrnoException) => e.code === 'EACCES' && /permission denied, (open|rename)/.test(e.message));
      assert.equal(attempted.length, 1);
      assert.ok(attempted[0] !== sidecar && path.dirname(attempted[0]) === dir, 'the write went to a temp file beside the sidecar, never to the sidecar');
      // the sidecar is untouched; at most the temp file the folder would not let us remove is extra
      const after = snapshot(dir);
      for (const [name, hash] of Object.entries(before)) assert.equal(after[name], hash, `${name} unchanged`);
      assert.ok(Object.keys(after).every((n) => n in before || n.endsWith('.tmp')));
    });
  }

  it('real permissions: writing a sidecar and exporting into a read-only folder fail clearly and lose nothing', async function () {
    if (isRoot) {
      // root ignores permission bits; run the same steps as an unprivileged user when we can
      const probe = spawnSync(process.execPath, ['-e', '0'], { uid: 65534, gid: 65534 });
      if (probe.status !== 0) this.skip();
    }
    this.timeout(60_000);
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    writeArticle(ro, 'story.txt', 'Kent Police dismissed PC Smith.', [[0, 11, 'force']]);
    for (const n of fs.readdirSync(ro)) fs.chmodSync(path.join(ro, n), 0o644);
    fs.chmodSync(ro, 0o555);
    const before = snapshot(ro);
    const sidecar = sidecarPathFor(path.join(ro, 'story.txt'));
    const next = path.join(dir, 'next.json');
    fs.writeFileSync(next, JSON.stringify(updated(sidecar)));
    fs.chmodSync(next, 0o644);
    // The other user may not be able to enter the folders above the checkout (a home folder, a
    // mktemp -d): everything it runs is bundled into the temp folder, which it can read.
    const entry = path.join(dir, 'write-entry.js');
    fs.writeFileSync(
      entry,
      `const { writeSidecar } = require(${JSON.stringify(path.join(OUT_ROOT, 'src', 'core', 'sidecarWrite.js'))});
       const { nodeFileSystem } = require(${JSON.stringify(path.join(OUT_ROOT, 'src', 'core', 'fileSystem.js'))});
       const s = JSON.parse(require('fs').readFileSync(${JSON.stringify(next)}, 'utf8'));
       writeSidecar(nodeFileSystem, ${JSON.stringify(sidecar)}, s).then(() => process.exit(0), (e) => { process.stderr.write(e.code + ' ' + e.message); process.exit(3); });`,
    );
    const script = path.join(dir, 'write.js');
    const cliCopy = path.join(dir, 'cli.js');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', outfile: script, logLevel: 'silent' });
    buildSync({ entryPoints: [CLI_MAIN], bundle: true, platform: 'node', outfile: cliCopy, logLevel: 'silent' });
    for (const f of [script, cliCopy]) fs.chmodSync(f, 0o644);
    const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};
    try {
      const w = spawnSync(process.execPath, [script], { encoding: 'utf8', ...asUser });
      assert.equal(w.status, 3, w.stderr);
      assert.match(w.stderr, /^(EACCES|EPERM) /);
      // the output goes outside the corpus (inside it is refused), into a folder as read-only
      const roOut = path.join(dir, 'ro-out');
      fs.mkdirSync(roOut, { mode: 0o555 });
      fs.chmodSync(roOut, 0o555);
      const x = spawnSync(process.execPath, [cliCopy, 'export', ro, '--format', 'jsonl', '--out', path.join(roOut, 'out', 'x.jsonl')], { encoding: 'utf8', ...asUser });
      assert.notEqual(x.status, 0);
      assert.match(x.stderr, /EACCES|EPERM|permission denied/i);
      assert.deepEqual(snapshot(ro), before, 'nothing written, nothing lost');
    } finally {
      fs.chmodSync(ro, 0o755);
    }
  });
});

describe('hardening: symlinks', () => {
  it('validate and export follow a symlinked article; its sidecar lives beside the link', async function () {
    const corpus = tempDir();
    // the linked file inside the corpus (a hidden folder, not walked): a link out of it is left out (hostileInputs.test.ts)
    const elsewhere = path.join(corpus, '.store');
    fs.mkdirSync(elsewhere);
    const real = path.join(elsewhere, 'real-story.txt');
    const text = 'Avon and Somerset Police sacked an officer for gross misconduct.\n';
    fs.writeFileSync(real, text);
    const link = path.join(corpus, 'linked.txt');
    fs.symlinkSync(real, link);
    const g = text.indexOf('gross misconduct');
    fs.writeFileSync(sidecarPathFor(link), serializeSidecar(sidecarFor('linked.txt', text, [[0, 24, 'force'], [g, g + 16, 'allegation']])));
    const before = snapshot(corpus);

    const v = await cli('validate', corpus);
    assert.equal(v.code, 0, v.out + v.err);
    assert.match(v.err, /1 sidecar\(s\) checked, 0 with problems/);
    assert.equal((await cli('validate', link)).code, 0);

    const out = path.join(tempDir(), 'x.jsonl');
    const x = await cli('export', corpus, '--format', 'jsonl', '--out', out);
    assert.equal(x.code, 0, x.err);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(doc.id, 'linked.txt');
    assert.equal(doc.text, text);
    assert.deepEqual(doc.spans.map((s: { text: string }) => s.text), ['Avon and Somerset Police', 'gross misconduct']);
    assert.deepEqual(snapshot(corpus), before);
    assert.equal(fs.readFileSync(real, 'utf8'), text);
  });

  it('walking a corpus with a symlinked folder cycle ends, listing each article once', async function () {
    this.timeout(10_000);
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'top.txt'), 'x');
    fs.writeFileSync(path.join(root, 'a', 'b', 'deep.txt'), 'y');
    fs.symlinkSync(root, path.join(root, 'a', 'b', 'loop')); // a → b → loop → root → a …
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'also-a'));
    const seen: string[] = [];
    for await (const e of walkCorpus(nodeFileSystem, root)) seen.push(e.relativePath);
    assert.deepEqual(seen, ['a/b/deep.txt', 'top.txt']);
    const st = await cli('stats', root, '--json');
    assert.equal(st.code, 0);
    assert.equal(JSON.parse(st.out).articles, 2);
  });
});

describe('hardening: a 5 MB line', function () {
  this.timeout(120_000);
  let dir: string;
  let text: string;
  let cps: string[];
  let spans: Array<[number, number, string]>;

  before(() => {
    dir = tempDir();
    const flat = sampleText().replace(/\r?\n/g, ' ');
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      // an emoji every ~200 KB keeps code points and UTF-16 apart all along the line
      const chunk = (i % 14 === 0 ? '👮 ' : '') + flat + ' ';
      parts.push(chunk);
      size += chunk.length;
    }
    text = parts.join('') + 'Finally Kent Police dismissed the officer.';
    assert.ok(!text.includes('\n'));
    cps = Array.from(text);
    const at = (needle: string, fromUtf16: number): [number, number] => {
      const i = text.indexOf(needle, fromUtf16);
      const start = Array.from(text.slice(0, i)).length;
      return [start, start + Array.from(needle).length];
    };
    spans = [
      [...at('Hampshire', 0), 'force'],
      [...at('gross misconduct', 2_500_000), 'allegation'],
      [...at('Kent Police', text.length - 40), 'force'],
      [...at('dismissed', text.length - 30), 'sanction'],
    ];
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('offsets: code points and UTF-16 agree with Array.from all along the line', () => {
    const map = new OffsetMap(text);
    assert.equal(map.length, cps.length);
    for (const [s, e] of spans) {
      assert.equal(map.slice(s, e), cps.slice(s, e).join(''));
      assert.equal(map.toCodePoint(map.toUtf16(s)), s);
    }
  });

  it('detection: a full scan finds terms to the very end, and a range scan agrees with it', () => {
    // time is the bench's business (detect-throughput); here only what it finds
    const all = detectTerms(text);
    const tail = all.filter((m) => m.end > text.length - 40);
    assert.deepEqual(tail.map((m) => [m.category, m.text]), [['force', 'Kent Police'], ['sanction', 'dismissed']]);
    const from = 2_500_000;
    const to = 2_600_000;
    const ranged = detectTerms(text, from, to);
    assert.deepEqual(ranged, all.filter((m) => m.end > from && m.start < to));
  });

  it('export: jsonl and conll carry the spans of the one-line article', async () => {
    const file = path.join(dir, 'line.txt');
    fs.writeFileSync(file, text);
    fs.writeFileSync(sidecarPathFor(file), serializeSidecar(sidecarFor('line.txt', text, spans)));
    const out = path.join(dir, '..', `${path.basename(dir)}-out`);
    try {
      const j = await cli('export', dir, '--format', 'jsonl', '--out', path.join(out, 'x.jsonl'));
      assert.equal(j.code, 0, j.err);
      const doc = JSON.parse(fs.readFileSync(path.join(out, 'x.jsonl'), 'utf8'));
      assert.deepEqual(
        doc.spans.map((s: { start: number; end: number; text: string }) => [s.start, s.end, s.text]),
        spans.map(([s, e]) => [s, e, cps.slice(s, e).join('')]),
      );
      const c = await cli('export', dir, '--format', 'conll', '--out', path.join(out, 'x.conll'));
      assert.equal(c.code, 0, c.err);
      const rows = fs.readFileSync(path.join(out, 'x.conll'), 'utf8').split('\n');
      const tagged = rows.filter((r) => / [BI]-\S+$/.test(r));
      assert.deepEqual(tagged.slice(-3), ['Kent -X- _ B-force', 'Police -X- _ I-force', 'dismissed -X- _ B-sanction']);
      assert.equal(tagged.filter((r) => / B-/.test(r)).length, spans.length);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('hardening: the writer killed during a save', function () {
  this.timeout(60_000);

  /** Child: writes `next` over `target` with writeSidecar through a file system that can stall. */
  function childScript(dir: string): string {
    const script = path.join(path.dirname(dir), `${path.basename(dir)}-writer.js`);
    fs.writeFileSync(
      script,
      `const fs = require('fs');
const { writeSidecar } = require(${JSON.stringify(path.join(OUT_ROOT, 'src', 'core', 'sidecarWrite.js'))});
const { nodeFileSystem } = require(${JSON.stringify(path.join(OUT_ROOT, 'src', 'core', 'fileSystem.js'))});
const [target, nextFile, mode] = process.argv.slice(2);
const next = JSON.parse(fs.readFileSync(nextFile, 'utf8'));
const stall = () => { process.stdout.write('stalled\\n'); setInterval(() => {}, 1 << 30); return new Promise(() => {}); };
const stalling = {
  ...nodeFileSystem,
  async writeFile(p, data) {
    if (mode === 'mid-temp-write') { fs.writeFileSync(p, data.subarray(0, data.length >> 1)); return stall(); }
    return nodeFileSystem.writeFile(p, data);
  },
  async rename(from, to) {
    if (mode === 'before-rename') return stall();
    return nodeFileSystem.rename(from, to);
  },
};
if (mode === 'loop') {
  // alternate between two sidecars as fast as possible until killed
  const other = JSON.parse(fs.readFileSync(target, 'utf8'));
  let i = 0;
  const again = () => writeSidecar(nodeFileSystem, target, i++ % 2 ? other : next).then(() => { if (i === 2) process.stdout.write('stalled\\n'); setImmediate(again); });
  again();
} else {
  writeSidecar(stalling, target, next).then(stall);
}
`,
    );
    return script;
  }

  function setup(): { dir: string; target: string; oldText: string; newText: string; nextFile: string } {
    const dir = tempDir();
    const text = 'Kent Police dismissed PC Smith after a hearing.';
    const target = writeArticle(dir, 'story.txt', text, [[0, 11, 'force']]) + '.annotations.json';
    const oldText = fs.readFileSync(target, 'utf8');
    const next = sidecarFor('story.txt', text, [[0, 11, 'force'], [12, 21, 'sanction'], [22, 30, 'force']]);
    for (let i = 0; i < 200; i++) next.annotations[0].note = `${next.annotations[0].note ?? ''}a long note to make the file span several pages `;
    const newText = serializeSidecar(next);
    const nextFile = path.join(path.dirname(dir), `${path.basename(dir)}-next.json`);
    fs.writeFileSync(nextFile, JSON.stringify(next));
    return { dir, target, oldText, newText, nextFile };
  }

  /** Starts the writer, waits until it reports the stall point (plus `extraMs`), then SIGKILLs it. */
  async function killWriter(script: string, args: string[], extraMs = 0): Promise<void> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        if (String(d).includes('stalled')) setTimeout(resolve, extraMs);
      });
      child.on('exit', (code) => reject(new Error(`the writer exited (${code}) before stalling: ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  for (const [mode, expect] of [
    ['mid-temp-write', 'old'],
    ['before-rename', 'old'],
    ['after-rename', 'new'],
  ] as const) {
    it(`killed ${mode.replace(/-/g, ' ')}: the sidecar is the ${expect} file, whole`, async () => {
      const { dir, target, oldText, newText, nextFile } = setup();
      await killWriter(childScript(dir), [target, nextFile, mode]);
      const onDisk = fs.readFileSync(target, 'utf8');
      assert.equal(onDisk, expect === 'old' ? oldText : newText);
      parseSidecar(target, onDisk); // whole and valid
      const state = await loadArticleSidecar(nodeFileSystem, path.join(dir, 'story.txt'));
      assert.equal(state.kind, 'ok');
      // a temp file may be left behind by a killed writer, but never under the sidecar's name,
      // and it is not taken for an article or a sidecar
      const extra = fs.readdirSync(dir).filter((n) => n !== 'story.txt' && n !== 'story.txt.annotations.json');
      assert.ok(extra.every((n) => n.endsWith('.tmp')), `left: ${extra.join(', ')}`);
      const listed: string[] = [];
      for await (const e of walkCorpus(nodeFileSystem, dir)) listed.push(e.relativePath);
      assert.deepEqual(listed, ['story.txt']);
    });
  }

  it('killed at random moments while saving over and over: always the old or the new file, never a torn one', async () => {
    for (let round = 0; round < 6; round++) {
      const { dir, target, oldText, newText, nextFile } = setup();
      await killWriter(childScript(dir), [target, nextFile, 'loop'], 3 + round * 7);
      const onDisk = fs.readFileSync(target, 'utf8');
      assert.ok(onDisk === oldText || onDisk === newText, `round ${round}: the sidecar is neither version (${onDisk.length} bytes)`);
    }
  });
});
