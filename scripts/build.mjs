// Build: generate what is derived from the single sources of truth, then bundle with esbuild.
//   src/core/schema.ts  → schemas/annotations.schema.json
//   src/core/cases/schema.ts → schemas/case.schema.json
//   src/core/labels.ts  → package.json (misconduct.labels default, contributes.colors)
//   data/gazetteers     → syntaxes/ (TextMate grammar), when the generator exists
//   src/extension/extension.ts → dist/extension.js (what activation loads)
//   src/cli/main.ts → dist/cli.js (the CLI)
//   src/cli/mergeDriverMain.ts → dist/mergeDriver.js (git's merge driver alone: the extension's package carries it, not the CLI)
//   src/core (what both use) → dist/core.js; code only some commands need → dist/lazy/*.js
//   src/webview/dashboard.ts → dist/webview/dashboard.js (browser, its SVG charts in src/webview/charts.ts)
//   src/webview/case.ts → dist/webview/case.js (browser, the Case view's form; no library)
//   src/webview/caseRecord.ts → dist/webview/caseRecord.js (browser, the Case record editor; no library)
//   src/extension/web/loader.ts → dist/web/extension.js (the `browser` entry: runs the files above in a web worker)
// Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

// Two parts of linkedom the importer never uses are left out, keeping dist/lazy/import.js within
// the package's size budget: the CSS parser (cssomnom), which runs only when a <style> element's
// `sheet` is read (the importer removes <style> first), and what htmlparser2's index re-exports
// beside the one class linkedom takes from it, `Parser` (DomUtils, with a second copy of the HTML
// entity tables). Its tokenizer gets XML's five named references in place of HTML's 2,231: the
// importer decodes HTML 4's before parsing (src/core/import/entities.ts).
const leanLinkedom = {
  name: 'lean-linkedom',
  setup(build) {
    build.onResolve({ filter: /^cssomnom(\/.*)?$/ }, () => ({ path: 'cssomnom', namespace: 'no-css-parser' }));
    build.onLoad({ filter: /.*/, namespace: 'no-css-parser' }, () => ({
      contents: 'exports.parse = () => { throw new Error("style sheets are not parsed here"); };',
      loader: 'js',
    }));
    build.onResolve({ filter: /[\\/]generated[\\/]decode-data-html\.js$/ }, (args) => {
      if (!/[\\/]entities[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(args.resolveDir, args.path.replace('decode-data-html', 'decode-data-xml')), namespace: 'xml-entities' };
    });
    build.onLoad({ filter: /.*/, namespace: 'xml-entities' }, (args) => ({
      contents: `export { xmlDecodeTree as htmlDecodeTree } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
    build.onResolve({ filter: /^htmlparser2$/ }, (args) => {
      if (!/[\\/]linkedom[\\/]/.test(args.importer)) return undefined;
      const index = createRequire(args.importer).resolve('htmlparser2');
      return { path: path.join(path.dirname(index), '..', 'esm', 'Parser.js') };
    });
  },
};

const common = {
  plugins: [englishOnlyZod, leanLinkedom],
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

// How the Node code is split. esbuild splits code only for ES modules, and VS Code loads an
// extension as CommonJS, so the split is ours, by two rules written once here:
//
// 1. Lazy modules. Code that only some commands need is its own file in dist/lazy/, required the
//    first time one of its exports is read. Everything that imports it (the extension, the CLI,
//    another lazy module) gets a stub instead of the module: its plain data (patterns, versions, key
//    sets, format names) copied in, every other export a getter that requires the file on first
//    read. Source code imports the module as usual, so the unit tests (tsc, no bundle) are unchanged.
//    A lazy module is entered only through its entry: importing a file inside one from outside it
//    would bundle a second copy, so the build refuses it.
const LAZY = [
  // zod, 190 KB: valid sidecars pass the fast check (src/core/fastValidate.ts); zod explains a failure
  { name: 'schema', entry: 'src/core/schema.ts' },
  // case records (src/core/cases): the Cases view and commands, validate, export
  { name: 'cases', entry: 'src/core/cases/index.ts' },
  // Export Dataset…, `misconduct-annotate export`
  { name: 'export', entry: 'src/core/export/index.ts' },
  // compare mode and adjudication, `misconduct-annotate agree`
  { name: 'agreement', entry: 'src/core/agreement/index.ts' },
  // suggestions from a language model: `misconduct-annotate suggest --model`, `evaluate`
  { name: 'model', entry: 'src/core/model/index.ts' },
  // suggestion sources scored (over the agreement module): Evaluate Suggestions, `misconduct-annotate evaluate`
  { name: 'evaluate', entry: 'src/core/evaluate.ts' },
  // Readability and linkedom: Import Articles from Web Pages…, `misconduct-annotate import`
  { name: 'import', entry: 'src/core/import/index.ts' },
  // the dashboard panel (misconduct.showDashboard)
  { name: 'dashboard', entry: 'src/extension/dashboard/dashboardPanel.ts' },
  // the Case record editor (misconduct.openCaseRecord) and Merge Cases… (misconduct.mergeCases)
  { name: 'caseEditor', entry: 'src/extension/caseRecords/editor/index.ts' },
].map((m) => {
  const entry = path.join(root, m.entry);
  // a folder's index is the folder: every file in it belongs to the module
  const area = path.basename(entry) === 'index.ts' ? path.dirname(entry) + path.sep : entry;
  return { ...m, entry, area, out: path.join(root, 'dist', 'lazy', `${m.name}.js`) };
});
const lazyOf = (file) => LAZY.find((m) => file === m.entry || (m.area.endsWith(path.sep) && file.startsWith(m.area)));

// 2. The shared core. A file of src/core (pure, no vscode) that two or more outputs use (the
//    extension, the CLI, a lazy module) is built once into dist/core.js, which each of them requires
//    when it loads: one copy of the gazetteers and the sidecar code in the package, and one copy of
//    each class in memory (an error thrown in a lazy module is `instanceof` the class the extension
//    checks). A core file only one output uses stays inside that output.
const CORE_DIR = path.join(root, 'src', 'core') + path.sep;
const CORE_OUT = path.join(root, 'dist', 'core.js');
const coreKey = (file) => path.relative(CORE_DIR, file).replace(/\\/g, '/').replace(/\.ts$/, '');

const HOSTS = [
  { name: 'extension', entry: path.join(root, 'src/extension/extension.ts'), out: path.join(root, 'dist/extension.js') },
  { name: 'cli', entry: path.join(root, 'src/cli/main.ts'), out: path.join(root, 'dist/cli.js') },
];
/** Every output whose code the split shares: the extension, the CLI and the lazy modules. */
const OUTPUTS = [...HOSTS, ...LAZY];

/**
 * Git's merge driver alone, the one Node program the extension's package carries: it requires the
 * core files the others share from dist/core.js, but is not counted as a user of a file (what only
 * it and the CLI use stays out of core.js, which activation loads).
 */
const DRIVER = { name: 'mergeDriver', entry: path.join(root, 'src/cli/mergeDriverMain.ts'), out: path.join(root, 'dist/mergeDriver.js') };

/** The source file a relative import names, as esbuild would find it (undefined: not ours to split). */
function sourceFile(resolveDir, request) {
  const base = path.resolve(resolveDir, request);
  return [base + '.ts', path.join(base, 'index.ts'), base].find((f) => f.endsWith('.ts') && existsSync(f) && statSync(f).isFile());
}

const relativeRequire = (fromFile, toFile) => {
  const rel = path.relative(path.dirname(fromFile), toFile).replace(/\\/g, '/');
  return rel.startsWith('.') ? rel : `./${rel}`;
};

// the plain values a stub may copy instead of loading the module for them
function literal(value) {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  if (value instanceof RegExp) return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  const plain = (xs) => xs.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  if (Array.isArray(value) && plain(value)) return JSON.stringify(value);
  if (value instanceof Set && plain([...value])) return `new Set(${JSON.stringify([...value])})`;
  return undefined;
}

/**
 * A lazy module's exports: the names from an ES-module build's metafile; the values from the built
 * file when it runs in plain Node (no vscode import), so that its plain data can be copied.
 */
async function lazyExports(m) {
  const result = await esbuild.build({
    entryPoints: [m.entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    outdir: path.join(root, 'out', 'lazy-exports'),
    packages: 'external',
    external: ['vscode'],
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const usesVscode = output.imports.some((i) => i.path === 'vscode');
  if (usesVscode) return output.exports.map((name) => [name, undefined]);
  if (!existsSync(m.out)) throw new Error(`scripts/build.mjs: ${m.name} is used before it is built: list it earlier in LAZY`);
  const require = createRequire(import.meta.url);
  delete require.cache[m.out];
  const mod = require(m.out);
  return output.exports.map((name) => [name, literal(mod[name])]);
}

// one answer per module in a build (a watching build asks again: the module may have changed)
const exportsOf = new Map();

async function lazyStub(m, fromFile) {
  const lines = ['let loaded;', `const load = () => (loaded ??= require(${JSON.stringify(relativeRequire(fromFile, m.out))}));`, 'Object.defineProperty(exports, "__esModule", { value: true });'];
  if (watch || !exportsOf.has(m)) exportsOf.set(m, lazyExports(m));
  for (const [name, copy] of await exportsOf.get(m)) {
    lines.push(copy !== undefined ? `exports[${JSON.stringify(name)}] = ${copy};` : `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`);
  }
  return lines.join('\n');
}

/**
 * The split for one output (`self`: a HOSTS or LAZY entry, or 'core'): imports of a lazy module
 * become its stub, imports of a shared core file a require of dist/core.js.
 */
function split(self, outfile, shared) {
  return {
    name: 'split',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace !== 'file') return undefined;
        const file = sourceFile(args.resolveDir, args.path);
        if (!file) return undefined;
        const lazy = lazyOf(file);
        if (lazy && lazy !== self) {
          if (file !== lazy.entry) return { errors: [{ text: `${path.relative(root, file)} is inside the lazy module "${lazy.name}": import ${path.relative(root, lazy.entry)} instead` }] };
          return { path: lazy.name, namespace: 'lazy-stub' };
        }
        if (!lazy && self !== 'core' && shared.has(file)) return { path: coreKey(file), namespace: 'shared-core' };
        return undefined;
      });
      // the stubs' own requires are files of dist/, beside the output
      build.onResolve({ filter: /.*/, namespace: 'lazy-stub' }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /.*/, namespace: 'shared-core' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-stub' }, async (args) => ({
        contents: await lazyStub(LAZY.find((m) => m.name === args.path), outfile),
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'shared-core' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(relativeRequire(outfile, CORE_OUT))}).modules[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** The src/core files two or more outputs reach (each walk stops at the lazy modules it imports). */
async function sharedCoreFiles() {
  const users = new Map();
  for (const output of OUTPUTS) {
    const stopAtLazy = {
      name: 'stop-at-lazy',
      setup(build) {
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = sourceFile(args.resolveDir, args.path);
          const lazy = file && lazyOf(file);
          return lazy && lazy !== output ? { path: file, external: true } : undefined;
        });
      },
    };
    const result = await esbuild.build({ ...common, entryPoints: [output.entry], outfile: path.join(root, 'out', 'split', `${output.name}.js`), write: false, metafile: true, minify: false, sourcemap: false, external: ['vscode'], plugins: [englishOnlyZod, stopAtLazy] });
    for (const input of Object.keys(result.metafile.inputs)) {
      const file = path.resolve(root, input);
      if (file.startsWith(CORE_DIR) && !lazyOf(file)) users.set(file, (users.get(file) ?? 0) + 1);
    }
  }
  return new Set([...users].filter(([, n]) => n >= 2).map(([file]) => file));
}

function coreEntry(shared) {
  const files = [...shared].sort();
  return [
    ...files.map((file, i) => `import * as m${i} from ${JSON.stringify(file)};`),
    `export const modules = { ${files.map((file, i) => `${JSON.stringify(coreKey(file))}: m${i}`).join(', ')} };`,
  ].join('\n');
}

// 3. VS Code for the Web. A web worker can require only 'vscode', so the `browser` entry is a small
//    loader (src/extension/web/loader.ts) that reads the files above and runs them as CommonJS, with
//    web versions of what they take from Node: one copy of the code serves both hosts (the package
//    budget). It reads every lazy module before activation (a worker cannot read a file on first
//    use, synchronously), except those of features that need Node.
const NODE_ONLY_LAZY = new Set(['import']);
const webLoader = {
  ...common,
  entryPoints: [path.join(root, 'src/extension/web/loader.ts')],
  outfile: path.join(root, 'dist/web/extension.js'),
  platform: 'browser',
  format: 'cjs',
  target: 'es2022',
  external: ['vscode'],
  define: { ...common.define, __WEB_LAZY__: JSON.stringify(LAZY.filter((m) => !NODE_ONLY_LAZY.has(m.name)).map((m) => m.name)) },
};

const webviews = [
  { ...common, entryPoints: [path.join(root, 'src/webview/dashboard.ts')], outfile: path.join(root, 'dist/webview/dashboard.js'), platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: [path.join(root, 'src/webview/case.ts')], outfile: path.join(root, 'dist/webview/case.js'), platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: [path.join(root, 'src/webview/caseRecord.ts')], outfile: path.join(root, 'dist/webview/caseRecord.js'), platform: 'browser', format: 'iife', target: 'es2022' },
];

await generate();
const shared = await sharedCoreFiles();
const nodeBuild = (self, options) => ({ ...common, external: ['vscode'], ...options, plugins: [...common.plugins, split(self, options.outfile, shared)] });
// In order: a stub copies data from the built module, so what others import is built first
// (the schema; the core, which the lazy modules require as they load; the core's lazy modules,
// which the extension's lazy modules may import; then the rest).
const [schema, ...laterLazy] = LAZY;
const steps = [
  [nodeBuild(schema, { entryPoints: [schema.entry], outfile: schema.out })],
  [nodeBuild('core', { stdin: { contents: coreEntry(shared), resolveDir: root, sourcefile: 'src/core (shared)', loader: 'ts' }, outfile: CORE_OUT })],
  // one at a time, in LAZY's order: a lazy module may import one listed before it (evaluate uses
  // agreement), whose stub copies from its built file
  ...laterLazy.map((m) => [nodeBuild(m, { entryPoints: [m.entry], outfile: m.out })]),
  [...[...HOSTS, DRIVER].map((h) => nodeBuild(h, { entryPoints: [h.entry], outfile: h.out })), ...webviews, webLoader],
];
for (const step of steps) {
  if (!watch) await Promise.all(step.map((options) => esbuild.build(options)));
  else
    for (const options of step) {
      const context = await esbuild.context(options);
      await context.rebuild(); // the next step's stubs read this output
      await context.watch();
    }
}
if (watch) console.log('watching src/ … (restart it when a file starts or stops being shared by two outputs)');
