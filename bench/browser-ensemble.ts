/**
 * Ensemble throughput in the browser vs `chemofrac sweep` on the same machine: the ensemble view (web/src/
 * ensemble-view.ts, headless Chromium, one engine worker per running case) and the CLI's sweep (`bin/chemofrac.js
 * sweep`, its piscina pool) run the same cases — `designEnsembleSweep` of the chosen designs × K seeds on the small
 * particle — with the same number of workers (default: the machine's cores), alternated `--rounds` times.
 *
 *   npx tsx bench/browser-ensemble.ts [--designs bare,mf-coated] [--count 4] [--workers N] [--rounds 2]
 *
 * Particles per minute are completed cases per wall minute: the browser's from Run to the last result (case list,
 * one fresh worker and WASM instance per case), the CLI's from process start to exit (pool start-up, run
 * directories and tables written). Steps per second: every case's steps over the same wall time. Needs `npm run
 * build` (the CLI runs dist/). Prints a Markdown table on stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_VARIANTS, SMALL_PARTICLE, designEnsembleSweep, type ReferenceVariant } from '../src/index.js';
import { readResults } from '../src/sweep/sweep-directory.js';
import { REPO, buildApp, ensureChromium, launchChromium, serveStatic } from '../test/e2e/browser-harness.js';

export interface EnsembleBenchRow {
  round: number;
  where: 'browser' | 'chemofrac sweep';
  workers: number;
  cases: number;
  completed: number;
  wall_s: number;
  particlesPerMinute: number;
  stepsPerSecond: number;
  /** Class counts (intact / mildly damaged / broken) over all cases: the two must agree. */
  classes: string;
  load1: number;
}

interface Snapshot {
  error: string;
  results: ({ status: string; steps: number; particle_class: string | null } | null)[];
  throughput: { wall_s: number; steps_per_s: number; particles_per_min: number };
}
declare const H: () => { ready: boolean; runEnsemble(o: object): Promise<Snapshot | null> };

const classCountsText = (classes: (string | null)[]) =>
  ['intact', 'mildly-damaged', 'broken'].map((c) => classes.filter((x) => x === c).length).join(' / ');

export async function benchBrowserEnsemble(opts: {
  designs: ReferenceVariant[];
  count: number;
  workers: number;
  rounds: number;
}): Promise<EnsembleBenchRow[]> {
  const chromium = ensureChromium();
  if ('reason' in chromium) throw new Error(chromium.reason);
  const cli = join(REPO, 'bin/chemofrac.js');
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run npm run build first');
  const sweep = designEnsembleSweep(opts.designs, { count: opts.count, seed_start: 1 }, SMALL_PARTICLE);
  const work = mkdtempSync(join(tmpdir(), 'chemofrac-bench-ensemble-'));
  const sweepFile = join(work, 'ensemble.json');
  writeFileSync(sweepFile, JSON.stringify(sweep, null, 2));
  const server = await serveStatic(await buildApp());
  const browser = await launchChromium();
  const rows: EnsembleBenchRow[] = [];
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { H: () => unknown }).H = () => (window as unknown as { __chemofrac: unknown }).__chemofrac;
    });
    await page.goto(server.url + '?B=none&C=none&D=none');
    await page.waitForFunction(() => H().ready === true, null, { timeout: 30_000 });
    for (let round = 1; round <= opts.rounds; round++) {
      process.stderr.write(`bench: ensemble round ${round}: browser …\n`);
      const snap = (await page.evaluate((o) => H().runEnsemble(o), {
        designs: opts.designs,
        count: opts.count,
        seed_start: 1,
        base: 'small',
        workers: opts.workers,
      }))!;
      if (snap.error) throw new Error(snap.error);
      const done = snap.results.filter((r) => r?.status === 'completed');
      rows.push({
        round,
        where: 'browser',
        workers: opts.workers,
        cases: snap.results.length,
        completed: done.length,
        wall_s: snap.throughput.wall_s,
        particlesPerMinute: snap.throughput.particles_per_min,
        stepsPerSecond: snap.throughput.steps_per_s,
        classes: classCountsText(done.map((r) => r!.particle_class)),
        load1: loadavg()[0],
      });
      process.stderr.write(`bench: ensemble round ${round}: chemofrac sweep …\n`);
      const out = join(work, `sweep-${round}`);
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [cli, 'sweep', sweepFile, '--out', out, '--workers', String(opts.workers)],
        {
          encoding: 'utf8',
          cwd: REPO,
        },
      );
      const wall_s = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`chemofrac sweep failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      const results = [...readResults(out).values()].map((x) => x.result);
      const completed = results.filter((x) => x.status === 'completed');
      rows.push({
        round,
        where: 'chemofrac sweep',
        workers: opts.workers,
        cases: results.length,
        completed: completed.length,
        wall_s,
        particlesPerMinute: (60 * completed.length) / wall_s,
        stepsPerSecond: results.reduce((a, x) => a + x.steps, 0) / wall_s,
        classes: classCountsText(completed.map((x) => x.particle_class)),
        load1: loadavg()[0],
      });
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export function ensembleBenchTable(rows: EnsembleBenchRow[], designs: string[], count: number): string {
  const lines = [
    `Ensemble of ${designs.join(', ')} × K = ${count} small particles (quarter, R = 2 µm, 12 grains, h = 0.25 µm, ` +
      `to SoC 0.6), the same cases in the browser's ensemble view (headless Chromium) and with \`chemofrac sweep\`, ` +
      `alternated; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. ` +
      'Browser wall: Run to the last result; sweep wall: the CLI process, start to exit.',
    '',
    '| round | where | workers | completed | wall (s) | particles / min | steps / s | intact / mild / broken | browser ÷ sweep | load avg (1 min) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const r of rows) {
    const pair = rows.find((x) => x.round === r.round && x.where === 'browser');
    const other = rows.find((x) => x.round === r.round && x.where === 'chemofrac sweep');
    const ratio =
      r.where === 'chemofrac sweep' && pair && other ? pair.particlesPerMinute / other.particlesPerMinute : NaN;
    lines.push(
      `| ${r.round} | ${r.where} | ${r.workers} | ${r.completed} / ${r.cases} | ${r.wall_s.toFixed(1)} | ` +
        `${r.particlesPerMinute.toFixed(1)} | ${r.stepsPerSecond.toFixed(0)} | ${r.classes} | ` +
        `${Number.isFinite(ratio) ? ratio.toFixed(2) + '×' : ''} | ${r.load1.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const isMain =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/browser-ensemble.ts');
if (isMain) {
  const designs = (arg('--designs') ?? 'bare,mf-coated').split(',') as ReferenceVariant[];
  const bad = designs.find((d) => !REFERENCE_VARIANTS.includes(d));
  if (bad) throw new Error(`--designs: got "${bad}"; allowed: ${REFERENCE_VARIANTS.join(', ')}`);
  const count = Number(arg('--count') ?? 4);
  const rows = await benchBrowserEnsemble({
    designs,
    count,
    workers: Number(arg('--workers') ?? Math.min(8, cpus().length)),
    rounds: Number(arg('--rounds') ?? 2),
  });
  console.log(ensembleBenchTable(rows, designs, count));
}
