/**
 * Closed forms of the synthesis model (docs/synthesis.md §1–3): the temperature program, Arrhenius rates, the
 * local reactions (two competing first-order reactions) and the one-grain limit of the whole model.
 */
import { describe, expect, it } from 'vitest';
import {
  GAS_CONSTANT_J_MOL_K,
  arrheniusFactor,
  arrheniusPrefactor,
  compileProgram,
} from '../../src/synthesis/temperature-program.js';
import { reactNode } from '../../src/synthesis/reaction.js';
import { parseSynthesisConfig } from '../../src/synthesis/config.js';
import { ratesAt } from '../../src/synthesis/rates.js';
import { buildSynthesisMesh } from '../../src/synthesis/mesh.js';
import { SynthesisModel } from '../../src/synthesis/model.js';

describe('temperature program', () => {
  const p = compileProgram(25, [{ ramp_C_per_min: 5, to_C: 200 }, { hold_min: 120 }, { ramp_C_per_min: 2, to_C: 150 }]);
  it('a linear ramp: T(t) = T0 + r t, duration |ΔT| / r', () => {
    expect(p.segments[0].t1_s).toBeCloseTo((175 / 5) * 60, 12);
    for (const t of [0, 60, 600, 1234.5, 2100]) expect(p.at(t)).toBeCloseTo(25 + (5 / 60) * t, 10);
  });
  it('a hold keeps T, and so every rate constant', () => {
    const t0 = p.segments[1].t0_s;
    for (const dt of [1, 100, 3600, 7200]) expect(p.at(t0 + dt)).toBe(200);
    const s = parseSynthesisConfig({ synthesis: { preset: 'ncm90-bare' } }).synthesis;
    const k0 = ratesAt(s, p.at(t0 + 1));
    const k1 = ratesAt(s, p.at(t0 + 7000));
    expect(k1).toEqual(k0);
  });
  it('a cooling ramp and the total duration', () => {
    const t2 = p.segments[2];
    expect(p.at(t2.t0_s + 600)).toBeCloseTo(200 - 2 * 10, 10);
    expect(p.duration_s).toBeCloseTo(35 * 60 + 120 * 60 + 25 * 60, 9);
    expect(p.at(p.duration_s + 100)).toBe(150);
  });
  it('Arrhenius: k(T_ref) = k_ref, ratio between two temperatures, prefactor', () => {
    expect(arrheniusFactor(300, 300, 80)).toBe(1);
    const T1 = 473.15,
      T2 = 573.15;
    expect(arrheniusFactor(200, 300, 80)).toBeCloseTo(Math.exp((-80e3 / GAS_CONSTANT_J_MOL_K) * (1 / T1 - 1 / T2)), 14);
    const k0 = arrheniusPrefactor(0.01, 300, 80);
    expect(k0 * Math.exp(-80e3 / (GAS_CONSTANT_J_MOL_K * T1))).toBeCloseTo(0.01 * arrheniusFactor(200, 300, 80), 15);
  });
});

describe('local reactions', () => {
  const rates = { k_L: 0.02, k_D: 0.005, k_RS: 0 };
  it('β = 0, c fixed: X_L + X_RS = 1 − exp(−(k_L c + k_D) t), X_L/X_RS = k_L c/k_D, for any step size', () => {
    for (const dt of [0.1, 7, 50]) {
      const s = { c: 0.8, XL: 0, XRS: 0, Y: 0 };
      let t = 0;
      while (t < 200 - 1e-9) {
        reactNode(s, rates, 0, dt);
        t += dt;
      }
      const lam = rates.k_L * 0.8 + rates.k_D;
      const total = 1 - Math.exp(-lam * t);
      expect(s.XL + s.XRS).toBeCloseTo(total, 12);
      expect(s.XL).toBeCloseTo(((rates.k_L * 0.8) / lam) * total, 12);
      expect(s.XRS).toBeCloseTo((rates.k_D / lam) * total, 12);
      expect(s.Y).toBeCloseTo(s.XRS, 12); // rock salt does not lithiate: all that decomposed is still rock salt
      expect(s.c).toBe(0.8);
    }
  });
  it('rock salt lithiating at k_RS c: X_RS(t) = k_D (e^{−μt} − e^{−λt})/(λ − μ)', () => {
    const r = { k_L: 0.02, k_D: 0.005, k_RS: 0.001 };
    const s = { c: 1, XL: 0, XRS: 0, Y: 0 };
    reactNode(s, r, 0, 300);
    const lam = r.k_L + r.k_D,
      mu = r.k_RS;
    expect(s.XRS).toBeCloseTo((r.k_D * (Math.exp(-mu * 300) - Math.exp(-lam * 300))) / (lam - mu), 12);
    expect(s.Y).toBeCloseTo((r.k_D / lam) * (1 - Math.exp(-lam * 300)), 12);
  });
  it('β > 0: Li is conserved exactly (c + β X_L), and c never goes negative', () => {
    const beta = 5;
    const s = { c: 0.3, XL: 0.1, XRS: 0.05, Y: 0.05 };
    const before = s.c + beta * s.XL;
    reactNode(s, { k_L: 10, k_D: 0.001, k_RS: 0.01 }, beta, 100);
    expect(s.c + beta * s.XL).toBeCloseTo(before, 15);
    expect(s.c).toBeGreaterThanOrEqual(0);
    expect(s.XL + s.XRS).toBeLessThanOrEqual(1 + 1e-15);
  });
});

describe('one grain, no transport limit of the model', () => {
  it('β → 0 and a source that holds c = c_s: the particle follows the competing first-order closed form', () => {
    const config = parseSynthesisConfig({
      geometry: { shape: 'quarter', radius_um: 1, mesh_size_um: 0.25 },
      microstructure: { grains: 1, seed: 1 },
      synthesis: {
        precursor: { li_capacity: 1e-12 },
        li_source: { surface_exchange_um_per_s: 1e9, Ea_surface_kJ_mol: 0 },
        rates: { D_bulk_um2_per_s: 1e6, Ea_bulk_kJ_mol: 0, rock_salt_lithiation_ratio: 0 },
        temperature_program: { start_C: 280, steps: [{ hold_min: 10 }] },
      },
    });
    const mesh = buildSynthesisMesh(config);
    expect(mesh.grainCount).toBe(1);
    const m = new SynthesisModel(mesh, config.synthesis);
    m.run();
    const k = ratesAt(config.synthesis, 280);
    const lam = k.k_L_per_s * 1 + k.k_D_per_s;
    const t = m.time_s;
    expect(t).toBeCloseTo(600, 9);
    const last = m.history[m.history.length - 1];
    const total = 1 - Math.exp(-lam * t);
    expect(last.lithiated_fraction + last.rock_salt_fraction).toBeCloseTo(total, 6);
    expect(last.lithiated_fraction).toBeCloseTo((k.k_L_per_s / lam) * total, 6);
    expect(last.rock_salt_fraction).toBeCloseTo((k.k_D_per_s / lam) * total, 6);
  });
});
