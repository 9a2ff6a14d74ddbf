/**
 * The dashboard panel: one webview over the first workspace folder. The numbers are computed once
 * when the panel opens and again on "Refresh" (never on a keystroke), with progress, by the same
 * `computeCorpusStats` as `misconduct-annotate stats`; clicking a bar or row opens its articles.
 */
import * as vscode from 'vscode';
import { ArticleFacts, computeCorpusStats, CorpusStats } from '../../core/stats';
import { vscodeFileSystem } from '../vscodeFileSystem';
import * as path from 'node:path';
import { OffsetMap } from '../../core/offsets';
import type { EvaluationResult } from '../model/evaluateSuggestionsCommand';
import { EvaluationShown, evaluationView } from './evaluation';
import { dashboardHtml } from './html';
import { articlesFor, buildModel, toCsv } from './model';
import { DashboardModel, FromWebview, Selection, ToWebview } from './protocol';

const VIEW_TYPE = 'misconduct.dashboard';
const TITLE = 'Misconduct Dashboard';

export class DashboardController implements vscode.Disposable {
  private current: vscode.WebviewPanel | undefined;
  private stats: CorpusStats | undefined;
  private facts: ArticleFacts[] = [];
  private model: DashboardModel | undefined;
  private ready = false;
  private computing: Promise<CorpusStats | undefined> | undefined;
  private readonly cspViolations: string[] = [];
  /** Evaluate Suggestions' last result, shown below the charts. */
  private evaluation: EvaluationShown | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The configured labels' colours (the per-label bars use them). */
    private readonly labelColors: () => ReadonlyMap<string, string> = () => new Map(),
    /** Resolves when the sidecar writes waiting for a pause in typing are done. */
    private readonly pendingWrites: () => Promise<void> = async () => {},
  ) {}

  panel(): vscode.WebviewPanel | undefined {
    return this.current;
  }

  lastStats(): CorpusStats | undefined {
    return this.stats;
  }

  /** What the evaluation section shows (undefined before Evaluate Suggestions ran). */
  lastEvaluation(): EvaluationShown['view'] | undefined {
    return this.evaluation?.view;
  }

  /** Opens the dashboard (counting the corpus when it was closed) and shows an evaluation in it. */
  async showEvaluation(result: EvaluationResult): Promise<void> {
    const folder = vscode.Uri.parse(result.folder, true);
    this.evaluation = evaluationView(result, folder.path.split('/').pop() ?? '', (file) => path.relative(folder.fsPath, file).split(path.sep).join('/'));
    if (this.current) {
      this.current.reveal();
      this.post({ type: 'evaluation', evaluation: this.evaluation.view });
    } else await this.show();
  }

  /** Directives the webview reported as violated (should stay empty). */
  violations(): readonly string[] {
    return this.cspViolations;
  }

  /** Opens (or reveals) the panel and resolves with freshly computed numbers. */
  async show(): Promise<CorpusStats | undefined> {
    if (this.current) this.current.reveal();
    else this.current = this.createPanel();
    return this.refresh();
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'misconduct.svg');
    const webview = panel.webview;
    this.ready = false;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'dashboard.css')).toString(),
    });
    const subscriptions = [
      webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      panel.onDidDispose(() => {
        subscriptions.forEach((s) => s.dispose());
        if (this.current === panel) this.current = undefined;
      }),
    ];
    return panel;
  }

  private post(message: ToWebview): void {
    if (this.current && this.ready) void this.current.webview.postMessage(message);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m?.type) {
      case 'ready':
        // (also after the panel was hidden and shown again: the page reloads)
        this.ready = true;
        if (this.computing) this.post({ type: 'loading' });
        else if (this.model) this.post({ type: 'stats', model: this.model });
        if (this.evaluation) this.post({ type: 'evaluation', evaluation: this.evaluation.view });
        return;
      case 'openListed': {
        const list = this.evaluation?.spans[m.source];
        const span = list && (m.kind === 'miss' ? list.misses : list.falsePositives)[m.index];
        if (span) await openSpan(span.file, span.start, span.end);
        return;
      }
      case 'refresh':
        await this.refresh();
        return;
      case 'evaluate':
        await vscode.commands.executeCommand('misconduct.evaluateSuggestions');
        return;
      case 'open':
        await this.open(m.selection);
        return;
      case 'copy': {
        const chart = this.model?.charts.find((c) => c.id === m.chart);
        if (!chart) return;
        await vscode.env.clipboard.writeText(toCsv(chart));
        vscode.window.setStatusBarMessage(`Copied "${chart.title}" as CSV (${chart.rows.length} rows)`, 4000);
        return;
      }
      case 'cspViolation':
        this.cspViolations.push(m.directive);
        return;
    }
  }

  /** Recomputes the numbers (one run at a time) and posts them to the webview. */
  refresh(): Promise<CorpusStats | undefined> {
    this.computing ??= this.compute().finally(() => (this.computing = undefined));
    return this.computing;
  }

  private async compute(): Promise<CorpusStats | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      this.post({ type: 'error', message: 'Open a folder of articles to see its dashboard.' });
      return undefined;
    }
    this.post({ type: 'loading' });
    try {
      // the dashboard counts files: a tag made a moment ago is written first
      await this.pendingWrites();
      const facts: ArticleFacts[] = [];
      const stats = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Misconduct Dashboard: counting the corpus', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return computeCorpusStats(vscodeFileSystem, folder.uri.toString(), {
            signal: controller.signal,
            onArticle: (f) => {
              facts.push(f);
              if (facts.length % 50 === 0) progress.report({ message: `${facts.length} articles` });
            },
          });
        },
      );
      this.stats = stats;
      this.facts = facts;
      this.model = buildModel(stats, folder.name, this.labelColors());
      this.post({ type: 'stats', model: this.model });
      return stats;
    } catch (err) {
      const cancelled = (err as Error).name === 'AbortError';
      this.post({ type: 'error', message: cancelled ? 'Counting cancelled. Refresh to try again.' : `Could not count the corpus: ${(err as Error).message}` });
      if (!cancelled) throw err;
      return undefined;
    }
  }

  /** Opens the articles behind a selection: one directly, several through a Quick Pick. */
  async open(selection: Selection): Promise<void> {
    const articles = articlesFor(selection, this.facts);
    if (!articles.length) {
      void vscode.window.showInformationMessage('No article matches.');
      return;
    }
    let chosen = articles[0];
    if (articles.length > 1) {
      const picked = await vscode.window.showQuickPick(
        articles.map((a) => ({ label: a.relativePath, description: describe(a), article: a })),
        { title: `${articles.length} articles`, placeHolder: 'Open which article?', matchOnDescription: true },
      );
      if (!picked) return;
      chosen = picked.article;
    }
    await vscode.window.showTextDocument(vscode.Uri.parse(chosen.articlePath, true), { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/** Opens an article with a span (code points) selected. */
async function openSpan(file: string, start: number, end: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const map = new OffsetMap(doc.getText());
  const range = new vscode.Range(doc.positionAt(map.toUtf16(start)), doc.positionAt(map.toUtf16(end)));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: range, preview: true });
}

function describe(a: ArticleFacts): string {
  const counts = Object.entries(a.labels).map(([l, n]) => `${n} ${l}`);
  return [a.status.replace('_', ' '), ...counts].join(' · ');
}
