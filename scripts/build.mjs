// Build: generate what is derived from the single sources of truth, then bundle with esbuild.
//   src/core/schema.ts  → schemas/annotations.schema.json
//   src/core/labels.ts  → package.json (misconduct.labels default, contributes.colors)
//   data/gazetteers     → syntaxes/ (TextMate grammar), when the generator exists
//   src/extension/extension.ts → dist/extension.js     src/cli/main.ts → dist/cli.js
//   src/webview/dashboard.ts → dist/webview/dashboard.js (browser, with chart.js)
//   src/webview/case.ts → dist/webview/case.js (browser, the Case view's form; no library)
// Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// The generators are TypeScript that imports the core; bundle them to one CommonJS file and run it.
async function generate() {
  const outfile = path.join(root, 'out', 'generate.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts', 'generate.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  await require(outfile).generateAll(root);
}

// zod re-exports all 60+ of its message locales; we only ever use English. Resolving the locale
// index to English alone keeps ~250 KB out of the bundle (activation reads less code).
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

const common = {
  plugins: [englishOnlyZod],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(pkg.version) },
};

const builds = [
  { ...common, entryPoints: [path.join(root, 'src/extension/extension.ts')], outfile: path.join(root, 'dist/extension.js'), external: ['vscode'] },
  { ...common, entryPoints: [path.join(root, 'src/cli/main.ts')], outfile: path.join(root, 'dist/cli.js') },
  { ...common, entryPoints: [path.join(root, 'src/webview/dashboard.ts')], outfile: path.join(root, 'dist/webview/dashboard.js'), platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: [path.join(root, 'src/webview/case.ts')], outfile: path.join(root, 'dist/webview/case.js'), platform: 'browser', format: 'iife', target: 'es2022' },
];

await generate();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching src/ …');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
