/**
 * Agreement between two ways of measuring the same images (Bland & Altman 1986): the differences'
 * mean (bias), mean absolute value and standard deviation, the 95 % limits of agreement
 * (mean ± 1.96 SD), and Pearson's correlation of the paired values.
 */
export interface Agreement {
  n: number;
  /** Mean of the reference values (b). */
  meanReference: number;
  meanDifference: number;
  meanAbsDifference: number;
  sdDifference: number;
  limits: [number, number];
  /** null when either side does not vary. */
  correlation: number | null;
}

/** Agreement of a against b over the pairs where both are numbers; null when fewer than two pairs. */
export function agreement(a: (number | null)[], b: (number | null)[]): Agreement | null {
  const x: number[] = [];
  const y: number[] = [];
  a.forEach((v, i) => {
    const w = b[i];
    if (v !== null && w !== null && Number.isFinite(v) && Number.isFinite(w)) {
      x.push(v);
      y.push(w);
    }
  });
  const n = x.length;
  if (n < 2) return null;
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
  const d = x.map((v, i) => v - y[i]);
  const md = mean(d);
  const sd = Math.sqrt(d.reduce((s, t) => s + (t - md) ** 2, 0) / (n - 1));
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return {
    n,
    meanReference: my,
    meanDifference: md,
    meanAbsDifference: mean(d.map(Math.abs)),
    sdDifference: sd,
    limits: [md - 1.96 * sd, md + 1.96 * sd],
    correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null,
  };
}
