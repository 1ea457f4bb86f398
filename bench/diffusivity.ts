/**
 * What D(x) costs (docs/physics.md §8): the sourced bare reference charge (nmc811, seed 7, `referenceConfig`) with
 * `diffusivity_model: "constant"` and `"oregan2022"`, alternated in one session (A B A B …) so that a loaded
 * machine affects both alike; steps, wall time, their ratio, and D̄ at SoC 0.55 and at the end. First, the
 * diffusion step alone on the same mesh (WASM kernel, 300 steps at the charge's Δt): constant D, a fit that is
 * constant (the cost of evaluating φ per triangle), and the O'Regan fit.
 * Run with `npx tsx bench/diffusivity.ts [repeats]`.
 */
import { Simulation } from '../src/engine/simulation.js';
import { resolveConfig } from '../src/scenario/resolve.js';
import { referenceConfig } from '../src/scenario/reference.js';
import type { DiffusivityModel } from '../src/materials/presets.js';
import { buildScenario, meshSpecFromConfig } from '../src/scenario/build.js';
import { meshPolycrystal } from '../src/mesh/index.js';
import { createKernel } from '../src/engine/simulation.js';
import type { KernelSetup } from '../src/engine/kernel-api.js';

/** ms per diffusion step, refactorisations and PCG iterations over 300 steps, per variant of D. */
async function diffusionStepProfile(seed: number): Promise<string> {
  const config = resolveConfig(referenceConfig('bare', seed, {}, 'sourced'));
  const scenario = buildScenario(config, meshPolycrystal(meshSpecFromConfig(config)));
  const variants: [string, (s: KernelSetup) => KernelSetup][] = [
    ['constant D', (s) => ({ ...s, materials: s.materials.map(({ diffusivityFit: _fit, ...m }) => m) })],
    [
      'fit with φ ≡ 1 (evaluation only)',
      (s) => ({
        ...s,
        materials: s.materials.map((m) =>
          m.diffusivityFit
            ? {
                ...m,
                diffusivityFit: { ...m.diffusivityFit, c0: 0, amplitude: [0, 0, 0], prefactor_um2_s: m.D_ab_um2_s },
              }
            : m,
        ),
      }),
    ],
    ["O'Regan D(x)", (s) => s],
  ];
  const q = new Float64Array(scenario.setup.fluxSegmentCount).fill(1.5e-4);
  const rows: string[] = [];
  for (const [name, variant] of variants) {
    const kernel = await createKernel('wasm');
    kernel.setup(variant(scenario.setup));
    kernel.li().fill(1);
    let refactored = 0,
      iterations = 0;
    const steps = 300;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const r = kernel.diffusionStep(Math.min(20, 5 * 1.5 ** Math.floor(i / 2)), q);
      refactored += r.refactored ? 1 : 0;
      iterations += r.iterations;
    }
    rows.push(`| ${name} | ${((performance.now() - t0) / steps).toFixed(3)} | ${refactored} | ${iterations} |`);
    kernel.dispose();
  }
  return (
    `Diffusion step alone (${scenario.setup.triCount} triangles, ${scenario.setup.diffusionDofCount} unknowns, 300 steps):\n\n` +
    '| D | ms/step | refactorisations | PCG iterations |\n|---|---|---|---|\n' +
    rows.join('\n') +
    '\n\n'
  );
}

async function charge(model: DiffusivityModel, seed: number) {
  const config = resolveConfig(
    referenceConfig(
      'bare',
      seed,
      { material: { preset: 'nmc811', diffusivity_model: model }, output: { vtu: false } },
      'sourced',
    ),
  );
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sim = await Simulation.create(config);
  let d055 = NaN;
  await sim.run({
    onStep: (r) => {
      if (Number.isNaN(d055) && r.soc >= 0.55 - 1e-9) d055 = r.damage_mean;
    },
  });
  const wall_s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpu_s = (cpu.user + cpu.system) / 1e6;
  const last = sim.history[sim.history.length - 1];
  return { steps: sim.stepCount, wall_s, cpu_s, d055, dEnd: last.damage_mean, soc: last.soc };
}

export async function benchDiffusivity(repeats = 2, seed = 7): Promise<string> {
  const profile = await diffusionStepProfile(seed);
  const rows: string[] = [];
  const time: Record<string, number[]> = { constant: [], oregan2022: [] };
  const cpuTime: Record<string, number[]> = { constant: [], oregan2022: [] };
  const steps: Record<string, number> = {};
  for (let r = 0; r < repeats; r++)
    for (const model of ['constant', 'oregan2022'] as const) {
      const res = await charge(model, seed);
      time[model].push(res.wall_s);
      cpuTime[model].push(res.cpu_s);
      steps[model] = res.steps;
      rows.push(
        `| ${r + 1} | ${model} | ${res.steps} | ${res.wall_s.toFixed(1)} | ${res.cpu_s.toFixed(1)} | ${((1000 * res.wall_s) / res.steps).toFixed(1)} | ${res.d055.toFixed(4)} | ${res.dEnd.toFixed(4)} | ${res.soc.toFixed(3)} |`,
      );
      process.stderr.write(rows[rows.length - 1] + '\n');
    }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const ratio = sum(time.oregan2022) / sum(time.constant);
  const perStep = ratio / (steps.oregan2022 / steps.constant);
  const cpuRatio = sum(cpuTime.oregan2022) / sum(cpuTime.constant);
  return (
    profile +
    `Sourced bare reference charge (nmc811, seed ${seed}, quarter, 100 grains, h = 0.15 µm, mixed 1C/0.5C/0.1C to SoC 1, WASM kernel), alternated.\n\n` +
    '| repeat | diffusivity_model | steps | wall s | CPU s | ms/step (wall) | D̄ at SoC 0.55 | final D̄ | final SoC |\n|---|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    `\n\nWall-time ratio D(x) / constant: ${ratio.toFixed(2)} (steps ${steps.oregan2022} / ${steps.constant}; per step ${perStep.toFixed(2)}); CPU-time ratio ${cpuRatio.toFixed(2)}.\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDiffusivity(Number(process.argv[2] ?? 2)));
