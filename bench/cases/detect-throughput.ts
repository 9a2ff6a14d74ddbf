/**
 * detect-throughput: the gazetteer detector over a 10 MB corpus, against a one-pass scan of the
 * same text (counting "\n" with a regex). value MB/s (10^6 bytes of UTF-8 per second);
 * ratio = detection time / scan time.
 */
import { defaultDetector } from '../../src/core/detect';
import { runCase, log } from '../lib/case';
import { corpusText } from '../lib/inputs';
import { round, timeInTurns } from '../lib/timing';

runCase(async () => {
  const text = corpusText(10_000_000, 11);
  const mb = Buffer.byteLength(text) / 1e6;
  const detector = defaultDetector();
  let matches = 0;
  let lines = 0;
  // in turns (the scan is only for scale, but it should be timed at the same moments)
  const [ours, scan] = await timeInTurns(
    [() => (matches = detector.detect(text).length), () => (lines = text.match(/\n/g)?.length ?? 0)],
    { warmup: 2, runs: 7 },
  );
  log(`detect ${mb.toFixed(1)} MB: ${ours.ms.toFixed(1)} ms (${matches} matches); scan ${scan.ms.toFixed(2)} ms (${lines} lines)`);
  const value = mb / (ours.ms / 1000);
  const ratio = ours.ms / scan.ms;
  return {
    case: 'detect-throughput',
    value: round(value),
    unit: 'MB/s',
    baseline: round(mb / (scan.ms / 1000)),
    ratio: round(ratio),
    goal: '≥ 50 MB/s (the scan time beside it for scale)',
    met: value >= 50,
    ms: round(ours.ms),
    scanMs: round(scan.ms),
    megabytes: round(mb),
    matches,
  };
});
