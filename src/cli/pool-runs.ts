/**
 * A fixed list of runs on the worker pool (one thread and one WASM kernel per worker), with one progress line for
 * all of them and Ctrl-C stopping every run after its current step. Used by `compare` and `compare --mechanisms`.
 */
import { listenForStopSignals } from '../io/stop-signals.js';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { caseHash } from '../io/config-hash.js';
import { createPoolExecutor, defaultWorkerCount } from '../sweep/executor.js';
import type { CaseResult } from '../io/case-result.js';
import { createProgress } from '../io/progress.js';
import { UserError } from '../errors.js';

/** `--workers` as given, or the default: one per core, at most `cap`. */
export function parseWorkers(text: string | undefined, cap: number): number {
  const workers = text === undefined ? Math.min(defaultWorkerCount(), cap) : Number(text);
  if (!Number.isInteger(workers) || workers < 1)
    throw new UserError(`--workers: got "${text}"; expected an integer ≥ 1`);
  return workers;
}

/** The signal that stopped a pool run early (its runs end "interrupted"), for the exit code 130 / 143. */
export type PoolStop = 'SIGINT' | 'SIGTERM' | null;

/** Exit code of a command whose runs a signal stopped: 128 + the signal number. */
export function stopExitCode(stoppedBy: PoolStop): number {
  return stoppedBy === 'SIGTERM' ? 143 : stoppedBy === 'SIGINT' ? 130 : 0;
}

/**
 * Run `configs` into `out/<dirs[i]>`; results in the same order, and the signal that stopped them, if any.
 * `dispatchOrder` (a permutation of the indices) is the order the runs are handed to the pool's FIFO queue: with
 * more runs than workers, the longest first keeps the last worker from finishing alone (longest-processing-time
 * scheduling); default: the given order.
 */
export async function runOnPool(
  configs: ResolvedConfig[],
  dirs: string[],
  opts: { out: string; workers: number; quiet?: boolean; label: string; dispatchOrder?: readonly number[] },
): Promise<{ results: CaseResult[]; stoppedBy: PoolStop }> {
  const order = opts.dispatchOrder ?? configs.map((_, i) => i);
  if (order.length !== configs.length || [...order].sort((a, b) => a - b).some((v, i) => v !== i))
    throw new Error(`runOnPool: dispatchOrder must be a permutation of 0…${configs.length - 1}`);
  const executor = createPoolExecutor(opts.workers);
  const stop = new SharedArrayBuffer(4);
  const progressBuffer = new SharedArrayBuffer(8 * configs.length);
  const fractions = new Float64Array(progressBuffer);
  const progress = createProgress(opts.label, { quiet: opts.quiet });
  const timer = setInterval(() => {
    const done = fractions.reduce((a, b) => a + b, 0) / configs.length;
    const info =
      configs.length <= 6
        ? dirs.map((d, i) => `${d} ${Math.round(100 * fractions[i])}%`).join(' ')
        : `${fractions.filter((f) => f >= 1).length}/${configs.length} runs`;
    progress.update(done, info);
  }, 250);
  // the workers poll this flag between steps
  const signals = listenForStopSignals(() => Atomics.store(new Int32Array(stop), 0, 1));
  try {
    const pending: Promise<CaseResult>[] = new Array(configs.length);
    for (const i of order)
      pending[i] = executor.run(
        { hash: caseHash(configs[i]), index: i, config: configs[i], dir: resolve(join(opts.out, dirs[i])) },
        { stop, progress: progressBuffer, slot: i },
      );
    const results = await Promise.all(pending);
    return { results, stoppedBy: signals.stoppedBy };
  } finally {
    clearInterval(timer);
    progress.stop();
    signals.dispose();
    await executor.close();
  }
}
