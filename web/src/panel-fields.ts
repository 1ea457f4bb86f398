/** The fields of a particle slot's parameter panel: ids, labels, the config keys each owns, the particle types. */
import type { ReferenceVariant } from '../../src/index.js';

/** A particle type of a slot: a reference variant, the cycling example (cycle-view.ts), a loaded config, or none. */
export type Variant = ReferenceVariant | 'cycling' | 'loaded' | 'none';

export interface FieldDef {
  id: string;
  label: string;
  /** Config keys (dotted) whose issues belong to this field (longest prefix wins). */
  keys: string[];
  kind: 'number' | 'text' | 'select' | 'checkbox';
  options?: string[];
  title?: string;
  /** Kept when the particle type changes (the rest is refilled from the new type). */
  common?: boolean;
}

export const FIELDS: FieldDef[] = [
  {
    id: 'grains',
    label: 'grains',
    keys: ['microstructure.grains', 'microstructure.mean_grain_diameter_um', 'microstructure'],
    kind: 'number',
    common: true,
    title: 'number of Voronoi grains in the simulated domain',
  },
  {
    id: 'seed',
    label: 'seed',
    keys: ['microstructure.seed'],
    kind: 'number',
    common: true,
    title: 'microstructure seed (same seed = same grains)',
  },
  {
    id: 'shape',
    label: 'shape',
    keys: ['geometry.shape'],
    kind: 'select',
    options: ['quarter', 'full'],
    common: true,
    title: 'quarter particle (mirrored in the view) or full disk',
  },
  {
    id: 'mesh',
    label: 'mesh size (µm)',
    keys: ['geometry.mesh_size_um', 'geometry'],
    kind: 'number',
    common: true,
    title: 'target element edge length',
  },
  {
    id: 'coating',
    label: 'coating (µm)',
    keys: ['coating'],
    kind: 'number',
    title: 'MF coating thickness; empty or 0 = uncoated',
  },
  {
    id: 'porCore',
    label: 'porosity core',
    keys: ['porosity.center', 'porosity.uniform', 'porosity'],
    kind: 'number',
    title: 'void fraction at the centre (empty = dense); alone = uniform',
  },
  {
    id: 'porSurface',
    label: 'porosity surface',
    keys: ['porosity.surface'],
    kind: 'number',
    title: 'void fraction at the surface',
  },
  {
    id: 'crates',
    label: 'C-rates',
    keys: ['loading.c_rates'],
    kind: 'text',
    common: true,
    title: 'surface C-rates, drawn per surface grain (comma-separated)',
  },
  {
    id: 'toSoc',
    label: 'to SoC',
    keys: ['loading.to_soc', 'loading'],
    kind: 'number',
    common: true,
    title: 'end of the charge',
  },
  {
    id: 'gb',
    label: 'GB strength (MPa)',
    keys: ['material.gb'],
    kind: 'number',
    title: 'cohesive strength of the grain boundaries (empty = preset)',
  },
  {
    id: 'dratio',
    label: 'D ratio D_c/D_ab',
    keys: ['material.D_c_over_D_ab'],
    kind: 'number',
    title: 'diffusivity along c over in-plane (empty = preset)',
  },
  {
    id: 'crack',
    label: 'cracks block diffusion',
    keys: ['solver.crack_blocks_diffusion', 'solver'],
    kind: 'checkbox',
    common: true,
    title: 'damaged boundaries stop Li transport across them',
  },
];

export const VARIANT_LABELS: Record<Variant, string> = {
  bare: 'bare',
  'mf-coated': 'MF-coated',
  'gradient-porous': 'gradient-porous',
  'dense-porous': 'dense-porous',
  cycling: 'cycling (10 cycles)',
  loaded: 'loaded config',
  none: '— none —',
};
