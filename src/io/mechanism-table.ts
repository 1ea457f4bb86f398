/**
 * The table of `chemofrac compare --mechanisms` (src/scenario/mechanisms.ts), as pure functions of the runs'
 * records, so the CLI (runs on a process pool) and the browser app (runs on its engine workers) build it the same
 * way. Per run: D̄ and x_std at PROBE_SOC (the first accepted step at or past it) and at the end; per variant, the
 * mean and sample standard deviation over the seeds of its ratio to the bare twin of the same seed:
 *   D̄ ratio     = D̄(variant) / D̄(bare)        at SoC 0.55 and at the end of the charge,
 *   x_std ratio = x_std(variant) / x_std(bare) at SoC 0.55,
 * and, for the coated variants, the coating's mean hoop stress σ_θθ at SoC 0.55 (negative = compression).
 */
import type { StepRecord } from '../engine/simulation.js';
import { MECHANISM_VARIANTS, type MechanismVariant } from '../scenario/mechanisms.js';

export { PROBE_SOC, metricsAtSoc } from './metrics-at-soc.js';

export interface MechanismRun {
  variant: MechanismVariant;
  seed: number;
  damage_mean_055: number;
  damage_mean_end: number;
  x_std_055: number;
  coating_hoop_MPa_055: number;
  cracked_fraction_end: number;
  status: string;
}

export interface MechanismSummary {
  variant: MechanismVariant;
  runs: number;
  damage_ratio_055_mean: number;
  damage_ratio_055_std: number;
  damage_ratio_end_mean: number;
  damage_ratio_end_std: number;
  x_std_ratio_055_mean: number;
  x_std_ratio_055_std: number;
  coating_hoop_MPa_055_mean: number;
  coating_hoop_MPa_055_std: number;
}

type Metrics = Partial<Pick<StepRecord, 'damage_mean' | 'x_std' | 'cracked_fraction'>> & {
  coating_hoop_MPa?: number | null;
};

/**
 * One run's row from its records at PROBE_SOC (null: never got there) and at the end; `status` is 'completed'
 * for a finished run (only those enter the summary). Missing values are NaN.
 */
export function mechanismRun(
  variant: MechanismVariant,
  seed: number,
  atProbe: Metrics | null | undefined,
  end: Metrics | null | undefined,
  status: string,
): MechanismRun {
  return {
    variant,
    seed,
    damage_mean_055: atProbe?.damage_mean ?? NaN,
    damage_mean_end: end?.damage_mean ?? NaN,
    x_std_055: atProbe?.x_std ?? NaN,
    coating_hoop_MPa_055: atProbe?.coating_hoop_MPa ?? NaN,
    cracked_fraction_end: end?.cracked_fraction ?? NaN,
    status,
  };
}

/** Mean and sample standard deviation of the finite values (NaN when there are none). */
export function meanStd(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite);
  if (!v.length) return [NaN, NaN];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1)) : 0;
  return [mean, std];
}

/** Per-variant ratios to the bare twin of the same seed. */
export function summarizeMechanisms(runs: MechanismRun[]): MechanismSummary[] {
  const bare = new Map(runs.filter((r) => r.variant === 'bare').map((r) => [r.seed, r]));
  return MECHANISM_VARIANTS.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant && r.status === 'completed' && bare.has(r.seed));
    const ratio = (f: (r: MechanismRun) => number) => meanStd(mine.map((r) => f(r) / f(bare.get(r.seed)!)));
    const [d055, d055s] = ratio((r) => r.damage_mean_055);
    const [dEnd, dEnds] = ratio((r) => r.damage_mean_end);
    const [x055, x055s] = ratio((r) => r.x_std_055);
    const [hoop, hoops] = meanStd(mine.map((r) => r.coating_hoop_MPa_055));
    return {
      variant,
      runs: mine.length,
      damage_ratio_055_mean: d055,
      damage_ratio_055_std: d055s,
      damage_ratio_end_mean: dEnd,
      damage_ratio_end_std: dEnds,
      x_std_ratio_055_mean: x055,
      x_std_ratio_055_std: x055s,
      coating_hoop_MPa_055_mean: hoop,
      coating_hoop_MPa_055_std: hoops,
    };
  });
}

/** Column headers of the printed mechanism table (CLI and browser). */
export const MECHANISM_TABLE_HEADER = [
  'variant',
  'D̄/bare @0.55',
  'D̄/bare end',
  'x_std/bare @0.55',
  'hoop @0.55 MPa',
  'runs',
] as const;

const fixed = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '—');
/** "mean ± std", or "—" when there is no mean (e.g. no coating). */
const meanPlusMinus = (m: number, s: number, d = 3) => (Number.isFinite(m) ? `${fixed(m, d)} ± ${fixed(s, d)}` : '—');

/** One summary row as the printed table's cells (MECHANISM_TABLE_HEADER order). */
export function mechanismTableCells(s: MechanismSummary): string[] {
  return [
    s.variant,
    meanPlusMinus(s.damage_ratio_055_mean, s.damage_ratio_055_std),
    meanPlusMinus(s.damage_ratio_end_mean, s.damage_ratio_end_std),
    meanPlusMinus(s.x_std_ratio_055_mean, s.x_std_ratio_055_std),
    meanPlusMinus(s.coating_hoop_MPa_055_mean, s.coating_hoop_MPa_055_std, 1),
    String(s.runs),
  ];
}
