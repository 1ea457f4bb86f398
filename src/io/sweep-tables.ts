/**
 * The sweep tables, built only from the case list and the stored results (never appended to), so a resumed or
 * merged sweep writes exactly the tables an uninterrupted single-machine sweep writes.
 *
 *   sweep.csv      one row per case: case, point, replicate, seed, swept values, status, particle class, metrics at
 *                  SoC 0.55 (`*_055`) and at the end (`*_end`), error, hash, run_dir, wall_s
 *   ensemble.csv   one row per sweep point: swept values, replicate counts, mean and sample standard deviation of
 *                  each metric over the completed replicates, and the intact / mildly damaged / broken counts
 *
 * Cycling cases add, for every cycle N of the cases' output.cycles (their union, from the case list): sweep.csv
 * `class_at_N` and `<metric>_at_N` (CYCLE_METRICS), ensemble.csv `intact_at_N`, `mild_at_N`, `broken_at_N` and the
 * mean / std of each `<metric>_at_N`. Sweeps without cycling cases have none of these columns.
 */
import { csvValue } from './csv.js';
import { CASE_METRICS, CYCLE_METRICS, type CaseResult, type CaseMetric } from './case-result.js';
import type { SweepCase } from '../scenario/sweep-cases.js';

/** Status of a case in the tables: its result's, or "pending" when it has not run (yet, or in this shard). */
export type RowStatus = CaseResult['status'] | 'pending';

/** Axis values as table cells: numbers and strings as they are, `null` (key removed) as "none", the rest as JSON. */
export function axisCell(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return csvValue(v);
  return csvValue(JSON.stringify(v));
}

const probeCol = (m: CaseMetric) => (m === 'soc' ? 'soc_055' : `${m}_055`);
const endCol = (m: CaseMetric) => `${m}_end`;

/** The cycles reported by the cycling cases of a sweep: the union of their output.cycles, ascending. */
export function sweepCycles(cases: SweepCase[]): number[] {
  const all = new Set<number>();
  for (const c of cases)
    if (c.config.loading.protocol === 'cycling') for (const k of c.config.output.cycles ?? []) all.add(k);
  return [...all].sort((a, b) => a - b);
}

const cycleCols = (cycles: number[]) =>
  cycles.flatMap((n) => [`class_at_${n}`, ...CYCLE_METRICS.map((m) => `${m}_at_${n}`)]);

function cycleValue(r: CaseResult | undefined, n: number, key: 'class' | (typeof CYCLE_METRICS)[number]) {
  return r?.cycles?.find((c) => c.cycle === n)?.[key];
}

export function sweepColumns(axes: string[], cycles: number[] = []): string[] {
  return [
    'case',
    'point',
    'replicate',
    'seed',
    ...axes,
    'status',
    'particle_class',
    'crack_path_surface_to_core',
    'end_reason',
    'steps',
    ...CASE_METRICS.map(probeCol),
    ...CASE_METRICS.map(endCol),
    ...cycleCols(cycles),
    'error',
    'hash',
    'run_dir',
    'wall_s',
  ];
}

/** sweep.csv for the given cases (in case order) and the results found for them (by hash). */
export function sweepCsv(
  axes: string[],
  cases: SweepCase[],
  results: Map<string, { result: CaseResult; runDir: string }>,
): string {
  const cycles = sweepCycles(cases);
  const cols = sweepColumns(axes, cycles);
  const lines = [cols.map(csvValue).join(',')];
  for (const c of cases) {
    const found = results.get(c.hash);
    const r = found?.result;
    const cells: string[] = [
      csvValue(c.index),
      csvValue(c.point),
      csvValue(c.replicate),
      csvValue(c.seed),
      ...axes.map((k) => axisCell(c.values[k])),
      csvValue(r?.status ?? 'pending'),
      csvValue(r?.particle_class),
      csvValue(r?.crack_path_surface_to_core ?? undefined),
      csvValue(r?.end_reason),
      csvValue(r?.steps),
      ...CASE_METRICS.map((m) => csvValue(r?.at_probe?.[m])),
      ...CASE_METRICS.map((m) => csvValue(r?.end?.[m])),
      ...cycles.flatMap((n) => [
        csvValue(cycleValue(r, n, 'class')),
        ...CYCLE_METRICS.map((m) => csvValue(cycleValue(r, n, m))),
      ]),
      csvValue(r?.error ? `${r.error.name}: ${r.error.message}` : undefined),
      csvValue(c.hash),
      csvValue(found?.runDir ?? c.runDir),
      csvValue(r?.wall_s),
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Metrics aggregated over replicates in ensemble.csv (the sweep.csv column names). */
export const ENSEMBLE_METRICS = [
  ...CASE_METRICS.filter((m) => m !== 'soc').map(probeCol),
  ...CASE_METRICS.map(endCol),
  'steps',
];

function metricOf(r: CaseResult, col: string): number {
  if (col === 'steps') return r.steps;
  if (col.endsWith('_055')) return r.at_probe?.[(col === 'soc_055' ? 'soc' : col.slice(0, -4)) as CaseMetric] ?? NaN;
  return r.end?.[col.slice(0, -4) as CaseMetric] ?? NaN;
}

/** Mean and sample standard deviation (n − 1) of the finite values; NaN where undefined (std needs two values). */
export function meanStd(values: number[]): { mean: number; std: number; n: number } {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: NaN, n };
  const ss = v.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}

export function ensembleColumns(axes: string[], cycles: number[] = []): string[] {
  return [
    'point',
    ...axes,
    'replicates',
    'completed',
    'failed',
    'pending',
    'intact',
    'mildly_damaged',
    'broken',
    'broken_fraction',
    ...ENSEMBLE_METRICS.flatMap((m) => [`${m}_mean`, `${m}_std`]),
    ...cycles.flatMap((n) => [
      `intact_at_${n}`,
      `mild_at_${n}`,
      `broken_at_${n}`,
      ...CYCLE_METRICS.flatMap((m) => [`${m}_at_${n}_mean`, `${m}_at_${n}_std`]),
    ]),
  ];
}

/** ensemble.csv: per sweep point, statistics over its replicates (completed ones only for the metrics). */
export function ensembleCsv(axes: string[], cases: SweepCase[], results: Map<string, { result: CaseResult }>): string {
  const cycles = sweepCycles(cases);
  const cols = ensembleColumns(axes, cycles);
  const lines = [cols.map(csvValue).join(',')];
  const byPoint = new Map<number, SweepCase[]>();
  for (const c of cases) {
    const list = byPoint.get(c.point);
    if (list) list.push(c);
    else byPoint.set(c.point, [c]);
  }
  for (const [point, group] of [...byPoint].sort((a, b) => a[0] - b[0])) {
    const rs = group.map((c) => results.get(c.hash)?.result);
    const done = rs.filter((r): r is CaseResult => r?.status === 'completed');
    const count = (cls: string) => done.filter((r) => r.particle_class === cls).length;
    const classified = done.filter((r) => r.particle_class !== null).length;
    const cells = [
      csvValue(point),
      ...axes.map((k) => axisCell(group[0].values[k])),
      csvValue(group.length),
      csvValue(done.length),
      csvValue(rs.filter((r) => r?.status === 'failed').length),
      csvValue(rs.filter((r) => !r || r.status === 'interrupted').length),
      csvValue(count('intact')),
      csvValue(count('mildly-damaged')),
      csvValue(count('broken')),
      csvValue(classified ? count('broken') / classified : NaN),
      ...ENSEMBLE_METRICS.flatMap((m) => {
        const s = meanStd(done.map((r) => metricOf(r, m)));
        return [csvValue(s.mean), csvValue(s.std)];
      }),
      ...cycles.flatMap((n) => {
        const at = (cls: string) => done.filter((r) => cycleValue(r, n, 'class') === cls).length;
        return [
          csvValue(at('intact')),
          csvValue(at('mildly-damaged')),
          csvValue(at('broken')),
          ...CYCLE_METRICS.flatMap((m) => {
            const s = meanStd(done.map((r) => Number(cycleValue(r, n, m) ?? NaN)));
            return [csvValue(s.mean), csvValue(s.std)];
          }),
        ];
      }),
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
