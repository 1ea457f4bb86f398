/**
 * Sweeps of cycling cases: sweep.csv gains the class and the per-cycle metrics at every cycle of output.cycles,
 * ensemble.csv the class counts intact_at_N / mild_at_N / broken_at_N, each equal to what the cases' own
 * cycles.csv files say; a sweep without cycling cases keeps its columns.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandCases, parseSweepSpec, type SweepSpecInput } from '../../src/sweep/spec.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { runCase } from '../../src/sweep/case-runner.js';
import { createInProcessExecutor } from '../../src/sweep/executor.js';
import { ensembleColumns, sweepColumns, sweepCycles } from '../../src/io/sweep-tables.js';

const SPEC: SweepSpecInput = {
  name: 'cycling-sweep',
  base: {
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.2 },
    microstructure: { grains: 12 },
    material: 'nmc90-bare',
    loading: {
      protocol: 'cycling',
      cycles: 4,
      charge: { c_rates: [2, 1], to_soc: 0.9 },
      discharge: { c_rates: 2, to_soc: 0.1 },
    },
    output: { vtu: false, cycles: [1, 4] },
  },
  axes: { grid: { 'material.gb.strength_MPa': [300, 3000] } },
  replicates: { count: 3, seed_start: 2 },
};

const table = (text: string) => {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
};

describe('a sweep of cycling cases', () => {
  it('reports classes and metrics per output cycle, and class counts per point that match the cases', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chemofrac-cycling-sweep-'));
    const spec = parseSweepSpec(SPEC);
    const r = await runSweep(spec, { out, quiet: true, executor: createInProcessExecutor(runCase) });
    expect(r.failed).toBe(0);
    expect(r.completed).toBe(6);
    const sweep = table(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    const ensemble = table(readFileSync(join(out, 'ensemble.csv'), 'utf8'));
    for (const row of sweep) {
      const cycles = table(readFileSync(join(out, row.run_dir, 'cycles.csv'), 'utf8'));
      for (const n of [1, 4]) {
        const c = cycles.find((k) => Number(k.cycle) === n)!;
        expect(row[`class_at_${n}`]).toBe(c.class);
        for (const m of ['damage_mean', 'cracked_fraction', 'isolated_fraction', 'retention'])
          expect(row[`${m}_at_${n}`]).toBe(c[m]);
      }
    }
    for (const point of ensemble) {
      const cases = sweep.filter((s) => s.point === point.point);
      for (const n of [1, 4]) {
        const counts = ['intact', 'mild', 'broken'].map((k) => Number(point[`${k}_at_${n}`]));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
        expect(counts[0]).toBe(cases.filter((c) => c[`class_at_${n}`] === 'intact').length);
        expect(counts[1]).toBe(cases.filter((c) => c[`class_at_${n}`] === 'mildly-damaged').length);
        expect(counts[2]).toBe(cases.filter((c) => c[`class_at_${n}`] === 'broken').length);
      }
    }
    // Stronger boundaries: less damage after 4 cycles, on the mean over the three microstructures.
    const weak = Number(ensemble[0].damage_mean_at_4_mean);
    const strong = Number(ensemble[1].damage_mean_at_4_mean);
    expect(strong).toBeLessThan(weak);
  });

  it('a sweep without cycling cases has no per-cycle columns', () => {
    const plain = parseSweepSpec({
      ...SPEC,
      base: { ...(SPEC.base as object), loading: { c_rates: 1, to_soc: 0.2 }, output: { vtu: false } },
    });
    const cases = expandCases(plain);
    expect(sweepCycles(cases)).toEqual([]);
    expect(sweepColumns(['a'], sweepCycles(cases))).toEqual(sweepColumns(['a']));
    expect(ensembleColumns(['a'], [])).toEqual(ensembleColumns(['a']));
    expect(sweepColumns(['a'], [1, 30]).filter((c) => c.endsWith('_at_30'))).toEqual([
      'class_at_30',
      'damage_mean_at_30',
      'cracked_fraction_at_30',
      'isolated_fraction_at_30',
      'retention_at_30',
    ]);
  });
});
