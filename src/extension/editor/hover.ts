/** Hover over an annotated span: its label(s), note, author, source and id, with actions. */
import * as vscode from 'vscode';
import { Span } from '../../core/annotationDocument';
import { ArticleStore } from '../store/articleStore';

function commandLink(title: string, command: string, args: unknown): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}

export class AnnotationHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: ArticleStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const session = this.store.get(document.uri);
    if (!session) return undefined;
    const offset = document.offsetAt(position);
    const spans = session.doc.at(offset).filter((s) => s.start < offset || s.start === offset);
    if (!spans.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['misconduct.changeLabel', 'misconduct.editNote', 'misconduct.removeAnnotation'] };
    md.supportThemeIcons = true;
    spans.forEach((s, i) => {
      if (i) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(describe(s));
      const args = { uri: document.uri.toString(), id: s.id };
      md.appendMarkdown(
        `\n\n${commandLink('Change label', 'misconduct.changeLabel', args)} · ${commandLink('Edit note', 'misconduct.editNote', args)} · ${commandLink('Remove', 'misconduct.removeAnnotation', args)}`,
      );
    });
    const outer = spans[spans.length - 1];
    return new vscode.Hover(md, new vscode.Range(document.positionAt(outer.start), document.positionAt(outer.end)));
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function describe(s: Span): string {
  const lines = [`**${escape(s.label)}** $(tag)`];
  if (s.meta.note) lines.push(`$(note) ${escape(s.meta.note)}`);
  const facts = [s.meta.source === 'suggestion' ? 'accepted suggestion' : 'tagged by hand', s.meta.author ? `by ${escape(s.meta.author)}` : '', `\`${s.id}\``];
  if (s.meta.attributes) facts.push(...Object.entries(s.meta.attributes).map(([k, v]) => `${escape(k)}: ${escape(v)}`));
  lines.push(facts.filter(Boolean).join(' · '));
  return lines.join('\n\n');
}
