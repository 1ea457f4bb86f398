/**
 * The calibration study's machinery (studies/calibration/, docs/calibration.md), never its result: the Wilson
 * interval against its defining equation and closed-form ends, the t interval, the misfit is zero when the
 * "measured" fractions are a simulated ensemble's own, common random numbers (the same seeds at every grid point and
 * in every design), the study continues after an interruption without recomputing a finished case, and studies/
 * uses the public API only.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  classCounts,
  meanInterval,
  misfit,
  wilsonInterval,
  Z_95,
  type FractionTarget,
} from '../../studies/calibration/statistics.js';
import {
  calibrationRows,
  calibrationSweep,
  countsAt,
  FITTED_KEYS,
  pointEnsembles,
  predictionSweep,
  runStudy,
  type StudySettings,
} from '../../studies/calibration/study.js';
import {
  createInProcessExecutor,
  expandCases,
  parseSweepSpec,
  runCase,
  runSweep,
  type CaseResult,
  type CaseRunner,
} from '../../src/sweep/index.js';

describe('Wilson interval of a binomial fraction', () => {
  it('both ends solve (p̂ − p)² = z² p (1 − p) / n, the equation that defines it', () => {
    for (const [k, n] of [
      [1, 4],
      [2, 4],
      [15, 100],
      [37, 40],
      [5, 32],
    ]) {
      const p = k / n;
      const { lower, upper } = wilsonInterval(k, n);
      for (const b of [lower, upper]) expect((p - b) ** 2).toBeWithin((Z_95 ** 2 * b * (1 - b)) / n, { abs: 1e-12 });
      expect(lower).toBeLessThan(p);
      expect(upper).toBeGreaterThan(p);
    }
  });

  it('k = 0 gives [0, z²/(n + z²)], k = n gives [n/(n + z²), 1], n = 0 gives [0, 1]', () => {
    const z2 = Z_95 ** 2;
    for (const n of [1, 4, 32]) {
      expect(wilsonInterval(0, n).lower).toBe(0);
      expect(wilsonInterval(0, n).upper).toBeWithin(z2 / (n + z2), { abs: 1e-12 });
      expect(wilsonInterval(n, n).lower).toBeWithin(n / (n + z2), { abs: 1e-12 });
      expect(wilsonInterval(n, n).upper).toBe(1);
    }
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('t interval of a mean', () => {
  it('mean ± t(0.975, n − 1) s/√n, t = 3.182 for n = 4; NaN with one value', () => {
    const v = [0.9, 0.92, 0.95, 0.97];
    const mean = 0.935;
    const s = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
    const r = meanInterval(v);
    expect(r.mean).toBeWithin(mean, { abs: 1e-15 });
    expect(r.upper - r.mean).toBeWithin((3.182 * s) / 2, { abs: 1e-12 });
    expect(r.mean - r.lower).toBeWithin((3.182 * s) / 2, { abs: 1e-12 });
    expect(Number.isNaN(meanInterval([0.9]).lower)).toBe(true);
  });
});

describe('misfit', () => {
  it('is the sum of squared fraction differences, zero at the ensemble’s own fractions', () => {
    const counts = classCounts(['intact', 'broken', 'mildly-damaged', 'mildly-damaged', null]);
    expect(counts).toEqual({ intact: 1, 'mildly-damaged': 2, broken: 1, n: 4 });
    const own: FractionTarget[] = [
      { cycle: 30, class: 'intact', fraction: 0.25 },
      { cycle: 30, class: 'mildly-damaged', fraction: 0.5 },
      { cycle: 30, class: 'broken', fraction: 0.25 },
    ];
    expect(misfit(own, () => counts)).toBe(0);
    const other = own.map((t, i) => ({ ...t, fraction: [0.151, 0.673, 0.176][i] }));
    expect(misfit(other, () => counts)).toBeWithin(0.099 ** 2 + 0.173 ** 2 + 0.074 ** 2, { abs: 1e-15 });
    expect(Number.isNaN(misfit(own, () => classCounts([])))).toBe(true);
  });
});

/** A tiny study: quarter R = 2 µm, 12 grains, 3 cycles, K = 3, two strengths (3 cycles for the class designs). */
const TINY: StudySettings = {
  label: 'test',
  geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 12, orientation: 'random-3d' },
  c_rate: 2,
  cycles: 3,
  retention_cycles: 2,
  seeds: { count: 3, seed_start: 5 },
  grid: { strength_MPa: [300, 3000], Gc_J_m2: [2], fatigue_endurance_ratio: [0.25], fatigue_length_ratio: [4] },
  targets: [
    { cycle: 2, class: 'intact', fraction: 0.5 },
    { cycle: 3, class: 'broken', fraction: 0.5 },
  ],
  gradient_measured: [{ cycle: 3, class: 'intact', fraction: 0.5 }],
};

describe('a simulated ensemble scored against its own fractions', () => {
  it('has misfit zero at its own point; the other point scores its sum of squared differences', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chemofrac-calibration-real-'));
    const spec = parseSweepSpec(calibrationSweep(TINY));
    const r = await runSweep(spec, { out, quiet: true, executor: createInProcessExecutor(runCase) });
    expect(r.completed).toBe(6);
    const ensembles = pointEnsembles(spec, out);
    expect(ensembles.map((e) => e.seeds)).toEqual([
      [5, 6, 7],
      [5, 6, 7],
    ]);
    for (const own of ensembles) {
      const targets = TINY.targets.map((t) => {
        const c = countsAt(own, t.cycle);
        return { ...t, fraction: c[t.class] / c.n };
      });
      const rows = calibrationRows({ ...TINY, targets }, spec, out);
      expect(rows[own.point].misfit).toBe(0);
      const other = rows[1 - own.point];
      expect(other.misfit).toBeWithin(
        other.fractions.reduce((a, f, i) => a + (f - targets[i].fraction) ** 2, 0),
        { abs: 1e-15 },
      );
    }
  });
});

describe('common random numbers', () => {
  it('every grid point and every design runs the same K seeds', () => {
    const cal = expandCases(parseSweepSpec(calibrationSweep(TINY)));
    const seeds = (cs: { seed: number }[]) => [...new Set(cs.map((c) => c.seed))].sort((a, b) => a - b);
    expect(new Set(cal.map((c) => c.point)).size).toBe(2);
    for (const p of [0, 1]) expect(seeds(cal.filter((c) => c.point === p))).toEqual([5, 6, 7]);
    const params = Object.fromEntries(FITTED_KEYS.map((k) => [k, TINY.grid[k][0]])) as Parameters<
      typeof predictionSweep
    >[2];
    for (const design of ['gradient-porous', 'bare', 'mf-coated'] as const) {
      const cases = expandCases(parseSweepSpec(predictionSweep(TINY, design, params)));
      expect(seeds(cases)).toEqual([5, 6, 7]);
      expect(cases[0].config.material.gb.strength_MPa).toBe(300);
    }
  });
});

/** A stand-in for a run: a class per output cycle from (seed, strength), counting every call. */
function countingRunner(calls: string[]): CaseRunner {
  return async (task) => {
    calls.push(task.hash);
    await new Promise((r) => setTimeout(r, 1));
    const strength = task.config.material.gb.strength_MPa;
    const seed = task.config.microstructure.seed;
    const cycles = (task.config.output.cycles ?? []).map((cycle) => {
      const score = ((seed * 7 + cycle) % 5) - strength / 1000;
      return {
        cycle,
        class: score < 0 ? 'intact' : score < 2 ? 'mildly-damaged' : 'broken',
        damage_mean: 0,
        cracked_fraction: 0,
        isolated_fraction: 0,
        retention: 1 - 0.001 * cycle * (seed % 3),
      };
    });
    const result: CaseResult = {
      hash: task.hash,
      status: 'completed',
      error: null,
      end_reason: 'cycles',
      steps: 1,
      wall_s: 0,
      at_probe: null,
      end: null,
      particle_class: cycles[cycles.length - 1].class,
      crack_path_surface_to_core: false,
      cycles,
    };
    return result;
  };
}

describe('resume', () => {
  it('an interrupted study continues with the unfinished cases only; a finished one recomputes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chemofrac-calibration-resume-'));
    const calls: string[] = [];
    const executor = createInProcessExecutor(countingRunner(calls));
    // Stop after the third case: the calibration is incomplete, nothing is predicted, the tables say so.
    const controller = new AbortController();
    const stopping = createInProcessExecutor(async (task, ctx) => {
      const r = await countingRunner(calls)(task, ctx);
      if (calls.length === 3) controller.abort();
      return r;
    });
    const first = await runStudy(TINY, { out, executor: stopping, quiet: true, signal: controller.signal });
    expect(first.interrupted).toBe(true);
    expect(first.best).toBeNull();
    expect(calls.length).toBe(3);

    const second = await runStudy(TINY, { out, executor, quiet: true });
    expect(second.interrupted).toBe(false);
    // 6 calibration cases + 3 designs × 3 seeds, each computed exactly once over both invocations
    expect(calls.length).toBe(6 + 9);
    expect(new Set(calls).size).toBe(calls.length);
    expect(second.computed).toBe(6 + 9 - 3);
    expect(second.best).not.toBeNull();
    expect(second.predictions.length).toBe(TINY.targets.length + TINY.gradient_measured.length + 2);
    const tables = ['calibration.csv', 'predictions.csv', 'summary.md'].map((f) => readFileSync(join(out, f), 'utf8'));

    const third = await runStudy(TINY, { out, executor, quiet: true });
    expect(third.computed).toBe(0);
    expect(calls.length).toBe(15);
    expect(['calibration.csv', 'predictions.csv', 'summary.md'].map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(
      tables,
    );
    // the best point is the one of least misfit, and the table marks it
    const rows = third.calibration;
    expect(third.best!.misfit).toBe(Math.min(...rows.map((r) => r.misfit)));
    expect(
      tables[0]
        .trim()
        .split('\n')
        .slice(1)
        .filter((l) => l.endsWith(',1')).length,
    ).toBe(1);
  });
});

describe('studies/', () => {
  it('imports chemofrac only through its public entries (src/index.ts, src/sweep/index.ts)', () => {
    const root = normalize(join(dirname(fileURLToPath(import.meta.url)), '../..'));
    const files = (readdirSync(join(root, 'studies'), { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(1);
    const outside: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, 'studies', f), 'utf8');
      for (const m of text.matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = relative(root, join(root, 'studies', dirname(f), m[1])).replace(/\.js$/, '.ts');
        if (!target.startsWith('studies/')) outside.push(target);
      }
    }
    expect(outside.length).toBeGreaterThan(0);
    for (const t of outside) expect(['src/index.ts', 'src/sweep/index.ts']).toContain(t);
  });
});
