/**
 * Browser figures: engine steps per second and frame time for the reference quarter particle
 * (`referenceConfig('bare')`: 100 grains, 0.1 µm mesh) in headless Chromium (software GL), through the real app
 * (web/dist, engine in a module worker, three.js view).
 *
 *   npx tsx bench/browser.ts [--seconds 90] [--variant bare] [--no-node]
 *   npx tsx bench/browser.ts --parallel 1,2,4 [--seconds 30]     frame gaps and worker rates, n particles at once
 *
 * Prints a Markdown table on stdout. The run is stopped after `--seconds` of stepping (the steps-per-second figure
 * is steps per wall second of stepping, the worker's own counts, without setup); the frame time is measured
 * after that on the last step: the render alone (`measureFrames`, each frame waited for with gl.finish), and a
 * new field upload plus render (`measureUpdate`). For reference, the same config is then stepped in Node for the
 * same number of steps (same WASM kernel, in-process) unless `--no-node`.
 */
import { cpus, loadavg } from 'node:os';
import { REFERENCE_VARIANTS, referenceConfig, type ReferenceVariant } from '../src/index.js';
import { createEngineApi } from '../src/worker/engine-worker.js';
import { buildApp, ensureChromium, launchChromium, serveStatic } from '../test/e2e/browser-harness.js';

export interface BrowserBenchRow {
  variant: string;
  nodes: number;
  triangles: number;
  interfaces: number;
  setup_ms: number;
  steps: number;
  socReached: number;
  stepsPerSecond: number;
  status: string;
  frame_ms: number;
  frameWithUpdate_ms: number;
  chromium: string;
  /** The same run in Node (in-process, same WASM kernel) for the same number of steps: steps per second. */
  nodeStepsPerSecond: number | null;
}

/** Steps per second of the same config in Node for `steps` steps (same kernel, no worker, no page). */
async function nodeStepsPerSecond(config: object, steps: number): Promise<number | null> {
  const api = createEngineApi();
  const res = await api.create(config);
  if (!res.ok || steps <= 0) return null;
  let done = 0;
  let ms = 0;
  while (done < steps) {
    const b = api.runSteps(steps - done);
    done += b.records.length;
    ms += b.step_ms;
    if (b.done || b.error || !b.records.length) break;
  }
  return ms > 0 ? (1000 * done) / ms : null;
}

interface PageState {
  runs: {
    status: string;
    error: string;
    steps: number;
    soc: number;
    stepsPerSecond: number;
    setup_ms: number;
    mesh: { nodes: number; triangles: number; interfaces: number } | null;
  }[];
}

type Handle = {
  runConfigs(a: object, b?: object | null): Promise<unknown>;
  state(): PageState;
  cancel(): Promise<void>;
  measureFrames(n: number): number;
  measureUpdate(n: number): number;
};

/** Run the browser benchmark; resolves with one row per variant. */
export async function benchBrowser(
  opts: { seconds?: number; variants?: ReferenceVariant[]; node?: boolean } = {},
): Promise<BrowserBenchRow[]> {
  const seconds = opts.seconds ?? 90;
  const variants = opts.variants ?? ['bare'];
  const chromium = ensureChromium();
  if ('reason' in chromium) throw new Error(chromium.reason);
  const server = await serveStatic(await buildApp());
  const browser = await launchChromium({ width: 1400, height: 900 });
  const rows: BrowserBenchRow[] = [];
  try {
    const version = browser.context.browser()?.version() ?? 'chromium';
    for (const variant of variants) {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(
        () => (window as unknown as { __chemofrac?: { ready: boolean } }).__chemofrac?.ready === true,
      );
      const config = referenceConfig(variant);
      await page.evaluate((cfg) => {
        void (window as unknown as { __chemofrac: Handle }).__chemofrac.runConfigs(cfg, null);
      }, config as object);
      const state = () => page.evaluate(() => (window as unknown as { __chemofrac: Handle }).__chemofrac.state());
      let s = await state();
      // wait for setup, then `seconds` of stepping
      while (['idle', 'starting', 'ready'].includes(s.runs[0].status)) {
        await new Promise((r) => setTimeout(r, 250));
        s = await state();
      }
      const t0 = Date.now();
      while (s.runs[0].status === 'running' && Date.now() - t0 < seconds * 1000) {
        await new Promise((r) => setTimeout(r, 500));
        s = await state();
      }
      if (s.runs[0].status === 'running') {
        await page.evaluate(() => (window as unknown as { __chemofrac: Handle }).__chemofrac.cancel());
        s = await state();
      }
      const frame_ms = await page.evaluate(() =>
        (window as unknown as { __chemofrac: Handle }).__chemofrac.measureFrames(60),
      );
      const frameWithUpdate_ms = await page.evaluate(() =>
        (window as unknown as { __chemofrac: Handle }).__chemofrac.measureUpdate(30),
      );
      const r = s.runs[0];
      rows.push({
        variant,
        nodes: r.mesh?.nodes ?? 0,
        triangles: r.mesh?.triangles ?? 0,
        interfaces: r.mesh?.interfaces ?? 0,
        setup_ms: r.setup_ms,
        steps: r.steps,
        socReached: r.soc,
        stepsPerSecond: r.stepsPerSecond,
        status: r.error ? `error: ${r.error}` : r.status,
        frame_ms,
        frameWithUpdate_ms,
        chromium: version,
        nodeStepsPerSecond: opts.node === false ? null : await nodeStepsPerSecond(config, r.steps),
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

export function browserBenchTable(rows: BrowserBenchRow[]): string {
  const lines = [
    '| particle | nodes / triangles / interfaces | setup (ms) | steps run | SoC reached | steps/s (browser worker) | steps/s (Node, same steps) | frame (ms) | field update + frame (ms) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.variant} (reference quarter) | ${r.nodes} / ${r.triangles} / ${r.interfaces} | ${r.setup_ms.toFixed(0)} | ${r.steps} | ` +
        `${r.socReached.toFixed(3)} (${r.status}) | ${r.stepsPerSecond.toFixed(2)} | ${r.nodeStepsPerSecond?.toFixed(2) ?? '–'} | ` +
        `${r.frame_ms.toFixed(2)} | ${r.frameWithUpdate_ms.toFixed(2)} |`,
    );
  const c = rows[0]?.chromium ?? '';
  lines.push('', `Headless Chromium ${c} (software GL), 1400 × 900 window, engine in a module worker.`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Several particles at once: frame gaps and each worker's step rate against the same particle running alone.

/** Time from navigation to the four default previews (meshed and drawn, "not run yet") on a fresh page (ms). */
export async function timeToFirstPicture(url: string, context: Awaited<ReturnType<typeof launchChromium>>['context']) {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const h = (window as unknown as { __chemofrac?: ParallelHandle }).__chemofrac;
      return !!h && h.state().runs.every((r) => !r.enabled || (r.status === 'ready' && r.steps === 0));
    },
    null,
    { timeout: 120_000, polling: 50 },
  );
  const ms = Date.now() - t0;
  await page.close();
  return ms;
}

export interface ParallelRow {
  particles: number;
  frames: number;
  medianGap_ms: number;
  p95Gap_ms: number;
  maxGap_ms: number;
  workers: {
    variant: string;
    steps: number;
    stepsPerSecond: number;
    busyFraction: number;
    /** The same particle alone: its time for the same first `steps` steps over this run's time for them. */
    efficiency: number;
  }[];
}

type ParallelHandle = {
  runConfigs(...c: (object | null)[]): Promise<unknown>;
  state(): {
    runs: {
      enabled: boolean;
      label: string;
      status: string;
      error: string;
      steps: number;
      stepsPerSecond: number;
      busyFraction: number;
      counters: { steps: number; active_ms: number };
      progress: [number, number][];
    }[];
  };
  cancel(): Promise<void>;
  frameGaps(ms: number): Promise<{ median: number; p95: number; max: number; frames: number }>;
};

/** Active ms a run needed for its first `steps` steps (linear between worker messages; extrapolated at its mean
 * rate past its end). */
export function timeForSteps(progress: [number, number][], steps: number): number {
  if (!progress.length) return NaN;
  let prev: [number, number] = [0, 0];
  for (const p of progress) {
    if (p[0] >= steps) return prev[1] + ((p[1] - prev[1]) * (steps - prev[0])) / Math.max(1e-9, p[0] - prev[0]);
    prev = p;
  }
  const last = progress[progress.length - 1];
  return (last[1] * steps) / Math.max(1, last[0]);
}

/**
 * Run the first n of the four reference particles (`npm start`'s) together in the app for `seconds` after
 * setup, for each n in `counts`; measure the requestAnimationFrame gaps over that time and each worker's
 * throughput, and compare each worker with the same particle run alone (the n = 1 runs of every variant).
 */
export async function benchBrowserParallel(
  opts: { seconds?: number; counts?: number[]; configs?: object[] } = {},
): Promise<{ rows: ParallelRow[]; chromium: string; cores: number; firstPicture_ms: number }> {
  const seconds = opts.seconds ?? 30;
  const counts = opts.counts ?? [1, 2, 4];
  const configs = opts.configs ?? REFERENCE_VARIANTS.map((v) => referenceConfig(v) as object);
  const chromium = ensureChromium();
  if ('reason' in chromium) throw new Error(chromium.reason);
  const server = await serveStatic(await buildApp());
  const browser = await launchChromium({ width: 1400, height: 900 });
  const version = browser.context.browser()?.version() ?? 'chromium';
  const rows: ParallelRow[] = [];
  const alone: ([number, number][] | null)[] = configs.map(() => null);
  let firstPicture_ms = NaN;
  try {
    firstPicture_ms = await timeToFirstPicture(server.url, browser.context);
    const measure = async (set: (object | null)[]) => {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (window as unknown as { __chemofrac?: { ready: boolean } }).__chemofrac?.ready);
      await page.evaluate((cs) => {
        void (window as unknown as { __chemofrac: ParallelHandle }).__chemofrac.runConfigs(...cs);
      }, set);
      const h = () => page.evaluate(() => (window as unknown as { __chemofrac: ParallelHandle }).__chemofrac.state());
      let st = await h();
      const t0 = Date.now();
      while (st.runs.some((r) => r.enabled && (r.status === 'starting' || r.status === 'ready'))) {
        if (Date.now() - t0 > 120_000) throw new Error('setup took more than 2 minutes');
        await new Promise((r) => setTimeout(r, 200));
        st = await h();
      }
      const gaps = await page.evaluate(
        (ms) => (window as unknown as { __chemofrac: ParallelHandle }).__chemofrac.frameGaps(ms),
        seconds * 1000,
      );
      st = await h();
      await page.evaluate(() => (window as unknown as { __chemofrac: ParallelHandle }).__chemofrac.cancel());
      await page.close();
      return { gaps, runs: st.runs.filter((r) => r.enabled) };
    };
    // alone, each particle
    const aloneGaps: { median: number; p95: number; max: number; frames: number }[] = [];
    const aloneRuns: Awaited<ReturnType<typeof measure>>['runs'] = [];
    for (let i = 0; i < Math.min(configs.length, Math.max(...counts)); i++) {
      const { gaps, runs } = await measure([configs[i]]);
      alone[i] = runs[0].progress;
      aloneGaps.push(gaps);
      aloneRuns.push(runs[0]);
      if (runs[0].error) throw new Error(`${runs[0].label}: ${runs[0].error}`);
    }
    for (const n of counts) {
      const m =
        n === 1
          ? { gaps: aloneGaps[0], runs: [aloneRuns[0]] }
          : await measure(configs.slice(0, n).concat(Array(4 - n).fill(null)));
      rows.push({
        particles: n,
        frames: m.gaps.frames,
        medianGap_ms: m.gaps.median,
        p95Gap_ms: m.gaps.p95,
        maxGap_ms: m.gaps.max,
        workers: m.runs.map((r, i) => ({
          variant: r.label,
          steps: r.counters.steps,
          stepsPerSecond: r.stepsPerSecond,
          busyFraction: r.busyFraction,
          efficiency: alone[i] ? timeForSteps(alone[i]!, r.counters.steps) / Math.max(1e-9, r.counters.active_ms) : NaN,
        })),
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { rows, chromium: version, cores: cpus().length, firstPicture_ms };
}

export function parallelTable(
  res: { rows: ParallelRow[]; chromium: string; cores: number; firstPicture_ms: number },
  seconds: number,
): string {
  const lines = [
    '| particles | frames | median frame gap (ms) | p95 (ms) | max (ms) | per worker: steps/s, busy, rate vs alone |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of res.rows)
    lines.push(
      `| ${r.particles} | ${r.frames} | ${r.medianGap_ms.toFixed(1)} | ${r.p95Gap_ms.toFixed(1)} | ${r.maxGap_ms.toFixed(0)} | ` +
        r.workers
          .map(
            (w) =>
              `${w.variant} ${w.stepsPerSecond.toFixed(1)}/s, ${(100 * w.busyFraction).toFixed(0)} %, ${(100 * w.efficiency).toFixed(0)} %`,
          )
          .join('; ') +
        ' |',
    );
  lines.push(
    '',
    `Time to first picture (fresh page → the four default particles meshed and drawn): ${(res.firstPicture_ms / 1000).toFixed(1)} s.`,
    '',
    `Headless Chromium ${res.chromium} (software GL), 1400 × 900, ${res.cores} cores, load average ${loadavg()[0].toFixed(1)} at the end; the reference quarter particles ` +
      `(referenceConfig), ${seconds} s of stepping each after setup. steps/s = steps per wall second (the worker's ` +
      'counts); busy = share of the wall time the worker spent inside step() (the rest is waiting for messages or ' +
      'for a core); rate vs alone = the same particle run alone: its time for the same first steps over this ' +
      "run's. With more particles than cores the workers share the cores, so rate vs alone ≤ cores / particles.",
  );
  return lines.join('\n');
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/browser.ts');
if (isMain) {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const seconds = Number(arg('--seconds') ?? 90);
  const variants = (arg('--variant')?.split(',') as ReferenceVariant[] | undefined) ?? ['bare'];
  if (arg('--parallel')) {
    const counts = arg('--parallel')!.split(',').map(Number);
    const s = Number(arg('--seconds') ?? 30);
    benchBrowserParallel({ seconds: s, counts })
      .then((res) => process.stdout.write(parallelTable(res, s) + '\n'))
      .catch((e: unknown) => {
        process.stderr.write(`bench/browser: ${(e as Error).message}\n`);
        process.exit(1);
      });
  } else
    benchBrowser({ seconds, variants, node: !args.includes('--no-node') })
      .then((rows) => process.stdout.write(browserBenchTable(rows) + '\n'))
      .catch((e: unknown) => {
        process.stderr.write(`bench/browser: ${(e as Error).message}\n`);
        process.exit(1);
      });
}
