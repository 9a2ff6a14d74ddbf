/**
 * The activation time the benchmark reports (`npm run bench`, row "activation"): with
 * MISCONDUCT_BENCH_ACTIVATION naming a file (bench/activation.mjs sets it), the development profile
 * (src/extension/devProfile.ts) writes how long `activate()` took there. This suite opens a sample
 * article, so the extension activates, and checks the figure; without the variable it checks only
 * that the figure is not part of the public API.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import type { ActivationTiming } from '../../src/extension/devProfile';
import { EXTENSION_ID, openArticle, workspaceDir } from './helpers';

describe('activation time', () => {
  it('activate() reports how long it took (for the benchmark)', async () => {
    await openArticle(path.join(workspaceDir(), '002_15c05126c182eb79.txt'));
    const ext = vscode.extensions.getExtension<MisconductApi>(EXTENSION_ID);
    assert.ok(ext?.isActive, 'the extension is active after opening an article');
    assert.ok(!('activationMs' in ext.exports), 'the bench figure is not in the public API');
    const out = process.env.MISCONDUCT_BENCH_ACTIVATION;
    if (!out) return;
    const timing = JSON.parse(fs.readFileSync(out, 'utf8')) as ActivationTiming;
    const ms = timing.activationMs;
    assert.ok(Number.isFinite(ms) && ms > 0 && ms < 60_000, `activationMs is a plausible duration (${ms})`);
    assert.ok(Number.isFinite(timing.activationCpuMs), 'activationCpuMs is a number');
    assert.equal(timing.vscodeVersion, vscode.version);
  });
});
