/**
 * Krippendorff's α for nominal data (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"): α = 1 − D_o / D_e, which for the nominal metric is
 * α = 1 − (n − 1) · (n − Σ_c o_cc) / (n² − Σ_c n_c²), over the coincidence matrix of all pairable
 * values (units with fewer than two values are left out). Missing values are allowed.
 */
import { CoincidenceTally } from './coincidence';

/** α (nominal), or null when undefined: fewer than two pairable values, or only one category (D_e = 0). */
export function krippendorffAlpha(t: CoincidenceTally): number | null {
  const n = t.values;
  let squares = 0;
  for (const c of t.marginals().values()) squares += c * c;
  const expected = n * n - squares;
  if (n < 2 || expected === 0) return null;
  return 1 - ((n - 1) * (n - t.trace())) / expected;
}

/**
 * α from a reliability data matrix as Krippendorff lays it out: one row per coder, one column per
 * unit, null/undefined for a missing value. Values are compared by identity (nominal).
 */
export function krippendorffAlphaFromMatrix(rows: readonly (readonly (string | number | null | undefined)[])[]): number | null {
  const t = new CoincidenceTally();
  const units = Math.max(0, ...rows.map((r) => r.length));
  for (let u = 0; u < units; u++) {
    const values: string[] = [];
    for (const row of rows) {
      const v = row[u];
      if (v !== null && v !== undefined) values.push(String(v));
    }
    t.addUnit(values);
  }
  return krippendorffAlpha(t);
}
