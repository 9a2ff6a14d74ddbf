/**
 * The sufficient statistics of Fleiss' κ and Krippendorff's α (nominal): for each unit, how many
 * raters put it in each category.
 *
 * Krippendorff's coincidence matrix counts, within every unit of m_u values, each ordered pair of
 * values from different raters with weight 1/(m_u − 1). For nominal data only its diagonal
 * (o_cc) and marginals (n_c) matter, and for Fleiss only the same two. Keeping them as integer
 * sums grouped by unit size m_u (o_cc = Σ_m D_{c,m} / (m − 1), D = Σ n_uc(n_uc − 1)) makes the
 * tally exact and mergeable, and lets a per-label binary tally be derived from the multi-category
 * one without revisiting the units.
 */

interface SizeGroup {
  /** Units with this many values. */
  units: number;
  /** Σ over those units of n_uc: values in category c. */
  values: Map<string, number>;
  /** Σ over those units of n_uc·(n_uc − 1): ordered same-category pairs. */
  samePairs: Map<string, number>;
}

export class CoincidenceTally {
  /** Keyed by unit size m_u ≥ 2; units with fewer values are not pairable and are ignored (α's rule). */
  readonly bySize = new Map<number, SizeGroup>();

  /** Adds one unit given the category of each value it received (missing values simply absent). */
  addUnit(values: Iterable<string>): void {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    this.addCounts(counts);
  }

  /** Adds one unit given how many values fell in each category. */
  addCounts(counts: ReadonlyMap<string, number>): void {
    let m = 0;
    for (const c of counts.values()) m += c;
    if (m < 2) return;
    let group = this.bySize.get(m);
    if (!group) this.bySize.set(m, (group = { units: 0, values: new Map(), samePairs: new Map() }));
    group.units++;
    for (const [k, c] of counts) {
      if (!c) continue;
      group.values.set(k, (group.values.get(k) ?? 0) + c);
      group.samePairs.set(k, (group.samePairs.get(k) ?? 0) + c * (c - 1));
    }
  }

  /** Units counted (pairable ones only). */
  get units(): number {
    let u = 0;
    for (const g of this.bySize.values()) u += g.units;
    return u;
  }

  /** n: pairable values. */
  get values(): number {
    let n = 0;
    for (const g of this.bySize.values()) for (const c of g.values.values()) n += c;
    return n;
  }

  /** n_c for every category seen. */
  marginals(): Map<string, number> {
    const out = new Map<string, number>();
    for (const g of this.bySize.values()) for (const [k, c] of g.values) out.set(k, (out.get(k) ?? 0) + c);
    return out;
  }

  /** Σ_c o_cc: the coincidence matrix's trace (weighted same-category pairs). */
  trace(): number {
    let t = 0;
    for (const [m, g] of this.bySize) {
      let same = 0;
      for (const p of g.samePairs.values()) same += p;
      t += same / (m - 1);
    }
    return t;
  }

  /** The same units seen as `category` against everything else. */
  binary(category: string): CoincidenceTally {
    const out = new CoincidenceTally();
    for (const [m, g] of this.bySize) {
      const yes = g.values.get(category) ?? 0;
      const yesPairs = g.samePairs.get(category) ?? 0;
      // Σ_u (m − n_u)(m − n_u − 1) = U·m(m − 1) − 2(m − 1)·Σ n_u + Σ n_u(n_u − 1)
      const noPairs = g.units * m * (m - 1) - 2 * (m - 1) * yes + yesPairs;
      out.bySize.set(m, {
        units: g.units,
        values: new Map([['yes', yes], ['no', g.units * m - yes]]),
        samePairs: new Map([['yes', yesPairs], ['no', noPairs]]),
      });
    }
    return out;
  }

  merge(other: CoincidenceTally): void {
    for (const [m, g] of other.bySize) {
      let mine = this.bySize.get(m);
      if (!mine) this.bySize.set(m, (mine = { units: 0, values: new Map(), samePairs: new Map() }));
      mine.units += g.units;
      for (const [k, c] of g.values) mine.values.set(k, (mine.values.get(k) ?? 0) + c);
      for (const [k, c] of g.samePairs) mine.samePairs.set(k, (mine.samePairs.get(k) ?? 0) + c);
    }
  }
}
