import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';
import { toJsonSchema } from '../../src/core/schema';
import { syncManifest } from '../../scripts/manifest';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The relative modules a source file imports or re-exports (static, side-effect, dynamic and `require`). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.filter((spec) => spec.startsWith('.')).map((spec) => path.resolve(path.dirname(file), spec));
}

const EXTENSION = path.join(REPO, 'src', 'extension');

/** The node of src/extension a path belongs to: its folder (`views`), or a top-level file (`config.ts`); undefined outside. */
function nodeOf(target: string): string | undefined {
  const rel = path.relative(EXTENSION, target);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first, ...rest] = rel.split(path.sep);
  if (rest.length || (fs.existsSync(target) && fs.statSync(target).isDirectory())) return first;
  return first.replace(/\.ts$/, '') + '.ts';
}

/** Edges between the nodes of src/extension, each with the files that make it. */
function extensionGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of filesUnder(EXTENSION).filter((f) => f.endsWith('.ts'))) {
    const from = nodeOf(file)!;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const target of importsOf(file)) {
      const to = nodeOf(target);
      if (to === undefined || to === from) continue;
      const edge = graph.get(from)!;
      edge.set(to, [...(edge.get(to) ?? []), path.relative(REPO, file)]);
    }
  }
  return graph;
}

/** The cycles of a graph, one per strongly connected component of more than one node (Tarjan). */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return components;
}

describe('architecture', () => {
  it('keeps src/core free of the vscode API, so the CLI can share it', () => {
    const offenders = filesUnder(path.join(REPO, 'src', 'core')).filter((f) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('keeps src/core free of imports from src/extension and src/cli, which build on it', () => {
    const outside = [path.join(REPO, 'src', 'extension'), path.join(REPO, 'src', 'cli')];
    const offenders = filesUnder(path.join(REPO, 'src', 'core'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => importsOf(f).filter((t) => outside.some((dir) => !path.relative(dir, t).startsWith('..'))).map((t) => `${path.relative(REPO, f)} -> ${path.relative(REPO, t)}`));
    assert.deepEqual(offenders, []);
  });

  it('keeps the folders of src/extension free of import cycles', () => {
    const edges = new Map([...extensionGraph()].map(([from, to]) => [from, new Set(to.keys())]));
    const cycles = cyclesOf(edges).map((c) => c.map((from) => `${from} -> ${[...edges.get(from)!].filter((to) => c.includes(to)).join(', ')}`).join('; '));
    assert.deepEqual(cycles, [], 'folders importing each other (import from common/ instead)');
  });

  it('keeps src/extension/common a leaf: it imports no other part of src/extension', () => {
    assert.deepEqual([...(extensionGraph().get('common') ?? new Map<string, string[]>())], []);
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
