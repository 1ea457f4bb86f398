/**
 * What a sweep case is given and what it gives back: plain data, structured-clonable across worker threads and
 * stored as `results/<hash>.json`. Kept free of engine imports so the bookkeeping loads without the engine.
 */
import type { Kernel } from '../engine/kernel-api.js';
import type { ResolvedConfig } from '../scenario/resolve.js';

/** The SoC at which the sweep tables report mid-charge metrics (the reference comparison's 0.55). */
export { PROBE_SOC } from '../io/metrics-at-soc.js';

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
