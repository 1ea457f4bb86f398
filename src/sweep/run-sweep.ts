/**
 * Running a sweep (or one shard of it) into its output directory (sweep-directory.ts): the cases on a worker pool,
 * each case's result stored once it is over, the tables rebuilt from the results; `resume` re-runs exactly the
 * cases without a completed result. Merging shards is merge.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { createProgress } from '../io/progress.js';
import { ENGINE_VERSION } from '../version.js';
import type { CaseResult } from '../io/case-result.js';
import { createPoolExecutor, defaultWorkerCount, type CaseExecutor } from './executor.js';
import {
  expandCasesAsync,
  shardCases,
  SweepError,
  casesDigest,
  type Shard,
  type SweepCase,
  type SweepSpec,
} from './spec.js';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  readJson,
  readResults,
  shardDirName,
  writeTables,
  type ResultRecord,
  type SweepManifest,
} from './sweep-directory.js';

export interface SweepOptions {
  /** Output directory (with a shard: the shard writes into `<out>/shard-<i>-of-<N>`). */
  out: string;
  /** Worker threads (default: cores). Ignored when `executor` is given. */
  workers?: number;
  /** Continue a sweep in `out`: skip cases with a completed result (by config hash), re-run the rest. */
  resume?: boolean;
  shard?: Shard | null;
  quiet?: boolean;
  /** Abort = stop cleanly: no new cases, running cases stop after their current step, tables written. */
  signal?: AbortSignal;
  /** Where cases run (default: a piscina pool of `workers` threads). */
  executor?: CaseExecutor;
  /** Called after each finished (completed or failed) case, once its result is stored. */
  onCase?: (c: SweepCase, result: CaseResult) => void;
  /** Largest number of cases (default DEFAULT_MAX_CASES). */
  maxCases?: number;
  /** Minimum seconds between table rewrites while running (default 5; 0 = after every case). */
  tableInterval_s?: number;
}

export interface SweepOutcome {
  outDir: string;
  /** All cases of the sweep, and those of this shard. */
  totalCases: number;
  shardCases: number;
  /** Cases skipped because a completed result existed (resume). */
  skipped: number;
  completed: number;
  failed: number;
  /** Cases not finished because the sweep was stopped. */
  notRun: number;
  interrupted: boolean;
  wall_s: number;
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

/**
 * Run a sweep (or one shard of it). Throws SweepError for a bad sweep (before any case runs) or an output
 * directory that already holds a sweep without `resume`. A failing case is recorded and the sweep goes on.
 */
export async function runSweep(spec: SweepSpec, opts: SweepOptions): Promise<SweepOutcome> {
  const t0 = performance.now();
  const cases = await expandCasesAsync(spec, { maxCases: opts.maxCases, signal: opts.signal });
  const shard = opts.shard ?? null;
  const mine = shardCases(cases, shard);
  const outDir = resolve(shard ? join(opts.out, shardDirName(shard)) : opts.out);

  const manifestPath = join(outDir, MANIFEST_FILE);
  const existing = readResults(outDir);
  if (!opts.resume && (existsSync(manifestPath) || existing.size > 0))
    throw new SweepError(
      `The output directory "${outDir}" already holds a sweep. Use --resume to continue it (finished cases are kept), ` +
        'or choose another --out.',
    );
  if (opts.resume && existsSync(manifestPath) && !opts.quiet) {
    // The case hash covers the resolved config, not the engine: say so when results of another version are kept.
    const previous = readJson<SweepManifest>(manifestPath);
    if (previous.engine_version !== ENGINE_VERSION)
      process.stderr.write(
        `Note: finished cases in ${outDir} were computed by chemofrac ${previous.engine_version}; this is ` +
          `${ENGINE_VERSION}. They are kept; use a new --out to recompute everything.\n`,
      );
  }
  mkdirSync(join(outDir, 'results'), { recursive: true });
  const manifest: SweepManifest = {
    format: MANIFEST_FORMAT,
    engine_version: ENGINE_VERSION,
    name: spec.name,
    spec,
    case_count: cases.length,
    cases_digest: casesDigest(cases),
    shard,
  };
  writeJsonAtomic(manifestPath, manifest);

  // Records of cases not in this sweep (an edited sweep file) stay on disk but never reach the tables.
  const records = new Map<string, ResultRecord>();
  const mineHashes = new Set(mine.map((c) => c.hash));
  for (const [h, r] of existing) if (mineHashes.has(h)) records.set(h, r);
  const todo = mine.filter((c) => records.get(c.hash)?.result.status !== 'completed');
  const skipped = mine.length - todo.length;

  let completed = 0;
  let failed = 0;
  let finished = 0;
  const outcome = (interrupted: boolean): SweepOutcome => ({
    outDir,
    totalCases: cases.length,
    shardCases: mine.length,
    skipped,
    completed,
    failed,
    notRun: todo.length - finished,
    interrupted,
    wall_s: (performance.now() - t0) / 1000,
  });
  writeTables(outDir, spec, mine, records);
  if (todo.length === 0) return outcome(false);

  const workers = Math.max(1, Math.min(opts.workers ?? defaultWorkerCount(), todo.length));
  const executor = opts.executor ?? createPoolExecutor(workers);
  const stop = new SharedArrayBuffer(4);
  const stopView = new Int32Array(stop);
  const progress = new SharedArrayBuffer(8 * todo.length);
  const progressView = new Float64Array(progress);
  const running = new Set<number>();
  const requestStop = () => Atomics.store(stopView, 0, 1);
  if (opts.signal?.aborted) requestStop();
  opts.signal?.addEventListener('abort', requestStop, { once: true });

  const label = shard ? `${spec.name} [shard ${shard.index}/${shard.count}]` : spec.name;
  const bar = createProgress(label, { quiet: opts.quiet });
  const tRun = performance.now();
  const showProgress = () => {
    let partial = 0;
    for (const slot of running) partial += progressView[slot];
    // 100 % only when every case is over (a nearly finished case must not show the bar as complete).
    const fraction = Math.min((finished + partial) / todo.length, finished === todo.length ? 1 : 0.999);
    const elapsed = (performance.now() - tRun) / 1000;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    // The TTY bar prints its own ETA; plain lines (logs, CI, cluster jobs) get ours.
    bar.update(
      fraction,
      `${finished}/${todo.length} cases${skipped ? ` (+${skipped} done before)` : ''}, ${failed} failed, ` +
        `${workers} worker${workers > 1 ? 's' : ''}` +
        (process.stderr.isTTY ? '' : `, ETA ${formatDuration(eta)}`),
    );
  };
  const ticker = setInterval(showProgress, 1000);
  ticker.unref();

  const tableInterval = (opts.tableInterval_s ?? 5) * 1000;
  let lastTables = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < todo.length && Atomics.load(stopView, 0) === 0) {
      const slot = next++;
      const c = todo[slot];
      running.add(slot);
      let result: CaseResult;
      try {
        result = await executor.run(
          { hash: c.hash, index: c.index, config: c.config, dir: join(outDir, c.runDir) },
          { stop, progress, slot },
        );
      } catch (e) {
        // The worker itself died (out of memory, a crash in native code): record it like any failing case.
        const err = e instanceof Error ? e : new Error(String(e));
        result = {
          hash: c.hash,
          status: 'failed',
          error: { name: err.name, message: `worker failed: ${err.message}` },
          end_reason: null,
          steps: 0,
          wall_s: 0,
          at_probe: null,
          end: null,
          particle_class: null,
          crack_path_surface_to_core: null,
        };
      }
      running.delete(slot);
      if (result.status === 'interrupted') continue;
      finished++;
      if (result.status === 'completed') completed++;
      else failed++;
      const rec: ResultRecord = { hash: c.hash, index: c.index, run_dir: c.runDir, result };
      writeJsonAtomic(join(outDir, 'results', `${c.hash}.json`), rec);
      records.set(c.hash, rec);
      opts.onCase?.(c, result);
      showProgress();
      if (Date.now() - lastTables >= tableInterval) {
        writeTables(outDir, spec, mine, records);
        lastTables = Date.now();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(executor.concurrency, todo.length) }, lane));
  } finally {
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', requestStop);
    showProgress();
    bar.stop();
    if (!opts.executor) await executor.close();
    writeTables(outDir, spec, mine, records);
  }
  return outcome(Atomics.load(stopView, 0) !== 0 && finished < todo.length);
}
