/**
 * An article's files read ahead while the workbench opens its tab (src/extension/store/filePrefetch.ts):
 * the load takes them when they are unchanged, and reads again when either changed in between.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { api, closeAll, openArticle, workspaceDir } from './helpers';

const TEXT = 'Kent Police dismissed PC Jones for gross misconduct.\n';

function writeArticle(name: string, spans: Array<[string, string]>): string {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, TEXT);
  const map = new OffsetMap(TEXT);
  const annotations = spans.map(([quote, label], i) => makeAnnotation(map, TEXT.indexOf(quote), TEXT.indexOf(quote) + quote.length, label, { id: `r${i}` }));
  fs.writeFileSync(file + '.annotations.json', serializeSidecar({ version: 1, article: { file: name, sha256: createHash('sha256').update(TEXT).digest('hex'), length: map.length }, annotations }));
  return file;
}

describe('reading an article ahead while its tab opens', function () {
  this.timeout(60_000);
  after(closeAll);

  it('loads the spans read ahead when nothing changed since', async () => {
    const file = writeArticle(`ahead-${process.pid}-a.txt`, [['Kent Police', 'force']]);
    const { store } = await api();
    assert.equal(await store.prefetch.readAhead(vscode.Uri.file(file)), true);
    const { session } = await openArticle(file);
    assert.equal(store.prefetch.holds(vscode.Uri.file(file)), false, 'the load took the read');
    assert.deepEqual(session.doc.all().map((s) => [s.label, s.text]), [['force', 'Kent Police']]);
  });

  it('reads the sidecar again when it changed between the tab opening and the load', async () => {
    const file = writeArticle(`ahead-${process.pid}-b.txt`, [['Kent Police', 'force']]);
    const { store } = await api();
    assert.equal(await store.prefetch.readAhead(vscode.Uri.file(file)), true);
    // another program (git, a teammate's sync) rewrites the sidecar before the editor is ready
    writeArticle(`ahead-${process.pid}-b.txt`, [['Kent Police', 'force'], ['dismissed', 'sanction']]);
    const { session } = await openArticle(file);
    assert.deepEqual(session.doc.all().map((s) => [s.label, s.text]), [['force', 'Kent Police'], ['sanction', 'dismissed']]);
  });

  it('reads nothing ahead for a file without a sidecar', async () => {
    const file = path.join(workspaceDir(), `ahead-${process.pid}-c.log`);
    fs.writeFileSync(file, 'not an article');
    const { store } = await api();
    assert.equal(await store.prefetch.readAhead(vscode.Uri.file(file)), false);
    assert.equal(store.prefetch.holds(vscode.Uri.file(file)), false);
  });
});
