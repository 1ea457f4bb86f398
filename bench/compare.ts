/**
 * End-to-end figure: the reference comparison (what `npm start` runs), wall time and steps of each run, and
 * the kernel memory, one thread; then `npm start` itself (the CLI on the worker pool, one worker per core) timed
 * as a child process, `NPM_START_RUNS` times. Run with `npx tsx bench/compare.ts` (also part of `npm run bench`;
 * needs the built CLI, which `npm run bench` builds).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/scenario/resolve.js';
import { REFERENCE_VARIANTS, referenceConfig } from '../src/scenario/reference.js';
import { runToDirectory } from '../src/cli/run.js';
import { parseWorkers } from '../src/cli/pool-runs.js';

/** How many times `npm start` is timed (the machine is shared: one run says little). */
const NPM_START_RUNS = 3;

/** Wall seconds of `chemofrac compare` (= `npm start`) as a child process, with the default worker count. */
function timeNpmStart(out: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/chemofrac.js', 'compare', '--quiet', '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm start failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
  return (performance.now() - t0) / 1000;
}

export async function benchCompare(seed = 7): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chemofrac-bench-'));
  const rows: string[] = [];
  let total = 0;
  let comparison = '';
  try {
    for (const v of REFERENCE_VARIANTS) {
      const config = resolveConfig(referenceConfig(v, seed));
      const { sim, wall_s } = await runToDirectory(config, join(dir, v), { quiet: true });
      total += wall_s;
      const m = sim.scenario.mesh.stats;
      const last = sim.history[sim.history.length - 1];
      const solves = sim.history.slice(1).map((r) => r.linear_solves);
      const solvesMean = solves.reduce((a, b) => a + b, 0) / Math.max(solves.length, 1);
      // the kernel is disposed when the run ends; its high-water mark is in summary.json
      const kernelBytes = JSON.parse(readFileSync(join(dir, v, 'summary.json'), 'utf8')).kernel_memory_bytes as number;
      rows.push(
        `| ${v} | ${m.triCount} | ${m.nodeCount} | ${m.interfaceCount} | ${sim.stepCount} | ${solvesMean.toFixed(2)}, ${Math.max(...solves)} | ${wall_s.toFixed(2)} | ${((1000 * wall_s) / sim.stepCount).toFixed(1)} | ${(kernelBytes / 2 ** 20).toFixed(1)} | ${last.damage_mean.toFixed(4)} |`,
      );
    }
    // the same bare run with the implicit damage-secant scheme (the default before IMPL-EX), same session
    const implicit = resolveConfig(referenceConfig('bare', seed, { solver: { scheme: 'implicit' } }));
    const { sim, wall_s } = await runToDirectory(implicit, join(dir, 'bare-implicit'), { quiet: true });
    const solves = sim.history.slice(1).map((r) => r.linear_solves);
    comparison =
      `\n\nSame bare run with \`solver.scheme: "implicit"\` (the damage-secant iteration, the previous default): ` +
      `${sim.stepCount} steps, ${(solves.reduce((a, b) => a + b, 0) / solves.length).toFixed(2)} linear solves per step ` +
      `(max ${Math.max(...solves)}), ${wall_s.toFixed(2)} s, ${((1000 * wall_s) / sim.stepCount).toFixed(1)} ms/step, ` +
      `final D̄ ${sim.history[sim.history.length - 1].damage_mean.toFixed(4)}.`;
    // what checkpoints cost: the same bare run without them (no checkpoint file, no solver-cache reset), same session
    const noCheckpoints = resolveConfig(referenceConfig('bare', seed, { output: { checkpoint_every_steps: 0 } }));
    const plain = await runToDirectory(noCheckpoints, join(dir, 'bare-no-checkpoints'), { quiet: true });
    const withCheckpoints = total === 0 ? NaN : Number(rows[0].split('|')[7]);
    comparison +=
      `\n\nSame bare run without checkpoints (\`output.checkpoint_every_steps: 0\`): ${plain.sim.stepCount} steps, ` +
      `${plain.wall_s.toFixed(2)} s; with a checkpoint every 20 steps (the default, above) ${withCheckpoints.toFixed(2)} s ` +
      `(checkpoint overhead ${((100 * (withCheckpoints - plain.wall_s)) / plain.wall_s).toFixed(1)} %).`;
    // npm start itself: the same four runs on the worker pool
    const walls: number[] = [];
    for (let k = 0; k < NPM_START_RUNS; k++) walls.push(timeNpmStart(join(dir, `npm-start-${k}`)));
    comparison +=
      `\n\n\`npm start\` (\`chemofrac compare\`, ${parseWorkers(undefined, REFERENCE_VARIANTS.length)} workers, ` +
      `the four runs above handed to the pool longest first), ${NPM_START_RUNS} runs: ` +
      `${walls.map((w) => w.toFixed(1)).join(' / ')} s wall (target 10 s).`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `Seed ${seed}, quarter particle, 100 grains, h = ${resolveConfig(referenceConfig('bare', seed)).geometry.mesh_size_um} µm, mixed 1C/0.5C/0.1C to SoC 1, WASM kernel, one thread, damage scheme ${resolveConfig(referenceConfig('bare', seed)).solver.scheme}; linear solves = mechanics solves per accepted step (mean, max; redone steps included).\n\n` +
    '| particle | elements | nodes | interfaces | steps | linear solves/step | wall s | ms/step | kernel MiB | final D̄ |\n|---|---|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    `\n\nTotal ${total.toFixed(1)} s for the four runs.${comparison}\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchCompare());
