/**
 * Compare mode: another annotator's copy of the corpus (a "set" folder) is read beside mine; their
 * spans for each open article are drawn over mine (dashed = only theirs, underlined = both have
 * it), disagreements are grouped into clusters to step through and adjudicate, and the status bar
 * shows token-level Cohen's κ for the article. The other set is only ever read.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { NewSpan, Span } from '../../core/annotationDocument';
import { CaseDisagreement, caseDisagreements, compareArticle } from '../../core/agreement';
import { sha256Hex } from '../../core/article';
import { OffsetMap } from '../../core/offsets';
import { Annotation, Sidecar } from '../../core/schema';
import { loadArticleSidecar, reconcileWithArticle, SIDECAR_SUFFIX } from '../../core/sidecar';
import { ContextKeyService } from '../common/contextKeys';
import { AnnotationStatusBar } from '../editor/statusBar';
import { ArticleSession } from '../store/articleSession';
import { ArticleStore } from '../store/articleStore';
import { basename } from '../common/names';
import { escapeMarkdown } from '../common/markdown';
import { Cluster, clustersAt, compareSpans, KeyedSpan } from './disagreements';
import { readBytes, vscodeFileSystem } from '../vscodeFileSystem';

/** One of their spans, in editor (UTF-16) offsets into my live text. */
export interface TheirSpan extends KeyedSpan {
  text: string;
  source?: Annotation['source'];
  note?: string;
  author?: string;
  attributes?: Record<string, string>;
}

export type CompareCluster = Cluster<Span, TheirSpan>;

/** A span as the case-level comparison sees it (mine or theirs; editor offsets). */
export interface CaseSpan extends KeyedSpan {
  text: string;
  /** For their spans: what taking the span over needs. */
  their?: TheirSpan;
}

/** A form-field or relation disagreement between my case coding and theirs. */
export type CompareCaseDisagreement = CaseDisagreement<CaseSpan>;

/** What the other set holds for one of my articles. */
export type OtherArticle =
  | { kind: 'ok'; file: string; text: string; sidecar: Sidecar | undefined }
  /** The article's bytes differ in that set: nothing is compared. */
  | { kind: 'differs'; file: string }
  | { kind: 'missing'; file: string }
  | { kind: 'invalid'; file: string; message: string }
  /** Not inside a workspace folder (no relative path to match), or not a file on disk. */
  | { kind: 'outside' };

export interface ArticleComparison {
  other: OtherArticle;
  agreed: TheirSpan[];
  /** Every cluster, hidden ones included. */
  clusters: CompareCluster[];
  /** Token-level Cohen's κ between mine and theirs (null: undefined for this article). */
  kappa: number | null;
  /** Form-field and relation disagreements, resolved ones included (form fields first). */
  cases: CompareCaseDisagreement[];
}

/** What the integration tests and other features see of compare mode. */
export interface CompareApi {
  /** The other set's root folder while comparing: a path for a folder on this computer, else its URI. */
  readonly root: string | undefined;
  /** Unresolved disagreement clusters of an article, in reading order (empty when not compared). */
  disagreements(uri: vscode.Uri): CompareCluster[];
  /**
   * Unresolved form-field and relation disagreements of an article: fields first (by name), then
   * relations in reading order; their relations' ends mapped onto my matching spans.
   */
  caseDisagreements(uri: vscode.Uri): CompareCaseDisagreement[];
  /** The comparison of an article (undefined when not comparing or not loaded). */
  comparison(uri: vscode.Uri): ArticleComparison | undefined;
  /** Ranges (UTF-16 offsets) drawn for an article: theirs-only and agreed. */
  drawn(uri: vscode.Uri): { theirs: Array<[number, number]>; agreed: Array<[number, number]> };
  /** The status bar text compare mode adds for a session (`κ 0.82`, `κ —`), or undefined. */
  statusSuffix(session: ArticleSession): string | undefined;
  /** What the κ means and which set it compares with (Markdown for the status bar tooltip). */
  statusDetails(session: ArticleSession): string | undefined;
  /** Fires after an article's comparison was recomputed (or cleared). */
  readonly onDidChange: vscode.Event<vscode.Uri>;
}

export class CompareController extends Disposable implements CompareApi {
  /** The other set's folder while comparing (any scheme: VS Code for the Web reads through workspace.fs). */
  private rootUri: vscode.Uri | undefined;
  private readonly others = new Map<string, OtherArticle>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly results = new Map<string, ArticleComparison>();
  /** Per article: members (`m:id:label` / `t:id:label`) of resolved clusters, hidden this session. */
  private readonly hidden = new Map<string, Set<string>>();
  /** Per article: signatures of case disagreements kept as mine this session (`caseSignature`). */
  private readonly hiddenCases = new Map<string, Set<string>>();
  private readonly drawnRanges = new Map<string, { theirs: Array<[number, number]>; agreed: Array<[number, number]> }>();
  private watcher: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  private readonly theirsType = vscode.window.createTextEditorDecorationType({
    borderStyle: 'dashed',
    borderWidth: '1px',
    borderRadius: '2px',
    borderColor: new vscode.ThemeColor('misconduct.compare.theirs'),
    overviewRulerColor: new vscode.ThemeColor('misconduct.compare.theirs'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly agreedType = vscode.window.createTextEditorDecorationType({
    borderStyle: 'solid',
    borderWidth: '0 0 2px 0',
    borderColor: new vscode.ThemeColor('misconduct.compare.agreed'),
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });

  constructor(
    private readonly store: ArticleStore,
    private readonly keys: ContextKeyService,
    private readonly statusBar: AnnotationStatusBar,
  ) {
    super();
    const previous = statusBar.suffix;
    statusBar.suffix = (s) => [previous?.(s), this.statusSuffix(s)].filter(Boolean).join(' ') || undefined;
    const previousDetails = statusBar.details;
    statusBar.details = (s) => [previousDetails?.(s), this.statusDetails(s)].filter(Boolean).join('\n\n') || undefined;
    this._register(vscode.Disposable.from(
      this.changed,
      this.theirsType,
      this.agreedType,
      { dispose: () => (statusBar.suffix = previous) },
      { dispose: () => (statusBar.details = previousDetails) },
      store.onDidOpen((s) => this.rootUri && void this.ensure(s)),
      store.onDidChangeSession((s) => this.recompute(s)),
      store.onDidClose((uri) => this.forget(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const s = e.contentChanges.length ? this.store.get(e.document.uri) : undefined;
        if (s) this.recompute(s);
      }),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.draw(e))),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        const s = e && this.store.get(e.document.uri);
        if (s && this.rootUri) void this.ensure(s);
      }),
    ));
    keys.set('comparing', false);
  }

  get root(): string | undefined {
    return this.rootUri && displayPath(this.rootUri);
  }

  get comparing(): boolean {
    return this.rootUri !== undefined;
  }

  /** Whether compare mode is on; says how to turn it on when not (the adjudication commands' first check). */
  comparingOrSay(): boolean {
    if (!this.comparing) void vscode.window.showInformationMessage('Not comparing: run "Compare with Annotation Set…" first.');
    return this.comparing;
  }

  /** Starts (or restarts) comparing with the set at `root`, loading every open article's match. */
  async start(root: vscode.Uri): Promise<void> {
    this.stop();
    this.rootUri = root;
    this.keys.set('comparing', true);
    this.watch(root);
    await Promise.all(this.store.all().map((s) => this.ensure(s)));
    this.statusBar.update();
  }

  stop(): void {
    const wasComparing = this.comparing;
    this.rootUri = undefined;
    this.watcher?.dispose();
    this.watcher = undefined;
    const uris = [...this.results.keys()];
    this.others.clear();
    this.loading.clear();
    this.results.clear();
    this.hidden.clear();
    this.hiddenCases.clear();
    this.drawnRanges.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.theirsType, []);
      editor.setDecorations(this.agreedType, []);
    }
    this.keys.set('comparing', false);
    if (wasComparing) this.statusBar.update();
    for (const u of uris) this.changed.fire(vscode.Uri.parse(u));
  }

  /** Loads the other set's article for a session (once per compare run) and compares. */
  ensure(session: ArticleSession): Promise<void> {
    const key = session.uri.toString();
    if (this.others.has(key)) {
      this.recompute(session);
      return Promise.resolve();
    }
    let pending = this.loading.get(key);
    if (!pending) {
      const root = this.rootUri;
      pending = this.loadOther(session)
        .then((other) => {
          if (this.rootUri !== root || root === undefined) return;
          this.others.set(key, other);
          if (other.kind === 'differs' && this.isActive(session)) {
            void vscode.window.showInformationMessage(`${basename(session.uri)}: the article differs in that set, so its annotations are not compared.`);
          } else if (other.kind === 'invalid' && this.isActive(session)) {
            void vscode.window.showWarningMessage(`The other set's annotations of ${basename(session.uri)} are not valid: ${other.message}`);
          }
          this.recompute(session);
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Re-reads the other set's article (their sidecar changed on disk). */
  async reload(session: ArticleSession): Promise<void> {
    this.others.delete(session.uri.toString());
    await this.ensure(session);
  }

  private isActive(session: ArticleSession): boolean {
    return vscode.window.activeTextEditor?.document.uri.toString() === session.uri.toString();
  }

  /** The URI (a string) of the other set's copy of an article: the same path under their root. */
  private otherPath(uri: vscode.Uri): string | undefined {
    if (!this.rootUri) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const base = folder.uri.path.replace(/\/+$/, '') + '/';
    if (!uri.path.startsWith(base)) return undefined;
    const rel = uri.path.slice(base.length).split('/');
    return vscode.Uri.joinPath(this.rootUri, ...rel).toString();
  }

  private async loadOther(session: ArticleSession): Promise<OtherArticle> {
    const file = this.otherPath(session.uri);
    if (!file) return { kind: 'outside' };
    let theirBytes: Uint8Array;
    try {
      theirBytes = await vscodeFileSystem.readFile(file);
    } catch {
      return { kind: 'missing', file };
    }
    let myBytes: Uint8Array;
    try {
      myBytes = await readBytes(session.uri);
    } catch {
      return { kind: 'outside' };
    }
    if (sha256Hex(myBytes) !== sha256Hex(theirBytes)) return { kind: 'differs', file };
    try {
      const loaded = await loadArticleSidecar(vscodeFileSystem, file);
      if (loaded.kind === 'invalid') return { kind: 'invalid', file, message: loaded.error.problems[0]?.message ?? loaded.error.message };
      return { kind: 'ok', file, text: loaded.articleText, sidecar: loaded.kind === 'ok' ? loaded.sidecar : undefined };
    } catch (err) {
      return { kind: 'invalid', file, message: (err as Error).message };
    }
  }

  /** Their annotations mapped onto my live text (re-anchored by quote when I edited the text). */
  private theirSpans(other: Extract<OtherArticle, { kind: 'ok' }>, text: string, map: OffsetMap): TheirSpan[] {
    if (!other.sidecar) return [];
    let annotations = other.sidecar.annotations;
    if (text !== other.text) {
      try {
        annotations = reconcileWithArticle(other.file + SIDECAR_SUFFIX, other.sidecar, text, sha256Hex(text)).sidecar.annotations;
      } catch {
        return [];
      }
    }
    return annotations
      .filter((a) => !a.orphaned)
      .map((a) => ({
        id: a.id,
        label: a.label,
        start: map.toUtf16(a.start),
        end: map.toUtf16(a.end),
        text: a.text,
        source: a.source,
        note: a.note,
        author: a.author,
        attributes: a.attributes,
      }));
  }

  /** Recomputes an article's comparison now (cheap: one pass over its spans and tokens) and redraws. */
  recompute(session: ArticleSession): void {
    const key = session.uri.toString();
    const other = this.others.get(key);
    if (!this.rootUri || !other) return;
    if (other.kind !== 'ok') {
      this.results.set(key, { other, agreed: [], clusters: [], kappa: null, cases: [] });
    } else {
      const text = session.document.getText();
      const map = new OffsetMap(text);
      const theirs = this.theirSpans(other, text, map);
      const mine = session.doc.all().filter((s) => !s.orphaned);
      const { agreed, clusters } = compareSpans(mine, theirs);
      const cp = (s: KeyedSpan) => ({ start: map.toCodePoint(s.start), end: map.toCodePoint(s.end), label: s.label });
      let kappa: number | null = null;
      try {
        kappa = compareArticle(text, [mine.map(cp), theirs.map(cp)]).overall.kappa;
      } catch {
        kappa = null;
      }
      const caseSpan = (s: KeyedSpan & { text: string }): CaseSpan => ({ id: s.id, start: s.start, end: s.end, label: s.label, text: s.text });
      const cases = caseDisagreements(
        { spans: mine.map(caseSpan), relations: session.doc.relations(), form: session.doc.documentForm() },
        { spans: theirs.map((t) => ({ ...caseSpan(t), their: t })), relations: other.sidecar?.relations ?? [], form: other.sidecar?.document },
      );
      this.results.set(key, { other, agreed, clusters, kappa, cases });
    }
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === session.document) this.draw(editor);
    if (this.isActive(session)) this.statusBar.update();
    this.changed.fire(session.uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.others.delete(key);
    this.results.delete(key);
    this.hidden.delete(key);
    this.hiddenCases.delete(key);
    this.drawnRanges.delete(key);
  }

  caseDisagreements(uri: vscode.Uri): CompareCaseDisagreement[] {
    const key = uri.toString();
    const hidden = this.hiddenCases.get(key);
    return (this.results.get(key)?.cases ?? []).filter((d) => !hidden?.has(caseSignature(d)));
  }

  /** Keeps mine on a case disagreement: hidden for this compare session while neither side changes it. */
  hideCase(uri: vscode.Uri, d: CompareCaseDisagreement): void {
    const key = uri.toString();
    let hidden = this.hiddenCases.get(key);
    if (!hidden) this.hiddenCases.set(key, (hidden = new Set()));
    hidden.add(caseSignature(d));
  }

  private isHidden(key: string, c: CompareCluster): boolean {
    const hidden = this.hidden.get(key);
    if (!hidden) return false;
    return c.mine.every((s) => hidden.has(mineMember(s))) && c.theirs.every((t) => hidden.has(theirMember(t)));
  }

  comparison(uri: vscode.Uri): ArticleComparison | undefined {
    return this.results.get(uri.toString());
  }

  disagreements(uri: vscode.Uri): CompareCluster[] {
    const key = uri.toString();
    return (this.results.get(key)?.clusters ?? []).filter((c) => !this.isHidden(key, c));
  }

  /** Unresolved clusters touched by a UTF-16 range of an article (see `clustersAt`). */
  clustersAt(uri: vscode.Uri, from: number, to: number): CompareCluster[] {
    return clustersAt(this.disagreements(uri), from, to);
  }

  /** Hides clusters for this compare session: `mine`/`theirs` say which sides' members to hide. */
  hide(uri: vscode.Uri, members: { mine?: readonly Span[]; theirs?: readonly TheirSpan[] }): void {
    const key = uri.toString();
    let hidden = this.hidden.get(key);
    if (!hidden) this.hidden.set(key, (hidden = new Set()));
    for (const s of members.mine ?? []) hidden.add(mineMember(s));
    for (const t of members.theirs ?? []) hidden.add(theirMember(t));
  }

  /** Redraws an article after `hide` (no annotation changed). */
  refresh(session: ArticleSession): void {
    this.recompute(session);
  }

  drawn(uri: vscode.Uri): { theirs: Array<[number, number]>; agreed: Array<[number, number]> } {
    return this.drawnRanges.get(uri.toString()) ?? { theirs: [], agreed: [] };
  }

  private draw(editor: vscode.TextEditor): void {
    const key = editor.document.uri.toString();
    const result = this.results.get(key);
    if (!this.rootUri || !result) {
      editor.setDecorations(this.theirsType, []);
      editor.setDecorations(this.agreedType, []);
      return;
    }
    const doc = editor.document;
    const range = (s: KeyedSpan) => new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end));
    const theirs = this.disagreements(editor.document.uri).flatMap((c) => c.theirs);
    const theirOptions = theirs.map((t) => ({ range: range(t), hoverMessage: describeTheirs(t) }));
    const agreedOptions = result.agreed.map((t) => ({ range: range(t), hoverMessage: `Both sets: **${t.label}**` }));
    editor.setDecorations(this.theirsType, theirOptions);
    editor.setDecorations(this.agreedType, agreedOptions);
    this.drawnRanges.set(key, { theirs: theirs.map((t) => [t.start, t.end]), agreed: result.agreed.map((t) => [t.start, t.end]) });
  }

  statusSuffix(session: ArticleSession): string | undefined {
    if (!this.rootUri) return undefined;
    const result = this.results.get(session.uri.toString());
    if (!result) return undefined;
    // name the other set: "κ 0.96 vs anna" says what is compared with what
    const vs = `vs ${setName(this.rootUri)}`;
    if (result.other.kind === 'differs') return `κ — ${vs} (text differs)`;
    return result.kappa === null || result.other.kind !== 'ok' ? `κ — ${vs}` : `κ ${result.kappa.toFixed(2)} ${vs}`;
  }

  /** What the status bar's κ means, for its tooltip (Markdown). */
  statusDetails(session: ArticleSession): string | undefined {
    if (!this.rootUri) return undefined;
    const result = this.results.get(session.uri.toString());
    if (!result) return undefined;
    const lines = [`**Comparing with** ${escapeMarkdown(displayPath(this.rootUri))}`];
    if (result.other.kind === 'differs') lines.push('This article’s text differs in that set, so it is not compared.');
    else if (result.other.kind !== 'ok') lines.push('That set has no usable copy of this article.');
    else {
      const k = result.kappa === null ? '—' : result.kappa.toFixed(2);
      lines.push(
        `κ ${k}: Cohen’s kappa between your annotations and theirs on this article, token by token (each token’s label, or none), corrected for chance: 1 is full agreement, 0 is no better than chance.${result.kappa === null ? ' Undefined here: every token has the same label in both sets.' : ''}`,
      );
      const n = this.disagreements(session.uri).length;
      lines.push(n ? `${n} disagreement${n === 1 ? '' : 's'} to resolve (Ctrl+Alt+] goes to the next).` : 'No disagreement left.');
      const cases = this.caseDisagreements(session.uri);
      const fields = cases.filter((d) => d.kind === 'field').length;
      const relations = cases.length - fields;
      if (cases.length) {
        const parts = [fields && `${fields} form field${fields === 1 ? '' : 's'}`, relations && `${relations} relation${relations === 1 ? '' : 's'}`].filter(Boolean);
        lines.push(`Case coding differs: ${parts.join(' and ')} (Resolve Case Disagreements…).`);
      }
    }
    return lines.join('\n\n');
  }

  /** Follows the other set's sidecars (optional: VS Code may not watch folders outside the workspace). */
  private watch(root: vscode.Uri): void {
    try {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*' + SIDECAR_SUFFIX));
      const onChange = (uri: vscode.Uri) => {
        for (const s of this.store.all()) {
          if (this.otherPath(s.uri) + SIDECAR_SUFFIX === uri.toString()) void this.reload(s);
        }
      };
      this.watcher = vscode.Disposable.from(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange));
    } catch {
      this.watcher = undefined;
    }
  }

  override dispose(): void {
    this.watcher?.dispose();
    super.dispose();
  }
}

/** The other set as the status bar names it: its folder's name. */
function setName(root: vscode.Uri): string {
  return root.path.replace(/\/+$/, '').split('/').pop() || displayPath(root);
}

/** A folder as a person names it: its path on this computer, else its URI. */
function displayPath(root: vscode.Uri): string {
  return root.scheme === 'file' ? root.fsPath : root.toString(true);
}

/** Their span as a span of mine: their author, note, source and attributes kept. */
export function asNewSpan(t: TheirSpan): NewSpan {
  return {
    start: t.start,
    end: t.end,
    label: t.label,
    source: t.source,
    note: t.note,
    attributes: t.attributes,
    author: t.author,
  };
}

/** What a case disagreement is about, values included: when either side changes it, it is a new one. */
function caseSignature(d: CompareCaseDisagreement): string {
  if (d.kind === 'field') return [d.id, JSON.stringify(d.mine ?? null), JSON.stringify(d.theirs ?? null)].join('\u0000');
  return [d.id, ...d.mine.map((r) => r.label), '|', ...d.theirs.map((r) => r.label), '|', d.unmatched.join(',')].join('\u0000');
}

function mineMember(s: Span): string {
  return `m:${s.id}:${s.label}`;
}

function theirMember(t: TheirSpan): string {
  return `t:${t.id}:${t.label}`;
}

function describeTheirs(t: TheirSpan): vscode.MarkdownString {
  const md = new vscode.MarkdownString(`Other set: **${t.label}**`).appendText(t.author ? ` by ${t.author}` : '');
  if (t.note) md.appendMarkdown('\n\n').appendText(t.note);
  md.appendMarkdown('\n\nUse the lightbulb to Accept Theirs, Keep Mine, Keep Both or Remove Both.');
  return md;
}
