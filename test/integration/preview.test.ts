/**
 * Opening an article whose sidecar is long: its first spans are painted from a preview before the
 * full load (src/core/sidecarPreview.ts), and they are exactly the spans the load then holds.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import type { SidecarPreview } from '../../src/extension/store/articleStore';
import { api, workspaceDir } from './helpers';

describe('opening an article with a long sidecar', function () {
  this.timeout(60_000);

  it('paints its first spans from a preview, the same spans the full load then holds', async () => {
    // 3,000 lines with emoji (code points ≠ UTF-16) and four spans each: a sidecar of about 3 MB
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`😀 ${i}: PC Jones of Kent Police was dismissed for gross misconduct by the IOPC.`);
    const text = lines.join('\n') + '\n';
    const map = new OffsetMap(text);
    const annotations = [];
    let from = 0;
    for (let i = 0; i < 3000; i++) {
      for (const [quote, label] of [['PC Jones', 'officer'], ['Kent Police', 'force'], ['dismissed', 'sanction'], ['gross misconduct', 'allegation']]) {
        const at = text.indexOf(quote, from);
        annotations.push(makeAnnotation(map, map.toCodePoint(at), map.toCodePoint(at + quote.length), label, { id: `p${annotations.length}` }));
      }
      from = text.indexOf('\n', from) + 1;
    }
    const name = `preview-${process.pid}.txt`;
    const file = path.join(workspaceDir(), name);
    fs.writeFileSync(file, text);
    const json = serializeSidecar({ version: 1, article: { file: name, sha256: createHash('sha256').update(text).digest('hex'), length: map.length }, annotations });
    assert.ok(json.length > 2 * 1024 * 1024, 'the sidecar is long enough to be previewed');
    fs.writeFileSync(file + '.annotations.json', json);

    const { store } = await api();
    const previews: SidecarPreview[] = [];
    const sub = store.onDidPreview((p) => p.uri.fsPath === file && previews.push(p));
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const session = await store.open(editor.document);
      assert.ok(session);
      assert.equal(previews.length, 1, 'one preview, before the load');
      const upTo = editor.document.offsetAt(editor.visibleRanges[editor.visibleRanges.length - 1].end);
      const previewed = previews[0].spansUpTo(upTo).map((s) => [s.label, s.start, s.end]);
      const loaded = session.doc.all().filter((s) => s.start < upTo).map((s) => [s.label, s.start, s.end]);
      assert.ok(previewed.length >= 8, `the visible lines have spans to preview (${previewed.length})`);
      assert.deepEqual(previewed, loaded);
    } finally {
      sub.dispose();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(file, { force: true });
      fs.rmSync(file + '.annotations.json', { force: true });
    }
  });
});
