/**
 * Find Articles About the Same Case… (`misconduct.findSameCaseArticles`): the workspace folder's
 * articles ranked against the current one (src/core/cases/similar.ts: shingled MinHash text
 * similarity plus force, outcome and officer matches), in a QuickPick with each score and reason;
 * picking one opens it. `{ uri, show: false }` returns the ranking without UI (tests).
 */
import * as vscode from 'vscode';
import { ArticleProfile, profileArticle, rankSameCase, SameCaseCandidate } from '../../core/cases';
import { decodeArticle } from '../../core/article';
import { walkCorpus } from '../../core/corpus';
import { readInputFile } from '../../core/fileSystem';
import { parseSidecar, readSidecarText } from '../../core/sidecar';
import { AnnotationArgs } from '../commands/command';
import { vscodeFileSystem } from '../vscodeFileSystem';
import type { ArticleSession } from '../store/articleSession';
import { CaseRecordCommand } from './commands';

interface FindArgs extends AnnotationArgs {
  show?: boolean;
}

export class FindSameCaseArticlesCommand extends CaseRecordCommand<FindArgs, SameCaseCandidate[]> {
  readonly id = 'misconduct.findSameCaseArticles';

  protected async run(session: ArticleSession, args: FindArgs): Promise<SameCaseCandidate[] | undefined> {
    const root = this.folders.rootOf(session.uri);
    if (!root) {
      void vscode.window.showInformationMessage('Finding articles about the same case needs the article inside a workspace folder.');
      return undefined;
    }
    const file = this.folders.articlePath(root, session.uri);
    const query = profileArticle(
      file,
      session.document.getText(),
      session.doc.all().map((s) => ({ label: s.label, text: s.text, type: s.meta.attributes?.type })),
    );
    const ranked = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding articles about the same case' }, async () => {
      const profiles: ArticleProfile[] = [];
      for await (const entry of walkCorpus(vscodeFileSystem, root.uri.toString(), { casesFolder: this.config.casesFolder })) {
        if (entry.relativePath === file) continue;
        try {
          const text = decodeArticle(await readInputFile(vscodeFileSystem, entry.articlePath, 'article'));
          const json = entry.hasSidecar ? await readSidecarText(vscodeFileSystem, entry.sidecarPath) : undefined;
          const spans = json === undefined ? [] : parseSidecar(entry.sidecarPath, json).annotations.filter((a) => !a.orphaned).map((a) => ({ label: a.label, text: a.text, type: a.attributes?.type }));
          profiles.push(profileArticle(entry.relativePath, text, spans));
        } catch {
          // an article that cannot be read, or an invalid sidecar: left out of the ranking (validate names it)
        }
      }
      return rankSameCase(query, profiles);
    });
    if (args.show === false) return ranked;
    if (!ranked.length) {
      void vscode.window.showInformationMessage('No other article has anything in common with this one.');
      return ranked;
    }
    const pick = await vscode.window.showQuickPick(
      ranked.map((r) => ({ label: r.file, description: `score ${r.score.toFixed(2)}`, detail: r.reason, candidate: r })),
      { title: `Articles about the same case as ${file}`, matchOnDetail: true },
    );
    if (pick) await vscode.window.showTextDocument(vscode.Uri.joinPath(root.uri, ...pick.candidate.file.split('/')));
    return ranked;
  }
}
