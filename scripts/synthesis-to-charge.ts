/**
 * Synthesis → charge (docs/synthesis.md §9, the table in §9 and in docs/validation.md): for each seed, synthesize the
 * particle with each preset (NCM90 bare vs WO3-ALD; NCM622 direct vs two-step), load its microstructure.json into a
 * charge (`microstructure.from_synthesis`) and charge it to SoC 1 with the default loading and material. Reports
 * what the synthesis left (pores, inactive grains, merged grains) and the charge damage. Also a sensitivity run
 * that applies the pores and inactive grains but not the merges (`synthesizedOverlay(…, { merges: false })`: every
 * grain its own, inactive by its own rock-salt fraction), since with the default rates the preset programs close
 * every boundary between lithiated grains.
 *
 * Every seed uses the same defaults (no tuning). Small mesh: quarter, R = 5 µm, 100 grains, h = 0.25 µm.
 *
 * Run: npx tsx scripts/synthesis-to-charge.ts [--seeds 11,12,13,14,15] [--out results/synthesis-to-charge]
 * Writes <out>/<preset>-s<seed>/ (the synthesis outputs) and <out>/table.json, prints the Markdown tables.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../src/io/atomic.js';
import { runSynthesisToDirectory } from '../src/synthesis/run.js';
import { readSynthesizedCharge, synthesizedOverlay } from '../src/synthesis/charge.js';
import { Simulation, createKernel } from '../src/engine/simulation.js';
import type { SynthesizedMicrostructure } from '../src/mesh/synthesized.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seeds = arg('--seeds', '11,12,13,14,15').split(',').map(Number);
const out = arg('--out', 'results/synthesis-to-charge');
const PRESETS = ['ncm90-bare', 'ncm90-wo3-ald', 'ncm622-direct', 'ncm622-two-step'] as const;
const GEOMETRY = { shape: 'quarter', radius_um: 5, mesh_size_um: 0.25 };

interface Row {
  seed: number;
  preset: string;
  synthesis_s: number;
  void_fraction: number;
  pore_fraction: number;
  pore_grains: number;
  inactive_grains: number;
  merged_grains: number;
  largest_group: number;
  charge_grains: number;
  damage_mean: number;
  cracked_fraction: number;
  class: string;
  end: string;
  /** Sensitivity: pores and inactive grains, merges not applied. */
  unmerged_inactive_grains: number;
  unmerged_damage_mean: number;
  unmerged_cracked_fraction: number;
  unmerged_class: string;
}

const kernel = await createKernel('wasm');
mkdirSync(out, { recursive: true });
const rows: Row[] = [];

async function charge(resolved: unknown, synthesized: SynthesizedMicrostructure) {
  const sim = await Simulation.create(resolved, { kernel, synthesized });
  await sim.run({});
  const last = sim.history[sim.history.length - 1];
  const cls = sim.particleClass();
  return { sim, last, cls: cls.class, end: `${sim.endReason} SoC ${last.soc.toFixed(3)}` };
}

for (const seed of seeds) {
  for (const preset of PRESETS) {
    const dir = join(out, `${preset}-s${seed}`);
    rmSync(dir, { recursive: true, force: true });
    const t0 = performance.now();
    await runSynthesisToDirectory(
      {
        name: `${preset}-s${seed}`,
        geometry: GEOMETRY,
        microstructure: { grains: 100, seed },
        synthesis: { preset, output: { vtu: false } },
      },
      dir,
    );
    const synthesis_s = (performance.now() - t0) / 1000;
    const { resolved, charge: c } = readSynthesizedCharge(
      { name: `charge-${preset}-s${seed}`, microstructure: { from_synthesis: join(dir, 'microstructure.json') } },
      process.cwd(),
    );
    const as = await charge(resolved, c!.synthesized);
    const unmerged = synthesizedOverlay(resolved, { merges: false })!;
    const un = await charge(resolved, unmerged.synthesized);
    const row: Row = {
      seed,
      preset,
      synthesis_s,
      void_fraction: c!.voidFraction,
      pore_fraction: c!.poreFraction,
      pore_grains: c!.poreGrains.length,
      inactive_grains: c!.inactiveGrains.length,
      merged_grains: c!.mergedGroups.reduce((s, m) => s + m.length, 0),
      largest_group: Math.max(0, ...c!.mergedGroups.map((m) => m.length)),
      charge_grains: as.sim.scenario.mesh.grainCount,
      damage_mean: as.last.damage_mean,
      cracked_fraction: as.last.cracked_fraction,
      class: as.cls,
      end: as.end,
      unmerged_inactive_grains: unmerged.inactiveGrains.length,
      unmerged_damage_mean: un.last.damage_mean,
      unmerged_cracked_fraction: un.last.cracked_fraction,
      unmerged_class: un.cls,
    };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
kernel.dispose();
writeJsonAtomic(join(out, 'table.json'), { geometry: GEOMETRY, grains: 100, seeds, rows });

const f = (v: number, d = 3) => v.toFixed(d);
console.log(
  '| seed | preset | void (synthesis) | pores (area) | pore / inactive / merged grains (largest group) | grains charged | D̄ | cracked | class | inactive unmerged | D̄ unmerged | cracked unmerged | class unmerged |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.seed} | ${r.preset} | ${f(r.void_fraction)} | ${f(r.pore_fraction)} | ${r.pore_grains} / ${r.inactive_grains} / ${r.merged_grains} (${r.largest_group}) | ${r.charge_grains} | ${f(r.damage_mean, 4)} | ${f(r.cracked_fraction)} | ${r.class} | ${r.unmerged_inactive_grains} | ${f(r.unmerged_damage_mean, 4)} | ${f(r.unmerged_cracked_fraction)} | ${r.unmerged_class} |`,
  );
console.log('\nMeans over the seeds:\n');
console.log(
  '| preset | pores (area) | inactive grains | grains charged | D̄ | cracked | inactive unmerged | D̄ unmerged | cracked unmerged |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
for (const p of PRESETS) {
  const rs = rows.filter((r) => r.preset === p);
  console.log(
    `| ${p} | ${f(mean(rs.map((r) => r.pore_fraction)))} | ${f(mean(rs.map((r) => r.inactive_grains)), 1)} | ${f(mean(rs.map((r) => r.charge_grains)), 1)} | ${f(mean(rs.map((r) => r.damage_mean)), 4)} | ${f(mean(rs.map((r) => r.cracked_fraction)))} | ${f(mean(rs.map((r) => r.unmerged_inactive_grains)), 1)} | ${f(mean(rs.map((r) => r.unmerged_damage_mean)), 4)} | ${f(mean(rs.map((r) => r.unmerged_cracked_fraction)))} |`,
  );
}
