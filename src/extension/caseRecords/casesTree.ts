/**
 * The Cases view: case → articles → evidence, for every workspace folder's case records. Evidence
 * whose article, annotation or relation is missing is flagged with the reason (the core's
 * `checkEvidence`), never hidden. Nothing is read until VS Code asks for the view's children (the
 * view starts collapsed), so activation loads no case code.
 */
import * as vscode from 'vscode';
import type { CaseRecord, Evidence, EvidenceProblem } from '../../core/cases';
import type { CaseFolders } from './caseFolder';

export const CASES_TREE_ID = 'misconduct.casesTree';

type Node =
  | { kind: 'case'; root: vscode.WorkspaceFolder; record: CaseRecord; path: string; problems: EvidenceProblem[] }
  | { kind: 'article'; root: vscode.WorkspaceFolder; record: CaseRecord; file: string; problems: EvidenceProblem[] }
  | { kind: 'evidence'; root: vscode.WorkspaceFolder; record: CaseRecord; evidence: Evidence; problem?: EvidenceProblem }
  | { kind: 'problem'; message: string };

export class CasesTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly folders: CaseFolders) {
    this.subscription = folders.onDidChange(() => this.changed.fire(undefined));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const out: Node[] = [];
      for (const root of vscode.workspace.workspaceFolders ?? []) {
        const listing = await this.folders.list(root);
        const problems = await this.folders.problems(root, listing.cases.map((c) => c.record));
        for (const c of listing.cases) out.push({ kind: 'case', root, record: c.record, path: c.path, problems: problems.filter((p) => p.caseId === c.record.id) });
        for (const message of listing.problems) out.push({ kind: 'problem', message });
      }
      return out;
    }
    if (node.kind === 'case') {
      const files = [...new Set(node.record.evidence.map((e) => e.file))].sort();
      return files.map((file) => ({ kind: 'article', root: node.root, record: node.record, file, problems: node.problems.filter((p) => p.file === file) }));
    }
    if (node.kind === 'article') {
      return node.record.evidence
        .filter((e) => e.file === node.file)
        .map((evidence) => ({ kind: 'evidence', root: node.root, record: node.record, evidence, problem: node.problems.find((p) => p.evidenceId === evidence.id) }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'case': {
        const item = new vscode.TreeItem(node.record.title || node.record.id, vscode.TreeItemCollapsibleState.Collapsed);
        const broken = node.problems.filter((p) => p.severity === 'error').length;
        item.id = `case:${node.root.uri.toString()}:${node.record.id}`;
        item.description = `${node.record.id} · ${new Set(node.record.evidence.map((e) => e.file)).size} article(s)${broken ? ` · ${broken} broken` : ''}`;
        item.iconPath = new vscode.ThemeIcon(broken ? 'warning' : 'law');
        item.contextValue = 'caseRecord';
        item.tooltip = new vscode.MarkdownString().appendText(`${node.record.title}\n${Object.entries(node.record.fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}`);
        item.command = { command: 'vscode.open', title: 'Open Case Record', arguments: [vscode.Uri.parse(node.path)] };
        return item;
      }
      case 'article': {
        const item = new vscode.TreeItem(node.file, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `case:${node.root.uri.toString()}:${node.record.id}:${node.file}`;
        item.iconPath = node.problems.some((p) => p.severity === 'error') ? new vscode.ThemeIcon('warning') : vscode.ThemeIcon.File;
        item.resourceUri = vscode.Uri.joinPath(node.root.uri, ...node.file.split('/'));
        return item;
      }
      case 'evidence': {
        const e = node.evidence;
        const item = new vscode.TreeItem(e.quote || (e.field ? `(the article's form: ${e.field})` : e.id), vscode.TreeItemCollapsibleState.None);
        item.id = `case:${node.root.uri.toString()}:${node.record.id}:${e.file}:${e.id}`;
        item.description = [e.field, e.annotation ?? e.relation].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(node.problem ? (node.problem.severity === 'error' ? 'error' : 'warning') : e.relation ? 'link' : 'quote');
        item.tooltip = node.problem ? node.problem.message : `${e.id}${e.annotation ? `: annotation ${e.annotation}` : ''}${e.relation ? `: relation ${e.relation}` : ''}`;
        const uri = vscode.Uri.joinPath(node.root.uri, ...e.file.split('/'));
        item.command = e.annotation && !node.problem
          ? { command: 'misconduct.revealAnnotation', title: 'Reveal', arguments: [{ uri, id: e.annotation }] }
          : { command: 'vscode.open', title: 'Open Article', arguments: [uri] };
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error');
        return item;
      }
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
