/**
 * Linking annotations: `misconduct.linkAnnotations` (cursor in a span → pick the other end, nearest
 * first, among the spans some relation type allows → pick the type) and
 * `misconduct.unlinkAnnotations`. Both take arguments so tests, the hover and the sidebar can call
 * them without UI: link `{ uri, from, to, label }`, unlink `{ uri, relation }` (a relation id) or
 * `{ uri, from, to, label? }`.
 */
import * as vscode from 'vscode';
import { Span } from '../../core/annotationDocument';
import { relationTypesFor, RelationType } from '../../core/codebook';
import { Relation } from '../../core/schema';
import { Config } from '../config';
import { ArticleSession } from '../store/articleSession';
import { ArticleCommand } from './articleCommand';
import { AnnotationArgs } from './command';
import { shorten } from '../common/names';
import { Targets } from './target';

export interface LinkArgs extends AnnotationArgs {
  from?: string;
  to?: string;
  /** The relation id (unlink). */
  relation?: string;
}

/** How many candidates the QuickPick lists (nearest first): enough to reach across a long report. */
const MAX_CANDIDATES = 500;

/** A way two spans can be linked: the type and which span is `from`. */
interface Linking {
  type: RelationType;
  from: Span;
  to: Span;
}

/** Every type that may link `a` and `b`, in either direction (a type's own direction is kept). */
function linkings(types: readonly RelationType[], a: Span, b: Span): Linking[] {
  const out: Linking[] = relationTypesFor(types, a.label, b.label).map((type) => ({ type, from: a, to: b }));
  for (const type of relationTypesFor(types, b.label, a.label)) if (!out.some((l) => l.type === type)) out.push({ type, from: b, to: a });
  return out;
}

export class LinkAnnotationsCommand extends ArticleCommand<LinkArgs, Relation | undefined> {
  readonly id = 'misconduct.linkAnnotations';
  protected readonly none = undefined;
  constructor(
    targets: Targets,
    private readonly config: Config,
  ) {
    super(targets);
  }

  protected async run(session: ArticleSession, args: LinkArgs): Promise<Relation | undefined> {
    const doc = session.doc;
    if (args.from && args.to) {
      const [from, to] = [doc.get(args.from), doc.get(args.to)];
      if (!from || !to) {
        void vscode.window.showErrorMessage(`There is no annotation ${!from ? args.from : args.to} in ${session.uri.path.split('/').pop()}.`);
        return undefined;
      }
      const label = args.label ?? (await this.pickType(linkings(this.config.relationTypes, from, to).filter((l) => l.from === from)))?.type.name;
      if (!label) return undefined;
      return this.link(session, from, to, label);
    }
    const span = await this.targets.one(session, { ...args, label: undefined, from: undefined, to: undefined } as AnnotationArgs, 'link');
    if (!span) return undefined;
    const types = this.config.relationTypes;
    const candidates = doc
      .all()
      .flatMap((s) => {
        const options = s.id === span.id ? [] : linkings(types, span, s);
        return options.length ? [{ span: s, options }] : [];
      })
      .sort((a, b) => Math.abs(a.span.start - span.start) - Math.abs(b.span.start - span.start))
      .slice(0, MAX_CANDIDATES);
    if (!candidates.length) {
      const allowed = types.filter((t) => !t.from.length || !t.to.length || t.from.includes(span.label) || t.to.includes(span.label));
      const message = allowed.length
        ? `No other span can be linked to this ${span.label}: tag the ${[...new Set(allowed.flatMap((t) => (t.from.includes(span.label) ? t.to : t.from)))].join(' or ')} first.`
        : `No relation type links a ${span.label} span (see the "misconduct.relations" setting).`;
      void vscode.window.showInformationMessage(message);
      return undefined;
    }
    const lineOf = (s: Span) => session.document.positionAt(s.start).line + 1;
    const here = lineOf(span);
    const other = await vscode.window.showQuickPick(
      candidates.map(({ span: s, options }) => {
        const line = lineOf(s);
        return {
          label: shorten(s.text, 70),
          description: `${s.label} · line ${line}${line === here ? ' (same line)' : line < here ? ` (${here - line} up)` : ` (${line - here} down)`}`,
          detail: options.map((l) => `${l.type.name}: ${l.from === span ? 'this' : l.from.label} → ${l.to === span ? 'this' : l.to.label}`).join(', '),
          options,
        };
      }),
      { placeHolder: `Link “${shorten(span.text, 40)}” (${span.label}) to… (nearest first)`, matchOnDescription: true, matchOnDetail: true },
    );
    if (!other) return undefined;
    const picked = await this.pickType(other.options);
    if (!picked) return undefined;
    return this.link(session, picked.from, picked.to, picked.type.name);
  }

  private async pickType(options: Linking[]): Promise<Linking | undefined> {
    if (options.length <= 1) {
      if (!options.length) void vscode.window.showInformationMessage('No relation type links these two labels (see the "misconduct.relations" setting).');
      return options[0];
    }
    const pick = await vscode.window.showQuickPick(
      options.map((l) => ({ label: l.type.name, description: `${l.from.label} → ${l.to.label}`, detail: l.type.description, linking: l })),
      { placeHolder: 'Which relation?' },
    );
    return pick?.linking;
  }

  private link(session: ArticleSession, from: Span, to: Span, label: string): Relation | undefined {
    let relation: Relation | undefined;
    try {
      relation = session.doc.link({ from: from.id, to: to.id, label });
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
      return undefined;
    }
    if (relation) vscode.window.setStatusBarMessage(`$(link) ${shorten(from.text, 30)} → ${label} → ${shorten(to.text, 30)}`, 4000);
    return relation;
  }
}

export class UnlinkAnnotationsCommand extends ArticleCommand<LinkArgs, number> {
  readonly id = 'misconduct.unlinkAnnotations';
  protected readonly none = 0;

  protected async run(session: ArticleSession, args: LinkArgs): Promise<number> {
    const doc = session.doc;
    if (args.relation) return doc.unlink([args.relation]).length;
    if (args.from && args.to) {
      const ids = doc.relations().filter((r) => r.from === args.from && r.to === args.to && (!args.label || r.label === args.label)).map((r) => r.id);
      return doc.unlink(ids).length;
    }
    const span = await this.targets.one(session, args, 'unlink');
    if (!span) return 0;
    const relations = doc.relationsOf(span.id);
    if (!relations.length) {
      void vscode.window.showInformationMessage(`“${shorten(span.text, 40)}” is not linked to anything.`);
      return 0;
    }
    const picks = await vscode.window.showQuickPick(
      relations.map((r) => ({ label: describeRelation(session, r, span.id), relation: r, picked: relations.length === 1 })),
      { placeHolder: 'Remove which links?', canPickMany: true },
    );
    if (!picks?.length) return 0;
    return doc.unlink(picks.map((p) => p.relation.id)).length;
  }
}

/** "→ outcome: dismissed without notice" (seen from `fromId`), for lists and the hover. */
export function describeRelation(session: ArticleSession, r: Relation, fromId: string): string {
  const outgoing = r.from === fromId;
  const other = session.doc.get(outgoing ? r.to : r.from);
  return `${outgoing ? '→' : '←'} ${r.label}: ${shorten(other?.text ?? '?', 60)}`;
}
