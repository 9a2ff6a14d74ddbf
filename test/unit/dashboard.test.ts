import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { newSidecar, serializeSidecar } from '../../src/core/sidecarEncoding';
import { ArticleFacts, computeCorpusStats } from '../../src/core/stats';
import type { FieldValue } from '../../src/core/schema';
import { articlesFor, buildModel, distinctColours, toCsv } from '../../src/extension/dashboard/model';
import { contentSecurityPolicy, dashboardHtml } from '../../src/extension/dashboard/html';
import { cli, SAMPLES, tempDir } from './helpers';

/** Writes an article and (when given spans) its sidecar: spans are [label, text, attributes?]. */
function writeArticle(dir: string, name: string, text: string, spans: Array<[string, string, Record<string, string>?]> = [], status?: 'done' | 'in_progress', document?: Record<string, FieldValue>): void {
  fs.writeFileSync(path.join(dir, name), text);
  if (!spans.length && !status && !document) return;
  const map = new OffsetMap(text);
  const sidecar = newSidecar(name, sha256Hex(text), map.length);
  let from = 0;
  spans.forEach(([label, quote, attributes], i) => {
    const start = text.indexOf(quote, from);
    assert.ok(start >= 0, quote);
    from = start + quote.length;
    sidecar.annotations.push(makeAnnotation(map, start, start + quote.length, label, { id: `a-${i}`, created: '2026-11-22T10:00:00Z', attributes }));
  });
  if (status) sidecar.status = status;
  if (document) sidecar.document = document;
  fs.writeFileSync(path.join(dir, name + '.annotations.json'), serializeSidecar(sidecar));
}

describe('corpus stats: forces and allegation × sanction', () => {
  it('counts the sample corpus', async () => {
    const facts: ArticleFacts[] = [];
    const stats = await computeCorpusStats(nodeFileSystem, SAMPLES, { onArticle: (f) => facts.push(f) });
    assert.equal(stats.articles, 7);
    assert.equal(stats.annotations, 122);
    assert.deepEqual(stats.status, { not_started: 0, in_progress: 0, done: 7 });
    // by gazetteer id; "Hampshire" in "A Hampshire police officer" and "the Nottinghamshire Chief
    // Constable" count under their forces, by the context the detector used
    assert.deepEqual(stats.forces, { metropolitan: 16, derbyshire: 4, staffordshire: 4, hampshire_and_isle_of_wight: 8, nottinghamshire: 1 });
    assert.equal(Object.values(stats.forces).reduce((a, b) => a + b, 0), stats.labels.force);
    assert.deepEqual(stats.allegationSanction.using_sex_workers, {
      management_action: 1,
      misconduct_proven: 1,
      police_barred_list: 1,
      reflective_practice: 1,
      resigned: 2,
      restricted_duties: 1,
      suspended: 1,
      would_have_been_dismissed: 2,
    });
    // 002 with all four; 005 (before its hearing) the case to answer; 006 (after it) the rest
    assert.deepEqual(stats.allegationSanction.data_misuse, { case_to_answer_gross_misconduct: 2, dismissal_without_notice: 2, gross_misconduct_proven: 2, police_barred_list: 2 });
    assert.deepEqual(Object.keys(stats.allegationSanction), [
      'abuse_of_position_sexual_purpose',
      'assault',
      'data_misuse',
      'inappropriate_relationship',
      'offensive_messages',
      'other',
      'sexual_misconduct',
      'sharing_sensitive_images',
      'std_authority_respect_and_courtesy',
      'std_confidentiality',
      'std_discreditable_conduct',
      'unlawful_arrest_detention_search',
      'using_sex_workers',
    ]);
    assert.deepEqual(facts.map((f) => f.relativePath), fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.txt')));
  });

  it('counts a temp corpus: explicit types win, per-article pairs count once, "other" for the untyped', async () => {
    const dir = tempDir();
    writeArticle(dir, 'a.txt', 'Kent Police said PC A was dismissed without notice for dishonesty and was dismissed without notice again. Kent Police added more.', [
      ['force', 'Kent Police'],
      ['sanction', 'dismissed without notice'],
      ['allegation', 'dishonesty', { type: 'honesty_integrity' }],
      ['sanction', 'dismissed without notice'],
      ['force', 'Kent Police'],
    ], 'done');
    writeArticle(dir, 'b.txt', 'The Met: an officer did a bad thing and got a stern word from the Met.', [
      ['force', 'The Met'],
      ['allegation', 'a bad thing'],
      ['sanction', 'a stern word'],
      ['force', 'the Met', { type: 'custom_force' }],
    ]);
    writeArticle(dir, 'c.txt', 'No sidecar here.');
    writeArticle(dir, 'd.txt', 'A local force sacked him.', [['force', 'A local force']]);
    const stats = await computeCorpusStats(nodeFileSystem, dir);
    assert.deepEqual(stats.status, { not_started: 1, in_progress: 2, done: 1 });
    assert.deepEqual(stats.forces, { kent: 2, 'A local force': 1, custom_force: 1, metropolitan: 1 });
    assert.deepEqual(stats.allegationSanction, {
      honesty_integrity: { dismissal_without_notice: 1 },
      other: { other: 1 },
    });
    const matrix = buildModel(stats, 'corpus').charts[3];
    assert.equal(matrix.rows.at(-1)?.key, 'other', '"other" comes last');
    assert.equal(matrix.rows.at(-1)?.name, 'Other');

    const run = await cli('stats', dir, '--json');
    assert.equal(run.code, 0);
    const json = JSON.parse(run.out);
    assert.deepEqual(json.forces, stats.forces);
    assert.deepEqual(json.allegationSanction, stats.allegationSanction);
    assert.equal(json.articles, 4);
    const table = await cli('stats', dir);
    assert.match(table.out, /^forces named\n {2}kent {14}2$/m);
  });
});

describe('dashboard model', () => {
  it('builds the charts with readable names and opens the articles behind a figure', async () => {
    const facts: ArticleFacts[] = [];
    const stats = await computeCorpusStats(nodeFileSystem, SAMPLES, { onArticle: (f) => facts.push(f) });
    const model = buildModel(stats, 'corpus');
    // the samples' forms, counted here from the files
    const coded = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.annotations.json') && Object.keys(JSON.parse(fs.readFileSync(path.join(SAMPLES, f), 'utf8')).document ?? {}).length).length;
    assert.deepEqual(model.totals, { articles: 7, annotatedArticles: 7, annotations: 122, invalid: 0, coded });
    assert.deepEqual(model.charts.map((c) => c.id), ['status', 'labels', 'forces', 'matrix', 'outcomeStandard', 'proceedingOutcome', 'officers']);
    const forces = model.charts[2];
    assert.equal(forces.rows[0].key, 'metropolitan');
    assert.equal(forces.rows[0].name, 'Metropolitan Police Service');
    const matrix = model.charts[3];
    assert.ok(matrix.series.every((s) => s.name && s.name !== s.key), JSON.stringify(matrix.series));

    assert.deepEqual(articlesFor({ chart: 'status', row: 'done' }, facts).length, 7);
    assert.deepEqual(articlesFor({ chart: 'forces', row: 'staffordshire' }, facts).map((f) => f.relativePath), ['000_fafa6f8612fe896a.txt']);
    assert.equal(articlesFor({ chart: 'labels', row: 'force' }, facts).length, 7);
    assert.equal(articlesFor({ chart: 'matrix', row: 'std_discreditable_conduct', series: 'police_barred_list' }, facts).length, 3);
    assert.equal(articlesFor({ chart: 'matrix', row: 'using_sex_workers', series: 'would_have_been_dismissed' }, facts).length, 2);
    // 002 and the two reports of its case before and after the hearing (005, 006)
    assert.equal(articlesFor({ chart: 'matrix', row: 'data_misuse' }, facts).length, 3);
  });

  it('draws each label in its own colour and gives every matrix series a colour of its own', async () => {
    const stats = await computeCorpusStats(nodeFileSystem, SAMPLES);
    const model = buildModel(stats, 'corpus', new Map([['force', '#0072B2'], ['allegation', '#D55E00']]));
    const labels = model.charts[1];
    const colourOf = new Map(labels.rows.map((r) => [r.key, r.color]));
    assert.equal(colourOf.get('force'), '#0072B2');
    assert.equal(colourOf.get('allegation'), '#D55E00');
    assert.equal(colourOf.get('sanction'), '#999999', 'a label not in the setting is grey');
    // a theme palette with a repeat, and more series than palette and Okabe–Ito together
    for (const n of [3, 6, 14, 40]) {
      const colours = distinctColours(n, ['#3794ff', '#d18616', '#3794FF', '#89d185']);
      assert.equal(colours.length, n);
      assert.equal(new Set(colours.map((c) => c.toLowerCase())).size, n, colours.join(' '));
    }
    assert.deepEqual(distinctColours(2, ['#3794ff', '#3794FF', '#89d185']), ['#3794ff', '#89d185']);
  });

  it('copies a table as CSV with quoting', () => {
    const csv = toCsv({
      id: 'matrix',
      title: 't',
      kind: 'stacked',
      rowHeader: 'Allegation',
      series: [{ key: 'x', name: 'Dismissal, without notice' }, { key: 'y', name: 'Said "no"' }],
      rows: [{ key: 'a', name: 'Dishonesty', values: [1, 0] }],
    });
    assert.equal(csv, 'Allegation,"Dismissal, without notice","Said ""no"""\r\nDishonesty,1,0\r\n');
  });

  it('serves a page with a strict CSP: a nonce for the one script, no inline style, no network', () => {
    const html = dashboardHtml({ cspSource: 'https://file+.vscode-resource.test', scriptUri: 'https://x.test/dashboard.js', styleUri: 'https://x.test/dashboard.css', nonce: 'abc123' });
    const csp = contentSecurityPolicy('https://file+.vscode-resource.test', 'abc123');
    assert.equal(csp, "default-src 'none'; img-src https://file+.vscode-resource.test data:; style-src https://file+.vscode-resource.test; script-src 'nonce-abc123'");
    assert.ok(html.includes(`content="${csp.replace(/'/g, "'")}"`));
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\.test\/dashboard\.js"><\/script>/);
    assert.doesNotMatch(html, /style=|<style|unsafe-inline/);
    assert.match(html, /Loading…/);
  });
});

describe('corpus stats and dashboard: the case forms', () => {
  it('counts outcome × standard, proceeding × outcome and officers by rank and status from the forms', async () => {
    const dir = tempDir();
    writeArticle(dir, 'a.txt', 'A.', [], 'done', {
      outcome: 'dismissal_without_notice',
      standards: ['std_honesty_and_integrity', 'std_discreditable_conduct'],
      proceeding: 'misconduct_hearing',
      officer_status: 'serving',
      officer_rank: 'constable',
    });
    writeArticle(dir, 'b.txt', 'B.', [], undefined, { outcome: 'final_written_warning', standards: ['std_honesty_and_integrity'], proceeding: 'misconduct_meeting', officer_status: 'former' });
    // values from files are data: "constructor" is a key like any other; a number where a choice belongs is left out
    writeArticle(dir, 'c.txt', 'C.', [], undefined, { outcome: 'dismissal_without_notice', standards: ['constructor'], proceeding: 3, officer_rank: 'sergeant' });
    writeArticle(dir, 'd.txt', 'D.', [], undefined, {});
    writeArticle(dir, 'e.txt', 'E.');
    const facts: ArticleFacts[] = [];
    const stats = await computeCorpusStats(nodeFileSystem, dir, { onArticle: (f) => facts.push(f) });
    assert.equal(stats.codedArticles, 3);
    assert.deepEqual(stats.outcomeStandard, {
      dismissal_without_notice: { constructor: 1, std_discreditable_conduct: 1, std_honesty_and_integrity: 1 },
      final_written_warning: { std_honesty_and_integrity: 1 },
    });
    assert.equal(Object.getPrototypeOf(stats.outcomeStandard.dismissal_without_notice), Object.prototype);
    assert.deepEqual(stats.proceedingOutcome, { misconduct_hearing: { dismissal_without_notice: 1 }, misconduct_meeting: { final_written_warning: 1 } });
    assert.deepEqual(stats.officers, { constable: { serving: 1 }, not_recorded: { former: 1 }, sergeant: { not_recorded: 1 } });

    const model = buildModel(stats, 'corpus');
    assert.equal(model.totals.coded, 3);
    const [outcomeStandard, proceedingOutcome, officers] = model.charts.slice(4);
    assert.equal(outcomeStandard.kind, 'stacked');
    assert.deepEqual(outcomeStandard.rows.map((r) => r.name), ['Dismissal without notice', 'Final written warning']);
    assert.deepEqual(outcomeStandard.series.map((s) => s.name), ['Constructor', 'Discreditable conduct', 'Honesty and integrity']);
    assert.deepEqual(outcomeStandard.rows[0].values, [1, 1, 1]);
    assert.deepEqual(proceedingOutcome.rows.map((r) => r.name), ['Misconduct hearing', 'Misconduct meeting']);
    assert.deepEqual(proceedingOutcome.rows.map((r) => r.values), [[1, 0], [0, 1]]);
    // "not recorded" comes last, in rows and series
    assert.deepEqual(officers.rows.map((r) => r.name), ['Police Constable', 'Sergeant', 'Not recorded']);
    assert.deepEqual(officers.series.map((s) => s.name), ['Former', 'Serving', 'Not recorded']);
    assert.match(toCsv(officers), /^Rank,Former,Serving,Not recorded\r\nPolice Constable,0,1,0\r\n/);

    const files = (sel: Parameters<typeof articlesFor>[0]) => articlesFor(sel, facts).map((f) => f.relativePath);
    assert.deepEqual(files({ chart: 'outcomeStandard', row: 'dismissal_without_notice' }), ['a.txt', 'c.txt']);
    assert.deepEqual(files({ chart: 'outcomeStandard', row: 'dismissal_without_notice', series: 'std_honesty_and_integrity' }), ['a.txt']);
    assert.deepEqual(files({ chart: 'proceedingOutcome', row: 'misconduct_meeting', series: 'final_written_warning' }), ['b.txt']);
    assert.deepEqual(files({ chart: 'officers', row: 'not_recorded' }), ['b.txt']);
    assert.deepEqual(files({ chart: 'officers', row: 'sergeant', series: 'not_recorded' }), ['c.txt']);

    const run = await cli('stats', dir, '--json');
    assert.deepEqual(JSON.parse(run.out).officers, stats.officers);
  });

  it('counts the coded samples', async () => {
    const stats = await computeCorpusStats(nodeFileSystem, SAMPLES);
    assert.equal(stats.codedArticles, 7);
    assert.deepEqual(stats.officers.constable, { former: 1, serving: 4 });
    assert.deepEqual(stats.proceedingOutcome.misconduct_hearing, { dismissal_without_notice: 2, would_have_been_dismissed: 1 });
    assert.deepEqual(stats.outcomeStandard.dismissal_without_notice, { std_authority_respect_and_courtesy: 1, std_confidentiality: 1, std_discreditable_conduct: 2 });
  });

  it('says what to do when no form is filled', async () => {
    const dir = tempDir();
    writeArticle(dir, 'a.txt', 'Kent Police.', [['force', 'Kent Police']]);
    const model = buildModel(await computeCorpusStats(nodeFileSystem, dir), 'corpus');
    for (const chart of model.charts.slice(4)) {
      assert.deepEqual(chart.rows, []);
      assert.match(chart.empty ?? '', /case form|Case view/i);
    }
  });
});
