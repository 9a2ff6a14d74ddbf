/**
 * Merge Cases… (`misconduct.mergeCases`): two case records found to be one case become one. The
 * second (B) joins the first (A): evidence united, each field both set differently resolved in a
 * QuickPick (A's, B's, or both: B's kept in the record's `conflicts`), then, confirmed, A is written
 * and B's file removed — only while it is still the valid case record read (src/core/cases/join.ts).
 */
import * as vscode from 'vscode';
import { CaseRecord, fieldClashes, JoinChoice, joinCases, LoadedCase } from '../../../core/cases';
import { displayValue, FieldDefinition } from '../../../core/codebook';
import type { CaseFolders } from '../caseFolder';

export interface MergeArgs {
  /** The case kept (its id and title), and the case joined into it. */
  a?: string;
  b?: string;
  /** Per clashing field; a field left out keeps both. With `a` and `b`, nothing is asked. */
  choices?: Record<string, JoinChoice>;
}

async function pickCase(cases: readonly LoadedCase[], title: string, except?: string): Promise<CaseRecord | undefined> {
  const items = cases.filter((c) => c.record.id !== except).map((c) => ({ label: c.record.title, description: c.record.id, detail: `${new Set(c.record.evidence.map((e) => e.file)).size} article(s), ${c.record.evidence.length} piece(s) of evidence`, record: c.record }));
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.record;
}

/** Runs Merge Cases… in workspace folder `root`; resolves with the record written, or undefined (cancelled or refused, said why). */
export async function mergeCasesFlow(folders: CaseFolders, root: vscode.WorkspaceFolder, defs: readonly FieldDefinition[], args: MergeArgs): Promise<CaseRecord | undefined> {
  const { cases } = await folders.list(root);
  if (cases.length < 2) {
    void vscode.window.showInformationMessage('Merge Cases… needs two case records in the cases folder.');
    return undefined;
  }
  const byId = new Map(cases.map((c) => [c.record.id, c.record]));
  const silent = args.a !== undefined && args.b !== undefined;
  for (const id of [args.a, args.b]) {
    if (id !== undefined && !byId.has(id)) {
      void vscode.window.showErrorMessage(`There is no case ${id}.`);
      return undefined;
    }
  }
  const a = args.a !== undefined ? byId.get(args.a) : await pickCase(cases, 'Merge Cases: the case to keep');
  if (!a) return undefined;
  const b = args.b !== undefined ? byId.get(args.b) : await pickCase(cases, `Merge Cases: which case joins “${a.title}” (${a.id})? Its file is removed.`, a.id);
  if (!b) return undefined;
  if (a.id === b.id) {
    void vscode.window.showErrorMessage('Pick two different cases to merge.');
    return undefined;
  }

  const choices = new Map<string, JoinChoice>(Object.entries(args.choices ?? {}));
  const defOf = new Map(defs.map((d) => [d.name, d]));
  const clashes = fieldClashes(a, b);
  if (!silent) {
    for (const [i, clash] of clashes.entries()) {
      const def = defOf.get(clash.field);
      const [va, vb] = [displayValue(clash.a, def), displayValue(clash.b, def)];
      const pick = await vscode.window.showQuickPick(
        [
          { label: `Keep ${va}`, description: `${a.id} (kept)`, choice: 'a' as const },
          { label: `Keep ${vb}`, description: b.id, choice: 'b' as const },
          { label: 'Keep both', description: `${va} now; ${vb} recorded as a conflict to settle later`, choice: 'both' as const },
        ],
        { title: `Merge Cases: ${clash.field} (${i + 1} of ${clashes.length})`, placeHolder: `The two records disagree on ${clash.field}` },
      );
      if (!pick) return undefined;
      choices.set(clash.field, pick.choice);
    }
    const answer = await vscode.window.showWarningMessage(
      `Merge case ${b.id} (“${b.title}”) into ${a.id} (“${a.title}”)?`,
      { modal: true, detail: `${a.id} gets ${b.id}'s evidence and fields; the file ${b.id}.case.json is then removed.` },
      'Merge',
    );
    if (answer !== 'Merge') return undefined;
  }

  const joined = joinCases(a, b, choices, new Date().toISOString());
  try {
    await folders.write(root, joined);
  } catch (err) {
    void vscode.window.showErrorMessage(`Merge Cases: nothing changed: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  folders.history.forget(a.id);
  try {
    await folders.remove(root, b);
  } catch (err) {
    void vscode.window.showWarningMessage(`Merge Cases: ${a.id} now holds ${b.id}'s evidence, but ${b.id}'s file was kept: ${(err as Error).message.split('\n')[0]}`);
    return joined;
  }
  if (!silent) void vscode.window.showInformationMessage(`Merged ${b.id} into ${a.id}: ${joined.evidence.length} piece(s) of evidence${joined.conflicts?.length ? `, ${joined.conflicts.length} conflict(s) to settle` : ''}.`);
  return joined;
}
