/** Tagging, removing, relabelling and notes. */
import * as vscode from 'vscode';
import { whenIdle } from '../common/scheduling';
import { Config } from '../config';
import { perfMark } from '../devProfile';
import { readerOf } from '../common/documentText';
import { entityType } from '../../core/normalise';
import { ArticleStore } from '../store/articleStore';
import { Span } from '../../core/annotationDocument';
import { rehearseTag } from './rehearseTag';
import { ArticleSession } from '../store/articleSession';
import { ArticleCommand, TargetedCommand } from './articleCommand';
import { AnnotationArgs } from './command';
import { shorten } from '../common/names';
import { Targets } from './target';

/** Keybindings shown in the label QuickPick; the same chords are contributed in package.json. */
// a Map: label names come from settings, and "constructor" is a valid label name
const LABEL_KEYS = new Map([['force', 'Ctrl+Alt+1'], ['allegation', 'Ctrl+Alt+2'], ['sanction', 'Ctrl+Alt+3']]);

export async function pickLabel(config: Config, counts: Map<string, number>, placeHolder: string, current?: string): Promise<string | undefined> {
  const items = config.labels
    .filter((l) => l.name !== current)
    .map((l) => ({
      label: l.name,
      description: [`${counts.get(l.name) ?? 0} so far`, LABEL_KEYS.get(l.name)].filter(Boolean).join(' · '),
      detail: l.description,
      iconPath: new vscode.ThemeIcon('circle-filled', l.iconColor ? new vscode.ThemeColor(l.iconColor) : undefined),
    }));
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  return pick?.label;
}

/**
 * Once the first article's opening work is done (`Idle.afterOpen`), what the first tag would otherwise do on the key's path:
 * - build the gazetteer detector: a tag names its entity's type (`entityType`: "Hampshire" →
 *   hampshire). The suggestions build it when they first look at an article; with them turned off
 *   the first tag built it, 100 ms or more;
 * - rehearse a tag on a scratch document (`rehearseTag`).
 */
export function prepareTagging(store: ArticleStore): vscode.Disposable {
  let idle: vscode.Disposable | undefined;
  const once = store.onDidOpen(() => {
    once.dispose();
    // (naming an entity's type builds the detector)
    idle = whenIdle(() => (entityType('force', 'Kent Police'), rehearseTag()), 'afterOpen');
  });
  return { dispose: () => (once.dispose(), idle?.dispose()) };
}

export class TagCommand extends TargetedCommand<[number, number], AnnotationArgs, number> {
  protected readonly none = 0;
  protected readonly nothingHere = 'Select the text to tag, or put the cursor on a word.';
  constructor(
    readonly id: string,
    targets: Targets,
    private readonly config: Config,
    /** A fixed label; undefined asks with a QuickPick. */
    private readonly fixedLabel?: string,
  ) {
    super(targets);
  }

  protected find(session: ArticleSession, args: AnnotationArgs): Array<[number, number]> {
    return this.targets.ranges(session, args);
  }

  // the hot path (Ctrl+Alt+1…): with a fixed or given label nothing is awaited before the add
  protected async act(session: ArticleSession, ranges: Array<[number, number]>, args: AnnotationArgs): Promise<number> {
    perfMark('tag: ranges found');
    const label = args.label ?? this.fixedLabel ?? (await pickLabel(this.config, session.doc.labelsInUse(), 'Tag the selection as…'));
    if (!label) return 0;
    if (!/^[a-z][a-z0-9_-]*$/.test(label)) {
      void vscode.window.showErrorMessage(`"${label}" is not a valid label: use lower-case letters, digits, "_" and "-".`);
      return 0;
    }
    const doc = session.document;
    const read = readerOf(doc);
    const added = session.doc.add(
      read,
      ranges.map(([start, end]) => {
        const type = entityType(label, read(start, end), read(end, end + 64)); // positionAt clamps at the end
        return { start, end, label, note: args.note, attributes: type ? { type } : undefined };
      }),
    );
    perfMark('tag: listeners done');
    setTimeout(() => perfMark('tag: next task'), 0);
    return added.length;
  }
}

export class RemoveAnnotationCommand extends TargetedCommand<Span, AnnotationArgs, number> {
  readonly id = 'misconduct.removeAnnotation';
  protected readonly none = 0;
  protected readonly nothingHere = 'There is no annotation under the cursor or in the selection.';

  protected find(session: ArticleSession, args: AnnotationArgs): Span[] {
    return this.targets.spans(session, args);
  }

  protected act(session: ArticleSession, spans: Span[]): number {
    return session.doc.remove(spans.map((s) => s.id)).length;
  }
}

export class ChangeLabelCommand extends ArticleCommand<AnnotationArgs, boolean> {
  readonly id = 'misconduct.changeLabel';
  protected readonly none = false;
  constructor(
    targets: Targets,
    private readonly config: Config,
  ) {
    super(targets);
  }

  protected async run(session: ArticleSession, args: AnnotationArgs): Promise<boolean> {
    const span = await this.targets.one(session, { ...args, label: undefined }, 'relabel');
    if (!span) return false;
    const label = args.label ?? (await pickLabel(this.config, session.doc.labelsInUse(), `Change "${shorten(span.text, 40)}" from ${span.label} to…`, span.label));
    if (!label) return false;
    return !!session.doc.relabel(span.id, label, entityType(label, span.text));
  }
}

export class EditNoteCommand extends ArticleCommand<AnnotationArgs, boolean> {
  readonly id = 'misconduct.editNote';
  protected readonly none = false;

  protected async run(session: ArticleSession, args: AnnotationArgs): Promise<boolean> {
    const span = await this.targets.one(session, args, 'annotate');
    if (!span) return false;
    const note =
      args.note ??
      (await vscode.window.showInputBox({
        title: `Note on "${shorten(span.text, 40)}" (${span.label})`,
        value: span.meta.note ?? '',
        prompt: 'Leave empty to remove the note.',
      }));
    if (note === undefined) return false;
    return !!session.doc.setNote(span.id, note.trim() || undefined);
  }
}

/** Takes back our last annotation change; with none, passes the key on (so no message without an article). */
export class UndoAnnotationCommand extends ArticleCommand<AnnotationArgs, boolean> {
  protected readonly none = false;
  protected override readonly edits = false;
  protected override readonly quiet = true;
  constructor(
    readonly id: string,
    targets: Targets,
    private readonly redo: boolean,
  ) {
    super(targets);
  }

  protected async run(session: ArticleSession): Promise<boolean> {
    const done = this.redo ? session.doc.redo() : session.doc.undo();
    // nothing of ours to undo: pass the key on to the editor's own undo
    if (!done) await vscode.commands.executeCommand(this.redo ? 'redo' : 'undo');
    return done;
  }
}
