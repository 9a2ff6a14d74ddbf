/** The coding form of each article of a case: what the Case record editor and Edit Case Field… compare. */
import * as vscode from 'vscode';
import type { CaseRecord } from '../../core/cases';
import type { DocumentForm } from '../../core/schema';
import { parseSidecar, readSidecarText, sidecarPathFor } from '../../core/sidecar';
import type { ArticleStore } from '../store/articleStore';
import { vscodeFileSystem } from '../vscodeFileSystem';

/** Each of the case's articles' forms: the open session's when there is one (unsaved edits included), else the sidecar on disk. */
export async function articleForms(store: ArticleStore, root: vscode.WorkspaceFolder, record: CaseRecord): Promise<Map<string, DocumentForm>> {
  const out = new Map<string, DocumentForm>();
  for (const file of new Set(record.evidence.map((e) => e.file))) {
    const uri = vscode.Uri.joinPath(root.uri, ...file.split('/'));
    const session = store.get(uri);
    if (session) {
      out.set(file, session.doc.documentForm());
      continue;
    }
    try {
      const path = sidecarPathFor(uri.toString());
      const text = await readSidecarText(vscodeFileSystem, path);
      if (text !== undefined) out.set(file, parseSidecar(path, text).document ?? {});
    } catch {
      // no readable, valid sidecar: that article gives no value
    }
  }
  return out;
}
