/**
 * MF-coated vs bare over five random microstructures (docs/physics.md §6), with the default (sourced NMC811)
 * materials: the coated particle (0.16 µm mf-coating, lattice strain × 0.3) has less grain-boundary damage at SoC
 * 0.55 and at the end; its coating is in hoop compression; grain boundaries take damage; Li mass balances every step.
 * The narrower Li distribution of the coated particle holds for the reference model's materials only (the test runs
 * them explicitly): with the sourced set and its D(x) it does not (x_std coated/bare 0.955–1.026, 2 of 5 seeds
 * narrower; with the sourced set and a constant D it does, as x does not depend on the mechanics then;
 * docs/validation.md, a finding).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VALIDATION_SEEDS, mean, runValidation, type ValidationRun } from './support.js';

const bare: ValidationRun[] = [];
const coated: ValidationRun[] = [];
const referenceBare: ValidationRun[] = [];
const referenceCoated: ValidationRun[] = [];

beforeAll(async () => {
  for (const seed of VALIDATION_SEEDS) {
    bare.push(await runValidation('bare', seed));
    coated.push(await runValidation('mf-coated', seed));
    referenceBare.push(await runValidation('bare', seed, 'small', 'reference'));
    referenceCoated.push(await runValidation('mf-coated', seed, 'small', 'reference'));
  }
  // The spread of the coated/bare damage ratio over the microstructures, for the record (CI log).
  for (let i = 0; i < VALIDATION_SEEDS.length; i++)
    console.log(
      `seed ${VALIDATION_SEEDS[i]}: D̄ coated/bare ${(coated[i].at055.damage_mean / bare[i].at055.damage_mean).toFixed(3)} at SoC 0.55, ` +
        `${(coated[i].end.damage_mean / bare[i].end.damage_mean).toFixed(3)} at the end; x_std coated/bare ` +
        `${(coated[i].at055.x_std / bare[i].at055.x_std).toFixed(3)} (reference materials ` +
        `${(referenceCoated[i].at055.x_std / referenceBare[i].at055.x_std).toFixed(3)}); coating hoop ${coated[i].at055.coating_hoop_MPa.toFixed(1)} → ${coated[i].end.coating_hoop_MPa.toFixed(1)} MPa`,
    );
}, 1_200_000);

describe('MF-coated vs bare, five microstructures', () => {
  it('coated has lower grain-boundary damage than bare at SoC 0.55, for every seed', () => {
    for (let i = 0; i < VALIDATION_SEEDS.length; i++)
      expect(coated[i].at055.damage_mean, `seed ${VALIDATION_SEEDS[i]}`).toBeLessThan(bare[i].at055.damage_mean);
  });

  it('coated has lower grain-boundary damage than bare at the end of charge, for every seed', () => {
    for (let i = 0; i < VALIDATION_SEEDS.length; i++) {
      expect(bare[i].end.soc).toBeCloseTo(1, 6);
      expect(coated[i].end.damage_mean, `seed ${VALIDATION_SEEDS[i]}`).toBeLessThan(bare[i].end.damage_mean);
    }
  });

  // the reference model's materials: with the sourced set (D(x), Märker strain) this trend does not hold
  it('reference materials: coated has a narrower Li distribution at SoC 0.55 (mean over seeds, and in most seeds)', () => {
    const b = referenceBare.map((r) => r.at055.x_std);
    const c = referenceCoated.map((r) => r.at055.x_std);
    expect(mean(c)).toBeLessThan(mean(b));
    expect(c.filter((v, i) => v < b[i]).length).toBeGreaterThanOrEqual(4);
  });

  // The mechanofusion study reports the coating in compression at SoC 0.55. With every c-axis in the plane the
  // model gave a small hoop *tension* there (ε_c ≈ +1 % at half charge nearly cancels ε_a in plane); with 3D axes
  // (docs/physics.md §7, the default) the section sees mostly the contracting basal strain and the coating is
  // compressed already at 0.55. This test pins the sign on every seed, so a change of curve or physics shows up.
  it('the coating is in hoop compression at SoC 0.55 (the reported sign), at 0.7, and strongly at the end', () => {
    for (const r of coated) {
      const at07 = r.history.find((h) => h.soc >= 0.7 - 1e-6)!;
      expect(r.at055.coating_hoop_MPa, `seed ${r.seed} at SoC 0.55`).toBeLessThan(0);
      expect(at07.coating_hoop_MPa, `seed ${r.seed} at SoC 0.7`).toBeLessThan(0);
      expect(r.end.coating_hoop_MPa, `seed ${r.seed} at the end`).toBeLessThan(-100);
    }
  });

  // That damage never decreases holds by construction (D = max(D_committed, …)); what can fail, the damage update
  // under unloading, is tested on the kernel (test/unit/wasm-kernel.test.ts, "damage under unloading").
  it('grain boundaries take damage over the charge', () => {
    for (const r of [...bare, ...coated]) expect(r.end.damage_mean, `seed ${r.seed}`).toBeGreaterThan(0);
  });

  it('Li mass balances every step: x_mean = 1 − SoC · Δx_1C to round-off', () => {
    for (const r of [...bare, ...coated, ...referenceBare, ...referenceCoated])
      expect(r.maxMassBalanceError).toBeLessThan(1e-11);
  });
});
