/**
 * Generalized plane strain (docs/physics.md §7): one uniform axial strain ε_zz for the whole section, chosen so that
 * the net axial force ∫σ_zz dA vanishes, in both kernels.
 *  - a free grain with an in-plane c-axis under a uniform Li fraction is stress-free in every component (σ_zz
 *    included: plane strain would leave σ_zz = −(C12 + C11) ε_a …) and ε_zz equals the out-of-plane lattice strain ε_a;
 *  - a polycrystal with 3D c-axes, cohesive boundaries and a graded Li field, stepped through damage: ∫σ_zz dA = 0
 *    to round-off at every step, where plane strain leaves a large net axial force.
 */
import { describe, expect, it } from 'vitest';
import { rectangleMesh } from '../../src/mesh/structured.js';
import { availableKernels } from '../support/kernels.js';
import { buildKernelSetup, hexagonalMaterial, interfaceMaterial, linearLattice } from '../support/setup.js';
import type { SectionPlane } from '../../src/engine/kernel-api.js';

const kernels = await availableKernels();
const lattice = linearLattice(-0.01, 0.02);
const material = hexagonalMaterial({ lattice, D_ab_um2_s: 1, D_c_um2_s: 0.1 });

function axialForce(stress: Float64Array, area: Float64Array): number {
  let f = 0;
  for (let t = 0; t < area.length; t++) f += area[t] * stress[4 * t + 3];
  return f;
}

function triangleAreas(coords: Float64Array, tri: Uint32Array): Float64Array {
  return Float64Array.from({ length: tri.length / 3 }, (_, t) => {
    const [a, b, c] = [tri[3 * t], tri[3 * t + 1], tri[3 * t + 2]];
    return (
      0.5 *
      ((coords[2 * b] - coords[2 * a]) * (coords[2 * c + 1] - coords[2 * a + 1]) -
        (coords[2 * c] - coords[2 * a]) * (coords[2 * b + 1] - coords[2 * a + 1]))
    );
  });
}

describe.each(kernels)('generalized plane strain [$name]', (factory) => {
  it('a free grain with an in-plane c-axis is stress-free in every component; ε_zz = ε_a', async () => {
    const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: 5, ny: 5, orientation_rad: [0.7] });
    const n00 = mesh.leftNodes.find((i) => mesh.coords_um[2 * i + 1] === 0) as number;
    const n10 = mesh.rightNodes.find((i) => mesh.coords_um[2 * i + 1] === 0) as number;
    const solve = async (plane: SectionPlane) => {
      const setup = buildKernelSetup(mesh, {
        materials: [material],
        plane,
        fixedDofs: [2 * n00, 2 * n00 + 1, 2 * n10 + 1],
      });
      const kernel = await factory.create();
      kernel.setup(setup);
      kernel.li().fill(0.4);
      const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-12 });
      expect(rep.converged).toBe(true);
      return { stress: Float64Array.from(kernel.stress()), axial: rep.axialStrain ?? NaN };
    };
    const ea = -0.01 * 0.6;
    const scale = material.C11_MPa * 0.02 * 0.6;
    const gps = await solve('generalized-strain');
    expect(gps.stress).toBeCloseArray(0, { abs: 1e-11 * scale });
    expect(gps.axial).toBeWithin(ea, { rel: 1e-12 });
    // plane strain keeps the out-of-plane constraint stress (the reason for the option)
    const strain = await solve('strain');
    expect(Math.abs(strain.stress[3])).toBeGreaterThan(0.1 * scale);
    expect(strain.axial).toBe(0);
  });

  it('3D c-axes, cohesive boundaries, damage: ∫σ_zz dA = 0 at every step (plane strain: far from 0)', async () => {
    const mesh = rectangleMesh({
      width_um: 2,
      height_um: 1.5,
      nx: 10,
      ny: 8,
      grainOf: (x, y) => (x < 0.7 ? 0 : x < 1.3 ? (y < 0.75 ? 1 : 2) : 3),
      orientation_rad: [0, 0, 0, 0],
      pattern: 'crossed',
    });
    const axes: [number, number, number][] = [
      [0.3, 0.4, Math.sqrt(1 - 0.25)],
      [0.9, -0.1, Math.sqrt(1 - 0.82)],
      [0, 0, 1],
      [Math.cos(2), Math.sin(2), 0],
    ];
    const n00 = mesh.leftNodes.find((i) => mesh.coords_um[2 * i + 1] === 0) as number;
    const nTop = mesh.leftNodes.find((i) => mesh.coords_um[2 * i + 1] === 1.5) as number;
    const area = triangleAreas(mesh.coords_um, mesh.triNodes);
    const run = async (plane: SectionPlane) => {
      const setup = buildKernelSetup(mesh, {
        materials: [material],
        plane,
        fixedDofs: [2 * n00, 2 * n00 + 1, 2 * nTop],
        axisOfGrain: (g) => axes[g],
        interfaceMaterials: [interfaceMaterial({ strength_MPa: 150, Gc_J_m2: 1, penalty_MPa_per_um: 1e6 })],
      });
      const kernel = await factory.create();
      kernel.setup(setup);
      const forces: number[] = [];
      let maxD = 0;
      for (let k = 1; k <= 6; k++) {
        // a graded Li field, deepening every step
        const x = kernel.li();
        for (let n = 0; n < mesh.nodeCount; n++)
          x[setup.diffusionDof[n]] = 1 - 0.12 * k * (mesh.coords_um[2 * n] / 2) ** 2;
        const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 200, tolerance: 1e-10 });
        expect(rep.converged).toBe(true);
        kernel.commitDamage();
        forces.push(axialForce(kernel.stress(), area));
        maxD = Math.max(maxD, ...kernel.damage());
      }
      return { forces, maxD };
    };
    const gps = await run('generalized-strain');
    const strain = await run('strain');
    const scale = material.C11_MPa * 0.02 * 3; // stress scale × section area (3 µm²)
    console.log(
      `[${factory.name}] generalized plane strain: max |∫σ_zz dA| ${Math.max(...gps.forces.map(Math.abs)).toExponential(2)} MPa·µm² ` +
        `(plane strain ${Math.max(...strain.forces.map(Math.abs)).toExponential(2)}), max D ${gps.maxD.toFixed(3)}`,
    );
    for (const f of gps.forces) expect(Math.abs(f)).toBeLessThan(1e-10 * scale);
    expect(Math.max(...strain.forces.map(Math.abs))).toBeGreaterThan(1e-3 * scale);
    expect(gps.maxD).toBeGreaterThan(0);
  });
});
