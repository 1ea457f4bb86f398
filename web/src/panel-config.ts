/**
 * The panel's fields ↔ a user config, without the DOM: the field values of a config (`fieldValues`), and a config
 * with the fields' values applied (`applyFields`). Number fields keep a non-number text as is, so the engine's
 * validator names the field.
 */
import {
  ConfigError,
  MeshInputError,
  meshSpecFromConfig,
  resolveConfig,
  validateMeshSpec,
  type ResolvedConfig,
  type UserConfig,
} from '../../src/index.js';
import type { ConfigIssue } from './worker-protocol.js';

type Json = Record<string, unknown>;

/** A number field's value: undefined when empty, the raw text when not a number (so the validator names it). */
export function numberOrRaw(s: string): number | string | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : t;
}

export function presetOf(material: unknown): string {
  if (typeof material === 'string') return material;
  if (material && typeof material === 'object' && typeof (material as Json).preset === 'string')
    return (material as Json).preset as string;
  return 'nmc811'; // the config default (src/materials/presets.ts DEFAULT_MATERIAL)
}

/** The field values (by field id, see panel-fields.ts) that show config `c`. */
export function fieldValues(c: Json): Record<string, string | boolean> {
  const g = (c.geometry ?? {}) as Json;
  const m = (c.microstructure ?? {}) as Json;
  const l = (c.loading ?? {}) as Json;
  const s = (c.solver ?? {}) as Json;
  const coat = c.coating as Json | undefined;
  const por = c.porosity as Json | string | undefined;
  const mat = c.material;
  const matObj = mat && typeof mat === 'object' ? (mat as Json) : {};
  const gbObj = (matObj.gb ?? {}) as Json;
  const porValues =
    por === undefined
      ? ['', '']
      : typeof por === 'string'
        ? por === 'gradient'
          ? ['0.13', '0.08']
          : ['0.02', '']
        : 'uniform' in por
          ? [String(por.uniform), '']
          : [String(por.center ?? ''), String(por.surface ?? '')];
  return {
    grains: m.grains !== undefined ? String(m.grains) : '',
    seed: m.seed !== undefined ? String(m.seed) : '',
    shape: String(g.shape ?? 'quarter'),
    mesh: g.mesh_size_um !== undefined ? String(g.mesh_size_um) : '',
    coating: coat ? String(coat.thickness_um ?? 0.16) : '',
    porCore: porValues[0],
    porSurface: porValues[1],
    crates: Array.isArray(l.c_rates) ? l.c_rates.join(', ') : l.c_rates !== undefined ? String(l.c_rates) : '',
    toSoc: l.to_soc !== undefined ? String(l.to_soc) : '',
    gb: gbObj.strength_MPa !== undefined ? String(gbObj.strength_MPa) : '',
    dratio: matObj.D_c_over_D_ab !== undefined ? String(matObj.D_c_over_D_ab) : '',
    crack: Boolean(s.crack_blocks_diffusion),
  };
}

/**
 * `c` (a user config, changed in place) with the fields' values applied; `value(id)` reads a field ('true' /
 * 'false' for a checkbox). Empty fields keep what `c` has.
 */
export function applyFields(c: Json, value: (id: string) => string): UserConfig {
  const geometry = { ...((c.geometry ?? {}) as Json) };
  geometry.shape = value('shape');
  const mesh = numberOrRaw(value('mesh'));
  if (mesh !== undefined) geometry.mesh_size_um = mesh;
  c.geometry = geometry;

  const micro = { ...((c.microstructure ?? {}) as Json) };
  const grains = numberOrRaw(value('grains'));
  if (grains !== undefined) {
    micro.grains = grains;
    delete micro.mean_grain_diameter_um;
  }
  const seed = numberOrRaw(value('seed'));
  if (seed !== undefined) micro.seed = seed;
  c.microstructure = micro;

  const coat = numberOrRaw(value('coating'));
  if (coat === undefined || coat === 0) delete c.coating;
  else c.coating = { ...((c.coating ?? {}) as Json), thickness_um: coat };

  const pc = numberOrRaw(value('porCore'));
  const ps = numberOrRaw(value('porSurface'));
  if (pc === undefined && ps === undefined) delete c.porosity;
  else if (pc !== undefined && ps !== undefined) c.porosity = { center: pc, surface: ps };
  else c.porosity = { uniform: (pc ?? ps)! };

  const loading = { ...((c.loading ?? {}) as Json) };
  const rates = value('crates').trim();
  if (rates !== '') {
    const parts = rates
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map((p) => numberOrRaw(p)!);
    loading.c_rates = parts.length === 1 ? parts[0] : parts;
  }
  const toSoc = numberOrRaw(value('toSoc'));
  if (toSoc !== undefined) {
    loading.to_soc = toSoc;
    delete loading.duration_s;
  }
  c.loading = loading;

  const gb = numberOrRaw(value('gb'));
  const dr = numberOrRaw(value('dratio'));
  if (gb !== undefined || dr !== undefined) {
    const m: Json =
      typeof c.material === 'object' && c.material ? { ...(c.material as Json) } : { preset: presetOf(c.material) };
    if (gb !== undefined) {
      const old = (m.gb ?? {}) as Json;
      m.gb = { ...(old.enabled === false ? {} : old), strength_MPa: gb };
    }
    if (dr !== undefined) m.D_c_over_D_ab = dr;
    c.material = m;
  }

  const crack = value('crack') === 'true';
  c.solver = { ...((c.solver ?? {}) as Json), crack_blocks_diffusion: crack };
  return c as UserConfig;
}

/** Mesh-spec keys (MeshInputError.key) → the config keys they come from (meshSpecFromConfig). */
const MESH_KEY_TO_CONFIG: Record<string, string> = {
  shape: 'geometry.shape',
  radius_um: 'geometry.radius_um',
  mesh_size_um: 'geometry.mesh_size_um',
  grains: 'microstructure.grains',
  seed: 'microstructure.seed',
  lloyd_iterations: 'microstructure.lloyd_iterations',
  size_spread: 'microstructure.size_spread',
  orientation: 'microstructure.orientation',
  interfaces: 'microstructure.interfaces',
  coating_thickness_um: 'coating.thickness_um',
  porosity: 'porosity',
};

/** The config key a mesh-spec key comes from (`porosity.center` stays `porosity.center`). */
export function configKeyOfMeshKey(key: string): string {
  const head = key.split('.')[0];
  const mapped = MESH_KEY_TO_CONFIG[head];
  return mapped ? mapped + key.slice(head.length) : key;
}

/**
 * Check a user config the way a run does, before any worker starts: the config schema and resolution
 * (`resolveConfig`, the CLI's ConfigError) and the mesher's limits on the resolved geometry (`validateMeshSpec`
 * on `meshSpecFromConfig`, the MeshInputError the CLI reports), e.g. `grains = 100000` on a 0.15 µm mesh.
 * Returns the issues (key, message), empty when the run can start, and the resolved config when it resolves.
 */
export function checkConfig(c: unknown): { issues: ConfigIssue[]; resolved: ResolvedConfig | null } {
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(c);
  } catch (e) {
    if (e instanceof ConfigError) return { issues: e.issues, resolved: null };
    return { issues: [{ key: '', message: e instanceof Error ? e.message : String(e) }], resolved: null };
  }
  try {
    validateMeshSpec(meshSpecFromConfig(resolved));
  } catch (e) {
    if (e instanceof MeshInputError) {
      const shown =
        typeof e.value === 'number' || typeof e.value === 'string' ? String(e.value) : JSON.stringify(e.value);
      return { issues: [{ key: configKeyOfMeshKey(e.key), message: `got ${shown}; allowed: ${e.allowed}` }], resolved };
    }
    throw e;
  }
  return { issues: [], resolved };
}
