/**
 * The ensemble of the reference designs (bare, MF-coated, gradient-porous, dense-porous; `referenceConfig`): K
 * microstructures per design, as a sweep file. The browser app's ensemble view runs exactly the cases
 * `chemofrac sweep` runs for this sweep, and writes the same sweep.csv / ensemble.csv.
 *
 * The designs differ in a few top-level keys (material, coating, porosity); each such key becomes a zipped axis
 * (one row per design, `null` where a design does not set it), so every design is one sweep point and its K
 * replicates are the seeds seed_start … seed_start + K − 1.
 */
import type { UserConfig } from './config-schema.js';
import { canonicalJson } from './canonical-json.js';
import { referenceConfig, type ReferenceVariant } from './reference.js';
import type { SweepSpecInput } from './sweep-cases.js';

/**
 * A small particle for quick ensembles and the browser: a quarter of R = 2 µm, 12 grains, h = 0.25 µm, charged to
 * SoC 0.6 (past the 0.55 probe of the tables), no VTU; about a second per run on one core. The rest (rates, c-axes,
 * materials) is the reference comparison's.
 */
export const SMALL_PARTICLE: Partial<UserConfig> = {
  geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 12 },
  loading: { to_soc: 0.6 },
  output: { vtu: false },
} as Partial<UserConfig>;

/** The config of one design on one seed: `referenceConfig` with `overrides` (microstructure merged, not replaced). */
export function designConfig(design: ReferenceVariant, seed: number, overrides: Partial<UserConfig> = {}): UserConfig {
  const reference = referenceConfig(design, seed);
  const microstructure = { ...reference.microstructure, ...overrides.microstructure, seed };
  return referenceConfig(design, seed, { ...overrides, microstructure } as Partial<UserConfig>);
}

/**
 * The sweep file of `designs` × `count` replicates (seeds seed_start …) on `overrides` (e.g. SMALL_PARTICLE):
 * base = the first design's config, one zipped axis per top-level key in which the designs differ.
 */
export function designEnsembleSweep(
  designs: readonly ReferenceVariant[],
  replicates: { count: number; seed_start: number },
  overrides: Partial<UserConfig> = {},
  name = 'ensemble',
): SweepSpecInput {
  if (!designs.length) throw new RangeError('designEnsembleSweep: give at least one design');
  const configs = designs.map((d) => {
    const { name: _name, ...rest } = designConfig(d, replicates.seed_start, overrides) as Record<string, unknown>;
    return rest;
  });
  const base = configs[0];
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))].filter(
    (k) => k !== 'microstructure' && configs.some((c) => canonicalJson(c[k]) !== canonicalJson(base[k])),
  );
  const zip = Object.fromEntries(keys.map((k) => [k, configs.map((c) => c[k] ?? null)]));
  return {
    name,
    base,
    axes: keys.length ? { zip } : {},
    replicates: { count: replicates.count, seed_start: replicates.seed_start },
  };
}
