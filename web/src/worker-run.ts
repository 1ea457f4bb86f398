/**
 * One config run to its end on a fresh engine worker (engine-worker.ts, the protocol of the particle slots), for
 * the views that run many configs a few at a time (mechanisms-view.ts, ensemble-view.ts): the records it posts
 * make the history; the last batch brings the end reason and, for a completed run, the particle's class.
 * Cancel terminates the worker at once.
 */
import { SMALL_PARTICLE } from '../../src/index.js';
import type { CycleRecord, EndReason, ParticleClass, StepRecord, UserConfig } from '../../src/index.js';
import { wasmUrl } from './engine-client.js';
import type { RunCounters, WorkerIn, WorkerOut } from './worker-protocol.js';

/**
 * The particle the many-run views (mechanisms, ensemble) start from: "small" (quarter, R = 2 µm, 12 grains,
 * h = 0.25 µm, to SoC 0.6, past the 0.55 probe: seconds per run) or "reference" (the CLI's default particle, R = 5 µm,
 * 100 grains, h = 0.15 µm, to SoC 1: many minutes per run in a browser).
 */
export const PARTICLE_BASES: Record<'small' | 'reference', Partial<UserConfig>> = {
  small: SMALL_PARTICLE,
  reference: {},
};
export type ParticleBase = keyof typeof PARTICLE_BASES;

export interface WorkerRunResult {
  history: StepRecord[];
  /** 'completed' | 'cancelled' | 'failed: <message>' */
  status: string;
  endReason: EndReason | null;
  particleClass: { class: ParticleClass; crackPathSurfaceToCore: boolean } | null;
  /** Cycling: every row of cycles.csv (the engine's CycleRecord). */
  cycles: CycleRecord[];
  /** The worker's counters at its last batch (steps, ms in step(), unpaused wall ms). */
  counters: RunCounters;
}

export interface WorkerRunHandle {
  done: Promise<WorkerRunResult>;
  cancel(): void;
  /** The worker's counters so far (live throughput while it runs). */
  counters(): RunCounters;
}

/** Run `config` on a new engine worker named `name` (shown in the browser's task manager). */
export function runOnWorker(config: unknown, name = 'chemofrac-run'): WorkerRunHandle {
  const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name });
  const history: StepRecord[] = [];
  const cycles: CycleRecord[] = [];
  let counters: RunCounters = { steps: 0, step_ms: 0, active_ms: 0 };
  let endReason: EndReason | null = null;
  let particleClass: WorkerRunResult['particleClass'] = null;
  let ended = false;
  let finish: (status: string) => void = () => undefined;
  const done = new Promise<WorkerRunResult>((ok) => {
    finish = (status) => {
      if (ended) return;
      ended = true;
      worker.terminate();
      ok({ history, status, endReason, particleClass, cycles, counters });
    };
  });
  const post = (m: WorkerIn) => worker.postMessage(m);
  worker.onmessage = (e: MessageEvent<WorkerOut>) => {
    const m = e.data;
    if (m.type === 'created') {
      if (!m.ok) return finish(`failed: ${m.message}`);
      history.push(m.initial);
      post({ type: 'run', id: 1 });
      return;
    }
    for (const r of m.records) history.push(r);
    cycles.push(...m.cycles);
    counters = m.counters;
    endReason = m.endReason;
    if (m.particleClass) particleClass = m.particleClass;
    if (m.error) finish(`failed: ${m.error}`);
    else if (m.state === 'done') finish('completed');
    else if (m.state === 'cancelled') finish('cancelled');
  };
  worker.onerror = (e) => {
    e.preventDefault();
    finish(`failed: ${e.message || 'the engine worker failed'}`);
  };
  post({ type: 'create', id: 1, config, wasmUrl });
  return { done, cancel: () => finish('cancelled'), counters: () => counters };
}

/**
 * Configs run on fresh engine workers, at most `workers` at a time, in order (the many-run views: mechanisms,
 * ensemble). `onResult(k, result, wall_s)` is called as run k ends, also for the runs that Cancel stopped while
 * they ran (status `cancelled`); after Cancel no further run starts.
 */
export class WorkerPool {
  private readonly live = new Set<WorkerRunHandle>();
  private stopped = false;

  /** The runs in progress (their workers' live counters). */
  get running(): ReadonlySet<WorkerRunHandle> {
    return this.live;
  }

  /** Resolves when every run has ended or Cancel stopped the pool. */
  async run(
    configs: readonly unknown[],
    workers: number,
    name: string,
    onResult: (k: number, result: WorkerRunResult, wall_s: number) => void,
  ): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (!this.stopped && next < configs.length) {
        const k = next++;
        const t0 = performance.now();
        const h = runOnWorker(configs[k], name);
        this.live.add(h);
        const result = await h.done;
        this.live.delete(h);
        onResult(k, result, (performance.now() - t0) / 1000);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, configs.length)) }, lane));
  }

  cancel(): void {
    this.stopped = true;
    for (const h of this.live) h.cancel();
    this.live.clear();
  }
}
