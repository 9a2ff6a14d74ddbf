/**
 * Tag All Occurrences (`misconduct.tagAllOccurrences`): tag every occurrence of the selected text
 * with a label across the workspace. A preview lists the articles with their counts first (a
 * multi-select Quick Pick, all chosen); occurrences already tagged with that label are skipped.
 * Open articles change through their annotation document (one undo per article); the others get
 * their sidecar written through the core sidecar functions, which never overwrite an invalid one.
 *
 * Arguments (tests, keybindings): `{ uri, start, end }` (code points) or `{ text }`, `label`, and
 * `confirm: false` to skip the preview.
 */
import * as vscode from 'vscode';
import { decodeArticle, sha256Hex } from '../../core/article';
import { entityType } from '../../core/normalise';
import { tagOccurrencesInSidecar, untaggedOccurrences } from '../../core/occurrences';
import { OffsetMap } from '../../core/offsets';
import { loadArticleSidecar, sidecarPathFor } from '../../core/sidecar';
import { newSidecar } from '../../core/sidecarEncoding';
import { SidecarProtectedError, writeSidecar } from '../../core/sidecarWrite';
import { AnnotationArgs, Command, parseArgs, toUri } from '../commands/command';
import { pickLabel } from '../commands/tagCommands';
import { Config } from '../config';
import { readerOf } from '../common/documentText';
import { ArticleStore } from '../store/articleStore';
import { vscodeFileSystem } from '../vscodeFileSystem';

interface Args extends AnnotationArgs {
  text?: string;
  confirm?: boolean;
}

interface Plan {
  uri: vscode.Uri;
  count: number;
}

export class TagAllOccurrencesCommand implements Command {
  readonly id = 'misconduct.tagAllOccurrences';
  constructor(
    private readonly store: ArticleStore,
    private readonly config: Config,
  ) {}

  /** Returns the number of annotations added. */
  async execute(arg?: unknown): Promise<number> {
    // a uri alone: the active editor's selection (the uri matters only with start/end)
    const args = parseArgs(arg) as Args;
    const phrase = (args.text ?? this.selectedText(args))?.trim();
    if (!phrase) {
      void vscode.window.showInformationMessage('Select the text to tag everywhere first.');
      return 0;
    }
    const label = args.label ?? (await pickLabel(this.config, new Map(), `Tag every "${phrase}" in the workspace as…`));
    if (!label) return 0;

    const plans = await this.plan(phrase, label);
    const total = plans.reduce((n, p) => n + p.count, 0);
    if (!total) {
      void vscode.window.showInformationMessage(`No untagged "${phrase}" found in the workspace's articles.`);
      return 0;
    }
    let chosen = plans;
    if (args.confirm !== false) {
      const items = plans.map((p) => ({ label: vscode.workspace.asRelativePath(p.uri), description: `${p.count} occurrence${p.count > 1 ? 's' : ''}`, picked: true, plan: p }));
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        placeHolder: `Tag ${total} occurrence${total > 1 ? 's' : ''} of "${phrase}" as ${label} in ${plans.length} article${plans.length > 1 ? 's' : ''}? (one undo per open article)`,
      });
      if (!picked?.length) return 0;
      chosen = picked.map((i) => i.plan);
    }
    let added = 0;
    const failed: string[] = [];
    for (const p of chosen) {
      try {
        added += await this.apply(p.uri, phrase, label);
      } catch (err) {
        failed.push(`${vscode.workspace.asRelativePath(p.uri)}: ${err instanceof SidecarProtectedError ? 'its sidecar is invalid and was left as it is' : (err as Error).message}`);
      }
    }
    if (failed.length) void vscode.window.showWarningMessage(`Tag All Occurrences skipped ${failed.length} article(s): ${failed.join('; ')}`);
    return added;
  }

  private selectedText(args: Args): string | undefined {
    const uri = toUri(args.uri);
    const session = uri ? this.store.get(uri) : undefined;
    if (session && typeof args.start === 'number' && typeof args.end === 'number') {
      const map = new OffsetMap(session.document.getText());
      return session.document.getText().slice(map.toUtf16(args.start), map.toUtf16(args.end));
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const sel = editor.selection;
    return editor.document.getText(sel.isEmpty ? editor.document.getWordRangeAtPosition(sel.active) : sel);
  }

  /** The articles of the workspace with their count of untagged occurrences (open ones live). */
  private async plan(phrase: string, label: string): Promise<Plan[]> {
    const seen = new Set<string>();
    const plans: Plan[] = [];
    for (const glob of this.config.articleGlobs) {
      for (const uri of await vscode.workspace.findFiles(glob, '**/node_modules/**')) {
        if (seen.has(uri.toString())) continue;
        seen.add(uri.toString());
        const count = await this.count(uri, phrase, label);
        if (count) plans.push({ uri, count });
      }
    }
    return plans.sort((a, b) => (a.uri.toString() < b.uri.toString() ? -1 : 1));
  }

  private async count(uri: vscode.Uri, phrase: string, label: string): Promise<number> {
    const session = this.store.get(uri);
    if (session) {
      if (session.state.kind !== 'ok') return 0;
      return untaggedOccurrences(session.document.getText(), phrase, label, session.doc.all()).length;
    }
    try {
      const state = await loadArticleSidecar(vscodeFileSystem, uri.toString());
      if (state.kind === 'invalid') return 0;
      const text = state.articleText;
      const map = new OffsetMap(text);
      const annotated = state.kind === 'ok' ? state.sidecar.annotations.filter((a) => !a.orphaned).map((a) => ({ start: map.toUtf16(a.start), end: map.toUtf16(a.end), label: a.label })) : [];
      return untaggedOccurrences(text, phrase, label, annotated).length;
    } catch {
      return 0; // unreadable or binary: not an article we can tag
    }
  }

  private async apply(uri: vscode.Uri, phrase: string, label: string): Promise<number> {
    const author = this.config.author;
    const session = this.store.get(uri);
    if (session) {
      if (!session.writable) throw new Error('its annotations cannot be changed now');
      const doc = session.document;
      const read = readerOf(doc);
      const ranges = untaggedOccurrences(doc.getText(), phrase, label, session.doc.all());
      // one `add` per article: one undo step takes them all back
      const type = ranges.length ? entityType(label, read(ranges[0][0], ranges[0][1]), read(ranges[0][1], ranges[0][1] + 64)) : undefined;
      return session.doc.add(read, ranges.map(([start, end]) => ({ start, end, label, attributes: type ? { type } : undefined }))).length;
    }
    const path = uri.toString();
    const state = await loadArticleSidecar(vscodeFileSystem, path);
    if (state.kind === 'invalid') throw new SidecarProtectedError(state.error);
    const bytes = await vscodeFileSystem.readFile(path);
    const text = decodeArticle(bytes);
    const base = state.kind === 'ok' ? state.sidecar : newSidecar(uri.path.split('/').pop()!, sha256Hex(bytes), new OffsetMap(text).length);
    const { sidecar, added } = tagOccurrencesInSidecar(text, base, phrase, label, { author, type: entityType(label, phrase) });
    if (added) await writeSidecar(vscodeFileSystem, sidecarPathFor(path), sidecar);
    return added;
  }
}
