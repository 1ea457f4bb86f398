/**
 * The ensemble view: K microstructures per design (bare, MF-coated, gradient-porous, dense-porous; seeds
 * seed_start … seed_start + K − 1) on a pool of engine workers, with the class fractions and the distribution of
 * the final mean grain-boundary damage D̄ per design, live as particles finish.
 *
 * The cases are the ones `chemofrac sweep` builds for the same sweep (`designEnsembleSweep` → `parseInlineSweepSpec`
 * → `expandCasesAsyncHash`: same configs, same case hashes); each worker runs one case (worker-run.ts, the app's
 * engine-worker.ts) and the finished run becomes the sweep's row with the library's `caseResult`. The counts,
 * Wilson intervals and histograms are the library's (`classCounts`, `wilsonInterval`, `histogram`), and CSV writes
 * the sweep's own sweep.csv and ensemble.csv (`sweepCsv`, `ensembleCsv`) — nothing is recomputed on the page.
 */
import {
  PARTICLE_CLASSES,
  REFERENCE_VARIANTS,
  axisKeys,
  caseResult,
  classCounts,
  designEnsembleSweep,
  ensembleCsv,
  expandCasesAsyncHash,
  histogram,
  parseInlineSweepSpec,
  sweepCsv,
  wilsonInterval,
  type CaseResult,
  type ClassCounts,
  type ParticleClass,
  type ReferenceVariant,
  type SweepCase,
} from '../../src/index.js';
import { download } from './export.js';
import { headedTable } from './dom-table.js';
import { framePanel, gridStyle, hiDpiContext } from './plot.js';
import { PARTICLE_BASES, WorkerPool, type ParticleBase, type WorkerRunResult } from './worker-run.js';

/** The particle every case starts from: the small one (seconds per run) or the reference comparison's (minutes). */
export type EnsembleBase = ParticleBase;

/** More workers than this rarely pay in a browser tab (memory per worker, the page's own thread). */
export const MAX_ENSEMBLE_WORKERS = 8;

/** Workers by default: one per core the browser reports, at most MAX_ENSEMBLE_WORKERS. */
export function defaultEnsembleWorkers(): number {
  return Math.max(1, Math.min(MAX_ENSEMBLE_WORKERS, navigator.hardwareConcurrency || 2));
}

export interface EnsembleRequest {
  designs: ReferenceVariant[];
  /** Replicates per design (K). */
  count: number;
  seed_start: number;
  base: EnsembleBase;
  workers: number;
}

export const DEFAULT_ENSEMBLE: EnsembleRequest = {
  designs: ['bare', 'mf-coated'],
  count: 4,
  seed_start: 1,
  base: 'small',
  workers: 2,
};

/** Bins of the D̄ histogram; its range is [0, the smallest of 0.1, 0.2, 0.5, 1 that holds every D̄ so far]. */
export const HISTOGRAM_BINS = 10;

export interface ClassFraction {
  class: ParticleClass;
  count: number;
  fraction: number;
  /** Wilson 95 % interval of the fraction. */
  lower: number;
  upper: number;
}

export interface DesignSummary {
  design: ReferenceVariant;
  replicates: number;
  /** Cases with a result (completed, failed or interrupted). */
  finished: number;
  completed: number;
  counts: ClassCounts;
  fractions: ClassFraction[];
  /** Final D̄ (damage_mean at the end) of the completed particles, in case order. */
  damage_end: number[];
  histogram: { counts: number[]; edges: number[]; outside: number };
}

export interface EnsembleThroughput {
  finished: number;
  total: number;
  running: number;
  wall_s: number;
  /** Completed particles per minute of wall time since Run. */
  particles_per_min: number;
  /** Steps of all workers (finished and running) per wall second since Run. */
  steps_per_s: number;
}

export class EnsembleRunner {
  request: EnsembleRequest | null = null;
  cases: SweepCase[] = [];
  axes: string[] = [];
  /** Results by case hash (the sweep's layout: `sweepCsv` / `ensembleCsv` read it). */
  readonly results = new Map<string, { result: CaseResult; runDir: string }>();
  running = false;
  /** The last run was stopped by Cancel. */
  cancelled = false;
  wall_ms = 0;
  /** Case list or config problem of the last request (shown under the buttons). */
  error = '';
  private t0 = 0;
  private stepsFinished = 0;
  private pool = new WorkerPool();
  /** Counts runs, so that the lanes of a replaced run write nothing. */
  private generation = 0;

  /** Engine workers alive now (0 after Cancel or the end). */
  get liveWorkers(): number {
    return this.pool.running.size;
  }

  /**
   * Run every case of the request, `workers` at a time; `onUpdate` after each finished case. Resolves when all
   * cases have ended or were cancelled.
   */
  async run(req: EnsembleRequest, onUpdate: () => void): Promise<void> {
    this.cancel();
    const generation = ++this.generation;
    const pool = (this.pool = new WorkerPool());
    this.cancelled = false;
    this.error = '';
    this.request = req;
    this.results.clear();
    this.cases = [];
    this.stepsFinished = 0;
    this.t0 = performance.now();
    this.wall_ms = 0;
    try {
      const spec = parseInlineSweepSpec(
        designEnsembleSweep(req.designs, { count: req.count, seed_start: req.seed_start }, PARTICLE_BASES[req.base]),
      );
      this.axes = axisKeys(spec);
      const cases = await expandCasesAsyncHash(spec);
      if (generation !== this.generation) return;
      this.cases = cases;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      onUpdate();
      return;
    }
    this.running = true;
    const cases = this.cases;
    await pool.run(
      cases.map((c) => c.config),
      req.workers,
      'chemofrac-ensemble',
      (k, out, wall_s) => {
        if (generation !== this.generation) return; // a newer run has started
        const c = cases[k];
        this.stepsFinished += out.counters.steps;
        this.results.set(c.hash, { result: resultOf(c, out, wall_s), runDir: c.runDir });
        this.wall_ms = performance.now() - this.t0;
        onUpdate();
      },
    );
    if (generation !== this.generation) return;
    this.running = false;
    this.wall_ms = performance.now() - this.t0;
    onUpdate();
  }

  cancel(): void {
    if (this.running) this.cancelled = true;
    this.pool.cancel();
  }

  /** Per design (in the request's order): class counts and fractions with Wilson intervals, the D̄ histogram. */
  summary(): DesignSummary[] {
    const req = this.request;
    if (!req) return [];
    const perDesign = req.designs.map((design, point) => {
      const rs = this.cases
        .filter((c) => c.point === point)
        .map((c) => this.results.get(c.hash)?.result)
        .filter((r): r is CaseResult => r !== undefined);
      const completed = rs.filter((r) => r.status === 'completed');
      return { design, rs, completed, damage_end: completed.map((r) => r.end?.damage_mean ?? NaN) };
    });
    const maxD = Math.max(0, ...perDesign.flatMap((d) => d.damage_end.filter(Number.isFinite)));
    const hi = [0.1, 0.2, 0.5, 1].find((v) => maxD <= v) ?? Math.ceil(maxD);
    return perDesign.map(({ design, rs, completed, damage_end }) => {
      const counts = classCounts(completed.map((r) => r.particle_class));
      return {
        design,
        replicates: req.count,
        finished: rs.length,
        completed: completed.length,
        counts,
        fractions: PARTICLE_CLASSES.map((cls) => {
          const w = wilsonInterval(counts[cls], counts.n);
          return {
            class: cls,
            count: counts[cls],
            fraction: counts.n ? counts[cls] / counts.n : NaN,
            lower: w.lower,
            upper: w.upper,
          };
        }),
        damage_end,
        histogram: histogram(damage_end, HISTOGRAM_BINS, 0, hi),
      };
    });
  }

  throughput(): EnsembleThroughput {
    const wall_ms = this.running ? performance.now() - this.t0 : this.wall_ms;
    const wall_s = wall_ms / 1000;
    let steps = this.stepsFinished;
    for (const h of this.pool.running) steps += h.counters().steps;
    const completed = [...this.results.values()].filter((r) => r.result.status === 'completed').length;
    return {
      finished: this.results.size,
      total: this.cases.length,
      running: this.pool.running.size,
      wall_s,
      particles_per_min: wall_s > 0 ? completed / (wall_s / 60) : 0,
      steps_per_s: wall_s > 0 ? steps / wall_s : 0,
    };
  }

  /** sweep.csv and ensemble.csv of the cases so far, as `chemofrac sweep` writes them for the same sweep. */
  csv(): { sweep: string; ensemble: string } {
    return {
      sweep: sweepCsv(this.axes, this.cases, this.results),
      ensemble: ensembleCsv(this.axes, this.cases, this.results),
    };
  }
}

/** A finished worker run as the sweep's result of its case (`caseResult`, the sweep's case runner's reduction). */
function resultOf(c: SweepCase, out: WorkerRunResult, wall_s: number): CaseResult {
  const failed = out.status.startsWith('failed');
  return caseResult(c.hash, c.config, {
    status: out.status === 'completed' ? 'completed' : failed ? 'failed' : 'interrupted',
    error: failed ? { name: 'Error', message: out.status.replace(/^failed: /, '') } : null,
    history: out.history,
    endReason: out.endReason,
    steps: out.counters.steps,
    particleClass: out.particleClass,
    cycles: c.config.loading.protocol === 'cycling' ? out.cycles : null,
    wall_s,
  });
}

const DESIGN_LABELS: Record<ReferenceVariant, string> = {
  bare: 'bare',
  'mf-coated': 'MF-coated',
  'gradient-porous': 'gradient-porous',
  'dense-porous': 'dense-porous',
};
const CLASS_LABELS: Record<ParticleClass, string> = {
  intact: 'intact',
  'mildly-damaged': 'mildly damaged',
  broken: 'broken',
};
const DESIGN_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)} %` : '–');

/** The class table: per design, each class's count, fraction and Wilson 95 % interval, and the mean final D̄. */
export function renderEnsembleTable(el: HTMLElement, summary: DesignSummary[]): void {
  const { table, body } = headedTable('mechanisms-table ensemble-table', [
    'design',
    'done',
    ...PARTICLE_CLASSES.map((c) => CLASS_LABELS[c]),
    'mean D̄ end',
  ]);
  for (const s of summary) {
    const row = body.insertRow();
    row.dataset.design = s.design;
    row.insertCell().textContent = DESIGN_LABELS[s.design];
    row.insertCell().textContent = `${s.finished} / ${s.replicates}`;
    for (const f of s.fractions) {
      const cell = row.insertCell();
      cell.dataset.class = f.class;
      if (s.counts.n) {
        const interval = document.createElement('small');
        interval.textContent = `[${pct(f.lower)}, ${pct(f.upper)}]`;
        cell.append(`${f.count} · ${pct(f.fraction)}`, document.createElement('br'), interval);
      } else cell.textContent = '–';
      cell.title = 'count · fraction of the classified particles [Wilson 95 % interval]';
    }
    const mean = s.damage_end.length ? s.damage_end.reduce((a, b) => a + b, 0) / s.damage_end.length : NaN;
    row.insertCell().textContent = Number.isFinite(mean) ? mean.toFixed(3) : '–';
  }
  el.replaceChildren(table);
}

/** Panel height per design of the histogram canvas (CSS px). */
const HIST_PANEL_PX = 64;
const HIST_MARGIN = { left: 34, right: 10, top: 18, gap: 36, bottom: 34 };

/** The D̄ histograms, one panel per design on one canvas (the history plot's frame and grid style). */
export function drawEnsembleHistograms(canvas: HTMLCanvasElement, summary: DesignSummary[]): void {
  const { left, right, top, gap, bottom } = HIST_MARGIN;
  const W = Math.max(200, canvas.clientWidth || 320);
  const H = top + summary.length * (HIST_PANEL_PX + gap) - gap + bottom;
  canvas.style.height = `${H}px`;
  const ctx = hiDpiContext(canvas, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const pw = W - left - right;
  summary.forEach((s, i) => {
    const y0 = top + i * (HIST_PANEL_PX + gap);
    const { counts, edges } = s.histogram;
    const ymax = Math.max(1, ...counts);
    gridStyle(ctx);
    for (const v of [0, ymax]) {
      const y = Math.round(y0 + HIST_PANEL_PX - (v / ymax) * HIST_PANEL_PX) + 0.5;
      ctx.fillText(String(v), left - 4, y);
    }
    const title = `${DESIGN_LABELS[s.design]}: final D̄ of ${s.completed} particle${s.completed === 1 ? '' : 's'}`;
    framePanel(ctx, left, y0, pw, HIST_PANEL_PX, title);
    ctx.fillStyle = DESIGN_COLORS[REFERENCE_VARIANTS.indexOf(s.design)];
    const bw = pw / counts.length;
    counts.forEach((n, b) => {
      const h = (n / ymax) * HIST_PANEL_PX;
      ctx.fillRect(left + b * bw + 1, y0 + HIST_PANEL_PX - h, bw - 2, h);
    });
    ctx.restore();
    gridStyle(ctx);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    for (const b of [0, counts.length / 2, counts.length]) {
      ctx.textAlign = b === 0 ? 'left' : b === counts.length ? 'right' : 'center';
      ctx.fillText(edges[b].toFixed(2), left + b * bw, y0 + HIST_PANEL_PX + 3);
    }
  });
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText('final mean GB damage D̄', W - right, H - 2);
}

/** What the debug handle gives back: the request, the cases and their results in case order, the summary. */
export interface EnsembleSnapshot {
  request: EnsembleRequest | null;
  running: boolean;
  liveWorkers: number;
  error: string;
  cases: { index: number; point: number; design: ReferenceVariant; seed: number; hash: string; config: unknown }[];
  results: (CaseResult | null)[];
  summary: DesignSummary[];
  throughput: EnsembleThroughput;
  /** What CSV writes: sweep.csv and ensemble.csv. */
  csv: { sweep: string; ensemble: string };
}

/** The view in its <details> box: controls, status, class table, histograms; built here, not in index.html. */
export class EnsembleView {
  readonly runner = new EnsembleRunner();
  private readonly status: HTMLElement;
  private readonly table: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly inputs: {
    designs: Map<ReferenceVariant, HTMLInputElement>;
    count: HTMLInputElement;
    seed: HTMLInputElement;
    base: HTMLSelectElement;
    workers: HTMLInputElement;
  };
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly csvButton: HTMLButtonElement;
  private ticker: number | null = null;

  constructor(readonly box: HTMLDetailsElement) {
    const el = <T extends HTMLElement = HTMLElement>(tag: string, props: Record<string, unknown> = {}): T =>
      Object.assign(document.createElement(tag), props) as T;
    const summary = el<HTMLElement>('summary', { textContent: 'Ensemble (K particles per design)' });
    const hint = el<HTMLElement>('p', {
      className: 'hint-text',
      textContent:
        'K microstructures (seeds) per design on all workers: class fractions with Wilson 95 % intervals and the ' +
        'distribution of the final D̄, as particles finish. The cases and CSVs are those of chemofrac sweep.',
    });
    const designRow = el<HTMLDivElement>('div', { className: 'row' });
    const designs = new Map<ReferenceVariant, HTMLInputElement>();
    for (const d of REFERENCE_VARIANTS) {
      const box = el<HTMLInputElement>('input', {
        type: 'checkbox',
        id: `ens-design-${d}`,
        checked: DEFAULT_ENSEMBLE.designs.includes(d),
      });
      designs.set(d, box);
      const label = el<HTMLLabelElement>('label');
      label.append(box, ` ${DESIGN_LABELS[d]}`);
      designRow.append(label);
    }
    const numberInput = (id: string, value: number, label: string, min: number, max?: number) =>
      el<HTMLInputElement>('input', {
        type: 'number',
        id,
        value: String(value),
        min: String(min),
        ...(max !== undefined ? { max: String(max) } : {}),
        step: '1',
        className: 'ens-number',
        ariaLabel: label,
      });
    const count = numberInput('ens-count', DEFAULT_ENSEMBLE.count, 'replicates per design', 1);
    const seed = numberInput('ens-seed', DEFAULT_ENSEMBLE.seed_start, 'first seed', 0);
    const workers = numberInput('ens-workers', defaultEnsembleWorkers(), 'workers', 1, 32);
    const base = el<HTMLSelectElement>('select', { id: 'ens-base', ariaLabel: 'particle of the ensemble runs' });
    base.append(
      el<HTMLOptionElement>('option', { value: 'small', textContent: 'small (R 2 µm, 12 grains, to SoC 0.6)' }),
      el<HTMLOptionElement>('option', { value: 'reference', textContent: 'reference (R 5 µm, 100 grains; slow)' }),
    );
    const paramRow = el<HTMLDivElement>('div', { className: 'row' });
    paramRow.append(
      el<HTMLLabelElement>('label', { htmlFor: 'ens-count', textContent: 'K' }),
      count,
      el<HTMLLabelElement>('label', { htmlFor: 'ens-seed', textContent: 'seeds from' }),
      seed,
      el<HTMLLabelElement>('label', { htmlFor: 'ens-workers', textContent: 'workers' }),
      workers,
      base,
    );
    this.runButton = el<HTMLButtonElement>('button', { type: 'button', id: 'ens-run', textContent: 'Run ensemble' });
    this.cancelButton = el<HTMLButtonElement>('button', {
      type: 'button',
      id: 'ens-cancel',
      textContent: 'Cancel',
      disabled: true,
    });
    this.csvButton = el<HTMLButtonElement>('button', {
      type: 'button',
      id: 'ens-csv',
      textContent: 'CSV',
      disabled: true,
    });
    const buttons = el<HTMLDivElement>('div', { className: 'row' });
    buttons.append(this.runButton, this.cancelButton, this.csvButton);
    this.status = el<HTMLDivElement>('div', { id: 'ens-status', className: 'export-note' });
    this.status.setAttribute('role', 'status');
    this.table = el<HTMLDivElement>('div', { id: 'ens-table' });
    this.canvas = el<HTMLCanvasElement>('canvas', { id: 'ens-hist', className: 'ensemble-hist' });
    box.replaceChildren(summary, hint, designRow, paramRow, buttons, this.status, this.table, this.canvas);
    this.inputs = { designs, count, seed, base, workers };
    this.runButton.addEventListener('click', () => void this.run());
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.csvButton.addEventListener('click', () => {
      const { sweep, ensemble } = this.runner.csv();
      download('sweep.csv', sweep, 'text/csv');
      download('ensemble.csv', ensemble, 'text/csv');
    });
  }

  /** The request of the fields, with `opts` overriding them; a message naming the field when one is invalid. */
  request(opts: Partial<EnsembleRequest> = {}): EnsembleRequest | string {
    const i = this.inputs;
    const designs = opts.designs ?? REFERENCE_VARIANTS.filter((d) => i.designs.get(d)!.checked);
    const count = opts.count ?? Number(i.count.value);
    const seed_start = opts.seed_start ?? Number(i.seed.value);
    const workers = opts.workers ?? Number(i.workers.value);
    const base = opts.base ?? (i.base.value as EnsembleBase);
    if (!designs.length) return 'designs: none chosen; allowed: at least one of the four';
    if (!Number.isInteger(count) || count < 1) return `K: got "${i.count.value}"; allowed: an integer ≥ 1`;
    if (!Number.isInteger(seed_start) || seed_start < 0)
      return `seeds from: got "${i.seed.value}"; allowed: an integer ≥ 0`;
    if (!Number.isInteger(workers) || workers < 1 || workers > 32)
      return `workers: got "${i.workers.value}"; allowed: an integer from 1 to 32`;
    return { designs: [...designs], count, seed_start, base, workers };
  }

  /** Run the ensemble of the fields (or `opts`); resolves when it has ended or was cancelled (null: bad input). */
  async run(opts: Partial<EnsembleRequest> = {}): Promise<EnsembleSnapshot | null> {
    const req = this.request(opts);
    if (typeof req === 'string') {
      this.status.textContent = req;
      return null;
    }
    this.showRequest(req);
    this.box.open = true;
    const running = this.runner.run(req, () => this.show());
    this.show();
    // the throughput line moves while particles run, not only when one finishes
    this.ticker ??= window.setInterval(() => this.showStatus(), 500);
    await running;
    window.clearInterval(this.ticker);
    this.ticker = null;
    this.show();
    return this.snapshot();
  }

  cancel(): void {
    this.runner.cancel();
    this.show();
  }

  /** Put a request (e.g. from the debug handle) into the fields, so the page says what runs. */
  private showRequest(req: EnsembleRequest): void {
    const i = this.inputs;
    for (const [d, box] of i.designs) box.checked = req.designs.includes(d);
    i.count.value = String(req.count);
    i.seed.value = String(req.seed_start);
    i.workers.value = String(req.workers);
    i.base.value = req.base;
  }

  snapshot(): EnsembleSnapshot {
    const r = this.runner;
    return {
      request: r.request,
      running: r.running,
      liveWorkers: r.liveWorkers,
      error: r.error,
      cases: r.cases.map((c) => ({
        index: c.index,
        point: c.point,
        design: r.request!.designs[c.point],
        seed: c.seed,
        hash: c.hash,
        config: c.config,
      })),
      results: r.cases.map((c) => r.results.get(c.hash)?.result ?? null),
      summary: r.summary(),
      throughput: r.throughput(),
      csv: r.csv(),
    };
  }

  private showStatus(): void {
    const r = this.runner;
    if (r.error) {
      this.status.textContent = r.error;
      return;
    }
    const t = r.throughput();
    const failed = [...r.results.values()].filter((x) => x.result.status === 'failed').length;
    this.status.textContent =
      `${t.finished} / ${t.total} particles` +
      (r.running ? ` (${t.running} running)` : r.cancelled ? ' (cancelled)' : ' done') +
      ` · ${t.wall_s.toFixed(1)} s · ${t.particles_per_min.toFixed(1)} particles/min · ` +
      `${t.steps_per_s.toFixed(0)} steps/s` +
      (failed ? ` · ${failed} failed` : '');
  }

  private show(): void {
    const s = this.runner.summary();
    renderEnsembleTable(this.table, s);
    if (s.length) drawEnsembleHistograms(this.canvas, s);
    this.showStatus();
    this.runButton.disabled = this.runner.running;
    this.cancelButton.disabled = !this.runner.running;
    this.csvButton.disabled = this.runner.results.size === 0;
  }
}

/** Mount the view in `<details id="ensemble-box">`. */
export function mountEnsembleView(): EnsembleView {
  return new EnsembleView(document.getElementById('ensemble-box') as HTMLDetailsElement);
}
