/**
 * Cohesive interface law (bilinear, damage-based) and the interface frame; kernel-api.ts fixes the conventions.
 *
 * Interface element [a0, a1, b0, b1]: t = (X(a1) − X(a0)) / L, n = (t_y, −t_x); jump δ = u_b − u_a at the node pairs
 * p = 0 (a0, b0) and p = 1 (a1, b1), weight L/2 each; δn = δ·n, δs = δ·t.
 *
 *   λ = sqrt(⟨δn⟩² + δs²),  κ = max(κ_committed, λ),  λ0 = σ_max / K,  λf = 2 G_c / σ_max,
 *   D_static(κ) = 0 (κ ≤ λ0),  λf (κ − λ0) / (κ (λf − λ0)) (λ0 < κ < λf),  1 (κ ≥ λf),
 *   viscous (Gao–Bower): D = (D_n + (Δt/η) D_static) / (1 + Δt/η),  D = max(D_committed, D),
 *   s = max(1 − D, 1e-8):  Tn = s K δn (δn ≥ 0), K δn (δn < 0);  Ts = s K δs.
 * Secant stiffness at a point: k = kn n nᵀ + ks t tᵀ with kn = K in contact, s K otherwise; ks = s K.
 * Fatigue below the envelope (λ < κ_committed): D ← min(1, max(D, D_n + ΔD)) with ΔD of `fatigueDamageIncrement`,
 * and κ ← max(κ, κ(D)) (`kappaOfDamage`); on the envelope nothing changes (docs/physics.md §9).
 *
 * Results go to caller-owned blocks (`op(out, …)`): a frame block [n_x, n_y, t_x, t_y, L] (FRAME_* slots) and
 * pairs [normal, shear] for openings and tractions.
 */
import * as S from './state';

export const STIFFNESS_FLOOR: f64 = 1e-8;

/** Slots of a frame block (f64). */
export const FRAME_NX: i32 = 0;
export const FRAME_NY: i32 = 1;
export const FRAME_TX: i32 = 2;
export const FRAME_TY: i32 = 3;
export const FRAME_LENGTH: i32 = 4;
export const FRAME_BLOCK_BYTES: i32 = 48;

/** Tangent, normal and length of interface e into the frame block `out`. */
export function interfaceFrame(out: usize, e: i32): void {
  const en = S.interfaceNodes + <usize>(4 * e) * 4;
  const pa0 = S.coords + ((<usize>load<i32>(en)) << 4);
  const pa1 = S.coords + ((<usize>load<i32>(en, 4)) << 4);
  const dx = load<f64>(pa1) - load<f64>(pa0);
  const dy = load<f64>(pa1, 8) - load<f64>(pa0, 8);
  const L = Math.sqrt(dx * dx + dy * dy);
  const tx = dx / L;
  const ty = dy / L;
  store<f64>(out + ((<usize>FRAME_NX) << 3), ty);
  store<f64>(out + ((<usize>FRAME_NY) << 3), -tx);
  store<f64>(out + ((<usize>FRAME_TX) << 3), tx);
  store<f64>(out + ((<usize>FRAME_TY) << 3), ty);
  store<f64>(out + ((<usize>FRAME_LENGTH) << 3), L);
}

/** out = [δn, δs] (µm), δ = u_b − u_a at pair p of interface e, in the frame block `frame` of e. */
export function pointOpening(out: usize, frame: usize, e: i32, p: i32): void {
  const en = S.interfaceNodes + <usize>(4 * e) * 4;
  const ua = S.displacement + ((<usize>load<i32>(en + ((<usize>p) << 2))) << 4);
  const ub = S.displacement + ((<usize>load<i32>(en + ((<usize>(2 + p)) << 2))) << 4);
  const jx = load<f64>(ub) - load<f64>(ua);
  const jy = load<f64>(ub, 8) - load<f64>(ua, 8);
  store<f64>(out, jx * S.field(frame, FRAME_NX) + jy * S.field(frame, FRAME_NY));
  store<f64>(out, jx * S.field(frame, FRAME_TX) + jy * S.field(frame, FRAME_TY), 8);
}

/** Static bilinear damage D(κ). */
export function staticDamage(kappa: f64, lambda0: f64, lambdaF: f64): f64 {
  if (kappa <= lambda0) return 0;
  if (kappa >= lambdaF) return 1;
  return (lambdaF * (kappa - lambda0)) / (kappa * (lambdaF - lambda0));
}

/**
 * κ on the bilinear envelope for damage D, the inverse of `staticDamage` on its softening branch:
 *   κ(D) = λ0 λf / (λf − D (λf − λ0))   (0 < D < 1),   λf for D ≥ 1,   0 for D ≤ 0.
 */
export function kappaOfDamage(D: f64, lambda0: f64, lambdaF: f64): f64 {
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
  Dn: f64,
  lambda: f64,
  lambdaPrev: f64,
  K: f64,
  sigmaMax: f64,
  sigmaF: f64,
  deltaSigma: f64,
): f64 {
  if (deltaSigma <= 0) return 0;
  const drive = ((1.0 - Dn) * K * lambda) / sigmaMax - sigmaF / sigmaMax;
  if (drive <= 0) return 0;
  return (Math.abs(lambda - lambdaPrev) / deltaSigma) * drive;
}

/** s = max(1 − D, 1e-8). */
export function stiffnessFactor(D: f64): f64 {
  return max(1.0 - D, STIFFNESS_FLOOR);
}

/** out = [Tn, Ts] (MPa): bilinear-law traction for opening (δn, δs), damage D and penalty K (undamaged in compression). */
export function cohesiveTraction(out: usize, dn: f64, ds: f64, D: f64, K: f64): void {
  const s = stiffnessFactor(D);
  store<f64>(out, dn >= 0 ? s * K * dn : K * dn);
  store<f64>(out, s * K * ds, 8);
}
