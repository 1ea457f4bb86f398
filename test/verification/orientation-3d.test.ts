/**
 * Grain orientations in 3D seen in a 2D section (docs/physics.md §7), in both kernels:
 *  - an in-plane c-axis n = (cos θ, sin θ, 0) reproduces the in-plane model of §3.3 exactly (closed-form reference
 *    stress of test/support/fem.ts, and the same run given by angle or by axis);
 *  - n = (0, 0, 1) gives an isotropic in-plane response: the same stress for any rotation of the applied strain,
 *    with shear modulus C66 = (C11 − C12)/2;
 *  - a free grain under a uniform Li fraction is stress-free in plane for every n (plane strain and plane stress);
 *  - the section constants rotate covariantly about z: rotating n by φ about z rotates the in-plane response by φ.
 */
import { describe, expect, it } from 'vitest';
import { rectangleMesh } from '../../src/mesh/structured.js';
import { orientMaterial, stiffnessTensor } from '../../src/engine/oriented-materials.js';
import { referenceStress } from '../support/fem.js';
import { availableKernels } from '../support/kernels.js';
import { tile } from '../support/matchers.js';
import { buildKernelSetup, dofsOf, hexagonalMaterial, linearLattice, unionDofs } from '../support/setup.js';
import type { Kernel, KernelSetup } from '../../src/engine/kernel-api.js';
import type { RectangleMesh } from '../../src/mesh/structured.js';

const kernels = await availableKernels();
const lattice = linearLattice(-0.01, 0.02);
const material = hexagonalMaterial({ lattice, D_ab_um2_s: 1, D_c_um2_s: 0.1 });

/** Unit vectors spread over the sphere (a few tilts and azimuths), deterministic. */
const AXES: [number, number, number][] = [
  [0, 0, 1],
  [Math.sin(0.4) * Math.cos(1.1), Math.sin(0.4) * Math.sin(1.1), Math.cos(0.4)],
  [Math.sin(1.0) * Math.cos(2.5), Math.sin(1.0) * Math.sin(2.5), Math.cos(1.0)],
  [Math.sin(1.3) * Math.cos(-0.7), Math.sin(1.3) * Math.sin(-0.7), Math.cos(1.3)],
];

function boxMesh(): RectangleMesh {
  return rectangleMesh({ width_um: 1.2, height_um: 1, nx: 5, ny: 4, orientation_rad: [0], pattern: 'crossed' });
}

/** All boundary dofs of the box, prescribed to the linear field u = G X. */
function linearBoundary(mesh: RectangleMesh, G: number[]): { fixed: number[]; prescribed: Float64Array } {
  const fixed = unionDofs(
    dofsOf(mesh.leftNodes),
    dofsOf(mesh.rightNodes),
    dofsOf(mesh.bottomNodes),
    dofsOf(mesh.topNodes),
  );
  const prescribed = Float64Array.from(fixed, (d) => {
    const x = mesh.coords_um[2 * (d >> 1)],
      y = mesh.coords_um[2 * (d >> 1) + 1];
    return (d & 1) === 0 ? G[0] * x + G[1] * y : G[2] * x + G[3] * y;
  });
  return { fixed, prescribed };
}

async function solved(
  factory: { create(): Promise<Kernel> },
  setup: KernelSetup,
  x: number,
  prescribed?: Float64Array,
) {
  const kernel = await factory.create();
  kernel.setup(setup);
  kernel.li().fill(x);
  const rep = kernel.mechanicsSolve({ dt_s: 1, maxIterations: 3, tolerance: 1e-12, prescribed });
  expect(rep.converged).toBe(true);
  return kernel;
}

describe('section constants of a 3D c-axis (oriented-materials.ts)', () => {
  it('n = e_z recovers C11 … C44 of the crystal; the closed form is invariant to the sign of n', () => {
    const C = stiffnessTensor(material, [0, 0, 1]);
    const at = (i: number, j: number, k: number, l: number) => C[27 * i + 9 * j + 3 * k + l];
    expect(at(0, 0, 0, 0)).toBeWithin(material.C11_MPa, { rel: 1e-15 });
    expect(at(0, 0, 1, 1)).toBeWithin(material.C12_MPa, { rel: 1e-15 });
    expect(at(0, 0, 2, 2)).toBeWithin(material.C13_MPa, { rel: 1e-15 });
    expect(at(2, 2, 2, 2)).toBeWithin(material.C33_MPa, { rel: 1e-15 });
    expect(at(1, 2, 1, 2)).toBeWithin(material.C44_MPa, { rel: 1e-15 });
    expect(at(0, 1, 0, 1)).toBeWithin((material.C11_MPa - material.C12_MPa) / 2, { rel: 1e-15 });
    for (const n of AXES) {
      const a = orientMaterial(material, 0, n, 'strain');
      const b = orientMaterial(material, 0, [-n[0], -n[1], -n[2]], 'strain');
      expect(b.stiffness_MPa).toBeCloseArray(a.stiffness_MPa, { rel: 1e-14, abs: 1e-9 });
      expect(b.eigenstressA_MPa).toBeCloseArray(a.eigenstressA_MPa, { rel: 1e-14, abs: 1e-9 });
    }
  });

  for (const plane of ['strain', 'stress'] as const) {
    it(`rotating n about z by φ rotates the in-plane response by φ, plane ${plane}`, () => {
      for (const n of AXES.slice(1)) {
        for (const phi of [0.3, 1.7]) {
          const c = Math.cos(phi),
            s = Math.sin(phi);
          const nr: [number, number, number] = [c * n[0] - s * n[1], s * n[0] + c * n[1], n[2]];
          const a = orientMaterial(material, 0, n, plane);
          const b = orientMaterial(material, 0, nr, plane);
          // σ of a strain ε in frame a equals R σ Rᵀ of the rotated strain in frame b: check with two strains.
          for (const eps of [
            [1e-3, -2e-3, 0.5e-3],
            [0.2e-3, 0.7e-3, -1e-3],
          ]) {
            const stressOf = (k: number[], e: number[]) => [
              k[0] * e[0] + k[1] * e[1] + k[2] * e[2],
              k[1] * e[0] + k[3] * e[1] + k[4] * e[2],
              k[2] * e[0] + k[4] * e[1] + k[5] * e[2],
            ];
            const rotS = (t: number[]) => [
              c * c * t[0] + s * s * t[1] - 2 * c * s * t[2],
              s * s * t[0] + c * c * t[1] + 2 * c * s * t[2],
              c * s * (t[0] - t[1]) + (c * c - s * s) * t[2],
            ];
            // engineering strain rotates like the stress with the shear halved and doubled again
            const half = [eps[0], eps[1], eps[2] / 2];
            const er = rotS(half);
            const sa = rotS(stressOf(a.stiffness_MPa, eps));
            const sb = stressOf(b.stiffness_MPa, [er[0], er[1], 2 * er[2]]);
            expect(sb).toBeCloseArray(sa, { abs: 1e-8 });
          }
          expect(rotSym(b.eigenstressA_MPa, 0)).toBeCloseArray(rotSym(a.eigenstressA_MPa, phi), { abs: 1e-8 });
          expect(rotSym(b.eigenstressC_MPa, 0)).toBeCloseArray(rotSym(a.eigenstressC_MPa, phi), { abs: 1e-8 });
          expect(b.stressZzA_MPa).toBeWithin(a.stressZzA_MPa, { abs: 1e-8 });
        }
      }
    });
  }
});

/** A symmetric in-plane tensor [xx, yy, xy] rotated by φ. */
function rotSym(t: ArrayLike<number>, phi: number): number[] {
  const c = Math.cos(phi),
    s = Math.sin(phi);
  return [
    c * c * t[0] + s * s * t[1] - 2 * c * s * t[2],
    s * s * t[0] + c * c * t[1] + 2 * c * s * t[2],
    c * s * (t[0] - t[1]) + (c * c - s * s) * t[2],
  ];
}

describe.each(kernels)('3D c-axis in the kernels [$name]', (factory) => {
  for (const plane of ['strain', 'stress'] as const) {
    it(`an in-plane axis reproduces the in-plane model exactly, plane ${plane}`, async () => {
      const theta = 1.1;
      const mesh = boxMesh();
      const G = [1e-3, 2e-3, -0.5e-3, 3e-3];
      const { fixed, prescribed } = linearBoundary(mesh, G);
      const byAxis = buildKernelSetup(mesh, {
        materials: [material],
        plane,
        fixedDofs: fixed,
        axisOfGrain: () => [Math.cos(theta), Math.sin(theta), 0],
      });
      const byAngle = buildKernelSetup(mesh, {
        materials: [material],
        plane,
        fixedDofs: fixed,
        angleOfTriangle: () => theta,
      });
      const a = await solved(factory, byAxis, 0.7, prescribed);
      const b = await solved(factory, byAngle, 0.7, prescribed);
      expect(Array.from(a.stress())).toEqual(Array.from(b.stress()));
      const ea = -0.01 * 0.3,
        ec = 0.02 * 0.3;
      const ref = referenceStress(material, theta, plane, { xx: G[0], yy: G[3], xy: 0.5 * (G[1] + G[2]) }, ea, ec);
      expect(a.stress()).toBeCloseArray(tile([ref.xx, ref.yy, ref.xy, ref.zz], mesh.triCount), { abs: 5e-9 });
    });

    it(`c-axis out of the plane: isotropic in-plane response, shear modulus C66, plane ${plane}`, async () => {
      const mesh = boxMesh();
      const e = 1e-3;
      const stressFor = async (G: number[]) => {
        const { fixed, prescribed } = linearBoundary(mesh, G);
        const setup = buildKernelSetup(mesh, {
          materials: [material],
          plane,
          fixedDofs: fixed,
          axisOfGrain: () => [0, 0, 1],
        });
        const k = await solved(factory, setup, 1, prescribed); // x = 1: no lattice strain
        return Array.from(k.stress().subarray(0, 4));
      };
      const sx = await stressFor([e, 0, 0, 0]);
      const sy = await stressFor([0, 0, 0, e]);
      expect(sy[1]).toBeWithin(sx[0], { rel: 1e-12 });
      expect(sy[0]).toBeWithin(sx[1], { rel: 1e-12 });
      // pure shear γ_xy = 2e, and the same strain rotated by 45°: ε_xx = e, ε_yy = −e
      const shear = await stressFor([0, e, e, 0]);
      const C66 = (material.C11_MPa - material.C12_MPa) / 2;
      expect(shear[2]).toBeWithin(C66 * 2 * e, { rel: 1e-12 });
      const rotated = await stressFor([e, 0, 0, -e]);
      expect(0.5 * (rotated[0] - rotated[1])).toBeWithin(shear[2], { rel: 1e-12 });
    });

    it(`a free grain under a uniform Li fraction is stress-free in plane for every c-axis, plane ${plane}`, async () => {
      for (const n of AXES) {
        const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: 5, ny: 5, orientation_rad: [0] });
        const n00 = mesh.leftNodes.find((i) => mesh.coords_um[2 * i + 1] === 0) as number;
        const n10 = mesh.rightNodes.find((i) => mesh.coords_um[2 * i + 1] === 0) as number;
        const setup = buildKernelSetup(mesh, {
          materials: [material],
          plane,
          fixedDofs: [2 * n00, 2 * n00 + 1, 2 * n10 + 1],
          axisOfGrain: () => n,
        });
        const kernel = await solved(factory, setup, 0.4);
        const scale = material.C11_MPa * 0.02 * 0.6;
        const sig = kernel.stress();
        let maxInPlane = 0;
        for (let t = 0; t < mesh.triCount; t++)
          maxInPlane = Math.max(maxInPlane, Math.abs(sig[4 * t]), Math.abs(sig[4 * t + 1]), Math.abs(sig[4 * t + 2]));
        expect(maxInPlane / scale).toBeLessThan(1e-11);
      }
    });
  }
});
