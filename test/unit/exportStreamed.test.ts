/**
 * The CoNLL export reads an article whose sidecar matches it as a stream, twice (check, then
 * write), never whole. What it writes and reports must be byte for byte what the whole-text
 * writer gives, on articles with a BOM, CRLF, emoji, spans across chunk and block boundaries, and
 * on the articles the streamed path hands to the whole-text one (changed, invalid, unreadable).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportDataset, ExportOptions, ExportSink, ExportWarning, FORMATS, nodeSink } from '../../src/core/export';
import { FormatDefinition } from '../../src/core/export/types';
import { conllFormat } from '../../src/core/export/conll';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { tempDir } from './helpers';
import { buildCorpus } from './fixtures/export/corpus';

/**
 * One long line (more than a few CoNLL blocks of 16 K characters) of numbered sentences with
 * emoji, curly quotes and abbreviations; spans on a name in every sentence, nested spans (left out
 * as overlaps), spans across a sentence break (after many emoji, so code points and UTF-16 differ
 * there), one span of 20,000 characters (longer than a block) and one on white space only.
 */
function longArticle() {
  const sentences: string[] = [];
  for (let i = 0; i < 1200; i++) sentences.push(`Sentence ${i}: PC Nr${i} 😀 said “no” to Sgt. Ab${i} of Kent Police.`);
  const text = `${sentences.join(' ')}   \r\nThe end.\r\n`;
  const spans: Array<{ quote: string; label: string }> = [];
  for (let i = 0; i < 1200; i += 7) spans.push({ quote: `PC Nr${i} 😀`, label: 'officer' });
  for (let i = 0; i < 1200; i += 49) spans.push({ quote: `Nr${i} 😀 said`, label: 'allegation' });
  for (let i = 3; i < 1200; i += 101) spans.push({ quote: `Kent Police. Sentence ${i + 1}: PC`, label: 'force' });
  const from = text.indexOf('Sentence 500:');
  spans.push({ quote: text.slice(from, text.indexOf(' ', from + 20_000)), label: 'statement' });
  spans.push({ quote: '   ', label: 'force' });
  return { id: 'long.txt', text, bom: true, spans };
}

const CRLF_EMOJI = {
  id: 'crlf.txt',
  text: '“Officer” 👮‍♂️ Smith\r\nwas sacked 😀 today.\r\n\r\nMr. Jones said: “no”.\r\n',
  spans: [
    { quote: 'Officer” 👮‍♂️ Smith\r\nwas', label: 'officer' },
    { quote: 'sacked 😀', label: 'sanction' },
    { quote: 'Mr. Jones', label: 'officer' },
  ],
};

/** The node file system, with `readChunks` cut into `size`-byte chunks of one reused buffer. */
function chunked(size: number, reads?: string[]): FileSystem {
  return {
    ...nodeFileSystem,
    async readFile(p) {
      reads?.push(`whole ${path.basename(p)}`);
      return nodeFileSystem.readFile(p);
    },
    async *readChunks(p) {
      reads?.push(`chunks ${path.basename(p)}`);
      const bytes = fs.readFileSync(p);
      const buffer = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(buffer, 0, at, at + size);
        yield buffer.subarray(0, n);
        buffer.fill(0);
      }
    },
  };
}

/** The corpus: the export fixtures (BOM, CRLF, emoji, an orphan, an invalid sidecar), the long article, and more. */
function corpus(): string {
  const { root } = buildCorpus({ broken: true, controls: true, extra: [longArticle(), CRLF_EMOJI, { id: 'changed.txt', text: 'Kent Police sacked PC Smith.\n', spans: [{ quote: 'PC Smith', label: 'officer' }] }] });
  // changed since it was annotated: the span is found again, further on (re-anchoring, whole text)
  fs.writeFileSync(path.join(root, 'changed.txt'), 'Late news. Kent Police sacked PC Smith.\n');
  // an article that stopped being UTF-8 after it was annotated
  fs.writeFileSync(path.join(root, 'controls.txt'), Buffer.from([0x41, 0xe9, 0x42]));
  return root;
}

interface Result {
  conll: string;
  warnings: ExportWarning[];
  summary: unknown;
}

async function exportConll(fsys: FileSystem, root: string, extra: Partial<ExportOptions> = {}): Promise<Result> {
  const out = path.join(tempDir('misconduct-stream-out-'), 'data.conll');
  const warnings: ExportWarning[] = [];
  const { outputs, ...summary } = await exportDataset(fsys, root, { format: 'conll', out, onWarning: (w) => warnings.push(w), streamMinBytes: 0, ...extra });
  assert.deepEqual(outputs, [out]);
  return { conll: fs.readFileSync(out, 'utf8'), warnings, summary };
}

/** The same export through the whole-text writer (the CoNLL writer without its stream). */
async function exportWhole(root: string, extra: Partial<ExportOptions> = {}): Promise<Result> {
  const saved = FORMATS.conll;
  const streaming = conllFormat as Extract<FormatDefinition, { kind: 'file' }>;
  FORMATS.conll = {
    ...streaming,
    create(ctx) {
      const writer = streaming.create(ctx);
      return { start: () => writer.start(), article: (a) => writer.article(a), finish: () => writer.finish() };
    },
  };
  try {
    return await exportConll(nodeFileSystem, root, extra);
  } finally {
    FORMATS.conll = saved;
  }
}

describe('export: CoNLL streamed from disk', () => {
  let root: string;
  let whole: Result;
  before(async () => {
    root = corpus();
    whole = await exportWhole(root);
  });

  it('the reference export has what the streamed one must match (long article, warnings of every kind)', () => {
    assert.ok(whole.conll.length > 100_000, `${whole.conll.length} characters`);
    const kinds = new Set(whole.warnings.map((w) => w.kind));
    for (const kind of ['reanchored', 'invalid-sidecar', 'unreadable-article', 'orphaned', 'overlap', 'no-token', 'crosses-sentence']) assert.ok(kinds.has(kind as ExportWarning['kind']), kind);
  });

  for (const size of [1, 7, 4099, 1 << 15]) {
    it(`writes and reports exactly what the whole-text writer does, reading ${size} byte(s) at a time`, async () => {
      const got = await exportConll(chunked(size), root);
      assert.equal(got.conll, whole.conll);
      assert.deepEqual(got.warnings, whole.warnings);
      assert.deepEqual(got.summary, whole.summary);
    });
  }

  it('the same with a label filter and unannotated articles', async () => {
    const extra: Partial<ExportOptions> = { labels: ['officer', 'statement'], includeUnannotated: true };
    const got = await exportConll(chunked(4099), root, extra);
    const ref = await exportWhole(root, extra);
    assert.equal(got.conll, ref.conll);
    assert.deepEqual(got.warnings, ref.warnings);
  });

  it('reads an article whose sidecar matches only in chunks; a changed or broken one is read whole, as before', async () => {
    const reads: string[] = [];
    await exportConll(chunked(1 << 15, reads), root);
    const of = (name: string) => reads.filter((r) => r.endsWith(` ${name}`));
    // checked, then written: two passes, never whole
    assert.deepEqual(of('long.txt'), ['chunks long.txt', 'chunks long.txt']);
    assert.deepEqual(of('crlf.txt'), ['chunks crlf.txt', 'chunks crlf.txt']);
    assert.ok(of('changed.txt').includes('whole changed.txt'));
    assert.ok(of('controls.txt').includes('whole controls.txt'));
    assert.ok(of('broken.txt').includes('whole broken.txt'));
    // without --include-unannotated, an article without a sidecar is not read at all; with it, streamed
    assert.deepEqual(of('unannotated.md'), []);
    reads.length = 0;
    await exportConll(chunked(1 << 15, reads), root, { includeUnannotated: true });
    assert.deepEqual(of('unannotated.md'), ['chunks unannotated.md', 'chunks unannotated.md']);
  });

  it('stops, leaving nothing, when an article changes between its check and its writing', async () => {
    let passes = 0;
    const changing: FileSystem = {
      ...nodeFileSystem,
      async *readChunks(p) {
        const bytes = fs.readFileSync(p);
        // the second pass over long.txt sees a changed word
        if (path.basename(p) === 'long.txt' && ++passes === 2) bytes.write('Xentence', bytes.indexOf('Sentence 900'));
        yield bytes;
      },
    };
    const outDir = tempDir('misconduct-stream-out-');
    await assert.rejects(exportDataset(changing, root, { format: 'conll', out: path.join(outDir, 'data.conll'), streamMinBytes: 0 }), /long\.txt changed while it was being exported; export again/);
    assert.equal(passes, 2);
    assert.deepEqual(fs.readdirSync(outDir), []);
  });

  it('a cancelled export stops inside a long article and leaves nothing', async () => {
    const controller = new AbortController();
    let appendsAfterAbort = 0;
    const outDir = tempDir('misconduct-stream-out-');
    const sink: ExportSink = {
      async file(p) {
        const inner = await nodeSink.file(p);
        return {
          append: async (t) => {
            if (controller.signal.aborted) appendsAfterAbort++;
            // cancelled as the long article's first lines arrive
            if (t.includes('Sentence -X-')) controller.abort();
            await inner.append(t);
          },
          commit: () => inner.commit(),
          discard: () => inner.discard(),
        };
      },
      folder: (p) => nodeSink.folder(p),
    };
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'conll', out: path.join(outDir, 'data.conll'), sink, signal: controller.signal, streamMinBytes: 0 }), { name: 'AbortError' });
    assert.ok(controller.signal.aborted);
    assert.equal(appendsAfterAbort, 0);
    assert.deepEqual(fs.readdirSync(outDir), []);
  });
});
