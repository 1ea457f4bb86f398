/**
 * Boundary closure by coarsening (docs/synthesis.md §4). Every grain-boundary interface element carries an
 * opening o ∈ [0, 1] (1 = an open path, as in the precursor). Lithiated grains coarsen and merge, which closes
 * the boundary between them:
 *
 *   do/dt = −k_c(T) · p(r) · X̄_L,a · X̄_L,b · o
 *
 * X̄_L,a, X̄_L,b the lithiated fraction of the two sides at the element's nodes, p(r) the LixWOy pinning
 * (1 bare; 1 − (1 − f(N)) e^{−(R−r)/ℓ_W} W-coated). Backward Euler with the sides' X_L at the end of the step:
 * o¹ = o⁰ / (1 + Δt k_c p X̄_a X̄_b), which stays in (0, 1].
 * Grains merge when the closed share (o < open_threshold) of their common boundary length exceeds
 * merge_threshold **and** their c-axes differ by at most merge_misorientation_deg: a closed boundary between
 * misoriented grains is a sintered grain boundary (it stays a boundary in the charge), only a low-angle one
 * coalesces (the c-axis angle is a lower bound of the misorientation: the a-axes are not tracked). Merging is
 * transitive (union–find).
 */
import type { PolycrystalMesh } from '../mesh/types.js';
import { acos } from '../math/portable.js';

/** Update the openings in place; returns the largest decrease of o. */
export function closeBoundaries(
  mesh: PolycrystalMesh,
  opening: Float64Array,
  XL: Float64Array,
  pinning: Float64Array,
  k_c_per_s: number,
  dt: number,
): number {
  let largest = 0;
  const n = mesh.interfaceNodes;
  for (let i = 0; i < mesh.interfaceCount; i++) {
    const xa = 0.5 * (XL[n[4 * i]] + XL[n[4 * i + 1]]);
    const xb = 0.5 * (XL[n[4 * i + 2]] + XL[n[4 * i + 3]]);
    const rate = k_c_per_s * pinning[i] * Math.max(0, xa) * Math.max(0, xb);
    const o1 = opening[i] / (1 + dt * rate);
    largest = Math.max(largest, opening[i] - o1);
    opening[i] = o1;
  }
  return largest;
}

export interface GrainBoundarySummary {
  grain_a: number;
  grain_b: number;
  length_um: number;
  /** Length-weighted mean opening. */
  opening: number;
  /** Share of the length with o < open_threshold. */
  closed_fraction: number;
  merged: boolean;
}

/** Boundaries between grain pairs and the merged groups (each group sorted, groups of ≥ 2 grains only). */
export function mergedGrains(
  mesh: PolycrystalMesh,
  opening: Float64Array,
  length_um: Float64Array,
  openThreshold: number,
  mergeThreshold: number,
  mergeMisorientation_deg: number,
): { boundaries: GrainBoundarySummary[]; groups: number[][]; grainGroup: Int32Array } {
  /** Angle between the c-axes of grains a and b (degrees, 0–90: n and −n are the same axis). */
  const axisAngle_deg = (a: number, b: number): number => {
    const A = mesh.grainAxis,
      dot = Math.abs(A[3 * a] * A[3 * b] + A[3 * a + 1] * A[3 * b + 1] + A[3 * a + 2] * A[3 * b + 2]);
    return (acos(Math.min(1, dot)) * 180) / Math.PI;
  };
  const byPair = new Map<string, { a: number; b: number; L: number; oL: number; closedL: number }>();
  for (let i = 0; i < mesh.interfaceCount; i++) {
    const ga = mesh.interfaceGrainA[i];
    const gb = mesh.interfaceGrainB[i];
    if (ga < 0 || gb < 0) continue;
    const a = Math.min(ga, gb),
      b = Math.max(ga, gb);
    const key = `${a},${b}`;
    let e = byPair.get(key);
    if (!e) byPair.set(key, (e = { a, b, L: 0, oL: 0, closedL: 0 }));
    e.L += length_um[i];
    e.oL += opening[i] * length_um[i];
    if (opening[i] < openThreshold) e.closedL += length_um[i];
  }
  const parent = Int32Array.from({ length: mesh.grainCount }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const boundaries: GrainBoundarySummary[] = [];
  for (const e of [...byPair.values()].sort((p, q) => p.a - q.a || p.b - q.b)) {
    const closed = e.L > 0 ? e.closedL / e.L : 0;
    const merged = closed > mergeThreshold && axisAngle_deg(e.a, e.b) <= mergeMisorientation_deg;
    if (merged) {
      const ra = find(e.a),
        rb = find(e.b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    boundaries.push({
      grain_a: e.a,
      grain_b: e.b,
      length_um: e.L,
      opening: e.L > 0 ? e.oL / e.L : 1,
      closed_fraction: closed,
      merged,
    });
  }
  const members = new Map<number, number[]>();
  for (let g = 0; g < mesh.grainCount; g++) {
    const r = find(g);
    if (!members.has(r)) members.set(r, []);
    members.get(r)!.push(g);
  }
  const grainGroup = new Int32Array(mesh.grainCount);
  for (let g = 0; g < mesh.grainCount; g++) grainGroup[g] = find(g);
  const groups = [...members.values()].filter((m) => m.length > 1);
  return { boundaries, groups, grainGroup };
}
