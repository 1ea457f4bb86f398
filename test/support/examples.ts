/**
 * The examples in examples/ as a test runs them. Run configs and small sweeps run as they are; a sweep example
 * that would take minutes (more than `QUICK_CASES` cases, or elements smaller than `QUICK_MESH_UM`) runs as its
 * quick variant: the same keys, axes and presets on a 2 µm quarter with 0.25 µm elements and 8 grains, charged to
 * SoC 0.1 at its first C-rate, one replicate, the first two values of each axis, no snapshots. The full case list
 * of every sweep example is still expanded and resolved, so every case's config is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
export const QUICK_CASES = 4;
export const QUICK_MESH_UM = 0.2;

export interface Example {
  file: string;
  path: string;
  kind: 'run' | 'sweep' | 'synthesis';
  json: Record<string, unknown>;
}

/** Every examples/*.json: a sweep file when it has `axes`, a synthesis config when it has `synthesis`, else a run config. */
export function listExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(EXAMPLES_DIR, file);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      const kind = 'axes' in json ? 'sweep' : 'synthesis' in json ? 'synthesis' : 'run';
      return { file, path, kind, json };
    });
}

type Json = Record<string, unknown>;

/** Is the sweep too slow for a test as it is? */
export function needsQuickVariant(sweep: Json, caseCount: number): boolean {
  const mesh = ((sweep.base as Json)?.geometry as Json)?.mesh_size_um;
  return caseCount > QUICK_CASES || (typeof mesh === 'number' && mesh < QUICK_MESH_UM);
}

/** The quick variant of a sweep example (see the file comment); the input is not changed. */
export function quickVariant(sweep: Json): Json {
  const s = structuredClone(sweep);
  const base = (s.base ?? {}) as Json;
  base.geometry = { ...(base.geometry as Json), radius_um: 2, mesh_size_um: 0.25 };
  base.microstructure = { ...(base.microstructure as Json), grains: 8 };
  const loading = { ...(base.loading as Json) };
  if (Array.isArray(loading.c_rates)) loading.c_rates = loading.c_rates.slice(0, 1);
  loading.to_soc = 0.1;
  base.loading = loading;
  base.output = { ...(base.output as Json), snapshots_soc: [], vtu: false };
  s.base = base;
  const axes = (s.axes ?? {}) as Record<string, Record<string, unknown[]> | undefined>;
  for (const kind of ['grid', 'zip'] as const) {
    const group = axes[kind];
    if (group) for (const key of Object.keys(group)) group[key] = group[key].slice(0, 2);
  }
  s.replicates = { ...(s.replicates as Json), count: 1 };
  return s;
}
