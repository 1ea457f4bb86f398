/**
 * A synthesized particle as a charge mesh (docs/synthesis.md §9): the polycrystal of the synthesis, with
 *  - void grains removed as pores (whole Voronoi cells, like the pore machinery of ./pores.ts: their walls are pore
 *    walls, free or electrolyte-wetted per `microstructure.pore_fill`);
 *  - rock-salt grains marked inactive (`grainInactive`: the scenario gives them the inactive material and keeps Li
 *    out of them, src/scenario/build.ts);
 *  - each group of merged grains made one grain: the grain-boundary interface elements between its members are
 *    removed and their node copies joined (the boundary is gone, not a bonded crack), one grain id and one
 *    orientation (that of the group's largest member: coarsening means one grain consumed the other).
 *
 * The overlay names grains by their Voronoi cell (seed order; `PolycrystalMesh.grainCell`), the identity that
 * survives removing pores (grain ids are renumbered then). The file reader that turns microstructure.json into an
 * overlay and checks it against the mesh lives above (src/synthesis/charge.ts); this layer only applies it.
 */
import { meshPolycrystal } from './index.js';
import type { MeshSpec } from './spec.js';
import { INTERFACE_GRAIN_BOUNDARY, type PolycrystalMesh } from './types.js';
import { createUnionFind } from './union-find.js';
import { hypot } from '../math/portable.js';

/** What a synthesis changes in its particle, by Voronoi cell (seed order). Plain data (JSON, structured clone). */
export interface SynthesizedMicrostructure {
  /** sha256 of the synthesis mesh (the spec without pores) the cells refer to. */
  meshHash: string;
  /** Cells removed as pores. */
  poreCells: number[];
  /** Cells that hold no exchangeable Li (rock salt). */
  inactiveCells: number[];
  /** Groups of ≥ 2 cells that are one grain. */
  mergedCellGroups: number[][];
}

/**
 * The charge mesh of a synthesized particle: `spec` (the synthesis mesh's spec, no porosity) meshed with the overlay's
 * pore cells, the orientations of the synthesis mesh kept per cell, merged groups joined, inactive grains marked.
 */
export function meshSynthesized(spec: MeshSpec, overlay: SynthesizedMicrostructure): PolycrystalMesh {
  const base = meshPolycrystal({ ...spec, porosity: undefined, pore_cells: undefined });
  const mesh =
    overlay.poreCells.length > 0
      ? meshPolycrystal({ ...spec, porosity: undefined, pore_cells: overlay.poreCells })
      : base;
  // Orientations (in-plane angle and 3D c-axis) by cell (the mesher draws them per grain id, which pores renumber).
  const baseGrainOfCell = new Map<number, number>();
  base.grainCell!.forEach((c, g) => baseGrainOfCell.set(c, g));
  const orientation = Float64Array.from(mesh.grainOrientation_rad);
  const axis = Float64Array.from(mesh.grainAxis);
  mesh.grainCell!.forEach((c, g) => {
    const b = baseGrainOfCell.get(c);
    if (b === undefined) return;
    orientation[g] = base.grainOrientation_rad[b];
    axis.set(base.grainAxis.subarray(3 * b, 3 * b + 3), 3 * g);
  });
  const withOrientation: PolycrystalMesh = { ...mesh, grainOrientation_rad: orientation, grainAxis: axis };
  const grainOfCell = new Map<number, number>();
  mesh.grainCell!.forEach((c, g) => grainOfCell.set(c, g));
  const groups = overlay.mergedCellGroups
    .map((cells) => cells.map((c) => grainOfCell.get(c)).filter((g): g is number => g !== undefined))
    .filter((g) => g.length > 1);
  const merged = mergeGrainGroups(withOrientation, groups);
  const inactive = new Uint8Array(merged.mesh.grainCount);
  for (const c of overlay.inactiveCells) {
    const g = grainOfCell.get(c);
    if (g !== undefined) inactive[merged.grainOfOld[g]] = 1;
  }
  return { ...merged.mesh, grainInactive: inactive };
}

/**
 * Join each group of grains into one grain: grain-boundary interface elements with both sides in one group are
 * removed and their node pairs (a0 = b0, a1 = b1) become one node; nodes and grains are renumbered in ascending order
 * of their first (smallest) old index. A merged grain's area is the sum, its orientation and cell those of its
 * largest member.
 */
export function mergeGrainGroups(
  mesh: PolycrystalMesh,
  groups: number[][],
): { mesh: PolycrystalMesh; grainOfOld: Int32Array } {
  const G = mesh.grainCount;
  const grainUf = createUnionFind(G);
  for (const members of groups) for (const g of members) grainUf.union(members[0], g);
  const rootNew = new Int32Array(G).fill(-1);
  const grainOfOld = new Int32Array(G);
  let grainCount = 0;
  for (let g = 0; g < G; g++) {
    const r = grainUf.find(g);
    if (rootNew[r] < 0) rootNew[r] = grainCount++;
    grainOfOld[g] = rootNew[r];
  }
  if (grainCount === G) return { mesh, grainOfOld };

  // Nodes: join the copies across removed interfaces.
  const nodeUf = createUnionFind(mesh.nodeCount);
  const keep: number[] = [];
  for (let i = 0; i < mesh.interfaceCount; i++) {
    const ga = mesh.interfaceGrainA[i];
    const gb = mesh.interfaceGrainB[i];
    const internal =
      mesh.interfaceKind[i] === INTERFACE_GRAIN_BOUNDARY && ga >= 0 && gb >= 0 && grainOfOld[ga] === grainOfOld[gb];
    if (internal) {
      const n = mesh.interfaceNodes;
      nodeUf.union(n[4 * i], n[4 * i + 2]);
      nodeUf.union(n[4 * i + 1], n[4 * i + 3]);
    } else keep.push(i);
  }
  const nodeNew = new Int32Array(mesh.nodeCount).fill(-1);
  const newOf = new Uint32Array(mesh.nodeCount);
  let nodeCount = 0;
  for (let i = 0; i < mesh.nodeCount; i++) {
    const r = nodeUf.find(i);
    if (nodeNew[r] < 0) nodeNew[r] = nodeCount++;
    newOf[i] = nodeNew[r];
  }
  const coords = new Float64Array(2 * nodeCount);
  for (let i = mesh.nodeCount - 1; i >= 0; i--) {
    coords[2 * newOf[i]] = mesh.coords_um[2 * i];
    coords[2 * newOf[i] + 1] = mesh.coords_um[2 * i + 1];
  }
  const remap = (a: Uint32Array) => Uint32Array.from(a, (n) => newOf[n]);
  const regrain = (a: Int32Array) => Int32Array.from(a, (g) => (g >= 0 ? grainOfOld[g] : g));
  const uniqueNodes = (a: Uint32Array) => Uint32Array.from([...new Set(remap(a))].sort((p, q) => p - q));

  const area = new Float64Array(grainCount);
  const largest = new Int32Array(grainCount).fill(-1);
  for (let g = 0; g < G; g++) {
    const k = grainOfOld[g];
    area[k] += mesh.grainArea_um2[g];
    if (largest[k] < 0 || mesh.grainArea_um2[g] > mesh.grainArea_um2[largest[k]]) largest[k] = g;
  }
  const interfaceNodes = new Uint32Array(4 * keep.length);
  keep.forEach((i, k) => {
    for (let j = 0; j < 4; j++) interfaceNodes[4 * k + j] = newOf[mesh.interfaceNodes[4 * i + j]];
  });
  const keepSet = new Uint8Array(mesh.interfaceCount);
  for (const i of keep) keepSet[i] = 1;
  const pickFast = <T extends Int32Array | Uint8Array>(a: T): T => a.filter((_, i) => keepSet[i] === 1) as T;
  let gbLength = 0;
  for (let k = 0; k < keep.length; k++) {
    if (mesh.interfaceKind[keep[k]] !== INTERFACE_GRAIN_BOUNDARY) continue;
    const a = interfaceNodes[4 * k];
    const b = interfaceNodes[4 * k + 1];
    gbLength += hypot(coords[2 * b] - coords[2 * a], coords[2 * b + 1] - coords[2 * a + 1]);
  }
  const out: PolycrystalMesh = {
    ...mesh,
    nodeCount,
    coords_um: coords,
    triNodes: remap(mesh.triNodes),
    triGrain: regrain(mesh.triGrain),
    grainCount,
    grainOrientation_rad: Float64Array.from(largest, (g) => mesh.grainOrientation_rad[g]),
    grainAxis: Float64Array.from(
      { length: 3 * grainCount },
      (_, k) => mesh.grainAxis[3 * largest[Math.floor(k / 3)] + (k % 3)],
    ),
    grainArea_um2: area,
    grainCell: mesh.grainCell ? Int32Array.from(largest, (g) => mesh.grainCell![g]) : undefined,
    interfaceCount: keep.length,
    interfaceNodes,
    interfaceGrainA: regrain(pickFast(mesh.interfaceGrainA)),
    interfaceGrainB: regrain(pickFast(mesh.interfaceGrainB)),
    interfaceKind: pickFast(mesh.interfaceKind),
    surfaceNodes: remap(mesh.surfaceNodes),
    surfaceGrain: regrain(mesh.surfaceGrain),
    poreWallNodes: remap(mesh.poreWallNodes),
    poreWallGrain: regrain(mesh.poreWallGrain),
    symmetryXNodes: uniqueNodes(mesh.symmetryXNodes),
    symmetryYNodes: uniqueNodes(mesh.symmetryYNodes),
    stats: {
      ...mesh.stats,
      nodeCount,
      grainCount,
      interfaceCount: keep.length,
      grainBoundaryLength_um: gbLength,
    },
  };
  return { mesh: out, grainOfOld };
}
