/**
 * Independent consistency check of a `PolycrystalMesh` (used by the tests, cheap enough to run on any mesh).
 * Returns a list of problems; an empty list means the mesh satisfies the contract of ./types.ts:
 *  - triangles counter-clockwise with positive area; every node used; with cohesive interfaces every node belongs
 *    to exactly one region;
 *  - geometric edges shared by two different regions carry exactly one interface element (cohesive) or share their
 *    nodes (none); no interface anywhere else; interface node pairs coincide; side a's triangle lies to the left;
 *  - edges with a single triangle are exactly the surface segments, pore walls and (quarter) symmetry edges;
 *    surface and pore-wall segments have the solid on their left;
 *  - symmetry lists are exactly the nodes on x = 0 and y = 0;
 *  - the triangle area equals the area enclosed by the free boundary, ∮ x dy over surface + pore walls (the
 *    symmetry edges add nothing: x = 0 or dy = 0 there), to 1e-9 relative.
 */
import type { PolycrystalMesh } from './types.js';
import { hypot } from '../math/portable.js';

export function checkMesh(mesh: PolycrystalMesh): string[] {
  const problems: string[] = [];
  const X = mesh.coords_um;
  const N = mesh.nodeCount;
  const fail = (msg: string) => {
    if (problems.length < 50) problems.push(msg);
  };
  if (X.length !== 2 * N) fail('coords length');
  if (mesh.triNodes.length !== 3 * mesh.triCount) fail('triNodes length');
  if (mesh.interfaceNodes.length !== 4 * mesh.interfaceCount) fail('interfaceNodes length');

  // Canonical point id per coordinate pair (copies share it).
  const pointOf = new Int32Array(N);
  const byCoord = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const key = `${X[2 * i]},${X[2 * i + 1]}`;
    let p = byCoord.get(key);
    if (p === undefined) {
      p = byCoord.size;
      byCoord.set(key, p);
    }
    pointOf[i] = p;
  }
  const P = byCoord.size;
  const edgeKey = (p: number, q: number) => (p < q ? p * P + q : q * P + p);

  // Triangles.
  const nodeRegion = new Int32Array(N).fill(-999);
  const edgeTris = new Map<number, number[]>();
  let triArea = 0;
  for (let t = 0; t < mesh.triCount; t++) {
    const [a, b, c] = [mesh.triNodes[3 * t], mesh.triNodes[3 * t + 1], mesh.triNodes[3 * t + 2]];
    const area =
      ((X[2 * b] - X[2 * a]) * (X[2 * c + 1] - X[2 * a + 1]) - (X[2 * b + 1] - X[2 * a + 1]) * (X[2 * c] - X[2 * a])) /
      2;
    if (!(area > 0)) fail(`triangle ${t} not counter-clockwise (area ${area})`);
    triArea += area;
    const region = mesh.triGrain[t];
    for (const n of [a, b, c]) {
      if (nodeRegion[n] === -999) nodeRegion[n] = region;
      else if (nodeRegion[n] !== region && mesh.interfaces === 'cohesive') fail(`node ${n} shared by regions`);
    }
    for (const [u, v] of [
      [a, b],
      [b, c],
      [c, a],
    ]) {
      const k = edgeKey(pointOf[u], pointOf[v]);
      const list = edgeTris.get(k);
      if (list) list.push(t);
      else edgeTris.set(k, [t]);
    }
  }
  for (let n = 0; n < N; n++) if (nodeRegion[n] === -999) fail(`node ${n} unused`);

  // Interfaces.
  const interfaceOnEdge = new Map<number, number>();
  const hasEdge = (t: number, u: number, v: number) => {
    const tn = [mesh.triNodes[3 * t], mesh.triNodes[3 * t + 1], mesh.triNodes[3 * t + 2]];
    // u → v must be a counter-clockwise edge of t (so t lies to its left).
    for (let j = 0; j < 3; j++) if (tn[j] === u && tn[(j + 1) % 3] === v) return true;
    return false;
  };
  for (let i = 0; i < mesh.interfaceCount; i++) {
    const [a0, a1, b0, b1] = Array.from(mesh.interfaceNodes.subarray(4 * i, 4 * i + 4));
    if (hypot(X[2 * a0] - X[2 * b0], X[2 * a0 + 1] - X[2 * b0 + 1]) > 1e-12) fail(`interface ${i}: a0/b0 apart`);
    if (hypot(X[2 * a1] - X[2 * b1], X[2 * a1 + 1] - X[2 * b1 + 1]) > 1e-12) fail(`interface ${i}: a1/b1 apart`);
    if (nodeRegion[a0] !== mesh.interfaceGrainA[i] || nodeRegion[a1] !== mesh.interfaceGrainA[i]) {
      fail(`interface ${i}: a nodes not in grain ${mesh.interfaceGrainA[i]}`);
    }
    if (nodeRegion[b0] !== mesh.interfaceGrainB[i] || nodeRegion[b1] !== mesh.interfaceGrainB[i]) {
      fail(`interface ${i}: b nodes not in region ${mesh.interfaceGrainB[i]}`);
    }
    const k = edgeKey(pointOf[a0], pointOf[a1]);
    interfaceOnEdge.set(k, (interfaceOnEdge.get(k) ?? 0) + 1);
    const tris = edgeTris.get(k) ?? [];
    if (!tris.some((t) => hasEdge(t, a0, a1))) fail(`interface ${i}: side a triangle not to the left of a0 → a1`);
    if (!tris.some((t) => hasEdge(t, b1, b0))) fail(`interface ${i}: side b triangle not to the right of b0 → b1`);
  }

  // Boundary segments.
  const boundaryEdges = new Map<number, string>();
  let enclosed = 0;
  const addBoundary = (name: string, nodes: Uint32Array, count: number) => {
    for (let s = 0; s < count; s++) {
      const u = nodes[2 * s];
      const v = nodes[2 * s + 1];
      const k = edgeKey(pointOf[u], pointOf[v]);
      if (boundaryEdges.has(k)) fail(`${name} segment ${s} listed twice`);
      boundaryEdges.set(k, name);
      const tris = edgeTris.get(k) ?? [];
      if (!tris.some((t) => hasEdge(t, u, v))) fail(`${name} segment ${s}: solid not on its left`);
      // ∮ x dy (trapezoid rule is exact for straight segments).
      enclosed += ((X[2 * u] + X[2 * v]) / 2) * (X[2 * v + 1] - X[2 * u + 1]);
    }
  };
  addBoundary('surface', mesh.surfaceNodes, mesh.surfaceCount);
  addBoundary('pore wall', mesh.poreWallNodes, mesh.poreWallCount);
  const symX = new Set(mesh.symmetryXNodes);
  const symY = new Set(mesh.symmetryYNodes);
  for (const [k, tris] of edgeTris) {
    if (tris.length > 2) fail(`edge with ${tris.length} triangles`);
    if (tris.length === 2) {
      const [t0, t1] = tris;
      const different = mesh.triGrain[t0] !== mesh.triGrain[t1];
      const count = interfaceOnEdge.get(k) ?? 0;
      if (mesh.interfaces === 'cohesive') {
        if (different && count !== 1) fail(`region boundary edge with ${count} interface elements`);
        if (!different && count !== 0) fail('interface element inside a region');
        if (!different) {
          // Same region: the two triangles must share the edge's nodes.
          const n0 = new Set(mesh.triNodes.subarray(3 * t0, 3 * t0 + 3));
          const shared = Array.from(mesh.triNodes.subarray(3 * t1, 3 * t1 + 3)).filter((n) => n0.has(n)).length;
          if (shared !== 2) fail('triangles of one region not sharing nodes across an interior edge');
        } else {
          const n0 = new Set(mesh.triNodes.subarray(3 * t0, 3 * t0 + 3));
          const shared = Array.from(mesh.triNodes.subarray(3 * t1, 3 * t1 + 3)).filter((n) => n0.has(n)).length;
          if (shared !== 0) fail('triangles of two regions share a node across a boundary edge');
        }
      }
      if (boundaryEdges.has(k)) fail(`${boundaryEdges.get(k)} segment inside the solid`);
    } else if (tris.length === 1 && !boundaryEdges.has(k)) {
      const t = tris[0];
      const tn = Array.from(mesh.triNodes.subarray(3 * t, 3 * t + 3));
      const onEdge = tn.filter(
        (n) =>
          edgeKey(pointOf[n], pointOf[tn[0]]) === k ||
          edgeKey(pointOf[n], pointOf[tn[1]]) === k ||
          edgeKey(pointOf[n], pointOf[tn[2]]) === k,
      );
      const onSymmetry = onEdge.every((n) => symX.has(n)) || onEdge.every((n) => symY.has(n));
      if (!onSymmetry || mesh.shape !== 'quarter')
        fail(`free edge of triangle ${t} is neither surface, pore wall nor symmetry`);
    }
  }
  for (const k of interfaceOnEdge.keys())
    if ((edgeTris.get(k) ?? []).length !== 2) fail('interface on a non-shared edge');

  // Symmetry lists.
  if (mesh.shape === 'quarter') {
    for (let n = 0; n < N; n++) {
      if ((X[2 * n] === 0) !== symX.has(n)) fail(`node ${n}: x = 0 ⇔ symmetryXNodes violated`);
      if ((X[2 * n + 1] === 0) !== symY.has(n)) fail(`node ${n}: y = 0 ⇔ symmetryYNodes violated`);
    }
  } else if (symX.size + symY.size > 0) fail('full disk with symmetry nodes');

  if (Math.abs(enclosed - triArea) > 1e-9 * triArea) {
    fail(`triangle area ${triArea} ≠ area enclosed by the free boundary ${enclosed}`);
  }
  for (const g of mesh.surfaceGrain) if (!(g >= 0 && g < mesh.grainCount)) fail(`surface grain ${g} invalid`);
  return problems;
}
