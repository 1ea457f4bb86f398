/**
 * Mass balance (docs/physics.md §6): with consistent mass and backward Euler, Σ_j (M x)_j = ∫x dA and the rows of
 * K_D (and of the interface conductance) sum to zero, so every step must satisfy
 *   ∫x¹ − ∫x⁰ = −Δt Σ_s q_s L_s
 * to round-off (asserted at 1e-12 relative to ∫x⁰), for anisotropic grains, mixed per-segment fluxes of both
 * signs, varying Δt, and crack-blocked diffusion whose conductance changes with damage.
 */
import { describe, expect, it } from 'vitest';
import { diskMesh, rectangleMesh } from '../../src/mesh/structured.js';
import type { Kernel, KernelSetup } from '../../src/engine/kernel-api.js';
import { mulberry32 } from '../support/fem.js';
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

function segmentLengths(s: KernelSetup): Float64Array {
  return Float64Array.from({ length: s.fluxSegmentCount }, (_, g) => {
    const a = s.fluxSegmentNodes[2 * g],
      b = s.fluxSegmentNodes[2 * g + 1];
    return Math.hypot(s.coords_um[2 * b] - s.coords_um[2 * a], s.coords_um[2 * b + 1] - s.coords_um[2 * a + 1]);
  });
}

function checkedStep(kernel: Kernel, dt: number, q: Float64Array, lengths: Float64Array): number {
  const before = kernel.liIntegral();
  kernel.diffusionStep(dt, q);
  const after = kernel.liIntegral();
  let out = 0;
  for (let g = 0; g < q.length; g++) out += q[g] * lengths[g];
  return Math.abs(after - before + dt * out) / Math.abs(before);
}

describe.each(kernels)('mass balance every step [$name]', (factory) => {
  it('quarter disk, anisotropic, mixed per-segment fluxes, varying Δt', async () => {
    const mesh = diskMesh({ radius_um: 5, shape: 'quarter', rings: 20, orientation_rad: 0.8 });
    const setup = buildKernelSetup(mesh, { materials: [hexagonalMaterial({ D_ab_um2_s: 0.01, D_c_um2_s: 0.001 })] });
    const kernel = await factory.create();
    kernel.setup(setup);
    kernel.li().fill(1);
    const rand = mulberry32(3);
    const rates = [1, 0.5, 0.1];
    const q = Float64Array.from({ length: setup.fluxSegmentCount }, () => 1e-4 * rates[Math.floor(rand() * 3)]);
    const L = segmentLengths(setup);
    let worst = 0;
    for (let k = 0; k < 20; k++) {
      if (k === 12) q.forEach((v, g) => (q[g] = g % 3 === 0 ? -v : v)); // some segments lithiate
      worst = Math.max(worst, checkedStep(kernel, k < 10 ? 5 : 17.5, q, L));
    }
    console.log(`[${factory.name}] quarter disk: worst relative mass-balance error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-12);
  });

  it('polycrystal with crack-blocked diffusion and damage-scaled conductance', async () => {
    const rand = mulberry32(11);
    const seeds = Array.from({ length: 6 }, () => [rand() * 2, rand() * 2]);
    const mesh = rectangleMesh({
      width_um: 2,
      height_um: 2,
      nx: 12,
      ny: 12,
      grainOf: (x, y) => {
        let best = 0;
        seeds.forEach((p, g) => {
          if (Math.hypot(x - p[0], y - p[1]) < Math.hypot(x - seeds[best][0], y - seeds[best][1])) best = g;
        });
        return best;
      },
      orientation_rad: seeds.map(() => rand() * Math.PI),
    });
    const fixed = unionDofs(dofsOf(mesh.leftNodes, [0]), dofsOf(mesh.bottomNodes, [1]));
    const setup = buildKernelSetup(mesh, {
      materials: [hexagonalMaterial({ D_ab_um2_s: 0.05, D_c_um2_s: 0.005, lattice: NMC_LIKE_LATTICE })],
      crackBlocksDiffusion: true,
      interfaceMaterials: [
        interfaceMaterial({ strength_MPa: 30, Gc_J_m2: 0.05, penalty_MPa_per_um: 1e6, liConductance_um_s: 0.5 }),
      ],
      fixedDofs: fixed,
    });
    expect(setup.diffusionDofCount).toBe(mesh.nodeCount);
    const kernel = await factory.create();
    kernel.setup(setup);
    kernel.li().fill(1);
    const L = segmentLengths(setup);
    const q = Float64Array.from(mesh.surfaceSide, (side) => (side === 1 || side === 3 ? 0.02 : 0.005));
    let worst = 0;
    let maxD = 0;
    for (let k = 0; k < 8; k++) {
      worst = Math.max(worst, checkedStep(kernel, 2, q, L));
      kernel.mechanicsSolve({ dt_s: 2, maxIterations: 50, tolerance: 1e-8 });
      kernel.commitDamage();
      maxD = Math.max(maxD, ...kernel.damage());
    }
    console.log(
      `[${factory.name}] polycrystal: worst relative mass-balance error ${worst.toExponential(2)}, max D ${maxD.toFixed(3)}`,
    );
    expect(maxD).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1e-12);
  });
});
