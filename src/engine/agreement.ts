/**
 * How closely two runs of the same particle agree on grain-boundary damage: the yardstick of the damage scheme's
 * accuracy against a tight reference (docs/solver.md, `test/verification/implex-accuracy.test.ts`,
 * `bench/accuracy.ts`). Both runs must share the mesh (same config apart from the solver).
 *
 *   maxDamageMeanDifference = max over the reference's steps k of |D̄_other(SoC_k) − D̄_ref(SoC_k)|,
 *     D̄_other linearly interpolated in SoC between its own steps;
 *   crackedInCommon = L(cracked in both) / max(L(cracked in ref), L(cracked in other)),
 *     cracked = interface damage ≥ CRACKED_DAMAGE, L = grain-boundary length.
 */
import { INTERFACE_GRAIN_BOUNDARY } from '../mesh/types.js';
import { CRACKED_DAMAGE, interfaceDamage } from './metrics.js';
import type { Simulation, StepRecord } from './simulation.js';

export interface DamageAgreement {
  maxDamageMeanDifference: number;
  crackedInCommon: number;
  /** Cracked grain-boundary length (µm) in the reference and in the other run. */
  crackedLengthReference_um: number;
  crackedLengthOther_um: number;
}

/**
 * |D̄_other(SoC_k) − D̄_ref(SoC_k)| at each of the reference's steps k, D̄_other linearly interpolated in SoC between
 * its own steps (see the file header).
 */
export function damageMeanDifferences(reference: StepRecord[], other: StepRecord[]): Float64Array {
  const out = new Float64Array(reference.length);
  let j = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = reference[k];
    while (j < other.length - 2 && other[j + 1].soc < r.soc) j++;
    const a = other[j];
    const b = other[Math.min(j + 1, other.length - 1)];
    const w = b.soc > a.soc ? Math.min(1, Math.max(0, (r.soc - a.soc) / (b.soc - a.soc))) : 0;
    out[k] = Math.abs(a.damage_mean + w * (b.damage_mean - a.damage_mean) - r.damage_mean);
  }
  return out;
}

/** max_k |D̄_other(SoC_k) − D̄_ref(SoC_k)| over the reference's steps (see the file header). */
export function maxDamageMeanDifference(reference: StepRecord[], other: StepRecord[]): number {
  let worst = 0;
  for (const d of damageMeanDifferences(reference, other)) worst = Math.max(worst, d);
  return worst;
}

export function damageAgreement(reference: Simulation, other: Simulation): DamageAgreement {
  const mesh = reference.scenario.mesh;
  if (other.scenario.mesh.interfaceCount !== mesh.interfaceCount)
    throw new Error('damageAgreement: the two runs do not share the mesh');
  const L = reference.scenario.interfaceLength_um;
  const dr = interfaceDamage(reference.kernel.damage(), new Float64Array(mesh.interfaceCount));
  const de = interfaceDamage(other.kernel.damage(), new Float64Array(mesh.interfaceCount));
  let lr = 0;
  let le = 0;
  let both = 0;
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    const cr = dr[i] >= CRACKED_DAMAGE;
    const ce = de[i] >= CRACKED_DAMAGE;
    if (cr) lr += L[i];
    if (ce) le += L[i];
    if (cr && ce) both += L[i];
  }
  return {
    maxDamageMeanDifference: maxDamageMeanDifference(reference.history, other.history),
    crackedInCommon: Math.max(lr, le) > 0 ? both / Math.max(lr, le) : 1,
    crackedLengthReference_um: lr,
    crackedLengthOther_um: le,
  };
}
