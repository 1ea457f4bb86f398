/**
 * Merging shard outputs into one sweep directory (the same tables and run_dir paths a single-machine sweep writes).
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { casesDigest, DEFAULT_MAX_CASES, expandCases, SweepError } from './spec.js';
import {
  MANIFEST_FILE,
  readJson,
  readResults,
  writeTables,
  type ResultRecord,
  type SweepManifest,
} from './sweep-directory.js';

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
