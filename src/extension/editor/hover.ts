/** Hover over an annotated span: its label(s), note, author, source and id, with actions. */
import * as vscode from 'vscode';
import { commandLink } from '../common/commandLink';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';
import { describeRelations, describeSpan, describeSuggestedRelation, SuggestedRelation } from './hoverText';

export class AnnotationHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: ArticleStore,
    /** A language model's relations on offer at a span (both ends annotations, not yet linked). */
    private readonly suggestedRelations: (session: ArticleSession, spanId: string) => readonly SuggestedRelation[] = () => [],
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const session = this.store.get(document.uri);
    if (!session) return undefined;
    const offset = document.offsetAt(position);
    const spans = session.doc.at(offset).filter((s) => s.start < offset || s.start === offset);
    if (!spans.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = {
      enabledCommands: ['misconduct.changeLabel', 'misconduct.editNote', 'misconduct.removeAnnotation', 'misconduct.linkAnnotations', 'misconduct.unlinkAnnotations', 'misconduct.revealAnnotation'],
    };
    md.supportThemeIcons = true;
    spans.forEach((s, i) => {
      if (i) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(describeSpan(s));
      const uri = document.uri.toString();
      const args = { uri, id: s.id };
      const relations = session.doc.relationsOf(s.id);
      if (relations.length) {
        const actions = (r: { id: string }, otherId: string) =>
          `${commandLink('Go to', 'misconduct.revealAnnotation', { uri, id: otherId }, 'go-to-file')} ${commandLink('Unlink', 'misconduct.unlinkAnnotations', { uri, relation: r.id }, 'close')}`;
        md.appendMarkdown(`\n\n${describeRelations(s, relations, (id) => session.doc.get(id), actions)}`);
      }
      const suggested = this.suggestedRelations(session, s.id);
      if (suggested.length) {
        const link = (r: SuggestedRelation) => commandLink('Link', 'misconduct.linkAnnotations', { uri, from: r.from.id, to: r.to.id, label: r.label }, 'link');
        md.appendMarkdown(`\n\n${suggested.map((r) => describeSuggestedRelation(s, r, link(r))).join('  \n')}`);
      }
      md.appendMarkdown(
        `\n\n${commandLink('Change label', 'misconduct.changeLabel', args)} · ${commandLink('Edit note', 'misconduct.editNote', args)} · ${commandLink('Link…', 'misconduct.linkAnnotations', args)} · ${commandLink('Remove', 'misconduct.removeAnnotation', args)}`,
      );
    });
    const outer = spans[spans.length - 1];
    return new vscode.Hover(md, new vscode.Range(document.positionAt(outer.start), document.positionAt(outer.end)));
  }
}
