/**
 * The sweep file (`sweep.json`) and its expansion into cases.
 *
 *   {
 *     "name": "coating-thickness",                       optional; labels runs and the progress bar
 *     "base": { …config… } | "path/to/config.json",     the config every case starts from (path: relative to sweep.json)
 *     "axes": {
 *       "grid": { "coating.thickness_um": [0.05, 0.1, 0.16], "loading.c_rates": [1, 2] },   cartesian product
 *       "zip":  { "porosity.center": [0.13, 0.2], "porosity.surface": [0.08, 0.02] }       varied together
 *     },
 *     "replicates": { "count": 20, "seed_start": 1 }     microstructure seeds seed_start … seed_start + count − 1
 *   }
 *
 * Sweep points are the product of the grid axes (first key slowest) and the zip rows (one more axis, fastest);
 * each point is run once per replicate seed. Cases are numbered in that order (point-major, replicate fastest).
 *
 * Axis keys are dotted paths into the config (`"material.gb.strength_MPa"`). Setting below a preset name turns it
 * into its override form first (`"material": "nmc90-bare"` + `material.gb.strength_MPa` →
 * `{ "preset": "nmc90-bare", "gb": { "strength_MPa": … } }`; likewise `coating.material` and porosity presets), so
 * a sweep never has to spell out the `{ preset: … }` form. A value of `null` removes the key (e.g. an axis
 * `"coating": [null, { "thickness_um": 0.16 }]` compares uncoated with coated).
 *
 * A case is identified by `caseHash`: sha256 of the canonical JSON of its resolved config (name excluded). Resume
 * and merge match results by this hash, never by folder name or position, so editing the sweep file (adding a
 * value, reordering axes) keeps every finished case.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { canonicalJson, caseHash } from '../io/config-hash.js';
import { withSynthesisMesh } from '../synthesis/charge.js';
import {
  DEFAULT_MAX_CASES,
  SweepError,
  checkBase,
  checkCaseCount,
  generateCases,
  sweepSpecOf,
  validateSweepInput,
  type SweepCase,
  type SweepSpec,
} from '../scenario/sweep-cases.js';

export { canonicalJson, caseHash };
export {
  DEFAULT_MAX_CASES,
  SweepError,
  SweepSpecSchema,
  axisKeys,
  caseCount,
  checkCaseCount,
  setConfigKey,
  sweepPoints,
} from '../scenario/sweep-cases.js';
export type { SweepCase, SweepSpec, SweepSpecInput } from '../scenario/sweep-cases.js';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Validate a sweep file's JSON; `sweepPath` resolves a `base` given as a file path. */
export function parseSweepSpec(input: unknown, sweepPath?: string): SweepSpec {
  const s = validateSweepInput(input);
  let base: Record<string, unknown>;
  // Where a relative microstructure.from_synthesis of the base starts: the base file's directory, else the sweep's.
  let baseDir = sweepPath ? dirname(resolve(sweepPath)) : process.cwd();
  if (typeof s.base === 'string') {
    const p = isAbsolute(s.base) || !sweepPath ? s.base : resolve(dirname(sweepPath), s.base);
    baseDir = dirname(resolve(p));
    try {
      base = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new SweepError(`Sweep base: cannot read the config file "${p}": ${(e as Error).message}.`);
    }
    if (!base || typeof base !== 'object' || Array.isArray(base))
      throw new SweepError(`Sweep base: the config file "${p}" must hold a JSON object.`);
  } else base = s.base;
  base = withSynthesisMesh(base, baseDir) as Record<string, unknown>;
  return sweepSpecOf(s, base);
}

/**
 * Every case of the sweep, each config validated and resolved with `resolveConfig`. A bad axis key or value
 * fails here, before any case runs, with a message naming the axis key and value. At most `maxCases`.
 */
export function expandCases(spec: SweepSpec, maxCases = DEFAULT_MAX_CASES): SweepCase[] {
  checkCaseCount(spec, maxCases);
  checkBase(spec);
  return [...generateCases(spec, sha256Hex)];
}

/**
 * `expandCases` that looks at the event loop every 50 ms (a large sweep takes seconds to resolve), so that a
 * Ctrl-C is seen while the list is built: an aborted `signal` ends it with a SweepError.
 */
export async function expandCasesAsync(
  spec: SweepSpec,
  opts: { maxCases?: number; signal?: AbortSignal } = {},
): Promise<SweepCase[]> {
  checkCaseCount(spec, opts.maxCases);
  checkBase(spec);
  const cases: SweepCase[] = [];
  let last = performance.now();
  for (const c of generateCases(spec, sha256Hex)) {
    cases.push(c);
    if (performance.now() - last > 50) {
      await new Promise((r) => setImmediate(r));
      last = performance.now();
      if (opts.signal?.aborted)
        throw new SweepError(`Sweep stopped while its case list was built (${cases.length} cases); nothing was run.`);
    }
  }
  return cases;
}

export interface Shard {
  /** 0-based: 0 … count − 1 (Slurm `--array=0-(N-1)`, Kubernetes JOB_COMPLETION_INDEX). */
  index: number;
  count: number;
}

/** Parse `--shard i/N` (i from 0 to N − 1). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new SweepError(
      `--shard: got "${text}"; expected i/N with N ≥ 1 and 0 ≤ i < N (e.g. 0/4 … 3/4; Slurm: $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1)).`,
    );
  return { index, count };
}

/**
 * The cases of shard i of N: every N-th case starting at i (round robin, so expensive axis values spread over all
 * shards). Disjoint, together exactly all cases, and the same on every machine for the same sweep file.
 */
export function shardCases<T extends { index: number }>(cases: T[], shard: Shard | null): T[] {
  if (!shard) return cases;
  return cases.filter((c) => c.index % shard.count === shard.index);
}

/** Identity of a case list (for merge: all shards must come from the same sweep). */
export function casesDigest(cases: { hash: string }[]): string {
  const h = createHash('sha256');
  for (const c of cases) h.update(c.hash + '\n');
  return h.digest('hex');
}
