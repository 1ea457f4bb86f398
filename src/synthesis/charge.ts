/**
 * Charging a synthesized particle (docs/synthesis.md §9): `"microstructure": { "from_synthesis": "DIR/microstructure.json" }`
 * in a charge config. This module reads and checks the file and turns it into the plain overlay the engine applies
 * (`SynthesizedMicrostructure`, src/mesh/synthesized.ts):
 *
 *  - the mesh is the synthesis mesh: `geometry` and the `microstructure` keys come from the file; a charge config that
 *    gives one of them with another value is an error naming the key (`pore_fill` stays the charge's own);
 *  - voids → pores: the synthesis leaves a void area V = Σ_g φ_g A_g (φ_g the grain's void fraction). Like the pore
 *    machinery (src/mesh/pores.ts), pores are whole cells: grains are taken in descending φ_g (ties: lower id) and
 *    become pores while removed + A_g/2 ≤ V, so the removed area is within half a grain of V and sits where the
 *    synthesis left its voids (grains with φ_g = 0 are never removed);
 *  - rock salt → inactive: a grain (or a merged group, area-weighted) whose rock-salt fraction exceeds 1/2;
 *  - merged grains → one grain: the merged groups of the file, without the grains that became pores.
 */
import { resolve as resolvePath } from 'node:path';
import { meshPolycrystal } from '../mesh/index.js';
import type { SynthesizedMicrostructure } from '../mesh/synthesized.js';
import { canonicalJson } from '../scenario/canonical-json.js';
import { meshSpecFromConfig } from '../scenario/build.js';
import { ConfigError, resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import { SynthesisConfigError } from './config.js';
import {
  loadSynthesizedMicrostructure,
  type SynthesizedMicrostructure as MicrostructureFile,
} from './load-microstructure.js';
import { meshHash } from './mesh-hash.js';

/** A grain (or merged group) with more rock salt than this area fraction is inactive. */
export const INACTIVE_ROCK_SALT_FRACTION = 0.5;

const KEY = 'microstructure.from_synthesis';

/** The overlay and what it did, for summaries and the docs' tables. */
export interface SynthesizedCharge {
  synthesized: SynthesizedMicrostructure;
  /** Synthesis grain ids (of the file) that became pores / inactive; merged groups in grain ids. */
  poreGrains: number[];
  inactiveGrains: number[];
  mergedGroups: number[][];
  /** V / particle area and the removed grain area / particle area. */
  voidFraction: number;
  poreFraction: number;
}

function asIssueError(e: unknown): never {
  if (e instanceof SynthesisConfigError) throw new ConfigError(e.issues);
  throw e;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The pores, inactive grains and merged groups of a synthesized particle, in the file's grain ids. `merges: false`
 * (a sensitivity, not the contract) leaves the merged groups out: every grain then stays a grain of its own and its
 * activity is its own rock-salt fraction.
 */
export function synthesizedGrainSets(
  file: MicrostructureFile,
  opts: { merges?: boolean } = {},
): {
  poreGrains: number[];
  inactiveGrains: number[];
  mergedGroups: number[][];
  voidArea_um2: number;
  poreArea_um2: number;
  area_um2: number;
} {
  const grains = file.grains;
  let voidArea = 0;
  let area = 0;
  for (const g of grains) {
    voidArea += g.void * g.area_um2;
    area += g.area_um2;
  }
  const order = grains
    .filter((g) => g.void > 0)
    .sort((p, q) => q.void - p.void || p.grain - q.grain)
    .map((g) => g.grain);
  const pore = new Set<number>();
  let removed = 0;
  for (const g of order) {
    const A = grains[g].area_um2;
    if (removed + A / 2 <= voidArea && pore.size < grains.length - 1) {
      pore.add(g);
      removed += A;
    }
  }
  const mergedGroups =
    opts.merges === false
      ? []
      : file.merged_groups.map((m) => m.filter((g) => !pore.has(g))).filter((m) => m.length > 1);
  const groupOf = new Map<number, number[]>();
  for (const m of mergedGroups) for (const g of m) groupOf.set(g, m);
  const inactiveGrains: number[] = [];
  for (const g of grains) {
    if (pore.has(g.grain)) continue;
    const members = groupOf.get(g.grain) ?? [g.grain];
    let rs = 0;
    let a = 0;
    for (const k of members) {
      rs += grains[k].rock_salt * grains[k].area_um2;
      a += grains[k].area_um2;
    }
    if (rs > INACTIVE_ROCK_SALT_FRACTION * a) inactiveGrains.push(g.grain);
  }
  return {
    poreGrains: [...pore].sort((p, q) => p - q),
    inactiveGrains,
    mergedGroups,
    voidArea_um2: voidArea,
    poreArea_um2: removed,
    area_um2: area,
  };
}

/**
 * A user charge config with `microstructure.from_synthesis` → the same config on the synthesis mesh: `geometry` and
 * `microstructure` taken from the file (a conflicting key given in the config is an error naming it), the path made
 * absolute (`baseDir`: where a relative path starts, the config file's directory). Any other config is returned as
 * it is.
 */
export function withSynthesisMesh(config: unknown, baseDir: string): unknown {
  if (!isObject(config) || !isObject(config.microstructure)) return config;
  const from = config.microstructure.from_synthesis;
  if (from === undefined) return config;
  if (typeof from !== 'string' || from.length === 0)
    throw new ConfigError([
      { key: KEY, message: `got ${JSON.stringify(from)}; must be the path of a microstructure.json` },
    ]);
  const path = resolvePath(baseDir, from);
  let file: MicrostructureFile;
  try {
    file = loadSynthesizedMicrostructure(path);
  } catch (e) {
    asIssueError(e);
  }
  const issues: { key: string; message: string }[] = [];
  const stored = { geometry: file.mesh.geometry, microstructure: file.mesh.microstructure } as Record<
    'geometry' | 'microstructure',
    Record<string, unknown>
  >;
  // A given key agrees when it equals the file's value or what the file's keys resolve to (e.g. `grains` derived
  // from a mean grain diameter, the default `interfaces`): a summary.json config can be fed back.
  const fileResolved = resolveConfig({
    geometry: stored.geometry,
    microstructure: stored.microstructure,
  }) as unknown as Record<'geometry' | 'microstructure', Record<string, unknown>>;
  for (const section of ['geometry', 'microstructure'] as const) {
    const given = config[section];
    if (!isObject(given)) continue; // absent, or the schema names it
    for (const [k, v] of Object.entries(given)) {
      if (section === 'microstructure' && (k === 'from_synthesis' || k === 'pore_fill')) continue;
      const agrees = [stored[section][k], fileResolved[section][k]].some((w) => canonicalJson(v) === canonicalJson(w));
      if (!agrees)
        issues.push({
          key: `${section}.${k}`,
          message:
            `got ${JSON.stringify(v)}; the synthesized particle of ${KEY} ("${from}") has ` +
            `${stored[section][k] === undefined ? 'no such key' : JSON.stringify(stored[section][k])}: ` +
            'a synthesized particle is charged on its own mesh, remove the key (it is taken from the file)',
        });
    }
  }
  if (issues.length) throw new ConfigError(issues);
  const given = config.microstructure;
  return {
    ...config,
    geometry: { ...stored.geometry },
    microstructure: {
      ...stored.microstructure,
      ...(given.pore_fill !== undefined ? { pore_fill: given.pore_fill } : {}),
      from_synthesis: path,
    },
  };
}

/**
 * The overlay of a resolved config with `microstructure.from_synthesis` (an absolute path, `withSynthesisMesh`):
 * the file is read again and checked against the mesh this config builds (format, engine version, mesh hash; errors
 * name the key), then its voids, rock salt and merged groups are turned into cells. Undefined without the key.
 */
export function synthesizedOverlay(
  resolved: ResolvedConfig,
  opts: { merges?: boolean } = {},
): SynthesizedCharge | undefined {
  const path = resolved.microstructure.from_synthesis;
  if (path === undefined) return undefined;
  const mesh = meshPolycrystal(meshSpecFromConfig({ ...resolved, porosity: null, coating: null }));
  let file: MicrostructureFile;
  try {
    file = loadSynthesizedMicrostructure(path, mesh);
  } catch (e) {
    asIssueError(e);
  }
  const sets = synthesizedGrainSets(file, opts);
  const cell = (g: number) => mesh.grainCell![g];
  return {
    synthesized: {
      meshHash: meshHash(mesh),
      poreCells: sets.poreGrains.map(cell),
      inactiveCells: sets.inactiveGrains.map(cell),
      mergedCellGroups: sets.mergedGroups.map((m) => m.map(cell)),
    },
    poreGrains: sets.poreGrains,
    inactiveGrains: sets.inactiveGrains,
    mergedGroups: sets.mergedGroups,
    voidFraction: sets.voidArea_um2 / sets.area_um2,
    poreFraction: sets.poreArea_um2 / sets.area_um2,
  };
}

/** `withSynthesisMesh`, resolved, with its overlay: what `chemofrac run` does with a config file. */
export function readSynthesizedCharge(
  config: unknown,
  baseDir: string,
): { resolved: ResolvedConfig; charge?: SynthesizedCharge } {
  const resolved = resolveConfig(withSynthesisMesh(config, baseDir));
  return { resolved, charge: synthesizedOverlay(resolved) };
}
