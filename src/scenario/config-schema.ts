/**
 * The user config (interfaces.md): JSON, every quantity with its unit in its key. This schema is the single
 * source of truth for what a config may contain; unknown keys are errors (strict objects), never ignored.
 * `schema/config.schema.json` is generated from it (`npm run schema`).
 */
import { z } from 'zod';
import { MATERIAL_PRESET_NAMES } from '../materials/presets.js';

const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number (not NaN or Infinity)' });
const positive = () => finite().refine((v) => v > 0, { message: 'must be > 0' });
const nonNegative = () => finite().refine((v) => v >= 0, { message: 'must be ≥ 0' });
const fraction = () => finite().refine((v) => v >= 0 && v <= 1, { message: 'must be in [0, 1]' });
const porosityValue = () => finite().refine((v) => v >= 0 && v < 0.5, { message: 'porosity must be in [0, 0.5)' });

export const GeometrySchema = z.strictObject({
  shape: z.enum(['quarter', 'full']).default('quarter'),
  radius_um: positive().default(5),
  mesh_size_um: positive().default(0.1),
});

export const OrientationSchema = z.union([z.enum(['random', 'radial']), z.strictObject({ fixed_deg: finite() })]);

export const MicrostructureSchema = z
  .strictObject({
    grains: z.int().min(1, { message: 'grains must be an integer ≥ 1' }).optional(),
    mean_grain_diameter_um: positive().optional(),
    seed: z.int().default(1),
    orientation: OrientationSchema.default('random'),
    lloyd_iterations: z.int().min(0).max(100).default(2),
    size_spread: nonNegative().default(0),
    interfaces: z.enum(['cohesive', 'none']).optional(),
  })
  .refine((m) => !(m.grains !== undefined && m.mean_grain_diameter_um !== undefined), {
    message: 'give either grains or mean_grain_diameter_um, not both',
  });

export const CoatingInterfaceSchema = z.union([
  z.literal('bonded'),
  z.strictObject({ strength_MPa: positive(), Gc_J_m2: positive() }),
]);

export const CoatingSchema = z.strictObject({
  thickness_um: positive().default(0.16),
  material: z
    .union([z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]), z.lazy(() => MaterialOverrideSchema)])
    .default('mf-coating'),
  interface: CoatingInterfaceSchema.default('bonded'),
});

export const PorositySchema = z.union([
  z.enum(['gradient', 'dense']),
  z.strictObject({ center: porosityValue(), surface: porosityValue() }),
  z.strictObject({ uniform: porosityValue() }),
]);

export const ElasticitySchema = z.union([
  z.strictObject({
    isotropic: z.strictObject({
      E_GPa: positive(),
      nu: finite().refine((v) => v > -1 && v < 0.5, { message: 'Poisson ratio must be in (−1, 0.5)' }),
    }),
  }),
  z.strictObject({
    hexagonal_GPa: z.strictObject({ C11: positive(), C12: finite(), C13: finite(), C33: positive(), C44: positive() }),
  }),
]);

export const LatticeStrainSchema = z
  .strictObject({ x: z.array(fraction()).min(2), a: z.array(finite()).min(2), c: z.array(finite()).min(2) })
  .refine((t) => t.x.length === t.a.length && t.x.length === t.c.length, {
    message: 'lattice_strain x, a and c must have the same length',
  })
  .refine((t) => t.x.every((v, i) => i === 0 || v > t.x[i - 1]), {
    message: 'lattice_strain x must be strictly ascending',
  });

/** `{ "enabled": false }` (perfectly bonded), or the cohesive law's overrides. One object, so errors name the key. */
export const GrainBoundarySchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    strength_MPa: positive().optional(),
    Gc_J_m2: positive().optional(),
    penalty_GPa_per_um: positive().optional(),
    viscosity_s: nonNegative().optional(),
  })
  .refine((g) => g.enabled !== false || Object.keys(g).length === 1, {
    message: 'with "enabled": false no other grain-boundary key is allowed (the boundaries are perfectly bonded)',
  });

export const MaterialOverrideSchema = z.strictObject({
  preset: z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]),
  D_ab_m2_s: positive().optional(),
  D_c_over_D_ab: positive().optional(),
  elasticity: ElasticitySchema.optional(),
  lattice_strain: LatticeStrainSchema.optional(),
  gb: GrainBoundarySchema.optional(),
});

export const MaterialSchema = z.union([z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]), MaterialOverrideSchema]);

export const LoadingSchema = z
  .strictObject({
    c_rates: z.union([positive(), z.array(positive()).min(1)]).default([1, 0.5, 0.1]),
    direction: z.enum(['charge', 'discharge']).default('charge'),
    to_soc: fraction().optional(),
    duration_s: positive().optional(),
    delta_x_1C: positive()
      .refine((v) => v <= 1, { message: 'must be ≤ 1' })
      .default(200 / 275),
    x_min: fraction().default(0.02),
    x_max: fraction().default(0.999),
    initial_soc: fraction().default(0),
  })
  .refine((l) => !(l.to_soc !== undefined && l.duration_s !== undefined), {
    message: 'give either to_soc or duration_s as the end of the run, not both',
  });

export const SolverSchema = z.strictObject({
  max_dt_s: positive().default(20),
  min_dt_s: positive().default(1e-3),
  initial_dt_s: positive().default(1),
  max_damage_increment: positive().default(0.2),
  damage_dt_floor_s: positive().default(0.5),
  max_iterations: z.int().min(1).default(40),
  tolerance: positive().default(3e-3),
  damage_lag_tolerance: nonNegative().default(0.05),
  max_cutbacks: z.int().min(0).default(8),
  /**
   * Damage solve: 'implex' (default; IMPL-EX, one linear solve per step, cannot fail, step size from the a
   * posteriori error) or 'implicit' (the damage-secant iteration to `tolerance`, the tight reference).
   */
  scheme: z.enum(['implex', 'implicit']).default('implex'),
  /** IMPL-EX: target of the a posteriori error max |D_implicit − D_extrapolated| per step (drives Δt). */
  implex_tolerance: positive().default(0.05),
  /** IMPL-EX: target of the length-weighted mean of |D_implicit − D_extrapolated| per step (drives Δt). */
  implex_mean_tolerance: positive().default(1e-4),
  /** IMPL-EX: the error never shrinks Δt below this (s); smaller steps do resolve a snap-through with IMPL-EX. */
  implex_dt_floor_s: positive().default(0.05),
  crack_blocks_diffusion: z.boolean().default(false),
  plane: z.enum(['strain', 'stress']).default('strain'),
  kernel: z.enum(['wasm', 'ts']).default('wasm'),
});

export const ClassThresholdsSchema = z.strictObject({
  mild_cracked_fraction: fraction().default(0.01),
  broken_cracked_fraction: fraction().default(0.2),
  core_radius_fraction: fraction().default(0.5),
});

export const OutputSchema = z.strictObject({
  snapshots_soc: z.array(fraction()).default([0.25, 0.55, 1.0]),
  vtu: z.boolean().default(true),
  hotspot_threshold: fraction().default(0.1),
  hotspot_shell_um: positive().default(0.16),
  class_thresholds: ClassThresholdsSchema.default({
    mild_cracked_fraction: 0.01,
    broken_cracked_fraction: 0.2,
    core_radius_fraction: 0.5,
  }),
});

export const ConfigSchema = z.strictObject({
  name: z.string().optional(),
  geometry: GeometrySchema.default({ shape: 'quarter', radius_um: 5, mesh_size_um: 0.1 }),
  microstructure: MicrostructureSchema.default({
    seed: 1,
    orientation: 'random',
    lloyd_iterations: 2,
    size_spread: 0,
  }),
  coating: CoatingSchema.optional(),
  porosity: PorositySchema.optional(),
  material: MaterialSchema.default('nmc90-bare'),
  loading: LoadingSchema.default({
    c_rates: [1, 0.5, 0.1],
    direction: 'charge',
    delta_x_1C: 200 / 275,
    x_min: 0.02,
    x_max: 0.999,
    initial_soc: 0,
  }),
  solver: SolverSchema.default({
    max_dt_s: 20,
    min_dt_s: 1e-3,
    initial_dt_s: 1,
    max_damage_increment: 0.2,
    damage_dt_floor_s: 0.5,
    max_iterations: 40,
    tolerance: 3e-3,
    damage_lag_tolerance: 0.05,
    max_cutbacks: 8,
    scheme: 'implex',
    implex_tolerance: 0.05,
    implex_mean_tolerance: 1e-4,
    implex_dt_floor_s: 0.05,
    crack_blocks_diffusion: false,
    plane: 'strain',
    kernel: 'wasm',
  }),
  output: OutputSchema.default({
    snapshots_soc: [0.25, 0.55, 1.0],
    vtu: true,
    hotspot_threshold: 0.1,
    hotspot_shell_um: 0.16,
    class_thresholds: { mild_cracked_fraction: 0.01, broken_cracked_fraction: 0.2, core_radius_fraction: 0.5 },
  }),
});

/** The config as a user writes it (everything optional). */
export type UserConfig = z.input<typeof ConfigSchema>;
/** The config after schema defaults (still preset names, not yet resolved materials). */
export type ParsedConfig = z.output<typeof ConfigSchema>;
