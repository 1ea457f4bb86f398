/**
 * Material presets with units in every name and a provenance tag on every number (docs/physics.md §4):
 *   S = stated in the reference papers, L = literature, D = derived, A = assumption to be replaced when a source
 *   is found.
 * Units: diffusivity m²/s (converted to µm²/s for the kernel), stiffness GPa, strength MPa, fracture energy J/m².
 */

export type Provenance = 'S' | 'L' | 'D' | 'A' | 'S/A' | 'S/D';

/** A number with its provenance tag and a note saying where it comes from. */
export interface Tagged<T> {
  value: T;
  tag: Provenance;
  note: string;
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
}

/** A fully specified bulk material (what a preset resolves to, before user overrides). */
export interface MaterialSpec {
  name: string;
  D_ab_m2_s: number;
  D_c_over_D_ab: number;
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

/** The tagged parameter file: every preset value with its provenance. Printed by `chemofrac materials`. */
export const PARAMETER_PROVENANCE: Record<string, Tagged<unknown>> = {
  'nmc90.D_ab_m2_s': { value: 1e-14, tag: 'A', note: 'literature spread 1e-15 … 1e-13 m²/s' },
  'nmc90.D_c_over_D_ab': { value: 0.1, tag: 'S', note: 'reference model: D_c = D_ab / 10' },
  'nmc90.elasticity.hexagonal_GPa': {
    value: { C11: 250, C12: 90, C13: 70, C33: 180, C44: 50 },
    tag: 'A',
    note: 'placeholder; replace with a published DFT set',
  },
  'nmc90.elasticity.isotropic': { value: { E_GPa: 170, nu: 0.28 }, tag: 'A', note: 'isotropic fallback' },
  'nmc90-bare.lattice_strain': {
    value: NMC90_BARE_LATTICE,
    tag: 'S/A',
    note: 'end point ε_c = −2.0 % at x ≈ 0.27 measured for bare (S); curve shape assumed (A)',
  },
  'nmc90-mf.lattice_strain': {
    value: scaleTable(NMC90_BARE_LATTICE, 0.3),
    tag: 'S/A',
    note: 'bare shape × 0.3: ε_c ends at −0.6 %, the c-decrement measured for MF-coated particles (S); shape (A)',
  },
  'gb.strength_MPa': { value: 200, tag: 'A', note: 'plausible window 100–300 MPa' },
  'gb.Gc_J_m2': { value: 2, tag: 'A', note: 'window 1–5 J/m²' },
  'gb.penalty_GPa_per_um': {
    value: null,
    tag: 'D',
    note: '50 E / mean grain diameter, so intact boundaries add no compliance',
  },
  'mf-coating.D_m2_s': { value: 1e-14, tag: 'S', note: 'reference model: D in the coating = D_ab, isotropic' },
  'mf-coating.elasticity.isotropic': { value: { E_GPa: 100, nu: 0.3 }, tag: 'A', note: '' },
  'mf-coating.lattice_strain': { value: 0, tag: 'A', note: 'disordered layer: no lattice change' },
  'coating.thickness_um': { value: 0.16, tag: 'S', note: '160 ± 20 nm measured' },
  'loading.delta_x_1C': { value: 200 / 275, tag: 'S/D', note: '1C = 200 mAh/g of a ~275 mAh/g theoretical capacity' },
  'geometry.radius_um': { value: 5, tag: 'A', note: 'typical Ni-rich secondary particle' },
  'microstructure.mean_grain_diameter_um': { value: 0.5, tag: 'S', note: '"hundreds of nanometres"' },
  'porosity.gradient': { value: { center: 0.13, surface: 0.08 }, tag: 'S', note: 'rings 50–100 % of R, 8.2 % overall' },
  'porosity.dense': { value: { uniform: 0.02 }, tag: 'S', note: 'dense control' },
  'output.hotspot_shell_um': { value: 0.16, tag: 'S', note: 'bare 27.9 % vs coated 13.8 % of the shell was high-SoC' },
};

const DEFAULT_GB: GrainBoundaryLaw = {
  enabled: true,
  strength_MPa: 200,
  Gc_J_m2: 2,
  penalty_GPa_per_um: null,
  viscosity_s: 0,
};

const NMC90_HEXAGONAL: HexagonalStiffness_GPa = { C11: 250, C12: 90, C13: 70, C33: 180, C44: 50 };

export const MATERIAL_PRESETS: Record<string, MaterialSpec> = {
  'nmc90-bare': {
    name: 'nmc90-bare',
    D_ab_m2_s: 1e-14,
    D_c_over_D_ab: 0.1,
    elasticity: { hexagonal_GPa: { ...NMC90_HEXAGONAL } },
    lattice_strain: NMC90_BARE_LATTICE,
    gb: { ...DEFAULT_GB },
  },
  'nmc90-mf': {
    name: 'nmc90-mf',
    D_ab_m2_s: 1e-14,
    D_c_over_D_ab: 0.1,
    elasticity: { hexagonal_GPa: { ...NMC90_HEXAGONAL } },
    lattice_strain: scaleTable(NMC90_BARE_LATTICE, 0.3),
    gb: { ...DEFAULT_GB },
  },
  'mf-coating': {
    name: 'mf-coating',
    D_ab_m2_s: 1e-14,
    D_c_over_D_ab: 1,
    elasticity: { isotropic: { E_GPa: 100, nu: 0.3 } },
    lattice_strain: { x: [0, 1], a: [0, 0], c: [0, 0] },
    gb: { ...DEFAULT_GB },
  },
};

export const MATERIAL_PRESET_NAMES = Object.keys(MATERIAL_PRESETS);

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
