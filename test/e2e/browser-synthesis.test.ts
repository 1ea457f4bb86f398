/**
 * End to end: the browser app's synthesis view ("Synthesis (chemofrac synthesize)" in the sidebar, web/src/
 * synthesis-view.ts) in headless Chromium, against the library's synthesis in Node:
 *   - a bare vs WO3-ALD pair started from the page's fields both complete; every step record is the Node
 *     `SynthesisModel` run's record of the same config to the last bit, and the page's history.csv is the file
 *     `chemofrac synthesize` writes (runSynthesisToDirectory), byte for byte;
 *   - the timeline's temperature is the program: the plotted T(t) corners are the compiled program's segments, and
 *     every record's and snapshot's T is the program at its time (bits);
 *   - the maps: at the end, the per-element lithiated, rock-salt and void fractions, c and the boundary openings
 *     are the Node model's (bits), and the values the three.js map draws are those as Float32;
 *   - the time slider shows, per run, the last snapshot at or before the chosen time; the field selector switches
 *     what the map draws; the figure PNG holds the maps (ink) and the plot;
 *   - the buttons: history.csv (the page's CSV), config (the run's config) and PNG download; the field select,
 *     the slider and "open GBs" change what the maps draw; a bad seed or grain count starts nothing and says why;
 *   - Cancel stops both runs and keeps their records, which are the first records of the Node run;
 *   - a bad config is refused with the key named; the synthesis worker's bundle holds no Node module's code.
 * Runs on the small particle (R 3 µm, 30 grains, h 0.2 µm): a few seconds for the pair.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSynthesisConfig } from '../../src/synthesis/config.js';
import { compileProgram } from '../../src/synthesis/temperature-program.js';
import { buildSynthesisMesh } from '../../src/synthesis/mesh.js';
import { SynthesisModel, type SynthesisRecord } from '../../src/synthesis/model.js';
import { runSynthesisToDirectory } from '../../src/synthesis/run.js';
import { float64Hex, valueBits } from '../../web/src/value-bits.js';
import { REPO, buildApp, chromiumSkipReason, launchChromium, openAppPage, serveStatic } from './browser-harness.js';

const skipReason = chromiumSkipReason('the browser synthesis test');

interface RunState {
  label: string;
  status: string;
  error: string;
  userConfig: unknown;
  mesh: { nodes: number; triangles: number; interfaces: number } | null;
  records: SynthesisRecord[];
  program: [number, number][];
  duration_s: number;
  snapshots: { step: number; time_s: number; T_C: number; programStepEnded: number }[];
  shown: number | null;
}
interface ViewState {
  field: string;
  cursor_s: number | null;
  shownTime: number | null;
  runs: RunState[];
}
interface Shown {
  snapshot: {
    step: number;
    time_s: number;
    T_C: number;
    lithiated: number[];
    rock_salt: number[];
    void: number[];
    li_solution: number[];
    opening: number[];
  };
  drawn: number[];
}
type SynHandle = {
  run(o: object): Promise<ViewState>;
  state(): ViewState;
  setField(f: string): void;
  setTime(t: number | null): void;
  shown(k: number): Shown | null;
  historyCsv(k: number): string;
  figure(scale?: number): { dataUrl: string; width: number; height: number; mapInk: number };
};
/** The view's debug handle. Callbacks run in the page, so `S` there is the page's own `window.S` (installed below). */
const S = () => (window as unknown as { __chemofrac: { synthesis: SynHandle } }).__chemofrac.synthesis;

/** The Node run of a config: the library's model stepped to the end, as `chemofrac synthesize` steps it. */
function nodeRun(userConfig: unknown) {
  const config = parseSynthesisConfig(userConfig);
  const model = new SynthesisModel(buildSynthesisMesh(config), config.synthesis);
  model.run();
  return { config, model };
}

const recordBits = (records: SynthesisRecord[]) =>
  records.map((r) =>
    Object.entries(valueBits(r))
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  );

describe.skipIf(Boolean(skipReason))('browser synthesis view (headless Chromium)', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    const dist = await buildApp();
    server = await serveStatic(dist);
    browser = await launchChromium({ width: 1400, height: 1000 });
    // only the synthesis: no particle slots meshing in the background
    ({ page, consoleErrors } = await openAppPage(browser.context, server.url + '?A=none&B=none&C=none&D=none'));
    // S(): the synthesis view's handle (the page is never reloaded, so defining it once is enough)
    await page.evaluate(() => {
      (window as unknown as { S: () => unknown }).S = () =>
        (window as unknown as { __chemofrac: { synthesis: unknown } }).__chemofrac.synthesis;
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("bare vs W-coated from the page's fields: both complete, records and history.csv are the CLI's, the timeline is the program, the end maps are Node's fields", async () => {
    await page.click('#synthesis-box > summary');
    await page.selectOption('#syn-preset-a', 'ncm90-bare');
    await page.selectOption('#syn-preset-b', 'ncm90-wo3-ald');
    await page.selectOption('#syn-particle', 'small');
    await page.fill('#syn-seed', '3');
    const t0 = Date.now();
    await page.click('#syn-run');
    await page.waitForFunction(
      () => {
        const s = S().state();
        return s.runs.length === 2 && s.runs.every((r) => r.status !== 'starting' && r.status !== 'running');
      },
      null,
      { timeout: 60_000 },
    );
    const state = await page.evaluate(() => S().state());
    console.log(`[e2e] synthesis pair (small particle) in the browser: ${(Date.now() - t0) / 1000} s`);
    expect(state.runs.map((r) => [r.status, r.error])).toEqual([
      ['done', ''],
      ['done', ''],
    ]);
    const ends: { lithiated: number; std: number }[] = [];
    for (let k = 0; k < 2; k++) {
      const run = state.runs[k];
      expect((run.userConfig as { synthesis: { preset: string } }).synthesis.preset).toBe(
        ['ncm90-bare', 'ncm90-wo3-ald'][k],
      );
      expect((run.userConfig as { microstructure: { seed: number } }).microstructure.seed).toBe(3);
      const { model } = nodeRun(run.userConfig);
      expect(run.mesh).toEqual({
        nodes: model.mesh.nodeCount,
        triangles: model.mesh.triCount,
        interfaces: model.mesh.interfaceCount,
      });
      // every record to the last bit (the CSV below has 10 significant digits; this has all 64 bits)
      expect(run.records.length).toBe(model.history.length);
      const got = recordBits(run.records);
      const want = recordBits(model.history);
      expect(
        got.findIndex((r, i) => r !== want[i]),
        `${run.label}: first record that differs`,
      ).toBe(-1);
      // history.csv: the file chemofrac synthesize writes for this config, byte for byte
      const dir = mkdtempSync(join(tmpdir(), 'chemofrac-syn-e2e-'));
      try {
        await runSynthesisToDirectory(run.userConfig, join(dir, 'out'));
        const cliCsv = readFileSync(join(dir, 'out/history.csv'), 'utf8');
        expect(await page.evaluate((i) => S().historyCsv(i), k)).toBe(cliCsv);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // the timeline: the plotted T(t) corners are the program's; every record's and snapshot's T is T(t)
      const prog = model.program;
      const corners = [[prog.segments[0].t0_s, prog.segments[0].T0_C], ...prog.segments.map((g) => [g.t1_s, g.T1_C])];
      expect(valueBits(run.program)).toEqual(valueBits(corners));
      expect(run.duration_s).toBe(prog.duration_s);
      expect(run.program.map(([, T]) => T)).toEqual([25, 500, 500]);
      for (const r of run.records) expect(float64Hex([r.T_C])).toBe(float64Hex([prog.at(r.time_s)]));
      for (const s of run.snapshots) expect(float64Hex([s.T_C])).toBe(float64Hex([prog.at(s.time_s)]));
      // snapshots at the start and at the end of each program step (where the CLI writes its VTU), in time order
      const ended = run.snapshots.filter((s) => s.programStepEnded >= 0).map((s) => s.programStepEnded);
      expect(ended).toEqual([0, 1]);
      expect(run.snapshots[0].step).toBe(0);
      expect(run.snapshots.at(-1)!.step).toBe(model.stepCount);
      expect(run.snapshots.length).toBeGreaterThan(20);
      // the maps at the end (the slider follows the runs): the Node model's fields, bit for bit
      const shown = (await page.evaluate((i) => S().shown(i), k))!;
      expect(shown.snapshot.step).toBe(model.stepCount);
      const hex = (a: ArrayLike<number>) => float64Hex(a);
      expect(hex(shown.snapshot.lithiated)).toBe(hex(model.triangleField(model.XL)));
      expect(hex(shown.snapshot.rock_salt)).toBe(hex(model.triangleField(model.XRS)));
      expect(hex(shown.snapshot.void)).toBe(hex(model.triangleField(model.voidField())));
      expect(hex(shown.snapshot.li_solution)).toBe(hex(model.c));
      expect(hex(shown.snapshot.opening)).toBe(hex(model.opening));
      // what the three.js map draws: the lithiated fraction per triangle (3 vertices each), as Float32
      const lith = model.triangleField(model.XL);
      expect(shown.drawn.length).toBe(3 * model.mesh.triCount);
      expect(shown.drawn.every((v, i) => v === Math.fround(lith[Math.floor(i / 3)]))).toBe(true);
      const last = model.history.at(-1)!;
      ends.push({ lithiated: last.lithiated_fraction, std: last.lithiation_std });
      // the physics the pair shows: the particle ends mostly lithiated, with Li conserved to round-off
      expect(last.lithiated_fraction).toBeGreaterThan(0.5);
      expect(Math.max(...model.history.map((r) => Math.abs(r.mass_balance_error)))).toBeLessThan(1e-10);
    }
    console.log(
      `[e2e] synthesis end (seed 3, small): bare X_L ${ends[0].lithiated.toFixed(4)} std ${ends[0].std.toFixed(4)}; ` +
        `W-coated X_L ${ends[1].lithiated.toFixed(4)} std ${ends[1].std.toFixed(4)}`,
    );
    const text = await page.textContent('#syn-status');
    expect(text).toContain('ncm90-bare: done');
    expect(text).toContain('ncm90-wo3-ald: done');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 120_000);

  it('the time slider shows each run at its last snapshot at or before the time; the field selector; the figure', async () => {
    const state = await page.evaluate(() => S().state());
    const run = state.runs[0];
    const t = 0.5 * run.duration_s;
    await page.evaluate((x) => S().setTime(x), t);
    const after = await page.evaluate(() => S().state());
    expect(after.cursor_s).toBe(t);
    for (const r of after.runs) {
      const expected = r.snapshots.filter((s) => s.time_s <= t).at(-1)!;
      expect(r.shown).toBe(expected.step);
      expect(expected.time_s).toBeGreaterThan(0.9 * t);
    }
    // the void map at that time: the Node model's void field when it stood at that step
    await page.evaluate(() => S().setField('void'));
    const shown = (await page.evaluate(() => S().shown(0)))!;
    const { model } = (() => {
      const config = parseSynthesisConfig(run.userConfig);
      const m = new SynthesisModel(buildSynthesisMesh(config), config.synthesis);
      while (m.stepCount < shown.snapshot.step) m.step();
      return { model: m };
    })();
    const voids = model.triangleField(model.voidField());
    expect(float64Hex(shown.snapshot.void)).toBe(float64Hex(voids));
    expect(shown.drawn.every((v, i) => v === Math.fround(voids[Math.floor(i / 3)]))).toBe(true);
    expect(Math.max(...voids)).toBeGreaterThan(0);
    const label = await page.textContent('#syn-time-label');
    // the label: the slider's time and the program's T there
    const T = parseSynthesisConfig(run.userConfig).synthesis.temperature_program;
    expect(label).toContain(
      `t ${(t / 60).toFixed(1)} min · T ${compileProgram(T.start_C, T.steps).at(t).toFixed(0)} °C`,
    );
    // the figure: maps (not blank), colour bar and plot, at 2×
    const fig = await page.evaluate(() => S().figure(2));
    const size = await page.evaluate(() => {
      const c = document.getElementById('syn-view')!;
      return { w: c.clientWidth, h: c.clientHeight };
    });
    expect(fig.width).toBe(2 * size.w);
    expect(fig.height).toBe(2 * (size.h + 56 + 300));
    expect(fig.mapInk).toBeGreaterThan(0.2);
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    writeFileSync(join(REPO, 'test-artifacts/synthesis.png'), Buffer.from(fig.dataUrl.split(',')[1], 'base64'));
    await page.locator('#synthesis-box').screenshot({ path: join(REPO, 'test-artifacts/synthesis-box.png') });
    await page.evaluate(() => S().setTime(null));
    expect((await page.evaluate(() => S().state())).runs.map((r) => r.shown)).toEqual(
      state.runs.map((r) => r.snapshots.at(-1)!.step),
    );
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('the controls: history.csv, config and PNG buttons download; the field select, slider and "open GBs" change the maps; bad fields are refused', async () => {
    const downloads: { name: string; data: Buffer }[] = [];
    const collect = async (click: () => Promise<void>, n: number) => {
      const got: Promise<void>[] = [];
      const listener = (d: import('playwright-core').Download) =>
        got.push(
          (async () => {
            const stream = await d.createReadStream();
            const chunks: Buffer[] = [];
            for await (const c of stream) chunks.push(c as Buffer);
            downloads.push({ name: d.suggestedFilename(), data: Buffer.concat(chunks) });
          })(),
        );
      page.on('download', listener);
      await click();
      await expect.poll(() => got.length, { timeout: 10_000 }).toBe(n);
      await Promise.all(got);
      page.off('download', listener);
    };
    const state = await page.evaluate(() => S().state());
    await collect(() => page.click('#syn-csv'), 2);
    await collect(() => page.click('#syn-config'), 2);
    await collect(() => page.click('#syn-png'), 1);
    const names = downloads.map((d) => d.name);
    expect(names).toEqual([
      'A-ncm90-bare-history.csv',
      'B-ncm90-wo3-ald-history.csv',
      'A-ncm90-bare.json',
      'B-ncm90-wo3-ald.json',
      'synthesis.png',
    ]);
    for (let k = 0; k < 2; k++) {
      // the config file is the run's config, and its history.csv the run's, as the CLI writes it
      const config = JSON.parse(downloads[2 + k].data.toString('utf8')) as unknown;
      expect(config).toEqual(state.runs[k].userConfig);
      expect(downloads[k].data.toString('utf8')).toBe(await page.evaluate((i) => S().historyCsv(i), k));
      expect(downloads[k].data.toString('utf8').split('\n')[0].split(',')).toEqual(
        Object.keys(state.runs[k].records[0]),
      );
    }
    expect([...downloads[4].data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // the field select: the rock-salt map draws the rock-salt fraction of the shown snapshot
    await page.selectOption('#syn-field', 'rock_salt');
    await page.evaluate(() => S().setTime(null));
    let shown = (await page.evaluate(() => S().shown(1)))!;
    expect(shown.drawn.every((v, i) => v === Math.fround(shown.snapshot.rock_salt[Math.floor(i / 3)]))).toBe(true);
    // Li in solution: per node, so each triangle's three vertices take their nodes' c
    await page.selectOption('#syn-field', 'li_solution');
    shown = (await page.evaluate(() => S().shown(1)))!;
    expect(shown.drawn.slice(0, 6).every((v) => shown.snapshot.li_solution.some((c) => Math.fround(c) === v))).toBe(
      true,
    );
    // the slider (the range input): a quarter of the way shows the last snapshot at or before a quarter of the time
    await page.$eval('#syn-time', (el) => {
      (el as HTMLInputElement).value = '250';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const after = await page.evaluate(() => S().state());
    const t = 0.25 * after.runs[0].duration_s;
    expect(after.cursor_s).toBeCloseTo(t, 9);
    expect(after.runs[0].shown).toBe(after.runs[0].snapshots.filter((x) => x.time_s <= t).at(-1)!.step);
    // "open GBs": at 1/4 of the program every boundary is still open (precursor), drawn as bands; unticked, none
    await page.selectOption('#syn-field', 'lithiated');
    const withBands = await page.evaluate(() => S().figure(1).mapInk);
    await page.uncheck('#syn-bands');
    const without = await page.evaluate(() => S().figure(1).mapInk);
    await page.check('#syn-bands');
    expect(withBands).toBeGreaterThan(without);
    // bad fields: nothing starts, the message names the field
    await page.fill('#syn-seed', '1.5');
    await page.click('#syn-run');
    expect(await page.textContent('#syn-status')).toContain('seed: got "1.5"; allowed: an integer');
    await page.fill('#syn-seed', '3');
    await page.fill('#syn-grains', '0');
    await page.click('#syn-run');
    expect(await page.textContent('#syn-status')).toContain('grains: got "0"');
    expect((await page.evaluate(() => S().state())).runs.map((r) => r.status)).toEqual(['done', 'done']);
    await page.fill('#syn-grains', '');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('Cancel stops both runs and keeps the records computed, which are the first records of the Node run', async () => {
    await page.selectOption('#syn-particle', 'reference');
    await page.fill('#syn-grains', '60');
    await page.click('#syn-run');
    await page.waitForFunction(
      () =>
        S()
          .state()
          .runs.every((r) => r.records.length >= 5),
      null,
      { timeout: 60_000 },
    );
    await page.click('#syn-cancel');
    await page.waitForFunction(
      () =>
        S()
          .state()
          .runs.every((r) => r.status !== 'running'),
      null,
      { timeout: 30_000 },
    );
    const state = await page.evaluate(() => S().state());
    for (const run of state.runs) {
      expect(run.status).toBe('cancelled');
      expect((run.userConfig as { microstructure: { grains: number } }).microstructure.grains).toBe(60);
      const config = parseSynthesisConfig(run.userConfig);
      const model = new SynthesisModel(buildSynthesisMesh(config), config.synthesis);
      for (let i = 0; i < run.records.length; i++) model.step();
      expect(recordBits(run.records)).toEqual(recordBits(model.history));
      expect(model.done, 'cancelled before the end').toBe(false);
    }
    expect(await page.textContent('#syn-status')).toContain('cancelled');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 120_000);

  it("Load…: a synthesis config file runs as chemofrac synthesize reads it (records are Node's, bits); a file that is not JSON is refused naming it", async () => {
    const example = JSON.parse(readFileSync(join(REPO, 'examples/synthesis-ncm90-bare.json'), 'utf8'));
    // the example's program on the small particle, without a name: the run is named after the file
    const { name: _name, ...config } = {
      ...example,
      geometry: { ...example.geometry, radius_um: 3, mesh_size_um: 0.2 },
      microstructure: { grains: 30, seed: 5 },
    };
    const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.setInputFiles('#syn-file', [file('my-calcination.json', JSON.stringify(config))]);
    await page.waitForFunction(
      () => {
        const s = S().state();
        return s.runs.length === 1 && s.runs[0].status === 'done';
      },
      null,
      { timeout: 60_000 },
    );
    const state = await page.evaluate(() => S().state());
    const run = state.runs[0];
    expect(run.label).toBe('A my-calcination');
    expect((run.userConfig as { name: string }).name).toBe('my-calcination');
    const { model } = nodeRun(config);
    expect(recordBits(run.records)).toEqual(recordBits(model.history));
    await page.setInputFiles('#syn-file', [file('broken.json', '{ "geometry": ')]);
    await page.waitForFunction(() =>
      /Cannot read broken\.json/.test(document.getElementById('syn-status')!.textContent!),
    );
    // the refused file started nothing: the last run is still shown
    expect(
      await page.evaluate(() =>
        S()
          .state()
          .runs.map((r) => r.label),
      ),
    ).toEqual(['A my-calcination']);
  }, 90_000);

  it('a bad config is refused naming the key; the synthesis worker bundle holds no Node module code', async () => {
    const res = await page.evaluate(() =>
      S().run({ configs: [{ geometry: { shape: 'quarter', radius_um: 3 }, synthesis: { preset: 'nope' } }] }),
    );
    expect(res.runs[0].status).toBe('error');
    expect(res.runs[0].error).toContain('synthesis.preset');
    expect(res.runs[0].error).toContain('ncm90-bare');
    // the mesher's limits, as the CLI applies them: refused with the mesher's message
    const tooMany = await page.evaluate(() => S().run({ presets: ['ncm90-bare'], grains: 100000 }));
    expect(tooMany.runs[0].status).toBe('error');
    expect(tooMany.runs[0].error).toContain(
      'grains = 100000 is not allowed; allowed: at most about one grain per element',
    );
    const assets = join(REPO, 'web/dist/assets');
    const workers = readdirSync(assets).filter((f) => /^synthesis-worker.*\.js$/.test(f));
    expect(workers).toHaveLength(1);
    const code = readFileSync(join(assets, workers[0]), 'utf8');
    // No code of a Node module is in it: the mesh hash (node:crypto) and the microstructure reader (node:fs) are
    // left out. (A non-production build, as here under vitest, still keeps Vite's throwing stubs of node:fs and
    // node:crypto in every bundle of the app, because the public entry src/index.ts exports the reader; a
    // production build drops them.)
    expect(code).not.toMatch(/createHash|readFileSync|meshHash|loadSynthesizedMicrostructure/);
    expect(code).toContain('lithiated_fraction');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  }, 60_000);
});
