/**
 * Corpus statistics: the numbers behind `stats` and the dashboard. One function, so the CLI and
 * the extension never disagree.
 */
import { FileSystem, InputFileError } from './fileSystem';
import { CorpusEntry, LeftOut, walkCorpus, WalkOptions } from './corpus';
import { loadArticleSidecar } from './sidecar';
import { Annotation, ArticleStatus } from './schema';
import { entityTypeCounter } from './normalise';

/** The type an allegation or sanction with no recognisable type is counted under. */
export const OTHER_TYPE = 'other';

export interface CorpusStats {
  articles: number;
  annotatedArticles: number;
  annotations: number;
  labels: Record<string, number>;
  status: Record<ArticleStatus, number>;
  invalid: Array<{ file: string; problem: string }>;
  /**
   * Force annotations per force: the gazetteer id (`attributes.type`, else derived from the text),
   * else the annotated text itself. Sorted most named first.
   */
  forces: Record<string, number>;
  /**
   * allegation type → sanction type → number of articles having both (an article counts once per
   * pair). Types as for forces, but an unrecognised one is "other".
   */
  allegationSanction: Record<string, Record<string, number>>;
  /** Articles whose coding form (`document`) has at least one field set. */
  codedArticles: number;
  /** Near copies (`duplicateOf`) left out of every count here, unless `includeDuplicates`. */
  duplicates: number;
  /**
   * From the coding forms: outcome → standard → number of articles whose form has both (a list
   * field counts each of its values). Field names as in the default codebook.
   */
  outcomeStandard: Record<string, Record<string, number>>;
  /** From the coding forms: proceeding → outcome → number of articles having both. */
  proceedingOutcome: Record<string, Record<string, number>>;
  /**
   * From the coding forms: officer rank → officer status → number of articles (one officer per
   * form); a form with only one of the two counts the other as "not_recorded".
   */
  officers: Record<string, Record<string, number>>;
}

/** The form fields the dashboard reads (the default codebook's names). */
const FORM_FIELDS = { outcome: 'outcome', standards: 'standards', proceeding: 'proceeding', officerStatus: 'officer_status', officerRank: 'officer_rank' } as const;
export type FormFacts = { -readonly [K in keyof typeof FORM_FIELDS]: string[] };

/** What the officers table counts a missing rank or status under. */
export const NOT_RECORDED = 'not_recorded';

/** What one article contributed, for callers that need to go from a figure back to its articles. */
export interface ArticleFacts {
  articlePath: string;
  relativePath: string;
  status: ArticleStatus;
  labels: Record<string, number>;
  forces: Record<string, number>;
  allegations: string[];
  sanctions: string[];
  /** The values of the form fields the dashboard reads (lists for every field; empty when not set). */
  form: FormFacts;
}

export interface StatsOptions extends WalkOptions {
  /** Called once per article, in walk order. */
  onArticle?: (facts: ArticleFacts) => void;
  /** Count near copies (sidecars with `duplicateOf`) like any article; by default they are left out. */
  includeDuplicates?: boolean;
  /** Checked between articles; an aborted signal makes the function throw an AbortError. */
  signal?: AbortSignal;
}

type EntityType = ReturnType<typeof entityTypeCounter>;

/** The key a force annotation is counted under. */
function forceKey(a: Pick<Annotation, 'label' | 'text' | 'attributes' | 'suffix'>, entityType: EntityType): string {
  return a.attributes?.type || entityType('force', a.text, a.suffix) || a.text.trim();
}

/** The type an allegation or sanction annotation is counted under ("other" when none). */
export function typeKey(a: Pick<Annotation, 'label' | 'text' | 'attributes' | 'suffix'>, entityType: EntityType = entityTypeCounter()): string {
  return a.attributes?.type || entityType(a.label, a.text, a.suffix) || OTHER_TYPE;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** Adds one to a count in a table keyed by data (a Map: no key can reach a prototype). */
function bump(table: Map<string, number>, key: string): void {
  table.set(key, (table.get(key) ?? 0) + 1);
}

/** A form field's values as strings: a string, the strings of a list; nothing for other values. */
function fieldStrings(form: Record<string, unknown> | undefined, name: string): string[] {
  const v = form && Object.hasOwn(form, name) ? form[name] : undefined;
  if (typeof v === 'string') return v ? [v] : [];
  if (Array.isArray(v)) return [...new Set(v.filter((x): x is string => typeof x === 'string' && !!x))].sort();
  return [];
}

function formFacts(form: Record<string, unknown> | undefined): FormFacts {
  const out = {} as FormFacts;
  for (const key of Object.keys(FORM_FIELDS) as Array<keyof typeof FORM_FIELDS>) out[key] = fieldStrings(form, FORM_FIELDS[key]);
  return out;
}

/** Adds one to every (row, column) pair of a cross table keyed by data. */
function cross(table: Map<string, Map<string, number>>, rows: readonly string[], columns: readonly string[]): void {
  for (const r of rows) {
    let row = table.get(r);
    if (!row) table.set(r, (row = new Map()));
    for (const c of columns) bump(row, c);
  }
}

const crossRecord = (table: Map<string, Map<string, number>>) => toRecord([...table].sort(byKey).map(([k, row]) => [k, toRecord([...row].sort(byKey))]));

/** A Map as a plain object for JSON; `Object.fromEntries` defines own properties, so `__proto__` stays a key. */
function toRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries(entries);
}

/** Articles read ahead of the one being counted. */
const READ_AHEAD = 32;

/** An article's sidecar state, or what reading it threw (held, so a read ahead never rejects unawaited). */
type Loaded = Awaited<ReturnType<typeof loadArticleSidecar>> | { kind: 'thrown'; thrown: unknown } | undefined;

function load(fs: FileSystem, articlePath: string): Promise<Loaded> {
  return loadArticleSidecar(fs, articlePath).catch((thrown: unknown) => ({ kind: 'thrown' as const, thrown }));
}

export async function computeCorpusStats(fs: FileSystem, root: string, options: StatsOptions = {}): Promise<CorpusStats> {
  const stats: CorpusStats = {
    articles: 0,
    annotatedArticles: 0,
    annotations: 0,
    labels: {},
    status: { not_started: 0, in_progress: 0, done: 0 },
    invalid: [],
    forces: {},
    allegationSanction: {},
    codedArticles: 0,
    duplicates: 0,
    outcomeStandard: {},
    proceedingOutcome: {},
    officers: {},
  };
  // every table keyed by values from the files is a Map until the end
  const labels = new Map<string, number>();
  const forces = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  const outcomeStandard = new Map<string, Map<string, number>>();
  const proceedingOutcome = new Map<string, Map<string, number>>();
  const officers = new Map<string, Map<string, number>>();
  const entityType = entityTypeCounter();
  const report = (entry: { articlePath: string; relativePath: string }, status: ArticleStatus, annotations: readonly Annotation[] = [], document?: Record<string, unknown>) => {
    const form = formFacts(document);
    cross(outcomeStandard, form.outcome, form.standards);
    cross(proceedingOutcome, form.proceeding, form.outcome);
    if (form.officerRank.length || form.officerStatus.length) {
      cross(officers, form.officerRank.length ? form.officerRank : [NOT_RECORDED], form.officerStatus.length ? form.officerStatus : [NOT_RECORDED]);
    }
    stats.status[status]++;
    const articleLabels = new Map<string, number>();
    const articleForces = new Map<string, number>();
    const allegations = new Set<string>();
    const sanctions = new Set<string>();
    for (const a of annotations) {
      bump(labels, a.label);
      bump(articleLabels, a.label);
      if (a.label === 'force') {
        const key = forceKey(a, entityType);
        if (!key) continue;
        bump(forces, key);
        bump(articleForces, key);
      } else if (a.label === 'allegation') allegations.add(typeKey(a, entityType));
      else if (a.label === 'sanction') sanctions.add(typeKey(a, entityType));
    }
    for (const al of allegations) {
      let row = pairs.get(al);
      if (!row) pairs.set(al, (row = new Map()));
      for (const sa of sanctions) bump(row, sa);
    }
    options.onArticle?.({
      articlePath: entry.articlePath,
      relativePath: entry.relativePath,
      status,
      labels: toRecord(articleLabels),
      forces: toRecord(articleForces),
      allegations: [...allegations].sort(),
      sanctions: [...sanctions].sort(),
      form,
    });
  };
  // an entry the walk refuses (a FIFO, a link out of the corpus) is a problem, as an invalid sidecar is
  const leftOut = (l: LeftOut) => {
    stats.invalid.push({ file: l.path, problem: `${l.reason}; left out` });
    options.onLeftOut?.(l);
  };
  const count = (entry: CorpusEntry, state: Loaded) => {
    options.signal?.throwIfAborted();
    stats.articles++;
    if (!state) {
      report(entry, 'not_started');
      return;
    }
    if (state.kind === 'thrown') {
      const err = state.thrown;
      stats.invalid.push({ file: entry.relativePath, problem: err instanceof InputFileError ? err.detail : (err as Error).message });
      report(entry, 'not_started');
      return;
    }
    if (state.kind !== 'ok') {
      if (state.kind === 'invalid') stats.invalid.push({ file: entry.relativePath, problem: state.error.message });
      report(entry, 'not_started');
      return;
    }
    if (state.sidecar.duplicateOf !== undefined && !options.includeDuplicates) {
      stats.articles--;
      stats.duplicates++;
      return;
    }
    const annotations = state.sidecar.annotations;
    if (annotations.length) stats.annotatedArticles++;
    stats.annotations += annotations.length;
    const document = state.sidecar.document;
    if (document && Object.keys(document).length) stats.codedArticles++;
    report(entry, state.sidecar.status ?? (annotations.length ? 'in_progress' : 'not_started'), annotations, document);
  };
  // the next READ_AHEAD articles are read while one is counted (their reads overlap: a corpus of
  // thousands is read many times faster than a file at a time); articles and the entries left out
  // are counted in walk order
  type Ahead = { entry: CorpusEntry; state: Promise<Loaded> } | { leftOut: LeftOut };
  const ahead: Ahead[] = [];
  const next = async () => {
    const item = ahead.shift()!;
    if ('leftOut' in item) leftOut(item.leftOut);
    else count(item.entry, await item.state);
  };
  for await (const entry of walkCorpus(fs, root, { ...options, onLeftOut: (l) => ahead.push({ leftOut: l }) })) {
    options.signal?.throwIfAborted();
    ahead.push({ entry, state: entry.hasSidecar ? load(fs, entry.articlePath) : Promise.resolve(undefined) });
    while (ahead.length >= READ_AHEAD) await next();
  }
  while (ahead.length) await next();
  stats.labels = toRecord([...labels].sort(byKey));
  stats.forces = toRecord([...forces].sort(([a, x], [b, y]) => y - x || byKey([a, 0], [b, 0])));
  stats.allegationSanction = crossRecord(pairs);
  stats.outcomeStandard = crossRecord(outcomeStandard);
  stats.proceedingOutcome = crossRecord(proceedingOutcome);
  stats.officers = crossRecord(officers);
  return stats;
}
