/**
 * Linear elasticity of a hexagonal grain with the lithiation eigenstrain (mirrors assembly/elasticity.ts). The
 * section constants of each (material, c-axis) pair come from `../oriented-materials.ts`, shared with the WASM
 * kernel's host: σ = D_g ε − (ε_a G_a + ε_c G_c), σ_zz = s33·ε + s33a ε_a + s33c ε_c.
 */
import type { KernelSetup } from '../kernel-api.js';
import { interpolateTable } from './lattice.js';

/** [ε_a, ε_c] of triangle t at the mean of its nodal x (through diffusionDof), from its material's table. */
export function latticeStrainOfTriangle(s: KernelSetup, x: Float64Array, t: number): [number, number] {
  const dof = s.diffusionDof;
  const xm = (x[dof[s.triNodes[3 * t]]] + x[dof[s.triNodes[3 * t + 1]]] + x[dof[s.triNodes[3 * t + 2]]]) / 3;
  const m = s.materials[s.triMaterial[t]];
  return [interpolateTable(m.latticeX, m.latticeA, xm), interpolateTable(m.latticeX, m.latticeC, xm)];
}
