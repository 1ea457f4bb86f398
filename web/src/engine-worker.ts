/**
 * The engine in a Web Worker for the browser app (one per particle), on the public API only (`Simulation`).
 *
 * The worker steps on its own: it never waits for the page. It takes steps in slices of ≈ SLICE_MS, posts the
 * step records of each slice (and, at most every FIELDS_EVERY_MS, one field snapshot, Float32, transferred),
 * then yields to its own event loop (a MessageChannel round trip, not setTimeout, which browsers clamp to 4 ms)
 * so a pause or a cancel from the page takes effect within one slice. The page keeps every record and whichever
 * snapshots it wants, and draws the newest one per animation frame; nothing it does slows the stepping.
 *
 *   page → worker                           worker → page
 *   { type: 'create', id, config, wasmUrl }  { type: 'created', id, ok: true, mesh, config, initial, fields,
 *                                              setup_ms } or { type: 'created', id, ok: false, message, issues }
 *   { type: 'run', id }                      { type: 'batch', id, records, fields | null, counters, state, … }
 *   { type: 'pause', id } / 'resume' / 'cancel'   (a batch with the new state answers each)
 *
 * A cycling run (`loading.protocol: "cycling"`) also posts, in `cycles`, the rows of cycles.csv that the engine
 * completed since the last batch (`sim.cycles`, the engine's own CycleRecord: nothing is re-derived here), and ends
 * a slice at every completed cycle so that batch carries the snapshot at the end of that cycle (tagged `cycle`).
 * Rows of cycles passed over by a cycle jump arrive with the next computed cycle, without a snapshot.
 *
 * The batch that ends a completed run also carries the particle's class (`sim.particleClass()`, the sweep tables').
 *
 * `counters` are the worker's own: steps taken, time inside `step()` and the wall time the run was not paused,
 * so the page can report real throughput (steps per wall second) and how busy the worker was.
 */
import { ConfigError, Simulation, SimulationError, meshArrays } from '../../src/index.js';
import type { StepRecord } from '../../src/index.js';
import type { WorkerIn, WorkerOut, WorkerFields, RunCounters, WorkerRunState } from './worker-protocol.js';

/** Steps are taken in slices of about this much work between looks at the message queue (ms). */
const SLICE_MS = 40;
/**
 * A field snapshot is taken when FIELDS_EVERY_MS have passed since the last one, or when the SoC has moved by
 * FIELDS_EVERY_SOC (so a fast run is still scrubbable in steps of 0.01 SoC); the last step always gets one.
 */
const FIELDS_EVERY_MS = 120;
const FIELDS_EVERY_SOC = 0.01;

interface Run {
  id: number;
  sim: Simulation;
  state: WorkerRunState;
  counters: RunCounters;
  /** performance.now() when the current unpaused stretch began (null while paused or ended). */
  activeSince: number | null;
  lastFields_ms: number;
  lastFieldsSoc: number;
  stepping: boolean;
  /** Cycling: rows of sim.cycles already posted. */
  cyclesSent: number;
}

export type Post = (msg: WorkerOut, transfer: Transferable[]) => void;

/**
 * The current fields as Float32 (the page draws them; halves what crosses the thread boundary); `cycle` tags the
 * snapshot at the end of that cycle.
 */
function snapshot(sim: Simulation, cycle?: number): WorkerFields {
  const f = sim.fields();
  return {
    ...(cycle !== undefined ? { cycle } : {}),
    step: sim.stepCount,
    soc: sim.soc,
    time_s: sim.history[sim.history.length - 1]?.time_s ?? 0,
    x: Float32Array.from(f.x),
    displacement_um: Float32Array.from(f.displacement_um),
    damage: Float32Array.from(f.damage),
    opening_nm: Float32Array.from(f.opening_nm),
    stress_MPa: Float32Array.from(f.stress_MPa),
  };
}

function buffersOf(o: object | null): Transferable[] {
  if (!o) return [];
  return Object.values(o).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
}

function wallNow(r: Run): number {
  return r.counters.active_ms + (r.activeSince === null ? 0 : performance.now() - r.activeSince);
}

function stopClock(r: Run): void {
  if (r.activeSince !== null) r.counters.active_ms += performance.now() - r.activeSince;
  r.activeSince = null;
}

/** Yield to the event loop without the 4 ms clamp of nested timers. */
const yieldChannel = new MessageChannel();
let yieldResolve: (() => void) | null = null;
yieldChannel.port1.onmessage = () => {
  const r = yieldResolve;
  yieldResolve = null;
  r?.();
};
// (Node, in tests: the port must not keep the process alive)
(yieldChannel.port1 as unknown as { unref?: () => void }).unref?.();
const yieldNow = () =>
  new Promise<void>((ok) => {
    yieldResolve = ok;
    yieldChannel.port2.postMessage(0);
  });

/**
 * The worker's logic, independent of the worker global: `post` sends a message to the page; the returned function
 * handles one message from it. (Tests drive it in Node; in a worker it is wired to `self` below.)
 */
export function createEngineHost(post: Post): (m: WorkerIn) => void {
  let run: Run | null = null;

  function sendBatch(r: Run, records: StepRecord[], withFields: boolean, error: string | null = null): void {
    const all = r.sim.cycles;
    const cycles = all.length > r.cyclesSent ? all.slice(r.cyclesSent).map((c) => ({ ...c })) : [];
    r.cyclesSent = all.length;
    // a cycle that ended with the last step of this batch: its snapshot is the one at the end of that cycle
    const last = all[all.length - 1];
    const cycleEnd = cycles.length && last.resolved === 1 && last.steps === r.sim.stepCount ? last.cycle : undefined;
    const fields = withFields || cycleEnd !== undefined ? snapshot(r.sim, cycleEnd) : null;
    // A cycle jump right after that cycle (same step) has already extrapolated the damage: say to which cycle.
    if (fields && cycleEnd !== undefined) fields.damageAtCycle = r.sim.damageExtrapolatedToCycle(cycleEnd);
    if (fields) {
      r.lastFields_ms = performance.now();
      r.lastFieldsSoc = fields.soc;
    }
    post(
      {
        type: 'batch',
        id: r.id,
        records,
        fields,
        state: r.state,
        endReason: r.sim.endReason,
        cycles,
        error,
        counters: { ...r.counters, active_ms: wallNow(r) },
        particleClass: r.state === 'done' ? r.sim.particleClassOrNull() : null,
      },
      buffersOf(fields),
    );
  }

  async function stepLoop(r: Run): Promise<void> {
    if (r.stepping) return;
    r.stepping = true;
    try {
      while (run === r && r.state === 'running') {
        const records: StepRecord[] = [];
        const t0 = performance.now();
        let error: string | null = null;
        try {
          while (!r.sim.done && performance.now() - t0 < SLICE_MS) {
            const s0 = performance.now();
            records.push(r.sim.step());
            r.counters.step_ms += performance.now() - s0;
            r.counters.steps++;
            if (Math.abs(r.sim.soc - r.lastFieldsSoc) >= FIELDS_EVERY_SOC) break;
            // a cycle ended: post now, with the snapshot at its end
            if (r.sim.cycles.length > r.cyclesSent) break;
          }
        } catch (e) {
          error =
            e instanceof SimulationError
              ? `${e.message} (step ${e.at.step}, SoC ${e.at.soc.toFixed(4)})`
              : e instanceof Error
                ? e.message
                : String(e);
        }
        if (error) r.state = 'error';
        else if (r.sim.done) r.state = 'done';
        if (r.state !== 'running') stopClock(r);
        const fieldsDue =
          r.state !== 'running' ||
          performance.now() - r.lastFields_ms >= FIELDS_EVERY_MS ||
          Math.abs(r.sim.soc - r.lastFieldsSoc) >= FIELDS_EVERY_SOC;
        sendBatch(r, records, records.length > 0 && fieldsDue, error);
        if (r.state !== 'running') break;
        await yieldNow();
      }
    } finally {
      r.stepping = false;
    }
  }

  async function create(id: number, config: unknown, wasmUrl: string | undefined): Promise<void> {
    run = null;
    const t0 = performance.now();
    let sim: Simulation;
    try {
      sim = await Simulation.create(config, wasmUrl ? { wasmUrl } : {});
    } catch (e) {
      const issues = e instanceof ConfigError ? e.issues : [];
      post({ type: 'created', id, ok: false, message: e instanceof Error ? e.message : String(e), issues }, []);
      return;
    }
    const setup_ms = performance.now() - t0;
    const r: Run = {
      id,
      sim,
      state: 'ready',
      counters: { steps: 0, step_ms: 0, active_ms: 0 },
      activeSince: null,
      lastFields_ms: 0,
      lastFieldsSoc: sim.soc,
      stepping: false,
      cyclesSent: 0,
    };
    run = r;
    const mesh = meshArrays(sim.scenario.mesh);
    const fields = snapshot(sim);
    post(
      {
        type: 'created',
        id,
        ok: true,
        mesh,
        config: structuredClone(sim.config),
        initial: { ...sim.history[0] },
        fields,
        setup_ms,
      },
      [...buffersOf(mesh), ...buffersOf(fields)],
    );
  }

  return (m: WorkerIn): void => {
    if (m.type === 'create') {
      void create(m.id, m.config, m.wasmUrl);
      return;
    }
    const r = run;
    if (!r || r.id !== m.id) return;
    if (m.type === 'run' || m.type === 'resume') {
      if (r.state !== 'ready' && r.state !== 'paused') return;
      r.state = 'running';
      r.activeSince = performance.now();
      void stepLoop(r);
    } else if (m.type === 'pause') {
      if (r.state !== 'running') return;
      r.state = 'paused';
      stopClock(r);
      sendBatch(r, [], true);
    } else if (m.type === 'cancel') {
      if (r.state === 'done' || r.state === 'error' || r.state === 'cancelled') return;
      r.state = 'cancelled';
      stopClock(r);
      sendBatch(r, [], r.counters.steps > 0);
    }
  };
}

/** Inside a dedicated worker: wire the host to the worker's message port. */
const scope = globalThis as unknown as { WorkerGlobalScope?: unknown; postMessage?: unknown };
if (typeof scope.WorkerGlobalScope !== 'undefined' && typeof scope.postMessage === 'function') {
  const w = globalThis as unknown as {
    postMessage(m: unknown, t: Transferable[]): void;
    onmessage: ((e: MessageEvent<WorkerIn>) => void) | null;
  };
  const handle = createEngineHost((m, t) => w.postMessage(m, t));
  w.onmessage = (e) => handle(e.data);
}
