/**
 * Agreement on case records (issue 31) between two annotation sets. Case ids are each annotator's
 * own, so cases are matched by what they rest on: the text their evidence covers. A case's
 * footprint is, per article, the code points of the spans its evidence names (an annotation's
 * span, or both ends of a relation) in that set's sidecar. Two cases overlap by the code points
 * their footprints share in the same articles; pairs are matched one to one, largest overlap first
 * (then by ids, so the result does not depend on the order files were listed). On matched cases
 * each field is compared; the cases left over are the ones only one set has.
 */
import { sameFieldValue } from '../codebook';
import { EvidenceSource, listCases } from '../cases';
import type { CaseRecord } from '../cases';
import { FileSystem } from '../fileSystem';
import type { FieldValue } from '../schema';

/** Per article id: the [start, end) code-point ranges a case's evidence covers, merged and sorted. */
export type Footprint = Map<string, Array<[number, number]>>;

export interface CaseFieldAgreement {
  field: string;
  /** Matched cases in which each set gives the field a value. */
  coded: [number, number];
  /** Matched cases in which both do. */
  both: number;
  /** The share of those with the same value; null when none are. */
  exactMatch: number | null;
  /** The matched pairs that disagree: [case in A, case in B, A's value, B's value]. */
  disagreements: Array<[string, string, FieldValue, FieldValue]>;
}

export interface CaseAgreementReport {
  /** How many valid case records each set has. */
  cases: [number, number];
  /** Matched pairs: ids in A and B, and the code points their evidence shares. */
  matched: Array<{ a: string; b: string; overlap: number }>;
  onlyA: string[];
  onlyB: string[];
  fields: CaseFieldAgreement[];
  /** Case files that could not be read, or evidence whose span is not there (one line each). */
  problems: string[];
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The code points two footprints share in the same articles. */
export function footprintOverlap(a: Footprint, b: Footprint): number {
  let shared = 0;
  for (const [file, xs] of a) {
    const ys = b.get(file);
    if (!ys) continue;
    for (const [s, e] of xs) for (const [t, f] of ys) shared += Math.max(0, Math.min(e, f) - Math.max(s, t));
  }
  return shared;
}

/** A case's footprint in its set (evidence whose span cannot be found is reported and adds nothing). */
export async function caseFootprint(source: EvidenceSource, record: CaseRecord, problems: string[]): Promise<Footprint> {
  const ranges = new Map<string, Array<[number, number]>>();
  for (const e of record.evidence) {
    const state = await source.article(e.file);
    if (state.kind !== 'ok') continue;
    const spans = new Map(state.sidecar.annotations.filter((a) => !a.orphaned).map((a) => [a.id, a]));
    const ids = e.annotation !== undefined ? [e.annotation] : [];
    if (e.relation !== undefined) {
      const r = state.sidecar.relations?.find((x) => x.id === e.relation);
      if (r) ids.push(r.from, r.to);
    }
    for (const id of ids) {
      const span = spans.get(id);
      if (!span) {
        problems.push(`case ${record.id}, evidence ${e.id}: ${id} is not a span of ${JSON.stringify(e.file)}; it adds nothing to the match`);
        continue;
      }
      ranges.set(e.file, [...(ranges.get(e.file) ?? []), [span.start, span.end]]);
    }
  }
  return new Map([...ranges].map(([file, rs]) => [file, mergeRanges(rs)]));
}

/** Matches cases one to one by footprint overlap, largest first. */
export function matchCases(a: ReadonlyArray<{ id: string; footprint: Footprint }>, b: ReadonlyArray<{ id: string; footprint: Footprint }>): Array<{ a: string; b: string; overlap: number }> {
  const candidates: Array<{ a: string; b: string; overlap: number }> = [];
  for (const x of a) for (const y of b) {
    const overlap = footprintOverlap(x.footprint, y.footprint);
    if (overlap > 0) candidates.push({ a: x.id, b: y.id, overlap });
  }
  candidates.sort((p, q) => q.overlap - p.overlap || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  const out: Array<{ a: string; b: string; overlap: number }> = [];
  for (const c of candidates) {
    if (usedA.has(c.a) || usedB.has(c.b)) continue;
    usedA.add(c.a);
    usedB.add(c.b);
    out.push(c);
  }
  return out;
}

const isSet = (v: FieldValue | undefined) => v !== undefined && v !== null && !(Array.isArray(v) && !v.length) && v !== '';

/** Per field, on matched cases: who coded it, and how often the two agree. */
export function fieldAgreement(pairs: ReadonlyArray<[CaseRecord, CaseRecord]>, order: readonly string[] = []): CaseFieldAgreement[] {
  const names = new Set<string>(order);
  for (const [x, y] of pairs) for (const f of [...Object.keys(x.fields), ...Object.keys(y.fields)]) names.add(f);
  const out: CaseFieldAgreement[] = [];
  for (const field of names) {
    const row: CaseFieldAgreement = { field, coded: [0, 0], both: 0, exactMatch: null, disagreements: [] };
    let same = 0;
    for (const [x, y] of pairs) {
      const [vx, vy] = [new Map(Object.entries(x.fields)).get(field), new Map(Object.entries(y.fields)).get(field)];
      if (isSet(vx)) row.coded[0]++;
      if (isSet(vy)) row.coded[1]++;
      if (!isSet(vx) || !isSet(vy)) continue;
      row.both++;
      if (sameFieldValue(vx, vy)) same++;
      else row.disagreements.push([x.id, y.id, vx!, vy!]);
    }
    row.exactMatch = row.both ? same / row.both : null;
    if (row.coded[0] || row.coded[1]) out.push(row);
  }
  return out;
}

/**
 * Case agreement between two sets: `roots` their corpus folders, `folders` their cases folders.
 * `fieldOrder`: the codebook's fields, listed first in that order.
 */
export async function computeCaseAgreement(fs: FileSystem, roots: readonly [string, string], folders: readonly [string, string], fieldOrder: readonly string[] = []): Promise<CaseAgreementReport> {
  const problems: string[] = [];
  const sides = [];
  for (const i of [0, 1] as const) {
    const listing = await listCases(fs, folders[i]);
    problems.push(...listing.problems);
    const source = new EvidenceSource(fs, roots[i]);
    const cases = [];
    for (const c of listing.cases) cases.push({ id: c.record.id, record: c.record, footprint: await caseFootprint(source, c.record, problems) });
    sides.push(cases);
  }
  const [a, b] = sides;
  const matched = matchCases(a, b);
  const byId = (xs: typeof a) => new Map(xs.map((x) => [x.id, x.record]));
  const [recordsA, recordsB] = [byId(a), byId(b)];
  const pairs = matched.map((m) => [recordsA.get(m.a)!, recordsB.get(m.b)!] as [CaseRecord, CaseRecord]);
  const matchedA = new Set(matched.map((m) => m.a));
  const matchedB = new Set(matched.map((m) => m.b));
  return {
    cases: [a.length, b.length],
    matched,
    onlyA: a.filter((x) => !matchedA.has(x.id)).map((x) => x.id),
    onlyB: b.filter((x) => !matchedB.has(x.id)).map((x) => x.id),
    fields: fieldAgreement(pairs, fieldOrder),
    problems,
  };
}

/**
 * The case agreement as text lines, as `misconduct-annotate agree` prints it and compare mode shows
 * it: matched pairs, the cases one set alone has, per field coded/in both/exact match, each disagreement.
 */
export function caseAgreementLines(c: CaseAgreementReport, names: readonly [string, string] = ['A', 'B']): string[] {
  const num = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  const lines = [`Case records (matched by the text their evidence covers in the same articles): ${names[0]} ${c.cases[0]}, ${names[1]} ${c.cases[1]}; matched ${c.matched.length}`];
  for (const m of c.matched) lines.push(`  ${m.a} = ${m.b} (${m.overlap} code points of evidence in common)`);
  if (c.onlyA.length) lines.push(`  only in ${names[0]}: ${c.onlyA.join(', ')}`);
  if (c.onlyB.length) lines.push(`  only in ${names[1]}: ${c.onlyB.join(', ')}`);
  if (c.fields.length) {
    const rows = [['field', `coded ${names[0]}/${names[1]}`, 'in both', 'exact match']];
    for (const f of c.fields) rows.push([f.field, f.coded.join('/'), String(f.both), num(f.exactMatch)]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    lines.push(...rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()}`));
    for (const f of c.fields) for (const [a, b, va, vb] of f.disagreements) lines.push(`  ${f.field}: ${a} says ${JSON.stringify(va)}, ${b} says ${JSON.stringify(vb)}`);
  }
  return lines;
}
