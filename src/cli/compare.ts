/**
 * `chemofrac compare` (= `npm start`): the four reference particles (bare, MF-coated, gradient-porous,
 * dense-porous; same seed), run headless on the sweep worker pool (one thread and one WASM kernel per core),
 * a printed table, `comparison.csv`, and the four run directories under --out.
 */
import { join } from 'node:path';
import { resolveConfig } from '../scenario/resolve.js';
import { REFERENCE_VARIANTS, referenceConfig, type MaterialSet } from '../scenario/reference.js';
import { withKernel } from './run.js';
import { writeFileAtomic } from '../io/atomic.js';
import { csvTable } from '../io/csv.js';
import { parseWorkers, runOnPool, stopExitCode } from './pool-runs.js';
import { UserError } from '../errors.js';

export interface ComparisonRow {
  variant: string;
  damage_mean_055: number;
  cracked_fraction_055: number;
  x_std_055: number;
  hotspot_fraction_055: number;
  coating_hoop_MPa_055: number;
  damage_mean_end: number;
  cracked_fraction_end: number;
  x_std_end: number;
  soc_end: number;
  particle_class: string;
  steps: number;
  wall_s: number;
  status: string;
}

/**
 * The order the four runs go to the pool: longest expected first. The MF-coated particle cracks least, and IMPL-EX
 * steps follow damage growth, so it takes about two thirds of the others' steps (878 against 1,282–1,406 at seed 7,
 * README) and goes last; bare first. With two workers the table's order (bare, coated, gradient, dense) leaves the
 * dense-porous run alone at the end (≈ 9.4 s of runs on one worker against ≈ 8.4 s in this order, from the per-run
 * times of the README's table: 4.8 / 3.2 / 3.8 / 4.6 s).
 */
const DISPATCH_ORDER: readonly (typeof REFERENCE_VARIANTS)[number][] = [
  'bare',
  'dense-porous',
  'gradient-porous',
  'mf-coated',
];

const fmt = (v: number | null | undefined, d = 4) =>
  v !== null && v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '—';

export async function compareCommand(opts: {
  out: string;
  seed: string;
  kernel?: string;
  quiet?: boolean;
  workers?: string;
  materials?: MaterialSet;
}): Promise<{ rows: ComparisonRow[]; exitCode: number }> {
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed: got "${opts.seed}"; expected an integer`);
  const workers = parseWorkers(opts.workers, REFERENCE_VARIANTS.length);
  const configs = REFERENCE_VARIANTS.map((v) =>
    resolveConfig(withKernel(referenceConfig(v, seed, {}, opts.materials), opts.kernel)),
  );

  const t0 = performance.now();
  const { results, stoppedBy } = await runOnPool(configs, [...REFERENCE_VARIANTS], {
    ...opts,
    workers,
    label: 'compare',
    dispatchOrder: DISPATCH_ORDER.map((v) => REFERENCE_VARIANTS.indexOf(v)),
  });

  const rows: ComparisonRow[] = results.map((r, i) => ({
    variant: REFERENCE_VARIANTS[i],
    damage_mean_055: r.at_probe?.damage_mean ?? NaN,
    cracked_fraction_055: r.at_probe?.cracked_fraction ?? NaN,
    x_std_055: r.at_probe?.x_std ?? NaN,
    hotspot_fraction_055: r.at_probe?.hotspot_fraction ?? NaN,
    coating_hoop_MPa_055: r.at_probe?.coating_hoop_MPa ?? NaN,
    damage_mean_end: r.end?.damage_mean ?? NaN,
    cracked_fraction_end: r.end?.cracked_fraction ?? NaN,
    x_std_end: r.end?.x_std ?? NaN,
    soc_end: r.end?.soc ?? NaN,
    particle_class: r.particle_class ?? '—',
    steps: r.steps,
    wall_s: r.wall_s,
    status: r.status + (r.error ? `: ${r.error.message}` : ''),
  }));
  writeFileAtomic(join(opts.out, 'comparison.csv'), csvTable(Object.keys(rows[0]) as (keyof ComparisonRow)[], rows));

  const header = [
    'particle',
    'D̄@0.55',
    'cracked@0.55',
    'x_std@0.55',
    'hot-spot@0.55',
    'D̄ end',
    'cracked end',
    'SoC end',
    'class',
    'steps',
    'wall s',
  ];
  const table = rows.map((r) => [
    r.variant,
    fmt(r.damage_mean_055),
    fmt(r.cracked_fraction_055, 3),
    fmt(r.x_std_055),
    fmt(r.hotspot_fraction_055, 3),
    fmt(r.damage_mean_end),
    fmt(r.cracked_fraction_end, 3),
    fmt(r.soc_end, 3),
    r.particle_class,
    String(r.steps),
    r.wall_s.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const c = configs[0];
  console.log(
    `\nReference comparison: quarter particle R = ${c.geometry.radius_um} µm, ${c.microstructure.grains} grains (seed ${seed}), ` +
      `h = ${c.geometry.mesh_size_um} µm, mixed ${c.loading.c_rates.join('/')}C, charge to SoC ${c.loading.to_soc}:`,
  );
  console.log(line(header));
  for (const row of table) console.log(line(row));
  for (const r of rows) if (r.status !== 'completed') console.log(`${r.variant}: ${r.status}`);
  const [bare, coated, gradient, dense] = rows;
  console.log(
    `\nMF-coated / bare mean damage: ${fmt(coated.damage_mean_055 / bare.damage_mean_055, 3)} at SoC 0.55, ` +
      `${fmt(coated.damage_mean_end / bare.damage_mean_end, 3)} at the end; ` +
      `gradient / dense-porous: ${fmt(gradient.damage_mean_end / dense.damage_mean_end, 3)} at the end. ` +
      `Coating hoop stress at SoC 0.55: ${fmt(coated.coating_hoop_MPa_055, 1)} MPa.`,
  );
  console.log(
    `Wall time ${((performance.now() - t0) / 1000).toFixed(1)} s on ${workers} worker${workers > 1 ? 's' : ''}. ` +
      `Runs (summary.json, history.csv, fields.pvd) and comparison.csv in ${opts.out}/`,
  );
  if (rows.some((r) => r.status.startsWith('failed')))
    throw new UserError('at least one reference run failed (see above and its summary.json)');
  if (stoppedBy) console.log(`Stopped by ${stoppedBy}: the runs end where they were (status "interrupted").`);
  return { rows, exitCode: stopExitCode(stoppedBy) };
}
