import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem, FileSystem } from '../../src/core/fileSystem';
import { loadArticleSidecar, parseSidecar, SidecarError, sidecarPathFor } from '../../src/core/sidecar';
import { serializeSidecar, newSidecar } from '../../src/core/sidecarEncoding';
import { SidecarProtectedError, writeSidecar } from '../../src/core/sidecarWrite';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Sidecar } from '../../src/core/schema';
import { copySamples, tempDir } from './helpers';

const ARTICLE = '002_15c05126c182eb79.txt';

function validSidecar(): Sidecar {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../../samples/corpus', ARTICLE + '.annotations.json'), 'utf8'));
}

function problemsOf(json: unknown, file = 'story.txt.annotations.json'): SidecarError {
  try {
    parseSidecar(file, typeof json === 'string' ? json : JSON.stringify(json));
  } catch (err) {
    if (err instanceof SidecarError) return err;
    throw err;
  }
  assert.fail('expected the sidecar to be rejected');
}

describe('sidecar schema', () => {
  it('accepts the sample sidecars', () => {
    const s = parseSidecar('x', JSON.stringify(validSidecar()));
    assert.equal(s.annotations[0].text, 'Hampshire');
  });

  it('names the file, the annotation and the field when a type is wrong', () => {
    const s = validSidecar() as unknown as { annotations: Record<string, unknown>[] };
    s.annotations[1].start = 'thirty-six';
    const err = problemsOf(s);
    assert.equal(err.kind, 'schema');
    assert.match(err.message, /^story\.txt\.annotations\.json: annotation #2 \(a-15c001\): "start" should be a number/);
  });

  it('reports a missing field', () => {
    const s = validSidecar() as unknown as { annotations: Record<string, unknown>[] };
    delete s.annotations[0].label;
    assert.match(problemsOf(s).message, /annotation #1 \(a-15c000\): "label" is missing/);
  });

  it('rejects a label that is not a lower-case identifier', () => {
    const s = validSidecar();
    s.annotations[0].label = 'Force';
    assert.match(problemsOf(s).message, /"label" a label must start with a lower-case letter/);
  });

  it('rejects unknown fields, so typos do not pass silently', () => {
    const s = validSidecar() as unknown as { annotations: Record<string, unknown>[] };
    s.annotations[0].nte = 'typo';
    assert.match(problemsOf(s).message, /has unknown field "nte"/);
  });

  it('rejects a newer version with words that say what to do', () => {
    const err = problemsOf({ ...validSidecar(), version: 2 });
    assert.equal(err.kind, 'version');
    assert.match(err.message, /newer Misconduct Annotator \(sidecar version 2.*update the extension/);
  });

  it('rejects invalid JSON', () => {
    const err = problemsOf('{"version": 1,');
    assert.equal(err.kind, 'json');
    assert.match(err.message, /is not valid JSON/);
  });

  it('rejects git conflict markers before trying to parse', () => {
    const text = serializeSidecar(validSidecar()).replace('"annotations": [', '<<<<<<< HEAD\n"annotations": [\n=======\n"annotations": [\n>>>>>>> theirs');
    const err = problemsOf(text);
    assert.equal(err.kind, 'conflict');
    assert.match(err.message, /merge conflict markers/);
  });
});

describe('sidecar against its article', () => {
  let dir: string;
  beforeEach(() => {
    dir = copySamples();
  });

  async function load(mutate: (s: Sidecar) => void) {
    const sidecarFile = path.join(dir, ARTICLE + '.annotations.json');
    const s = validSidecar();
    mutate(s);
    fs.writeFileSync(sidecarFile, JSON.stringify(s));
    return loadArticleSidecar(nodeFileSystem, path.join(dir, ARTICLE));
  }

  it('loads a consistent sidecar', async () => {
    const state = await load(() => undefined);
    assert.equal(state.kind, 'ok');
  });

  it('reports text that does not match the slice, quoting both', async () => {
    const state = await load((s) => (s.annotations[0].text = 'Hamster'));
    assert.equal(state.kind, 'invalid');
    assert.match(state.kind === 'invalid' ? state.error.message : '', /annotation #1 \(a-15c000\): text "Hamster" does not match the article, which has "Hampshire" at 2–11/);
  });

  it('reports offsets past the end', async () => {
    const state = await load((s) => {
      s.annotations[0].start = 5000;
      s.annotations[0].end = 5009;
    });
    assert.match(state.kind === 'invalid' ? state.error.message : '', /ends at 5009, past the end of the article \(2461 characters\)/);
  });

  it('reports start not before end', async () => {
    const state = await load((s) => (s.annotations[0].end = 2));
    assert.match(state.kind === 'invalid' ? state.error.message : '', /starts at 2 but ends at 2/);
  });

  it('reports duplicate ids', async () => {
    const state = await load((s) => (s.annotations[1].id = s.annotations[0].id));
    assert.match(state.kind === 'invalid' ? state.error.message : '', /annotation #2 \(a-15c000\): has the same id as annotation #1/);
  });

  it('re-anchors instead of failing when the article changed', async () => {
    const articleFile = path.join(dir, ARTICLE);
    fs.writeFileSync(articleFile, 'BREAKING: ' + fs.readFileSync(articleFile, 'utf8'));
    const state = await loadArticleSidecar(nodeFileSystem, articleFile);
    assert.equal(state.kind, 'ok');
    if (state.kind !== 'ok') return;
    assert.ok(state.reanchored);
    const hampshire = state.sidecar.annotations.find((a) => a.id === 'a-15c000');
    assert.deepEqual([hampshire?.start, hampshire?.end, hampshire?.text], [12, 21, 'Hampshire']);
  });
});

describe('writing sidecars', () => {
  it('writes canonical, sorted output that ends in a newline', async () => {
    const dir = tempDir();
    const text = 'Kent Police dismissed PC Smith.';
    fs.writeFileSync(path.join(dir, 'a.txt'), text);
    const map = new OffsetMap(text);
    const s = newSidecar('a.txt', sha256Hex(text), map.length);
    s.annotations.push(makeAnnotation(map, 12, 21, 'sanction', { id: 'a-2', created: '2026-11-22T10:00:00Z' }));
    s.annotations.push(makeAnnotation(map, 0, 11, 'force', { id: 'a-1', created: '2026-11-22T10:00:00Z', attributes: { z: '1', a: '2' } }));
    assert.equal(await writeSidecar(nodeFileSystem, sidecarPathFor(path.join(dir, 'a.txt')), s), 'written');
    const written = fs.readFileSync(path.join(dir, 'a.txt.annotations.json'), 'utf8');
    assert.ok(written.endsWith('}\n'));
    const parsed = JSON.parse(written);
    assert.deepEqual(parsed.annotations.map((a: { id: string }) => a.id), ['a-1', 'a-2']);
    assert.deepEqual(Object.keys(parsed.annotations[0]), ['id', 'label', 'start', 'end', 'text', 'prefix', 'suffix', 'source', 'attributes', 'created']);
    assert.deepEqual(Object.keys(parsed.annotations[0].attributes), ['a', 'z']);
    assert.equal(await writeSidecar(nodeFileSystem, sidecarPathFor(path.join(dir, 'a.txt')), s), 'unchanged');
  });

  it('writes nothing for an article with no annotations and no sidecar', async () => {
    const dir = tempDir();
    const s = newSidecar('a.txt', sha256Hex(''), 0);
    assert.equal(await writeSidecar(nodeFileSystem, path.join(dir, 'a.txt.annotations.json'), s), 'skipped-empty');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  for (const [kind, corrupt] of [
    ['invalid JSON', '{"version": 1, "annotations": [ {"id":'],
    ['conflict markers', '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n'],
    ['a schema failure', '{"version": 1, "article": {}, "annotations": "none"}'],
    ['a newer version', '{"version": 7, "article": {"file": "a.txt"}, "annotations": [], "future": true}'],
  ] as const) {
    it(`never overwrites a sidecar with ${kind}`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'a.txt.annotations.json');
      fs.writeFileSync(file, corrupt);
      const s = newSidecar('a.txt', sha256Hex('x'), 1);
      s.annotations.push(makeAnnotation(new OffsetMap('x'), 0, 1, 'force'));
      await assert.rejects(writeSidecar(nodeFileSystem, file, s), (e: unknown) => e instanceof SidecarProtectedError && e.message.includes(file));
      assert.equal(fs.readFileSync(file, 'utf8'), corrupt);
      assert.deepEqual(fs.readdirSync(dir), ['a.txt.annotations.json']);
    });
  }

  it('leaves the old sidecar intact when the writer dies between temp write and rename', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.txt.annotations.json');
    const old = serializeSidecar(newSidecar('a.txt', sha256Hex('x'), 1));
    fs.writeFileSync(file, old);
    const crashing: FileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw new Error('killed');
      },
    };
    const s = newSidecar('a.txt', sha256Hex('x'), 1);
    s.annotations.push(makeAnnotation(new OffsetMap('x'), 0, 1, 'force'));
    await assert.rejects(writeSidecar(crashing, file, s), /killed/);
    assert.equal(fs.readFileSync(file, 'utf8'), old);
    assert.deepEqual(fs.readdirSync(dir), ['a.txt.annotations.json'], 'the temp file is cleaned up');
  });

  it('reports a read-only folder as an error and loses nothing', async function () {
    if (process.getuid?.() === 0) {
      // root ignores permission bits, so simulate the EACCES the OS would give a normal user
      const dir = tempDir();
      const failing: FileSystem = {
        ...nodeFileSystem,
        writeFile: async () => {
          throw Object.assign(new Error(`EACCES: permission denied, open '${dir}/a.txt.annotations.json.tmp'`), { code: 'EACCES' });
        },
      };
      const s = newSidecar('a.txt', sha256Hex('x'), 1);
      s.annotations.push(makeAnnotation(new OffsetMap('x'), 0, 1, 'force'));
      await assert.rejects(writeSidecar(failing, path.join(dir, 'a.txt.annotations.json'), s), /EACCES/);
      assert.deepEqual(fs.readdirSync(dir), []);
      return;
    }
    const dir = tempDir();
    fs.chmodSync(dir, 0o555);
    const s = newSidecar('a.txt', sha256Hex('x'), 1);
    s.annotations.push(makeAnnotation(new OffsetMap('x'), 0, 1, 'force'));
    await assert.rejects(writeSidecar(nodeFileSystem, path.join(dir, 'a.txt.annotations.json'), s), /EACCES|EPERM/);
  });
});
