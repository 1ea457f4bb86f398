/** summary.json's provenance: each material number of a run with the tag and source of its parameter-file entry. */
import { describe, expect, it } from 'vitest';
import { resolveConfig, derivedPenalty_GPa_per_um } from '../../src/scenario/resolve.js';
import { materialProvenance } from '../../src/scenario/provenance.js';
import { PARAMETER_PROVENANCE } from '../../src/materials/presets.js';

const provenanceOf = (config: unknown) => {
  const r = resolveConfig(config);
  return materialProvenance(r.material, derivedPenalty_GPa_per_um(r.material, r.microstructure.mean_grain_diameter_um));
};

describe('material provenance', () => {
  it('a preset as it is: every number tagged with its parameter-file entry', () => {
    const p = provenanceOf({ material: 'nmc811' });
    expect(p.lattice_strain).toMatchObject({ entry: 'nmc811.lattice_strain', tag: 'L' });
    expect(p.lattice_strain.source).toMatch(/Märker/);
    expect(p.elasticity.source).toMatch(/Liu, Roters, Raabe/);
    // D(x) of O'Regan 2022 replaces the assumed constant D_ab
    expect(p.D_ab_m2_s).toBeUndefined();
    expect(p.diffusivity_model).toMatchObject({ entry: 'nmc811.diffusivity_oregan2022', tag: 'L' });
    expect(p.diffusivity_model.source).toMatch(/O'Regan/);
    expect(provenanceOf({ material: { preset: 'nmc811', diffusivity_model: 'constant' } }).D_ab_m2_s.tag).toBe('A');
    expect(p['gb.penalty_GPa_per_um']).toMatchObject({ entry: 'gb.penalty_GPa_per_um', tag: 'D' });
    for (const f of Object.values(p)) if (f.entry) expect(PARAMETER_PROVENANCE[f.entry].tag).toBe(f.tag);
  });

  it('a value the config overrides is tagged "user"; the others keep their tags', () => {
    const p = provenanceOf({ material: { preset: 'nmc90-bare', D_ab_m2_s: 3e-15, gb: { strength_MPa: 300 } } });
    expect(p.D_ab_m2_s).toMatchObject({ entry: null, tag: 'user' });
    expect(p['gb.strength_MPa'].tag).toBe('user');
    expect(p['gb.Gc_J_m2']).toMatchObject({ entry: 'gb.Gc_J_m2', tag: 'A' });
    expect(p.lattice_strain.tag).toBe('S/A');
  });
});
