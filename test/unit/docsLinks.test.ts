/**
 * Every relative link and image in the README, CONTRIBUTING.md, docs/*.md and the walkthrough pages
 * points at a file that exists, and every `#anchor` at a heading of the target (GitHub's slugs).
 * Links with a scheme (https:, mailto:, command: …) are not followed: no network.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** The pages checked, relative to the repository. */
function pages(): string[] {
  const inFolder = (dir: string) => (fs.existsSync(path.join(REPO, dir))
    ? fs.readdirSync(path.join(REPO, dir)).filter((f) => f.endsWith('.md')).sort().map((f) => `${dir}/${f}`)
    : []);
  return ['README.md', 'CONTRIBUTING.md', ...inFolder('docs'), ...inFolder('media/walkthrough')];
}

/** The text of a page without fenced code blocks (kept as blank lines, so line numbers hold). */
function withoutFences(text: string): string[] {
  let fence: string | undefined;
  return text.split(/\r?\n/).map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (!fence) fence = m[1][0];
      else if (m[1][0] === fence) fence = undefined;
      return '';
    }
    return fence ? '' : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces become hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image: its text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, '') // code and emphasis marks
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors of a page: one per heading (repeats get -1, -2 … as on GitHub), plus HTML ids. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutFences(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      result.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) result.add(m[1]);
  }
  return result;
}

export interface Link { line: number; target: string }

/** The link and image targets of a page, outside code; reference definitions included. */
export function links(text: string): Link[] {
  const found: Link[] = [];
  withoutFences(text).forEach((raw, i) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, ''); // inline code is not a link
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) found.push({ line: i + 1, target: m[1] });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition) found.push({ line: i + 1, target: definition[1] });
  });
  return found;
}

/** What is wrong with one link of `page` (relative to REPO), or undefined when it resolves. */
export function problem(page: string, target: string, read: (file: string) => string | undefined): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined; // a scheme: not checked
  if (target === '') return 'an empty link';
  const hash = target.indexOf('#');
  const file = decodeURIComponent(hash >= 0 ? target.slice(0, hash) : target);
  const anchor = hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : undefined;
  const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
  if (resolved.startsWith('../')) return `${target} leaves the repository`;
  const text = read(resolved.replace(/\/$/, ''));
  if (text === undefined) return `${target}: no file ${resolved}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md')) return undefined; // line anchors into source files are GitHub's
  return anchors(text).has(anchor) ? undefined : `${target}: ${resolved} has no heading with the anchor #${anchor}`;
}

function readRepo(file: string): string | undefined {
  const full = path.join(REPO, file);
  if (!fs.existsSync(full)) return undefined;
  return fs.statSync(full).isDirectory() ? '' : fs.readFileSync(full, 'utf8');
}

describe('documentation links', () => {
  it('checks the README, CONTRIBUTING.md and every page of docs/', () => {
    const list = pages();
    for (const page of ['README.md', 'CONTRIBUTING.md', 'docs/user-guide.md', 'docs/performance.md']) assert.ok(list.includes(page), page);
    assert.ok(links(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).length >= 20, 'the README links to the docs');
  });

  it('every relative link and image points at a file, and every #anchor at a heading there', () => {
    const problems: string[] = [];
    for (const page of pages()) {
      for (const { line, target } of links(fs.readFileSync(path.join(REPO, page), 'utf8'))) {
        const wrong = problem(page, target, readRepo);
        if (wrong) problems.push(`${page}:${line}: ${wrong}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('links every page of docs/ from the README', () => {
    const readme = links(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]);
    const missing = pages().filter((p) => p.startsWith('docs/') && !readme.includes(p));
    assert.deepEqual(missing, []);
  });

  describe('the checker', () => {
    it('makes the anchors GitHub makes', () => {
      assert.equal(slug('The default codebook (`misconduct.documentFields`)'), 'the-default-codebook-misconductdocumentfields');
      assert.equal(slug('Suggestions: forces, bodies, ranks, allegations, sanctions'), 'suggestions-forces-bodies-ranks-allegations-sanctions');
      assert.equal(slug('The rules (src/core/detect/rules.ts)'), 'the-rules-srccoredetectrulests');
      assert.equal(slug('Agreement (double coding)'), 'agreement-double-coding');
      assert.equal(slug('A five-minute tour'), 'a-five-minute-tour');
      assert.equal(slug('Outcome × standards — a [chart](x.md)'), 'outcome--standards--a-chart');
      assert.deepEqual([...anchors('# Notes\n## Notes\n```\n# not a heading\n```\n## Notes')], ['notes', 'notes-1', 'notes-2']);
    });

    it('finds links and images outside code, and refuses a missing file or anchor', () => {
      const page = 'See [a](docs/a.md#intro), ![b](img/b.png "B") and `[c](nowhere.md)`.\n```\n[d](nowhere.md)\n```\n[e]: docs/a.md#gone\n[f](https://example.invalid/x) [g](#top)';
      assert.deepEqual(links(page).map((l) => l.target), ['docs/a.md#intro', 'img/b.png', 'docs/a.md#gone', 'https://example.invalid/x', '#top']);
      const files: Record<string, string> = { 'README.md': '# Top\n', 'docs/a.md': '# Intro\n', 'img/b.png': '' };
      const read = (f: string) => files[f];
      assert.deepEqual(links(page).map((l) => problem('README.md', l.target, read)), [
        undefined, undefined, 'docs/a.md#gone: docs/a.md has no heading with the anchor #gone', undefined, undefined,
      ]);
      assert.equal(problem('docs/a.md', '../img/c.png', read), '../img/c.png: no file img/c.png');
      assert.equal(problem('docs/a.md', 'a.md#intro', read), undefined);
    });
  });
});
