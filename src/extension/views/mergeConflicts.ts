/**
 * The Annotations view's "Merge Conflicts (n)" group: conflicts the git merge driver recorded in
 * the sidecar, each with Accept Theirs / Keep Mine (misconduct.mergeConflict.acceptTheirs /
 * keepMine). Kept apart from annotationsTree.ts so the tree only places the group.
 */
import * as vscode from 'vscode';
import { displayValue, FieldDefinition } from '../../core/codebook';
import { conflictName } from '../../core/merge';
import { Conflict, FieldValue } from '../../core/schema';
import { shorten } from '../common/names';
import { ArticleSession } from '../store/articleSession';
import type { GroupNode, MergeConflictNode } from './annotationsTree';

/** Annotations first: a relation of theirs may need their annotation accepted before it. */
const KIND_ORDER: Record<Conflict['kind'], number> = { annotation: 0, relation: 1, field: 2, status: 3 };

export function mergeConflictGroup(uri: vscode.Uri, conflicts: readonly Conflict[] | undefined): GroupNode | undefined {
  if (!conflicts?.length) return undefined;
  const group: GroupNode = { kind: 'group', group: 'mergeConflicts', name: 'mergeConflicts', uri, unfiltered: conflicts.length, children: [] };
  const ordered = conflicts.map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || i - j);
  group.children = ordered.map(([recorded]) => recorded).map((recorded): MergeConflictNode => ({ kind: 'mergeConflict', uri, conflict: conflictName(recorded), recorded, parent: group }));
  return group;
}

/** `fields`: the coding form's definitions (`misconduct.documentFields`), to name option values as the form does. */
export function mergeConflictItem(node: MergeConflictNode, session: ArticleSession | undefined, fields: readonly FieldDefinition[] = []): vscode.TreeItem {
  const c = node.recorded;
  let label: string;
  let description: string;
  let tooltip: string;
  if (c.kind === 'status') {
    label = 'Article status';
    description = `theirs: ${c.theirs ?? 'none'}`;
    tooltip = `Both branches changed the article's status. Yours: ${session?.doc.status ?? 'none'}; theirs: ${c.theirs ?? 'none'}.`;
  } else if (c.kind === 'field') {
    const def = fields.find((f) => f.name === c.field);
    const mine = session?.doc.field(c.field);
    const show = (v: FieldValue | undefined, gone: string) => (v === undefined ? gone : Array.isArray(v) && !v.length ? '(empty list)' : displayValue(v, def));
    label = `Form: ${c.field.replace(/_/g, ' ')}`;
    description = `${show(mine, 'none')} · theirs: ${show(c.theirs, 'removed')}`;
    tooltip = `Both branches changed the form field "${c.field}". Yours: ${show(mine, 'none')}; theirs: ${show(c.theirs, 'removed')}.`;
  } else if (c.kind === 'relation') {
    const mine = session?.doc.getRelation(c.id);
    // an end may be only in their version of an annotation that is itself in conflict
    const pending = (id: string) => session?.doc.conflicts.find((x): x is Extract<Conflict, { kind: 'annotation' }> => x.kind === 'annotation' && x.id === id)?.theirs ?? undefined;
    const quote = (id: string) => shorten(session?.doc.get(id)?.text ?? pending(id)?.text ?? id, 30);
    const describe = (r: { label: string; from: string; to: string } | null | undefined) => (r ? `${r.label}: ${quote(r.from)} → ${quote(r.to)}` : 'removed');
    const waiting = c.theirs ? [c.theirs.from, c.theirs.to].filter((id) => !session?.doc.get(id)) : [];
    label = `Relation ${describe(mine ?? c.theirs)}`;
    const theirs = c.theirs ? `${c.theirs.label}${c.theirs.note ? `, note “${shorten(c.theirs.note, 40)}”` : ''}` : 'removed';
    description = `${mine ? mine.label : 'removed'} · theirs: ${theirs}${waiting.length ? (waiting.every(pending) ? ' (accept their annotation first)' : ' (its end is gone)') : ''}`;
    tooltip = `Both branches changed relation ${c.id}. Yours: ${describe(mine)}. Theirs: ${describe(c.theirs)}.`;
    if (waiting.length) {
      tooltip += waiting.every(pending)
        ? ` Their version links ${waiting.map(quote).join(' and ')}, which is itself a merge conflict here: Accept Theirs on that annotation first.`
        : ` Their version links ${waiting.map(quote).join(' and ')}, which this file no longer has: Keep Mine, or tag it again and link it.`;
    }
  } else {
    const mine = session?.doc.get(c.id);
    label = shorten(mine?.text ?? c.theirs?.text ?? c.id, 60);
    const theirs = c.theirs ? `${c.theirs.label}${c.theirs.note ? `, note “${shorten(c.theirs.note, 40)}”` : ''}` : 'removed';
    description = `${mine ? mine.label : 'removed'} · theirs: ${theirs}`;
    tooltip = `Both branches changed annotation ${c.id}. Yours: ${mine ? `${mine.label}${mine.meta.note ? `, note “${mine.meta.note}”` : ''}` : 'removed'}. Theirs: ${theirs}.`;
  }
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.uri}#mergeConflict:${node.conflict}`;
  item.description = description;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon('git-merge');
  item.contextValue = 'misconduct.mergeConflict';
  return item;
}
