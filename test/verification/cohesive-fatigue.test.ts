/**
 * Cohesive fatigue (docs/physics.md §9) on one interface (the bicrystal of cohesive.test.ts, a straight vertical
 * boundary opened in mode I under prescribed displacement). A point that starts a step below its bilinear envelope
 * (λ_n < κ_n) gains, with λ_e = min(λ, κ_n),
 *
 *   ΔD = |λ_e − λ_n| / δ_Σ · ⟨(1 − D_n) K λ_e / σ_max − σ_f / σ_max⟩,   κ ← max(κ, κ(D)),
 *
 * and on the envelope (λ_n = κ_n: monotonic loading) the law is the bilinear one, exactly. Checked: a monotonic pull
 * with fatigue on gives the same damage history, to the bit, as without fatigue and dissipates G_c; a
 * constant-amplitude cyclic opening with peak traction below σ_max but above σ_f degrades the boundary every cycle,
 * each increment equal to the law evaluated on the reported openings, until it fails; below σ_f nothing happens; both kernels
 * agree to 1e-10.
 */
import { describe, expect, it } from 'vitest';
import type { Kernel, KernelInterfaceMaterial } from '../../src/engine/kernel-api.js';
import { bicrystalMesh } from '../../src/mesh/structured.js';
import { availableKernels, type KernelFactory } from '../support/kernels.js';
import { buildKernelSetup, dofsOf, interfaceMaterial, isotropicMaterial, unionDofs } from '../support/setup.js';

const kernels = await availableKernels();

const SIGMA = 200,
  GC = 2,
  K = 1e7;
const LAMBDA0 = SIGMA / K,
  LAMBDAF = (2 * GC) / SIGMA;
const W = 0.2,
  H = 0.1;
const E = 170e3,
  NU = 0.28;
/** Right-edge displacement that opens the boundary by λ (uniaxial stress T = K λ over the bulk, plane strain). */
const uFor = (lambda: number) => lambda + (K * lambda * (1 - NU * NU) * W) / E;
/** Roe & Siegmund's ratios: σ_f = 0.25 σ_max, δ_Σ = 4 λ0. */
const FATIGUE = { fatigueEndurance_MPa: 0.25 * SIGMA, fatigueLength_um: 4 * LAMBDA0 };

/** The bilinear D(κ) of §3.4. */
function staticDamage(kappa: number): number {
  if (kappa <= LAMBDA0) return 0;
  if (kappa >= LAMBDAF) return 1;
  return (LAMBDAF * (kappa - LAMBDA0)) / (kappa * (LAMBDAF - LAMBDA0));
}

interface Rig {
  kernel: Kernel;
  points: number;
  /** Imposes U on the right edge, solves (implicit, tight), commits; returns per-point (δn, Tn, D). */
  step(U: number): { dn: number[]; tn: number[]; D: number[] };
}

async function makeRig(factory: KernelFactory, ifMat: Partial<KernelInterfaceMaterial>): Promise<Rig> {
  const mesh = bicrystalMesh({ width_um: W, height_um: H, nx: 2, ny: 2 });
  const pin = mesh.leftNodes.find((n) => mesh.coords_um[2 * n + 1] === 0) as number;
  const rightX = dofsOf(mesh.rightNodes, [0]);
  const fixed = unionDofs(dofsOf(mesh.leftNodes, [0]), [2 * pin + 1], rightX);
  const setup = buildKernelSetup(mesh, {
    materials: [isotropicMaterial({ E_MPa: E, nu: NU })],
    interfaceMaterials: [interfaceMaterial({ strength_MPa: SIGMA, Gc_J_m2: GC, penalty_MPa_per_um: K, ...ifMat })],
    fixedDofs: fixed,
  });
  const kernel = await factory.create();
  kernel.setup(setup);
  kernel.li().fill(1);
  const rx = new Set(rightX);
  const points = 2 * mesh.interfaceCount;
  return {
    kernel,
    points,
    step(U: number) {
      const prescribed = Float64Array.from(fixed, (d) => (rx.has(d) ? U : 0));
      const rep = kernel.mechanicsSolve({
        dt_s: 1,
        maxIterations: 1000,
        tolerance: 1e-13,
        prescribed,
        scheme: 'implicit',
      });
      expect(rep.converged, JSON.stringify(rep)).toBe(true);
      kernel.commitDamage();
      const o = kernel.opening(),
        t = kernel.traction(),
        D = kernel.damage();
      return {
        dn: Array.from({ length: points }, (_, q) => o[2 * q]),
        tn: Array.from({ length: points }, (_, q) => t[2 * q]),
        D: Array.from(D),
      };
    },
  };
}

/** Cycles 0 → U → 0 in `n` steps each way; returns every step's record. */
function cycle(rig: Rig, U: number, n = 10) {
  const out = [];
  for (let k = 1; k <= n; k++) out.push(rig.step((U * k) / n));
  for (let k = n - 1; k >= 0; k--) out.push(rig.step((U * k) / n));
  return out;
}

describe.each(kernels)('cohesive fatigue [$name]', (factory) => {
  it('monotonic pull: the damage history is the bilinear one to the bit, and it dissipates G_c', async () => {
    const plain = await makeRig(factory, {});
    const tired = await makeRig(factory, FATIGUE);
    const Upeak = uFor(LAMBDA0);
    const path = [
      ...Array.from({ length: 40 }, (_, k) => (Upeak * (k + 1)) / 40),
      ...Array.from({ length: 160 }, (_, k) => Upeak + (1.2 * LAMBDAF * (k + 1)) / 160),
    ];
    let work = 0;
    let prev: { dn: number[]; tn: number[]; D: number[] } = { dn: [0], tn: [0], D: [] };
    for (const U of path) {
      const a = plain.step(U);
      const b = tired.step(U);
      expect(b.D).toEqual(a.D);
      expect(b.dn).toEqual(a.dn);
      work += 0.5 * (b.tn[0] + prev.tn[0]) * (b.dn[0] - prev.dn[0]);
      prev = b;
    }
    expect(prev.D.every((d) => d === 1)).toBe(true);
    expect(work).toBeWithin(GC, { rel: 0.01 });
    plain.kernel.dispose();
    tired.kernel.dispose();
  });

  it('constant-amplitude opening below σ_max, above σ_f: damage grows every cycle, as the law says', async () => {
    const rig = await makeRig(factory, FATIGUE);
    const U = uFor(0.8 * LAMBDA0); // peak traction 0.8 σ_max on the intact boundary
    let D = 0;
    let lambdaPrev = 0;
    let kappa = 0;
    const perCycle: number[] = [];
    for (let c = 0; c < 20; c++) {
      for (const r of cycle(rig, U)) {
        // the law on the reported opening of point 0 (mode I: λ = ⟨δn⟩, uniform along the boundary)
        const lambda = Math.max(r.dn[0], 0);
        let G = Math.max(D, staticDamage(Math.max(kappa, lambda)));
        let kappaNew = Math.max(kappa, lambda);
        if (lambdaPrev < kappa) {
          const le = Math.min(lambda, kappa);
          const T = ((1 - D) * K * le) / SIGMA;
          const inc = (Math.abs(le - lambdaPrev) / FATIGUE.fatigueLength_um) * Math.max(0, T - 0.25);
          if (inc > 0) G = Math.min(1, Math.max(G, D + inc));
          const kD = G >= 1 ? LAMBDAF : G > 0 ? (LAMBDA0 * LAMBDAF) / (LAMBDAF - G * (LAMBDAF - LAMBDA0)) : 0;
          kappaNew = Math.max(kappaNew, kD);
        }
        D = G;
        kappa = kappaNew;
        lambdaPrev = lambda;
        expect(r.D[0]).toBeWithin(D, { abs: 1e-10 });
        expect(Math.max(...r.tn)).toBeLessThan(SIGMA);
      }
      perCycle.push(D);
    }
    // damage after every cycle grows until the boundary has failed (D = 1) under a peak traction below σ_max
    expect(perCycle[0]).toBeGreaterThan(0);
    for (let c = 1; c < perCycle.length; c++)
      if (perCycle[c - 1] < 1) expect(perCycle[c]).toBeGreaterThan(perCycle[c - 1]);
    const failedAt = perCycle.findIndex((d) => d === 1) + 1;
    console.log(
      `[${factory.name}] 0.8 σ_max cycles: D after cycle 1 ${perCycle[0].toFixed(4)}, failed in cycle ${failedAt}`,
    );
    expect(failedAt).toBeGreaterThan(1);
    rig.kernel.dispose();
  });

  it('constant-amplitude opening below the endurance traction σ_f: no damage at all', async () => {
    const rig = await makeRig(factory, FATIGUE);
    const U = uFor(0.2 * LAMBDA0); // peak traction 0.2 σ_max < σ_f = 0.25 σ_max
    for (let c = 0; c < 20; c++) for (const r of cycle(rig, U)) expect(r.D.every((d) => d === 0)).toBe(true);
    rig.kernel.dispose();
  });
});

describe('cohesive fatigue: the two kernels agree', () => {
  it.runIf(kernels.length > 1)('damage after 10 cycles at 0.8 σ_max, every point, to 1e-10', async () => {
    const [a, b] = await Promise.all(kernels.slice(0, 2).map((f) => makeRig(f, FATIGUE)));
    const U = uFor(0.8 * LAMBDA0);
    for (let c = 0; c < 10; c++) {
      const ra = cycle(a, U);
      const rb = cycle(b, U);
      for (let k = 0; k < ra.length; k++) {
        expect(rb[k].D).toBeCloseArray(ra[k].D, { abs: 1e-10 });
        expect(rb[k].dn).toBeCloseArray(ra[k].dn, { abs: 1e-10 * LAMBDA0 });
      }
    }
    a.kernel.dispose();
    b.kernel.dispose();
  });
});
