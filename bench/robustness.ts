/**
 * Robustness of the default damage scheme (issue 11's failure count): an ensemble of random microstructures, each
 * charged to SoC 1 with the defaults, run as one `chemofrac sweep` on all cores; how many fail, and the linear solves
 * per step (mean over every step of every run, and the largest in any step).
 *
 * The ensemble: quarter particles of R = 5 µm (the reference geometry), 1C/0.5C/0.1C per grain, case i of N with
 * design bare / MF-coated / gradient-porous / dense-porous in turn (i mod 4), microstructure seed 1001 + i, and grain
 * count and mesh size drawn uniformly from [80, 150] and [0.08, 0.15] µm by a fixed generator (the same draws on
 * every machine). Before IMPL-EX, 1 of 20 such runs failed to SoC 0.6.
 *
 *   npx tsx bench/robustness.ts [--cases 40] [--workers 2]
 *
 * Prints a Markdown section on stdout (part `robustness` of `npm run bench`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_VARIANTS } from '../src/scenario/reference.js';
import { designEnsembleSweep } from '../src/scenario/design-ensemble.js';
import { parseSweepSpec } from '../src/sweep/spec.js';
import { runSweep } from '../src/sweep/run-sweep.js';
import { readResults } from '../src/sweep/sweep-directory.js';

const GRAINS_RANGE = [80, 150] as const;
const MESH_SIZE_RANGE_UM = [0.08, 0.15] as const;
const FIRST_SEED = 1001;

/** Park–Miller minimal standard generator: the ensemble's draws, identical on every machine. */
function uniformDraws(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/** The sweep file of the ensemble: one zip axis holding the design keys, the seed, the grains and the mesh size. */
export function robustnessSweep(cases: number) {
  const designs = designEnsembleSweep(
    REFERENCE_VARIANTS,
    { count: 1, seed_start: FIRST_SEED },
    {
      loading: { c_rates: [1, 0.5, 0.1], to_soc: 1 },
      output: { snapshots_soc: [], vtu: false },
    },
  );
  const designZip = (designs.axes as { zip?: Record<string, unknown[]> }).zip ?? {};
  const draw = uniformDraws(20261130);
  const zip: Record<string, unknown[]> = Object.fromEntries(Object.keys(designZip).map((k) => [k, []]));
  zip['microstructure.seed'] = [];
  zip['microstructure.grains'] = [];
  zip['geometry.mesh_size_um'] = [];
  for (let i = 0; i < cases; i++) {
    for (const [k, rows] of Object.entries(designZip)) zip[k].push(rows[i % REFERENCE_VARIANTS.length]);
    zip['microstructure.seed'].push(FIRST_SEED + i);
    zip['microstructure.grains'].push(Math.round(GRAINS_RANGE[0] + draw() * (GRAINS_RANGE[1] - GRAINS_RANGE[0])));
    zip['geometry.mesh_size_um'].push(
      Number((MESH_SIZE_RANGE_UM[0] + draw() * (MESH_SIZE_RANGE_UM[1] - MESH_SIZE_RANGE_UM[0])).toFixed(3)),
    );
  }
  const { replicates: _replicates, ...rest } = designs;
  return { ...rest, name: 'robustness', axes: { zip } };
}

/** Linear solves of every step of one run directory's history.csv (the initial row excluded). */
function linearSolves(runDir: string): number[] {
  const f = join(runDir, 'history.csv');
  if (!existsSync(f)) return [];
  const lines = readFileSync(f, 'utf8').trim().split('\n');
  const col = lines[0].split(',').indexOf('linear_solves');
  return lines.slice(2).map((l) => Number(l.split(',')[col]));
}

export async function benchRobustness(cases = 40, workers = availableParallelism()): Promise<string> {
  const spec = parseSweepSpec(robustnessSweep(cases));
  const out = mkdtempSync(join(tmpdir(), 'chemofrac-bench-robustness-'));
  try {
    const r = await runSweep(spec, { out, workers, quiet: true });
    const records = [...readResults(out).values()];
    const results = records.map((rec) => rec.result);
    const failed = results.filter((c) => c.status !== 'completed');
    const solves = records.flatMap((rec) => linearSolves(join(out, rec.run_dir)));
    const steps = results.map((c) => c.steps);
    const mean = solves.reduce((a, b) => a + b, 0) / Math.max(1, solves.length);
    return (
      `${cases} random microstructures (quarter, R = 5 µm, ${GRAINS_RANGE.join('–')} grains, h ` +
      `${MESH_SIZE_RANGE_UM.join('–')} µm, bare / MF-coated / gradient-porous / dense-porous in turn, 1C/0.5C/0.1C to ` +
      `SoC 1, default solver), one \`chemofrac sweep\` on ${workers} workers; ${cpus().length} cores, Node ` +
      `${process.version}.\n\n` +
      '| cases | completed | failed | steps per run (min – max) | linear solves per step (mean, max) | wall s |\n' +
      '|---|---|---|---|---|---|\n' +
      `| ${cases} | ${r.completed} | ${failed.length} | ${Math.min(...steps)} – ${Math.max(...steps)} | ` +
      `${mean.toFixed(3)}, ${Math.max(...solves)} | ${r.wall_s.toFixed(0)} |\n` +
      (failed.length
        ? '\nFailed: ' + failed.map((c) => `${c.hash.slice(0, 8)}: ${c.error?.message ?? c.status}`).join('; ') + '\n'
        : '')
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await benchRobustness(Number(arg('--cases') ?? 40), Number(arg('--workers') ?? availableParallelism())));
