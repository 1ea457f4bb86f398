/**
 * Running a sweep and merging shards.
 *
 * Output directory of a sweep (or of one shard: `<out>/shard-<i>-of-<N>/`):
 *   sweep-manifest.json     the sweep (base config inlined), the case-list digest, the shard, the engine version
 *   runs/<case>-<hash10>/   one run directory per case (summary.json, history.csv, VTU snapshots)
 *   results/<hash>.json     the outcome of each finished (completed or failed) case: the source of the tables
 *   sweep.csv, ensemble.csv the tables (tables.ts), rebuilt from results/ after each case (throttled) and at the end
 *
 * Every file is written atomically (temporary file + rename). A case's result is written only once it is over,
 * so a kill at any moment loses at most the cases that were running; `resume` re-runs exactly the cases without
 * a completed result (matched by config hash), and the tables, rebuilt from the results, never duplicate a row.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, cpSync, lstatSync, rmSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { createProgress } from '../io/progress.js';
import { ENGINE_VERSION } from '../version.js';
import type { CaseResult } from './result.js';
import { createPoolExecutor, defaultWorkerCount, type CaseExecutor } from './executor.js';
import {
  axisKeys,
  casesDigest,
  expandCases,
  expandCasesAsync,
  DEFAULT_MAX_CASES,
  shardCases,
  SweepError,
  type Shard,
  type SweepCase,
  type SweepSpec,
} from './spec.js';
import { ensembleCsv, sweepCsv } from './tables.js';

export const MANIFEST_FILE = 'sweep-manifest.json';
const MANIFEST_FORMAT = 'chemofrac-sweep/1';

export interface SweepManifest {
  format: string;
  engine_version: string;
  name: string;
  spec: SweepSpec;
  case_count: number;
  cases_digest: string;
  shard: Shard | null;
  merged_from?: string[];
}

/** A stored case outcome (`results/<hash>.json`). */
export interface ResultRecord {
  hash: string;
  index: number;
  run_dir: string;
  result: CaseResult;
}

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

export function shardDirName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** All result records stored in a sweep directory, by hash. */
export function readResults(dir: string): Map<string, ResultRecord> {
  const out = new Map<string, ResultRecord>();
  const rdir = join(dir, 'results');
  if (!existsSync(rdir)) return out;
  for (const f of readdirSync(rdir)) {
    if (!f.endsWith('.json') || f.startsWith('.')) continue;
    try {
      const rec = readJson<ResultRecord>(join(rdir, f));
      if (rec && typeof rec.hash === 'string' && rec.result) out.set(rec.hash, rec);
    } catch {
      // An unreadable record (cannot happen with atomic writes, but a user may edit files) counts as not run.
    }
  }
  return out;
}

/** Write sweep.csv and ensemble.csv for `cases` from `records`. */
export function writeTables(
  dir: string,
  spec: SweepSpec,
  cases: SweepCase[],
  records: Map<string, ResultRecord>,
): void {
  const axes = axisKeys(spec);
  const byHash = new Map<string, { result: CaseResult; runDir: string }>();
  for (const [h, r] of records) byHash.set(h, { result: r.result, runDir: r.run_dir });
  writeFileAtomic(join(dir, 'sweep.csv'), sweepCsv(axes, cases, byHash));
  writeFileAtomic(join(dir, 'ensemble.csv'), ensembleCsv(axes, cases, byHash));
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

/**
 * Sweep directories named in `dirs`: a directory's shard-<i>-of-<N> children when it has any (so the parent a
 * job array wrote into can be named, even after a merge wrote its own manifest there), else the directory itself.
 */
function sweepDirs(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const abs = resolve(d);
    const kids = existsSync(abs)
      ? readdirSync(abs)
          .filter((f) => /^shard-\d+-of-\d+$/.test(f) && existsSync(join(abs, f, MANIFEST_FILE)))
          .sort()
          .map((f) => join(abs, f))
      : [];
    if (kids.length) out.push(...kids);
    else if (existsSync(join(abs, MANIFEST_FILE))) out.push(abs);
    else
      throw new SweepError(
        `"${d}" is not a sweep output directory (no ${MANIFEST_FILE}, no shard-<i>-of-<N> subdirectories).`,
      );
  }
  return [...new Set(out)];
}

export interface MergeOutcome {
  outDir: string;
  dirs: string[];
  totalCases: number;
  completed: number;
  failed: number;
  missing: number;
  /** Shard indices expected (from the manifests' N) but not found. */
  missingShards: number[];
}

/** Link (or, where symlinks are unavailable, copy) a shard's run directory into the merged sweep's runs/. */
function linkRunDir(target: string, link: string): void {
  if (resolve(target) === resolve(link) || !existsSync(target)) return;
  mkdirSync(dirname(link), { recursive: true });
  try {
    lstatSync(link);
    rmSync(link, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  try {
    symlinkSync(relative(dirname(link), target), link, 'dir');
  } catch {
    cpSync(target, link, { recursive: true });
  }
}

/**
 * Combine shard outputs into one sweep directory with the same tables (and the same run_dir paths, linked to the
 * shards' run directories) that a single-machine sweep writes. The merged directory is itself a complete sweep:
 * `--resume` on it re-runs whatever no shard finished.
 */
export function mergeSweeps(dirs: string[], out: string): MergeOutcome {
  const found = sweepDirs(dirs);
  const manifests = found.map((d) => ({ dir: d, m: readJson<SweepManifest>(join(d, MANIFEST_FILE)) }));
  const first = manifests[0].m;
  const other = manifests.find((x) => x.m.cases_digest !== first.cases_digest);
  if (other)
    throw new SweepError(
      `Cannot merge: "${other.dir}" comes from a different sweep than "${manifests[0].dir}" (different case lists); ` +
        'merge only the shards of one sweep file.',
    );
  const spec = first.spec;
  const cases = expandCases(spec, Math.max(DEFAULT_MAX_CASES, first.case_count ?? 0));
  if (casesDigest(cases) !== first.cases_digest)
    throw new SweepError(
      'Cannot merge: the sweep resolves to different cases with this engine version than when it ran ' +
        `(${first.engine_version}); merge with the version that ran it.`,
    );
  const outDir = resolve(out);
  const merged = new Map<string, ResultRecord>();
  const hashes = new Set(cases.map((c) => c.hash));
  for (const { dir } of manifests) {
    for (const [h, rec] of readResults(dir)) {
      if (!hashes.has(h)) continue;
      const prev = merged.get(h);
      if (prev && prev.result.status === 'completed' && rec.result.status !== 'completed') continue;
      merged.set(h, rec);
      linkRunDir(join(dir, rec.run_dir), join(outDir, rec.run_dir));
    }
  }
  mkdirSync(join(outDir, 'results'), { recursive: true });
  for (const rec of merged.values()) {
    const p = join(outDir, 'results', `${rec.hash}.json`);
    writeJsonAtomic(p, rec);
  }
  const manifest: SweepManifest = {
    ...first,
    engine_version: first.engine_version,
    shard: null,
    merged_from: manifests.map((x) => relative(outDir, x.dir) || '.'),
  };
  writeJsonAtomic(join(outDir, MANIFEST_FILE), manifest);
  writeTables(outDir, spec, cases, merged);

  const counts = new Set<number>();
  const present = new Set<number>();
  for (const { m } of manifests)
    if (m.shard) {
      counts.add(m.shard.count);
      present.add(m.shard.index);
    }
  const n = counts.size === 1 ? [...counts][0] : 0;
  const missingShards = Array.from({ length: n }, (_, i) => i).filter((i) => !present.has(i));
  const rs = [...merged.values()].map((r) => r.result.status);
  return {
    outDir,
    dirs: manifests.map((x) => x.dir),
    totalCases: cases.length,
    completed: rs.filter((s) => s === 'completed').length,
    failed: rs.filter((s) => s === 'failed').length,
    missing: cases.length - merged.size,
    missingShards,
  };
}

/** The label of a sweep directory for messages. */
export function describeDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}
