/**
 * Segmentation metrics inside the field of view, as the DRIVE literature reports them.
 * AUC-ROC is exact: P(score of a vessel pixel > score of a background pixel), ties counted half,
 * from the sorted score lists (O(n log n)). The histogram version (10^4+ bins) is checked against it.
 */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface Scores {
  auc: number;
  f1: number;
  accuracy: number;
  sensitivity: number;
  specificity: number;
  threshold: number;
  pixels: number;
}

/** Scores of vessel and background pixels inside the FOV, collected image by image. */
export class ScoreCollector {
  private pos: Float32Array[] = [];
  private neg: Float32Array[] = [];
  private nPos = 0;
  private nNeg = 0;

  add(prob: Float32Array, label: Uint8Array, fov: Uint8Array | null): void {
    if (prob.length !== label.length || (fov && fov.length !== label.length)) throw new Error('score, label and FOV sizes differ');
    let p = 0;
    let n = 0;
    for (let i = 0; i < label.length; i++) {
      if (fov && !fov[i]) continue;
      if (label[i]) p++;
      else n++;
    }
    const pos = new Float32Array(p);
    const neg = new Float32Array(n);
    p = 0;
    n = 0;
    for (let i = 0; i < label.length; i++) {
      if (fov && !fov[i]) continue;
      if (label[i]) pos[p++] = prob[i];
      else neg[n++] = prob[i];
    }
    this.pos.push(pos);
    this.neg.push(neg);
    this.nPos += p;
    this.nNeg += n;
  }

  private sorted(parts: Float32Array[], total: number): Float32Array {
    const all = new Float32Array(total);
    let o = 0;
    for (const part of parts) {
      all.set(part, o);
      o += part.length;
    }
    return all.sort();
  }

  /** Exact AUC and threshold metrics. */
  scores(threshold = 0.5): Scores {
    const pos = this.sorted(this.pos, this.nPos);
    const neg = this.sorted(this.neg, this.nNeg);
    return { auc: aucFromSorted(pos, neg), ...thresholdMetrics(pos, neg, threshold), threshold, pixels: pos.length + neg.length };
  }

  /** Threshold maximising F1 (for choosing an operating point on training data). */
  bestF1Threshold(): number {
    const pos = this.sorted(this.pos, this.nPos);
    const neg = this.sorted(this.neg, this.nNeg);
    let best = 0.5;
    let bestF1 = -1;
    for (let t = 0.05; t < 0.96; t += 0.01) {
      const f1 = thresholdMetrics(pos, neg, t).f1;
      if (f1 > bestF1) {
        bestF1 = f1;
        best = Math.round(t * 100) / 100;
      }
    }
    return best;
  }
}

/** Index of the first element >= t in a sorted array. */
function lowerBound(a: Float32Array, t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Predicted vessel when score >= threshold. */
function thresholdMetrics(pos: Float32Array, neg: Float32Array, t: number): Omit<Scores, 'auc' | 'threshold' | 'pixels'> {
  const fn = lowerBound(pos, t);
  const tp = pos.length - fn;
  const tn = lowerBound(neg, t);
  const fp = neg.length - tn;
  return confusionMetrics({ tp, fp, tn, fn });
}

export function confusionMetrics(c: Confusion): Omit<Scores, 'auc' | 'threshold' | 'pixels'> {
  const { tp, fp, tn, fn } = c;
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    f1: div(2 * tp, 2 * tp + fp + fn),
    accuracy: div(tp + tn, tp + tn + fp + fn),
    sensitivity: div(tp, tp + fn),
    specificity: div(tn, tn + fp),
  };
}

/** Exact AUC from ascending-sorted positive and negative scores; ties count one half. */
export function aucFromSorted(pos: Float32Array, neg: Float32Array): number {
  if (pos.length === 0 || neg.length === 0) return NaN;
  let wins = 0;
  let j = 0; // negatives strictly below pos[i]
  let k = 0; // negatives <= pos[i]
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i];
    while (j < neg.length && neg[j] < s) j++;
    if (k < j) k = j;
    while (k < neg.length && neg[k] <= s) k++;
    wins += j + 0.5 * (k - j);
  }
  return wins / (pos.length * neg.length);
}

/** AUC from score histograms (bins over [0, 1]); error shrinks with the bin count. */
export function aucFromHistogram(posHist: Float64Array, negHist: Float64Array): number {
  const nPos = posHist.reduce((a, b) => a + b, 0);
  const nNeg = negHist.reduce((a, b) => a + b, 0);
  if (nPos === 0 || nNeg === 0) return NaN;
  let negBelow = 0;
  let wins = 0;
  for (let b = 0; b < posHist.length; b++) {
    wins += posHist[b] * (negBelow + 0.5 * negHist[b]);
    negBelow += negHist[b];
  }
  return wins / (nPos * nNeg);
}

export function histogram(scores: Float32Array, bins: number): Float64Array {
  const h = new Float64Array(bins);
  for (const s of scores) h[Math.min(bins - 1, Math.max(0, Math.floor(s * bins)))]++;
  return h;
}
