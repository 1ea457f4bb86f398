/**
 * The page side of one engine worker (engine-worker.ts): one module worker per particle slot, plain messages.
 *
 *   prepare(config)   mesh and set up the run (the preview shown before Run: mesh and initial state)
 *   start()           the worker steps on its own and posts records and snapshots; resolves when the run ends
 *   pause() / resume() / cancel()
 *
 * The page never answers the worker, so the engine never waits for it. Every message only updates the slot's
 * `RunState` and asks for a redraw (`onUpdate`); drawing happens once per animation frame with the newest data.
 * If the worker is stuck (meshing, or one long step) when a cancel or a new config comes, it is terminated and a
 * fresh one started.
 */
import wasmAsset from '../../build/kernel.wasm?url';
import type { RunState } from './run-state.js';
import type { WorkerIn, WorkerOut } from './worker-protocol.js';

/** How long a cancel waits for the worker to acknowledge before terminating it. */
const CANCEL_GRACE_MS = 1500;

export const wasmUrl = new URL(wasmAsset, location.href).href;

let nextId = 1;

export class EngineClient {
  private worker!: Worker;
  /** Id of the worker's current run (messages of older runs are ignored). */
  private id = 0;
  /** JSON of the config the worker has set up and not yet stepped (reused by `start`). */
  preparedKey: string | null = null;
  private run: RunState | null = null;
  private onUpdate: () => void = () => undefined;
  private created: ((ok: boolean) => void) | null = null;
  private ended: (() => void) | null = null;
  /** The worker is busy without a message loop (meshing, or inside a step): true from create until created. */
  private creating = false;

  constructor(readonly name: string) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
      type: 'module',
      name: `chemofrac-engine-${this.name}`,
    });
    this.worker.onmessage = (e: MessageEvent<WorkerOut>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.run?.fail(e.message || 'the engine worker failed to start');
      this.creating = false;
      this.created?.(false);
      this.finishWait();
      this.onUpdate();
    };
  }

  private post(m: WorkerIn): void {
    this.worker.postMessage(m);
  }

  private receive(m: WorkerOut): void {
    if (m.id !== this.id || !this.run) return;
    const run = this.run;
    if (m.type === 'created') {
      this.creating = false;
      if (m.ok) run.init(m.mesh, m.config, m.initial, m.fields, m.setup_ms);
      else run.fail(m.message, m.issues);
      const done = this.created;
      this.created = null;
      done?.(m.ok);
    } else {
      run.addBatch(m.records, m.fields, m.state, m.endReason, m.error, m.counters, m.cycles);
      if (!run.active && run.status !== 'paused') this.finishWait();
    }
    this.onUpdate();
  }

  private finishWait(): void {
    const e = this.ended;
    this.ended = null;
    e?.();
  }

  /** Mesh and set up `config` for `run` (its preview); resolves true when the run is ready to start. */
  prepare(config: unknown, run: RunState, onUpdate: () => void): Promise<boolean> {
    if (this.creating) {
      // the worker is meshing a config nobody wants any more: start a fresh one
      this.worker.terminate();
      this.spawn();
    }
    this.created?.(false);
    this.finishWait();
    this.id = nextId++;
    this.run = run;
    this.onUpdate = onUpdate;
    this.creating = true;
    const key = JSON.stringify(config);
    this.preparedKey = null;
    return new Promise<boolean>((ok) => {
      this.created = (good) => {
        if (good) this.preparedKey = key;
        ok(good);
      };
      this.post({ type: 'create', id: this.id, config, wasmUrl });
    });
  }

  /** Start stepping the prepared run; resolves when it has ended (done, cancelled or failed). */
  start(): Promise<void> {
    const run = this.run;
    if (!run || run.status !== 'ready') return Promise.resolve();
    this.preparedKey = null;
    run.begin();
    this.onUpdate();
    return new Promise<void>((ok) => {
      this.ended = ok;
      this.post({ type: 'run', id: this.id });
    });
  }

  pause(): void {
    if (this.run?.status === 'running') this.post({ type: 'pause', id: this.id });
  }

  resume(): void {
    if (this.run?.status === 'paused') {
      this.run.status = 'running';
      this.post({ type: 'resume', id: this.id });
    }
  }

  /** Cancel the current run (results so far are kept); a worker that does not answer in time is replaced. */
  async cancel(): Promise<void> {
    const run = this.run;
    if (!run || !(run.active || run.status === 'paused' || run.status === 'ready')) return;
    this.preparedKey = null;
    if (this.creating || run.status === 'ready') {
      this.worker.terminate();
      this.spawn();
      this.creating = false;
      this.created?.(false);
      this.created = null;
      run.finish('cancelled', null);
      this.finishWait();
      this.onUpdate();
      return;
    }
    const ended = new Promise<void>((ok) => {
      const prev = this.ended;
      this.ended = () => {
        prev?.();
        ok();
      };
    });
    this.post({ type: 'cancel', id: this.id });
    const timedOut = await Promise.race([
      ended.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), CANCEL_GRACE_MS)),
    ]);
    if (timedOut) {
      // A single step is still running: the worker cannot hear us until it ends. Replace it.
      this.worker.terminate();
      this.spawn();
      if (run.active || run.status === 'paused') run.finish('cancelled', null);
      this.finishWait();
      this.onUpdate();
    }
  }

  terminate(): void {
    this.worker.terminate();
  }
}
