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
 */
import * as S from './state';

export const STIFFNESS_FLOOR: f64 = 1e-8;

/** Frame of the last `interfaceFrame` call. */
export let frameNx: f64 = 0;
export let frameNy: f64 = 0;
export let frameTx: f64 = 0;
export let frameTy: f64 = 0;
export let frameL: f64 = 0;

/** Tangent, normal and length of interface e into the frame scratch. */
export function interfaceFrame(e: i32): void {
  const en = S.interfaceNodes + <usize>(4 * e) * 4;
  const pa0 = S.coords + ((<usize>load<i32>(en)) << 4);
  const pa1 = S.coords + ((<usize>load<i32>(en, 4)) << 4);
  const dx = load<f64>(pa1) - load<f64>(pa0);
  const dy = load<f64>(pa1, 8) - load<f64>(pa0, 8);
  const L = Math.sqrt(dx * dx + dy * dy);
  frameL = L;
  frameTx = dx / L;
  frameTy = dy / L;
  frameNx = frameTy;
  frameNy = -frameTx;
}

/** Opening of the last `pointOpening` call: δn, δs (µm). */
export let openingN: f64 = 0;
export let openingS: f64 = 0;

/** δ = u_b − u_a at pair p of interface e (frame from `interfaceFrame(e)`). */
export function pointOpening(e: i32, p: i32): void {
  const en = S.interfaceNodes + <usize>(4 * e) * 4;
  const ua = S.displacement + ((<usize>load<i32>(en + ((<usize>p) << 2))) << 4);
  const ub = S.displacement + ((<usize>load<i32>(en + ((<usize>(2 + p)) << 2))) << 4);
  const jx = load<f64>(ub) - load<f64>(ua);
  const jy = load<f64>(ub, 8) - load<f64>(ua, 8);
  openingN = jx * frameNx + jy * frameNy;
  openingS = jx * frameTx + jy * frameTy;
}

/** Static bilinear damage D(κ). */
export function staticDamage(kappa: f64, lambda0: f64, lambdaF: f64): f64 {
  if (kappa <= lambda0) return 0;
  if (kappa >= lambdaF) return 1;
  return (lambdaF * (kappa - lambda0)) / (kappa * (lambdaF - lambda0));
}

/** s = max(1 − D, 1e-8). */
export function stiffnessFactor(D: f64): f64 {
  return max(1.0 - D, STIFFNESS_FLOOR);
}

/** Traction of the last `cohesiveTraction` call: Tn, Ts (MPa). */
export let tractionN: f64 = 0;
export let tractionS: f64 = 0;

/** Bilinear-law traction for opening (δn, δs), damage D and penalty K (undamaged in compression). */
export function cohesiveTraction(dn: f64, ds: f64, D: f64, K: f64): void {
  const s = stiffnessFactor(D);
  tractionN = dn >= 0 ? s * K * dn : K * dn;
  tractionS = s * K * ds;
}
