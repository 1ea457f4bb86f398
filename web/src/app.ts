/**
 * chemofrac in the browser: up to four particles side by side on one timeline, each computed by its own engine
 * worker (engine-worker.ts), drawn with three.js (Li site fraction or stress as a colour map, damaged grain
 * boundaries in dark red), with a live damage / x_std plot and exports.
 *
 * `App` is the page: the config panels, the run slots, the viewport, the timeline, the plot and the exports. The
 * entry (main.ts) creates it.
 *
 * Data flow: each worker steps on its own and posts records and snapshots; a message only updates its slot's
 * `RunState` and asks for a redraw; `draw()` runs at most once per animation frame and shows the newest data.
 *
 * Timeline: the axis is SoC or time. A position shows every particle at the last snapshot it had reached there
 * (on a discharge, SoC falls: "reached" means SoC ≤ the position on a charge, ≥ on a discharge). In live mode the
 * position is the one every running particle has reached (the slowest one's newest snapshot), so all panels show
 * the same SoC and the label says which.
 */
import { ENGINE_VERSION, REFERENCE_VARIANTS, snapshotVtuText } from '../../src/index.js';
import { drawColorbar, type ColormapName } from './colormap.js';
import { ConfigPanel } from './config-panel.js';
import type { Variant } from './panel-fields.js';
import { EngineClient } from './engine-client.js';
import { cyclesCsv, download, historyCsv, safeName } from './export.js';
import { MovieRecorder } from './movie.js';
import { MechanismRunner, renderMechanismTable, type MechanismBase } from './mechanisms-view.js';
import { mountEnsembleView } from './ensemble-view.js';
import { SynthesisView } from './synthesis-view.js';
import { cycleSummary, drawCyclePlot, type CycleSeries } from './cycle-view.js';
import { composeFigure, DEFAULT_PLOT_PX, figureCssSize, figureScale, type FigureLayout } from './figure.js';
import { FIELD_COLORMAP, FIELD_LABELS, liRange, stressRange, type FieldMode } from './particle-layer.js';
import { AXIS_LABELS, drawPlot, hiDpiContext, plotSvg, type PlotAxis, type PlotSeries } from './plot.js';
import { RunState, type Snapshot } from './run-state.js';
import { Viewport } from './viewport.js';
import { queryFromApp, type AppQuery } from './url-state.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export const SLOTS = ['A', 'B', 'C', 'D'] as const;
export const COLORS = ['#e66101', '#5e3c99', '#1b9e77', '#d01c8b'] as const;
/** The four particles of `npm start` (`chemofrac compare`): REFERENCE_VARIANTS. */
export const DEFAULT_VARIANTS: Variant[] = [...REFERENCE_VARIANTS];
/** Height of the band under the view in a movie frame: colour bar and timeline position (CSS px). */
const MOVIE_BAND_PX = 48;
/** A panel's preview (mesh and initial state) is rebuilt this long after its last edit (ms). */
const PREVIEW_DELAY_MS = 500;

export class App {
  readonly panels: ConfigPanel[];
  readonly runs: RunState[];
  readonly clients: (EngineClient | null)[] = SLOTS.map(() => null);
  readonly viewport: Viewport;
  mode: FieldMode = 'x';
  /** Colour map of the Li site fraction (stresses: cividis). */
  liColormap: ColormapName = 'viridis';
  /** Colour range: 'auto' (shown min–max; stresses 1st–99th percentile), 'unit' (0–1, x only) or a fixed one. */
  rangeMode: 'auto' | 'unit' | 'fixed' = 'auto';
  fixedRange: [number, number] = [0, 1];
  /** Timeline axis and position (axis units); null = live. */
  axis: PlotAxis = 'soc';
  cursor: number | null = null;
  /** Cycling: the cycle whose end the cycling particles show (the cycle slider); null = the timeline decides. */
  cycleCursor: number | null = null;
  playing = false;
  /** A timeline play runs the whole timeline in this many seconds. */
  playDuration_s = 8;
  /** The mechanism decomposition's runs (mechanisms-view.ts). */
  readonly mechanisms = new MechanismRunner();
  /** K particles per design on all workers (ensemble-view.ts; builds its own controls in #ensemble-box). */
  readonly ensemble = mountEnsembleView();
  /** The synthesis view in the sidebar (synthesis-view.ts; wires its own controls). */
  readonly synthesis = new SynthesisView();
  /** The movie being recorded ("Record"), if any. */
  movie: MovieRecorder | null = null;
  private range: [number, number] = [0, 1];
  private refreshQueued = false;
  private shownKeys: string[] = SLOTS.map(() => '');
  private plotKey = '';
  private cycleKey = '';
  private running: Promise<void> | null = null;
  private previewTimers: number[] = SLOTS.map(() => 0);
  /** The user is typing a timeline position (the field is not overwritten meanwhile). */
  private editingCursor = false;
  /** A message that replaces the run status until the next start (e.g. why nothing started). */
  private statusNote = '';
  /** Called after every draw (URL state). */
  onDrawn: (() => void) | null = null;

  constructor(variants: Variant[] = DEFAULT_VARIANTS) {
    this.panels = SLOTS.map((s, i) => new ConfigPanel(s, variants[i] ?? 'none', COLORS[i]));
    this.panels.forEach((p, i) => {
      $('slots').append(p.root);
      p.onChange = () => {
        this.statusNote = '';
        this.schedulePreview(i);
        this.refresh();
      };
    });
    this.runs = SLOTS.map((s, i) => new RunState(s, this.panels[i].label));
    this.viewport = new Viewport($('view'), SLOTS.length);
    this.wireControls();
    $('engine-status').textContent =
      `engine ${ENGINE_VERSION} · WebAssembly, one worker per particle` +
      (this.viewport.software ? ' · software WebGL' : '');
    this.panels.forEach((_, i) => this.schedulePreview(i, 0));
    this.refresh();
  }

  private wireControls(): void {
    $('run').addEventListener('click', () => void this.startRuns());
    $('cancel').addEventListener('click', () => void this.cancel());
    $('pause').addEventListener('click', () => this.togglePause());
    $<HTMLSelectElement>('field').addEventListener('change', (e) =>
      this.setField((e.target as HTMLSelectElement).value as FieldMode),
    );
    $<HTMLSelectElement>('colormap').addEventListener('change', (e) => {
      this.liColormap = (e.target as HTMLSelectElement).value as ColormapName;
      this.refresh();
    });
    $<HTMLSelectElement>('range').addEventListener('change', (e) => {
      this.rangeMode = (e.target as HTMLSelectElement).value as App['rangeMode'];
      if (this.rangeMode === 'fixed') this.fixedRange = [...this.range];
      this.syncRangeInputs();
      this.refresh();
    });
    for (const [k, id] of [
      [0, 'range-min'],
      [1, 'range-max'],
    ] as const)
      $<HTMLInputElement>(id).addEventListener('change', (e) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (Number.isFinite(v)) this.fixedRange[k] = v;
        this.rangeMode = 'fixed';
        $<HTMLSelectElement>('range').value = 'fixed';
        this.refresh();
      });
    $<HTMLSelectElement>('axis').addEventListener('change', (e) =>
      this.setAxis((e.target as HTMLSelectElement).value as PlotAxis),
    );
    const scrub = $<HTMLInputElement>('scrub');
    scrub.addEventListener('input', () => {
      const [lo, hi] = this.timelineRange();
      this.setCursor(lo + (Number(scrub.value) / 1000) * (hi - lo));
    });
    const cursorInput = $<HTMLInputElement>('cursor-input');
    cursorInput.addEventListener('input', () => (this.editingCursor = true));
    cursorInput.addEventListener('change', () => {
      this.editingCursor = false;
      const v = Number(cursorInput.value);
      if (Number.isFinite(v) && cursorInput.value.trim() !== '') this.setCursor(v);
      else this.refresh();
    });
    $<HTMLInputElement>('follow').addEventListener('change', (e) => {
      if ((e.target as HTMLInputElement).checked) this.setCursor(null);
      else this.setCursor(this.currentPosition());
    });
    $('play').addEventListener('click', () => this.togglePlay());
    $('record').addEventListener('click', () => {
      if (this.movie)
        this.playing = false; // recordMovie ends with the play
      else
        void this.recordMovie().then((b) => b && download(`chemofrac-${this.axis === 'soc' ? 'soc' : 'time'}.webm`, b));
    });
    $('mech-run').addEventListener('click', () => void this.runMechanisms());
    $('mech-cancel').addEventListener('click', () => this.mechanisms.cancel());
    $('mech-csv').addEventListener('click', () => {
      const { runs, summary } = this.mechanisms.csv();
      download('mechanisms.csv', runs, 'text/csv');
      download('mechanisms-summary.csv', summary, 'text/csv');
    });
    const cycleSlider = $<HTMLInputElement>('cycle-slider');
    cycleSlider.addEventListener('input', () => this.setCycle(Number(cycleSlider.value)));
    $('cycle-newest').addEventListener('click', () => {
      this.cycleCursor = null;
      this.refresh();
    });
    $('export-png').addEventListener('click', () => this.exportPng());
    $('export-svg').addEventListener('click', () => this.exportPlotSvg());
    $<HTMLSelectElement>('figure-scale').addEventListener('change', (e) => {
      $<HTMLInputElement>('figure-width').hidden = (e.target as HTMLSelectElement).value !== 'width';
    });
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('export-vtu').addEventListener('click', () => this.exportVtu());
    window.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === ' ') {
        e.preventDefault();
        this.togglePlay();
      }
    });
    const view = $<HTMLCanvasElement>('view');
    view.addEventListener('pointermove', (e) => this.hover(e));
    view.addEventListener('pointerleave', () => ($('hover').hidden = true));
  }

  // ---------------------------------------------------------------- preview and runs

  /** Rebuild slot i's preview (mesh + initial state) after an edit, unless it is running. */
  private schedulePreview(i: number, delay = PREVIEW_DELAY_MS): void {
    clearTimeout(this.previewTimers[i]);
    this.previewTimers[i] = window.setTimeout(() => void this.preview(i), delay);
  }

  private async preview(i: number): Promise<void> {
    const p = this.panels[i];
    const run = this.runs[i];
    if (run.active || run.status === 'paused') return;
    if (!p.enabled) {
      run.reset(p.label, null);
      run.status = 'idle';
      this.refresh();
      return;
    }
    if (p.validate().length) return;
    const cfg = p.build();
    const client = (this.clients[i] ??= new EngineClient(SLOTS[i]));
    if (client.preparedKey === JSON.stringify(cfg) && run.status === 'ready') return;
    run.reset(p.label, cfg);
    this.refresh();
    await client.prepare(cfg, run, () => this.onRunUpdate(i));
  }

  private onRunUpdate(i: number): void {
    const run = this.runs[i];
    if (run.status === 'error') this.panels[i].showIssues(run.issues, run.issues.length ? '' : run.errorMessage);
    this.refresh();
  }

  /**
   * Validate every enabled particle (with the limits a run applies), then run each in its own worker. Nothing
   * starts while any particle has an invalid value. Resolves when all runs have ended.
   */
  async startRuns(): Promise<void> {
    if (this.running || this.runs.some((r) => r.active || r.status === 'paused')) await this.cancel();
    const bad: string[] = [];
    this.panels.forEach((p, i) => {
      for (const issue of p.validate()) bad.push(`${SLOTS[i]}: ${issue.key || 'config'}: ${issue.message}`);
    });
    if (bad.length) {
      this.statusNote = `Nothing started. Fix the highlighted parameters first:\n${bad.join('\n')}`;
      this.refresh();
      return;
    }
    this.statusNote = '';
    this.cursor = null;
    this.cycleCursor = null;
    this.playing = false;
    $<HTMLInputElement>('follow').checked = true;
    const loops: Promise<void>[] = [];
    this.panels.forEach((p, i) => {
      const run = this.runs[i];
      clearTimeout(this.previewTimers[i]);
      if (!p.enabled) {
        run.reset(p.label, null);
        run.status = 'idle';
        this.viewport.layers[i].clear();
        return;
      }
      const cfg = p.build();
      const client = (this.clients[i] ??= new EngineClient(SLOTS[i]));
      const reuse = client.preparedKey === JSON.stringify(cfg) && run.status === 'ready';
      loops.push(
        (async () => {
          if (!reuse) {
            run.reset(p.label, cfg);
            this.refresh();
            if (!(await client.prepare(cfg, run, () => this.onRunUpdate(i)))) return;
          }
          await client.start();
        })(),
      );
    });
    this.refresh();
    const all = Promise.all(loops).then(() => undefined);
    this.running = all;
    await all;
    if (this.running === all) this.running = null;
    this.refresh();
  }

  async cancel(): Promise<void> {
    // running, paused or still meshing for a run; a finished run or a preview is left as it is
    await Promise.all(
      this.clients.map((c, i) => {
        const r = this.runs[i];
        return c && (r.active || r.status === 'paused') ? c.cancel() : Promise.resolve();
      }),
    );
    this.running = null;
    this.refresh();
  }

  /** Pause every running particle (the workers stop stepping and keep their state), or resume them. */
  togglePause(): void {
    const anyRunning = this.runs.some((r) => r.status === 'running');
    this.clients.forEach((c) => (anyRunning ? c?.pause() : c?.resume()));
    this.refresh();
  }

  // ---------------------------------------------------------------- timeline

  setField(mode: FieldMode): void {
    this.mode = mode;
    $<HTMLSelectElement>('field').value = mode;
    this.refresh();
  }

  setAxis(axis: PlotAxis): void {
    if (axis === this.axis) return;
    // a cycling run's SoC goes up and down: it is shown on the time axis only
    if (axis === 'soc' && this.anyCycling()) {
      $<HTMLSelectElement>('axis').value = this.axis;
      return;
    }
    // keep the shown step: move the cursor to the same place on the new axis (via slot A's shown snapshot)
    const snap = this.cursor === null ? null : this.shownSnapshots().find((s) => s);
    this.axis = axis;
    $<HTMLSelectElement>('axis').value = axis;
    if (snap) this.cursor = axis === 'soc' ? snap.soc : snap.time_s;
    this.refresh();
  }

  /** Runs on screen that have stepped (their history is more than the initial state). */
  private steppedRuns(): RunState[] {
    return this.runs.filter((r, i) => this.panels[i].enabled && r.history.length > 1);
  }

  private pos(r: { soc: number; time_s: number }): number {
    return this.axis === 'soc' ? r.soc : r.time_s;
  }

  /** The timeline's [lo, hi] in axis units: every SoC (or time) the runs on screen went through. */
  timelineRange(): [number, number] {
    const runs = this.steppedRuns();
    if (!runs.length) return this.axis === 'soc' ? [0, 1] : [0, 1];
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of runs) {
      const a = this.pos(r.history[0]);
      const b = this.pos(r.history[r.history.length - 1]);
      lo = Math.min(lo, a, b);
      hi = Math.max(hi, a, b);
    }
    return hi > lo ? [lo, hi] : [lo, lo + 1e-6];
  }

  /**
   * Live position: the one every running (or paused) particle has reached, i.e. the slowest one's newest
   * snapshot; null when none is running (each shows its newest step) or when charges and discharges are mixed.
   */
  livePosition(): number | null {
    const active = this.runs.filter(
      (r, i) => this.panels[i].enabled && (r.status === 'running' || r.status === 'paused') && r.snapshots.length,
    );
    if (!active.length) return null;
    const dir = this.axis === 'soc' ? active[0].direction : 1;
    if (this.axis === 'soc' && active.some((r) => r.direction !== dir)) return null;
    const last = active.map((r) => this.pos(r.snapshots[r.snapshots.length - 1]));
    return dir > 0 ? Math.min(...last) : Math.max(...last);
  }

  /** The position shown: the cursor, or the live position, or (nothing running) the end of the timeline. */
  currentPosition(): number {
    if (this.cursor !== null) return this.cursor;
    const live = this.livePosition();
    if (live !== null) return live;
    const runs = this.steppedRuns();
    if (this.axis === 'soc' && runs.length && runs.every((r) => r.direction < 0)) return this.timelineRange()[0];
    return this.timelineRange()[1];
  }

  /** Any enabled slot holds a cycling run. */
  anyCycling(): boolean {
    return this.runs.some((r, i) => this.panels[i].enabled && r.cycling);
  }

  /** Cycling: show the end of cycle k on the cycling particles (the cycle slider; null = follow the timeline). */
  setCycle(k: number | null): void {
    this.playing = false;
    this.cycleCursor = k;
    this.refresh();
  }

  /** Move the timeline (axis units; null = live). */
  setCursor(v: number | null): void {
    this.playing = false;
    this.cycleCursor = null;
    if (v === null) this.cursor = null;
    else {
      const [lo, hi] = this.timelineRange();
      this.cursor = Math.min(hi, Math.max(lo, v));
    }
    $<HTMLInputElement>('follow').checked = this.cursor === null;
    this.refresh();
  }

  /** SoC entry (the test handle and the console): on the SoC axis. */
  setSoc(soc: number | null): void {
    this.setAxis('soc');
    this.setCursor(soc);
  }

  togglePlay(): void {
    if (this.playing) {
      this.playing = false;
      this.refresh();
      return;
    }
    this.cycleCursor = null;
    const [lo, hi] = this.timelineRange();
    const backwards = this.axis === 'soc' && this.steppedRuns().every((r) => r.direction < 0);
    const start = backwards ? hi : lo;
    const end = () => (backwards ? this.timelineRange()[0] : this.timelineRange()[1]);
    if (this.cursor === null || Math.abs(this.cursor - end()) < 1e-9 * Math.max(1, Math.abs(hi))) this.cursor = start;
    $<HTMLInputElement>('follow').checked = false;
    this.playing = true;
    let last = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      const dt = Math.min(0.1, (now - last) / 1000);
      last = now;
      const [a, b] = this.timelineRange();
      // the whole timeline in playDuration_s
      const step = (dt * (b - a)) / this.playDuration_s;
      const e = end();
      this.cursor = backwards ? Math.max(e, (this.cursor ?? b) - step) : Math.min(e, (this.cursor ?? a) + step);
      if (Math.abs(this.cursor - e) < 1e-12) {
        this.playing = false;
        if (this.runs.some((r) => r.active)) {
          this.cursor = null;
          $<HTMLInputElement>('follow').checked = true;
        }
      }
      this.refresh();
      if (this.playing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    this.refresh();
  }

  // ---------------------------------------------------------------- drawing

  /** Coalesce updates into one per animation frame. */
  refresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    requestAnimationFrame(() => {
      this.refreshQueued = false;
      this.draw();
    });
  }

  /** The snapshot each slot shows at the current timeline position. */
  shownSnapshots(): (Snapshot | null)[] {
    const cur = this.cursor ?? this.livePosition();
    return this.runs.map((r, i) => {
      if (!this.panels[i].enabled || !r.mesh) return null;
      if (this.cycleCursor !== null && r.cycling) {
        const s = r.snapshotAtCycle(this.cycleCursor);
        if (s) return s;
      }
      if (cur === null || r.history.length <= 1) return r.snapshots[r.snapshots.length - 1] ?? null;
      return this.axis === 'soc' ? r.snapshotAtSoc(cur) : r.snapshotAtTime(cur);
    });
  }

  private colormapOf(mode: FieldMode): ColormapName {
    return mode === 'x' ? this.liColormap : FIELD_COLORMAP[mode];
  }

  /** Main-thread time spent in draw() (ms, total) and the number of draws: the page's own cost per frame. */
  drawTotal_ms = 0;
  draws = 0;

  private lastDraw_ms = 0;
  private deferTimer = 0;

  /**
   * One draw per animation frame at most; while particles are running and the timeline is live, at most one per
   * `liveInterval_ms` (new snapshots arrive faster than anyone can read them, and with software WebGL every
   * redraw takes CPU from the engine workers). Scrubbing, pan and zoom are not throttled.
   */
  private draw(): void {
    const t0 = performance.now();
    const live = this.cursor === null && !this.playing && this.runs.some((r) => r.status === 'running');
    const wait = this.lastDraw_ms + this.liveInterval_ms - t0;
    if (live && wait > 0) {
      if (!this.deferTimer)
        this.deferTimer = window.setTimeout(() => {
          this.deferTimer = 0;
          this.refresh();
        }, wait);
      return;
    }
    this.lastDraw_ms = t0;
    this.drawInner();
    this.drawTotal_ms += performance.now() - t0;
    this.draws++;
  }

  /**
   * Live redraw interval (ms): 100 (200 with software WebGL), and at least 4× the time the browser needed to show
   * the last renders, capped at 2 s. On busy cores with software GL a render holds the compositor for up to a
   * second (the GPU process waits for a core); redrawing less often then keeps the page responsive in between.
   */
  get liveInterval_ms(): number {
    const base = this.viewport.software ? 200 : 100;
    return Math.min(2000, Math.max(base, 4 * this.viewport.presentLatency_ms));
  }

  private drawInner(): void {
    if (this.axis === 'soc' && this.anyCycling()) {
      this.axis = 'time_s';
      $<HTMLSelectElement>('axis').value = 'time_s';
      if (this.cursor !== null) this.cursor = null;
    }
    ($('axis').querySelector('option[value="soc"]') as HTMLOptionElement).disabled = this.anyCycling();
    const snaps = this.shownSnapshots();
    const visible = this.panels.map((p) => p.enabled);
    let viewChanged = visible.some((v, i) => v !== this.viewport.visible[i]);
    this.viewport.visible = visible;
    const items = snaps.flatMap((s, i) => (s && this.runs[i].mesh ? [{ mesh: this.runs[i].mesh!, snap: s }] : []));
    this.range =
      this.rangeMode === 'fixed'
        ? [...this.fixedRange]
        : this.mode === 'x'
          ? liRange(items, this.rangeMode === 'auto')
          : stressRange(this.mode, items);
    this.syncRangeInputs();
    let newMesh = false;
    const cmap = this.colormapOf(this.mode);
    snaps.forEach((s, i) => {
      const layer = this.viewport.layers[i];
      const run = this.runs[i];
      if (!run.mesh || !this.panels[i].enabled) {
        if (layer.mesh) {
          layer.clear();
          viewChanged = true;
        }
        this.shownKeys[i] = '';
        return;
      }
      if (layer.mesh !== run.mesh) {
        layer.setMesh(run.mesh);
        newMesh = true;
        this.shownKeys[i] = '';
      }
      const key = s
        ? `${run.started_ms}:${s.step}:${s.soc}:${this.mode}:${cmap}:${this.range[0]}:${this.range[1]}`
        : '';
      if (s && key !== this.shownKeys[i]) {
        layer.update(s, this.mode, this.range, cmap);
        this.shownKeys[i] = key;
        viewChanged = true;
      }
    });
    // Fit the view whenever a particle's mesh arrives (all share one camera, so sizes compare directly).
    if (newMesh) this.viewport.resetView();
    if (viewChanged || newMesh) this.viewport.invalidate();
    this.drawTitles(snaps);
    this.drawLegend();
    this.drawTimeline(snaps);
    this.drawCycles();
    this.drawStatus();
    this.onDrawn?.();
  }

  private drawTimeline(snaps: (Snapshot | null)[]): void {
    const [lo, hi] = this.timelineRange();
    const stepped = this.steppedRuns().length > 0;
    const pos = this.currentPosition();
    const scrub = $<HTMLInputElement>('scrub');
    scrub.disabled = !stepped;
    scrub.value = String(Math.round((1000 * (Math.min(hi, Math.max(lo, pos)) - lo)) / (hi - lo)));
    $('play').textContent = this.playing ? '❚❚' : '▶';
    const input = $<HTMLInputElement>('cursor-input');
    $('cursor-label').textContent = AXIS_LABELS[this.axis];
    input.disabled = !stepped;
    if (!this.editingCursor) input.value = stepped ? fmtPos(this.axis, pos) : '';
    const live = this.cursor === null;
    const livePos = this.livePosition();
    const parts = snaps
      .map((s, i) =>
        s && this.runs[i].history.length > 1
          ? `${SLOTS[i]} step ${s.step} (${this.axis === 'soc' ? `SoC ${s.soc.toFixed(3)}` : `${s.time_s.toFixed(0)} s`})`
          : '',
      )
      .filter(Boolean);
    let head: string;
    if (!stepped) head = 'not run yet · initial states shown';
    else if (this.cycleCursor !== null && this.anyCycling())
      head = `cycle slider: the cycling particles at the end of cycle ${this.cycleCursor}`;
    else if (!live) head = `${AXIS_LABELS[this.axis]} ${fmtPos(this.axis, pos)}`;
    else if (livePos !== null)
      head = `live · ${AXIS_LABELS[this.axis]} ${fmtPos(this.axis, livePos)} (reached by every running particle)`;
    else head = 'live · each particle at its newest step';
    $('time-label').textContent = head + (parts.length ? ' · ' + parts.join(' · ') : '');
    // plot (redrawn only when something it shows changed)
    const series = this.plotSeries();
    const plot = $<HTMLCanvasElement>('plot');
    const cursor = live ? livePos : pos;
    const key = [
      series.map((s) => `${s.label}:${s.history.length}`).join(','),
      this.axis,
      lo,
      hi,
      cursor,
      plot.clientWidth,
      plot.clientHeight,
    ].join('|');
    if (key !== this.plotKey) {
      this.plotKey = key;
      drawPlot(plot, series, stepped ? cursor : null, this.axis, lo, hi);
    }
  }

  /** Cycling: the slider, the per-cycle plot (retention and D̄ against the cycle) and the shown cycle's rows. */
  private drawCycles(): void {
    const idx = this.runs.flatMap((r, i) => (this.panels[i].enabled && r.cycling ? [i] : []));
    const box = $('cycles');
    box.hidden = idx.length === 0;
    if (!idx.length) return;
    const total = Math.max(1, ...idx.map((i) => this.runs[i].config?.loading.cycles ?? 1));
    const newest = Math.max(0, ...idx.map((i) => this.runs[i].cycles.length));
    const shown = this.cycleCursor ?? Math.max(1, newest);
    const slider = $<HTMLInputElement>('cycle-slider');
    slider.max = String(total);
    slider.disabled = newest === 0;
    if (document.activeElement !== slider) slider.value = String(shown);
    $('cycle-label').textContent =
      newest === 0
        ? 'no cycle completed yet'
        : `${this.cycleCursor === null ? 'following the timeline · ' : ''}cycle ${shown} of ${total}`;
    const rows = idx
      .map((i) => {
        const r = this.runs[i];
        const row = r.cycles.find((c) => c.cycle === shown);
        return `${SLOTS[i]} ${r.label}: ${row ? cycleSummary(row) : `cycle ${shown} not reached`}`;
      })
      .join('\n');
    const rowsEl = $('cycle-rows');
    if (rowsEl.textContent !== rows) rowsEl.textContent = rows;
    const series = this.cycleSeries();
    const canvas = $<HTMLCanvasElement>('cycle-plot');
    const key = [
      series.map((s) => `${s.label}:${s.cycles.length}`).join(','),
      this.cycleCursor,
      canvas.clientWidth,
      canvas.clientHeight,
    ].join('|');
    if (key !== this.cycleKey) {
      this.cycleKey = key;
      drawCyclePlot(canvas, series, this.cycleCursor);
    }
  }

  /** The cycle plot's series: one per enabled cycling slot. */
  cycleSeries(): CycleSeries[] {
    return this.runs.flatMap((r, i) =>
      this.panels[i].enabled && r.cycling
        ? [
            {
              label: `${SLOTS[i]}: ${r.label}`,
              color: COLORS[i],
              cycles: r.cycles,
              total: r.config?.loading.cycles ?? 1,
            },
          ]
        : [],
    );
  }

  /** The history plot's series: one per enabled slot with records. */
  plotSeries(): PlotSeries[] {
    return this.runs.flatMap((r, i) =>
      this.panels[i].enabled && r.history.length
        ? [{ label: `${SLOTS[i]}: ${r.label}`, color: COLORS[i], history: r.history }]
        : [],
    );
  }

  private drawStatus(): void {
    const active = this.runs.some((r) => r.active);
    const paused = this.runs.some((r) => r.status === 'paused');
    $<HTMLButtonElement>('cancel').disabled = !(active || paused);
    const pause = $<HTMLButtonElement>('pause');
    pause.disabled = !this.runs.some((r) => r.status === 'running' || r.status === 'paused');
    pause.textContent = !this.runs.some((r) => r.status === 'running') && paused ? 'Resume' : 'Pause';
    $<HTMLButtonElement>('run').textContent = active || paused ? 'Restart' : 'Run';
    const text = this.runs
      .map((r, i) => (this.panels[i].enabled ? `${SLOTS[i]} ${r.label}: ${statusText(r)}` : ''))
      .filter(Boolean)
      .join('\n');
    const el = $('run-status');
    const shown = this.statusNote || text;
    if (el.textContent !== shown) el.textContent = shown;
  }

  private syncRangeInputs(): void {
    for (const [k, id] of [
      [0, 'range-min'],
      [1, 'range-max'],
    ] as const) {
      const input = $<HTMLInputElement>(id);
      input.disabled = this.rangeMode !== 'fixed';
      if (document.activeElement !== input)
        input.value = String(Number((this.rangeMode === 'fixed' ? this.fixedRange : this.range)[k].toPrecision(4)));
    }
    $<HTMLSelectElement>('colormap').disabled = this.mode !== 'x';
  }

  private drawTitles(snaps: (Snapshot | null)[]): void {
    const box = $('titles');
    const visible = this.panels.map((p, i) => (p.enabled ? i : -1)).filter((i) => i >= 0);
    const rects = this.titleRects();
    while (box.children.length < visible.length) box.append(document.createElement('div'));
    while (box.children.length > visible.length) box.lastChild!.remove();
    visible.forEach((i, k) => {
      const div = box.children[k] as HTMLElement;
      const head = `${SLOTS[i]} · ${this.runs[i].label || this.panels[i].label}`;
      const body = this.titleText(i, snaps[i]);
      const r = rects[i];
      const style = `left:${r.x}px;top:${r.y}px;width:${r.w}px`;
      if (div.dataset.key === head + body + style) return;
      div.dataset.key = head + body + style;
      div.className = 'title';
      div.setAttribute('style', style);
      div.innerHTML = '';
      const b = document.createElement('b');
      b.textContent = head;
      b.style.color = COLORS[i];
      div.append(b, document.createElement('br'), document.createTextNode(body));
    });
  }

  /** CSS-pixel boxes (top-left origin) of the slots' viewports, for the titles. */
  private titleRects(): { x: number; y: number; w: number }[] {
    const c = this.viewport.canvas;
    const H = c.clientHeight;
    return this.viewport.viewportRects().map((q) => ({ x: q.x, y: H - q.y - q.h, w: q.w }));
  }

  titleText(i: number, s: Snapshot | null): string {
    const r = this.runs[i];
    if (!s || !r.mesh)
      return r.status === 'starting' ? 'meshing…' : r.status === 'error' ? 'error (see its panel)' : '';
    const quarter = r.mesh.shape === 'quarter' ? ' · quarter, mirrored' : '';
    if (r.history.length <= 1 && r.status === 'ready')
      return `not run yet · mesh ${r.mesh.grainCount} grains, ${r.mesh.triCount} triangles · SoC ${s.soc.toFixed(3)}${quarter}`;
    const rec = r.recordOf(s);
    if (s.cycle !== undefined && this.cycleCursor !== null) {
      const k = this.cycleCursor;
      const row = r.cycles.find((c) => c.cycle === s.cycle);
      const head =
        `end of cycle ${s.cycle}` +
        (k > s.cycle ? ` (cycle ${k} ${k <= r.cycles.length ? 'jumped over' : 'not reached'})` : '');
      const jump = s.damageAtCycle !== undefined ? ` · damage extrapolated to cycle ${s.damageAtCycle} (jump)` : '';
      return row
        ? `${head} · retention ${row.retention.toFixed(4)} · D̄ ${row.damage_mean.toFixed(4)} · ${row.class}${jump}${quarter}`
        : `${head}${jump}${quarter}`;
    }
    return rec
      ? `SoC ${s.soc.toFixed(3)} · ${s.time_s.toFixed(0)} s · step ${s.step} · D̄ ${rec.damage_mean.toFixed(4)} · cracked ${(100 * rec.cracked_fraction).toFixed(1)} %${quarter}`
      : `SoC ${s.soc.toFixed(3)} · step ${s.step}${quarter}`;
  }

  private drawLegend(): void {
    const c = $<HTMLCanvasElement>('colorbar');
    const ctx = hiDpiContext(c, 360, 52);
    ctx.clearRect(0, 0, 360, 52);
    drawColorbar(
      ctx,
      this.colormapOf(this.mode),
      8,
      16,
      340,
      14,
      this.range[0],
      this.range[1],
      FIELD_LABELS[this.mode],
    );
  }

  /** Hover: the grain under the pointer (id, orientation, mean x over its triangles) of the shown snapshot. */
  private hover(e: PointerEvent): void {
    const tip = $('hover');
    const b = this.viewport.canvas.getBoundingClientRect();
    const p = this.viewport.pick(e.clientX - b.left, e.clientY - b.top);
    const snaps = this.shownSnapshots();
    const run = p ? this.runs[p.layer] : null;
    const s = p ? snaps[p.layer] : null;
    const info = p && run?.mesh && s ? this.viewport.layers[p.layer].describeAt(p.x_um, p.y_um, s) : null;
    if (!info) {
      tip.hidden = true;
      return;
    }
    tip.hidden = false;
    tip.textContent = `${SLOTS[p!.layer]} · ${info}`;
    tip.style.left = `${e.clientX - b.left + 14}px`;
    tip.style.top = `${e.clientY - b.top + 14}px`;
  }

  // ---------------------------------------------------------------- exports

  /** The view with titles, colour bar and crack key, as one canvas (PNG export, tests). */
  composeImage(): HTMLCanvasElement {
    // Render and read in the same task: the drawing buffer is not preserved between frames.
    this.viewport.render();
    const src = this.viewport.canvas;
    const dpr = src.width / Math.max(1, src.clientWidth);
    const ch = src.clientHeight;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = Math.round((ch + 64) * dpr);
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const snaps = this.shownSnapshots();
    const rects = this.titleRects();
    this.panels.forEach((p, i) => {
      if (!p.enabled) return;
      const r = rects[i];
      ctx.fillStyle = COLORS[i];
      ctx.font = 'bold 13px sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(`${SLOTS[i]} · ${this.runs[i].label}`, r.x + 8, r.y + 6);
      ctx.fillStyle = '#222';
      ctx.font = '12px sans-serif';
      ctx.fillText(this.titleText(i, snaps[i]), r.x + 8, r.y + 24, Math.max(40, r.w - 16));
    });
    drawColorbar(
      ctx,
      this.colormapOf(this.mode),
      10,
      ch + 20,
      300,
      14,
      this.range[0],
      this.range[1],
      FIELD_LABELS[this.mode],
    );
    ctx.fillStyle = '#800005';
    ctx.fillRect(340, ch + 25, 28, 4);
    ctx.fillStyle = '#222';
    ctx.font = '12px sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText('grain-boundary damage D', 374, ch + 27);
    return out;
  }

  /**
   * The figure (figure.ts): the particles rendered off-screen at `req.scale` × the on-screen size (or to a PNG
   * `req.width_px` wide), titles, colour bar with field, units and range, crack key, µm scale bar and the history
   * plot. The live view is not touched (render target, read back in this task).
   */
  composeFigure(req: { scale?: number; width_px?: number } = {}): { canvas: HTMLCanvasElement; layout: FigureLayout } {
    const c = this.viewport.canvas;
    const plotEl = $<HTMLCanvasElement>('plot');
    const plotH = plotEl.clientHeight > 40 ? plotEl.clientHeight : DEFAULT_PLOT_PX;
    const cycleSeries = this.cycleSeries();
    const cyclesEl = $<HTMLCanvasElement>('cycle-plot');
    const cyclesH = cycleSeries.length ? Math.max(180, cyclesEl.clientHeight) : null;
    const [cssW] = figureCssSize(c.clientWidth, c.clientHeight, plotH, cyclesH);
    const scale = figureScale(req, cssW);
    const snaps = this.shownSnapshots();
    const rects = this.titleRects();
    const [lo, hi] = this.timelineRange();
    const stepped = this.steppedRuns().length > 0;
    const live = this.cursor === null;
    return composeFigure(
      {
        view: this.viewport.renderImage(scale),
        viewWidth: c.clientWidth,
        viewHeight: c.clientHeight,
        titles: this.panels.flatMap((p, i) =>
          p.enabled
            ? [
                {
                  ...rects[i],
                  color: COLORS[i],
                  head: `${SLOTS[i]} · ${this.runs[i].label}`,
                  body: this.titleText(i, snaps[i]),
                },
              ]
            : [],
        ),
        colormap: this.colormapOf(this.mode),
        range: [...this.range],
        fieldLabel: this.mode === 'x' ? `${FIELD_LABELS.x} (–)` : FIELD_LABELS[this.mode],
        umPerPx: this.viewport.umPerPx(),
        plot: {
          series: this.plotSeries(),
          cursor: stepped ? (live ? this.livePosition() : this.currentPosition()) : null,
          axis: this.axis,
          lo,
          hi,
          height: plotH,
        },
        cycles: cyclesH ? { series: cycleSeries, cursor: this.cycleCursor, height: cyclesH } : null,
      },
      scale,
    );
  }

  /** The figure request of the export controls: a scale (1×, 2×, 4×) or a PNG width in px. */
  figureRequest(): { scale?: number; width_px?: number } {
    const v = $<HTMLSelectElement>('figure-scale').value;
    if (v === 'width') return { width_px: Number($<HTMLInputElement>('figure-width').value) };
    return { scale: Number(v) };
  }

  private positionTag(): string {
    return this.axis === 'soc'
      ? `soc${fmtPos('soc', this.currentPosition())}`
      : `t${this.currentPosition().toFixed(0)}s`;
  }

  exportPng(): void {
    const note = $('export-note');
    note.textContent = '';
    let fig: ReturnType<App['composeFigure']>;
    try {
      fig = this.composeFigure(this.figureRequest());
    } catch (e) {
      note.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    const { canvas, layout } = fig;
    canvas.toBlob((b) => {
      if (!b) {
        note.textContent = `the browser could not encode a ${layout.width} × ${layout.height} px PNG`;
        return;
      }
      download(`chemofrac-${this.positionTag()}-${layout.width}x${layout.height}.png`, b);
      note.textContent = `figure ${layout.width} × ${layout.height} px (${Number(layout.scale.toPrecision(3))}×)`;
    }, 'image/png');
  }

  /** The history plot as SVG (vector paths, axis labels, legend), at the plot's on-screen width. */
  plotSvgText(): string {
    const plotEl = $<HTMLCanvasElement>('plot');
    const [lo, hi] = this.timelineRange();
    // the on-screen width; at least 360 px tall (the live plot is often flatter than a figure wants)
    const W = plotEl.clientWidth > 200 ? plotEl.clientWidth : 720;
    const H = Math.max(360, plotEl.clientHeight);
    return plotSvg(this.plotSeries(), this.axis, lo, hi, W, H);
  }

  exportPlotSvg(): void {
    download(`chemofrac-plot-${this.axis === 'soc' ? 'soc' : 'time'}.svg`, this.plotSvgText(), 'image/svg+xml');
  }

  exportCsv(): void {
    this.runs.forEach((r, i) => {
      if (!this.panels[i].enabled || !r.history.length) return;
      download(`${SLOTS[i]}-${safeName(r.label)}-history.csv`, historyCsv(r.history, r.cycling), 'text/csv');
      if (r.cycles.length) download(`${SLOTS[i]}-${safeName(r.label)}-cycles.csv`, cyclesCsv(r.cycles), 'text/csv');
    });
  }

  exportVtu(): void {
    const snaps = this.shownSnapshots();
    this.runs.forEach((r, i) => {
      const s = snaps[i];
      if (!s || !r.mesh) return;
      const n = String(s.step).padStart(4, '0');
      const base = `${SLOTS[i]}-${safeName(r.label)}`;
      // the same files the CLI writes (src/io/snapshot-vtu.ts)
      const vtu = snapshotVtuText(r.mesh, s);
      download(`${base}-fields_${n}.vtu`, vtu.fields, 'application/xml');
      download(`${base}-interfaces_${n}.vtu`, vtu.interfaces, 'application/xml');
    });
  }

  // ---------------------------------------------------------------- mechanisms

  /**
   * The mechanism decomposition on engine workers (mechanisms-view.ts): every variant × seed of the seeds field
   * on the chosen particle, at most as many at a time as the machine has cores (≤ 4); the table fills in as runs
   * finish. `seeds` / `base` override the fields. Resolves with the rows, or null when the seeds are invalid.
   */
  async runMechanisms(opts: { seeds?: number[]; base?: MechanismBase } = {}) {
    const status = $('mech-status');
    const text = $<HTMLInputElement>('mech-seeds').value;
    const seeds =
      opts.seeds ??
      text
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number);
    if (!seeds.length || seeds.some((s) => !Number.isInteger(s)) || new Set(seeds).size !== seeds.length) {
      status.textContent = `seeds: got "${text}"; allowed: distinct integers separated by commas, e.g. 7, 11`;
      return null;
    }
    const base = opts.base ?? ($<HTMLSelectElement>('mech-base').value as MechanismBase);
    const workers = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
    const show = () => {
      const m = this.mechanisms;
      renderMechanismTable($('mech-table'), m.summary);
      const failed = m.runs.filter((r) => r.status !== 'completed');
      status.textContent =
        `${m.runs.length} / ${m.total} runs${m.running ? ` (${workers} at a time)` : ' done'} · ` +
        `${(m.wall_ms / 1000).toFixed(1)} s` +
        (failed.length
          ? ` · not completed: ${failed.map((r) => `seed ${r.seed} ${r.variant}: ${r.status}`).join('; ')}`
          : '');
      $<HTMLButtonElement>('mech-cancel').disabled = !m.running;
      $<HTMLButtonElement>('mech-csv').disabled = m.runs.length === 0;
    };
    ($('mechanisms-box') as HTMLDetailsElement).open = true;
    const rows = this.mechanisms.run(seeds, base, workers, show);
    show();
    return rows;
  }

  // ---------------------------------------------------------------- movie

  /**
   * "Record": play the timeline from its start and record the view (particles, titles, colour bar, position) as
   * WebM (movie.ts) until the play ends or is stopped; resolves with the movie (null when nothing can be played
   * or recorded, with the reason under the export buttons). The movie's length is the play's: `playDuration_s`.
   */
  async recordMovie(): Promise<Blob | null> {
    const note = $('export-note');
    if (this.movie) return null;
    if (!this.steppedRuns().length) {
      note.textContent = 'Record: run a particle first (the movie plays its timeline).';
      return null;
    }
    const seconds = Number($<HTMLInputElement>('movie-seconds').value);
    if (Number.isFinite(seconds) && seconds >= 1 && seconds <= 600) this.playDuration_s = seconds;
    const c = this.viewport.canvas;
    const dpr = c.width / Math.max(1, c.clientWidth);
    let movie: MovieRecorder;
    try {
      movie = new MovieRecorder(c.width, Math.round((c.clientHeight + MOVIE_BAND_PX) * dpr));
    } catch (e) {
      note.textContent = e instanceof Error ? e.message : String(e);
      return null;
    }
    this.movie = movie;
    note.textContent = 'recording…';
    $('record').textContent = '■ Stop';
    const previous = this.viewport.onRender;
    this.viewport.onRender = () => {
      previous?.();
      this.addMovieFrame(movie, dpr);
    };
    if (this.playing) this.playing = false;
    this.cursor = null; // play from the start
    this.togglePlay();
    this.viewport.invalidate();
    while (this.playing) await new Promise((ok) => setTimeout(ok, 50));
    // the last position's frame
    this.viewport.render();
    this.viewport.onRender = previous;
    const blob = await movie.stop();
    this.movie = null;
    $('record').textContent = '● Record';
    note.textContent = `movie: ${movie.frames} frames, ${(blob.size / 1e6).toFixed(2)} MB (${blob.type})`;
    this.lastMovie = { frames: movie.frames, size: blob.size, type: blob.type };
    return blob;
  }

  /** The last recorded movie's frame count, size and type (tests). */
  lastMovie: { frames: number; size: number; type: string } | null = null;

  /** One movie frame: the WebGL canvas (just rendered, same task), titles, colour bar and the position. */
  private addMovieFrame(movie: MovieRecorder, dpr: number): void {
    const src = this.viewport.canvas;
    const ch = src.clientHeight;
    const snaps = this.shownSnapshots();
    const rects = this.titleRects();
    movie.addFrame((ctx) => {
      ctx.drawImage(src, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      this.panels.forEach((p, i) => {
        if (!p.enabled) return;
        const r = rects[i];
        ctx.fillStyle = COLORS[i];
        ctx.font = 'bold 13px sans-serif';
        ctx.fillText(`${SLOTS[i]} · ${this.runs[i].label}`, r.x + 8, r.y + 6);
        ctx.fillStyle = '#222';
        ctx.font = '12px sans-serif';
        ctx.fillText(this.titleText(i, snaps[i]), r.x + 8, r.y + 24, Math.max(40, r.w - 16));
      });
      const label = this.mode === 'x' ? `${FIELD_LABELS.x} (–)` : FIELD_LABELS[this.mode];
      drawColorbar(ctx, this.colormapOf(this.mode), 10, ch + 20, 260, 12, this.range[0], this.range[1], label);
      ctx.fillStyle = '#222';
      ctx.font = '13px sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(`${AXIS_LABELS[this.axis]} ${fmtPos(this.axis, this.currentPosition())}`, 300, ch + 26);
    });
  }

  // ---------------------------------------------------------------- URL state

  /** Apply a parsed query (url-state.ts): per-slot particle types and fields, view options; true = run now. */
  applyQuery(q: AppQuery): boolean {
    q.slots.forEach((s, i) => {
      if (!s) return;
      if (s.variant) this.panels[i].setVariant(s.variant);
      if (Object.keys(s.values).length) this.panels[i].setValues(s.values);
    });
    if (q.field) this.setField(q.field);
    if (q.axis) this.setAxis(q.axis);
    if (q.colormap) {
      this.liColormap = q.colormap;
      $<HTMLSelectElement>('colormap').value = q.colormap;
    }
    if (q.range) {
      this.rangeMode = 'fixed';
      this.fixedRange = q.range;
      $<HTMLSelectElement>('range').value = 'fixed';
    }
    if (q.problems.length) $('query-note').textContent = q.problems.join(' ');
    return q.run;
  }

  /** The query that reproduces the page's settings (for the address bar; shareable). */
  toQuery(): string {
    return queryFromApp(this);
  }
}

function fmtPos(axis: PlotAxis, v: number): string {
  return axis === 'soc' ? v.toFixed(3) : v.toFixed(0);
}

function statusText(r: RunState): string {
  const steps = Math.max(0, r.history.length - 1);
  const speed = r.stepsPerSecond
    ? ` · ${r.stepsPerSecond.toFixed(1)} steps/s (worker busy ${(100 * r.busyFraction).toFixed(0)} %)`
    : '';
  switch (r.status) {
    case 'idle':
      return 'nothing set up';
    case 'starting':
      return 'meshing and setting up…';
    case 'ready':
      return `not run yet (mesh ready in ${(r.setup_ms / 1000).toFixed(1)} s)`;
    case 'running':
      return `running · step ${steps} · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'paused':
      return `paused at step ${steps} · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'done':
      return `done (${r.endReason}) · ${steps} steps · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'cancelled':
      return `cancelled at step ${steps} · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'error':
      return r.issues.length ? 'config error (see the fields)' : `failed: ${r.errorMessage}`;
  }
}
