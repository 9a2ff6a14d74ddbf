/**
 * Plain-text articles open in the Misconduct Article language, so the TextMate grammar colours
 * forces, bodies, ranks, dates and outcomes before any annotation exists (up to GRAMMAR_MAX_CHARS:
 * a report of megabytes stays Plain Text). Markdown articles keep
 * Markdown (its preview and outline matter more), and a document the user switched back to
 * another language is left alone while it stays open.
 *
 * VS Code reports a language change as "close the document, open it again" with the same URI, just
 * as it reports a real close followed by a later reopen. The two differ in the editor tab: a
 * language change keeps the tab, a real close removes it first. So a close while no tab shows the
 * document forgets everything about it, and its next open is a fresh start (issue 18: reopened
 * articles came back as Plain Text because a real close was taken for the user's choice).
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { beforeLanguageSwitch } from '../common/scheduling';
import { ARTICLE_LANGUAGE, ArticleMatcher } from '../store/articleMatcher';
import { documentLength } from '../common/documentText';

/** Articles longer than this stay Plain Text: highlights and suggestions only, no grammar colouring. */
const GRAMMAR_MAX_CHARS = 2_000_000;

export class ArticleLanguage extends Disposable {
  /** Open documents in our language (set by us or chosen by the user). */
  private readonly ours = new Set<string>();
  /** Documents the user moved away from our language: left alone until they are really closed. */
  private readonly optedOut = new Set<string>();
  /** Documents we are switching right now (their close/open pair is ours, not the user's). */
  private readonly switching = new Set<string>();

  constructor(
    private readonly matcher: ArticleMatcher,
    /** Resolves when the article's annotations are loaded (and drawn): the switch waits for it. */
    private readonly loaded?: (document: vscode.TextDocument) => Promise<unknown>,
  ) {
    super();
    this._register(vscode.Disposable.from(
      vscode.workspace.onDidOpenTextDocument((d) => void this.apply(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        if (this.switching.has(key) || hasTab(d.uri)) return; // a language change, not a close
        this.ours.delete(key);
        this.optedOut.delete(key);
      }),
    ));
    vscode.workspace.textDocuments.forEach((d) => void this.apply(d));
  }

  /** Whether the user switched this document away from the article language (tests read it). */
  isOptedOut(uri: vscode.Uri): boolean {
    return this.optedOut.has(uri.toString());
  }

  private async apply(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (document.languageId === ARTICLE_LANGUAGE) {
      this.ours.add(key);
      this.optedOut.delete(key);
      return;
    }
    if (this.switching.has(key)) return;
    if (this.ours.has(key)) {
      // it was in our language, its tab stayed open, and now it is something else: the user chose
      this.ours.delete(key);
      this.optedOut.add(key);
      return;
    }
    if (document.languageId !== 'plaintext' || this.optedOut.has(key) || !this.matcher.isArticle(document)) return;
    // the grammar colours text the whole article long, tokenising it in the background; for an
    // inquiry report of megabytes that competes with tagging and typing for the processor, as
    // VS Code's own large-file mode also judges
    if (documentLength(document) > GRAMMAR_MAX_CHARS) return;
    // highlights first: loading the grammar and tokenising keep the window busy while it opens, and
    // the annotations are what the user opened the article for (the colours follow a moment later)
    if (this.loaded) {
      await this.loaded(document);
      // after the window has painted the highlights: a language change sent with them made the
      // window load the grammar before painting them
      await beforeLanguageSwitch();
      if (document.isClosed || document.languageId !== 'plaintext' || this.optedOut.has(key) || this.switching.has(key)) return;
    }
    this.switching.add(key);
    try {
      await vscode.languages.setTextDocumentLanguage(document, ARTICLE_LANGUAGE);
    } catch {
      // closed meanwhile, or the language is gone: nothing to do
    } finally {
      this.switching.delete(key);
    }
  }
}

function hasTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputTextDiff ? tabUris(t.input) : []).some((u) => u.toString() === key)),
  );
}

function tabUris(input: vscode.TabInputText | vscode.TabInputTextDiff): vscode.Uri[] {
  return input instanceof vscode.TabInputText ? [input.uri] : [input.original, input.modified];
}
