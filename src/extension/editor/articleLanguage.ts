/**
 * Plain-text articles open in the Misconduct Article language, so the TextMate grammar colours
 * forces, bodies, ranks, dates and outcomes before any annotation exists. Markdown articles keep
 * Markdown (its preview and outline matter more), and a document the user switched back to
 * another language is left alone.
 */
import * as vscode from 'vscode';
import { ARTICLE_LANGUAGE, ArticleMatcher } from '../store/articleMatcher';

export class ArticleLanguage implements vscode.Disposable {
  /** Documents the user moved away from our language: never switched back this session. */
  private readonly optedOut = new Set<string>();
  private readonly switched = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly matcher: ArticleMatcher) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.apply(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // setTextDocumentLanguage closes and reopens the document; remember real closes only
        if (!this.switched.has(d.uri.toString())) this.optedOut.delete(d.uri.toString());
      }),
    );
    vscode.workspace.textDocuments.forEach((d) => void this.apply(d));
  }

  private async apply(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (this.switched.has(key) && document.languageId !== ARTICLE_LANGUAGE) {
      // we switched it before and it is now something else: the user chose
      this.optedOut.add(key);
      this.switched.delete(key);
      return;
    }
    if (document.languageId !== 'plaintext' || this.optedOut.has(key) || !this.matcher.isArticle(document)) return;
    this.switched.add(key);
    try {
      await vscode.languages.setTextDocumentLanguage(document, ARTICLE_LANGUAGE);
    } catch {
      this.switched.delete(key);
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
