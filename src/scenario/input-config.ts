/**
 * A resolved config written back in the form a user writes: what `summary.json` stores as `config`, so that
 * `chemofrac run summary.json`-style reuse works (`config` fed back to `resolveConfig` gives the same resolved
 * config, hence the same run). Every default is explicit; derived values that the resolver would derive again
 * (the mean grain diameter from the grain count, the cohesive penalty K = 50 E / d) are left out, so that the
 * config names the same preset without overrides when the run used the preset as it is.
 */
import type { MaterialSpec } from '../materials/presets.js';
import { DEFAULT_MATERIAL, MATERIAL_PRESET_NAMES } from '../materials/presets.js';
import type { UserConfig } from './config-schema.js';
import { derivedPenalty_GPa_per_um, type ResolvedConfig } from './resolve.js';

/** The preset a resolved material started from (`nmc811+overrides` → `nmc811`). */
function presetOf(m: MaterialSpec): string {
  const base = m.name.replace(/\+overrides$/, '');
  return MATERIAL_PRESET_NAMES.includes(base) ? base : DEFAULT_MATERIAL;
}

/** `derivedPenalty`: the penalty the resolver derives for this material (then it is not written as an override). */
function materialInput(
  m: MaterialSpec & { gb: { penalty_GPa_per_um: number | null } },
  derivedPenalty: number | null,
): Record<string, unknown> {
  const penalty = m.gb.penalty_GPa_per_um;
  const gb = m.gb.enabled
    ? {
        strength_MPa: m.gb.strength_MPa,
        Gc_J_m2: m.gb.Gc_J_m2,
        ...(penalty !== null && penalty !== derivedPenalty ? { penalty_GPa_per_um: penalty } : {}),
        viscosity_s: m.gb.viscosity_s,
        ...(m.gb.fatigue_endurance_ratio !== undefined
          ? { fatigue_endurance_ratio: m.gb.fatigue_endurance_ratio }
          : {}),
        ...(m.gb.fatigue_length_ratio !== undefined ? { fatigue_length_ratio: m.gb.fatigue_length_ratio } : {}),
      }
    : { enabled: false };
  return {
    preset: presetOf(m),
    // a D(x) fit replaces D_ab_m2_s (giving both is an error)
    ...((m.diffusivity_model ?? 'constant') === 'constant' ? { D_ab_m2_s: m.D_ab_m2_s } : {}),
    D_c_over_D_ab: m.D_c_over_D_ab,
    ...(m.diffusivity_model !== undefined ? { diffusivity_model: m.diffusivity_model } : {}),
    elasticity: structuredClone(m.elasticity),
    lattice_strain: structuredClone(m.lattice_strain),
    gb,
  };
}

export function toInputConfig(r: ResolvedConfig): UserConfig {
  const { mean_grain_diameter_um: _derived, ...microstructure } = r.microstructure;
  const config: Record<string, unknown> = {
    name: r.name,
    geometry: { ...r.geometry },
    microstructure: structuredClone(microstructure),
    material: materialInput(r.material, derivedPenalty_GPa_per_um(r.material, r.microstructure.mean_grain_diameter_um)),
    loading: structuredClone(r.loading),
    solver: { ...r.solver },
    output: structuredClone(r.output),
  };
  if (r.coating)
    config.coating = {
      thickness_um: r.coating.thickness_um,
      material: materialInput(r.coating.material, null),
      interface: structuredClone(r.coating.interface),
    };
  if (r.porosity) config.porosity = { ...r.porosity };
  return config as UserConfig;
}
