/**
 * Where sweep cases run: a piscina worker pool (one thread and one kernel per worker; the default) or in this
 * thread through an injected runner (tests, debugging). Both see the same shared stop flag and progress slots.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CaseResult, CaseRunner, CaseTask } from '../io/case-result.js';
import type { WorkerTask } from './worker.js';

/** Shared memory between the sweep and the cases it runs. */
export interface CaseChannel {
  /** Int32Array view; [0] = 1 asks running cases to stop after their current step. */
  stop: SharedArrayBuffer;
  /** Float64Array view; one slot per case to run, its completed fraction. */
  progress: SharedArrayBuffer;
  slot: number;
}

export interface CaseExecutor {
  /** How many cases may run at the same time. */
  readonly concurrency: number;
  run(task: CaseTask, channel: CaseChannel): Promise<CaseResult>;
  close(): Promise<void>;
}

/** Default worker count: the machine's cores. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The worker module next to this one: `worker.js` when running compiled code from dist/, `worker.ts` under tsx or
 * vitest, in which case the worker threads load TypeScript through tsx's loader.
 */
export function workerModule(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const ts = fileURLToPath(new URL('./worker.ts', import.meta.url));
    return { filename: ts, execArgv: ['--import', 'tsx'] };
  }
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(js)) throw new Error(`sweep worker not found at ${js} (run npm run build)`);
  return { filename: js, execArgv: [] };
}

/** A piscina pool of `workers` threads; each thread keeps its kernel across the cases it runs. */
export function createPoolExecutor(workers: number): CaseExecutor {
  const { filename, execArgv } = workerModule();
  const pool = new Piscina<WorkerTask, CaseResult>({
    filename,
    execArgv,
    minThreads: workers,
    maxThreads: workers,
    // Keep idle threads (and their kernels) alive for the whole sweep.
    idleTimeout: 24 * 3600 * 1000,
    concurrentTasksPerWorker: 1,
    // Start the cases in the order they were submitted: without it a task that finds no ready worker (while the
    // threads start) goes back to the tail of the queue, and `compare`'s longest-first order was lost.
    stricterFIFO: true,
  });
  return {
    concurrency: workers,
    run: (task, ch) => pool.run({ ...task, stop: ch.stop, progress: ch.progress, slot: ch.slot }),
    close: () => pool.destroy(),
  };
}

/** Cases run in this thread by `runner` (a fake in tests), `concurrency` at a time (interleaved at awaits). */
export function createInProcessExecutor(runner: CaseRunner, concurrency = 1): CaseExecutor {
  return {
    concurrency,
    run: (task, ch) => {
      const stop = new Int32Array(ch.stop);
      const progress = new Float64Array(ch.progress);
      return runner(task, {
        shouldStop: () => Atomics.load(stop, 0) !== 0,
        onProgress: (f) => {
          progress[ch.slot] = f;
        },
      });
    },
    close: async () => {},
  };
}
