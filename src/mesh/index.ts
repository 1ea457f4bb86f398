/**
 * Public entry of the mesher: `meshPolycrystal(spec)` → `PolycrystalMesh` (contract in ./types.ts).
 *
 * Pipeline (one concept per file):
 *   spec.ts               validate the numeric spec, estimate the element count before allocating anything
 *   random.ts             seeded splitmix32 generator (same spec + seed → byte-identical mesh)
 *   size-field.ts         log-normal grain-size spread by seeding density
 *   voronoi.ts            seeds, Lloyd relaxation, Voronoi PSLG clipped to the disk (mirrored seeds for the quarter)
 *   geometry-cleanup.ts   weld duplicates, collapse edges < 0.3 h (→ 4-grain junctions), merge cells < h²,
 *                         bend boundaries that graze the surface
 *   pores.ts              remove whole cells to follow φ(r); reconnect / report and remove grains cut off by pores
 *   (this file)           coating annulus edges, region labels
 *   triangulate/          subdivided PSLG + lattice + batch Ruppert refinement with delaunator, flood-fill regions
 *   interfaces.ts         per-region node copies, interface elements, surface / pore-wall / symmetry lists
 *   orientation.ts        c-axis angle per grain
 *   stats.ts              areas, ring porosity
 *   triangle-geometry.ts  the one min-angle measure, point–segment distance
 *   validate.ts           independent contract check of a finished mesh (used by the tests)
 */
import { MeshInputError, MeshInternalError } from './errors.js';
import { cleanupGeometry } from './geometry-cleanup.js';
import { assembleMesh } from './interfaces.js';
import { grainOrientations } from './orientation.js';
import { choosePoreCells, findIsolatedCells, reconnectIsolatedClusters } from './pores.js';
import {
  addVertex,
  arcSpan,
  EDGE_ARC,
  EDGE_ARC_OUTER,
  EDGE_AXIS_X,
  EDGE_AXIS_Y,
  FACE_COATING,
  FACE_OUTSIDE,
  isArcKind,
  ON_ARC,
  ON_ARC_OUTER,
  ON_AXIS_X,
  ON_AXIS_Y,
  type Pslg,
} from './pslg.js';
import { createRng } from './random.js';
import { createSizeField } from './size-field.js';
import { coatingMeshSize_um, domainArea_um2, validateMeshSpec, type MeshSpec } from './spec.js';
import { ringPorosity } from './stats.js';
import { minTriangleAngle } from './triangle-geometry.js';
import {
  LABEL_COATING,
  LABEL_PORE,
  LABEL_VOID,
  triangulateConforming,
  type LabelledEdge,
} from './triangulate/index.js';
import type { MeshStats, PolycrystalMesh } from './types.js';
import { buildVoronoiPslg, generateSeeds, lloydRelax } from './voronoi.js';
import { atan2, cos, hypot, sin } from '../math/portable.js';

export { MeshInputError, MeshInternalError } from './errors.js';
export {
  coatingMeshSize_um,
  domainArea_um2,
  estimateElementCount,
  grainsFromMeanDiameter,
  MESH_DEFAULTS,
  POROSITY_PRESETS,
  presetMeshSpec,
  targetPorosityAt,
  validateMeshSpec,
  type MeshSpec,
  type MicrostructurePreset,
  type OrientationSpec,
  type PorositySpec,
} from './spec.js';
export * from './types.js';

const DEBUG = typeof process !== 'undefined' && !!process.env?.CHEMOFRAC_MESH_DEBUG;

/** Target minimum angle of generated triangles (degrees); the contract asks for ≥ 20°. */
export const MIN_ANGLE_TARGET_DEG = 21;

/** Area and centroid of every cell from its PSLG boundary (arcs as chords; good enough for pores/orientation). */
function cellAreasAndCentroids(g: Pslg) {
  const n = g.cellCount;
  const area = new Float64Array(n);
  const mx = new Float64Array(n);
  const my = new Float64Array(n);
  const edgeCount = new Int32Array(n);
  const add = (face: number, sign: number, x0: number, y0: number, x1: number, y1: number) => {
    if (face < 0) return;
    const cr = (x0 * y1 - x1 * y0) * sign;
    area[face] += cr / 2;
    mx[face] += ((x0 + x1) * cr) / 6;
    my[face] += ((y0 + y1) * cr) / 6;
  };
  for (const e of g.edges) {
    if (e.left >= 0) edgeCount[e.left]++;
    if (e.right >= 0) edgeCount[e.right]++;
    const pts: [number, number][] = [[g.xs[e.a], g.ys[e.a]]];
    if (isArcKind(e.kind)) {
      const r = hypot(g.xs[e.a], g.ys[e.a]);
      const span = arcSpan(g.xs[e.a], g.ys[e.a], g.xs[e.b], g.ys[e.b], e.a === e.b);
      const steps = Math.max(2, Math.ceil(span / (Math.PI / 180)));
      const a0 = atan2(g.ys[e.a], g.xs[e.a]);
      for (let s = 1; s < steps; s++) pts.push([r * cos(a0 + (span * s) / steps), r * sin(a0 + (span * s) / steps)]);
    }
    pts.push([g.xs[e.b], g.ys[e.b]]);
    for (let i = 0; i + 1 < pts.length; i++) {
      add(e.left, 1, pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1]);
      add(e.right, -1, pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1]);
    }
  }
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    cx[c] = area[c] > 0 ? mx[c] / area[c] : 0;
    cy[c] = area[c] > 0 ? my[c] / area[c] : 0;
  }
  return { area, cx, cy, edgeCount };
}

/** Nearest seed by a uniform grid (expanding rings), for locating lattice points in cells. */
function nearestSeedLocator(seeds: Float64Array, radius_um: number) {
  const n = seeds.length / 2;
  const cell = Math.max((2 * radius_um) / Math.max(1, Math.sqrt(n)), 1e-12);
  const grid = new Map<number, number[]>();
  const key = (ix: number, iy: number) => (ix + 100_000) * 200_003 + (iy + 100_000);
  for (let i = 0; i < n; i++) {
    const k = key(Math.floor(seeds[2 * i] / cell), Math.floor(seeds[2 * i + 1] / cell));
    const b = grid.get(k);
    if (b) b.push(i);
    else grid.set(k, [i]);
  }
  const maxRing = Math.ceil((4 * radius_um) / cell) + 2;
  return (x: number, y: number): number => {
    const ix = Math.floor(x / cell);
    const iy = Math.floor(y / cell);
    let best = -1;
    let bestD = Infinity;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let dx = -ring; dx <= ring; dx++) {
        for (let dy = -ring; dy <= ring; dy++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          const b = grid.get(key(ix + dx, iy + dy));
          if (!b) continue;
          for (const i of b) {
            const ex = seeds[2 * i] - x;
            const ey = seeds[2 * i + 1] - y;
            const d = ex * ex + ey * ey;
            if (d < bestD || (d === bestD && i < best)) {
              bestD = d;
              best = i;
            }
          }
        }
      }
      // Any seed in a farther ring is at least `ring · cell` away.
      if (best >= 0 && Math.sqrt(bestD) <= ring * cell) break;
    }
    return best;
  };
}

/**
 * Build the polycrystal particle mesh described by `spec`. Deterministic: the same spec gives byte-identical
 * arrays. Throws `MeshInputError` (naming key, value and allowed range) on bad input.
 *
 * Grain ids: the solid Voronoi cells in seed order, renumbered 0 … grainCount − 1 (pores, cut-off grains and
 * cells merged away by the cleanup get no id). `stats.isolatedGrains` lists cut-off grains by their Voronoi cell
 * index (seed order), since they have no grain id in the mesh.
 */
export function meshPolycrystal(spec: MeshSpec): PolycrystalMesh {
  const startTime = performance.now();
  let lapTime = startTime;
  const lap = (stage: string) => {
    if (!DEBUG) return;
    const now = performance.now();
    const cpu = process.cpuUsage();
    console.error(
      `mesh stage ${stage}: ${(now - lapTime).toFixed(0)} ms wall, cpu total ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    );
    lapTime = now;
  };
  const s = validateMeshSpec(spec);
  const R = s.radius_um;
  const h = s.mesh_size_um;
  const t = s.coating_thickness_um;
  const coated = t > 0;
  const hCoating = coatingMeshSize_um(s);
  const rng = createRng(s.seed);

  // 1. Seeds and Voronoi PSLG.
  const meanDiameter_um = Math.sqrt((4 * domainArea_um2(s.shape, R)) / (Math.PI * s.grains));
  const sizeField = s.size_spread > 0 ? createSizeField(s.size_spread, meanDiameter_um, rng) : null;
  const seeds = generateSeeds(s.shape, R, s.grains, sizeField, rng);
  lloydRelax(s.shape, R, seeds, s.lloyd_iterations, sizeField);
  const g = buildVoronoiPslg(s.shape, R, seeds);
  lap('seeds + Lloyd + Voronoi');
  cleanupGeometry(g, R, h);
  lap('cleanup');

  // 2. Cells: areas, centroids, pores and isolated grains.
  const cells = cellAreasAndCentroids(g);
  const n = g.cellCount;
  const alive = new Uint8Array(n);
  for (let c = 0; c < n; c++) alive[c] = cells.edgeCount[c] > 0 && cells.area[c] > 0 ? 1 : 0;
  const links: [number, number][] = [];
  for (const e of g.edges) {
    links.push([e.left, e.right]);
    if (coated && e.kind === EDGE_ARC) links.push([e.left, FACE_COATING]);
  }
  let pore: Uint8Array;
  if (s.pore_cells) {
    pore = new Uint8Array(n);
    for (const c of s.pore_cells) pore[c] = 1;
  } else {
    pore = choosePoreCells(cells.area, cells.cx, cells.cy, alive, R, s.porosity, rng, links, coated);
    if (s.porosity) reconnectIsolatedClusters(pore, alive, cells.area, links, coated);
  }
  const solid = new Uint8Array(n);
  for (let c = 0; c < n; c++) solid[c] = alive[c] && !pore[c] ? 1 : 0;
  // Grains cut off from the main solid: reported by their Voronoi cell index (seed order) and removed.
  const isolatedCells = s.porosity || s.pore_cells ? findIsolatedCells(solid, cells.area, links, coated) : [];
  for (const c of isolatedCells) solid[c] = 0;

  // 3. Grain ids (solid cells in seed order) and labels.
  const cellLabel = new Int32Array(n);
  const grainCell: number[] = [];
  for (let c = 0; c < n; c++) {
    if (solid[c]) {
      cellLabel[c] = grainCell.length;
      grainCell.push(c);
    } else cellLabel[c] = LABEL_PORE; // pores, isolated grains and cells that vanished in the cleanup
  }
  if (grainCell.length === 0) {
    if (s.pore_cells)
      throw new MeshInputError('pore_cells', s.pore_cells.length, 'a list that leaves at least one grain');
    throw new MeshInternalError('no solid grain left');
  }
  const labelOfFace = (f: number) => (f >= 0 ? cellLabel[f] : f === FACE_COATING ? LABEL_COATING : LABEL_VOID);

  // 4. Coating: the arc r = R becomes the grain | coating interface, plus the outer circle r = R + t.
  if (coated) {
    for (const e of g.edges) if (e.kind === EDGE_ARC) e.right = FACE_COATING;
    const Rout = R + t;
    if (s.shape === 'quarter') {
      let cornerX = -1; // (R, 0)
      let cornerY = -1; // (0, R)
      for (let v = 0; v < g.xs.length; v++) {
        const f = g.flags[v];
        if ((f & ON_ARC) !== 0 && (f & ON_AXIS_Y) !== 0) cornerX = v;
        if ((f & ON_ARC) !== 0 && (f & ON_AXIS_X) !== 0) cornerY = v;
      }
      if (cornerX < 0 || cornerY < 0) throw new MeshInternalError('quarter corners not found');
      const outX = addVertex(g, Rout, 0, ON_ARC_OUTER | ON_AXIS_Y);
      const outY = addVertex(g, 0, Rout, ON_ARC_OUTER | ON_AXIS_X);
      g.edges.push({ a: cornerX, b: outX, left: FACE_COATING, right: FACE_OUTSIDE, kind: EDGE_AXIS_Y });
      g.edges.push({ a: outY, b: cornerY, left: FACE_COATING, right: FACE_OUTSIDE, kind: EDGE_AXIS_X });
      g.edges.push({ a: outX, b: outY, left: FACE_COATING, right: FACE_OUTSIDE, kind: EDGE_ARC_OUTER });
    } else {
      const v = addVertex(g, Rout, 0, ON_ARC_OUTER);
      g.edges.push({ a: v, b: v, left: FACE_COATING, right: FACE_OUTSIDE, kind: EDGE_ARC_OUTER });
    }
  }
  const labelled: LabelledEdge[] = [];
  for (const e of g.edges) {
    const left = labelOfFace(e.left);
    const right = labelOfFace(e.right);
    if (left === right) continue;
    labelled.push({ a: e.a, b: e.b, left, right, kind: e.kind });
  }

  lap('cells, pores, labels');
  // 5. Conforming quality triangulation.
  const locate = nearestSeedLocator(seeds, R);
  const labelAt = (x: number, y: number): number => {
    const r2 = x * x + y * y;
    if (r2 >= R * R) return coated && r2 < (R + t) * (R + t) ? LABEL_COATING : LABEL_VOID;
    const c = locate(x, y);
    return c >= 0 ? (alive[c] ? cellLabel[c] : 0) : 0;
  };
  const tri = triangulateConforming({
    xs: g.xs,
    ys: g.ys,
    edges: labelled,
    radius_um: R,
    coatingThickness_um: t,
    shape: s.shape,
    h,
    hCoating,
    labelAt,
    minAngle_deg: MIN_ANGLE_TARGET_DEG,
  });

  lap('triangulation');
  // 6. Mesh arrays.
  const grainCount = grainCell.length;
  const arrays = assembleMesh(tri, grainCount, s.interfaces, coated, s.shape === 'quarter');
  const gcx = new Float64Array(grainCount);
  const gcy = new Float64Array(grainCount);
  for (let gi = 0; gi < grainCount; gi++) {
    gcx[gi] = cells.cx[grainCell[gi]];
    gcy[gi] = cells.cy[grainCell[gi]];
  }
  const orientation = grainOrientations(s.orientation, gcx, gcy, rng);

  lap('assembly');
  // 7. Statistics.
  let minAngle = Infinity;
  let minAngleGenerated = Infinity;
  let solidArea = 0;
  let poreArea = 0;
  const isPoreTri = new Uint8Array(tri.triCount);
  let particleTriCount = 0;
  for (let k = 0; k < tri.triCount; k++) if (tri.triLabel[k] !== LABEL_COATING) particleTriCount++;
  const particleTriangles = new Uint32Array(3 * particleTriCount);
  let pk = 0;
  for (let k = 0; k < tri.triCount; k++) {
    const a = tri.triangles[3 * k];
    const b = tri.triangles[3 * k + 1];
    const c = tri.triangles[3 * k + 2];
    const ax = tri.coords[2 * a];
    const ay = tri.coords[2 * a + 1];
    const bx = tri.coords[2 * b];
    const by = tri.coords[2 * b + 1];
    const cx = tri.coords[2 * c];
    const cy = tri.coords[2 * c + 1];
    const area = ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    const label = tri.triLabel[k];
    if (label === LABEL_PORE) poreArea += area;
    else {
      solidArea += area;
      const angle = (minTriangleAngle(ax, ay, bx, by, cx, cy) * 180) / Math.PI;
      minAngle = Math.min(minAngle, angle);
      if (!tri.triForced[k]) minAngleGenerated = Math.min(minAngleGenerated, angle);
    }
    if (label !== LABEL_COATING) {
      isPoreTri[pk] = label === LABEL_PORE ? 1 : 0;
      particleTriangles[3 * pk] = a;
      particleTriangles[3 * pk + 1] = b;
      particleTriangles[3 * pk + 2] = c;
      pk++;
    }
  }
  let coatingArea = 0;
  for (let k = 0; k < arrays.triCount; k++) {
    if (arrays.triGrain[k] !== -1) continue;
    const n0 = arrays.triNodes[3 * k];
    const n1 = arrays.triNodes[3 * k + 1];
    const n2 = arrays.triNodes[3 * k + 2];
    const X = arrays.coords_um;
    coatingArea +=
      ((X[2 * n1] - X[2 * n0]) * (X[2 * n2 + 1] - X[2 * n0 + 1]) -
        (X[2 * n1 + 1] - X[2 * n0 + 1]) * (X[2 * n2] - X[2 * n0])) /
      2;
  }
  const particleArea = solidArea - coatingArea + poreArea;
  let gbLength = 0;
  for (let sIdx = 0; sIdx < tri.segCount; sIdx++) {
    if (tri.segLeft[sIdx] >= 0 && tri.segRight[sIdx] >= 0) {
      const p = tri.segA[sIdx];
      const q = tri.segB[sIdx];
      gbLength += hypot(tri.coords[2 * q] - tri.coords[2 * p], tri.coords[2 * q + 1] - tri.coords[2 * p + 1]);
    }
  }
  let surfaceLength = 0;
  for (let i = 0; i < arrays.surfaceCount; i++) {
    const p = arrays.surfaceNodes[2 * i];
    const q = arrays.surfaceNodes[2 * i + 1];
    const X = arrays.coords_um;
    surfaceLength += hypot(X[2 * q] - X[2 * p], X[2 * q + 1] - X[2 * p + 1]);
  }
  const porosityByRing = ringPorosity(tri.coords, particleTriangles, isPoreTri, R);
  lap('statistics');
  const stats: MeshStats = {
    nodeCount: arrays.nodeCount,
    triCount: arrays.triCount,
    grainCount,
    interfaceCount: arrays.interfaceCount,
    minAngle_deg: minAngle,
    minAngleGenerated_deg: minAngleGenerated,
    solidArea_um2: solidArea,
    particleArea_um2: particleArea,
    grainBoundaryLength_um: gbLength,
    surfaceLength_um: surfaceLength,
    porosity: particleArea > 0 ? poreArea / particleArea : 0,
    porosityByRing,
    isolatedGrains: isolatedCells,
    buildTime_ms: performance.now() - startTime,
  };
  return {
    shape: s.shape,
    radius_um: R,
    coatingThickness_um: t,
    ...arrays,
    grainOrientation_rad: orientation.angle_rad,
    grainAxis: orientation.axis,
    grainCell: Int32Array.from(grainCell),
    stats,
  };
}
