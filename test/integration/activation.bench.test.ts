/**
 * The activation time the benchmark reports (`npm run bench`, row "activation"): `activate()`
 * measures itself and returns `activationMs`; this suite opens a sample article, reads the figure
 * from the extension's exports and, when MISCONDUCT_BENCH_ACTIVATION names a file (bench/activation.mjs
 * sets it), writes it there. In `npm test` it only checks that the figure is there and sane.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import { EXTENSION_ID, openArticle, workspaceDir } from './helpers';

describe('activation time', () => {
  it('activate() reports how long it took (for the benchmark)', async () => {
    await openArticle(path.join(workspaceDir(), '002_15c05126c182eb79.txt'));
    const ext = vscode.extensions.getExtension<MisconductApi>(EXTENSION_ID);
    assert.ok(ext?.isActive, 'the extension is active after opening an article');
    const ms = ext.exports.activationMs;
    assert.equal(typeof ms, 'number');
    assert.ok(Number.isFinite(ms) && ms > 0 && ms < 60_000, `activationMs is a plausible duration (${ms})`);
    const out = process.env.MISCONDUCT_BENCH_ACTIVATION;
    if (out) {
      fs.writeFileSync(out, JSON.stringify({ activationMs: ms, activationCpuMs: ext.exports.activationCpuMs, vscodeVersion: vscode.version, extensionPath: ext.extensionPath }) + '\n');
    }
  });
});
