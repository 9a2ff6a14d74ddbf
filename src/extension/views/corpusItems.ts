/**
 * What the Corpus view draws for an article: its row (`corpusTreeItem`) and the hover it shows
 * when asked (`corpusTooltip`). The one place rows are built, so a new kind of row or a new fact on
 * a row changes only this file. A row carries only what the list draws: a corpus of tens of
 * thousands of articles sends every row to the window, and the hover is built when it is opened.
 */
import * as vscode from 'vscode';
import { STATUS_TITLES } from '../../core/progress';
import { ArticleStatus } from '../../core/schema';
import { escapeMarkdown } from '../common/markdown';
import { copySuffix, groupCopies } from './corpusCopies';

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

/** The row of an article: its name, count, state icon, and the command opening it; `copies`: its near copies, shown under it. */
export function corpusTreeItem(entry: ArticleEntry, copies = 0): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.relativePath.slice(entry.relativePath.lastIndexOf('/') + 1), copies ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = entry.uri.toString();
  item.resourceUri = entry.uri;
  // (its folder is the row above it)
  item.description = (entry.loaded ? `${entry.count}` : '…') + copySuffix(entry) + (copies ? ` · ${copies} near cop${copies === 1 ? 'y' : 'ies'}` : '');
  item.iconPath = icon(entry);
  item.contextValue = entry.status === 'done' ? 'misconduct.article.done' : 'misconduct.article';
  item.command = { title: 'Open Article', command: 'vscode.open', arguments: [entry.uri] };
  item.accessibilityInformation = {
    label: `${entry.relativePath}, ${entry.loaded ? `${STATUS_TITLES[entry.status]}, ${entry.count} annotations` : 'loading'}${entry.problem ? `, warning: ${entry.problem}` : ''}`,
  };
  return item;
}

/** The hover of an article's row: its path, state and count, and what is wrong with it. */
export function corpusTooltip(entry: ArticleEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMarkdown(entry.relativePath)}**\n\n`);
  if (entry.loaded) md.appendMarkdown(`${STATUS_TITLES[entry.status]} · ${entry.count} annotation${entry.count === 1 ? '' : 's'}`);
  else md.appendMarkdown('Reading its annotations…');
  if (entry.problem) md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(entry.problem)}`);
  return md;
}

function icon(entry: ArticleEntry): vscode.ThemeIcon {
  if (entry.problem) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (!entry.loaded) return new vscode.ThemeIcon('loading~spin');
  if (entry.status === 'done') return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
  if (entry.status === 'in_progress') return new vscode.ThemeIcon('record', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('circle-large-outline');
}

/** A folder of the corpus: its subfolders and articles, each sorted by name. */
export interface FolderNode {
  kind: 'folder';
  /** Workspace-relative path, `/`-separated. */
  relativePath: string;
  folders: FolderNode[];
  articles: ArticleEntry[];
  /** Articles in it and below it. */
  total: number;
}

/** The rows of the Corpus view: folders, and articles in them (or at the top). */
export type CorpusNode = ArticleEntry | FolderNode;

/** The row of a folder: its name and how many articles it holds; its articles are fetched when it is opened. */
export function corpusFolderItem(folder: FolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(folder.relativePath.slice(folder.relativePath.lastIndexOf('/') + 1), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `folder:${folder.relativePath}`;
  item.description = `${folder.total} article${folder.total === 1 ? '' : 's'}`;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.contextValue = 'misconduct.folder';
  item.accessibilityInformation = { label: `${folder.relativePath}, folder, ${item.description}` };
  return item;
}

/**
 * The folder tree of `sorted` (entries sorted by path): the articles at the top of the workspace
 * and the top folders are the root's. Shown by folder, a corpus of 100,000 articles sends the
 * window only the rows of the folders opened, and a redrawn row costs in proportion to its folder.
 */
export function folderTree(sorted: readonly ArticleEntry[]): { root: FolderNode; byPath: ReadonlyMap<string, FolderNode>; copies: ReadonlyMap<ArticleEntry, ArticleEntry[]>; shownUnder: ReadonlyMap<ArticleEntry, ArticleEntry> } {
  const root: FolderNode = { kind: 'folder', relativePath: '', folders: [], articles: [], total: 0 };
  const byPath = new Map<string, FolderNode>([['', root]]);
  const folderOf = (path: string): FolderNode => {
    let node = byPath.get(path);
    if (node) return node;
    const parent = folderOf(parentPath(path));
    node = { kind: 'folder', relativePath: path, folders: [], articles: [], total: 0 };
    parent.folders.push(node);
    byPath.set(path, node);
    return node;
  };
  // a near copy is a row under the article it copies (counted in that article's folder)
  const { copies, shownUnder } = groupCopies(sorted);
  for (const entry of sorted) if (!shownUnder.has(entry)) folderOf(parentPath(entry.relativePath)).articles.push(entry);
  const count = (node: FolderNode): number => {
    node.folders.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
    node.total = node.articles.reduce((n, a) => n + 1 + (copies.get(a)?.length ?? 0), 0) + node.folders.reduce((n, f) => n + count(f), 0);
    return node.total;
  };
  count(root);
  return { root, byPath, copies, shownUnder };
}

/** The folder path of a row ('' at the top). */
export function parentPath(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash >= 0 ? relativePath.slice(0, slash) : '';
}
