/** Metrics at a SoC: the first accepted step at or past it (summaries, sweep and mechanism tables). No runtime imports. */
import type { StepRecord } from '../engine/simulation.js';

/** The SoC at which the sweep and mechanism tables report mid-charge metrics (the reference comparison's 0.55). */
export const PROBE_SOC = 0.55;

/** Key metrics at a given SoC (the first accepted step at or past it), for summaries and comparison tables. */
export function metricsAtSoc(history: StepRecord[], soc: number): StepRecord | null {
  for (const r of history) if (r.soc >= soc - 1e-6) return r;
  return null;
}
