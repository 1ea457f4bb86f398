/**
 * Cohesive interface law (bilinear, damage-based) and the interface frame (mirrors assembly/cohesive.ts; the
 * conventions are those of kernel-api.ts).
 *
 * Interface element [a0, a1, b0, b1]: t = (X(a1) − X(a0)) / L, n = (t_y, −t_x); jump δ = u_b − u_a at the node pairs
 * p = 0 (a0, b0) and p = 1 (a1, b1), weight L/2 each; δn = δ·n, δs = δ·t.
 *
 *   λ = sqrt(⟨δn⟩² + δs²),  κ = max(κ_committed, λ),  λ0 = σ_max / K,  λf = 2 G_c / σ_max,
 *   D_static(κ) = 0 (κ ≤ λ0),  λf (κ − λ0) / (κ (λf − λ0)) (λ0 < κ < λf),  1 (κ ≥ λf),
 *   s = max(1 − D, 1e-8):  Tn = s K δn (δn ≥ 0), K δn (δn < 0);  Ts = s K δs.
 */
import type { KernelSetup } from '../kernel-api.js';

/** Stiffness factor floor: s = max(1 − D, 1e-8) keeps a fully cracked, floating grain non-singular. */
export const STIFFNESS_FLOOR = 1e-8;

/** Slots of a frame record (5 per interface). */
export const FRAME_NX = 0;
export const FRAME_NY = 1;
export const FRAME_TX = 2;
export const FRAME_TY = 3;
export const FRAME_LENGTH = 4;
export const FRAME_STRIDE = 5;

/** Normal, tangent and length of interface e into `out` at `FRAME_STRIDE · e`. */
export function interfaceFrame(out: Float64Array, s: KernelSetup, e: number): void {
  const a0 = s.interfaceNodes[4 * e],
    a1 = s.interfaceNodes[4 * e + 1];
  const dx = s.coords_um[2 * a1] - s.coords_um[2 * a0];
  const dy = s.coords_um[2 * a1 + 1] - s.coords_um[2 * a0 + 1];
  const L = Math.hypot(dx, dy);
  const tx = dx / L,
    ty = dy / L;
  out.set([ty, -tx, tx, ty, L], FRAME_STRIDE * e);
}

/** [δn, δs] (µm): δ = u_b − u_a at pair p of interface e, in the frames of `interfaceFrame`. */
export function pointOpening(
  frames: Float64Array,
  s: KernelSetup,
  u: Float64Array,
  e: number,
  p: number,
): [number, number] {
  const a = s.interfaceNodes[4 * e + p],
    b = s.interfaceNodes[4 * e + 2 + p];
  const dx = u[2 * b] - u[2 * a],
    dy = u[2 * b + 1] - u[2 * a + 1];
  const f = FRAME_STRIDE * e;
  return [dx * frames[f + FRAME_NX] + dy * frames[f + FRAME_NY], dx * frames[f + FRAME_TX] + dy * frames[f + FRAME_TY]];
}

/** Static bilinear damage D(κ). */
export function staticDamage(kappa: number, lambda0: number, lambdaF: number): number {
  if (kappa <= lambda0) return 0;
  if (kappa >= lambdaF) return 1;
  return (lambdaF * (kappa - lambda0)) / (kappa * (lambdaF - lambda0));
}

/** s = max(1 − D, 1e-8). */
export function stiffnessFactor(D: number): number {
  return Math.max(1 - D, STIFFNESS_FLOOR);
}

/** [Tn, Ts] (MPa): bilinear-law traction for opening (δn, δs), damage D and penalty K (undamaged in compression). */
export function cohesiveTraction(dn: number, ds: number, D: number, K: number): [number, number] {
  const sf = stiffnessFactor(D);
  return [dn >= 0 ? sf * K * dn : K * dn, sf * K * ds];
}
