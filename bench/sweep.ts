/**
 * Sweep throughput: cases per minute on the worker pool with 1 and 2 workers (or `--workers 1,2,4`), on the
 * reference quarter particle (bare, 100 grains, mesh 0.15 µm, mixed 1C/0.5C/0.1C), one microstructure seed per
 * case, and the speed-up over one worker. Wall time includes starting the pool (threads, WASM instantiation),
 * as a user sees it.
 *
 *   npx tsx bench/sweep.ts [--cases 4] [--workers 1,2] [--to-soc 1.0]
 *
 * `--to-soc` shortens each charge when the full one is too long for a quick look; the table says which was used.
 * Prints a Markdown table on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceConfig } from '../src/scenario/reference.js';
import { parseSweepSpec } from '../src/sweep/spec.js';
import { runSweep } from '../src/sweep/run-sweep.js';

export interface SweepBenchRow {
  workers: number;
  cases: number;
  completed: number;
  wall_s: number;
  casesPerMinute: number;
  speedup: number;
  /** CPU time of the whole process (all worker threads) per completed case, and the 1-minute load average after. */
  cpuPerCase_s: number;
  load1: number;
  /**
   * Speed-up to expect with one idle core per worker: workers × (CPU s per case with 1 worker) / (CPU s per case
   * here). It strips the effect of other load on a shared machine, which the wall-clock speed-up includes.
   */
  cpuBoundSpeedup: number;
}

export interface SweepBenchOptions {
  /** Cases per measurement (replicate seeds 1 … cases); use a multiple of the largest worker count. */
  cases?: number;
  workers?: number[];
  /** End SoC of every charge (the reference runs to 1.0). */
  toSoc?: number;
  quiet?: boolean;
}

/** Run the same sweep with each worker count and measure its throughput. */
export async function benchSweep(opts: SweepBenchOptions = {}): Promise<SweepBenchRow[]> {
  const cases = opts.cases ?? 4;
  const workerCounts = opts.workers ?? [1, 2];
  const toSoc = opts.toSoc ?? 1.0;
  const base = referenceConfig('bare', 1, {
    loading: { c_rates: [1, 0.5, 0.1], to_soc: toSoc },
    output: { snapshots_soc: [], vtu: false },
  });
  const spec = parseSweepSpec({ name: 'bench-sweep', base, replicates: { count: cases, seed_start: 1 } });
  const rows: SweepBenchRow[] = [];
  for (const workers of workerCounts) {
    const out = mkdtempSync(join(tmpdir(), 'chemofrac-bench-sweep-'));
    try {
      const cpu0 = process.cpuUsage();
      const r = await runSweep(spec, { out, workers, quiet: opts.quiet ?? true });
      const cpu = process.cpuUsage(cpu0);
      rows.push({
        workers,
        cases,
        completed: r.completed,
        wall_s: r.wall_s,
        casesPerMinute: (60 * r.completed) / r.wall_s,
        speedup: NaN,
        cpuPerCase_s: (cpu.user + cpu.system) / 1e6 / Math.max(1, r.completed),
        load1: loadavg()[0],
        cpuBoundSpeedup: NaN,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const one = rows.find((r) => r.workers === 1) ?? rows[0];
  for (const r of rows) {
    r.speedup = r.casesPerMinute / one.casesPerMinute;
    r.cpuBoundSpeedup = (r.workers * one.cpuPerCase_s) / one.workers / r.cpuPerCase_s;
  }
  return rows;
}

export function sweepBenchTable(rows: SweepBenchRow[], toSoc: number): string {
  const lines = [
    `Reference quarter particle (bare, 100 grains, mesh 0.15 µm, 1C/0.5C/0.1C, charge to SoC ${toSoc}), ` +
      `one seed per case; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. ` +
      'CPU s / case counts all threads of the process; a load average above the core count means other work shared ' +
      'the machine, and then the CPU-bound speed-up (workers × CPU s per case with 1 worker / CPU s per case) is the ' +
      'figure to expect on idle cores.',
    '',
    '| workers | cases | completed | wall (s) | cases / min | speed-up | CPU s / case | CPU-bound speed-up | load avg (1 min) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.workers} | ${r.cases} | ${r.completed} | ${r.wall_s.toFixed(1)} | ${r.casesPerMinute.toFixed(2)} | ${r.speedup.toFixed(2)}× | ` +
        `${r.cpuPerCase_s.toFixed(1)} | ${r.cpuBoundSpeedup.toFixed(2)}× | ${r.load1.toFixed(1)} |`,
    );
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/sweep.ts');
if (isMain) {
  const toSoc = Number(arg('--to-soc') ?? 1.0);
  const rows = await benchSweep({
    cases: Number(arg('--cases') ?? 4),
    workers: (arg('--workers') ?? '1,2').split(',').map(Number),
    toSoc,
    quiet: !process.argv.includes('--progress'),
  });
  console.log(sweepBenchTable(rows, toSoc));
}
