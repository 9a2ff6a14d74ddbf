// The median the end-to-end and activation rows report (the harness scripts run as plain Node
// modules; the bundled cases use the same definition in timing.ts): the middle value, or the mean
// of the two middle ones for an even count (the e2e rows have 8 runs).
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-quantile (0 < p < 1) by linear interpolation between the closest ranks (a burst row's p90). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * p;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (at - lo) : s[lo];
}
