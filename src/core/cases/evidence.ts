/**
 * Checking a case's evidence against the corpus: each piece names an article (relative to the
 * corpus folder) and an annotation or relation of its sidecar. A renamed article or a removed span
 * is reported with the case and evidence ids, never dropped silently.
 */
import { FileSystem } from '../fileSystem';
import { parseSidecar, readSidecarText, SidecarError, sidecarPathFor } from '../sidecar';
import type { Sidecar } from '../schema';
import { CaseRecord, Evidence } from './schema';

export interface EvidenceProblem {
  caseId: string;
  evidenceId: string;
  file: string;
  severity: 'error' | 'warning';
  /** One line: "case c-1, evidence e-2: annotation a-3 is not in 003.txt's sidecar". */
  message: string;
}

/** The article's path under the corpus folder (evidence paths use `/`, the file system its own join). */
export function evidenceArticlePath(fs: FileSystem, corpus: string, file: string): string {
  return file.split('/').reduce((dir, part) => fs.join(dir, part), corpus);
}

type ArticleState = { kind: 'missing' } | { kind: 'no-sidecar' } | { kind: 'bad-sidecar'; why: string } | { kind: 'ok'; sidecar: Sidecar };

/** Reads each article's sidecar once, however many pieces of evidence name it. */
export class EvidenceSource {
  private readonly states = new Map<string, Promise<ArticleState>>();

  constructor(
    private readonly fs: FileSystem,
    private readonly corpus: string,
  ) {}

  article(file: string): Promise<ArticleState> {
    let state = this.states.get(file);
    if (!state) {
      state = this.load(file);
      this.states.set(file, state);
    }
    return state;
  }

  private async load(file: string): Promise<ArticleState> {
    const path = evidenceArticlePath(this.fs, this.corpus, file);
    const stat = await this.fs.stat(path);
    if (stat?.type !== 'file') return { kind: 'missing' };
    try {
      const text = await readSidecarText(this.fs, sidecarPathFor(path));
      if (text === undefined) return { kind: 'no-sidecar' };
      return { kind: 'ok', sidecar: parseSidecar(sidecarPathFor(path), text) };
    } catch (err) {
      if (err instanceof SidecarError) return { kind: 'bad-sidecar', why: err.problems[0]?.message ?? 'is not a valid sidecar' };
      throw err;
    }
  }
}

/** What is wrong with one piece of evidence (undefined: nothing). */
export async function evidenceProblem(source: EvidenceSource, record: CaseRecord, e: Evidence): Promise<EvidenceProblem | undefined> {
  const at = `case ${record.id}, evidence ${e.id}`;
  const problem = (message: string, severity: 'error' | 'warning' = 'error'): EvidenceProblem => ({ caseId: record.id, evidenceId: e.id, file: e.file, severity, message: `${at}: ${message}` });
  const state = await source.article(e.file);
  if (state.kind === 'missing') return problem(`its article ${JSON.stringify(e.file)} is missing (renamed or deleted?)`);
  if (e.annotation === undefined && e.relation === undefined) return undefined;
  if (state.kind === 'no-sidecar') return problem(`${JSON.stringify(e.file)} has no annotations, so ${e.annotation ?? e.relation} is not there`);
  if (state.kind === 'bad-sidecar') return problem(`the sidecar of ${JSON.stringify(e.file)} cannot be read (${state.why})`);
  const sidecar = state.sidecar;
  if (e.annotation !== undefined) {
    const a = sidecar.annotations.find((x) => x.id === e.annotation);
    if (!a) return problem(`annotation ${e.annotation} is not in the sidecar of ${JSON.stringify(e.file)} (removed?); its quote was ${JSON.stringify(e.quote)}`);
    if (a.orphaned) return problem(`annotation ${e.annotation} in ${JSON.stringify(e.file)} is orphaned (its text changed)`, 'warning');
    if (e.quote && a.text !== e.quote) return problem(`annotation ${e.annotation} now reads ${JSON.stringify(a.text)}, not ${JSON.stringify(e.quote)}`, 'warning');
  }
  if (e.relation !== undefined && !(sidecar.relations ?? []).some((r) => r.id === e.relation)) {
    return problem(`relation ${e.relation} is not in the sidecar of ${JSON.stringify(e.file)} (removed?); its quote was ${JSON.stringify(e.quote)}`);
  }
  return undefined;
}

/** Every problem with the evidence of the given cases, in case order then evidence order. */
export async function checkEvidence(fs: FileSystem, corpus: string, records: readonly CaseRecord[]): Promise<EvidenceProblem[]> {
  const source = new EvidenceSource(fs, corpus);
  const out: EvidenceProblem[] = [];
  for (const record of records) {
    for (const e of record.evidence) {
      const p = await evidenceProblem(source, record, e);
      if (p) out.push(p);
    }
  }
  return out;
}
