/**
 * Base classes for the commands that act on one article (as GitLens's `ActiveEditorCommand`).
 *
 * Why: most commands began with the same prologue — parse the arguments, resolve the article
 * session (a `uri` argument or the active editor, saying so when there is none or it is not an
 * article), refuse when its annotations cannot be changed, find what the command acts on and say
 * so when there is nothing. Written out in each command, the copies drifted (a message here, a
 * check there). Here it is written once; a subclass only says what differs (its arguments, the
 * value it returns when nothing was done, whether it edits) and does its work in `run`.
 *
 * `execute` adds no await of its own: only the session look-up is awaited before `run`, so a
 * command whose `run` is synchronous up to its edit (tagging with a fixed label) edits within the
 * same turn as before.
 */
import * as vscode from 'vscode';
import { perfMark } from '../devProfile';
import { ArticleSession } from '../store/articleSession';
import { AnnotationArgs, Command, parseArgs } from './command';
import { Targets } from './target';

export abstract class ArticleCommand<A extends AnnotationArgs = AnnotationArgs, R = unknown> implements Command {
  abstract readonly id: string;
  /** What the command returns when it did nothing (no article, not editable, nothing targeted). */
  protected abstract readonly none: R;
  /** Whether the article's annotations must be changeable before `run` (a command that only reads says false). */
  protected readonly edits: boolean = true;
  /** Whether to stay silent when there is no article (undo falls through to the editor's own undo). */
  protected readonly quiet: boolean = false;

  constructor(protected readonly targets: Targets) {}

  async execute(arg?: unknown): Promise<R> {
    perfMark(this.id);
    const args = this.parse(arg);
    if (!this.ready(args)) return this.none;
    const session = await this.targets.session(args, this.quiet);
    if (!session || (this.edits && !this.editable(session))) return this.none;
    return this.run(session, args);
  }

  /** The arguments: a uri alone, or an object (the one parser every annotation command shares). */
  protected parse(arg: unknown): A {
    return parseArgs(arg) as A;
  }

  /** A check before the article is looked up (compare mode on, say); says why not. */
  protected ready(_args: A): boolean {
    return true;
  }

  /** Whether the session accepts changes; says why not. */
  protected editable(session: ArticleSession): boolean {
    return this.targets.canEdit(session);
  }

  protected abstract run(session: ArticleSession, args: A): R | Promise<R>;
}

/**
 * An `ArticleCommand` that acts on things found in the article (spans, ranges to tag,
 * suggestions, disagreements): `find` them from the arguments or the cursor; when there are none
 * the user reads `nothingHere` and the command returns `none`.
 */
export abstract class TargetedCommand<T, A extends AnnotationArgs = AnnotationArgs, R = unknown> extends ArticleCommand<A, R> {
  /** The information message shown when `find` finds nothing. */
  protected abstract readonly nothingHere: string;

  protected abstract find(session: ArticleSession, args: A): T[];

  protected override run(session: ArticleSession, args: A): R | Promise<R> {
    const found = this.find(session, args);
    if (!found.length) {
      void vscode.window.showInformationMessage(this.nothingHere);
      return this.none;
    }
    return this.act(session, found, args);
  }

  protected abstract act(session: ArticleSession, found: T[], args: A): R | Promise<R>;
}
