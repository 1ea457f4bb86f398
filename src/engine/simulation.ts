/**
 * The coupled charge (or discharge) simulation: the time loop of docs/physics.md §3.
 *
 *   per step:  diffusion (backward Euler, surface flux by C-rate, x_min limiter per segment)
 *           →  eigenstrain from the new x  →  mechanics with cohesive damage (IMPL-EX by default: one linear
 *              solve with the extrapolated damage, the implicit update committed, Δt from the a posteriori error;
 *              or the implicit damage-secant iteration, `solver.scheme`; docs/solver.md)
 *           →  metrics;  adaptive Δt, redo (IMPL-EX) or cut-back on failure (implicit).
 *
 * The same class serves the CLI, the batch sweeps and the browser worker: build from a config, `step()` or
 * `run()`, read fields as typed arrays.
 */
import type { Kernel, KernelState, MechanicsOptions, MechanicsReport } from './kernel-api.js';
import {
  computeMetrics,
  classifyParticle,
  grainLi,
  infiltratedCracks,
  interfaceDamage,
  isolatedGrains,
  nodalLi,
  type StepMetrics,
  type ParticleClass,
} from './metrics.js';
import { buildScenario, meshSpecFromConfig, type Scenario } from '../scenario/build.js';
import { applyCycleJump, jumpLength, maxDamageRate } from './cycle-jump.js';
import { ConfigError, resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import type { PolycrystalMesh } from '../mesh/types.js';
import type { SynthesizedMicrostructure } from '../mesh/synthesized.js';

export interface StepRecord extends StepMetrics {
  step: number;
  time_s: number;
  dt_s: number;
  soc: number;
  /** x_mean − (1 − SoC · Δx_1C): the global Li balance, zero to round-off. */
  mass_balance_error: number;
  /** Flux segments held back by the x_min (x_max on discharge) limit in this step. */
  limited_segments: number;
  /** Damage-secant iterations of the accepted mechanics solve (1 for IMPL-EX), and cut-backs (IMPL-EX: redone
   * attempts with half Δt) before it was accepted. */
  iterations: number;
  cutbacks: number;
  /** 1 when the damage iteration stopped at max_iterations with ΔD ≤ damage_lag_tolerance (continued next step). */
  lagged: number;
  /** Mechanics linear solves spent on this step, rejected attempts included (IMPL-EX: 1 unless a step was redone). */
  linear_solves: number;
  /** IMPL-EX a posteriori error max |D_implicit − D_extrapolated| of the accepted step (0 for the implicit scheme). */
  extrapolation_error: number;
  /** IMPL-EX: the length-weighted mean of that error over the damageable points (the error of D̄ in this step). */
  extrapolation_error_mean: number;
  /** Cycling only: the cycle (1-based) and the leg of this step. */
  cycle?: number;
  leg?: LegKind;
}

/** The legs of a cycle (docs/physics.md §9): charge, rest, discharge, rest (rests only when rest_s > 0). */
export type LegKind = 'charge' | 'rest' | 'discharge';

/** How a charge or discharge leg ended: at its SoC limit, or when every surface segment was limited. */
export type LegEnd = 'to_soc' | 'capacity_limited';

/**
 * One row of cycles.csv (docs/outputs.md). Capacities are Li exchanged through the flux surfaces in the leg, as
 * SoC, minus what went into or out of grains isolated at the end of the leg (their Li is not accessible), divided
 * by the first cycle's charge capacity; retention = discharge capacity / the first cycle's discharge capacity.
 */
export interface CycleRecord {
  cycle: number;
  /** 1 when computed, 0 when passed over by a cycle jump (values then interpolated linearly in the cycle number). */
  resolved: number;
  charge_capacity: number;
  discharge_capacity: number;
  retention: number;
  damage_mean: number;
  damaged_fraction: number;
  cracked_fraction: number;
  isolated_fraction: number;
  class: ParticleClass;
  /** 1 when a connected path of cracked boundaries joins the surface to the core (§5). */
  crack_path: number;
  /** Accessible capacity of the legs as SoC (before the normalisation by the first cycle). */
  charge_soc: number;
  discharge_soc: number;
  charge_end: LegEnd | '';
  discharge_end: LegEnd | '';
  /** SoC at the end of the cycle, simulated time and accepted steps so far. */
  soc_end: number;
  time_s: number;
  steps: number;
  isolated_grains: number;
}

/** Column order of cycles.csv (the first nine are the contract). */
export const CYCLE_COLUMNS: (keyof CycleRecord)[] = [
  'cycle',
  'resolved',
  'charge_capacity',
  'discharge_capacity',
  'retention',
  'damage_mean',
  'cracked_fraction',
  'isolated_fraction',
  'class',
  'crack_path',
  'damaged_fraction',
  'isolated_grains',
  'charge_soc',
  'discharge_soc',
  'charge_end',
  'discharge_end',
  'soc_end',
  'time_s',
  'steps',
];

/** The host state of a cycling run between steps (part of the checkpoint). */
export interface CyclingState {
  /** Current cycle, 1-based. */
  cycle: number;
  /** Index of the current leg in `Simulation.legs`. */
  leg: number;
  legStart_time_s: number;
  legStart_soc: number;
  /** Li content of every grain at the start of the current leg (for the isolated-grain correction). */
  legStartGrainLi: Float64Array;
  /** This cycle's accessible charge / discharge capacity (SoC) and how the legs ended, once known. */
  charge_soc: number;
  discharge_soc: number;
  charge_end: LegEnd | '';
  discharge_end: LegEnd | '';
  /** Damage per interface point at the start of this cycle (after a jump: the extrapolated one). */
  cycleStartDamage: Float64Array;
  /** Resolved cycles so far, and the last resolved cycle before a jump whose rows are not yet written (0: none). */
  resolvedCycles: number;
  jumpFrom: number;
  /** `loading.crack_infiltration`: the grain-boundary elements open to the electrolyte in this leg (per element). */
  infiltrated: Uint8Array;
}

/** Column order of history.csv (docs/outputs.md; the first ten are the minimum contract). */
export const HISTORY_COLUMNS: (keyof StepRecord)[] = [
  'step',
  'time_s',
  'soc',
  'x_mean',
  'x_std',
  'damage_mean',
  'damaged_fraction',
  'cracked_fraction',
  'hotspot_fraction',
  'max_principal_MPa',
  'dt_s',
  'coating_hoop_MPa',
  'mass_balance_error',
  'limited_segments',
  'iterations',
  'cutbacks',
  'lagged',
  'linear_solves',
  'extrapolation_error',
  'extrapolation_error_mean',
];

/** history.csv of a cycling run: the cycle and leg after the step number. */
export const CYCLING_HISTORY_COLUMNS: (keyof StepRecord)[] = ['step', 'cycle', 'leg', ...HISTORY_COLUMNS.slice(1)];

/**
 * A point "loaded" for the load-increment bound: effective opening ≥ this × its onset opening λ0
 * (`boundaryCanStillSnap`). One half leaves a margin of a doubling of the opening within one bounded step.
 */
const LOADED_FRACTION_OF_ONSET = 0.5;
/** IMPL-EX: a step whose error ratio (implexErrorRatio) exceeds this is redone with half Δt. */
const IMPLEX_REDO_FACTOR = 2.5;
/** IMPL-EX: at most this many halvings of one step (each costs one linear solve). */
const IMPLEX_MAX_REDOS = 6;

/**
 * IMPL-EX error relative to its targets: max(max error / implex_tolerance, mean error / mean tolerance), the mean
 * tolerance the scenario's (`solver.implex_mean_tolerance`, or its size law for "auto": src/scenario/implex-tolerance.ts).
 */
function implexErrorRatio(report: MechanicsReport, implexTolerance: number, meanTolerance: number): number {
  return Math.max(report.extrapolationError / implexTolerance, report.meanExtrapolationError / meanTolerance);
}

export type EndReason = 'to_soc' | 'duration_s' | 'capacity_limited' | 'cycles';

export interface LimitEvent {
  time_s: number;
  soc: number;
  grain: number;
  segment: number;
}

/** Raised when a step cannot be completed after repeated cut-backs; everything computed so far stays available. */
export class SimulationError extends Error {
  constructor(
    message: string,
    readonly at: { step: number; time_s: number; soc: number },
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

export interface SimulationOptions {
  /** A kernel to use (e.g. one WASM instance per worker, reused across runs); default from config.solver.kernel. */
  kernel?: Kernel;
  /** A prebuilt mesh (otherwise meshed from the config). */
  mesh?: PolycrystalMesh;
  /** Browser: where to fetch the wasm from. */
  wasmUrl?: string;
  /**
   * The particle of `microstructure.from_synthesis`, read and checked by the caller (src/synthesis/charge.ts; this
   * layer reads no files): the mesh is then the synthesis mesh with its voids, inactive and merged grains.
   */
  synthesized?: SynthesizedMicrostructure;
}

export interface SimulationFields {
  /** Li site fraction per node. */
  x: Float64Array;
  /** Displacement per node (2 per node, µm). */
  displacement_um: Float64Array;
  /** Damage per interface element (mean of its two points). */
  damage: Float64Array;
  /** Normal opening per interface element (mean of its two points, nm). */
  opening_nm: Float64Array;
  /** Stress per triangle [σxx, σyy, σxy, σ33] (MPa). */
  stress_MPa: Float64Array;
}

/**
 * Everything the time loop needs to continue from an accepted step: its own state and the kernel's. Taken only at
 * checkpoint steps (every `output.checkpoint_every_steps` steps), where the solver caches are dropped in every
 * run, so that a run resumed from it takes bit-identical steps to one that was never interrupted.
 */
export interface SimulationCheckpoint {
  step: number;
  time_s: number;
  soc: number;
  /** The adaptive step size proposed for the next step (s). */
  dt_s: number;
  endReason: EndReason | null;
  limiter: Float64Array;
  everLimited: Uint8Array;
  limitEvents: LimitEvent[];
  history: StepRecord[];
  kernel: KernelState;
  /** Cycling runs: the protocol's state and the rows of cycles.csv so far. */
  cycling?: CyclingState;
  cycles?: CycleRecord[];
}

/** Resolved config and mesh → scenario → kernel set up: the part of `create` and `resume` that is the same. */
/** config → resolved config → mesh → scenario, and a kernel: what the convenience constructors do first. */
async function prepare(config: unknown, opts: SimulationOptions): Promise<{ scenario: Scenario; kernel: Kernel }> {
  const resolved = isResolved(config) ? config : resolveConfig(config);
  const mesh = opts.mesh ?? (await meshFor(resolved, opts.synthesized));
  const scenario = buildScenario(resolved, mesh);
  const kernel = opts.kernel ?? (await createKernel(resolved.solver.kernel, opts.wasmUrl));
  return { scenario, kernel };
}

/**
 * The mesh of a resolved config: the Voronoi polycrystal, or with `microstructure.from_synthesis` the synthesized
 * particle (which the caller must have read: `synthesized`).
 */
export async function meshFor(resolved: ResolvedConfig, synthesized?: SynthesizedMicrostructure) {
  const spec = meshSpecFromConfig(resolved);
  if (resolved.microstructure.from_synthesis === undefined)
    return (await import('../mesh/index.js')).meshPolycrystal(spec);
  if (!synthesized)
    throw new ConfigError([
      {
        key: 'microstructure.from_synthesis',
        message:
          'this entry point reads no files; read the particle with readSynthesizedCharge (chemofrac run, sweep) and pass it as `synthesized`',
      },
    ]);
  return (await import('../mesh/synthesized.js')).meshSynthesized(spec, synthesized);
}

/** A kernel of the given kind (loaded on demand): WASM (browser: from `wasmUrl`) or the TypeScript oracle. */
export async function createKernel(kind: 'wasm' | 'ts', wasmUrl?: string): Promise<Kernel> {
  if (kind === 'ts') {
    const { createTsKernel } = await import('./ts-kernel/index.js');
    return createTsKernel();
  }
  const { createWasmKernel } = await import('./wasm-kernel.js');
  return createWasmKernel(wasmUrl ? { wasmUrl } : undefined);
}

export class Simulation {
  readonly history: StepRecord[] = [];
  readonly limitEvents: LimitEvent[] = [];
  time_s = 0;
  soc: number;
  stepCount = 0;
  endReason: EndReason | null = null;
  /** Cycling (docs/physics.md §9): the rows of cycles.csv so far, and the protocol's state (null otherwise). */
  readonly cycles: CycleRecord[] = [];
  cycling: CyclingState | null = null;
  /** Cycling: the legs of one cycle, in order. */
  readonly legs: LegKind[];

  private dt_s: number;
  /** C-rate per flux segment of the current leg, and the flux per unit C-rate with its sign (µm/s). */
  private legRate: Float64Array;
  private fluxPerCRate: number;
  private legNominalFlux: number;
  /** Flux segments that carry flux in the current leg (all but the crack faces not infiltrated). */
  private activeSegments: number;
  private readonly legRateEffective: Float64Array;
  private readonly restRate: Float64Array;
  private readonly grainLiNow: Float64Array;
  private readonly q: Float64Array;
  private readonly limiter: Float64Array;
  private readonly xNode: Float64Array;
  private readonly xBefore: Float64Array;
  /** Li site fraction per diffusion dof at the start of the current step (the x-change bound of `adaptDt`). */
  private readonly liStepStart: Float64Array;
  /** 1 for the interfaces whose law can damage (grain boundaries, a debonding coating interface). */
  private readonly damageableInterface: Uint8Array;
  /** Onset opening λ0 = σ_max / K per interface (µm; the load-increment bound's "loaded" test). */
  private readonly onsetOpening_um: Float64Array;
  private readonly everLimited: Uint8Array;
  private readonly nominalFlux: number;

  private constructor(
    readonly config: ResolvedConfig,
    readonly scenario: Scenario,
    readonly kernel: Kernel,
  ) {
    const n = scenario.setup.fluxSegmentCount;
    this.q = new Float64Array(n);
    this.limiter = new Float64Array(n).fill(1);
    this.everLimited = new Uint8Array(n);
    this.xNode = new Float64Array(scenario.mesh.nodeCount);
    this.xBefore = new Float64Array(scenario.mesh.nodeCount);
    this.liStepStart = new Float64Array(kernel.li().length);
    const { interfaceMaterial, interfaceMaterials } = scenario.setup;
    this.damageableInterface = Uint8Array.from(interfaceMaterial, (m) => (interfaceMaterials[m].damageable ? 1 : 0));
    this.onsetOpening_um = Float64Array.from(
      interfaceMaterial,
      (m) => interfaceMaterials[m].strength_MPa / interfaceMaterials[m].penalty_MPa_per_um,
    );
    this.soc = config.loading.initial_soc;
    this.dt_s = Math.min(config.solver.initial_dt_s, config.solver.max_dt_s);
    let flux = 0;
    for (let s = 0; s < n; s++)
      flux += Math.abs(scenario.segmentRate[s] * scenario.fluxPerCRate_um_s) * scenario.segmentLength_um[s];
    this.nominalFlux = flux;
    this.legRate = scenario.segmentRate;
    this.fluxPerCRate = scenario.fluxPerCRate_um_s;
    this.legNominalFlux = flux;
    this.activeSegments = n;
    this.legRateEffective = new Float64Array(n);
    this.restRate = new Float64Array(n);
    this.grainLiNow = new Float64Array(scenario.mesh.grainCount);
    const { loading } = config;
    this.legs =
      scenario.legRates === null
        ? []
        : (loading.rest_s ?? 0) > 0
          ? ['charge', 'rest', 'discharge', 'rest']
          : ['charge', 'discharge'];
    if (scenario.legRates) {
      this.cycling = {
        cycle: 1,
        leg: 0,
        legStart_time_s: 0,
        legStart_soc: this.soc,
        legStartGrainLi: this.currentGrainLi().slice(),
        charge_soc: NaN,
        discharge_soc: NaN,
        charge_end: '',
        discharge_end: '',
        cycleStartDamage: kernel.damage().slice(),
        resolvedCycles: 0,
        jumpFrom: 0,
        infiltrated: new Uint8Array(scenario.mesh.interfaceCount),
      };
      this.applyLeg();
    }
  }

  /** Li content per grain now (a view on a scratch array). */
  private currentGrainLi(): Float64Array {
    nodalLi(this.scenario, this.kernel.li(), this.xNode);
    return grainLi(this.scenario, this.xNode, this.grainLiNow);
  }

  /** The kind of the current leg ('charge' for a single charge or discharge run's only "leg"). */
  get legKind(): LegKind {
    return this.cycling ? this.legs[this.cycling.leg] : this.config.loading.direction;
  }

  /** Whether flux segment f carries flux now (crack faces only while infiltrated). */
  private fluxActive(f: number): boolean {
    const s = this.scenario;
    return f < s.crackFaceStart || this.cycling!.infiltrated[s.crackFaceInterface[f - s.crackFaceStart]] === 1;
  }

  /**
   * Cycling: rates, flux sign and nominal flux of the current leg (no state reset; also after a resume). With
   * infiltrated crack faces the leg's current is unchanged and spreads over the larger surface:
   *   q = ± r Δx_1C A / ((P + P_cracks) 3600 s),  P_cracks the length of the infiltrated faces.
   */
  private applyLeg(): void {
    const s = this.scenario;
    const kind = this.legKind;
    this.legRate = kind === 'rest' ? this.restRate : kind === 'charge' ? s.legRates!.charge : s.legRates!.discharge;
    this.fluxPerCRate = (kind === 'discharge' ? -1 : 1) * Math.abs(s.fluxPerCRate_um_s);
    this.activeSegments = this.legRate.length;
    if (s.crackFaceStart < this.legRate.length) {
      let base = 0;
      let cracks = 0;
      this.activeSegments = 0;
      for (let f = 0; f < this.legRate.length; f++) {
        const on = this.fluxActive(f);
        this.legRateEffective[f] = on ? this.legRate[f] : 0;
        if (f < s.crackFaceStart) base += s.segmentLength_um[f];
        else if (on) cracks += s.segmentLength_um[f];
        if (on) this.activeSegments++;
      }
      this.legRate = this.legRateEffective;
      this.fluxPerCRate *= base / (base + cracks);
    }
    let flux = 0;
    for (let i = 0; i < this.legRate.length; i++)
      flux += Math.abs(this.legRate[i] * this.fluxPerCRate) * s.segmentLength_um[i];
    this.legNominalFlux = flux;
    this.fillFlux();
  }

  /** Cycling: begin the current leg (limiter released, Δt back to its initial value: the surface flux reverses). */
  private startLeg(): void {
    const st = this.cycling!;
    st.legStart_time_s = this.time_s;
    st.legStart_soc = this.soc;
    st.legStartGrainLi = this.currentGrainLi().slice();
    if (this.scenario.crackFaceStart < this.limiter.length)
      st.infiltrated = infiltratedCracks(
        this.scenario,
        this.kernel.damage(),
        this.config.output.isolated_grain_damage ?? 0.99,
      );
    this.limiter.fill(1);
    this.dt_s = Math.min(this.config.solver.initial_dt_s, this.config.solver.max_dt_s);
    this.applyLeg();
    // A leg that starts at (or past) its SoC limit is over at once, with no capacity (no step could land on it).
    const kind = this.legKind;
    if (kind !== 'rest') {
      const { loading } = this.config;
      const to = kind === 'charge' ? loading.charge!.to_soc : loading.discharge!.to_soc;
      if ((to - this.soc) * this.sign <= 1e-9) this.finishLeg('to_soc');
    }
  }

  /**
   * Cycling: end the current leg. A charge or discharge leg's accessible capacity, as SoC, is
   *   C_leg = s (ΔSoC_leg + Σ_{g isolated} ΔX_g / (Δx_1C A)),   s = +1 charge, −1 discharge,
   * ΔSoC_leg the Li through the flux surfaces and ΔX_g = ∫_g x dA (end − start) of each grain isolated at the end
   * of the leg (`isolatedGrains`): what went into or out of isolated grains is not accessible capacity.
   */
  private finishLeg(end: LegEnd): void {
    const st = this.cycling!;
    const kind = this.legKind;
    if (kind !== 'rest') {
      const { loading, output } = this.config;
      const iso = isolatedGrains(this.scenario, this.kernel.damage(), output.isolated_grain_damage ?? 0.99, (f) =>
        this.fluxActive(f),
      );
      const now = this.currentGrainLi();
      let dIso = 0;
      for (let g = 0; g < now.length; g++) if (iso.isolated[g]) dIso += now[g] - st.legStartGrainLi[g];
      const sign = kind === 'charge' ? 1 : -1;
      const capacity = sign * (this.soc - st.legStart_soc + dIso / (loading.delta_x_1C * this.scenario.solidArea_um2));
      if (kind === 'charge') {
        st.charge_soc = capacity;
        st.charge_end = end;
      } else {
        st.discharge_soc = capacity;
        st.discharge_end = end;
      }
    }
    st.leg++;
    if (st.leg === this.legs.length) {
      this.completeCycle();
      if (this.done) return;
      this.maybeJump();
      st.cycle++;
      st.leg = 0;
      st.cycleStartDamage = this.kernel.damage().slice();
      st.charge_soc = NaN;
      st.discharge_soc = NaN;
      st.charge_end = '';
      st.discharge_end = '';
    }
    this.startLeg();
  }

  /**
   * Cycling: after a resolved cycle, jump over ΔN cycles when `solver.cycle_jump` allows it (`cycle-jump.ts`): the
   * damage is extrapolated per point, the simulated time advances by ΔN times the last cycle's duration, and the
   * jumped cycles' rows are written when the next resolved cycle completes.
   */
  private maybeJump(): void {
    const st = this.cycling!;
    const cj = this.config.solver.cycle_jump;
    if (!cj?.enabled) return;
    const N = this.config.loading.cycles ?? 1;
    const nextOutput = (this.config.output.cycles ?? []).find((k) => k > st.cycle) ?? N;
    const dN = jumpLength({
      cycle: st.cycle,
      resolvedCycles: st.resolvedCycles,
      maxRate: maxDamageRate(this.kernel, st.cycleStartDamage),
      tolerance: cj.max_damage_increment,
      nextResolved: Math.min(nextOutput, N),
    });
    if (dN < 1) return;
    const last = this.cycles[this.cycles.length - 1];
    const previousEnd = this.cycles.length > 1 ? this.cycles[this.cycles.length - 2].time_s : 0;
    applyCycleJump(this.kernel, this.scenario, st.cycleStartDamage, dN);
    this.time_s += dN * (last.time_s - previousEnd);
    st.jumpFrom = st.cycle;
    st.cycle += dN;
  }

  /**
   * Rows of the cycles jumped over between the resolved cycles a and b: linear in the cycle number between them
   * (the extrapolated damage is linear per point), no steps spent; the class from the interpolated cracked
   * fraction and the thresholds, broken if a already had a surface-to-core crack path.
   */
  private jumpedRows(a: CycleRecord, b: CycleRecord): CycleRecord[] {
    const th = this.config.output.class_thresholds;
    const rows: CycleRecord[] = [];
    for (let k = a.cycle + 1; k < b.cycle; k++) {
      const t = (k - a.cycle) / (b.cycle - a.cycle);
      const lerp = (x: number, y: number) => x + t * (y - x);
      const cracked = lerp(a.cracked_fraction, b.cracked_fraction);
      rows.push({
        cycle: k,
        resolved: 0,
        charge_capacity: lerp(a.charge_capacity, b.charge_capacity),
        discharge_capacity: lerp(a.discharge_capacity, b.discharge_capacity),
        retention: lerp(a.retention, b.retention),
        damage_mean: lerp(a.damage_mean, b.damage_mean),
        damaged_fraction: lerp(a.damaged_fraction, b.damaged_fraction),
        cracked_fraction: cracked,
        isolated_fraction: lerp(a.isolated_fraction, b.isolated_fraction),
        class:
          a.crack_path || cracked >= th.broken_cracked_fraction
            ? 'broken'
            : cracked >= th.mild_cracked_fraction
              ? 'mildly-damaged'
              : 'intact',
        crack_path: a.crack_path,
        charge_soc: lerp(a.charge_soc, b.charge_soc),
        discharge_soc: lerp(a.discharge_soc, b.discharge_soc),
        charge_end: b.charge_end,
        discharge_end: b.discharge_end,
        soc_end: lerp(a.soc_end, b.soc_end),
        time_s: lerp(a.time_s, b.time_s),
        steps: a.steps,
        isolated_grains: Math.round(lerp(a.isolated_grains, b.isolated_grains)),
      });
    }
    return rows;
  }

  /** Cycling: the cycles.csv row of the cycle just completed (its last step is the last history row). */
  private completeCycle(): void {
    const st = this.cycling!;
    const last = this.history[this.history.length - 1];
    const damage = this.kernel.damage();
    const iso = isolatedGrains(this.scenario, damage, this.config.output.isolated_grain_damage ?? 0.99, (f) =>
      this.fluxActive(f),
    );
    const first = this.cycles[0] ?? { charge_soc: st.charge_soc, discharge_soc: st.discharge_soc };
    const cls = classifyParticle(this.scenario, damage, last.cracked_fraction);
    const row: CycleRecord = {
      cycle: st.cycle,
      resolved: 1,
      charge_capacity: st.charge_soc / first.charge_soc,
      discharge_capacity: st.discharge_soc / first.charge_soc,
      retention: st.discharge_soc / first.discharge_soc,
      damage_mean: last.damage_mean,
      damaged_fraction: last.damaged_fraction,
      cracked_fraction: last.cracked_fraction,
      isolated_fraction: iso.areaFraction,
      class: cls.class,
      crack_path: cls.crackPathSurfaceToCore ? 1 : 0,
      charge_soc: st.charge_soc,
      discharge_soc: st.discharge_soc,
      charge_end: st.charge_end,
      discharge_end: st.discharge_end,
      soc_end: this.soc,
      time_s: this.time_s,
      steps: this.stepCount,
      isolated_grains: iso.count,
    };
    if (st.jumpFrom > 0) this.cycles.push(...this.jumpedRows(this.cycles[this.cycles.length - 1], row));
    st.jumpFrom = 0;
    this.cycles.push(row);
    st.resolvedCycles++;
    if (st.cycle >= (this.config.loading.cycles ?? 1)) this.endReason = 'cycles';
  }

  /**
   * Cycling: when a cycle jump was taken in the step that ended cycle `cycle` (so the damage is already the jump's
   * extrapolation, while x and u are those at the end of `cycle`), the last cycle it passed over; else undefined.
   * The snapshot of an output cycle is taken after that step (the CLI's VTU, the browser's cycle snapshots).
   */
  damageExtrapolatedToCycle(cycle: number): number | undefined {
    const st = this.cycling;
    return st && st.jumpFrom === cycle ? st.cycle - 1 : undefined;
  }

  /** Cycling: the number of completed cycles (resolved or jumped). */
  get completedCycles(): number {
    return this.cycles.length ? this.cycles[this.cycles.length - 1].cycle : 0;
  }

  /** Progress of the run in [0, 1]: SoC or time for a single run, cycles and legs for a cycling run. */
  progressFraction(): number {
    const st = this.cycling;
    const last = this.history[this.history.length - 1];
    if (!st) return last ? runFraction(this.config, last) : 0;
    if (this.done) return 1;
    const { loading } = this.config;
    const kind = this.legKind;
    let inLeg = 0;
    if (kind === 'rest') inLeg = (this.time_s - st.legStart_time_s) / (loading.rest_s || 1);
    else {
      const to = kind === 'charge' ? loading.charge!.to_soc : loading.discharge!.to_soc;
      inLeg = (this.soc - st.legStart_soc) / (to - st.legStart_soc || 1);
    }
    inLeg = Math.min(1, Math.max(0, inLeg));
    return Math.min(1, (st.cycle - 1 + (st.leg + inLeg) / this.legs.length) / (loading.cycles ?? 1));
  }

  /**
   * Build a simulation from a user config (validated and resolved here) or an already resolved one: the
   * convenience wrapper of `start` (it meshes, builds the scenario and picks the kernel).
   */
  static async create(config: unknown, opts: SimulationOptions = {}): Promise<Simulation> {
    const { scenario, kernel } = await prepare(config, opts);
    return Simulation.start(scenario, kernel);
  }

  /**
   * Start a simulation of a built scenario on a kernel (set up here with `scenario.setup`; one kernel per worker
   * can serve run after run): the initial state x = 1 − initial_soc · Δx_1C and its equilibrium.
   */
  static start(scenario: Scenario, kernel: Kernel): Simulation {
    const resolved = scenario.config;
    kernel.setup(scenario.setup);
    const x0 = 1 - resolved.loading.initial_soc * resolved.loading.delta_x_1C;
    kernel.li().fill(x0);
    const sim = new Simulation(resolved, scenario, kernel);
    // Equilibrium of the initial state (no eigenstrain at x = 1, but a discharge may start elsewhere).
    // (implicit: the initial state is not a step of the IMPL-EX extrapolation, κ̇ starts at 0)
    const report = kernel.mechanicsSolve({ ...sim.mechanicsOptions(sim.dt_s), scheme: 'implicit' });
    kernel.commitDamage();
    sim.history.push(sim.record(0, report, 0, 0, false, report.linearSolves));
    sim.afterAcceptedStep();
    return sim;
  }

  /**
   * Continue from a checkpoint (`checkpoint()` of a simulation of the same resolved config). The mesh, scenario and
   * kernel are rebuilt from the config (deterministic: same config, same bytes) and the state is loaded into them.
   */
  static async resume(config: unknown, cp: SimulationCheckpoint, opts: SimulationOptions = {}): Promise<Simulation> {
    const { scenario, kernel } = await prepare(config, opts);
    return Simulation.continueFrom(scenario, kernel, cp);
  }

  /** `resume` on a built scenario and a kernel (set up here). */
  static continueFrom(scenario: Scenario, kernel: Kernel, cp: SimulationCheckpoint): Simulation {
    kernel.setup(scenario.setup);
    kernel.importState(cp.kernel);
    const sim = new Simulation(scenario.config, scenario, kernel);
    if (cp.limiter.length !== sim.limiter.length)
      throw new Error(
        `Simulation.resume: the checkpoint has ${cp.limiter.length} flux segments, this mesh ${sim.limiter.length}`,
      );
    sim.stepCount = cp.step;
    sim.time_s = cp.time_s;
    sim.soc = cp.soc;
    sim.dt_s = cp.dt_s;
    sim.endReason = cp.endReason;
    sim.limiter.set(cp.limiter);
    sim.everLimited.set(cp.everLimited);
    sim.limitEvents.push(...cp.limitEvents);
    sim.history.push(...cp.history);
    if (sim.cycling) {
      if (!cp.cycling || !cp.cycles)
        throw new Error('Simulation.resume: the config is a cycling run but the checkpoint holds no cycling state');
      sim.cycling = {
        ...cp.cycling,
        legStartGrainLi: cp.cycling.legStartGrainLi.slice(),
        cycleStartDamage: cp.cycling.cycleStartDamage.slice(),
        infiltrated: cp.cycling.infiltrated.slice(),
      };
      sim.cycles.push(...cp.cycles.map((c) => ({ ...c })));
      sim.applyLeg();
    }
    return sim;
  }

  /** True when the last accepted step is a checkpoint step (`checkpoint()` then resumes bit-identically). */
  get atCheckpointStep(): boolean {
    const every = this.config.output.checkpoint_every_steps;
    return every > 0 && this.stepCount % every === 0;
  }

  /**
   * The state at the last accepted step (copies). Exact resumption needs `atCheckpointStep`. `withHistory: false`
   * leaves `history` empty, for a writer that keeps the rows elsewhere (the run directory's history log).
   */
  checkpoint({ withHistory = true }: { withHistory?: boolean } = {}): SimulationCheckpoint {
    return {
      step: this.stepCount,
      time_s: this.time_s,
      soc: this.soc,
      dt_s: this.dt_s,
      endReason: this.endReason,
      limiter: this.limiter.slice(),
      everLimited: this.everLimited.slice(),
      limitEvents: this.limitEvents.map((e) => ({ ...e })),
      history: withHistory ? this.history.map((r) => ({ ...r })) : [],
      kernel: this.kernel.exportState(),
      ...(this.cycling
        ? {
            cycling: {
              ...this.cycling,
              legStartGrainLi: this.cycling.legStartGrainLi.slice(),
              cycleStartDamage: this.cycling.cycleStartDamage.slice(),
              infiltrated: this.cycling.infiltrated.slice(),
            },
            cycles: this.cycles.map((c) => ({ ...c })),
          }
        : {}),
    };
  }

  /** At checkpoint steps every run drops the solver caches (see `SimulationCheckpoint`). */
  private afterAcceptedStep(): void {
    if (this.atCheckpointStep) this.kernel.resetSolverCaches();
  }

  get done(): boolean {
    return this.endReason !== null;
  }

  /** Li leaves (charge, +1) or enters (discharge, −1); for a cycling run that of the current leg. */
  private get sign(): number {
    return this.legKind === 'discharge' ? -1 : 1;
  }

  /** The options of this run's mechanics solves for a step of dt_s (from config.solver). */
  mechanicsOptions(dt_s: number): MechanicsOptions {
    const { solver } = this.config;
    return {
      dt_s,
      maxIterations: solver.max_iterations,
      tolerance: solver.tolerance,
      scheme: solver.scheme,
      linearTolerance: solver.mechanics_rtol,
    };
  }

  /** SoC rate (1/s) of the current segment fluxes: dSoC/dt = Σ q_s L_s / (Δx_1C A). */
  private socRate(): number {
    const s = this.scenario;
    let f = 0;
    for (let i = 0; i < this.q.length; i++) f += this.q[i] * s.segmentLength_um[i];
    return f / (this.config.loading.delta_x_1C * s.solidArea_um2);
  }

  private fillFlux(): void {
    const rate = this.legRate;
    const f = this.fluxPerCRate;
    for (let i = 0; i < this.q.length; i++) this.q[i] = rate[i] * f * this.limiter[i];
  }

  /** Pick Δt: the adaptive value, shortened so the step lands on the end SoC/time and on requested snapshots. */
  private chooseDt(): number {
    const { loading, solver, output } = this.config;
    let dt = Math.min(Math.max(this.dt_s, solver.min_dt_s), solver.max_dt_s);
    const st = this.cycling;
    if (st) {
      // Cycling: land on the leg's SoC limit, or on the end of a rest.
      const kind = this.legKind;
      if (kind === 'rest') return Math.min(dt, st.legStart_time_s + (loading.rest_s ?? 0) - this.time_s);
      const rate = this.socRate() * this.sign;
      const to = kind === 'charge' ? loading.charge!.to_soc : loading.discharge!.to_soc;
      const ahead = (to - this.soc) * this.sign;
      if (rate > 0 && ahead > 1e-9 && ahead / rate < dt) dt = Math.max(ahead / rate, solver.min_dt_s);
      return dt;
    }
    const rate = this.socRate() * this.sign;
    if (rate > 0) {
      const targets = [...output.snapshots_soc, ...(loading.to_soc !== undefined ? [loading.to_soc] : [])];
      for (const target of targets) {
        const ahead = (target - this.soc) * this.sign;
        if (ahead > 1e-9 && ahead / rate < dt) dt = Math.max(ahead / rate, solver.min_dt_s);
      }
    }
    if (loading.duration_s !== undefined) dt = Math.min(dt, loading.duration_s - this.time_s);
    return dt;
  }

  /**
   * Diffusion with the per-segment limit: a segment whose surface x would pass x_min (x_max on discharge) has its
   * flux scaled so that it lands on the limit (re-solved; the factorisation is reused, so this is cheap).
   */
  private diffuseWithLimiter(dt: number): number {
    const { loading } = this.config;
    if (this.legKind === 'rest') {
      // A rest: no current, nothing to limit.
      this.fillFlux();
      this.kernel.diffusionStep(dt, this.q);
      return 0;
    }
    const segments = this.scenario.setup.fluxSegmentNodes;
    const dof = this.scenario.setup.diffusionDof;
    const li = this.kernel.li();
    nodalLi(this.scenario, li, this.xBefore);
    // Let previously limited segments try to recover a little each step.
    for (let s = 0; s < this.limiter.length; s++) this.limiter[s] = Math.min(1, this.limiter[s] * 1.25);
    let limited = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      this.fillFlux();
      this.kernel.diffusionStep(dt, this.q);
      const x = this.kernel.li();
      limited = 0;
      let violated = false;
      for (let s = 0; s < this.q.length; s++) {
        if (this.legRate[s] === 0) continue; // a crack face not infiltrated: no flux, nothing to limit
        if (this.q[s] === 0 && this.limiter[s] === 0) {
          limited++;
          continue;
        }
        let worst = 0;
        for (let k = 0; k < 2; k++) {
          const n = segments[2 * s + k];
          const xa = x[dof[n]];
          const xb = this.xBefore[n];
          // distance past the limit, and the fraction of this step's change that is allowed
          const over = this.sign > 0 ? loading.x_min - xa : xa - loading.x_max;
          if (over > 1e-12) {
            const room = this.sign > 0 ? xb - loading.x_min : loading.x_max - xb;
            const change = Math.abs(xb - xa);
            const allowed = room <= 0 || change === 0 ? 0 : Math.min(1, room / change);
            worst = Math.max(worst, 1 - allowed);
          }
        }
        if (worst > 0) {
          violated = true;
          this.limiter[s] *= Math.max(0, (1 - worst) * 0.95);
          if (this.limiter[s] < 1e-6) this.limiter[s] = 0;
          if (!this.everLimited[s]) {
            this.everLimited[s] = 1;
            this.limitEvents.push({
              time_s: this.time_s + dt,
              soc: this.soc,
              grain: this.scenario.fluxSegmentGrain[s],
              segment: s,
            });
          }
        }
        if (this.limiter[s] < 1) limited++;
      }
      if (!violated) return limited;
      this.kernel.restoreState();
    }
    // Last resort: the remaining violation is below the limiter's resolution; accept the step as is.
    this.fillFlux();
    this.kernel.diffusionStep(dt, this.q);
    return limited;
  }

  /** Advance one accepted step (with internal cut-backs). Throws SimulationError after repeated failure. */
  step(): StepRecord {
    if (this.done) throw new Error('The simulation has already ended (' + this.endReason + ').');
    const { solver } = this.config;
    let cutbacks = 0;
    let damageCutbacks = 0;
    let linearSolves = 0;
    // Cycling: history holds the rows of the current cycle (completed cycles are in `cycles` and on disk).
    if (this.cycling && this.history.length && this.history[0].cycle !== this.cycling.cycle) this.history.length = 0;
    let dt = this.chooseDt();
    this.liStepStart.set(this.kernel.li());
    for (;;) {
      this.kernel.saveState();
      const limited = this.diffuseWithLimiter(dt);
      const rate = this.socRate();
      let report = this.kernel.mechanicsSolve(this.mechanicsOptions(dt));
      linearSolves += report.linearSolves;
      if (solver.scheme === 'implex') {
        // IMPL-EX never fails: every attempt is one linear solve with the extrapolated damage, and every attempt
        // can be accepted. One whose a posteriori error exceeds IMPLEX_REDO_FACTOR × its targets is redone with half
        // Δt (at most IMPLEX_MAX_REDOS times, not below implex_dt_floor_s); see adaptDt and docs/solver.md.
        if (
          implexErrorRatio(report, solver.implex_tolerance, this.scenario.implexMeanTolerance) > IMPLEX_REDO_FACTOR &&
          dt / 2 >= solver.implex_dt_floor_s &&
          damageCutbacks < IMPLEX_MAX_REDOS
        ) {
          this.kernel.restoreState();
          damageCutbacks++;
          dt /= 2;
          continue;
        }
        return this.accept(dt, rate, report, damageCutbacks, limited, false, linearSolves, damageCutbacks > 0);
      }
      // A step whose damage grows by more than 2.5 × max_damage_increment is retried once with half Δt, not
      // below damage_dt_floor_s: a softening boundary under eigenstrain loading can snap through at fixed load, and
      // no step size bounds that jump (the secant iteration finds the post-instability state within the step).
      const tooMuchDamage = report.maxDamageIncrement > 2.5 * solver.max_damage_increment;
      const canCut = dt / 2 >= solver.min_dt_s;
      // The damage-secant sequence rises monotonically to the converged damage, so a solve stopped at
      // max_iterations with a small remaining change (≤ damage_lag_tolerance) is a lower bound that the next step
      // continues from: accepted ("lagged"), not cut back. Larger remaining changes are cut back.
      const lagged = !report.converged && report.maxDamageChange <= solver.damage_lag_tolerance;
      if (lagged) report = { ...report, converged: true };
      if (!report.converged || (tooMuchDamage && dt / 2 >= solver.damage_dt_floor_s && damageCutbacks < 1)) {
        this.kernel.restoreState();
        if (!report.converged) cutbacks++;
        else damageCutbacks++;
        if (!report.converged && (cutbacks > solver.max_cutbacks || !canCut))
          throw new SimulationError(
            `The mechanics (damage-secant) iteration did not converge at t = ${this.time_s.toPrecision(6)} s, ` +
              `SoC = ${this.soc.toFixed(4)} after ${cutbacks - 1} step cut-back${cutbacks - 1 === 1 ? '' : 's'} ` +
              `(solver.max_cutbacks = ${solver.max_cutbacks}; last Δt = ${dt.toExponential(3)} s, ` +
              `${report.iterations} iterations, last |ΔD| = ${report.maxDamageChange.toExponential(2)}). ` +
              'Try solver.scheme "implex" (cannot fail), a larger solver.max_iterations, a smaller solver.max_dt_s, or ' +
              'material.gb.viscosity_s > 0.',
            { step: this.stepCount, time_s: this.time_s, soc: this.soc },
          );
        dt /= 2;
        continue;
      }
      return this.accept(dt, rate, report, cutbacks + damageCutbacks, limited, lagged, linearSolves);
    }
  }

  private accept(
    dt: number,
    rate: number,
    report: MechanicsReport,
    cutbacks: number,
    limited: number,
    lagged: boolean,
    linearSolves: number,
    redone = false,
  ): StepRecord {
    this.kernel.commitDamage();
    this.time_s += dt;
    this.soc += rate * dt;
    this.stepCount++;
    const rec = this.record(dt, report, cutbacks, limited, lagged, linearSolves);
    this.history.push(rec);
    this.adaptDt(dt, report, redone);
    this.checkEnd(rate, limited);
    this.afterAcceptedStep();
    return rec;
  }

  /**
   * IMPL-EX step-size control (the default scheme; measured in docs/solver.md). The a posteriori error of a step
   * is the difference between the implicit damage update from the solved openings and the extrapolated damage the
   * equilibrium used, r = D_implicit − D̃, per interface point; its ratio to the targets is
   *   ρ = max(max|r| / implex_tolerance, Σ w |r| / Σ w / implex_mean_tolerance)   (w = L/2, damageable points),
   * the mean term bounding the step's error of the length-weighted mean damage D̄ (|Σ w r| ≤ Σ w |r|);
   * implex_mean_tolerance "auto" (the default) is 1e-4 · √(N_eff / 50), N_eff the particle's effective number of
   * grain boundaries (scenario.implexMeanTolerance, src/scenario/implex-tolerance.ts). Then
   *   - a step with ρ > IMPLEX_REDO_FACTOR (2.5) is redone with half Δt (≤ IMPLEX_MAX_REDOS times, Δt/2 ≥
   *     implex_dt_floor_s); otherwise, and always at the floor, it is accepted: IMPL-EX cannot fail;
   *   - next Δt = Δt · clamp(1/ρ, 0.5, 1.5) (1.5 when ρ = 0), not below min(Δt, implex_dt_floor_s), within
   *     [min_dt_s, max_dt_s]; after a redone step from the accepted (halved) Δt, otherwise from max(Δt, the
   *     adaptive value) (a step shortened to land on a snapshot does not shrink the next one).
   * A snap-through is traversed by IMPL-EX over several steps (the implicit update leads the extrapolation), so,
   * unlike the implicit scheme, smaller steps do resolve it: hence the low floor.
   *
   * Implicit scheme: next Δt from the damage rate of the accepted step: aim at max_damage_increment per step,
   * dt ← dt · clamp(ΔD_target / ΔD_max, 0.5, 1.5), never below damage_dt_floor_s for damage alone (snap-through
   * events are not resolved by smaller steps) and within [min_dt_s, max_dt_s]; a step that needed most of the
   * allowed iterations also shrinks Δt.
   *
   * Both schemes, then: the load-increment bound. The lithiation eigenstrain is the load, and it changes with x, so
   *   next Δt ≤ Δt · max_x_change_per_step / max_i |x_i(t + Δt) − x_i(t)|   (not below min_dt_s),
   * i.e. the last step's fastest rate of x, extrapolated, changes x by at most max_x_change_per_step anywhere, as
   * long as some boundary can still snap (`boundaryCanStillSnap`). The
   * damage error alone lets Δt grow × 1.5 per step while no boundary softens (up to max_dt_s); a boundary that
   * reaches its limit point inside such a long step is overshot, and the extrapolated damage of its snap then pushes
   * neighbours past theirs: measured in docs/solver.md (seed 41 of the accuracy particle ends 0.009 higher in D̄
   * without the bound, on another branch than the reference's).
   */
  private adaptDt(dt: number, report: MechanicsReport, redone = false): void {
    const { solver } = this.config;
    if (solver.scheme === 'implex') {
      const base = redone ? dt : Math.max(dt, this.dt_s);
      const ratio = implexErrorRatio(report, solver.implex_tolerance, this.scenario.implexMeanTolerance);
      const factor = ratio > 0 ? Math.min(1.5, Math.max(0.5, 1 / ratio)) : 1.5;
      const next = Math.max(base * factor, Math.min(base, solver.implex_dt_floor_s));
      this.dt_s = Math.min(Math.max(next, solver.min_dt_s), solver.max_dt_s);
    } else {
      const base = Math.max(dt, this.dt_s);
      const inc = report.maxDamageIncrement;
      let factor = inc > 0 ? Math.min(1.5, Math.max(0.5, solver.max_damage_increment / inc)) : 1.5;
      if (report.iterations > 0.75 * solver.max_iterations) factor = Math.min(factor, 0.7);
      const next = Math.max(base * factor, Math.min(base, solver.damage_dt_floor_s));
      this.dt_s = Math.min(Math.max(next, solver.min_dt_s), solver.max_dt_s);
    }
    if (!this.boundaryCanStillSnap()) return; // nothing can snap any more: the bound would only cost steps
    const xChange = maxAbsDifference(this.kernel.li(), this.liStepStart);
    if (xChange > 0)
      this.dt_s = Math.max(solver.min_dt_s, Math.min(this.dt_s, (dt * solver.max_x_change_per_step) / xChange));
  }

  /**
   * Whether a boundary can still snap, i.e. whether the load-increment bound is needed. Until the first point of a
   * damageable interface has damaged: yes (the whole first loading is bounded). After that, a point counts while it
   * has not damaged (D = 0) and is loaded, its effective opening λ (last step) at least half its onset opening
   * λ0 = σ_max / K. The bound guards what the IMPL-EX error cannot see: a point reaching its onset inside a long
   * step (before onset r = 0). A point already softening is in the error r of every step (max |r| ≤ implex_tolerance
   * per point), so it needs no bound. An unloaded point (in contact, or in a cracked neighbourhood that carries no
   * load) cannot reach its onset within a step that keeps every loaded one bounded. Two regressions this avoids:
   *   - without "loaded", one shielded point that never cracked kept the bound on for good (the reference bare
   *     quarter cycled 1C/1C: 6,300 steps per cycle instead of about 370);
   *   - with "not cracked" (D < 0.99) instead of "not damaged", softening points whose large opening reads as
   *     "loaded" kept it on through a whole discharge (the same quarter at implex_mean_tolerance "auto": 46 points
   *     at 0 < D < 0.99 after the first charge, a first discharge of 4,240 steps instead of about 200).
   */
  private boundaryCanStillSnap(): boolean {
    const damage = this.kernel.damage();
    const opening = this.kernel.lambda();
    const damageable = this.damageableInterface;
    const onset = this.onsetOpening_um;
    let anyDamageable = false;
    let anyDamage = false;
    let anyLoaded = false;
    for (let i = 0; i < damageable.length; i++) {
      if (!damageable[i]) continue;
      anyDamageable = true;
      for (let p = 2 * i; p < 2 * i + 2; p++) {
        if (damage[p] > 0) anyDamage = true;
        if (damage[p] === 0 && opening[p] >= LOADED_FRACTION_OF_ONSET * onset[i]) anyLoaded = true;
      }
    }
    return anyLoaded || (anyDamageable && !anyDamage);
  }

  /**
   * End of the run (single charge/discharge: SoC target, duration, or no flux left), or, cycling, of the current
   * leg: at its SoC limit, at the end of a rest, or when every flux segment is held back by the surface limiter in
   * this step (the constant-current leg cannot be sustained anywhere on the surface: `capacity_limited`).
   */
  private checkEnd(rate: number, limited = 0): void {
    const { loading } = this.config;
    const st = this.cycling;
    if (st) {
      const kind = this.legKind;
      if (kind === 'rest') {
        if (this.time_s >= st.legStart_time_s + (loading.rest_s ?? 0) - 1e-9) this.finishLeg('to_soc');
        return;
      }
      const to = kind === 'charge' ? loading.charge!.to_soc : loading.discharge!.to_soc;
      if ((to - this.soc) * this.sign <= 1e-9) this.finishLeg('to_soc');
      else if (
        limited >= this.activeSegments ||
        Math.abs(rate) * loading.delta_x_1C * this.scenario.solidArea_um2 < 1e-4 * this.legNominalFlux
      )
        this.finishLeg('capacity_limited');
      return;
    }
    if (loading.to_soc !== undefined && (loading.to_soc - this.soc) * this.sign <= 1e-9) this.endReason = 'to_soc';
    else if (loading.duration_s !== undefined && this.time_s >= loading.duration_s - 1e-9)
      this.endReason = 'duration_s';
    else if (Math.abs(rate) * this.config.loading.delta_x_1C * this.scenario.solidArea_um2 < 1e-4 * this.nominalFlux)
      this.endReason = 'capacity_limited';
  }

  private record(
    dt: number,
    report: MechanicsReport,
    cutbacks: number,
    limited = 0,
    lagged = false,
    linearSolves = 0,
  ): StepRecord {
    const k = this.kernel;
    nodalLi(this.scenario, k.li(), this.xNode);
    const m = computeMetrics(this.scenario, this.xNode, k.damage(), k.stress(), this.soc);
    const x0 = 1 - this.config.loading.initial_soc * this.config.loading.delta_x_1C;
    const expected = x0 - (this.soc - this.config.loading.initial_soc) * this.config.loading.delta_x_1C;
    const st = this.cycling;
    return {
      step: this.stepCount,
      ...(st ? { cycle: st.cycle, leg: this.legs[st.leg] } : {}),
      time_s: this.time_s,
      dt_s: dt,
      soc: this.soc,
      ...m,
      mass_balance_error: m.x_mean - expected,
      limited_segments: limited,
      iterations: report.iterations,
      cutbacks,
      lagged: lagged ? 1 : 0,
      linear_solves: linearSolves,
      extrapolation_error: report.extrapolationError,
      extrapolation_error_mean: report.meanExtrapolationError,
    };
  }

  /**
   * Run to the end. `onStep` sees every accepted step; `signal` stops between steps (results kept). The loop
   * yields to the event loop at least every `YIELD_EVERY_MS` of computing, so that signal handlers, timers and
   * messages (SIGINT, SIGTERM, a worker's cancel) are seen at the next step boundary.
   */
  async run(
    opts: { onStep?: (r: StepRecord, sim: Simulation) => void | Promise<void>; signal?: AbortSignal } = {},
  ): Promise<void> {
    let lastYield = performance.now();
    while (!this.done) {
      if (opts.signal?.aborted) return;
      const rec = this.step();
      if (opts.onStep) await opts.onStep(rec, this);
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** Copies of the current fields (safe to keep or post to another thread). */
  fields(): SimulationFields {
    const k = this.kernel;
    const mesh = this.scenario.mesh;
    const x = nodalLi(this.scenario, k.li(), new Float64Array(mesh.nodeCount));
    const damage = interfaceDamage(k.damage(), new Float64Array(mesh.interfaceCount));
    const op = k.opening();
    const opening_nm = new Float64Array(mesh.interfaceCount);
    for (let i = 0; i < mesh.interfaceCount; i++) opening_nm[i] = 500 * (op[4 * i] + op[4 * i + 2]);
    return { x, displacement_um: k.displacement().slice(), damage, opening_nm, stress_MPa: k.stress().slice() };
  }

  /** Final particle class (docs/physics.md §5). */
  particleClass(): { class: ParticleClass; crackPathSurfaceToCore: boolean } {
    const last = this.history[this.history.length - 1];
    return classifyParticle(this.scenario, this.kernel.damage(), last.cracked_fraction);
  }

  /**
   * `particleClass()`, or null when the run has no step record or the classification fails: what the sweep tables
   * (`particle_class`) and the browser's workers report for a completed run.
   */
  particleClassOrNull(): { class: ParticleClass; crackPathSurfaceToCore: boolean } | null {
    try {
      return this.history.length ? this.particleClass() : null;
    } catch {
      return null;
    }
  }
}

/** max_i |a_i − b_i| over two arrays of the same length. */
function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Progress of a run as a fraction of its end (SoC target or duration), in [0, 1]. */
export function runFraction(config: ResolvedConfig, rec: StepRecord): number {
  const { to_soc, initial_soc, duration_s } = config.loading;
  const f =
    to_soc !== undefined ? (rec.soc - initial_soc) / (to_soc - initial_soc || 1) : rec.time_s / (duration_s ?? 1);
  return Math.min(1, Math.max(0, f));
}

/** Longest stretch of computing between two looks at the event loop in `run` (ms). */
const YIELD_EVERY_MS = 50;

/** Let pending events run (a macrotask: signal handlers and timers, not only promise callbacks). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

function isResolved(c: unknown): c is ResolvedConfig {
  return (
    typeof c === 'object' &&
    c !== null &&
    'material' in c &&
    typeof (c as ResolvedConfig).material === 'object' &&
    'D_ab_m2_s' in ((c as ResolvedConfig).material ?? {})
  );
}
