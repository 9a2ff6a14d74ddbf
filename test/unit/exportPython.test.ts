/**
 * The exports as real consumers read them, in Python: NLTK's ConllCorpusReader for CoNLL, the W3C
 * Web Annotation test schemas (python3-jsonschema) for webanno, and a plain-Python reader that
 * checks `article[start:end] == text` for the offset formats. Needs python3-nltk and
 * python3-jsonschema; fails (never skips) without them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { ExportFormat, exportDataset, parseSplit } from '../../src/core/export';
import { sentences } from '../../src/core/tokens';
import { tempDir } from './helpers';
import { buildCorpus, ExpectedSpan, sortSpans } from './fixtures/export/corpus';
import { buildCaseCorpus, EXPECTED_LINKS } from './fixtures/export/caseCorpus';
import { python, runPython, W3C_TESTS } from './fixtures/export/python';

interface ReadBack {
  spans: Array<ExpectedSpan & { note?: string; fragments?: number[][] }>;
  /** `[file, type, from text, to text]` per relation. */
  links: string[][];
  errors: string[];
}

async function exportTo(root: string, format: ExportFormat, name: string, extra: object = {}): Promise<string> {
  const out = path.join(tempDir('misconduct-export-py-'), name);
  await exportDataset(nodeFileSystem, root, { format, out, ...extra });
  return out;
}

describe('export: read back by Python consumers', function () {
  this.timeout(60_000);

  before(() => {
    python();
    if (!fs.existsSync(path.join(W3C_TESTS, 'definitions'))) {
      throw new Error(`The W3C Web Annotation tests are not at ${W3C_TESTS}; set MISCONDUCT_W3C_TESTS to the web-annotation-tests folder.`);
    }
  });

  for (const [format, name] of [
    ['jsonl', 'data.jsonl'],
    ['csv', 'data.csv'],
    ['webanno', 'data.jsonld'],
    ['labelstudio', 'data.json'],
  ] as const) {
    it(`${format}: every span's text is article[start:end] in Python, emoji and CRLF included`, async () => {
      const { root, expected } = buildCorpus();
      const out = await exportTo(root, format, name);
      const run = runPython<ReadBack>('read_export.py', [format, out, root]);
      assert.deepEqual(run.json.errors, [], run.stderr);
      assert.equal(run.status, 0, run.stderr);
      const spans = run.json.spans.map(({ file, start, end, label, text }) => ({ file, start, end, label, text }));
      assert.deepEqual(sortSpans(spans), expected);
      if (format === 'csv' || format === 'webanno') {
        assert.ok(run.json.spans.some((s) => s.note === 'He said "no", twice\r\nand left'), 'the note survives');
      }
    });
  }

  for (const [format, name] of [
    ['jsonl', 'data.jsonl'],
    ['webanno', 'data.jsonld'],
    ['labelstudio', 'data.json'],
    ['brat', 'brat'],
  ] as const) {
    it(`${format}: every relation joins two spans of its article, read in Python`, async () => {
      const root = buildCaseCorpus();
      const out = await exportTo(root, format, name);
      const run = runPython<ReadBack>('read_export.py', [format, out, root]);
      assert.deepEqual(run.json.errors, [], run.stderr);
      assert.equal(run.status, 0, run.stderr);
      const links = run.json.links.map(([file, ...rest]) => [format === 'brat' ? file.replace(/__/g, '/') : file, ...rest].join(' | '));
      assert.deepEqual(links.sort(), EXPECTED_LINKS);
    });
  }

  it('brat: fragments never cross a line break and join to the span text, in Python', async () => {
    const { root, expected } = buildCorpus();
    const out = await exportTo(root, 'brat', 'brat');
    const run = runPython<ReadBack>('read_export.py', ['brat', out]);
    assert.deepEqual(run.json.errors, []);
    const spans = run.json.spans.map(({ file, start, end, label, text }) => ({ file: file.replace(/__/g, '/'), start, end, label, text }));
    assert.deepEqual(sortSpans(spans), expected);
    assert.ok(run.json.spans.some((s) => s.fragments!.length === 2));
  });

  it('conll: NLTK ConllCorpusReader reads our tokens and tags, and its chunks are the spans', async () => {
    const { root } = buildCorpus({ controls: true });
    const out = await exportTo(root, 'conll', 'data.conll');
    const run = runPython<{ sentences: string[][][]; chunks: Array<[string, string[]]> }>('read_conll.py', [path.dirname(out), path.basename(out)]);
    assert.equal(run.status, 0, run.stderr);

    // the tokens NLTK sees are the shared tokenizer's, sentence by sentence, in corpus order
    const docs = ['controls.txt', 'crlf-emoji.txt', 'done-empty.txt', 'sub/dir/plain.txt'];
    const tokens = docs.flatMap((id) =>
      sentences(fs.readFileSync(path.join(root, id), 'utf8').replace(/^\uFEFF/, '')).map((s) => s.tokens.map((t) => t.text.replace(/[\u001c-\u001f\u0085]/g, '\uFFFD'))),
    );
    assert.deepEqual(
      run.json.sentences.map((s) => s.map(([w]) => w)),
      tokens,
    );

    // every span that is not nested in a longer one comes back as a chunk of its tokens (the
    // span across a line break is cut in two at the sentence break)
    assert.deepEqual(run.json.chunks, [
      ['force', ['Kent', 'Police']],
      ['force', ['Hampshire', 'Constabulary']],
      ['sanction', ['sacked']],
      ['officer', ['PC', 'Smith', '😀']],
      ['allegation', ['misused', ',', 'his', 'position']],
      ['statement', ['Jane', 'Doe', 'said', ':']],
      ['statement', ['the', 'behaviour']],
      ['force', ['Kent', 'Police']],
      ['sanction', ['dismissed']],
      ['allegation', ['gross', 'misconduct']],
      ['sanction', ['barred']],
    ]);
  });

  it('conll: NLTK reads every split part', async () => {
    const { root } = buildCorpus();
    const out = await exportTo(root, 'conll', 'data.conll', { split: parseSplit('50,50'), seed: 3 });
    let total = 0;
    for (const part of ['train', 'test']) {
      const run = runPython<{ chunks: unknown[] }>('read_conll.py', [path.dirname(out), `data.${part}.conll`]);
      assert.equal(run.status, 0, run.stderr);
      total += run.json.chunks.length;
    }
    assert.equal(total, 10);
  });

  it('webanno: valid against the W3C Web Annotation test schemas (collection, page, every annotation)', async () => {
    const { root, expected } = buildCorpus();
    const out = await exportTo(root, 'webanno', 'data.jsonld');
    const run = runPython<{ checked: number; annotations: number; failures: string[] }>('validate_webanno.py', [W3C_TESTS, out]);
    assert.deepEqual(run.json.failures, []);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.json.annotations, expected.length);
    assert.ok(run.json.checked > 100);
  });

  it('webanno: relations as linking annotations are valid against the W3C schemas and target span annotations of the collection', async () => {
    const root = buildCaseCorpus();
    const out = await exportTo(root, 'webanno', 'data.jsonld');
    const run = runPython<{ checked: number; annotations: number; links: number; failures: string[] }>('validate_webanno.py', [W3C_TESTS, out]);
    assert.deepEqual(run.json.failures, []);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.json.links, 5);
    assert.equal(run.json.annotations, 15);

    // and the validator does reject a link whose target is not an annotation of the collection
    const c = JSON.parse(fs.readFileSync(out, 'utf8'));
    const link = c.first.items.find((i: { motivation: string }) => i.motivation === 'linking');
    link.target = [link.target[0], 'urn:misconduct-annotator:annotation:elsewhere/x'];
    delete c.first.items.find((i: { motivation: string }) => i.motivation === 'linking' && i !== link).body;
    fs.writeFileSync(out, JSON.stringify(c));
    const bad = runPython<{ failures: string[] }>('validate_webanno.py', [W3C_TESTS, out]);
    assert.equal(bad.status, 1);
    assert.ok(bad.json.failures.some((f) => f.includes('is not two span annotations')), bad.json.failures.join('\n'));
    assert.ok(bad.json.failures.some((f) => f.includes('3.1-bodyKeyFound')), bad.json.failures.join('\n'));
  });

  it('webanno: the validator does reject a broken annotation', async () => {
    const { root } = buildCorpus();
    const out = await exportTo(root, 'webanno', 'data.jsonld');
    const c = JSON.parse(fs.readFileSync(out, 'utf8'));
    delete c.first.items[0].target;
    c.first.items[1].id = 'not an IRI';
    fs.writeFileSync(out, JSON.stringify(c));
    const run = runPython<{ failures: string[] }>('validate_webanno.py', [W3C_TESTS, out]);
    assert.equal(run.status, 1);
    assert.ok(run.json.failures.some((f) => f.includes('3.1-targetKeyFound')));
    assert.ok(run.json.failures.some((f) => f.includes('3.1-annotationIdValidated')));
  });
});
