/** The messages between the page and its engine workers (engine-worker.ts), and what they carry. */
import type { CycleRecord, EndReason, ParticleClass, ResolvedConfig, StepRecord } from '../../src/index.js';

/** The mesh arrays the view and the VTU export need (copies of `sim.scenario.mesh`). */
/** The mesh arrays of a run, as the worker entry defines them (one definition for both workers). */
export type { WorkerMesh } from '../../src/index.js';
import type { WorkerMesh } from '../../src/index.js';

/** One field snapshot (the layout of `SimulationFields`, Float32), tagged with its step, SoC and time. */
export interface WorkerFields {
  /** Cycling: set on the snapshot at the end of this cycle (1-based). */
  cycle?: number;
  /**
   * Cycling: set when a cycle jump followed that cycle in the same step; the damage then is the jump's
   * extrapolation to the end of this (later) cycle, while x and the displacement are the end of `cycle`.
   */
  damageAtCycle?: number;
  step: number;
  soc: number;
  time_s: number;
  x: Float32Array;
  displacement_um: Float32Array;
  damage: Float32Array;
  opening_nm: Float32Array;
  stress_MPa: Float32Array;
}

export type ConfigIssue = { key: string; message: string };

/** The worker's own counters of a run: steps taken, ms inside `step()`, ms of wall time not paused. */
export interface RunCounters {
  steps: number;
  step_ms: number;
  active_ms: number;
}

export type WorkerRunState = 'ready' | 'running' | 'paused' | 'done' | 'cancelled' | 'error';

export type WorkerIn =
  | { type: 'create'; id: number; config: unknown; wasmUrl?: string }
  | { type: 'run' | 'pause' | 'resume' | 'cancel'; id: number };

export type WorkerOut =
  | {
      type: 'created';
      id: number;
      ok: true;
      mesh: WorkerMesh;
      config: ResolvedConfig;
      initial: StepRecord;
      fields: WorkerFields;
      setup_ms: number;
    }
  | { type: 'created'; id: number; ok: false; message: string; issues: ConfigIssue[] }
  | {
      type: 'batch';
      id: number;
      records: StepRecord[];
      fields: WorkerFields | null;
      state: WorkerRunState;
      endReason: EndReason | null;
      /** Cycling: rows of cycles.csv completed since the last batch (the engine's CycleRecord; else empty). */
      cycles: CycleRecord[];
      error: string | null;
      counters: RunCounters;
      /** The batch that ends a completed run: the engine's `sim.particleClass()` (else null). */
      particleClass: { class: ParticleClass; crackPathSurfaceToCore: boolean } | null;
    };
