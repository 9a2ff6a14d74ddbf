/**
 * Exports under hostile conditions (issue 28): a disk that fills or fails mid-export, a subfolder
 * of an earlier export swapped for a link to elsewhere, cells a spreadsheet would run as formulas,
 * and temp files an export killed with -9 left. Each test checks what the user sees.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main';
import { sha256Hex } from '../../src/core/article';
import { CreateFile, createNodeSink, ExportSink } from '../../src/core/export';
import { createNodeFile } from '../../src/core/export/sink';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { Annotation, DocumentForm, Relation, SCHEMA_VERSION, Sidecar } from '../../src/core/schema';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { computeCorpusStats } from '../../src/core/stats';
import { buildModel, toCsv } from '../../src/extension/dashboard/model';
import { cli, CliRun, tempDir } from './helpers';
import { parseCsv } from './fixtures/export/csv';

interface Span {
  id: string;
  quote: string;
  label: string;
  note?: string;
  author?: string;
}

/** Writes an article and its sidecar: spans found by quote, with their notes and authors. */
function writeArticle(root: string, name: string, text: string, spans: Span[], extra: { relations?: Array<Pick<Relation, 'id' | 'label' | 'from' | 'to'>>; document?: DocumentForm } = {}): void {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  const cp = (s: string) => [...s].length;
  const annotations = spans.map(({ id, quote, label, note, author }): Annotation => {
    const at = text.indexOf(quote);
    assert.ok(at >= 0, quote);
    const start = cp(text.slice(0, at));
    return { id, label, start, end: start + cp(quote), text: quote, source: 'manual', created: '2026-12-01T10:00:00Z', ...(note !== undefined && { note }), ...(author !== undefined && { author }) };
  });
  const sidecar: Sidecar = { version: SCHEMA_VERSION, article: { file: name, sha256: sha256Hex(text), length: cp(text) }, annotations };
  if (extra.relations) sidecar.relations = extra.relations.map((r) => ({ ...r, created: '2026-12-01T10:00:00Z' }));
  if (extra.document) sidecar.document = extra.document;
  fs.writeFileSync(file + '.annotations.json', serializeSidecar(sidecar));
}

function corpus(): string {
  const root = tempDir('misconduct-hard-');
  writeArticle(root, 'one.txt', 'Kent Police dismissed PC Smith for abuse of position.\n', [{ id: 'a1', quote: 'Kent Police', label: 'force' }]);
  writeArticle(root, 'two.txt', 'Sussex Police gave a final written warning.\n', [{ id: 'a1', quote: 'Sussex Police', label: 'force' }]);
  writeArticle(root, 'three.txt', 'Essex Police fined an officer.\n', [{ id: 'a1', quote: 'Essex Police', label: 'force' }]);
  writeArticle(root, 'four.txt', 'The Met barred a sergeant.\n', [{ id: 'a1', quote: 'The Met', label: 'force' }]);
  return root;
}

/** The CLI, in process, exporting through `sink`. */
async function cliWithSink(sink: ExportSink, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { fs: nodeFileSystem, out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd(), exportSink: sink });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}, write`), { code, syscall: 'write' });

/** Files that hold `room` bytes between them, then fail as a full disk does: one short write, then ENOSPC. */
function fullDisk(room: number, opened: string[] = []): CreateFile {
  let left = room;
  return async (p) => {
    opened.push(p);
    const inner = await createNodeFile(p);
    return {
      write: async (data) => {
        if (left <= 0) throw errno('ENOSPC', 'no space left on device');
        const n = Math.min(left, data.length);
        left -= n;
        return inner.write(data.subarray(0, n));
      },
      sync: () => inner.sync(),
      close: () => inner.close(),
    };
  };
}

/** A folder's files and their contents, links shown as links (not followed). */
function snapshot(p: string): string {
  const stat = fs.lstatSync(p);
  if (stat.isSymbolicLink()) return `-> ${fs.readlinkSync(p)}`;
  if (!stat.isDirectory()) return fs.readFileSync(p, 'utf8');
  return fs
    .readdirSync(p)
    .sort()
    .map((n) => `${n}{${snapshot(path.join(p, n))}}`)
    .join(' ');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const OUT_NAME: Record<string, string> = { jsonl: 'data.jsonl', csv: 'data.csv', conll: 'data.conll', webanno: 'data.jsonld', labelstudio: 'data.json', brat: 'brat', cases: 'cases' };

describe('export hardening: a full or failing disk', () => {
  for (const format of ['jsonl', 'csv', 'conll', 'webanno', 'labelstudio', 'brat', 'cases']) {
    it(`${format}: a disk that fills mid-line fails the export (exit 2, one line naming the path) and keeps the earlier export`, async () => {
      const root = corpus();
      const outDir = tempDir('misconduct-hard-out-');
      const out = path.join(outDir, OUT_NAME[format]);
      const earlier = await cli('export', root, '--format', format, '--out', out);
      assert.equal(earlier.code, 0, earlier.err);
      const before = snapshot(outDir);
      const opened: string[] = [];
      const run = await cliWithSink(createNodeSink(fullDisk(60, opened)), 'export', root, '--format', format, '--out', out, '--force');
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, new RegExp(`^misconduct-annotate export: cannot write ${escapeRe(out)}(/[^ ]+)?: no space left on device \\(ENOSPC\\)$`), run.err);
      assert.equal(snapshot(outDir), before, 'the earlier export is untouched and no temp file is left');
      // the temp names say whose they are, so a later export can clean up after a killed one
      const temp = path.relative(outDir, opened[0]).split(path.sep)[0];
      assert.match(temp, new RegExp(`^\\.${escapeRe(OUT_NAME[format])}\\.misconduct-tmp-${process.pid}-[0-9a-z]+$`));
    });
  }

  it('a disk error at the final flush (EIO) fails the export naming the path, and keeps the earlier file', async () => {
    const root = corpus();
    const outDir = tempDir('misconduct-hard-out-');
    const out = path.join(outDir, 'data.csv');
    fs.writeFileSync(out, 'the earlier export\r\n');
    const failingSync: CreateFile = async (p) => ({ ...(await createNodeFile(p)), sync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) });
    const run = await cliWithSink(createNodeSink(failingSync), 'export', root, '--format', 'csv', '--out', out);
    assert.equal(run.code, 2, run.err);
    assert.equal(run.err, `misconduct-annotate export: cannot write ${out}: input/output error (EIO)`);
    assert.deepEqual(fs.readdirSync(outDir), ['data.csv']);
    assert.equal(fs.readFileSync(out, 'utf8'), 'the earlier export\r\n');
  });

  it('a real ENOSPC from the kernel (/dev/full) ends the same way', async function () {
    if (!fs.existsSync('/dev/full')) this.skip();
    const root = corpus();
    const outDir = tempDir('misconduct-hard-out-');
    const out = path.join(outDir, 'data.jsonl');
    fs.writeFileSync(out, '{"earlier": true}\n');
    // every byte goes to /dev/full, whose writes the kernel refuses with ENOSPC
    const devFull: CreateFile = async () => {
      const handle = await fsp.open('/dev/full', 'w');
      return { write: async (d) => (await handle.write(d, 0, d.length, null)).bytesWritten, sync: () => handle.sync(), close: () => handle.close() };
    };
    const run = await cliWithSink(createNodeSink(devFull), 'export', root, '--format', 'jsonl', '--out', out);
    assert.equal(run.code, 2, run.err);
    assert.equal(run.err, `misconduct-annotate export: cannot write ${out}: no space left on device (ENOSPC)`);
    assert.equal(fs.readFileSync(out, 'utf8'), '{"earlier": true}\n');
  });
});

describe('export hardening: --force and links', () => {
  it('never follows a subfolder of an earlier export swapped for a link: the files it points at survive', async function () {
    const root = corpus();
    const out = path.join(tempDir('misconduct-hard-out-'), 'brat');
    const first = await cli('export', root, '--format', 'brat', '--out', out, '--split', '50,50');
    assert.equal(first.code, 0, first.err);
    // each part folder moved elsewhere and replaced by a link to it: the manifest still lists its files
    const outside = tempDir('misconduct-hard-outside-');
    const parts = ['train', 'test'].filter((p) => fs.existsSync(path.join(out, p)));
    assert.ok(parts.length > 0);
    for (const part of parts) {
      fs.renameSync(path.join(out, part), path.join(outside, part));
      fs.writeFileSync(path.join(outside, part, 'precious.txt'), 'not the export\'s');
      try {
        fs.symlinkSync(path.join(outside, part), path.join(out, part), 'dir');
      } catch {
        this.skip(); // no symlinks here
      }
    }
    const kept = snapshot(outside);

    const split = await cli('export', root, '--format', 'brat', '--out', out, '--split', '50,50', '--force');
    assert.equal(split.code, 2, split.err);
    assert.match(split.err, new RegExp(`${escapeRe(out)}/(train|test) is a link or a file, not a folder an earlier export wrote; nothing was removed`));
    assert.equal(snapshot(outside), kept, 'nothing outside --out was removed or written');

    const whole = await cli('export', root, '--format', 'brat', '--out', out, '--force');
    assert.equal(whole.code, 0, whole.err);
    assert.equal(snapshot(outside), kept, 'nothing outside --out was removed or written');
    for (const part of parts) assert.ok(fs.lstatSync(path.join(out, part)).isSymbolicLink(), 'a link we did not make stays');
    assert.ok(fs.existsSync(path.join(out, 'one.txt.ann')));
  });
});

describe('export hardening: CSV cells a spreadsheet would run', () => {
  const FORMULA = /^[=+\-@\t\r]/;

  function hostileCorpus(): string {
    const root = tempDir('misconduct-hard-csv-');
    writeArticle(
      root,
      '@article.txt',
      '=Kent Police dismissed -PC Smith.\n',
      [
        { id: 'f1', quote: '=Kent Police', label: 'force', note: '=1+1', author: '@SUM(1+1)' },
        { id: 'o1', quote: '-PC Smith', label: 'officer', note: '\r=2', author: '+cmd|x' },
      ],
      {
        relations: [{ id: 'r1', label: 'member', from: 'o1', to: 'f1' }],
        document: { outcome: '-2+3', standards: ['@SUM(A1)'], summary: '\tlooks empty', officers_named: -3 },
      },
    );
    return root;
  }

  async function exportCsv(format: 'csv' | 'cases'): Promise<string> {
    const out = path.join(tempDir('misconduct-hard-out-'), format === 'csv' ? 'data.csv' : 'cases');
    const run = await cli('export', hostileCorpus(), '--format', format, '--out', out);
    assert.equal(run.code, 0, run.err);
    return out;
  }

  it('csv: a note, author, text or file name that starts a formula gets a leading quote; offsets stay numbers', async () => {
    const rows = parseCsv(fs.readFileSync(await exportCsv('csv'), 'utf8'));
    const byId = (text: string) => rows.find((r) => r[4] === text)!;
    assert.deepEqual(byId("'=Kent Police"), ["'@article.txt", '0', '12', 'force', "'=Kent Police", "'=1+1", "'@SUM(1+1)", 'manual']);
    assert.deepEqual(byId("'-PC Smith"), ["'@article.txt", '23', '32', 'officer', "'-PC Smith", "'\r=2", "'+cmd|x", 'manual']);
    for (const cell of rows.flat()) assert.doesNotMatch(cell, FORMULA);
  });

  it('cases: cases.csv and relations.csv quote form values and span texts; a number field stays a number', async () => {
    const out = await exportCsv('cases');
    const [header, row] = parseCsv(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8'));
    const cell = (name: string) => row[header.indexOf(name)];
    assert.equal(cell('file'), "'@article.txt");
    assert.equal(cell('outcome'), "'-2+3");
    assert.equal(cell('standards'), "'@SUM(A1)");
    assert.equal(cell('summary'), "'\tlooks empty");
    assert.equal(cell('officers_named'), '-3', 'a number from a number field');
    assert.equal(cell('n_force'), '1');
    for (const [i, c] of row.entries()) if (header[i] !== 'officers_named') assert.doesNotMatch(c, FORMULA, header[i]);

    const relations = parseCsv(fs.readFileSync(path.join(out, 'relations.csv'), 'utf8'));
    assert.deepEqual(relations[1], ["'@article.txt", 'r1', 'member', 'o1', 'officer', "'-PC Smith", 'f1', 'force', "'=Kent Police"]);
    for (const c of relations.flat()) assert.doesNotMatch(c, FORMULA);
  });

  it("the dashboard's Copy as CSV quotes a form value that starts a formula; counts stay numbers", async () => {
    const stats = await computeCorpusStats(nodeFileSystem, hostileCorpus());
    const chart = buildModel(stats, 'corpus').charts.find((c) => c.id === 'outcomeStandard')!;
    assert.ok(chart.rows.some((r) => FORMULA.test(r.name)) && chart.series.some((s) => FORMULA.test(s.name)), 'the chart holds the hostile values');
    const rows = parseCsv(toCsv(chart));
    assert.deepEqual(rows[0], [chart.rowHeader, ...chart.series.map((s) => (FORMULA.test(s.name) ? `'${s.name}` : s.name))]);
    assert.deepEqual(rows.slice(1), chart.rows.map((r) => [FORMULA.test(r.name) ? `'${r.name}` : r.name, ...r.values.map(String)]));
    for (const c of rows.flat()) assert.doesNotMatch(c, FORMULA);
  });
});

describe('export hardening: temp files a killed export left', () => {
  it('a later export to the same target removes our stale temp files and folders, and nothing else', async () => {
    const root = corpus();
    const outDir = tempDir('misconduct-hard-out-');
    const elsewhere = tempDir('misconduct-hard-outside-');
    fs.writeFileSync(path.join(elsewhere, 'keep.txt'), 'keep');
    // a process that has exited: its pid names nobody now
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = [`.data.jsonl.misconduct-tmp-${dead}-k2j4x9`, `.data.jsonl.${dead}-lq2x0a-0.tmp`];
    const staleFolder = `.brat.misconduct-tmp-${dead}-zz81`;
    const kept = [
      `.data.jsonl.misconduct-tmp-${process.pid}-abc`, // a live export's
      `.data.jsonl.misconduct-tmp-${dead}-abc.bak`,
      `.other.jsonl.misconduct-tmp-${dead}-abc`,
      `data.jsonl.misconduct-tmp-${dead}-abc`,
      'notes.txt',
    ];
    for (const n of [...stale, ...kept]) fs.writeFileSync(path.join(outDir, n), 'x'.repeat(1000));
    fs.mkdirSync(path.join(outDir, staleFolder));
    fs.writeFileSync(path.join(outDir, staleFolder, 'one.txt.ann'), 'T1\tforce 0 4\tKent\n');
    // a link named as ours is not followed, nor removed
    const link = `.data.jsonl.misconduct-tmp-${dead}-lnk`;
    fs.symlinkSync(path.join(elsewhere, 'keep.txt'), path.join(outDir, link));

    const jsonl = await cli('export', root, '--format', 'jsonl', '--out', path.join(outDir, 'data.jsonl'));
    assert.equal(jsonl.code, 0, jsonl.err);
    const brat = await cli('export', root, '--format', 'brat', '--out', path.join(outDir, 'brat'));
    assert.equal(brat.code, 0, brat.err);
    assert.deepEqual(fs.readdirSync(outDir).sort(), [...kept, link, 'brat', 'data.jsonl'].sort());
    for (const n of kept) assert.equal(fs.readFileSync(path.join(outDir, n), 'utf8'), 'x'.repeat(1000));
    assert.equal(fs.readFileSync(path.join(elsewhere, 'keep.txt'), 'utf8'), 'keep');
  });
});
