/**
 * Validation of a `KernelSetup`, one validator for both kernels (the WASM kernel before its setup is copied into
 * WebAssembly memory, the TS oracle before it builds anything): every length, index range and number the kernels
 * rely on is checked here, so bad input gives the same clear `KernelSetupError` from either kernel instead of a
 * trap, an exception deep in an assembly loop, or silent garbage.
 */
import type { KernelSetup } from './kernel-api.js';
import { hypot3 } from '../math/portable.js';

export class KernelSetupError extends Error {
  constructor(message: string) {
    super(`invalid KernelSetup: ${message}`);
    this.name = 'KernelSetupError';
  }
}

function fail(message: string): never {
  throw new KernelSetupError(message);
}

function count(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) fail(`${name} must be a non-negative integer (got ${v})`);
}

function length(name: string, arr: ArrayLike<number> | undefined, expected: number, what: string): void {
  if (!arr) fail(`${name} is missing`);
  if (arr.length !== expected) fail(`${name} has length ${arr.length}, expected ${what} = ${expected}`);
}

function indices(name: string, arr: ArrayLike<number>, bound: number, boundName: string): void {
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (!(v < bound)) fail(`${name}[${i}] = ${v} is out of range (must be < ${boundName} = ${bound})`);
  }
}

function finite(name: string, arr: ArrayLike<number>): void {
  for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) fail(`${name}[${i}] is not finite (${arr[i]})`);
}

/** Throws `KernelSetupError` describing the first problem found. */
export function validateKernelSetup(s: KernelSetup): void {
  count('nodeCount', s.nodeCount);
  count('triCount', s.triCount);
  count('diffusionDofCount', s.diffusionDofCount);
  count('interfaceCount', s.interfaceCount);
  count('fluxSegmentCount', s.fluxSegmentCount);
  if (s.triCount === 0) fail('triCount is 0 (no triangles)');
  if (s.plane !== 'strain' && s.plane !== 'stress' && s.plane !== 'generalized-strain')
    fail(`plane must be "strain", "stress" or "generalized-strain" (got ${String(s.plane)})`);
  length('coords_um', s.coords_um, 2 * s.nodeCount, '2 · nodeCount');
  finite('coords_um', s.coords_um);
  length('triNodes', s.triNodes, 3 * s.triCount, '3 · triCount');
  length('triMaterial', s.triMaterial, s.triCount, 'triCount');
  length('triAngle_rad', s.triAngle_rad, s.triCount, 'triCount');
  finite('triAngle_rad', s.triAngle_rad);
  if (s.triAxis !== undefined) {
    length('triAxis', s.triAxis, 3 * s.triCount, '3 · triCount');
    finite('triAxis', s.triAxis);
    for (let t = 0; t < s.triCount; t++) {
      const n = hypot3(s.triAxis[3 * t], s.triAxis[3 * t + 1], s.triAxis[3 * t + 2]);
      if (!(Math.abs(n - 1) < 1e-9)) fail(`triAxis of triangle ${t} has length ${n}, expected a unit vector`);
    }
  }
  indices('triNodes', s.triNodes, s.nodeCount, 'nodeCount');
  if (!s.materials || s.materials.length === 0) fail('materials is empty');
  indices('triMaterial', s.triMaterial, s.materials.length, 'materials.length');
  s.materials.forEach((m, i) => {
    const name = `materials[${i}]`;
    for (const key of ['D_ab_um2_s', 'D_c_um2_s', 'C11_MPa', 'C12_MPa', 'C13_MPa', 'C33_MPa', 'C44_MPa'] as const) {
      if (!Number.isFinite(m[key])) fail(`${name}.${key} is not a finite number (${m[key]})`);
    }
    if (!(m.D_ab_um2_s >= 0 && m.D_c_um2_s >= 0)) fail(`${name}: diffusivities must be ≥ 0`);
    const fit = m.diffusivityFit;
    if (fit) {
      const numbers = [fit.prefactor_um2_s, fit.c0, ...fit.amplitude, ...fit.centre, ...fit.width, fit.sMin, fit.sMax];
      if (!numbers.every(Number.isFinite)) fail(`${name}.diffusivityFit has a non-finite coefficient`);
      if (!(m.D_ab_um2_s > 0)) fail(`${name}: a diffusivityFit needs D_ab_um2_s > 0 (the tensor it scales)`);
      if (!(fit.prefactor_um2_s > 0)) fail(`${name}.diffusivityFit.prefactor_um2_s must be > 0`);
      if (!fit.width.every((w) => w > 0)) fail(`${name}.diffusivityFit.width must be > 0`);
      if (!(fit.sMin <= fit.sMax)) fail(`${name}.diffusivityFit: sMin must be ≤ sMax`);
    }
    if (!(m.C11_MPa > 0 && m.C33_MPa > 0 && m.C44_MPa > 0)) fail(`${name}: C11, C33 and C44 must be > 0`);
    const n = m.latticeX?.length ?? 0;
    if (n < 1) fail(`${name}.latticeX is empty`);
    length(`${name}.latticeA`, m.latticeA, n, 'latticeX.length');
    length(`${name}.latticeC`, m.latticeC, n, 'latticeX.length');
    finite(`${name}.latticeX`, m.latticeX);
    finite(`${name}.latticeA`, m.latticeA);
    finite(`${name}.latticeC`, m.latticeC);
    for (let j = 1; j < n; j++) {
      if (!(m.latticeX[j] > m.latticeX[j - 1])) fail(`${name}.latticeX must be strictly ascending (index ${j})`);
    }
  });
  length('diffusionDof', s.diffusionDof, s.nodeCount, 'nodeCount');
  indices('diffusionDof', s.diffusionDof, s.diffusionDofCount, 'diffusionDofCount');
  length('interfaceNodes', s.interfaceNodes, 4 * s.interfaceCount, '4 · interfaceCount');
  indices('interfaceNodes', s.interfaceNodes, s.nodeCount, 'nodeCount');
  length('interfaceMaterial', s.interfaceMaterial, s.interfaceCount, 'interfaceCount');
  if (s.interfaceCount > 0 && (!s.interfaceMaterials || s.interfaceMaterials.length === 0)) {
    fail('interfaceMaterials is empty but interfaceCount > 0');
  }
  indices('interfaceMaterial', s.interfaceMaterial, s.interfaceMaterials?.length ?? 0, 'interfaceMaterials.length');
  (s.interfaceMaterials ?? []).forEach((m, i) => {
    const name = `interfaceMaterials[${i}]`;
    if (!(m.penalty_MPa_per_um > 0)) fail(`${name}.penalty_MPa_per_um must be > 0`);
    if (m.damageable && !(m.strength_MPa > 0 && m.Gc_J_m2 > 0)) {
      fail(`${name}: strength_MPa and Gc_J_m2 must be > 0 for a damageable interface`);
    }
    if (!(m.viscosity_s >= 0)) fail(`${name}.viscosity_s must be ≥ 0`);
    if (!(m.liConductance_um_s >= 0)) fail(`${name}.liConductance_um_s must be ≥ 0`);
  });
  length('fluxSegmentNodes', s.fluxSegmentNodes, 2 * s.fluxSegmentCount, '2 · fluxSegmentCount');
  indices('fluxSegmentNodes', s.fluxSegmentNodes, s.nodeCount, 'nodeCount');
  if (!s.fixedDofs) fail('fixedDofs is missing');
  indices('fixedDofs', s.fixedDofs, 2 * s.nodeCount, '2 · nodeCount');
  const seen = new Uint8Array(2 * s.nodeCount);
  for (let i = 0; i < s.fixedDofs.length; i++) {
    if (seen[s.fixedDofs[i]]) fail(`fixedDofs lists dof ${s.fixedDofs[i]} twice`);
    seen[s.fixedDofs[i]] = 1;
  }
  // geometry: counter-clockwise triangles, interfaces of positive length
  const X = s.coords_um;
  for (let t = 0; t < s.triCount; t++) {
    const a = s.triNodes[3 * t];
    const b = s.triNodes[3 * t + 1];
    const c = s.triNodes[3 * t + 2];
    const twoA =
      (X[2 * b] - X[2 * a]) * (X[2 * c + 1] - X[2 * a + 1]) - (X[2 * c] - X[2 * a]) * (X[2 * b + 1] - X[2 * a + 1]);
    if (!(twoA > 0)) fail(`triangle ${t} (nodes ${a}, ${b}, ${c}) is clockwise or degenerate (2A = ${twoA})`);
  }
  for (let e = 0; e < s.interfaceCount; e++) {
    const a0 = s.interfaceNodes[4 * e];
    const a1 = s.interfaceNodes[4 * e + 1];
    if (X[2 * a0] === X[2 * a1] && X[2 * a0 + 1] === X[2 * a1 + 1]) fail(`interface ${e} has zero length`);
  }
}
