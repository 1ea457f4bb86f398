/**
 * Cycle jumps (docs/physics.md §9, src/engine/cycle-jump.ts): the extrapolated point sits on the bilinear
 * envelope, a jump never passes an output cycle, and 30 cycles with jumps agree with 30 fully resolved cycles on
 * three microstructures (D̄ within 0.02, retention within 1 % absolute, at every cycle, the jumped ones interpolated).
 */
import { describe, expect, it } from 'vitest';
import { jumpLength, kappaOfDamage } from '../../src/engine/cycle-jump.js';
import { Simulation } from '../../src/engine/simulation.js';

/** The bilinear damage of §3.4, written out again here as the closed form the inverse is checked against. */
const bilinear = (k: number, l0: number, lf: number) => (k <= l0 ? 0 : k >= lf ? 1 : (lf * (k - l0)) / (k * (lf - l0)));

describe('cycle-jump building blocks', () => {
  it('κ(D) inverts the bilinear D(κ) on the whole softening branch', () => {
    const l0 = 200 / 1e6;
    const lf = (2 * 2) / 200;
    for (const D of [1e-6, 0.01, 0.2, 0.5, 0.9, 0.999999]) {
      const k = kappaOfDamage(D, l0, lf);
      expect(k).toBeGreaterThan(l0);
      expect(k).toBeLessThanOrEqual(lf);
      expect(bilinear(k, l0, lf)).toBeWithin(D, { abs: 1e-12 });
    }
    expect(kappaOfDamage(1, l0, lf)).toBe(lf);
  });

  it('ΔN bounds the largest increment, needs 2 resolved cycles and stops before the next output cycle', () => {
    const base = { cycle: 10, resolvedCycles: 5, maxRate: 0.001, tolerance: 0.02, nextResolved: 100 };
    expect(jumpLength(base)).toBe(20);
    expect(jumpLength(base) * base.maxRate).toBeLessThanOrEqual(base.tolerance);
    expect(jumpLength({ ...base, resolvedCycles: 1 })).toBe(0);
    expect(jumpLength({ ...base, nextResolved: 30 })).toBe(19); // cycle 30 is resolved, not jumped over
    expect(jumpLength({ ...base, nextResolved: 11 })).toBe(0);
    expect(jumpLength({ ...base, maxRate: 0.05 })).toBe(0);
    expect(jumpLength({ ...base, maxRate: 0 })).toBe(89);
  });
});

/** Small quarter (R = 2 µm, 12 grains, h = 0.2 µm), 30 cycles 2C/1C charge to 0.9, 2C discharge to 0.1, fatigue. */
const cyclingConfig = (seed: number, jumps: boolean) => ({
  geometry: { radius_um: 2, mesh_size_um: 0.2 },
  microstructure: { grains: 12, seed },
  // slow fatigue (δ_Σ = 200 λ0): with the default δ_Σ = 4 λ0 some point gains more than 0.02 per cycle in nearly
  // every cycle of this particle, and the max-increment rule (rightly) leaves no cycle to jump over
  material: { preset: 'nmc90-bare', gb: { strength_MPa: 400, fatigue_length_ratio: 200 } },
  loading: {
    protocol: 'cycling',
    cycles: 30,
    charge: { c_rates: [2, 1], to_soc: 0.9 },
    discharge: { c_rates: 2, to_soc: 0.1 },
  },
  output: { vtu: false, cycles: [1, 30] },
  solver: { cycle_jump: { enabled: jumps, max_damage_increment: 0.02 } },
});

describe('jumps against resolved cycling, 30 cycles', () => {
  for (const seed of [3, 11, 17]) {
    it(`seed ${seed}: D̄ within 0.02 and retention within 1 % at every cycle (jumped ones interpolated); fewer cycles computed`, async () => {
      const resolved = await Simulation.create(cyclingConfig(seed, false));
      await resolved.run();
      const jumped = await Simulation.create(cyclingConfig(seed, true));
      await jumped.run();
      expect(resolved.cycles.map((c) => c.cycle)).toEqual([...Array(30).keys()].map((k) => k + 1));
      expect(jumped.cycles.map((c) => c.cycle)).toEqual(resolved.cycles.map((c) => c.cycle));
      expect(resolved.cycles.every((c) => c.resolved === 1)).toBe(true);
      const computed = jumped.cycles.filter((c) => c.resolved === 1);
      expect(computed.length).toBeLessThan(30);
      // the output cycles are computed, never jumped over
      expect(jumped.cycles[0].resolved).toBe(1);
      expect(jumped.cycles[29].resolved).toBe(1);
      const worst = (f: (c: (typeof resolved.cycles)[number]) => number) =>
        Math.max(...jumped.cycles.map((c, i) => Math.abs(f(c) - f(resolved.cycles[i]))));
      console.log(
        `seed ${seed}: ${computed.length} of 30 cycles computed, steps ${jumped.stepCount} vs ${resolved.stepCount}; ` +
          `max |ΔD̄| ${worst((c) => c.damage_mean).toExponential(2)}, max |Δretention| ` +
          `${worst((c) => c.retention).toExponential(2)}; D̄ at 30: ${resolved.cycles[29].damage_mean.toFixed(4)}`,
      );
      const D = jumped.cycles.map((c) => c.damage_mean);
      const Dref = resolved.cycles.map((c) => c.damage_mean);
      expect(D).toBeCloseArray(Dref, { abs: 0.02 });
      expect(jumped.cycles.map((c) => c.retention)).toBeCloseArray(
        resolved.cycles.map((c) => c.retention),
        { abs: 0.01 },
      );
    });
  }
});
