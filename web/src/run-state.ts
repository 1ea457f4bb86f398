/**
 * One particle run as the page sees it: the mesh (once), every step record, and field snapshots for play/scrub.
 * Snapshots are stored compactly (Float32) and decimated (every other one dropped, first and last kept) when a
 * run's snapshots pass a memory budget, so long runs stay scrubbable without unbounded memory.
 */
import type { ResolvedConfig, StepRecord } from '../../src/index.js';
import type { ConfigIssue, StepBatch, WorkerFields, WorkerMesh } from '../../src/worker/engine-worker.js';

export type RunStatus = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

export interface Snapshot {
  step: number;
  soc: number;
  /** Li site fraction per node. */
  x: Float32Array;
  /** Displacement per node (2 per node, µm). */
  displacement_um: Float32Array;
  /** Damage and normal opening (nm) per interface element. */
  damage: Float32Array;
  opening_nm: Float32Array;
  /** [σxx, σyy, σxy, σ33] per triangle (MPa). */
  stress_MPa: Float32Array;
}

/** Snapshot memory per run (bytes) before decimation. */
export const SNAPSHOT_BUDGET_BYTES = 64 * 1024 * 1024;

export class RunState {
  status: RunStatus = 'idle';
  mesh: WorkerMesh | null = null;
  config: ResolvedConfig | null = null;
  /** The config as submitted (what "save config" writes). */
  userConfig: unknown = null;
  history: StepRecord[] = [];
  snapshots: Snapshot[] = [];
  /** Config errors from the engine (ConfigError.issues) or a run failure. */
  issues: ConfigIssue[] = [];
  errorMessage = '';
  setup_ms = 0;
  /** Wall time inside `step()` (worker side) and number of steps, for steps per second. */
  stepWall_ms = 0;
  started_ms = 0;
  finished_ms = 0;
  endReason: string | null = null;
  /** Decimation level: 2^k means roughly every 2^k-th batch snapshot is kept. */
  decimation = 1;

  constructor(
    readonly slot: 'A' | 'B',
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
    this.issues = [];
    this.errorMessage = '';
    this.stepWall_ms = 0;
    this.started_ms = performance.now();
    this.finished_ms = 0;
    this.endReason = null;
    this.decimation = 1;
  }

  init(mesh: WorkerMesh, config: ResolvedConfig, initial: StepRecord, fields: WorkerFields, setup_ms: number): void {
    this.mesh = mesh;
    this.config = config;
    this.history = [initial];
    this.snapshots = [compact(fields)];
    this.setup_ms = setup_ms;
    this.status = 'running';
  }

  addBatch(b: StepBatch): void {
    this.history.push(...b.records);
    this.stepWall_ms += b.step_ms;
    if (b.fields) this.addSnapshot(compact(b.fields));
    if (b.error) this.fail(b.error.message);
    else if (b.done) this.finish('done', b.endReason);
    else if (b.cancelled) this.finish('cancelled', null);
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

  /** Accepted steps per second of engine time (worker side, excluding setup). */
  get stepsPerSecond(): number {
    const steps = this.history.length - 1;
    return steps > 0 && this.stepWall_ms > 0 ? (1000 * steps) / this.stepWall_ms : 0;
  }

  get lastSoc(): number {
    return this.history.length ? this.history[this.history.length - 1].soc : 0;
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

  /** The latest snapshot at or before `soc` (the first one if none). */
  snapshotAtSoc(soc: number): Snapshot | null {
    const s = this.snapshots;
    if (!s.length) return null;
    let lo = 0;
    let hi = s.length - 1;
    if (s[0].soc > soc) return s[0];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid].soc <= soc + 1e-9) lo = mid;
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

function compact(f: WorkerFields): Snapshot {
  return {
    step: f.step,
    soc: f.soc,
    x: Float32Array.from(f.x),
    displacement_um: Float32Array.from(f.displacement_um),
    damage: Float32Array.from(f.damage),
    opening_nm: Float32Array.from(f.opening_nm),
    stress_MPa: Float32Array.from(f.stress_MPa),
  };
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
