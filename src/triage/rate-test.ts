// Is a pattern's rate in this window significantly above its earlier rate? Two Poisson counts
// compared conditionally: given n = now + before events over t_now + t_before seconds, under "same
// rate" the events of this window follow Binomial(n, t_now / (t_now + t_before)). The p-value is
// that binomial's upper tail at `now`. It weighs the evidence on both sides: a baseline seen for a
// few seconds cannot make a steady pattern look like a spike, and a handful of lines cannot either.

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBinomialPmf(n: number, k: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // at or below the mean it is no increase at all (the tail is about one half or more)
  if (k <= n * p) return 1;
  // sum the terms from k upward until they stop mattering (they fall fast past the mean)
  const first = logBinomialPmf(n, k, p);
  let sum = 0;
  let term = first;
  const ratio = p / (1 - p);
  for (let j = k; j <= n; j++) {
    const v = Math.exp(term - first);
    sum += v;
    if (v < 1e-12 * sum && j > n * p) break;
    term += Math.log((n - j) / (j + 1)) + Math.log(ratio);
  }
  return Math.min(1, Math.exp(first) * sum);
}

export interface RateEvidence {
  /** Events and seconds of this window. */
  count: number;
  seconds: number;
  /** Events and seconds of what was observed before it. */
  earlierCount: number;
  earlierSeconds: number;
}

/** One-sided p-value that this window's rate is above the earlier one by chance. */
export function rateIncreasePValue(e: RateEvidence): number {
  if (e.seconds <= 0 || e.earlierSeconds <= 0) return 1;
  const n = e.count + e.earlierCount;
  const p = e.seconds / (e.seconds + e.earlierSeconds);
  return binomialUpperTail(n, e.count, p);
}
