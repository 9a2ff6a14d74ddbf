import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import {
  assignPart,
  ExportFormat,
  ExportOptions,
  ExportSink,
  ExportTargetError,
  ExportWarning,
  exportDataset,
  labelStudioConfig,
  nodeSink,
  parseSplit,
  partFilePath,
  SplitSyntaxError,
} from '../../src/core/export';
import { bratFragments } from '../../src/core/export/brat';
import { Annotation } from '../../src/core/schema';
import { tempDir } from './helpers';
import { articleText, buildCorpus, cpSlice, EMOJI_TEXT, ExpectedSpan, sortSpans } from './fixtures/export/corpus';
import { parseCsv } from './fixtures/export/csv';

const EXT: Record<ExportFormat, string> = { jsonl: '.jsonl', conll: '.conll', brat: '', webanno: '.jsonld', labelstudio: '.json', csv: '.csv', cases: '' };

async function run(root: string, format: ExportFormat, extra: Partial<ExportOptions> = {}) {
  const outDir = tempDir('misconduct-export-out-');
  const out = path.join(outDir, format === 'brat' || format === 'cases' ? format : `data${EXT[format]}`);
  const warnings: ExportWarning[] = [];
  const summary = await exportDataset(nodeFileSystem, root, { format, out, onWarning: (w) => warnings.push(w), ...extra });
  return { out, outDir, summary, warnings };
}

function assertSlices(root: string, spans: ExpectedSpan[]): void {
  for (const s of spans) assert.equal(cpSlice(articleText(root, s.file), s.start, s.end), s.text, `${s.file} ${s.start}-${s.end}`);
}

/** The parts of the Web Annotation and Label Studio outputs the tests read. */
interface WebAnnotation {
  body: Array<{ purpose: string; value: string }>;
  target: { source: string; selector: Array<{ type: string; exact: string; prefix?: string; suffix?: string; start: number; end: number }> };
}
interface LabelStudioTask {
  data: { text: string; file: string };
  annotations: Array<{ result: Array<{ type: string; from_name: string; to_name: string; value: { start: number; end: number; text: string; labels: string[] } }> }>;
}

describe('export: the fixture corpus', () => {
  it('has spans whose code-point offsets differ from their UTF-16 offsets', () => {
    const { expected } = buildCorpus();
    const s = expected.find((e) => e.text === 'misused, his position')!;
    assert.notEqual(EMOJI_TEXT.indexOf(s.text), s.start, 'the span must come after astral characters');
  });
});

describe('export: jsonl', () => {
  it('round-trips every span at the same code-point offsets, with the text as on disk (CRLF kept, BOM dropped)', async () => {
    const { root, expected } = buildCorpus();
    const { out, summary } = await run(root, 'jsonl');
    const docs = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      docs.map((d) => d.id),
      ['crlf-emoji.txt', 'done-empty.txt', 'sub/dir/plain.txt'],
      'annotated and done articles, in corpus order',
    );
    const spans = docs.flatMap((d) => d.spans.map((s: ExpectedSpan) => ({ file: d.id, start: s.start, end: s.end, label: s.label, text: s.text })));
    assert.deepEqual(sortSpans(spans), expected);
    for (const d of docs) {
      assert.equal(d.text, articleText(root, d.id));
      for (const s of d.spans) assert.equal(cpSlice(d.text, s.start, s.end), s.text);
      assert.equal(d.meta.file, d.id);
      assert.match(d.meta.sha256, /^[0-9a-f]{64}$/);
    }
    assert.ok(docs[0].text.includes('\r\n'));
    assert.equal(docs[0].meta.status, 'in_progress');
    assert.equal(docs[1].meta.status, 'done');
    assert.deepEqual(docs[1].spans, []);
    assert.equal(summary.articles, 3);
    assert.equal(summary.spans, expected.length);
  });

  it('keeps each span\'s id, source, note, author and attributes (nested, so they cannot clobber offsets)', async () => {
    const { root } = buildCorpus();
    const { out } = await run(root, 'jsonl');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[0]);
    const allegation = doc.spans.find((s: { label: string }) => s.label === 'allegation');
    assert.equal(allegation.note, 'He said "no", twice\r\nand left');
    assert.deepEqual(allegation.attributes, { severity: 'gross', start: 'not an offset' });
    assert.equal(typeof allegation.start, 'number');
    assert.equal(allegation.author, 'tester');
    assert.equal(doc.spans.find((s: { label: string }) => s.label === 'officer').source, 'suggestion');
  });

  it('--include-unannotated adds articles without sidecar or spans', async () => {
    const { root } = buildCorpus();
    const { out, summary } = await run(root, 'jsonl', { includeUnannotated: true });
    const docs = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      docs.map((d) => [d.id, d.meta.status, d.spans.length]),
      [
        ['crlf-emoji.txt', 'in_progress', 6],
        ['done-empty.txt', 'done', 0],
        ['in-progress-empty.txt', 'not_started', 0],
        ['sub/dir/plain.txt', 'done', 4],
        ['unannotated.md', 'not_started', 0],
      ],
    );
    assert.equal(summary.skipped.unannotated, 0);
  });

  it('--labels keeps only those labels, and leaves out articles left without spans', async () => {
    const { root, expected } = buildCorpus();
    const { out, warnings } = await run(root, 'jsonl', { labels: ['force', 'nosuchlabel'] });
    const docs = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const spans = docs.flatMap((d) => d.spans.map((s: ExpectedSpan) => ({ file: d.id, start: s.start, end: s.end, label: s.label, text: s.text })));
    assert.deepEqual(sortSpans(spans), expected.filter((e) => e.label === 'force'));
    assert.ok(warnings.some((w) => w.kind === 'unused-label' && w.message.includes('nosuchlabel')));
    // the orphan is an allegation: filtered out, so not reported either
    assert.ok(!warnings.some((w) => w.kind === 'orphaned'));
  });
});

describe('export: csv', () => {
  it('writes RFC 4180 (header, CRLF, quotes doubled) and round-trips spans, notes and line breaks', async () => {
    const { root, expected } = buildCorpus();
    const { out } = await run(root, 'csv');
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(rows[0], ['file', 'start', 'end', 'label', 'text', 'note', 'author', 'source']);
    const spans = rows.slice(1).map(([file, start, end, label, text]) => ({ file, start: Number(start), end: Number(end), label, text }));
    assert.deepEqual(sortSpans(spans), expected);
    assertSlices(root, spans);
    const allegation = rows.find((r) => r[3] === 'allegation' && r[0] === 'crlf-emoji.txt')!;
    assert.equal(allegation[5], 'He said "no", twice\r\nand left');
    assert.ok(fs.readFileSync(out, 'utf8').includes('"He said ""no"", twice\r\nand left"'));
    assert.equal(rows.find((r) => r[3] === 'officer')![7], 'suggestion');
  });
});

describe('export: brat', () => {
  it('writes <id with / as __>.txt and .ann, the text exactly, and annotation.conf with the labels', async () => {
    const { root, expected } = buildCorpus();
    const { out } = await run(root, 'brat');
    assert.deepEqual(fs.readdirSync(out).sort(), [
      '.misconduct-export.json',
      'annotation.conf',
      'crlf-emoji.txt.ann',
      'crlf-emoji.txt.txt',
      'done-empty.txt.ann',
      'done-empty.txt.txt',
      'sub__dir__plain.txt.ann',
      'sub__dir__plain.txt.txt',
    ]);
    assert.equal(fs.readFileSync(path.join(out, 'crlf-emoji.txt.txt'), 'utf8'), EMOJI_TEXT, 'no BOM, CRLF kept');
    const conf = fs.readFileSync(path.join(out, 'annotation.conf'), 'utf8');
    assert.match(conf, /\[entities\]\nallegation\nforce\nofficer\nplace\nsanction\nstatement\n/);
    const spans: ExpectedSpan[] = [];
    for (const name of fs.readdirSync(out).filter((n) => n.endsWith('.ann'))) {
      const txt = fs.readFileSync(path.join(out, name.replace(/\.ann$/, '.txt')), 'utf8');
      const id = name.replace(/\.ann$/, '').replace(/__/g, '/');
      for (const line of fs.readFileSync(path.join(out, name), 'utf8').split('\n').filter(Boolean)) {
        const [tag, typeAndOffsets, text] = line.split('\t');
        if (tag.startsWith('#')) continue;
        const [label, ...rest] = typeAndOffsets.split(' ');
        const frags = rest.join(' ').split(';').map((f) => f.split(' ').map(Number));
        assert.equal(text, frags.map(([s, e]) => cpSlice(txt, s, e)).join(' '));
        for (const [s, e] of frags) assert.doesNotMatch(cpSlice(txt, s, e), /[\r\n]/);
        spans.push({ file: id, start: frags[0][0], end: frags[frags.length - 1][1], label, text: cpSlice(txt, frags[0][0], frags[frags.length - 1][1]) });
      }
    }
    assert.deepEqual(sortSpans(spans), expected);
  });

  it('splits a span over a line break into fragments, and writes notes on one line', async () => {
    const { root } = buildCorpus();
    const { out } = await run(root, 'brat');
    const ann = fs.readFileSync(path.join(out, 'crlf-emoji.txt.ann'), 'utf8').split('\n');
    const statement = ann.find((l) => l.includes('\tstatement '))!;
    const s = Array.from(EMOJI_TEXT.slice(0, EMOJI_TEXT.indexOf('Jane'))).length;
    assert.equal(statement.split('\t').slice(1).join('\t'), `statement ${s} ${s + 14};${s + 16} ${s + 29}\tJane Doe said: the behaviour`);
    const allegationTag = ann.find((l) => l.includes('\tallegation '))!.split('\t')[0];
    assert.ok(ann.includes(`#1\tAnnotatorNotes ${allegationTag}\tHe said "no", twice and left`));
  });

  it('computes fragments in code points', () => {
    const a = { start: 10, end: 17, text: 'a😀\r\nb\nc' } as Annotation;
    assert.deepEqual(bratFragments(a), [
      [10, 12],
      [14, 15],
      [16, 17],
    ]);
  });

  it('gives a second article whose name is taken a ~2 suffix and warns', async () => {
    const { root } = buildCorpus({ extra: [{ id: 'sub__dir__plain.txt', text: 'Kent Police.\n', spans: [{ quote: 'Kent Police', label: 'force' }] }] });
    const { out, warnings } = await run(root, 'brat');
    assert.ok(fs.existsSync(path.join(out, 'sub__dir__plain.txt~2.txt')));
    assert.ok(fs.existsSync(path.join(out, 'sub__dir__plain.txt~2.ann')));
    assert.ok(warnings.some((w) => w.kind === 'name-collision'));
  });

  it('with force, replaces the files of an earlier export and keeps files it did not write', async () => {
    const { root } = buildCorpus();
    const { out } = await run(root, 'brat');
    fs.writeFileSync(path.join(out, 'stale.ann'), '');
    fs.writeFileSync(path.join(out, 'crlf-emoji.txt.ann'), 'edited by hand');
    await exportDataset(nodeFileSystem, root, { format: 'brat', out, force: true });
    assert.ok(fs.existsSync(path.join(out, 'stale.ann')), 'a file the export did not write stays');
    assert.notEqual(fs.readFileSync(path.join(out, 'crlf-emoji.txt.ann'), 'utf8'), 'edited by hand', 'its own files are replaced');
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['brat'], 'no temp or backup folder left');
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'brat', out: root }), ExportTargetError);
    assert.ok(fs.existsSync(path.join(root, 'crlf-emoji.txt')));
  });
});

describe('export: conll', () => {
  it('writes -DOCSTART- per article and four columns TOKEN -X- _ TAG with IOB2 tags', async () => {
    const { root } = buildCorpus();
    const { out } = await run(root, 'conll');
    const text = fs.readFileSync(out, 'utf8');
    const lines = text.split('\n');
    assert.equal(lines.filter((l) => l === '-DOCSTART- -X- O O').length, 3);
    for (const l of lines.filter(Boolean)) assert.match(l, /^\S+ -X- (_|O) (O|[BI]-[a-z][a-z0-9_-]*)$/);
    const pairs = lines.filter((l) => l && !l.startsWith('-DOCSTART-')).map((l) => [l.split(' ')[0], l.split(' ')[3]]);
    const at = pairs.findIndex(([w]) => w === 'Hampshire');
    assert.deepEqual(pairs.slice(at, at + 3), [
      ['Hampshire', 'B-force'],
      ['Constabulary', 'I-force'],
      ['sacked', 'B-sanction'],
    ]);
    const pc = pairs.findIndex(([w]) => w === 'PC');
    assert.deepEqual(pairs.slice(pc, pc + 4), [
      ['PC', 'B-officer'],
      ['Smith', 'I-officer'],
      ['😀', 'I-officer'],
      ['after', 'O'],
    ]);
    assert.ok(text.endsWith('\n\n'));
  });

  it('reports the span overlapping a longer one, and a span across a sentence break', async () => {
    const { root } = buildCorpus();
    const { warnings } = await run(root, 'conll');
    const overlaps = warnings.filter((w) => w.kind === 'overlap');
    assert.equal(overlaps.length, 1);
    assert.match(overlaps[0].message, /\(place\) "Hampshire" at 0–9 overlaps a longer span/);
    assert.equal(overlaps[0].file, 'crlf-emoji.txt');
    assert.ok(warnings.some((w) => w.kind === 'crosses-sentence' && w.message.includes('statement')));
  });

  it('writes tokens Python would split (\\x85, \\x1c) as U+FFFD, keeping four columns', async () => {
    const { root } = buildCorpus({ controls: true });
    const { out } = await run(root, 'conll');
    const text = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(text, /[\u001c-\u001f\u0085]/);
    assert.match(text, /^\uFFFD -X- _ O$/m);
  });
});

describe('export: webanno', () => {
  it('writes one AnnotationCollection with quote and position selectors in code points', async () => {
    const { root, expected } = buildCorpus();
    const { out } = await run(root, 'webanno');
    const c = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(c['@context'], 'http://www.w3.org/ns/anno.jsonld');
    assert.equal(c.type, 'AnnotationCollection');
    assert.equal(c.total, expected.length);
    const items: WebAnnotation[] = c.first.items;
    const spans = items.map((a) => {
      const quote = a.target.selector.find((s) => s.type === 'TextQuoteSelector')!;
      const pos = a.target.selector.find((s) => s.type === 'TextPositionSelector')!;
      const file = decodeURIComponent(a.target.source.replace('urn:misconduct-annotator:article:', ''));
      const article = articleText(root, file);
      assert.equal(quote.prefix ?? '', cpSlice(article, Math.max(0, pos.start - 32), pos.start));
      assert.equal(quote.suffix ?? '', cpSlice(article, pos.end, pos.end + 32));
      const tag = a.body.find((b) => b.purpose === 'tagging')!;
      return { file, start: pos.start, end: pos.end, label: tag.value, text: quote.exact };
    });
    assert.deepEqual(sortSpans(spans), expected);
    const noted = items.find((a) => a.body.some((b) => b.purpose === 'commenting'))!;
    assert.equal(noted.body.find((b) => b.purpose === 'commenting')!.value, 'He said "no", twice\r\nand left');
  });
});

describe('export: labelstudio', () => {
  it('writes tasks with labels results in code points; a done article without spans has an empty result', async () => {
    const { root, expected } = buildCorpus();
    const { out } = await run(root, 'labelstudio', { includeUnannotated: true });
    const tasks: LabelStudioTask[] = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(tasks.length, 5);
    const spans = tasks.flatMap((t) =>
      t.annotations.flatMap((a) =>
        a.result.map((r) => {
          assert.equal(r.type, 'labels');
          assert.equal(r.from_name, 'label');
          assert.equal(r.to_name, 'text');
          assert.equal(cpSlice(t.data.text, r.value.start, r.value.end), r.value.text);
          return { file: t.data.file, start: r.value.start, end: r.value.end, label: r.value.labels[0], text: r.value.text };
        }),
      ),
    );
    assert.deepEqual(sortSpans(spans), expected);
    const byFile = Object.fromEntries(tasks.map((t) => [t.data.file, t]));
    assert.deepEqual(byFile['done-empty.txt'].annotations, [{ result: [] }]);
    assert.deepEqual(byFile['unannotated.md'].annotations, []);
  });

  it('offers the matching labeling config', () => {
    assert.equal(
      labelStudioConfig(['sanction', 'force']),
      '<View>\n  <Labels name="label" toName="text">\n    <Label value="force"/>\n    <Label value="sanction"/>\n  </Labels>\n  <Text name="text" value="$text"/>\n</View>',
    );
  });

  it('writes an empty array for an empty export', async () => {
    const root = tempDir();
    const { out } = await run(root, 'labelstudio');
    assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), []);
  });
});

describe('export: split', () => {
  it('parses two or three percentages adding up to 100', () => {
    assert.deepEqual(parseSplit('80,10,10'), { parts: ['train', 'dev', 'test'], weights: [80, 10, 10] });
    assert.deepEqual(parseSplit('90, 10'), { parts: ['train', 'test'], weights: [90, 10] });
    for (const bad of ['80,10', '100', '50,50,50,50', 'a,b,c', '-10,60,50']) assert.throws(() => parseSplit(bad), SplitSyntaxError, bad);
  });

  it('assigns by seed and id alone: deterministic, close to the proportions, different per seed', () => {
    const split = parseSplit('80,10,10');
    const ids = Array.from({ length: 2000 }, (_, i) => `folder/article-${i}.txt`);
    const a = ids.map((id) => assignPart(split, 7, id));
    assert.deepEqual(
      ids.map((id) => assignPart(split, 7, id)),
      a,
    );
    const share = (p: string) => a.filter((x) => x === p).length / ids.length;
    assert.ok(Math.abs(share('train') - 0.8) < 0.04, `train ${share('train')}`);
    assert.ok(Math.abs(share('dev') - 0.1) < 0.03, `dev ${share('dev')}`);
    const b = ids.map((id) => assignPart(split, 8, id));
    assert.ok(b.some((x, i) => x !== a[i]));
    assert.ok(ids.every((id) => assignPart(parseSplit('100,0,0'), 1, id) === 'train'));
  });

  it('names part files before the extension', () => {
    assert.equal(partFilePath('/x/data.jsonl', 'train'), '/x/data.train.jsonl');
    assert.equal(partFilePath('/x.d/data', 'dev'), '/x.d/data.dev');
    assert.equal(partFilePath('C:\\x\\.hidden', 'test'), 'C:\\x\\.hidden.test');
  });

  it('writes one file per part, the same for the same seed, and never moves an article when others are added', async () => {
    const extra = Array.from({ length: 30 }, (_, i) => ({ id: `more/a${i}.txt`, text: `Kent Police case ${i}.\n`, spans: [{ quote: 'Kent Police', label: 'force' }] }));
    const { root } = buildCorpus({ extra });
    const first = await run(root, 'jsonl', { split: parseSplit('60,20,20'), seed: 42 });
    const second = await run(root, 'jsonl', { split: parseSplit('60,20,20'), seed: 42 });
    assert.deepEqual(fs.readdirSync(first.outDir).sort(), ['data.dev.jsonl', 'data.test.jsonl', 'data.train.jsonl']);
    const partsOf = (dir: string) =>
      Object.fromEntries(
        ['train', 'dev', 'test'].flatMap((p) =>
          fs
            .readFileSync(path.join(dir, `data.${p}.jsonl`), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => [JSON.parse(l).id, p]),
        ),
      );
    const a = partsOf(first.outDir);
    assert.deepEqual(partsOf(second.outDir), a);
    for (const p of ['train', 'dev', 'test']) {
      assert.equal(fs.readFileSync(path.join(first.outDir, `data.${p}.jsonl`), 'utf8'), fs.readFileSync(path.join(second.outDir, `data.${p}.jsonl`), 'utf8'));
      assert.ok(Object.values(a).includes(p), `${p} is not empty`);
    }
    assert.equal(Object.keys(a).length, 33);
    assert.deepEqual(first.summary.parts && Object.values(first.summary.parts).reduce((n, p) => n + p.articles, 0), 33);

    fs.writeFileSync(path.join(root, 'more', 'new.txt'), 'Kent Police again.\n');
    fs.copyFileSync(path.join(root, 'more', 'a0.txt.annotations.json'), path.join(root, 'more', 'new.txt.annotations.json'));
    const third = await run(root, 'jsonl', { split: parseSplit('60,20,20'), seed: 42, includeUnannotated: true });
    const c = partsOf(third.outDir);
    for (const [id, part] of Object.entries(a)) assert.equal(c[id], part, id);
    const other = partsOf((await run(root, 'jsonl', { split: parseSplit('60,20,20'), seed: 43 })).outDir);
    assert.ok(Object.entries(a).some(([id, p]) => other[id] !== p), 'another seed gives another split');
  });

  it('writes brat parts as subfolders, each with its annotation.conf', async () => {
    const { root } = buildCorpus();
    const { out } = await run(root, 'brat', { split: parseSplit('34,33,33'), seed: 1 });
    assert.deepEqual(fs.readdirSync(out).sort(), ['.misconduct-export.json', 'dev', 'test', 'train']);
    for (const p of ['dev', 'test', 'train']) assert.ok(fs.existsSync(path.join(out, p, 'annotation.conf')));
    const names = ['dev', 'test', 'train'].flatMap((p) => fs.readdirSync(path.join(out, p)).filter((n) => n.endsWith('.ann')));
    assert.deepEqual(names.sort(), ['crlf-emoji.txt.ann', 'done-empty.txt.ann', 'sub__dir__plain.txt.ann']);
  });
});

describe('export: problems', () => {
  it('reports an invalid sidecar by file, leaves its article out and still writes the rest', async () => {
    const { root, expected } = buildCorpus({ broken: true });
    const { out, summary, warnings } = await run(root, 'csv');
    assert.equal(summary.skipped.invalid, 1);
    assert.ok(summary.errors > 0);
    const errors = warnings.filter((w) => w.severity === 'error');
    assert.ok(errors.every((e) => e.file === path.join(root, 'broken.txt.annotations.json')));
    assert.ok(errors.some((e) => /does not match the article/.test(e.message)));
    const rows = parseCsv(fs.readFileSync(out, 'utf8')).slice(1);
    assert.equal(rows.length, expected.length);
    assert.ok(!rows.some((r) => r[0] === 'broken.txt'));
  });

  it('leaves orphaned annotations out and reports each', async () => {
    const { root } = buildCorpus();
    const { summary, warnings } = await run(root, 'jsonl');
    assert.equal(summary.skipped.orphaned, 1);
    const orphans = warnings.filter((w) => w.kind === 'orphaned');
    assert.equal(orphans.length, 1);
    assert.match(orphans[0].message, /"unacceptable"/);
    assert.equal(summary.errors, 0);
  });

  it('exports a changed article at its re-anchored offsets and says so', async () => {
    const { root, expected } = buildCorpus();
    const file = path.join(root, 'sub', 'dir', 'plain.txt');
    fs.writeFileSync(file, 'UPDATE: ' + fs.readFileSync(file, 'utf8'));
    const { out, summary, warnings } = await run(root, 'jsonl');
    const doc = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).find((d) => d.id === 'sub/dir/plain.txt');
    assert.deepEqual(
      doc.spans.map((s: ExpectedSpan) => [s.start, s.text]),
      expected.filter((e) => e.file === 'sub/dir/plain.txt').map((e) => [e.start + 8, e.text]),
    );
    for (const s of doc.spans) assert.equal(cpSlice(doc.text, s.start, s.end), s.text);
    assert.ok(warnings.some((w) => w.kind === 'reanchored' && w.file === 'sub/dir/plain.txt'));
    assert.equal(summary.errors, 0);
  });

  it('reports an article that is not UTF-8 as an error', async () => {
    const { root } = buildCorpus();
    fs.writeFileSync(path.join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const { summary, warnings } = await run(root, 'jsonl', { includeUnannotated: true });
    assert.equal(summary.skipped.unreadable, 1);
    assert.ok(warnings.some((w) => w.kind === 'unreadable-article' && w.file.endsWith('latin1.txt')));
  });
});

describe('export: streaming and cancellation', () => {
  function recordingSink(events: string[]): ExportSink {
    return {
      async file(p) {
        const inner = await nodeSink.file(p);
        return {
          append: async (t) => {
            events.push(`append ${t.length}`);
            await inner.append(t);
          },
          commit: async () => {
            events.push('commit');
            await inner.commit();
          },
          discard: async () => {
            events.push('discard');
            await inner.discard();
          },
        };
      },
      folder: (p) => nodeSink.folder(p),
    };
  }

  it('hands the writer one article at a time and appends before reading the next', async () => {
    const { root } = buildCorpus();
    const events: string[] = [];
    const outDir = tempDir();
    await exportDataset(nodeFileSystem, root, {
      format: 'jsonl',
      out: path.join(outDir, 'x.jsonl'),
      sink: recordingSink(events),
      onProgress: (p) => events.push(`progress ${p.done}/${p.total}`),
    });
    const firstProgress = events.indexOf('progress 1/5');
    const firstAppend = events.findIndex((e) => e.startsWith('append'));
    assert.ok(firstAppend >= 0 && firstAppend < firstProgress, events.join(', '));
    assert.equal(events[events.length - 1], 'commit');
    assert.deepEqual(
      events.filter((e) => e.startsWith('progress')),
      ['progress 1/5', 'progress 2/5', 'progress 3/5', 'progress 4/5', 'progress 5/5'],
    );
  });

  for (const format of ['jsonl', 'brat', 'webanno', 'cases'] as const) {
    it(`a cancelled ${format} export leaves no file, temp or half-written, and keeps the previous output`, async () => {
      const { root } = buildCorpus();
      const outDir = tempDir();
      const out = path.join(outDir, format === 'brat' || format === 'cases' ? format : `data${EXT[format]}`);
      await exportDataset(nodeFileSystem, root, { format, out, split: parseSplit('50,50') });
      const before = fs.readdirSync(outDir).sort();
      const force = format === 'brat' || format === 'cases';
      const snapshot = (p: string): string => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().map((n) => `${n}:${snapshot(path.join(p, n))}`).join('|') : fs.readFileSync(p, 'utf8'));
      const contents = before.map((n) => snapshot(path.join(outDir, n)));
      const controller = new AbortController();
      await assert.rejects(
        exportDataset(nodeFileSystem, root, {
          format,
          out,
          split: parseSplit('50,50'),
          includeUnannotated: true,
          force,
          signal: controller.signal,
          onProgress: (p) => p.done === 2 && controller.abort(),
        }),
        (err: Error) => err.name === 'AbortError',
      );
      assert.deepEqual(fs.readdirSync(outDir).sort(), before);
      assert.deepEqual(before.map((n) => snapshot(path.join(outDir, n))), contents);
    });
  }

  it('a signal aborted before the start creates nothing', async () => {
    const { root } = buildCorpus();
    const outDir = tempDir();
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'csv', out: path.join(outDir, 'x.csv'), signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(fs.readdirSync(outDir), []);
  });

  it('a failing write discards every temp file and rethrows', async () => {
    const { root } = buildCorpus();
    const outDir = tempDir();
    let appends = 0;
    const failing: ExportSink = {
      async file(p) {
        const inner = await nodeSink.file(p);
        return { ...inner, append: async (t) => (++appends > 2 ? Promise.reject(new Error('disk full')) : inner.append(t)), commit: () => inner.commit(), discard: () => inner.discard() };
      },
      folder: (p) => nodeSink.folder(p),
    };
    await assert.rejects(exportDataset(nodeFileSystem, root, { format: 'jsonl', out: path.join(outDir, 'x.jsonl'), sink: failing, split: parseSplit('50,50') }), /disk full/);
    assert.deepEqual(fs.readdirSync(outDir), []);
  });
});
