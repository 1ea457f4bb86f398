/**
 * A bicrystal with equal orientations behaves like a single crystal (docs/physics.md §6): the same geometry meshed
 * with cohesive interface elements (duplicated nodes on x = w/2, intact penalty bond) and without (shared nodes).
 * The difference must be at the penalty-compliance level: nodal displacements differ by O(|T| / K) and shrink in
 * proportion to 1/K. Two load cases: uniform Δx (anisotropic eigenstrain) with the left edge clamped, and a
 * prescribed stretch without eigenstrain.
 */
import { describe, expect, it } from 'vitest';
import { bicrystalMesh } from '../../src/mesh/structured.js';
import type { RectangleMesh } from '../../src/mesh/structured.js';
import type { KernelFactory } from '../support/kernels.js';
import { availableKernels } from '../support/kernels.js';
import {
  NMC_LIKE_LATTICE,
  buildKernelSetup,
  dofsOf,
  hexagonalMaterial,
  interfaceMaterial,
  unionDofs,
} from '../support/setup.js';

const kernels = await availableKernels();
const theta = 0.5;
const material = hexagonalMaterial({ lattice: NMC_LIKE_LATTICE });

type LoadCase = 'eigenstrain' | 'stretch';

async function solve(factory: KernelFactory, mesh: RectangleMesh, loadCase: LoadCase, K: number) {
  const pin = mesh.leftNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
  const fixed =
    loadCase === 'eigenstrain'
      ? dofsOf(mesh.leftNodes)
      : unionDofs(dofsOf(mesh.leftNodes, [0]), [2 * pin + 1], dofsOf(mesh.rightNodes, [0]));
  const right = new Set(dofsOf(mesh.rightNodes, [0]));
  const setup = buildKernelSetup(mesh, {
    materials: [material],
    // Damageable, but far too strong to damage here: exercises the same code path as a real grain boundary.
    interfaceMaterials: [interfaceMaterial({ penalty_MPa_per_um: K, strength_MPa: 1e7, Gc_J_m2: 1e5 })],
    fixedDofs: fixed,
  });
  const kernel = await factory.create();
  kernel.setup(setup);
  kernel.li().fill(loadCase === 'eigenstrain' ? 0.5 : 1);
  const prescribed = Float64Array.from(fixed, (d) => (loadCase === 'stretch' && right.has(d) ? 0.01 : 0));
  const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 10, tolerance: 1e-12, prescribed });
  expect(rep.converged).toBe(true);
  expect(Math.max(0, ...kernel.trialDamage())).toBe(0);
  const out = { u: Float64Array.from(kernel.displacement()), stress: Float64Array.from(kernel.stress()) };
  kernel.dispose();
  return out;
}

describe.each(kernels)('bicrystal with equal orientations ≡ single crystal [$name]', (factory) => {
  for (const loadCase of ['eigenstrain', 'stretch'] as const) {
    it(`${loadCase}: displacements and stresses agree to the penalty-compliance level`, async () => {
      const opts = { width_um: 2, height_um: 1, nx: 8, ny: 4, orientation_rad: [theta, theta] as [number, number] };
      const bi = bicrystalMesh({ ...opts, interfaces: 'cohesive' });
      const single = bicrystalMesh({ ...opts, interfaces: 'none' });
      expect(bi.interfaceCount).toBe(4);
      expect(single.interfaceCount).toBe(0);
      // Node of the single crystal at each geometric point.
      const nodeOfPoint = new Int32Array(single.pointCount);
      for (let n = 0; n < single.nodeCount; n++) nodeOfPoint[single.nodePoint[n]] = n;
      const ref = await solve(factory, single, loadCase, 1e8); // no interface elements: K unused
      const maxU = Math.max(...ref.u.map(Math.abs));
      const maxS = Math.max(...ref.stress.map(Math.abs));
      const diffs: { du: number; ds: number }[] = [];
      for (const K of [1e8, 1e9]) {
        const r = await solve(factory, bi, loadCase, K);
        let du = 0,
          ds = 0;
        for (let n = 0; n < bi.nodeCount; n++) {
          const m = nodeOfPoint[bi.nodePoint[n]];
          du = Math.max(du, Math.abs(r.u[2 * n] - ref.u[2 * m]), Math.abs(r.u[2 * n + 1] - ref.u[2 * m + 1]));
        }
        // Triangles are generated in the same order in both meshes.
        for (let k = 0; k < r.stress.length; k++) ds = Math.max(ds, Math.abs(r.stress[k] - ref.stress[k]));
        diffs.push({ du, ds });
        // Displacement jump at an intact bond is |T| / K ≤ max|σ| / K.
        expect(du).toBeLessThan((2 * maxS) / K);
        expect(du / maxU).toBeLessThan(1e-3);
        expect(ds / maxS).toBeLessThan(5e-3);
      }
      console.log(
        `[${factory.name}] bicrystal ${loadCase}: max|u| ${maxU.toExponential(3)} µm, max|σ| ${maxS.toFixed(1)} MPa; ` +
          diffs
            .map((d, i) => `K=1e${8 + i}: Δu ${d.du.toExponential(2)} µm, Δσ ${d.ds.toExponential(2)} MPa`)
            .join('; '),
      );
      // Penalty compliance: ×10 stiffer bond ⇒ ≈ ×10 smaller difference.
      expect(diffs[1].du).toBeLessThan(diffs[0].du / 5);
      expect(diffs[1].ds).toBeLessThan(diffs[0].ds / 5);
    });
  }
});
