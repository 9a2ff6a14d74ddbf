/**
 * Compare-mode commands. Adjudication commands act on the disagreement under the cursor, or take
 * `{ uri?, cluster?, start?, end? }`: `cluster` is a cluster id (`"start:end"`, as in
 * `CompareApi.disagreements`), `start`/`end` are UTF-16 offsets (editor offsets, like the
 * lightbulb's arguments) picking the clusters that range touches.
 */
import * as vscode from 'vscode';
import type { Later } from '../common/afterActivation';
import { ArticleCommand, TargetedCommand } from '../commands/articleCommand';
import { AnnotationArgs, Command, toUri } from '../commands/command';
import { Targets } from '../commands/target';
import { readerOf } from '../common/documentText';
import { ArticleSession } from '../store/articleSession';
import { asNewSpan, CompareCluster, CompareController } from './compareController';
import { relationCodeActions } from './caseCommands';
import { neighbourCluster } from './disagreements';

export interface ClusterArgs extends Pick<AnnotationArgs, 'uri' | 'start' | 'end'> {
  cluster?: string;
}

export class CompareWithCommand implements Command {
  readonly id = 'misconduct.compareWith';
  constructor(
    private readonly controller: Later<CompareController>,
    private readonly targets: Targets,
  ) {}

  /** Accepts a folder path or Uri; asks for a folder otherwise. Returns the root compared with. */
  async execute(arg?: unknown): Promise<string | undefined> {
    let root: vscode.Uri | undefined;
    if (typeof arg === 'string') root = toUri(arg);
    else if (arg instanceof vscode.Uri) root = arg;
    else if (arg && typeof arg === 'object' && 'root' in arg) root = toUri((arg as { root: string | vscode.Uri }).root);
    if (!root) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Compare',
        title: "Compare with another annotator's set (their copy of the corpus)",
      });
      root = picked?.[0];
    }
    if (!root) return undefined;
    try {
      const stat = await vscode.workspace.fs.stat(root);
      if (stat.type !== vscode.FileType.Directory && !(stat.type & vscode.FileType.Directory)) throw new Error('not a folder');
    } catch {
      void vscode.window.showErrorMessage(`${root.scheme === 'file' ? root.fsPath : root.toString(true)} is not a folder.`);
      return undefined;
    }
    await this.controller().start(root);
    // make sure the active article is compared even if its session was still loading
    const session = await this.targets.session({}, true);
    if (session) await this.controller().ensure(session);
    return this.controller().root;
  }
}

export class StopComparingCommand implements Command {
  readonly id = 'misconduct.stopComparing';
  constructor(private readonly controller: Later<CompareController>) {}
  execute(): void {
    this.controller().stop();
  }
}

/** Moves the cursor to the next/previous cluster; returns its id. */
export class GoToDisagreementCommand extends ArticleCommand<ClusterArgs, string | undefined> {
  protected readonly none = undefined;
  protected override readonly edits = false;
  constructor(
    readonly id: string,
    private readonly controller: Later<CompareController>,
    targets: Targets,
    private readonly direction: 1 | -1,
  ) {
    super(targets);
  }

  protected override ready(): boolean {
    return this.controller().comparingOrSay();
  }

  protected async run(session: ArticleSession): Promise<string | undefined> {
    await this.controller().ensure(session);
    const editor = this.targets.editor(session) ?? (await vscode.window.showTextDocument(session.document));
    const doc = editor.document;
    const offset = doc.offsetAt(editor.selection.active);
    const cluster = neighbourCluster(this.controller().disagreements(session.uri), offset, this.direction);
    if (!cluster) {
      void vscode.window.showInformationMessage('No disagreements left in this article.');
      return undefined;
    }
    const pos = doc.positionAt(cluster.start);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, doc.positionAt(cluster.end)), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return cluster.id;
  }
}

export type Resolution = 'acceptTheirs' | 'keepMine' | 'keepBoth' | 'removeBoth';

const RESOLUTION_TITLES: Record<Resolution, string> = {
  acceptTheirs: 'Accept Theirs',
  keepMine: 'Keep Mine',
  keepBoth: 'Keep Both',
  removeBoth: 'Remove Both',
};

/** Returns the number of clusters resolved. */
export class ResolveDisagreementCommand extends TargetedCommand<CompareCluster, ClusterArgs, number> {
  readonly id: string;
  protected readonly none = 0;
  protected readonly nothingHere = 'Put the cursor on a disagreement (see "Next Disagreement").';
  // Keep Mine changes nothing of mine: checked in `act`, for the other three
  protected override readonly edits = false;
  constructor(
    private readonly resolution: Resolution,
    private readonly controller: Later<CompareController>,
    targets: Targets,
  ) {
    super(targets);
    this.id = `misconduct.${resolution}`;
  }

  protected override ready(): boolean {
    return this.controller().comparingOrSay();
  }

  protected override async run(session: ArticleSession, args: ClusterArgs): Promise<number> {
    await this.controller().ensure(session);
    return super.run(session, args);
  }

  protected act(session: ArticleSession, clusters: CompareCluster[]): number {
    if (this.resolution !== 'keepMine' && !this.targets.canEdit(session)) return 0;
    const mine = clusters.flatMap((c) => c.mine);
    const theirs = clusters.flatMap((c) => c.theirs);
    const read = readerOf(session.document);
    switch (this.resolution) {
      case 'acceptTheirs':
        // one undo step: my spans of the clusters out, theirs in (with their author, note, attributes)
        if (mine.length || theirs.length) session.doc.replace(read, mine.map((s) => s.id), theirs.map(asNewSpan));
        break;
      case 'keepMine':
        this.controller().hide(session.uri, { mine, theirs });
        this.controller().refresh(session);
        break;
      case 'keepBoth':
        // what stays of mine no longer counts as a disagreement
        this.controller().hide(session.uri, { mine });
        if (theirs.length) session.doc.add(read, theirs.map(asNewSpan));
        else this.controller().refresh(session);
        break;
      case 'removeBoth':
        this.controller().hide(session.uri, { theirs });
        if (mine.length) session.doc.remove(mine.map((s) => s.id));
        else this.controller().refresh(session);
        break;
    }
    return clusters.length;
  }

  protected find(session: ArticleSession, args: ClusterArgs): CompareCluster[] {
    const all = this.controller().disagreements(session.uri);
    if (args.cluster) return all.filter((c) => c.id === args.cluster);
    if (typeof args.start === 'number') {
      const end = typeof args.end === 'number' ? args.end : args.start;
      return this.controller().clustersAt(session.uri, args.start, end);
    }
    const editor = this.targets.editor(session);
    if (!editor) return [];
    const doc = editor.document;
    const seen = new Map<string, CompareCluster>();
    for (const sel of editor.selections) {
      for (const c of this.controller().clustersAt(session.uri, doc.offsetAt(sel.start), doc.offsetAt(sel.end))) seen.set(c.id, c);
    }
    return [...seen.values()];
  }
}


/**
 * A resolution's title with the labels it keeps: "Accept Theirs (allegation)", "Keep Mine
 * (sanction)", "Keep Both (sanction + allegation)"; with several clusters under the cursor, which
 * text each one is about.
 */
function resolutionTitle(resolution: Resolution, c: Pick<CompareCluster, 'mine' | 'theirs'>, several = false): string {
  const labels = (spans: ReadonlyArray<{ label: string }>) => [...new Set(spans.map((s) => s.label))].join(', ') || 'nothing';
  const both = [...new Set([...c.mine, ...c.theirs].map((s) => s.label))].join(' + ');
  const kept = { acceptTheirs: labels(c.theirs), keepMine: labels(c.mine), keepBoth: both, removeBoth: '' }[resolution];
  const where = several ? ` on “${shortText([...c.mine, ...c.theirs][0]?.text ?? '')}”` : '';
  return `${RESOLUTION_TITLES[resolution]}${kept ? ` (${kept})` : ''}${where}`;
}

function shortText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 30 ? `${t.slice(0, 29)}…` : t;
}

/** The lightbulb on a disagreement: the four resolutions. */
export class DisagreementCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly controller: CompareController) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    if (!this.controller.comparing) return [];
    const [from, to] = [document.offsetAt(range.start), document.offsetAt(range.end)];
    const clusters = this.controller.clustersAt(document.uri, from, to);
    const actions: vscode.CodeAction[] = [];
    for (const c of clusters) {
      const args = { uri: document.uri.toString(), cluster: c.id };
      for (const resolution of Object.keys(RESOLUTION_TITLES) as Resolution[]) {
        const title = resolutionTitle(resolution, c, clusters.length > 1);
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.command = { title, command: `misconduct.${resolution}`, arguments: [args] };
        actions.push(action);
      }
    }
    // relations with an end here that the two sets link differently
    actions.push(...relationCodeActions(this.controller, document.uri, from, to));
    return actions;
  }
}
