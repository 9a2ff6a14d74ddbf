/**
 * Hover over a suggestion: the label it would become, why it was suggested (the gazetteer entry,
 * or the rule or learned model a detector names through the optional `source` / `reason` fields),
 * and Accept / Reject links. A suggestion no configured label takes says so and how to change it.
 *
 * Everything from the article or the gazetteers is escaped; the links run only our two commands
 * (and the settings editor), with JSON arguments percent-encoded.
 */
import * as vscode from 'vscode';
import { entryName } from '../../core/detect';
import type { Category } from '../../core/detect';
import { commandLink } from '../common/commandLink';
import { shorten } from '../common/names';
import { ArticleStore } from '../store/articleStore';
import { escapeMarkdown } from '../common/markdown';
import { Suggestion } from './detection';
import { SuggestionController } from './suggestionController';

/** Optional provenance a detector may attach to a suggestion (rules and learned models do). */
interface Provenance {
  source?: unknown;
  reason?: unknown;
}

const SOURCES: ReadonlyMap<string, string> = new Map([
  ['gazetteer', 'gazetteer entry'],
  ['rule', 'rule'],
  ['learned', 'learned from your annotations'],
  ['model', 'language model'],
]);

/** Why a suggestion was made, in words (already escaped for Markdown). */
function whySuggested(s: Suggestion): string {
  const p = s as Suggestion & Provenance;
  const source = typeof p.source === 'string' ? p.source : 'gazetteer';
  // the detector's reasons start with their source ("gazetteer: …", "rule: …"): said once here
  const said = typeof p.reason === 'string' ? p.reason.trim() : '';
  const reason = (said.startsWith(`${source}:`) ? said.slice(source.length + 1).trim() : said) || undefined;
  const what = source === 'model' && typeof s.model === 'string' ? `language model ${s.model}` : (SOURCES.get(source) ?? source);
  if (reason) return `${escapeMarkdown(what)}: ${escapeMarkdown(shorten(reason, 300))}`;
  if (source === 'gazetteer') {
    const name = entryName(s.category as Category, s.type);
    return `${escapeMarkdown(what)}: ${escapeMarkdown(name ?? s.type)}${s.type ? ` (\`${escapeCode(s.type)}\`)` : ''}`;
  }
  return escapeMarkdown(what);
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}

export class SuggestionHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly controller: SuggestionController,
    private readonly store: ArticleStore,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const session = this.store.get(document.uri);
    if (!session || session.state.kind !== 'ok') return undefined;
    const offset = document.offsetAt(position);
    // a suggestion ending right at the cursor is not under it (same rule as the annotation hover)
    const found = this.controller.model(session).at(offset).filter((s) => s.end > offset);
    if (!found.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['misconduct.acceptSuggestion', 'misconduct.rejectSuggestion', 'workbench.action.openSettings'] };
    md.supportThemeIcons = true;
    found.forEach((s, i) => {
      if (i) md.appendMarkdown('\n\n---\n\n');
      const label = this.controller.labelFor(s);
      const args = { uri: document.uri.toString(), suggestion: { start: s.start, end: s.end, category: s.category } };
      const quote = escapeMarkdown(`“${shorten(s.text, 80)}”`);
      if (label) {
        md.appendMarkdown(`$(lightbulb) **${escapeMarkdown(label)}?** suggestion: ${quote}\n\n`);
      } else {
        md.appendMarkdown(`$(lightbulb) **${escapeMarkdown(s.category)}** (highlight only): ${quote}\n\n`);
      }
      md.appendMarkdown(`Why: ${whySuggested(s)}\n\n`);
      if (label) {
        md.appendMarkdown(`${commandLink(`Accept as ${label}`, 'misconduct.acceptSuggestion', args)} · ${commandLink('Reject', 'misconduct.rejectSuggestion', args)}`);
      } else {
        md.appendMarkdown(
          `No configured label takes ${escapeMarkdown(s.category)} suggestions: give one \`"categories": ["${escapeCode(s.category)}"]\` in ${commandLink('misconduct.labels', 'workbench.action.openSettings', 'misconduct.labels')} to accept them. ${commandLink('Reject', 'misconduct.rejectSuggestion', args)}`,
        );
      }
    });
    const outer = found[found.length - 1];
    return new vscode.Hover(md, new vscode.Range(document.positionAt(outer.start), document.positionAt(outer.end)));
  }
}
