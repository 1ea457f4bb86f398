/**
 * Constant-flux diffusion in a disk against Crank's series (The Mathematics of Diffusion, cylinder with a
 * constant surface flux): isotropic single-grain full disk, a = 1 µm, D = 1 µm²/s, C0 = 1, F = 0.2 µm/s leaving:
 *   C(r, t) = C0 − (F a / D) [2Dt/a² + r²/(2a²) − 1/4 − 2 Σ_n exp(−D α_n² t) J0(r α_n) / (a² α_n² J0(a α_n))],
 * J1(a α_n) = 0. Compared at the nodes at t = 0.05, 0.1, 0.25 s on three meshes with Δt refined with h²
 * (backward Euler is first order in time): the error, relative to the drop (C0 − min C), falls with refinement
 * and is below 1 % on the finest.
 */
import { describe, expect, it } from 'vitest';
import { diskMesh } from '../../src/mesh/structured.js';
import { besselJ0, besselJ1, besselJ1Roots, crankCylinderConstantFlux } from '../support/bessel.js';
import { availableKernels } from '../support/kernels.js';
import { buildKernelSetup, isotropicMaterial } from '../support/setup.js';

const kernels = await availableKernels();

describe('Bessel functions and roots (test support)', () => {
  it('match tabulated values', () => {
    expect(besselJ0(1)).toBeCloseTo(0.7651976865579666, 14);
    expect(besselJ1(1)).toBeCloseTo(0.4400505857449335, 14);
    expect(besselJ0(10)).toBeCloseTo(-0.2459357644513483, 14);
    expect(besselJ1(30)).toBeCloseTo(-0.11875106261662294, 13);
    const r = besselJ1Roots(4);
    expect(r[0]).toBeCloseTo(3.8317059702075125, 12);
    expect(r[1]).toBeCloseTo(7.015586669815619, 12);
    expect(r[2]).toBeCloseTo(10.173468135062722, 12);
    expect(r[3]).toBeCloseTo(13.323691936314223, 12);
  });
});

describe.each(kernels)('constant-flux disk vs Crank series [$name]', (factory) => {
  it('error decreases with refinement and is < 1 %', async () => {
    const a = 1,
      D = 1,
      F = 0.2,
      C0 = 1;
    const roots = besselJ1Roots(60);
    const times = [0.05, 0.1, 0.25];
    const levels = [
      { rings: 6, dt: 0.01 },
      { rings: 12, dt: 0.0025 },
      { rings: 24, dt: 0.0025 / 4 },
    ];
    const errors: number[][] = [];
    for (const { rings, dt } of levels) {
      const mesh = diskMesh({ radius_um: a, shape: 'full', rings });
      const setup = buildKernelSetup(mesh, { materials: [isotropicMaterial({ D_ab_um2_s: D })] });
      const kernel = await factory.create();
      kernel.setup(setup);
      kernel.li().fill(C0);
      const q = new Float64Array(setup.fluxSegmentCount).fill(F);
      const errs: number[] = [];
      let t = 0;
      for (const tEnd of times) {
        const n = Math.round((tEnd - t) / dt);
        for (let k = 0; k < n; k++) kernel.diffusionStep(dt, q);
        t = tEnd;
        const x = kernel.li();
        let maxErr = 0,
          drop = 0;
        for (let i = 0; i < mesh.nodeCount; i++) {
          const r = Math.hypot(mesh.coords_um[2 * i], mesh.coords_um[2 * i + 1]);
          const c = crankCylinderConstantFlux(r, t, { a, D, F, C0, roots });
          maxErr = Math.max(maxErr, Math.abs(x[setup.diffusionDof[i]] - c));
          drop = Math.max(drop, C0 - c);
        }
        errs.push(maxErr / drop);
      }
      errors.push(errs);
      kernel.dispose();
    }
    console.log(
      `[${factory.name}] Crank disk, max nodal error / drop at t = ${times}: ` +
        errors
          .map((e, l) => `rings ${levels[l].rings}: ${e.map((v) => (100 * v).toFixed(3) + ' %').join(', ')}`)
          .join(' | '),
    );
    for (let j = 0; j < times.length; j++) {
      expect(errors[1][j]).toBeLessThan(errors[0][j]);
      expect(errors[2][j]).toBeLessThan(errors[1][j]);
      expect(errors[2][j]).toBeLessThan(0.01);
    }
  });
});
