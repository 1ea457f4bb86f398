/**
 * One synthesis (calcination, docs/synthesis.md) in a Web Worker: the library's `SynthesisModel` on the mesh of
 * `buildSynthesisMesh`, stepped exactly as `chemofrac synthesize` steps it (`model.step()` until the program ends;
 * nothing else touches the state), so the records are the CLI's history.csv rows, bit for bit. One model per
 * worker; the page (synthesis-view.ts) starts one worker per run.
 *
 * It imports the public entry (src/index.ts) for the synthesis config, mesh and model, which are pure (the mesh
 * hash, node:crypto, is in src/synthesis/mesh-hash.ts): the bundled worker holds no code of a Node module (the
 * e2e test checks).
 *
 * Protocol: the page posts `{ type: 'start', config }` and may post `{ type: 'cancel' }`. The worker answers
 * `created` (the mesh arrays, the expanded config, the program's segments and the snapshot at t = 0) or the config
 * errors, then `batch` messages every ~40 ms of computing with the new step records and the snapshots taken since
 * the last batch; the last one has the state `done` (or `cancelled`, `error`).
 *
 * Snapshots (per-triangle fields, as the CLI's fields_NNNN.vtu cell data, Float64 so they compare exactly) are
 * taken at t = 0, at the end of every program step (where the CLI writes its VTU files), and in between whenever
 * 1/SNAPSHOTS_PER_PROGRAM of the program's duration has passed since the last one.
 */
import {
  SynthesisConfigError,
  SynthesisModel,
  buildSynthesisMesh,
  meshArrays,
  parseSynthesisConfig,
  type ProgramSegment,
  type SynthesisConfig,
  type SynthesisRecord,
  type WorkerMesh,
} from '../../src/index.js';

/** Snapshots in time between the program-step ends: about this many over the whole program. */
export const SNAPSHOTS_PER_PROGRAM = 60;
/** Computing between two looks at the message queue (ms). */
const SLICE_MS = 40;

/** The synthesis fields at one time: per triangle (mean of its three nodes, as the CLI's VTU cell data). */
export interface SynthesisSnapshot {
  /** Steps taken (0: the start). */
  step: number;
  time_s: number;
  T_C: number;
  /** The program step that just ended (its index in `steps`), −1 otherwise. */
  programStepEnded: number;
  lithiated: Float64Array;
  rock_salt: Float64Array;
  void: Float64Array;
  /** Li in solution c, per node (units of c_s). */
  li_solution: Float64Array;
  /** Grain-boundary opening o per interface element (1 open, 0 closed). */
  opening: Float64Array;
}

export type SynthesisWorkerIn = { type: 'start'; config: unknown } | { type: 'cancel' };

export type SynthesisWorkerOut =
  | {
      type: 'created';
      ok: true;
      mesh: WorkerMesh;
      config: SynthesisConfig;
      segments: ProgramSegment[];
      duration_s: number;
      snapshot: SynthesisSnapshot;
      /** Mesh and model set-up (ms). */
      setup_ms: number;
    }
  | { type: 'created'; ok: false; message: string; issues: { key: string; message: string }[] }
  | {
      type: 'batch';
      records: SynthesisRecord[];
      snapshots: SynthesisSnapshot[];
      state: 'running' | 'done' | 'cancelled' | 'error';
      error: string | null;
      /** Steps and ms inside `step()` so far. */
      steps: number;
      step_ms: number;
    };

/** The snapshot of a model's state now (copies). */
export function synthesisSnapshot(model: SynthesisModel, programStepEnded = -1): SynthesisSnapshot {
  return {
    step: model.stepCount,
    time_s: model.time_s,
    T_C: model.T_C,
    programStepEnded,
    lithiated: model.triangleField(model.XL),
    rock_salt: model.triangleField(model.XRS),
    void: model.triangleField(model.voidField()),
    li_solution: Float64Array.from(model.c),
    opening: Float64Array.from(model.opening),
  };
}

const scope = globalThis as unknown as {
  postMessage(m: SynthesisWorkerOut, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<SynthesisWorkerIn>) => void) | null;
};

let cancelled = false;

function transferables(snaps: SynthesisSnapshot[]): Transferable[] {
  return snaps.flatMap((s) => [
    s.lithiated.buffer,
    s.rock_salt.buffer,
    s.void.buffer,
    s.li_solution.buffer,
    s.opening.buffer,
  ]);
}

function start(input: unknown): void {
  let config: SynthesisConfig;
  try {
    config = parseSynthesisConfig(input);
  } catch (e) {
    const issues = e instanceof SynthesisConfigError ? e.issues : [];
    scope.postMessage({ type: 'created', ok: false, message: e instanceof Error ? e.message : String(e), issues });
    return;
  }
  const t0 = performance.now();
  let model: SynthesisModel;
  try {
    // the mesher's limits (e.g. more grains than elements) are refused here, with the mesher's message
    model = new SynthesisModel(buildSynthesisMesh(config), config.synthesis);
  } catch (e) {
    scope.postMessage({ type: 'created', ok: false, message: e instanceof Error ? e.message : String(e), issues: [] });
    return;
  }
  const mesh = model.mesh;
  const setup_ms = performance.now() - t0;
  const first = synthesisSnapshot(model);
  scope.postMessage(
    {
      type: 'created',
      ok: true,
      mesh: meshArrays(mesh),
      config,
      segments: model.program.segments,
      duration_s: model.program.duration_s,
      snapshot: first,
      setup_ms,
    },
    transferables([first]),
  );
  const every_s = model.program.duration_s / SNAPSHOTS_PER_PROGRAM;
  let lastSnapshot_s = 0;
  let step_ms = 0;
  const slice = () => {
    const records: SynthesisRecord[] = [];
    const snapshots: SynthesisSnapshot[] = [];
    const until = performance.now() + SLICE_MS;
    let error: string | null = null;
    try {
      while (!cancelled && !model.done && performance.now() < until) {
        const s0 = performance.now();
        records.push(model.step());
        step_ms += performance.now() - s0;
        if (model.programStepEnded >= 0) {
          // the end of a program step: where the CLI writes fields_NNNN.vtu
          snapshots.push(synthesisSnapshot(model, model.programStepEnded));
          lastSnapshot_s = model.time_s;
        } else if (model.time_s - lastSnapshot_s >= every_s) {
          snapshots.push(synthesisSnapshot(model));
          lastSnapshot_s = model.time_s;
        }
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const state = error ? 'error' : model.done ? 'done' : cancelled ? 'cancelled' : 'running';
    scope.postMessage(
      { type: 'batch', records, snapshots, state, error, steps: model.stepCount, step_ms },
      transferables(snapshots),
    );
    if (state === 'running') setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

scope.onmessage = (e) => {
  if (e.data.type === 'cancel') cancelled = true;
  else start(e.data.config);
};
