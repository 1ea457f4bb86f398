/**
 * Per-step metrics (docs/physics.md §5), computed on the host from the kernel's field views. O(elements) each, no
 * allocation beyond the caller-owned scratch arrays.
 */
import { INTERFACE_GRAIN_BOUNDARY, REGION_COATING, REGION_GRAIN } from '../mesh/types.js';
import type { Scenario } from '../scenario/build.js';
import { createUnionFind } from '../mesh/union-find.js';
import { atan2, cos, hypot, sin } from '../math/portable.js';

export interface StepMetrics {
  /**
   * Area-weighted mean of the Li site fraction over the Li host (grains + coating without inactive grains; the Li
   * balance is x_mean = 1 − SoC · Δx_1C) and its standard deviation over the active grains (the material whose Li
   * distribution the experiments measure; the thin coating would otherwise add its surface extremes). Exact P1
   * integrals.
   */
  x_mean: number;
  x_std: number;
  /** Length-weighted mean damage over grain boundaries. */
  damage_mean: number;
  /** Fraction of grain-boundary length with D > 0 ("damaged") and D ≥ 0.99 ("cracked"). */
  damaged_fraction: number;
  cracked_fraction: number;
  /** Share of the surface shell (grains within hotspot_shell_um below R) whose local SoC exceeds the particle SoC
   * by more than hotspot_threshold. */
  hotspot_fraction: number;
  /** Largest in-plane principal stress over the grains (MPa). */
  max_principal_MPa: number;
  /** Area-weighted mean hoop stress σ_θθ in the coating (MPa; NaN when uncoated). Negative = compression. */
  coating_hoop_MPa: number;
}

export const CRACKED_DAMAGE = 0.99;

/** Nodal x from the per-dof field. */
export function nodalLi(s: Scenario, li: Float64Array, out: Float64Array): Float64Array {
  const dof = s.setup.diffusionDof;
  for (let i = 0; i < dof.length; i++) out[i] = li[dof[i]];
  return out;
}

/** Per-interface damage: mean of its two integration points. */
export function interfaceDamage(damage: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * (damage[2 * i] + damage[2 * i + 1]);
  return out;
}

export function computeMetrics(
  s: Scenario,
  xNode: Float64Array,
  damage: Float64Array,
  stress: Float64Array,
  soc: number,
): StepMetrics {
  const { mesh, triArea_um2: area, triCentroidRadius_um: rc } = s;
  const tn = mesh.triNodes;
  const cfg = s.config;
  const dx1C = cfg.loading.delta_x_1C;
  const sign = cfg.loading.direction === 'charge' ? 1 : -1;

  // ∫x and ∫x² exactly for P1: ∫_e x = A x̄, ∫_e x² = A/6 (Σ x_i² + Σ_{i<j} x_i x_j).
  let ix = 0;
  let grainArea = 0;
  let gx = 0;
  let gx2 = 0;
  let shellArea = 0;
  let hotArea = 0;
  let maxPrincipal = -Infinity;
  let coatArea = 0;
  let coatHoop = 0;
  const shellInner = cfg.geometry.radius_um - cfg.output.hotspot_shell_um;
  const xy = mesh.coords_um;
  for (let t = 0; t < mesh.triCount; t++) {
    const a = xNode[tn[3 * t]];
    const b = xNode[tn[3 * t + 1]];
    const c = xNode[tn[3 * t + 2]];
    const A = area[t];
    const xbar = (a + b + c) / 3;
    // Inactive grains (synthesized rock salt) hold no exchangeable Li: outside ∫x, x_std and the hot spots.
    const active = s.triInactive[t] === 0;
    if (active) ix += A * xbar;
    if (active && mesh.triRegion[t] === REGION_GRAIN) {
      grainArea += A;
      gx += A * xbar;
      gx2 += (A / 6) * (a * a + b * b + c * c + a * b + a * c + b * c);
    }
    const sxx = stress[4 * t];
    const syy = stress[4 * t + 1];
    const sxy = stress[4 * t + 2];
    if (mesh.triRegion[t] === REGION_GRAIN) {
      const p1 = 0.5 * (sxx + syy) + Math.sqrt(0.25 * (sxx - syy) * (sxx - syy) + sxy * sxy);
      if (p1 > maxPrincipal) maxPrincipal = p1;
      if (active && rc[t] >= shellInner) {
        shellArea += A;
        // Local SoC of the element, SoC_e = (1 − x̄_e)/Δx_1C; "hot" = ahead of the particle in the direction of the
        // process (more delithiated on charge, more lithiated on discharge) by more than the threshold.
        const localSoc = (1 - xbar) / dx1C;
        if (sign * (localSoc - soc) > cfg.output.hotspot_threshold) hotArea += A;
      }
    } else if (mesh.triRegion[t] === REGION_COATING) {
      const n0 = tn[3 * t];
      const n1 = tn[3 * t + 1];
      const n2 = tn[3 * t + 2];
      const cx = (xy[2 * n0] + xy[2 * n1] + xy[2 * n2]) / 3;
      const cy = (xy[2 * n0 + 1] + xy[2 * n1 + 1] + xy[2 * n2 + 1]) / 3;
      const phi = atan2(cy, cx);
      const sn = sin(phi);
      const cs = cos(phi);
      // σ_θθ = σxx sin²φ + σyy cos²φ − 2 σxy sinφ cosφ
      coatHoop += A * (sxx * sn * sn + syy * cs * cs - 2 * sxy * sn * cs);
      coatArea += A;
    }
  }
  const total = s.solidArea_um2;
  const x_mean = ix / total;
  const grainMean = grainArea > 0 ? gx / grainArea : x_mean;
  const x_std = grainArea > 0 ? Math.sqrt(Math.max(0, gx2 / grainArea - grainMean * grainMean)) : 0;

  let gbLength = 0;
  let dSum = 0;
  let damagedLength = 0;
  let crackedLength = 0;
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    const L = s.interfaceLength_um[i];
    const D = 0.5 * (damage[2 * i] + damage[2 * i + 1]);
    gbLength += L;
    dSum += L * D;
    if (D > 0) damagedLength += L;
    if (D >= CRACKED_DAMAGE) crackedLength += L;
  }
  return {
    x_mean,
    x_std,
    damage_mean: gbLength > 0 ? dSum / gbLength : 0,
    damaged_fraction: gbLength > 0 ? damagedLength / gbLength : 0,
    cracked_fraction: gbLength > 0 ? crackedLength / gbLength : 0,
    hotspot_fraction: shellArea > 0 ? hotArea / shellArea : 0,
    max_principal_MPa: maxPrincipal === -Infinity ? 0 : maxPrincipal,
    coating_hoop_MPa: coatArea > 0 ? coatHoop / coatArea : NaN,
  };
}

/** The particle classes (docs/physics.md §5), as `cycles.csv` and the sweep tables spell them. */
export const PARTICLE_CLASSES = ['intact', 'mildly-damaged', 'broken'] as const;
export type ParticleClass = (typeof PARTICLE_CLASSES)[number];

/**
 * Particle class for ensembles (docs/physics.md §5): broken when the cracked fraction exceeds the "broken" threshold or
 * a connected path of cracked boundaries joins the outer surface to the core (r ≤ core_radius_fraction · R);
 * mildly damaged above the "mild" threshold; otherwise intact. Connectivity: union–find over the geometric end
 * points of cracked grain-boundary elements (duplicated nodes are the same point).
 */
export function classifyParticle(
  s: Scenario,
  damage: Float64Array,
  crackedFraction: number,
): { class: ParticleClass; crackPathSurfaceToCore: boolean } {
  const th = s.config.output.class_thresholds;
  const mesh = s.mesh;
  const xy = mesh.coords_um;
  const R = s.config.geometry.radius_um;
  const tol = 1e-6 * R;
  const key = (n: number) => `${Math.round(xy[2 * n] / tol)},${Math.round(xy[2 * n + 1] / tol)}`;
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const add = (k: string) => {
    if (!parent.has(k)) parent.set(k, k);
  };
  const radius = new Map<string, number>();
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    if (0.5 * (damage[2 * i] + damage[2 * i + 1]) < CRACKED_DAMAGE) continue;
    const n0 = mesh.interfaceNodes[4 * i];
    const n1 = mesh.interfaceNodes[4 * i + 1];
    const k0 = key(n0);
    const k1 = key(n1);
    add(k0);
    add(k1);
    radius.set(k0, hypot(xy[2 * n0], xy[2 * n0 + 1]));
    radius.set(k1, hypot(xy[2 * n1], xy[2 * n1 + 1]));
    const r0 = find(k0);
    const r1 = find(k1);
    if (r0 !== r1) parent.set(r0, r1);
  }
  const reachesSurface = new Set<string>();
  const reachesCore = new Set<string>();
  const surfaceR = R - 1e-3 * R;
  for (const [k, r] of radius) {
    if (r >= surfaceR) reachesSurface.add(find(k));
    if (r <= th.core_radius_fraction * R) reachesCore.add(find(k));
  }
  let path = false;
  for (const root of reachesSurface) if (reachesCore.has(root)) path = true;
  const cls: ParticleClass =
    path || crackedFraction >= th.broken_cracked_fraction
      ? 'broken'
      : crackedFraction >= th.mild_cracked_fraction
        ? 'mildly-damaged'
        : 'intact';
  return { class: cls, crackPathSurfaceToCore: path };
}

/**
 * Grains cut off from every flux surface (docs/physics.md §9): a grain-boundary element whose damage (mean of its
 * two points) is below `threshold` connects its two grains; a grain with a flux segment (outer surface, or a wetted
 * pore wall) is connected to the electrolyte. Union–find over the grains plus one "surface" node; a grain not in
 * the surface's set is isolated. For a coated particle the flux segments belong to the grain under the coating
 * (`fluxSegmentGrain`), so the coating and its interface count as a path; without interface elements
 * (`microstructure.interfaces: "none"`) no grain is isolated. Returns the isolated flag per grain and
 * the isolated share of the grain area. `fluxActive` says which flux segments carry flux (infiltrated crack faces).
 */
export function isolatedGrains(
  s: Scenario,
  damage: Float64Array,
  threshold: number,
  fluxActive: (segment: number) => boolean = () => true,
): { isolated: Uint8Array; count: number; areaFraction: number } {
  const mesh = s.mesh;
  const G = mesh.grainCount;
  const uf = createUnionFind(G + 1);
  // Without interface elements (perfectly bonded grains, shared nodes) every grain is joined to its neighbours.
  if (s.config.microstructure.interfaces === 'none') for (let g = 0; g < G; g++) uf.union(g, G);
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    const a = mesh.interfaceGrainA[i];
    const b = mesh.interfaceGrainB[i];
    if (a < 0 || b < 0) continue;
    if (0.5 * (damage[2 * i] + damage[2 * i + 1]) < threshold) uf.union(a, b);
  }
  for (let f = 0; f < s.fluxSegmentGrain.length; f++)
    if (s.fluxSegmentGrain[f] >= 0 && fluxActive(f)) uf.union(G, s.fluxSegmentGrain[f]);
  const surface = uf.find(G);
  const isolated = new Uint8Array(G);
  let count = 0;
  for (let g = 0; g < G; g++)
    if (uf.find(g) !== surface) {
      isolated[g] = 1;
      count++;
    }
  let area = 0;
  let isolatedArea = 0;
  for (let t = 0; t < mesh.triCount; t++) {
    const g = mesh.triGrain[t];
    if (g < 0) continue;
    area += s.triArea_um2[t];
    if (isolated[g]) isolatedArea += s.triArea_um2[t];
  }
  return { isolated, count, areaFraction: area > 0 ? isolatedArea / area : 0 };
}

/** Li content ∫x dA of every grain (µm², exact for P1: ∫_e x = A x̄), into `out` (length grainCount). */
export function grainLi(s: Scenario, xNode: Float64Array, out: Float64Array): Float64Array {
  const { mesh } = s;
  const tn = mesh.triNodes;
  out.fill(0);
  for (let t = 0; t < mesh.triCount; t++) {
    const g = mesh.triGrain[t];
    if (g < 0) continue;
    out[g] += (s.triArea_um2[t] * (xNode[tn[3 * t]] + xNode[tn[3 * t + 1]] + xNode[tn[3 * t + 2]])) / 3;
  }
  return out;
}

/**
 * Cracks open to the electrolyte (`loading.crack_infiltration`, docs/physics.md §9): grain-boundary elements whose
 * mean damage is ≥ `threshold` and that are joined, through cracked elements sharing an end point, to a point of
 * the outer surface (the end points of its first `surfaceFluxSegments` flux segments). Union–find over geometric
 * points (the node copies of a boundary are one point). Returns a flag per interface element.
 */
export function infiltratedCracks(s: Scenario, damage: Float64Array, threshold: number): Uint8Array {
  const mesh = s.mesh;
  const xy = mesh.coords_um;
  const tol = 1e-6 * s.config.geometry.radius_um;
  const ids = new Map<string, number>();
  const pointOf = (n: number): number => {
    const key = `${Math.round(xy[2 * n] / tol)},${Math.round(xy[2 * n + 1] / tol)}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  const cracked: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < mesh.interfaceCount; i++) {
    if (mesh.interfaceKind[i] !== INTERFACE_GRAIN_BOUNDARY) continue;
    if (0.5 * (damage[2 * i] + damage[2 * i + 1]) < threshold) continue;
    cracked.push(i);
    ends.push(pointOf(mesh.interfaceNodes[4 * i]), pointOf(mesh.interfaceNodes[4 * i + 1]));
  }
  const surface: number[] = [];
  for (let f = 0; f < s.surfaceFluxSegments; f++)
    for (const n of [s.setup.fluxSegmentNodes[2 * f], s.setup.fluxSegmentNodes[2 * f + 1]]) {
      const key = `${Math.round(xy[2 * n] / tol)},${Math.round(xy[2 * n + 1] / tol)}`;
      const id = ids.get(key);
      if (id !== undefined) surface.push(id);
    }
  const uf = createUnionFind(ids.size + 1);
  const wet = ids.size;
  for (let k = 0; k < cracked.length; k++) uf.union(ends[2 * k], ends[2 * k + 1]);
  for (const id of surface) uf.union(id, wet);
  const open = new Uint8Array(mesh.interfaceCount);
  const root = uf.find(wet);
  for (let k = 0; k < cracked.length; k++) if (uf.find(ends[2 * k]) === root) open[cracked[k]] = 1;
  return open;
}
