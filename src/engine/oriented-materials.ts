/**
 * Grain orientation in 3D, seen in a 2D section (docs/physics.md §7): the in-plane constants both kernels use,
 * computed once per (material, c-axis) at setup, so the rotation is written once, here.
 *
 * A grain's c-axis is a unit vector n = (n_x, n_y, n_z) anywhere on the sphere (z out of the section plane). With
 * the hexagonal constants C11, C12, C13, C33, C44 of the crystal (c along its axis 3) and C66 = (C11 − C12)/2, the
 * stiffness is transversely isotropic about n, in closed form (Walpole):
 *
 *   C_ijkl = λ δ_ij δ_kl + μ_T (δ_ik δ_jl + δ_il δ_jk) + a (δ_ij n_k n_l + n_i n_j δ_kl) + b n_i n_j n_k n_l
 *            + (μ_L − μ_T) (δ_ik n_j n_l + δ_il n_j n_k + δ_jk n_i n_l + δ_jl n_i n_k),
 *   λ = C12, μ_T = C66, μ_L = C44, a = C13 − C12, b = C11 + C33 − 2 C13 − 4 C44,
 *
 * (n = e_3 gives back C11 … C44 exactly). The lithiation eigenstrain and the diffusivity are rotated the same way:
 *   εᴸ = ε_a (I − n nᵀ) + ε_c n nᵀ,   D = D_ab (I − n nᵀ) + D_c n nᵀ.
 *
 * Section, with p = (xx, yy, xy) the in-plane components (engineering shear γ_xy) and o = (zz, yz, xz):
 *   plane strain (ε_o = 0):  σ_p = C_pp ε_p − σ⁰_p,  σ⁰ = C : εᴸ = ε_a C:(I − n nᵀ) + ε_c C:(n nᵀ),
 *                            σ_zz = C_zz,p ε_p − σ⁰_zz;
 *   plane stress (σ_o = 0):  ε_o condensed: C̃_pp = C_pp − C_po C_oo⁻¹ C_op,  σ̃⁰_p = σ⁰_p − C_po C_oo⁻¹ σ⁰_o,
 *                            σ_zz = 0;
 *   generalized plane strain: plane strain plus one uniform ε_zz of the section (ε_yz = ε_xz = 0):
 *                            σ_p += C_p,zz ε_zz,  σ_zz += C_zzzz ε_zz, ε_zz chosen so that ∫σ_zz dA = 0.
 * For an in-plane n = (cos θ, sin θ, 0) this is exactly the rotation Tᵀ L T of §3.3; for n = (0, 0, 1) the
 * in-plane response is isotropic. Only D's in-plane block enters the 2D diffusion.
 */
import { vec3 } from 'gl-matrix';
import type { KernelMaterial, KernelSetup, SectionPlane } from './kernel-api.js';
import { cos, sin } from '../math/portable.js';

/** The in-plane constants of one (material, c-axis) pair: what a kernel needs per triangle. */
export interface OrientedMaterial {
  /** Index of the hexagonal material in `KernelSetup.materials` (for its lattice-strain table). */
  material: number;
  /** Unit c-axis (global frame). */
  axis: [number, number, number];
  /** In-plane diffusivity tensor [D_xx, D_xy, D_yy] (µm²/s). */
  diffusivity_um2_s: [number, number, number];
  /** Section stiffness (Voigt, engineering shear), upper triangle [xx·xx, xx·yy, xx·xy, yy·yy, yy·xy, xy·xy] (MPa). */
  stiffness_MPa: [number, number, number, number, number, number];
  /** In-plane eigenstress per unit ε_a and per unit ε_c: σ⁰_p = ε_a G_a + ε_c G_c, [xx, yy, xy] (MPa). */
  eigenstressA_MPa: [number, number, number];
  eigenstressC_MPa: [number, number, number];
  /** σ_zz = s33 · ε_p + s33a ε_a + s33c ε_c (plane strain; all 0 in plane stress), [xx, yy, xy] and the two (MPa). */
  stressZz_MPa: [number, number, number];
  stressZzA_MPa: number;
  stressZzC_MPa: number;
  /** Generalized plane strain only (else 0): σ_p per unit ε_zz, C_p,zz [xx, yy, xy], and C_zzzz (MPa). */
  stiffnessZz_MPa: [number, number, number];
  stiffnessZzZz_MPa: number;
}

/** Every triangle's oriented material: the distinct (material, axis) pairs and each triangle's index into them. */
export interface OrientedMaterials {
  records: OrientedMaterial[];
  triRecord: Uint32Array;
}

/** The c-axis of triangle t: `triAxis` when given, else the in-plane (cos θ, sin θ, 0). */
export function triangleAxis(s: KernelSetup, t: number): [number, number, number] {
  if (s.triAxis) return [s.triAxis[3 * t], s.triAxis[3 * t + 1], s.triAxis[3 * t + 2]];
  const th = s.triAngle_rad[t];
  return [cos(th), sin(th), 0];
}

const delta = (i: number, j: number): number => (i === j ? 1 : 0);

/** C_ijkl of the hexagonal material m with its c-axis along the unit vector n (81 values, index 27i + 9j + 3k + l). */
export function stiffnessTensor(m: KernelMaterial, n: ArrayLike<number>): Float64Array {
  const lambda = m.C12_MPa;
  const muT = (m.C11_MPa - m.C12_MPa) / 2;
  const muL = m.C44_MPa;
  const a = m.C13_MPa - m.C12_MPa;
  const b = m.C11_MPa + m.C33_MPa - 2 * m.C13_MPa - 4 * m.C44_MPa;
  const C = new Float64Array(81);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++)
        for (let l = 0; l < 3; l++) {
          C[27 * i + 9 * j + 3 * k + l] =
            lambda * delta(i, j) * delta(k, l) +
            muT * (delta(i, k) * delta(j, l) + delta(i, l) * delta(j, k)) +
            a * (delta(i, j) * n[k] * n[l] + n[i] * n[j] * delta(k, l)) +
            b * n[i] * n[j] * n[k] * n[l] +
            (muL - muT) *
              (delta(i, k) * n[j] * n[l] +
                delta(i, l) * n[j] * n[k] +
                delta(j, k) * n[i] * n[l] +
                delta(j, l) * n[i] * n[k]);
        }
  return C;
}

/** Voigt pairs: in-plane p = (xx, yy, xy), out-of-plane o = (zz, yz, xz). */
const IN_PLANE: [number, number][] = [
  [0, 0],
  [1, 1],
  [0, 1],
];
const OUT_OF_PLANE: [number, number][] = [
  [2, 2],
  [1, 2],
  [0, 2],
];

/** (C : E)_ij for a symmetric 3×3 E (row-major 9). */
function contract(C: Float64Array, E: ArrayLike<number>, i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += C[27 * i + 9 * j + 3 * k + l] * E[3 * k + l];
  return s;
}

/** Inverse of a 3×3 matrix (row-major). */
function inverse3(M: number[]): number[] {
  const [a, b, c, d, e, f, g, h, k] = M;
  const A = e * k - f * h,
    B = -(d * k - f * g),
    Cc = d * h - e * g;
  const det = a * A + b * B + c * Cc;
  return [
    A / det,
    -(b * k - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * k - c * g) / det,
    -(a * f - c * d) / det,
    Cc / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** The in-plane constants of material m (index `material`) with c-axis `axis` in the given section. */
export function orientMaterial(
  m: KernelMaterial,
  material: number,
  axis: ArrayLike<number>,
  plane: SectionPlane,
): OrientedMaterial {
  // f64 throughout: gl-matrix's own vec3.create() is f32
  const n = vec3.normalize(new Float64Array(3), Float64Array.of(axis[0], axis[1], axis[2]));
  const C = stiffnessTensor(m, n);
  const nn = new Float64Array(9);
  const basal = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      nn[3 * i + j] = n[i] * n[j];
      basal[3 * i + j] = delta(i, j) - n[i] * n[j];
    }
  const Cpp = IN_PLANE.map(([i, j]) => IN_PLANE.map(([k, l]) => C[27 * i + 9 * j + 3 * k + l]));
  const ga = IN_PLANE.map(([i, j]) => contract(C, basal, i, j));
  const gc = IN_PLANE.map(([i, j]) => contract(C, nn, i, j));
  let s33 = [0, 0, 0];
  let s33a = 0;
  let s33c = 0;
  let stiffnessZz = [0, 0, 0];
  let stiffnessZzZz = 0;
  if (plane === 'generalized-strain') {
    stiffnessZz = IN_PLANE.map(([i, j]) => C[27 * i + 9 * j + 3 * 2 + 2]);
    stiffnessZzZz = C[27 * 2 + 9 * 2 + 3 * 2 + 2];
  }
  if (plane === 'strain' || plane === 'generalized-strain') {
    s33 = IN_PLANE.map(([k, l]) => C[27 * 2 + 9 * 2 + 3 * k + l]);
    s33a = -contract(C, basal, 2, 2);
    s33c = -contract(C, nn, 2, 2);
  } else {
    // σ_o = C_oo ε_o + C_op ε_p − σ⁰_o = 0 (engineering shear columns: C_ij,kl with the pair counted once)
    const Coo = OUT_OF_PLANE.flatMap(([i, j]) => OUT_OF_PLANE.map(([k, l]) => C[27 * i + 9 * j + 3 * k + l]));
    const Cop = OUT_OF_PLANE.map(([i, j]) => IN_PLANE.map(([k, l]) => C[27 * i + 9 * j + 3 * k + l]));
    const Cpo = IN_PLANE.map(([i, j]) => OUT_OF_PLANE.map(([k, l]) => C[27 * i + 9 * j + 3 * k + l]));
    const inv = inverse3(Coo);
    const ga0 = OUT_OF_PLANE.map(([i, j]) => contract(C, basal, i, j));
    const gc0 = OUT_OF_PLANE.map(([i, j]) => contract(C, nn, i, j));
    // X = C_po C_oo⁻¹ (3×3)
    const X = Cpo.map((row) => [0, 1, 2].map((c) => row[0] * inv[c] + row[1] * inv[3 + c] + row[2] * inv[6 + c]));
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) Cpp[r][c] -= X[r][0] * Cop[0][c] + X[r][1] * Cop[1][c] + X[r][2] * Cop[2][c];
      ga[r] -= X[r][0] * ga0[0] + X[r][1] * ga0[1] + X[r][2] * ga0[2];
      gc[r] -= X[r][0] * gc0[0] + X[r][1] * gc0[1] + X[r][2] * gc0[2];
    }
  }
  const Dab = m.D_ab_um2_s;
  const Dc = m.D_c_um2_s;
  const D = (i: number, j: number) => Dab * basal[3 * i + j] + Dc * nn[3 * i + j];
  return {
    material,
    axis: [n[0], n[1], n[2]],
    diffusivity_um2_s: [D(0, 0), D(0, 1), D(1, 1)],
    stiffness_MPa: [Cpp[0][0], Cpp[0][1], Cpp[0][2], Cpp[1][1], Cpp[1][2], Cpp[2][2]],
    eigenstressA_MPa: [ga[0], ga[1], ga[2]],
    eigenstressC_MPa: [gc[0], gc[1], gc[2]],
    stressZz_MPa: [s33[0], s33[1], s33[2]],
    stressZzA_MPa: s33a,
    stressZzC_MPa: s33c,
    stiffnessZz_MPa: [stiffnessZz[0], stiffnessZz[1], stiffnessZz[2]],
    stiffnessZzZz_MPa: stiffnessZzZz,
  };
}

/** The distinct (material, c-axis) pairs of a setup and each triangle's record (computed once per pair). */
export function orientedMaterials(s: KernelSetup): OrientedMaterials {
  const records: OrientedMaterial[] = [];
  const index = new Map<string, number>();
  const triRecord = new Uint32Array(s.triCount);
  for (let t = 0; t < s.triCount; t++) {
    const m = s.triMaterial[t];
    const axis = triangleAxis(s, t);
    const key = `${m}:${axis[0]}:${axis[1]}:${axis[2]}`;
    let r = index.get(key);
    if (r === undefined) {
      r = records.length;
      records.push(orientMaterial(s.materials[m], m, axis, s.plane));
      index.set(key, r);
    }
    triRecord[t] = r;
  }
  return { records, triRecord };
}
