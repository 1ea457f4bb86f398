/**
 * The browser app's ensemble view (web/src/ensemble-view.ts) in headless Chromium:
 *
 *   - a small ensemble (bare and MF-coated, K = 3 small particles each, 2 workers) runs the cases `chemofrac sweep`
 *     builds for the same sweep (same hashes), and every particle's result — class, final D̄, the metrics at SoC
 *     0.55 and at the end, steps, end reason — equals the sweep's own case runner in Node (`runCase`), to the bit
 *     (the host computes with portable math, docs/browser.md); sweep.csv equals the Node one but for wall_s, and
 *     ensemble.csv equals it entirely;
 *   - per design the class fractions sum to 1 and are count / n, the Wilson intervals hold the fractions, the
 *     histogram of the final D̄ counts all K particles, and the table on the page shows the counts;
 *   - Cancel ends the run with fewer results than cases, terminates its engine workers (the page's list of workers
 *     is back to what it was before the run) and nothing finishes afterwards.
 *
 * Shares the harness (build, static server, Chromium) with browser.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SMALL_PARTICLE,
  axisKeys,
  designEnsembleSweep,
  ensembleCsv,
  sweepCsv,
  type CaseResult,
  type ReferenceVariant,
} from '../../src/index.js';
import { expandCases, parseSweepSpec } from '../../src/sweep/spec.js';
import { runCase } from '../../src/sweep/case-runner.js';
import { buildApp, chromiumSkipReason, launchChromium, openAppPage, serveStatic } from './browser-harness.js';

const skipReason = chromiumSkipReason('the browser ensemble test');

/** What the page's debug handle gives (web/src/ensemble-view.ts EnsembleSnapshot; its types need vite's). */
interface Snapshot {
  running: boolean;
  liveWorkers: number;
  error: string;
  cases: { index: number; point: number; design: ReferenceVariant; seed: number; hash: string }[];
  results: (CaseResult | null)[];
  summary: {
    design: ReferenceVariant;
    replicates: number;
    completed: number;
    counts: { intact: number; 'mildly-damaged': number; broken: number; n: number };
    fractions: { class: string; count: number; fraction: number; lower: number; upper: number }[];
    damage_end: number[];
    histogram: { counts: number[]; edges: number[]; outside: number };
  }[];
  throughput: { finished: number; total: number; particles_per_min: number; steps_per_s: number };
  csv: { sweep: string; ensemble: string };
}
type Handle = {
  ready: boolean;
  runEnsemble(o: object): Promise<Snapshot | null>;
  ensemble(): Snapshot;
  cancelEnsemble(): void;
};
declare const H: () => Handle;

const DESIGNS: ReferenceVariant[] = ['bare', 'mf-coated'];
const K = 3;
const SEED_START = 1;

/** sweep.csv without its wall_s column (the last one): wall time is the only column that may differ. */
const withoutWall = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((line) => line.slice(0, line.lastIndexOf(',')));

describe.skipIf(Boolean(skipReason))('browser ensemble view (headless Chromium)', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  // one slot only: its preview worker is the only other engine worker on the page
  const openApp = () => openAppPage(browser.context, server.url + '?B=none&C=none&D=none');

  beforeAll(async () => {
    server = await serveStatic(await buildApp());
    browser = await launchChromium({ width: 1400, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("runs K particles per design on the workers; each equals the sweep's Node run of its case, to the bit", async () => {
    const { page, consoleErrors } = await openApp();
    const t0 = Date.now();
    const snap = (await page.evaluate((o) => H().runEnsemble(o), {
      designs: DESIGNS,
      count: K,
      seed_start: SEED_START,
      base: 'small',
      workers: 2,
    }))!;
    const browser_s = (Date.now() - t0) / 1000;
    expect(snap.error).toBe('');
    expect(snap.running).toBe(false);
    expect(snap.liveWorkers).toBe(0);

    // the cases of `chemofrac sweep` for the same sweep file, and its case runner on each, in Node
    const spec = parseSweepSpec(designEnsembleSweep(DESIGNS, { count: K, seed_start: SEED_START }, SMALL_PARTICLE));
    const cases = expandCases(spec);
    expect(snap.cases.map((c) => c.hash)).toEqual(cases.map((c) => c.hash));
    expect(snap.cases.map((c) => [c.design, c.seed])).toEqual(
      DESIGNS.flatMap((d) => Array.from({ length: K }, (_, r) => [d, SEED_START + r])),
    );
    const dir = mkdtempSync(join(tmpdir(), 'chemofrac-ensemble-e2e-'));
    const t1 = Date.now();
    const node = new Map<string, { result: CaseResult; runDir: string }>();
    try {
      for (const c of cases)
        node.set(c.hash, {
          result: await runCase({ hash: c.hash, index: c.index, config: c.config, dir: join(dir, c.runDir) }),
          runDir: c.runDir,
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(
      `[e2e] ensemble ${DESIGNS.length} designs × K = ${K} (small): browser ${browser_s.toFixed(1)} s on 2 workers ` +
        `(${snap.throughput.particles_per_min.toFixed(1)} particles/min, ${snap.throughput.steps_per_s.toFixed(0)} ` +
        `steps/s), Node ${((Date.now() - t1) / 1000).toFixed(1)} s on one thread`,
    );
    const classes: string[] = [];
    cases.forEach((c, i) => {
      const b = snap.results[i]!;
      const n = node.get(c.hash)!.result;
      expect(b.status, `case ${i}`).toBe('completed');
      // class and final D̄ first (the clearest message), then every other field but the wall time
      expect(b.particle_class, `case ${i} class`).toBe(n.particle_class);
      expect(b.end!.damage_mean, `case ${i} final D̄`).toBe(n.end!.damage_mean);
      expect({ ...b, wall_s: 0 }, `case ${i}`).toEqual({ ...n, wall_s: 0 });
      classes.push(b.particle_class!);
    });
    console.log(`[e2e] ensemble classes: ${classes.join(', ')}`);
    // the page's CSV is the sweep's: sweep.csv but for wall_s, ensemble.csv entirely
    const axes = axisKeys(spec);
    expect(withoutWall(snap.csv.sweep)).toEqual(withoutWall(sweepCsv(axes, cases, node)));
    expect(snap.csv.ensemble).toBe(ensembleCsv(axes, cases, node));

    // per design: fractions = count / n, summing to 1; Wilson intervals around them; the histogram holds all K
    expect(snap.summary.map((s) => s.design)).toEqual(DESIGNS);
    for (const s of snap.summary) {
      expect(s.completed).toBe(K);
      expect(s.counts.n).toBe(K);
      expect(s.fractions.reduce((a, f) => a + f.count, 0)).toBe(K);
      expect(s.fractions.reduce((a, f) => a + f.fraction, 0)).toBeCloseTo(1, 12);
      for (const f of s.fractions) {
        expect(f.fraction).toBe(f.count / K);
        expect(f.count).toBe(s.counts[f.class as 'intact']);
        expect(f.lower).toBeLessThanOrEqual(f.fraction);
        expect(f.upper).toBeGreaterThanOrEqual(f.fraction);
      }
      expect(s.histogram.counts.reduce((a, b) => a + b, 0) + s.histogram.outside).toBe(K);
      expect(s.histogram.outside).toBe(0);
      const ends = cases.filter((c) => snap.cases[c.index].design === s.design).map((c) => node.get(c.hash)!.result);
      expect(s.damage_end).toEqual(ends.map((r) => r.end!.damage_mean));
      // the table shows the counts
      for (const f of s.fractions) {
        const cell = await page.textContent(`#ens-table tr[data-design="${s.design}"] td[data-class="${f.class}"]`);
        expect(cell!.startsWith(`${f.count} · `), `${s.design} ${f.class}: ${cell}`).toBe(true);
      }
    }
    expect(await page.textContent('#ens-status')).toContain(
      `${K * DESIGNS.length} / ${K * DESIGNS.length} particles done`,
    );
    // the histogram canvas has bars in the designs' colours
    const ink = await page.evaluate(() => {
      const c = document.getElementById('ens-hist') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) coloured++;
      return coloured / (d.length / 4);
    });
    expect(ink).toBeGreaterThan(0.005);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);

  it('Cancel stops the ensemble: its workers are terminated and nothing finishes afterwards', async () => {
    const { page, consoleErrors } = await openApp();
    const engineWorkers = () => page.workers().filter((w) => w.url().includes('engine-worker')).length;
    // the slot's preview worker (if any) is what stays
    await page.waitForTimeout(500);
    const before = engineWorkers();
    const running = page.evaluate(() => H().runEnsemble({ designs: ['bare'], count: 8, base: 'small', workers: 2 }));
    await page.waitForFunction(
      () => H().ensemble().liveWorkers === 2 && H().ensemble().throughput.steps_per_s > 0,
      null,
      {
        timeout: 60_000,
      },
    );
    expect(engineWorkers()).toBe(before + 2);
    await page.evaluate(() => H().cancelEnsemble());
    const snap = (await running)!;
    expect(snap.running).toBe(false);
    expect(snap.liveWorkers).toBe(0);
    const done = snap.results.filter((r) => r?.status === 'completed').length;
    expect(done).toBeLessThan(8);
    // Worker.terminate() is seen by the page's worker list within a moment
    await expect.poll(engineWorkers, { timeout: 5_000 }).toBe(before);
    await page.waitForTimeout(1500);
    const later = await page.evaluate(() => H().ensemble());
    expect(later.results.filter((r) => r !== null).length).toBe(snap.results.filter((r) => r !== null).length);
    expect(later.running).toBe(false);
    expect(await page.textContent('#ens-status')).toContain('cancelled');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});
