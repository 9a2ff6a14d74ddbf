/**
 * Cohen's κ (Cohen 1960) for two raters who each put every unit in one category:
 * κ = (p_o − p_e) / (1 − p_e), with p_o the share of units they agree on and p_e = Σ_k p_A(k)·p_B(k)
 * the agreement expected from each rater's own category shares.
 *
 * The tally keeps only integer counts (diagonal and marginals), which is all κ needs, so the
 * corpus can be added article by article and per-label (binary) κ can be derived afterwards
 * without a second pass.
 */

export class ConfusionTally {
  /** Units counted. */
  n = 0;
  /** How often rater A chose each category (row sums of the confusion table). */
  readonly rows = new Map<string, number>();
  /** How often rater B chose each category (column sums). */
  readonly cols = new Map<string, number>();
  /** How often both chose the category. */
  readonly diagonal = new Map<string, number>();

  add(a: string, b: string, count = 1): void {
    this.n += count;
    this.rows.set(a, (this.rows.get(a) ?? 0) + count);
    this.cols.set(b, (this.cols.get(b) ?? 0) + count);
    if (a === b) this.diagonal.set(a, (this.diagonal.get(a) ?? 0) + count);
  }

  /**
   * The 2×2 table of `category` against everything else: how a per-label statistic sees the same
   * units (a token is "force" or "not force").
   */
  binary(category: string): ConfusionTally {
    const out = new ConfusionTally();
    const both = this.diagonal.get(category) ?? 0;
    const a = this.rows.get(category) ?? 0;
    const b = this.cols.get(category) ?? 0;
    out.n = this.n;
    out.rows.set('yes', a).set('no', this.n - a);
    out.cols.set('yes', b).set('no', this.n - b);
    out.diagonal.set('yes', both).set('no', this.n - a - b + both);
    return out;
  }

  /** A square table, rows = rater A, columns = rater B, in the order of `categories`. */
  static fromTable(table: readonly (readonly number[])[], categories?: readonly string[]): ConfusionTally {
    const names = categories ?? table.map((_, i) => String(i));
    if (table.length !== names.length || table.some((row) => row.length !== names.length)) {
      throw new RangeError('a confusion table must be square, one row and column per category');
    }
    const out = new ConfusionTally();
    table.forEach((row, i) => row.forEach((count, j) => count && out.add(names[i], names[j], count)));
    return out;
  }
}

/**
 * Cohen's κ, or null when it is undefined: no units, or both raters used one and the same
 * category throughout (p_e = 1, so 0/0).
 *
 * Computed as (n·Σd − Σ r·c) / (n² − Σ r·c) in integers, which is the textbook formula multiplied
 * through by n²: exact until the last division, and the zero test on the denominator is exact.
 */
export function cohenKappa(t: ConfusionTally): number | null {
  let agree = 0;
  for (const d of t.diagonal.values()) agree += d;
  let chance = 0;
  for (const [k, r] of t.rows) chance += r * (t.cols.get(k) ?? 0);
  const denominator = t.n * t.n - chance;
  if (t.n === 0 || denominator === 0) return null;
  return (t.n * agree - chance) / denominator;
}
