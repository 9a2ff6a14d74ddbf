// The median the end-to-end and activation rows report (the harness scripts run as plain Node
// modules; the bundled cases use the same definition in timing.ts): the middle value, or the mean
// of the two middle ones for an even count (the e2e rows have 8 runs).
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
