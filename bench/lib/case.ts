/**
 * What a case reports, and how a case file runs as a child process of bench/run.mjs: it computes
 * its rows and writes them as JSON to the file named by BENCH_RESULT (stdout stays free for
 * progress lines). A case that throws exits 1; run.mjs then reports the crash and fails the run.
 */
import * as fs from 'node:fs';

export interface Row {
  case: string;
  /** The figure (null when the case could not be measured; see `note`). */
  value: number | null;
  unit: string;
  /** The baseline measured in the same run, in `baselineUnit` (default: `unit`). */
  baseline: number | null;
  baselineUnit?: string;
  /** See each case for its direction; `goal` says which way is good. */
  ratio: number | null;
  goal: string;
  /** Whether the goal was met; null when not measured. */
  met: boolean | null;
  note?: string;
  [extra: string]: unknown;
}

export function log(message: string): void {
  process.stdout.write(`  · ${message}\n`);
}

export function runCase(compute: () => Promise<Row | Row[]>): void {
  compute().then(
    (rows) => {
      const out = JSON.stringify(Array.isArray(rows) ? rows : [rows]);
      if (process.env.BENCH_RESULT) fs.writeFileSync(process.env.BENCH_RESULT, out);
      else process.stdout.write(out + '\n');
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
