/**
 * Patch tests (docs/physics.md §6):
 *  - a linear x field with the matching constant boundary fluxes q = −n·D∇x is a steady state of the anisotropic
 *    diffusion (several grains with the same orientation, dofs merged across the interfaces);
 *  - a linear displacement prescribed on the boundary is reproduced exactly inside, with the constant stress of
 *    the reference constitutive law (uniform eigenstrain included);
 *  - a free grain under uniform Δx is stress-free in plane (plane strain: σ33 = the out-of-plane constraint stress);
 *  - a fully clamped grain gives σ = −C:εᴸ exactly (incl. σ33 in plane strain).
 */
import { describe, expect, it } from 'vitest';
import { rectangleMesh } from '../../src/mesh/structured.js';
import { referenceStress } from '../support/fem.js';
import { availableKernels } from '../support/kernels.js';
import { tile } from '../support/matchers.js';
import { buildKernelSetup, dofsOf, hexagonalMaterial, linearLattice, unionDofs } from '../support/setup.js';

const kernels = await availableKernels();

const lattice = linearLattice(-0.01, 0.02);
const material = hexagonalMaterial({ lattice, D_ab_um2_s: 1, D_c_um2_s: 0.1 });

describe.each(kernels)('patch tests [$name]', (factory) => {
  it('linear x with matching fluxes is a steady state (anisotropic, merged interface dofs)', async () => {
    const theta = 0.4;
    const mesh = rectangleMesh({
      width_um: 2,
      height_um: 1,
      nx: 8,
      ny: 5,
      grainOf: (x, y) => (x < 1 ? 0 : y < 0.5 ? 1 : 2),
      orientation_rad: [theta, theta, theta],
      pattern: 'crossed',
    });
    expect(mesh.interfaceCount).toBeGreaterThan(0);
    const setup = buildKernelSetup(mesh, { materials: [material] });
    const kernel = await factory.create();
    kernel.setup(setup);
    const c = Math.cos(theta),
      s = Math.sin(theta);
    const Dxx = 0.1 * c * c + s * s,
      Dxy = (0.1 - 1) * c * s,
      Dyy = 0.1 * s * s + c * c;
    const gx = 0.1,
      gy = -0.25;
    const field = (x: number, y: number) => 0.6 + gx * x + gy * y;
    const x = kernel.li();
    for (let i = 0; i < mesh.nodeCount; i++)
      x[setup.diffusionDof[i]] = field(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1]);
    // q = −n·D∇x on each side (outward normals: left (−1, 0), right (1, 0), bottom (0, −1), top (0, 1)).
    const fluxOfSide = [Dxx * gx + Dxy * gy, -(Dxx * gx + Dxy * gy), Dxy * gx + Dyy * gy, -(Dxy * gx + Dyy * gy)];
    const q = Float64Array.from(mesh.surfaceSide, (side) => fluxOfSide[side]);
    for (let k = 0; k < 3; k++) kernel.diffusionStep(0.5 * (k + 1), q);
    let err = 0;
    for (let i = 0; i < mesh.nodeCount; i++)
      err = Math.max(
        err,
        Math.abs(kernel.li()[setup.diffusionDof[i]] - field(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1])),
      );
    expect(err).toBeLessThan(1e-13);
  });

  for (const plane of ['strain', 'stress'] as const) {
    it(`linear displacement reproduced exactly, plane ${plane}`, async () => {
      const theta = 1.1;
      const mesh = rectangleMesh({
        width_um: 1.5,
        height_um: 1,
        nx: 6,
        ny: 5,
        orientation_rad: [theta],
        pattern: 'crossed',
      });
      const fixed = unionDofs(
        dofsOf(mesh.leftNodes),
        dofsOf(mesh.rightNodes),
        dofsOf(mesh.bottomNodes),
        dofsOf(mesh.topNodes),
      );
      const setup = buildKernelSetup(mesh, { materials: [material], plane, fixedDofs: fixed });
      const kernel = await factory.create();
      kernel.setup(setup);
      kernel.li().fill(0.7); // uniform eigenstrain
      const G = [1e-3, 2e-3, -0.5e-3, 3e-3]; // ∂ux/∂x, ∂ux/∂y, ∂uy/∂x, ∂uy/∂y
      const uLin = (x: number, y: number) => [1e-4 + G[0] * x + G[1] * y, -2e-4 + G[2] * x + G[3] * y];
      const prescribed = Float64Array.from(
        fixed,
        (d) => uLin(mesh.coords_um[2 * (d >> 1)], mesh.coords_um[2 * (d >> 1) + 1])[d & 1],
      );
      const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-12, prescribed });
      expect(rep.converged).toBe(true);
      const u = kernel.displacement();
      let err = 0;
      for (let i = 0; i < mesh.nodeCount; i++) {
        const e = uLin(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1]);
        err = Math.max(err, Math.abs(u[2 * i] - e[0]), Math.abs(u[2 * i + 1] - e[1]));
      }
      expect(err).toBeLessThan(1e-15);
      const ea = -0.01 * 0.3,
        ec = 0.02 * 0.3;
      const ref = referenceStress(material, theta, plane, { xx: G[0], yy: G[3], xy: 0.5 * (G[1] + G[2]) }, ea, ec);
      const sig = kernel.stress();
      expect(sig).toBeCloseArray(tile([ref.xx, ref.yy, ref.xy, ref.zz], mesh.triCount), { abs: 5e-9 });
    });

    it(`free grain under uniform Δx is stress-free in plane, plane ${plane}`, async () => {
      const theta = 0.3;
      const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: 6, ny: 6, orientation_rad: [theta] });
      // Statically determinate supports: node at (0, 0) fixed, node at (1, 0) fixed in y.
      const n00 = mesh.leftNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
      const n10 = mesh.rightNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
      const setup = buildKernelSetup(mesh, {
        materials: [material],
        plane,
        fixedDofs: [2 * n00, 2 * n00 + 1, 2 * n10 + 1],
      });
      const kernel = await factory.create();
      kernel.setup(setup);
      const xUniform = 0.4;
      kernel.li().fill(xUniform);
      const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-12 });
      expect(rep.converged).toBe(true);
      const ea = -0.01 * (1 - xUniform),
        ec = 0.02 * (1 - xUniform);
      // Expected σ33 (plane strain): in-plane σ_aa = σ_cc = 0 with ε33 = 0 gives
      // C11 e1 + C13 e2 = C12 ε_a, C13 e1 + C33 e2 = C13 ε_a for the elastic local strains e1, e2, then
      // σ33 = C12 e1 + C13 e2 − C11 ε_a.
      const { C11_MPa: C11, C12_MPa: C12, C13_MPa: C13, C33_MPa: C33 } = material;
      const det = C11 * C33 - C13 * C13;
      const e1 = (C12 * ea * C33 - C13 * C13 * ea) / det,
        e2 = (C11 * C13 * ea - C13 * C12 * ea) / det;
      const s33 = plane === 'strain' ? C12 * e1 + C13 * e2 - C11 * ea : 0;
      const scale = C11 * Math.max(Math.abs(ea), Math.abs(ec));
      const sig = kernel.stress();
      let maxInPlane = 0,
        max33 = 0;
      for (let t = 0; t < mesh.triCount; t++) {
        maxInPlane = Math.max(maxInPlane, Math.abs(sig[4 * t]), Math.abs(sig[4 * t + 1]), Math.abs(sig[4 * t + 2]));
        max33 = Math.max(max33, Math.abs(sig[4 * t + 3] - s33));
      }
      expect(maxInPlane / scale).toBeLessThan(1e-11);
      expect(max33 / scale).toBeLessThan(1e-11);
    });

    it(`fully clamped grain gives σ = −C:εᴸ, plane ${plane}`, async () => {
      const theta = 2.2;
      const mesh = rectangleMesh({ width_um: 1, height_um: 0.8, nx: 5, ny: 4, orientation_rad: [theta] });
      const fixed = dofsOf(Array.from({ length: mesh.nodeCount }, (_, i) => i)).filter((d) => {
        const n = d >> 1;
        const x = mesh.coords_um[2 * n],
          y = mesh.coords_um[2 * n + 1];
        return x === 0 || x === 1 || y === 0 || y === 0.8;
      });
      const setup = buildKernelSetup(mesh, { materials: [material], plane, fixedDofs: fixed });
      const kernel = await factory.create();
      kernel.setup(setup);
      const xUniform = 0.25;
      kernel.li().fill(xUniform);
      kernel.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-12 });
      const ea = -0.01 * (1 - xUniform),
        ec = 0.02 * (1 - xUniform);
      const ref = referenceStress(material, theta, plane, { xx: 0, yy: 0, xy: 0 }, ea, ec);
      const sig = kernel.stress();
      const scale = material.C11_MPa * Math.abs(ec);
      expect(sig).toBeCloseArray(tile([ref.xx, ref.yy, ref.xy, ref.zz], mesh.triCount), { abs: 1e-12 * scale });
      if (plane === 'strain') {
        // Direct statement: σ33 = −(C12 ε_a + C13 ε_c + C11 ε_a).
        const { C11_MPa: C11, C12_MPa: C12, C13_MPa: C13 } = material;
        expect(sig[3]).toBeWithin(-(C12 * ea + C13 * ec + C11 * ea), { abs: 1e-12 * scale });
      }
      const u = kernel.displacement();
      expect(u).toBeCloseArray(0, { abs: 1e-15 });
    });
  }

  it('free polycrystal (cohesive interfaces, equal orientations) under uniform Δx: stress- and traction-free', async () => {
    const theta = 0.9;
    const mesh = rectangleMesh({
      width_um: 1.5,
      height_um: 1,
      nx: 6,
      ny: 4,
      grainOf: (x, y) => (x < 0.5 ? 0 : y < 0.5 ? 1 : x < 1 ? 2 : 3),
      orientation_rad: [theta, theta, theta, theta],
      pattern: 'crossed',
    });
    expect(mesh.interfaceCount).toBeGreaterThan(0);
    const n00 = mesh.leftNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
    const n10 = mesh.rightNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
    const setup = buildKernelSetup(mesh, {
      materials: [material],
      plane: 'stress',
      fixedDofs: [2 * n00, 2 * n00 + 1, 2 * n10 + 1],
    });
    const kernel = await factory.create();
    kernel.setup(setup);
    kernel.li().fill(0.2);
    const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 5, tolerance: 1e-12 });
    expect(rep.converged).toBe(true);
    const scale = material.C11_MPa * 0.02 * 0.8;
    expect(kernel.stress()).toBeCloseArray(0, { abs: 1e-11 * scale });
    expect(kernel.traction()).toBeCloseArray(0, { abs: 1e-11 * scale });
    expect(kernel.opening()).toBeCloseArray(0, { abs: 1e-15 });
    expect(Math.max(...kernel.trialDamage())).toBe(0);
  });
});
