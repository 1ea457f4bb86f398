/**
 * `chemofrac compare` (= `npm start`): the four reference particles, run headless one after another, a printed
 * table and all four run directories under --out.
 */
import { join } from 'node:path';
import { resolveConfig } from '../scenario/resolve.js';
import { REFERENCE_VARIANTS, referenceConfig } from '../scenario/reference.js';
import { runToDirectory, withKernel } from './run.js';
import { metricsAtSoc } from '../io/run-writer.js';
import { writeFileAtomic } from '../io/atomic.js';
import { csvTable } from '../io/csv.js';
import { UserError } from './main.js';

export interface ComparisonRow {
  variant: string;
  damage_mean_055: number;
  cracked_fraction_055: number;
  x_std_055: number;
  hotspot_fraction_055: number;
  damage_mean_end: number;
  cracked_fraction_end: number;
  soc_end: number;
  particle_class: string;
  steps: number;
  wall_s: number;
}

const fmt = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export async function compareCommand(opts: { out: string; seed: string; kernel?: string; quiet?: boolean }): Promise<void> {
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed: got "${opts.seed}"; expected an integer`);
  const rows: ComparisonRow[] = [];
  const t0 = performance.now();
  for (const variant of REFERENCE_VARIANTS) {
    const config = resolveConfig(withKernel(referenceConfig(variant, seed), opts.kernel));
    const { sim, wall_s } = await runToDirectory(config, join(opts.out, variant), { quiet: opts.quiet, label: variant });
    const at = metricsAtSoc(sim.history, 0.55);
    const end = sim.history[sim.history.length - 1];
    rows.push({
      variant,
      damage_mean_055: at?.damage_mean ?? NaN,
      cracked_fraction_055: at?.cracked_fraction ?? NaN,
      x_std_055: at?.x_std ?? NaN,
      hotspot_fraction_055: at?.hotspot_fraction ?? NaN,
      damage_mean_end: end.damage_mean,
      cracked_fraction_end: end.cracked_fraction,
      soc_end: end.soc,
      particle_class: sim.particleClass().class,
      steps: sim.stepCount,
      wall_s,
    });
  }
  writeFileAtomic(join(opts.out, 'comparison.csv'), csvTable(Object.keys(rows[0]) as (keyof ComparisonRow)[], rows));
  const header = ['particle', 'D̄@0.55', 'cracked@0.55', 'x_std@0.55', 'hot-spot@0.55', 'D̄ end', 'cracked end', 'SoC end', 'class', 'steps', 'wall s'];
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
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`\nReference comparison (quarter particle, 100 grains, seed ${seed}, mixed 1C/0.5C/0.1C, charge to SoC 1):`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const bare = rows[0];
  const coated = rows[1];
  console.log(
    `\nMF-coated / bare damage ratio: ${fmt(coated.damage_mean_055 / bare.damage_mean_055, 3)} at SoC 0.55, ` +
      `${fmt(coated.damage_mean_end / bare.damage_mean_end, 3)} at the end. Total ${((performance.now() - t0) / 1000).toFixed(1)} s. ` +
      `Runs and comparison.csv in ${opts.out}/`,
  );
}
