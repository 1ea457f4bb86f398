/**
 * The synthesis view ("Synthesis (chemofrac synthesize)" in the sidebar): the calcination of the precursor
 * particle (docs/synthesis.md) for two presets side by side, e.g. bare vs WO3-ALD-coated NCM90. Each run is the
 * library's `SynthesisModel` in its own worker (synthesis-worker.ts, stepped as `chemofrac synthesize` steps it), so
 * the records are the CLI's history.csv rows to the bit and the CSV export is the CLI's file byte for byte.
 *
 * Shown: the temperature program T(t) with a cursor at the shown time and the history curves (lithiated, rock-salt,
 * void and open-boundary fractions) on a canvas plot; the per-element maps (lithiated fraction X_L, rock salt X_RS,
 * void φ, precursor left, Li in solution c) drawn with three.js like the particle view (Viewport + ParticleLayer,
 * a quarter mirrored to the disk), with the open grain boundaries as bands; a time slider scrubs the snapshots
 * (each run shows its last snapshot at or before the slider's time; at the right end it follows the runs).
 */
import {
  SYNTHESIS_HISTORY_COLUMNS,
  SYNTHESIS_PRESET_NAMES,
  compileProgram,
  csvTable,
  type ProgramSegment,
  type SynthesisConfig,
  type SynthesisRecord,
  type WorkerMesh,
} from '../../src/index.js';
import { drawColorbar, formatTick, type ColormapName } from './colormap.js';
import { download, safeName } from './export.js';
import { drawAtCssSize, drawCursorLine, drawXLabelAndLegend, framePanel, gridStyle, niceStep } from './plot.js';
import { Viewport } from './viewport.js';
import type { SynthesisSnapshot, SynthesisWorkerIn, SynthesisWorkerOut } from './synthesis-worker.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export const SYNTHESIS_COLORS = ['#e66101', '#5e3c99'] as const;

/**
 * The particles on offer. reference: the particle of examples/synthesis-*.json (quarter, R = 5 µm, 100 grains,
 * h = 0.15 µm; a few seconds per run). small: R = 3 µm, 30 grains, h = 0.2 µm (under a second).
 */
export const SYNTHESIS_PARTICLES = {
  reference: { radius_um: 5, mesh_size_um: 0.15, grains: 100 },
  small: { radius_um: 3, mesh_size_um: 0.2, grains: 30 },
} as const;
export type SynthesisParticle = keyof typeof SYNTHESIS_PARTICLES;

export type SynthesisField = 'lithiated' | 'rock_salt' | 'void' | 'precursor' | 'li_solution';

export const SYNTHESIS_FIELD_LABELS: Record<SynthesisField, string> = {
  lithiated: 'lithiated fraction X_L (–)',
  rock_salt: 'rock-salt fraction X_RS (–)',
  void: 'void fraction φ (–)',
  precursor: 'precursor left 1 − X_L − X_RS (–)',
  li_solution: 'Li in solution c (units of c_s)',
};
const FIELD_COLORMAP: Record<SynthesisField, ColormapName> = {
  lithiated: 'viridis',
  rock_salt: 'cividis',
  void: 'cividis',
  precursor: 'viridis',
  li_solution: 'turbo',
};

/** The user config of a run (what "config" saves: `chemofrac synthesize` on it gives the same history.csv). */
export function synthesisUserConfig(preset: string, particle: SynthesisParticle, seed: number, grains?: number) {
  const p = SYNTHESIS_PARTICLES[particle];
  return {
    name: `synthesis-${preset}`,
    geometry: { shape: 'quarter', radius_um: p.radius_um, mesh_size_um: p.mesh_size_um },
    microstructure: { grains: grains ?? p.grains, seed },
    synthesis: { preset },
  };
}

/** history.csv exactly as `chemofrac synthesize` writes it (src/synthesis/outputs.ts writeHistory). */
export function synthesisHistoryCsv(records: SynthesisRecord[]): string {
  return csvTable([...SYNTHESIS_HISTORY_COLUMNS], records);
}

/** The program T(t) as the corners of its piecewise-linear curve: [t_s, T_C] pairs. */
export function programPolyline(segments: ProgramSegment[]): [number, number][] {
  if (!segments.length) return [];
  return [[segments[0].t0_s, segments[0].T0_C], ...segments.map((g): [number, number] => [g.t1_s, g.T1_C])];
}

/** One synthesis run on its worker. */
export class SynthesisRun {
  status: 'starting' | 'running' | 'done' | 'cancelled' | 'error' = 'starting';
  error = '';
  mesh: WorkerMesh | null = null;
  config: SynthesisConfig | null = null;
  segments: ProgramSegment[] = [];
  duration_s = 0;
  readonly records: SynthesisRecord[] = [];
  readonly snapshots: SynthesisSnapshot[] = [];
  wall_ms = 0;
  setup_ms = 0;
  step_ms = 0;
  readonly done: Promise<void>;
  private worker: Worker | null;
  private finish: () => void = () => undefined;

  constructor(
    readonly label: string,
    readonly color: string,
    readonly userConfig: unknown,
    onUpdate: () => void,
  ) {
    const t0 = performance.now();
    this.done = new Promise((ok) => (this.finish = ok));
    const w = new Worker(new URL('./synthesis-worker.ts', import.meta.url), {
      type: 'module',
      name: 'chemofrac-synthesis',
    });
    this.worker = w;
    const end = (status: SynthesisRun['status'], error = '') => {
      this.status = status;
      this.error = error;
      this.wall_ms = performance.now() - t0;
      this.worker?.terminate();
      this.worker = null;
      onUpdate();
      this.finish();
    };
    w.onmessage = (e: MessageEvent<SynthesisWorkerOut>) => {
      const m = e.data;
      if (m.type === 'created') {
        if (!m.ok) return end('error', m.message);
        this.mesh = m.mesh;
        this.config = m.config;
        this.segments = m.segments;
        this.duration_s = m.duration_s;
        this.setup_ms = m.setup_ms;
        this.snapshots.push(m.snapshot);
        this.status = 'running';
        onUpdate();
        return;
      }
      for (const r of m.records) this.records.push(r);
      for (const s of m.snapshots) this.snapshots.push(s);
      this.step_ms = m.step_ms;
      this.wall_ms = performance.now() - t0;
      if (m.state === 'running') onUpdate();
      else end(m.state, m.error ?? '');
    };
    w.onerror = (e) => {
      e.preventDefault();
      end('error', e.message || 'the synthesis worker failed');
    };
    w.postMessage({ type: 'start', config: userConfig } satisfies SynthesisWorkerIn);
  }

  cancel(): void {
    if (!this.worker) return;
    this.worker.postMessage({ type: 'cancel' } satisfies SynthesisWorkerIn);
  }

  /** The last snapshot at or before t (null: none yet). */
  snapshotAt(t_s: number | null): SynthesisSnapshot | null {
    if (!this.snapshots.length) return null;
    if (t_s === null) return this.snapshots[this.snapshots.length - 1];
    let best = this.snapshots[0];
    for (const s of this.snapshots) if (s.time_s <= t_s * (1 + 1e-12)) best = s;
    return best;
  }

  /** The values of a field in a snapshot, and whether they are per triangle (else per node). */
  fieldOf(s: SynthesisSnapshot, f: SynthesisField): { values: Float64Array; perTriangle: boolean } {
    if (f === 'li_solution') return { values: s.li_solution, perTriangle: false };
    if (f === 'precursor')
      return { values: s.lithiated.map((v, t) => Math.max(0, 1 - v - s.rock_salt[t])), perTriangle: true };
    return { values: s[f], perTriangle: true };
  }
}

/** What tests and the console read (`__chemofrac.synthesis`). */
export interface SynthesisDebugHandle {
  run(opts?: {
    presets?: string[];
    particle?: SynthesisParticle;
    seed?: number;
    grains?: number;
    configs?: unknown[];
  }): Promise<ReturnType<SynthesisView['state']>>;
  state(): ReturnType<SynthesisView['state']>;
  cancel(): void;
  setField(f: SynthesisField): void;
  setTime(t_s: number | null): void;
  /** Run k's snapshot shown now (plain arrays) and the Float32 values its map draws (3 per triangle). */
  shown(k: number): { snapshot: Record<string, number[] | number>; drawn: number[] } | null;
  historyCsv(k: number): string;
  /** The figure PNG (maps, colour bar, plot) and its size; ink = share of non-white pixels in the maps. */
  figure(scale?: number): { dataUrl: string; width: number; height: number; mapInk: number };
}

export class SynthesisView {
  runs: SynthesisRun[] = [];
  field: SynthesisField = 'lithiated';
  /** The time the slider shows (s); null = follow the runs (the newest snapshot). */
  cursor_s: number | null = null;
  showBoundaries = true;
  private viewport: Viewport | null = null;
  private queued = false;

  constructor() {
    const presetOptions = SYNTHESIS_PRESET_NAMES.map((n) => `<option value="${n}">${n}</option>`).join('');
    $('syn-preset-a').innerHTML = presetOptions;
    $('syn-preset-b').innerHTML = `<option value="none">none</option>` + presetOptions;
    $<HTMLSelectElement>('syn-preset-a').value = 'ncm90-bare';
    $<HTMLSelectElement>('syn-preset-b').value = 'ncm90-wo3-ald';
    $('syn-run').addEventListener('click', () => void this.runFromFields());
    $('syn-cancel').addEventListener('click', () => this.cancel());
    $('syn-load').addEventListener('click', () => $<HTMLInputElement>('syn-file').click());
    $<HTMLInputElement>('syn-file').addEventListener('change', () => void this.runFromFiles());
    $('syn-csv').addEventListener('click', () => {
      for (const r of this.runs)
        download(`${safeName(r.label)}-history.csv`, synthesisHistoryCsv(r.records), 'text/csv');
    });
    $('syn-config').addEventListener('click', () => {
      for (const r of this.runs)
        download(`${safeName(r.label)}.json`, JSON.stringify(r.userConfig, null, 2) + '\n', 'application/json');
    });
    $('syn-png').addEventListener('click', () => {
      const fig = this.figureCanvas(2);
      if (fig) fig.toBlob((b) => b && download('synthesis.png', b));
    });
    $<HTMLSelectElement>('syn-field').addEventListener('change', (e) =>
      this.setField((e.target as HTMLSelectElement).value as SynthesisField),
    );
    $<HTMLInputElement>('syn-bands').addEventListener('change', (e) => {
      this.showBoundaries = (e.target as HTMLInputElement).checked;
      this.refresh();
    });
    const slider = $<HTMLInputElement>('syn-time');
    slider.addEventListener('input', () => {
      const v = Number(slider.value);
      this.cursor_s = v >= 1000 ? null : (v / 1000) * this.duration_s();
      this.refresh();
    });
    $('synthesis-box').addEventListener('toggle', () => this.refresh());
  }

  private duration_s(): number {
    return Math.max(0, ...this.runs.map((r) => r.duration_s));
  }

  /** Read the fields and run; resolves when both runs end (null: a field is invalid, said under the buttons). */
  async runFromFields(): Promise<void> {
    const status = $('syn-status');
    const seed = Number($<HTMLInputElement>('syn-seed').value);
    const grainsText = $<HTMLInputElement>('syn-grains').value.trim();
    const grains = grainsText === '' ? undefined : Number(grainsText);
    if (!Number.isInteger(seed)) {
      status.textContent = `seed: got "${$<HTMLInputElement>('syn-seed').value}"; allowed: an integer`;
      return;
    }
    if (grains !== undefined && !(Number.isInteger(grains) && grains >= 1)) {
      status.textContent = `grains: got "${grainsText}"; allowed: an integer ≥ 1 (empty: the particle's)`;
      return;
    }
    const presets = [$<HTMLSelectElement>('syn-preset-a').value, $<HTMLSelectElement>('syn-preset-b').value].filter(
      (p) => p !== 'none',
    );
    const particle = $<HTMLSelectElement>('syn-particle').value as SynthesisParticle;
    await this.run(presets.map((p) => synthesisUserConfig(p, particle, seed, grains)));
  }

  /**
   * Run the synthesis config files chosen with "Load…" (one or two: A and B), as `chemofrac synthesize` would; a
   * file that is not a JSON object is refused under the buttons, naming it; config errors come back from the
   * worker naming the key, like the presets'. A file without a `name` is named after the file.
   */
  async runFromFiles(): Promise<void> {
    const input = $<HTMLInputElement>('syn-file');
    const files = [...(input.files ?? [])];
    input.value = '';
    if (!files.length) return;
    const status = $('syn-status');
    if (files.length > 2) {
      status.textContent = `Load…: got ${files.length} files; allowed: one or two synthesis configs (A and B)`;
      return;
    }
    const configs: Record<string, unknown>[] = [];
    for (const file of files) {
      try {
        const json = JSON.parse(await file.text()) as unknown;
        if (!json || typeof json !== 'object' || Array.isArray(json))
          throw new Error('the file does not hold a JSON object');
        const config = json as Record<string, unknown>;
        configs.push(config.name === undefined ? { ...config, name: file.name.replace(/\.json$/i, '') } : config);
      } catch (e) {
        status.textContent = `Cannot read ${file.name}: ${(e as Error).message}`;
        return;
      }
    }
    await this.run(configs);
  }

  /** Run the configs (one worker each, at the same time); resolves when all end. */
  async run(configs: unknown[]): Promise<void> {
    this.cancel();
    ($('synthesis-box') as HTMLDetailsElement).open = true;
    this.cursor_s = null;
    $<HTMLInputElement>('syn-time').value = '1000';
    this.runs = configs.map((c, k) => {
      const name = (c as { name?: unknown })?.name;
      const label = `${'AB'[k] ?? k} ${typeof name === 'string' ? name.replace(/^synthesis-/, '') : 'synthesis'}`;
      return new SynthesisRun(label, SYNTHESIS_COLORS[k % 2], c, () => this.refresh());
    });
    this.meshesShown = this.runs.map(() => null);
    this.refresh();
    await Promise.all(this.runs.map((r) => r.done));
    this.refresh();
  }

  cancel(): void {
    for (const r of this.runs) r.cancel();
  }

  setField(f: SynthesisField): void {
    this.field = f;
    $<HTMLSelectElement>('syn-field').value = f;
    this.refresh();
  }

  setTime(t_s: number | null): void {
    this.cursor_s = t_s;
    const d = this.duration_s();
    $<HTMLInputElement>('syn-time').value = t_s === null || d <= 0 ? '1000' : String(Math.round((1000 * t_s) / d));
    this.refresh();
  }

  /** Redraw in the next animation frame (at most once per frame). */
  refresh(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  private meshesShown: (WorkerMesh | null)[] = [];

  private ensureViewport(): Viewport {
    if (!this.viewport) this.viewport = new Viewport($('syn-view'), 2);
    return this.viewport;
  }

  /** The colour range of the field: fractions 0–1, voids 0–ν_v (their largest possible value), c 0–c_s. */
  private rangeOf(f: SynthesisField): [number, number] {
    const c = this.runs.find((r) => r.config)?.config;
    if (f === 'void')
      return [0, Math.max(1e-6, ...this.runs.map((r) => r.config?.synthesis.precursor.void_per_decomposed ?? 0))];
    if (f === 'li_solution') return [0, c ? c.synthesis.li_source.concentration : 1];
    return [0, 1];
  }

  /** Draw everything now (synchronously). */
  draw(): void {
    const box = $('synthesis-box') as HTMLDetailsElement;
    this.drawStatus();
    $<HTMLButtonElement>('syn-cancel').disabled = !this.runs.some(
      (r) => r.status === 'running' || r.status === 'starting',
    );
    $<HTMLButtonElement>('syn-csv').disabled = !this.runs.some((r) => r.records.length > 0);
    $<HTMLButtonElement>('syn-png').disabled = !this.runs.some((r) => r.mesh);
    if (!box.open || !this.runs.length) return;
    const vp = this.ensureViewport();
    const range = this.rangeOf(this.field);
    vp.visible = [true, this.runs.length > 1];
    let newMesh = false;
    this.runs.forEach((r, k) => {
      const layer = vp.layers[k];
      if (r.mesh && this.meshesShown[k] !== r.mesh) {
        layer.setMesh(r.mesh);
        this.meshesShown[k] = r.mesh;
        newMesh = true;
      }
      const s = r.snapshotAt(this.cursor_s);
      if (s && r.mesh) {
        const { values, perTriangle } = r.fieldOf(s, this.field);
        layer.showValues(
          values,
          perTriangle,
          range,
          FIELD_COLORMAP[this.field],
          this.showBoundaries ? s.opening : null,
        );
      }
    });
    for (let k = this.runs.length; k < vp.layers.length; k++) if (vp.layers[k].mesh) vp.layers[k].clear();
    if (newMesh) vp.resetView();
    vp.invalidate();
    this.drawTitles();
    const bar = $<HTMLCanvasElement>('syn-colorbar');
    const ctx = bar.getContext('2d')!;
    ctx.clearRect(0, 0, bar.width, bar.height);
    drawColorbar(
      ctx,
      FIELD_COLORMAP[this.field],
      8,
      18,
      bar.width - 16,
      12,
      range[0],
      range[1],
      SYNTHESIS_FIELD_LABELS[this.field],
    );
    drawSynthesisPlot($('syn-plot'), this.runs, this.shownTime());
  }

  /** The time the view shows: the slider's, or (following) the newest snapshot of the slowest run. */
  shownTime(): number | null {
    if (this.cursor_s !== null) return this.cursor_s;
    const times = this.runs.map((r) => r.snapshotAt(null)?.time_s).filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : null;
  }

  /** The run labels over the maps (the time and T are under the maps, at the slider). */
  private drawTitles(): void {
    const el = $('syn-titles');
    const rects = this.viewport!.viewportRects();
    el.replaceChildren(
      ...this.runs.map((r, k) => {
        const d = document.createElement('div');
        d.className = 'syn-title';
        d.style.left = `${rects[k]?.x ?? 0}px`;
        d.style.color = r.color;
        d.textContent = r.label;
        return d;
      }),
    );
  }

  private drawStatus(): void {
    const lines = this.runs.map((r) => {
      const last = r.records[r.records.length - 1];
      const head = `${r.label}: ${r.status}${r.error ? ` (${r.error})` : ''}`;
      if (!last) return head;
      return (
        `${head} · ${last.step} steps · ` +
        `${(last.time_s / 60).toFixed(1)} of ${(r.duration_s / 60).toFixed(0)} min · ` +
        `${(r.wall_ms / 1000).toFixed(1)} s · X_L ${last.lithiated_fraction.toFixed(3)} · X_RS ` +
        `${last.rock_salt_fraction.toFixed(3)} · void ${last.void_fraction.toFixed(3)} · open GB ` +
        `${(100 * last.open_boundary_fraction).toFixed(0)} %`
      );
    });
    $('syn-status').textContent = lines.join('\n');
    const t = this.shownTime();
    const T = t === null ? null : this.programAt(t);
    $('syn-time-label').textContent =
      t === null
        ? ''
        : `${this.cursor_s === null ? 'live · ' : ''}t ${(t / 60).toFixed(1)} min` +
          (T === null ? '' : ` · T ${T.toFixed(0)} °C`);
  }

  /** T(t) of the first run's program (°C; null before a run has its config). */
  programAt(t_s: number): number | null {
    const c = this.runs.find((r) => r.config)?.config;
    if (!c) return null;
    const p = c.synthesis.temperature_program;
    return compileProgram(p.start_C, p.steps).at(t_s);
  }

  /** Plain-JSON state for tests and the console. */
  state() {
    return {
      field: this.field,
      cursor_s: this.cursor_s,
      shownTime: this.shownTime(),
      runs: this.runs.map((r) => ({
        label: r.label,
        status: r.status,
        error: r.error,
        userConfig: r.userConfig,
        config: r.config,
        mesh: r.mesh
          ? { nodes: r.mesh.nodeCount, triangles: r.mesh.triCount, interfaces: r.mesh.interfaceCount }
          : null,
        records: r.records,
        program: programPolyline(r.segments),
        duration_s: r.duration_s,
        snapshots: r.snapshots.map((s) => ({
          step: s.step,
          time_s: s.time_s,
          T_C: s.T_C,
          programStepEnded: s.programStepEnded,
        })),
        shown: r.snapshotAt(this.cursor_s)?.step ?? null,
        wall_ms: r.wall_ms,
        step_ms: r.step_ms,
      })),
    };
  }

  /** Maps (rendered off-screen at `scale`), titles, colour bar and plot in one canvas (the PNG export). */
  figureCanvas(scale: number): HTMLCanvasElement | null {
    if (!this.viewport || !this.runs.length) return null;
    this.draw();
    const maps = this.viewport.renderImage(scale);
    const W = this.viewport.canvas.clientWidth;
    const Hm = this.viewport.canvas.clientHeight;
    const plotH = 300;
    const bandH = 56;
    const out = document.createElement('canvas');
    out.width = Math.round(W * scale);
    out.height = Math.round((Hm + bandH + plotH) * scale);
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(maps, 0, 0);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    const rects = this.viewport.viewportRects();
    ctx.font = 'bold 12px sans-serif';
    ctx.textBaseline = 'top';
    this.runs.forEach((r, k) => {
      const s = r.snapshotAt(this.cursor_s);
      ctx.fillStyle = r.color;
      ctx.fillText(
        s ? `${r.label} · ${(s.time_s / 60).toFixed(1)} min · ${s.T_C.toFixed(0)} °C` : r.label,
        (rects[k]?.x ?? 0) + 4,
        4,
        Math.max(40, (rects[k]?.w ?? W) - 8),
      );
    });
    const range = this.rangeOf(this.field);
    const span = range[1] - range[0];
    const label =
      `${SYNTHESIS_FIELD_LABELS[this.field]} · range ` +
      `${formatTick(range[0], span)} – ${formatTick(range[1], span)}`;
    drawColorbar(ctx, FIELD_COLORMAP[this.field], 10, Hm + 20, Math.min(300, W - 20), 12, range[0], range[1], label);
    ctx.save();
    ctx.translate(0, Hm + bandH);
    drawSynthesisPlotInto(ctx, this.runs, this.shownTime(), W, plotH);
    ctx.restore();
    return out;
  }

  debugHandle(): SynthesisDebugHandle {
    return {
      run: async (opts = {}) => {
        const configs =
          opts.configs ??
          (opts.presets ?? ['ncm90-bare', 'ncm90-wo3-ald']).map((p) =>
            synthesisUserConfig(p, opts.particle ?? 'small', opts.seed ?? 1, opts.grains),
          );
        await this.run(configs);
        this.draw();
        return this.state();
      },
      state: () => this.state(),
      cancel: () => this.cancel(),
      setField: (f) => {
        this.setField(f);
        this.draw();
      },
      setTime: (t) => {
        this.setTime(t);
        this.draw();
      },
      shown: (k) => {
        const r = this.runs[k];
        const s = r?.snapshotAt(this.cursor_s);
        if (!s) return null;
        this.draw();
        return {
          snapshot: {
            step: s.step,
            time_s: s.time_s,
            T_C: s.T_C,
            lithiated: Array.from(s.lithiated),
            rock_salt: Array.from(s.rock_salt),
            void: Array.from(s.void),
            li_solution: Array.from(s.li_solution),
            opening: Array.from(s.opening),
          },
          drawn: Array.from(this.viewport!.layers[k].shownValues()),
        };
      },
      historyCsv: (k) => synthesisHistoryCsv(this.runs[k]?.records ?? []),
      figure: (scale = 1) => {
        const c = this.figureCanvas(scale)!;
        const maps = this.viewport!.renderImage(1);
        const px = maps.getContext('2d')!.getImageData(0, 0, maps.width, maps.height).data;
        let ink = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] < 245 || px[i + 1] < 245 || px[i + 2] < 245) ink++;
        return { dataUrl: c.toDataURL('image/png'), width: c.width, height: c.height, mapInk: ink / (px.length / 4) };
      },
    };
  }
}

// ---------------------------------------------------------------- plot

/** As plot.ts's, with a taller bottom: the x label and the legend get a row each (the sidebar is narrow). */
const MARGIN = { left: 52, right: 10, top: 22, gap: 34, bottom: 44 };
/** Line dashes of the history curves (the colour is the run's). */
const CURVES: { key: keyof SynthesisRecord; dash: number[]; name: string }[] = [
  { key: 'lithiated_fraction', dash: [], name: 'lithiated' },
  { key: 'rock_salt_fraction', dash: [6, 3], name: 'rock salt' },
  { key: 'void_fraction', dash: [2, 3], name: 'void' },
  { key: 'open_boundary_fraction', dash: [8, 3, 2, 3], name: 'open GB' },
];

/** T(t) of the program (top) and the history curves (bottom) against time in minutes, cursor at `cursor_s`. */
export function drawSynthesisPlot(canvas: HTMLCanvasElement, runs: SynthesisRun[], cursor_s: number | null): void {
  drawAtCssSize(canvas, (ctx, W, H) => drawSynthesisPlotInto(ctx, runs, cursor_s, W, H));
}

export function drawSynthesisPlotInto(
  ctx: CanvasRenderingContext2D,
  runs: SynthesisRun[],
  cursor_s: number | null,
  W: number,
  H: number,
): void {
  const { left, right, top, gap, bottom } = MARGIN;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const ph = (H - top - bottom - gap) / 2;
  const pw = W - left - right;
  const tmax_min = Math.max(1, ...runs.map((r) => r.duration_s / 60));
  const X = (t_s: number) => left + (t_s / 60 / tmax_min) * pw;
  const xTick = niceStep(tmax_min / 5);
  const Tmax = Math.max(100, ...runs.flatMap((r) => r.segments.map((g) => Math.max(g.T0_C, g.T1_C))));
  const Ttick = niceStep(Tmax / 4);
  const panels = [
    { title: 'temperature program T (°C)', ymax: Math.ceil(Tmax / Ttick - 1e-9) * Ttick, tick: Ttick },
    { title: 'lithiated ─ · rock salt ╌ · void ┈ · open GB ─·', ymax: 1, tick: 0.25 },
  ];
  panels.forEach((p, k) => {
    const y0 = top + k * (ph + gap);
    const Y = (v: number) => y0 + ph - (v / p.ymax) * ph;
    gridStyle(ctx);
    for (let v = 0; v <= p.ymax + 1e-9; v += p.tick) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(W - right, y);
      ctx.stroke();
      ctx.fillText(p.ymax >= 10 ? v.toFixed(0) : String(Number(v.toFixed(2))), left - 4, y);
    }
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    for (let v = 0; v <= tmax_min + 1e-9; v += xTick) {
      const x = Math.round(X(v * 60)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y0 + ph);
      ctx.stroke();
      ctx.fillText(v.toFixed(0), x, y0 + ph + 3);
    }
    framePanel(ctx, left, y0, pw, ph, p.title);
    ctx.lineWidth = 2;
    for (const r of runs) {
      ctx.strokeStyle = r.color;
      if (k === 0) {
        ctx.setLineDash([]);
        ctx.beginPath();
        programPolyline(r.segments).forEach(([t, T], i) => (i ? ctx.lineTo(X(t), Y(T)) : ctx.moveTo(X(t), Y(T))));
        ctx.stroke();
        continue;
      }
      for (const c of CURVES) {
        ctx.setLineDash(c.dash);
        ctx.beginPath();
        r.records.forEach((rec, i) =>
          i ? ctx.lineTo(X(rec.time_s), Y(rec[c.key])) : ctx.moveTo(X(rec.time_s), Y(rec[c.key])),
        );
        ctx.stroke();
      }
    }
    ctx.setLineDash([]);
    if (cursor_s !== null) drawCursorLine(ctx, X(cursor_s), y0, ph);
    ctx.restore();
  });
  ctx.save();
  ctx.translate(0, -16);
  drawXLabelAndLegend(ctx, 'time (min)', [], left, right, W, H);
  ctx.restore();
  drawXLabelAndLegend(ctx, '', runs, left, right, W, H);
}
