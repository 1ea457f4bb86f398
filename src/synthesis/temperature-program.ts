/**
 * The temperature program T(t) (docs/synthesis.md §1): piecewise linear, ramps at a constant rate and holds.
 * A ramp from T_a to T_b at r °C/min lasts |T_b − T_a| / r min and T(t) = T_a + sign(T_b − T_a) · r · (t − t_a)/60;
 * a hold keeps T. Arrhenius rates: k(T) = k_ref · exp(−Ea/R · (1/T − 1/T_ref)), T in kelvin.
 */
import { exp } from '../math/portable.js';
export const GAS_CONSTANT_J_MOL_K = 8.314462618;
export const KELVIN_OFFSET = 273.15;

export interface ProgramSegment {
  /** Index of the step in the config's `steps`. */
  index: number;
  kind: 'ramp' | 'hold';
  t0_s: number;
  t1_s: number;
  T0_C: number;
  T1_C: number;
}

export interface TemperatureProgram {
  segments: ProgramSegment[];
  duration_s: number;
  /** T(t) in °C; constant after the end (the quench freezes the state). */
  at(t_s: number): number;
}

export type ProgramStep = { ramp_C_per_min: number; to_C: number } | { hold_min: number };

export function compileProgram(start_C: number, steps: ProgramStep[]): TemperatureProgram {
  const segments: ProgramSegment[] = [];
  let t = 0;
  let T = start_C;
  steps.forEach((s, index) => {
    if ('to_C' in s) {
      const d = (Math.abs(s.to_C - T) / s.ramp_C_per_min) * 60;
      segments.push({ index, kind: 'ramp', t0_s: t, t1_s: t + d, T0_C: T, T1_C: s.to_C });
      t += d;
      T = s.to_C;
    } else {
      const d = s.hold_min * 60;
      segments.push({ index, kind: 'hold', t0_s: t, t1_s: t + d, T0_C: T, T1_C: T });
      t += d;
    }
  });
  const at = (time: number): number => {
    if (segments.length === 0 || time <= 0) return start_C;
    for (const g of segments)
      if (time <= g.t1_s) {
        if (g.kind === 'hold' || g.t1_s === g.t0_s) return g.T0_C;
        const s = (time - g.t0_s) / (g.t1_s - g.t0_s);
        return g.T0_C + s * (g.T1_C - g.T0_C);
      }
    return T;
  };
  return { segments, duration_s: t, at };
}

/** Arrhenius factor exp(−Ea/R · (1/T − 1/T_ref)), temperatures in °C, Ea in kJ/mol. */
export function arrheniusFactor(T_C: number, Tref_C: number, Ea_kJ_mol: number): number {
  const T = T_C + KELVIN_OFFSET;
  const Tref = Tref_C + KELVIN_OFFSET;
  return exp(((-Ea_kJ_mol * 1e3) / GAS_CONSTANT_J_MOL_K) * (1 / T - 1 / Tref));
}

/** The prefactor k0 of k = k0 exp(−Ea/RT) that a value k_ref at T_ref implies (reported in summary.json). */
export function arrheniusPrefactor(k_ref: number, Tref_C: number, Ea_kJ_mol: number): number {
  return k_ref * exp((Ea_kJ_mol * 1e3) / (GAS_CONSTANT_J_MOL_K * (Tref_C + KELVIN_OFFSET)));
}
