#!/usr/bin/env node
// Prints the "Performance" table (docs/performance.md) from bench/results.json (what `npm run bench` wrote),
// or, with --write, puts it into docs/performance.md between the markers
// <!-- bench-table:start --> and <!-- bench-table:end -->, with the date of the results.
//
//   npm run bench && node bench/table.mjs --write
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = path.join(HERE, '..', 'docs', 'performance.md');
const results = path.join(HERE, 'results.json');
const rows = JSON.parse(fs.readFileSync(results, 'utf8'));

function num(x) {
  if (x === null || x === undefined) return '—';
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const cell = (s) => String(s).replace(/\|/g, '\\|');
const lines = ['| case | value | baseline (same run) | ratio | goal | met |', '|---|---|---|---|---|---|'];
for (const r of rows) {
  const value = r.value === null ? '—' : `${num(r.value)} ${r.unit}`;
  const baseline = r.baseline === null ? '—' : `${num(r.baseline)} ${r.baselineUnit ?? r.unit}`;
  const ratio = r.ratio === null ? '—' : `${num(r.ratio)}×`;
  const met = r.met === null ? (r.note?.startsWith('crashed') ? 'crashed' : 'n/a') : r.met ? 'yes' : '**no**';
  lines.push(`| \`${r.case}\` | ${cell(value)} | ${cell(baseline)} | ${ratio} | ${cell(r.goal)} | ${met} |`);
}
const stamp = fs.statSync(results).mtime.toISOString().slice(0, 16).replace('T', ' ');
const table = `${lines.join('\n')}\n\n<sub>From \`bench/results.json\` of ${stamp} UTC; regenerate with \`npm run bench && node bench/table.mjs --write\`.</sub>`;

if (process.argv.includes('--write')) {
  const doc = fs.readFileSync(TARGET, 'utf8');
  const re = /(<!-- bench-table:start -->)[\s\S]*?(<!-- bench-table:end -->)/;
  if (!re.test(doc)) throw new Error('docs/performance.md has no <!-- bench-table:start --> … <!-- bench-table:end --> markers');
  fs.writeFileSync(TARGET, doc.replace(re, (_, start, end) => `${start}\n${table}\n${end}`));
  console.log(`docs/performance.md: table of ${rows.length} rows written`);
} else {
  console.log(table);
}
