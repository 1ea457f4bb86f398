/**
 * The large case of the solver issue: a full disk, R = 5 µm, 400 grains, h = 0.1 µm (≈ 14k nodes, 29k mechanics
 * unknowns), bare, mixed 1C/0.5C/0.1C, charged to SoC 1 with the default scheme, WASM kernel, one thread: steps,
 * linear solves per step, mechanics factorisations and PCG iterations, wall time, ms per step, final D̄.
 * Target (issue 11): ≤ 60 s. `npx tsx bench/full-disk.ts [--to-soc S]` (part of `npm run bench -- --only full-disk`).
 */
import { Simulation } from '../src/engine/simulation.js';
import { createWasmKernel } from '../src/engine/wasm-kernel.js';
import type { MechanicsOptions } from '../src/engine/kernel-api.js';
import { resolveConfig } from '../src/scenario/resolve.js';
import { referenceConfig } from '../src/scenario/reference.js';

export async function benchFullDisk(toSoc = 1): Promise<string> {
  const config = resolveConfig(
    referenceConfig('bare', 7, {
      name: 'full-disk',
      geometry: { shape: 'full', radius_um: 5, mesh_size_um: 0.1 },
      microstructure: { grains: 400, seed: 7, orientation: 'random-3d', lloyd_iterations: 2 },
      loading: { c_rates: [1, 0.5, 0.1], to_soc: toSoc },
      output: { snapshots_soc: [], vtu: false, checkpoint_every_steps: 20 },
    }),
  );
  const kernel = await createWasmKernel();
  // count the mechanics PCG iterations through the kernel contract's report
  let pcgIterations = 0;
  const solve = kernel.mechanicsSolve.bind(kernel);
  kernel.mechanicsSolve = (o: MechanicsOptions) => {
    const r = solve(o);
    pcgIterations += r.linearIterations;
    return r;
  };
  const t0 = performance.now();
  const sim = await Simulation.create(config, { kernel });
  const setup_s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await sim.run();
  const run_s = (performance.now() - t1) / 1000;
  const m = sim.scenario.mesh.stats;
  const solves = sim.history.slice(1).map((r) => r.linear_solves);
  const d = kernel.diagnostics();
  const last = sim.history[sim.history.length - 1];
  return (
    `Full disk, R = 5 µm, 400 grains, h = 0.1 µm (${m.nodeCount} nodes, ${m.triCount} elements, ` +
    `${d.mechanicsUnknowns} mechanics unknowns), bare, 1C/0.5C/0.1C to SoC ${toSoc}, ${config.solver.scheme}, one ` +
    `thread: set-up (mesh, kernel) ${setup_s.toFixed(1)} s; run ${run_s.toFixed(1)} s, ${sim.stepCount} steps ` +
    `(${((1000 * run_s) / sim.stepCount).toFixed(1)} ms/step), linear solves per step ` +
    `${(solves.reduce((a, b) => a + b, 0) / solves.length).toFixed(3)} (max ${Math.max(...solves)}), ` +
    `${d.mechanicsFactorizations} mechanics factorisations and ${pcgIterations} PCG iterations ` +
    `(refactorisation budget ${d.refactorCostInSolves} iterations), final D̄ ${last.damage_mean.toFixed(4)}, ` +
    `SoC ${last.soc.toFixed(3)}. Target: ≤ 60 s.\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--to-soc');
  console.log(await benchFullDisk(i >= 0 ? Number(process.argv[i + 1]) : 1));
}
