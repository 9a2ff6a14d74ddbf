/**
 * The Annotations view: the active article's annotations, grouped by label or in reading order,
 * with orphaned annotations and suggestions in groups of their own, and an optional filter.
 *
 * Tree elements carry `uri` and `id` (and nothing named `label`, `start`, `end` or `note`), so the
 * editor commands (`misconduct.changeLabel`, `editNote`, `removeAnnotation`, `revealAnnotation`)
 * take an element as their argument through `parseArgs`.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { Pause } from '../common/scheduling';
import { Span } from '../../core/annotationDocument';
import { Config, GroupBy } from '../config';
import { ContextKeyService } from '../common/contextKeys';
import { describeRelation } from '../commands/relationCommands';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';
import { basename, shorten } from '../common/names';
import { SuggestionSource, SuggestionView } from './suggestionSource';
import type { DisagreementSource, DisagreementView } from '../compare/disagreementSource';
import { escapeMarkdown } from '../common/markdown';
import { mergeConflictGroup, mergeConflictItem } from './mergeConflicts';
import type { Conflict } from '../../core/schema';

export interface AnnotationFilter {
  /** Only these labels (empty or absent: every label). */
  labels?: readonly string[];
  /** Only spans whose text or note contains this (case-insensitive). */
  text?: string;
}

export interface AnnotationNodeBase {
  uri: vscode.Uri;
}

export interface GroupNode extends AnnotationNodeBase {
  kind: 'group';
  group: 'label' | 'orphans' | 'suggestions' | 'disagreements' | 'mergeConflicts';
  /** The label name for a label group. */
  name: string;
  /** Spans (or suggestions) before filtering, for "3 of 5". */
  unfiltered: number;
  children: AnnotationNode[];
}

export interface SpanNode extends AnnotationNodeBase {
  kind: 'annotation';
  /** The annotation id: with `uri`, the argument every annotation command accepts. */
  id: string;
  span: Span;
  /** 1-based line of the span's start. */
  line: number;
  parent?: GroupNode;
}

export interface SuggestionNode extends AnnotationNodeBase {
  kind: 'suggestion';
  /** The suggestion's id. */
  id: string;
  suggestion: SuggestionView;
  line: number;
  parent?: GroupNode;
}

/** A span one annotation set has and the other does not (compare mode). */
export interface DisagreementNode extends AnnotationNodeBase {
  kind: 'disagreement';
  id: string;
  /** The cluster id: with `uri`, what the adjudication commands accept. */
  cluster: string;
  disagreement: DisagreementView;
  line: number;
  parent?: GroupNode;
}

/** A conflict the git merge driver recorded in the sidecar: ours is in place, theirs waits. */
export interface MergeConflictNode extends AnnotationNodeBase {
  kind: 'mergeConflict';
  /** The conflict's name (annotation id or `status`): with `uri`, what Accept Theirs / Keep Mine take. */
  conflict: string;
  recorded: Conflict;
  parent?: GroupNode;
}

/** A relation of an annotation, shown as its child ("→ outcome: dismissed without notice"). */
export interface RelationNode extends AnnotationNodeBase {
  kind: 'relation';
  /** The relation id: with `uri`, what `misconduct.unlinkAnnotations` takes. */
  relation: string;
  /** The annotation at the other end. */
  other: string;
  outgoing: boolean;
  parent: SpanNode;
}

export type AnnotationNode = GroupNode | SpanNode | SuggestionNode | DisagreementNode | MergeConflictNode | RelationNode;

export class AnnotationsTreeProvider extends Disposable implements vscode.TreeDataProvider<AnnotationNode> {
  private readonly changed = new vscode.EventEmitter<AnnotationNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** Fires after the tree was rebuilt (tests await this rather than sleeping). */
  readonly onDidRefresh = this.rendered.event;
  private suggestionSource: SuggestionSource | undefined;
  private suggestionSub: vscode.Disposable | undefined;
  private disagreementSource: DisagreementSource | undefined;
  private disagreementSub: vscode.Disposable | undefined;
  private filterValue: AnnotationFilter = {};
  private roots: AnnotationNode[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private view: vscode.TreeView<AnnotationNode> | undefined;

  constructor(
    private readonly store: ArticleStore,
    private readonly config: Config,
    private readonly keys: ContextKeyService,
  ) {
    super();
    const isCurrent = (uri: vscode.Uri) => uri.toString() === this.currentUri()?.toString();
    this._register(vscode.Disposable.from(
      this.changed,
      this.rendered,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh(true)),
      store.onDidOpen((s) => isCurrent(s.uri) && this.refresh()),
      store.onDidChangeSession((s) => isCurrent(s.uri) && this.refresh()),
      store.onDidClose((uri) => isCurrent(uri) && this.refresh(true)),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('misconduct.annotations.groupBy')) keys.set('annotationsGroupBy', config.groupBy);
        if (e.affectsConfiguration('misconduct.labels') || e.affectsConfiguration('misconduct.annotations.groupBy')) this.refresh(true);
      }),
    ));
    keys.set('annotationsGroupBy', config.groupBy);
    keys.set('annotationsFiltered', false);
  }

  /** Gives the view its TreeView, for the title description and filter message. */
  attach(view: vscode.TreeView<AnnotationNode>): void {
    this.view = view;
    this.updateTitle();
  }

  // ------------------------------------------------------------------------------------------
  // Extension points and state

  /**
   * Shows suggestions from a source (the suggestion engine); undefined removes them. Disposing the
   * registration brings back the source that was there before.
   */
  setSuggestionSource(source: SuggestionSource | undefined): vscode.Disposable {
    const previous = this.suggestionSource;
    const use = (s: SuggestionSource | undefined) => {
      this.suggestionSub?.dispose();
      this.suggestionSource = s;
      this.suggestionSub = s?.onDidChange((uri) => (!uri || uri.toString() === this.currentUri()?.toString()) && this.refresh());
      this.refresh(true);
    };
    use(source);
    return new vscode.Disposable(() => {
      if (this.suggestionSource === source) use(previous);
    });
  }

  /** Shows compare-mode disagreements in a "Disagreements (n)" group. */
  setDisagreementSource(source: DisagreementSource): vscode.Disposable {
    this.disagreementSub?.dispose();
    this.disagreementSource = source;
    this.disagreementSub = source.onDidChange((uri) => (!uri || uri.toString() === this.currentUri()?.toString()) && this.refresh());
    this.refresh(true);
    return new vscode.Disposable(() => {
      if (this.disagreementSource !== source) return;
      this.disagreementSub?.dispose();
      this.disagreementSource = this.disagreementSub = undefined;
      this.refresh(true);
    });
  }

  get filter(): AnnotationFilter {
    return this.filterValue;
  }

  get filtered(): boolean {
    return !!(this.filterValue.labels?.length || this.filterValue.text);
  }

  setFilter(filter: AnnotationFilter): void {
    const labels = filter.labels?.filter(Boolean) ?? [];
    const text = filter.text?.trim() ?? '';
    this.filterValue = { ...(labels.length ? { labels: [...labels] } : {}), ...(text ? { text } : {}) };
    this.keys.set('annotationsFiltered', this.filtered);
    this.refresh(true);
  }

  /** The article the view shows: the active editor's, when it is an article. */
  currentUri(): vscode.Uri | undefined {
    return vscode.window.activeTextEditor?.document.uri;
  }

  currentSession(): ArticleSession | undefined {
    const uri = this.currentUri();
    return uri && this.store.get(uri);
  }

  /** Rebuilds the tree; soon (coalescing bursts such as typing) unless `now`. */
  refresh(now = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (now) {
      this.roots = undefined;
      this.changed.fire(undefined);
      this.updateTitle();
      return;
    }
    this.timer = setTimeout(() => this.refresh(true), Pause.views);
  }

  /** Applies a pending (debounced) refresh now: tests read the tree right after a change. */
  flush(): void {
    if (this.timer) this.refresh(true);
  }

  // ------------------------------------------------------------------------------------------
  // TreeDataProvider

  getChildren(element?: AnnotationNode): AnnotationNode[] {
    if (element?.kind === 'annotation') return this.relationNodes(element);
    if (element) return element.kind === 'group' ? element.children : [];
    if (!this.roots) {
      this.roots = this.build();
      queueMicrotask(() => this.rendered.fire());
    }
    return this.roots;
  }

  getParent(element: AnnotationNode): AnnotationNode | undefined {
    return element.kind === 'group' ? undefined : element.parent;
  }

  getTreeItem(node: AnnotationNode): vscode.TreeItem {
    if (node.kind === 'group') return this.groupItem(node);
    if (node.kind === 'suggestion') return this.suggestionItem(node);
    if (node.kind === 'disagreement') return this.disagreementItem(node);
    if (node.kind === 'mergeConflict') return mergeConflictItem(node, this.currentSession(), this.config.documentFields);
    if (node.kind === 'relation') return this.relationItem(node);
    return this.spanItem(node);
  }

  // ------------------------------------------------------------------------------------------
  // Building the tree

  private matches(labelName: string, text: string, note?: string): boolean {
    const { labels, text: needle } = this.filterValue;
    if (labels?.length && !labels.includes(labelName)) return false;
    if (needle) {
      const n = needle.toLowerCase();
      if (!text.toLowerCase().includes(n) && !(note ?? '').toLowerCase().includes(n)) return false;
    }
    return true;
  }

  private build(): AnnotationNode[] {
    const session = this.currentSession();
    if (!session || session.state.kind === 'unreadable') return [];
    const uri = session.uri;
    const document = session.document;
    const all = session.doc.all();
    const lineOf = (offset: number) => document.positionAt(offset).line + 1;
    const spanNode = (span: Span): SpanNode => ({ kind: 'annotation', uri, id: span.id, span, line: lineOf(span.start) });

    const placed = all.filter((s) => !s.orphaned);
    const orphans = all.filter((s) => s.orphaned);
    const roots: AnnotationNode[] = [];
    const conflicts = mergeConflictGroup(uri, session.doc.conflicts);
    if (conflicts) roots.push(conflicts);

    const disagreements = this.disagreementSource ? this.disagreementSource.disagreements(uri) : [];
    if (disagreements.length) {
      const group: GroupNode = { kind: 'group', group: 'disagreements', name: 'disagreements', uri, unfiltered: disagreements.length, children: [] };
      group.children = disagreements
        .filter((d) => this.matches(d.label, d.text))
        .map((disagreement) => ({ kind: 'disagreement', uri, id: disagreement.id, cluster: disagreement.cluster, disagreement, line: lineOf(disagreement.start), parent: group }));
      if (group.children.length) roots.push(group);
    }

    if (this.config.groupBy === 'position') {
      for (const s of placed) if (this.matches(s.label, s.text, s.meta.note)) roots.push(spanNode(s));
    } else {
      const byLabel = new Map<string, Span[]>();
      for (const s of placed) {
        const list = byLabel.get(s.label);
        if (list) list.push(s);
        else byLabel.set(s.label, [s]);
      }
      const configured = this.config.labels.map((l) => l.name);
      const order = [...configured.filter((n) => byLabel.has(n)), ...[...byLabel.keys()].filter((n) => !configured.includes(n)).sort()];
      for (const name of order) {
        const spans = byLabel.get(name)!;
        const group: GroupNode = { kind: 'group', group: 'label', name, uri, unfiltered: spans.length, children: [] };
        group.children = spans.filter((s) => this.matches(s.label, s.text, s.meta.note)).map((s) => ({ ...spanNode(s), parent: group }));
        if (group.children.length) roots.push(group);
      }
    }

    if (orphans.length) {
      const group: GroupNode = { kind: 'group', group: 'orphans', name: 'orphans', uri, unfiltered: orphans.length, children: [] };
      group.children = orphans.filter((s) => this.matches(s.label, s.text, s.meta.note)).map((s) => ({ ...spanNode(s), parent: group }));
      if (group.children.length) roots.push(group);
    }

    // the user's own work first; suggestions, collapsed, below it (a tag just made stays in view)
    const suggestions = this.suggestionSource ? [...this.suggestionSource.suggestions(uri)].sort((a, b) => a.start - b.start || a.end - b.end) : [];
    if (suggestions.length) {
      const group: GroupNode = { kind: 'group', group: 'suggestions', name: 'suggestions', uri, unfiltered: suggestions.length, children: [] };
      group.children = suggestions
        .filter((s) => this.matches(s.label ?? s.category, s.text))
        .map((suggestion) => ({ kind: 'suggestion', uri, id: suggestion.id, suggestion, line: lineOf(suggestion.start), parent: group }));
      if (group.children.length) roots.push(group);
    }
    return roots;
  }

  private labelIcon(name: string, shape = 'circle-filled'): vscode.ThemeIcon {
    const label = this.config.label(name);
    if (!label) return new vscode.ThemeIcon('circle-outline'); // no longer configured: neutral
    return new vscode.ThemeIcon(shape, label.iconColor ? new vscode.ThemeColor(label.iconColor) : undefined);
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const shown = node.children.length;
    const count = this.filtered && shown !== node.unfiltered ? `${shown} of ${node.unfiltered}` : `${shown}`;
    let item: vscode.TreeItem;
    if (node.group === 'mergeConflicts') {
      item = new vscode.TreeItem(`Merge Conflicts (${count})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('git-merge', new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = 'Both git branches changed these differently. Yours is in place; Accept Theirs or Keep Mine on each, then `git add` the annotations file.';
      item.contextValue = 'misconduct.mergeConflicts';
    } else if (node.group === 'orphans') {
      item = new vscode.TreeItem(`Orphaned (${count})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = 'The article changed and these quotes were not found again. Select where one belongs and use "List Orphaned Annotations…" to re-attach it, or remove it.';
      item.contextValue = 'misconduct.orphans';
    } else if (node.group === 'disagreements') {
      item = new vscode.TreeItem(`Disagreements (${count})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('diff');
      item.tooltip = 'Spans one annotation set has and the other does not. Resolve each with the inline actions or the lightbulb.';
      item.contextValue = 'misconduct.disagreements';
    } else if (node.group === 'suggestions') {
      item = new vscode.TreeItem(`Suggestions (${count})`, vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = new vscode.ThemeIcon('lightbulb');
      item.contextValue = 'misconduct.suggestions';
    } else {
      item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = count;
      item.iconPath = this.labelIcon(node.name);
      const def = this.config.label(node.name);
      item.tooltip = def ? (def.description ?? node.name) : `"${node.name}" is not in the misconduct.labels setting`;
      item.contextValue = 'misconduct.labelGroup';
    }
    item.id = `${node.uri}#${node.group === 'label' ? `label:${node.name}` : node.group}`;
    return item;
  }

  private highlightedLabel(text: string): vscode.TreeItemLabel {
    const label = shorten(text, 60);
    const needle = this.filterValue.text?.toLowerCase();
    const at = needle ? label.toLowerCase().indexOf(needle) : -1;
    return needle && at >= 0 ? { label, highlights: [[at, at + needle.length]] } : { label };
  }

  private relationNodes(node: SpanNode): RelationNode[] {
    const doc = this.store.get(node.uri)?.doc;
    if (!doc) return [];
    return doc.relationsOf(node.id).map((r) => ({
      kind: 'relation',
      uri: node.uri,
      relation: r.id,
      other: r.from === node.id ? r.to : r.from,
      outgoing: r.from === node.id,
      parent: node,
    }));
  }

  private relationItem(node: RelationNode): vscode.TreeItem {
    const session = this.store.get(node.uri);
    const r = session?.doc.getRelation(node.relation);
    const other = session?.doc.get(node.other);
    const item = new vscode.TreeItem(session && r ? describeRelation(session, r, node.parent.id) : node.relation, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#${node.parent.id}/relation:${node.relation}`;
    item.description = other ? other.label : undefined;
    item.iconPath = new vscode.ThemeIcon(node.outgoing ? 'arrow-right' : 'arrow-left');
    item.tooltip = r ? `${node.outgoing ? 'This annotation' : `“${shorten(other?.text ?? '', 80)}”`} —${r.label}→ ${node.outgoing ? `“${shorten(other?.text ?? '', 80)}”` : 'this annotation'}${r.note ? `\n${r.note}` : ''}` : undefined;
    item.contextValue = 'misconduct.relation';
    item.command = { title: 'Reveal Annotation', command: 'misconduct.revealAnnotation', arguments: [{ uri: node.uri, id: node.other }] };
    item.accessibilityInformation = { label: `${node.outgoing ? 'links to' : 'linked from'} ${other?.label ?? ''} ${other?.text ?? ''} as ${r?.label ?? ''}` };
    return item;
  }

  private spanItem(node: SpanNode): vscode.TreeItem {
    const { span } = node;
    const position = this.config.groupBy === 'position' || node.parent?.group === 'orphans';
    const linked = this.store.get(node.uri)?.doc.relationsOf(span.id).length ?? 0;
    const item = new vscode.TreeItem(this.highlightedLabel(span.text), linked ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#${span.id}`;
    const note = span.meta.note;
    item.description = [position ? span.label : undefined, span.orphaned ? `was line ${node.line}` : `line ${node.line}`, note ? '✎ note' : undefined, linked ? `${linked} link${linked === 1 ? '' : 's'}` : undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = span.orphaned ? new vscode.ThemeIcon('debug-disconnect') : note && !position ? new vscode.ThemeIcon('note') : this.labelIcon(span.label, position ? 'circle-filled' : 'circle-small-filled');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${span.label}** · ${span.orphaned ? 'orphaned, was at ' : ''}line ${node.line}\n\n`);
    md.appendMarkdown(escapeMarkdown(`“${shorten(span.text, 400)}”`));
    if (note) md.appendMarkdown(`\n\n$(note) ${escapeMarkdown(note)}`);
    const who = [span.meta.author, span.meta.source === 'suggestion' ? 'accepted suggestion' : undefined].filter(Boolean).join(', ');
    if (who) md.appendMarkdown(`\n\n${escapeMarkdown(who)}`);
    item.tooltip = md;
    item.contextValue = span.orphaned ? 'misconduct.annotation.orphaned' : 'misconduct.annotation';
    item.command = span.orphaned
      ? { title: 'List Orphaned Annotations', command: 'misconduct.listOrphans', arguments: [node.uri] }
      : { title: 'Reveal Annotation', command: 'misconduct.revealAnnotation', arguments: [{ uri: node.uri, id: span.id }] };
    item.accessibilityInformation = { label: `${span.label}: ${span.text}, line ${node.line}${note ? ', has a note' : ''}` };
    return item;
  }

  private suggestionItem(node: SuggestionNode): vscode.TreeItem {
    const s = node.suggestion;
    const item = new vscode.TreeItem(this.highlightedLabel(s.text), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#suggestion:${s.id}`;
    const label = s.label ?? s.category;
    item.description = `${label}?${label !== s.category ? ` (${s.category})` : ''} · line ${node.line}`;
    item.iconPath = this.labelIcon(label, 'circle-large-outline');
    item.tooltip = `Suggested ${label}: “${shorten(s.text, 200)}”${s.reason ? `\n${s.reason}` : ''}`;
    item.contextValue = 'misconduct.suggestion';
    const session = this.store.get(node.uri);
    if (session) {
      const doc = session.document;
      item.command = { title: 'Show Suggestion', command: 'vscode.open', arguments: [node.uri, { selection: new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end)), preview: false }] };
    }
    return item;
  }

  private disagreementItem(node: DisagreementNode): vscode.TreeItem {
    const d = node.disagreement;
    const item = new vscode.TreeItem(this.highlightedLabel(d.text), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#disagreement:${d.id}`;
    if (d.side === 'both') {
      // the two sides of one conflict on one row (issue 18), not as two unrelated rows
      item.description = `mine: ${d.label} ↔ theirs: ${d.theirLabel} · line ${node.line}`;
      item.iconPath = new vscode.ThemeIcon('git-compare');
      item.tooltip = `You tagged ${d.label}, the other set${d.author ? ` (${d.author})` : ''} ${d.theirLabel}: “${shorten(d.text, 200)}”. Accept Theirs, Keep Mine, Keep Both or Remove Both.`;
    } else {
      item.description = `${d.side === 'mine' ? 'only mine' : 'only theirs'} · ${d.label} · line ${node.line}`;
      item.iconPath = this.labelIcon(d.label, d.side === 'mine' ? 'circle-filled' : 'circle-large-outline');
      item.tooltip = `${d.side === 'mine' ? 'Only in your annotations' : `Only in the other set${d.author ? ` (${d.author})` : ''}`}: ${d.label} “${shorten(d.text, 200)}”`;
    }
    item.contextValue = 'misconduct.disagreement';
    const session = this.store.get(node.uri);
    if (session) {
      const doc = session.document;
      item.command = { title: 'Show Disagreement', command: 'vscode.open', arguments: [node.uri, { selection: new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end)), preview: false }] };
    }
    return item;
  }

  /** The view's description (the article) and message (the filter). */
  private updateTitle(): void {
    if (!this.view) return;
    const session = this.currentSession();
    this.view.description = session ? basename(session.uri) : undefined;
    this.view.message = session ? this.describeFilter() : undefined;
  }

  /** The filter in words, as the view's message shows it; undefined without a filter. */
  describeFilter(): string | undefined {
    if (!this.filtered) return undefined;
    const { labels, text } = this.filterValue;
    const parts = [labels?.length ? `label ${labels.join(', ')}` : undefined, text ? `text “${text}”` : undefined].filter(Boolean);
    return `Filtered: ${parts.join(' · ')}`;
  }

  /** The grouping now in use. */
  get groupBy(): GroupBy {
    return this.config.groupBy;
  }

  override dispose(): void {
    clearTimeout(this.timer);
    this.suggestionSub?.dispose();
    super.dispose();
  }
}
