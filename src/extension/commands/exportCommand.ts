/**
 * Export Dataset…: the same exporter as `misconduct-annotate export`, with a cancellable progress
 * notification. A cancelled export leaves no half-written file (the exporter writes to temp files
 * and renames them into place only at the end).
 *
 * Where the files go is said plainly (issue 18): the suggested destination is a new folder
 * `export-<date>` inside the corpus (which the corpus walkers skip), the result names the folder and
 * the files with a Reveal button, and every run is written to the "Misconduct Annotator: Export"
 * output channel, where the problems are listed too (read-only, nothing to save).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportFolderName } from '../../core/corpus';
import { FileSystem, nodeFileSystem } from '../../core/fileSystem';
import {
  createFileSystemSink,
  EXPORT_FORMATS,
  ExportFormat,
  exportDataset,
  ExportSink,
  ExportSummary,
  ExportTargetError,
  ExportWriteError,
  isExportFormat,
  parseSplit,
} from '../../core/export';
import { FieldDefinition, RelationType } from '../../core/codebook';
import { inWebWorker } from '../common/host';
import { vscodeFileSystem } from '../vscodeFileSystem';
import { Command } from './command';

/**
 * How the exporter's paths are spelled: paths on this computer, written through node:fs (atomic,
 * streamed); in VS Code for the Web, URIs written through workspace.fs (fileSystemSink.ts).
 */
interface Place {
  readonly fs: FileSystem;
  sink(): ExportSink | undefined;
  path(uri: vscode.Uri): string;
  uri(path: string): vscode.Uri;
}

const onThisComputer: Place = { fs: nodeFileSystem, sink: () => undefined, path: (u) => u.fsPath, uri: (p) => vscode.Uri.file(p) };
const throughWorkspaceFs: Place = {
  fs: vscodeFileSystem,
  // made on first use: the export module is lazy
  sink: () => createFileSystemSink(vscodeFileSystem),
  path: (u) => u.toString(),
  uri: (p) => vscode.Uri.parse(p, true),
};
const place = inWebWorker ? throughWorkspaceFs : onThisComputer;

const joinAll = (dir: string, names: string[]) => names.reduce((p, n) => place.fs.join(p, n), dir);
const baseName = (p: string) => place.uri(p).path.replace(/\/+$/, '').split('/').pop() ?? '';

/** The settings the export reads (the relation types for brat, the form for cases and Label Studio). */
export interface ExportSettings {
  readonly relationTypes: RelationType[];
  readonly documentFields: FieldDefinition[];
  /** The cases folder, relative to the workspace folder (`misconduct.casesFolder`). */
  readonly casesFolder?: string;
}

const FORMAT_INFO: Record<ExportFormat, { ext: string; detail: string }> = {
  jsonl: { ext: '.jsonl', detail: 'one JSON object per article: spaCy, doccano, Hugging Face datasets' },
  conll: { ext: '.conll', detail: 'one token per line with its BIO tag (CoNLL-2003 columns)' },
  brat: { ext: '-brat', detail: 'a folder of .txt/.ann pairs and annotation.conf' },
  webanno: { ext: '.jsonld', detail: 'W3C Web Annotation collection (JSON-LD)' },
  labelstudio: { ext: '.labelstudio.json', detail: 'Label Studio tasks' },
  csv: { ext: '.csv', detail: 'one row per annotation (RFC 4180)' },
  cases: { ext: '-cases', detail: 'the case table: a folder with cases.csv (one row per article: form, counts) and relations.csv' },
};

/** Arguments for tests and keybindings; anything missing is asked for. */
interface ExportArgs {
  formats?: string[];
  /** Destination folder. */
  out?: string;
  /** Corpus folder (default: the first workspace folder). */
  folder?: string;
  labels?: string[];
  split?: string;
  seed?: string | number;
  includeUnannotated?: boolean;
  /** Also export near copies (sidecars with `duplicateOf`); left out by default. */
  includeDuplicates?: boolean;
  /** Offer to reveal the result (default true). */
  reveal?: boolean;
}

export class ExportDatasetCommand implements Command, vscode.Disposable {
  readonly id = 'misconduct.exportDataset';
  private channel: vscode.OutputChannel | undefined;

  constructor(private readonly settings?: ExportSettings) {}

  /** The export log, made on first use (most sessions never export). */
  private get log(): vscode.OutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel('Misconduct Annotator: Export'));
  }

  dispose(): void {
    this.channel?.dispose();
  }

  async execute(arg?: unknown): Promise<ExportSummary[]> {
    const args: ExportArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as ExportArgs) : {};
    const local = (f: vscode.WorkspaceFolder) => inWebWorker || f.uri.scheme === 'file';
    const folder = args.folder ?? (arg instanceof vscode.Uri ? place.path(arg) : vscode.workspace.workspaceFolders?.find(local)?.uri && place.path(vscode.workspace.workspaceFolders.find(local)!.uri));
    if (!folder) {
      void vscode.window.showErrorMessage(inWebWorker ? 'Export needs a corpus folder: open one first.' : 'Export needs a corpus folder on this computer: open one first.');
      return [];
    }
    const picked = args.formats ? { formats: args.formats, includeDuplicates: args.includeDuplicates } : await this.pickFormats();
    const formats = picked?.formats;
    if (!formats?.length) return [];
    const bad = formats.filter((f) => !isExportFormat(f));
    if (bad.length) {
      void vscode.window.showErrorMessage(`Unknown export format ${bad.join(', ')}; choose from ${EXPORT_FORMATS.join(', ')}.`);
      return [];
    }
    const outDir = args.out ?? (await this.pickDestination(folder));
    if (!outDir) return [];
    // annotations changed a moment ago may still be on their way to disk
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    const name = baseName(folder) || 'dataset';
    const split = args.split ? parseSplit(args.split) : undefined;
    const summaries: ExportSummary[] = [];
    const problems: string[] = [];
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Exporting dataset', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        for (const format of formats as ExportFormat[]) {
          let last = 0;
          try {
            summaries.push(
              await exportDataset(place.fs, folder, {
                format,
                out: place.fs.join(outDir, name + FORMAT_INFO[format].ext),
                sink: place.sink(),
                labels: args.labels ?? undefined,
                split,
                seed: args.seed,
                includeUnannotated: args.includeUnannotated,
                includeDuplicates: picked?.includeDuplicates,
                relationTypes: this.settings?.relationTypes,
                documentFields: this.settings?.documentFields,
                ...(this.settings?.casesFolder ? { casesFolder: joinAll(folder, this.settings.casesFolder.split('/')), walk: { casesFolder: this.settings.casesFolder } } : {}),
                // the brat and cases folders are ours by name; only files our earlier export listed are replaced
                force: true,
                signal: controller.signal,
                onProgress: ({ done, total }) => {
                  const pct = total ? (done / total) * 100 : 0;
                  progress.report({ message: `${format}: ${done} of ${total} articles`, increment: (pct - last) / formats.length });
                  last = pct;
                },
                onWarning: (w) => problems.push(`${w.file}: ${w.message}`),
              }),
            );
          } catch (err) {
            if ((err as Error).name === 'AbortError') return true;
            if (err instanceof ExportTargetError) return err;
            throw err;
          }
        }
        // the last report says the work is done, so a lingering toast is not a stale "1 of 5"
        progress.report({ message: 'done' });
        return false;
      },
    );
    if (cancelled instanceof ExportTargetError) {
      // e.g. a folder inside the corpus (refused), or a full disk (failed; the earlier export is kept)
      void vscode.window.showErrorMessage(`Export ${cancelled instanceof ExportWriteError ? 'failed' : 'refused'}: ${cancelled.message}`);
      return summaries;
    }
    if (cancelled) {
      this.log.appendLine(`[${new Date().toISOString()}] Export to ${outDir} cancelled: nothing was written.`);
      void vscode.window.showInformationMessage('Export cancelled: nothing was written.');
      return summaries;
    }
    const spans = summaries.reduce((n, s) => n + s.spans, 0);
    const articles = summaries[0]?.articles ?? 0;
    const outputs = [...new Set(summaries.flatMap((s) => s.outputs))];
    const files = outputs.map((o) => (place === onThisComputer ? path.relative(outDir, o) || path.basename(o) : o.startsWith(outDir + '/') ? o.slice(outDir.length + 1) : baseName(o)));
    const where = this.describeFolder(outDir);
    const counts = `${articles} article${articles === 1 ? '' : 's'} and ${spans / Math.max(1, summaries.length)} spans`;
    this.log.appendLine(`[${new Date().toISOString()}] Exported ${counts} from ${folder} as ${formats.join(', ')}`);
    for (const o of outputs) this.log.appendLine(`  wrote ${o}`);
    if (problems.length) {
      this.log.appendLine(`  ${problems.length} problem${problems.length > 1 ? 's' : ''} (left out of the export):`);
      for (const p of problems) this.log.appendLine(`    ${p}`);
    }
    const message = `Exported ${counts} to ${where}: ${files.join(', ')}.${problems.length ? ` ${problems.length} problem${problems.length > 1 ? 's' : ''} left out.` : ''}`;
    if (args.reveal === false) return summaries;
    const actions = ['Reveal', ...(problems.length ? ['Show Problems'] : []), 'Show Log'];
    void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
      if (choice === 'Reveal') void this.reveal(outputs[0] ?? outDir);
      if (choice === 'Show Problems' || choice === 'Show Log') this.log.show(true);
    });
    return summaries;
  }

  /** Suggests a new `export-<date>` folder in the corpus; or any folder the user picks. */
  private async pickDestination(folder: string): Promise<string | undefined> {
    const taken = new Set((await place.fs.readDirectory(folder).catch(() => [])).map(([n]) => n));
    const name = exportFolderName(new Date(), (n) => taken.has(n));
    const suggested = place.fs.join(folder, name);
    const pick = await vscode.window.showQuickPick(
      [
        { label: `$(new-folder) New folder ${name}`, description: 'in the corpus folder', detail: place === onThisComputer ? suggested : this.describeFolder(suggested), value: suggested },
        { label: '$(folder-opened) Choose a folder…', description: '', detail: undefined, value: '' },
      ],
      { title: 'Export Dataset', placeHolder: 'Where should the dataset be written?' },
    );
    if (!pick) return undefined;
    if (pick.value) {
      await vscode.workspace.fs.createDirectory(place.uri(pick.value));
      return pick.value;
    }
    return (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        defaultUri: place.uri(folder),
        openLabel: 'Export Here',
        title: 'Where should the dataset be written?',
      })
    )?.map(place.path)[0];
  }

  /** The folder as the user knows it: relative to the workspace when inside it. */
  private describeFolder(dir: string): string {
    const uri = place.uri(dir);
    const rel = vscode.workspace.asRelativePath(uri, false);
    return rel && !rel.startsWith('/') && !/^[a-z][\w+.-]*:/i.test(rel) ? rel : uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
  }

  /** Shows a written file: in the Explorer when it is in the workspace, else in the OS. */
  private async reveal(file: string): Promise<void> {
    const uri = place.uri(file);
    if (vscode.workspace.getWorkspaceFolder(uri) || inWebWorker) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  }

  /** The formats, and under them the one option: near copies are left out unless asked for. */
  private async pickFormats(): Promise<{ formats: string[]; includeDuplicates: boolean } | undefined> {
    const nearCopies = '$(copy) Also export near copies';
    const picks = await vscode.window.showQuickPick<vscode.QuickPickItem & { format?: ExportFormat }>(
      [
        ...EXPORT_FORMATS.map((f) => ({ label: f, detail: FORMAT_INFO[f].detail, picked: f === 'jsonl', format: f })),
        { label: 'Options', kind: vscode.QuickPickItemKind.Separator },
        { label: nearCopies, detail: 'Articles marked duplicateOf (the same release imported from another site): left out unless picked.' },
      ],
      { canPickMany: true, placeHolder: 'Export the annotated corpus as…', title: 'Export Dataset' },
    );
    return picks && { formats: picks.flatMap((p) => (p.format ? [p.format] : [])), includeDuplicates: picks.some((p) => p.label === nearCopies) };
  }
}
