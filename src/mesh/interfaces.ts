/**
 * From the labelled triangulation to the `PolycrystalMesh` arrays: node ownership (duplication per region),
 * zero-thickness interface elements, surface and pore-wall segments, symmetry node lists.
 *
 * Node duplication (`interfaces = "cohesive"`): every mesh point gets one node *per region that has a triangle
 * touching it*. A point inside a grain has one node; a point on a grain boundary has two; a triple junction three;
 * a 4-grain junction (made by the geometry cleanup) four; a point on the coating interface at a grain boundary
 * three (two grains + coating). No special junction logic is needed: ownership is decided per (point, region)
 * pair, and every interface element joins the copies of its two regions, so at a junction each pair of
 * neighbouring regions is joined along its own boundary only (the copies are not tied together at the point
 * itself — that is exactly the freedom a crack needs to open at a junction).
 *
 * Interface element [a0, a1, b0, b1] on the subsegment p–q between regions A (left) and B (right): side a is the
 * region whose triangle lies to the left of a0 → a1, so for a subsegment with A on its left: a0 = (p, A),
 * a1 = (q, A), b0 = (p, B), b1 = (q, B). Side a is the lower grain id for grain boundaries and always the grain
 * for the coating interface (so `interfaceGrainB = −1` marks coating elements).
 */
import {
  INTERFACE_COATING,
  INTERFACE_GRAIN_BOUNDARY,
  REGION_COATING,
  REGION_GRAIN,
  type PolycrystalMesh,
} from './types.js';
import { EDGE_ARC, EDGE_ARC_OUTER, EDGE_AXIS_X, EDGE_AXIS_Y } from './pslg.js';
import { LABEL_COATING, LABEL_PORE, LABEL_VOID, type TriangulateResult } from './triangulate/index.js';
import { MeshInternalError } from './errors.js';
import { atan2 } from '../math/portable.js';

export type MeshArrays = Omit<
  PolycrystalMesh,
  'stats' | 'grainOrientation_rad' | 'grainAxis' | 'radius_um' | 'coatingThickness_um' | 'shape'
>;

/** Region of a label for node ownership: grains ≥ 0 keep their id, the coating is −1. */
const regionOf = (label: number) => (label === LABEL_COATING ? -1 : label);
const isSolid = (label: number) => label >= 0 || label === LABEL_COATING;

export function assembleMesh(
  tri: TriangulateResult,
  grainCount: number,
  interfaces: 'cohesive' | 'none',
  coated: boolean,
  quarter: boolean,
): MeshArrays {
  const { coords, triangles, triLabel } = tri;
  let solidCount = 0;
  for (let t = 0; t < tri.triCount; t++) if (isSolid(triLabel[t])) solidCount++;

  // ---- nodes --------------------------------------------------------------------------------------------------
  // Copies of each point: linked list (head per point) of (region, node).
  const head = new Int32Array(tri.pointCount).fill(-1);
  const copyRegion: number[] = [];
  const copyNode: number[] = [];
  const copyNext: number[] = [];
  const nodeX: number[] = [];
  const nodeY: number[] = [];
  const cohesive = interfaces === 'cohesive';
  const nodeOf = (p: number, region: number, create: boolean): number => {
    const key = cohesive ? region : 0;
    for (let c = head[p]; c >= 0; c = copyNext[c]) if (copyRegion[c] === key) return copyNode[c];
    if (!create) return -1;
    const node = nodeX.length;
    nodeX.push(coords[2 * p]);
    nodeY.push(coords[2 * p + 1]);
    copyRegion.push(key);
    copyNode.push(node);
    copyNext.push(head[p]);
    head[p] = copyRegion.length - 1;
    return node;
  };
  const triNodes = new Uint32Array(3 * solidCount);
  const triGrain = new Int32Array(solidCount);
  const triRegion = new Uint8Array(solidCount);
  const grainArea = new Float64Array(grainCount);
  let k = 0;
  for (let t = 0; t < tri.triCount; t++) {
    const label = triLabel[t];
    if (!isSolid(label)) continue;
    const region = regionOf(label);
    for (let j = 0; j < 3; j++) triNodes[3 * k + j] = nodeOf(triangles[3 * t + j], region, true);
    triGrain[k] = region;
    triRegion[k] = label === LABEL_COATING ? REGION_COATING : REGION_GRAIN;
    if (region >= 0) {
      const a = triangles[3 * t];
      const b = triangles[3 * t + 1];
      const c = triangles[3 * t + 2];
      grainArea[region] +=
        ((coords[2 * b] - coords[2 * a]) * (coords[2 * c + 1] - coords[2 * a + 1]) -
          (coords[2 * b + 1] - coords[2 * a + 1]) * (coords[2 * c] - coords[2 * a])) /
        2;
    }
    k++;
  }
  const nodeCount = nodeX.length;
  const coordsOut = new Float64Array(2 * nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    coordsOut[2 * i] = nodeX[i];
    coordsOut[2 * i + 1] = nodeY[i];
  }

  // ---- boundary pieces ----------------------------------------------------------------------------------------
  const ifNodes: number[] = [];
  const ifA: number[] = [];
  const ifB: number[] = [];
  const ifKind: number[] = [];
  const surfNodes: number[] = [];
  const surfGrain: number[] = [];
  const surfAngle: number[] = [];
  const poreNodes: number[] = [];
  const poreGrain: number[] = [];
  const symX = new Set<number>();
  const symY = new Set<number>();
  // Grain under the coating by angle: the grain | coating subsegments of the arc r = R.
  const underCoating: { a0: number; a1: number; grain: number }[] = [];
  const angleOf = (x: number, y: number) => {
    const a = atan2(y, x);
    return a < 0 ? a + 2 * Math.PI : a;
  };
  const need = (p: number, label: number) => {
    const node = nodeOf(p, regionOf(label), false);
    if (node < 0) throw new MeshInternalError(`no node for point ${p} in region ${label}`);
    return node;
  };
  for (let s = 0; s < tri.segCount; s++) {
    const p = tri.segA[s];
    const q = tri.segB[s];
    const L = tri.segLeft[s];
    const Rt = tri.segRight[s];
    const kind = tri.segKind[s];
    const solidL = isSolid(L);
    const solidR = isSolid(Rt);
    if (kind === EDGE_AXIS_X || kind === EDGE_AXIS_Y) continue; // symmetry lists are built from coordinates below
    if (solidL && solidR) {
      if (L === LABEL_COATING || Rt === LABEL_COATING) {
        const grainLabel = L === LABEL_COATING ? Rt : L;
        const grainOnLeft = L !== LABEL_COATING;
        const [u, v] = grainOnLeft ? [p, q] : [q, p];
        underCoating.push({
          a0: angleOf(coords[2 * p], coords[2 * p + 1]),
          a1: angleOf(coords[2 * q], coords[2 * q + 1]),
          grain: grainLabel,
        });
        if (!cohesive) continue;
        ifNodes.push(need(u, grainLabel), need(v, grainLabel), need(u, LABEL_COATING), need(v, LABEL_COATING));
        ifA.push(grainLabel);
        ifB.push(-1);
        ifKind.push(INTERFACE_COATING);
      } else {
        if (!cohesive) continue;
        const aLeft = L < Rt;
        const [u, v] = aLeft ? [p, q] : [q, p];
        const A = aLeft ? L : Rt;
        const B = aLeft ? Rt : L;
        ifNodes.push(need(u, A), need(v, A), need(u, B), need(v, B));
        ifA.push(A);
        ifB.push(B);
        ifKind.push(INTERFACE_GRAIN_BOUNDARY);
      }
      continue;
    }
    if (!solidL && !solidR) continue; // pore | outside
    const solid = solidL ? L : Rt;
    const other = solidL ? Rt : L;
    const [u, v] = solidL ? [p, q] : [q, p];
    const nu = need(u, solid);
    const nv = need(v, solid);
    const isSurface = other === LABEL_VOID && ((kind === EDGE_ARC && !coated) || (kind === EDGE_ARC_OUTER && coated));
    if (isSurface) {
      surfNodes.push(nu, nv);
      surfGrain.push(regionOf(solid));
      surfAngle.push(angleOf((coords[2 * u] + coords[2 * v]) / 2, (coords[2 * u + 1] + coords[2 * v + 1]) / 2));
    } else if (other === LABEL_PORE || other === LABEL_VOID) {
      poreNodes.push(nu, nv);
      poreGrain.push(regionOf(solid));
    }
  }
  // Coating surface segments take the grain under them (by angle); a pore under the coating → nearest grain.
  if (coated && underCoating.length > 0) {
    const spans = underCoating.map((s) => {
      let a1 = s.a1;
      if (a1 < s.a0) a1 += 2 * Math.PI;
      return { a0: s.a0, a1, grain: s.grain };
    });
    spans.sort((x, y) => x.a0 - y.a0);
    const starts = spans.map((s) => s.a0);
    for (let i = 0; i < surfGrain.length; i++) {
      const ang = surfAngle[i];
      let lo = 0;
      let hi = starts.length - 1;
      let idx = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= ang) {
          idx = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const candidates = [idx, idx + 1, idx === -1 ? spans.length - 1 : idx - 1].filter(
        (j) => j >= 0 && j < spans.length,
      );
      let best = candidates[0];
      let bestDist = Infinity;
      for (const j of candidates) {
        const s = spans[j];
        const inside = (ang >= s.a0 && ang <= s.a1) || (ang + 2 * Math.PI >= s.a0 && ang + 2 * Math.PI <= s.a1);
        const dist = inside ? 0 : Math.min(Math.abs(ang - s.a0), Math.abs(ang - s.a1));
        if (dist < bestDist) {
          bestDist = dist;
          best = j;
        }
      }
      surfGrain[i] = spans[best].grain;
    }
  }
  // Symmetry nodes: every node (every copy) lying exactly on x = 0 or y = 0. Axis points are exact zeros by
  // construction (mirror-symmetric Voronoi + snapping), and no other point of the quarter can have a zero
  // coordinate. A junction copy that touches the axis only at a point (e.g. at the origin) is included too: its
  // displacement component normal to the axis must vanish as well.
  if (quarter) {
    for (let i = 0; i < nodeCount; i++) {
      if (coordsOut[2 * i] === 0) symX.add(i);
      if (coordsOut[2 * i + 1] === 0) symY.add(i);
    }
  }
  const sortedNodes = (set: Set<number>) => Uint32Array.from([...set].sort((a, b) => a - b));
  return {
    interfaces,
    nodeCount,
    coords_um: coordsOut,
    triCount: solidCount,
    triNodes,
    triGrain,
    triRegion,
    grainCount,
    grainArea_um2: grainArea,
    interfaceCount: ifA.length,
    interfaceNodes: Uint32Array.from(ifNodes),
    interfaceGrainA: Int32Array.from(ifA),
    interfaceGrainB: Int32Array.from(ifB),
    interfaceKind: Uint8Array.from(ifKind),
    surfaceCount: surfGrain.length,
    surfaceNodes: Uint32Array.from(surfNodes),
    surfaceGrain: Int32Array.from(surfGrain),
    poreWallCount: poreGrain.length,
    poreWallNodes: Uint32Array.from(poreNodes),
    poreWallGrain: Int32Array.from(poreGrain),
    symmetryXNodes: sortedNodes(symX),
    symmetryYNodes: sortedNodes(symY),
  };
}
