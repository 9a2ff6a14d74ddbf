/**
 * Export Dataset…: the same exporter as `misconduct-annotate export`, with a cancellable progress
 * notification. A cancelled export leaves no half-written file (the exporter writes to temp files
 * and renames them into place only at the end).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/fileSystem';
import { EXPORT_FORMATS, ExportFormat, exportDataset, ExportSummary, ExportTargetError, isExportFormat, parseSplit } from '../../core/export';
import { Command } from './command';

const FORMAT_INFO: Record<ExportFormat, { ext: string; detail: string }> = {
  jsonl: { ext: '.jsonl', detail: 'one JSON object per article: spaCy, doccano, Hugging Face datasets' },
  conll: { ext: '.conll', detail: 'one token per line with its BIO tag (CoNLL-2003 columns)' },
  brat: { ext: '-brat', detail: 'a folder of .txt/.ann pairs and annotation.conf' },
  webanno: { ext: '.jsonld', detail: 'W3C Web Annotation collection (JSON-LD)' },
  labelstudio: { ext: '.labelstudio.json', detail: 'Label Studio tasks' },
  csv: { ext: '.csv', detail: 'one row per annotation (RFC 4180)' },
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
  /** Offer to reveal the result (default true). */
  reveal?: boolean;
}

export class ExportDatasetCommand implements Command {
  readonly id = 'misconduct.exportDataset';

  async execute(arg?: unknown): Promise<ExportSummary[]> {
    const args: ExportArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as ExportArgs) : {};
    const folder = args.folder ?? (arg instanceof vscode.Uri ? arg.fsPath : vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath);
    if (!folder) {
      void vscode.window.showErrorMessage('Export needs a corpus folder on this computer: open one first.');
      return [];
    }
    const formats = args.formats ?? (await this.pickFormats());
    if (!formats?.length) return [];
    const bad = formats.filter((f) => !isExportFormat(f));
    if (bad.length) {
      void vscode.window.showErrorMessage(`Unknown export format ${bad.join(', ')}; choose from ${EXPORT_FORMATS.join(', ')}.`);
      return [];
    }
    const outDir =
      args.out ??
      (
        await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: 'Export Here',
          title: 'Where should the dataset be written?',
        })
      )?.[0]?.fsPath;
    if (!outDir) return [];
    // annotations changed a moment ago may still be on their way to disk
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    const name = path.basename(folder) || 'dataset';
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
              await exportDataset(nodeFileSystem, folder, {
                format,
                out: path.join(outDir, name + FORMAT_INFO[format].ext),
                labels: args.labels ?? undefined,
                split,
                seed: args.seed,
                includeUnannotated: args.includeUnannotated,
                // the brat folder is ours by name; only files our earlier export listed are replaced
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
        return false;
      },
    );
    if (cancelled instanceof ExportTargetError) {
      // e.g. a folder inside the corpus: outputs there would replace or add files among the articles
      void vscode.window.showErrorMessage(`Export refused: ${cancelled.message}`);
      return summaries;
    }
    if (cancelled) {
      void vscode.window.showInformationMessage('Export cancelled: nothing was written.');
      return summaries;
    }
    const spans = summaries.reduce((n, s) => n + s.spans, 0);
    const articles = summaries[0]?.articles ?? 0;
    const message = `Exported ${articles} article${articles === 1 ? '' : 's'} and ${spans / Math.max(1, summaries.length)} spans as ${formats.join(', ')}${problems.length ? ` (${problems.length} problem${problems.length > 1 ? 's' : ''} reported)` : ''}.`;
    if (args.reveal === false) return summaries;
    const actions = ['Reveal', ...(problems.length ? ['Show Problems'] : [])];
    void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
      if (choice === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(summaries[0].outputs[0]));
      if (choice === 'Show Problems') void vscode.workspace.openTextDocument({ content: problems.join('\n') }).then((d) => vscode.window.showTextDocument(d));
    });
    return summaries;
  }

  private async pickFormats(): Promise<string[] | undefined> {
    const picks = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f, detail: FORMAT_INFO[f].detail, picked: f === 'jsonl' })),
      { canPickMany: true, placeHolder: 'Export the annotated corpus as…', title: 'Export Dataset' },
    );
    return picks?.map((p) => p.label);
  }
}
