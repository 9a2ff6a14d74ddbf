import * as nodePath from 'node:path';
import { sha256Hex } from '../../core/article';
import type { LabelScore } from '../../core/agreement';
import { evaluatedLabels, evaluateOfflineSources, EVALUATED_SOURCES, EvaluatedSource, GoldArticle, ListedSpan, SourceEvaluation, SourceReport } from '../../core/evaluate';
import { readInputFile } from '../../core/fileSystem';
import { Sidecar } from '../../core/schema';
import { parseSidecar, readSidecarText, reconcileWithArticle, SidecarError, sidecarPathFor } from '../../core/sidecar';
import { articlePaths, LoadedArticle, loadArticle } from '../articles';
import { describeDropped, MODEL_OPTIONS, modelSetting, modelSuggestionsFor } from '../modelSuggest';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

function num(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(3);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

function parseSources(raw: string | undefined, withModel: boolean): EvaluatedSource[] {
  if (raw === undefined) return withModel ? [...EVALUATED_SOURCES] : EVALUATED_SOURCES.filter((s) => s !== 'model');
  const names = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = names.filter((n) => !(EVALUATED_SOURCES as readonly string[]).includes(n));
  if (!names.length || bad.length) throw new UsageError(`--sources takes a comma list of ${EVALUATED_SOURCES.join(', ')}${bad.length ? ` (not ${bad.map((b) => JSON.stringify(b)).join(', ')})` : ''}`);
  if (names.includes('model') && !withModel) throw new UsageError('--sources model needs --model <base url>');
  return names as EvaluatedSource[];
}

/** A one-line, tab-free quote of a span's text. */
function quoted(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > 100 ? one.slice(0, 99) + '…' : one);
}

const place = (s: ListedSpan) => `${s.file}:${s.line}:${s.col}`;

function report(articles: number, goldFrom: string, reports: SourceReport[], skipped: number): string[] {
  const lines = [`Suggestions scored against ${goldFrom}: ${articles} article${articles === 1 ? '' : 's'}${skipped ? ` (${skipped} skipped)` : ''}.`, ''];
  const rows = [['source', 'label', 'gold', 'suggested', 'exact P', 'exact R', 'exact F1', 'overlap P', 'overlap R', 'overlap F1']];
  const row = (source: string, label: string, s: LabelScore) => [source, label, String(s.gold), String(s.predicted), num(s.exact.precision), num(s.exact.recall), num(s.exact.f1), num(s.precision), num(s.recall), num(s.f1)];
  for (const r of reports) {
    for (const [label, s] of Object.entries(r.labels)) rows.push(row(r.source, label, s));
    rows.push(row(r.source, 'all', r.overall));
  }
  lines.push(...table(rows), '', 'Overlap rule: same label and at least one shared character, one to one. Learned phrases: leave-one-article-out.');
  for (const r of reports) {
    // a label the source never suggests would list every gold span of it: said once instead
    const silent = Object.keys(r.labels).filter((l) => !r.labels[l].predicted);
    const misses = r.misses.filter((m) => !silent.includes(m.label));
    lines.push('', `${r.source}: ${r.misses.length} missed, ${r.falsePositives.length} false positive${r.falsePositives.length === 1 ? '' : 's'}${silent.length ? ` (suggests no ${silent.join(', ')}: those misses not listed)` : ''}`);
    for (const m of misses) lines.push(`  missed          ${place(m)}  ${m.label}  ${quoted(m.text)}`);
    for (const f of r.falsePositives) lines.push(`  false positive  ${place(f)}  ${f.label}  ${quoted(f.text)}`);
  }
  return lines;
}

export const evaluateVerb: Verb = {
  name: 'evaluate',
  summary: "score each source of suggestions (gazetteer, rule, learned, model) against the team's annotations",
  help: [
    'Usage: misconduct-annotate evaluate <folder> [--gold <folder>] [--sources gazetteer,rule,learned,model]',
    '                                     [--model <base url>] [--model-name NAME] [--json]',
    '',
    "Runs each source of suggestions over the articles of <folder> and scores it against the team's",
    'annotations: the sidecars of the articles marked done, or with --gold the sidecars of the same',
    'articles (same path, same text) in another folder. Per source and label: exact precision, recall',
    'and F1 (same start, end and label) and overlap ones (same label, a shared character, one to one),',
    'then every miss and false positive (overlap rule) as file:line:col, label and text.',
    '',
    'Sources: gazetteer (terms of the built-in lists), rule (allegation clauses, Standards), learned',
    '(phrases annotated in the other gold articles: leave-one-article-out), model (a language model, with',
    '--model; the few-shot examples are taken from the other gold articles). Default: all but model,',
    'and model too when --model is given. With both gazetteer and rule, a row "gazetteer+rule" scores them',
    'together (what the editor suggests before it has learned anything).',
    '',
    'Options:',
    '  --gold FOLDER      the gold sidecars, in a folder with the same articles',
    '  --sources LIST     the sources to score, comma-separated',
    '  --json             print {articles, gold, skipped, sources: [{source, labels, overall, misses, falsePositives}]}',
    '  --model URL, --model-name NAME, --timeout SECONDS, --max-input-tokens N: as for suggest --model',
    '',
    'Exit 0 when scored; 1 when an article could not be read, a model question failed, or no article has',
    'gold annotations; 2 on a usage error.',
  ].join('\n'),
  options: { gold: { type: 'string' }, sources: { type: 'string' }, json: { type: 'boolean' }, ...MODEL_OPTIONS },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name one folder of articles');
    const root = positionals[0];
    if ((await io.fs.stat(root))?.type !== 'directory') throw new UsageError(`${root}: not a folder`, false);
    const goldDir = values.gold as string | undefined;
    if (goldDir !== undefined && (await io.fs.stat(goldDir))?.type !== 'directory') throw new UsageError(`--gold ${goldDir}: not a folder`, false);
    const withModel = values.model !== undefined;
    const sources = parseSources(values.sources as string | undefined, withModel);
    let failed = 0;
    const problem = (line: string, fatal: boolean) => {
      if (fatal) failed++;
      io.err(`misconduct-annotate evaluate: ${line}`);
    };
    const skipped: Array<{ file: string; reason: string }> = [];
    const loaded: Array<LoadedArticle & { gold: GoldArticle; goldSidecar: Sidecar }> = [];
    for (const { file, relativePath } of await articlePaths(io.fs, [root], problem)) {
      const a = await loadArticle(io.fs, file, relativePath, problem);
      if (!a) continue;
      let goldSidecar = a.sidecar?.status === 'done' ? a.sidecar : undefined;
      if (goldDir !== undefined) {
        const goldPath = sidecarPathFor(nodePath.join(goldDir, relativePath));
        try {
          const json = await readSidecarText(io.fs, goldPath);
          if (json === undefined) {
            skipped.push({ file, reason: `no gold sidecar ${goldPath}` });
            continue;
          }
          const sidecar = parseSidecar(goldPath, json);
          const sha = sha256Hex(await readInputFile(io.fs, file, 'article'));
          if (sidecar.article.sha256 !== sha) {
            skipped.push({ file, reason: `${goldPath} was written for another text` });
            continue;
          }
          goldSidecar = reconcileWithArticle(goldPath, sidecar, a.text, sha).sidecar;
        } catch (err) {
          if (!(err instanceof SidecarError)) throw err;
          problem(`${err.file}: ${err.problems[0]?.message ?? 'invalid'}`, true);
          continue;
        }
      } else if (!goldSidecar) {
        skipped.push({ file, reason: 'not marked done' });
        continue;
      }
      const annotations = goldSidecar.annotations.filter((s) => !s.orphaned);
      loaded.push({ ...a, goldSidecar, gold: { file, text: a.text, annotations } });
    }
    if (!loaded.length) {
      io.err(`misconduct-annotate evaluate: no article of ${root} has gold annotations: mark finished articles done, or name a --gold folder`);
      return EXIT_FAILED;
    }
    const gold = loaded.map((a) => a.gold);
    const labels = evaluatedLabels(gold);
    const evaluations: SourceEvaluation[] = evaluateOfflineSources(gold, sources, labels);
    if (sources.includes('model')) {
      const setting = await modelSetting(values);
      const model = new SourceEvaluation('model', labels);
      // the examples come from the other gold articles, as the learned phrases do
      const corpus: LoadedArticle[] = loaded.map((a) => ({ ...a, sidecar: { ...a.goldSidecar, status: 'done' } }));
      for (const a of loaded) {
        const s = await modelSuggestionsFor(a, corpus, setting);
        for (const e of s.errors) problem(`${a.gold.file}: ${e}`, true);
        const dropped = describeDropped(s);
        if (dropped) io.err(`misconduct-annotate evaluate: ${a.gold.file}: dropped ${dropped}`);
        model.add(a.gold, s.spans);
      }
      evaluations.push(model);
    }
    const reports = evaluations.map((e) => e.report());
    const goldFrom = goldDir !== undefined ? `the gold sidecars in ${goldDir}` : "the team's annotations (articles marked done)";
    if (values.json) io.out(JSON.stringify({ articles: loaded.length, gold: goldDir ?? 'done', skipped, sources: reports }, null, 2));
    else io.out(report(loaded.length, goldFrom, reports, skipped.length).join('\n'));
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
