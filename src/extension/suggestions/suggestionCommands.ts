/** Accept, accept all, reject: turning suggestions into annotations, or hiding them for good. */
import * as vscode from 'vscode';
import { OffsetMap } from '../../core/offsets';
import { ArticleCommand, TargetedCommand } from '../commands/articleCommand';
import { AnnotationArgs } from '../commands/command';
import { shorten } from '../common/names';
import { Targets } from '../commands/target';
import { ArticleSession } from '../store/articleSession';
import { Suggestion } from './detection';
import { SuggestionController } from './suggestionController';

/**
 * Arguments: `{ uri, start, end }` in code points (public, like the tagging commands), optional
 * `label`; or `{ uri, suggestion: { start, end, category } }` in editor offsets (our code actions).
 */
interface SuggestionArgs extends AnnotationArgs {
  suggestion?: { start: number; end: number; category: string };
  /** Accept All: skip the confirmation (for tests and keybindings that pass a label). */
  confirm?: boolean;
}

/** Accept and Reject: the suggestions under the cursor, at `start`/`end`, or the one `suggestion` names. */
abstract class SuggestionCommand extends TargetedCommand<Suggestion, SuggestionArgs, number> {
  protected readonly none = 0;
  protected readonly nothingHere = 'There is no suggestion under the cursor.';
  constructor(
    protected readonly controller: SuggestionController,
    targets: Targets,
  ) {
    super(targets);
  }

  protected find(session: ArticleSession, args: SuggestionArgs): Suggestion[] {
    const model = this.controller.model(session);
    if (args.suggestion) {
      const { start, end, category } = args.suggestion;
      return model.at(start, end).filter((s) => s.start === start && s.end === end && s.category === category);
    }
    if (typeof args.start === 'number') {
      const map = new OffsetMap(session.document.getText());
      const start = map.toUtf16(args.start);
      const end = map.toUtf16(args.end ?? args.start);
      const inWindow = model.at(start, end);
      return inWindow.length ? inWindow : this.controller.allSuggestions(session).filter((s) => (start === end ? s.start <= start && start <= s.end : s.start < end && s.end > start));
    }
    return this.controller.underCursor(session, this.targets.editor(session));
  }
}

export class AcceptSuggestionCommand extends SuggestionCommand {
  readonly id = 'misconduct.acceptSuggestion';

  protected act(session: ArticleSession, found: Suggestion[], args: SuggestionArgs): number {
    let added = 0;
    for (const s of found) {
      const label = args.label ?? this.controller.labelFor(s);
      if (label) added += this.controller.accept(session, [s], label);
      else void vscode.window.showInformationMessage(`"${shorten(s.text, 40)}" is a ${s.category} suggestion, which no configured label takes: it is a highlight only. Give a label "categories": ["${s.category}"] in the misconduct.labels setting to accept it.`);
    }
    return added;
  }
}

export class AcceptAllSuggestionsCommand extends ArticleCommand<SuggestionArgs, number> {
  readonly id = 'misconduct.acceptAllSuggestions';
  protected readonly none = 0;
  constructor(
    private readonly controller: SuggestionController,
    targets: Targets,
  ) {
    super(targets);
  }

  protected async run(session: ArticleSession, args: SuggestionArgs): Promise<number> {
    const all = this.controller.offered(this.controller.allSuggestions(session));
    if (!all.length) {
      void vscode.window.showInformationMessage('There are no suggestions to accept for the configured labels.');
      return 0;
    }
    let label = args.label;
    if (!label) {
      const counts = new Map<string, number>();
      for (const s of all) counts.set(this.controller.labelFor(s)!, (counts.get(this.controller.labelFor(s)!) ?? 0) + 1);
      const pick = await vscode.window.showQuickPick(
        [{ label: 'All labels', description: `${all.length} suggestions`, value: '' }, ...[...counts].map(([c, n]) => ({ label: c, description: `${n} suggestion${n > 1 ? 's' : ''}`, value: c }))],
        { placeHolder: 'Accept the suggestions of which label?' },
      );
      if (!pick) return 0;
      label = pick.value || undefined;
    }
    const chosen = label ? all.filter((s) => this.controller.labelFor(s) === label) : all;
    if (!chosen.length) return 0;
    if (args.confirm !== false) {
      const ok = await vscode.window.showInformationMessage(
        `Add ${chosen.length} annotation${chosen.length > 1 ? 's' : ''} from suggestions? One undo takes them all back.`,
        { modal: true },
        'Add',
      );
      if (ok !== 'Add') return 0;
    }
    return this.controller.accept(session, chosen);
  }
}

export class RejectSuggestionCommand extends SuggestionCommand {
  readonly id = 'misconduct.rejectSuggestion';

  protected act(session: ArticleSession, found: Suggestion[]): number {
    for (const s of found) this.controller.reject(session, s);
    return found.length;
  }
}
