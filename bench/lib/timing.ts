/**
 * The one timing helper every case uses: warm up, then the median of N runs, each timed with
 * `process.hrtime.bigint()`. No forced GC between runs: a forced full collection discards
 * optimised code and made every figure 1.5–2× worse than steady state, which is not what a user
 * sees; the median absorbs the occasional collection inside a run.
 */
export interface Timing {
  /** Median of the timed runs, in milliseconds. */
  ms: number;
  /** Every timed run, in milliseconds, in order. */
  samples: number[];
}

export interface TimeOptions {
  warmup?: number;
  runs?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times `fn` (sync or async). Its result is kept in a sink so the work cannot be optimised away. */
export async function time(fn: () => unknown, options: TimeOptions = {}): Promise<Timing> {
  return (await timeInTurns([fn], options))[0];
}

/**
 * Times several functions in turns (a, b, c, a, b, c, …) and returns each one's median: a ratio
 * between them then compares runs made at the same moments, not a baseline timed while the
 * machine was quiet with a case timed while it was busy (on these machines the speed drifts
 * within seconds, and timing one after the other moved the export row by a third).
 */
export async function timeInTurns(fns: ReadonlyArray<() => unknown>, options: TimeOptions = {}): Promise<Timing[]> {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 7;
  for (let i = 0; i < warmup; i++) for (const fn of fns) sink(await fn());
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const t0 = process.hrtime.bigint();
      const result = await fns[k]();
      const t1 = process.hrtime.bigint();
      sink(result);
      samples[k].push(Number(t1 - t0) / 1e6);
    }
  }
  return samples.map((xs) => ({ ms: median(xs), samples: xs }));
}

let sunk = 0;
function sink(value: unknown): void {
  if (value !== undefined && value !== null) sunk ^= 1;
}

/** Keeps the sink observable (for the paranoid optimiser). */
export function sinkState(): number {
  return sunk;
}

/** Rounds to a few significant digits for the table and results.json. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const factor = 10 ** Math.max(0, digits - 1 - magnitude);
  return Math.round(x * factor) / factor;
}
