/**
 * Case records in the exports (issue 31): case_records.csv and case_evidence.csv in the cases
 * format's folder, read back through the RFC 4180 parser; the jsonl lines' "cases".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseRecord, serializeCase } from '../../src/core/cases';
import { defaultDocumentFields } from '../../src/core/codebook';
import { cli, copySamples, tempDir } from './helpers';
import { parseCsv } from './fixtures/export/csv';

const S3 = '003_bb0ef3ef7eedfb27.txt';
const S0 = '000_fafa6f8612fe896a.txt';

function table(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...rows] = parseCsv(text);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

const twoOfficers: CaseRecord = {
  version: 1,
  id: 'c-two',
  title: 'Two serving Met officers, sex workers',
  fields: { force: 'metropolitan', officer_status: 'serving', outcome: 'reflective_practice', standards: ['discreditable_conduct', 'honesty_and_integrity'], barred_list: false, extra_field: '=cmd()' },
  evidence: [
    { id: 'e-2', file: S3, relation: 'r-35d2382219dd', field: 'outcome', quote: 'using prostitutes → reflective practice and management action' },
    { id: 'e-1', file: S3, annotation: 'a-9849ca2e1a0e', quote: 'The two officers' },
    { id: 'e-3', file: 'gone.txt', annotation: 'a-1', quote: 'x, "y"' },
  ],
  created: '2026-12-07T10:00:00Z',
};

function writeCases(folder: string, ...records: CaseRecord[]): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const r of records) fs.writeFileSync(path.join(folder, `${r.id}.case.json`), serializeCase(r));
}

describe('export: case records', () => {
  it('writes case_records.csv and case_evidence.csv beside cases.csv, and reports broken evidence', async () => {
    const corpus = copySamples();
    fs.rmSync(path.join(corpus, 'cases'), { recursive: true, force: true });
    const casesDir = path.join(tempDir(), 'my-cases');
    writeCases(casesDir, twoOfficers, { ...twoOfficers, id: 'c-one', title: 'one', fields: {}, evidence: [{ id: 'e-1', file: S0, quote: 'q' }] });
    // two of its articles name their publication date (imported from web pages)
    for (const [file, published] of [[S3, '2024-03-05T09:30:00Z'], [S0, '2023-11-20']]) {
      const sidecar = path.join(corpus, `${file}.annotations.json`);
      fs.writeFileSync(sidecar, JSON.stringify({ ...JSON.parse(fs.readFileSync(sidecar, 'utf8')), source: { published } }));
    }
    writeCases(casesDir, { ...twoOfficers, id: 'c-both', title: 'both', fields: {}, evidence: [{ id: 'e-1', file: S3, quote: 'q' }, { id: 'e-2', file: S0, quote: 'q' }] });
    const out = path.join(tempDir(), 'cases');
    const run = await cli('export', corpus, '--format', 'cases', '--out', out, '--cases', casesDir);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /and 3 case record\(s\)/);
    assert.match(run.err, /gone\.txt: warning: case c-two, evidence e-3: its article "gone\.txt" is missing/);
    assert.deepEqual(fs.readdirSync(out).filter((n) => n.endsWith('.csv')).sort(), ['case_evidence.csv', 'case_records.csv', 'cases.csv', 'relations.csv']);

    const records = table(fs.readFileSync(path.join(out, 'case_records.csv'), 'utf8'));
    const fields = defaultDocumentFields().map((f) => f.name);
    assert.deepEqual(records.header, ['case_id', 'title', ...fields, 'extra_field', 'n_articles', 'files', 'first_published', 'last_published']);
    assert.deepEqual(records.rows.map((r) => r.case_id), ['c-both', 'c-one', 'c-two']);
    // the case in time order: its earliest and latest report
    assert.deepEqual([records.rows[0].first_published, records.rows[0].last_published], ['2023-11-20', '2024-03-05T09:30:00Z']);
    assert.deepEqual([records.rows[1].first_published, records.rows[1].last_published], ['2023-11-20', '2023-11-20']);
    const two = records.rows[2];
    assert.equal(two.standards, 'discreditable_conduct; honesty_and_integrity');
    assert.equal(two.barred_list, 'false');
    assert.equal(two.extra_field, "'=cmd()", 'a cell a spreadsheet would run is defused');
    assert.equal(two.n_articles, '2');
    assert.equal(two.files, `${S3}; gone.txt`);
    assert.deepEqual([two.first_published, two.last_published], ['2024-03-05T09:30:00Z', '2024-03-05T09:30:00Z']);

    const evidence = table(fs.readFileSync(path.join(out, 'case_evidence.csv'), 'utf8'));
    assert.deepEqual(evidence.header, ['case_id', 'evidence_id', 'file', 'annotation_id', 'relation_id', 'field', 'label', 'quote']);
    assert.deepEqual(
      evidence.rows.filter((r) => r.case_id === 'c-two').map((r) => [r.evidence_id, r.file, r.annotation_id, r.relation_id, r.field, r.label, r.quote]),
      [
        ['e-1', S3, 'a-9849ca2e1a0e', '', '', 'officer', 'The two officers'],
        ['e-2', S3, '', 'r-35d2382219dd', 'outcome', 'outcome', 'using prostitutes → reflective practice and management action'],
        ['e-3', 'gone.txt', 'a-1', '', '', '', 'x, "y"'],
      ],
    );
    // cases.csv is as it was: one row per article, no case columns
    assert.equal(table(fs.readFileSync(path.join(out, 'cases.csv'), 'utf8')).header[0], 'file');
  });

  it('writes the two files with a header alone when there are no case records', async () => {
    const corpus = copySamples();
    const out = path.join(tempDir(), 'cases');
    assert.equal((await cli('export', corpus, '--format', 'cases', '--out', out, '--cases', path.join(tempDir(), 'none'))).code, 0);
    assert.equal(fs.readFileSync(path.join(out, 'case_evidence.csv'), 'utf8'), 'case_id,evidence_id,file,annotation_id,relation_id,field,label,quote\r\n');
    assert.match(fs.readFileSync(path.join(out, 'case_records.csv'), 'utf8'), /^case_id,title,force,.*,n_articles,files,first_published,last_published\r\n$/);
  });

  it('gives each jsonl line the cases whose evidence names its article (default folder: <corpus>/cases)', async () => {
    const corpus = copySamples();
    fs.rmSync(path.join(corpus, 'cases'), { recursive: true, force: true });
    writeCases(path.join(corpus, 'cases'), twoOfficers, { ...twoOfficers, id: 'c-also', evidence: [{ id: 'e-1', file: S3, quote: 'Met' }] });
    const out = path.join(tempDir(), 'data.jsonl');
    const run = await cli('export', corpus, '--format', 'jsonl', '--out', out);
    assert.equal(run.code, 0, run.err);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.find((l) => l.id === S3).cases, ['c-also', 'c-two']);
    assert.deepEqual(lines.find((l) => l.id === S0).cases, []);
    assert.ok(lines.every((l) => !l.id.startsWith('cases/')), 'the cases folder is not walked as articles');
  });
});
