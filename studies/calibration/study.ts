/**
 * "Calibrate on one design, predict the other" (docs/calibration.md): fit the grain-boundary strength σ_max, the
 * fracture energy G_c and the Roe–Siegmund fatigue ratios (σ_f / σ_max, δ_Σ / λ0) to the class fractions of the
 * gradient-porosity study's dense particles, then predict, with no further tuning, the gradient-porous particles'
 * class fractions and the capacity retention of MF-coated vs bare particles.
 *
 * Every ensemble is a sweep (public sweep API, `src/sweep/index.ts`) with replicates over microstructure seeds:
 *   <out>/calibrate-dense/    one sweep: the parameter grid × K seeds (common random numbers: the same K seeds at
 *                             every grid point), the dense design
 *   <out>/predict-gradient/   the gradient-porous design at the best grid point, the same K seeds
 *   <out>/predict-bare/, <out>/predict-mf-coated/   the retention designs at the best grid point
 *   <out>/sweeps/<phase>.json the sweep files, runnable as they are with `chemofrac sweep` (also sharded on a cluster)
 *   <out>/calibration.csv, predictions.csv, summary.md, study.json   the study's tables
 * Resumable because each phase is a sweep run with `resume`: finished cases (matched by config hash) are kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { referenceConfig, ENGINE_VERSION, type ReferenceVariant, type UserConfig } from '../../src/index.js';
import {
  expandCases,
  parseSweepSpec,
  readResults,
  runSweep,
  setConfigKey,
  type CaseExecutor,
  type CaseResult,
  type SweepSpec,
  type SweepSpecInput,
} from '../../src/sweep/index.js';
import {
  classCounts,
  meanInterval,
  misfit,
  wilsonInterval,
  type ClassCounts,
  type FractionTarget,
  type ParticleClass,
} from './statistics.js';

/** The four fitted grain-boundary parameters, as config keys under material.gb (docs/config.md). */
export const FITTED_KEYS = ['strength_MPa', 'Gc_J_m2', 'fatigue_endurance_ratio', 'fatigue_length_ratio'] as const;
export type FittedKey = (typeof FITTED_KEYS)[number];
export type FatigueParameters = Record<FittedKey, number>;

/**
 * What the study is compared with (the gradient-porosity study and the mechanofusion study, docs/physics.md §1),
 * all cycled at 1C. Fractions of particles; retention = discharge capacity after N cycles / after the first.
 */
export const MEASURED = {
  /** Dense particles: the calibration targets. */
  dense: [
    { cycle: 30, class: 'intact', fraction: 0.151 },
    { cycle: 30, class: 'mildly-damaged', fraction: 0.673 },
    { cycle: 30, class: 'broken', fraction: 0.176 },
    { cycle: 100, class: 'intact', fraction: 0.085 },
  ] as FractionTarget[],
  /** Gradient-porous particles: predicted, never fitted. */
  gradient: [
    { cycle: 30, class: 'intact', fraction: 0.759 },
    { cycle: 100, class: 'intact', fraction: 0.372 },
  ] as FractionTarget[],
  /** Capacity retention after 50 cycles, mean ± the reported spread. */
  retention: {
    cycle: 50,
    'mf-coated': { mean: 0.93, spread: 0.013 },
    bare: { mean: 0.859, spread: 0.012 },
  },
} as const;

export interface StudySettings {
  /** "quick", "full" or a test's name: labels the tables. */
  label: string;
  /** Every particle's geometry and microstructure (the seed comes from the replicates). */
  geometry: NonNullable<UserConfig['geometry']>;
  microstructure: Omit<NonNullable<UserConfig['microstructure']>, 'seed'>;
  /** Extra solver keys (cycle jumps, crack-blocked diffusion). */
  solver?: UserConfig['solver'];
  /** Class thresholds (output.class_thresholds); absent = the defaults. */
  class_thresholds?: NonNullable<UserConfig['output']>['class_thresholds'];
  /** Surface C-rate of both legs (charge to SoC 1, discharge to SoC 0, no rest). */
  c_rate: number;
  /** Cycles of the class-fraction designs (dense, gradient) and of the retention designs (bare, MF-coated). */
  cycles: number;
  retention_cycles: number;
  /** K microstructures per design and parameter point: seeds seed_start … seed_start + K − 1 everywhere. */
  seeds: { count: number; seed_start: number };
  /** The parameter grid: every combination is evaluated (first key slowest). */
  grid: Record<FittedKey, number[]>;
  /** Calibration targets (dense) and the prediction's measured values (gradient). */
  targets: FractionTarget[];
  gradient_measured: FractionTarget[];
}

/**
 * Quick: a small quarter (R = 2.5 µm, 25 grains of the reference grain size, h = 0.2 µm), K = 4 seeds, a 2 × 2 grid
 * (σ_max × δ_Σ/λ0; G_c and σ_f/σ_max at their defaults).
 */
export const QUICK_SETTINGS: StudySettings = {
  label: 'quick',
  geometry: { shape: 'quarter', radius_um: 2.5, mesh_size_um: 0.2 },
  microstructure: { grains: 25, orientation: 'random-3d', lloyd_iterations: 2 },
  solver: { cycle_jump: { enabled: true, max_damage_increment: 0.02 } },
  c_rate: 1,
  cycles: 100,
  retention_cycles: 50,
  seeds: { count: 4, seed_start: 1 },
  grid: {
    strength_MPa: [1400, 2000],
    Gc_J_m2: [2],
    fatigue_endurance_ratio: [0.25],
    fatigue_length_ratio: [4, 16],
  },
  targets: [...MEASURED.dense],
  gradient_measured: [...MEASURED.gradient],
};

/**
 * Full: the reference quarter particles (R = 5 µm, 100 grains, h = 0.15 µm, referenceConfig), K = 32 per design,
 * a 4 × 3 × 3 × 3 grid (108 points, 3,456 calibration cases): the cluster job of docs/calibration.md.
 */
export const FULL_SETTINGS: StudySettings = {
  label: 'full',
  geometry: { shape: 'quarter', radius_um: 5, mesh_size_um: 0.15 },
  microstructure: { grains: 100, orientation: 'random-3d', lloyd_iterations: 2 },
  solver: { cycle_jump: { enabled: true, max_damage_increment: 0.02 } },
  c_rate: 1,
  cycles: 100,
  retention_cycles: 50,
  seeds: { count: 32, seed_start: 1 },
  grid: {
    // a first guess: at the reference size σ_max = 1400 MPa already breaks a particle from cycle 1 (docs/calibration.md)
    strength_MPa: [1200, 1800, 2400, 3000],
    Gc_J_m2: [1, 2, 4],
    fatigue_endurance_ratio: [0.1, 0.25, 0.5],
    fatigue_length_ratio: [4, 16, 64],
  },
  targets: [...MEASURED.dense],
  gradient_measured: [...MEASURED.gradient],
};

export type Phase = 'calibrate-dense' | 'predict-gradient' | 'predict-bare' | 'predict-mf-coated';

const gbKey = (k: FittedKey) => `material.gb.${k}`;

/** The cycles at which every class-fraction case reports its class (cycles.csv rows kept in the sweep results). */
function outputCycles(settings: StudySettings, cycles: number, targets: FractionTarget[]): number[] {
  return [...new Set([1, ...targets.map((t) => t.cycle).filter((c) => c <= cycles), cycles])].sort((a, b) => a - b);
}

/** One design's config (its seed set by the sweep's replicates): a reference variant at the study's size. */
export function designConfig(
  settings: StudySettings,
  variant: ReferenceVariant,
  cycles: number,
  output_cycles: number[],
): UserConfig {
  return referenceConfig(variant, settings.seeds.seed_start, {
    name: `${settings.label}-${variant}`,
    geometry: settings.geometry,
    microstructure: { ...settings.microstructure, seed: settings.seeds.seed_start },
    loading: {
      protocol: 'cycling',
      cycles,
      charge: { c_rates: settings.c_rate, to_soc: 1 },
      discharge: { c_rates: settings.c_rate, to_soc: 0 },
    },
    output: {
      vtu: false,
      cycles: output_cycles,
      ...(settings.class_thresholds ? { class_thresholds: settings.class_thresholds } : {}),
    },
    ...(settings.solver ? { solver: settings.solver } : {}),
  });
}

/** The calibration sweep: the dense design over the parameter grid × the K seeds. */
export function calibrationSweep(settings: StudySettings): SweepSpecInput {
  const cycles = outputCycles(settings, settings.cycles, settings.targets);
  return {
    name: `${settings.label}-calibrate-dense`,
    base: designConfig(settings, 'dense-porous', settings.cycles, cycles) as Record<string, unknown>,
    axes: { grid: Object.fromEntries(FITTED_KEYS.map((k) => [gbKey(k), settings.grid[k]])) },
    replicates: settings.seeds,
  };
}

/** A prediction sweep: one design at the calibrated parameters, the same K seeds, no axes. */
export function predictionSweep(
  settings: StudySettings,
  variant: ReferenceVariant,
  params: FatigueParameters,
): SweepSpecInput {
  const classDesign = variant === 'gradient-porous' || variant === 'dense-porous';
  const cycles = classDesign ? settings.cycles : settings.retention_cycles;
  const out = classDesign ? outputCycles(settings, cycles, settings.gradient_measured) : [1, cycles];
  let base = designConfig(settings, variant, cycles, out) as Record<string, unknown>;
  for (const k of FITTED_KEYS) base = setConfigKey(base, gbKey(k), params[k]);
  return { name: `${settings.label}-predict-${variant}`, base, replicates: settings.seeds };
}

/** The cases of one sweep point with their stored results. */
export interface PointEnsemble {
  point: number;
  values: Record<string, unknown>;
  /** Completed cases' results, in seed order. */
  results: CaseResult[];
  seeds: number[];
  failed: number;
  pending: number;
}

/** Group a sweep directory's stored results by sweep point (only results of this spec's cases count). */
export function pointEnsembles(spec: SweepSpec, dir: string): PointEnsemble[] {
  const records = readResults(dir);
  const byPoint = new Map<number, PointEnsemble>();
  for (const c of expandCases(spec)) {
    let e = byPoint.get(c.point);
    if (!e) {
      e = { point: c.point, values: c.values, results: [], seeds: [], failed: 0, pending: 0 };
      byPoint.set(c.point, e);
    }
    const r = records.get(c.hash)?.result;
    if (r?.status === 'completed') {
      e.results.push(r);
      e.seeds.push(c.seed);
    } else if (r?.status === 'failed') e.failed++;
    else e.pending++;
  }
  return [...byPoint.values()].sort((a, b) => a.point - b.point);
}

/** An ensemble's class counts at the end of `cycle` (cycles.csv class of each completed case). */
export function countsAt(e: PointEnsemble, cycle: number): ClassCounts {
  return classCounts(e.results.map((r) => r.cycles?.find((c) => c.cycle === cycle)?.class));
}

export function retentionsAt(e: PointEnsemble, cycle: number): number[] {
  return e.results.map((r) => r.cycles?.find((c) => c.cycle === cycle)?.retention ?? NaN);
}

export interface CalibrationRow {
  point: number;
  params: FatigueParameters;
  completed: number;
  failed: number;
  pending: number;
  /** Simulated fraction of each target (same order as settings.targets). */
  fractions: number[];
  misfit: number;
}

export interface PredictionRow {
  design: string;
  quantity: string;
  n: number;
  predicted: number;
  lower: number;
  upper: number;
  interval: string;
  measured: number;
  measured_note: string;
  /** Measured value inside the predicted 95 % interval. */
  inside: boolean | null;
}

export interface StudyOptions {
  out: string;
  workers?: number;
  signal?: AbortSignal;
  /** Where cases run (default: the sweep's worker pool); tests inject an in-process executor. */
  executor?: CaseExecutor;
  quiet?: boolean;
  /** Write the sweep files that can be written now (sweeps/) and stop: for running them on a cluster. */
  sweepsOnly?: boolean;
  /** Called with a line of progress text. */
  log?: (line: string) => void;
}

export interface StudyOutcome {
  /** Stopped by the signal before every phase finished (the tables hold what exists). */
  interrupted: boolean;
  calibration: CalibrationRow[];
  best: CalibrationRow | null;
  predictions: PredictionRow[];
  /** Cases computed in this invocation (0 when everything was on disk). */
  computed: number;
  files: string[];
}

function paramsOf(values: Record<string, unknown>): FatigueParameters {
  return Object.fromEntries(FITTED_KEYS.map((k) => [k, Number(values[gbKey(k)])])) as FatigueParameters;
}

/** The calibration table from the calibration sweep's directory. */
export function calibrationRows(settings: StudySettings, spec: SweepSpec, dir: string): CalibrationRow[] {
  return pointEnsembles(spec, dir).map((e) => {
    const fractions = settings.targets.map((t) => {
      const c = countsAt(e, t.cycle);
      return c.n ? c[t.class] / c.n : NaN;
    });
    return {
      point: e.point,
      params: paramsOf(e.values),
      completed: e.results.length,
      failed: e.failed,
      pending: e.pending,
      fractions,
      misfit: misfit(settings.targets, (cycle) => countsAt(e, cycle)),
    };
  });
}

/** The grid point of least misfit among the scored ones (ties: the first in grid order). */
export function bestRow(rows: CalibrationRow[]): CalibrationRow | null {
  let best: CalibrationRow | null = null;
  for (const r of rows) if (Number.isFinite(r.misfit) && (!best || r.misfit < best.misfit)) best = r;
  return best;
}

const pct = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '–');

function fractionRows(design: string, e: PointEnsemble, targets: FractionTarget[]): PredictionRow[] {
  return targets.map((t) => {
    const c = countsAt(e, t.cycle);
    const w = wilsonInterval(c[t.class], c.n);
    const p = c.n ? c[t.class] / c.n : NaN;
    return {
      design,
      quantity: `${t.class}_at_${t.cycle}`,
      n: c.n,
      predicted: p,
      lower: w.lower,
      upper: w.upper,
      interval: 'Wilson 95 %',
      measured: t.fraction,
      measured_note: '',
      inside: c.n ? t.fraction >= w.lower && t.fraction <= w.upper : null,
    };
  });
}

function retentionRow(design: 'bare' | 'mf-coated', e: PointEnsemble, cycle: number): PredictionRow {
  const m = MEASURED.retention[design];
  const s = meanInterval(retentionsAt(e, cycle));
  return {
    design,
    quantity: `retention_at_${cycle}`,
    n: s.n,
    predicted: s.mean,
    lower: s.lower,
    upper: s.upper,
    interval: 't 95 % of the mean',
    measured: m.mean,
    // the measured values are after MEASURED.retention.cycle cycles: say so when the settings compare another cycle
    measured_note:
      `± ${m.spread}` +
      (cycle === MEASURED.retention.cycle ? '' : ` (measured after ${MEASURED.retention.cycle} cycles)`),
    inside: Number.isFinite(s.lower) ? m.mean >= s.lower && m.mean <= s.upper : null,
  };
}

const csvCell = (v: unknown) => {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (cols: string[], rows: unknown[][]) =>
  [cols.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';

function calibrationCsv(settings: StudySettings, rows: CalibrationRow[], best: CalibrationRow | null): string {
  const targetCols = settings.targets.map((t) => `${t.class}_at_${t.cycle}`);
  return csv(
    ['point', ...FITTED_KEYS, 'completed', 'failed', 'pending', ...targetCols, 'misfit', 'best'],
    rows.map((r) => [
      r.point,
      ...FITTED_KEYS.map((k) => r.params[k]),
      r.completed,
      r.failed,
      r.pending,
      ...r.fractions,
      r.misfit,
      best && r.point === best.point ? 1 : 0,
    ]),
  );
}

function predictionsCsv(rows: PredictionRow[]): string {
  return csv(
    [
      'design',
      'quantity',
      'n',
      'predicted',
      'lower_95',
      'upper_95',
      'interval',
      'measured',
      'measured_spread',
      'inside',
    ],
    rows.map((r) => [
      r.design,
      r.quantity,
      r.n,
      r.predicted,
      r.lower,
      r.upper,
      r.interval,
      r.measured,
      r.measured_note.match(/^± ([\d.]+)/)?.[1] ?? '',
      r.inside === null ? '' : r.inside ? 1 : 0,
    ]),
  );
}

function summaryMarkdown(
  settings: StudySettings,
  rows: CalibrationRow[],
  best: CalibrationRow | null,
  predictions: PredictionRow[],
  interrupted: boolean,
): string {
  const g = settings.geometry;
  const lines: string[] = [
    `# Calibration study (${settings.label})`,
    '',
    `chemofrac ${ENGINE_VERSION}; ${g.shape} particle R = ${g.radius_um} µm, ${settings.microstructure.grains} grains, ` +
      `h = ${g.mesh_size_um} µm; ${settings.c_rate}C charge to SoC 1 / discharge to SoC 0, no rest; ` +
      `K = ${settings.seeds.count} microstructures (seeds ${settings.seeds.seed_start}–` +
      `${settings.seeds.seed_start + settings.seeds.count - 1}, the same for every parameter point and design).`,
    '',
  ];
  if (interrupted) lines.push('**Interrupted: the tables hold only what was finished. Rerun to continue.**', '');
  lines.push(
    '## Calibration on the dense particles',
    '',
    'Misfit J = Σ (simulated fraction − measured fraction)² over the targets.',
    '',
    `| point | σ_max MPa | G_c J/m² | σ_f/σ_max | δ_Σ/λ0 | n | ${settings.targets.map((t) => `${t.class} @${t.cycle} %`).join(' | ')} | J |`,
    `|---|---|---|---|---|---|${settings.targets.map(() => '---|').join('')}---|`,
    `| measured | | | | | | ${settings.targets.map((t) => pct(t.fraction)).join(' | ')} | |`,
  );
  for (const r of rows)
    lines.push(
      `| ${r.point}${best && r.point === best.point ? ' (best)' : ''} | ${FITTED_KEYS.map((k) => r.params[k]).join(' | ')} | ` +
        `${r.completed}${r.failed ? ` (+${r.failed} failed)` : ''}${r.pending ? ` (${r.pending} pending)` : ''} | ` +
        `${r.fractions.map(pct).join(' | ')} | ${Number.isFinite(r.misfit) ? r.misfit.toFixed(4) : '–'} |`,
    );
  if (!best && rows.length && rows.every((r) => r.pending === 0))
    lines.push('No grid point could be scored (no classified particle at a target cycle): nothing is predicted.');
  const ties = best ? rows.filter((r) => r.point !== best.point && r.misfit === best.misfit) : [];
  if (ties.length)
    lines.push(
      `Point${ties.length > 1 ? 's' : ''} ${ties.map((r) => r.point).join(', ')} ${ties.length > 1 ? 'have' : 'has'} the ` +
        `same least misfit as point ${best!.point}: with K = ${settings.seeds.count} particles the fractions move in ` +
        `steps of 1/K, so J is a step function of the parameters; the first in grid order is taken.`,
    );
  lines.push('');
  if (predictions.length) {
    lines.push(
      '## Predictions with the calibrated parameters (no further tuning)',
      '',
      'Fractions: the share of the K particles in the class, with its Wilson 95 % interval; retention: the mean over ' +
        'the K particles with the 95 % t interval of the mean. "dense (fitted)" repeats the fit for comparison.',
      '',
      '| design | quantity | n | predicted % | 95 % interval % | interval | measured % | measured inside interval |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const p of predictions)
      lines.push(
        `| ${p.design} | ${p.quantity} | ${p.n} | ${pct(p.predicted)} | ${pct(p.lower)}–${pct(p.upper)} | ${p.interval} | ` +
          `${pct(p.measured)}${p.measured_note ? ` ${p.measured_note.replace(/^± ([\d.]+)/, (_m, v) => `± ${pct(Number(v))}`)}` : ''} | ` +
          `${p.inside === null ? '–' : p.inside ? 'yes' : 'no'} |`,
      );
    lines.push('');
  }
  const varied = FITTED_KEYS.filter((k) => settings.grid[k].length > 1);
  if (settings.label === 'quick')
    lines.push(
      'A quick run is a check that the machinery works end to end, not a calibration: a small particle, ' +
        `${settings.seeds.count} microstructures, ${rows.length} grid points (varied: ${varied.join(', ') || 'none'}; ` +
        'the other parameters fixed). The dense rows above are the fit itself, not a prediction. See docs/calibration.md.',
      '',
    );
  return lines.join('\n');
}

/** Run (or continue) the study into `opts.out`. */
export async function runStudy(settings: StudySettings, opts: StudyOptions): Promise<StudyOutcome> {
  const out = resolve(opts.out);
  const log = opts.log ?? (() => {});
  mkdirSync(join(out, 'sweeps'), { recursive: true });
  const files: string[] = [];
  let computed = 0;

  const phase = async (name: Phase, input: SweepSpecInput) => {
    const spec = parseSweepSpec(input);
    const sweepFile = join(out, 'sweeps', `${name}.json`);
    writeFileSync(sweepFile, JSON.stringify(input, null, 2) + '\n');
    files.push(sweepFile);
    const dir = join(out, name);
    if (opts.sweepsOnly) return { spec, dir, interrupted: false };
    log(`${name}: ${expandCases(spec).length} cases → ${dir}`);
    const r = await runSweep(spec, {
      out: dir,
      resume: true,
      workers: opts.workers,
      signal: opts.signal,
      executor: opts.executor,
      quiet: opts.quiet,
    });
    computed += r.completed + r.failed;
    log(`${name}: ${r.skipped} cases kept from before, ${r.completed} computed, ${r.failed} failed`);
    return { spec, dir, interrupted: r.interrupted || r.notRun > 0 };
  };

  const cal = await phase('calibrate-dense', calibrationSweep(settings));
  const calibration = calibrationRows(settings, cal.spec, cal.dir);
  const complete = calibration.every((r) => r.pending === 0);
  const best = complete ? bestRow(calibration) : null;
  const predictions: PredictionRow[] = [];
  let interrupted = cal.interrupted || opts.signal?.aborted === true;

  if (best && !interrupted) {
    const gradient = await phase('predict-gradient', predictionSweep(settings, 'gradient-porous', best.params));
    const designs: ['bare' | 'mf-coated', Phase][] = [
      ['bare', 'predict-bare'],
      ['mf-coated', 'predict-mf-coated'],
    ];
    const retention: { design: 'bare' | 'mf-coated'; spec: SweepSpec; dir: string }[] = [];
    for (const [design, name] of designs) {
      if (gradient.interrupted || opts.signal?.aborted) break;
      const p = await phase(name, predictionSweep(settings, design, best.params));
      retention.push({ design, ...p });
      if (p.interrupted) interrupted = true;
    }
    interrupted ||= gradient.interrupted || retention.length < designs.length;
    if (!opts.sweepsOnly) {
      const g = pointEnsembles(gradient.spec, gradient.dir)[0];
      predictions.push(...fractionRows('dense (fitted)', pointEnsemblesBest(cal, best), settings.targets));
      predictions.push(...fractionRows('gradient-porous', g, settings.gradient_measured));
      for (const r of retention)
        predictions.push(retentionRow(r.design, pointEnsembles(r.spec, r.dir)[0], settings.retention_cycles));
    }
  }
  if (opts.sweepsOnly) return { interrupted: false, calibration, best, predictions, computed, files };

  const write = (name: string, text: string) => {
    const p = join(out, name);
    writeFileSync(p, text);
    files.push(p);
  };
  write('calibration.csv', calibrationCsv(settings, calibration, best));
  write('predictions.csv', predictionsCsv(predictions));
  write('summary.md', summaryMarkdown(settings, calibration, best, predictions, interrupted));
  write(
    'study.json',
    JSON.stringify(
      { engine_version: ENGINE_VERSION, settings, measured: MEASURED, best: best?.params ?? null, interrupted },
      null,
      2,
    ) + '\n',
  );
  return { interrupted, calibration, best, predictions, computed, files };
}

function pointEnsemblesBest(cal: { spec: SweepSpec; dir: string }, best: CalibrationRow): PointEnsemble {
  return pointEnsembles(cal.spec, cal.dir).find((e) => e.point === best.point)!;
}

export type { ParticleClass };
