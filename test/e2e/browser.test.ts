/**
 * End to end: the browser app in headless Chromium (Debian's, installed by scripts/install-chromium.sh when
 * missing). Builds the app with Vite, serves web/dist on 127.0.0.1, runs a small bare and a small MF-coated
 * particle side by side (two engine workers), and checks through `window.__chemofrac` that
 *   - both runs reach the end SoC without errors,
 *   - the bare particle's damage curve lies above the coated one's,
 *   - the view is not blank (pixel variance of the WebGL canvas),
 *   - the console shows no errors.
 * Saves test-artifacts/browser.png (the page) and test-artifacts/browser-view.png (the composed view).
 * Skips with a message when Chromium can neither be found nor installed (no apt / not root); CI has apt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, buildApp, ensureChromium, launchChromium, serveStatic } from './browser-harness.js';

/** The small comparison: quarter particle, 30 grains, 0.2 µm mesh, charged to SoC 0.6 (panel field ids). */
export const SMALL_COMPARISON = { grains: 30, mesh: 0.2, toSoc: 0.6, seed: 7 };

const chromium = ensureChromium();
const skipReason = 'reason' in chromium ? chromium.reason : '';
if (skipReason) console.warn(`[e2e] skipping the browser test: ${skipReason}`);

interface RunInfo {
  slot: string;
  label: string;
  status: string;
  error: string;
  steps: number;
  soc: number;
  stepsPerSecond: number;
  wall_ms: number;
  history: { soc: number[]; damage_mean: number[]; x_std: number[] };
}

/** Linear interpolation of a curve y(soc) (soc ascending). */
function at(soc: number[], y: number[], s: number): number {
  if (s <= soc[0]) return y[0];
  for (let i = 1; i < soc.length; i++) if (soc[i] >= s) return y[i - 1] + ((y[i] - y[i - 1]) * (s - soc[i - 1])) / (soc[i] - soc[i - 1] || 1);
  return y[y.length - 1];
}

describe.skipIf(Boolean(skipReason))('browser app (headless Chromium)', () => {
  const started = Date.now();
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    const dist = await buildApp();
    server = await serveStatic(dist);
    browser = await launchChromium({ width: 1400, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows config errors next to their field and cancels a running particle', async () => {
    const page = await browser.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { __chemofrac?: { ready: boolean } }).__chemofrac?.ready === true, null, { timeout: 30_000 });

    // A bad value: the ConfigError issue appears under the grains field, and Run starts nothing.
    await page.fill('#A-grains', '-3');
    await page.waitForFunction(() => (document.getElementById('A-grains-error')?.textContent ?? '').includes('microstructure.grains'), null, { timeout: 10_000 });
    await page.click('#run');
    await page.waitForTimeout(300);
    const statusBad = await page.evaluate(() => (window as unknown as { __chemofrac: { state(): { runs: { status: string }[] } } }).__chemofrac.state().runs[0].status);
    expect(statusBad).toBe('idle');
    await page.fill('#A-grains', '30');
    await page.waitForFunction(() => (document.getElementById('A-grains-error')?.textContent ?? '') === '', null, { timeout: 10_000 });

    // Cancel: start one particle, cancel once it steps, keep what was computed.
    await page.evaluate(() => {
      void (window as unknown as { __chemofrac: { runComparison(o: object): Promise<unknown> } }).__chemofrac.runComparison({
        a: 'bare',
        b: 'none',
        values: { grains: 30, mesh: 0.2, toSoc: 1 },
      });
    });
    await page.waitForFunction(
      () => {
        const r = (window as unknown as { __chemofrac: { state(): { runs: { status: string; steps: number }[] } } }).__chemofrac.state().runs[0];
        return r.status === 'running' && r.steps > 0;
      },
      null,
      { timeout: 30_000 },
    );
    await page.click('#cancel');
    await page.waitForFunction(
      () => (window as unknown as { __chemofrac: { state(): { runs: { status: string }[] } } }).__chemofrac.state().runs[0].status === 'cancelled',
      null,
      { timeout: 10_000 },
    );
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await page.close();
  }, 60_000);

  it('runs bare vs MF-coated in two workers; bare cracks more; the view is drawn; no console errors', async () => {
    const page = await browser.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { __chemofrac?: { ready: boolean } }).__chemofrac?.ready === true, null, { timeout: 30_000 });

    const t0 = Date.now();
    const state = (await page.evaluate(
      (values) =>
        (window as unknown as { __chemofrac: { runComparison(o: object): Promise<unknown> } }).__chemofrac.runComparison({
          a: 'bare',
          b: 'mf-coated',
          values,
        }),
      SMALL_COMPARISON,
    )) as { runs: RunInfo[] };
    const runMs = Date.now() - t0;

    const [bare, coated] = state.runs;
    for (const r of [bare, coated]) {
      console.log(
        `[e2e] ${r.slot} ${r.label}: ${r.status}, ${r.steps} steps to SoC ${r.soc.toFixed(3)}, ` +
          `${r.stepsPerSecond.toFixed(1)} steps/s, wall ${(r.wall_ms / 1000).toFixed(1)} s, final D̄ ${r.history.damage_mean.at(-1)}`,
      );
      expect(r.error, `${r.label} failed`).toBe('');
      expect(r.status).toBe('done');
      expect(r.soc).toBeGreaterThan(SMALL_COMPARISON.toSoc - 1e-6);
    }
    console.log(`[e2e] comparison ran in ${(runMs / 1000).toFixed(1)} s`);

    // The bare damage curve lies above the coated one: on a SoC grid, never below it by more than noise, above it
    // on average, and clearly above at the end.
    const grid = Array.from({ length: 61 }, (_, i) => (i / 60) * SMALL_COMPARISON.toSoc);
    const diff = grid.map(
      (s) => at(bare.history.soc, bare.history.damage_mean, s) - at(coated.history.soc, coated.history.damage_mean, s),
    );
    const dBare = bare.history.damage_mean.at(-1)!;
    const dCoated = coated.history.damage_mean.at(-1)!;
    expect(dBare).toBeGreaterThan(dCoated);
    expect(diff.reduce((a, b) => a + b, 0) / diff.length).toBeGreaterThan(0);
    expect(Math.min(...diff)).toBeGreaterThan(-0.1 * Math.max(dBare, 1e-6));

    // The canvas is not blank: a drawn particle has a wide spread of pixel values.
    const px = await page.evaluate(() =>
      (window as unknown as { __chemofrac: { pixelStats(): { mean: number; std: number; crackPixels: number } } }).__chemofrac.pixelStats(),
    );
    console.log(`[e2e] view pixels: mean ${px.mean.toFixed(1)}, std ${px.std.toFixed(1)}, crack pixels ${px.crackPixels}`);
    expect(px.std).toBeGreaterThan(10);
    expect(px.mean).toBeLessThan(250);

    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'test-artifacts/browser.png') });
    const dataUrl = await page.evaluate(() =>
      (window as unknown as { __chemofrac: { imageDataUrl(): string } }).__chemofrac.imageDataUrl(),
    );
    writeFileSync(join(REPO, 'test-artifacts/browser-view.png'), Buffer.from(dataUrl.split(',')[1], 'base64'));

    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    console.log(`[e2e] total ${(Date.now() - started) / 1000} s`);
  }, 170_000);
});
