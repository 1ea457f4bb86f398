/**
 * chemofrac in the browser: two particles side by side on one SoC timeline, each computed by its own engine
 * worker (comlink), drawn with three.js (Li site fraction or stress as a colour map, damaged grain boundaries in
 * dark red), with a live damage / x_std plot and exports.
 *
 * `App` is the page: the two config panels, the run slots, the viewport, the plot and the exports. The entry
 * (main.ts) creates it.
 */
import { ENGINE_VERSION } from '../../src/index.js';
import { drawColorbar } from './colormap.js';
import { ConfigPanel } from './config-panel.js';
import type { Variant } from './panel-fields.js';
import { EngineClient } from './engine-client.js';
import { download, historyCsv, safeName } from './export.js';
import { FIELD_COLORMAP, FIELD_LABELS, liRange, stressRange, type FieldMode } from './particle-layer.js';
import { drawPlot } from './plot.js';
import { RunState, type Snapshot } from './run-state.js';
import { Viewport } from './viewport.js';
import { fieldsVtu, interfacesVtu } from './vtu.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const COLORS = ['#e66101', '#5e3c99'] as const;
const SLOTS = ['A', 'B'] as const;

export class App {
  readonly panels: ConfigPanel[];
  readonly runs: RunState[];
  readonly clients: (EngineClient | null)[] = [null, null];
  readonly viewport: Viewport;
  mode: FieldMode = 'x';
  /** Li colour range: min–max of the shown particles (true) or 0–1 (false). */
  autoRange = true;
  /** Timeline position (SoC); null = follow the newest step of every run. */
  cursorSoc: number | null = null;
  playing = false;
  private range: [number, number] = [0, 1];
  private refreshQueued = false;
  private shownKeys: string[] = ['', ''];
  private running: Promise<void> | null = null;

  constructor() {
    this.panels = [new ConfigPanel('A', 'bare', COLORS[0]), new ConfigPanel('B', 'mf-coated', COLORS[1])];
    for (const p of this.panels) {
      $('slots').append(p.root);
      p.onChange = () => this.refresh();
    }
    this.runs = SLOTS.map((s, i) => new RunState(s, this.panels[i].label));
    this.viewport = new Viewport($('view'), 2);
    this.wireControls();
    $('engine-status').textContent = `engine ${ENGINE_VERSION} · WebAssembly in ${SLOTS.length} workers`;
    this.refresh();
  }

  private wireControls(): void {
    $('run').addEventListener('click', () => void this.startRuns());
    $('cancel').addEventListener('click', () => void this.cancel());
    $<HTMLSelectElement>('field').addEventListener('change', (e) =>
      this.setField((e.target as HTMLSelectElement).value as FieldMode),
    );
    $<HTMLSelectElement>('range').addEventListener('change', (e) => {
      this.autoRange = (e.target as HTMLSelectElement).value === 'auto';
      this.refresh();
    });
    const scrub = $<HTMLInputElement>('scrub');
    scrub.addEventListener('input', () => {
      $<HTMLInputElement>('follow').checked = false;
      this.playing = false;
      this.cursorSoc = (Number(scrub.value) / 1000) * this.socMax();
      this.refresh();
    });
    $<HTMLInputElement>('follow').addEventListener('change', (e) => {
      if ((e.target as HTMLInputElement).checked) {
        this.cursorSoc = null;
        this.playing = false;
      } else this.cursorSoc = this.currentSoc();
      this.refresh();
    });
    $('play').addEventListener('click', () => this.togglePlay());
    $('export-png').addEventListener('click', () => this.exportPng());
    $('export-csv').addEventListener('click', () => this.exportCsv());
    $('export-vtu').addEventListener('click', () => this.exportVtu());
    window.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === ' ') {
        e.preventDefault();
        this.togglePlay();
      }
    });
  }

  setField(mode: FieldMode): void {
    this.mode = mode;
    $<HTMLSelectElement>('field').value = mode;
    this.refresh();
  }

  /** Largest SoC reached by the runs on screen (the timeline's end). */
  socMax(): number {
    let m = 0;
    this.runs.forEach((r, i) => {
      if (this.panels[i].enabled && r.history.length) m = Math.max(m, r.lastSoc);
    });
    return m > 0 ? m : 1;
  }

  currentSoc(): number {
    return this.cursorSoc ?? this.socMax();
  }

  setSoc(soc: number | null): void {
    this.playing = false;
    this.cursorSoc = soc;
    $<HTMLInputElement>('follow').checked = soc === null;
    this.refresh();
  }

  togglePlay(): void {
    if (this.playing) {
      this.playing = false;
      this.refresh();
      return;
    }
    const end = this.socMax();
    if (this.cursorSoc === null || this.cursorSoc >= end - 1e-9) this.cursorSoc = 0;
    $<HTMLInputElement>('follow').checked = false;
    this.playing = true;
    let last = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      const dt = Math.min(0.1, (now - last) / 1000);
      last = now;
      const endNow = this.socMax();
      // the whole timeline in ≈ 8 s
      this.cursorSoc = Math.min(endNow, (this.cursorSoc ?? 0) + (dt * endNow) / 8);
      if (this.cursorSoc >= endNow - 1e-12) {
        this.playing = false;
        if (this.runs.some((r) => r.active)) {
          this.cursorSoc = null;
          $<HTMLInputElement>('follow').checked = true;
        }
      }
      this.refresh();
      if (this.playing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    this.refresh();
  }

  /** Validate, then run every enabled particle in its own worker. Resolves when all runs have ended. */
  async startRuns(): Promise<void> {
    if (this.running) await this.cancel();
    let bad = 0;
    for (const p of this.panels) bad += p.validate().length;
    if (bad) {
      $('run-status').textContent = 'Fix the highlighted parameters first.';
      return;
    }
    this.cursorSoc = null;
    this.playing = false;
    $<HTMLInputElement>('follow').checked = true;
    const loops: Promise<void>[] = [];
    this.panels.forEach((p, i) => {
      const run = this.runs[i];
      if (!p.enabled) {
        run.reset(p.label, null);
        run.status = 'idle';
        this.viewport.layers[i].clear();
        return;
      }
      const cfg = p.build();
      run.reset(p.label, cfg);
      const client = (this.clients[i] ??= new EngineClient(SLOTS[i]));
      loops.push(
        client.start(cfg, run, () => {
          if (run.status === 'error') p.showIssues(run.issues, run.issues.length ? '' : run.errorMessage);
          this.refresh();
        }),
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
    await Promise.all(
      this.runs.map((r, i) =>
        r.active && this.clients[i] ? this.clients[i]!.cancel(r, () => this.refresh()) : Promise.resolve(),
      ),
    );
    this.running = null;
    this.refresh();
  }

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
    return this.runs.map((r, i) => {
      if (!this.panels[i].enabled || !r.mesh) return null;
      return r.snapshotAtSoc(this.cursorSoc ?? r.lastSoc);
    });
  }

  private draw(): void {
    const snaps = this.shownSnapshots();
    // layers
    this.viewport.visible = this.panels.map((p) => p.enabled);
    const items = snaps.flatMap((s, i) => (s && this.runs[i].mesh ? [{ mesh: this.runs[i].mesh!, snap: s }] : []));
    $<HTMLSelectElement>('range').disabled = this.mode !== 'x';
    this.range = this.mode === 'x' ? liRange(items, this.autoRange) : stressRange(this.mode, items);
    let newMesh = false;
    snaps.forEach((s, i) => {
      const layer = this.viewport.layers[i];
      const run = this.runs[i];
      if (!run.mesh || !this.panels[i].enabled) {
        if (layer.mesh) layer.clear();
        this.shownKeys[i] = '';
        return;
      }
      if (layer.mesh !== run.mesh) {
        layer.setMesh(run.mesh);
        newMesh = true;
        this.shownKeys[i] = '';
      }
      const key = s ? `${run.started_ms}:${s.step}:${this.mode}:${this.range[0]}:${this.range[1]}` : '';
      if (s && key !== this.shownKeys[i]) {
        layer.update(s, this.mode, this.range);
        this.shownKeys[i] = key;
      }
    });
    // Fit the view whenever a particle's mesh arrives (both share one camera, so sizes compare directly).
    if (newMesh) this.viewport.resetView();
    this.viewport.invalidate();
    this.drawTitles(snaps);
    this.drawLegend();
    // timeline
    const socMax = this.socMax();
    const soc = this.currentSoc();
    const scrub = $<HTMLInputElement>('scrub');
    scrub.value = String(Math.round((1000 * Math.min(soc, socMax)) / socMax));
    $('play').textContent = this.playing ? '❚❚' : '▶';
    const parts = snaps.map((s, i) => (s ? `${SLOTS[i]} step ${s.step}` : '')).filter(Boolean);
    $('time-label').textContent = `SoC ${soc.toFixed(3)}${parts.length ? ' · ' + parts.join(' · ') : ''}`;
    // plot
    drawPlot(
      $<HTMLCanvasElement>('plot'),
      this.runs.flatMap((r, i) =>
        this.panels[i].enabled && r.history.length
          ? [{ label: `${SLOTS[i]}: ${r.label}`, color: COLORS[i], history: r.history }]
          : [],
      ),
      this.cursorSoc,
      socMax,
    );
    // status and buttons
    const active = this.runs.some((r) => r.active);
    $<HTMLButtonElement>('cancel').disabled = !active;
    $<HTMLButtonElement>('run').textContent = active ? 'Restart' : 'Run';
    $('run-status').textContent = this.runs
      .map((r, i) => (this.panels[i].enabled ? `${SLOTS[i]} ${r.label}: ${statusText(r)}` : ''))
      .filter(Boolean)
      .join('\n');
  }

  private drawTitles(snaps: (Snapshot | null)[]): void {
    const box = $('titles');
    const visible = this.panels.map((p, i) => (p.enabled ? i : -1)).filter((i) => i >= 0);
    while (box.children.length < visible.length) box.append(document.createElement('div'));
    while (box.children.length > visible.length) box.lastChild!.remove();
    visible.forEach((i, k) => {
      const div = box.children[k] as HTMLElement;
      div.className = 'title';
      div.innerHTML = '';
      const b = document.createElement('b');
      b.textContent = `${SLOTS[i]} · ${this.runs[i].label || this.panels[i].label}`;
      b.style.color = COLORS[i];
      div.append(b, document.createElement('br'), document.createTextNode(this.titleText(i, snaps[i])));
    });
  }

  titleText(i: number, s: Snapshot | null): string {
    const r = this.runs[i];
    if (!s || !r.mesh) return r.status === 'starting' ? 'meshing…' : r.status === 'error' ? 'error' : '';
    const rec = r.recordOf(s);
    const quarter = r.mesh.shape === 'quarter' ? ' · quarter, mirrored' : '';
    return rec
      ? `SoC ${s.soc.toFixed(3)} · step ${s.step} · D̄ ${rec.damage_mean.toFixed(4)} · cracked ${(100 * rec.cracked_fraction).toFixed(1)} %${quarter}`
      : `SoC ${s.soc.toFixed(3)} · step ${s.step}${quarter}`;
  }

  private drawLegend(): void {
    const c = $<HTMLCanvasElement>('colorbar');
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    if (c.width !== Math.round(360 * dpr)) {
      c.width = Math.round(360 * dpr);
      c.height = Math.round(52 * dpr);
    }
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, 360, 52);
    drawColorbar(ctx, FIELD_COLORMAP[this.mode], 8, 16, 340, 14, this.range[0], this.range[1], FIELD_LABELS[this.mode]);
  }

  /** The view with titles, colour bar and crack key, as one canvas (PNG export, tests). */
  composeImage(): HTMLCanvasElement {
    this.viewport.render();
    const src = this.viewport.canvas;
    const dpr = src.width / Math.max(1, src.clientWidth);
    const cw = src.clientWidth;
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
    const visible = this.panels.map((p, i) => (p.enabled ? i : -1)).filter((i) => i >= 0);
    visible.forEach((i, k) => {
      const x = (k * cw) / visible.length + 8;
      ctx.fillStyle = COLORS[i];
      ctx.font = 'bold 13px sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(`${SLOTS[i]} · ${this.runs[i].label}`, x, 6);
      ctx.fillStyle = '#222';
      ctx.font = '12px sans-serif';
      ctx.fillText(this.titleText(i, snaps[i]), x, 24);
    });
    drawColorbar(
      ctx,
      FIELD_COLORMAP[this.mode],
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

  exportPng(): void {
    this.composeImage().toBlob((b) => b && download(`chemofrac-soc${this.currentSoc().toFixed(3)}.png`, b));
  }

  exportCsv(): void {
    this.runs.forEach((r, i) => {
      if (this.panels[i].enabled && r.history.length)
        download(`${SLOTS[i]}-${safeName(r.label)}-history.csv`, historyCsv(r.history), 'text/csv');
    });
  }

  exportVtu(): void {
    const snaps = this.shownSnapshots();
    this.runs.forEach((r, i) => {
      const s = snaps[i];
      if (!s || !r.mesh) return;
      const n = String(s.step).padStart(4, '0');
      const base = `${SLOTS[i]}-${safeName(r.label)}`;
      download(`${base}-fields_${n}.vtu`, fieldsVtu(r.mesh, s), 'application/xml');
      download(`${base}-interfaces_${n}.vtu`, interfacesVtu(r.mesh, s), 'application/xml');
    });
  }

  /** Apply `?a=…&b=…&<field>=…&run=1`. */
  applyQuery(q: URLSearchParams): boolean {
    const a = q.get('a') as Variant | null;
    const b = q.get('b') as Variant | null;
    if (a) this.panels[0].setVariant(a);
    if (b) this.panels[1].setVariant(b);
    const values: Record<string, string> = {};
    for (const [k, v] of q) if (!['a', 'b', 'run', 'field'].includes(k)) values[k] = v;
    if (Object.keys(values).length) for (const p of this.panels) if (p.enabled) p.setValues(values);
    const field = q.get('field') as FieldMode | null;
    if (field) this.setField(field);
    return q.get('run') === '1';
  }
}

function statusText(r: RunState): string {
  const steps = Math.max(0, r.history.length - 1);
  const speed = r.stepsPerSecond ? ` · ${r.stepsPerSecond.toFixed(1)} steps/s` : '';
  switch (r.status) {
    case 'idle':
      return 'ready';
    case 'starting':
      return 'meshing and setting up…';
    case 'running':
      return `running · step ${steps} · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'done':
      return `done (${r.endReason}) · ${steps} steps · SoC ${r.lastSoc.toFixed(3)}${speed}`;
    case 'cancelled':
      return `cancelled at step ${steps} · SoC ${r.lastSoc.toFixed(3)}`;
    case 'error':
      return r.issues.length ? 'config error (see the fields)' : `failed: ${r.errorMessage}`;
  }
}
