/**
 * Which pore walls an electrolyte reaches. The outer surface and the pore walls are chains of boundary segments;
 * segments that share an end point (by position: node copies at junctions have equal coordinates) belong to one
 * boundary component. A pore wall is wetted when its component contains an outer-surface segment, i.e. the pore
 * opens to the outside of the particle. Closed pores (loops of pore wall), pores that reach only a symmetry axis
 * of a quarter (their mirror image closes them) and pores under a coating (the coating's outer arc is the surface,
 * the pore ends at the coating's inner side) stay dry.
 *
 * A 2D section under-counts connectivity: in 3D, pores that look closed in the section may connect out of plane.
 */
import type { PolycrystalMesh } from './types.js';
import { createUnionFind } from './union-find.js';

/** 1 for every pore-wall segment (poreWallNodes order) whose pore opens to the outer surface. */
export function wettedPoreWalls(mesh: PolycrystalMesh): Uint8Array {
  const wetted = new Uint8Array(mesh.poreWallCount);
  if (mesh.poreWallCount === 0) return wetted;
  const xy = mesh.coords_um;
  // segments 0 … S−1: outer surface, S … S+P−1: pore walls
  const S = mesh.surfaceCount;
  const total = S + mesh.poreWallCount;
  const { find, union } = createUnionFind(total);
  // end points keyed by position (rounded to 1e-9 µm: copies of a node have bit-identical coordinates)
  const firstAt = new Map<string, number>();
  const key = (n: number) => `${Math.round(xy[2 * n] * 1e9)},${Math.round(xy[2 * n + 1] * 1e9)}`;
  const visit = (segment: number, node: number) => {
    const k = key(node);
    const other = firstAt.get(k);
    if (other === undefined) firstAt.set(k, segment);
    else union(segment, other);
  };
  for (let s = 0; s < S; s++) {
    visit(s, mesh.surfaceNodes[2 * s]);
    visit(s, mesh.surfaceNodes[2 * s + 1]);
  }
  for (let p = 0; p < mesh.poreWallCount; p++) {
    visit(S + p, mesh.poreWallNodes[2 * p]);
    visit(S + p, mesh.poreWallNodes[2 * p + 1]);
  }
  const open = new Uint8Array(total);
  for (let s = 0; s < S; s++) open[find(s)] = 1;
  for (let p = 0; p < mesh.poreWallCount; p++) wetted[p] = open[find(S + p)];
  return wetted;
}
