/**
 * The statistics of the calibration study (docs/calibration.md): class fractions of an ensemble, the misfit that is
 * minimised, the Wilson interval of a binomial fraction and the t interval of a mean. Plain functions, no engine.
 */
import { Z_95, type ClassCounts, type ParticleClass } from '../../src/index.js';

// The class counts and the Wilson interval are the library's (the browser app's ensemble view uses them too).
export { PARTICLE_CLASSES, Z_95, classCounts, wilsonInterval } from '../../src/index.js';
export type { ClassCounts, ParticleClass } from '../../src/index.js';

/** A measured class fraction: the share of particles in `class` after `cycle` cycles. */
export interface FractionTarget {
  cycle: number;
  class: ParticleClass;
  fraction: number;
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
