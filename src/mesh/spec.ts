/**
 * The resolved numeric mesh specification, its validation and the presets of docs/physics.md §2.
 *
 * The config layer (src/scenario) maps the user's JSON onto `MeshSpec`; the mesher validates it again here because
 * it is also a public library entry point, and a bad spec must fail with a message naming the key, the value and
 * the allowed range *before* anything large is allocated.
 */
import { MeshInputError } from './errors.js';
import { hypot3 } from '../math/portable.js';

export type PorositySpec = { center: number; surface: number } | { uniform: number };
export type OrientationSpec =
  | 'random-3d'
  | 'random'
  | 'radial'
  | { radial_3d_spread_deg: number }
  | { c_axis: [number, number, number] }
  | { fixed_deg: number };

export interface MeshSpec {
  shape: 'quarter' | 'full';
  /** Particle radius R (µm), without coating. */
  radius_um: number;
  /** Target element edge length h (µm) inside the grains. */
  mesh_size_um: number;
  /** Number of Voronoi seeds (grains) in the quarter or full domain, integer ≥ 1. */
  grains: number;
  /** Integer seed; same spec + seed → byte-identical mesh. */
  seed: number;
  /** Lloyd relaxation sweeps (centroids of the clipped cells), integer ≥ 0. */
  lloyd_iterations: number;
  /**
   * Log-normal σ of the grain diameter (0 = none). Implemented by seeding density: a smooth random field sets the
   * local mean diameter d(x) = d₀ exp(σ G(x)); seeds are drawn with intensity ∝ 1/d² and Lloyd relaxation uses the
   * matching centroidal density, so relaxation keeps the sizes (see size-field.ts). Sizes are correlated over
   * ~2 mean grain diameters; the intrinsic Voronoi spread (≈ 0.3 in ln d, ≈ 0.18 after Lloyd) adds in quadrature.
   */
  size_spread?: number;
  orientation: OrientationSpec;
  /** Coating annulus thickness t (µm), 0 = no coating. */
  coating_thickness_um: number;
  /** Target void fraction profile φ(r); absent = dense. */
  porosity?: PorositySpec;
  interfaces: 'cohesive' | 'none';
  /**
   * Explicit pore cells (Voronoi cell indices, i.e. seed order, 0 … grains − 1) used instead of the random choice
   * from `porosity` (which is then ignored): reproduce a given microstructure, or build test cases. Taken as given:
   * grains they cut off are reported in `stats.isolatedGrains` and removed.
   */
  pore_cells?: number[];
  /** Memory guard: refuse specs whose estimated element count exceeds this (default 5e6). */
  maxElements?: number;
}

export const DEFAULT_MAX_ELEMENTS = 5e6;

/**
 * Porosity presets of docs/physics.md §2 / §4: the gradient-porous particle (≈ 13 % void at the core falling to ≈ 8 %
 * at the surface, ≈ 8 % overall as measured in the rings 50–100 % of R) and the dense control (≈ 2 %).
 */
export const POROSITY_PRESETS = {
  gradient: { center: 0.13, surface: 0.08 },
  dense: { uniform: 0.02 },
} as const satisfies Record<string, PorositySpec>;

/** Default microstructure numbers of docs/physics.md §4. */
export const MESH_DEFAULTS = {
  radius_um: 5,
  meanGrainDiameter_um: 0.5,
  coatingThickness_um: 0.16,
  mesh_size_um: 0.1,
} as const;

export type MicrostructurePreset = 'bare' | 'coated' | 'gradient-porous' | 'dense-porous';

/**
 * The reference particles of docs/physics.md (the specs of the meshes shipped in meshes/): R = 5 µm, mean grain
 * diameter 0.5 µm, h = 0.1 µm, two Lloyd sweeps, random orientation, cohesive boundaries; "coated" adds the
 * 0.16 µm coating, the porous ones the porosity presets.
 */
export function presetMeshSpec(
  preset: MicrostructurePreset,
  shape: 'quarter' | 'full' = 'quarter',
  seed = 1,
): MeshSpec {
  const R = MESH_DEFAULTS.radius_um;
  const spec: MeshSpec = {
    shape,
    radius_um: R,
    mesh_size_um: MESH_DEFAULTS.mesh_size_um,
    grains: grainsFromMeanDiameter(shape, R, MESH_DEFAULTS.meanGrainDiameter_um),
    seed,
    lloyd_iterations: 2,
    orientation: 'random-3d',
    coating_thickness_um: preset === 'coated' ? MESH_DEFAULTS.coatingThickness_um : 0,
    interfaces: 'cohesive',
  };
  if (preset === 'gradient-porous') spec.porosity = { ...POROSITY_PRESETS.gradient };
  if (preset === 'dense-porous') spec.porosity = { ...POROSITY_PRESETS.dense };
  return spec;
}

/** Area of the (uncoated) quarter or full disk of radius R (µm²). */
export function domainArea_um2(shape: 'quarter' | 'full', radius_um: number): number {
  return (shape === 'quarter' ? 0.25 : 1) * Math.PI * radius_um * radius_um;
}

/**
 * Number of grains that gives mean grain diameter d: each grain is counted as a disk of equal area,
 * grains ≈ A_domain / (π d² / 4), rounded, at least 1. The default d = 0.5 µm in a 5 µm quarter gives 100 grains;
 * pass the result as `MeshSpec.grains`.
 */
export function grainsFromMeanDiameter(
  shape: 'quarter' | 'full',
  radius_um: number,
  meanGrainDiameter_um: number,
): number {
  if (!(meanGrainDiameter_um > 0) || !Number.isFinite(meanGrainDiameter_um)) {
    throw new MeshInputError('meanGrainDiameter_um', meanGrainDiameter_um, 'a finite number > 0 (µm)');
  }
  const grainArea = (Math.PI * meanGrainDiameter_um * meanGrainDiameter_um) / 4;
  return Math.max(1, Math.round(domainArea_um2(shape, radius_um) / grainArea));
}

/** Target void fraction φ(r) at radius r: linear from `center` (r = 0) to `surface` (r = R), or uniform. */
export function targetPorosityAt(porosity: PorositySpec | undefined, r_um: number, radius_um: number): number {
  if (!porosity) return 0;
  if ('uniform' in porosity) return porosity.uniform;
  const s = Math.min(1, Math.max(0, r_um / radius_um));
  return porosity.center + (porosity.surface - porosity.center) * s;
}

/**
 * Mean element area of a good mesh of size h: equilateral triangles of edge h have area (√3/4) h² ≈ 0.433 h².
 * Used for the pre-allocation estimate of the element count.
 */
export const ELEMENT_AREA_PER_H2 = 0.43;
/** Rough peak bytes the mesher needs per final triangle (Delaunay arrays, labels, output typed arrays). */
export const BYTES_PER_ELEMENT_ESTIMATE = 400;

function finiteNumber(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MeshInputError(key, value, 'a finite number');
  }
  return value;
}

/** Element size used inside the coating: at least two elements through the thickness. */
export function coatingMeshSize_um(spec: Pick<MeshSpec, 'mesh_size_um' | 'coating_thickness_um'>): number {
  return spec.coating_thickness_um > 0 ? Math.min(spec.mesh_size_um, spec.coating_thickness_um / 2) : spec.mesh_size_um;
}

/** Estimated final triangle count (before allocating anything). */
export function estimateElementCount(spec: MeshSpec): number {
  const h = spec.mesh_size_um;
  const R = spec.radius_um;
  const frac = spec.shape === 'quarter' ? 0.25 : 1;
  let count = domainArea_um2(spec.shape, R) / (ELEMENT_AREA_PER_H2 * h * h);
  if (spec.coating_thickness_um > 0) {
    const hc = coatingMeshSize_um(spec);
    const t = spec.coating_thickness_um;
    const annulus = frac * Math.PI * ((R + t) * (R + t) - R * R);
    count += annulus / (ELEMENT_AREA_PER_H2 * hc * hc);
  }
  return count;
}

/**
 * Validate a spec; throws `MeshInputError` naming key, value and allowed range. Returns the spec with optional
 * fields filled in.
 */
export function validateMeshSpec(
  spec: MeshSpec,
): Required<Omit<MeshSpec, 'porosity' | 'pore_cells'>> & Pick<MeshSpec, 'porosity' | 'pore_cells'> {
  if (spec === null || typeof spec !== 'object') throw new MeshInputError('spec', spec, 'an object');
  if (spec.shape !== 'quarter' && spec.shape !== 'full') {
    throw new MeshInputError('shape', spec.shape, '"quarter" or "full"');
  }
  const R = finiteNumber('radius_um', spec.radius_um);
  if (!(R > 0)) throw new MeshInputError('radius_um', R, 'a number > 0 (µm)');
  const h = finiteNumber('mesh_size_um', spec.mesh_size_um);
  if (!(h > 0)) throw new MeshInputError('mesh_size_um', h, 'a number > 0 (µm)');
  if (h > R) throw new MeshInputError('mesh_size_um', h, `0 < mesh_size_um ≤ radius_um (${R} µm)`);
  const grains = finiteNumber('grains', spec.grains);
  if (!Number.isInteger(grains) || grains < 1) throw new MeshInputError('grains', grains, 'an integer ≥ 1');
  const seed = finiteNumber('seed', spec.seed);
  if (!Number.isInteger(seed)) throw new MeshInputError('seed', seed, 'an integer');
  const lloyd = finiteNumber('lloyd_iterations', spec.lloyd_iterations);
  if (!Number.isInteger(lloyd) || lloyd < 0 || lloyd > 1000) {
    throw new MeshInputError('lloyd_iterations', lloyd, 'an integer in [0, 1000]');
  }
  const spread = spec.size_spread === undefined ? 0 : finiteNumber('size_spread', spec.size_spread);
  if (spread < 0 || spread > 2) throw new MeshInputError('size_spread', spread, 'a log-normal σ in [0, 2]');
  const o = spec.orientation;
  if (o !== 'random' && o !== 'radial' && o !== 'random-3d') {
    const allowed =
      '"random-3d", "random", "radial", { "radial_3d_spread_deg": s }, { "c_axis": [x, y, z] } or { "fixed_deg": θ }';
    if (o === null || typeof o !== 'object') throw new MeshInputError('orientation', o, allowed);
    if ('fixed_deg' in o) finiteNumber('orientation.fixed_deg', o.fixed_deg);
    else if ('radial_3d_spread_deg' in o) {
      const s = finiteNumber('orientation.radial_3d_spread_deg', o.radial_3d_spread_deg);
      if (s < 0 || s > 180)
        throw new MeshInputError('orientation.radial_3d_spread_deg', s, 'an angle in [0, 180] degrees');
    } else if ('c_axis' in o) {
      const v = o.c_axis;
      if (!Array.isArray(v) || v.length !== 3 || v.some((c) => !Number.isFinite(c)) || hypot3(v[0], v[1], v[2]) === 0) {
        throw new MeshInputError('orientation.c_axis', v, 'three finite numbers [x, y, z], not all zero');
      }
    } else throw new MeshInputError('orientation', o, allowed);
  }
  const t = finiteNumber('coating_thickness_um', spec.coating_thickness_um);
  if (t < 0 || t >= R) throw new MeshInputError('coating_thickness_um', t, `0 ≤ t < radius_um (${R} µm)`);
  if (t > 0 && t < 1e-4 * R) {
    throw new MeshInputError('coating_thickness_um', t, `0 (no coating) or ≥ 1e-4 · radius_um (${1e-4 * R} µm)`);
  }
  const p = spec.porosity;
  if (p !== undefined) {
    if (p === null || typeof p !== 'object') {
      throw new MeshInputError('porosity', p, '{ "center", "surface" } or { "uniform" } with values in [0, 0.5)');
    }
    const keys: string[] = 'uniform' in p ? ['uniform'] : ['center', 'surface'];
    for (const k of keys) {
      const v = finiteNumber(`porosity.${k}`, (p as Record<string, unknown>)[k]);
      if (v < 0 || v >= 0.5) throw new MeshInputError(`porosity.${k}`, v, 'a void fraction in [0, 0.5)');
    }
  }
  if (spec.pore_cells !== undefined) {
    if (!Array.isArray(spec.pore_cells))
      throw new MeshInputError('pore_cells', spec.pore_cells, 'an array of cell indices');
    for (const c of spec.pore_cells) {
      if (!Number.isInteger(c) || c < 0 || c >= grains) {
        throw new MeshInputError('pore_cells', c, `integer cell indices in [0, ${grains - 1}]`);
      }
    }
  }
  if (spec.interfaces !== 'cohesive' && spec.interfaces !== 'none') {
    throw new MeshInputError('interfaces', spec.interfaces, '"cohesive" or "none"');
  }
  const maxElements =
    spec.maxElements === undefined ? DEFAULT_MAX_ELEMENTS : finiteNumber('maxElements', spec.maxElements);
  if (!(maxElements > 0)) throw new MeshInputError('maxElements', maxElements, 'a number > 0');
  const full = { ...spec, size_spread: spread, maxElements };
  const estimate = estimateElementCount(full);
  if (estimate > maxElements) {
    const mb = (estimate * BYTES_PER_ELEMENT_ESTIMATE) / (1024 * 1024); // MiB
    throw new MeshInputError(
      'mesh_size_um',
      h,
      `a size giving at most maxElements = ${maxElements} elements`,
      `Estimated ${Math.round(estimate).toExponential(2)} elements (area / (0.43 h²)), about ${mb.toFixed(0)} MB; ` +
        `increase geometry.mesh_size_um or reduce geometry.radius_um`,
    );
  }
  // Seeds per element: a grain needs a few elements; refuse absurd grain counts before allocating seeds.
  if (grains > estimate) {
    throw new MeshInputError(
      'grains',
      grains,
      `at most about one grain per element (≤ ${Math.floor(estimate)} at mesh_size_um = ${h})`,
    );
  }
  return full as Required<Omit<MeshSpec, 'porosity' | 'pore_cells'>> & Pick<MeshSpec, 'porosity' | 'pore_cells'>;
}
