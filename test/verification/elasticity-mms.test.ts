/**
 * Manufactured solution for anisotropic elasticity with a lithiation eigenstrain (docs/physics.md §6), plane strain
 * and plane stress. Unit square (µm), one grain, hexagonal stiffness (C11 250, C12 90, C13 70, C33 180, C44 50 GPa)
 * rotated by θ = 0.7 rad; linear lattice strain ε_a = −0.01 (1 − x), ε_c = +0.02 (1 − x);
 *   u_e = A (sin(k1·X), cos(k2·X)), A = 0.01 µm, k1 = (2, 1), k2 = (1, −2) (1/µm);
 *   x(X) = 0.5 + 0.3 sin(k3·X), k3 = (3, 2): varying eigenstrain.
 * σ = σ(ε(u_e), ε_a(x), ε_c(x)) is linear in its arguments (`referenceStress`, tensor form), so ∂σ/∂X_j =
 * σ(∂ε/∂X_j, ∂ε_a/∂X_j, ∂ε_c/∂X_j) and the body force b = −∇·σ is exact; f_extra = ∫ b N dA, u = u_e on the
 * whole boundary. The discrete eigenstrain uses the element mean of nodal x (a P0 approximation): its error is
 * O(h) pointwise but O(h²) in H⁻¹, so the L2 displacement error still converges at rate 2.
 */
import { describe, expect, it } from 'vitest';
import { rectangleMesh } from '../../src/mesh/structured.js';
import { areaLoad, l2Error, rates, referenceStress } from '../support/fem.js';
import { availableKernels } from '../support/kernels.js';
import { buildKernelSetup, dofsOf, hexagonalMaterial, linearLattice, unionDofs } from '../support/setup.js';

const kernels = await availableKernels();

const theta = 0.7;
const A = 0.01;
const k1 = [2, 1],
  k2 = [1, -2],
  k3 = [3, 2];
const a1 = -0.01,
  c1 = 0.02;
const material = hexagonalMaterial({ lattice: linearLattice(a1, c1) });

const uExact = (x: number, y: number) => [A * Math.sin(k1[0] * x + k1[1] * y), A * Math.cos(k2[0] * x + k2[1] * y)];
const liField = (x: number, y: number) => 0.5 + 0.3 * Math.sin(k3[0] * x + k3[1] * y);

/** ∂/∂X_j of the strain tensor of u_e (j = 0: x, 1: y) and of x. */
function strainDerivative(x: number, y: number, j: number) {
  const s1 = Math.sin(k1[0] * x + k1[1] * y),
    c2 = Math.cos(k2[0] * x + k2[1] * y);
  // ε_xx = A k1x cos(k1·X), ε_yy = −A k2y sin(k2·X), ε_xy = ½ (A k1y cos(k1·X) − A k2x sin(k2·X)).
  return {
    xx: -A * k1[0] * k1[j] * s1,
    yy: -A * k2[1] * k2[j] * c2,
    xy: 0.5 * (-A * k1[1] * k1[j] * s1 - A * k2[0] * k2[j] * c2),
  };
}
const dLi = (x: number, y: number, j: number) => 0.3 * k3[j] * Math.cos(k3[0] * x + k3[1] * y);

function bodyForce(plane: 'strain' | 'stress') {
  return (x: number, y: number) => {
    const d = [0, 1].map((j) => {
      const dx = dLi(x, y, j);
      // ε_a = a1 (1 − x) ⇒ ∂ε_a = −a1 ∂x.
      return referenceStress(material, theta, plane, strainDerivative(x, y, j), -a1 * dx, -c1 * dx);
    });
    // b = −∇·σ: b_x = −(∂x σxx + ∂y σxy), b_y = −(∂x σxy + ∂y σyy).
    return [-(d[0].xx + d[1].xy), -(d[0].xy + d[1].yy)];
  };
}

describe.each(kernels)('elasticity MMS, hexagonal θ = 0.7, varying eigenstrain [$name]', (factory) => {
  for (const plane of ['strain', 'stress'] as const) {
    it(`plane ${plane}: L2 error converges at rate ≈ 2`, async () => {
      const ns = [6, 12, 24, 48];
      const errors: number[] = [];
      for (const n of ns) {
        const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: n, ny: n, orientation_rad: [theta] });
        const fixed = unionDofs(
          dofsOf(mesh.leftNodes),
          dofsOf(mesh.rightNodes),
          dofsOf(mesh.bottomNodes),
          dofsOf(mesh.topNodes),
        );
        const setup = buildKernelSetup(mesh, { materials: [material], plane, fixedDofs: fixed });
        const kernel = await factory.create();
        kernel.setup(setup);
        const xs = kernel.li();
        for (let i = 0; i < mesh.nodeCount; i++)
          xs[setup.diffusionDof[i]] = liField(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1]);
        const prescribed = Float64Array.from(fixed, (d) => {
          const nd = d >> 1;
          return uExact(mesh.coords_um[2 * nd], mesh.coords_um[2 * nd + 1])[d & 1];
        });
        const extra = areaLoad(mesh, 2 * mesh.nodeCount, bodyForce(plane), (nd, c) => 2 * nd + c);
        const report = kernel.mechanicsSolve({
          dt_s: 1,
          maxIterations: 5,
          tolerance: 1e-12,
          prescribed,
          extraRhs: extra,
        });
        expect(report.converged).toBe(true);
        const u = kernel.displacement();
        errors.push(l2Error(mesh, (nd, c) => u[2 * nd + c], uExact));
        kernel.dispose();
      }
      const r = rates(
        ns.map((n) => 1 / n),
        errors,
      );
      console.log(
        `[${factory.name}] elasticity MMS plane ${plane}: L2 errors ${errors.map((e) => e.toExponential(3))} rates ${r.map((v) => v.toFixed(3))}`,
      );
      for (const v of r) {
        expect(v).toBeGreaterThan(1.8);
        expect(v).toBeLessThan(2.2);
      }
    });
  }
});
