/**
 * The Corpus view: every article in the workspace with its annotation count and progress.
 *
 * Built to stay responsive on 10,000 articles: the file list comes first (one `findFiles` per
 * glob, plus one for the sidecars, so articles without one are never read); sidecars are then read
 * in the background in small batches, yielding to the event loop between batches. After that,
 * file watchers and the store's session events update only the article concerned (one
 * `onDidChangeTreeData(entry)`); open articles show their live state from the store.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { Pause } from '../common/scheduling';
import { ArticleDecodeError } from '../../core/article';
import { EXPORT_FOLDER } from '../../core/corpus';
import { effectiveStatus, formatProgress, STATUS_TITLES, summarize } from '../../core/progress';
import { ArticleStatus } from '../../core/schema';
import { isSidecarPath, loadArticleSidecar, SIDECAR_SUFFIX, SidecarError } from '../../core/sidecar';
import { ContextKeyService } from '../common/contextKeys';
import { Config } from '../config';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore, articleUri } from '../store/articleStore';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { escapeMarkdown } from '../common/markdown';
import { copySuffix } from './corpusCopies';

/** Not articles: dependencies, and the export folders Export Dataset… suggests (see EXPORT_FOLDER). */
const EXCLUDE = '{**/node_modules/**,**/export-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*/**}';
/** Sidecars read at once before yielding to the event loop. */
const BATCH = 16;

/** One article: the tree element (it carries `uri`, so commands accept it as their argument). */
export interface ArticleEntry {
  kind: 'article';
  uri: vscode.Uri;
  /** Workspace-relative path, `/`-separated (the sort key). */
  relativePath: string;
  /** Whether a sidecar exists, as far as we know. */
  hasSidecar: boolean;
  /** Whether the annotation count and status are known yet. */
  loaded: boolean;
  count: number;
  orphans: number;
  status: ArticleStatus;
  /** Why the article is flagged: invalid annotations file, orphaned annotations, unreadable. */
  problem?: string;
  /** The article this one is a near copy of (corpusCopies.ts). */
  duplicateOf?: string;
}

type Snapshot = Pick<ArticleEntry, 'loaded' | 'count' | 'orphans' | 'status' | 'problem' | 'hasSidecar' | 'duplicateOf'>;

export class CorpusTreeProvider extends Disposable implements vscode.TreeDataProvider<ArticleEntry> {
  private readonly changed = new vscode.EventEmitter<ArticleEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<ArticleEntry | undefined>();
  /** Fires when an entry's data changed (undefined: the list changed). Tests wait on it. */
  readonly onDidUpdate = this.updated.event;
  private articleWatchers: vscode.Disposable[] = [];
  private readonly entries = new Map<string, ArticleEntry>();
  private sorted: ArticleEntry[] | undefined;
  private view: vscode.TreeView<ArticleEntry> | undefined;

  private started = false;
  private scanning: Promise<void> | undefined;
  private generation = 0;
  /** Articles whose sidecar must be (re)read, by uri string. */
  private readonly queue = new Set<string>();
  private pump: Promise<void> | undefined;
  private queueTimer: NodeJS.Timeout | undefined;
  private listTimer: NodeJS.Timeout | undefined;
  private summaryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: ArticleStore,
    private readonly config: Config,
    private readonly keys: ContextKeyService,
  ) {
    super();
    const sidecars = vscode.workspace.createFileSystemWatcher(`**/*${SIDECAR_SUFFIX}`);
    const onSidecar = (exists: boolean) => (u: vscode.Uri) => {
      const entry = this.entries.get(articleUri(u).toString());
      if (!entry) return;
      entry.hasSidecar = exists;
      this.enqueue(entry.uri);
    };
    this._register(vscode.Disposable.from(
      this.changed,
      this.updated,
      sidecars,
      sidecars.onDidCreate(onSidecar(true)),
      sidecars.onDidChange(onSidecar(true)),
      sidecars.onDidDelete(onSidecar(false)),
      store.onDidChangeSession((s) => this.fromSession(s)),
      store.onDidOpen((s) => this.fromSession(s)),
      // back to what is on disk (the store flushes a pending write on close; its watcher event follows)
      store.onDidClose((uri) => this.entries.has(uri.toString()) && this.enqueue(uri)),
      config.onDidChange((e) => e.affectsConfiguration('misconduct.articles') && this.started && this.rescan()),
    ));
  }

  attach(view: vscode.TreeView<ArticleEntry>): void {
    this.view = view;
    this.updateSummary();
  }

  // ------------------------------------------------------------------------------------------
  // TreeDataProvider

  getChildren(element?: ArticleEntry): ArticleEntry[] {
    if (element) return [];
    this.start();
    return (this.sorted ??= [...this.entries.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0)));
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(entry: ArticleEntry): vscode.TreeItem {
    const name = entry.relativePath.split('/').pop() ?? entry.relativePath;
    const folder = entry.relativePath.includes('/') ? entry.relativePath.slice(0, entry.relativePath.lastIndexOf('/')) : '';
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = entry.uri.toString();
    item.resourceUri = entry.uri;
    const count = entry.loaded ? `${entry.count}` : '…';
    item.description = (folder ? `${count} · ${folder}` : count) + copySuffix(entry);
    item.iconPath = this.icon(entry);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(entry.relativePath)}**\n\n`);
    if (entry.loaded) md.appendMarkdown(`${STATUS_TITLES[entry.status]} · ${entry.count} annotation${entry.count === 1 ? '' : 's'}`);
    else md.appendMarkdown('Reading its annotations…');
    if (entry.problem) md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(entry.problem)}`);
    item.tooltip = md;
    item.contextValue = entry.status === 'done' ? 'misconduct.article.done' : 'misconduct.article';
    item.command = { title: 'Open Article', command: 'vscode.open', arguments: [entry.uri] };
    item.accessibilityInformation = {
      label: `${entry.relativePath}, ${entry.loaded ? `${STATUS_TITLES[entry.status]}, ${entry.count} annotations` : 'loading'}${entry.problem ? `, warning: ${entry.problem}` : ''}`,
    };
    return item;
  }

  private icon(entry: ArticleEntry): vscode.ThemeIcon {
    if (entry.problem) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    if (!entry.loaded) return new vscode.ThemeIcon('loading~spin');
    if (entry.status === 'done') return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    if (entry.status === 'in_progress') return new vscode.ThemeIcon('record', new vscode.ThemeColor('charts.yellow'));
    return new vscode.ThemeIcon('circle-large-outline');
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  /** The entry of an article (undefined until the scan found it). */
  entry(uri: vscode.Uri): ArticleEntry | undefined {
    return this.entries.get(uri.toString());
  }

  all(): ArticleEntry[] {
    return this.getChildren();
  }

  /** Starts listing the corpus (the first time the view asks for its items). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.createArticleWatchers();
    this.scanning = this.scan(this.generation);
  }

  /** Lists the corpus again from scratch (the globs changed, or the user asked). */
  rescan(): void {
    this.started = true;
    this.generation++;
    this.entries.clear();
    this.queue.clear();
    this.sorted = undefined;
    this.createArticleWatchers();
    this.scanning = this.scan(this.generation);
  }

  /** Resolves once the list is known and every queued sidecar has been read. */
  async ready(): Promise<void> {
    this.start();
    for (;;) {
      await this.scanning;
      if (!this.queue.size && !this.pump && !this.queueTimer) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Re-reads one article now (after a command changed its sidecar). */
  async reread(uri: vscode.Uri): Promise<void> {
    const entry = this.entries.get(uri.toString());
    if (entry) await this.read(entry, this.generation);
  }

  private async scan(generation: number): Promise<void> {
    if (this.view) this.view.message = 'Looking for articles…';
    const found = new Map<string, vscode.Uri>();
    const [sidecars, ...lists] = await Promise.all([
      vscode.workspace.findFiles(`**/*${SIDECAR_SUFFIX}`, EXCLUDE),
      ...this.config.articleGlobs.map((g) => vscode.workspace.findFiles(g, EXCLUDE)),
    ]);
    if (generation !== this.generation) return;
    for (const list of lists) for (const u of list) if (!isSidecarPath(u.path)) found.set(u.toString(), u);
    const withSidecar = new Set(sidecars.map((u) => articleUri(u).toString()));
    let n = 0;
    for (const [key, uri] of found) {
      // a huge corpus is listed in slices, so the extension host keeps answering meanwhile
      if (++n % 1000 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (generation !== this.generation) return;
      }
      const hasSidecar = withSidecar.has(key);
      const entry = this.newEntry(uri, hasSidecar);
      this.entries.set(key, entry);
      const session = this.store.get(uri);
      if (session) this.apply(entry, snapshotOf(session));
      else if (hasSidecar) this.queue.add(key);
    }
    this.sorted = undefined;
    if (this.view) this.view.message = undefined;
    this.keys.set('corpusEmpty', this.entries.size === 0);
    this.changed.fire(undefined);
    this.updated.fire(undefined);
    this.updateSummary();
    this.startPump();
  }

  private newEntry(uri: vscode.Uri, hasSidecar: boolean): ArticleEntry {
    return {
      kind: 'article',
      uri,
      relativePath: vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      hasSidecar,
      loaded: !hasSidecar,
      count: 0,
      orphans: 0,
      status: 'not_started',
    };
  }

  private createArticleWatchers(): void {
    this.articleWatchers.forEach((d) => d.dispose());
    this.articleWatchers = [];
    for (const glob of this.config.articleGlobs) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.articleWatchers.push(
        w,
        w.onDidCreate((u) => this.onArticleCreated(u)),
        w.onDidDelete((u) => this.onArticleDeleted(u)),
        w.onDidChange((u) => {
          const entry = this.entries.get(u.toString());
          // the text changed under the sidecar: annotations may now be orphaned
          if (entry?.hasSidecar) this.enqueue(u);
        }),
      );
    }
  }

  private onArticleCreated(uri: vscode.Uri): void {
    if (isSidecarPath(uri.path) || uri.path.includes('/node_modules/') || uri.path.split('/').some((p) => EXPORT_FOLDER.test(p)) || this.entries.has(uri.toString())) return;
    const entry = this.newEntry(uri, true); // a sidecar may come with it (copy, checkout): read to know
    this.entries.set(uri.toString(), entry);
    this.listChanged();
    this.enqueue(uri);
  }

  private onArticleDeleted(uri: vscode.Uri): void {
    if (!this.entries.delete(uri.toString())) return;
    this.queue.delete(uri.toString());
    this.listChanged();
  }

  /** Entries were added or removed: one root refresh for a burst of them. */
  private listChanged(): void {
    this.sorted = undefined;
    clearTimeout(this.listTimer);
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      this.keys.set('corpusEmpty', this.entries.size === 0);
      this.changed.fire(undefined);
      this.updated.fire(undefined);
      this.updateSummary();
    }, Pause.fileEvents);
  }

  private enqueue(uri: vscode.Uri): void {
    if (!this.started) return;
    this.queue.add(uri.toString());
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      this.startPump();
    }, Pause.fileEvents);
  }

  private startPump(): void {
    if (this.pump) return;
    const generation = this.generation;
    this.pump = (async () => {
      while (this.queue.size && generation === this.generation) {
        const keys = [...this.queue].slice(0, BATCH);
        keys.forEach((k) => this.queue.delete(k));
        await Promise.all(keys.map((k) => this.entries.get(k)).filter((e): e is ArticleEntry => !!e).map((e) => this.read(e, generation)));
        // let the extension host breathe: typing, hovers and other views stay responsive
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })().finally(() => {
      this.pump = undefined;
      if (this.queue.size && generation === this.generation) this.startPump();
      else this.settle();
    });
  }

  private settle(): void {
    this.updateSummary();
    if (this.queue.size || this.pump || this.queueTimer) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  /** Reads one article's sidecar from disk; an open article's live session wins. */
  private async read(entry: ArticleEntry, generation: number): Promise<void> {
    const session = this.store.get(entry.uri);
    if (session) {
      this.apply(entry, snapshotOf(session));
      return;
    }
    let next: Snapshot;
    try {
      const state = await loadArticleSidecar(vscodeFileSystem, entry.uri.toString());
      if (state.kind === 'missing') next = { loaded: true, hasSidecar: false, count: 0, orphans: 0, status: 'not_started' };
      else if (state.kind === 'invalid') next = { loaded: true, hasSidecar: true, count: 0, orphans: 0, status: 'not_started', problem: invalidReason(state.error) };
      else {
        const { annotations, status } = state.sidecar;
        const orphans = annotations.filter((a) => a.orphaned).length;
        next = { loaded: true, hasSidecar: true, count: annotations.length, orphans, status: effectiveStatus(status, annotations.length), problem: orphanReason(orphans), duplicateOf: state.sidecar.duplicateOf };
      }
    } catch (err) {
      if (isNotFound(err)) return; // deleted meanwhile: its watcher event removes it
      const why = err instanceof ArticleDecodeError ? `cannot be annotated: ${err.message}` : `could not be read: ${(err as Error).message}`;
      next = { loaded: true, hasSidecar: entry.hasSidecar, count: 0, orphans: 0, status: 'not_started', problem: why };
    }
    // the article was opened (its session is the truth now) or the corpus was listed again
    if (generation !== this.generation || this.store.get(entry.uri) || this.entries.get(entry.uri.toString()) !== entry) return;
    this.apply(entry, next);
  }

  private fromSession(session: ArticleSession): void {
    const entry = this.entries.get(session.uri.toString());
    if (entry) this.apply(entry, snapshotOf(session));
  }

  /** Updates an entry, redrawing only it (and the progress) when something visible changed. */
  private apply(entry: ArticleEntry, next: Snapshot): void {
    const same =
      entry.loaded === next.loaded &&
      entry.count === next.count &&
      entry.orphans === next.orphans &&
      entry.status === next.status &&
      entry.problem === next.problem &&
      entry.hasSidecar === next.hasSidecar &&
      entry.duplicateOf === next.duplicateOf;
    if (same) return;
    Object.assign(entry, { problem: undefined, duplicateOf: undefined }, next);
    this.changed.fire(entry);
    this.updated.fire(entry);
    this.scheduleSummary();
  }

  // ------------------------------------------------------------------------------------------
  // Progress

  progress() {
    return summarize([...this.entries.values()].map((e) => ({ status: e.status, flagged: !!e.problem })));
  }

  private scheduleSummary(): void {
    if (this.summaryTimer) return;
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = undefined;
      this.updateSummary();
    }, Pause.fileEvents);
  }

  /** "12 / 40 done" in the view's description (with a note while sidecars are still being read). */
  describe(): string {
    const p = this.progress();
    const pending = [...this.entries.values()].filter((e) => !e.loaded).length;
    return [formatProgress(p), p.flagged ? `${p.flagged} flagged` : undefined, pending ? `reading ${pending}…` : undefined].filter(Boolean).join(' · ');
  }

  private updateSummary(): void {
    if (!this.view || !this.started) return;
    this.view.description = this.describe();
  }

  override dispose(): void {
    this.generation++;
    clearTimeout(this.queueTimer);
    clearTimeout(this.listTimer);
    clearTimeout(this.summaryTimer);
    this.articleWatchers.forEach((d) => d.dispose());
    super.dispose();
    this.idleWaiters.forEach((w) => w());
  }
}

function snapshotOf(session: ArticleSession): Snapshot {
  const doc = session.doc;
  if (session.state.kind === 'invalid') {
    return { loaded: true, hasSidecar: true, count: 0, orphans: 0, status: effectiveStatus(doc.status, 0), problem: invalidReason(session.state.error) };
  }
  if (session.state.kind === 'unreadable') {
    return { loaded: true, hasSidecar: false, count: 0, orphans: 0, status: 'not_started', problem: `cannot be annotated: ${session.state.message}` };
  }
  const orphans = doc.orphans().length;
  return { loaded: true, hasSidecar: session.diskText !== undefined || doc.size > 0, count: doc.size, orphans, status: effectiveStatus(doc.status, doc.size), problem: orphanReason(orphans), duplicateOf: doc.duplicateOf };
}

function invalidReason(error: SidecarError): string {
  const first = error.problems[0]?.message ?? error.message;
  const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
  return `Invalid annotations file: ${first}${more}`;
}

function orphanReason(orphans: number): string | undefined {
  return orphans ? `${orphans} orphaned annotation${orphans === 1 ? '' : 's'}: the article changed and ${orphans === 1 ? 'its quote was' : 'their quotes were'} not found again` : undefined;
}

function isNotFound(err: unknown): boolean {
  return (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') || (err as { code?: string })?.code === 'ENOENT';
}
