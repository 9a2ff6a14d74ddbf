/**
 * Which documents are articles: those matching `misconduct.articles` (default `**\/*.{txt,md}`),
 * plus untitled documents in the Misconduct Article language. Sidecars themselves never are.
 */
import * as vscode from 'vscode';
import { isSidecarPath } from '../../core/sidecar';
import { Config } from '../config';

export const ARTICLE_LANGUAGE = 'misconduct-article';

/**
 * The languages an article can be in, for hover and code-action providers (which of those documents
 * are articles is decided per call, through the store).
 */
export const ARTICLE_SELECTOR: vscode.DocumentSelector = [{ language: ARTICLE_LANGUAGE }, { language: 'plaintext' }, { language: 'markdown' }];

export class ArticleMatcher {
  private filters: vscode.DocumentFilter[] = [];

  constructor(private readonly config: Config) {
    this.refresh();
    config.onDidChange((e) => {
      if (e.affectsConfiguration('misconduct.articles')) this.refresh();
    });
  }

  private refresh(): void {
    this.filters = this.config.articleGlobs.map((pattern) => ({ pattern }));
  }

  isArticle(document: vscode.TextDocument): boolean {
    const { uri } = document;
    if (isSidecarPath(uri.path)) return false;
    if (uri.scheme === 'untitled') return document.languageId === ARTICLE_LANGUAGE;
    if (uri.scheme === 'output' || uri.scheme === 'git' || uri.scheme === 'vscode-userdata') return false;
    if (document.languageId === ARTICLE_LANGUAGE) return true;
    return this.filters.some((f) => vscode.languages.match(f, document) > 0);
  }
}
