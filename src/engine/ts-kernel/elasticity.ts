/**
 * Linear elasticity of a hexagonal grain with the lithiation eigenstrain (mirrors assembly/elasticity.ts): the 2D
 * reduction of the crystal, its rotation to global axes, the eigenstress and the lattice strains of a triangle.
 *
 * Voigt notation with engineering shear: ε = [εxx, εyy, γxy], σ = [σxx, σyy, σxy].
 *
 * Grain frame (docs/physics.md §3): 1 = a in-plane along e_a = (−sin θ, cos θ), 2 = c along e_c = (cos θ, sin θ),
 * 3 = a out of plane. Hexagonal stiffness with c along axis 2:
 *   σ11 = C11 ε11 + C13 ε22 + C12 ε33,  σ22 = C13 ε11 + C33 ε22 + C13 ε33,  σ33 = C12 ε11 + C13 ε22 + C11 ε33,
 *   σ12 = C44 γ12.
 * Eigenstrain εᴸ = (ε_a, ε_c, ε_a) in (1, 2, 3).
 *
 * Plane strain (ε33 = 0): σ_loc = Cr (ε_loc − εᴸ_in) − [C12 ε_a, C13 ε_a, 0], Cr = [[C11, C13, 0], [C13, C33, 0],
 *   [0, 0, C44]], σ33 = C12 (ε11 − ε_a) + C13 (ε22 − ε_c) − C11 ε_a.
 * Plane stress (σ33 = 0, ε33 condensed): Cr = [[C11 − C12²/C11, C13 − C12 C13/C11, 0],
 *   [C13 − C12 C13/C11, C33 − C13²/C11, 0], [0, 0, C44]], σ_loc = Cr (ε_loc − εᴸ_in), σ33 = 0.
 *
 * Rotation: ε_loc = T ε with rows
 *   ε11 = ax² εxx + ay² εyy + ax ay γxy,  ε22 = cx² εxx + cy² εyy + cx cy γxy,
 *   γ12 = 2 ax cx εxx + 2 ay cy εyy + (ax cy + ay cx) γxy,          (a = e_a, c = e_c)
 * and by work invariance σ_glob = Tᵀ σ_loc, C_glob = Tᵀ Cr T.
 */
import type { KernelMaterial, KernelSetup } from '../kernel-api.js';
import { interpolateTable } from './lattice.js';

/** Strain transformation T (3×3 row-major), global Voigt strain → grain-frame Voigt strain. */
export function strainRotation(theta_rad: number): Float64Array {
  const c = Math.cos(theta_rad),
    s = Math.sin(theta_rad);
  const ax = -s,
    ay = c,
    cx = c,
    cy = s;
  return Float64Array.of(
    ax * ax,
    ay * ay,
    ax * ay,
    cx * cx,
    cy * cy,
    cx * cy,
    2 * ax * cx,
    2 * ay * cy,
    ax * cy + ay * cx,
  );
}

/** Reduced in-plane stiffness Cr in the grain frame (3×3 row-major). */
export function reducedLocalStiffness(m: KernelMaterial, plane: 'strain' | 'stress'): Float64Array {
  const { C11_MPa: C11, C12_MPa: C12, C13_MPa: C13, C33_MPa: C33, C44_MPa: C44 } = m;
  if (plane === 'strain') return Float64Array.of(C11, C13, 0, C13, C33, 0, 0, 0, C44);
  const c11 = C11 - (C12 * C12) / C11;
  const c13 = C13 - (C12 * C13) / C11;
  const c33 = C33 - (C13 * C13) / C11;
  return Float64Array.of(c11, c13, 0, c13, c33, 0, 0, 0, C44);
}

/** C_glob = Tᵀ Cr T (3×3 row-major). */
export function rotatedStiffness(Cr: Float64Array, T: Float64Array): Float64Array {
  const CT = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += Cr[3 * i + k] * T[3 * k + j];
      CT[3 * i + j] = s;
    }
  const C = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += T[3 * k + i] * CT[3 * k + j];
      C[3 * i + j] = s;
    }
  return C;
}

/**
 * Eigenstress σ* (global Voigt) such that σ = C_glob ε − σ*, split as σ* = g_a ε_a + g_c ε_c:
 *   σ*_loc = Cr (ε_a, ε_c, 0) + (plane strain) (C12 ε_a, C13 ε_a, 0), σ* = Tᵀ σ*_loc.
 * Returns [g_a (3), g_c (3)].
 */
export function eigenstressCoefficients(
  m: KernelMaterial,
  Cr: Float64Array,
  T: Float64Array,
  plane: 'strain' | 'stress',
): Float64Array {
  const locA = Float64Array.of(Cr[0], Cr[3], Cr[6]);
  const locC = Float64Array.of(Cr[1], Cr[4], Cr[7]);
  if (plane === 'strain') {
    locA[0] += m.C12_MPa;
    locA[1] += m.C13_MPa;
  }
  const out = new Float64Array(6);
  for (let i = 0; i < 3; i++) {
    out[i] = T[i] * locA[0] + T[3 + i] * locA[1] + T[6 + i] * locA[2];
    out[3 + i] = T[i] * locC[0] + T[3 + i] * locC[1] + T[6 + i] * locC[2];
  }
  return out;
}

/** [ε_a, ε_c] of triangle t at the mean of its nodal x (through diffusionDof), from its material's table. */
export function latticeStrainOfTriangle(s: KernelSetup, x: Float64Array, t: number): [number, number] {
  const dof = s.diffusionDof;
  const xm = (x[dof[s.triNodes[3 * t]]] + x[dof[s.triNodes[3 * t + 1]]] + x[dof[s.triNodes[3 * t + 2]]]) / 3;
  const m = s.materials[s.triMaterial[t]];
  return [interpolateTable(m.latticeX, m.latticeA, xm), interpolateTable(m.latticeX, m.latticeC, xm)];
}
