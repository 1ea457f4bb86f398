/**
 * The run directory (docs/outputs.md), written incrementally and atomically so that an interrupted or failed run
 * keeps everything it had:
 *   summary.json            resolved config, engine version, mesh statistics, wall time, status, final metrics
 *   history.csv             one row per accepted step (HISTORY_COLUMNS)
 *   fields_NNNN.vtu         solid mesh: point data x, displacement; cell data grain, region, orientation, stress
 *   interfaces_NNNN.vtu     grain boundaries as line cells: damage, opening_nm, grain_a, grain_b
 *   fields.pvd              the snapshot series for ParaView (time = s; SoC in the file's comments)
 *   checkpoint.json         the state at the last checkpoint step (src/io/checkpoint.ts), removed on completion
 *   checkpoint-history.jsonl  its history rows, appended at each checkpoint, removed on completion
 *   cycles.csv              cycling runs: one row per cycle (CYCLE_COLUMNS)
 *
 * A cycling run keeps only the current cycle's steps in memory (`Simulation.history`) and in its checkpoint;
 * history.csv holds the rows of the completed cycles (written when each cycle ends) followed by the current ones,
 * and a resumed run takes the completed cycles' rows back from the history.csv on disk.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_HISTORY_FILE,
  CheckpointHistoryLog,
  writeCheckpoint,
  type RunCheckpoint,
  type SnapshotEntry,
} from './checkpoint.js';

export type { SnapshotEntry };
import { caseHash } from './config-hash.js';
import { toInputConfig } from '../scenario/input-config.js';
import { derivedPenalty_GPa_per_um } from '../scenario/resolve.js';
import { materialProvenance } from '../scenario/provenance.js';
import { PARAMETER_PROVENANCE } from '../materials/presets.js';
import { csvTable } from './csv.js';
import {
  CYCLE_COLUMNS,
  CYCLING_HISTORY_COLUMNS,
  HISTORY_COLUMNS,
  type CycleRecord,
  type Simulation,
  type StepRecord,
} from '../engine/simulation.js';
import { solidSnapshotPiece, interfaceSnapshotPiece } from './snapshot-vtu.js';
import { writeVtu } from './vtu.js';
import { ENGINE_VERSION } from '../version.js';
import { metricsAtSoc } from './metrics-at-soc.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

// (in its own module: the browser app uses it without this writer's file system)
export { metricsAtSoc };

export class RunWriter {
  readonly snapshots: SnapshotEntry[] = [];
  private readonly pending: number[];
  private lastHistoryWrite = 0;
  private readonly started: number;
  /** Steps at which earlier sessions of this run were resumed. */
  private readonly resumedAt: number[] = [];
  /** Cycling: history.csv lines of the cycles ≤ sealedCycle (text, each ending in a newline). */
  private sealedHistory = '';
  private sealedCycle = 0;
  /** Cycling: output.cycles not yet written as snapshots. */
  private readonly pendingCycles: number[];
  /** The checkpoints' history rows (created at the first checkpoint of a new run). */
  private historyLog: CheckpointHistoryLog | null = null;
  /** Date.now() of the last checkpoint written (−1: none in this session). */
  private lastCheckpointWrite = -1;

  /**
   * `resumed`: the checkpoint `sim` was resumed from (its snapshots are kept; other snapshot files, written by the
   * interrupted session after it, are removed: the resumed run writes them again).
   */
  constructor(
    readonly dir: string,
    readonly sim: Simulation,
    resumed?: RunCheckpoint & { resumed_at?: number[] },
  ) {
    this.pending = sim.cycling ? [] : [...new Set(sim.config.output.snapshots_soc)].sort((a, b) => a - b);
    if (sim.config.loading.direction === 'discharge') this.pending.reverse();
    this.pendingCycles = sim.cycling ? [...(sim.config.output.cycles ?? [])] : [];
    this.started = Date.now() - 1000 * (resumed?.wall_time_s ?? 0);
    if (resumed && sim.cycling) {
      // The completed cycles before the checkpoint's first history row come back from the history.csv on disk.
      const firstCycle = sim.history[0]?.cycle ?? sim.cycling.cycle;
      const path = join(dir, 'history.csv');
      const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(1) : [];
      const col = CYCLING_HISTORY_COLUMNS.indexOf('cycle');
      this.sealedHistory = lines
        .filter((l) => l !== '' && Number(l.split(',')[col]) < firstCycle)
        .map((l) => l + '\n')
        .join('');
      this.sealedCycle = firstCycle - 1;
      this.seal();
      const done = sim.completedCycles;
      while (this.pendingCycles.length && this.pendingCycles[0] <= done) this.pendingCycles.shift();
    }
    if (resumed) {
      // the log may hold rows past the checkpoint (written before the kill): keep exactly the checkpoint's
      this.historyLog = new CheckpointHistoryLog(dir, sim.history);
      this.snapshots.push(...resumed.snapshots);
      this.resumedAt.push(...(resumed.resumed_at ?? []), resumed.step);
      const sign = sim.config.loading.direction === 'charge' ? 1 : -1;
      while (this.pending.length && (sim.soc - this.pending[0]) * sign >= -1e-6) this.pending.shift();
      const kept = new Set(resumed.snapshots.flatMap((s) => [s.fields, s.interfaces]));
      for (const f of readdirSync(dir))
        if (/^(?:fields|interfaces)_\d+\.vtu$/.test(f) && !kept.has(f)) rmSync(join(dir, f), { force: true });
      this.writePvd();
    }
  }

  start(): void {
    this.writeSummary('running');
    this.writeHistory();
    if (this.sim.cycling) this.writeCycles();
  }

  /**
   * Cycling, after every accepted step: when cycles completed, their history rows are sealed, history.csv and
   * cycles.csv written, and a snapshot taken at every completed cycle of output.cycles; history.csv otherwise at
   * most every 10 s; the checkpoint at checkpoint steps.
   */
  private onCyclingStep(rec: StepRecord): void {
    const sim = this.sim;
    const done = sim.completedCycles;
    if (done > this.sealedCycle) {
      this.seal();
      let snapCycle: number | undefined;
      while (this.pendingCycles.length && this.pendingCycles[0] <= done) snapCycle = this.pendingCycles.shift();
      if (snapCycle !== undefined && sim.config.output.vtu) {
        const jumpedTo = sim.damageExtrapolatedToCycle(done);
        this.writeSnapshot(rec, {
          cycle: done,
          ...(jumpedTo !== undefined && { damage_extrapolated_to_cycle: jumpedTo }),
        });
      }
      this.writeHistory();
      this.writeCycles();
    } else if (Date.now() - this.lastHistoryWrite > 10_000) this.writeHistory();
    this.checkpointIfDue();
  }

  /** Move the history rows of the completed cycles into the sealed text (the simulation drops them next step). */
  private seal(): void {
    const done = this.sim.completedCycles;
    if (done <= this.sealedCycle) return;
    const rows = this.sim.history.filter((r) => (r.cycle ?? 0) > this.sealedCycle && (r.cycle ?? 0) <= done);
    if (rows.length) this.sealedHistory += csvTable(CYCLING_HISTORY_COLUMNS, rows).split('\n').slice(1).join('\n');
    this.sealedCycle = done;
  }

  writeCycles(): void {
    writeFileAtomic(join(this.dir, 'cycles.csv'), csvTable(CYCLE_COLUMNS, this.sim.cycles));
  }

  /** Called after every accepted step: history (throttled to once a second) and any snapshot now reached. */
  onStep(rec: StepRecord): void {
    if (this.sim.cycling) return this.onCyclingStep(rec);
    const sign = this.sim.config.loading.direction === 'charge' ? 1 : -1;
    let snap = false;
    while (this.pending.length && (rec.soc - this.pending[0]) * sign >= -1e-6) {
      this.pending.shift();
      snap = true;
    }
    if (snap && this.sim.config.output.vtu) this.writeSnapshot(rec);
    if (snap || Date.now() - this.lastHistoryWrite > 1000) this.writeHistory();
    this.checkpointIfDue();
  }

  /**
   * At a checkpoint step, the checkpoint when `output.checkpoint_min_interval_s` has passed since the last one (the
   * first checkpoint step of a session always writes).
   */
  private checkpointIfDue(): void {
    const sim = this.sim;
    if (!sim.atCheckpointStep || sim.done) return;
    const now = Date.now();
    if (
      this.lastCheckpointWrite >= 0 &&
      now - this.lastCheckpointWrite < 1000 * sim.config.output.checkpoint_min_interval_s
    )
      return;
    this.lastCheckpointWrite = now;
    this.writeCheckpoint();
  }

  /** The state at the current (checkpoint) step: the new history rows appended to the log, then checkpoint.json. */
  writeCheckpoint(): void {
    this.historyLog ??= new CheckpointHistoryLog(this.dir);
    const cp: RunCheckpoint & { resumed_at: number[] } = {
      format: CHECKPOINT_FORMAT,
      engine_version: ENGINE_VERSION,
      config_hash: caseHash(this.sim.config),
      step: this.sim.stepCount,
      wall_time_s: (Date.now() - this.started) / 1000,
      snapshots: this.snapshots.map((s) => ({ ...s })),
      history_rows: this.historyLog.record(this.sim.history),
      simulation: this.sim.checkpoint({ withHistory: false }),
      resumed_at: this.resumedAt,
    };
    writeCheckpoint(join(this.dir, CHECKPOINT_FILE), cp);
  }

  /** Final files. On failure also a snapshot of the last accepted state, so nothing computed is lost. */
  finish(status: Exclude<RunStatus, 'running'>, error?: Error): void {
    const last = this.sim.history[this.sim.history.length - 1];
    if (
      status !== 'completed' &&
      this.sim.config.output.vtu &&
      last &&
      !this.snapshots.some((s) => s.step === last.step)
    )
      this.writeSnapshot(last);
    this.writeHistory();
    if (this.sim.cycling) this.writeCycles();
    this.writeSummary(status, error);
    // A completed run needs no checkpoint; an interrupted or failed one keeps its last for --resume.
    if (status === 'completed')
      for (const f of [CHECKPOINT_FILE, CHECKPOINT_HISTORY_FILE]) rmSync(join(this.dir, f), { force: true });
  }

  writeSnapshot(rec: StepRecord, cycle: Pick<SnapshotEntry, 'cycle' | 'damage_extrapolated_to_cycle'> = {}): void {
    const tag = String(rec.step).padStart(4, '0');
    const fields = `fields_${tag}.vtu`;
    const interfaces = `interfaces_${tag}.vtu`;
    const f = this.sim.fields();
    writeVtu(join(this.dir, fields), solidSnapshotPiece(this.sim.scenario.mesh, f));
    writeVtu(join(this.dir, interfaces), interfaceSnapshotPiece(this.sim.scenario.mesh, f));
    this.snapshots.push({ step: rec.step, time_s: rec.time_s, soc: rec.soc, fields, interfaces, ...cycle });
    this.writePvd();
  }

  private writePvd(): void {
    const entries = this.snapshots
      .map(
        (s) =>
          `    <!-- step ${s.step}, SoC ${s.soc.toFixed(4)}${pvdCycleNote(s)} -->\n` +
          `    <DataSet timestep="${s.time_s}" group="" part="0" file="${s.fields}"/>\n` +
          `    <DataSet timestep="${s.time_s}" group="" part="1" file="${s.interfaces}"/>`,
      )
      .join('\n');
    writeFileAtomic(
      join(this.dir, 'fields.pvd'),
      `<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1" byte_order="LittleEndian">\n  <Collection>\n${entries}\n  </Collection>\n</VTKFile>\n`,
    );
  }

  writeHistory(): void {
    const sim = this.sim;
    const text = sim.cycling
      ? (() => {
          const [header, ...rest] = csvTable(
            CYCLING_HISTORY_COLUMNS,
            sim.history.filter((r) => (r.cycle ?? 0) > this.sealedCycle),
          ).split('\n');
          return header + '\n' + this.sealedHistory + rest.join('\n');
        })()
      : csvTable(HISTORY_COLUMNS, sim.history);
    writeFileAtomic(join(this.dir, 'history.csv'), text);
    this.lastHistoryWrite = Date.now();
  }

  /** Cycling: the cycles.csv rows of output.cycles, with their particle class (summary.json `cycles`). */
  private cyclesAtOutput(): CycleRecord[] {
    const wanted = new Set(this.sim.config.output.cycles ?? []);
    return this.sim.cycles.filter((c) => wanted.has(c.cycle));
  }

  summary(status: RunStatus, error?: Error): Record<string, unknown> {
    const sim = this.sim;
    const last = sim.history[sim.history.length - 1];
    const s = sim.scenario.mesh.stats;
    const at055 = metricsAtSoc(sim.history, 0.55);
    return {
      engine: { name: 'chemofrac', version: ENGINE_VERSION, kernel: sim.kernel.kind },
      status,
      error: error ? { name: error.name, message: error.message } : undefined,
      end_reason: sim.endReason,
      wall_time_s: (Date.now() - this.started) / 1000,
      steps: sim.stepCount,
      resumed_at_steps: this.resumedAt.length ? this.resumedAt : undefined,
      // a valid config (feed it back to `chemofrac run` to repeat the run) and the resolved one (derived values)
      config: toInputConfig(sim.config),
      resolved_config: sim.config,
      // tag (S stated, L literature, D derived, A assumption, user) and source of every material number used
      provenance: {
        material: materialProvenance(
          sim.config.material,
          derivedPenalty_GPa_per_um(sim.config.material, sim.config.microstructure.mean_grain_diameter_um),
        ),
        ...(sim.config.coating ? { coating_material: materialProvenance(sim.config.coating.material) } : {}),
        ...(sim.scenario.mesh.grainInactive?.some((v) => v === 1)
          ? {
              inactive_material: {
                'elasticity.isotropic': PARAMETER_PROVENANCE['rock-salt.elasticity.isotropic'],
                li_exchange: PARAMETER_PROVENANCE['rock-salt.li_exchange'],
              },
            }
          : {}),
      },
      // microstructure.from_synthesis: what the synthesized particle brought (docs/synthesis.md §9)
      synthesized_particle:
        sim.config.microstructure.from_synthesis !== undefined ? synthesizedSummary(sim.scenario) : undefined,
      mesh: {
        nodes: s.nodeCount,
        elements: s.triCount,
        grains: s.grainCount,
        interfaces: s.interfaceCount,
        min_angle_deg: s.minAngle_deg,
        grain_boundary_length_um: s.grainBoundaryLength_um,
        surface_length_um: s.surfaceLength_um,
        solid_area_um2: s.solidArea_um2,
        porosity: s.porosity,
        porosity_by_ring: s.porosityByRing,
        isolated_grains: s.isolatedGrains,
        effective_grain_boundaries: sim.scenario.effectiveBoundaryCount,
      },
      // values the engine derived from the mesh (docs/solver.md, "Accuracy against cost")
      solver: { implex_mean_tolerance: sim.scenario.implexMeanTolerance },
      kernel_memory_bytes: sim.kernel.memoryBytes(),
      x_min_limit_events: { count: sim.limitEvents.length, first: sim.limitEvents.slice(0, 20) },
      at_soc_0_55: at055,
      final: last ? { ...last, particle_class: sim.particleClass() } : null,
      ...(sim.cycling
        ? {
            cycling: {
              completed_cycles: sim.completedCycles,
              resolved_cycles: sim.cycles.filter((c) => c.resolved === 1).length,
              at_output_cycles: this.cyclesAtOutput(),
            },
          }
        : {}),
      snapshots: this.snapshots,
    };
  }

  writeSummary(status: RunStatus, error?: Error): void {
    writeJsonAtomic(join(this.dir, 'summary.json'), this.summary(status, error));
  }
}

/** Inactive grains and the Li host area of a synthesized particle (the SoC normalisation, docs/synthesis.md §9). */
function synthesizedSummary(sc: Simulation['scenario']) {
  const inactive = sc.mesh.grainInactive ?? new Uint8Array(sc.mesh.grainCount);
  let inactiveArea = 0;
  for (let t = 0; t < sc.mesh.triCount; t++) if (sc.triInactive[t]) inactiveArea += sc.triArea_um2[t];
  return {
    from_synthesis: sc.config.microstructure.from_synthesis,
    grains: sc.mesh.grainCount,
    inactive_grains: inactive.reduce((n, v) => n + v, 0),
    inactive_area_um2: inactiveArea,
    li_host_area_um2: sc.solidArea_um2,
    porosity: sc.mesh.stats.porosity,
  };
}

/** The PVD comment's cycle part: which cycle a snapshot ends, and whether its damage is a jump's extrapolation. */
function pvdCycleNote(s: SnapshotEntry): string {
  if (s.cycle === undefined) return '';
  const jump = s.damage_extrapolated_to_cycle;
  return (
    `, end of cycle ${s.cycle}` + (jump !== undefined ? `, damage extrapolated to cycle ${jump} (cycle jump)` : '')
  );
}
