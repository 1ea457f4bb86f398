/**
 * A fixed list of runs on the worker pool (one thread and one WASM kernel per worker), with one progress line for
 * all of them and Ctrl-C stopping every run after its current step. Used by `compare` and `compare --mechanisms`.
 */
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from '../scenario/resolve.js';
import { caseHash } from '../io/config-hash.js';
import { createPoolExecutor, defaultWorkerCount } from '../sweep/executor.js';
import type { CaseResult } from '../sweep/result.js';
import { createProgress } from '../io/progress.js';
import { UserError } from '../errors.js';

/** `--workers` as given, or the default: one per core, at most `cap`. */
export function parseWorkers(text: string | undefined, cap: number): number {
  const workers = text === undefined ? Math.min(defaultWorkerCount(), cap) : Number(text);
  if (!Number.isInteger(workers) || workers < 1)
    throw new UserError(`--workers: got "${text}"; expected an integer ≥ 1`);
  return workers;
}

/** Run `configs` into `out/<dirs[i]>`; results in the same order. */
export async function runOnPool(
  configs: ResolvedConfig[],
  dirs: string[],
  opts: { out: string; workers: number; quiet?: boolean; label: string },
): Promise<CaseResult[]> {
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
  const onSignal = () => Atomics.store(new Int32Array(stop), 0, 1);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await Promise.all(
      configs.map((config, i) =>
        executor.run(
          { hash: caseHash(config), index: i, config, dir: resolve(join(opts.out, dirs[i])) },
          { stop, progress: progressBuffer, slot: i },
        ),
      ),
    );
  } finally {
    clearInterval(timer);
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await executor.close();
  }
}
