/**
 * devset-f1: how good the suggestions are on the development set (test/fixtures/devset: the sample
 * articles and short articles written from public reporting, with gold sidecars that follow
 * docs/guidelines.md). Mention by mention, per label: a suggestion counts when it overlaps a gold
 * span of the same label (one-to-one, spanF1.ts). value: F1 of `suggestTerms` (gazetteer + rules);
 * baseline: F1 of the gazetteer scan alone (every match, no rules), measured in the same run.
 * Goals from issue 16 (on held-out articles): allegation F1 ≥ 0.80 with precision ≥ 0.80, force
 * ≥ 0.95, sanction ≥ 0.90. The dev set is small and the rules were written with it in view, so
 * expect held-out figures to be lower.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SuggestionScore } from '../../src/core/agreement';
import { Match, detectTerms, suggestTerms, toCodePointMatches } from '../../src/core/detect';
import { OffsetMap } from '../../src/core/offsets';
import { parseSidecar } from '../../src/core/sidecar';
import { log, Row, runCase } from '../lib/case';

const LABELS = ['force', 'allegation', 'sanction'] as const;
const GOALS: Record<string, { f1: number; precision?: number; text: string }> = {
  force: { f1: 0.95, text: 'F1 ≥ 0.95' },
  allegation: { f1: 0.8, precision: 0.8, text: 'F1 ≥ 0.80, precision ≥ 0.80' },
  sanction: { f1: 0.9, text: 'F1 ≥ 0.90' },
};

runCase(async () => {
  const dir = path.join(process.env.BENCH_REPO ?? process.cwd(), 'test', 'fixtures', 'devset');
  const ours = new SuggestionScore(LABELS);
  const gazetteerOnly = new SuggestionScore(LABELS);
  let articles = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const sidecar = parseSidecar(name, fs.readFileSync(path.join(dir, `${name}.annotations.json`), 'utf8'));
    const map = new OffsetMap(text);
    const spans = (ms: readonly Match[]) => toCodePointMatches(ms, map).map((m) => ({ start: m.start, end: m.end, label: m.category as string }));
    ours.add(sidecar.annotations, spans(suggestTerms(text)));
    gazetteerOnly.add(sidecar.annotations, spans(detectTerms(text)));
    articles++;
  }
  const rows: Row[] = [];
  for (const label of LABELS) {
    const s = ours.score(label);
    const b = gazetteerOnly.score(label);
    const goal = GOALS[label];
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    log(`${label}: F1 ${r3(s.f1)} (P ${r3(s.precision)}, R ${r3(s.recall)}; ${s.matched} of ${s.gold} gold, ${s.predicted} suggested); gazetteer alone F1 ${r3(b.f1)}`);
    rows.push({
      case: `devset-${label}`,
      value: r3(s.f1),
      unit: 'F1',
      baseline: r3(b.f1),
      baselineUnit: 'F1 (gazetteer alone)',
      ratio: s.f1 !== null && b.f1 ? r3(s.f1 / b.f1) : null,
      goal: goal.text,
      met: s.f1 !== null && s.f1 >= goal.f1 && (goal.precision === undefined || (s.precision ?? 0) >= goal.precision),
      precision: r3(s.precision),
      recall: r3(s.recall),
      gold: s.gold,
      suggested: s.predicted,
      articles,
    });
  }
  return rows;
});
