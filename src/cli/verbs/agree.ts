import { realpath } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { agreementJson, AgreementReport, caseAgreementJson, caseAgreementLines, computeAgreement, computeCaseAgreement, FieldAgreement, RelationScores, Scores } from '../../core/agreement';
import { defaultDocumentFields } from '../../core/codebook';
import { DEFAULT_CASES_FOLDER } from '../../core/corpus';
import { formatLeftOut, LeftOut } from '../../core/corpus';
import { LABEL_PATTERN } from '../../core/schema';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

/** Short names for the sets in the table: A, B, C … then S27, S28 … */
function setName(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `S${i + 1}`;
}

function num(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(3);
}

function parseLabels(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const labels = [...new Set(raw.split(',').map((l) => l.trim()).filter(Boolean))];
  if (!labels.length) throw new UsageError('--labels needs at least one label, e.g. --labels force,sanction');
  const bad = labels.filter((l) => !LABEL_PATTERN.test(l));
  if (bad.length) throw new UsageError(`not a valid label: ${bad.map((l) => JSON.stringify(l)).join(', ')} (labels are lower case: a-z, 0-9, "_", "-")`);
  return labels;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

function report(r: AgreementReport): string[] {
  const names = r.sets.map((_, i) => setName(i));
  const kappa = r.kappaKind === 'cohen' ? "Cohen's κ" : "Fleiss' κ";
  const lines = [`Agreement between ${r.sets.length} annotation sets:`, ...r.sets.map((s, i) => `  ${names[i]}  ${s}`), ''];
  lines.push(`Articles compared: ${r.articles} (${r.tokens} tokens); skipped: ${r.skipped.length}`);
  if (r.sets.length > 2) lines.push(`F1 is averaged over the ${r.pairs.length} pairs of sets.`);
  lines.push('');
  const row = (label: string, s: Scores) => [label, s.spans.join('/'), num(s.exactF1), num(s.overlapF1), num(s.kappa), num(s.alpha)];
  const rows = [['label', `spans ${names.join('/')}`, 'exact F1', 'overlap F1', kappa, "Krippendorff's α"]];
  for (const [label, s] of Object.entries(r.labels)) rows.push(row(label, s));
  rows.push(row('overall', r.overall));
  lines.push(...table(rows));

  const reasons = new Set<string>();
  for (const s of [...Object.values(r.labels), r.overall]) Object.values(s.undefinedBecause).forEach((why) => reasons.add(why));
  if (reasons.size) lines.push('', 'n/a: undefined for this data:', ...[...reasons].map((why) => `  ${why}`));

  if (r.sets.length > 2) {
    lines.push('', 'Pairwise, all labels:');
    const pairRows = [['pair', 'exact F1', 'overlap F1', "Cohen's κ"]];
    for (const p of r.pairs) pairRows.push([`${names[p.sets[0]]}–${names[p.sets[1]]}`, num(p.overall.exactF1), num(p.overall.overlapF1), num(p.overall.kappa)]);
    lines.push(...table(pairRows));
  }
  const extras: string[] = [];
  if (r.orphaned.some(Boolean)) extras.push(`orphaned annotations left out: ${r.orphaned.map((n, i) => `${names[i]} ${n}`).join(', ')}`);
  if (r.dropped.some(Boolean)) extras.push(`spans left out of κ/α by the CoNLL overlap rule: ${r.dropped.map((n, i) => `${names[i]} ${n}`).join(', ')}`);
  if (r.reanchored.some(Boolean)) extras.push(`articles re-anchored (changed since annotated): ${r.reanchored.map((n, i) => `${names[i]} ${n}`).join(', ')}`);
  extras.push(`${r.disagreements.length} span(s) not in every set (--json lists them)`);
  lines.push('', ...extras);
  lines.push('', ...relationReport(r, names), '', ...formReport(r, names));
  return lines;
}

function relationReport(r: AgreementReport, names: string[]): string[] {
  const rel = r.relations;
  const lines = [
    r.sets.length > 2
      ? 'Relations (ends matched as spans are, same type; mean over pairs, the earlier set of each pair as the reference):'
      : `Relations (ends matched as spans are, same type; precision and recall with ${names[0]} as the reference):`,
  ];
  const types = Object.entries(rel.types);
  if (!types.length) return [...lines, '  no relations in any set'];
  const row = (type: string, s: RelationScores) => [type, s.relations.join('/'), num(s.exact.precision), num(s.exact.recall), num(s.exact.f1), num(s.overlap.precision), num(s.overlap.recall), num(s.overlap.f1)];
  const rows = [['type', `relations ${names.join('/')}`, 'exact P', 'exact R', 'exact F1', 'overlap P', 'overlap R', 'overlap F1']];
  for (const [type, s] of types) rows.push(row(type, s));
  rows.push(row('overall', rel.overall));
  lines.push(...table(rows));
  if (rel.leftOut.some(Boolean)) lines.push(`relations left out (an end orphaned): ${rel.leftOut.map((n, i) => `${names[i]} ${n}`).join(', ')}`);
  return lines;
}

function formReport(r: AgreementReport, names: string[]): string[] {
  const kappa = r.sets.length > 2 ? "mean Cohen's κ" : "Cohen's κ";
  const lines = ['Coding form (one article is one unit; κ and α for choice and boolean fields, exact match for all):'];
  const rows = [['field', 'type', `coded ${names.join('/')}`, r.sets.length > 2 ? 'in 2+ sets' : 'in both', 'exact match', kappa, "Krippendorff's α"]];
  const dash = (f: FieldAgreement, v: number | null) => (v === null && f.type !== 'choice' && f.type !== 'boolean' ? '–' : num(v));
  for (const f of r.fields) {
    rows.push([f.inCodebook ? f.field : `${f.field} *`, f.type, f.coded.join('/'), String(f.articles), num(f.exactMatch), dash(f, f.kappa), dash(f, f.alpha)]);
  }
  lines.push(...table(rows));
  for (const f of r.fields) {
    const options = Object.entries(f.options ?? {});
    if (options.length) lines.push(`${f.field}: ${kappa} per option: ${options.map(([o, k]) => `${o} ${num(k)}`).join(', ')}`);
  }
  if (r.fields.some((f) => !f.inCodebook)) lines.push('* not in the default codebook: type read from the values');
  // why a statistic is n/a, with the fields it applies to ("–" marks exact-match-only types, not a gap)
  const why = new Map<string, string[]>();
  for (const f of r.fields) {
    for (const [k, reason] of Object.entries(f.undefinedBecause)) {
      if (k !== 'exactMatch' && f.type !== 'choice' && f.type !== 'boolean') continue;
      const fields = why.get(reason) ?? [];
      if (!fields.includes(f.field)) fields.push(f.field);
      why.set(reason, fields);
    }
  }
  if (why.size) lines.push('n/a: undefined for this data:', ...[...why].map(([reason, fields]) => `  ${fields.join(', ')}: ${reason}`));
  return lines;
}

export const agreeVerb: Verb = {
  name: 'agree',
  summary: 'inter-annotator agreement between annotation sets (span F1, κ, α; relation F1; form fields)',
  help: [
    'Usage: misconduct-annotate agree <setA> <setB> [<setC>...] [--labels a,b] [--json] [--missing-as-empty]',
    '',
    "Compares annotators' copies of the same corpus (one folder each). Articles are matched by",
    'their path inside each folder and must have the same text (sha256) in every set; others are',
    'skipped with the reason. Orphaned annotations are left out and counted. An article or sidecar',
    'that is not a regular file, is larger than 256 MiB or links outside its set is left out with one',
    'line naming it.',
    '',
    'Per label and overall:',
    '  exact F1    spans with the same start, end and label, pairwise',
    '  overlap F1  spans with the same label that overlap, matched one-to-one (largest overlap first)',
    "  κ           on CoNLL tokens: Cohen's κ for two sets, Fleiss' κ for three or more",
    "  α           on CoNLL tokens: Krippendorff's α (nominal)",
    'With three or more sets, F1 is the mean over all pairs. "n/a" marks a statistic that is',
    'undefined for the data (no spans, or one category only), with the reason.',
    '',
    'Relations, per type and overall: precision, recall and F1, a relation matching when its two',
    'ends are matched spans (exact, or overlap as above) and the type is the same; the first set',
    'is the reference for precision and recall.',
    '',
    'Coding form, per field (default codebook, plus any field found in the files), one article',
    "one unit: the exact-match share over articles both coded; for choice and boolean fields Cohen's",
    "κ (articles both coded) and Krippendorff's α (nominal, missing values allowed); for multi",
    "fields also κ per option (chosen or not).",
    '',
    'Case records (two sets; docs/cases.md): the cases of each set\'s cases folder (<set>/cases) are',
    'matched one to one by the text their evidence covers in the same articles (largest overlap',
    'first); for matched cases, per field, how many each set coded and the exact-match share, with',
    'each disagreement; then the cases only one set has.',
    '',
    'Options:',
    '  --labels a,b          only these labels (other spans are ignored)',
    '  --json                print one JSON object (see docs/agreement.md)',
    '  --include-duplicates  compare near copies (sidecars with duplicateOf) too; skipped by default',
    '  --missing-as-empty    an article without a sidecar in a set counts as having no spans there',
    '                        (default: it is skipped as not yet annotated; an article with no',
    '                        sidecar in any set is always skipped)',
    '',
    'Exit 0 when at least one article was compared (skipped ones are listed), 1 when none could',
    'be, 2 on usage errors.',
  ].join('\n'),
  options: {
    labels: { type: 'string' },
    json: { type: 'boolean' },
    'missing-as-empty': { type: 'boolean' },
    'include-duplicates': { type: 'boolean' },
  },
  async run({ positionals, values }, io) {
    if (positionals.length < 2) {
      throw new UsageError(positionals.length ? 'name at least two annotation sets to compare (one is not enough)' : 'name at least two annotation sets (folders) to compare');
    }
    const labels = parseLabels(values.labels as string | undefined);
    const seen = new Map<string, string>();
    for (const p of positionals) {
      const stat = await io.fs.stat(p);
      if (!stat) throw new UsageError(`${p}: no such folder`);
      if (stat.type !== 'directory') throw new UsageError(`${p}: not a folder; an annotation set is a folder holding a copy of the corpus`);
      // real paths: a link to a set (or a folder named twice) would compare a set with itself
      const resolved = await realpath(nodePath.resolve(io.cwd, p)).catch(() => nodePath.resolve(io.cwd, p));
      const twice = seen.get(resolved);
      if (twice !== undefined) throw new UsageError(`${twice} and ${p} are the same folder (${resolved}); comparing a set with itself says nothing`);
      seen.set(resolved, p);
    }

    const onLeftOut = (l: LeftOut) => io.err(formatLeftOut(l));
    const result = await computeAgreement(io.fs, positionals, { labels, missingSidecarAsEmpty: values['missing-as-empty'] === true, includeDuplicates: values['include-duplicates'] === true, onLeftOut });
    const roots = positionals.map((p) => nodePath.resolve(io.cwd, p));
    const cases =
      roots.length === 2
        ? await computeCaseAgreement(io.fs, [roots[0], roots[1]], [nodePath.join(roots[0], DEFAULT_CASES_FOLDER), nodePath.join(roots[1], DEFAULT_CASES_FOLDER)], defaultDocumentFields().map((f) => f.name))
        : undefined;
    for (const p of cases?.problems ?? []) io.err(`warning: ${p}`);
    const withCases = cases && (cases.cases[0] || cases.cases[1]) ? cases : undefined;
    if (values.json) {
      io.out(JSON.stringify({ ...agreementJson(result), cases: withCases ? caseAgreementJson(withCases) : null }, null, 2));
    } else {
      report(result).forEach((l) => io.out(l));
      if (withCases) ['', ...caseAgreementLines(withCases)].forEach((l) => io.out(l));
      const byReason = new Map<string, string[]>();
      for (const s of result.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.file]);
      for (const [reason, files] of byReason) {
        io.err(`skipped ${files.length} article(s): ${reason}`);
        for (const f of files.slice(0, 20)) io.err(`  ${f}`);
        if (files.length > 20) io.err(`  … and ${files.length - 20} more (--json lists all)`);
      }
    }
    if (!result.articles) {
      io.err('misconduct-annotate agree: no article could be compared in every set');
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};
