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
 *
 * Relations: `R1<TAB>outcome Arg1:T3 Arg2:T5`, their notes as `#2<TAB>AnnotatorNotes R1<TAB>note`.
 * annotation.conf's `[relations]` declares every configured relation type with its end labels
 * (`outcome Arg1:allegation, Arg2:sanction`; `<ENTITY>` for "any label"), widened by the labels the
 * exported relations actually join, so brat accepts every relation line; a relation type that is
 * not configured but used is declared with the labels it joins. The coding form has no place in
 * brat (it has no document-level labels) and is left out.
 */
import { DEFAULT_RELATION_TYPES, RelationType } from '../codebook';
import { Annotation } from '../schema';
import { ExportArticle, FolderEntry, FormatDefinition, WriterContext } from './types';

function bratFileBase(id: string): string {
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

function bratAnn(a: ExportArticle, warn: WriterContext['warn']): string {
  const lines: string[] = [];
  const tags = new Map<string, string>();
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
    tags.set(span.id, `T${t}`);
    lines.push(`T${t}\t${span.label} ${offsets}\t${text}\n`);
    if (span.note) lines.push(`#${++n}\tAnnotatorNotes T${t}\t${oneLine(span.note)}\n`);
  }
  let r = 0;
  for (const rel of a.relations) {
    const from = tags.get(rel.from);
    const to = tags.get(rel.to);
    if (!from || !to) {
      warn({ severity: 'warning', kind: 'no-token', file: a.id, message: `brat: relation ${rel.id} (${rel.label}) is left out with its end that brat cannot hold` });
      continue;
    }
    r++;
    lines.push(`R${r}\t${rel.label} Arg1:${from} Arg2:${to}\n`);
    if (rel.note) lines.push(`#${++n}\tAnnotatorNotes R${r}\t${oneLine(rel.note)}\n`);
  }
  return lines.join('');
}

/** One `[relations]` line's worth: a type and the labels each end may have (empty: any). */
export interface BratRelationDecl {
  name: string;
  from: readonly string[];
  to: readonly string[];
}

function bratArg(labels: readonly string[]): string {
  return labels.length ? [...new Set(labels)].sort().join('|') : '<ENTITY>';
}

function bratConf(labels: Iterable<string>, relations: readonly BratRelationDecl[] = []): string {
  return [
    '# Written by the Misconduct Annotator export: the labels of this corpus as brat entity types,',
    '# its relation types with the labels each end may have.',
    '[entities]',
    ...[...new Set(labels)].sort(),
    '',
    '[relations]',
    ...relations.map((r) => `${r.name} Arg1:${bratArg(r.from)}, Arg2:${bratArg(r.to)}`),
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
    // relation type → the labels its exported ends have (keyed by data: Maps)
    const used = new Map<string, { from: Set<string>; to: Set<string> }>();
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
        const byId = new Map(a.spans.map((s) => [s.id, s]));
        for (const r of a.relations) {
          let ends = used.get(r.label);
          if (!ends) used.set(r.label, (ends = { from: new Set(), to: new Set() }));
          ends.from.add(byId.get(r.from)!.label);
          ends.to.add(byId.get(r.to)!.label);
        }
        return [
          { name: `${prefix}${base}.txt`, text: a.text },
          { name: `${prefix}${base}.ann`, text: bratAnn(a, ctx.warn) },
        ];
      },
      finish: () => {
        const decls = bratRelations(ctx.relationTypes ?? DEFAULT_RELATION_TYPES, used, ctx.labels ? new Set(ctx.labels) : undefined);
        // without --labels, the labels relation types name are declared too, so the conf is complete
        if (!ctx.labels) for (const d of decls) for (const l of [...d.from, ...d.to]) labels.add(l);
        return [{ name: `${prefix}annotation.conf`, text: bratConf(labels, decls) }];
      },
    };
  },
};

/**
 * The `[relations]` declarations: each configured type with its end labels widened by those its
 * exported relations join, then each used type that is not configured. With a label filter, only
 * the filtered labels are named (they are all brat declares) and a configured type left without a
 * possible end is dropped: none of its relations can be in the export.
 */
function bratRelations(
  types: readonly RelationType[],
  used: ReadonlyMap<string, { from: ReadonlySet<string>; to: ReadonlySet<string> }>,
  only?: ReadonlySet<string>,
): BratRelationDecl[] {
  const out: BratRelationDecl[] = [];
  const seen = new Set<string>();
  for (const t of types) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    const ends = used.get(t.name);
    const side = (configured: readonly string[], extra: ReadonlySet<string> | undefined): string[] | undefined => {
      // an empty list means any label, and stays so
      if (!configured.length) return [];
      const all = [...configured, ...(extra ?? [])];
      const kept = only ? all.filter((l) => only.has(l)) : all;
      return kept.length ? kept : undefined;
    };
    const from = side(t.from ?? [], ends?.from);
    const to = side(t.to ?? [], ends?.to);
    if (!from || !to) continue;
    out.push({ name: t.name, from, to });
  }
  for (const name of [...used.keys()].sort()) {
    if (seen.has(name)) continue;
    const ends = used.get(name)!;
    out.push({ name, from: [...ends.from], to: [...ends.to] });
  }
  return out;
}
