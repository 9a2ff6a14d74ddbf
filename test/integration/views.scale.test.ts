import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import type { ViewsApi } from '../../src/extension/views';
import { api, workspaceDir } from './helpers';

const ARTICLES = 10_000;
const WITH_SIDECAR = 2_000;

describe('review sidebar at scale', function () {
  this.timeout(180_000);
  const dir = () => path.join(workspaceDir(), `scale-${process.pid}`);

  before(() => {
    fs.mkdirSync(dir(), { recursive: true });
    for (let i = 0; i < ARTICLES; i++) {
      const name = `a${String(i).padStart(5, '0')}.txt`;
      const text = `Kent Police dismissed officer ${i} for gross misconduct.\n`;
      fs.writeFileSync(path.join(dir(), name), text);
      if (i < WITH_SIDECAR) {
        const sidecar = {
          version: 1,
          article: { file: name, sha256: createHash('sha256').update(text).digest('hex'), length: text.length },
          ...(i % 4 === 0 ? { status: 'done' } : {}),
          annotations: [{ id: `s${i}`, label: 'force', start: 0, end: 11, text: 'Kent Police', source: 'manual', created: '2026-01-01T00:00:00Z' }],
        };
        fs.writeFileSync(path.join(dir(), name + '.annotations.json'), JSON.stringify(sidecar));
      }
    }
  });

  after(async () => {
    fs.rmSync(dir(), { recursive: true, force: true });
    const { views } = (await api()) as MisconductApi & { views: ViewsApi };
    await vscode.commands.executeCommand('misconduct.corpus.refresh');
    await views.corpus.ready();
  });

  it(`lists ${ARTICLES} articles and reads their sidecars without blocking the extension host`, async () => {
    const { views } = (await api()) as MisconductApi & { views: ViewsApi };
    // measure the longest time the event loop was blocked while the corpus loads
    let last = performance.now();
    let longest = 0;
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    try {
      views.corpus.rescan();
      await views.corpus.ready();
    } finally {
      clearInterval(ticker);
    }
    const took = performance.now() - started;
    const mine = views.corpus.getChildren().filter((e) => e.relativePath.startsWith(`scale-${process.pid}/`));
    assert.equal(mine.length, ARTICLES);
    assert.equal(mine.filter((e) => e.count === 1).length, WITH_SIDECAR);
    assert.equal(mine.filter((e) => e.status === 'done').length, WITH_SIDECAR / 4);
    assert.ok(mine.every((e) => e.loaded));
    console.log(`corpus of ${views.corpus.getChildren().length}: loaded in ${took.toFixed(0)} ms, longest event-loop block ${longest.toFixed(0)} ms`);
    // timings are for `npm run bench`; what a test can assert is that loading yields to other work
    assert.ok(ticks > 1, 'the extension host ran other work while the corpus loaded');

    // one changed sidecar updates one entry, without reading the rest
    const target = mine[5];
    const updated = new Promise<void>((resolve) => {
      const sub = views.corpus.onDidUpdate((e) => {
        if (e === target && e.status === 'done') {
          sub.dispose();
          resolve();
        }
      });
    });
    assert.equal(await vscode.commands.executeCommand('misconduct.markDone', target), 'done');
    await updated;
  });
});
