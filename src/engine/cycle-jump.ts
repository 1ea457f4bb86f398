/**
 * Cycle jumps (Cojocaru & Karlsson, Int. J. Fatigue 28, 2006; docs/physics.md §9): between resolved cycles the
 * damage of every interface point is extrapolated over ΔN cycles from its change over the last resolved cycle.
 *
 *   ΔD_p  = D_p(end of cycle N) − D_p(start of cycle N)              per point p, the last resolved cycle N
 *   ΔN    = ⌊ΔD_tol / max_p ΔD_p⌋,  limited so that the next resolved cycle N + ΔN + 1 is neither past the next
 *           cycle of output.cycles nor past the last cycle (an output cycle is never jumped over)
 *   D_p  ← min(1, D_p + ΔN ΔD_p),   κ_p ← max(κ_p, κ(D_p)),   κ(D) = λ0 λf / (λf − D (λf − λ0))
 *
 * κ(D) is the inverse of the bilinear D_static(κ) (§3.4), so the extrapolated point sits on its softening envelope
 * and reloads on it. The Li field and the displacement are those at the end of cycle N: the next resolved cycle
 * starts from the state at the end of a cycle, only with more damage. No jump before 2 resolved cycles (the first
 * charge's damage is not fatigue) or when ΔN < 1.
 */
import type { Kernel } from './kernel-api.js';
import type { Scenario } from '../scenario/build.js';
// κ(D), the inverse of the bilinear D(κ): the cohesive law is written once per language (the TS one is the oracle's).
import { kappaOfDamage } from './ts-kernel/cohesive.js';

export { kappaOfDamage };

/**
 * Cycles to jump over after the resolved cycle `cycle`: 0 for none. `rate` is the largest per-point damage change
 * of that cycle; `nextOutput` the next cycle that must be resolved (an output cycle or the last cycle).
 */
export function jumpLength(opts: {
  cycle: number;
  resolvedCycles: number;
  maxRate: number;
  tolerance: number;
  nextResolved: number;
}): number {
  const { cycle, resolvedCycles, maxRate, tolerance, nextResolved } = opts;
  if (resolvedCycles < 2) return 0;
  const room = nextResolved - cycle - 1;
  if (room < 1) return 0;
  const byDamage = maxRate > 0 ? Math.floor(tolerance / maxRate) : room;
  return Math.max(0, Math.min(room, byDamage));
}

/** Largest per-point damage change since `start` (damageable points only; others stay 0). */
export function maxDamageRate(kernel: Kernel, start: Float64Array): number {
  const D = kernel.damage();
  let m = 0;
  for (let p = 0; p < D.length; p++) m = Math.max(m, D[p] - start[p]);
  return m;
}

/** Apply a jump of ΔN cycles to the kernel state (see the file comment); returns the largest damage increment. */
export function applyCycleJump(kernel: Kernel, scenario: Scenario, start: Float64Array, dN: number): number {
  const state = kernel.exportState();
  const { interfaceMaterial, interfaceMaterials } = scenario.setup;
  let largest = 0;
  for (let p = 0; p < state.damage.length; p++) {
    const m = interfaceMaterials[interfaceMaterial[p >> 1]];
    const rate = state.damage[p] - start[p];
    if (!m.damageable || !(rate > 0)) continue;
    const D = Math.min(1, state.damage[p] + dN * rate);
    largest = Math.max(largest, D - state.damage[p]);
    state.damage[p] = D;
    const lambda0 = m.strength_MPa / m.penalty_MPa_per_um;
    const lambdaF = (2 * m.Gc_J_m2) / m.strength_MPa;
    state.kappa[p] = Math.max(state.kappa[p], kappaOfDamage(D, lambda0, lambdaF));
  }
  kernel.importState(state);
  return largest;
}
