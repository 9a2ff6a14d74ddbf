import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CaseFileError,
  CaseProtectedError,
  CaseRecord,
  checkEvidence,
  listCases,
  newCase,
  newCaseId,
  newEvidenceId,
  parseCase,
  serializeCase,
  writeCase,
} from '../../src/core/cases';
import { walkCorpus } from '../../src/core/corpus';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { copySamples, REPO, tempDir } from './helpers';

const T = '2026-12-07T10:00:00Z';

function record(extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    version: 1,
    id: 'c-1',
    title: 'PC A, dismissed',
    fields: { outcome: 'dismissed_without_notice', force: 'metropolitan' },
    evidence: [
      { id: 'e-2', file: 'b.txt', annotation: 'a-2', field: 'outcome', quote: 'dismissed' },
      { id: 'e-1', file: 'dir/a.txt', quote: 'PC A' },
    ],
    created: T,
    ...extra,
  };
}

function problemsOf(text: string): string[] {
  try {
    parseCase('x.case.json', text);
  } catch (err) {
    assert.ok(err instanceof CaseFileError);
    return err.problems;
  }
  assert.fail('parsed');
}

describe('case records: format', () => {
  it('writes one canonical text: fields by name, evidence by id, fixed key order, trailing newline', () => {
    const text = serializeCase(record());
    assert.ok(text.endsWith('}\n'));
    const parsed = JSON.parse(text);
    assert.deepEqual(Object.keys(parsed), ['version', 'id', 'title', 'fields', 'evidence', 'created']);
    assert.deepEqual(Object.keys(parsed.fields), ['force', 'outcome']);
    assert.deepEqual(parsed.evidence.map((e: { id: string }) => e.id), ['e-1', 'e-2']);
    assert.deepEqual(Object.keys(parsed.evidence[1]), ['id', 'file', 'annotation', 'field', 'quote']);
    // reading and writing again gives the same bytes, whatever order the record was built in
    assert.equal(serializeCase(parseCase('x', text)), text);
    assert.equal(serializeCase({ ...record(), evidence: [...record().evidence].reverse() }), text);
  });

  it('makes ids of the published shape', () => {
    assert.match(newCaseId(), /^c-[0-9a-f]{12}$/);
    assert.match(newEvidenceId(), /^e-[0-9a-f]{12}$/);
    assert.doesNotThrow(() => parseCase('x', serializeCase(newCase('t', T))));
  });

  it('refuses what is not a case record, one line per problem naming the file and the evidence', () => {
    assert.deepEqual(problemsOf('{'), ['x.case.json: is not valid JSON']);
    assert.match(problemsOf('{"annotations": []}')[0], /is not a Misconduct Annotator case record/);
    assert.match(problemsOf(JSON.stringify({ ...record(), version: 2 }))[0], /newer Misconduct Annotator/);
    assert.match(problemsOf('<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> b\n')[0], /conflict markers/);
    const bad = { ...record(), evidence: [{ id: 'e-9', file: '../outside.txt', quote: 'q' }, { id: 'x', file: 'a.txt', quote: 'q' }] };
    const lines = problemsOf(JSON.stringify(bad));
    assert.ok(lines.some((l) => /evidence #1 \(e-9\) "file" may not hold empty, "\." or "\.\." parts/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /evidence #2 \(x\) "id" an evidence id is "e-"/.test(l)), lines.join('\n'));
    assert.ok(lines.every((l) => !l.includes('\n') && l.startsWith('x.case.json: ')));
    assert.match(problemsOf(JSON.stringify({ ...record(), id: 'case 1' }))[0], /"id" a case id is "c-"/);
    assert.match(problemsOf(JSON.stringify({ ...record(), extra: 1 }))[0], /unknown field "extra"/);
    assert.match(problemsOf('{"version":1,"id":"c-1","title":"t","fields":{"__proto__":1},"evidence":[],"created":"' + T + '"}')[0], /__proto__/);
    const twice = { ...record(), evidence: [record().evidence[0], record().evidence[0]] };
    assert.deepEqual(problemsOf(JSON.stringify(twice)), ['x.case.json: case c-1: evidence id e-2 is used twice']);
    assert.match(problemsOf(JSON.stringify({ ...record(), evidence: [{ id: 'e-1', file: 'C:/x.txt', quote: '' }] }))[0], /not absolute/);
  });

  it('the published JSON Schema is the one the build generates', () => {
    const published = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'case.schema.json'), 'utf8'));
    assert.equal(published.title, 'Misconduct Annotator case record');
    assert.deepEqual(published.required, ['version', 'id', 'title', 'fields', 'evidence', 'created']);
  });
});

describe('case records: writing', () => {
  it('writes atomically and never over a file that is not a valid case record', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'c-1.case.json');
    assert.equal(await writeCase(nodeFileSystem, file, record()), 'written');
    assert.equal(await writeCase(nodeFileSystem, file, record()), 'unchanged');
    assert.deepEqual(fs.readdirSync(dir), ['c-1.case.json']);
    fs.writeFileSync(file, '{ broken');
    await assert.rejects(writeCase(nodeFileSystem, file, record()), (err) => err instanceof CaseProtectedError && /not a valid case record/.test(err.message));
    assert.equal(fs.readFileSync(file, 'utf8'), '{ broken');
    // nor over another case's record
    fs.writeFileSync(file, serializeCase(record({ id: 'c-2' })));
    await assert.rejects(writeCase(nodeFileSystem, file, record()), /holds case c-2/);
  });
});

describe('case records: a cases folder', () => {
  it('lists valid records and reports, in one line each, what it leaves out', async () => {
    const dir = tempDir();
    const outside = tempDir();
    fs.writeFileSync(path.join(dir, 'c-1.case.json'), serializeCase(record()));
    fs.writeFileSync(path.join(dir, 'c-2.case.json'), serializeCase(record({ id: 'c-3' })));
    fs.writeFileSync(path.join(dir, 'c-4.case.json'), 'not json');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'not a case');
    fs.writeFileSync(path.join(outside, 'c-5.case.json'), serializeCase(record({ id: 'c-5' })));
    fs.symlinkSync(path.join(outside, 'c-5.case.json'), path.join(dir, 'c-5.case.json'));
    const fifo = spawnSync('mkfifo', [path.join(dir, 'c-6.case.json')]).status === 0;
    const listing = await listCases(nodeFileSystem, dir);
    assert.deepEqual(listing.cases.map((c) => c.record.id), ['c-1']);
    const problems = listing.problems.join('\n');
    assert.match(problems, /c-2\.case\.json: holds case c-3, but its name says c-2/);
    assert.match(problems, /c-4\.case\.json: is not valid JSON; left out/);
    assert.match(problems, /c-5\.case\.json: is a link to a file outside the cases folder; left out/);
    if (fifo) assert.match(problems, /c-6\.case\.json: is not a regular file \(a FIFO\); left out/);
    assert.ok(listing.problems.every((l) => !l.includes('\n')));
    assert.deepEqual(await listCases(nodeFileSystem, path.join(dir, 'missing')), { cases: [], problems: [], exists: false });
  });

  it('is skipped by the walk over articles (default "cases", or the folder configured)', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'cases'));
    fs.mkdirSync(path.join(dir, 'records', 'all'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.txt'), 'A');
    fs.writeFileSync(path.join(dir, 'cases', 'README.md'), 'about the cases');
    fs.writeFileSync(path.join(dir, 'records', 'all', 'b.md'), 'B');
    const walk = async (casesFolder?: string | null) => {
      const out: string[] = [];
      for await (const e of walkCorpus(nodeFileSystem, dir, casesFolder === undefined ? {} : { casesFolder })) out.push(e.relativePath);
      return out;
    };
    assert.deepEqual(await walk(), ['a.txt', 'records/all/b.md']);
    assert.deepEqual(await walk('records/all/'), ['a.txt', 'cases/README.md']);
    assert.deepEqual(await walk(null), ['a.txt', 'cases/README.md', 'records/all/b.md']);
  });
});

describe('case records: evidence against the corpus', () => {
  it('reports a missing article, annotation or relation with the case and evidence ids', async () => {
    const dir = copySamples();
    const sample = '003_bb0ef3ef7eedfb27.txt';
    const good: CaseRecord = record({
      evidence: [
        { id: 'e-1', file: sample, annotation: 'a-9849ca2e1a0e', quote: 'The two officers' },
        { id: 'e-2', file: sample, relation: 'r-35d2382219dd', quote: 'using prostitutes → reflective practice and management action' },
      ],
    });
    assert.deepEqual(await checkEvidence(nodeFileSystem, dir, [good]), []);
    const broken: CaseRecord = record({
      id: 'c-9',
      evidence: [
        { id: 'e-1', file: 'renamed.txt', quote: 'x' },
        { id: 'e-2', file: sample, annotation: 'a-gone', quote: 'gone' },
        { id: 'e-3', file: sample, relation: 'r-gone', quote: 'gone' },
        { id: 'e-4', file: sample, annotation: 'a-9849ca2e1a0e', quote: 'Two officers' },
      ],
    });
    const problems = await checkEvidence(nodeFileSystem, dir, [broken]);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.evidenceId, p.message]),
      [
        ['error', 'e-1', 'case c-9, evidence e-1: its article "renamed.txt" is missing (renamed or deleted?)'],
        ['error', 'e-2', `case c-9, evidence e-2: annotation a-gone is not in the sidecar of "${sample}" (removed?); its quote was "gone"`],
        ['error', 'e-3', `case c-9, evidence e-3: relation r-gone is not in the sidecar of "${sample}" (removed?); its quote was "gone"`],
        ['warning', 'e-4', 'case c-9, evidence e-4: annotation a-9849ca2e1a0e now reads "The two officers", not "Two officers"'],
      ],
    );
  });
});
