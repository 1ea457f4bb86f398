/**
 * `window.__chemofrac`: a small, documented handle for tests, benchmarks and the console. Stable names:
 *
 *   ready                     true once the page is set up
 *   state()                   plain-JSON state: per run slot, label, status, steps, SoC, steps/s (steps per
 *                             unpaused wall second, the worker's counts), busy fraction, worker counters, setup
 *                             time, progress ([steps, active ms] per worker message), snapshot count, mesh sizes and the history columns soc / time_s / damage_mean /
 *                             x_std / cracked_fraction; plus the field, the timeline axis / position / label, the
 *                             shown snapshots (step, SoC per slot) and the mean frame time; cycling runs: their
 *                             cycles.csv rows (`cycles`, the engine's CycleRecord), the cycles with an end-of-cycle
 *                             snapshot and the config as submitted (`userConfig`)
 *   runComparison(opts)       set particles A–D (opts.a … opts.d: 'bare' | 'mf-coated' | 'gradient-porous' |
 *                             'dense-porous' | 'none'; absent: A bare, B mf-coated, C and D none), apply opts.values
 *                             to every particle (panel field ids → values, e.g. { grains: 30, mesh: 0.2, toSoc: 0.6 }),
 *                             run, resolve with state() when all end
 *   runConfigs(a, b?, c?, d?) the same with user config objects (absent = no particle)
 *   cancel()                  cancel the runs;  pause() / resume(): stop / continue the computation
 *   setField(mode)            'x' | 'max_principal' | 'sxx' | 'syy' | 'sxy'
 *   setSoc(soc | null)        move the timeline on the SoC axis (null = live)
 *   setCycle(k | null)        cycling: show the end of cycle k on the cycling particles (null = follow the timeline)
 *   frameGaps(ms)             collect requestAnimationFrame gaps for ms: { median, p95, max, frames } (ms)
 *   measureFrames(n)          render n frames, each waited for with gl.finish(): mean ms per frame
 *   measureUpdate(n)          re-upload the shown fields and render n times: mean ms per field update + frame
 *   pixelStats()              mean and standard deviation of the view's pixels (0–255 luminance) and the
 *                             number of dark-red (crack) pixels, read from the WebGL canvas
 *   imageDataUrl()            the composed view (titles, colour bar) as a PNG data URL
 *   figure(req)               the export figure (req: { scale } or { width_px }) as { dataUrl, layout } (layout:
 *                             figure.ts FigureLayout, where the view, colour bar, scale bar and plot are in the PNG)
 *   plotSvg()                 the SVG text of "Export plot (SVG)"
 *   recordMovie(seconds?)     "Record": play the timeline from the start (in `seconds`, default the page's) and
 *                             record it; resolves with { frames, size, type, dataUrl } of the WebM (null: nothing)
 *   runMechanisms(opts)       the mechanism table ({ seeds?, base?: 'small' | 'reference' }) on engine workers:
 *                             resolves with { runs, summary, configs } (MechanismRun rows, summarizeMechanisms
 *                             of them, the config of each run)
 *   runEnsemble(opts?)        the ensemble view's run (ensemble-view.ts; opts: { designs, count, seed_start, base,
 *                             workers }, absent = the fields): resolves with its snapshot (cases, CaseResult per
 *                             case, per-design summary, throughput) when it ends or is cancelled
 *   ensemble()                the ensemble view's snapshot now;  cancelEnsemble(): its Cancel
 *   libraryRun(config, opts?) the library's own run of a config in a fresh worker of this browser (library-worker.ts):
 *                             { ok, message, history, cycles }, to compare with what the app shows; opts
 *                             { maxSteps, bits: true } stops early and adds the exact bits of the mesh, the setup
 *                             and each step record, to compare with Node's
 *   synthesis                 the synthesis view (synthesis-view.ts SynthesisDebugHandle): run({ presets, particle,
 *                             seed, grains } | { configs }), state(), setField(f), setTime(t_s | null), shown(k),
 *                             historyCsv(k), figure(scale), cancel()
 */
import type { App } from './app.js';
import type { Variant } from './panel-fields.js';
import type { FieldMode } from './particle-layer.js';
import type { FigureLayout } from './figure.js';
import { wasmUrl } from './engine-client.js';
import type { LibraryRunOptions, LibraryRunResult } from './library-worker.js';
import type { MechanismBase } from './mechanisms-view.js';
import type { EnsembleRequest, EnsembleSnapshot } from './ensemble-view.js';
import type { SynthesisDebugHandle } from './synthesis-view.js';
import type { MechanismRun, MechanismSummary } from '../../src/index.js';

export interface DebugHandle {
  ready: boolean;
  state(): ReturnType<typeof stateOf>;
  runComparison(opts?: {
    a?: Variant;
    b?: Variant;
    c?: Variant;
    d?: Variant;
    values?: Record<string, string | number | boolean>;
  }): Promise<ReturnType<typeof stateOf>>;
  runConfigs(...configs: (object | null | undefined)[]): Promise<ReturnType<typeof stateOf>>;
  cancel(): Promise<void>;
  pause(): void;
  resume(): void;
  frameGaps(ms: number): Promise<{ median: number; p95: number; max: number; frames: number }>;
  setField(mode: FieldMode): void;
  setSoc(soc: number | null): void;
  setCycle(k: number | null): void;
  measureFrames(n: number): number;
  measureUpdate(n: number): number;
  pixelStats(): { mean: number; std: number; crackPixels: number; width: number; height: number };
  imageDataUrl(): string;
  figure(req?: { scale?: number; width_px?: number }): { dataUrl: string; layout: FigureLayout };
  plotSvg(): string;
  libraryRun(config: unknown, opts?: LibraryRunOptions): Promise<LibraryRunResult>;
  runMechanisms(opts?: {
    seeds?: number[];
    base?: MechanismBase;
  }): Promise<{ runs: MechanismRun[]; summary: MechanismSummary[]; configs: unknown[] } | null>;
  recordMovie(seconds?: number): Promise<{ frames: number; size: number; type: string; dataUrl: string } | null>;
  runEnsemble(opts?: Partial<EnsembleRequest>): Promise<EnsembleSnapshot | null>;
  ensemble(): EnsembleSnapshot;
  cancelEnsemble(): void;
  synthesis: SynthesisDebugHandle;
}

function stateOf(app: App) {
  const shown = app.shownSnapshots();
  return {
    field: app.mode,
    axis: app.axis,
    cursor: app.cursor,
    cycleCursor: app.cycleCursor,
    position: app.currentPosition(),
    livePosition: app.livePosition(),
    timeLabel: document.getElementById('time-label')?.textContent ?? '',
    statusText: document.getElementById('run-status')?.textContent ?? '',
    shown: shown.map((s) => (s ? { step: s.step, soc: s.soc, time_s: s.time_s } : null)),
    frameTime_ms: app.viewport.frameTime_ms,
    frames: app.viewport.frames,
    draws: app.draws,
    drawTotal_ms: app.drawTotal_ms,
    runs: app.runs.map((r, i) => ({
      slot: r.slot,
      enabled: app.panels[i].enabled,
      label: r.label,
      status: r.status,
      endReason: r.endReason,
      error: r.errorMessage,
      issues: r.issues,
      steps: Math.max(0, r.history.length - 1),
      soc: r.lastSoc,
      stepsPerSecond: r.stepsPerSecond,
      busyFraction: r.busyFraction,
      counters: { ...r.counters },
      progress: r.progress,
      direction: r.direction,
      setup_ms: r.setup_ms,
      wall_ms: (r.finished_ms || performance.now()) - r.started_ms,
      snapshots: r.snapshots.length,
      cycling: r.cycling,
      cycles: r.cycles.map((c) => ({ ...c })),
      cycleSnapshots: [...r.cycleSnapshots.values()].map((s) => ({
        cycle: s.cycle!,
        step: s.step,
        damageAtCycle: s.damageAtCycle ?? null,
      })),
      userConfig: r.userConfig,
      mesh: r.mesh
        ? {
            nodes: r.mesh.nodeCount,
            triangles: r.mesh.triCount,
            interfaces: r.mesh.interfaceCount,
            grains: r.mesh.grainCount,
            shape: r.mesh.shape,
          }
        : null,
      history: {
        soc: r.history.map((h) => h.soc),
        time_s: r.history.map((h) => h.time_s),
        damage_mean: r.history.map((h) => h.damage_mean),
        x_std: r.history.map((h) => h.x_std),
        cracked_fraction: r.history.map((h) => h.cracked_fraction),
      },
    })),
  };
}

export function installDebugHandle(app: App): void {
  const handle: DebugHandle = {
    ready: true,
    state: () => stateOf(app),
    async runComparison(opts = {}) {
      const v: Variant[] = [opts.a ?? 'bare', opts.b ?? 'mf-coated', opts.c ?? 'none', opts.d ?? 'none'];
      app.panels.forEach((p, i) => p.setVariant(v[i]));
      if (opts.values) for (const p of app.panels) if (p.enabled) p.setValues(opts.values);
      await app.startRuns();
      return stateOf(app);
    },
    async runConfigs(...configs) {
      app.panels.forEach((p, i) => {
        const c = configs[i];
        if (c) p.loadConfig({ ...(c as Record<string, unknown>) });
        else p.setVariant('none');
      });
      await app.startRuns();
      return stateOf(app);
    },
    cancel: () => app.cancel(),
    pause: () => {
      if (app.runs.some((r) => r.status === 'running')) app.togglePause();
    },
    resume: () => {
      if (!app.runs.some((r) => r.status === 'running') && app.runs.some((r) => r.status === 'paused'))
        app.togglePause();
    },
    frameGaps: (ms) =>
      new Promise((ok) => {
        const gaps: number[] = [];
        let last = -1;
        const t0 = performance.now();
        const tick = (now: number) => {
          if (last >= 0) gaps.push(now - last);
          last = now;
          if (now - t0 < ms) requestAnimationFrame(tick);
          else {
            gaps.sort((x, y) => x - y);
            const q = (f: number) => gaps[Math.min(gaps.length - 1, Math.floor(f * gaps.length))] ?? NaN;
            ok({ median: q(0.5), p95: q(0.95), max: gaps[gaps.length - 1] ?? NaN, frames: gaps.length });
          }
        };
        requestAnimationFrame(tick);
      }),
    setField: (mode) => app.setField(mode),
    setSoc: (soc) => app.setSoc(soc),
    setCycle: (k) => app.setCycle(k),
    measureFrames: (n) => app.viewport.measureFrames(n),
    measureUpdate(n) {
      const snaps = app.shownSnapshots();
      const gl = app.viewport.renderer.getContext();
      // reads below happen in this task, right after render(): the drawing buffer is not preserved
      const t0 = performance.now();
      for (let k = 0; k < n; k++) {
        snaps.forEach((s, i) => {
          if (s) app.viewport.layers[i].update(s, app.mode, app.mode === 'x' ? [0, 1] : [-1, 1]);
        });
        app.viewport.render();
        gl.finish();
      }
      const dt = (performance.now() - t0) / n;
      app.setField(app.mode);
      return dt;
    },
    pixelStats() {
      app.viewport.render();
      const src = app.viewport.canvas;
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(src, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let sum2 = 0;
      let crack = 0;
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const y = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
        sum += y;
        sum2 += y * y;
        if (d[i] > 70 && d[i] > 2.2 * d[i + 1] && d[i] > 2.2 * d[i + 2]) crack++;
      }
      const mean = sum / n;
      return {
        mean,
        std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
        crackPixels: crack,
        width: c.width,
        height: c.height,
      };
    },
    imageDataUrl: () => app.composeImage().toDataURL('image/png'),
    figure(req = {}) {
      const { canvas, layout } = app.composeFigure(req);
      return { dataUrl: canvas.toDataURL('image/png'), layout };
    },
    plotSvg: () => app.plotSvgText(),
    async recordMovie(seconds) {
      if (seconds !== undefined) (document.getElementById('movie-seconds') as HTMLInputElement).value = String(seconds);
      const blob = await app.recordMovie();
      if (!blob) return null;
      const dataUrl = await new Promise<string>((ok) => {
        const r = new FileReader();
        r.onload = () => ok(String(r.result));
        r.readAsDataURL(blob);
      });
      return { ...app.lastMovie!, dataUrl };
    },
    async runMechanisms(opts = {}) {
      const runs = await app.runMechanisms(opts);
      return runs ? { runs, summary: app.mechanisms.summary, configs: app.mechanisms.configs } : null;
    },
    runEnsemble: (opts = {}) => app.ensemble.run(opts),
    ensemble: () => app.ensemble.snapshot(),
    cancelEnsemble: () => app.ensemble.cancel(),
    synthesis: app.synthesis.debugHandle(),
    libraryRun: (config, opts = {}) =>
      new Promise((ok) => {
        const w = new Worker(new URL('./library-worker.ts', import.meta.url), {
          type: 'module',
          name: 'chemofrac-library',
        });
        w.onmessage = (e: MessageEvent<LibraryRunResult>) => {
          w.terminate();
          ok(e.data);
        };
        w.onerror = (e) => {
          w.terminate();
          ok({ ok: false, message: e.message || 'the library worker failed', history: [], cycles: [] });
        };
        w.postMessage({ config, wasmUrl, ...opts });
      }),
  };
  (window as unknown as { __chemofrac: DebugHandle }).__chemofrac = handle;
}
