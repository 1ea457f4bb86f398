/**
 * `window.__chemofrac`: a small, documented handle for tests, benchmarks and the console. Stable names:
 *
 *   ready                     true once the page is set up
 *   state()                   plain-JSON state: per run slot, label, status, steps, SoC, steps/s, setup time,
 *                             snapshot count, mesh sizes and the history columns soc / damage_mean / x_std /
 *                             cracked_fraction; plus the field shown, the timeline SoC and the mean frame time
 *   runComparison(opts)       set particles A and B (opts.a, opts.b: 'bare' | 'mf-coated' | 'gradient-porous' |
 *                             'dense-porous' | 'none'), apply opts.values (panel field ids → values, e.g.
 *                             { grains: 30, mesh: 0.2, toSoc: 0.6 }), run, resolve with state() when both end
 *   runConfigs(a, b?)         the same with user config objects (b absent = one particle)
 *   cancel()                  cancel the runs
 *   setField(mode)            'x' | 'max_principal' | 'sxx' | 'syy' | 'sxy'
 *   setSoc(soc | null)        move the timeline (null = follow the newest step)
 *   measureFrames(n)          render n frames, each waited for with gl.finish(): mean ms per frame
 *   measureUpdate(n)          re-upload the shown fields and render n times: mean ms per field update + frame
 *   pixelStats()              mean and standard deviation of the view's pixels (0–255 luminance) and the
 *                             number of dark-red (crack) pixels, read from the WebGL canvas
 *   imageDataUrl()            the composed view (titles, colour bar) as a PNG data URL
 */
import type { App } from './app.js';
import type { Variant } from './panel-fields.js';
import type { FieldMode } from './particle-layer.js';

export interface DebugHandle {
  ready: boolean;
  state(): ReturnType<typeof stateOf>;
  runComparison(opts?: {
    a?: Variant;
    b?: Variant;
    values?: Record<string, string | number | boolean>;
  }): Promise<ReturnType<typeof stateOf>>;
  runConfigs(a: object, b?: object | null): Promise<ReturnType<typeof stateOf>>;
  cancel(): Promise<void>;
  setField(mode: FieldMode): void;
  setSoc(soc: number | null): void;
  measureFrames(n: number): number;
  measureUpdate(n: number): number;
  pixelStats(): { mean: number; std: number; crackPixels: number; width: number; height: number };
  imageDataUrl(): string;
}

function stateOf(app: App) {
  return {
    field: app.mode,
    cursorSoc: app.cursorSoc,
    frameTime_ms: app.viewport.frameTime_ms,
    frames: app.viewport.frames,
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
      stepWall_ms: r.stepWall_ms,
      setup_ms: r.setup_ms,
      wall_ms: (r.finished_ms || performance.now()) - r.started_ms,
      snapshots: r.snapshots.length,
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
      app.panels[0].setVariant(opts.a ?? 'bare');
      app.panels[1].setVariant(opts.b ?? 'mf-coated');
      if (opts.values) for (const p of app.panels) if (p.enabled) p.setValues(opts.values);
      await app.startRuns();
      return stateOf(app);
    },
    async runConfigs(a, b = null) {
      app.panels[0].loadConfig({ ...(a as Record<string, unknown>) });
      if (b) app.panels[1].loadConfig({ ...(b as Record<string, unknown>) });
      else app.panels[1].setVariant('none');
      await app.startRuns();
      return stateOf(app);
    },
    cancel: () => app.cancel(),
    setField: (mode) => app.setField(mode),
    setSoc: (soc) => app.setSoc(soc),
    measureFrames: (n) => app.viewport.measureFrames(n),
    measureUpdate(n) {
      const snaps = app.shownSnapshots();
      const gl = app.viewport.renderer.getContext();
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
  };
  (window as unknown as { __chemofrac: DebugHandle }).__chemofrac = handle;
}
