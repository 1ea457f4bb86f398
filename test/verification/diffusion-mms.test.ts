/**
 * Manufactured solution for anisotropic diffusion (docs/physics.md §6): on the unit square (µm), one grain with
 * θ = 0.6 rad, D_ab = 1, D_c = D_ab/10 (µm²/s),
 *   x_e(X, Y, t) = (1 + t) φ(X, Y),  φ = 0.5 + 0.2 sin(k1·X) + 0.2 cos(k2·X),  k1 = (2, 1), k2 = (1, −3) (1/µm).
 * Source s = ∂x/∂t − ∇·(D ∇x) = φ + (1 + t) [0.2 k1ᵀDk1 sin(k1·X) + 0.2 k2ᵀDk2 cos(k2·X)], boundary flux
 * n·D∇x_e imposed weakly: f_extra_i = ∫ s N_i dA + ∫_∂Ω (n·D∇x_e) N_i ds (no flux segments).
 * x_e is linear in t, so backward Euler has no time truncation error and the L2 error at t = 0.2 is spatial:
 * rate ≈ 2 over four meshes.
 */
import { describe, expect, it } from 'vitest';
import { rectangleMesh } from '../../src/mesh/structured.js';
import { areaLoad, l2Error, rates, segmentLoad } from '../support/fem.js';
import { availableKernels } from '../support/kernels.js';
import { buildKernelSetup, hexagonalMaterial } from '../support/setup.js';

const kernels = await availableKernels();

const theta = 0.6;
const D_ab = 1,
  D_c = 0.1;
const c = Math.cos(theta),
  s = Math.sin(theta);
const Dxx = D_c * c * c + D_ab * s * s,
  Dxy = (D_c - D_ab) * c * s,
  Dyy = D_c * s * s + D_ab * c * c;
const k1 = [2, 1],
  k2 = [1, -3];
const kDk = (k: number[]) => k[0] * (Dxx * k[0] + Dxy * k[1]) + k[1] * (Dxy * k[0] + Dyy * k[1]);
const phi = (x: number, y: number) =>
  0.5 + 0.2 * Math.sin(k1[0] * x + k1[1] * y) + 0.2 * Math.cos(k2[0] * x + k2[1] * y);
const exact = (x: number, y: number, t: number) => (1 + t) * phi(x, y);
const source = (x: number, y: number, t: number) =>
  phi(x, y) +
  (1 + t) * (0.2 * kDk(k1) * Math.sin(k1[0] * x + k1[1] * y) + 0.2 * kDk(k2) * Math.cos(k2[0] * x + k2[1] * y));
/** ∇x_e */
const grad = (x: number, y: number, t: number) => {
  const a = 0.2 * Math.cos(k1[0] * x + k1[1] * y),
    b = -0.2 * Math.sin(k2[0] * x + k2[1] * y);
  return [(1 + t) * (a * k1[0] + b * k2[0]), (1 + t) * (a * k1[1] + b * k2[1])];
};

describe.each(kernels)('diffusion MMS, anisotropic, θ = 0.6, D_c = D_ab/10 [$name]', (factory) => {
  it('L2 error converges at rate ≈ 2', async () => {
    const ns = [6, 12, 24, 48];
    const errors: number[] = [];
    const dt = 0.05,
      steps = 4;
    for (const n of ns) {
      const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: n, ny: n, orientation_rad: [theta] });
      const setup = buildKernelSetup(mesh, {
        materials: [hexagonalMaterial({ D_ab_um2_s: D_ab, D_c_um2_s: D_c })],
        fluxSegments: [],
      });
      const kernel = await factory.create();
      kernel.setup(setup);
      const x = kernel.li();
      const dof = setup.diffusionDof;
      for (let i = 0; i < mesh.nodeCount; i++) x[dof[i]] = exact(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1], 0);
      for (let k = 1; k <= steps; k++) {
        const t = k * dt;
        const f = areaLoad(
          mesh,
          setup.diffusionDofCount,
          (X, Y) => [source(X, Y, t)],
          (nd) => dof[nd],
        );
        segmentLoad(
          mesh.coords_um,
          mesh.surfaceNodes,
          f,
          (X, Y, nx, ny) => {
            const g = grad(X, Y, t);
            return nx * (Dxx * g[0] + Dxy * g[1]) + ny * (Dxy * g[0] + Dyy * g[1]);
          },
          (nd) => dof[nd],
        );
        kernel.diffusionStep(dt, new Float64Array(0), f);
      }
      const xs = kernel.li();
      errors.push(
        l2Error(
          mesh,
          (nd) => xs[dof[nd]],
          (X, Y) => [exact(X, Y, steps * dt)],
        ),
      );
      kernel.dispose();
    }
    const r = rates(
      ns.map((n) => 1 / n),
      errors,
    );
    console.log(
      `[${factory.name}] diffusion MMS L2 errors ${errors.map((e) => e.toExponential(3))} rates ${r.map((v) => v.toFixed(3))}`,
    );
    for (const v of r) {
      expect(v).toBeGreaterThan(1.8);
      expect(v).toBeLessThan(2.2);
    }
    expect(errors[errors.length - 1]).toBeLessThan(1e-3);
  });
});
