/**
 * Inter-annotator agreement: the public API shared by the `agree` CLI verb and the extension.
 *
 * - `compareArticle(text, sets)`: one article already in memory (the status bar);
 * - `computeAgreement(fs, roots)`: whole annotation sets on disk (the `agree` verb, the dashboard),
 *   read article by article;
 * - `agreementJson(report)`: the stable JSON object `agree --json` prints.
 *
 * What the numbers mean (matching rule, token rule, undefined cases) is documented in spanF1.ts,
 * tally.ts and docs/agreement.md.
 */
import { defaultDocumentFields, FieldDefinition } from '../codebook';
import { FileSystem } from '../fileSystem';
import type { CaseAgreementReport } from './caseAgreement';
import { FieldAgreement, FormTally } from './formAgreement';
import { PRF, RelationResult, RelationScores, RelationTally } from './relationF1';
import { matchArticles, MatchOptions } from './sets';
import { AgreementResult, AgreementTally, AnnotatedSpan, Scores, SpanDisagreement } from './tally';

export { AgreementTally, OUTSIDE } from './tally';
export type { AgreementResult, AnnotatedSpan, PairScore, PairScores, ScoreName, Scores, SpanDisagreement } from './tally';
export { matchArticles, TEXT_DIFFERS } from './sets';
export type { MatchedArticle, MatchOptions } from './sets';
export { cohenKappa, ConfusionTally } from './cohen';
export { CoincidenceTally } from './coincidence';
export { fleissKappa, fleissKappaFromTable } from './fleiss';
export { krippendorffAlpha, krippendorffAlphaFromMatrix } from './krippendorff';
export { exactMatches, f1, overlapMatches, overlapMatching } from './spanF1';
export type { Span } from './spanF1';
export { exactMatching, matchSpanIds, prf, relationMatches, RelationTally } from './relationF1';
export type { IdSpan, PRF, RelationLink, RelationPairScores, RelationResult, RelationScores, SpanMatching } from './relationF1';
export { FormTally, valueKey } from './formAgreement';
export type { FieldAgreement, FieldScoreName } from './formAgreement';
export { caseAgreementLines, caseFootprint, computeCaseAgreement, fieldAgreement, footprintOverlap, matchCases } from './caseAgreement';
export type { CaseAgreementReport, CaseFieldAgreement, Footprint } from './caseAgreement';
export { caseDisagreements, formDisagreements, relationDisagreements, spanCorrespondence } from './caseDisagreements';
export type { CaseDisagreement, FieldDisagreement, RelationDisagreement, RelationEnd } from './caseDisagreements';

export interface CompareOptions {
  /** Only these labels count, in this order; other spans are ignored. Default: every label seen. */
  labels?: readonly string[];
}

export interface ArticleAgreement extends AgreementResult {
  disagreements: SpanDisagreement[];
}

/**
 * Agreement on one article between two or more sets of annotations on the same `text` (offsets in
 * code points, as in the sidecar; orphaned annotations are excluded and counted).
 */
export function compareArticle(text: string, sets: readonly (readonly AnnotatedSpan[])[], options: CompareOptions = {}): ArticleAgreement {
  const tally = new AgreementTally(sets.length, options.labels);
  const disagreements = tally.addArticle(text, sets);
  return { ...tally.result(), disagreements };
}

export interface AgreementOptions extends MatchOptions, CompareOptions {
  /** The coding form's fields (default: the default codebook); fields found only in the files are added. */
  fields?: readonly FieldDefinition[];
  /** Called after each article, compared or skipped (progress, cancellation by throwing). */
  onArticle?(file: string, outcome: 'compared' | 'skipped'): void;
}

export interface SkippedArticle {
  file: string;
  reason: string;
}

export interface FileDisagreement extends SpanDisagreement {
  /** Article path relative to the set roots. */
  file: string;
}

export interface AgreementReport extends AgreementResult {
  /** The roots, as given: the order every per-set array follows. */
  sets: string[];
  skipped: SkippedArticle[];
  /** Articles whose sidecar was re-anchored to a changed article, per set. */
  reanchored: number[];
  disagreements: FileDisagreement[];
  /** Relation precision/recall/F1, ends matched as spans (exact and overlap). */
  relations: RelationResult;
  /** Agreement per coding-form field: codebook fields first, then those found only in the files. */
  fields: FieldAgreement[];
}

/**
 * Agreement between annotation sets (folders holding clones of the same corpus). Throws
 * RangeError for fewer than two roots; a root that is not a folder fails in the walk.
 */
export async function computeAgreement(fs: FileSystem, roots: readonly string[], options: AgreementOptions = {}): Promise<AgreementReport> {
  const tally = new AgreementTally(roots.length, options.labels);
  const relations = new RelationTally(roots.length);
  const forms = new FormTally(roots.length, options.fields ?? defaultDocumentFields());
  const skipped: SkippedArticle[] = [];
  const reanchored = new Array<number>(roots.length).fill(0);
  const disagreements: FileDisagreement[] = [];
  for await (const article of matchArticles(fs, roots, options)) {
    if (article.kind === 'skipped') {
      skipped.push({ file: article.file, reason: article.reason });
      options.onArticle?.(article.file, 'skipped');
      continue;
    }
    for (const d of tally.addArticle(article.text, article.annotations)) disagreements.push({ file: article.file, ...d });
    relations.addArticle(article.annotations, article.relations);
    forms.addArticle(article.documents);
    article.reanchored.forEach((r, s) => (reanchored[s] += r ? 1 : 0));
    options.onArticle?.(article.file, 'compared');
  }
  return { sets: [...roots], ...tally.result(), skipped, reanchored, disagreements, relations: relations.result(), fields: forms.result() };
}

function scoresJson(s: Scores) {
  const undefinedBecause: Record<string, string> = {};
  const names = { exactF1: 'exact_f1', overlapF1: 'overlap_f1', kappa: 'kappa', alpha: 'alpha' } as const;
  for (const [k, v] of Object.entries(s.undefinedBecause)) undefinedBecause[names[k as keyof typeof names]] = v;
  return { exact_f1: s.exactF1, overlap_f1: s.overlapF1, kappa: s.kappa, alpha: s.alpha, spans: s.spans, undefined_because: undefinedBecause };
}

function prfJson(p: PRF) {
  return { precision: p.precision, recall: p.recall, f1: p.f1 };
}

function relationScoresJson(s: RelationScores) {
  return { relations: s.relations, exact: prfJson(s.exact), overlap: prfJson(s.overlap) };
}

function fieldJson(f: FieldAgreement) {
  const names = { exactMatch: 'exact_match', kappa: 'kappa', alpha: 'alpha' } as const;
  const undefinedBecause: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.undefinedBecause)) undefinedBecause[names[k as keyof typeof names]] = v;
  return {
    type: f.type,
    in_codebook: f.inCodebook,
    coded: f.coded,
    articles: f.articles,
    exact_match: f.exactMatch,
    kappa: f.kappa,
    alpha: f.alpha,
    ...(f.options ? { options: f.options } : {}),
    undefined_because: undefinedBecause,
  };
}

/**
 * The stable JSON of `agree --json`. Keys are always present and in this order; per-set counts are
 * arrays in the order of `sets`; a statistic that is undefined for the data is null, with the
 * reason under `undefined_because`.
 */
export function agreementJson(report: AgreementReport) {
  const name = (s: number) => report.sets[s];
  return {
    sets: report.sets,
    kappa_type: report.kappaKind,
    articles: report.articles,
    tokens: report.tokens,
    skipped: report.skipped.map((s) => ({ file: s.file, reason: s.reason })),
    orphaned: report.orphaned,
    reanchored: report.reanchored,
    dropped: report.dropped,
    labels: Object.fromEntries(Object.entries(report.labels).map(([l, s]) => [l, scoresJson(s)])),
    overall: scoresJson(report.overall),
    pairs: report.pairs.map((p) => ({
      sets: p.sets.map(name),
      labels: Object.fromEntries(Object.entries(p.labels).map(([l, s]) => [l, { exact_f1: s.exactF1, overlap_f1: s.overlapF1, kappa: s.kappa }])),
      overall: { exact_f1: p.overall.exactF1, overlap_f1: p.overall.overlapF1, kappa: p.overall.kappa },
    })),
    disagreements: report.disagreements.map((d) => ({ file: d.file, start: d.start, end: d.end, label: d.label, text: d.text, sets: d.sets.map(name) })),
    relations: {
      types: Object.fromEntries(Object.entries(report.relations.types).map(([t, s]) => [t, relationScoresJson(s)])),
      overall: relationScoresJson(report.relations.overall),
      left_out: report.relations.leftOut,
      pairs: report.relations.pairs.map((p) => ({
        sets: p.sets.map(name),
        overall: { exact: prfJson(p.overall.exact), overlap: prfJson(p.overall.overlap) },
      })),
    },
    fields: Object.fromEntries(report.fields.map((f) => [f.field, fieldJson(f)])),
  };
}
export { SuggestionScore } from './suggestionScore';
export type { LabelScore } from './suggestionScore';

/** The `cases` object of `agree --json`: matched case ids, per-field agreement, the cases one set alone has. */
export function caseAgreementJson(c: CaseAgreementReport) {
  return {
    counts: c.cases,
    matched: c.matched,
    only_a: c.onlyA,
    only_b: c.onlyB,
    fields: Object.fromEntries(c.fields.map((f) => [f.field, { coded: f.coded, both: f.both, exact_match: f.exactMatch, disagreements: f.disagreements.map(([a, b, va, vb]) => ({ a, b, value_a: va, value_b: vb })) }])),
  };
}
