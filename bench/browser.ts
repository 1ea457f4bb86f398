/**
 * Browser figures: engine steps per second and frame time for the reference quarter particle
 * (`referenceConfig('bare')`: 100 grains, 0.1 µm mesh) in headless Chromium (software GL), through the real app
 * (web/dist, engine in a module worker, three.js view).
 *
 *   npx tsx bench/browser.ts [--seconds 90] [--variant bare] [--no-node]
 *
 * Prints a Markdown table on stdout. The run is stopped after `--seconds` of stepping (the steps-per-second figure
 * is the worker's own time inside `step()`, i.e. without setup and without the page); the frame time is measured
 * after that on the last step: the render alone (`measureFrames`, each frame waited for with gl.finish), and a
 * new field upload plus render (`measureUpdate`). For reference, the same config is then stepped in Node for the
 * same number of steps (same WASM kernel, in-process) unless `--no-node`.
 */
import { referenceConfig, type ReferenceVariant } from '../src/index.js';
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
      while (s.runs[0].status === 'starting' || s.runs[0].status === 'idle') {
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

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/browser.ts');
if (isMain) {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const seconds = Number(arg('--seconds') ?? 90);
  const variants = (arg('--variant')?.split(',') as ReferenceVariant[] | undefined) ?? ['bare'];
  benchBrowser({ seconds, variants, node: !args.includes('--no-node') })
    .then((rows) => process.stdout.write(browserBenchTable(rows) + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(`bench/browser: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
