/**
 * The Corpus view: every article in the workspace with its annotation count and progress.
 *
 * Built to stay responsive on 100,000 articles: the file list comes first (one `findFiles` per
 * glob, then one listing of each folder holding articles for their sidecars, so articles without
 * one are never read), shown by folder (corpusItems.ts); sidecars are then read in the background
 * in batches, yielding to the event loop between batches, and the rows they change are redrawn
 * together (`Every.corpusRows`). After that, file watchers and the store's session events update
 * only the article concerned (one `onDidChangeTreeData(entry)`); open articles show their live
 * state from the store.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { BackgroundPace, Every, Pause } from '../common/scheduling';
import { perfMark } from '../devProfile';
import { ArticleDecodeError } from '../../core/article';
import { EXPORT_FOLDER } from '../../core/corpus';
import { effectiveStatus, formatProgress, summarize } from '../../core/progress';
import { isSidecarPath, loadArticleSidecar, SIDECAR_SUFFIX, SidecarError } from '../../core/sidecar';
import { ContextKeyService } from '../common/contextKeys';
import { Config } from '../config';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore, articleUri } from '../store/articleStore';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleEntry, CorpusNode, corpusFolderItem, corpusTooltip, corpusTreeItem, folderTree, parentPath } from './corpusItems';

export type { ArticleEntry, CorpusNode, FolderNode } from './corpusItems';

/** Not articles: dependencies, and the export folders Export Dataset… suggests (see EXPORT_FOLDER). */
const EXCLUDE = '{**/node_modules/**,**/export-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*/**}';
/** Sidecars read at once (their reads overlap) before yielding to the event loop. */
const BATCH = 32;

type Snapshot = Pick<ArticleEntry, 'loaded' | 'count' | 'orphans' | 'status' | 'problem' | 'hasSidecar' | 'duplicateOf'>;

export class CorpusTreeProvider extends Disposable implements vscode.TreeDataProvider<CorpusNode> {
  private readonly changed = new vscode.EventEmitter<CorpusNode | CorpusNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<ArticleEntry | undefined>();
  /** Fires when an entry's data changed (undefined: the list changed). Tests wait on it. */
  readonly onDidUpdate = this.updated.event;
  private articleWatchers: vscode.Disposable[] = [];
  private readonly entries = new Map<string, ArticleEntry>();
  /** The entries sorted by path, and by folder; undefined when the list changed since. */
  private layout: ({ sorted: ArticleEntry[] } & ReturnType<typeof folderTree>) | undefined;
  private view: vscode.TreeView<CorpusNode> | undefined;

  private started = false;
  private scanning: Promise<void> | undefined;
  private generation = 0;
  /** Articles whose sidecar must be (re)read, by uri string. */
  private readonly queue = new Set<string>();
  private pump: Promise<void> | undefined;
  private queueTimer: NodeJS.Timeout | undefined;
  private listTimer: NodeJS.Timeout | undefined;
  private summaryTimer: NodeJS.Timeout | undefined;
  /** Rows changed by the sidecars read since the last redraw (see `redraw`). */
  private readonly redraws = new Set<ArticleEntry>();
  /** A near copy moved since the last redraw: the whole list is drawn again. */
  private relayout = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly pace = this._register(new BackgroundPace());

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

  attach(view: vscode.TreeView<CorpusNode>): void {
    this.view = view;
    this.updateSummary();
  }

  // ------------------------------------------------------------------------------------------
  // TreeDataProvider

  getChildren(element?: CorpusNode): CorpusNode[] {
    if (element?.kind === 'article') return this.sortedLayout().copies.get(element) ?? [];
    this.start();
    // a folder by its path: the list may have been laid out again since VS Code got the node
    const layout = this.sortedLayout();
    const folder = element ? layout.byPath.get(element.relativePath) : layout.root;
    return folder ? [...folder.folders, ...folder.articles] : [];
  }

  getParent(node: CorpusNode): CorpusNode | undefined {
    const layout = this.sortedLayout();
    const original = node.kind === 'article' ? layout.shownUnder.get(node) : undefined;
    if (original) return original;
    const path = parentPath(node.relativePath);
    return path ? layout.byPath.get(path) : undefined;
  }

  getTreeItem(node: CorpusNode): vscode.TreeItem {
    return node.kind === 'folder' ? corpusFolderItem(node) : corpusTreeItem(node, this.sortedLayout().copies.get(node)?.length);
  }

  resolveTreeItem(item: vscode.TreeItem, node: CorpusNode): vscode.TreeItem {
    if (node.kind === 'article') item.tooltip = corpusTooltip(node);
    return item;
  }

  private sortedLayout(): NonNullable<CorpusTreeProvider['layout']> {
    if (this.layout) return this.layout;
    const sorted = [...this.entries.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
    return (this.layout = { sorted, ...folderTree(sorted) });
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  /** The entry of an article (undefined until the scan found it). */
  entry(uri: vscode.Uri): ArticleEntry | undefined {
    return this.entries.get(uri.toString());
  }

  /** Every article, sorted by path. */
  all(): ArticleEntry[] {
    this.start();
    return this.sortedLayout().sorted;
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
    this.layout = undefined;
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

  /** Resolves at once when the view has not been shown, else as `ready`: for work that reads the same files and can wait. */
  idle(): Promise<void> {
    return this.started ? this.ready() : Promise.resolve();
  }

  /** Re-reads one article now (after a command changed its sidecar). */
  async reread(uri: vscode.Uri): Promise<void> {
    const entry = this.entries.get(uri.toString());
    if (entry) await this.read(entry, this.generation);
  }

  private async scan(generation: number): Promise<void> {
    perfMark('corpus: scan');
    if (this.view) this.view.message = 'Looking for articles…';
    const found = new Map<string, vscode.Uri>();
    const lists = await Promise.all(this.config.articleGlobs.map((g) => vscode.workspace.findFiles(g, EXCLUDE)));
    if (generation !== this.generation) return;
    for (const list of lists) for (const u of list) if (!isSidecarPath(u.path)) found.set(u.toString(), u);
    const withSidecar = await sidecarsBeside(found.values());
    if (generation !== this.generation) return;
    perfMark(() => `corpus: found ${found.size} articles, ${withSidecar.size} with sidecars`);
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
    this.layout = undefined;
    if (this.view) this.view.message = undefined;
    this.keys.set('corpusEmpty', this.entries.size === 0);
    this.changed.fire(undefined);
    this.updated.fire(undefined);
    this.updateSummary();
    perfMark(() => `corpus: listed ${this.entries.size}`);
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
    this.layout = undefined;
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
      let batch = BATCH;
      while (this.queue.size && generation === this.generation) {
        const keys: string[] = [];
        for (const k of this.queue) {
          if (keys.length === batch) break;
          keys.push(k);
        }
        keys.forEach((k) => this.queue.delete(k));
        await Promise.all(keys.map((k) => this.entries.get(k)).filter((e): e is ArticleEntry => !!e).map((e) => this.read(e, generation)));
        // let the extension host breathe, and step aside while the user types
        batch = await this.pace.turn(BATCH);
      }
    })().finally(() => {
      this.pump = undefined;
      this.flushRedraws();
      if (this.queue.size && generation === this.generation) this.startPump();
      else this.settle();
    });
  }

  private settle(): void {
    perfMark('corpus: settled');
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

  /** Redraws an entry's row: at once when it changed alone, with the others read meanwhile while sidecars are being read. */
  private redraw(entry: ArticleEntry): void {
    if (!this.pump) {
      this.changed.fire(this.relayout ? undefined : entry);
      this.relayout = false;
      return;
    }
    this.redraws.add(entry);
    this.redrawTimer ??= setTimeout(() => this.flushRedraws(), Every.corpusRows);
  }

  private flushRedraws(): void {
    clearTimeout(this.redrawTimer);
    this.redrawTimer = undefined;
    if (!this.redraws.size) return;
    const rows = [...this.redraws].filter((e) => this.entries.get(e.uri.toString()) === e);
    this.redraws.clear();
    if (this.relayout) {
      this.relayout = false;
      this.changed.fire(undefined);
      return;
    }
    if (rows.length) this.changed.fire(rows);
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
    const moved = entry.duplicateOf !== next.duplicateOf;
    Object.assign(entry, { problem: undefined, duplicateOf: undefined }, next);
    if (moved) {
      // a near copy found (or no longer one) moves under its original: the rows around it change
      this.layout = undefined;
      this.relayout = true;
    }
    this.redraw(entry);
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
    clearTimeout(this.redrawTimer);
    this.articleWatchers.forEach((d) => d.dispose());
    super.dispose();
    this.idleWaiters.forEach((w) => w());
  }
}

/** Folders listed at once when looking for sidecars. */
const FOLDERS_AT_ONCE = 32;

/**
 * The articles (by uri string) that have a sidecar beside them: one listing of each folder holding
 * articles, rather than a second search of the workspace (whose every result crosses the window).
 */
async function sidecarsBeside(articles: Iterable<vscode.Uri>): Promise<Set<string>> {
  const folders = new Map<string, vscode.Uri>();
  for (const uri of articles) {
    const folder = vscode.Uri.joinPath(uri, '..');
    folders.set(folder.toString(), folder);
  }
  const out = new Set<string>();
  const list = [...folders.values()];
  for (let i = 0; i < list.length; i += FOLDERS_AT_ONCE) {
    await Promise.all(
      list.slice(i, i + FOLDERS_AT_ONCE).map(async (folder) => {
        let names: Array<[string, string]>;
        try {
          names = await vscodeFileSystem.readDirectory(folder.toString());
        } catch {
          return; // gone or unreadable meanwhile: its articles are read as having none, which says why
        }
        for (const [name, type] of names) {
          if (type !== 'directory' && name.endsWith(SIDECAR_SUFFIX)) out.add(vscode.Uri.joinPath(folder, name.slice(0, -SIDECAR_SUFFIX.length)).toString());
        }
      }),
    );
  }
  return out;
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
