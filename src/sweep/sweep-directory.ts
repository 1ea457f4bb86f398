/**
 * The output directory of a sweep: its manifest, the stored case results and the tables.
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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { CaseResult } from '../io/case-result.js';
import { axisKeys, type Shard, type SweepCase, type SweepSpec } from './spec.js';
import { ensembleCsv, sweepCsv } from '../io/sweep-tables.js';

export const MANIFEST_FILE = 'sweep-manifest.json';
export const MANIFEST_FORMAT = 'chemofrac-sweep/1';

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

export function shardDirName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

export function readJson<T>(path: string): T {
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

/** The label of a sweep directory for messages. */
export function describeDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}
