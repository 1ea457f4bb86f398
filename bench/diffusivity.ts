/**
 * What D(x) costs (docs/physics.md §8): the sourced bare reference charge (nmc811, seed 7, `referenceConfig`) with
 * `diffusivity_model: "constant"` and `"oregan2022"`, alternated in one session (A B A B …) so that a loaded
 * machine affects both alike; steps, wall time, their ratio, and D̄ at SoC 0.55 and at the end.
 * Run with `npx tsx bench/diffusivity.ts [repeats]`.
 */
import { Simulation } from '../src/engine/simulation.js';
import { resolveConfig } from '../src/scenario/resolve.js';
import { referenceConfig } from '../src/scenario/reference.js';
import type { DiffusivityModel } from '../src/materials/presets.js';

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
    `Sourced bare reference charge (nmc811, seed ${seed}, quarter, 100 grains, h = 0.15 µm, mixed 1C/0.5C/0.1C to SoC 1, WASM kernel), alternated.\n\n` +
    '| repeat | diffusivity_model | steps | wall s | CPU s | ms/step (wall) | D̄ at SoC 0.55 | final D̄ | final SoC |\n|---|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    `\n\nWall-time ratio D(x) / constant: ${ratio.toFixed(2)} (steps ${steps.oregan2022} / ${steps.constant}; per step ${perStep.toFixed(2)}); CPU-time ratio ${cpuRatio.toFixed(2)}.\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchDiffusivity(Number(process.argv[2] ?? 2)));
