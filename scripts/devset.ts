/**
 * Builds the development set in test/fixtures/devset/ from its sources (test/fixtures/devset/src):
 *   - NNN_*.txt: short articles with inline gold spans, `[[f:…]]` force, `[[a:…]]` allegation,
 *     `[[s:…]]` sanction, `[[o:…]]` officer (no nesting);
 *   - samples.gold.txt: gold spans for the sample articles (samples/corpus) given by quote.
 * Writes each article and its sidecar (canonical, via serializeSidecar) into the devset folder,
 * and the re-annotated sidecars of the samples that have one back into samples/corpus. A sample's
 * case coding (relations, form, status) is its own: kept from the sample's sidecar, with the
 * relations whose two ends are still gold spans.
 *
 *   npm run devset            (rewrites the files)
 *   npm run devset -- --check (exit 1 when a file would change: used by the unit tests)
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../src/core/article';
import { makeAnnotation } from '../src/core/annotations';
import { OffsetMap } from '../src/core/offsets';
import { Annotation, Sidecar } from '../src/core/schema';
import { sidecarPathFor } from '../src/core/sidecar';
import { serializeSidecar } from '../src/core/sidecarEncoding';
import { withEntityType } from '../src/core/normalise';

const LABELS: Record<string, string> = { f: 'force', a: 'allegation', s: 'sanction', o: 'officer' };
const CREATED = '2026-11-29T12:00:00Z';

export interface GoldSpan {
  start: number;
  end: number;
  label: string;
  note?: string;
}

/** Inline markup → plain text and spans in code points. */
export function parseMarkup(source: string): { text: string; spans: GoldSpan[] } {
  let text = '';
  let cps = 0;
  const spans: GoldSpan[] = [];
  const re = /\[\[([a-z]):([^\]]+)\]\]/g;
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const before = source.slice(last, m.index);
    text += before;
    cps += [...before].length;
    const label = LABELS[m[1]];
    if (!label) throw new Error(`unknown label letter ${m[1]} in ${m[0]}`);
    const inner = m[2];
    spans.push({ start: cps, end: cps + [...inner].length, label });
    text += inner;
    cps += [...inner].length;
    last = re.lastIndex;
  }
  text += source.slice(last);
  return { text, spans };
}

/** Quote specs ("label<TAB>quote[<TAB>n|n,m|*[<TAB>note]]") → spans, occurrences counted on word boundaries. */
export function spansFromQuotes(text: string, lines: readonly string[], name: string): GoldSpan[] {
  const spans: GoldSpan[] = [];
  const map = new OffsetMap(text);
  for (const line of lines) {
    const [label, quote, which = '1', note] = line.split('\t');
    const hits: number[] = [];
    for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
      const before = i > 0 ? text[i - 1] : ' ';
      const after = text[i + quote.length] ?? ' ';
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue;
      hits.push(i);
    }
    const picks = which === '*' ? hits.map((_, k) => k + 1) : which.split(',').map(Number);
    for (const k of picks) {
      const at = hits[k - 1];
      if (at === undefined) throw new Error(`${name}: "${quote}" has no occurrence ${k} (found ${hits.length})`);
      spans.push({ start: map.toCodePoint(at), end: map.toCodePoint(at + quote.length), label, ...(note ? { note } : {}) });
    }
  }
  return spans;
}

/**
 * `keep`: ids already given to (start, end, label) in an existing sidecar, kept so that a span that
 * stays has the same id; new spans get the next number after that sidecar's "a-xxxxNN" ids.
 */
export function sidecarJson(
  file: string,
  text: string,
  spans: readonly GoldSpan[],
  author: string,
  keep: readonly Annotation[] = [],
  coding: Pick<Sidecar, 'relations' | 'document' | 'status'> = {},
): string {
  const bytes = Buffer.from(text, 'utf8');
  const map = new OffsetMap(text);
  const kept = new Map(keep.map((a) => [`${a.start}:${a.end}:${a.label}`, a.id]));
  const numbered = keep.map((a) => /^(a-[0-9a-f]{4})(\d\d)$/.exec(a.id)).filter((m): m is RegExpExecArray => !!m);
  let next = Math.max(-1, ...numbered.map((m) => Number(m[2]))) + 1;
  const newId = (s: GoldSpan, i: number) =>
    numbered.length ? `${numbered[0][1]}${String(next++).padStart(2, '0')}` : `a-${createHash('sha256').update(`${file}:${s.start}:${s.end}:${s.label}:${i}`).digest('hex').slice(0, 6)}`;
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : 1));
  const annotations: Annotation[] = sorted.map((s, i) =>
    withEntityType(
      makeAnnotation(map, s.start, s.end, s.label, {
        id: kept.get(`${s.start}:${s.end}:${s.label}`) ?? newId(s, i),
        author,
        created: CREATED,
        note: s.note,
      }),
    ),
  );
  const ids = new Set(annotations.map((a) => a.id));
  const relations = (coding.relations ?? []).filter((r) => ids.has(r.from) && ids.has(r.to));
  return serializeSidecar({
    $schema: '../../../schemas/annotations.schema.json',
    version: 1,
    article: { file, sha256: sha256Hex(bytes), length: map.length },
    ...(coding.status ? { status: coding.status } : {}),
    annotations,
    ...(relations.length ? { relations } : {}),
    ...(coding.document ? { document: coding.document } : {}),
  });
}

export interface DevsetFile {
  path: string;
  content: string;
}

/** Every file the devset build writes, with its content. */
export function devsetFiles(repo: string): DevsetFile[] {
  const dir = path.join(repo, 'test', 'fixtures', 'devset');
  const src = path.join(dir, 'src');
  const samples = path.join(repo, 'samples', 'corpus');
  const out: DevsetFile[] = [];
  for (const name of fs.readdirSync(src).filter((n) => /^\d+_.*\.txt$/.test(n)).sort()) {
    const { text, spans } = parseMarkup(fs.readFileSync(path.join(src, name), 'utf8'));
    out.push({ path: path.join(dir, name), content: text });
    out.push({ path: sidecarPathFor(path.join(dir, name)), content: sidecarJson(name, text, spans, 'devset') });
  }
  const gold = fs.readFileSync(path.join(src, 'samples.gold.txt'), 'utf8').split('\n');
  const groups = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of gold) {
    if (!line.trim() || line.startsWith('#')) continue;
    const head = /^== (.+)$/.exec(line);
    if (head) groups.set(head[1], (current = []));
    else current!.push(line);
  }
  for (const [name, lines] of groups) {
    const text = fs.readFileSync(path.join(samples, name), 'utf8');
    const spans = spansFromQuotes(text, lines, name);
    const sampleSidecar = sidecarPathFor(path.join(samples, name));
    const sample: Sidecar | undefined = fs.existsSync(sampleSidecar) ? JSON.parse(fs.readFileSync(sampleSidecar, 'utf8')) : undefined;
    const keep: Annotation[] = sample?.annotations ?? [];
    const json = sidecarJson(name, text, spans, 'sample', keep);
    out.push({ path: path.join(dir, name), content: text });
    out.push({ path: sidecarPathFor(path.join(dir, name)), content: json });
    // only the samples that are annotated in samples/corpus (the others stay "not started" there)
    if (sample) {
      const coded = sidecarJson(name, text, spans, 'sample', keep, { relations: sample.relations, document: sample.document, status: sample.status });
      out.push({ path: sampleSidecar, content: coded.replace('"../../../schemas/', '"../../schemas/') });
    }
  }
  return out;
}

if (require.main === module) {
  const repo = path.resolve(__dirname, '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const f of devsetFiles(repo)) {
    const now = fs.existsSync(f.path) ? fs.readFileSync(f.path, 'utf8') : undefined;
    if (now === f.content) continue;
    stale++;
    if (check) console.error(`stale: ${path.relative(repo, f.path)}`);
    else fs.writeFileSync(f.path, f.content);
  }
  console.log(`${stale} file(s) ${check ? 'out of date' : 'written'}`);
  if (check && stale) process.exit(1);
}
