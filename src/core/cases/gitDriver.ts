/**
 * The git merge driver's file handling for case records (`*.case.json`): the three sides read and
 * checked as `validate` checks a case file, merged (merge.ts), checked again, and written
 * atomically over ours. A side that cannot be read or is not a valid case record is refused:
 * nothing is written and git reports a conflict.
 */
import * as nodePath from 'node:path';
import { nodeFileSystem } from '../fileSystem';
import { writeFileAtomic } from '../sidecarWrite';
import { CaseFileError, parseCase, serializeCase } from './caseFile';
import { CaseMergeResult, mergeCases } from './merge';
import { CaseRecord } from './schema';

export interface CaseDriverFiles {
  base: string;
  ours: string;
  theirs: string;
  /** %P: the file's path in the repository. */
  path: string;
  cwd: string;
}

export type CaseDriverOutcome =
  | ({ kind: 'merged' } & CaseMergeResult)
  | { kind: 'invalid'; problems: string[] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

async function readSide(file: string, label: string): Promise<CaseRecord | undefined> {
  const bytes = await nodeFileSystem.readFile(file);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new CaseFileError(label, [`${label}: is not valid UTF-8 text`]);
  }
  if (!text.trim()) return undefined;
  return parseCase(label, text);
}

export async function runCaseMergeDriver(files: CaseDriverFiles): Promise<CaseDriverOutcome> {
  const sides: Partial<Record<'base' | 'ours' | 'theirs', CaseRecord | undefined>> = {};
  for (const side of ['base', 'ours', 'theirs'] as const) {
    const label = `${files.path} (${side})`;
    try {
      sides[side] = await readSide(nodePath.resolve(files.cwd, files[side]), label);
    } catch (err) {
      if (err instanceof CaseFileError) return { kind: 'invalid', problems: err.problems };
      return { kind: 'invalid', problems: [`${label}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`] };
    }
    if (side !== 'base' && !sides[side]) return { kind: 'invalid', problems: [`${label}: is empty`] };
  }
  const [base, ours, theirs] = [sides.base, sides.ours!, sides.theirs!];
  if (ours.id !== theirs.id) return { kind: 'invalid', problems: [`${files.path}: ours is case ${ours.id} and theirs case ${theirs.id}; not merged`] };
  const result = mergeCases(base, ours, theirs);
  const text = serializeCase(result.record);
  try {
    parseCase(`${files.path} (merged)`, text);
  } catch (err) {
    if (err instanceof CaseFileError) return { kind: 'invalid', problems: err.problems };
    throw err;
  }
  await writeFileAtomic(nodeFileSystem, nodePath.resolve(files.cwd, files.ours), new TextEncoder().encode(text));
  return { kind: 'merged', ...result };
}
