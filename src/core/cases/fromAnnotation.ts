/**
 * A case from an annotation (New Case from Annotation…, Add to Case…): the span's relation chain
 * (officer → allegation → sanction, with the officer's force), a case record pre-filled from it,
 * each value with its evidence, and the existing cases ranked by how likely the chain is theirs.
 */
import { FieldDefinition, prefillSuggestions, sameFieldValue } from '../codebook';
import type { DocumentForm, FieldValue } from '../schema';
import { newEvidenceId } from './caseFile';
import { CaseRecord, Evidence } from './schema';

export interface ChainSpan {
  id: string;
  label: string;
  text: string;
  /** The gazetteer type (`attributes.type`), if any. */
  type?: string;
}

export interface ChainRelation {
  id: string;
  label: string;
  from: string;
  to: string;
}

export interface Chain {
  spans: ChainSpan[];
  relations: ChainRelation[];
}

/** Spans a chain ends at: a force (or body) is shared by many officers, so the walk never goes through one. */
const LEAF_LABELS = new Set(['force', 'body']);

/** The spans and relations linked to `startId`, walking relations both ways but never through a force. */
export function relationChain(spans: ReadonlyMap<string, ChainSpan>, relations: readonly ChainRelation[], startId: string): Chain {
  const seen = new Set<string>([startId]);
  const used = new Set<string>();
  const queue = [startId];
  while (queue.length) {
    const id = queue.shift()!;
    if (id !== startId && LEAF_LABELS.has(spans.get(id)?.label ?? '')) continue;
    for (const r of relations) {
      if (r.from !== id && r.to !== id) continue;
      used.add(r.id);
      const other = r.from === id ? r.to : r.from;
      if (!seen.has(other) && spans.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return {
    spans: [...seen].map((id) => spans.get(id)).filter((s): s is ChainSpan => s !== undefined),
    relations: relations.filter((r) => used.has(r.id)),
  };
}

function relationQuote(spans: ReadonlyMap<string, ChainSpan>, r: ChainRelation): string {
  return `${spans.get(r.from)?.text ?? r.from} → ${spans.get(r.to)?.text ?? r.to}`;
}

export interface CaseDraft {
  fields: Record<string, FieldValue>;
  evidence: Evidence[];
  /** Per field, where its value came from, for a person ("from 1 sanction span: “dismissed”"). */
  reasons: Map<string, string>;
}

/**
 * The fields and evidence a chain gives, in article `file`. `form`: the article's coding form,
 * used for the fields the chain leaves empty only when `formIsThisCase` (the article reports one
 * case: its form is that case's coding, not another officer's).
 */
export function draftFromChain(file: string, chain: Chain, allSpans: ReadonlyMap<string, ChainSpan>, fields: readonly FieldDefinition[], form: Readonly<DocumentForm>, formIsThisCase: boolean): CaseDraft {
  const out: CaseDraft = { fields: {}, evidence: [], reasons: new Map() };
  const fieldOf = new Map<string, string>();
  for (const s of prefillSuggestions(fields, chain.spans)) {
    out.fields[s.field] = s.value;
    out.reasons.set(s.field, s.reason);
    for (const id of s.from) if (!fieldOf.has(id)) fieldOf.set(id, s.field);
  }
  for (const s of chain.spans) {
    const field = fieldOf.get(s.id);
    out.evidence.push({ id: newEvidenceId(), file, annotation: s.id, ...(field ? { field } : {}), quote: s.text });
  }
  for (const r of chain.relations) out.evidence.push({ id: newEvidenceId(), file, relation: r.id, quote: relationQuote(allSpans, r) });
  if (formIsThisCase) {
    for (const def of fields) {
      const value = new Map(Object.entries(form)).get(def.name);
      if (value === undefined || value === null || def.name in out.fields) continue;
      out.fields[def.name] = value;
      out.reasons.set(def.name, "from the article's form");
      out.evidence.push({ id: newEvidenceId(), file, field: def.name, quote: '' });
    }
  }
  return out;
}

export interface LikelyCase {
  record: CaseRecord;
  score: number;
  /** What matched, for a person: "same force (metropolitan)", "already has evidence in this article". */
  reasons: string[];
}

/**
 * The cases in order of how likely the draft (from article `file`) belongs to them: evidence in the
 * same article, the same force, outcome, finding and standards, an officer quote in common. Ties by
 * id; a case with nothing in common comes last, still listed.
 */
export function rankCases(cases: readonly CaseRecord[], file: string, draft: Pick<CaseDraft, 'fields' | 'evidence'>): LikelyCase[] {
  const out: LikelyCase[] = [];
  const quotes = new Set(draft.evidence.map((e) => e.quote.toLowerCase()).filter((q) => q.length > 3));
  for (const record of cases) {
    const reasons: string[] = [];
    let score = 0;
    if (record.evidence.some((e) => e.file === file)) {
      score += 3;
      reasons.push('already has evidence in this article');
    }
    const theirs = new Map(Object.entries(record.fields));
    for (const [field, weight] of [['force', 3], ['outcome', 2], ['finding', 1], ['proceeding', 1], ['officer_rank', 1]] as const) {
      const mine = new Map(Object.entries(draft.fields)).get(field);
      if (mine !== undefined && mine !== null && sameFieldValue(mine, theirs.get(field))) {
        score += weight;
        reasons.push(`same ${field.replace(/_/g, ' ')} (${Array.isArray(mine) ? mine.join(', ') : String(mine)})`);
      }
    }
    const mineStandards = new Map(Object.entries(draft.fields)).get('standards');
    const theirStandards = theirs.get('standards');
    if (Array.isArray(mineStandards) && Array.isArray(theirStandards)) {
      const shared = mineStandards.filter((s) => theirStandards.includes(s));
      if (shared.length) {
        score += shared.length;
        reasons.push(`${shared.length} standard(s) in common`);
      }
    }
    const sameQuote = record.evidence.find((e) => quotes.has(e.quote.toLowerCase()));
    if (sameQuote) {
      score += 1;
      reasons.push(`the same words: “${sameQuote.quote}”`);
    }
    out.push({ record, score, reasons });
  }
  return out.sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
}

/** Adds a draft's evidence to a case (evidence already there, same article and span or relation, is not added twice); fields are left as they are. */
export function addEvidence(record: CaseRecord, evidence: readonly Evidence[], modified: string): CaseRecord {
  const key = (e: Evidence) => `${e.file}\u0000${e.annotation ?? ''}\u0000${e.relation ?? ''}\u0000${e.field ?? ''}`;
  const have = new Set(record.evidence.map(key));
  const added = evidence.filter((e) => !have.has(key(e)));
  return { ...record, evidence: [...record.evidence, ...added], modified };
}

/**
 * Per field, the value each article's form gives for a case's articles, and whether they disagree:
 * the Case record editor's view of a field.
 */
export function perArticleValues(record: CaseRecord, forms: ReadonlyMap<string, Readonly<DocumentForm>>, field: string): { values: Array<{ file: string; value: FieldValue }>; disagree: boolean } {
  const values: Array<{ file: string; value: FieldValue }> = [];
  for (const file of [...new Set(record.evidence.map((e) => e.file))].sort()) {
    const value = new Map(Object.entries(forms.get(file) ?? {})).get(field);
    if (value !== undefined && value !== null) values.push({ file, value });
  }
  const disagree = values.some((v) => !sameFieldValue(v.value, values[0].value));
  return { values, disagree };
}
