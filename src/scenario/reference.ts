/**
 * The reference comparison (docs/physics.md §1, the study this project reproduces and goes beyond): a quarter
 * particle of ~100 grains charged to full with mixed 1C / 0.5C / 0.1C surface rates, as
 *   bare             nmc811 (the sourced set, default; nmc90-bare with the reference set)
 *   MF-coated        nmc811-mf (reduced lattice strain; nmc90-mf) + 0.16 µm mf-coating annulus
 *   gradient-porous  the bare material, porosity 0.13 (core) → 0.08 (surface)
 *   dense-porous     the bare material, porosity 0.02 uniform
 * on the same seed, so the four particles share their grain seeds. `materials: "reference"` reproduces the
 * mechanofusion study's set-up (its assumed NMC90 curves).
 */
import type { UserConfig } from './config-schema.js';

export const REFERENCE_VARIANTS = ['bare', 'mf-coated', 'gradient-porous', 'dense-porous'] as const;

/**
 * The grain materials of the comparison: "reference" (the assumed NMC90 curves the mechanofusion study's model was
 * set up with, tag A) or "sourced" (NMC811: Märker 2019 lattice strain, Liu 2024 stiffness; the MF variant with the
 * same 0.3× strain scaling; the default). `chemofrac compare --materials`.
 */
export const MATERIAL_SETS = {
  reference: { bare: 'nmc90-bare', mf: 'nmc90-mf' },
  sourced: { bare: 'nmc811', mf: 'nmc811-mf' },
} as const;
export type MaterialSet = keyof typeof MATERIAL_SETS;
/** The set whose bare material is the config default (`DEFAULT_MATERIAL`). */
export const DEFAULT_MATERIAL_SET: MaterialSet = 'sourced';
export type ReferenceVariant = (typeof REFERENCE_VARIANTS)[number];

export function referenceConfig(
  variant: ReferenceVariant,
  seed = 7,
  overrides: Partial<UserConfig> = {},
  materials: MaterialSet = DEFAULT_MATERIAL_SET,
): UserConfig {
  const set = MATERIAL_SETS[materials];
  const base: UserConfig = {
    name: variant,
    // h = 0.15 µm (≈ 3.3 elements across a 0.5 µm grain; the coating gets ≥ 2 layers): mean damage at SoC 0.55
    // is within 1 % of h = 0.1 µm (0.787 vs 0.779, bare, seed 11) at 2.5× less wall time, which keeps the
    // four-particle comparison under a minute on two cores.
    geometry: { shape: 'quarter', radius_um: 5, mesh_size_um: 0.15 },
    microstructure: { grains: 100, seed, orientation: 'random-3d', lloyd_iterations: 2 },
    material: set.bare,
    loading: { c_rates: [1, 0.5, 0.1], to_soc: 1.0 },
    output: { snapshots_soc: [0.25, 0.55, 1.0] },
  };
  const variantPart: Partial<UserConfig> =
    variant === 'mf-coated'
      ? { material: set.mf, coating: { thickness_um: 0.16, material: 'mf-coating' } }
      : variant === 'gradient-porous'
        ? { porosity: 'gradient' }
        : variant === 'dense-porous'
          ? { porosity: 'dense' }
          : {};
  return { ...base, ...variantPart, ...overrides };
}

/**
 * The tight damage reference of the accuracy checks (docs/solver.md): the implicit damage-secant iteration at
 * tolerance 1e-5 with Δt ≤ 1 s and no lagged acceptance, its linear solves to 1e-14.
 */
export const TIGHT_REFERENCE_SOLVER = {
  scheme: 'implicit',
  tolerance: 1e-5,
  mechanics_rtol: 1e-14,
  max_dt_s: 1,
  max_iterations: 400,
  damage_lag_tolerance: 0,
} as const;

/**
 * The particle of the damage-scheme accuracy checks (docs/solver.md): quarter, R = 2.5 µm, 25 grains, h = 0.15 µm,
 * bare, per-grain rates 4C/2C/0.4C, in-plane c-axes; charged to `toSoc` (0.6 in the test, 1 in `bench/accuracy.ts`).
 * The reference model's materials by default (the set-up docs/solver.md measured; a solver check, not a material one).
 */
export function accuracyParticleConfig(
  seed: number,
  toSoc: number,
  solver: UserConfig['solver'] = {},
  materials: MaterialSet = 'reference',
): UserConfig {
  return referenceConfig(
    'bare',
    seed,
    {
      name: `implex-accuracy-${seed}`,
      geometry: { shape: 'quarter', radius_um: 2.5, mesh_size_um: 0.15 },
      microstructure: { grains: 25, seed, orientation: 'random', lloyd_iterations: 2 },
      loading: { c_rates: [4, 2, 0.4], to_soc: toSoc },
      output: { snapshots_soc: [], vtu: false },
      solver,
    },
    materials,
  );
}
