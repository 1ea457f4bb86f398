/**
 * One particle run as the page sees it: the mesh (once), every step record, and field snapshots for play/scrub.
 * Snapshots are stored compactly (Float32) and decimated (every other one dropped, first and last kept) when a
 * run's snapshots pass a memory budget, so long runs stay scrubbable without unbounded memory.
 */
import type { CycleRecord, EndReason, ResolvedConfig, StepRecord } from '../../src/index.js';
import type { ConfigIssue, RunCounters, WorkerFields, WorkerMesh, WorkerRunState } from './worker-protocol.js';

/** idle: nothing set up · starting: meshing · ready: set up, not run yet (the preview) · running · paused · done ·
 * cancelled · error. */
export type RunStatus = 'idle' | 'starting' | 'ready' | 'running' | 'paused' | 'done' | 'cancelled' | 'error';

/** One field snapshot as the page keeps it (Float32, as the worker sends it). */
export type Snapshot = WorkerFields;

/** Snapshot memory per run (bytes) before decimation. */
export const SNAPSHOT_BUDGET_BYTES = 48 * 1024 * 1024;

export class RunState {
  status: RunStatus = 'idle';
  mesh: WorkerMesh | null = null;
  config: ResolvedConfig | null = null;
  /** The config as submitted (what "save config" writes). */
  userConfig: unknown = null;
  history: StepRecord[] = [];
  snapshots: Snapshot[] = [];
  /** Cycling: the engine's cycles.csv rows so far, and the snapshot at the end of every computed cycle. */
  cycles: CycleRecord[] = [];
  cycleSnapshots = new Map<number, Snapshot>();
  /** Config errors from the engine (ConfigError.issues) or a run failure. */
  issues: ConfigIssue[] = [];
  errorMessage = '';
  setup_ms = 0;
  /** The worker's counters: steps taken, ms inside `step()`, ms of wall time not paused. */
  counters: RunCounters = { steps: 0, step_ms: 0, active_ms: 0 };
  /** (steps, active_ms) after every worker message: the throughput over any stretch of the run. */
  progress: [number, number][] = [];
  /** Monotone direction of the run's SoC: +1 charge, −1 discharge. */
  direction = 1;
  started_ms = 0;
  finished_ms = 0;
  endReason: string | null = null;
  /** Decimation level: 2^k means roughly every 2^k-th batch snapshot is kept. */
  decimation = 1;

  constructor(
    readonly slot: string,
    public label: string,
  ) {}

  reset(label: string, userConfig: unknown): void {
    this.label = label;
    this.userConfig = userConfig;
    this.status = 'starting';
    this.mesh = null;
    this.config = null;
    this.history = [];
    this.snapshots = [];
    this.cycles = [];
    this.cycleSnapshots = new Map();
    this.issues = [];
    this.errorMessage = '';
    this.counters = { steps: 0, step_ms: 0, active_ms: 0 };
    this.progress = [];
    this.direction = 1;
    this.started_ms = performance.now();
    this.finished_ms = 0;
    this.endReason = null;
    this.decimation = 1;
  }

  init(mesh: WorkerMesh, config: ResolvedConfig, initial: StepRecord, fields: WorkerFields, setup_ms: number): void {
    this.mesh = mesh;
    this.config = config;
    this.history = [initial];
    this.snapshots = [fields];
    this.setup_ms = setup_ms;
    this.direction = config.loading.direction === 'discharge' ? -1 : 1;
    this.status = 'ready';
  }

  /** The run starts stepping (after `init`). */
  begin(): void {
    this.status = 'running';
    this.started_ms = performance.now();
  }

  /** A message of the worker: new records, maybe a snapshot, its state and counters. */
  addBatch(
    records: StepRecord[],
    fields: WorkerFields | null,
    state: WorkerRunState,
    endReason: EndReason | null,
    error: string | null,
    counters: RunCounters,
    cycles: CycleRecord[] = [],
  ): void {
    for (const r of records) this.history.push(r);
    for (const c of cycles) this.cycles.push(c);
    // kept apart from the thinned-out timeline snapshots: the cycle slider needs them
    if (fields?.cycle !== undefined) this.addCycleSnapshot(fields);
    this.counters = counters;
    if (records.length) this.progress.push([counters.steps, counters.active_ms]);
    if (fields) this.addSnapshot(fields);
    if (error) this.fail(error);
    else if (state === 'done') this.finish('done', endReason);
    else if (state === 'cancelled') this.finish('cancelled', null);
    else if (state === 'paused' || state === 'running') this.status = state;
  }

  finish(status: 'done' | 'cancelled', endReason: string | null): void {
    this.status = status;
    this.endReason = endReason;
    this.finished_ms = performance.now();
  }

  fail(message: string, issues: ConfigIssue[] = []): void {
    this.status = 'error';
    this.errorMessage = message;
    this.issues = issues;
    this.finished_ms = performance.now();
  }

  get active(): boolean {
    return this.status === 'starting' || this.status === 'running';
  }

  /** Real throughput: steps completed per wall second the run was not paused (the worker's own counts). */
  get stepsPerSecond(): number {
    const c = this.counters;
    return c.steps > 0 && c.active_ms > 0 ? (1000 * c.steps) / c.active_ms : 0;
  }

  /** Fraction of the (unpaused) wall time the worker spent inside `step()`. */
  get busyFraction(): number {
    const c = this.counters;
    return c.active_ms > 0 ? Math.min(1, c.step_ms / c.active_ms) : 0;
  }

  /** A cycling run (`loading.protocol: "cycling"`): SoC goes up and down, the timeline runs on time. */
  get cycling(): boolean {
    return this.config?.loading.protocol === 'cycling';
  }

  /**
   * The snapshot at the end of cycle k, or of the last computed cycle before it (k was passed over by a cycle
   * jump, or has not been reached); null before the end of the first cycle.
   */
  snapshotAtCycle(k: number): Snapshot | null {
    let best: Snapshot | null = null;
    for (const [c, s] of this.cycleSnapshots) if (c <= k && (!best || c > best.cycle!)) best = s;
    return best;
  }

  get lastSoc(): number {
    return this.history.length ? this.history[this.history.length - 1].soc : 0;
  }

  /**
   * Keep the snapshot at the end of a cycle. Past the memory budget (many computed cycles of a big mesh), every
   * other kept cycle is dropped (the first and the newest stay); the slider then shows the nearest kept one before.
   */
  private addCycleSnapshot(s: Snapshot): void {
    this.cycleSnapshots.set(s.cycle!, s);
    if (this.cycleSnapshots.size * snapshotBytes(s) <= SNAPSHOT_BUDGET_BYTES || this.cycleSnapshots.size <= 8) return;
    const cycles = [...this.cycleSnapshots.keys()].sort((a, b) => a - b);
    cycles.forEach((c, i) => {
      if (i % 2 === 1 && i !== cycles.length - 1) this.cycleSnapshots.delete(c);
    });
  }

  private addSnapshot(s: Snapshot): void {
    this.snapshots.push(s);
    const bytes = this.snapshots.length * snapshotBytes(s);
    if (bytes > SNAPSHOT_BUDGET_BYTES && this.snapshots.length > 8) {
      const last = this.snapshots[this.snapshots.length - 1];
      this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0);
      if (this.snapshots[this.snapshots.length - 1] !== last) this.snapshots.push(last);
      this.decimation *= 2;
    }
  }

  /**
   * The latest snapshot the run had reached at `soc`: on a charge the last one with SoC ≤ soc, on a discharge the
   * last one with SoC ≥ soc (the first snapshot when the run had not got there yet).
   */
  snapshotAtSoc(soc: number): Snapshot | null {
    return this.lookup(this.snapshots, (s) => this.direction * s.soc <= this.direction * soc + 1e-9);
  }

  /** The latest snapshot at or before time `t_s`. */
  snapshotAtTime(t_s: number): Snapshot | null {
    return this.lookup(this.snapshots, (s) => s.time_s <= t_s + 1e-9);
  }

  /** Binary search for the last element that `reached` holds for (it is monotone along the run). */
  private lookup(s: Snapshot[], reached: (s: Snapshot) => boolean): Snapshot | null {
    if (!s.length) return null;
    if (!reached(s[0])) return s[0];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (reached(s[mid])) lo = mid;
      else hi = mid - 1;
    }
    return s[lo];
  }

  /** The history record of a snapshot's step. */
  recordOf(s: Snapshot): StepRecord | undefined {
    const h = this.history;
    if (h[s.step]?.step === s.step) return h[s.step];
    return h.find((r) => r.step === s.step);
  }
}

function snapshotBytes(s: Snapshot): number {
  return (
    s.x.byteLength +
    s.displacement_um.byteLength +
    s.damage.byteLength +
    s.opening_nm.byteLength +
    s.stress_MPa.byteLength
  );
}
