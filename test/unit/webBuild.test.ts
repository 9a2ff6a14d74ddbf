/**
 * The web build's pieces that run outside VS Code: the SHA-256 and Node module stand-ins the loader
 * gives the dist files in a web worker (src/extension/web), and the export sink over a FileSystem.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { Sha256 } from '../../src/extension/web/sha256';
import { NeedsNodeError, nodeShims } from '../../src/extension/web/nodeShims';
import { FileSystem, nodeFileSystem } from '../../src/core/fileSystem';
import { createFileSystemSink, ExportTargetError, exportDataset } from '../../src/core/export';
import { copySamples, tempDir } from './helpers';

/** node:fs as workspace.fs behaves for the sink: a write makes the folders it needs. */
const webLikeFs: FileSystem = {
  ...nodeFileSystem,
  writeFile: async (p, data) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    await nodeFileSystem.writeFile(p, data);
  },
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('web build', () => {
  it('hashes as node:crypto does, whatever the pieces', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const size of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_000]) {
      const bytes = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
      const hash = new Sha256();
      for (let at = 0; at < size; ) {
        const n = Math.max(1, Math.floor(random() * 200));
        hash.update(bytes.subarray(at, at + n));
        at += n;
      }
      assert.equal(hex(hash.digest()), createHash('sha256').update(bytes).digest('hex'), `${size} bytes`);
    }
  });

  it("gives the dist files node:crypto's, node:buffer's and node:path's answers", () => {
    const crypto = nodeShims.get('crypto') as { createHash(a: string): { update(d: string, e?: string): { digest(e?: string): string } }; randomBytes(n: number): { toString(e: string): string } };
    assert.equal(crypto.createHash('sha256').update('Hampshire Constabulary', 'utf8').digest('hex'), createHash('sha256').update('Hampshire Constabulary').digest('hex'));
    assert.match(crypto.randomBytes(6).toString('hex'), /^[0-9a-f]{12}$/);
    const buffer = nodeShims.get('buffer') as { isUtf8(b: Uint8Array): boolean };
    assert.equal(buffer.isUtf8(new TextEncoder().encode('café')), true);
    assert.equal(buffer.isUtf8(Uint8Array.of(0x63, 0xe9)), false);
    const p = nodeShims.get('path') as typeof path.posix;
    for (const [from, to] of [['/a/b', '/a/b/c/d'], ['/a/b', '/a/x'], ['/a', '/a']]) assert.equal(p.relative(from, to), path.posix.relative(from, to));
    for (const parts of [['/a', 'b', '../c'], ['a', './b'], ['/a/', '/b']]) assert.equal(p.join(...parts), path.posix.join(...parts));
    assert.equal(p.resolve('/a', 'b', '../c'), path.posix.resolve('/a', 'b', '../c'));
    assert.deepEqual([p.basename('/a/b.txt'), p.basename('/a/b.txt', '.txt'), p.dirname('/a/b.txt'), p.extname('/a/b.txt')], ['b.txt', 'b', '/a', '.txt']);
  });

  it('says in one line that a Node-only call needs Node', () => {
    const fsShim = nodeShims.get('fs') as { readFileSync(p: string): unknown };
    assert.throws(() => fsShim.readFileSync('/x'), (err: unknown) => err instanceof NeedsNodeError && /^fs\.readFileSync needs Node\.js: it is not available in VS Code for the Web$/.test((err as Error).message));
  });

  describe('export through a FileSystem (the web sink)', () => {
    it('writes the same dataset as the Node sink', async () => {
      const corpus = copySamples();
      const out = tempDir();
      await exportDataset(nodeFileSystem, corpus, { format: 'jsonl', out: path.join(out, 'node.jsonl') });
      await exportDataset(nodeFileSystem, corpus, { format: 'jsonl', out: path.join(out, 'web.jsonl'), sink: createFileSystemSink(webLikeFs) });
      assert.equal(fs.readFileSync(path.join(out, 'web.jsonl'), 'utf8'), fs.readFileSync(path.join(out, 'node.jsonl'), 'utf8'));
      await exportDataset(nodeFileSystem, corpus, { format: 'brat', out: path.join(out, 'brat'), sink: createFileSystemSink(webLikeFs) });
      assert.ok(fs.readdirSync(path.join(out, 'brat')).some((n) => n.endsWith('.ann')));
      assert.deepEqual(fs.readdirSync(out).filter((n) => n.includes('misconduct-tmp')), [], 'no temp file left');
    });

    it('writes nothing when discarded, and never over files an earlier export did not write', async () => {
      const out = tempDir();
      const sink = createFileSystemSink(webLikeFs);
      const file = await sink.file(path.join(out, 'a.jsonl'));
      await file.append('{}\n');
      await file.discard();
      assert.deepEqual(fs.readdirSync(out), []);
      fs.mkdirSync(path.join(out, 'brat'));
      fs.writeFileSync(path.join(out, 'brat', 'mine.txt'), 'not an export');
      await assert.rejects(sink.folder(path.join(out, 'brat')), ExportTargetError);
      const folder = await sink.folder(path.join(out, 'brat'), { force: true });
      await folder.write('mine.txt', 'replaced');
      await assert.rejects(folder.commit(), /was not written by an earlier export/);
      assert.equal(fs.readFileSync(path.join(out, 'brat', 'mine.txt'), 'utf8'), 'not an export');
    });
  });
});

/**
 * A `vscode` module for the loader test: every name is a function (callable, constructible) whose
 * every name is another, so the dist files' top-level code runs; files are read from the repo.
 */
function stubVscode(): unknown {
  const deep = (): unknown =>
    new Proxy(function () {}, {
      get: (target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : deep()),
      set: () => true,
      apply: () => deep(),
      construct: () => deep() as object,
    });
  const uri = (p: string) => ({ path: p, scheme: 'file', toString: () => `file://${p}` });
  // own names for what the loader uses; every other name from the prototype (esbuild's interop
  // copies a module's own names and keeps its prototype)
  const withOwn = (own: Record<string, unknown>) => Object.create(deep() as object, Object.fromEntries(Object.entries(own).map(([k, value]) => [k, { value, enumerable: true }]))) as object;
  return withOwn({
    Uri: { joinPath: (base: { path: string }, ...parts: string[]) => uri(path.posix.join(base.path, ...parts)) },
    workspace: withOwn({ fs: { readFile: async (u: { path: string }) => new Uint8Array(fs.readFileSync(u.path)) } }),
  });
}

describe('web build: the browser entry', () => {
  it('runs the dist files in a context without Node: every module of the web build evaluates, and activate() is reached', async () => {
    const repo = path.resolve(__dirname, '..', '..', '..');
    const source = fs.readFileSync(path.join(repo, 'dist', 'web', 'extension.js'), 'utf8');
    // a web worker's globals: no process, Buffer, require or setImmediate
    const context = vm.createContext({ console, TextDecoder, TextEncoder, crypto: globalThis.crypto, performance, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, URL, btoa, atob, AbortController, structuredClone });
    const vscode = stubVscode();
    const module = { exports: {} as { activate(c: unknown): Promise<unknown> } };
    vm.runInContext(`(function (module, exports, require) {${source}\n})`, context)(module, module.exports, (r: string) => {
      if (r === 'vscode') return vscode;
      throw new Error(`the browser entry required ${r}`);
    });
    const activated: string[] = [];
    let error: unknown;
    try {
      await module.exports.activate({ extensionUri: { path: repo, scheme: 'file', toString: () => `file://${repo}` }, subscriptions: { push: (...xs: unknown[]) => activated.push(...xs.map(String)) } });
    } catch (err) {
      error = err;
    }
    // the stub is no workbench: activate() may stop on it, but only once it has begun registering
    // what it builds, and never on a missing Node global or module
    assert.ok(activated.length > 0, `activate() registered nothing: ${(error as Error)?.stack}`);
    assert.doesNotMatch(String((error as Error)?.stack ?? ''), /is not defined|needs Node\.js|is not part of the web build|is not available in the web build/);
  });
});
