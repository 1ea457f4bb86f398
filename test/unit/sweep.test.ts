/**
 * Sweep bookkeeping with an injected fake case runner (no engine): expansion, hashes, shards, failures,
 * interruption + resume, merge of shards, ensemble statistics, and up-front validation of axis keys and values.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, existsSync, realpathSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  caseHash,
  expandCases,
  parseShard,
  parseSweepSpec,
  setConfigKey,
  shardCases,
  SweepError,
  type SweepSpecInput,
} from '../../src/sweep/spec.js';
import { mergeSweeps } from '../../src/sweep/merge.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { readResults } from '../../src/sweep/sweep-directory.js';
import { createInProcessExecutor } from '../../src/sweep/executor.js';
import type { CaseResult, CaseRunner, CaseTask } from '../../src/io/case-result.js';
import { meanStd } from '../../src/io/sweep-tables.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { resolveConfig } from '../../src/scenario/resolve.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'chemofrac-sweep-'));

const BASE = {
  geometry: { shape: 'quarter', radius_um: 5, mesh_size_um: 0.25 },
  microstructure: { grains: 8 },
  material: 'nmc90-bare',
  loading: { c_rates: [1, 0.5, 0.1], to_soc: 0.2 },
  output: { vtu: false },
};

const SPEC: SweepSpecInput = {
  name: 'demo',
  base: BASE,
  axes: {
    grid: { 'coating.thickness_um': [0.08, 0.16, 0.3], 'material.gb.strength_MPa': [100, 200] },
  },
  replicates: { count: 3, seed_start: 11 },
};

/** Deterministic fake metrics from the config: enough structure for classes and statistics to differ. */
function fakeResult(task: CaseTask): CaseResult {
  const c = task.config;
  const t = c.coating?.thickness_um ?? 0;
  const s = c.material.gb.enabled ? (c.material.gb.strength_MPa ?? 0) : 0;
  const seed = c.microstructure.seed;
  const cracked = Math.max(0, 0.3 - t) * (200 / s) * (0.5 + (seed % 3) / 4);
  const metrics = {
    soc: 0.2,
    x_mean: 0.85,
    x_std: 0.01 * seed,
    damage_mean: cracked / 2,
    damaged_fraction: Math.min(1, cracked * 2),
    cracked_fraction: cracked,
    hotspot_fraction: 0.1,
    max_principal_MPa: 300 - 100 * t,
    coating_hoop_MPa: c.coating ? -50 : NaN,
  };
  return {
    hash: task.hash,
    status: 'completed',
    error: null,
    end_reason: 'to_soc',
    steps: 10 + (seed % 5),
    wall_s: Math.random(),
    at_probe: null,
    end: metrics,
    particle_class: cracked >= 0.2 ? 'broken' : cracked >= 0.01 ? 'mildly-damaged' : 'intact',
    crack_path_surface_to_core: false,
  };
}

/** A fake runner that writes a small run directory, like the real one, and records what it ran. */
function fakeRunner(log: number[] = [], fail?: (task: CaseTask) => boolean): CaseRunner {
  return async (task) => {
    log.push(task.index);
    await new Promise((r) => setTimeout(r, 1));
    if (fail?.(task)) throw new Error(`simulated failure in case ${task.index}`);
    mkdirSync(task.dir, { recursive: true });
    writeJsonAtomic(join(task.dir, 'summary.json'), { fake: true, index: task.index });
    return fakeResult(task);
  };
}

/** Tables without the wall-time column (the only column that differs between identical sweeps). */
function tables(dir: string): { sweep: string; ensemble: string } {
  const sweep = readFileSync(join(dir, 'sweep.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.slice(0, l.lastIndexOf(',')))
    .join('\n');
  return { sweep, ensemble: readFileSync(join(dir, 'ensemble.csv'), 'utf8') };
}

function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
}

describe('sweep spec', () => {
  it('expands grid × zip × replicates in a fixed order with dotted keys and preset expansion', () => {
    const spec = parseSweepSpec({
      base: BASE,
      axes: {
        grid: { 'coating.thickness_um': [0.1, 0.2], 'material.gb.strength_MPa': [150, 250] },
        zip: { 'porosity.center': [0.13, 0.2], 'porosity.surface': [0.08, 0.02] },
      },
      replicates: { count: 2, seed_start: 5 },
    });
    const cases = expandCases(spec);
    expect(cases).toHaveLength(2 * 2 * 2 * 2);
    // first grid key slowest, zip fastest, replicate innermost
    expect(cases.map((c) => c.index)).toEqual([...cases.keys()]);
    expect(cases[0].values).toEqual({
      'coating.thickness_um': 0.1,
      'material.gb.strength_MPa': 150,
      'porosity.center': 0.13,
      'porosity.surface': 0.08,
    });
    expect(cases[1].seed).toBe(6);
    expect(cases[2].values['porosity.center']).toBe(0.2);
    expect(cases[4].values['material.gb.strength_MPa']).toBe(250);
    expect(cases[8].values['coating.thickness_um']).toBe(0.2);
    expect(cases[15].point).toBe(7);
    const c = cases[15].config;
    expect(c.coating?.thickness_um).toBe(0.2);
    expect(c.material.gb.enabled && c.material.gb.strength_MPa).toBe(250);
    expect(c.porosity).toEqual({ center: 0.2, surface: 0.02 });
    expect(c.microstructure.seed).toBe(6);
    // the string preset was turned into its override form, other preset values kept
    expect(c.material.D_ab_m2_s).toBe(resolveConfig(BASE).material.D_ab_m2_s);
    expect(new Set(cases.map((x) => x.hash)).size).toBe(cases.length);
  });

  it("sweeps the issue's axes: C-rates, grain count, D ratio, porosity presets and objects, coating on/off", () => {
    const cases = expandCases(
      parseSweepSpec({
        base: BASE,
        axes: {
          grid: {
            'loading.c_rates': [[1, 0.5, 0.1], 2],
            'microstructure.grains': [8, 12],
            'material.D_c_over_D_ab': [0.1, 1],
          },
          zip: { porosity: ['gradient', { uniform: 0.05 }, null], coating: [null, null, { thickness_um: 0.1 }] },
        },
      }),
    );
    expect(cases).toHaveLength(2 * 2 * 2 * 3);
    const last = cases[cases.length - 1].config;
    expect(last.loading.c_rates).toEqual([2]);
    expect(last.microstructure.grains).toBe(12);
    expect(last.material.D_c_over_D_ab).toBe(1);
    expect(last.porosity).toBeNull();
    expect(last.coating?.thickness_um).toBe(0.1);
    expect(cases[0].config.porosity).toEqual({ center: 0.13, surface: 0.08 });
    expect(cases[1].config.porosity).toEqual({ uniform: 0.05 });
    expect(cases[0].config.coating).toBeNull();
  });

  it('setConfigKey creates, expands presets and deletes with null without touching its input', () => {
    const base = { material: 'nmc90-mf', porosity: 'gradient', coating: { thickness_um: 0.1 } };
    expect(setConfigKey(base, 'material.D_c_over_D_ab', 0.1)).toEqual({
      ...base,
      material: { preset: 'nmc90-mf', D_c_over_D_ab: 0.1 },
    });
    expect(setConfigKey(base, 'porosity.center', 0.2).porosity).toEqual({ center: 0.2, surface: 0.08 });
    expect(setConfigKey(base, 'coating', null)).toEqual({ material: 'nmc90-mf', porosity: 'gradient' });
    expect(setConfigKey({}, 'coating.material.gb.strength_MPa', 90)).toEqual({
      coating: { material: { preset: 'mf-coating', gb: { strength_MPa: 90 } } },
    });
    expect(base).toEqual({ material: 'nmc90-mf', porosity: 'gradient', coating: { thickness_um: 0.1 } });
  });

  it('caseHash depends on the resolved config only (not its name or key order)', () => {
    const a = resolveConfig({ ...BASE, name: 'a', microstructure: { grains: 8, seed: 3 } });
    const b = resolveConfig({
      name: 'b',
      microstructure: { seed: 3, grains: 8 },
      output: { vtu: false },
      loading: { to_soc: 0.2, c_rates: [1, 0.5, 0.1] },
      material: 'nmc90-bare',
      geometry: { mesh_size_um: 0.25 },
    });
    const c = resolveConfig({ ...BASE, microstructure: { grains: 8, seed: 4 } });
    expect(caseHash(a)).toBe(caseHash(b));
    expect(caseHash(a)).not.toBe(caseHash(c));
    expect(caseHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shards partition the cases exactly, deterministically', () => {
    const cases = expandCases(parseSweepSpec(SPEC));
    expect(cases).toHaveLength(18);
    for (const n of [1, 2, 3, 4, 7, 18, 25]) {
      const parts = Array.from({ length: n }, (_, i) => shardCases(cases, parseShard(`${i}/${n}`)).map((c) => c.index));
      const all = parts.flat().sort((x, y) => x - y);
      expect(all).toEqual(cases.map((c) => c.index)); // union = all, and no case twice
      const again = Array.from({ length: n }, (_, i) =>
        shardCases(expandCases(parseSweepSpec(SPEC)), { index: i, count: n }).map((c) => c.index),
      );
      expect(again).toEqual(parts);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(() => parseShard('4/4')).toThrow(SweepError);
    expect(() => parseShard('1-4')).toThrow(/--shard/);
  });

  it('a bad axis key or value fails before any case starts, naming the key', async () => {
    const ran: number[] = [];
    const executor = createInProcessExecutor(fakeRunner(ran), 2);
    const bad = (axes: SweepSpecInput['axes']) => parseSweepSpec({ ...SPEC, axes });
    const out = tmp();
    await expect(
      runSweep(bad({ grid: { 'coating.thicknes_um': [0.1, 0.2] } }), { out, executor, quiet: true }),
    ).rejects.toThrow(/"coating\.thicknes_um".*unknown key/);
    await expect(
      runSweep(bad({ grid: { 'coating.thickness_um': [0.1, -0.2] } }), { out, executor, quiet: true }),
    ).rejects.toThrow(/"coating\.thickness_um" value -0\.2/);
    await expect(
      runSweep(bad({ zip: { 'material.gb.strength_MPa': [100, 'strong'] } }), { out, executor, quiet: true }),
    ).rejects.toThrow(/"material\.gb\.strength_MPa" value "strong"/);
    await expect(
      runSweep(bad({ grid: { 'loading.c_rates.first': [1] } }), { out, executor, quiet: true }),
    ).rejects.toThrow(/"loading\.c_rates\.first"/);
    expect(() => bad({ grid: { 'geometry..radius_um': [1] } })).toThrow(/"geometry\.\.radius_um"/);
    expect(() => bad({ zip: { 'porosity.center': [0.1, 0.2], 'porosity.surface': [0.1] } })).toThrow(
      /porosity\.surface.*same length/,
    );
    expect(() => parseSweepSpec({ ...SPEC, axis: {} })).toThrow(/axis/);
    expect(ran).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('sweep runs (fake case runner)', () => {
  it('a failing case is recorded with its error and does not stop the others', async () => {
    const out = tmp();
    const ran: number[] = [];
    const executor = createInProcessExecutor(
      fakeRunner(ran, (t) => t.index === 4),
      2,
    );
    const r = await runSweep(parseSweepSpec(SPEC), { out, executor, quiet: true, tableInterval_s: 0 });
    expect(r.failed).toBe(1);
    expect(r.completed).toBe(17);
    expect(ran.sort((a, b) => a - b)).toEqual([...Array(18).keys()]);
    const rows = csvRows(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    const header = rows[0];
    const status = header.indexOf('status');
    const error = header.indexOf('error');
    expect(rows).toHaveLength(19);
    expect(rows[5][status]).toBe('failed');
    expect(rows[5][error]).toContain('simulated failure in case 4');
    expect(rows.filter((x) => x[status] === 'completed')).toHaveLength(17);
    const ens = csvRows(readFileSync(join(out, 'ensemble.csv'), 'utf8'));
    const eh = ens[0];
    expect(ens[2][eh.indexOf('failed')]).toBe('1');
    expect(ens[2][eh.indexOf('completed')]).toBe('2');
    // a rerun with --resume retries only the failed case
    const again: number[] = [];
    const r2 = await runSweep(parseSweepSpec(SPEC), {
      out,
      executor: createInProcessExecutor(fakeRunner(again), 2),
      quiet: true,
      resume: true,
    });
    expect(again).toEqual([4]);
    expect(r2.skipped).toBe(17);
    expect(csvRows(readFileSync(join(out, 'sweep.csv'), 'utf8')).filter((x) => x[status] === 'completed')).toHaveLength(
      18,
    );
  });

  it('a sweep stopped midway and resumed gives the same tables as an uninterrupted one, without duplicates', async () => {
    const spec = parseSweepSpec(SPEC);
    const full = tmp();
    await runSweep(spec, { out: full, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true });

    const out = tmp();
    const controller = new AbortController();
    const ran: number[] = [];
    const inner = fakeRunner(ran);
    // Ctrl-C arrives while the 6th case runs: that case sees the stop request and reports "interrupted".
    const stopping: CaseRunner = async (task, ctx) => {
      if (ran.length === 5) {
        controller.abort();
        ran.push(task.index);
        expect(ctx.shouldStop?.()).toBe(true);
        return { ...fakeResult(task), status: 'interrupted' };
      }
      return inner(task, ctx);
    };
    const r1 = await runSweep(spec, {
      out,
      executor: createInProcessExecutor(stopping, 2),
      quiet: true,
      signal: controller.signal,
    });
    expect(r1.interrupted).toBe(true);
    expect(r1.notRun).toBeGreaterThan(0);
    const firstDone = readResults(out).size;
    expect(firstDone).toBe(r1.completed);
    expect(firstDone).toBeLessThan(18);
    const partial = csvRows(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(partial.filter((x) => x[partial[0].indexOf('status')] === 'pending').length).toBe(18 - firstDone);

    // without --resume the directory is refused
    await expect(
      runSweep(spec, { out, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true }),
    ).rejects.toThrow(/--resume/);

    const resumed: number[] = [];
    const r2 = await runSweep(spec, {
      out,
      executor: createInProcessExecutor(fakeRunner(resumed), 2),
      quiet: true,
      resume: true,
    });
    expect(r2.skipped).toBe(firstDone);
    expect(resumed).toHaveLength(18 - firstDone);
    expect(new Set(resumed).size).toBe(resumed.length);
    expect(tables(out)).toEqual(tables(full));
    // and a second resume runs nothing and changes nothing
    const none: number[] = [];
    await runSweep(spec, { out, executor: createInProcessExecutor(fakeRunner(none), 2), quiet: true, resume: true });
    expect(none).toEqual([]);
    expect(tables(out)).toEqual(tables(full));
  });

  it('resume matches cases by config hash: an edited sweep keeps its finished cases', async () => {
    const out = tmp();
    await runSweep(parseSweepSpec(SPEC), { out, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true });
    const edited = parseSweepSpec({
      ...SPEC,
      axes: { grid: { 'coating.thickness_um': [0.05, 0.08, 0.16, 0.3], 'material.gb.strength_MPa': [100, 200] } },
    });
    const ran: number[] = [];
    const r = await runSweep(edited, {
      out,
      executor: createInProcessExecutor(fakeRunner(ran), 2),
      quiet: true,
      resume: true,
    });
    expect(r.skipped).toBe(18);
    expect(ran.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]); // the new first thickness, all its points
    const fresh = tmp();
    await runSweep(edited, { out: fresh, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true });
    expect(tables(out).ensemble).toEqual(tables(fresh).ensemble);
  });

  it('merging shard outputs gives the single-machine tables', async () => {
    const spec = parseSweepSpec(SPEC);
    const single = tmp();
    await runSweep(spec, { out: single, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true });
    const cluster = tmp();
    const seen: number[][] = [];
    for (const i of [2, 0, 1]) {
      const ran: number[] = [];
      const r = await runSweep(spec, {
        out: cluster,
        shard: { index: i, count: 3 },
        executor: createInProcessExecutor(fakeRunner(ran), 1),
        quiet: true,
      });
      expect(r.outDir).toBe(join(realpathSync(cluster), `shard-${i}-of-3`));
      expect(r.shardCases).toBe(6);
      seen.push(ran);
    }
    expect(seen.flat().sort((a, b) => a - b)).toEqual([...Array(18).keys()]);
    const partial = mergeSweeps(
      [join(cluster, 'shard-0-of-3'), join(cluster, 'shard-2-of-3')],
      join(cluster, 'partial'),
    );
    expect(partial.missing).toBe(6);
    expect(partial.missingShards).toEqual([1]);
    const m = mergeSweeps([cluster], cluster);
    expect(m.dirs).toHaveLength(3);
    expect(m.completed).toBe(18);
    expect(m.missing).toBe(0);
    expect(tables(cluster)).toEqual(tables(single));
    // run_dir paths in the merged table resolve to the shards' run directories
    const rows = csvRows(readFileSync(join(cluster, 'sweep.csv'), 'utf8'));
    const col = rows[0].indexOf('run_dir');
    for (const row of rows.slice(1)) expect(existsSync(join(cluster, row[col], 'summary.json'))).toBe(true);
    // merging again (the parent now holds a merged manifest) gives the same result
    mergeSweeps([cluster], cluster);
    expect(tables(cluster)).toEqual(tables(single));
  });

  it('ensemble.csv holds mean, sample std and class counts over the replicates', async () => {
    const out = tmp();
    const spec = parseSweepSpec(SPEC);
    await runSweep(spec, { out, executor: createInProcessExecutor(fakeRunner(), 2), quiet: true });
    const ens = csvRows(readFileSync(join(out, 'ensemble.csv'), 'utf8'));
    const h = ens[0];
    expect(ens).toHaveLength(1 + 6);
    const cases = expandCases(spec);
    for (let p = 0; p < 6; p++) {
      const group = cases
        .filter((c) => c.point === p)
        .map((c) => fakeResult({ hash: c.hash, index: c.index, config: c.config, dir: '' }));
      const cracked = meanStd(group.map((g) => g.end!.cracked_fraction));
      const row = ens[1 + p];
      expect(Number(row[h.indexOf('cracked_fraction_end_mean')])).toBeCloseTo(cracked.mean, 8);
      expect(Number(row[h.indexOf('cracked_fraction_end_std')])).toBeCloseTo(cracked.std, 8);
      for (const [col, cls] of [
        ['intact', 'intact'],
        ['mildly_damaged', 'mildly-damaged'],
        ['broken', 'broken'],
      ])
        expect(Number(row[h.indexOf(col)])).toBe(group.filter((g) => g.particle_class === cls).length);
      expect(row[h.indexOf('replicates')]).toBe('3');
      expect(row[h.indexOf('coating.thickness_um')]).toBe(
        String(cases.find((c) => c.point === p)!.values['coating.thickness_um']),
      );
    }
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3), n: 4 });
    expect(meanStd([1, NaN]).std).toBeNaN();
  });
});
