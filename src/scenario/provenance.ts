/**
 * The provenance of every number a run's material used: for each field of a resolved material, the tagged entry
 * of the parameter file it came from (tag, note, source), or "user" when the config set it to another value.
 * Written into summary.json, so a result says which of its inputs are sourced and which are assumptions.
 */
import { canonicalJson } from './canonical-json.js';
import { MATERIAL_PRESETS, PARAMETER_PROVENANCE, type MaterialSpec } from '../materials/presets.js';

/** Which tagged entry each field of a preset comes from (fields without an entry are structural constants). */
const PRESET_FIELD_ENTRIES: Record<string, Partial<Record<string, string>>> = {
  'nmc90-bare': {
    D_ab_m2_s: 'nmc90.D_ab_m2_s',
    D_c_over_D_ab: 'nmc90.D_c_over_D_ab',
    elasticity: 'nmc90.elasticity.hexagonal_GPa',
    lattice_strain: 'nmc90-bare.lattice_strain',
  },
  'nmc90-mf': {
    D_ab_m2_s: 'nmc90.D_ab_m2_s',
    D_c_over_D_ab: 'nmc90.D_c_over_D_ab',
    elasticity: 'nmc90.elasticity.hexagonal_GPa',
    lattice_strain: 'nmc90-mf.lattice_strain',
  },
  nmc811: {
    D_ab_m2_s: 'nmc90.D_ab_m2_s',
    D_c_over_D_ab: 'nmc90.D_c_over_D_ab',
    elasticity: 'nmc811.elasticity.hexagonal_GPa',
    lattice_strain: 'nmc811.lattice_strain',
  },
  'nmc811-mf': {
    D_ab_m2_s: 'nmc90.D_ab_m2_s',
    D_c_over_D_ab: 'nmc90.D_c_over_D_ab',
    elasticity: 'nmc811.elasticity.hexagonal_GPa',
    lattice_strain: 'nmc811-mf.lattice_strain',
  },
  'mf-coating': {
    D_ab_m2_s: 'mf-coating.D_m2_s',
    elasticity: 'mf-coating.elasticity.isotropic',
    lattice_strain: 'mf-coating.lattice_strain',
  },
};

const GB_FIELD_ENTRIES: Record<string, string> = {
  'gb.strength_MPa': 'gb.strength_MPa',
  'gb.Gc_J_m2': 'gb.Gc_J_m2',
  'gb.penalty_GPa_per_um': 'gb.penalty_GPa_per_um',
};

export interface FieldProvenance {
  /** The entry of the parameter file (`chemofrac materials`), or null for a value the config set. */
  entry: string | null;
  tag: string;
  note: string;
  source?: string;
}

function valueOf(m: MaterialSpec, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], m);
}

/**
 * Provenance of each field of a resolved material. `derivedPenalty`: the penalty the resolver derives (then the
 * penalty is the D-tagged derived entry, not a user value).
 */
export function materialProvenance(m: MaterialSpec, derivedPenalty?: number): Record<string, FieldProvenance> {
  const preset = m.name.replace(/\+overrides$/, '');
  const base = MATERIAL_PRESETS[preset];
  const fatigue =
    m.gb.enabled && m.gb.fatigue_endurance_ratio !== undefined
      ? {
          'gb.fatigue_endurance_ratio': 'gb.fatigue_endurance_ratio',
          'gb.fatigue_length_ratio': 'gb.fatigue_length_ratio',
        }
      : {};
  const entries = {
    ...(PRESET_FIELD_ENTRIES[preset] ?? {}),
    ...(m.gb.enabled ? GB_FIELD_ENTRIES : {}),
    ...fatigue,
  };
  // D(x): the fit replaces D_ab_m2_s, whichever preset it was chosen on
  if ((m.diffusivity_model ?? 'constant') !== 'constant') {
    delete (entries as Partial<Record<string, string>>).D_ab_m2_s;
    (entries as Partial<Record<string, string>>).diffusivity_model = 'nmc811.diffusivity_oregan2022';
  }
  const out: Record<string, FieldProvenance> = {};
  for (const [field, entry] of Object.entries(entries)) {
    if (field === 'diffusivity_model' && entry) {
      const tagged = PARAMETER_PROVENANCE[entry];
      const chosen = base?.diffusivity_model === m.diffusivity_model ? '' : ' (model chosen in the config)';
      out[field] = { entry, tag: tagged.tag, note: tagged.note + chosen, source: tagged.source };
      continue;
    }
    if (!entry) continue;
    const value = valueOf(m, field);
    // the penalty is derived; the fatigue ratios have no preset value, their default is the tagged entry's
    const presetValue =
      field === 'gb.penalty_GPa_per_um'
        ? (derivedPenalty ?? null)
        : field.startsWith('gb.fatigue_')
          ? PARAMETER_PROVENANCE[entry].value
          : valueOf(base, field);
    const fromPreset = base && canonicalJson(value) === canonicalJson(presetValue);
    const tagged = PARAMETER_PROVENANCE[entry];
    out[field] = fromPreset
      ? { entry, tag: tagged.tag, note: tagged.note, ...(tagged.source ? { source: tagged.source } : {}) }
      : { entry: null, tag: 'user', note: 'set in the config (not the preset value)' };
  }
  return out;
}
