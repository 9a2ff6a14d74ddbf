// Packs test/fixtures/fake-lm-provider (a language model whose answers the tests script) into a
// vsix the code-server of the integration tests installs beside ours: vscode.lm then offers its
// model, so the model suggestions are tested end to end without a real model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './codeServer.mjs';
import { stageWebOnly } from './webPackage.mjs';

export const FAKE_LM_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'fake-lm-provider');

/**
 * The path of the fake provider's vsix, packed into a temp folder. `web`: with only a `browser`
 * entry, so that it runs in the web-worker host beside the web build (its code needs only `vscode`).
 */
export async function packFakeLmProvider({ web = false } = {}) {
  const { createVSIX } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce'));
  const cwd = web ? stageWebOnly(FAKE_LM_DIR, ['extension.js']) : FAKE_LM_DIR;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-fake-lm-')), 'fake-lm-provider.vsix');
  await createVSIX({ cwd, packagePath: out, dependencies: false, skipLicense: true, allowMissingRepository: true, allowStarActivation: true });
  return out;
}
