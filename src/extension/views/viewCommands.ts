/** The sidebar's commands: grouping and filtering the Annotations view, and article progress. */
import * as vscode from 'vscode';
import { decodeArticle, sha256Hex } from '../../core/article';
import { OffsetMap } from '../../core/offsets';
import { effectiveStatus, STATUS_TITLES, toggledDone, withStatus } from '../../core/progress';
import { ArticleStatus, Sidecar } from '../../core/schema';
import { parseSidecar, readSidecarText, SIDECAR_SUFFIX, SidecarError } from '../../core/sidecar';
import { newSidecar } from '../../core/sidecarEncoding';
import { SidecarProtectedError, writeSidecar } from '../../core/sidecarWrite';
import { Command, parseArgs, toUri } from '../commands/command';
import type { Later } from '../common/afterActivation';
import { Config, GroupBy } from '../config';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../common/names';
import { readBytes, vscodeFileSystem } from '../vscodeFileSystem';
import { AnnotationFilter, AnnotationsTreeProvider } from './annotationsTree';
import { CorpusTreeProvider } from './corpusTree';

/** Switches the Annotations view between "by label" and "in reading order" (or to a fixed one). */
export class GroupByCommand implements Command {
  constructor(
    readonly id: string,
    private readonly config: Config,
    private readonly to?: GroupBy,
  ) {}

  async execute(): Promise<GroupBy> {
    const next = this.to ?? (this.config.groupBy === 'label' ? 'position' : 'label');
    await this.config.setGroupBy(next);
    return next;
  }
}

/**
 * Filters the Annotations view by label(s) and text. Without arguments it asks (labels, then
 * text); `{ labels, text }` sets the filter directly (tests, keybindings).
 */
export class FilterAnnotationsCommand implements Command {
  readonly id = 'misconduct.annotations.filter';
  constructor(
    private readonly tree: Later<AnnotationsTreeProvider>,
    private readonly config: Config,
  ) {}

  async execute(arg?: unknown): Promise<AnnotationFilter | undefined> {
    const given = arg && typeof arg === 'object' && ('labels' in arg || 'text' in arg) ? (arg as AnnotationFilter) : undefined;
    if (given) {
      this.tree().setFilter({ labels: Array.isArray(given.labels) ? given.labels.map(String) : undefined, text: typeof given.text === 'string' ? given.text : undefined });
      return this.tree().filter;
    }
    const current = this.tree().filter;
    const inUse = this.tree().currentSession()?.doc.labelsInUse() ?? new Map<string, number>();
    const names = [...new Set([...this.config.labels.map((l) => l.name), ...[...inUse.keys()].sort()])];
    const items = names.map((name) => {
      const def = this.config.label(name);
      return {
        label: name,
        description: `${inUse.get(name) ?? 0} here`,
        detail: def?.description,
        picked: !!current.labels?.includes(name),
        iconPath: new vscode.ThemeIcon('circle-filled', def?.iconColor ? new vscode.ThemeColor(def.iconColor) : undefined),
      };
    });
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Filter Annotations (1/2): labels',
      placeHolder: 'Labels to show (pick none to show every label)',
    });
    if (!picked) return undefined;
    const text = await vscode.window.showInputBox({
      title: 'Filter Annotations (2/2): text',
      value: current.text ?? '',
      prompt: 'Show annotations whose text or note contains this (any case); leave empty for any text.',
    });
    if (text === undefined) return undefined;
    this.tree().setFilter({ labels: picked.map((p) => p.label), text });
    return this.tree().filter;
  }
}

export class ClearFilterCommand implements Command {
  readonly id = 'misconduct.annotations.clearFilter';
  constructor(private readonly tree: Later<AnnotationsTreeProvider>) {}

  execute(): void {
    this.tree().setFilter({});
  }
}

export class RefreshCorpusCommand implements Command {
  readonly id = 'misconduct.corpus.refresh';
  constructor(private readonly corpus: Later<CorpusTreeProvider>) {}

  async execute(): Promise<void> {
    this.corpus().rescan();
    await this.corpus().ready();
  }
}

/**
 * Marks an article done (`misconduct.markDone`: toggles done ↔ in progress) or in progress
 * (`misconduct.markInProgress`). The argument is a Corpus item, an article uri or `{ uri }`;
 * without one, the active article. An open article changes through its session (written with its
 * annotations); a closed one by rewriting its sidecar, never over an invalid file.
 */
export class MarkStatusCommand implements Command {
  constructor(
    readonly id: string,
    private readonly store: ArticleStore,
    private readonly corpus: Later<CorpusTreeProvider>,
    private readonly to: 'toggle' | ArticleStatus,
  ) {}

  async execute(arg?: unknown): Promise<ArticleStatus | undefined> {
    const uri = toUri(parseArgs(arg).uri) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Open an article, or pick one in the Corpus view, to mark it done.');
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const session = this.store.get(uri) ?? (document ? await this.store.open(document) : undefined);
    if (document && !session) {
      void vscode.window.showInformationMessage(`${basename(uri)} is not an article (see the "misconduct.articles" setting).`);
      return undefined;
    }
    let next: ArticleStatus;
    if (session) {
      if (session.state.kind !== 'ok') {
        if (session.state.kind === 'invalid') this.refuse(uri, session.state.error.problems[0]?.message);
        else void vscode.window.showErrorMessage(`${basename(uri)} cannot be annotated: ${session.state.message}`);
        return undefined;
      }
      next = this.next(effectiveStatus(session.doc.status, session.doc.size));
      session.doc.setStatus(next);
      if (session.document.isDirty) vscode.window.setStatusBarMessage(`${basename(uri)}: ${STATUS_TITLES[next]} (saved with the article)`, 4000);
    } else {
      const written = await this.writeClosed(uri);
      if (!written) return undefined;
      next = written;
      await this.corpus().reread(uri);
    }
    vscode.window.setStatusBarMessage(`$(check) ${basename(uri)}: ${STATUS_TITLES[next]}`, 3000);
    return next;
  }

  private next(current: ArticleStatus): ArticleStatus {
    return this.to === 'toggle' ? toggledDone(current) : this.to;
  }

  /** Read-modify-write of a closed article's sidecar (created when there is none). */
  private async writeClosed(uri: vscode.Uri): Promise<ArticleStatus | undefined> {
    const sidecarUri = uri.with({ path: uri.path + SIDECAR_SUFFIX });
    try {
      const json = await readSidecarText(vscodeFileSystem, sidecarUri.toString());
      let sidecar: Sidecar;
      if (json === undefined) {
        const bytes = await readBytes(uri);
        sidecar = newSidecar(basename(uri), sha256Hex(bytes), new OffsetMap(decodeArticle(bytes)).length);
      } else {
        sidecar = parseSidecar(sidecarUri.fsPath, json);
      }
      const next = this.next(effectiveStatus(sidecar.status, sidecar.annotations.length));
      await writeSidecar(vscodeFileSystem, sidecarUri.toString(), withStatus(sidecar, next));
      return next;
    } catch (err) {
      if (err instanceof SidecarError) this.refuse(uri, err.problems[0]?.message ?? err.message);
      else if (err instanceof SidecarProtectedError) this.refuse(uri, err.sidecarError.problems[0]?.message ?? err.message);
      else void vscode.window.showErrorMessage(`Could not change the status of ${basename(uri)}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private refuse(uri: vscode.Uri, why: string | undefined): void {
    void vscode.window
      .showErrorMessage(`The status of ${basename(uri)} was not changed: its annotations file is not valid${why ? ` (${why})` : ''}. Fix it first.`, 'Open Sidecar')
      .then((c) => c && vscode.commands.executeCommand('misconduct.openSidecar', uri));
  }
}
