/**
 * Statistics of a particle ensemble, shared by the calibration study, the browser app's ensemble view and the
 * sweep tables' readers: the class counts (docs/physics.md §5), the Wilson interval of a class fraction and the
 * histogram of a per-particle value. Plain functions, no files (the class names are the engine's).
 */

import { PARTICLE_CLASSES, type ParticleClass } from '../engine/metrics.js';

export { PARTICLE_CLASSES };

/** Class counts of an ensemble at one cycle; `n` = classified particles (failed runs excluded). */
export type ClassCounts = Record<ParticleClass, number> & { n: number };

export function classCounts(classes: readonly (string | null | undefined)[]): ClassCounts {
  const counts: ClassCounts = { intact: 0, 'mildly-damaged': 0, broken: 0, n: 0 };
  for (const c of classes) {
    if ((PARTICLE_CLASSES as readonly unknown[]).includes(c)) {
      counts[c as ParticleClass]++;
      counts.n++;
    }
  }
  return counts;
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

/**
 * Counts of `values` in `bins` equal bins over [lo, hi]: bin i holds lo + i·w ≤ v < lo + (i + 1)·w (w = (hi − lo) /
 * bins), the last bin also v = hi. Values outside [lo, hi] or not finite are counted in `outside`, not in a bin.
 */
export function histogram(
  values: readonly number[],
  bins: number,
  lo: number,
  hi: number,
): { counts: number[]; edges: number[]; outside: number } {
  if (!(Number.isInteger(bins) && bins >= 1) || !(hi > lo))
    throw new RangeError(`histogram: got bins = ${bins}, range [${lo}, ${hi}]; allowed: an integer ≥ 1 and lo < hi`);
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  let outside = 0;
  for (const v of values) {
    if (!(v >= lo && v <= hi)) {
      outside++;
      continue;
    }
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { counts, edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), outside };
}
