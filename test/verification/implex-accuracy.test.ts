/**
 * Accuracy of the default damage scheme (IMPL-EX, one linear solve per step, docs/solver.md) against a tight
 * reference: the implicit damage-secant iteration at tolerance 1e-5 with Δt ≤ 1 s (no lagged acceptance), on five
 * random microstructures (the validation seeds). Per microstructure:
 *   - D̄(SoC): the default run's length-weighted mean grain-boundary damage, interpolated at every reference step's
 *     SoC, within 0.01 of the reference;
 *   - cracked boundaries (D ≥ 0.99) in common: length(both cracked) / max(length cracked in either) ≥ 0.95.
 * Particle: quarter, R = 2.5 µm, 25 grains, h = 0.15 µm, bare, per-grain rates 4C/2C/0.4C, charged to SoC 1 (a
 * whole charge: late in the charge a long step through a quiet phase can overshoot a boundary's limit point, which is
 * what the load-increment bound of Simulation.adaptDt prevents; ~15 s of reference per microstructure).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation.js';
import { damageAgreement } from '../../src/engine/agreement.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { meshSpecFromConfig } from '../../src/scenario/build.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { TIGHT_REFERENCE_SOLVER, accuracyParticleConfig } from '../../src/scenario/reference.js';
import type { UserConfig } from '../../src/scenario/config-schema.js';
import { VALIDATION_SEEDS } from '../validation/support.js';

function config(seed: number, solver: UserConfig['solver'] = {}) {
  return resolveConfig(accuracyParticleConfig(seed, 1, solver));
}

async function run(seed: number, solver: UserConfig['solver'] = {}) {
  const c = config(seed, solver);
  const sim = await Simulation.create(c, { mesh: meshPolycrystal(meshSpecFromConfig(c)) });
  await sim.run();
  return sim;
}

describe('IMPL-EX (default) against the tight implicit reference', () => {
  it.each(VALIDATION_SEEDS)('seed %i: D̄(SoC) within 0.01, ≥ 95 % of the cracked length in common', async (seed) => {
    const ref = await run(seed, TIGHT_REFERENCE_SOLVER);
    const ex = await run(seed);
    expect(ex.config.solver.scheme).toBe('implex');
    expect(ref.endReason).toBe('to_soc');
    expect(ex.endReason).toBe('to_soc');

    // D̄(SoC) at every reference step, and the cracked boundaries in common (src/engine/agreement.ts)
    const a = damageAgreement(ref, ex);
    const worst = a.maxDamageMeanDifference;
    const common = a.crackedInCommon;
    const [lr, le] = [a.crackedLengthReference_um, a.crackedLengthOther_um];
    const solves = ex.history.slice(1).map((r) => r.linear_solves);
    const refSolves = ref.history.slice(1).reduce((s, r) => s + r.linear_solves, 0);
    console.log(
      `[implex accuracy] seed ${seed}: max |ΔD̄(SoC)| ${worst.toFixed(4)}, cracked in common ${(100 * common).toFixed(1)} % ` +
        `(${lr.toFixed(2)} / ${le.toFixed(2)} µm), final D̄ ${ref.history.at(-1)!.damage_mean.toFixed(4)} vs ` +
        `${ex.history.at(-1)!.damage_mean.toFixed(4)}; steps ${ref.stepCount} vs ${ex.stepCount}, linear solves ` +
        `${refSolves} vs ${solves.reduce((a, b) => a + b, 0)} (max ${Math.max(...solves)} per step)`,
    );
    expect(lr).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(0.01);
    expect(common).toBeGreaterThanOrEqual(0.95);
  });
});
