/**
 * The mechanism view: the table of `chemofrac compare --mechanisms` (src/scenario/mechanisms.ts: bare,
 * coating-transport-only, strain-only, mf-coated, pores-free-surface, pores-electrolyte-filled on the same
 * microstructure per seed), computed in the browser. Every variant × seed runs on its own engine worker (worker-run.ts:
 * the app's engine-worker.ts, the same protocol as the particle slots), a few at a time; each finished run becomes a row
 * (`mechanismRun`: D̄ and x_std at SoC 0.55 and at the end) and the table is the library's `summarizeMechanisms`
 * of the rows so far — the same functions the CLI uses, so the table means what the CLI's does.
 */
import {
  MECHANISM_TABLE_HEADER,
  MECHANISM_VARIANTS,
  PROBE_SOC,
  csvTable,
  mechanismConfig,
  mechanismRun,
  mechanismTableCells,
  metricsAtSoc,
  summarizeMechanisms,
  type MechanismRun,
  type MechanismSummary,
  type MechanismVariant,
  type UserConfig,
} from '../../src/index.js';
import { headedTable } from './dom-table.js';
import { PARTICLE_BASES, WorkerPool, type ParticleBase } from './worker-run.js';

/** What the variants share (`--base` of the CLI): one of the views' particles (worker-run.ts). */
export type MechanismBase = ParticleBase;

/** The CLI's default seeds are 7, 11, 13, 17, 19; the page starts with two (12 runs). */
export const DEFAULT_PAGE_SEEDS = [7, 11];

export class MechanismRunner {
  runs: MechanismRun[] = [];
  /** The config of every run, in the rows' order (what each worker ran). */
  configs: UserConfig[] = [];
  total = 0;
  running = false;
  wall_ms = 0;
  private pool = new WorkerPool();

  get summary(): MechanismSummary[] {
    return summarizeMechanisms(this.runs);
  }

  /**
   * Run every variant on every seed, `workers` at a time; `onUpdate` after each finished run. Resolves with the
   * rows (in the CLI's order: seed by seed, the variants in MECHANISM_VARIANTS order).
   */
  async run(seeds: number[], base: MechanismBase, workers: number, onUpdate: () => void): Promise<MechanismRun[]> {
    this.cancel();
    const pool = (this.pool = new WorkerPool());
    const jobs: { variant: MechanismVariant; seed: number; config: UserConfig }[] = [];
    for (const seed of seeds)
      for (const variant of MECHANISM_VARIANTS)
        jobs.push({ variant, seed, config: mechanismConfig(variant, seed, PARTICLE_BASES[base]) });
    this.total = jobs.length;
    this.configs = jobs.map((j) => j.config);
    this.runs = [];
    this.running = true;
    const t0 = performance.now();
    const rows: (MechanismRun | null)[] = jobs.map(() => null);
    await pool.run(this.configs, workers, 'chemofrac-mechanisms', (k, { history, status }) => {
      const j = jobs[k];
      rows[k] = mechanismRun(
        j.variant,
        j.seed,
        metricsAtSoc(history, PROBE_SOC),
        history[history.length - 1] ?? null,
        status,
      );
      this.runs = rows.filter((r): r is MechanismRun => r !== null);
      this.wall_ms = performance.now() - t0;
      onUpdate();
    });
    this.running = false;
    this.wall_ms = performance.now() - t0;
    onUpdate();
    return this.runs;
  }

  cancel(): void {
    this.pool.cancel();
  }

  /** mechanisms.csv and mechanisms-summary.csv, as the CLI writes them. */
  csv(): { runs: string; summary: string } {
    const s = this.summary;
    return {
      runs: this.runs.length ? csvTable(Object.keys(this.runs[0]) as (keyof MechanismRun)[], this.runs) : '',
      summary: csvTable(Object.keys(s[0]) as (keyof MechanismSummary)[], s),
    };
  }
}

/** The CLI's table (mean ± std over the seeds, relative to bare) as an HTML table. */
export function renderMechanismTable(el: HTMLElement, summary: MechanismSummary[]): void {
  const { table, body } = headedTable('mechanisms-table', MECHANISM_TABLE_HEADER);
  for (const s of summary) {
    const row = body.insertRow();
    row.dataset.variant = s.variant;
    for (const text of mechanismTableCells(s)) row.insertCell().textContent = text;
  }
  el.replaceChildren(table);
}
