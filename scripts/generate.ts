/**
 * Build-time generators: everything here is derived from a single source of truth in src/core or
 * data/, and rewritten on every build. Run through scripts/build.mjs.
 */
import { writeIfChanged } from './writeIfChanged';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { toJsonSchema } from '../src/core/schema';
import { toCaseJsonSchema } from '../src/core/cases/schema';
import { syncManifest } from './manifest';


/** docs/guidelines.md as a module, so the prompt (src/core/model/prompt.ts) carries it in every bundle. */
export function guidelinesModule(markdown: string): string {
  return [
    '// Generated from docs/guidelines.md by scripts/generate.ts on every build: edit that file, not this one.',
    `export const GUIDELINES_MARKDOWN = ${JSON.stringify(markdown.replace(/\r\n/g, '\n'))};`,
    '',
  ].join('\n');
}

export async function generateAll(root: string): Promise<void> {
  writeIfChanged(path.join(root, 'schemas', 'annotations.schema.json'), JSON.stringify(toJsonSchema(), null, 2) + '\n');
  writeIfChanged(path.join(root, 'src', 'core', 'model', 'guidelines.generated.ts'), guidelinesModule(readFileSync(path.join(root, 'docs', 'guidelines.md'), 'utf8')));
  writeIfChanged(path.join(root, 'schemas', 'case.schema.json'), JSON.stringify(toCaseJsonSchema(), null, 2) + '\n');
  (await import('./grammar')).generateGrammar(root);
  const pkgFile = path.join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  writeIfChanged(pkgFile, JSON.stringify(syncManifest(pkg), null, 2) + '\n');
}
