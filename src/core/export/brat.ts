/**
 * brat standoff: a folder with `<name>.txt` (the article text exactly as offsets count it: no
 * BOM, line endings as on disk) and `<name>.ann` per article, and an `annotation.conf` declaring
 * the labels as entity types.
 *
 * `<name>` is the article id with `/` replaced by `__` (`2024/may/story.txt` →
 * `2024__may__story.txt.txt` and `.ann`), so the folder is flat, which is what most brat
 * converters expect; a name that is taken already gets `~2`, `~3` … and a warning.
 *
 * `.ann` lines: `T1<TAB>force 2 11<TAB>Hampshire`, notes as `#1<TAB>AnnotatorNotes T1<TAB>note`.
 * Offsets are code points (brat is Python). brat does not let a span cross a line break, so such
 * a span becomes a discontinuous one with one fragment per line (`T2<TAB>allegation 5 9;11 20<TAB>…`,
 * its text the fragments joined by a space, as brat writes it). Attributes are not exported.
 */
import { Annotation } from '../schema';
import { ExportArticle, FolderEntry, FormatDefinition, WriterContext } from './types';

export function bratFileBase(id: string): string {
  return id.replace(/\//g, '__');
}

/** The pieces of [start, end) between line breaks, in code points; empty pieces are dropped. */
export function bratFragments(a: Annotation): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let offset = a.start;
  let from = a.start;
  for (const ch of a.text) {
    if (ch === '\n' || ch === '\r') {
      if (offset > from) out.push([from, offset]);
      from = offset + 1;
    }
    offset++;
  }
  if (offset > from) out.push([from, offset]);
  return out;
}

/** Tabs and line breaks would end the field; notes are free text, so they become spaces. */
function oneLine(s: string): string {
  return s.replace(/\r\n|[\t\r\n]/g, ' ');
}

export function bratAnn(a: ExportArticle, warn: WriterContext['warn']): string {
  const lines: string[] = [];
  let t = 0;
  let n = 0;
  for (const span of a.spans) {
    const fragments = bratFragments(span);
    if (!fragments.length) {
      warn({ severity: 'warning', kind: 'no-token', file: a.id, message: `brat: span ${span.id} (${span.label}) holds only line breaks and is left out` });
      continue;
    }
    t++;
    const offsets = fragments.map(([s, e]) => `${s} ${e}`).join(';');
    const text = fragments.map(([s, e]) => a.map.slice(s, e)).join(' ');
    lines.push(`T${t}\t${span.label} ${offsets}\t${text}\n`);
    if (span.note) lines.push(`#${++n}\tAnnotatorNotes T${t}\t${oneLine(span.note)}\n`);
  }
  return lines.join('');
}

export function bratConf(labels: Iterable<string>): string {
  return [
    '# Written by the Misconduct Annotator export: the labels of this corpus as brat entity types.',
    '[entities]',
    ...[...new Set(labels)].sort(),
    '',
    '[relations]',
    '',
    '[events]',
    '',
    '[attributes]',
    '',
  ].join('\n');
}

export const bratFormat: FormatDefinition = {
  kind: 'folder',
  name: 'brat',
  create: (ctx) => {
    const prefix = ctx.part ? `${ctx.part}/` : '';
    const taken = new Set<string>();
    const labels = new Set<string>(ctx.labels ?? []);
    return {
      start: () => [],
      article(a): FolderEntry[] {
        const wanted = bratFileBase(a.id);
        let base = wanted;
        // compared case-insensitively: the export may be copied to macOS or Windows
        for (let k = 2; taken.has(base.toLowerCase()); k++) base = `${wanted}~${k}`;
        if (base !== wanted) {
          ctx.warn({ severity: 'warning', kind: 'name-collision', file: a.id, message: `brat: ${wanted}.txt is taken by another article; written as ${base}.txt` });
        }
        taken.add(base.toLowerCase());
        for (const s of a.spans) labels.add(s.label);
        return [
          { name: `${prefix}${base}.txt`, text: a.text },
          { name: `${prefix}${base}.ann`, text: bratAnn(a, ctx.warn) },
        ];
      },
      finish: () => [{ name: `${prefix}annotation.conf`, text: bratConf(labels) }],
    };
  },
};
