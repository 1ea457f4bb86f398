/**
 * The statistics of the calibration study (docs/calibration.md): class fractions of an ensemble, the misfit that is
 * minimised, the Wilson interval of a binomial fraction and the t interval of a mean. Plain functions, no engine.
 */

/** The particle classes of docs/physics.md §5, as `cycles.csv` spells them. */
export const PARTICLE_CLASSES = ['intact', 'mildly-damaged', 'broken'] as const;
export type ParticleClassName = (typeof PARTICLE_CLASSES)[number];

/** A measured class fraction: the share of particles in `class` after `cycle` cycles. */
export interface FractionTarget {
  cycle: number;
  class: ParticleClassName;
  fraction: number;
}

/** Class counts of an ensemble at one cycle; `n` = classified particles (failed runs excluded). */
export interface ClassCounts {
  intact: number;
  'mildly-damaged': number;
  broken: number;
  n: number;
}

export function classCounts(classes: readonly (string | null | undefined)[]): ClassCounts {
  const counts: ClassCounts = { intact: 0, 'mildly-damaged': 0, broken: 0, n: 0 };
  for (const c of classes) {
    if (c === 'intact' || c === 'mildly-damaged' || c === 'broken') {
      counts[c]++;
      counts.n++;
    }
  }
  return counts;
}

/**
 * The misfit the calibration minimises: the sum of squared differences between simulated and measured fractions,
 *
 *     J(θ) = Σ_t ( k_t(θ) / n(θ) − f_t )²,
 *
 * over the targets t (cycle, class, measured fraction f_t); k_t / n is the ensemble's fraction of that class at that
 * cycle. Unweighted: every target fraction counts the same. `observed(cycle)` gives the ensemble's counts at a
 * cycle; a target at a cycle with no classified particle makes J = NaN (that point cannot be scored).
 */
export function misfit(targets: readonly FractionTarget[], observed: (cycle: number) => ClassCounts): number {
  let sum = 0;
  for (const t of targets) {
    const c = observed(t.cycle);
    if (c.n === 0) return NaN;
    const d = c[t.class] / c.n - t.fraction;
    sum += d * d;
  }
  return sum;
}

/** z of the two-sided 95 % normal interval, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval of a binomial fraction (k successes in n trials, confidence given by z):
 *
 *     p̂ = k/n,   centre = (p̂ + z²/(2n)) / (1 + z²/n),
 *     half width = z / (1 + z²/n) · sqrt( p̂(1 − p̂)/n + z²/(4n²) ).
 *
 * Unlike the normal (Wald) interval it stays inside [0, 1] and is not empty at k = 0 or k = n, which matters for
 * ensembles of a few particles. n = 0 gives [0, 1].
 */
export function wilsonInterval(k: number, n: number, z = Z_95): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Two-sided 97.5 % quantiles of Student's t for 1–30 degrees of freedom (tables); beyond 30 the normal z. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Mean and 95 % t interval of the mean, mean ± t(0.975, n − 1) · s / √n (s the sample standard deviation), of the
 * finite values; the interval is NaN with fewer than two values.
 */
export function meanInterval(values: readonly number[]): { mean: number; lower: number; upper: number; n: number } {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < 2) return { mean, lower: NaN, upper: NaN, n };
  const s = Math.sqrt(v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1));
  const t = n - 1 <= T_975.length ? T_975[n - 2] : Z_95;
  const half = (t * s) / Math.sqrt(n);
  return { mean, lower: mean - half, upper: mean + half, n };
}
