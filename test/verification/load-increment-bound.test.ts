/**
 * The load-increment bound of the time step (`solver.max_x_change_per_step`, Simulation.adaptDt, docs/solver.md):
 *   next Δt ≤ Δt · max_x_change_per_step / max_i |x_i(t + Δt) − x_i(t)|,
 * active while some uncracked point of a damageable interface is loaded (λ ≥ λ0/2), or nothing has damaged yet.
 *   1. With it, no step after the first two changes x anywhere by more than 1.1 × the bound (the bound is predictive,
 *      from the last step's rate, so a step may exceed it by how much the rate grew; measured ≤ 1.07 here), on three
 *      microstructures; without it the same particles take steps that change x by more than twice as much.
 *   2. With nothing that can crack (`material.gb.enabled: false`, cohesive interfaces off) the bound never acts: the
 *      run is the same, step for step, as with the bound off.
 *   3. An uncracked point that carries no load does not keep it on: the reference bare quarter cycled 1C/1C (its
 *      first charge cracks all but a shielded point or two) takes about as many steps in its second cycle as with
 *      the bound off (before the "loaded" condition of `boundaryCanStillSnap`: 6,300 steps per cycle, not ~340).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import type { UserConfig } from '../../src/scenario/config-schema.js';
import { referenceConfig } from '../../src/scenario/reference.js';
import { CRACKED_DAMAGE } from '../../src/engine/metrics.js';

const BOUND = 2e-3;

function smallParticle(seed: number, solver: UserConfig['solver'], material: UserConfig['material'] = 'nmc811') {
  return resolveConfig({
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
    microstructure: { grains: 12, seed },
    material,
    loading: { c_rates: [1, 0.5], to_soc: 1 },
    output: { vtu: false, snapshots_soc: [] },
    solver,
  });
}

/** Run to the end; per step the largest change of x at any diffusion dof, and the step end times. */
async function run(config: ReturnType<typeof smallParticle>) {
  const sim = await Simulation.create(config);
  let before = sim.kernel.li().slice();
  const xChange: number[] = [];
  const times: number[] = [];
  while (!sim.done) {
    sim.step();
    const x = sim.kernel.li();
    let m = 0;
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - before[i]));
    xChange.push(m);
    times.push(sim.time_s);
    before = x.slice();
  }
  sim.kernel.dispose();
  return { xChange, times, steps: sim.stepCount };
}

describe('load-increment bound (solver.max_x_change_per_step)', () => {
  it.each([3, 7, 11])('seed %i: every step after the second changes x by ≤ 1.1 × the bound', async (seed) => {
    const bounded = await run(smallParticle(seed, { max_x_change_per_step: BOUND }));
    const free = await run(smallParticle(seed, { max_x_change_per_step: 1 }));
    const worst = Math.max(...bounded.xChange.slice(2)) / BOUND;
    const worstFree = Math.max(...free.xChange.slice(2)) / BOUND;
    console.log(
      `[load bound] seed ${seed}: max |Δx| per step ${worst.toFixed(3)} × bound (${bounded.steps} steps); ` +
        `bound off ${worstFree.toFixed(2)} × (${free.steps} steps)`,
    );
    expect(worst).toBeLessThanOrEqual(1.1);
    expect(worstFree).toBeGreaterThan(2);
  });

  it('nothing damageable: the bound never acts (same steps as with it off)', async () => {
    const bonded = { preset: 'nmc811', gb: { enabled: false } } as UserConfig['material'];
    const on = await run(smallParticle(3, { max_x_change_per_step: BOUND }, bonded));
    const off = await run(smallParticle(3, { max_x_change_per_step: 1 }, bonded));
    expect(on.steps).toBe(off.steps);
    expect(on.times).toEqual(off.times);
    // and it would have acted: some step changes x by more than the bound
    expect(Math.max(...on.xChange.slice(2))).toBeGreaterThan(2 * BOUND);
  });

  it('a broken particle cycles at the cost of the bound off (uncracked points that carry no load do not count)', async () => {
    const cycled = (bound: number) =>
      resolveConfig(
        referenceConfig('bare', 7, {
          loading: {
            protocol: 'cycling',
            cycles: 2,
            charge: { c_rates: 1, to_soc: 1 },
            discharge: { c_rates: 1, to_soc: 0 },
          },
          output: { vtu: false, snapshots_soc: [] },
          solver: { cycle_jump: { enabled: false }, max_x_change_per_step: bound },
        }),
      );
    const secondCycleSteps = async (bound: number) => {
      const sim = await Simulation.create(cycled(bound));
      while (!sim.done) sim.step();
      const damage = sim.kernel.damage();
      const uncracked = damage.filter((d) => d < CRACKED_DAMAGE).length;
      sim.kernel.dispose();
      return { steps: sim.cycles[1].steps - sim.cycles[0].steps, uncracked, points: damage.length };
    };
    const on = await secondCycleSteps(BOUND);
    const off = await secondCycleSteps(1);
    console.log(
      `[load bound] cycled reference quarter: cycle 2 took ${on.steps} steps with the bound, ${off.steps} without; ` +
        `${on.uncracked} of ${on.points} points uncracked after it`,
    );
    expect(on.steps).toBeLessThanOrEqual(1.3 * off.steps);
  }, 120_000);
});
