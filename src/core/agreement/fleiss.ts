/**
 * Fleiss' κ (Fleiss 1971) for a fixed number m of raters per unit:
 * κ = (P̄ − P̄_e) / (1 − P̄_e), with P̄ the mean over units of the share of agreeing rater pairs and
 * P̄_e = Σ_j p_j² from the pooled category shares. (This is "multi-π" in Artstein & Poesio 2008,
 * and NLTK's `AnnotationTask.pi()`; NLTK's `multi_kappa()` is Davies & Fleiss 1982, which uses each
 * rater's own shares instead.)
 */
import { CoincidenceTally } from './coincidence';

/**
 * Fleiss' κ from a tally whose units all have the same number of values, or null when undefined:
 * no units, or every value in one category (P̄_e = 1).
 */
export function fleissKappa(t: CoincidenceTally): number | null {
  if (t.bySize.size > 1) throw new RangeError("Fleiss' κ needs the same number of ratings for every unit");
  const n = t.values;
  let squares = 0;
  for (const c of t.marginals().values()) squares += c * c;
  const denominator = n * n - squares;
  if (n === 0 || denominator === 0) return null;
  // P̄ = Σ o_cc / n and P̄_e = Σ n_c² / n², multiplied through by n²
  return (n * t.trace() - squares) / denominator;
}

/** Fleiss' κ from his table layout: one row per subject, one column per category, cells = raters. */
export function fleissKappaFromTable(table: readonly (readonly number[])[]): number | null {
  const t = new CoincidenceTally();
  for (const row of table) t.addCounts(new Map(row.map((c, j) => [String(j), c])));
  return fleissKappa(t);
}
