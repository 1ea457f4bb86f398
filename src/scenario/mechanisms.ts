/**
 * The mechanism decomposition (`chemofrac compare --mechanisms`): which mechanism carries the benefit of a design.
 * The MF-coated particle differs from the bare one in two ways at once, and the porous one in how its pores act:
 *
 *   bare                      nmc90-bare, no coating
 *   coating-transport-only    nmc90-bare + 0.16 µm mf-coating: the coating's Li transport and mechanical
 *                             confinement, with the bare particle's lattice strain
 *   strain-only               nmc90-mf (the 0.3× lattice strain measured for MF particles), no coating
 *   mf-coated                 nmc90-mf + coating: both, as in the reference comparison
 *   pores-free-surface        nmc90-bare + gradient porosity, pores empty (free surfaces, no Li flux)
 *   pores-electrolyte-filled  the same pores, those open to the surface wetted (their walls take Li flux)
 *
 * All on the same microstructure seed per replicate, so each variant's damage is compared with its own bare twin.
 */
import type { UserConfig } from './config-schema.js';
import { referenceConfig, DEFAULT_MATERIAL_SET, MATERIAL_SETS, type MaterialSet } from './reference.js';

export const MECHANISM_VARIANTS = [
  'bare',
  'coating-transport-only',
  'strain-only',
  'mf-coated',
  'pores-free-surface',
  'pores-electrolyte-filled',
] as const;
export type MechanismVariant = (typeof MECHANISM_VARIANTS)[number];

const COATING = { thickness_um: 0.16, material: 'mf-coating' } as const;

/** The config of one variant on `seed`; `base` overrides geometry, microstructure, loading, solver and output. */
export function mechanismConfig(
  variant: MechanismVariant,
  seed: number,
  base: Partial<UserConfig> = {},
  materials: MaterialSet = DEFAULT_MATERIAL_SET,
): UserConfig {
  const { bare, mf } = MATERIAL_SETS[materials];
  const reference = referenceConfig('bare', seed, {}, materials);
  const microstructure = { ...reference.microstructure, ...base.microstructure, seed };
  const common: UserConfig = { ...reference, ...base, name: variant, microstructure };
  delete common.coating;
  delete common.porosity;
  switch (variant) {
    case 'bare':
      return { ...common, material: bare };
    case 'coating-transport-only':
      return { ...common, material: bare, coating: { ...COATING } };
    case 'strain-only':
      return { ...common, material: mf };
    case 'mf-coated':
      return { ...common, material: mf, coating: { ...COATING } };
    case 'pores-free-surface':
      return {
        ...common,
        material: bare,
        porosity: 'gradient',
        microstructure: { ...microstructure, pore_fill: 'empty' },
      };
    case 'pores-electrolyte-filled':
      return {
        ...common,
        material: bare,
        porosity: 'gradient',
        microstructure: { ...microstructure, pore_fill: 'electrolyte' },
      };
  }
}
