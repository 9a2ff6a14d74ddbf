// Build: generate what is derived from the single sources of truth, then bundle with esbuild.
//   src/core/schema.ts  → schemas/annotations.schema.json
//   src/core/labels.ts  → package.json (misconduct.labels default, contributes.colors)
//   data/gazetteers     → syntaxes/ (TextMate grammar), when the generator exists
//   src/extension/extension.ts → dist/extension.js (+ dist/schema.js, loaded on first use)
//   src/cli/main.ts → dist/cli.js
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

// The sidecar schema (src/core/schema.ts) is built on zod, 190 KB of a 490 KB bundle. The extension
// validates sidecars with a fast path (src/core/fastValidate.ts) and needs zod only to explain an
// invalid file, so the schema module becomes its own file, dist/schema.js, required on first use.
// In dist/extension.js every import of it resolves to a stub generated from the built module: its
// plain data (patterns, versions, key sets) copied in, everything else (the zod schemas, functions)
// a getter that requires dist/schema.js the first time it is read. Whatever the schema module
// exports later is handled the same way, with no list to keep.
const SCHEMA_ENTRY = path.join(root, 'src', 'core', 'schema.ts');
const SCHEMA_OUT = path.join(root, 'dist', 'schema.js');

function literal(value) {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  if (value instanceof RegExp) return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  const plain = (xs) => xs.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  if (Array.isArray(value) && plain(value)) return JSON.stringify(value);
  if (value instanceof Set && plain([...value])) return `new Set(${JSON.stringify([...value])})`;
  return undefined;
}

function schemaStub() {
  const require = createRequire(import.meta.url);
  delete require.cache[SCHEMA_OUT];
  const mod = require(SCHEMA_OUT);
  const lines = ['let loaded;', "const load = () => (loaded ??= require('./schema.js'));", 'Object.defineProperty(exports, "__esModule", { value: true });'];
  for (const [name, value] of Object.entries(mod)) {
    const copy = literal(value);
    lines.push(copy !== undefined ? `exports[${JSON.stringify(name)}] = ${copy};` : `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`);
  }
  return lines.join('\n');
}

const lazySchema = {
  name: 'lazy-schema',
  setup(build) {
    build.onResolve({ filter: /(^|\/)schema$/ }, (args) => {
      if (args.namespace !== 'file' || path.resolve(args.resolveDir, args.path) + '.ts' !== SCHEMA_ENTRY) return undefined;
      return { path: SCHEMA_ENTRY, namespace: 'lazy-schema' };
    });
    build.onResolve({ filter: /^\.\/schema\.js$/, namespace: 'lazy-schema' }, () => ({ path: './schema.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-schema' }, () => ({ contents: schemaStub(), loader: 'js', resolveDir: path.join(root, 'dist') }));
  },
};

const schemaBuild = { ...common, entryPoints: [SCHEMA_ENTRY], outfile: SCHEMA_OUT };

const builds = [
  { ...common, plugins: [...common.plugins, lazySchema], entryPoints: [path.join(root, 'src/extension/extension.ts')], outfile: path.join(root, 'dist/extension.js'), external: ['vscode'] },
  { ...common, entryPoints: [path.join(root, 'src/cli/main.ts')], outfile: path.join(root, 'dist/cli.js') },
  { ...common, entryPoints: [path.join(root, 'src/webview/dashboard.ts')], outfile: path.join(root, 'dist/webview/dashboard.js'), platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: [path.join(root, 'src/webview/case.ts')], outfile: path.join(root, 'dist/webview/case.js'), platform: 'browser', format: 'iife', target: 'es2022' },
];

await generate();
// the extension's stub is generated from the built schema module: build it first
await esbuild.build(schemaBuild);
if (watch) {
  await (await esbuild.context(schemaBuild)).watch();
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching src/ …');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
