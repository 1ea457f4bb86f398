/**
 * `chemofrac compare --mechanisms`: the mechanism decomposition of src/scenario/mechanisms.ts over several
 * microstructures. For every seed each variant runs on the same microstructure as its bare twin; the table gives,
 * per variant, the mean and the standard deviation over the seeds of
 *   D̄ ratio   = D̄(variant) / D̄(bare)    at SoC 0.55 and at the end of the charge,
 *   x_std ratio = x_std(variant) / x_std(bare) at SoC 0.55 (the spread of the Li distribution),
 * and, for the coated variants, the coating's mean hoop stress σ_θθ at SoC 0.55 (negative = compression).
 * Files: mechanisms.csv (one row per run), mechanisms-summary.csv (the table), and every run's directory.
 */
import { join } from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import { MECHANISM_VARIANTS, mechanismConfig, type MechanismVariant } from '../scenario/mechanisms.js';
import type { MaterialSet } from '../scenario/reference.js';
import type { UserConfig } from '../scenario/config-schema.js';
import { writeFileAtomic } from '../io/atomic.js';
import { csvTable } from '../io/csv.js';
import { readJsonFile } from '../io/read-json.js';
import type { CaseResult } from '../io/case-result.js';
import { parseWorkers, runOnPool, stopExitCode, type PoolStop } from './pool-runs.js';
import { withKernel } from './run.js';
import { UserError } from '../errors.js';
import {
  MECHANISM_TABLE_HEADER,
  mechanismRun,
  mechanismTableCells,
  summarizeMechanisms,
  type MechanismRun,
  type MechanismSummary,
} from '../io/mechanism-table.js';

export const DEFAULT_MECHANISM_SEEDS = [7, 11, 13, 17, 19];

export { summarizeMechanisms, type MechanismRun, type MechanismSummary };

function parseSeeds(text: string | undefined): number[] {
  if (text === undefined) return DEFAULT_MECHANISM_SEEDS;
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (!seeds.length || seeds.some((s) => !Number.isInteger(s)) || new Set(seeds).size !== seeds.length)
    throw new UserError(`--seeds: got "${text}"; expected distinct integers separated by commas, e.g. 7,11,13,17,19`);
  return seeds;
}

/** What `--base` may set: the particle, loading and solver; the variants own material, coating and porosity. */
function readBase(path: string | undefined): Partial<UserConfig> {
  if (path === undefined) return {};
  const base = readJsonFile(path) as Record<string, unknown>;
  if (!base || typeof base !== 'object' || Array.isArray(base))
    throw new UserError(`--base: "${path}" must hold a JSON object (a config).`);
  for (const key of ['material', 'coating', 'porosity'])
    if (key in base)
      throw new UserError(
        `--base: "${path}" sets "${key}", which the mechanism variants define; remove it (allowed: geometry, microstructure, loading, solver, output).`,
      );
  return base as Partial<UserConfig>;
}

export async function mechanismsCommand(opts: {
  out: string;
  seeds?: string;
  base?: string;
  kernel?: string;
  quiet?: boolean;
  workers?: string;
  materials?: MaterialSet;
}): Promise<{ summary: MechanismSummary[]; exitCode: number }> {
  const seeds = parseSeeds(opts.seeds);
  const base = readBase(opts.base);
  const jobs: { variant: MechanismVariant; seed: number; config: ResolvedConfig }[] = [];
  for (const seed of seeds)
    for (const variant of MECHANISM_VARIANTS)
      jobs.push({
        variant,
        seed,
        config: resolveConfig(withKernel(mechanismConfig(variant, seed, base, opts.materials), opts.kernel)),
      });
  const workers = parseWorkers(opts.workers, jobs.length);
  const t0 = performance.now();
  const { results, stoppedBy }: { results: CaseResult[]; stoppedBy: PoolStop } = await runOnPool(
    jobs.map((j) => j.config),
    jobs.map((j) => `seed-${j.seed}/${j.variant}`),
    { out: opts.out, workers, quiet: opts.quiet, label: 'mechanisms' },
  );
  const runs: MechanismRun[] = jobs.map((j, i) =>
    mechanismRun(
      j.variant,
      j.seed,
      results[i].at_probe,
      results[i].end,
      results[i].status + (results[i].error ? `: ${results[i].error!.message}` : ''),
    ),
  );
  const summary = summarizeMechanisms(runs);
  writeFileAtomic(join(opts.out, 'mechanisms.csv'), csvTable(Object.keys(runs[0]) as (keyof MechanismRun)[], runs));
  writeFileAtomic(
    join(opts.out, 'mechanisms-summary.csv'),
    csvTable(Object.keys(summary[0]) as (keyof MechanismSummary)[], summary),
  );

  const c = jobs[0].config;
  console.log(
    `\nMechanism decomposition: quarter R = ${c.geometry.radius_um} µm, ${c.microstructure.grains} grains, ` +
      `h = ${c.geometry.mesh_size_um} µm, mixed ${c.loading.c_rates.join('/')}C to SoC ${c.loading.to_soc}; ` +
      `${seeds.length} microstructures (seeds ${seeds.join(', ')}); mean ± std over the seeds, relative to bare:`,
  );
  const header = [...MECHANISM_TABLE_HEADER];
  const table = summary.map(mechanismTableCells);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  for (const r of runs) if (r.status !== 'completed') console.log(`seed ${r.seed} ${r.variant}: ${r.status}`);
  console.log(
    `Wall time ${((performance.now() - t0) / 1000).toFixed(1)} s on ${workers} worker${workers > 1 ? 's' : ''}. ` +
      `mechanisms.csv, mechanisms-summary.csv and the runs in ${opts.out}/`,
  );
  if (stoppedBy) {
    console.log(`Stopped by ${stoppedBy}: the table covers the runs as far as they got.`);
    return { summary, exitCode: stopExitCode(stoppedBy) };
  }
  if (runs.some((r) => r.status !== 'completed'))
    throw new UserError('at least one mechanism run did not complete (see above and its summary.json)');
  return { summary, exitCode: 0 };
}
