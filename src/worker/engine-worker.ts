/**
 * The engine in a Web Worker, behind comlink: a small typed API over `Simulation` (public API only).
 *
 *   page                                   worker (this file)
 *   api.create(config, { wasmUrl })   →    Simulation.create → mesh arrays, first record, first fields
 *   api.runSteps(n, { maxMs })        →    up to n steps (or maxMs of work) → records + one field snapshot
 *   api.cancel()                      →    later runSteps calls return at once with `cancelled: true`
 *
 * Typed arrays in the answers are fresh copies and are *transferred* (zero-copy) to the page. Config errors come
 * back as data (`{ ok: false, issues }`), not as thrown errors, because comlink keeps only an Error's message.
 *
 * The module exposes itself when it runs inside a dedicated worker; `createEngineApi()` gives the same API in the
 * calling thread (tests, Node).
 */
import { expose, transfer } from 'comlink';
import { ConfigError, Simulation, SimulationError, meshArrays, type WorkerMesh } from '../index.js';
import type { EndReason, ResolvedConfig, StepRecord } from '../index.js';

export type { WorkerMesh } from '../mesh/view-arrays.js';

/** One field snapshot (same layout as `SimulationFields`), tagged with its step. */
export interface WorkerFields {
  step: number;
  soc: number;
  x: Float64Array;
  displacement_um: Float64Array;
  damage: Float64Array;
  opening_nm: Float64Array;
  stress_MPa: Float64Array;
}

export type ConfigIssue = { key: string; message: string };

export type CreateResult =
  | {
      ok: true;
      mesh: WorkerMesh;
      config: ResolvedConfig;
      /** The record of the initial state (step 0). */
      initial: StepRecord;
      fields: WorkerFields;
      /** Mesh + scenario + kernel setup time (ms). */
      setup_ms: number;
    }
  | { ok: false; kind: 'config' | 'error'; message: string; issues: ConfigIssue[] };

export interface StepBatch {
  records: StepRecord[];
  /** Fields after the last step of the batch (null when no step was taken). */
  fields: WorkerFields | null;
  done: boolean;
  endReason: EndReason | null;
  cancelled: boolean;
  /** A SimulationError (or any other failure) ends the run; what was computed stays valid. */
  error: null | { message: string; step?: number; soc?: number };
  /** Wall time spent in `step()` during this batch (ms). */
  step_ms: number;
}

export interface RunStepsOptions {
  /** Stop after this much work (ms) even if fewer than n steps were taken (at least one step is always taken). */
  maxMs?: number;
}

export interface CreateOptions {
  /** Absolute URL of kernel.wasm (the page resolves the bundled asset). */
  wasmUrl?: string;
}

export interface EngineWorkerApi {
  create(config: unknown, opts?: CreateOptions): Promise<CreateResult>;
  runSteps(n: number, opts?: RunStepsOptions): StepBatch;
  cancel(): void;
  /** The current fields (e.g. after a cancel). */
  fields(): WorkerFields | null;
  /** Drop the simulation (frees the kernel's memory with the instance). */
  dispose(): void;
}

function snapshot(sim: Simulation): WorkerFields {
  const f = sim.fields(); // already copies
  return { step: sim.stepCount, soc: sim.soc, ...f };
}

/** Buffers of an object's typed arrays (one level deep), for comlink's transfer list. */
function buffersOf(...objs: (object | null)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const o of objs) {
    if (!o) continue;
    for (const v of Object.values(o)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.push(v.buffer);
  }
  return out;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The API, running in the calling thread. `wrap` transfers typed arrays (identity outside a worker). */
export function createEngineApi(wrap: <T>(value: T, buffers: ArrayBuffer[]) => T = (v) => v): EngineWorkerApi {
  let sim: Simulation | null = null;
  let cancelled = false;
  let failed: StepBatch['error'] = null;

  return {
    async create(config: unknown, opts: CreateOptions = {}): Promise<CreateResult> {
      sim = null;
      cancelled = false;
      failed = null;
      const t0 = performance.now();
      try {
        sim = await Simulation.create(config, opts.wasmUrl ? { wasmUrl: opts.wasmUrl } : {});
      } catch (e) {
        if (e instanceof ConfigError) return { ok: false, kind: 'config', message: e.message, issues: e.issues };
        return { ok: false, kind: 'error', message: errorMessage(e), issues: [] };
      }
      const mesh = meshArrays(sim.scenario.mesh);
      const fields = snapshot(sim);
      const result: CreateResult = {
        ok: true,
        mesh,
        config: structuredClone(sim.config),
        initial: { ...sim.history[0] },
        fields,
        setup_ms: performance.now() - t0,
      };
      return wrap(result, buffersOf(mesh, fields));
    },

    runSteps(n: number, opts: RunStepsOptions = {}): StepBatch {
      const records: StepRecord[] = [];
      const empty = (extra: Partial<StepBatch>): StepBatch => ({
        records,
        fields: null,
        done: sim?.done ?? true,
        endReason: sim?.endReason ?? null,
        cancelled,
        error: failed,
        step_ms: 0,
        ...extra,
      });
      if (!sim || cancelled || failed || sim.done) return empty({});
      const maxMs = opts.maxMs ?? Infinity;
      const t0 = performance.now();
      try {
        while (records.length < n && !sim.done) {
          records.push(sim.step());
          if (performance.now() - t0 >= maxMs) break;
        }
      } catch (e) {
        failed =
          e instanceof SimulationError
            ? { message: e.message, step: e.at.step, soc: e.at.soc }
            : { message: errorMessage(e) };
      }
      const step_ms = performance.now() - t0;
      const fields = records.length ? snapshot(sim) : null;
      const batch: StepBatch = {
        records,
        fields,
        done: sim.done,
        endReason: sim.endReason,
        cancelled,
        error: failed,
        step_ms,
      };
      return wrap(batch, buffersOf(fields));
    },

    cancel(): void {
      cancelled = true;
    },

    fields(): WorkerFields | null {
      if (!sim) return null;
      const f = snapshot(sim);
      return wrap(f, buffersOf(f));
    },

    dispose(): void {
      sim = null;
    },
  };
}

/** Inside a dedicated worker: expose the API on the worker's message port. */
const scope = globalThis as unknown as { WorkerGlobalScope?: unknown; postMessage?: unknown };
if (typeof scope.WorkerGlobalScope !== 'undefined' && typeof scope.postMessage === 'function') {
  expose(createEngineApi((value, buffers) => transfer(value, buffers)));
}
