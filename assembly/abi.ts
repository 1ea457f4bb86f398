/**
 * The kernel's binary interface, defined once: error codes, the field slots of the material records, the ids of
 * the arrays the host reads and writes. `index.ts` re-exports every constant as an immutable WebAssembly global,
 * and the host (`src/engine/wasm-abi.ts`) reads them from the instance at load time: it never re-types a number,
 * and a kernel built from another version of this file is refused with a message instead of misreading memory.
 *
 * Bump ABI_VERSION whenever a slot, stride, array id or error code changes meaning.
 */

export const ABI_VERSION: i32 = 6;

// ---- error codes: every entry point returns one ----
export const ERROR_NONE: i32 = 0;
export const ERROR_TRIANGLE_AREA: i32 = 1;
export const ERROR_DIFFUSION_FACTOR: i32 = 2;
export const ERROR_DIFFUSION_NOT_FINITE: i32 = 3;
export const ERROR_DUPLICATE_FIXED_DOF: i32 = 4;
export const ERROR_MECHANICS_SOLVE: i32 = 5;
export const ERROR_INDEX_RANGE: i32 = 6;
export const ERROR_NOT_READY: i32 = 7;

// ---- oriented material record: MATERIAL_STRIDE f64 per (material, c-axis) pair ----
// The host computes these in-plane constants once per pair (src/engine/oriented-materials.ts, docs/physics.md §7):
// the kernel never rotates a tensor. Each triangle's ARRAY_TRI_MATERIAL entry is the index of its record.
/** In-plane diffusivity tensor D_xx, D_xy, D_yy, µm²/s. */
export const MATERIAL_D_XX: i32 = 0;
export const MATERIAL_D_XY: i32 = 1;
export const MATERIAL_D_YY: i32 = 2;
/** Section stiffness (Voigt, engineering shear), MPa: xx·xx, xx·yy, xx·xy, yy·yy, yy·xy, xy·xy. */
export const MATERIAL_STIFFNESS_XX_XX: i32 = 3;
export const MATERIAL_STIFFNESS_XX_YY: i32 = 4;
export const MATERIAL_STIFFNESS_XX_XY: i32 = 5;
export const MATERIAL_STIFFNESS_YY_YY: i32 = 6;
export const MATERIAL_STIFFNESS_YY_XY: i32 = 7;
export const MATERIAL_STIFFNESS_XY_XY: i32 = 8;
/** Eigenstress per unit ε_a (xx, yy, xy at this slot and the next two), MPa. */
export const MATERIAL_EIGENSTRESS_A: i32 = 9;
/** Eigenstress per unit ε_c (xx, yy, xy at this slot and the next two), MPa. */
export const MATERIAL_EIGENSTRESS_C: i32 = 12;
/** σ_zz = s33·ε + s33a ε_a + s33c ε_c: s33 (xx, yy, xy at this slot and the next two), s33a, s33c, MPa. */
export const MATERIAL_STRESS_ZZ: i32 = 15;
export const MATERIAL_STRESS_ZZ_A: i32 = 18;
export const MATERIAL_STRESS_ZZ_C: i32 = 19;
/** Start of this record's lattice-strain table in the LATTICE_TABLE array: x[len], ε_a[len], ε_c[len]. */
export const MATERIAL_TABLE_OFFSET: i32 = 20;
/** Rows of that table. */
export const MATERIAL_TABLE_LENGTH: i32 = 21;
/** Generalized plane strain (0 otherwise): in-plane stress per unit ε_zz, C_p,zz (xx, yy, xy at this slot and the
 * next two), and C_zzzz, MPa. */
export const MATERIAL_STIFFNESS_ZZ: i32 = 22;
export const MATERIAL_STIFFNESS_ZZ_ZZ: i32 = 25;
/**
 * Concentration-dependent diffusivity (docs/physics.md §8; 0 at MATERIAL_D_FIT: constant D). With 1, the
 * element's D tensor is the record's D_XX … D_YY times φ(x̄) = scale · 10^(c0 + Σ_k a_k exp(−(s − b_k)²/c_k)),
 * s = x̄ clamped to [s_min, s_max], x̄ the element mean of x at the start of the step:
 * MATERIAL_D_FIT (0/1), MATERIAL_D_FIT_SCALE (prefactor / the record's D_ab), MATERIAL_D_FIT_C0, the amplitudes
 * a_k, centres b_k and widths c_k (three slots each), MATERIAL_D_FIT_S_MIN, MATERIAL_D_FIT_S_MAX.
 */
export const MATERIAL_D_FIT: i32 = 26;
export const MATERIAL_D_FIT_SCALE: i32 = 27;
export const MATERIAL_D_FIT_C0: i32 = 28;
export const MATERIAL_D_FIT_A: i32 = 29;
export const MATERIAL_D_FIT_B: i32 = 32;
export const MATERIAL_D_FIT_C: i32 = 35;
export const MATERIAL_D_FIT_S_MIN: i32 = 38;
export const MATERIAL_D_FIT_S_MAX: i32 = 39;
export const MATERIAL_STRIDE: i32 = 40;

// ---- interface material record: INTERFACE_STRIDE f64 per interface material ----
/** Penalty stiffness K, MPa/µm. */
export const INTERFACE_PENALTY: i32 = 0;
/** Cohesive strength σ_max, MPa. */
export const INTERFACE_STRENGTH: i32 = 1;
/** Fracture energy G_c, J/m² (= MPa·µm). */
export const INTERFACE_FRACTURE_ENERGY: i32 = 2;
/** 1 when the interface can damage, 0 when it stays bonded. */
export const INTERFACE_DAMAGEABLE: i32 = 3;
/** Gao–Bower viscosity η, s (0: rate-independent). */
export const INTERFACE_VISCOSITY: i32 = 4;
/** Li conductance across the intact interface, µm/s. */
export const INTERFACE_CONDUCTANCE: i32 = 5;
/** Cohesive fatigue (docs/physics.md §9): accumulation length δ_Σ, µm (0: no fatigue). */
export const INTERFACE_FATIGUE_LENGTH: i32 = 6;
/** Cohesive fatigue: endurance traction σ_f, MPa. */
export const INTERFACE_FATIGUE_ENDURANCE: i32 = 7;
export const INTERFACE_STRIDE: i32 = 8;

// ---- arrays: ids for arrayPointer(id) / arrayLength(id) / arrayElementBytes(id) ----
// setup inputs
export const ARRAY_COORDS: i32 = 0;
export const ARRAY_TRI_NODES: i32 = 1;
export const ARRAY_TRI_MATERIAL: i32 = 2;
export const ARRAY_MATERIAL_PARAMS: i32 = 3;
export const ARRAY_LATTICE_TABLE: i32 = 4;
export const ARRAY_DIFFUSION_DOF: i32 = 5;
export const ARRAY_INTERFACE_NODES: i32 = 6;
export const ARRAY_INTERFACE_MATERIAL: i32 = 7;
export const ARRAY_INTERFACE_PARAMS: i32 = 8;
export const ARRAY_FLUX_SEGMENT_NODES: i32 = 9;
export const ARRAY_FIXED_DOFS: i32 = 10;
// per-step inputs
export const ARRAY_SEGMENT_FLUX: i32 = 11;
export const ARRAY_DIFFUSION_EXTRA: i32 = 12;
export const ARRAY_PRESCRIBED: i32 = 13;
export const ARRAY_MECHANICS_EXTRA: i32 = 14;
// fields and state
export const ARRAY_LI: i32 = 15;
export const ARRAY_DISPLACEMENT: i32 = 16;
export const ARRAY_DAMAGE: i32 = 17;
export const ARRAY_TRIAL_DAMAGE: i32 = 18;
export const ARRAY_KAPPA: i32 = 19;
export const ARRAY_KAPPA_RATE: i32 = 20;
export const ARRAY_OPENING: i32 = 21;
export const ARRAY_TRACTION: i32 = 22;
export const ARRAY_STRESS: i32 = 23;
/** Committed effective opening λ_n per interface point (fatigue state). */
export const ARRAY_LAMBDA: i32 = 24;
export const ARRAY_COUNT: i32 = 25;
