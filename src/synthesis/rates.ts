/**
 * All rates of the synthesis model at a temperature (docs/synthesis.md §2): Arrhenius in T(t), in the engine's
 * units (µm, s). The pinning factor of LixWOy on coarsening and the surface blocking of the WO3 layer depend on
 * the ALD cycle count N only.
 */
import type { SynthesisSection } from './config.js';
import { arrheniusFactor } from './temperature-program.js';
import { exp } from '../math/portable.js';

export interface RatesAtT {
  T_C: number;
  D_bulk_um2_s: number;
  D_GB_delta_um3_s: number;
  k_L_per_s: number;
  k_D_per_s: number;
  k_RS_per_s: number;
  k_c_per_s: number;
  h_surface_um_s: number;
}

export function ratesAt(s: SynthesisSection, T_C: number): RatesAtT {
  const r = s.rates;
  const Tr = r.reference_temperature_C;
  const k_L = r.k_L_per_s * arrheniusFactor(T_C, Tr, r.Ea_L_kJ_mol);
  return {
    T_C,
    D_bulk_um2_s: r.D_bulk_um2_per_s * arrheniusFactor(T_C, Tr, r.Ea_bulk_kJ_mol),
    D_GB_delta_um3_s: r.D_GB_delta_um3_per_s * arrheniusFactor(T_C, Tr, r.Ea_GB_kJ_mol),
    k_L_per_s: k_L,
    k_D_per_s: r.k_D_per_s * arrheniusFactor(T_C, Tr, r.Ea_D_kJ_mol),
    k_RS_per_s: k_L * r.rock_salt_lithiation_ratio,
    k_c_per_s: r.k_c_per_s * arrheniusFactor(T_C, Tr, r.Ea_c_kJ_mol),
    h_surface_um_s:
      s.li_source.surface_exchange_um_per_s *
      arrheniusFactor(T_C, Tr, s.li_source.Ea_surface_kJ_mol) *
      surfaceBlocking(s),
  };
}

/** ALD cycle count (0 when bare). */
export function aldCycles(s: SynthesisSection): number {
  return s.coating ? s.coating.ald_cycles : 0;
}

/** Pinning factor of k_c far from the W: f(N) = 1 − (1 − f_min)(1 − exp(−N/N_sat)); 1 when bare. */
export function pinningFactor(s: SynthesisSection): number {
  const N = aldCycles(s);
  return 1 - (1 - s.pinning.min_factor) * (1 - exp(-N / s.pinning.saturation_cycles));
}

/** The pinning at depth R − r: 1 − (1 − f(N)) exp(−(R − r)/ℓ_W). */
export function localPinning(s: SynthesisSection, depth_um: number): number {
  const f = pinningFactor(s);
  return 1 - (1 - f) * exp(-Math.max(0, depth_um) / s.pinning.depth_um);
}

/** The WO3 layer slows the Li uptake through the surface: exp(−N/N_block). */
export function surfaceBlocking(s: SynthesisSection): number {
  return exp(-aldCycles(s) / s.pinning.blocking_cycles);
}
