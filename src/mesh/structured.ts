/**
 * Structured meshes in the `PolycrystalMesh` layout, for verification tests, benchmarks and simple scenarios:
 *
 *  - `rectangleMesh`: a w × h rectangle [0, w] × [0, h] split into nx × ny cells, each cell cut into triangles
 *    (alternating diagonals, uniform diagonals or crossed with a centre node), grains assigned per triangle by a
 *    callback on the triangle centroid;
 *  - `bicrystalMesh`: two grains split at x = w/2 by one straight vertical interface;
 *  - `diskMesh`: a full or quarter disk of radius R made of concentric rings (ring k at r = k R / rings, node count
 *    growing linearly with k so that element sizes stay ≈ R / rings), single grain.
 *
 * With `interfaces: 'cohesive'` every grain owns its own copy of each geometric point it touches and an interface
 * element [a0, a1, b0, b1] joins the copies along every triangle edge shared by two different grains. Side a is
 * the triangle with the lower grain id; a0 → a1 is that triangle's counter-clockwise edge direction, so side a lies
 * to the left of a0 → a1 and the normal n = (t_y, −t_x) points into side b (contract of `PolycrystalMesh`).
 * With `interfaces: 'none'` nodes are shared by all triangles at a point.
 *
 * Units: µm.
 */
import type { MeshStats, PolycrystalMesh } from './types.js';
import { INTERFACE_GRAIN_BOUNDARY, REGION_GRAIN } from './types.js';
import { minTriangleAngle } from './triangle-geometry.js';
import { cos, hypot, sin } from '../math/portable.js';

/** A structured mesh: the `PolycrystalMesh` plus the geometric point each node copies and boundary tags. */
export interface StructuredMesh extends PolycrystalMesh {
  /** Geometric point (index into the un-duplicated point list) of every node. */
  nodePoint: Uint32Array;
  pointCount: number;
  /**
   * Tag per surface segment: rectangles 0 = left (x = 0), 1 = right (x = w), 2 = bottom (y = 0), 3 = top (y = h);
   * disks 0 (arc).
   */
  surfaceSide: Uint8Array;
}

/** Boundary node sets of a rectangle (all node copies at points on that side). */
export interface RectangleMesh extends StructuredMesh {
  width_um: number;
  height_um: number;
  leftNodes: Uint32Array;
  rightNodes: Uint32Array;
  bottomNodes: Uint32Array;
  topNodes: Uint32Array;
}

export type CellPattern = 'alternating' | 'uniform' | 'crossed';

export interface RectangleMeshOptions {
  width_um: number;
  height_um: number;
  nx: number;
  ny: number;
  /** Grain id of a triangle from its centroid (µm); default: every triangle in grain 0. */
  grainOf?: (cx_um: number, cy_um: number) => number;
  /** c-axis angle per grain (rad); default 0 for every grain. */
  orientation_rad?: number[];
  /** Default 'cohesive' (only matters when there are several grains). */
  interfaces?: 'cohesive' | 'none';
  /**
   * 'alternating' (default): cell (i, j) cut along (i, j)–(i+1, j+1) when i + j is even, else along the other
   * diagonal; 'uniform': always along (i, j)–(i+1, j+1); 'crossed': 4 triangles around a cell-centre point.
   */
  pattern?: CellPattern;
}

export interface BicrystalMeshOptions {
  width_um: number;
  height_um: number;
  /** Cells along x (must be even: the interface lies on the grid line x = w/2) and along y. */
  nx: number;
  ny: number;
  /** [θ_left, θ_right] (rad); default [0, 0]. */
  orientation_rad?: [number, number];
  interfaces?: 'cohesive' | 'none';
  pattern?: CellPattern;
}

export interface DiskMeshOptions {
  radius_um: number;
  shape: 'full' | 'quarter';
  /** Number of concentric rings (element size ≈ R / rings). */
  rings: number;
  /** c-axis angle of the single grain (rad); default 0. */
  orientation_rad?: number;
}

/** Internal description of a triangulated point set before node duplication. */
interface BaseTriangulation {
  points: Float64Array;
  /** CCW point triples. */
  tris: Uint32Array;
  triGrain: Int32Array;
  grainOrientation_rad: Float64Array;
  /** Boundary edge p → q (CCW in its triangle) → surface tag, or −1 when the edge is not a flux surface. */
  surfaceTag: (p: number, q: number) => number;
}

function signedArea(pts: Float64Array, a: number, b: number, c: number): number {
  const ax = pts[2 * a],
    ay = pts[2 * a + 1];
  return 0.5 * ((pts[2 * b] - ax) * (pts[2 * c + 1] - ay) - (pts[2 * c] - ax) * (pts[2 * b + 1] - ay));
}

/** Smallest interior angle of triangle (a, b, c) in degrees. */
function minAngleDeg(pts: Float64Array, a: number, b: number, c: number): number {
  const angle = minTriangleAngle(pts[2 * a], pts[2 * a + 1], pts[2 * b], pts[2 * b + 1], pts[2 * c], pts[2 * c + 1]);
  return (angle * 180) / Math.PI;
}

/** Node duplication per grain, interface elements, surface segments and statistics. */
function buildMesh(
  base: BaseTriangulation,
  interfaces: 'cohesive' | 'none',
  shape: 'full' | 'quarter',
  radius_um: number,
  t0_ms: number,
): StructuredMesh {
  const { points, tris, triGrain } = base;
  const pointCount = points.length / 2;
  const triCount = tris.length / 3;
  let grainCount = 0;
  for (let t = 0; t < triCount; t++) grainCount = Math.max(grainCount, triGrain[t] + 1);
  const cohesive = interfaces === 'cohesive' && grainCount > 1;

  // Nodes: one per (point, grain) when cohesive, else one per point; numbered in order of first use.
  const nodeOfKey = new Map<number, number>();
  const nodePointList: number[] = [];
  const triNodes = new Uint32Array(3 * triCount);
  for (let t = 0; t < triCount; t++) {
    for (let k = 0; k < 3; k++) {
      const p = tris[3 * t + k];
      const key = cohesive ? p * grainCount + triGrain[t] : p;
      let n = nodeOfKey.get(key);
      if (n === undefined) {
        n = nodePointList.length;
        nodeOfKey.set(key, n);
        nodePointList.push(p);
      }
      triNodes[3 * t + k] = n;
    }
  }
  const nodeCount = nodePointList.length;
  const nodePoint = Uint32Array.from(nodePointList);
  const coords = new Float64Array(2 * nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    coords[2 * n] = points[2 * nodePoint[n]];
    coords[2 * n + 1] = points[2 * nodePoint[n] + 1];
  }
  const nodeAt = (p: number, g: number): number => nodeOfKey.get(cohesive ? p * grainCount + g : p) as number;

  // Edges: key (min, max) → the (triangle, p, q) occurrences, p → q CCW in that triangle.
  const edges = new Map<number, number[]>();
  for (let t = 0; t < triCount; t++) {
    for (let k = 0; k < 3; k++) {
      const p = tris[3 * t + k],
        q = tris[3 * t + ((k + 1) % 3)];
      const key = Math.min(p, q) * pointCount + Math.max(p, q);
      const list = edges.get(key);
      if (list) list.push(t, p, q);
      else edges.set(key, [t, p, q]);
    }
  }
  const ifNodes: number[] = [];
  const ifA: number[] = [];
  const ifB: number[] = [];
  const surf: number[] = [];
  const surfGrain: number[] = [];
  const surfSide: number[] = [];
  let gbLength = 0;
  let surfaceLength = 0;
  const len = (p: number, q: number) => hypot(points[2 * q] - points[2 * p], points[2 * q + 1] - points[2 * p + 1]);
  // Deterministic order: sorted by key.
  const keys = [...edges.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const e = edges.get(key) as number[];
    if (e.length === 3) {
      const [t, p, q] = e;
      const tag = base.surfaceTag(p, q);
      if (tag >= 0) {
        surf.push(nodeAt(p, triGrain[t]), nodeAt(q, triGrain[t]));
        surfGrain.push(triGrain[t]);
        surfSide.push(tag);
        surfaceLength += len(p, q);
      }
    } else if (e.length === 6) {
      const [t1, p1, q1, t2, p2, q2] = e;
      const g1 = triGrain[t1],
        g2 = triGrain[t2];
      if (g1 === g2) continue;
      gbLength += len(p1, q1);
      if (!cohesive) continue;
      // Side a: lower grain id; its CCW edge direction gives a0 → a1.
      const [ga, gb, pa, qa] = g1 < g2 ? [g1, g2, p1, q1] : [g2, g1, p2, q2];
      ifNodes.push(nodeAt(pa, ga), nodeAt(qa, ga), nodeAt(pa, gb), nodeAt(qa, gb));
      ifA.push(ga);
      ifB.push(gb);
    } else {
      throw new Error('structured mesh: non-manifold edge');
    }
  }

  const grainArea = new Float64Array(grainCount);
  let minAngle = 180;
  let solidArea = 0;
  for (let t = 0; t < triCount; t++) {
    const a = signedArea(points, tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]);
    if (!(a > 0)) throw new Error(`structured mesh: triangle ${t} is not counter-clockwise`);
    grainArea[triGrain[t]] += a;
    solidArea += a;
    minAngle = Math.min(minAngle, minAngleDeg(points, tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]));
  }

  // Symmetry node lists (quarter disk): every node copy at a point on x = 0 / y = 0.
  const symX: number[] = [];
  const symY: number[] = [];
  if (shape === 'quarter') {
    for (let n = 0; n < nodeCount; n++) {
      if (coords[2 * n] === 0) symX.push(n);
      if (coords[2 * n + 1] === 0) symY.push(n);
    }
  }

  const interfaceCount = ifA.length;
  const stats: MeshStats = {
    nodeCount,
    triCount,
    grainCount,
    interfaceCount,
    minAngle_deg: minAngle,
    minAngleGenerated_deg: minAngle,
    solidArea_um2: solidArea,
    particleArea_um2: solidArea,
    grainBoundaryLength_um: gbLength,
    surfaceLength_um: surfaceLength,
    porosity: 0,
    porosityByRing: [],
    isolatedGrains: [],
    buildTime_ms: performance.now() - t0_ms,
  };
  const orientation = new Float64Array(grainCount);
  const axis = new Float64Array(3 * grainCount);
  for (let g = 0; g < grainCount; g++) {
    orientation[g] = base.grainOrientation_rad[g] ?? 0;
    axis.set([cos(orientation[g]), sin(orientation[g]), 0], 3 * g);
  }
  return {
    shape,
    radius_um,
    coatingThickness_um: 0,
    interfaces: cohesive ? 'cohesive' : interfaces,
    nodeCount,
    coords_um: coords,
    triCount,
    triNodes,
    triGrain: Int32Array.from(triGrain),
    triRegion: new Uint8Array(triCount).fill(REGION_GRAIN),
    grainCount,
    grainOrientation_rad: orientation,
    grainAxis: axis,
    grainArea_um2: grainArea,
    interfaceCount,
    interfaceNodes: Uint32Array.from(ifNodes),
    interfaceGrainA: Int32Array.from(ifA),
    interfaceGrainB: Int32Array.from(ifB),
    interfaceKind: new Uint8Array(interfaceCount).fill(INTERFACE_GRAIN_BOUNDARY),
    surfaceCount: surfGrain.length,
    surfaceNodes: Uint32Array.from(surf),
    surfaceGrain: Int32Array.from(surfGrain),
    poreWallCount: 0,
    poreWallNodes: new Uint32Array(0),
    poreWallGrain: new Int32Array(0),
    symmetryXNodes: Uint32Array.from(symX),
    symmetryYNodes: Uint32Array.from(symY),
    stats,
    nodePoint,
    pointCount,
    surfaceSide: Uint8Array.from(surfSide),
  };
}

/**
 * Rectangle [0, w] × [0, h] with nx × ny cells. Every boundary edge is a surface (flux) segment, tagged by side
 * (`surfaceSide`: 0 left, 1 right, 2 bottom, 3 top); `leftNodes` … `topNodes` list every node copy on each side.
 * `radius_um` is set to half the diagonal (a rectangle has no radius; the field only sizes views).
 */
export function rectangleMesh(opts: RectangleMeshOptions): RectangleMesh {
  const t0 = performance.now();
  const { width_um: w, height_um: h, nx, ny } = opts;
  if (!(nx >= 1 && ny >= 1 && Number.isInteger(nx) && Number.isInteger(ny)))
    throw new Error('rectangleMesh: nx, ny must be positive integers');
  const pattern = opts.pattern ?? 'alternating';
  const gridCount = (nx + 1) * (ny + 1);
  const centreCount = pattern === 'crossed' ? nx * ny : 0;
  const points = new Float64Array(2 * (gridCount + centreCount));
  const gid = (i: number, j: number) => j * (nx + 1) + i;
  // Grid coordinates: exact at the ends (x = w, y = h) so boundary tests can compare with ===.
  const xAt = (i: number) => (i === nx ? w : (i * w) / nx);
  const yAt = (j: number) => (j === ny ? h : (j * h) / ny);
  for (let j = 0; j <= ny; j++)
    for (let i = 0; i <= nx; i++) {
      points[2 * gid(i, j)] = xAt(i);
      points[2 * gid(i, j) + 1] = yAt(j);
    }
  const tris: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const n00 = gid(i, j),
        n10 = gid(i + 1, j),
        n01 = gid(i, j + 1),
        n11 = gid(i + 1, j + 1);
      if (pattern === 'crossed') {
        const c = gridCount + j * nx + i;
        points[2 * c] = 0.5 * (xAt(i) + xAt(i + 1));
        points[2 * c + 1] = 0.5 * (yAt(j) + yAt(j + 1));
        tris.push(n00, n10, c, n10, n11, c, n11, n01, c, n01, n00, c);
      } else if (pattern === 'uniform' || (i + j) % 2 === 0) {
        tris.push(n00, n10, n11, n00, n11, n01);
      } else {
        tris.push(n00, n10, n01, n10, n11, n01);
      }
    }
  const triArr = Uint32Array.from(tris);
  const triCount = triArr.length / 3;
  const triGrain = new Int32Array(triCount);
  if (opts.grainOf) {
    for (let t = 0; t < triCount; t++) {
      let cx = 0,
        cy = 0;
      for (let k = 0; k < 3; k++) {
        cx += points[2 * triArr[3 * t + k]] / 3;
        cy += points[2 * triArr[3 * t + k] + 1] / 3;
      }
      const g = opts.grainOf(cx, cy);
      if (!(Number.isInteger(g) && g >= 0)) throw new Error('rectangleMesh: grainOf must return an integer ≥ 0');
      triGrain[t] = g;
    }
  }
  const side = (p: number, q: number): number => {
    const px = points[2 * p],
      py = points[2 * p + 1],
      qx = points[2 * q],
      qy = points[2 * q + 1];
    if (px === 0 && qx === 0) return 0;
    if (px === w && qx === w) return 1;
    if (py === 0 && qy === 0) return 2;
    if (py === h && qy === h) return 3;
    return -1;
  };
  const mesh = buildMesh(
    {
      points,
      tris: triArr,
      triGrain,
      grainOrientation_rad: Float64Array.from(opts.orientation_rad ?? []),
      surfaceTag: side,
    },
    opts.interfaces ?? 'cohesive',
    'full',
    0.5 * hypot(w, h),
    t0,
  );
  const pick = (f: (x: number, y: number) => boolean) => {
    const out: number[] = [];
    for (let n = 0; n < mesh.nodeCount; n++) if (f(mesh.coords_um[2 * n], mesh.coords_um[2 * n + 1])) out.push(n);
    return Uint32Array.from(out);
  };
  return {
    ...mesh,
    width_um: w,
    height_um: h,
    leftNodes: pick((x) => x === 0),
    rightNodes: pick((x) => x === w),
    bottomNodes: pick((_x, y) => y === 0),
    topNodes: pick((_x, y) => y === h),
  };
}

/** Two grains, 0 on x < w/2 and 1 on x > w/2, joined by one straight interface along x = w/2 (ny elements). */
export function bicrystalMesh(opts: BicrystalMeshOptions): RectangleMesh {
  if (opts.nx % 2 !== 0) throw new Error('bicrystalMesh: nx must be even');
  const half = opts.width_um / 2;
  return rectangleMesh({
    width_um: opts.width_um,
    height_um: opts.height_um,
    nx: opts.nx,
    ny: opts.ny,
    grainOf: (cx) => (cx < half ? 0 : 1),
    orientation_rad: opts.orientation_rad ?? [0, 0],
    interfaces: opts.interfaces ?? 'cohesive',
    pattern: opts.pattern,
  });
}

/**
 * Disk of radius R (full, or the quarter x ≥ 0, y ≥ 0) from concentric rings: ring k (1 ≤ k ≤ rings) at
 * r_k = k R / rings carries 6k points on the full circle, or ⌈πk/2⌉ + 1 points on the quarter arc (end points on
 * the axes, exactly). Consecutive rings are stitched by advancing along the one whose next point has the smaller
 * angle, which gives near-equilateral triangles. Surface segments: the outer arc (solid to the left).
 * Quarter: `symmetryXNodes` are the points on x = 0, `symmetryYNodes` on y = 0 (the centre is in both).
 */
export function diskMesh(opts: DiskMeshOptions): StructuredMesh {
  const t0 = performance.now();
  const { radius_um: R, shape, rings } = opts;
  if (!(rings >= 1 && Number.isInteger(rings))) throw new Error('diskMesh: rings must be a positive integer');
  const quarter = shape === 'quarter';
  const pts: number[] = [0, 0];
  /** Point ids and angles per ring; for the full disk the first point is repeated at angle 2π (closed). */
  const ringIds: number[][] = [[0]];
  const ringAng: number[][] = [[0]];
  for (let k = 1; k <= rings; k++) {
    const r = k === rings ? R : (k * R) / rings;
    const segs = quarter ? Math.ceil((Math.PI * k) / 2) : 6 * k;
    const span = quarter ? Math.PI / 2 : 2 * Math.PI;
    const ids: number[] = [];
    const ang: number[] = [];
    const count = quarter ? segs + 1 : segs;
    for (let m = 0; m < count; m++) {
      // Full disk: odd rings turned by half a segment (better angles than radially aligned points).
      const a = ((m + (quarter ? 0 : 0.5 * (k % 2))) * span) / segs;
      let x = r * cos(a),
        y = r * sin(a);
      if (m === 0 && (quarter || k % 2 === 0)) y = 0;
      if (quarter && m === segs) {
        x = 0;
        y = r;
      }
      ids.push(pts.length / 2);
      ang.push(a);
      pts.push(x, y);
    }
    if (!quarter) {
      ids.push(ids[0]);
      ang.push(ang[0] + 2 * Math.PI);
    }
    ringIds.push(ids);
    ringAng.push(ang);
  }
  const points = Float64Array.from(pts);
  const tris: number[] = [];
  for (let k = 1; k <= rings; k++) {
    const outIds = ringIds[k],
      outAng = ringAng[k];
    if (k === 1) {
      for (let j = 0; j + 1 < outIds.length; j++) tris.push(0, outIds[j], outIds[j + 1]);
      continue;
    }
    const inIds = ringIds[k - 1],
      inAng = ringAng[k - 1];
    let i = 0,
      j = 0;
    const m = inIds.length - 1,
      n = outIds.length - 1;
    while (i < m || j < n) {
      const advanceOuter = i === m || (j < n && outAng[j + 1] <= inAng[i + 1]);
      if (advanceOuter) {
        tris.push(inIds[i], outIds[j], outIds[j + 1]);
        j++;
      } else {
        tris.push(inIds[i], outIds[j], inIds[i + 1]);
        i++;
      }
    }
  }
  const triArr = Uint32Array.from(tris);
  const outer = new Set(ringIds[rings]);
  return buildMesh(
    {
      points,
      tris: triArr,
      triGrain: new Int32Array(triArr.length / 3),
      grainOrientation_rad: Float64Array.of(opts.orientation_rad ?? 0),
      surfaceTag: (p, q) => (outer.has(p) && outer.has(q) ? 0 : -1),
    },
    'none',
    shape,
    R,
    t0,
  );
}
