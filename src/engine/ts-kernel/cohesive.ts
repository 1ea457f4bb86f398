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
 * Fatigue below the envelope (λ < κ_committed): D ← min(1, max(D, D_n + ΔD)) with ΔD of `fatigueDamageIncrement`,
 * and κ ← max(κ, κ(D)) (`kappaOfDamage`); on the envelope nothing changes (docs/physics.md §9).
 */
import type { KernelSetup } from '../kernel-api.js';
import { hypot } from '../../math/portable.js';

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
  const L = hypot(dx, dy);
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

/**
 * κ on the bilinear envelope for damage D, the inverse of `staticDamage` on its softening branch:
 *   κ(D) = λ0 λf / (λf − D (λf − λ0))   (0 < D < 1),   λf for D ≥ 1,   0 for D ≤ 0.
 */
export function kappaOfDamage(D: number, lambda0: number, lambdaF: number): number {
  if (D <= 0) return 0;
  if (D >= 1) return lambdaF;
  return (lambda0 * lambdaF) / (lambdaF - D * (lambdaF - lambda0));
}

/**
 * Cohesive fatigue below the envelope (docs/physics.md §9, after Roe & Siegmund, Eng. Fract. Mech. 70, 209 (2003)):
 * the damage increment of a step in which a point with λ < κ_committed moves from λ_n to λ,
 *   ΔD = |λ − λ_n| / δ_Σ · max(0, (1 − D_n) K λ / σ_max − σ_f / σ_max),
 * D_n the committed damage, σ_f the endurance traction, δ_Σ the accumulation length; 0 when δ_Σ ≤ 0 (no fatigue).
 */
export function fatigueDamageIncrement(
  Dn: number,
  lambda: number,
  lambdaPrev: number,
  K: number,
  sigmaMax: number,
  sigmaF: number,
  deltaSigma: number,
): number {
  if (deltaSigma <= 0) return 0;
  const drive = ((1.0 - Dn) * K * lambda) / sigmaMax - sigmaF / sigmaMax;
  if (drive <= 0) return 0;
  return (Math.abs(lambda - lambdaPrev) / deltaSigma) * drive;
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
