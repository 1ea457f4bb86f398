/**
 * The local reactions at one node over one step (docs/synthesis.md §3), after the transport solve (operator
 * splitting). With a = 1 − X_L − X_RS the untransformed precursor and c held at c* over the step:
 *
 *   da/dt     = −(k_L c* + k_D) a                      lithiation and decomposition compete for the precursor
 *   dX_RS/dt  =  k_D a − k_RS c* X_RS                  rock salt forms, and lithiates slowly (k_RS ≪ k_L)
 *   dX_L/dt   =  k_L c* a + k_RS c* X_RS               (so X_L + X_RS + a = 1)
 *   dY/dt     =  k_D a                                  Y: precursor ever decomposed (void source φ = ν_v Y)
 *   dc        = −β dX_L                                 Li bound into the layered oxide leaves the solution
 *
 * These are linear with constant coefficients, so the update is their exact exponential solution:
 *   a(t) = a₀ e^{−λt}, λ = k_L c* + k_D,
 *   X_RS(t) = X_RS₀ e^{−μt} + k_D a₀ e^{−μt} (1 − e^{−(λ−μ)t})/(λ − μ), μ = k_RS c*.
 * c* is the mean of c at the start and the end of the step (two fixed-point passes from c* = c₀). Li is
 * conserved by construction: c₁ = c₀ − β (X_L,1 − X_L,0) exactly; when the solution would run dry (β ΔX_L > c₀)
 * the lithiation is cut to use c₀ and no more. With β → 0 (or a source that holds c) X_L and X_RS are the closed
 * form of two competing first-order reactions: X_L + X_RS = 1 − e^{−(k_L c + k_D) t},
 * X_L / X_RS = k_L c / k_D (when X_RS does not lithiate).
 */
import { exp, expm1 } from '../math/portable.js';

export interface NodeState {
  c: number;
  XL: number;
  XRS: number;
  Y: number;
}

/** (e^{−μt} − e^{−λt}) / (λ − μ), stable for λ ≈ μ. */
function competingKernel(lambda: number, mu: number, t: number): number {
  const d = (lambda - mu) * t;
  const emu = exp(-mu * t);
  if (Math.abs(d) < 1e-8) return t * emu * (1 - d / 2);
  return (emu * -expm1(-d)) / (lambda - mu);
}

export interface ReactionRates {
  k_L: number;
  k_D: number;
  k_RS: number;
}

/** Advance one node's reactions over dt, in place. β: Li bound per unit X_L (in units of c). */
export function reactNode(s: NodeState, r: ReactionRates, beta: number, dt: number): void {
  const c0 = s.c;
  const a0 = Math.max(0, 1 - s.XL - s.XRS);
  const X0 = s.XL;
  const R0 = s.XRS;
  let cStar = Math.max(0, c0);
  let a1 = a0;
  let R1 = R0;
  let X1 = X0;
  let lambda = r.k_D;
  for (let pass = 0; pass < 3; pass++) {
    lambda = r.k_L * cStar + r.k_D;
    const mu = r.k_RS * cStar;
    a1 = a0 * exp(-lambda * dt);
    R1 = R0 * exp(-mu * dt) + r.k_D * a0 * competingKernel(lambda, mu, dt);
    X1 = 1 - a1 - R1;
    if (X1 < X0) X1 = X0; // round-off only
    const cEnd = c0 - beta * (X1 - X0);
    if (beta === 0 || pass === 2) break;
    cStar = Math.max(0, 0.5 * (Math.max(0, c0) + Math.max(0, cEnd)));
  }
  // Never bind more Li than the solution holds.
  const available = Math.max(0, c0);
  if (beta * (X1 - X0) > available) X1 = X0 + available / beta;
  // ∫ k_D a dt over the step.
  s.Y += lambda > 0 ? (r.k_D * a0 * -expm1(-lambda * dt)) / lambda : r.k_D * a0 * dt;
  s.XRS = R1;
  s.XL = X1;
  s.c = c0 - beta * (X1 - X0);
}
