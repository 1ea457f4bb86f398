/**
 * What a sweep case is given and what it gives back: plain data, structured-clonable across worker threads and
 * stored as `results/<hash>.json`. Kept free of engine imports so the bookkeeping loads without the engine.
 */
import type { Kernel } from '../engine/kernel-api.js';
import type { CycleRecord, EndReason, StepRecord } from '../engine/simulation.js';
import { PROBE_SOC, metricsAtSoc } from './metrics-at-soc.js';
import type { ResolvedConfig } from '../scenario/resolve.js';

/** The SoC at which the sweep tables report mid-charge metrics (the reference comparison's 0.55). */
export { PROBE_SOC };

/** Metrics reported at the probe SoC and at the end of each run (StepRecord fields). */
export const CASE_METRICS = [
  'soc',
  'x_mean',
  'x_std',
  'damage_mean',
  'damaged_fraction',
  'cracked_fraction',
  'hotspot_fraction',
  'max_principal_MPa',
  'coating_hoop_MPa',
] as const;
export type CaseMetric = (typeof CASE_METRICS)[number];
export type MetricValues = Record<CaseMetric, number>;

/** What the main thread sends for one case (structured-clonable). */
export interface CaseTask {
  hash: string;
  index: number;
  config: ResolvedConfig;
  /** Absolute run directory. */
  dir: string;
}

export type CaseStatus = 'completed' | 'failed' | 'interrupted';

/** The outcome of one case, as stored in `results/<hash>.json`. */
export interface CaseResult {
  hash: string;
  status: CaseStatus;
  error: { name: string; message: string } | null;
  end_reason: string | null;
  steps: number;
  wall_s: number;
  /** Metrics at the first step at or past PROBE_SOC (null if the run never got there). */
  at_probe: MetricValues | null;
  end: MetricValues | null;
  particle_class: string | null;
  crack_path_surface_to_core: boolean | null;
  /** Cycling cases: the cycles.csv values at every cycle of output.cycles that was reached (absent otherwise). */
  cycles?: CycleValues[];
}

/** Per-cycle values of a cycling case in the sweep tables (cycles.csv fields). */
export const CYCLE_METRICS = ['damage_mean', 'cracked_fraction', 'isolated_fraction', 'retention'] as const;
export type CycleValues = { cycle: number; class: string } & Record<(typeof CYCLE_METRICS)[number], number>;

/** A function that runs one case; the pool worker uses `runCase`, tests inject fakes. */
export type CaseRunner = (task: CaseTask, ctx: CaseContext) => Promise<CaseResult>;

export interface CaseContext {
  /** A kernel to reuse (kept by the caller; not disposed here). */
  kernel?: Kernel;
  /** Polled between steps: true = stop now, keep what was computed, report "interrupted". */
  shouldStop?: () => boolean;
  /** Fraction of this case done (0…1), for the overall progress bar. */
  onProgress?: (fraction: number) => void;
}

/** What a finished (or stopped) run of a case gives, wherever it ran: a sweep's pool worker or a browser's worker. */
export interface CaseRunOutcome {
  status: CaseStatus;
  error: { name: string; message: string } | null;
  /** Every step record of the run, the initial one first. */
  history: readonly StepRecord[];
  endReason: EndReason | null;
  steps: number;
  /** `sim.particleClass()` of a completed run (null otherwise, or when it could not be classified). */
  particleClass: { class: string; crackPathSurfaceToCore: boolean } | null;
  /** Cycling runs: the engine's rows of cycles.csv (`sim.cycles`); null for a single charge or discharge. */
  cycles: readonly CycleRecord[] | null;
  wall_s: number;
}

function pickMetrics(rec: StepRecord | null | undefined): MetricValues | null {
  if (!rec) return null;
  const out = {} as MetricValues;
  for (const m of CASE_METRICS) out[m] = rec[m];
  return out;
}

/**
 * A case's row of the sweep tables from its run: metrics at PROBE_SOC and at the end, the particle class, and for
 * cycling cases the cycles.csv values at every cycle of `config.output.cycles` that was reached. The one reduction
 * of a run to a sweep result, used by the sweep's case runner and by the browser app's ensemble view.
 */
export function caseResult(hash: string, config: ResolvedConfig, run: CaseRunOutcome): CaseResult {
  const history = run.history as StepRecord[];
  const last = history.length ? history[history.length - 1] : null;
  const wanted = new Set(config.output.cycles ?? []);
  const cycles = run.cycles
    ? run.cycles
        .filter((c) => wanted.has(c.cycle))
        .map((c) => {
          const v: CycleValues = { cycle: c.cycle, class: c.class } as CycleValues;
          for (const m of CYCLE_METRICS) v[m] = c[m];
          return v;
        })
    : undefined;
  const cls = last && run.status === 'completed' ? run.particleClass : null;
  return {
    ...(cycles ? { cycles } : {}),
    hash,
    status: run.status,
    error: run.error,
    end_reason: run.endReason,
    steps: run.steps,
    wall_s: run.wall_s,
    at_probe: pickMetrics(metricsAtSoc(history, PROBE_SOC)),
    end: pickMetrics(last),
    particle_class: cls?.class ?? null,
    crack_path_surface_to_core: cls?.crackPathSurfaceToCore ?? null,
  };
}
