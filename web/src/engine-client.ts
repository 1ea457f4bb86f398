/**
 * The page side of the engine worker: one module worker per particle, driven through comlink. A run is a loop of
 * short `runSteps` batches (≈ 60 ms of engine work each), so the page stays responsive, snapshots arrive often,
 * and a cancel takes effect at the next batch. If the worker is stuck in one long step, cancel terminates it and
 * starts a fresh one.
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import wasmAsset from '../../build/kernel.wasm?url';
import type { EngineWorkerApi } from '../../src/worker/engine-worker.js';
import type { RunState } from './run-state.js';

const BATCH_MS = 60;
/** How long a cancel waits for the worker's current batch before terminating it. */
const CANCEL_GRACE_MS = 1500;

export const wasmUrl = new URL(wasmAsset, location.href).href;

export class EngineClient {
  private worker!: Worker;
  private api!: Remote<EngineWorkerApi>;
  private cancelRequested = false;
  private loop: Promise<void> | null = null;

  constructor(readonly name: string) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('../../src/worker/engine-worker.ts', import.meta.url), {
      type: 'module',
      name: `chemofrac-engine-${this.name}`,
    });
    this.api = wrap<EngineWorkerApi>(this.worker);
  }

  /** Start a run; `onUpdate` is called after setup and after every batch. Resolves when the run has ended. */
  start(config: unknown, run: RunState, onUpdate: () => void): Promise<void> {
    this.cancelRequested = false;
    const loop = this.runLoop(config, run, onUpdate).catch((e: unknown) => {
      if (!this.cancelRequested) run.fail(e instanceof Error ? e.message : String(e));
      onUpdate();
    });
    this.loop = loop;
    return loop;
  }

  private async runLoop(config: unknown, run: RunState, onUpdate: () => void): Promise<void> {
    const res = await this.api.create(config, { wasmUrl });
    if (this.cancelRequested) {
      run.finish('cancelled', null);
      onUpdate();
      return;
    }
    if (!res.ok) {
      run.fail(res.message, res.issues);
      onUpdate();
      return;
    }
    run.init(res.mesh, res.config, res.initial, res.fields, res.setup_ms);
    onUpdate();
    for (;;) {
      if (this.cancelRequested) {
        run.finish('cancelled', null);
        break;
      }
      const batch = await this.api.runSteps(1e9, { maxMs: BATCH_MS });
      run.addBatch(batch);
      onUpdate();
      if (batch.done || batch.error || batch.cancelled || (!batch.records.length && !batch.fields)) {
        if (run.active) run.finish('cancelled', null);
        break;
      }
    }
    onUpdate();
  }

  /** Cancel the current run (results so far are kept). */
  async cancel(run: RunState, onUpdate: () => void): Promise<void> {
    if (!this.loop) return;
    this.cancelRequested = true;
    void this.api.cancel();
    const loop = this.loop;
    const timedOut = await Promise.race([
      loop.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), CANCEL_GRACE_MS)),
    ]);
    if (timedOut) {
      // A single step is still running: the worker cannot hear us until it ends. Replace it.
      this.terminate();
      this.spawn();
      if (run.active) run.finish('cancelled', null);
      onUpdate();
    }
  }

  terminate(): void {
    this.api[releaseProxy]();
    this.worker.terminate();
  }
}
