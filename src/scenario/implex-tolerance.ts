/**
 * The IMPL-EX mean tolerance of a particle (`solver.implex_mean_tolerance`, default "auto"; docs/solver.md,
 * "Accuracy against cost").
 *
 * The accuracy target is on D̄(SoC), the length-weighted mean grain-boundary damage: within 0.01 of the tight
 * implicit reference. Its error comes from boundaries that damage or snap a little earlier or later than in the
 * reference, each weighing w_b = L_b / Σ L in D̄. For independent errors per boundary the error of D̄ falls as
 * 1/√N_eff (N_eff the effective number of boundaries, src/mesh/effective-boundary-count.ts), so the per-step error
 * of D̄ that the step-size control allows can grow as √N_eff at the same accuracy of D̄:
 *
 *   implex_mean_tolerance = 1e-4 · √(N_eff / 50).
 *
 * 1e-4 at 50 boundaries is the tolerance measured to hold the target on the 25-grain accuracy particle (N_eff 43–46):
 * at 2e-4 two of its five seeds miss it. The square root is the independent-error bound; the measured margin is
 * larger (bench/accuracy.ts, `--sizes`: at 100 grains, N_eff ≈ 210, 4e-4 still holds the target on five seeds, the
 * law gives 2.1e-4). An explicit number in the config is used as given.
 */
import type { ResolvedConfig } from './resolve.js';

/** Mean tolerance of the law at `IMPLEX_REFERENCE_BOUNDARIES` effective boundaries (the accuracy particle's). */
export const IMPLEX_MEAN_TOLERANCE_AT_REFERENCE = 1e-4;
/** Effective boundary count at which the law gives `IMPLEX_MEAN_TOLERANCE_AT_REFERENCE`. */
export const IMPLEX_REFERENCE_BOUNDARIES = 50;

/** implex_mean_tolerance for a particle of `effectiveBoundaries` (N_eff > 0) by the law above. */
export function implexMeanToleranceOfSize(effectiveBoundaries: number): number {
  return IMPLEX_MEAN_TOLERANCE_AT_REFERENCE * Math.sqrt(Math.max(effectiveBoundaries, 1) / IMPLEX_REFERENCE_BOUNDARIES);
}

/** The mean tolerance a run uses: the config's number, or the law's value for "auto". */
export function implexMeanTolerance(solver: ResolvedConfig['solver'], effectiveBoundaries: number): number {
  const t = solver.implex_mean_tolerance;
  return t === 'auto' ? implexMeanToleranceOfSize(effectiveBoundaries) : t;
}
