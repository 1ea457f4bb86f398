/**
 * `chemofrac sweep <sweep.json> [--out DIR] [--workers N] [--resume] [--shard i/N]` and
 * `chemofrac sweep merge <dirs...> [--out DIR]`. User errors come back as SweepError (printed as one paragraph by
 * the CLI); Ctrl-C stops cleanly (a second Ctrl-C quits at once).
 */
import { SIGNAL_EXIT_CODE, listenForStopSignals } from '../io/stop-signals.js';
import { basename, extname, join } from 'node:path';
import { readJsonFile } from '../io/read-json.js';
import { parseShard, parseSweepSpec, SweepError } from './spec.js';
import { mergeSweeps } from './merge.js';
import { runSweep } from './run-sweep.js';
import { describeDir } from './sweep-directory.js';

export interface SweepCommandOptions {
  out?: string;
  workers?: string;
  resume?: boolean;
  shard?: string;
  quiet?: boolean;
  maxCases?: string;
}

/** `chemofrac sweep`; returns the exit code (0, or 130/143 when SIGINT/SIGTERM stopped it). */
export async function sweepCommand(file: string, opts: SweepCommandOptions): Promise<number> {
  const spec = parseSweepSpec(readJsonFile(file, 'sweep'), file);
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    workers = Number(opts.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw new SweepError(`--workers: got "${opts.workers}"; expected an integer ≥ 1.`);
  }
  let maxCases: number | undefined;
  if (opts.maxCases !== undefined) {
    maxCases = Number(opts.maxCases);
    if (!Number.isInteger(maxCases) || maxCases < 1)
      throw new SweepError(`--max-cases: got "${opts.maxCases}"; expected an integer ≥ 1.`);
  }
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  const out = opts.out ?? join('results', basename(file, extname(file)));

  const stop = listenForStopSignals((_signal, count) => {
    if (count === 1) {
      process.stderr.write(
        '\nStopping: no new cases; running cases stop after their current step (Ctrl-C again to quit now).\n',
      );
    } else process.exit(130);
  });
  try {
    const r = await runSweep(spec, {
      out,
      workers,
      resume: opts.resume,
      shard,
      quiet: opts.quiet,
      signal: stop.signal,
      maxCases,
    });
    const where = describeDir(r.outDir);
    const scope = shard
      ? `shard ${shard.index}/${shard.count}: ${r.shardCases} of ${r.totalCases} cases`
      : `${r.totalCases} cases`;
    console.log(
      `${spec.name}: ${scope}; ${r.completed} completed, ${r.failed} failed` +
        (r.skipped ? `, ${r.skipped} already done (resume)` : '') +
        (r.notRun ? `, ${r.notRun} not run` : '') +
        ` in ${r.wall_s.toFixed(1)} s → ${where}/sweep.csv, ${where}/ensemble.csv`,
    );
    if (r.failed) console.log(`${r.failed} case(s) failed: see the status and error columns of ${where}/sweep.csv.`);
    if (r.interrupted) {
      process.stderr.write(
        `Sweep interrupted${stop.stoppedBy ? ` by ${stop.stoppedBy}` : ''} with ${r.notRun} case(s) not finished; the finished ` +
          `ones are saved. Continue with chemofrac sweep ${file} --out ${out}` +
          `${shard ? ` --shard ${shard.index}/${shard.count}` : ''} --resume.\n`,
      );
      return SIGNAL_EXIT_CODE[stop.stoppedBy ?? 'SIGINT'];
    }
    return 0;
  } finally {
    stop.dispose();
  }
}

export function sweepMergeCommand(dirs: string[], opts: { out?: string }): void {
  if (dirs.length === 0)
    throw new SweepError('sweep merge: name the shard output directories (or their parent directory).');
  const out = opts.out ?? (dirs.length === 1 ? dirs[0] : undefined);
  if (!out) throw new SweepError('sweep merge: give --out DIR when merging several directories.');
  const r = mergeSweeps(dirs, out);
  const where = describeDir(r.outDir);
  console.log(
    `Merged ${r.dirs.length} director${r.dirs.length === 1 ? 'y' : 'ies'}: ${r.totalCases} cases, ${r.completed} completed, ` +
      `${r.failed} failed, ${r.missing} not run → ${where}/sweep.csv, ${where}/ensemble.csv`,
  );
  if (r.missingShards.length)
    console.log(`Missing shard(s): ${r.missingShards.join(', ')} (their cases show status "pending").`);
}
