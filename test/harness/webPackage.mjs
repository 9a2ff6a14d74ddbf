// The extension as VS Code for the Web runs it: a package whose manifest has only the `browser`
// entry (no Node `main`), so code-server runs it in the workbench's web-worker extension host, as
// github.dev and vscode.dev do. Made from the built dist/ (`npm run package` builds it for production)
// with the same files as the real package; MISCONDUCT_WEB=1 makes the e2e suite test it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './codeServer.mjs';

/** What the real package ships (.vscodeignore), copied into the staging folder. */
const SHIPPED = ['dist', 'syntaxes', 'media', 'schemas', 'samples/corpus', 'README.md', 'LICENSE', '.vscodeignore'];

/**
 * A copy of an extension folder (default: this repository's shipped files) whose manifest has only
 * a `browser` entry, in place of `main`: the folder's path.
 */
export function stageWebOnly(dir = REPO_ROOT, files = SHIPPED) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = manifest.browser ?? manifest.main;
  if (dir === REPO_ROOT && !fs.existsSync(path.join(REPO_ROOT, 'dist', 'web', 'extension.js'))) throw new Error('no dist/web/extension.js: run `npm run build` (or `npm run package`) first');
  const stage = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-web-')), 'extension');
  for (const item of files) {
    const from = path.join(dir, item);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, item), { recursive: true });
  }
  delete manifest.main;
  delete manifest.scripts;
  manifest.browser = entry;
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  return stage;
}

/** The path of a web-only .vsix of the current build, packed beside its staging folder. */
export async function packWebOnly() {
  const stage = stageWebOnly();
  const { version } = JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8'));
  const { createVSIX } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce'));
  const out = path.join(path.dirname(stage), `misconduct-annotator-web-${version}.vsix`);
  await createVSIX({ cwd: stage, packagePath: out, dependencies: false, allowMissingRepository: true, rewriteRelativeLinks: false });
  return out;
}
