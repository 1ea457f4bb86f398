/**
 * The user config (docs/config.md): JSON, every quantity with its unit in its key. This schema is the single
 * source of truth for what a config may contain; unknown keys are errors (strict objects), never ignored.
 * `schema/config.schema.json` is generated from it (`npm run schema`).
 */
import { z } from 'zod';
import { DEFAULT_MATERIAL, DIFFUSIVITY_MODELS, MATERIAL_PRESET_NAMES } from '../materials/presets.js';

const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number (not NaN or Infinity)' });
const positive = () => finite().refine((v) => v > 0, { message: 'must be > 0' });
const nonNegative = () => finite().refine((v) => v >= 0, { message: 'must be ≥ 0' });
const fraction = () => finite().refine((v) => v >= 0 && v <= 1, { message: 'must be in [0, 1]' });
const porosityValue = () => finite().refine((v) => v >= 0 && v < 0.5, { message: 'porosity must be in [0, 0.5)' });

export const GeometrySchema = z.strictObject({
  shape: z
    .enum(['quarter', 'full'])
    .default('quarter')
    .describe(
      '"quarter": quarter disk with symmetry edges x = 0 and y = 0 (no Li flux, no normal displacement); "full": the whole disk.',
    ),
  radius_um: positive().default(5).describe('Particle radius R without the coating (µm), > 0.'),
  mesh_size_um: positive().default(0.1).describe('Target element size h (µm), 0 < h ≤ radius_um / 2.'),
});

export const OrientationSchema = z.union([
  z.enum(['random-3d', 'random', 'radial']),
  z.strictObject({
    radial_3d_spread_deg: finite()
      .min(0)
      .max(180)
      .describe('Radial texture with a spread: the c-axis tilted from the radius by up to this angle, degrees 0–180.'),
  }),
  z.strictObject({
    c_axis: z
      .tuple([finite(), finite(), finite()])
      .describe('The same c-axis [x, y, z] for every grain (normalised; z out of the section plane).'),
  }),
  z.strictObject({ fixed_deg: finite().describe('In-plane c-axis angle θ of every grain, degrees from the x axis.') }),
]);

export const MicrostructureSchema = z
  .strictObject({
    grains: z
      .int()
      .min(1, { message: 'grains must be an integer ≥ 1' })
      .optional()
      .describe(
        'Number of grains in the domain, integer ≥ 1 (1 = a single crystal). Default: from mean_grain_diameter_um. Give grains or mean_grain_diameter_um, not both.',
      ),
    mean_grain_diameter_um: positive()
      .optional()
      .describe(
        'Mean grain diameter d (µm), > 0: the grain count is the domain area over π d²/4. Alternative to grains.',
      ),
    seed: z
      .int()
      .default(1)
      .describe(
        'Integer seed of the microstructure and of the per-grain rate draw: the same config and seed give a byte-identical mesh and loading.',
      ),
    orientation: OrientationSchema.default('random-3d').describe(
      'c-axis of each grain (docs/physics.md §7): "random-3d" (uniform on the sphere: the section through a randomly oriented particle), "random" (in the plane, θ uniform in [0, π)), "radial" (in the plane, along the radius through the grain centre), { "radial_3d_spread_deg": s } (radial, tilted by up to s degrees), { "c_axis": [x, y, z] } or { "fixed_deg": θ } (in the plane).',
    ),
    lloyd_iterations: z
      .int()
      .min(0)
      .max(100)
      .default(2)
      .describe('Lloyd relaxation sweeps of the Voronoi seeds, integer 0–100 (more = rounder, more equal grains).'),
    size_spread: nonNegative().default(0).describe('Log-normal σ of the grain size, ≥ 0 (0 = no imposed spread).'),
    interfaces: z
      .enum(['cohesive', 'none'])
      .optional()
      .describe(
        '"cohesive": zero-thickness interface elements on every grain boundary; "none": shared nodes (perfectly bonded), only with material.gb = { "enabled": false }. Default: from material.gb.enabled.',
      ),
    pore_fill: z
      .enum(['empty', 'electrolyte'])
      .default('empty')
      .describe(
        'What fills the pores: "empty" (pore walls are free surfaces with no Li flux) or "electrolyte" (pores connected to the outer surface are wetted: their walls take the surface flux law with their grain\'s C-rate, so the same current spreads over more surface; closed pores and pores under a coating stay empty).',
      ),
    from_synthesis: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Charge a synthesized particle: path to the microstructure.json a `chemofrac synthesize` run wrote (relative to the config file). Its voids become pores (walls per pore_fill), its rock-salt grains inactive grains (no Li exchange, their own stiffness), its merged grains one grain. The mesh is the synthesis mesh: geometry and the other microstructure keys come from the file (a conflicting value is an error), porosity and coating are not allowed. docs/synthesis.md §9.',
      ),
  })
  .refine((m) => !(m.grains !== undefined && m.mean_grain_diameter_um !== undefined), {
    message: 'give either grains or mean_grain_diameter_um, not both',
  });

/** The microstructure section's defaults (the charge and the synthesis configs share them). */
export const MICROSTRUCTURE_DEFAULTS = {
  seed: 1,
  orientation: 'random-3d',
  lloyd_iterations: 2,
  size_spread: 0,
  pore_fill: 'empty',
} as const satisfies z.output<typeof MicrostructureSchema>;

export const CoatingInterfaceSchema = z.union([
  z.literal('bonded'),
  z.strictObject({
    strength_MPa: positive().describe('Peak traction σ_max of the coating/grain interface (MPa).'),
    Gc_J_m2: positive().describe('Fracture energy G_c of the coating/grain interface (J/m² = MPa·µm).'),
  }),
]);

export const CoatingSchema = z.strictObject({
  thickness_um: positive()
    .default(0.16)
    .describe('Coating thickness t (µm), 0 < t < radius_um; the coating is the annulus R < r < R + t.'),
  material: z
    .union([z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]), z.lazy(() => MaterialOverrideSchema)])
    .default('mf-coating')
    .describe('Coating material: a preset name or { "preset": name, overrides } as for material.'),
  interface: CoatingInterfaceSchema.default('bonded').describe(
    '"bonded" (shared nodes) or { "strength_MPa", "Gc_J_m2" } for a cohesive coating/grain interface.',
  ),
});

export const PorositySchema = z.union([
  z.enum(['gradient', 'dense']),
  z.strictObject({
    center: porosityValue().describe(
      'Void area fraction at the centre, in [0, 0.5); linear in r to the surface value.',
    ),
    surface: porosityValue().describe('Void area fraction at the surface, in [0, 0.5).'),
  }),
  z.strictObject({ uniform: porosityValue().describe('Void area fraction everywhere, in [0, 0.5).') }),
]);

export const ElasticitySchema = z.union([
  z.strictObject({
    isotropic: z
      .strictObject({
        E_GPa: positive().describe("Young's modulus E (GPa), > 0."),
        nu: finite()
          .refine((v) => v > -1 && v < 0.5, { message: 'Poisson ratio must be in (−1, 0.5)' })
          .describe("Poisson's ratio ν, in (−1, 0.5)."),
      })
      .describe('Isotropic elasticity: C11 = C33 = λ + 2μ, C12 = C13 = λ, C44 = μ.'),
  }),
  z.strictObject({
    hexagonal_GPa: z
      .strictObject({
        C11: positive().describe('Stiffness C11 (GPa), a–a, > 0.'),
        C12: finite().describe('Stiffness C12 (GPa), in-plane a – out-of-plane a.'),
        C13: finite().describe('Stiffness C13 (GPa), a–c.'),
        C33: positive().describe('Stiffness C33 (GPa), c–c, > 0.'),
        C44: positive().describe('Shear stiffness C44 (GPa), a–c plane, > 0.'),
      })
      .describe('Hexagonal (transversely isotropic) stiffness in the grain frame, GPa.'),
  }),
]);

export const LatticeStrainSchema = z
  .strictObject({
    x: z
      .array(fraction())
      .min(2)
      .describe('Li site fractions of the table, strictly ascending, each in [0, 1], ≥ 2 entries.'),
    a: z.array(finite()).min(2).describe('Lattice strain along a (fraction, e.g. −0.01 = −1 %) at each x.'),
    c: z.array(finite()).min(2).describe('Lattice strain along c (fraction) at each x.'),
  })
  .refine((t) => t.x.length === t.a.length && t.x.length === t.c.length, {
    message: 'lattice_strain x, a and c must have the same length',
  })
  .refine((t) => t.x.every((v, i) => i === 0 || v > t.x[i - 1]), {
    message: 'lattice_strain x must be strictly ascending',
  });

/** `{ "enabled": false }` (perfectly bonded), or the cohesive law's overrides. One object, so errors name the key. */
export const GrainBoundarySchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('false: no interface elements at all, a perfectly bonded polycrystal (no other key allowed then).'),
    strength_MPa: positive().optional().describe('Peak traction σ_max of the bilinear cohesive law (MPa), > 0.'),
    Gc_J_m2: positive()
      .optional()
      .describe('Fracture energy G_c (J/m² = MPa·µm), > 0: what a fully opened boundary dissipates per unit area.'),
    penalty_GPa_per_um: positive()
      .optional()
      .describe('Penalty stiffness K (GPa/µm), > 0. Default: derived, 50 E / mean grain diameter.'),
    viscosity_s: nonNegative().optional().describe('Gao–Bower viscous regularisation time η (s), ≥ 0; 0 = none.'),
    fatigue_endurance_ratio: fraction()
      .optional()
      .describe(
        'Cohesive fatigue (docs/physics.md §9): endurance ratio σ_f / σ_max in [0, 1]; below the envelope, damage grows only while the traction exceeds σ_f (1 = no fatigue). Default: 0.25 in cycling runs (tag A, Roe & Siegmund 2003); no fatigue in a single charge unless given.',
      ),
    fatigue_length_ratio: positive()
      .optional()
      .describe(
        'Cohesive fatigue: accumulation length δ_Σ as a multiple of λ0 = σ_max / K, > 0; damage rate |Δλ| / δ_Σ · (T/σ_max − σ_f/σ_max). Default: 4 in cycling runs (tag A, Roe & Siegmund 2003).',
      ),
  })
  .refine((g) => g.enabled !== false || Object.keys(g).length === 1, {
    message: 'with "enabled": false no other grain-boundary key is allowed (the boundaries are perfectly bonded)',
  });

export const MaterialOverrideSchema = z.strictObject({
  preset: z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]).describe('The preset the overrides start from.'),
  D_ab_m2_s: positive()
    .optional()
    .describe(
      'Li diffusivity in the basal (a) plane, D_ab (m²/s), > 0; with diffusivity_model "constant" only (give "diffusivity_model": "constant" with it when the preset uses a D(x) fit).',
    ),
  D_c_over_D_ab: positive().optional().describe('Diffusion anisotropy D_c / D_ab, > 0 (1 = isotropic).'),
  diffusivity_model: z
    .enum(DIFFUSIVITY_MODELS)
    .optional()
    .describe(
      '"constant" (D_ab_m2_s everywhere) or "oregan2022" (D_ab(x) of NMC811 from GITT, O\'Regan et al. 2022, with its activation energy at loading.temperature_K; x clamped to the fit window 0.27–0.91; D_c = D_c_over_D_ab · D_ab(x)). docs/physics.md §8. Default: the preset\'s.',
    ),
  elasticity: ElasticitySchema.optional().describe(
    '{ "isotropic": { "E_GPa", "nu" } } or { "hexagonal_GPa": { "C11", "C12", "C13", "C33", "C44" } } in the grain frame (1 = a in-plane, 2 = c, 3 = a out-of-plane).',
  ),
  lattice_strain: LatticeStrainSchema.optional().describe(
    'Lithiation strain table { "x", "a", "c" }: strains (fractions) along a and c against the local Li site fraction x, linearly interpolated, zero at x = 1.',
  ),
  gb: GrainBoundarySchema.optional().describe(
    'Grain-boundary cohesive law: overrides of the preset\'s, or { "enabled": false } for a perfectly bonded polycrystal.',
  ),
});

export const MaterialSchema = z.union([z.enum(MATERIAL_PRESET_NAMES as [string, ...string[]]), MaterialOverrideSchema]);

/** One leg of a cycling protocol (docs/physics.md §9): its C-rates and the SoC at which it ends. */
export const CyclingLegSchema = z.strictObject({
  c_rates: z
    .union([positive(), z.array(positive()).min(1)])
    .default([1, 0.5, 0.1])
    .describe(
      'Surface C-rate r > 0 of this leg, or a list: each surface grain draws its rate from the list (seeded, the same draw as loading.c_rates).',
    ),
  to_soc: fraction().describe(
    'State of charge at which this leg ends, in [0, 1] (the leg also ends when every surface segment is limited).',
  ),
});

export const LoadingSchema = z
  .strictObject({
    protocol: z
      .enum(['single', 'cycling'])
      .optional()
      .describe(
        'Absent or "single": one charge (or discharge) as set by direction / to_soc / duration_s. "cycling": loading.cycles charge–rest–discharge–rest cycles with loading.charge, loading.discharge and loading.rest_s (docs/physics.md §9).',
      ),
    cycles: z
      .int()
      .min(1)
      .max(100000)
      .optional()
      .describe('Cycling: number of charge–discharge cycles N, integer 1–100000. Default 1.'),
    charge: CyclingLegSchema.optional().describe(
      'Cycling: the charge leg { c_rates, to_soc }. Default { "c_rates": [1, 0.5, 0.1], "to_soc": 1 }.',
    ),
    discharge: CyclingLegSchema.optional().describe(
      'Cycling: the discharge leg { c_rates, to_soc }. Default { "c_rates": [1, 0.5, 0.1], "to_soc": 0 }.',
    ),
    crack_infiltration: z
      .boolean()
      .optional()
      .describe(
        "Cycling: electrolyte infiltration. At the start of every leg, grain-boundary elements that are cracked (D ≥ output.isolated_grain_damage) and joined through cracked elements to the outer surface become flux surfaces (both faces, each with its grain's rate); the same current spreads over the larger surface. Default false.",
      ),
    rest_s: nonNegative()
      .optional()
      .describe('Cycling: rest without current after each charge and after each discharge (s), ≥ 0. Default 0.'),
    c_rates: z
      .union([positive(), z.array(positive()).min(1)])
      .default([1, 0.5, 0.1])
      .describe(
        'Surface C-rate r > 0, or a list: each surface grain draws its rate from the list (seeded). Flux q = r · delta_x_1C · (A/P) / 3600 s.',
      ),
    direction: z
      .enum(['charge', 'discharge'])
      .default('charge')
      .describe('"charge" (Li leaves through the surface) or "discharge" (Li enters).'),
    to_soc: fraction()
      .optional()
      .describe(
        'End of the run: the state of charge to reach, in [0, 1]. Default: 1 when duration_s is not given (give one of them, not both).',
      ),
    duration_s: positive().optional().describe('End of the run: simulated time (s), > 0; alternative to to_soc.'),
    delta_x_1C: positive()
      .refine((v) => v <= 1, { message: 'must be ≤ 1' })
      .default(200 / 275)
      .describe(
        'Site fraction that 1C removes in one hour, in (0, 1] (200/275: 1C = 200 mAh/g of a ~275 mAh/g capacity).',
      ),
    x_min: fraction()
      .default(0.02)
      .describe(
        'Lower limit of the surface x, in [0, 1], < x_max: a flux segment reaching it is throttled (reported in summary.json).',
      ),
    x_max: fraction().default(0.999).describe('Upper limit of the surface x on discharge, in [0, 1].'),
    temperature_K: finite()
      .refine((v) => v >= 200 && v <= 400, { message: 'must be in [200, 400] K' })
      .default(298.15)
      .describe(
        'Temperature of the particle (K), in [200, 400]: the Arrhenius factor exp(E_a/R (1/298.15 − 1/T)) of a "oregan2022" diffusivity. Constant diffusivities are taken as given at this temperature.',
      ),
    initial_soc: fraction()
      .default(0)
      .describe('State of charge at the start, in [0, 1] (x = 1 − initial_soc · delta_x_1C everywhere).'),
  })
  .refine((l) => !(l.to_soc !== undefined && l.duration_s !== undefined), {
    message: 'give either to_soc or duration_s as the end of the run, not both',
  })
  .refine(
    (l) =>
      l.protocol === 'cycling' ||
      (l.cycles === undefined &&
        l.charge === undefined &&
        l.discharge === undefined &&
        l.rest_s === undefined &&
        l.crack_infiltration === undefined),
    { message: 'cycles, charge, discharge, rest_s and crack_infiltration belong to "protocol": "cycling"' },
  );

export const SolverSchema = z.strictObject({
  max_dt_s: positive().default(20).describe('Largest time step (s), > 0.'),
  min_dt_s: positive().default(1e-3).describe('Smallest time step (s), > 0 and ≤ max_dt_s.'),
  initial_dt_s: positive().default(1).describe('First time step (s), > 0; Δt then grows × 1.5 while little happens.'),
  max_x_change_per_step: positive()
    .refine((v) => v <= 1, { message: 'must be ≤ 1' })
    .default(2e-3)
    .describe(
      "Largest change of the Li site fraction x at any point over one step (dimensionless), in (0, 1]: the next Δt is at most Δt × this / max|Δx| of the last step. It bounds the eigenstrain (load) increment per step, so that a long step in a quiet phase does not overshoot a boundary's limit point (docs/solver.md); 1 turns it off.",
    ),
  max_damage_increment: positive()
    .default(0.2)
    .describe(
      'Target largest damage growth per step: Δt follows it; a step growing more than 2.5 × this is retried once with half Δt.',
    ),
  damage_dt_floor_s: positive()
    .default(0.5)
    .describe('Damage alone never shrinks Δt below this (s): a snapping boundary is not resolved by smaller steps.'),
  max_iterations: z
    .int()
    .min(1)
    .default(40)
    .describe('Implicit scheme: damage-secant iteration limit per step, integer ≥ 1.'),
  tolerance: positive()
    .default(3e-3)
    .describe(
      'Tolerance of the damage-secant iteration on ΔD, > 0 (3e-3 changes D̄ by 0.05 % against 1e-3 and is 2.5 × faster).',
    ),
  damage_lag_tolerance: nonNegative()
    .default(0.05)
    .describe(
      'A solve stopped at max_iterations with ΔD ≤ this is accepted and the rest of the damage follows next step (history column lagged), ≥ 0.',
    ),
  max_cutbacks: z
    .int()
    .min(0)
    .default(8)
    .describe(
      'Implicit scheme: halvings of Δt after a non-converged step before the run stops with an error (results so far are kept), integer ≥ 0.',
    ),
  scheme: z
    .enum(['implex', 'implicit'])
    .default('implex')
    .describe(
      'Damage solve: "implex" (IMPL-EX, one linear solve per step with the damage extrapolated from the last step, the implicit update committed, Δt from the a posteriori error; cannot fail) or "implicit" (the damage-secant iteration to solver.tolerance: the tight reference). docs/solver.md.',
    ),
  implex_tolerance: positive()
    .default(0.05)
    .describe('IMPL-EX: target of the a posteriori error max |D_implicit − D_extrapolated| per step (drives Δt), > 0.'),
  implex_mean_tolerance: z
    .union([positive(), z.literal('auto')])
    .default('auto')
    .describe(
      'IMPL-EX: target of the length-weighted mean |D_implicit − D_extrapolated| per step, the step\'s error in D̄ (drives Δt): a number > 0, or "auto", 1e-4 · √(N_eff / 50) with N_eff the particle\'s effective number of grain boundaries (docs/solver.md; summary.json `solver` gives the value used).',
    ),
  mechanics_rtol: positive()
    .refine((v) => v < 1e-3, { message: 'must be < 1e-3' })
    .default(1e-8)
    .describe(
      'Relative residual ‖f − K u‖/‖f‖ (dimensionless) at which the WASM kernel stops a mechanics linear solve (PCG on the last Cholesky factor), in (0, 1e-3); the TS oracle solves directly and ignores it. 1e-8 leaves damage errors far below the IMPL-EX error per step (docs/solver.md); 1e-14 makes the two kernels agree to ~1e-10.',
    ),
  implex_dt_floor_s: positive()
    .default(0.05)
    .describe('IMPL-EX: the error never shrinks Δt below this (s); smaller steps do resolve a snap-through, > 0.'),
  cycle_jump: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('false: every cycle is resolved; true: cycles are jumped over while the damage grows slowly.'),
      max_damage_increment: positive()
        .refine((v) => v <= 1, { message: 'must be ≤ 1' })
        .default(0.02)
        .describe(
          'Largest damage increment of any interface point over one jump, in (0, 1]: the jump length ΔN is chosen so that ΔN × (largest damage change in the last resolved cycle) stays below it.',
        ),
    })
    .optional()
    .describe(
      'Cycling: cycle jumps (Cojocaru & Karlsson 2006): after ≥ 2 resolved cycles the per-point damage is extrapolated over ΔN cycles, never over a cycle of output.cycles or the last cycle. Default { "enabled": true, "max_damage_increment": 0.02 }.',
    ),
  crack_blocks_diffusion: z
    .boolean()
    .default(false)
    .describe('Scale the grain-boundary Li conductance by (1 − D), so that opened cracks cut Li paths.'),
  plane: z
    .enum(['strain', 'stress', 'generalized-strain'])
    .default('strain')
    .describe(
      '"strain" (plane strain, ε_zz = 0), "stress" (plane stress, σ_zz = 0) or "generalized-strain" (one uniform ε_zz for the section, chosen so that the net axial force ∫σ_zz dA is zero: a free section of a long particle; two linear solves per system).',
    ),
  kernel: z
    .enum(['wasm', 'ts'])
    .default('wasm')
    .describe('"wasm" (the WebAssembly kernel) or "ts" (the pure TypeScript oracle: same algorithms, 5–12 × slower).'),
});

export const ClassThresholdsSchema = z.strictObject({
  mild_cracked_fraction: fraction()
    .default(0.01)
    .describe('Cracked length fraction (D ≥ 0.99) at or above which a particle is mildly damaged, in [0, 1].'),
  broken_cracked_fraction: fraction()
    .default(0.2)
    .describe('Cracked length fraction at or above which a particle is broken, in [0, 1].'),
  core_radius_fraction: fraction()
    .default(0.5)
    .describe(
      'Core radius as a fraction of R: a connected cracked path from the surface to r ≤ this · R also makes the particle broken.',
    ),
});

export const OutputSchema = z.strictObject({
  snapshots_soc: z
    .array(fraction())
    .default([0.25, 0.55, 1.0])
    .describe('SoC values at which full fields are written (fields_NNNN.vtu, interfaces_NNNN.vtu), each in [0, 1].'),
  vtu: z.boolean().default(true).describe('Write the VTU snapshots (false: only summary.json and history.csv).'),
  hotspot_threshold: fraction()
    .default(0.1)
    .describe(
      'Hot-spot metric: SoC excess over the particle SoC above which a part of the surface shell counts as a hot spot, in [0, 1].',
    ),
  hotspot_shell_um: positive().default(0.16).describe('Hot-spot metric: depth of the surface shell below R (µm), > 0.'),
  class_thresholds: ClassThresholdsSchema.default({
    mild_cracked_fraction: 0.01,
    broken_cracked_fraction: 0.2,
    core_radius_fraction: 0.5,
  }).describe('Particle class thresholds: intact / mildly damaged / broken.'),
  cycles: z
    .array(z.int().min(1))
    .optional()
    .describe(
      'Cycling: cycles (1-based) at whose end the particle class goes into summary.json and a snapshot is written; never jumped over by a cycle jump. Default [1, loading.cycles].',
    ),
  isolated_grain_damage: fraction()
    .optional()
    .describe(
      'Cycling: a grain-boundary element with D ≥ this no longer connects its two grains; a grain with no path of connecting elements to a flux surface is isolated (isolated_fraction in cycles.csv), in [0, 1]. Default 0.99 (cracked).',
    ),
  checkpoint_every_steps: z
    .int()
    .min(0)
    .default(20)
    .describe(
      'Write checkpoint.json every this many accepted steps (0: never). The solver caches are dropped at these steps in every run, so a run resumed with --resume repeats the uninterrupted one bit for bit.',
    ),
  checkpoint_min_interval_s: z
    .number()
    .min(0)
    .default(2)
    .describe(
      'At a checkpoint step, write checkpoint.json only when at least this many wall-clock seconds (≥ 0) passed since the last one (0: at every checkpoint step). The solver caches are still dropped at every checkpoint step, so results do not depend on it; a resumed run recomputes at most this long plus checkpoint_every_steps steps. Default 2 s: on a slow or busy file system the atomic renames of a write per 20 steps cost up to 15 % of a short run.',
    ),
});

export const ConfigSchema = z.strictObject({
  name: z.string().optional().describe('Name of the run: the progress label, kept in summary.json.'),
  geometry: GeometrySchema.default({ shape: 'quarter', radius_um: 5, mesh_size_um: 0.1 }).describe(
    'Particle shape, size and mesh resolution.',
  ),
  microstructure: MicrostructureSchema.default(MICROSTRUCTURE_DEFAULTS).describe(
    'The Voronoi polycrystal: grain count or size, seed, orientations.',
  ),
  coating: CoatingSchema.optional().describe('Surface coating annulus; absent = a bare particle.'),
  porosity: PorositySchema.optional().describe(
    'Pores (whole Voronoi cells removed), absent = dense solid: "gradient" (0.13 at the core → 0.08 at the surface), "dense" (0.02 uniform), { "center", "surface" } (linear in r) or { "uniform" }; each in [0, 0.5), measured in rings from 50 % to 100 % of R.',
  ),
  material: MaterialSchema.default(DEFAULT_MATERIAL).describe(
    'Grain material: a preset name (nmc811 and nmc811-mf: the sourced NMC811 set; nmc90-bare and nmc90-mf: the assumed curves of the mechanofusion study\'s reference model; mf-coating) or { "preset": name, overrides }. `chemofrac materials` lists every preset value with its provenance tag.',
  ),
  loading: LoadingSchema.default({
    c_rates: [1, 0.5, 0.1],
    direction: 'charge',
    delta_x_1C: 200 / 275,
    x_min: 0.02,
    x_max: 0.999,
    temperature_K: 298.15,
    initial_soc: 0,
  }).describe('Surface Li flux: C-rates, direction and the end of the run.'),
  solver: SolverSchema.default({
    max_dt_s: 20,
    min_dt_s: 1e-3,
    initial_dt_s: 1,
    max_x_change_per_step: 2e-3,
    max_damage_increment: 0.2,
    damage_dt_floor_s: 0.5,
    max_iterations: 40,
    tolerance: 3e-3,
    damage_lag_tolerance: 0.05,
    max_cutbacks: 8,
    scheme: 'implex',
    implex_tolerance: 0.05,
    implex_mean_tolerance: 'auto',
    implex_dt_floor_s: 0.05,
    mechanics_rtol: 1e-8,
    crack_blocks_diffusion: false,
    plane: 'strain',
    kernel: 'wasm',
  }).describe('Time stepping, damage iteration and the kernel.'),
  output: OutputSchema.default({
    snapshots_soc: [0.25, 0.55, 1.0],
    vtu: true,
    hotspot_threshold: 0.1,
    hotspot_shell_um: 0.16,
    class_thresholds: { mild_cracked_fraction: 0.01, broken_cracked_fraction: 0.2, core_radius_fraction: 0.5 },
    checkpoint_every_steps: 20,
    checkpoint_min_interval_s: 2,
  }).describe('Snapshots, checkpoints and the settings of the metrics.'),
});

/** The config as a user writes it (everything optional). */
export type UserConfig = z.input<typeof ConfigSchema>;
/** The config after schema defaults (still preset names, not yet resolved materials). */
export type ParsedConfig = z.output<typeof ConfigSchema>;
