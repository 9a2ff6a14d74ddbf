import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';
import { toJsonSchema } from '../../src/core/schema';
import { syncManifest } from '../../scripts/manifest';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('architecture', () => {
  it('keeps src/core free of the vscode API, so the CLI can share it', () => {
    const offenders = filesUnder(path.join(REPO, 'src', 'core')).filter((f) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('publishes the JSON Schema generated from the zod schema', () => {
    const published = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'annotations.schema.json'), 'utf8'));
    assert.deepEqual(published, JSON.parse(JSON.stringify(toJsonSchema())), 'run `npm run build` to regenerate schemas/');
  });

  it('keeps package.json in sync with the label definitions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(syncManifest(JSON.parse(JSON.stringify(pkg))), pkg, 'run `npm run build` to regenerate package.json');
  });
});
