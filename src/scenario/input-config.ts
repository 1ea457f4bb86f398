/**
 * A resolved config written back in the form a user writes: what `summary.json` stores as `config`, so that
 * `chemofrac run summary.json`-style reuse works (`config` fed back to `resolveConfig` gives the same resolved
 * config, hence the same run). Every default is explicit; derived values that the resolver would derive again
 * (the mean grain diameter from the grain count) are left out, values it derives that are worth pinning (the
 * cohesive penalty) are written as overrides.
 */
import type { MaterialSpec } from '../materials/presets.js';
import { MATERIAL_PRESET_NAMES } from '../materials/presets.js';
import type { UserConfig } from './config-schema.js';
import type { ResolvedConfig } from './resolve.js';

/** The preset a resolved material started from (`nmc90-bare+overrides` → `nmc90-bare`). */
function presetOf(m: MaterialSpec): string {
  const base = m.name.replace(/\+overrides$/, '');
  return MATERIAL_PRESET_NAMES.includes(base) ? base : 'nmc90-bare';
}

function materialInput(m: MaterialSpec & { gb: { penalty_GPa_per_um: number | null } }): Record<string, unknown> {
  const gb = m.gb.enabled
    ? {
        strength_MPa: m.gb.strength_MPa,
        Gc_J_m2: m.gb.Gc_J_m2,
        ...(m.gb.penalty_GPa_per_um !== null ? { penalty_GPa_per_um: m.gb.penalty_GPa_per_um } : {}),
        viscosity_s: m.gb.viscosity_s,
      }
    : { enabled: false };
  return {
    preset: presetOf(m),
    D_ab_m2_s: m.D_ab_m2_s,
    D_c_over_D_ab: m.D_c_over_D_ab,
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
    material: materialInput(r.material),
    loading: structuredClone(r.loading),
    solver: { ...r.solver },
    output: structuredClone(r.output),
  };
  if (r.coating)
    config.coating = {
      thickness_um: r.coating.thickness_um,
      material: materialInput(r.coating.material),
      interface: structuredClone(r.coating.interface),
    };
  if (r.porosity) config.porosity = { ...r.porosity };
  return config as UserConfig;
}
