/**
 * Adjudicating the case coding in compare mode: form fields whose values differ and relations one
 * side has and the other has not (or with another type). `misconduct.resolveCaseDisagreement`
 * lists them and lets the adjudicator take theirs or keep mine; with args
 * `{ uri?, id, choice: "theirs" | "mine" | "theirsWithSpans" }` it works without UI (`id` as in
 * `CompareApi.caseDisagreements`).
 *
 * Choices go through the session's AnnotationDocument (`setField`, `link`, `unlink`,
 * `updateRelation`), so each is undone like any other edit. Their relation's ends are my spans
 * matched to theirs; when an end has no matching span of mine, taking the relation as it is is not
 * possible: the adjudicator is told which end, and can take their span too (then link; two undo
 * steps: the span, then the link) or skip.
 */
import * as vscode from 'vscode';
import type { Later } from '../common/afterActivation';
import { displayValue } from '../../core/codebook';
import { FieldValue } from '../../core/schema';
import { ArticleCommand } from '../commands/articleCommand';
import type { AnnotationArgs } from '../commands/command';
import { Targets } from '../commands/target';
import { readerOf } from '../common/documentText';
import { ArticleSession } from '../store/articleSession';
import { asNewSpan, CaseSpan, CompareCaseDisagreement, CompareController } from './compareController';

export type CaseChoice = 'theirs' | 'mine' | 'theirsWithSpans';

export interface CaseArgs extends Pick<AnnotationArgs, 'uri' | 'id'> {
  choice?: CaseChoice;
}

type RelationCase = Extract<CompareCaseDisagreement, { kind: 'relation' }>;

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 30 ? `${t.slice(0, 29)}…` : t;
}

function endText(end: RelationCase['from']): string {
  const s = end.mine ?? end.theirs;
  return s ? `“${short(s.text)}”` : '?';
}

function labels(rs: ReadonlyArray<{ label: string }>): string {
  return rs.map((r) => r.label).join(', ');
}

/** “PC Jane Doe” —subject→ “dishonesty”. */
function relationText(d: RelationCase): string {
  const label = (d.theirs.length ? d.theirs : d.mine).map((r) => r.label).join('/');
  return `${endText(d.from)} —${label}→ ${endText(d.to)}`;
}

function value(v: FieldValue | undefined): string {
  return v === undefined ? 'nothing' : displayValue(v);
}

/** The spans of theirs at the ends I have no match for. */
function unmatchedSpans(d: RelationCase): CaseSpan[] {
  return d.unmatched.map((e) => d[e].theirs).filter((s): s is CaseSpan => !!s);
}

/** Text from files shown where VS Code reads `$(name)` as an icon (QuickPick labels and descriptions). */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** One line saying what the disagreement is (for the QuickPick: file text has its icons escaped). */
function describeCase(d: CompareCaseDisagreement): { label: string; description: string } {
  if (d.kind === 'field') return { label: `$(symbol-field) ${escapeIcons(d.field)}`, description: escapeIcons(`mine: ${value(d.mine)} · theirs: ${value(d.theirs)}`) };
  const missing = unmatchedSpans(d).map((s) => `“${short(s.text)}” (${s.label}) has no matching span of yours`);
  const what = { theirs: 'only theirs', mine: 'only mine', type: `type: mine ${labels(d.mine)} · theirs ${labels(d.theirs)}` }[d.side];
  return { label: `$(link) ${escapeIcons(relationText(d))}`, description: escapeIcons([what, ...missing].join(' · ')) };
}

/** The choices a disagreement offers, each with its title. */
function caseChoices(d: CompareCaseDisagreement): Array<{ choice: CaseChoice; title: string; detail?: string }> {
  if (d.kind === 'field') {
    return [
      { choice: 'theirs', title: `Take Theirs (${d.field}: ${value(d.theirs)})` },
      { choice: 'mine', title: `Keep Mine (${d.field}: ${value(d.mine)})` },
    ];
  }
  if (d.side === 'theirs' && d.unmatched.length) {
    const spans = unmatchedSpans(d);
    return [
      {
        choice: 'theirsWithSpans',
        title: `Take Their Span${spans.length === 1 ? '' : 's'} Too and Link (${spans.map((s) => `“${short(s.text)}”`).join(', ')})`,
        detail: spans.map((s) => `“${short(s.text)}” (${s.label}) has no matching span of yours`).join('; '),
      },
      { choice: 'mine', title: 'Skip (Keep Mine)' },
    ];
  }
  if (d.side === 'theirs') {
    return [
      { choice: 'theirs', title: `Take Theirs (link ${relationText(d)})` },
      { choice: 'mine', title: 'Keep Mine (no link)' },
    ];
  }
  if (d.side === 'mine') {
    return [
      { choice: 'theirs', title: `Take Theirs (remove my link ${relationText(d)})` },
      { choice: 'mine', title: 'Keep Mine (keep the link)' },
    ];
  }
  return [
    { choice: 'theirs', title: `Take Theirs (type ${labels(d.theirs)})` },
    { choice: 'mine', title: `Keep Mine (type ${labels(d.mine)})` },
  ];
}

/** Returns the choice applied, or undefined when nothing was done. */
export class ResolveCaseDisagreementCommand extends ArticleCommand<CaseArgs, CaseChoice | undefined> {
  readonly id = 'misconduct.resolveCaseDisagreement';
  protected readonly none = undefined;
  // Keep Mine changes nothing of mine: checked in `apply`, for taking theirs
  protected override readonly edits = false;
  constructor(
    private readonly controller: Later<CompareController>,
    targets: Targets,
  ) {
    super(targets);
  }

  protected override ready(): boolean {
    return this.controller().comparingOrSay();
  }

  protected async run(session: ArticleSession, args: CaseArgs): Promise<CaseChoice | undefined> {
    await this.controller().ensure(session);
    const all = this.controller().caseDisagreements(session.uri);
    let d: CompareCaseDisagreement | undefined;
    if (args.id !== undefined) {
      d = all.find((x) => x.id === args.id);
      if (!d) {
        void vscode.window.showInformationMessage('That form or relation disagreement is no longer there.');
        return undefined;
      }
    } else {
      if (!all.length) {
        void vscode.window.showInformationMessage('No form or relation disagreements left in this article.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        all.map((x) => ({ ...describeCase(x), disagreement: x })),
        { title: 'Case disagreements (form fields and relations)', placeHolder: 'Pick one to take theirs or keep yours', matchOnDescription: true },
      );
      d = picked?.disagreement;
      if (!d) return undefined;
    }
    let choice = args.choice;
    if (!choice) {
      const picked = await vscode.window.showQuickPick(
        caseChoices(d).map((c) => ({ label: escapeIcons(c.title), detail: c.detail && escapeIcons(c.detail), choice: c.choice })),
        { title: d.kind === 'field' ? d.field : relationText(d), placeHolder: describeCase(d).description },
      );
      choice = picked?.choice;
      if (!choice) return undefined;
    }
    return this.apply(session, d, choice);
  }

  private apply(session: ArticleSession, d: CompareCaseDisagreement, choice: CaseChoice): CaseChoice | undefined {
    if (choice === 'mine') {
      this.controller().hideCase(session.uri, d);
      this.controller().refresh(session);
      return choice;
    }
    if (!this.targets.canEdit(session)) return undefined;
    if (d.kind === 'field') {
      session.doc.setField(d.field, d.theirs);
      return 'theirs';
    }
    switch (d.side) {
      case 'mine':
        session.doc.unlink(d.mine.map((r) => r.id));
        return 'theirs';
      case 'type': {
        const [from, to] = [d.from.mine?.id, d.to.mine?.id];
        if (d.mine.length === 1 && d.theirs.length === 1) {
          session.doc.updateRelation(d.mine[0].id, { label: d.theirs[0].label });
        } else if (from && to) {
          session.doc.unlink(d.mine.map((r) => r.id));
          for (const r of d.theirs) session.doc.link({ from, to, label: r.label, note: r.note, author: r.author });
        }
        return 'theirs';
      }
      case 'theirs': {
        if (d.unmatched.length && choice !== 'theirsWithSpans') {
          // say which end is missing and offer the two ways on
          const missing = unmatchedSpans(d).map((s) => `“${short(s.text)}” (${s.label})`).join(' and ');
          void vscode.window
            .showWarningMessage(`Their link ${relationText(d)} ends at ${missing}, which has no matching span of yours.`, 'Take Span Too and Link', 'Skip')
            .then((c) => (c === 'Take Span Too and Link' ? this.apply(session, d, 'theirsWithSpans') : c === 'Skip' ? this.apply(session, d, 'mine') : undefined));
          return undefined;
        }
        const ends = { from: d.from.mine?.id, to: d.to.mine?.id };
        if (d.unmatched.length) {
          const taken = unmatchedSpans(d);
          session.doc.add(readerOf(session.document), taken.map((s) => asNewSpan(s.their!)));
          // the span now in my set at that place (the one just added, or an identical one already there)
          const placed = (s: CaseSpan) => session.doc.all().find((x) => !x.orphaned && x.start === s.start && x.end === s.end && x.label === s.label)?.id;
          for (const e of d.unmatched) ends[e] = placed(d[e].theirs!);
        }
        if (!ends.from || !ends.to) return undefined;
        const r = d.theirs[0];
        return session.doc.link({ from: ends.from, to: ends.to, label: r.label, note: r.note, author: r.author }) ? choice : undefined;
      }
    }
  }
}

/** The lightbulb on a span that ends a disagreeing relation: take theirs or keep mine. */
export function relationCodeActions(controller: CompareController, uri: vscode.Uri, from: number, to: number): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const touches = (s: CaseSpan | undefined) => !!s && (from === to ? s.start <= from && from <= s.end : s.start < to && from < s.end);
  for (const d of controller.caseDisagreements(uri)) {
    if (d.kind !== 'relation') continue;
    if (![d.from.mine, d.from.theirs, d.to.mine, d.to.theirs].some(touches)) continue;
    for (const c of caseChoices(d)) {
      const title = `Relation: ${c.title}`;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.command = { title, command: 'misconduct.resolveCaseDisagreement', arguments: [{ uri: uri.toString(), id: d.id, choice: c.choice }] };
      actions.push(action);
    }
  }
  return actions;
}
