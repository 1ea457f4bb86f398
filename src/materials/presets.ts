/**
 * Material presets with units in every name and a provenance tag on every number (docs/physics.md §4):
 *   S = stated in the reference papers, L = literature, D = derived, A = assumption to be replaced when a source
 *   is found.
 * Units: diffusivity m²/s (converted to µm²/s for the kernel), stiffness GPa, strength MPa, fracture energy J/m².
 */

export type Provenance = 'S' | 'L' | 'D' | 'A' | 'S/A' | 'S/D';

/** A number with its provenance tag, a note saying what it encodes, and its source (a citation) when it has one. */
export interface Tagged<T> {
  value: T;
  tag: Provenance;
  note: string;
  source?: string;
}

/** Hexagonal stiffness in the grain frame (GPa): 1 = a in-plane, 2 = c, 3 = a out-of-plane. */
export interface HexagonalStiffness_GPa {
  C11: number;
  C12: number;
  C13: number;
  C33: number;
  C44: number;
}

export type Elasticity = { isotropic: { E_GPa: number; nu: number } } | { hexagonal_GPa: HexagonalStiffness_GPa };

/** Lattice strain (fractions) against the local Li site fraction x; zero at x = 1 (the pristine, lithiated state). */
export interface LatticeStrainTable {
  x: number[];
  a: number[];
  c: number[];
}

export interface GrainBoundaryLaw {
  enabled: boolean;
  strength_MPa: number;
  Gc_J_m2: number;
  /** Penalty stiffness; null = derived as 50 E / mean grain diameter (docs/physics.md §3). */
  penalty_GPa_per_um: number | null;
  /** Gao–Bower viscous regularisation time (s); 0 = none. */
  viscosity_s: number;
  /**
   * Cohesive fatigue (docs/physics.md §9): endurance ratio σ_f / σ_max and accumulation length ratio δ_Σ / λ0.
   * Absent = no fatigue (a single charge, unchanged); the resolver fills them in for cycling runs.
   */
  fatigue_endurance_ratio?: number;
  fatigue_length_ratio?: number;
}

/**
 * How D_ab depends on the local Li fraction x: "constant" (D_ab_m2_s everywhere) or "oregan2022" (the NMC811 GITT
 * fit of O'Regan et al. 2022 with its activation energy, `OREGAN2022_NMC811`; docs/physics.md §8).
 */
export const DIFFUSIVITY_MODELS = ['constant', 'oregan2022'] as const;
export type DiffusivityModel = (typeof DIFFUSIVITY_MODELS)[number];

/**
 * A concentration-dependent diffusivity fit in the form of O'Regan et al. (2022), with s the stoichiometry (Li
 * fraction, 1 = fully lithiated) and T the temperature (K):
 *   D_ab(s, T) = correction · 10^(c0 + Σ_k a_k exp(−(s − b_k)²/c_k)) · exp((E_a/R) (1/T_ref − 1/T))   [m²/s],
 * s clamped to [s_min, s_max], the window the fit was made over.
 */
export interface DiffusivityFitCoefficients {
  correction: number;
  c0: number;
  a: [number, number, number];
  b: [number, number, number];
  c: [number, number, number];
  s_min: number;
  s_max: number;
  activation_K: number;
  reference_temperature_K: number;
}

/** A fully specified bulk material (what a preset resolves to, before user overrides). */
export interface MaterialSpec {
  name: string;
  /** D_ab when `diffusivity_model` is "constant"; with a fit, only the reference the fit's tensor is scaled from. */
  D_ab_m2_s: number;
  D_c_over_D_ab: number;
  /** Absent = "constant". */
  diffusivity_model?: DiffusivityModel;
  elasticity: Elasticity;
  lattice_strain: LatticeStrainTable;
  gb: GrainBoundaryLaw;
}

/**
 * Bare Ni-rich NMC (NMC90) lattice strain, docs/physics.md §4: ε_c rises to about +1 % at half charge (x ≈ 0.64)
 * and collapses to −2.0 % at full charge (x ≈ 0.27, the c-decrement measured for bare particles: S); ε_a falls
 * linearly to about −1 % at x = 0.27. The shape between the stated points is an assumption (A): a smooth rise,
 * then the H2→H3 collapse concentrated below x ≈ 0.45. Beyond x = 0.27 the strains continue with the last slope
 * of ε_a and hold ε_c (deep delithiation is not reached by the reference loading).
 */
const NMC90_BARE_LATTICE: LatticeStrainTable = {
  x: [0.0, 0.27, 0.33, 0.4, 0.45, 0.55, 0.64, 0.8, 1.0],
  a: [-0.0137, -0.01, -0.00918, -0.00822, -0.00753, -0.00616, -0.00493, -0.00274, 0.0],
  c: [-0.02, -0.02, -0.011, -0.002, 0.004, 0.0085, 0.01, 0.006, 0.0],
};

function scaleTable(t: LatticeStrainTable, factor: number): LatticeStrainTable {
  return { x: [...t.x], a: t.a.map((v) => v * factor), c: t.c.map((v) => v * factor) };
}

/** Sources of the sourced (S, L) values, cited once. */
export const SOURCES = {
  mechanofusion: 'the mechanofusion (MF) coating study the reference model reproduces (docs/physics.md §1)',
  porosity: 'the gradient-porosity study (2,042 particles; docs/physics.md §1)',
  marker2019: 'Märker et al., Chem. Mater. 31, 2545 (2019): NMC811 operando XRD, first charge',
  roe2003:
    'Roe & Siegmund, Eng. Fract. Mech. 70, 209 (2003): cohesive zone fatigue law; C_f = σ_f/σ_max = 0.25 and δ_Σ = 4 δ_0 as used in its examples (from memory: check the original)',
  oregan2022:
    "O'Regan, Brosa Planella, Widanage, Kendrick, Electrochim. Acta 425, 140700 (2022): NMC811 (LG M50 cell) GITT diffusivity fit and its activation energy (the fit PyBaMM's ORegan2022 parameter set uses)",
  liu2024:
    'Liu, Roters, Raabe, Nat. Commun. 15, 7970 (2024), SI Table S1 (read from a transcription; check the original)',
} as const;

/**
 * NMC811 lattice strain against the Li site fraction x, first charge, operando XRD (Märker 2019), converted with
 * 275.5 mAh/g and relative to the pristine cell a0 = 2.8704 Å, c0 = 14.1918 Å (docs/physics.md §8). Ascending x;
 * held constant below x = 0.12 (the last measured point). The c-axis first expands (+2.05 % at x ≈ 0.35) and then
 * collapses (H2→H3); a contracts monotonically.
 */
const NMC811_MARKER_LATTICE: LatticeStrainTable = {
  x: [0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
  a: [
    -0.0205, -0.0203, -0.0198, -0.0193, -0.0189, -0.018, -0.017, -0.0154, -0.0139, -0.0103, -0.0073, -0.005, -0.0016, 0,
  ],
  c: [-0.013, -0.0042, 0.0089, 0.0155, 0.0192, 0.0205, 0.0202, 0.0183, 0.0168, 0.0125, 0.0077, 0.0047, 0.0014, 0],
};

/**
 * O'Regan 2022 NMC811 diffusivity: the published GITT fit (log10 D as three Gaussians in s, times the paper's
 * correcting factor 2.7) and the Arrhenius activation E_a/R = 1449 K about 298.15 K; 2.8e-15 … 1.25e-14 m²/s at
 * 298.15 K over the window. The window is the cell's positive-electrode stoichiometry range (about 0.27–0.91);
 * x outside it is clamped to it.
 */
export const OREGAN2022_NMC811: DiffusivityFitCoefficients = {
  correction: 2.7,
  c0: -13.96,
  a: [-0.9231, -0.4066, -0.993],
  b: [0.3216, 0.4532, 0.8098],
  c: [0.002534, 0.003926, 0.09924],
  s_min: 0.27,
  s_max: 0.91,
  activation_K: 1449,
  reference_temperature_K: 298.15,
};

/** Lithiated NMC811 hexagonal stiffness (Liu 2024, GPa); Hill average E ≈ 140 GPa, ν ≈ 0.25. */
const NMC811_LITHIATED: HexagonalStiffness_GPa = { C11: 195, C12: 134, C13: 11.9, C33: 177, C44: 74.1 };

/** The tagged parameter file: every preset value with its provenance, written once (the presets read it). */
const TAGGED = {
  'nmc90.D_ab_m2_s': { value: 1e-14, tag: 'A', note: 'literature spread 1e-15 … 1e-13 m²/s' },
  'nmc90.D_c_over_D_ab': {
    value: 0.1,
    tag: 'S',
    note: 'reference model: D_c = D_ab / 10',
    source: SOURCES.mechanofusion,
  },
  'nmc811.diffusivity_oregan2022': {
    value: OREGAN2022_NMC811,
    tag: 'L',
    note: 'D_ab(x, T) of NMC811 from GITT (2.8e-15 … 1.25e-14 m²/s at 298.15 K), E_a/R = 1449 K; x clamped to the fit window 0.27–0.91; D_c = 0.1 D_ab(x)',
    source: SOURCES.oregan2022,
  },
  'loading.temperature_K': {
    value: 298.15,
    tag: 'A',
    note: 'room temperature, the reference temperature of the O\'Regan fit; enters only through D(x) of "oregan2022"',
  },
  'nmc90.elasticity.hexagonal_GPa': {
    value: { C11: 250, C12: 90, C13: 70, C33: 180, C44: 50 },
    tag: 'A',
    note: 'placeholder of the reference model; the sourced NMC811 set is nmc811.elasticity.hexagonal_GPa',
  },
  'nmc90.elasticity.isotropic': { value: { E_GPa: 170, nu: 0.28 }, tag: 'A', note: 'isotropic fallback' },
  'nmc90-bare.lattice_strain': {
    value: NMC90_BARE_LATTICE,
    tag: 'S/A',
    note: 'end point ε_c = −2.0 % at x ≈ 0.27 measured for bare (S); curve shape assumed (A)',
    source: SOURCES.mechanofusion,
  },
  'nmc90-mf.lattice_strain': {
    value: scaleTable(NMC90_BARE_LATTICE, 0.3),
    tag: 'S/A',
    note: 'bare shape × 0.3: ε_c ends at −0.6 %, the c-decrement measured for MF-coated particles (S); shape (A)',
    source: SOURCES.mechanofusion,
  },
  'nmc811.lattice_strain': {
    value: NMC811_MARKER_LATTICE,
    tag: 'L',
    note: 'operando XRD, first charge; the collapse depends on Li content, not Ni content, so it serves NMC90 too',
    source: SOURCES.marker2019,
  },
  'nmc811-mf.lattice_strain': {
    value: scaleTable(NMC811_MARKER_LATTICE, 0.3),
    tag: 'A',
    note: 'Märker curve × 0.3, the ratio of c-decrements measured for MF vs bare particles (0.6 % vs 2.0 %)',
    source: SOURCES.mechanofusion,
  },
  'nmc811.elasticity.hexagonal_GPa': {
    value: NMC811_LITHIATED,
    tag: 'L',
    note: 'lithiated NMC811 (DFT); the delithiated set (C33 = 18 GPa) is not used yet',
    source: SOURCES.liu2024,
  },
  'gb.strength_MPa': { value: 200, tag: 'A', note: 'no published NMC value; plausible window 100–500 MPa' },
  'gb.Gc_J_m2': { value: 2, tag: 'A', note: 'no published NMC value; window 0.4–4.4 J/m² (K_Ic of LiMn2O4)' },
  'gb.fatigue_endurance_ratio': {
    value: 0.25,
    tag: 'A',
    note: 'σ_f / σ_max: no fatigue damage below this traction; the value of the source, no NMC value (cycling runs only)',
    source: SOURCES.roe2003,
  },
  'gb.fatigue_length_ratio': {
    value: 4,
    tag: 'A',
    note: 'δ_Σ / λ0: fatigue damage rate |Δλ| / δ_Σ; the value of the source, no NMC value (cycling runs only)',
    source: SOURCES.roe2003,
  },
  'gb.penalty_GPa_per_um': {
    value: null,
    tag: 'D',
    note: '50 E / mean grain diameter, so intact boundaries add no compliance',
  },
  'mf-coating.D_m2_s': {
    value: 1e-14,
    tag: 'S',
    note: 'reference model: D in the coating = D_ab, isotropic',
    source: SOURCES.mechanofusion,
  },
  'mf-coating.elasticity.isotropic': { value: { E_GPa: 100, nu: 0.3 }, tag: 'A', note: '' },
  'mf-coating.lattice_strain': { value: 0, tag: 'A', note: 'disordered layer: no lattice change' },
  'rock-salt.elasticity.isotropic': {
    value: { E_GPa: 200, nu: 0.3 },
    tag: 'A',
    note: 'inactive rock-salt grains of a synthesized particle (NiO-like (Ni,Co,Mn)O); order of NiO, not measured here',
  },
  'rock-salt.li_exchange': {
    value: 0,
    tag: 'A',
    note: 'rock salt takes no part in the Li exchange: D = 0, no lattice strain, no exchangeable Li',
  },
  'coating.thickness_um': { value: 0.16, tag: 'S', note: '160 ± 20 nm measured', source: SOURCES.mechanofusion },
  'loading.delta_x_1C': {
    value: 200 / 275,
    tag: 'S/D',
    note: '1C = 200 mAh/g of a ~275 mAh/g theoretical capacity',
    source: SOURCES.mechanofusion,
  },
  'geometry.radius_um': { value: 5, tag: 'A', note: 'typical Ni-rich secondary particle' },
  'microstructure.mean_grain_diameter_um': {
    value: 0.5,
    tag: 'S',
    note: '"hundreds of nanometres"',
    source: SOURCES.mechanofusion,
  },
  'porosity.gradient': {
    value: { center: 0.13, surface: 0.08 },
    tag: 'S',
    note: 'rings 50–100 % of R, 8.2 % overall',
    source: SOURCES.porosity,
  },
  'porosity.dense': { value: { uniform: 0.02 }, tag: 'S', note: 'dense control', source: SOURCES.porosity },
  'output.hotspot_shell_um': {
    value: 0.16,
    tag: 'S',
    note: 'bare 27.9 % vs coated 13.8 % of the shell was high-SoC',
    source: SOURCES.mechanofusion,
  },
} satisfies Record<string, Tagged<unknown>>;

/** The tagged parameter file, by entry name. Printed by `chemofrac materials`. */
export const PARAMETER_PROVENANCE: Record<string, Tagged<unknown>> = TAGGED;

const P = TAGGED;

const DEFAULT_GB: GrainBoundaryLaw = {
  enabled: true,
  strength_MPa: P['gb.strength_MPa'].value,
  Gc_J_m2: P['gb.Gc_J_m2'].value,
  penalty_GPa_per_um: P['gb.penalty_GPa_per_um'].value,
  viscosity_s: 0,
};

/** A grain material from its tagged parts (D_c/D_ab is the reference model's 0.1 for every NMC preset). */
function nmc(
  name: string,
  hexagonal: HexagonalStiffness_GPa,
  lattice: LatticeStrainTable,
  diffusivity_model: DiffusivityModel,
): MaterialSpec {
  return {
    name,
    D_ab_m2_s: P['nmc90.D_ab_m2_s'].value,
    D_c_over_D_ab: P['nmc90.D_c_over_D_ab'].value,
    diffusivity_model,
    elasticity: { hexagonal_GPa: { ...hexagonal } },
    lattice_strain: structuredClone(lattice),
    gb: { ...DEFAULT_GB },
  };
}

/**
 * D(x) model of the sourced presets `nmc811`, `nmc811-mf` (docs/physics.md §8): the O'Regan fit. Measured on the
 * sourced bare reference charge (`npm run bench -- --only diffusivity`, alternated, idle machine): 1747 vs 1635
 * steps, CPU and wall time × 1.14 against constant D (× 1.21 on a loaded machine); within the ~20 % the project
 * accepts for a sourced default.
 */
const SOURCED_DIFFUSIVITY_MODEL: DiffusivityModel = 'oregan2022';

/**
 * Presets. `nmc90-bare` / `nmc90-mf` are the reference model of the mechanofusion study (assumed stiffness, the
 * stated end points of its lattice strain); `nmc811` / `nmc811-mf` use the sourced NMC811 stiffness and lattice
 * strain (docs/physics.md §8); `mf-coating` is the coating layer.
 */
export const MATERIAL_PRESETS: Record<string, MaterialSpec> = {
  'nmc90-bare': nmc(
    'nmc90-bare',
    P['nmc90.elasticity.hexagonal_GPa'].value,
    P['nmc90-bare.lattice_strain'].value,
    'constant',
  ),
  'nmc90-mf': nmc(
    'nmc90-mf',
    P['nmc90.elasticity.hexagonal_GPa'].value,
    P['nmc90-mf.lattice_strain'].value,
    'constant',
  ),
  nmc811: nmc(
    'nmc811',
    P['nmc811.elasticity.hexagonal_GPa'].value,
    P['nmc811.lattice_strain'].value,
    SOURCED_DIFFUSIVITY_MODEL,
  ),
  'nmc811-mf': nmc(
    'nmc811-mf',
    P['nmc811.elasticity.hexagonal_GPa'].value,
    P['nmc811-mf.lattice_strain'].value,
    SOURCED_DIFFUSIVITY_MODEL,
  ),
  'mf-coating': {
    name: 'mf-coating',
    D_ab_m2_s: P['mf-coating.D_m2_s'].value,
    D_c_over_D_ab: 1,
    diffusivity_model: 'constant',
    elasticity: { isotropic: { ...P['mf-coating.elasticity.isotropic'].value } },
    lattice_strain: { x: [0, 1], a: [0, 0], c: [0, 0] },
    gb: { ...DEFAULT_GB },
  },
};
export const MATERIAL_PRESET_NAMES = Object.keys(MATERIAL_PRESETS);

/**
 * The grain material of a config that names none: the sourced NMC811 set (Märker 2019 lattice strain, Liu 2024
 * stiffness, docs/physics.md §8). The reference model's assumed `nmc90-bare` stays selectable by name.
 */
export const DEFAULT_MATERIAL = 'nmc811';

/**
 * The inactive rock-salt material of a synthesized particle (docs/synthesis.md §9): no Li exchange (D = 0, no lattice
 * strain: x stays where it starts, no eigenstrain), its own isotropic stiffness. Not a grain preset a config can
 * name: the scenario gives it to the grains a synthesis left as rock salt.
 */
export const INACTIVE_ROCK_SALT: MaterialSpec = {
  name: 'rock-salt-inactive',
  D_ab_m2_s: P['rock-salt.li_exchange'].value,
  D_c_over_D_ab: 1,
  diffusivity_model: 'constant',
  elasticity: { isotropic: { ...P['rock-salt.elasticity.isotropic'].value } },
  lattice_strain: { x: [0, 1], a: [0, 0], c: [0, 0] },
  gb: { ...DEFAULT_GB },
};

/**
 * Hexagonal stiffness (GPa) of an elasticity spec. Isotropic is the special case
 * C11 = C33 = λ + 2μ, C12 = C13 = λ, C44 = μ with λ = Eν/((1+ν)(1−2ν)), μ = E/(2(1+ν)).
 */
export function hexagonalStiffness_GPa(e: Elasticity): HexagonalStiffness_GPa {
  if ('hexagonal_GPa' in e) return e.hexagonal_GPa;
  const { E_GPa, nu } = e.isotropic;
  const lambda = (E_GPa * nu) / ((1 + nu) * (1 - 2 * nu));
  const mu = E_GPa / (2 * (1 + nu));
  return { C11: lambda + 2 * mu, C12: lambda, C13: lambda, C33: lambda + 2 * mu, C44: mu };
}

/**
 * A representative Young's modulus (GPa) used to size the cohesive penalty: for hexagonal stiffness the
 * in-plane a-direction modulus of the plane-strain reduction, E ≈ C11 − C12²/C11 (a lower bound is fine here).
 */
export function representativeModulus_GPa(e: Elasticity): number {
  if ('isotropic' in e) return e.isotropic.E_GPa;
  const C = e.hexagonal_GPa;
  return Math.max(C.C11 - (C.C12 * C.C12) / C.C11, C.C33 - (C.C13 * C.C13) / C.C11);
}
